//! Markdown → HTML with pulldown-cmark, in one pass over the body: stable
//! heading ids with a visible anchor link, a table of contents, GitHub-style
//! alerts as callouts, links to `.md` files turned into URLs through a
//! [`LinkResolver`], raw HTML sanitized with ammonia unless the site allows
//! it, and the body's [`PageFacts`] for the checks.
//!
//! Knows no `Site`: it takes a body, [`Options`] and a resolver and returns
//! [`Rendered`]. Not for templates or pages around the body.

mod callout;
pub mod facts;
mod html;
mod links;

pub use callout::Words;
pub use facts::{AnchorRef, Block, Heading, Image, Link, PageFacts};
pub use html::escape_attr;

use crate::diagnostics::{Diagnostic, Excerpt};
use crate::slug::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options as Extensions, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One heading of a page, for the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// How a link written in a page resolves. The resolver knows the page's
/// folder and the site; the renderer only writes what it answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    /// A page or section: its URL and its content path (for heading links).
    Page { url: String, file: String },
    /// A file copied from `content/`: its URL.
    Asset { url: String },
    /// Left as written (a file that could not be loaded, whose own error
    /// says why; or the page's own folder).
    Keep,
    /// Nothing there: the content path it would be, and whether it is a
    /// draft that is not built.
    Missing { path: String, draft: bool },
    /// Climbs above `content/`.
    Outside,
}

/// Answers where a relative path written in a page (`methotrexate.md`,
/// `../about.md`, `chart.pdf`) points.
pub trait LinkResolver {
    fn resolve(&self, path: &str) -> Resolved;
}

/// How to render one body.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Path for messages: `content/medications/ilaris.md`.
    pub file: &'a Path,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// The base path of the site: `/` or `/sub/path/`.
    pub base_path: &'a str,
    pub allow_unsafe_html: bool,
    /// Also collect the prose as text (readability and abbreviations need
    /// it; a plain build does not).
    pub collect_text: bool,
    /// The words written into the page (callout titles, heading links), in
    /// the page's language.
    pub words: &'a Words,
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    pub facts: PageFacts,
    /// Broken links, unsafe links and raw HTML that was removed.
    pub diagnostics: Vec<Diagnostic>,
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

/// The Markdown extensions medsite turns on.
fn extensions() -> Extensions {
    Extensions::ENABLE_TABLES
        | Extensions::ENABLE_FOOTNOTES
        | Extensions::ENABLE_STRIKETHROUGH
        | Extensions::ENABLE_SMART_PUNCTUATION
        | Extensions::ENABLE_HEADING_ATTRIBUTES
        | Extensions::ENABLE_GFM
}

/// Turns a site path (`/medications/ilaris/`) into a link under the base path.
pub fn url_for(base_path: &str, site_path: &str) -> String {
    format!("{base_path}{}", site_path.trim_start_matches('/'))
}

/// A heading being collected: where its events start, its level, its own
/// id and classes (`{#id .class}`).
struct OpenHeading {
    start: usize,
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
}

