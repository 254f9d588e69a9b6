//! Health-content checks: the things a build cannot see by itself but an
//! editor of patient information must fix.
//!
//! - **required sections** per page kind, with accepted synonyms (`sections.rs`);
//! - **review dates** and **sources** in the front matter (`review.rs`);
//! - **accessibility** of the body: alt text, heading levels, link text
//!   (`accessibility.rs`);
//! - **readability** scores for the page's language (`readability.rs`);
//! - **external links**, only when asked (`external.rs`).
//!
//! Each body is parsed once (`body.rs`) and the checks read that scan.
//!
//! [`cheap`] runs everything but external links and is fast enough for every
//! build; [`run`] runs everything for `medsite check` and returns a
//! [`CheckReport`] that prints for people ([`CheckReport::human`]) or
//! serializes to JSON. All checks read the loaded [`Site`]; the source files
//! are only read again to point a diagnostic at a front matter line.
//! Settings come from `[checks]` in `site.toml` ([`ChecksConfig`]).

mod accessibility;
pub mod body;
mod external;
mod readability;
mod review;
mod sections;

pub use external::LinkEntry;
pub use readability::{Formula, formula_for, syllables_en};

use crate::content::front_matter::{Date, PageKind};
use crate::content::{Page, Site};
use crate::diagnostics::{Diagnostic, Severity, line_col, source_line};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

/// `[checks]` in `site.toml`. Every key has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksConfig {
    /// `[checks.required_sections]`: headings each kind of page must have.
    #[serde(default)]
    pub required_sections: RequiredSections,
    /// `[checks.review]`: thresholds for review dates.
    #[serde(default)]
    pub review: ReviewConfig,
    /// `[checks.readability]`: thresholds for the readability scores.
    #[serde(default)]
    pub readability: ReadabilityConfig,
    /// Link texts that say nothing about where the link goes ("click here").
    /// Compared without case and punctuation with the whole link text.
    #[serde(default = "default_vague_link_texts")]
    pub vague_link_texts: Vec<String>,
    /// `[checks.external]`: how external links are checked (`medsite check --external`).
    #[serde(default)]
    pub external: ExternalConfig,
}

impl Default for ChecksConfig {
    fn default() -> Self {
        ChecksConfig {
            required_sections: RequiredSections::default(),
            review: ReviewConfig::default(),
            readability: ReadabilityConfig::default(),
            vague_link_texts: default_vague_link_texts(),
            external: ExternalConfig::default(),
        }
    }
}

/// `[checks.required_sections]`: for each kind of page, the sections it
/// must have. Each section is a list of accepted headings (the first is
/// the one suggested), or a single heading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredSections {
    #[serde(default = "default_medication_sections")]
    pub medication: Vec<SectionRule>,
    #[serde(default)]
    pub article: Vec<SectionRule>,
}

impl Default for RequiredSections {
    fn default() -> Self {
        RequiredSections {
            medication: default_medication_sections(),
            article: Vec::new(),
        }
    }
}

impl RequiredSections {
    /// The rules for one kind of page.
    pub fn for_kind(&self, kind: PageKind) -> &[SectionRule] {
        match kind {
            PageKind::Medication => &self.medication,
            PageKind::Article => &self.article,
        }
    }
}

/// One required section: the headings that count as it. Written in
/// `site.toml` as a list (`["Dosage", "Dose"]`) or a single string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRule(pub Vec<String>);

impl SectionRule {
    pub fn new(names: &[&str]) -> Self {
        SectionRule(names.iter().map(|s| (*s).to_owned()).collect())
    }

    /// The accepted headings, without empty ones.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|s| s.trim()).filter(|s| !s.is_empty())
    }
}

