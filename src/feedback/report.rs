//! `medsite feedback report`: what patients said about each page and how
//! often it was read, for editors. Pages that need work (the lowest mean
//! rating among pages with enough ratings) come first. Read from the
//! database, each page given its language ([`PageLanguages`]: from the
//! site's `site.toml`, or guessed from the address), optionally limited to
//! one language, then written as a terminal table, CSV (by the `csv` crate,
//! with fields that a spreadsheet would run as formulas neutralised) or one
//! self-contained HTML file.
//!
//! Not for: writing to the database ([`super::store`]) or anything the
//! service answers over HTTP.

use super::days::day_offset;
use super::store;
use crate::config::Config;
use crate::config::languages::looks_like_code;
use crate::diagnostics::Diagnostic;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Pages with at least this many ratings are ranked by their mean first.
pub const ENOUGH_RATINGS: u64 = 3;
/// How many of the latest comments a report shows per page.
pub const LATEST_COMMENTS: usize = 5;

/// One comment with the day it was given.
#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub day: String,
    pub rating: u8,
    pub text: String,
}

/// How a page shown in an empty language is written in the table and HTML.
const NO_LANGUAGE: &str = "–";

/// The figures of one page.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PageReport {
    /// The site path: `/nb/medications/ilaris/`.
    pub page: String,
    /// The page's language code (`nb`); empty when it is not known.
    pub lang: String,
    pub ratings: u64,
    /// Mean rating, `None` without ratings.
    pub mean: Option<f64>,
    /// Number of ratings of 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
    pub latest_comments: Vec<Comment>,
    pub visits_today: u64,
    pub visits_7_days: u64,
    pub visits_30_days: u64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub generated: String,
    pub since: Option<String>,
    /// The one language the report is limited to, if any.
    pub only_lang: Option<String>,
    pub pages: Vec<PageReport>,
}

/// Where the report takes the pages' languages from.
#[derive(Debug, Clone)]
pub enum PageLanguages {
    /// A site's `site.toml` (`file`): `/nb/…` is in `nb` when the site has
    /// `nb`, every other page in the default language.
    Site { config: Box<Config>, file: PathBuf },
    /// No `site.toml`: the first part of the address when it looks like a
    /// language code and more follows (`/nb/medications/ilaris/`), else none.
    Guess,
}

impl PageLanguages {
    /// Reads `dir/site.toml`; [`PageLanguages::Guess`] when there is none.
    /// A `site.toml` with an error is refused, with the error in its file.
    pub fn load(dir: &Path) -> Result<PageLanguages, Diagnostic> {
        let file = dir.join("site.toml");
        if !file.exists() {
            return Ok(PageLanguages::Guess);
        }
        Config::load(dir)
            .map(|c| PageLanguages::Site {
                config: Box::new(c),
                file: file.clone(),
            })
            .map_err(|mut ds| {
                let mut d = if ds.is_empty() {
                    Diagnostic::error(&file, "site.toml has an error")
                } else {
                    ds.swap_remove(0)
                };
                d.file = file.clone();
                let fix = "fix site.toml, or give the site folder with --site DIR; the report reads it for the pages' languages";
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h}; {fix}").into(),
                    None => fix.into(),
                });
                d
            })
    }

    /// The language of the site path `page`; empty when it is not known.
    pub fn of(&self, page: &str) -> String {
        match self {
            PageLanguages::Site { config, .. } => config.language_of_path(page).code.clone(),
            PageLanguages::Guess => {
                let mut parts = page.trim_start_matches('/').splitn(2, '/');
                let first = parts.next().unwrap_or("");
                let rest = parts.next().unwrap_or("");
                if looks_like_code(first) && !rest.trim_matches('/').is_empty() {
                    first.to_owned()
                } else {
                    String::new()
                }
            }
        }
    }

    /// Checks a language asked for with `--lang`: one of the site's
    /// languages, or (without a site) a language code.
    pub fn check(&self, code: &str) -> Result<(), String> {
        match self {
            PageLanguages::Site { config, file } => {
                if config.language(code).is_some() {
                    return Ok(());
                }
                let codes: Vec<&str> = config.languages().iter().map(|l| l.code.as_str()).collect();
                Err(format!(
                    "--lang `{code}` is not a language of the site: {} has {}; give one of them, or add [languages.{code}] to it",
                    file.display(),
                    codes.join(", ")
                ))
            }
            PageLanguages::Guess if looks_like_code(code) => Ok(()),
            PageLanguages::Guess => Err(format!(
                "--lang `{code}` is not a language code; write it as in the addresses, e.g. --lang nb for /nb/…"
            )),
        }
    }
}

