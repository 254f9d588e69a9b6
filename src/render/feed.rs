//! Each language's Atom feed (`atom.xml` under the language's home path:
//! `/atom.xml`, `/nb/atom.xml`): the pages of that language most recently
//! reviewed, newest first, as the `atom.xml` template's context. A page's
//! `last_reviewed` date is its entry's `updated`; a page without one has
//! no date to give and is left out. `[feed] entries` caps the list (0
//! writes no feed).
//!
//! Not for writing the XML (the template does, with Tera's escaping) nor
//! for deciding when a feed is rendered (the build session does).

use super::views::permalink;
use super::{Output, Renderer};
use crate::config::Language;
use crate::content::Site;
use crate::content::front_matter::{Date, PageKind};
use serde::Serialize;
use tera::Context;

/// One language's `atom.xml`.
pub struct FeedOutput<'a> {
    pub lang: &'a Language,
    /// `atom.xml`, `nb/atom.xml`.
    pub out: String,
}

impl<'a> FeedOutput<'a> {
    pub fn new(lang: &'a Language) -> Self {
        FeedOutput {
            lang,
            out: feed_file(lang),
        }
    }
}

/// The output file of `lang`'s feed, relative to the output folder.
fn feed_file(lang: &Language) -> String {
    lang.feed_path().trim_start_matches('/').to_owned()
}

/// The files of every language's feed; none when `[feed] entries = 0`.
pub fn feed_files(site: &Site) -> Vec<String> {
    if site.config.feed.entries == 0 {
        return Vec::new();
    }
    site.config.languages().iter().map(feed_file).collect()
}

/// What `atom.xml` receives as `feed`.
#[derive(Debug, Serialize)]
struct FeedView<'a> {
    /// The site's title in the feed's language.
    title: String,
    /// The site's description in the feed's language (may be empty).
    subtitle: String,
    lang: &'a str,
    /// The feed's own address, also its `id`.
    id: String,
    url: String,
    /// The language's home page, the feed's `rel="alternate"`.
    home: String,
    /// The newest entry's date (RFC 3339); 1970-01-01 when there is none.
    updated: String,
    /// The site's publisher, else its title.
    author: String,
}

/// One page in the feed.
#[derive(Debug, Serialize)]
struct EntryView<'a> {
    title: String,
    summary: String,
    /// The page's full address, also its `id`.
    url: String,
    id: String,
    /// `last_reviewed` at midnight UTC (RFC 3339).
    updated: String,
    /// `last_reviewed` as written (`2026-11-01`).
    date: String,
    kind: PageKind,
    path: &'a str,
}

/// A date as an RFC 3339 time: midnight UTC of that day.
fn rfc3339(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// `s` without the characters XML 1.0 does not allow (control characters
/// other than tab and line breaks), which escaping cannot make valid.
fn xml_chars(s: &str) -> String {
    s.chars()
        .filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r'))
        .filter(|&c| !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// The pages of language `code` that have a review date, newest first
/// (then by title and path, so that the order never depends on the files'
/// order), at most `limit`.
pub fn recent_pages(site: &Site, code: &str, limit: usize) -> Vec<usize> {
    let mut pages: Vec<(Date, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang == code)
        .filter_map(|(i, p)| Some((p.dates.last_reviewed?, i)))
        .collect();
    let order = |a: &(Date, usize), b: &(Date, usize)| {
        let (pa, pb) = (&site.pages[a.1], &site.pages[b.1]);
        b.0.cmp(&a.0)
            .then_with(|| pa.title().cmp(pb.title()))
            .then_with(|| pa.path.cmp(&pb.path))
    };
    if pages.len() > limit && limit > 0 {
        pages.select_nth_unstable_by(limit - 1, order);
    }
    pages.truncate(limit);
    pages.sort_unstable_by(order);
    pages.into_iter().map(|(_, i)| i).collect()
}

impl Output for FeedOutput<'_> {
    fn template(&self) -> &'static str {
        "atom.xml"
    }
    fn file(&self) -> &str {
        &self.out
    }
    fn context(&self, r: &Renderer) -> Context {
        let lang = self.lang;
        let base = &r.config.base_url;
        let site = r.site;
        let entries: Vec<EntryView> = recent_pages(site, &lang.code, r.config.feed.entries)
            .into_iter()
            .filter_map(|i| {
                let p = &site.pages[i];
                let date = p.dates.last_reviewed?;
                let url = permalink(base, &p.path);
                Some(EntryView {
                    title: xml_chars(p.title()),
                    summary: xml_chars(p.meta.summary()),
                    id: url.clone(),
                    url,
                    updated: rfc3339(date),
                    date: date.to_string(),
                    kind: p.kind,
                    path: &p.path,
                })
            })
            .collect();
        let updated = entries
            .first()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |e| e.updated.clone());
        let url = permalink(base, &lang.feed_path());
        let feed = FeedView {
            title: xml_chars(&lang.title),
            subtitle: xml_chars(&lang.description),
            lang: &lang.code,
            id: url.clone(),
            url,
            home: permalink(base, &lang.home()),
            updated,
            author: xml_chars(r.config.publisher.as_deref().unwrap_or(&lang.title)),
        };
        let mut ctx = Context::new();
        ctx.insert("lang", &lang.code);
        if let Some(v) = r.sites.get(&lang.code) {
            ctx.insert_value("site", v.clone());
        }
        ctx.insert("feed", &feed);
        ctx.insert("entries", &entries);
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_hold_are_dropped() {
        assert_eq!(xml_chars("a\u{1}b\tc\u{b}d"), "ab\tcd");
        assert_eq!(
            xml_chars("Tom & \"Jerry\" <x> ø ع"),
            "Tom & \"Jerry\" <x> ø ع"
        );
    }

    #[test]
    fn dates_are_midnight_utc() {
        let d: Date = "2026-11-01".parse().unwrap();
        assert_eq!(rfc3339(d), "2026-11-01T00:00:00Z");
    }
}