impl Serialize for SectionRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SectionRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SectionRule;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a heading, or a list of headings that count as the same section")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SectionRule, E> {
                Ok(SectionRule(vec![v.to_owned()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<SectionRule, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<String>()? {
                    names.push(n);
                }
                Ok(SectionRule(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// The standard sections of a medication page, with their synonyms.
pub fn default_medication_sections() -> Vec<SectionRule> {
    vec![
        SectionRule::new(&[
            "What it is and what it is used for",
            "What it is used for",
            "What is it used for",
            "What it is",
        ]),
        SectionRule::new(&[
            "Before starting treatment",
            "Before start of treatment",
            "Before you start",
            "Before you start treatment",
            "Before treatment",
            "Before you take it",
            "What you need to know before you take it",
        ]),
        SectionRule::new(&[
            "Pregnancy and breast-feeding",
            "Pregnancy and breastfeeding",
            "Pregnancy and lactation",
            "Pregnancy, breast-feeding and fertility",
            "Fertility, pregnancy and breast-feeding",
        ]),
        SectionRule::new(&[
            "Dosage",
            "Dose",
            "Doses",
            "How to take it",
            "How to use it",
            "How it is given",
            "Dosage and administration",
        ]),
        SectionRule::new(&["Side effects", "Possible side effects", "Adverse effects"]),
        SectionRule::new(&[
            "Checks and follow-up",
            "Monitoring",
            "Follow-up",
            "Checks",
            "Tests and follow-up",
            "Checks and monitoring",
        ]),
    ]
}

fn default_vague_link_texts() -> Vec<String> {
    [
        // English
        "click here",
        "here",
        "read more",
        "link",
        "this link",
        "more",
        "click",
        // Norwegian, Swedish, Danish
        "klikk her",
        "her",
        "les mer",
        "klicka här",
        "här",
        "läs mer",
        "klik her",
        "læs mere",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// `[checks.review]`: when review dates need attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// `next_review` within this many days is a warning (in the past: an error).
    #[serde(default = "default_due_soon_days")]
    pub due_soon_days: i64,
    /// More than this many months from `last_reviewed` to `next_review` is a warning.
    #[serde(default = "default_max_interval_months")]
    pub max_interval_months: i64,
}

fn default_due_soon_days() -> i64 {
    30
}
fn default_max_interval_months() -> i64 {
    36
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            due_soon_days: default_due_soon_days(),
            max_interval_months: default_max_interval_months(),
        }
    }
}

/// `[checks.readability]`: when a page is too hard to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadabilityConfig {
    /// English: warn when the Flesch reading ease is below this (0–100, higher is easier).
    #[serde(default = "default_min_flesch")]
    pub min_flesch: f64,
    /// English: warn when the Flesch–Kincaid grade is above this (off unless set).
    #[serde(default)]
    pub max_grade: Option<f64>,
    /// Norwegian, Swedish, Danish: warn when LIX is above this (lower is easier).
    #[serde(default = "default_max_lix")]
    pub max_lix: f64,
    /// Pages with fewer words are scored but never warned about (the
    /// formulas mean little on very short texts).
    #[serde(default = "default_min_words")]
    pub min_words: usize,
}

fn default_min_flesch() -> f64 {
    50.0
}
fn default_max_lix() -> f64 {
    50.0
}
fn default_min_words() -> usize {
    50
}

impl Default for ReadabilityConfig {
    fn default() -> Self {
        ReadabilityConfig {
            min_flesch: default_min_flesch(),
            max_grade: None,
            max_lix: default_max_lix(),
            min_words: default_min_words(),
        }
    }
}

/// `[checks.external]`: how `medsite check --external` checks links to
/// other sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalConfig {
    /// Seconds before one request gives up.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: f64,
    /// Further attempts after a network error, a timeout, a 5xx or a 429.
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Seconds to wait before the first retry; doubled for each next one.
    #[serde(default = "default_retry_delay_secs")]
    pub retry_delay_secs: f64,
    /// Requests at the same time to one host.
    #[serde(default = "default_per_host")]
    pub per_host: usize,
    /// Requests at the same time in all.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// Results in the cache file younger than this many hours are reused.
    #[serde(default = "default_cache_hours")]
    pub cache_hours: f64,
    /// Links starting with any of these are not checked.
    #[serde(default)]
    pub skip: Vec<String>,
}

fn default_timeout_secs() -> f64 {
    10.0
}
fn default_retries() -> u32 {
    2
}
fn default_retry_delay_secs() -> f64 {
    1.0
}
fn default_per_host() -> usize {
    2
}
fn default_concurrency() -> usize {
    8
}
fn default_cache_hours() -> f64 {
    24.0
}

impl Default for ExternalConfig {
    fn default() -> Self {
        ExternalConfig {
            timeout_secs: default_timeout_secs(),
            retries: default_retries(),
            retry_delay_secs: default_retry_delay_secs(),
            per_host: default_per_host(),
            concurrency: default_concurrency(),
            cache_hours: default_cache_hours(),
            skip: Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------
// Running the checks
// ---------------------------------------------------------------------------

/// How [`run`] runs.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Check links to other sites too (needs the network).
    pub external: bool,
    /// Broken external links are errors instead of warnings.
    pub strict: bool,
    /// The date review dates are compared with.
    pub today: Date,
    /// Where external link results are cached between runs (JSON).
    pub cache_file: Option<PathBuf>,
}

impl Default for CheckOptions {
    /// No external links, not strict, today from the system clock, no cache.
    fn default() -> Self {
        CheckOptions {
            external: false,
            strict: false,
            today: today(),
            cache_file: None,
        }
    }
}

/// Today's date in the system's time zone.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// Where a page stands with its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// `next_review` is in the past.
    Overdue,
    /// `next_review` is within `due_soon_days`.
    DueSoon,
    Ok,
    /// The page has no `next_review`.
    NoDate,
}

/// One line of the review summary.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewEntry {
    pub file: PathBuf,
    pub title: String,
    /// Site path, e.g. `/medications/ilaris/`.
    pub path: String,
    /// ISO dates.
    pub last_reviewed: Option<String>,
    pub next_review: Option<String>,
    /// Days from today to `next_review` (negative when overdue).
    pub days_left: Option<i64>,
    pub status: ReviewStatus,
}

/// The readability scores of one page.
#[derive(Debug, Clone, Serialize)]
pub struct ReadabilityEntry {
    pub file: PathBuf,
    pub title: String,
    /// The page's language.
    pub lang: String,
    pub words: usize,
    pub sentences: usize,
    /// Flesch reading ease (English), rounded to one decimal.
    pub flesch: Option<f64>,
    /// Flesch–Kincaid grade (English), rounded to one decimal.
    pub grade: Option<f64>,
    /// LIX (Norwegian, Swedish, Danish), rounded to one decimal.
    pub lix: Option<f64>,
}

/// Everything [`run`] found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Problems, sorted by file, line and column; includes the problems
    /// found while loading the site.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages by review due date, soonest first; pages without a date last.
    pub reviews: Vec<ReviewEntry>,
    /// Scores per page, in page order.
    pub readability: Vec<ReadabilityEntry>,
    /// External links checked (empty unless `external`), in address order.
    pub links: Vec<LinkEntry>,
    /// Number of pages checked.
    pub pages: usize,
}

/// The fast checks (no network): required sections, review dates, sources,
/// accessibility and readability of every page. For every build: returns
/// only what the checks found (not the site's own load problems). Review
/// dates are compared with today's date.
pub fn cheap(site: &Site) -> Vec<Diagnostic> {
    // Readability scoring is the costly part (a third of a build's time on
    // large sites): `medsite check` runs it, `build` does not.
    local(site, today(), false).diagnostics
}

/// The cheap checks one page at a time, for the renderer: it calls
/// [`PageChecker::page`] while the page's body and the scan it made during
/// its Markdown pass are at hand, so no body is parsed twice.
pub struct PageChecker<'a> {
    site: &'a Site,
    today: Date,
    rules: (sections::Prepared<'a>, sections::Prepared<'a>),
}

