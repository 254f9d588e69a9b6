//! Review dates and sources: a page past its `next_review` is an error, one
//! due soon a warning; `last_reviewed` may not be in the future, and the
//! two dates may not be too far apart. A medication page needs at least one
//! source, and sources should link with https.

use super::{FileText, ReviewConfig, ReviewEntry, ReviewStatus};
use crate::content::Page;
use crate::content::front_matter::{Date, PageKind};
use crate::diagnostics::Diagnostic;

/// Checks the review dates of `p` against `today`; returns its line of the
/// review summary.
pub fn check_dates(
    p: &Page,
    today: Date,
    cfg: &ReviewConfig,
    file: &FileText,
    out: &mut Vec<Diagnostic>,
) -> ReviewEntry {
    let last = p.dates.last_reviewed;
    let next = p.dates.next_review;
    let days_left = next
        .and_then(|n| today.until(n).ok())
        .map(|s| i64::from(s.get_days()));
    let soon = cfg.due_soon_days.max(0);
    let max_months = cfg.max_interval_months.clamp(1, 1200);
    let status = match days_left {
        None => ReviewStatus::NoDate,
        Some(d) if d < 0 => ReviewStatus::Overdue,
        Some(d) if d <= soon => ReviewStatus::DueSoon,
        Some(_) => ReviewStatus::Ok,
    };
    let file_path = p.display.as_path();
    if let (Some(n), Some(d)) = (next, days_left) {
        match status {
            ReviewStatus::Overdue => out.push(
                file.at_key(
                    Diagnostic::error(
                        file_path,
                        format!(
                            "the review of this page was due on {n}, {} ago",
                            plural_days(-d)
                        ),
                    ),
                    "next_review",
                )
                .with_help(
                    "check the page against its sources, then set `last_reviewed` to the day of the review and `next_review` to the next one",
                ),
            ),
            ReviewStatus::DueSoon => out.push(
                file.at_key(
                    Diagnostic::warning(
                        file_path,
                        if d == 0 {
                            format!("the review of this page is due today ({n})")
                        } else {
                            format!("the review of this page is due on {n}, in {}", plural_days(d))
                        },
                    ),
                    "next_review",
                )
                .with_help(
                    "plan the review; when it is done, update `last_reviewed` and `next_review`",
                ),
            ),
            _ => {}
        }
    }
    if let Some(l) = last
        && l > today
    {
        out.push(
            file.at_key(
                Diagnostic::error(
                    file_path,
                    format!("`last_reviewed` is in the future ({l}; today is {today})"),
                ),
                "last_reviewed",
            )
            .with_help("write the day the page was actually reviewed: today or earlier"),
        );
    }
    if let (Some(l), Some(n)) = (last, next) {
        if n <= l {
            out.push(
                file.at_key(
                    Diagnostic::error(
                        file_path,
                        format!("`next_review` ({n}) is not after `last_reviewed` ({l})"),
                    ),
                    "next_review",
                )
                .with_help("the next review comes after the last one; check both dates"),
            );
        } else if let Some(limit) = jiff::Span::new()
            .try_months(max_months)
            .ok()
            .and_then(|m| l.checked_add(m).ok())
            && n > limit
        {
            out.push(
                file.at_key(
                    Diagnostic::warning(
                        file_path,
                        format!(
                            "`next_review` is more than {} after `last_reviewed` ({l} → {n})",
                            months(max_months)
                        ),
                    ),
                    "next_review",
                )
                .with_help(format!(
                    "review the page at least every {}: set `next_review` to {limit} or earlier",
                    months(max_months)
                )),
            );
        }
    }
    ReviewEntry {
        file: p.display.clone(),
        title: p.title().to_owned(),
        path: p.path.clone(),
        last_reviewed: last.map(|d| d.to_string()),
        next_review: next.map(|d| d.to_string()),
        days_left,
        status,
    }
}

/// A medication page needs a source; every source URL should be https.
pub fn check_sources(p: &Page, file: &FileText, out: &mut Vec<Diagnostic>) {
    let sources = p.meta.sources.as_deref().unwrap_or_default();
    if p.kind == PageKind::Medication && sources.is_empty() {
        out.push(
            file.at_key(
                Diagnostic::error(&p.display, "a medication page needs at least one source"),
                "sources",
            )
            .with_help(
                "list what the page is based on under `sources:`, e.g. `- title: Ilaris, summary of product characteristics (EMA)` with `url: https://...` on the next line",
            ),
        );
    }
    for s in sources {
        let Some(url) = s.url.as_deref().map(str::trim) else {
            continue;
        };
        if url.is_empty() {
            out.push(
                file.at_key(
                    Diagnostic::warning(
                        &p.display,
                        format!("the source \"{}\" has an empty `url`", s.title.trim()),
                    ),
                    "sources",
                )
                .with_help("write the source's address, or leave `url` out"),
            );
            continue;
        }
        if !url.to_ascii_lowercase().starts_with("https://") {
            let help = if url.to_ascii_lowercase().starts_with("http://") {
                format!(
                    "use the secure address `https://{}` if the site has one",
                    &url["http://".len()..]
                )
            } else {
                "write the full address, starting with `https://`".to_owned()
            };
            out.push(
                file.at_value(
                    Diagnostic::warning(
                        &p.display,
                        format!(
                            "the source \"{}\" does not link with https: `{url}`",
                            s.title.trim()
                        ),
                    ),
                    "sources",
                    url,
                )
                .with_help(help),
            );
        }
    }
}

fn plural_days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

fn months(n: i64) -> String {
    if n % 12 == 0 {
        let y = n / 12;
        if y == 1 {
            "1 year".to_owned()
        } else {
            format!("{y} years")
        }
    } else if n == 1 {
        "1 month".to_owned()
    } else {
        format!("{n} months")
    }
}