/// Renders `body` (the Markdown after the front matter).
pub fn render(body: &str, opts: &Options, resolver: &dyn LinkResolver) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::with_capacity(body.len() / 8);
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<OpenHeading> = None;
    let mut has_raw_html = false;
    let mut last_level = 1u8;
    let excerpt = Excerpt::new(body, opts.body_line);
    let mut found = links::Found::default();
    let mut scanner = facts::Scanner::new(opts.collect_text);

    for (event, range) in Parser::new_ext(body, extensions()).into_offset_iter() {
        scanner.event(&event, range.start);
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some(OpenHeading {
                    start: events.len(),
                    level,
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    let inner: Vec<Event> = events.drain(h.start..).collect();
                    let (html, entry) =
                        heading_html(h, inner, &mut used_ids, &opts.words.section_link);
                    events.push(Event::Html(CowStr::from(html)));
                    last_level = entry.level;
                    if let Some(fact) = scanner.headings_mut().last_mut() {
                        fact.id = entry.id.clone();
                    }
                    out.facts.ids.push(entry.id.clone());
                    out.toc.push(entry);
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                events.push(Event::Html(CowStr::from(callout::open(
                    kind, last_level, opts.words,
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html(CowStr::from(callout::close())));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let place = links::Place {
                    opts,
                    body: &excerpt,
                    offset: range.start,
                };
                let tag = links::rewrite_tag(tag, &place, resolver, &mut found);
                events.push(Event::Start(tag));
            }
            Event::Html(ref s) | Event::InlineHtml(ref s) => {
                has_raw_html = true;
                let before = out.facts.ids.len();
                html::html_ids(s, &mut out.facts.ids);
                // Headings never take an id that raw HTML uses.
                for id in &out.facts.ids[before..] {
                    if used_ids.insert(id.clone(), 1).is_some()
                        && !RESERVED_IDS.contains(&id.as_str())
                    {
                        out.diagnostics.push(
                            excerpt.at(Diagnostic::warning(opts.file, format!("the id `{id}` is used twice on this page")), range.start)
                                .with_help("give this element another id; links to `#id` can only reach one of them"),
                        );
                    }
                }
                if !opts.allow_unsafe_html && html::looks_unsafe(s) {
                    out.facts.raw_html_removed.push(range.start);
                    out.diagnostics.push(
                        excerpt.at(Diagnostic::warning(opts.file, "raw HTML with a script, an event handler or a `javascript:` URL was removed"), range.start)
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
    pulldown_cmark::html::push_html(&mut html_out, events.into_iter());
    if has_raw_html && !opts.allow_unsafe_html {
        html_out = html::sanitizer().clean(&html_out).to_string();
    }
    out.html = html_out;
    let ids = std::mem::take(&mut out.facts.ids);
    let removed = std::mem::take(&mut out.facts.raw_html_removed);
    out.facts = scanner.finish();
    out.facts.ids = ids;
    out.facts.raw_html_removed = removed;
    out.facts.anchors = found.anchors;
    out.diagnostics.extend(found.diagnostics);
    out
}

/// The HTML of a finished heading (with its id and anchor link) and its
/// table of contents entry.
fn heading_html(
    h: OpenHeading,
    inner: Vec<Event>,
    used_ids: &mut HashMap<String, usize>,
    section_link: &str,
) -> (String, TocEntry) {
    let title = plain_text(&inner);
    let base =
        h.id.map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| slugify(&title));
    let base = if base.is_empty() {
        "section".to_owned()
    } else {
        base
    };
    let id = unique_id(used_ids, base);
    let mut inner_html = String::new();
    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
    let n = h.level as u8;
    let class_attr = if h.classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape_attr(&h.classes.join(" ")))
    };
    let id_attr = escape_attr(&id);
    let html = format!(
        "<h{n} id=\"{id_attr}\"{class_attr}>{inner_html} <a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"{} {}\">#</a></h{n}>\n",
        escape_attr(section_link),
        escape_attr(&title)
    );
    (
        html,
        TocEntry {
            level: n,
            id,
            title,
        },
    )
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A resolver over a fixed list of content files, for pages in `dir`.
    pub struct MapResolver {
        pub dir: &'static str,
        pub pages: HashMap<&'static str, &'static str>,
        pub assets: Vec<&'static str>,
    }

    impl LinkResolver for MapResolver {
        fn resolve(&self, path: &str) -> Resolved {
            let Some(r) = crate::content::resolve_relative(self.dir, path) else {
                return Resolved::Outside;
            };
            if let Some(url) = self.pages.get(r.as_str()) {
                return Resolved::Page {
                    url: url_for("/sub/", url),
                    file: r,
                };
            }
            if self.assets.contains(&r.as_str()) {
                return Resolved::Asset {
                    url: url_for("/sub/", &r),
                };
            }
            if r.is_empty() {
                return Resolved::Keep;
            }
            Resolved::Missing {
                path: r,
                draft: false,
            }
        }
    }

    fn resolver(dir: &'static str) -> MapResolver {
        MapResolver {
            dir,
            pages: HashMap::from([
                ("medications/_index.md", "/medications/"),
                ("medications/methotrexate.md", "/medications/methotrexate/"),
                ("about.md", "/about/"),
            ]),
            assets: vec!["medications/chart.pdf"],
        }
    }

    fn render_in(dir: &'static str, body: &str, allow: bool) -> Rendered {
        let opts = Options {
            file: Path::new("content/medications/x.md"),
            body_line: 10,
            base_path: "/sub/",
            allow_unsafe_html: allow,
            collect_text: true,
            words: &Words::default(),
        };
        render(body, &opts, &resolver(dir))
    }

    /// Renders a body in the top folder with every fact collected.
    pub fn render_plain(body: &str) -> Rendered {
        render_in("", body, false)
    }

    #[test]
    fn heading_ids_anchor_and_toc() {
        let r = render_in(
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
        let r = render_in(
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
        let r = render_in(
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
        assert_eq!(r.facts.anchors.len(), 1);
        assert_eq!(r.facts.anchors[0].fragment, "side-effects");
    }

    #[test]
    fn missing_page_link_is_an_error_with_line() {
        let r = render_in("", "Intro\n\nSee [gout](conditions/gout.md).\n", false);
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
        let body = "<div onclick=\"steal()\">Hi <script>alert(1)</script><a href=\"javascript:alert(2)\">x</a></div>\n\n<b>bold</b>\n";
        let r = render_in("", body, false);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("javascript:"));
        assert!(r.html.contains("<b>bold</b>"));
        assert!(
            r.diagnostics
                .iter()
                .any(|d| !d.is_error() && d.message.contains("removed"))
        );
        let r = render_in("", body, true);
        assert!(r.html.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn javascript_markdown_link_is_an_error() {
        let r = render_in("", "[x](javascript:alert(1))", false);
        assert!(r.diagnostics[0].message.contains("javascript"));
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn sanitizing_keeps_generated_markup() {
        let r = render_in(
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
    fn words_are_counted() {
        assert_eq!(count_words("  one two\tthree\n four "), 4);
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("før-behandling ok"), 2);
    }

    #[test]
    fn alerts_become_callouts_with_a_heading_one_level_down() {
        let r = render_plain(
            "## Dosage\n\n> [!WARNING]\n> Get help at once if you have a fever.\n\n> [!NOTE]\n> Take it with food.\n\n> A plain quote.\n",
        );
        assert!(
            r.html.contains("<div class=\"callout callout-warning callout-urgent\" role=\"note\"><h3 class=\"callout-title\">Urgent advice</h3>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("Get help at once if you have a fever."));
        assert!(r.html.contains("<h3 class=\"callout-title\">Note</h3>"));
        assert!(
            r.html
                .contains("<blockquote>\n<p>A plain quote.</p>\n</blockquote>")
        );
        assert_eq!(
            r.toc.len(),
            1,
            "callout titles are not in the table of contents"
        );
        let before_any_heading = render_plain("> [!IMPORTANT]\n> Once a week.\n");
        assert!(
            before_any_heading
                .html
                .contains("<h2 class=\"callout-title\">Important</h2>"),
            "{}",
            before_any_heading.html
        );
    }

    #[test]
    fn callouts_survive_sanitizing() {
        let r = render_plain("<b>raw</b>\n\n> [!CAUTION]\n> Careful.\n");
        assert!(
            r.html.contains("class=\"callout callout-caution\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("role=\"note\""), "{}", r.html);
    }
}