impl<'a> PageChecker<'a> {
    pub fn new(site: &'a Site) -> Self {
        let cfg = &site.config.checks;
        PageChecker {
            site,
            today: today(),
            rules: (
                sections::prepare(cfg.required_sections.for_kind(PageKind::Medication)),
                sections::prepare(cfg.required_sections.for_kind(PageKind::Article)),
            ),
        }
    }

    /// What [`cheap`] finds on page `i`, whose Markdown is `body`.
    pub fn page(&self, i: usize, body: &str, scan: &body::Scan) -> Vec<Diagnostic> {
        let p = &self.site.pages[i];
        check_page(
            self.site,
            p,
            self.today,
            &self.rules,
            body,
            Some(scan),
            false,
        )
        .diagnostics
    }

    /// What [`cheap`] finds on the section pages.
    pub fn sections(&self) -> Vec<Diagnostic> {
        section_checks(self.site).into_iter().flatten().collect()
    }
}

fn section_checks(site: &Site) -> Vec<Vec<Diagnostic>> {
    let cfg = &site.config.checks;
    site.sections
        .par_iter()
        .filter(|s| s.has_file)
        .map(|s| {
            let scan = body::scan(&s.body);
            let mut ds = Vec::new();
            let at = BodyAt {
                file: &s.display,
                body: &s.body,
                body_line: s.body_line,
            };
            accessibility::check(&at, &scan, &cfg.vague_link_texts, &mut ds);
            ds
        })
        .collect()
}

