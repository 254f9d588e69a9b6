//! `medsite feedback report` on its own: the figures and their order, the
//! CSV's quoting and formula guard (through the library, on a database
//! filled by SQL as the service stores it), and each page's language
//! (through the `medsite` binary, on a database filled by the real store):
//! from `site.toml` with `--site`, guessed without one, and `--lang`.

mod feedback_common;

use feedback_common::{Output, bin, run_bounded};
use medsite::feedback::day_offset;
use medsite::feedback::report::{Comment, PageReport, Report, csv, html, read, table};
use medsite::feedback::store::{self, NewRating, Store};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

// ---------------------------------------------------------------------------
// Figures, order and CSV, through the library
// ---------------------------------------------------------------------------

fn db_with(
    ratings: &[(&str, u8, &str)],
    visits: &[(&str, i64, u64)],
) -> (tempfile::TempDir, PathBuf) {
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
            .starts_with("/b/,,3,1.667,1,2,0,0,0"),
        "no language without one given: {}",
        csv(&r)
    );
    assert!(table(&r).contains("Latest comments on /b/"));
}

fn page_with(page: &str, comments: &[&str]) -> PageReport {
    PageReport {
        page: page.to_owned(),
        lang: "nb".to_owned(),
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
        only_lang: None,
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
            "page,lang,ratings,mean,r1,r2,r3,r4,r5,visits_today,visits_7_days,visits_30_days,latest_comments"
        )
    );
    // The comment field is quoted, with its quotes doubled.
    assert!(
        text.contains(
            "/a/,nb,2,2.500,0,1,1,0,0,1,2,3,\"2026-11-02 (2): Dose, table | 2026-11-02 (2): say \"\"hi\"\" | 2026-11-02 (2): two\nlines | 2026-11-02 (2): =1+1\"\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("/b/,nb,2,2.500,0,1,1,0,0,1,2,3,\n"),
        "{text:?}"
    );
    let (header, rows) = read_back(&text);
    assert_eq!(header.len(), 13);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.len() == 13), "{rows:?}");
    let back: Vec<&str> = rows[0][12].split(" | ").collect();
    assert_eq!(
        back,
        comments.map(|c| format!("2026-11-02 (2): {c}")),
        "the comments come back whole"
    );
    assert_eq!(rows[1][3], "2.500");
    // a page without ratings has an empty mean
    let mut none = page_with("/c/", &[]);
    none.mean = None;
    let (_, rows) = read_back(&csv(&report_of(vec![none])));
    assert_eq!(rows[0][3], "");
}

// ---------------------------------------------------------------------------
// Languages, through `medsite feedback report`
// ---------------------------------------------------------------------------

const EN_ILARIS: &str = "/medications/ilaris/";
const NB_ILARIS: &str = "/nb/medications/ilaris/";
const NB_HOME: &str = "/nb/";
const SV_MTX: &str = "/sv/medications/methotrexate/";

/// A database filled by the real store: ratings on the English and the
/// Norwegian Ilaris page and a Swedish page, visits on the Norwegian home.
fn multilingual_db(dir: &Path) -> PathBuf {
    let db = dir.join("feedback.sqlite");
    let store = Store::start(&db).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (page, rating, comment) in [
        (EN_ILARIS, 4, ""),
        (NB_ILARIS, 1, "Vanskelig"),
        (NB_ILARIS, 2, ""),
        (SV_MTX, 5, ""),
    ] {
        rt.block_on(store.add_rating(NewRating {
            page: page.to_owned(),
            day: medsite::feedback::today(),
            rating,
            comment: comment.to_owned(),
        }))
        .unwrap();
    }
    for page in [NB_HOME, NB_HOME, NB_ILARIS] {
        store.add_visit(page, &medsite::feedback::today());
    }
    store.shutdown();
    db
}

/// A folder with a `site.toml` (English by default, and Norwegian).
fn nb_site(dir: &Path) -> PathBuf {
    let site = dir.join("site-folder");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("site.toml"),
        "title = \"T\"\nlanguage = \"en\"\n\n[languages.nb]\n",
    )
    .unwrap();
    site
}

/// `medsite feedback report --db <db> <args>`, run in `cwd`.
fn report_in(cwd: &Path, db: &Path, args: &[&str]) -> Output {
    run_bounded(
        Command::new(bin())
            .current_dir(cwd)
            .args(["feedback", "report", "--db"])
            .arg(db)
            .args(args),
        Duration::from_secs(60),
    )
}

