//! `medsite new` and `medsite init` through the library: the files written,
//! their front matter and dates, refusals, and that the result builds.
//! Translations (`medsite new … --lang`) are in scaffold_translation.rs.

use medsite::build::{BuildOptions, BuildReport, build};
use medsite::content::fields::{self, CheckedDates, FrontText};
use medsite::content::front_matter::{self, PageFront, PageKind};
use medsite::scaffold::{NewKind, init, new_page};
use std::path::{Path, PathBuf};

const SITE_TOML: &str = "title = \"Test medicines\"\nbase_url = \"https://example.org/\"\n";
const HOME: &str = "---\ntitle: Test home\nsummary: The home page.\n---\nWelcome.\n";
const MEDS: &str =
    "---\ntitle: Medicines\nsummary: All of them.\npage_kind: medication\n---\nThe list.\n";

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

/// A site folder with `site.toml` = `config` and the given content files.
fn site(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
    for (rel, text) in files {
        let p = dir.path().join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Builds `root` into a temporary folder; panics with every diagnostic on failure.
fn build_ok(root: &Path) -> (tempfile::TempDir, BuildReport) {
    let out = tempfile::tempdir().unwrap();
    let report = build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.path().join("site")),
        ..Default::default()
    })
    .unwrap_or_else(|ds| panic!("the build failed:\n{ds}"));
    (out, report)
}

/// The front matter of a file, checked as a page of `kind`.
fn front(path: &Path, kind: PageKind) -> (PageFront, CheckedDates, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let split = front_matter::split(path, &text).unwrap();
    let fm = front_matter::parse_page(path, &text, &split).unwrap_or_else(|d| panic!("{d}"));
    let dates = fields::check_page(path, &fm, kind, &FrontText::new(&text, &split))
        .unwrap_or_else(|ds| panic!("{ds:?}"));
    let body = split.body.to_owned();
    (fm, dates, body)
}

#[test]
fn new_medication_goes_to_the_medication_section_with_dates_and_headings() {
    let dir = site(
        "title = \"T\"\nreview_interval_months = 6\n",
        &[
            ("_index.md", HOME),
            ("medicines/_index.md", MEDS),
            ("articles/_index.md", "---\ntitle: Articles\n---\n"),
        ],
    );
    let path = new_page(dir.path(), NewKind::Medication, "Ilaris", None, today()).unwrap();
    assert_eq!(path, dir.path().join("content/medicines/ilaris.md"));
    let (fm, dates, body) = front(&path, PageKind::Medication);
    assert_eq!(Some(fm.title()), Some("Ilaris"));
    assert_eq!(fm.generic_name(), Some("ilaris"));
    assert_eq!(fm.brand_names.as_ref().map(|b| b.len()), Some(0));
    assert_eq!(fm.conditions.as_ref().map(Vec::len), Some(0));
    assert_eq!(fm.atc_code, None);
    assert_eq!(
        fm.kind, None,
        "the section already makes it a medication page"
    );
    assert!(fm.summary.as_deref().is_some_and(|s| !s.is_empty()));
    assert_eq!(dates.last_reviewed, Some(jiff::civil::date(2026, 11, 26)));
    assert_eq!(dates.next_review, Some(jiff::civil::date(2027, 5, 26)));
    let sources = fm.sources.unwrap();
    assert_eq!(sources.len(), 1);
    assert!(sources[0].title.contains("Ilaris"));
    assert!(
        sources[0]
            .url
            .as_deref()
            .unwrap()
            .starts_with("https://www.ema.europa.eu/")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\n# atc_code: L04AC08\n"), "{text}");
    let headings: Vec<&str> = body.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## What it is and what it is used for",
            "## Before starting treatment",
            "## Pregnancy and breast-feeding",
            "## Dosage",
            "## Side effects",
            "## Checks and follow-up",
        ]
    );
    assert_eq!(body.matches("_Write here: ").count(), 6);
    assert!(!body.contains("<!--"));
    assert!(body.contains("which conditions it is used for"));

    let (out, report) = build_ok(dir.path());
    assert_eq!(report.medication_pages, 1);
    assert!(
        report.warnings.iter().all(|w| w.message.contains("review")),
        "only review dates may come due: {:?}",
        report.warnings
    );
    let html =
        std::fs::read_to_string(out.path().join("site/medicines/ilaris/index.html")).unwrap();
    assert!(html.contains("Write here: what the medicine is"));
}

