//! View models: what templates receive as `page`, `section`, `site` and in
//! listings, built from the [`Site`] and a body's rendered Markdown. Plain
//! serializable data; not for deciding which files are written.

use super::Strings;
use crate::config::{Language, MenuItem};
use crate::content::front_matter::{Date, PageKind};
use crate::content::{Page, Site};
use crate::diagnostics::Diagnostic;
use crate::markdown::{TocEntry, url_for};
use serde::Serialize;

/// A checked date for templates: `{iso: "2026-11-01", text: "1 November 2026"}`.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

/// The date as templates show it, in words of language `lang`.
pub fn date_view(d: Option<Date>, strings: &Strings, lang: &str) -> Option<DateView> {
    d.map(|d| DateView {
        iso: d.to_string(),
        text: strings.date(lang, d),
    })
}

/// One language version of a page, for the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub lang: String,
    /// The language's name in itself: "Norsk".
    pub name: String,
    pub url: String,
    pub permalink: String,
    /// The version being shown.
    pub current: bool,
    /// The default language's version (`hreflang="x-default"`).
    pub is_default: bool,
}

/// A page as listings show it.
#[derive(Debug, Clone, Serialize)]
pub struct PageSummary {
    pub title: String,
    pub url: String,
    pub path: String,
    pub kind: PageKind,
    pub summary: String,
    pub generic_name: Option<String>,
    pub brand_names: Vec<String>,
    pub last_reviewed: Option<DateView>,
}

/// The summary of a page for listings.
pub fn summarize(p: &Page, base_path: &str, strings: &Strings) -> PageSummary {
    PageSummary {
        title: p.title().to_owned(),
        url: url_for(base_path, &p.path),
        path: p.path.clone(),
        kind: p.kind,
        summary: p.meta.summary().to_owned(),
        generic_name: p.meta.generic_name().map(str::to_owned),
        brand_names: p.meta.brand_names().to_vec(),
        last_reviewed: date_view(p.dates.last_reviewed, strings, &p.lang),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConditionLink {
    pub name: String,
    pub url: String,
}

/// A translation's notice that its source was reviewed after it was made.
#[derive(Debug, Clone, Serialize)]
pub struct StaleView {
    /// The source's language, named in itself ("English").
    pub language: String,
    /// The source's language code, for `hreflang`.
    pub lang: String,
    /// When the source was last reviewed, in words of the page's language.
    pub date: String,
    pub iso: String,
    /// The source page.
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub accessed: Option<String>,
}

/// Everything a page template receives as `page`.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub kind: PageKind,
    pub file: &'a str,
    pub path: &'a str,
    pub url: String,
    pub permalink: String,
    pub summary: &'a str,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    pub reading_minutes: usize,
    pub lang: &'a str,
    pub draft: bool,
    pub weight: Option<i64>,
    pub generic_name: Option<&'a str>,
    pub brand_names: &'a [String],
    pub atc_code: Option<&'a str>,
    pub drug_class: Option<&'a str>,
    pub forms: &'a [String],
    pub conditions: Vec<ConditionLink>,
    pub last_reviewed: Option<DateView>,
    pub next_review: Option<DateView>,
    /// On a translation older than its source: what the notice says.
    pub stale: Option<StaleView>,
    pub reviewed_by: Option<&'a str>,
    pub sources: Vec<SourceView>,
    pub related: Vec<PageSummary>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub share_mailto: String,
    pub jsonld: String,
}

#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub path: &'a str,
    pub url: String,
    pub permalink: String,
    pub summary: &'a str,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub subsections: Vec<SectionSummary>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct SectionSummary {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub page_count: usize,
}

#[derive(Debug, Serialize)]
pub struct MenuView {
    pub title: String,
    pub url: String,
    pub path: String,
}

#[derive(Debug, Serialize)]
pub struct FeedbackView<'a> {
    pub enabled: bool,
    pub endpoint: &'a str,
}