fn json_of(out: &Output) -> Value {
    assert!(out.status.success(), "{}\n{}", out.stdout, out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// Page → language in a JSON report.
fn langs(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["page"].as_str().unwrap().to_owned(),
                p["lang"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

fn pair(page: &str, lang: &str) -> (String, String) {
    (page.to_owned(), lang.to_owned())
}

#[test]
fn every_format_gives_each_page_its_language_from_site_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let db = multilingual_db(tmp.path());
    let site = nb_site(tmp.path());
    let site_arg = site.to_str().unwrap();
    let j = json_of(&report_in(
        tmp.path(),
        &db,
        &["--site", site_arg, "--format", "json"],
    ));
    // /sv/ is not a language of this site: the page is in the default language.
    assert_eq!(
        langs(&j),
        [
            pair(EN_ILARIS, "en"),
            pair(NB_HOME, "nb"),
            pair(NB_ILARIS, "nb"),
            pair(SV_MTX, "en"),
        ]
    );
    // Without --site, the current folder's site.toml is read.
    let j = json_of(&report_in(&site, &db, &["--format", "json"]));
    assert_eq!(langs(&j)[1], pair(NB_HOME, "nb"));

    let out = report_in(tmp.path(), &db, &["--site", site_arg, "--format", "csv"]);
    assert!(out.status.success(), "{}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    let lang = header
        .iter()
        .position(|h| h == "lang")
        .expect("a lang column");
    let rows: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[lang].to_owned())
        })
        .collect();
    assert!(rows.contains(&pair(NB_ILARIS, "nb")), "{rows:?}");
    assert!(rows.contains(&pair(EN_ILARIS, "en")), "{rows:?}");

    let file = tmp.path().join("report.html");
    let out = report_in(
        tmp.path(),
        &db,
        &["--site", site_arg, "--html", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", out.stderr);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with(NB_ILARIS))
        .unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        &cells[..3],
        [NB_ILARIS, "nb", "2"],
        "page, language, ratings"
    );
    assert!(out.stdout.lines().nth(1).unwrap().contains("Lang"));
    let h = std::fs::read_to_string(&file).unwrap();
    assert!(h.contains("<th scope=\"col\">Language</th>"), "{h}");
    assert!(
        h.contains(&format!(
            "<th scope=\"row\">{NB_ILARIS}</th><td class=\"lang\">nb</td><td>2</td>"
        )),
        "{h}"
    );
}

#[test]
fn lang_keeps_only_that_languages_pages_and_refuses_one_the_site_lacks() {
    let tmp = tempfile::tempdir().unwrap();
    let db = multilingual_db(tmp.path());
    let site = nb_site(tmp.path());
    let site_arg = site.to_str().unwrap();
    let j = json_of(&report_in(
        tmp.path(),
        &db,
        &["--site", site_arg, "--lang", "nb", "--format", "json"],
    ));
    assert_eq!(langs(&j), [pair(NB_HOME, "nb"), pair(NB_ILARIS, "nb")]);
    assert_eq!(j["only_lang"], "nb");
    assert_eq!(
        j["pages"][0]["page"], NB_ILARIS,
        "the low page first, as in the full report"
    );
    let table = report_in(tmp.path(), &db, &["--site", site_arg, "--lang", "en"]);
    assert!(table.status.success(), "{}", table.stderr);
    assert!(table.stdout.contains("pages in en"), "{}", table.stdout);
    assert!(table.stdout.contains(EN_ILARIS) && table.stdout.contains(SV_MTX));
    assert!(!table.stdout.contains(NB_ILARIS), "{}", table.stdout);

    let out = report_in(tmp.path(), &db, &["--site", site_arg, "--lang", "sv"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains("`sv`") && out.stderr.contains("en, nb"),
        "lists the site's languages: {}",
        out.stderr
    );
    assert!(out.stderr.contains("site.toml"), "{}", out.stderr);
}

#[test]
fn without_site_toml_the_language_is_the_first_part_of_the_address() {
    let tmp = tempfile::tempdir().unwrap();
    let db = multilingual_db(tmp.path());
    let empty = tmp.path().join("no-site");
    std::fs::create_dir(&empty).unwrap();
    let out = report_in(
        &empty,
        &db,
        &["--site", empty.to_str().unwrap(), "--format", "json"],
    );
    assert!(out.stderr.contains("no site.toml"), "{}", out.stderr);
    let j = json_of(&out);
    // `/nb/` alone is a home page, not a language prefix with a page after it.
    assert_eq!(
        langs(&j),
        [
            pair(EN_ILARIS, ""),
            pair(NB_HOME, ""),
            pair(NB_ILARIS, "nb"),
            pair(SV_MTX, "sv"),
        ]
    );
    let table = report_in(&empty, &db, &[]);
    let line = table
        .stdout
        .lines()
        .find(|l| l.starts_with(EN_ILARIS))
        .unwrap();
    assert_eq!(
        line.split_whitespace().nth(1),
        Some("–"),
        "{}",
        table.stdout
    );
    let j = json_of(&report_in(
        &empty,
        &db,
        &["--lang", "sv", "--format", "json"],
    ));
    assert_eq!(langs(&j), [pair(SV_MTX, "sv")]);
    let out = report_in(&empty, &db, &["--lang", "Swedish"]);
    assert!(!out.status.success());
    assert!(out.stderr.contains("not a language code"), "{}", out.stderr);
}

#[test]
fn a_broken_site_toml_is_an_error_that_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = multilingual_db(tmp.path());
    let site = tmp.path().join("broken");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("site.toml"), "title = \"T\"\nlanguage = 5\n").unwrap();
    let out = report_in(tmp.path(), &db, &["--site", site.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let named = format!("{}:2", site.join("site.toml").display());
    assert!(out.stderr.contains(&named), "names {named}: {}", out.stderr);
    assert!(out.stderr.contains("help:"), "{}", out.stderr);
    let out = report_in(tmp.path(), &db, &["--site", "no/such/folder"]);
    assert!(!out.status.success());
    assert!(out.stderr.contains("no/such/folder"), "{}", out.stderr);
}