impl Report {
    /// Gives every page its language.
    pub fn set_languages(&mut self, languages: &PageLanguages) {
        for p in &mut self.pages {
            p.lang = languages.of(&p.page);
        }
    }

    /// Keeps only the pages in language `code` (their order stays).
    pub fn keep_language(&mut self, code: &str) {
        self.pages.retain(|p| p.lang == code);
        self.only_lang = Some(code.to_owned());
    }
}

/// What the report is made from: the three queries' rows, the same from
/// SQLite and from PostgreSQL.
#[derive(Debug, Default)]
pub struct Rows {
    /// (page, rating, how many) of ratings since the first day.
    pub ratings: Vec<(String, i64, i64)>,
    /// (page, day, rating, comment) of comments since the first day, the
    /// newest first.
    pub comments: Vec<(String, String, i64, String)>,
    /// (page, visits today, in the last 7 days, in the last 30 days).
    pub visits: Vec<(String, i64, i64, i64)>,
}

/// The first day whose ratings count: `since`, or all.
pub fn first_day(since: Option<&str>) -> &str {
    since.unwrap_or("0000-00-00")
}

/// Reads the report from the database at `db` (a SQLite file or a
/// PostgreSQL address). `since` (YYYY-MM-DD) limits the ratings counted;
/// visits are always today, the last 7 and 30 days.
pub fn read(db: &Path, since: Option<&str>) -> Result<Report, String> {
    let text = db.to_string_lossy();
    let rows = if store::Store::is_postgres(&text) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start: {e}"))?;
        rt.block_on(super::pg::report_rows(&text, since))?
    } else {
        let conn = store::open_read_only(db)?;
        sqlite_rows(&conn, since).map_err(|e| e.to_string())?
    };
    Ok(assemble(rows, since))
}

fn sqlite_rows(conn: &Connection, since: Option<&str>) -> rusqlite::Result<Rows> {
    let since_day = first_day(since);
    let mut rows = Rows::default();
    let mut stmt = conn.prepare(
        "SELECT page, rating, count(*) FROM ratings WHERE day >= ?1 GROUP BY page, rating",
    )?;
    for row in stmt.query_map([since_day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
        rows.ratings.push(row?);
    }
    let mut stmt = conn.prepare(
        "SELECT page, day, rating, comment FROM ratings
         WHERE day >= ?1 AND comment <> '' ORDER BY id DESC",
    )?;
    for row in stmt.query_map([since_day], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })? {
        rows.comments.push(row?);
    }
    let (today, d7, d30) = visit_days();
    let mut stmt = conn.prepare(
        "SELECT page,
                sum(CASE WHEN day = ?1 THEN count ELSE 0 END),
                sum(CASE WHEN day >= ?2 THEN count ELSE 0 END),
                sum(count)
         FROM visits WHERE day >= ?3 AND day <= ?1 GROUP BY page",
    )?;
    for row in stmt.query_map([&today, &d7, &d30], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })? {
        rows.visits.push(row?);
    }
    Ok(rows)
}

/// Today, and the first days of the last 7 and the last 30 days.
pub fn visit_days() -> (String, String, String) {
    (day_offset(0), day_offset(-6), day_offset(-29))
}

