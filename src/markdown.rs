//! Markdown → HTML with pulldown-cmark: stable heading ids with a visible
//! anchor link, a table of contents, internal links written as relative
//! paths to `.md` files turned into the right URLs, and raw HTML sanitized
//! with ammonia unless the site allows it.

use crate::content::{Site, Target, resolve_relative, slugify};
use crate::diagnostics::Diagnostic;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// One heading of a page, for the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link to a heading that can only be checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorCheck {
    /// `None` for a link to a heading of the same page.
    pub target: Option<Target>,
    pub fragment: String,
    pub diagnostic: Diagnostic,
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id the body defines (headings), for link checks.
    pub ids: Vec<String>,
    pub anchor_checks: Vec<AnchorCheck>,
    pub diagnostics: Vec<Diagnostic>,
    pub word_count: usize,
    /// What the checks need, when [`Context::scan`] asked for it.
    pub scan: Option<crate::checks::body::Scan>,
}

/// What rendering needs to know about the page and the site.
pub struct Context<'a> {
    pub site: &'a Site,
    /// Path for messages: `content/medications/ilaris.md`.
    pub file: &'a Path,
    /// Folder of the page inside `content/`: `medications`.
    pub dir: &'a str,
    /// The base path of the site: `/` or `/sub/path/`.
    pub base_path: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    pub allow_unsafe_html: bool,
    /// Also collect what the health-content checks need (headings, links,
    /// images) during this pass.
    pub scan: bool,
}

/// Ids the page templates use themselves; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "rate",
    "rated",
    "rate-heading",
    "rating-comment",
    "rating-comment-hint",
    "rating-1",
    "rating-2",
    "rating-3",
    "rating-4",
    "rating-5",
    "toc-heading",
    "sources-heading",
    "more-info-heading",
    "review-dates",
];

/// The Markdown extensions medsite turns on (the checks parse with the same).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Turns a site path (`/medications/ilaris/`) into a link under the base path.
pub fn url_for(base_path: &str, site_path: &str) -> String {
    format!("{base_path}{}", site_path.trim_start_matches('/'))
}