#[test]
fn next_review_defaults_to_twelve_months_and_clamps_month_ends() {
    let dir = site(SITE_TOML, &[("_index.md", HOME)]);
    let path = new_page(
        dir.path(),
        NewKind::Medication,
        "Colchicine",
        None,
        jiff::civil::date(2028, 2, 29),
    )
    .unwrap();
    let (_, dates, _) = front(&path, PageKind::Medication);
    assert_eq!(dates.last_reviewed, Some(jiff::civil::date(2028, 2, 29)));
    assert_eq!(dates.next_review, Some(jiff::civil::date(2029, 2, 28)));
}

#[test]
fn new_medication_without_a_medication_section_creates_medications() {
    let dir = site(
        SITE_TOML,
        &[
            ("_index.md", HOME),
            ("about.md", "---\ntitle: About\n---\nHi.\n"),
        ],
    );
    let path = new_page(
        dir.path(),
        NewKind::Medication,
        "Methotrexate",
        None,
        today(),
    )
    .unwrap();
    assert_eq!(path, dir.path().join("content/medications/methotrexate.md"));
    assert!(dir.path().join("content/medications").is_dir());
    let (_, report) = build_ok(dir.path());
    assert_eq!(report.medication_pages, 1);
    assert!(
        report.warnings.iter().all(|w| w.message.contains("review")),
        "only review dates may come due: {:?}",
        report.warnings
    );
}

#[test]
fn new_medication_in_a_site_whose_pages_are_articles_says_its_kind() {
    let dir = site(
        SITE_TOML,
        &[(
            "_index.md",
            "---\ntitle: Home\npage_kind: article\n---\nWelcome.\n",
        )],
    );
    let path = new_page(dir.path(), NewKind::Medication, "Anakinra", None, today()).unwrap();
    let (fm, _, _) = front(&path, PageKind::Medication);
    assert_eq!(fm.kind, Some(PageKind::Medication));
    let (_, report) = build_ok(dir.path());
    assert_eq!(report.medication_pages, 1);
}

#[test]
fn awkward_titles_are_quoted_and_still_build() {
    let dir = site(
        SITE_TOML,
        &[("_index.md", HOME), ("medications/_index.md", MEDS)],
    );
    let title = "Kineret: \"anakinra\" #1";
    let path = new_page(dir.path(), NewKind::Medication, title, None, today()).unwrap();
    assert_eq!(
        path,
        dir.path().join("content/medications/kineret-anakinra-1.md")
    );
    let (fm, _, _) = front(&path, PageKind::Medication);
    assert_eq!(Some(fm.title()), Some(title));
    assert_eq!(fm.generic_name(), Some("kineret: \"anakinra\" #1"));
    build_ok(dir.path());
}

