//! `medsite feedback report`: what patients said about each page and how
//! often it was read, for editors. Pages that need work (the lowest mean
//! rating among pages with enough ratings) come first. Read from the
//! database, then written as a terminal table, CSV (by the `csv` crate, with
//! fields that a spreadsheet would run as formulas neutralised) or one
//! self-contained HTML file.
//!
//! Not for: writing to the database ([`super::store`]) or anything the
//! service answers over HTTP.

use super::days::day_offset;
use super::store;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

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

/// The figures of one page.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PageReport {
    pub page: String,
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
    pub pages: Vec<PageReport>,
}

/// Reads the report from the database at `db`. `since` (YYYY-MM-DD) limits
/// the ratings counted; visits are always today, the last 7 and 30 days.
pub fn read(db: &Path, since: Option<&str>) -> Result<Report, String> {
    let conn = store::open_read_only(db)?;
    read_from(&conn, since)
}

fn read_from(conn: &Connection, since: Option<&str>) -> Result<Report, String> {
    let since_day = since.unwrap_or("0000-00-00");
    let mut pages: BTreeMap<String, PageReport> = BTreeMap::new();
    let e = |e: rusqlite::Error| e.to_string();
    {
        let mut stmt = conn
            .prepare(
                "SELECT page, rating, count(*) FROM ratings WHERE day >= ?1 GROUP BY page, rating",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map([since_day], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(e)?;
        for row in rows {
            let (page, rating, n) = row.map_err(e)?;
            let p = pages.entry(page.clone()).or_insert_with(|| PageReport {
                page,
                ..Default::default()
            });
            if (1..=5).contains(&rating) {
                p.distribution[(rating - 1) as usize] += n.max(0) as u64;
            }
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
    {
        let mut stmt = conn
            .prepare(
                "SELECT page, day, rating, comment FROM ratings
                 WHERE day >= ?1 AND comment <> '' ORDER BY id DESC",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map([since_day], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(e)?;
        for row in rows {
            let (page, day, rating, text) = row.map_err(e)?;
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
    }
    {
        let today = day_offset(0);
        let d7 = day_offset(-6);
        let d30 = day_offset(-29);
        let mut stmt = conn
            .prepare(
                "SELECT page,
                        sum(CASE WHEN day = ?1 THEN count ELSE 0 END),
                        sum(CASE WHEN day >= ?2 THEN count ELSE 0 END),
                        sum(count)
                 FROM visits WHERE day >= ?3 AND day <= ?1 GROUP BY page",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map([&today, &d7, &d30], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })
            .map_err(e)?;
        for row in rows {
            let (page, t, w, m) = row.map_err(e)?;
            let p = pages.entry(page.clone()).or_insert_with(|| PageReport {
                page,
                ..Default::default()
            });
            p.visits_today = t.max(0) as u64;
            p.visits_7_days = w.max(0) as u64;
            p.visits_30_days = m.max(0) as u64;
        }
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
    Ok(Report {
        generated: day_offset(0),
        since: since.map(str::to_owned),
        pages,
    })
}

fn mean_text(m: Option<f64>) -> String {
    m.map_or("-".to_owned(), |m| format!("{m:.2}"))
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
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Feedback report, {}{}",
        r.generated,
        r.since
            .as_ref()
            .map(|d| format!(" (ratings since {d})"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        s,
        "{:width$}  {:>7}  {:>4}  {:>5} {:>5} {:>5} {:>5} {:>5}  {:>6}  {:>6}  {:>7}",
        "Page", "Ratings", "Mean", "1", "2", "3", "4", "5", "Today", "7 days", "30 days"
    );
    for p in &r.pages {
        let d = p.distribution;
        let _ = writeln!(
            s,
            "{:width$}  {:>7}  {:>4}  {:>5} {:>5} {:>5} {:>5} {:>5}  {:>6}  {:>6}  {:>7}",
            p.page,
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
        s.push_str("(no ratings or visits yet)\n");
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
const CSV_HEADER: [&str; 12] = [
    "page",
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
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.page),
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
    let since = r
        .since
        .as_ref()
        .map(|d| format!(" Ratings since {}.", esc(d)))
        .unwrap_or_default();
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
<thead><tr><th scope="col">Page</th><th scope="col">Ratings</th><th scope="col">Mean</th><th scope="col">Rated 1</th><th scope="col">Rated 2</th><th scope="col">Rated 3</th><th scope="col">Rated 4</th><th scope="col">Rated 5</th><th scope="col">Visits today</th><th scope="col">Last 7 days</th><th scope="col">Last 30 days</th></tr></thead>
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

#[cfg(test)]
mod tests {
    use super::*;

    fn db_with(
        ratings: &[(&str, u8, &str)],
        visits: &[(&str, i64, u64)],
    ) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.sqlite");
        let conn = store::open(&path).unwrap();
        for (page, rating, comment) in ratings {
            conn.execute(
                "INSERT INTO ratings (page, day, rating, comment) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![page, day_offset(0), rating, comment],
            )
            .unwrap();
        }
        for (page, offset, count) in visits {
            conn.execute(
                "INSERT INTO visits (page, day, count) VALUES (?1, ?2, ?3)",
                rusqlite::params![page, day_offset(*offset), *count as i64],
            )
            .unwrap();
        }
        (dir, path)
    }

    #[test]
    fn figures_and_order() {
        let (_d, path) = db_with(
            &[
                ("/a/", 5, ""),
                ("/a/", 4, ""),
                ("/a/", 5, ""),
                ("/b/", 1, "Too hard <b>"),
                ("/b/", 2, ""),
                ("/b/", 2, ""),
                ("/c/", 1, ""),
            ],
            &[
                ("/a/", 0, 3),
                ("/a/", -3, 4),
                ("/a/", -20, 10),
                ("/a/", -40, 100),
            ],
        );
        let r = read(&path, None).unwrap();
        let order: Vec<_> = r.pages.iter().map(|p| p.page.as_str()).collect();
        assert_eq!(
            order,
            ["/b/", "/a/", "/c/"],
            "lowest mean with enough ratings first"
        );
        let b = &r.pages[0];
        assert_eq!(b.ratings, 3);
        assert_eq!(b.distribution, [1, 2, 0, 0, 0]);
        assert!((b.mean.unwrap() - 5.0 / 3.0).abs() < 1e-9);
        assert_eq!(b.latest_comments[0].text, "Too hard <b>");
        let a = &r.pages[1];
        assert_eq!(
            (a.visits_today, a.visits_7_days, a.visits_30_days),
            (3, 7, 17)
        );
        let h = html(&r);
        assert!(h.contains("Too hard &lt;b&gt;"));
        assert!(!h.contains("Too hard <b>"));
        assert!(
            csv(&r)
                .lines()
                .nth(1)
                .unwrap()
                .starts_with("/b/,3,1.667,1,2,0,0,0")
        );
        assert!(table(&r).contains("Latest comments on /b/"));
    }

    fn page_with(page: &str, comments: &[&str]) -> PageReport {
        PageReport {
            page: page.to_owned(),
            ratings: 2,
            mean: Some(2.5),
            distribution: [0, 1, 1, 0, 0],
            latest_comments: comments
                .iter()
                .map(|t| Comment {
                    day: "2026-11-02".into(),
                    rating: 2,
                    text: (*t).to_owned(),
                })
                .collect(),
            visits_today: 1,
            visits_7_days: 2,
            visits_30_days: 3,
        }
    }

    fn report_of(pages: Vec<PageReport>) -> Report {
        Report {
            generated: "2026-11-02".into(),
            since: None,
            pages,
        }
    }

    /// The CSV read back by a CSV reader: the header and the records.
    fn read_back(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = ::csv::Reader::from_reader(text.as_bytes());
        let header = r.headers().unwrap().iter().map(str::to_owned).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
            .collect();
        (header, rows)
    }

    #[test]
    fn csv_neutralises_formulas() {
        for (page, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("/a=b/", "/a=b/"),
            ("a-b", "a-b"),
        ] {
            let text = csv(&report_of(vec![page_with(page, &[])]));
            let (_, rows) = read_back(&text);
            assert_eq!(rows[0][0], want, "{page:?} in {text:?}");
        }
        assert_eq!(formula_guard("plain"), "plain");
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_keeps_the_columns() {
        let comments = ["Dose, table", "say \"hi\"", "two\nlines", "=1+1"];
        let pages = vec![page_with("/a/", &comments), page_with("/b/", &[])];
        let text = csv(&report_of(pages));
        let mut lines = text.split('\n');
        assert_eq!(
            lines.next(),
            Some(
                "page,ratings,mean,r1,r2,r3,r4,r5,visits_today,visits_7_days,visits_30_days,latest_comments"
            )
        );
        // The comment field is quoted, with its quotes doubled.
        assert!(
            text.contains(
                "/a/,2,2.500,0,1,1,0,0,1,2,3,\"2026-11-02 (2): Dose, table | 2026-11-02 (2): say \"\"hi\"\" | 2026-11-02 (2): two\nlines | 2026-11-02 (2): =1+1\"\n"
            ),
            "{text}"
        );
        assert!(text.ends_with("/b/,2,2.500,0,1,1,0,0,1,2,3,\n"), "{text:?}");
        let (header, rows) = read_back(&text);
        assert_eq!(header.len(), 12);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.len() == 12), "{rows:?}");
        let back: Vec<&str> = rows[0][11].split(" | ").collect();
        assert_eq!(
            back,
            comments.map(|c| format!("2026-11-02 (2): {c}")),
            "the comments come back whole"
        );
        assert_eq!(rows[1][2], "2.500");
        // a page without ratings has an empty mean
        let mut none = page_with("/c/", &[]);
        none.mean = None;
        let (_, rows) = read_back(&csv(&report_of(vec![none])));
        assert_eq!(rows[0][2], "");
    }
}