/// Everything templates receive as `site`: the site as shown in one of its
/// languages.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: String,
    /// The code of the language this view is in.
    pub language: &'a str,
    /// This language: code, name, prefix, rtl.
    pub lang: &'a Language,
    /// Every language of the site, the default first.
    pub languages: &'a [Language],
    /// This language's home page.
    pub home_url: String,
    pub publisher: Option<&'a str>,
    pub menu: Vec<MenuView>,
    pub feedback: FeedbackView<'a>,
    pub conditions_url: String,
    /// This language's search page, which the header's search form sends
    /// its query to.
    pub search_url: String,
    pub condition_count: usize,
    pub sitemap_url: String,
    /// This language's Atom feed under the base path (`/nb/atom.xml`);
    /// `null` when `[feed] entries = 0`.
    pub feed_url: Option<String>,
    pub generator: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// `base_url` + a site path.
pub fn permalink(base_url: &str, path: &str) -> String {
    format!("{}{}", base_url, path.trim_start_matches('/'))
}

/// The `site` templates receive on pages in `lang`; errors when the menu
/// links to a page that does not exist.
pub fn site_view<'a>(
    site: &'a Site,
    lang: &'a Language,
    base_path: &str,
    strings: &Strings,
) -> Result<SiteView<'a>, Vec<Diagnostic>> {
    let config = &site.config;
    Ok(SiteView {
        title: &lang.title,
        description: &lang.description,
        base_url: &config.base_url,
        base_path: base_path.to_owned(),
        language: &lang.code,
        lang,
        languages: config.languages(),
        home_url: url_for(base_path, &lang.home()),
        publisher: config.publisher.as_deref(),
        menu: menu(site, lang, base_path, strings)?,
        feedback: FeedbackView {
            enabled: config.feedback.enabled,
            endpoint: &config.feedback.endpoint,
        },
        conditions_url: url_for(base_path, &lang.conditions_path()),
        search_url: url_for(base_path, &lang.search_path()),
        condition_count: site
            .conditions
            .iter()
            .filter(|c| c.lang == lang.code)
            .count(),
        sitemap_url: permalink(&config.base_url, "/sitemap.xml"),
        feed_url: (config.feed.entries > 0).then(|| url_for(base_path, &lang.feed_path())),
        generator: concat!("medsite ", env!("CARGO_PKG_VERSION")),
    })
}

fn menu(
    site: &Site,
    lang: &Language,
    base_path: &str,
    strings: &Strings,
) -> Result<Vec<MenuView>, Vec<Diagnostic>> {
    let written: &[MenuItem] = site.config.menu_for(&lang.code);
    let item = |title: &str, path: &str| MenuView {
        title: title.to_owned(),
        url: url_for(base_path, path),
        path: path.to_owned(),
    };
    if written.is_empty() {
        let home = &site.sections[site.home_of(&lang.code)];
        let mut items: Vec<MenuView> = home
            .subsections
            .iter()
            .map(|&s| item(site.sections[s].title(), &site.sections[s].path))
            .collect();
        if site.conditions.iter().any(|c| c.lang == lang.code) {
            let word = strings
                .get(&lang.code, "conditions", None)
                .unwrap_or_else(|e| e);
            items.push(item(&word, &lang.conditions_path()));
        }
        for &p in &home.pages {
            items.push(item(site.pages[p].title(), &site.pages[p].path));
        }
        return Ok(items);
    }
    let mut errors = Vec::new();
    let mut items = Vec::new();
    for entry in written {
        let link = entry.link.trim();
        let (url, path) = if link.starts_with("http://") || link.starts_with("https://") {
            (link.to_owned(), String::new())
        } else if link.ends_with(".md") {
            let target = site
                .by_file
                .get(link.trim_start_matches('/'))
                .map(|&t| site.in_language(t, &lang.code));
            match target {
                Some(t) => (
                    url_for(base_path, site.path_of(t)),
                    site.path_of(t).to_owned(),
                ),
                None => {
                    errors.push(Diagnostic::error("site.toml", format!("the menu links to `{link}`, which is not a page in content/"))
                        .with_help("write the path of a file inside content/, e.g. `medications/_index.md`"));
                    continue;
                }
            }
        } else {
            (url_for(base_path, link), link.to_owned())
        };
        items.push(MenuView {
            title: entry.title.clone(),
            url,
            path,
        });
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_words() {
        let d: Date = "2026-11-01".parse().unwrap();
        let config = crate::config::Config::parse("title = \"T\"\n").unwrap();
        let strings = Strings::load(std::path::Path::new("/nonexistent"), &config).unwrap();
        let v = date_view(Some(d), &strings, "en").unwrap();
        assert_eq!(v.iso, "2026-11-01");
        assert_eq!(v.text, "1 November 2026");
    }
}
