//! Review dates and sources: a page past its `next_review` is an error, one
//! due soon a warning; `last_reviewed` may not be in the future, and the
//! two dates may not be too far apart. A medication page needs at least one
//! source, sources should link with https, and two sources of one page
//! never share one address. Every finding points at the value it is about.

use super::{ReviewEntry, ReviewStatus};
use crate::config::checks::ReviewConfig;
use crate::content::Page;
use crate::content::front_matter::{Date, PageKind};
use crate::content::spanned::{Pos, Spanned};
use crate::diagnostics::Diagnostic;
use std::collections::HashMap;

/// Points `d` at the value at `pos`, or at the end of the front matter.
fn at<T>(p: &Page, d: Diagnostic, value: &Option<Spanned<T>>) -> Diagnostic {
    match value {
        Some(v) => p.front.at(d, v.pos),
        None => p.front.at_end(d),
    }
}

/// Checks the review dates of `p` against `today`; returns its line of the
/// review summary.
pub fn check_dates(
    p: &Page,
    today: Date,
    cfg: &ReviewConfig,
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
    let file_path = &p.display();
    if let (Some(n), Some(d)) = (next, days_left) {
        match status {
            ReviewStatus::Overdue => out.push(
                at(
                    p,
                    Diagnostic::error(
                        file_path,
                        format!(
                            "the review of this page was due on {n}, {} ago",
                            plural_days(-d)
                        ),
                    ),
                    &p.meta.next_review,
                )
                .with_help(
                    "check the page against its sources, then set `last_reviewed` to the day of the review and `next_review` to the next one",
                )
                .with_id("review-overdue"),
            ),
            ReviewStatus::DueSoon => out.push(
                at(
                    p,
                    Diagnostic::warning(
                        file_path,
                        if d == 0 {
                            format!("the review of this page is due today ({n})")
                        } else {
                            format!("the review of this page is due on {n}, in {}", plural_days(d))
                        },
                    ),
                    &p.meta.next_review,
                )
                .with_help(
                    "plan the review; when it is done, update `last_reviewed` and `next_review`",
                )
                .with_id("review-due-soon"),
            ),
            _ => {}
        }
    }
    if let Some(l) = last
        && l > today
    {
        out.push(
            at(
                p,
                Diagnostic::error(
                    file_path,
                    format!("`last_reviewed` is in the future ({l}; today is {today})"),
                ),
                &p.meta.last_reviewed,
            )
            .with_help("write the day the page was actually reviewed: today or earlier")
            .with_id("review-in-future"),
        );
    }
    if let (Some(l), Some(n)) = (last, next) {
        if n <= l {
            out.push(
                at(
                    p,
                    Diagnostic::error(
                        file_path,
                        format!("`next_review` ({n}) is not after `last_reviewed` ({l})"),
                    ),
                    &p.meta.next_review,
                )
                .with_help("the next review comes after the last one; check both dates")
                .with_id("review-order"),
            );
        } else if let Some(limit) = jiff::Span::new()
            .try_months(max_months)
            .ok()
            .and_then(|m| l.checked_add(m).ok())
            && n > limit
        {
            out.push(
                at(
                    p,
                    Diagnostic::warning(
                        file_path,
                        format!(
                            "`next_review` is more than {} after `last_reviewed` ({l} → {n})",
                            months(max_months)
                        ),
                    ),
                    &p.meta.next_review,
                )
                .with_help(format!(
                    "review the page at least every {}: set `next_review` to {limit} or earlier",
                    months(max_months)
                ))
                .with_id("review-interval"),
            );
        }
    }
    ReviewEntry {
        file: p.display().to_path_buf(),
        title: p.title().to_owned(),
        path: p.path.clone(),
        last_reviewed: last.map(|d| d.to_string()),
        next_review: next.map(|d| d.to_string()),
        days_left,
        status,
    }
}

/// A medication page needs a source; every source URL should be https,
/// and no two sources of the page share one URL.
pub fn check_sources(p: &Page, out: &mut Vec<Diagnostic>) {
    let sources = p.meta.sources.as_deref().map_or(&[][..], Vec::as_slice);
    if p.kind == PageKind::Medication && sources.is_empty() {
        out.push(
            at(p, Diagnostic::error(p.display(), "a medication page needs at least one source"), &p.meta.sources)
                .with_help(
                    "list what the page is based on under `sources:`, e.g. `- title: Ilaris, summary of product characteristics (EMA)` with `url: https://...` on the next line",
                )
                .with_id("source-missing"),
        );
    }
    let mut seen: HashMap<String, &str> = HashMap::new();
    for s in sources {
        let title = s.title.trim();
        let Some(url) = &s.url else {
            continue;
        };
        let pos: Pos = url.pos;
        let url = url.trim();
        if url.is_empty() {
            out.push(
                p.front
                    .at(
                        Diagnostic::warning(
                            p.display(),
                            format!("the source \"{title}\" has an empty `url`"),
                        ),
                        pos,
                    )
                    .with_help("write the source's address, or leave `url` out")
                    .with_id("source-url-empty"),
            );
            continue;
        }
        let key = url.trim_end_matches('/').to_ascii_lowercase();
        if let Some(first) = seen.get(&key) {
            out.push(
                p.front
                    .at(
                        Diagnostic::warning(
                            p.display(),
                            format!("the sources \"{first}\" and \"{title}\" have the same address `{url}`"),
                        ),
                        pos,
                    )
                    .with_help("link each source to its own document: the SmPC, the package leaflet or the page it names")
                    .with_id("source-duplicate-url"),
            );
        } else {
            seen.insert(key, title);
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
                p.front
                    .at(
                        Diagnostic::warning(
                            p.display(),
                            format!("the source \"{title}\" does not link with https: `{url}`"),
                        ),
                        pos,
                    )
                    .with_help(help)
                    .with_id("source-not-https"),
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
