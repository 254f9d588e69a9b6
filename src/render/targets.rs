//! The render targets: one small type per kind of file medsite writes from
//! a template (page, section or home, conditions list, 404, sitemap,
//! robots). Each knows its template, its path and its context; the
//! template of each kind of page is named here, those of listing parts
//! (condition pages, later parts of long sections) in [`listing`]. Adding
//! a target is adding one type here (or in a file of its own beside this
//! one, as the Atom feed in `feed.rs`, the search page in
//! `search_page.rs` and the sitemap in `sitemap.rs`).

use super::listing::Listings;
use super::listing_page;
use super::views::{ConditionLink, Crumb, Link, PageView, SourceView};
use super::views::{StaleView, date_view, permalink};
use super::{Output, Renderer, jsonld};
use crate::config::Language;
use crate::content::front_matter::PageKind;
use crate::content::spanned::text;
use crate::content::translations::Staleness;
use crate::content::{Page, Section, Site, Target};
use crate::markdown::Rendered;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use tera::Context;

/// Characters kept as they are in a `mailto:` subject or body.
const MAILTO: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The template of a page of this kind.
pub fn page_template(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Medication => "medication.html",
        PageKind::Article => "article.html",
    }
}

/// The template of a section (the home page has its own).
pub fn section_template(section: &Section) -> &'static str {
    if section.is_home() {
        "home.html"
    } else {
        "section.html"
    }
}

/// A medication or article page, with its rendered body.
pub struct PageOutput<'a> {
    /// The page's index in the site.
    pub index: usize,
    pub page: &'a Page,
    pub md: &'a Rendered,
}

impl Output for PageOutput<'_> {
    fn template(&self) -> &'static str {
        page_template(self.page.kind)
    }
    fn file(&self) -> &str {
        &self.page.out
    }
    fn context(&self, r: &Renderer) -> Context {
        let p = self.page;
        let m = &p.meta;
        let lang = p.lang.as_str();
        let strings = r.strings;
        let permalink = permalink(&r.config.base_url, &p.path);
        let sources = m
            .sources
            .iter()
            .flatten()
            .map(|s| SourceView {
                title: s.title.value.clone(),
                url: s.url.as_ref().map(|u| u.value.clone()),
                publisher: s.publisher.clone(),
                accessed: s.accessed.as_ref().map(|a| a.as_text()),
            })
            .collect();
        let conditions = p
            .conditions
            .iter()
            .map(|&c| {
                let c = &r.site.conditions[c];
                ConditionLink {
                    name: c.name.clone(),
                    url: r.url(&c.path),
                }
            })
            .collect();
        let mailto = |s: &str| utf8_percent_encode(s, MAILTO).to_string();
        let view = PageView {
            title: p.title(),
            kind: p.kind,
            file: &p.rel,
            path: &p.path,
            url: r.url(&p.path),
            permalink: permalink.clone(),
            summary: m.summary(),
            content: &self.md.html,
            toc: &self.md.toc,
            word_count: self.md.word_count,
            reading_minutes: self.md.word_count.div_ceil(200).max(1),
            lang,
            draft: m.draft,
            weight: m.weight,
            generic_name: m.generic_name(),
            brand_names: m.brand_names(),
            atc_code: text(&m.atc_code),
            drug_class: text(&m.drug_class),
            forms: m.forms(),
            conditions,
            last_reviewed: date_view(p.dates.last_reviewed, strings, lang),
            next_review: date_view(p.dates.next_review, strings, lang),
            stale: match r.site.staleness(p) {
                Some(Staleness::Stale {
                    source,
                    source_reviewed,
                    ..
                }) => {
                    let src = &r.site.pages[source];
                    Some(StaleView {
                        language: r
                            .config
                            .language(&src.lang)
                            .map_or(src.lang.clone(), |l| l.name.clone()),
                        lang: src.lang.clone(),
                        date: strings.date(lang, source_reviewed),
                        iso: source_reviewed.to_string(),
                        url: r.url(&src.path),
                    })
                }
                _ => None,
            },
            reviewed_by: text(&m.reviewed_by),
            sources,
            related: p.related.iter().map(|&i| r.summary(i)).collect(),
            extra: &m.extra,
            share_mailto: format!(
                "mailto:?subject={}&body={}",
                mailto(p.title()),
                mailto(&format!("{}: {permalink}", p.title()))
            ),
            jsonld: jsonld::for_page(p, &permalink, lang, r.config.publisher.as_deref()),
        };
        let section = &r.site.sections[p.section];
        let mut crumbs = r.crumbs_for_section(p.section);
        crumbs.push(Crumb {
            title: p.title().to_owned(),
            url: r.url(&p.path),
        });
        let versions = r.site.language_versions(Target::Page(self.index));
        let mut ctx = r.base_context(lang, &p.path, m.summary(), crumbs, &versions);
        ctx.insert("page", &view);
        ctx.insert(
            "section",
            &Link {
                title: section.title().to_owned(),
                url: r.url(&section.path),
            },
        );
        ctx
    }
}