#[test]
fn new_refuses_to_overwrite() {
    let dir = site(
        SITE_TOML,
        &[("_index.md", HOME), ("medications/_index.md", MEDS)],
    );
    let path = new_page(dir.path(), NewKind::Medication, "Ilaris", None, today()).unwrap();
    std::fs::write(&path, "---\ntitle: Mine\n---\nEdited.\n").unwrap();
    let err = new_page(dir.path(), NewKind::Medication, "ILARIS", None, today()).unwrap_err();
    assert_eq!(err.file, PathBuf::from("content/medications/ilaris.md"));
    assert!(err.message.contains("already exists"), "{err}");
    let help = err.help.as_deref().unwrap();
    assert!(help.contains("another title") && help.contains("edit the existing file"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "---\ntitle: Mine\n---\nEdited.\n"
    );
}

#[test]
fn new_refuses_an_address_that_another_file_has() {
    let dir = site(
        SITE_TOML,
        &[
            ("_index.md", HOME),
            ("medications/_index.md", MEDS),
            (
                "medications/kineret.md",
                "---\ntitle: Kineret\nslug: anakinra\ngeneric_name: anakinra\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\n---\n",
            ),
        ],
    );
    let err = new_page(dir.path(), NewKind::Medication, "Anakinra", None, today()).unwrap_err();
    assert!(err.message.contains("kineret.md"), "{err}");
    assert!(err.message.contains("/medications/anakinra/"), "{err}");
    assert!(!dir.path().join("content/medications/anakinra.md").exists());
}

#[test]
fn new_refuses_an_empty_slug_and_a_bad_section() {
    let dir = site(SITE_TOML, &[("_index.md", HOME)]);
    let err = new_page(dir.path(), NewKind::Article, "???", None, today()).unwrap_err();
    assert!(err.message.contains("empty file name"), "{err}");
    assert!(err.help.is_some());
    let err = new_page(dir.path(), NewKind::Article, "  ", None, today()).unwrap_err();
    assert!(err.message.contains("no title"), "{err}");
    let err = new_page(dir.path(), NewKind::Article, "X", Some("../up"), today()).unwrap_err();
    assert!(err.message.contains("climbs out"), "{err}");
    let err = new_page(dir.path(), NewKind::Article, "Conditions", None, today()).unwrap_err();
    assert!(err.message.contains("/conditions/"), "{err}");
    assert!(!dir.path().join("up").exists());
}

#[test]
fn new_without_a_site_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let err = new_page(dir.path(), NewKind::Article, "About", None, today()).unwrap_err();
    assert!(
        err.help.as_deref().unwrap().contains("medsite init"),
        "{err}"
    );
}

#[test]
fn new_article_at_the_top_and_in_a_section() {
    let dir = site(
        "title = \"T\"\nreview_interval_months = 24\n",
        &[("_index.md", HOME), ("medications/_index.md", MEDS)],
    );
    let path = new_page(
        dir.path(),
        NewKind::Article,
        "Living with gout",
        None,
        today(),
    )
    .unwrap();
    assert_eq!(path, dir.path().join("content/living-with-gout.md"));
    let (fm, dates, body) = front(&path, PageKind::Article);
    assert_eq!(Some(fm.title()), Some("Living with gout"));
    assert_eq!(fm.generic_name, None);
    assert_eq!(fm.sources.as_ref().map(|s| s.len()), Some(0));
    assert!(fm.summary.is_some());
    assert_eq!(dates.last_reviewed, Some(today()));
    assert_eq!(dates.next_review, Some(jiff::civil::date(2028, 11, 26)));
    assert!(body.lines().filter(|l| l.starts_with("## ")).count() >= 2);
    assert!(body.contains("_Write here: "));

    // In a new folder, and in the medications section, where it must say
    // that it is an article.
    let nested = new_page(
        dir.path(),
        NewKind::Article,
        "Diet",
        Some("living-with/gout/"),
        today(),
    )
    .unwrap();
    assert_eq!(nested, dir.path().join("content/living-with/gout/diet.md"));
    let in_meds = new_page(
        dir.path(),
        NewKind::Article,
        "Paying for medicines",
        Some("medications"),
        today(),
    )
    .unwrap();
    let (fm, _, _) = front(&in_meds, PageKind::Article);
    assert_eq!(fm.kind, Some(PageKind::Article));

    let (out, report) = build_ok(dir.path());
    assert_eq!(report.article_pages, 3);
    assert!(
        report.warnings.iter().all(|w| w.message.contains("review")),
        "only review dates may come due: {:?}",
        report.warnings
    );
    assert!(
        out.path()
            .join("site/living-with-gout/index.html")
            .is_file()
    );
    assert!(
        out.path()
            .join("site/living-with/gout/diet/index.html")
            .is_file()
    );
}

#[test]
fn a_zero_review_interval_is_refused() {
    let dir = site("title = \"T\"\nreview_interval_months = 0\n", &[]);
    let err = new_page(dir.path(), NewKind::Article, "A", None, today()).unwrap_err();
    assert_eq!(err.file, PathBuf::from("site.toml"), "{err}");
    assert_eq!(err.line, 2, "{err}");
    assert!(err.message.contains("review_interval_months is 0"), "{err}");
    assert!(
        err.help
            .as_deref()
            .unwrap()
            .contains("review_interval_months = 12"),
        "{err}"
    );
    assert!(!dir.path().join("content").exists(), "nothing was written");
}

