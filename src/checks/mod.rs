//! Health-content checks: what a build cannot see by itself but an editor
//! of patient information must fix.
//!
//! - **required sections** per page kind, with accepted synonyms (`sections`);
//! - **review dates** and **sources** (`review`), including two sources
//!   with the same address;
//! - **accessibility** of the body: alt text, heading levels, link text
//!   (`accessibility`);
//! - **abbreviations** used but never written out (`abbreviations`);
//! - **readability** scores for the page's language (`readability`);
//! - **translations** older than their source, and per language the pages
//!   not yet translated (`translations`);
//! - **external links**, only when asked (`external`).
//!
//! The checks read the [`Site`] and each body's [`PageFacts`], collected by
//! the Markdown step: no body is parsed again. Each finding carries its own
//! severity and a stable id (`review-overdue`); the command decides what to
//! do with them (`build` shows them as warnings, `check` as found,
//! `--strict` raises warnings). [`PageChecker`] runs the cheap checks one
//! page at a time during a build; [`run`] runs everything for
//! `medsite check`. Settings come from `[checks]` in `site.toml`.

mod abbreviations;
mod accessibility;
mod external;
mod readability;
mod report;
mod review;
mod sections;
pub mod translations;

pub use external::LinkEntry;
pub use readability::{Formula, formula_for, syllables_en};
pub use report::{CheckReport, ReadabilityEntry, ReviewEntry, ReviewStatus};

use crate::content::front_matter::{Date, PageKind};
use crate::content::{Bodies, Body, Page, Site};
use crate::diagnostics::{Diagnostic, Excerpt};
use crate::markdown::PageFacts;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How [`run`] runs.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Check links to other sites too (needs the network).
    pub external: bool,
    /// The date review dates are compared with.
    pub today: Date,
    /// Where external link results are cached between runs (JSON).
    pub cache_file: Option<PathBuf>,
}

impl Default for CheckOptions {
    /// No external links, today from the system clock, no cache.
    fn default() -> Self {
        CheckOptions {
            external: false,
            today: today(),
            cache_file: None,
        }
    }
}

/// Today's date in the system's time zone.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// What the checks read: the site, its bodies and the facts of every page
/// and section (in the site's order), with the prose collected.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub site: &'a Site,
    pub bodies: &'a Bodies,
    pub pages: &'a [PageFacts],
    pub sections: &'a [PageFacts],
}

/// A body and where it starts in its file, for pointing at body offsets.
pub(crate) struct BodyAt<'a> {
    pub file: &'a Path,
    excerpt: Excerpt<'a>,
}

impl<'a> BodyAt<'a> {
    pub fn new(file: &'a Path, body: &'a Body) -> Self {
        BodyAt {
            file,
            excerpt: Excerpt::new(&body.text, body.line),
        }
    }

    /// Points `d` at a byte offset of the body.
    pub fn at(&self, d: Diagnostic, offset: usize) -> Diagnostic {
        self.excerpt.at(d, offset)
    }

    /// 1-based line of the file for a body offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.excerpt.line_col(offset).0
    }
}

/// The cheap checks (no network, no readability): required sections,
/// review dates, sources and accessibility, one page or section at a time,
/// while its body and facts are at hand.
pub struct PageChecker<'a> {
    site: &'a Site,
    today: Date,
    /// Per language code: the required sections of medication pages and of articles.
    rules: HashMap<String, (sections::Prepared, sections::Prepared)>,
}

impl<'a> PageChecker<'a> {
    /// Checks against today's date.
    pub fn new(site: &'a Site) -> Self {
        PageChecker::at(site, today())
    }

    fn at(site: &'a Site, today: Date) -> Self {
        let rules = site
            .config
            .languages()
            .iter()
            .map(|l| {
                let r = site.config.required_sections(&l.code);
                (
                    l.code.clone(),
                    (
                        sections::prepare(r.medication),
                        sections::prepare(r.article),
                    ),
                )
            })
            .collect();
        PageChecker { site, today, rules }
    }