/// Every check, external links too when `opts.external`. The report's
/// diagnostics include the site's load problems (`site.diagnostics`), so
/// that it is the complete list for `medsite check`.
pub fn run(site: &Site, opts: &CheckOptions) -> CheckReport {
    let local = local(site, opts.today, true);
    let mut diagnostics = site.diagnostics.clone();
    diagnostics.extend(local.diagnostics);
    let mut links = Vec::new();
    if opts.external {
        let (ds, ls) = external::check(site, &site.config.checks.external, opts);
        diagnostics.extend(ds);
        links = ls;
    }
    sort(&mut diagnostics);
    CheckReport {
        diagnostics,
        reviews: local.reviews,
        readability: local.readability,
        links,
        pages: site.pages.len(),
    }
}

struct Local {
    diagnostics: Vec<Diagnostic>,
    reviews: Vec<ReviewEntry>,
    readability: Vec<ReadabilityEntry>,
}

#[derive(Default)]
struct PageOutcome {
    diagnostics: Vec<Diagnostic>,
    review: Option<ReviewEntry>,
    readability: Option<ReadabilityEntry>,
}

fn local(site: &Site, today: Date, with_readability: bool) -> Local {
    let cfg = &site.config.checks;
    let rules = (
        sections::prepare(cfg.required_sections.for_kind(PageKind::Medication)),
        sections::prepare(cfg.required_sections.for_kind(PageKind::Article)),
    );
    let pages: Vec<PageOutcome> = site
        .pages
        .par_iter()
        .map(|p| check_page(site, p, today, &rules, &p.body, None, with_readability))
        .collect();
    let sections = section_checks(site);
    let mut diagnostics = Vec::new();
    let mut reviews = Vec::new();
    let mut readability = Vec::new();
    for o in pages {
        diagnostics.extend(o.diagnostics);
        reviews.extend(o.review);
        readability.extend(o.readability);
    }
    diagnostics.extend(sections.into_iter().flatten());
    sort(&mut diagnostics);
    reviews.sort_by(|a, b| {
        (a.next_review.is_none(), &a.next_review, &a.file).cmp(&(
            b.next_review.is_none(),
            &b.next_review,
            &b.file,
        ))
    });
    Local {
        diagnostics,
        reviews,
        readability,
    }
}