/// A section's page (or the home page), with its rendered body.
pub struct SectionOutput<'a> {
    pub index: usize,
    pub section: &'a Section,
    pub md: &'a Rendered,
}

impl Output for SectionOutput<'_> {
    fn template(&self) -> &'static str {
        section_template(self.section)
    }
    fn file(&self) -> &str {
        &self.section.out
    }
    fn context(&self, r: &Renderer) -> Context {
        listing_page::section_context(r, self.index, Some(self.md), 1)
    }
}

/// Home › Conditions, in `lang`.
pub(super) fn conditions_crumbs(r: &Renderer, lang: &Language) -> Vec<Crumb> {
    vec![
        Crumb {
            title: r.word(&lang.code, "home"),
            url: r.url(&lang.home()),
        },
        Crumb {
            title: r.word(&lang.code, "conditions"),
            url: r.url(&lang.conditions_path()),
        },
    ]
}

/// Each language's conditions list: (language code, site path).
pub(super) fn conditions_lists(r: &Renderer) -> Vec<(String, String)> {
    r.config
        .languages()
        .iter()
        .map(|l| (l.code.clone(), l.conditions_path()))
        .collect()
}

/// The language `code` of the site (the default one if it has no such).
pub(super) fn language<'a>(r: &'a Renderer, code: &str) -> &'a Language {
    r.config
        .language(code)
        .unwrap_or(r.config.default_language())
}

/// The list of all conditions of one language.
pub struct ConditionsOutput<'a> {
    pub lang: &'a Language,
    /// `conditions/index.html`, `nb/tilstander/index.html`.
    pub out: String,
}

impl<'a> ConditionsOutput<'a> {
    pub fn new(lang: &'a Language) -> Self {
        ConditionsOutput {
            lang,
            out: format!("{}index.html", &lang.conditions_path()[1..]),
        }
    }
}

impl Output for ConditionsOutput<'_> {
    fn template(&self) -> &'static str {
        "conditions.html"
    }
    fn file(&self) -> &str {
        &self.out
    }
    fn context(&self, r: &Renderer) -> Context {
        let lang = self.lang;
        let paths = conditions_lists(r);
        let versions: Vec<(&str, &str)> = paths
            .iter()
            .map(|(c, p)| (c.as_str(), p.as_str()))
            .collect();
        let mut ctx = r.base_context(
            &lang.code,
            &lang.conditions_path(),
            &r.word(&lang.code, "conditions-description"),
            conditions_crumbs(r, lang),
            &versions,
        );
        let list: Vec<serde_json::Value> = r
            .site
            .conditions
            .iter()
            .filter(|c| c.lang == lang.code)
            .map(|c| serde_json::json!({"name": c.name, "slug": c.slug, "url": r.url(&c.path), "count": c.pages.len()}))
            .collect();
        ctx.insert("conditions", &list);
        ctx
    }
}

/// The page a static host shows for an unknown address, in one language
/// (`404.html`, `nb/404.html`).
pub struct NotFoundOutput<'a> {
    pub lang: &'a Language,
    pub out: String,
}

impl<'a> NotFoundOutput<'a> {
    pub fn new(lang: &'a Language) -> Self {
        NotFoundOutput {
            lang,
            out: format!("{}404.html", &lang.home()[1..]),
        }
    }
}

impl Output for NotFoundOutput<'_> {
    fn template(&self) -> &'static str {
        "404.html"
    }
    fn file(&self) -> &str {
        &self.out
    }
    fn context(&self, r: &Renderer) -> Context {
        let code = &self.lang.code;
        let mut ctx = r.base_context(code, "", &r.word(code, "not-found-title"), Vec::new(), &[]);
        ctx.insert("canonical", "");
        ctx
    }
}

/// `robots.txt`.
pub struct RobotsOutput;

impl Output for RobotsOutput {
    fn template(&self) -> &'static str {
        "robots.txt"
    }
    fn file(&self) -> &str {
        "robots.txt"
    }
    fn context(&self, _: &Renderer) -> Context {
        Context::new()
    }
}

/// Every output without a body of its own: condition pages and the later
/// parts of long section listings, each language's conditions list,
/// search page, 404 and Atom feed, the sitemap and robots.
pub fn listings<'a>(site: &'a Site, parts: &Listings) -> Vec<Box<dyn Output + 'a>> {
    let mut outputs = listing_page::outputs(site, parts);
    for lang in site.config.languages() {
        outputs.push(Box::new(ConditionsOutput::new(lang)));
        outputs.push(Box::new(NotFoundOutput::new(lang)));
        outputs.push(Box::new(super::search_page::SearchOutput::new(lang)));
        if site.config.feed.entries > 0 {
            outputs.push(Box::new(super::feed::FeedOutput::new(lang)));
        }
    }
    outputs.push(Box::new(super::sitemap::SitemapOutput));
    outputs.push(Box::new(RobotsOutput));
    outputs
}