    /// The findings on page `i`.
    pub fn page(&self, i: usize, body: &Body, facts: &PageFacts) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        self.page_into(i, body, facts, &mut out);
        out
    }

    fn page_into(
        &self,
        i: usize,
        body: &Body,
        facts: &PageFacts,
        out: &mut Vec<Diagnostic>,
    ) -> ReviewEntry {
        let p = &self.site.pages[i];
        let cfg = &self.site.config.checks;
        let file = p.display();
        let at = BodyAt::new(&file, body);
        if let Some((medication, article)) = self.rules.get(&p.lang) {
            let rules = match p.kind {
                PageKind::Medication => medication,
                PageKind::Article => article,
            };
            sections::check(p, &at, facts, &drug_words(p), rules, out);
        }
        let review = review::check_dates(p, self.today, &cfg.review, out);
        review::check_sources(p, out);
        translations::check(self.site, p, out);
        accessibility::check(&at, facts, &cfg.vague_link_texts, out);
        review
    }

    /// The findings on section `i` (or the home page).
    pub fn section(&self, i: usize, body: &Body, facts: &PageFacts) -> Vec<Diagnostic> {
        let s = &self.site.sections[i];
        let mut out = Vec::new();
        if s.has_file {
            let at = BodyAt::new(&s.display, body);
            accessibility::check(
                &at,
                facts,
                &self.site.config.checks.vague_link_texts,
                &mut out,
            );
        }
        out
    }
}

/// Every check, external links too when `opts.external`. The report holds
/// the findings only; the command adds what loading and rendering found
/// ([`CheckReport::finish`]).
pub fn run(input: &Input, opts: &CheckOptions) -> CheckReport {
    let site = input.site;
    let cfg = &site.config.checks;
    let checker = PageChecker::at(site, opts.today);
    let pages: Vec<(Vec<Diagnostic>, ReviewEntry, ReadabilityEntry)> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let p = &site.pages[i];
            let (body, facts) = (&input.bodies.pages[i], &input.pages[i]);
            let mut out = Vec::new();
            let review = checker.page_into(i, body, facts, &mut out);
            let file = p.display();
            let at = BodyAt::new(&file, body);
            abbreviations::check(&at, facts, &cfg.abbreviations, &mut out);
            let lang = &p.lang;
            let readability = readability::check(
                p,
                &at,
                facts,
                &drug_words(p),
                lang,
                &cfg.readability,
                &mut out,
            );
            (out, review, readability)
        })
        .collect();
    let mut report = CheckReport {
        diagnostics: Vec::new(),
        reviews: Vec::new(),
        readability: Vec::new(),
        links: Vec::new(),
        pages: site.pages.len(),
        coverage: translations::coverage(site),
    };
    for (ds, review, readability) in pages {
        report.diagnostics.extend(ds);
        report.reviews.push(review);
        report.readability.push(readability);
    }
    for (i, facts) in input.sections.iter().enumerate() {
        report
            .diagnostics
            .extend(checker.section(i, &input.bodies.sections[i], facts));
    }
    report.reviews.sort_by(|a, b| {
        (a.next_review.is_none(), &a.next_review, &a.file).cmp(&(
            b.next_review.is_none(),
            &b.next_review,
            &b.file,
        ))
    });
    if opts.external {
        let (ds, links) = external::check(input, &cfg.external, opts);
        report.diagnostics.extend(ds);
        report.links = links;
    }
    report
}

/// Lowercase words of the page's drug names (generic name, brand names and,
/// on medication pages, the title), which readability counts as short
/// words and required-section headings may contain ("What Ilaris is").
fn drug_words(p: &Page) -> HashSet<String> {
    let mut names: Vec<&str> = Vec::new();
    if p.kind == PageKind::Medication {
        names.push(p.title());
    }
    names.extend(p.meta.generic_name());
    names.extend(p.meta.brand_names().iter().map(String::as_str));
    names
        .iter()
        .flat_map(|n| n.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')))
        .map(readability::drug_key)
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}