fn check_page(
    site: &Site,
    p: &Page,
    today: Date,
    rules: &(sections::Prepared, sections::Prepared),
    body_text: &str,
    scanned: Option<&body::Scan>,
    with_readability: bool,
) -> PageOutcome {
    let cfg = &site.config.checks;
    let own;
    let scan = match scanned {
        Some(s) => s,
        None => {
            own = body::scan(body_text);
            &own
        }
    };
    let file = FileText::of_page(p);
    let at = BodyAt {
        file: &p.display,
        body: body_text,
        body_line: p.body_line,
    };
    let drugs = drug_words(p);
    let mut out = PageOutcome::default();
    sections::check(
        p,
        &at,
        scan,
        &drugs,
        match p.kind {
            PageKind::Medication => &rules.0,
            PageKind::Article => &rules.1,
        },
        &mut out.diagnostics,
    );
    out.review = Some(review::check_dates(
        p,
        today,
        &cfg.review,
        &file,
        &mut out.diagnostics,
    ));
    review::check_sources(p, &file, &mut out.diagnostics);
    accessibility::check(&at, scan, &cfg.vague_link_texts, &mut out.diagnostics);
    if !with_readability {
        return out;
    }
    let lang = p
        .meta
        .lang
        .as_deref()
        .unwrap_or(&site.config.language)
        .to_owned();
    out.readability = Some(readability::check(
        p,
        &at,
        scan,
        &drugs,
        &lang,
        &cfg.readability,
        &mut out.diagnostics,
    ));
    out
}

fn sort(ds: &mut [Diagnostic]) {
    ds.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
}

/// Lowercase words of the page's drug names (generic name, brand names and,
/// on medication pages, the title), which readability counts as short
/// words and required-section headings may contain ("What Ilaris is").
fn drug_words(p: &Page) -> HashSet<String> {
    let mut names: Vec<&str> = Vec::new();
    if p.kind == PageKind::Medication {
        names.push(p.title());
    }
    names.extend(p.meta.generic_name.as_deref());
    names.extend(p.meta.brand_names.iter().flatten().map(String::as_str));
    names
        .iter()
        .flat_map(|n| n.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')))
        .map(readability::drug_key)
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

// ---------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------

/// A body and where it starts in its file, for pointing at body offsets.
pub(crate) struct BodyAt<'a> {
    pub file: &'a Path,
    pub body: &'a str,
    pub body_line: usize,
}

impl BodyAt<'_> {
    /// Points `d` at a byte offset of the body.
    pub fn at(&self, mut d: Diagnostic, offset: usize) -> Diagnostic {
        let (line, column) = line_col(self.body, offset);
        d.line = self.body_line + line - 1;
        d.column = column;
        d.snippet = source_line(self.body, line).map(str::to_owned);
        d
    }

    /// 1-based line of the file for a body offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.body_line + line_col(self.body, offset).0 - 1
    }
}

/// A content file's text, read again only when a diagnostic needs to point
/// at a front matter line.
pub(crate) struct FileText {
    path: PathBuf,
    /// First line after the front matter.
    body_line: usize,
    text: OnceLock<Option<String>>,
}

impl FileText {
    /// The page's own front matter, kept by the loader: no file is read.
    fn of_page(p: &Page) -> Self {
        FileText {
            path: p.display.clone(),
            body_line: p.body_line,
            text: OnceLock::from(Some(p.front.clone())),
        }
    }

    #[cfg_attr(not(test), allow(dead_code))]
    fn new(root: &Path, display: &Path, body_line: usize) -> Self {
        FileText {
            path: root.join(display),
            body_line,
            text: OnceLock::new(),
        }
    }

    fn text(&self) -> Option<&str> {
        self.text
            .get_or_init(|| {
                std::fs::read_to_string(&self.path)
                    .ok()
                    .map(|t| t.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(t))
            })
            .as_deref()
    }