/// Renders `body` (the Markdown after the front matter).
pub fn render(body: &str, ctx: &Context) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::with_capacity(body.len() / 8);
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(usize, HeadingLevel, Option<String>, Vec<String>)> = None;
    let mut has_raw_html = false;
    let line_starts = LineIndex::new();

    let mut scanner = ctx.scan.then(|| crate::checks::body::Scanner::new(false));
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some(s) = scanner.as_mut() {
            s.event(&event, range.start);
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((
                    events.len(),
                    level,
                    id.map(|s| s.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, level, custom_id, classes)) = heading.take() {
                    let inner: Vec<Event> = events.drain(start..).collect();
                    let title = plain_text(&inner);
                    let base = custom_id
                        .map(|id| id.trim().to_owned())
                        .filter(|id| !id.is_empty())
                        .unwrap_or_else(|| slugify(&title));
                    let base = if base.is_empty() {
                        "section".to_owned()
                    } else {
                        base
                    };
                    let id = unique_id(&mut used_ids, base);
                    let mut inner_html = String::new();
                    html::push_html(&mut inner_html, inner.into_iter());
                    let n = level as u8;
                    let class_attr = if classes.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
                    };
                    let id_attr = escape_attr(&id);
                    events.push(Event::Html(CowStr::from(format!(
                        "<h{n} id=\"{id_attr}\"{class_attr}>{inner_html} <a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section: {}\">#</a></h{n}>\n",
                        escape_attr(&title)
                    ))));
                    out.toc.push(TocEntry {
                        level: n,
                        id: id.clone(),
                        title,
                    });
                    out.ids.push(id);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite_dest(
                    &dest_url,
                    range.start,
                    &line_starts,
                    body,
                    ctx,
                    &mut out,
                    false,
                );
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite_dest(
                    &dest_url,
                    range.start,
                    &line_starts,
                    body,
                    ctx,
                    &mut out,
                    true,
                );
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Html(ref s) | Event::InlineHtml(ref s) => {
                has_raw_html = true;
                let before = out.ids.len();
                html_ids(s, &mut out.ids);
                // Headings never take an id that raw HTML uses.
                for id in &out.ids[before..] {
                    if used_ids.insert(id.clone(), 1).is_some()
                        && !RESERVED_IDS.contains(&id.as_str())
                    {
                        out.diagnostics.push(
                            located(Diagnostic::warning(ctx.file, format!("the id `{id}` is used twice on this page")), range.start, &line_starts, body, ctx)
                                .with_help("give this element another id; links to `#id` can only reach one of them"),
                        );
                    }
                }
                if !ctx.allow_unsafe_html && looks_unsafe(s) {
                    out.diagnostics.push(
                        located(Diagnostic::warning(ctx.file, "raw HTML with a script, an event handler or a `javascript:` URL was removed"), range.start, &line_starts, body, ctx)
                            .with_help("write the content in Markdown; to keep raw HTML as written, set `allow_unsafe_html = true` under [markdown] in site.toml"),
                    );
                }
                events.push(event);
            }
            Event::Text(ref t) => {
                out.word_count += count_words(t);
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut html_out = String::with_capacity(body.len() + body.len() / 2);
    html::push_html(&mut html_out, events.into_iter());
    if has_raw_html && !ctx.allow_unsafe_html {
        html_out = sanitizer().clean(&html_out).to_string();
    }
    out.html = html_out;
    out.scan = scanner.map(crate::checks::body::Scanner::finish);
    out
}

fn unique_id(used: &mut HashMap<String, usize>, base: String) -> String {
    let taken = |used: &HashMap<String, usize>, id: &str| {
        used.contains_key(id) || RESERVED_IDS.contains(&id)
    };
    if !taken(used, &base) {
        used.insert(base.clone(), 1);
        return base;
    }
    let mut n = used.get(&base).copied().unwrap_or(1);
    loop {
        let candidate = format!("{base}-{n}");
        n += 1;
        if !taken(used, &candidate) {
            used.insert(base, n);
            used.insert(candidate.clone(), 1);
            return candidate;
        }
    }
}

/// Words in `t`: runs of characters between ASCII whitespace.
fn count_words(t: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for b in t.bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            n += 1;
        }
        in_word = !space;
    }
    n
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_owned()
}

/// Escapes text for an attribute value in double quotes.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn looks_unsafe(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script")
        || lower.contains("javascript:")
        || lower.contains("vbscript:")
        || lower.contains("<iframe")
        || lower.contains("<object")
        || lower.contains("<embed")
        || lower.contains("<style")
    {
        return true;
    }
    // an event handler attribute: whitespace, "on", letters, "="
    let b = lower.as_bytes();
    (1..b.len().saturating_sub(3)).any(|i| {
        (b[i - 1].is_ascii_whitespace() || b[i - 1] == b'/')
            && b[i] == b'o'
            && b[i + 1] == b'n'
            && {
                let mut j = i + 2;
                while j < b.len() && b[j].is_ascii_alphabetic() {
                    j += 1;
                }
                j > i + 2
                    && j < b.len()
                    && (b[j] == b'='
                        || b[j].is_ascii_whitespace()
                            && b[j..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'='))
            }
    })
}

/// Collects `id="..."` values of raw HTML, which links may point to too.
fn html_ids(html: &str, ids: &mut Vec<String>) {
    let lower = html.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut from = 0;
    while let Some(i) = lower[from..].find("id=") {
        let at = from + i;
        from = at + 3;
        if at == 0 || !(b[at - 1].is_ascii_whitespace()) {
            continue;
        }
        let rest = &html[at + 3..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next(),
            Some(_) => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next(),
            None => None,
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            ids.push(v.to_owned());
        }
    }
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes([
            "id",
            "class",
            "title",
            "lang",
            "dir",
            "aria-label",
            "aria-hidden",
            "role",
        ])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags([
            "input",
            "section",
            "sup",
            "details",
            "summary",
            "figure",
            "figcaption",
            "mark",
        ])
        .filter_style_properties(std::iter::once("text-align").collect())
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough);
        b
    })
}