fn assemble(rows: Rows, since: Option<&str>) -> Report {
    let mut pages: BTreeMap<String, PageReport> = BTreeMap::new();
    for (page, rating, n) in rows.ratings {
        let p = pages.entry(page.clone()).or_insert_with(|| PageReport {
            page,
            ..Default::default()
        });
        if (1..=5).contains(&rating) {
            p.distribution[(rating - 1) as usize] += n.max(0) as u64;
        }
    }
    for p in pages.values_mut() {
        p.ratings = p.distribution.iter().sum();
        if p.ratings > 0 {
            let total: u64 = p
                .distribution
                .iter()
                .enumerate()
                .map(|(i, n)| (i as u64 + 1) * n)
                .sum();
            p.mean = Some(total as f64 / p.ratings as f64);
        }
    }
    for (page, day, rating, text) in rows.comments {
        if let Some(p) = pages.get_mut(&page)
            && p.latest_comments.len() < LATEST_COMMENTS
        {
            p.latest_comments.push(Comment {
                day,
                rating: rating.clamp(1, 5) as u8,
                text,
            });
        }
    }
    for (page, t, w, m) in rows.visits {
        let p = pages.entry(page.clone()).or_insert_with(|| PageReport {
            page,
            ..Default::default()
        });
        p.visits_today = t.max(0) as u64;
        p.visits_7_days = w.max(0) as u64;
        p.visits_30_days = m.max(0) as u64;
    }
    let mut pages: Vec<PageReport> = pages.into_values().collect();
    pages.sort_by(|a, b| {
        let enough = |p: &PageReport| p.ratings >= ENOUGH_RATINGS;
        enough(b)
            .cmp(&enough(a))
            .then_with(|| match (enough(a), a.mean, b.mean) {
                (true, Some(x), Some(y)) => x.total_cmp(&y),
                _ => b.ratings.cmp(&a.ratings),
            })
            .then_with(|| b.visits_30_days.cmp(&a.visits_30_days))
            .then_with(|| a.page.cmp(&b.page))
    });
    Report {
        generated: day_offset(0),
        since: since.map(str::to_owned),
        only_lang: None,
        pages,
    }
}

fn mean_text(m: Option<f64>) -> String {
    m.map_or("-".to_owned(), |m| format!("{m:.2}"))
}

fn lang_text(p: &PageReport) -> &str {
    if p.lang.is_empty() {
        NO_LANGUAGE
    } else {
        &p.lang
    }
}