    /// The front matter's lines: (1-based line number, text).
    fn front_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        let last = self.body_line.saturating_sub(2);
        self.text()
            .into_iter()
            .flat_map(|t| t.split('\n'))
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
            .skip(1)
            .take(last.saturating_sub(1))
    }

    /// Points `d` at the value of the top-level front matter `key`
    /// (`key: value` or `key = value`); at the end of the front matter when
    /// the key is not written.
    pub fn at_key(&self, d: Diagnostic, key: &str) -> Diagnostic {
        let found = self.front_lines().find_map(|(n, l)| {
            let rest = l.strip_prefix(key)?;
            let trimmed = rest.trim_start();
            let sep = trimmed.strip_prefix(':').or(trimmed.strip_prefix('='))?;
            let value = sep.trim_start();
            let col = if value.is_empty() {
                1
            } else {
                l[..l.len() - value.len()].chars().count() + 1
            };
            Some((n, col))
        });
        match (found, self.text()) {
            (Some((line, col)), Some(text)) => d.at(text, line, col.max(1)),
            (None, Some(text)) => d.at(text, self.body_line.saturating_sub(1).max(1), 0),
            _ => d,
        }
    }

    /// Points `d` at the first front matter line containing `needle` after
    /// the line of `key`; at `key` when it is not found.
    pub fn at_value(&self, d: Diagnostic, key: &str, needle: &str) -> Diagnostic {
        let mut after_key = false;
        let mut found = None;
        for (n, l) in self.front_lines() {
            if l.starts_with(key) {
                after_key = true;
            }
            if after_key && let Some(i) = l.find(needle) {
                found = Some((n, l[..i].chars().count() + 1));
                break;
            }
        }
        match (found, self.text()) {
            (Some((line, col)), Some(text)) => d.at(text, line, col),
            _ => self.at_key(d, key),
        }
    }
}

// ---------------------------------------------------------------------------
// The report for people
// ---------------------------------------------------------------------------

impl CheckReport {
    /// Whether any diagnostic is an error (`medsite check` exits with 1).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The report for the terminal: the problems grouped by file, each with
    /// its line and source line where there is one; then the pages by review
    /// due date, the readability scores, the external links, and a count.
    pub fn human(&self) -> String {
        let mut s = String::new();
        let mut by_file: BTreeMap<&Path, Vec<&Diagnostic>> = BTreeMap::new();
        for d in &self.diagnostics {
            by_file.entry(d.file.as_path()).or_default().push(d);
        }
        for (file, ds) in &by_file {
            let errors = ds.iter().filter(|d| d.is_error()).count();
            let warnings = ds.len() - errors;
            s.push_str(&format!(
                "── {} ({}) ──\n\n",
                file.display(),
                counts(errors, warnings)
            ));
            for d in ds {
                s.push_str(&d.to_string());
                s.push('\n');
            }
        }

        if !self.reviews.is_empty() {
            s.push_str("Review dates, soonest first:\n");
            for r in &self.reviews {
                let when = match (r.status, r.days_left) {
                    (ReviewStatus::Overdue, Some(d)) => format!("overdue by {}", days(-d)),
                    (ReviewStatus::DueSoon, Some(0)) => "due today".to_owned(),
                    (ReviewStatus::DueSoon, Some(d)) => format!("due in {}", days(d)),
                    (ReviewStatus::Ok, Some(d)) => format!("in {}", days(d)),
                    _ => "no review date".to_owned(),
                };
                let mark = match r.status {
                    ReviewStatus::Overdue => "✗",
                    ReviewStatus::DueSoon => "!",
                    ReviewStatus::Ok => " ",
                    ReviewStatus::NoDate => "-",
                };
                s.push_str(&format!(
                    "  {mark} {:<10}  {:<20}  {}  ({})\n",
                    r.next_review.as_deref().unwrap_or("—"),
                    when,
                    r.title,
                    r.file.display()
                ));
            }
            s.push('\n');
        }

        if !self.readability.is_empty() {
            s.push_str("Readability:\n");
            for r in &self.readability {
                let score = match (r.flesch, r.grade, r.lix) {
                    (Some(f), Some(g), _) => format!("Flesch {f:.1}, grade {g:.1}"),
                    (_, _, Some(l)) => format!("LIX {l:.1}"),
                    _ if r.words == 0 => "no text".to_owned(),
                    _ => format!("no formula for language `{}`", r.lang),
                };
                s.push_str(&format!(
                    "  {:<28}  {:>5} words  {}  ({})\n",
                    score,
                    r.words,
                    r.title,
                    r.file.display()
                ));
            }
            s.push('\n');
        }

        if !self.links.is_empty() {
            let broken = self.links.iter().filter(|l| !l.ok).count();
            let cached = self.links.iter().filter(|l| l.cached).count();
            s.push_str(&format!(
                "External links: {} checked, {} broken, {} from the cache.\n\n",
                self.links.len(),
                broken,
                cached
            ));
        }

        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = self.diagnostics.len() - errors;
        let pages = if self.pages == 1 { "page" } else { "pages" };
        if self.diagnostics.is_empty() {
            s.push_str(&format!("No problems found in {} {pages}.\n", self.pages));
        } else {
            s.push_str(&format!(
                "{} in {} {pages}.\n",
                counts(errors, warnings),
                self.pages
            ));
        }
        s
    }
}