/// Line starts of a body, computed only when a message needs a location.
struct LineIndex {
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl LineIndex {
    fn new() -> Self {
        LineIndex {
            starts: std::cell::OnceCell::new(),
        }
    }
    /// 0-based line and 1-based column of a byte offset.
    fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let starts = self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        });
        let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = starts[line];
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (line, text[start..end].chars().count() + 1)
    }
}

fn located(
    d: Diagnostic,
    offset: usize,
    index: &LineIndex,
    body: &str,
    ctx: &Context,
) -> Diagnostic {
    let (line0, col) = index.locate(body, offset);
    let mut d = d;
    d.line = ctx.body_line + line0;
    d.column = col;
    d.snippet = crate::diagnostics::source_line(body, line0 + 1).map(str::to_owned);
    d
}

fn has_scheme(dest: &str) -> Option<&str> {
    let end = dest.find([':', '/', '?', '#'])?;
    if dest.as_bytes()[end] != b':' || end == 0 {
        return None;
    }
    let scheme = &dest[..end];
    scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .then_some(scheme)
}

#[allow(clippy::too_many_arguments)]
fn rewrite_dest<'e>(
    dest: &CowStr<'e>,
    offset: usize,
    index: &LineIndex,
    body: &str,
    ctx: &Context,
    out: &mut Rendered,
    image: bool,
) -> CowStr<'e> {
    let raw = dest.trim();
    let err = |out: &mut Rendered, msg: String, help: &str| {
        out.diagnostics.push(
            located(Diagnostic::error(ctx.file, msg), offset, index, body, ctx)
                .with_help(help.to_owned()),
        );
    };
    if raw.is_empty() {
        return dest.clone();
    }
    if let Some(scheme) = has_scheme(raw) {
        let scheme = scheme.to_ascii_lowercase();
        let safe = matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
            || (image
                && scheme == "data"
                && raw.to_ascii_lowercase().starts_with("data:image/")
                && !raw.to_ascii_lowercase().starts_with("data:image/svg"));
        if !safe && !ctx.allow_unsafe_html {
            err(
                out,
                format!("the link `{raw}` uses `{scheme}:`, which is not allowed"),
                "link to an https:// address or to another page's .md file",
            );
            return CowStr::from("#");
        }
        return dest.clone();
    }
    if raw.starts_with("//") {
        return dest.clone();
    }
    if let Some(fragment) = raw.strip_prefix('#') {
        if !fragment.is_empty() {
            out.anchor_checks.push(AnchorCheck {
                target: None,
                fragment: fragment.to_owned(),
                diagnostic: located(Diagnostic::error(ctx.file, format!("the link `{raw}` points to a heading this page does not have")), offset, index, body, ctx)
                    .with_help("use the id of one of this page's headings: its words in lowercase joined by hyphens, e.g. `#side-effects`"),
            });
        }
        return dest.clone();
    }
    let (path_part, fragment) = match raw.find('#') {
        Some(i) => (&raw[..i], Some(&raw[i + 1..])),
        None => (raw, None),
    };
    let (path_part, query) = match path_part.find('?') {
        Some(i) => (&path_part[..i], Some(&path_part[i..])),
        None => (path_part, None),
    };
    let is_md = path_part.ends_with(".md");
    if raw.starts_with('/') && !is_md {
        // A site path: keep it working under a sub-path.
        return CowStr::from(url_for(ctx.base_path, raw));
    }
    let Some(resolved) = resolve_relative(ctx.dir, path_part) else {
        err(
            out,
            format!("the link `{raw}` points outside content/"),
            "write a path to a file inside content/, relative to this page",
        );
        return dest.clone();
    };
    let suffix = |s: String| -> String {
        let mut s = s;
        if let Some(q) = query {
            s.push_str(q);
        }
        if let Some(f) = fragment {
            s.push('#');
            s.push_str(f);
        }
        s
    };
    if is_md {
        match ctx.site.by_file.get(&resolved) {
            Some(&target) => {
                if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                    out.anchor_checks.push(AnchorCheck {
                        target: Some(target),
                        fragment: f.to_owned(),
                        diagnostic: located(Diagnostic::error(ctx.file, format!("the link `{raw}` points to a heading that `{}` does not have", path_part)), offset, index, body, ctx)
                            .with_help("check the heading's id: its words in lowercase joined by hyphens, e.g. `#side-effects`"),
                    });
                }
                CowStr::from(suffix(url_for(ctx.base_path, ctx.site.path_of(target))))
            }
            None if ctx.site.broken.contains(&resolved) => dest.clone(),
            None => {
                let why = if ctx.site.drafts.contains(&resolved) {
                    format!("the link `{raw}` points to a draft page, which is not built")
                } else {
                    format!(
                        "the link `{raw}` points to a page that does not exist (content/{resolved})"
                    )
                };
                err(
                    out,
                    why,
                    "check the file name; links to other pages are paths to their .md file relative to this page, e.g. `methotrexate.md` or `../about.md`",
                );
                dest.clone()
            }
        }
    } else if ctx.site.asset_files.contains(&resolved) {
        CowStr::from(suffix(url_for(ctx.base_path, &resolved)))
    } else if resolved.is_empty() {
        dest.clone()
    } else {
        let what = if image { "image" } else { "file" };
        err(
            out,
            format!("the {what} `{raw}` does not exist (content/{resolved})"),
            "put the file next to the page in content/ and link it by its name, e.g. `diagram.png`",
        );
        dest.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::{LoadOptions, Site};

    fn site_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
        for (name, text) in files {
            let p = dir.path().join("content").join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let config = Config::load(dir.path()).unwrap();
        let site = Site::load(dir.path(), config, &LoadOptions::default()).unwrap();
        (dir, site)
    }

    fn render_in(site: &Site, dir: &str, body: &str, allow: bool) -> Rendered {
        let ctx = Context {
            site,
            file: Path::new("content/medications/x.md"),
            dir,
            base_path: "/sub/",
            body_line: 10,
            allow_unsafe_html: allow,
            scan: false,
        };
        render(body, &ctx)
    }

    const MED: &str = "---\ntitle: M\n---\n## Side effects\n";

    #[test]
    fn heading_ids_anchor_and_toc() {
        let (_d, site) = site_with(&[("about.md", "---\ntitle: A\n---\n")]);
        let r = render_in(
            &site,
            "",
            "## Pregnancy and breast-feeding\n\n## Dosage\n\n## Dosage\n\n## Rate\n\n### Custom {#my-id}\n",
            false,
        );
        assert!(r.html.contains("<h2 id=\"pregnancy-and-breast-feeding\">Pregnancy and breast-feeding <a class=\"anchor\" href=\"#pregnancy-and-breast-feeding\""), "{}", r.html);
        assert!(r.html.contains("id=\"dosage\""));
        assert!(r.html.contains("id=\"dosage-1\""));
        assert!(
            r.html.contains("id=\"rate-1\""),
            "reserved ids are not reused: {}",
            r.html
        );
        assert!(r.html.contains("<h3 id=\"my-id\">"));
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "pregnancy-and-breast-feeding",
                "dosage",
                "dosage-1",
                "rate-1",
                "my-id"
            ]
        );
        assert_eq!(r.toc[4].level, 3);
    }

    #[test]
    fn extensions_are_on() {
        let (_d, site) = site_with(&[("about.md", "---\ntitle: A\n---\n")]);
        let r = render_in(
            &site,
            "",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] ~~old~~ \"quoted\"\n\n[^1]: Note.\n",
            false,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("\u{201c}quoted\u{201d}"));
        assert!(r.html.contains("footnote-definition"));
    }

    #[test]
    fn internal_links_become_urls() {
        let (_d, site) = site_with(&[
            ("medications/_index.md", "---\ntitle: Meds\n---\n"),
            ("medications/methotrexate.md", MED),
            ("medications/chart.pdf", ""),
            ("about.md", "---\ntitle: A\n---\n"),
        ]);
        let r = render_in(
            &site,
            "medications",
            "[m](methotrexate.md) [s](methotrexate.md#side-effects) [a](../about.md) [l](_index.md) [p](chart.pdf) [x](https://example.org/) [r](/conditions/)",
            false,
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(
            r.html.contains("href=\"/sub/medications/methotrexate/\""),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("href=\"/sub/medications/methotrexate/#side-effects\"")
        );
        assert!(r.html.contains("href=\"/sub/about/\""));
        assert!(r.html.contains("href=\"/sub/medications/\""));
        assert!(r.html.contains("href=\"/sub/medications/chart.pdf\""));
        assert!(r.html.contains("href=\"https://example.org/\""));
        assert!(r.html.contains("href=\"/sub/conditions/\""));
        assert_eq!(r.anchor_checks.len(), 1);
        assert_eq!(r.anchor_checks[0].fragment, "side-effects");
    }

    #[test]
    fn missing_page_link_is_an_error_with_line() {
        let (_d, site) = site_with(&[("about.md", "---\ntitle: A\n---\n")]);
        let r = render_in(
            &site,
            "",
            "Intro\n\nSee [gout](conditions/gout.md).\n",
            false,
        );
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert!(d.is_error());
        assert!(d.message.contains("conditions/gout.md"));
        assert_eq!(
            d.line, 12,
            "body starts at line 10; the link is on the third body line"
        );
        assert_eq!(
            d.snippet.as_deref(),
            Some("See [gout](conditions/gout.md).")
        );
    }

    #[test]
    fn raw_html_is_sanitized_unless_allowed() {
        let (_d, site) = site_with(&[("about.md", "---\ntitle: A\n---\n")]);
        let body = "<div onclick=\"steal()\">Hi <script>alert(1)</script><a href=\"javascript:alert(2)\">x</a></div>\n\n<b>bold</b>\n";
        let r = render_in(&site, "", body, false);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("javascript:"));
        assert!(r.html.contains("<b>bold</b>"));
        assert!(
            r.diagnostics
                .iter()
                .any(|d| !d.is_error() && d.message.contains("removed"))
        );
        let r = render_in(&site, "", body, true);
        assert!(r.html.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn javascript_markdown_link_is_an_error() {
        let (_d, site) = site_with(&[("about.md", "---\ntitle: A\n---\n")]);
        let r = render_in(&site, "", "[x](javascript:alert(1))", false);
        assert!(r.diagnostics[0].message.contains("javascript"));
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn sanitizing_keeps_generated_markup() {
        let (_d, site) = site_with(&[("about.md", "---\ntitle: A\n---\n")]);
        let r = render_in(
            &site,
            "",
            "## Side effects\n\n<span>raw</span>\n\n| a |\n|:-:|\n| 1 |\n",
            false,
        );
        assert!(r.html.contains("<h2 id=\"side-effects\">"), "{}", r.html);
        assert!(r.html.contains("class=\"anchor\""));
        assert!(
            r.html
                .contains("aria-label=\"Link to this section: Side effects\"")
        );
        assert!(r.html.contains("text-align"));
    }

    #[test]
    fn ids_in_raw_html_are_link_targets() {
        let mut ids = Vec::new();
        html_ids(
            "<span id=\"a-1\"></span><div class='x' id='b'><p data-id=\"no\" id=c>",
            &mut ids,
        );
        assert_eq!(ids, ["a-1", "b", "c"]);
    }

    #[test]
    fn words_are_counted() {
        assert_eq!(count_words("  one two\tthree\n four "), 4);
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("før-behandling ok"), 2);
    }

    #[test]
    fn unsafe_detection() {
        assert!(looks_unsafe("<img src=x onerror=alert(1)>"));
        assert!(looks_unsafe("<p onclick = \"x\">"));
        assert!(!looks_unsafe("<p class=\"online\">"));
        assert!(!looks_unsafe("<abbr title=\"one\">"));
    }
}