/// ` (ratings since …, pages in nb)` for the report's title line.
fn scope(r: &Report) -> String {
    let parts: Vec<String> = [
        r.since.as_ref().map(|d| format!("ratings since {d}")),
        r.only_lang.as_ref().map(|l| format!("pages in {l}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// A plain-text table for the terminal.
pub fn table(r: &Report) -> String {
    let width = r
        .pages
        .iter()
        .map(|p| p.page.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let lw = r
        .pages
        .iter()
        .map(|p| lang_text(p).chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut s = String::new();
    let _ = writeln!(s, "Feedback report, {}{}", r.generated, scope(r));
    let _ = writeln!(
        s,
        "{:width$}  {:lw$}  {:>7}  {:>4}  {:>5} {:>5} {:>5} {:>5} {:>5}  {:>6}  {:>6}  {:>7}",
        "Page", "Lang", "Ratings", "Mean", "1", "2", "3", "4", "5", "Today", "7 days", "30 days"
    );
    for p in &r.pages {
        let d = p.distribution;
        let _ = writeln!(
            s,
            "{:width$}  {:lw$}  {:>7}  {:>4}  {:>5} {:>5} {:>5} {:>5} {:>5}  {:>6}  {:>6}  {:>7}",
            p.page,
            lang_text(p),
            p.ratings,
            mean_text(p.mean),
            d[0],
            d[1],
            d[2],
            d[3],
            d[4],
            p.visits_today,
            p.visits_7_days,
            p.visits_30_days
        );
    }
    if r.pages.is_empty() {
        match &r.only_lang {
            Some(l) => {
                let _ = writeln!(s, "(no ratings or visits of pages in {l})");
            }
            None => s.push_str("(no ratings or visits yet)\n"),
        }
    }
    for p in r.pages.iter().filter(|p| !p.latest_comments.is_empty()) {
        let _ = writeln!(s, "\nLatest comments on {}:", p.page);
        for c in &p.latest_comments {
            let text: String = c
                .text
                .chars()
                .map(|ch| if ch.is_control() { ' ' } else { ch })
                .collect();
            let _ = writeln!(s, "  {} ({}): {}", c.day, c.rating, text);
        }
    }
    s
}

/// Neutralises a field that a spreadsheet would run as a formula: one that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'`
/// in front. Quoting is the CSV writer's business.
fn formula_guard(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// The columns of the CSV report.
const CSV_HEADER: [&str; 13] = [
    "page",
    "lang",
    "ratings",
    "mean",
    "r1",
    "r2",
    "r3",
    "r4",
    "r5",
    "visits_today",
    "visits_7_days",
    "visits_30_days",
    "latest_comments",
];

/// CSV, one line per page; comments joined with " | ".
pub fn csv(r: &Report) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    // Writing into memory does not fail, and every record has the
    // header's length: the results below carry no error to report.
    let _ = w.write_record(CSV_HEADER);
    for p in &r.pages {
        let comments: Vec<String> = p
            .latest_comments
            .iter()
            .map(|c| format!("{} ({}): {}", c.day, c.rating, c.text))
            .collect();
        let d = p.distribution;
        let numbers = [
            p.ratings,
            d[0],
            d[1],
            d[2],
            d[3],
            d[4],
            p.visits_today,
            p.visits_7_days,
            p.visits_30_days,
        ]
        .map(|n| n.to_string());
        let mean = p.mean.map_or(String::new(), |m| format!("{m:.3}"));
        let page = formula_guard(&p.page);
        let comments = comments.join(" | ");
        let comments = formula_guard(&comments);
        let mut record: Vec<&str> = Vec::with_capacity(CSV_HEADER.len());
        record.push(&page);
        record.push(&p.lang);
        record.push(&numbers[0]);
        record.push(&mean);
        record.extend(numbers[1..].iter().map(String::as_str));
        record.push(&comments);
        let _ = w.write_record(&record);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn esc(s: &str) -> String {
    crate::markdown::escape_attr(s)
}

/// One self-contained, accessible HTML file (no scripts, no outside requests).
pub fn html(r: &Report) -> String {
    let mut rows = String::new();
    for p in &r.pages {
        let d = p.distribution;
        let _ = writeln!(
            rows,
            "<tr><th scope=\"row\">{}</th><td class=\"lang\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.page),
            esc(lang_text(p)),
            p.ratings,
            mean_text(p.mean),
            d[0],
            d[1],
            d[2],
            d[3],
            d[4],
            p.visits_today,
            p.visits_7_days,
            p.visits_30_days
        );
    }
    let mut comments = String::new();
    for p in r.pages.iter().filter(|p| !p.latest_comments.is_empty()) {
        let _ = writeln!(comments, "<h3>{}</h3>\n<ul>", esc(&p.page));
        for c in &p.latest_comments {
            let _ = writeln!(
                comments,
                "<li><time datetime=\"{0}\">{0}</time>, rated {1}: {2}</li>",
                esc(&c.day),
                c.rating,
                esc(&c.text).replace('\n', "<br>")
            );
        }
        comments.push_str("</ul>\n");
    }
    if comments.is_empty() {
        comments.push_str("<p>No comments yet.</p>\n");
    }
    let mut since = r
        .since
        .as_ref()
        .map(|d| format!(" Ratings since {}.", esc(d)))
        .unwrap_or_default();
    if let Some(l) = &r.only_lang {
        since.push_str(&format!(" Only pages in {}.", esc(l)));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Feedback report {generated}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1.0625rem;line-height:1.5;color:#1a1a1a;background:#fff;margin:0 auto;max-width:72rem;padding:1rem}}
table{{border-collapse:collapse;width:100%;margin:1rem 0}}
caption{{text-align:left;font-weight:600;padding:.5rem 0}}
th,td{{border:1px solid #767676;padding:.4rem .6rem;text-align:right}}
th[scope=row],thead th:first-child{{text-align:left;word-break:break-all}}
td.lang{{text-align:left}}
thead th{{background:#eef2f5}}
.wrap{{overflow-x:auto}}
h1,h2,h3{{line-height:1.25}}
</style>
</head>
<body>
<main>
<h1>Feedback report</h1>
<p>Made on {generated}.{since} Pages that need work come first: the lowest mean rating among pages with at least {enough} ratings. Visits are counted per day; nothing personal is stored.</p>
<div class="wrap">
<table>
<caption>Ratings and visits per page</caption>
<thead><tr><th scope="col">Page</th><th scope="col">Language</th><th scope="col">Ratings</th><th scope="col">Mean</th><th scope="col">Rated 1</th><th scope="col">Rated 2</th><th scope="col">Rated 3</th><th scope="col">Rated 4</th><th scope="col">Rated 5</th><th scope="col">Visits today</th><th scope="col">Last 7 days</th><th scope="col">Last 30 days</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
</div>
<h2>Latest comments</h2>
{comments}</main>
</body>
</html>
"#,
        generated = esc(&r.generated),
        enough = ENOUGH_RATINGS,
    )
}