fn counts(errors: usize, warnings: usize) -> String {
    format!(
        "{errors} {}, {warnings} {}",
        if errors == 1 { "error" } else { "errors" },
        if warnings == 1 { "warning" } else { "warnings" }
    )
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// A warning, or an error when `strict`.
pub(crate) fn severity(strict: bool) -> Severity {
    if strict {
        Severity::Error
    } else {
        Severity::Warning
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_and_overrides() {
        let c: ChecksConfig = toml::from_str("").unwrap();
        assert_eq!(c, ChecksConfig::default());
        assert_eq!(c.required_sections.medication.len(), 6);
        assert!(c.required_sections.article.is_empty());
        let c: ChecksConfig = toml::from_str(
            "[required_sections]\narticle = [\"Summary\", [\"Sources\", \"References\"]]\n[readability]\nmin_flesch = 60\n[external]\ntimeout_secs = 2\n",
        )
        .unwrap();
        assert_eq!(c.required_sections.medication.len(), 6);
        assert_eq!(
            c.required_sections.article,
            vec![
                SectionRule::new(&["Summary"]),
                SectionRule::new(&["Sources", "References"])
            ]
        );
        assert_eq!(c.readability.min_flesch, 60.0);
        assert_eq!(c.external.timeout_secs, 2.0);
        assert!(toml::from_str::<ChecksConfig>("[review]\ndue_soon = 3\n").is_err());
        assert!(toml::from_str::<ChecksConfig>("[required_sections]\nrecipe = []\n").is_err());
        // Round trip.
        let text = toml::to_string(&c).unwrap();
        assert_eq!(toml::from_str::<ChecksConfig>(&text).unwrap(), c);
    }

    #[test]
    fn file_text_finds_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "---\ntitle: A\nnext_review: 2020-01-01\nsources:\n  - title: X\n    url: http://x.org/\n---\nBody\n",
        )
        .unwrap();
        let f = FileText::new(dir.path(), Path::new("a.md"), 8);
        let d = f.at_key(Diagnostic::error("a.md", "x"), "next_review");
        assert_eq!((d.line, d.column), (3, 14));
        assert_eq!(d.snippet.as_deref(), Some("next_review: 2020-01-01"));
        let d = f.at_value(Diagnostic::error("a.md", "x"), "sources", "http://x.org/");
        assert_eq!((d.line, d.column), (6, 10));
        let d = f.at_key(Diagnostic::error("a.md", "x"), "sources");
        assert_eq!((d.line, d.column), (4, 1));
        let d = f.at_key(Diagnostic::error("a.md", "x"), "last_reviewed");
        assert_eq!((d.line, d.column), (7, 0));
        // A missing file leaves the diagnostic unlocated.
        let f = FileText::new(dir.path(), Path::new("missing.md"), 8);
        let d = f.at_key(Diagnostic::error("a.md", "x"), "title");
        assert_eq!(d.line, 0);
    }
}