#[test]
fn init_makes_a_site_that_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-site");
    let files = init(&dir, Some("Gigtmedisiner: \"A\" & B")).unwrap();
    for rel in [
        "site.toml",
        ".gitignore",
        "content/_index.md",
        "content/medications/_index.md",
        "content/medications/methotrexate.md",
        "content/about.md",
    ] {
        assert!(files.contains(&dir.join(rel)), "{rel} not in {files:?}");
        assert!(dir.join(rel).is_file(), "{rel}");
    }
    let gitignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "site/"));
    let config = medsite::config::Config::load(&dir).unwrap();
    assert_eq!(config.title, "Gigtmedisiner: \"A\" & B");
    assert_eq!(config.review_interval_months, 12);

    let (out, report) = build_ok(&dir);
    assert!(
        report.warnings.iter().all(|w| w.message.contains("review")),
        "only review dates may come due: {:?}",
        report.warnings
    );
    assert_eq!(report.medication_pages, 1);
    assert_eq!(report.article_pages, 1);
    let site = out.path().join("site");
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("Gigtmedisiner"));
    let med = std::fs::read_to_string(site.join("medications/methotrexate/index.html")).unwrap();
    assert!(med.contains("once a week"));
    assert!(med.contains("https://www.ema.europa.eu/en/medicines/human/EPAR/nordimet"));
    assert!(site.join("about/index.html").is_file());

    // `new` works in the new site and puts medication pages beside the example.
    let path = new_page(&dir, NewKind::Medication, "Leflunomide", None, today()).unwrap();
    assert_eq!(path, dir.join("content/medications/leflunomide.md"));
    let (_, report) = build_ok(&dir);
    assert!(
        report.warnings.iter().all(|w| w.message.contains("review")),
        "only review dates may come due: {:?}",
        report.warnings
    );
}

#[test]
fn init_uses_a_default_title_and_accepts_an_empty_folder_or_only_git() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    init(tmp.path(), None).unwrap();
    assert!(tmp.path().join(".git").is_dir(), "the .git folder stays");
    let config = medsite::config::Config::load(tmp.path()).unwrap();
    assert!(!config.title.trim().is_empty());
    let (out, report) = build_ok(tmp.path());
    assert_eq!(report.medication_pages, 1);
    let home = std::fs::read_to_string(out.path().join("site/index.html")).unwrap();
    assert!(
        home.contains(&format!("{}</", config.title)),
        "the default title {:?} is on the home page:\n{home}",
        config.title
    );
}

#[test]
fn init_refuses_a_non_empty_folder_and_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let err = init(tmp.path(), Some("T")).unwrap_err();
    assert!(err.message.contains("not empty"), "{err}");
    assert!(err.message.contains("notes.txt"), "{err}");
    assert!(err.help.as_deref().unwrap().contains("empty folder"));
    assert!(!tmp.path().join("site.toml").exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

    let file = tmp.path().join("notes.txt");
    let err = init(&file, None).unwrap_err();
    assert!(err.message.contains("not a folder"), "{err}");

    let err = init(&tmp.path().join("x"), Some(" ")).unwrap_err();
    assert!(err.message.contains("title"), "{err}");
    assert!(!tmp.path().join("x").exists());
}

/// Found by hand: a review interval beyond jiff's range of months panics
/// instead of being refused like a merely large one (`= 239976` gets "is
/// too far in the future", `= 239977` panics in `i64::months()`).
#[test]
fn a_review_interval_beyond_jiffs_range_is_refused() {
    for months in [239_977u32, u32::MAX] {
        let dir = site(
            &format!("title = \"T\"\nreview_interval_months = {months}\n"),
            &[("_index.md", HOME)],
        );
        let err = new_page(dir.path(), NewKind::Article, "A", None, today()).unwrap_err();
        assert_eq!(err.file, PathBuf::from("site.toml"), "{err}");
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("too far in the future"), "{err}");
    }
}
