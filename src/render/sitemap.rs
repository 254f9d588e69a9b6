//! `sitemap.xml`: every section, page and condition page, with each
//! one's language versions. With the built-in template the file is
//! written here, entry by entry, to the same bytes the template would
//! give: a site of 100,000 pages never holds its entries as template
//! values, nor (streamed into the file) the whole text. A site's own
//! `templates/sitemap.xml` gets the usual context.

use super::targets::conditions_lists;
use super::views::permalink;
use super::{Output, Renderer};
use crate::content::Target;
use serde::Serialize;
use tera::Context;

/// `sitemap.xml`.
pub struct SitemapOutput;

impl Output for SitemapOutput {
    fn template(&self) -> &'static str {
        "sitemap.xml"
    }
    fn file(&self) -> &str {
        "sitemap.xml"
    }
    fn context(&self, r: &Renderer) -> Context {
        #[derive(Serialize)]
        struct Alternate {
            hreflang: String,
            href: String,
        }
        #[derive(Serialize)]
        struct Entry {
            loc: String,
            lastmod: Option<String>,
            /// Every language version, with `x-default`; empty when there
            /// is only one.
            alternates: Vec<Alternate>,
        }
        let base = &r.config.base_url;
        let mut entries: Vec<Entry> = Vec::new();
        each_entry(r, |path, lastmod, versions| {
            entries.push(Entry {
                loc: permalink(base, path),
                lastmod,
                alternates: alternates(versions)
                    .map(|(hreflang, path)| Alternate {
                        hreflang: hreflang.to_owned(),
                        href: permalink(base, path),
                    })
                    .collect(),
            });
        });
        let mut ctx = Context::new();
        ctx.insert("entries", &entries);
        ctx
    }
    fn direct(&self, r: &Renderer) -> Option<String> {
        if !r.templates.is_builtin(self.template()) {
            return None;
        }
        // Measured first, so that the text of a large site is never
        // copied to grow.
        let mut length = 0;
        write(r, &mut length);
        let mut out = String::with_capacity(length);
        write(r, &mut out);
        Some(out)
    }
    fn streams(&self, r: &Renderer) -> bool {
        r.templates.is_builtin(self.template())
    }
    fn stream(&self, r: &Renderer, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut sink = Stream { out, error: None };
        write(r, &mut sink);
        sink.error.map_or(Ok(()), Err)
    }
}

/// What the sitemap is written into: the text, a file, or its length.
trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// A file being written, and the first error writing it.
struct Stream<'w> {
    out: &'w mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl Sink for Stream<'_> {
    fn put(&mut self, s: &str) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(s.as_bytes())
        {
            self.error = Some(e);
        }
    }
}

impl Sink for usize {
    fn put(&mut self, s: &str) {
        *self += s.len();
    }
}

/// Writes the sitemap as the built-in template does.
fn write(r: &Renderer, out: &mut impl Sink) {
    let base = &r.config.base_url;
    let url = |path: &str, out: &mut dyn Sink| {
        escape(base, out);
        escape(path.trim_start_matches('/'), out);
    };
    out.put(HEAD);
    each_entry(r, |path, lastmod, versions| {
        out.put("<url><loc>");
        url(path, out);
        out.put("</loc>");
        if let Some(l) = lastmod.filter(|l| !l.is_empty()) {
            out.put("<lastmod>");
            escape(&l, out);
            out.put("</lastmod>");
        }
        for (hreflang, path) in alternates(versions) {
            out.put("<xhtml:link rel=\"alternate\" hreflang=\"");
            escape(hreflang, out);
            out.put("\" href=\"");
            url(path, out);
            out.put("\"/>");
        }
        out.put("</url>\n");
    });
    out.put(TAIL);
}

/// What the built-in template writes before the entries and after them.
const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const TAIL: &str = "</urlset>\n";

/// Hands every entry of the sitemap to `each`, in order: its site path,
/// its last review and its language versions (language, path).
fn each_entry(r: &Renderer, mut each: impl FnMut(&str, Option<String>, &[(&str, &str)])) {
    let site = r.site;
    for i in 0..site.sections.len() {
        let versions = site.language_versions(Target::Section(i));
        each(&site.sections[i].path, None, &versions);
    }
    for (i, p) in site.pages.iter().enumerate() {
        let lastmod = p.dates.last_reviewed.map(|d| d.to_string());
        each(&p.path, lastmod, &site.language_versions(Target::Page(i)));
    }
    let lists = conditions_lists(r);
    let versions: Vec<(&str, &str)> = lists
        .iter()
        .map(|(c, p)| (c.as_str(), p.as_str()))
        .collect();
    for (_, path) in &lists {
        each(path, None, &versions);
    }
    for c in &site.conditions {
        each(&c.path, None, &[]);
    }
    for p in r.listings.later_parts(site) {
        each(&p, None, &[]);
    }
}

/// Every language version and `x-default` (the first), as (hreflang,
/// path); none when there is only one version.
fn alternates<'v>(versions: &'v [(&'v str, &'v str)]) -> impl Iterator<Item = (&'v str, &'v str)> {
    let shown = if versions.len() < 2 {
        &[][..]
    } else {
        versions
    };
    let default = shown.first().map(|(_, path)| ("x-default", *path));
    shown.iter().copied().chain(default)
}

/// `s` as the templates print a value: `&`, `<`, `>`, `"` and `'`
/// escaped as HTML.
fn escape(s: &str, out: &mut dyn Sink) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.put(&s[from..i]);
        out.put(with);
        from = i + 1;
    }
    out.put(&s[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_template_is_the_one_written_here() {
        let (_, source) = crate::templates::BUILTIN_TEMPLATES
            .iter()
            .find(|(n, _)| *n == "sitemap.xml")
            .unwrap();
        let entry = "{% for u in entries %}<url><loc>{{ u.loc }}</loc>{% if u.lastmod %}<lastmod>{{ u.lastmod }}</lastmod>{% endif %}{% for a in u.alternates %}<xhtml:link rel=\"alternate\" hreflang=\"{{ a.hreflang }}\" href=\"{{ a.href }}\"/>{% endfor %}</url>\n{% endfor %}";
        assert_eq!(
            *source,
            format!("{HEAD}{entry}{TAIL}"),
            "change `direct` too"
        );
    }

    #[test]
    fn values_are_escaped_as_the_templates_do() {
        let mut out = String::new();
        escape("/a?b=1&c='<d>\"", &mut out);
        assert_eq!(out, "/a?b=1&amp;c=&#39;&lt;d&gt;&quot;");
    }
}
