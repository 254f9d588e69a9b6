//! The report of `medsite check`: the findings and the load and render
//! problems, the review dates of every page, readability scores and the
//! external links checked; printed for people ([`CheckReport::human`]) or
//! serialized to JSON. Not for running checks.

use super::external::LinkEntry;
use crate::diagnostics::{Diagnostic, Diagnostics};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// Per language other than the default: translated, stale and missing
    /// pages (empty for a site in one language).
    pub coverage: Vec<super::translations::Coverage>,
}

impl CheckReport {
    /// Adds the problems loading and rendering found, and applies the
    /// command's policy once: findings keep the severity their check gave
    /// them, `strict` raises every warning to an error. The same problem
    /// found twice is listed once.
    pub fn finish(&mut self, problems: Diagnostics, strict: bool) {
        let mut all = Diagnostics(std::mem::take(&mut self.diagnostics));
        all.extend(problems.0);
        if strict {
            all.raise_warnings();
        }
        all.dedupe();
        all.0
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        self.diagnostics = all.0;
    }

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

        if !self.coverage.is_empty() {
            s.push_str("Translations:\n");
            for c in &self.coverage {
                s.push_str(&format!(
                    "  {:<6} {} of {} pages translated, {} out of date\n",
                    c.lang, c.translated, c.pages, c.stale
                ));
                for m in &c.missing {
                    s.push_str(&format!("         not translated: {}\n", m.display()));
                }
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
