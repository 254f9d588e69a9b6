//! `medsite new … --lang CODE` through the library: the translation written
//! beside its source (front matter copied with `source_reviewed`, the
//! language's headings with placeholders), YAML and TOML sources, the
//! refusals, and that the loader takes the file as a translation.

use medsite::content::fields::{self, CheckedDates, FrontText};
use medsite::content::front_matter::{self, PageFront, PageKind};
use medsite::scaffold::{NewKind, new_translation};
use std::path::{Path, PathBuf};

const HOME: &str = "---\ntitle: Test home\nsummary: The home page.\n---\nWelcome.\n";
const MEDS: &str =
    "---\ntitle: Medicines\nsummary: All of them.\npage_kind: medication\n---\nThe list.\n";

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

const NB_SITE: &str = "title = \"T\"\nlanguage = \"en\"\n\n[languages.nb]\n";
const ILARIS: &str = "---\ntitle: Ilaris (canakinumab)\nlang: en\ngeneric_name: canakinumab\natc_code: L04AC08 # WHO\ndrug_class: Interleukin-1 inhibitor\nconditions: [Gout]\nsummary: A medicine.\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\nsources:\n  - title: Ilaris SmPC (EMA)\n    url: https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris\n---\n\n## What it is and what it is used for\n\nText.\n\n## Side effects\n\nSome.\n";

/// An article with TOML front matter, a `lang` line and a table after the keys.
const GOUT_TOML: &str = "+++\ntitle = \"Gout\"\nlang = \"en\"\nsummary = \"About gout.\"\nlast_reviewed = 2026-10-05\n\n# Where it comes from.\n[[sources]]\ntitle = \"NHS\"\n+++\nIntro.\n\n## Diet\n\nEat.\n";

/// The `##` headings of a file's body.
fn headings_of(body: &str) -> Vec<&str> {
    body.lines().filter_map(|l| l.strip_prefix("## ")).collect()
}

#[test]
fn nb_translation_has_the_norwegian_headings_and_the_sources_front_matter() {
    let dir = site(
        NB_SITE,
        &[
            ("_index.md", HOME),
            ("medications/_index.md", MEDS),
            ("medications/ilaris.md", ILARIS),
        ],
    );
    let t = new_translation(dir.path(), NewKind::Medication, "Ilaris", None, "nb").unwrap();
    assert_eq!(t.path, dir.path().join("content/medications/ilaris.nb.md"));
    assert_eq!(
        (t.source.as_str(), t.lang.as_str()),
        ("content/medications/ilaris.md", "nb")
    );
    assert!(
        t.next_step().contains("content/medications/ilaris.md"),
        "{}",
        t.next_step()
    );
    let (fm, dates, body) = front(&t.path, PageKind::Medication);
    assert_eq!(
        dates.source_reviewed,
        Some(jiff::civil::date(2026, 11, 1)),
        "= the source's last_reviewed"
    );
    assert_eq!(fm.generic_name(), Some("canakinumab"));
    assert_eq!(fm.atc_code.as_deref().map(|s| &**s), Some("L04AC08"));
    let sources = fm.sources.unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(&*sources[0].title, "Ilaris SmPC (EMA)");
    assert_eq!(fm.lang, None, "the source's `lang: en` is dropped");
    let text = std::fs::read_to_string(&t.path).unwrap();
    assert!(
        text.contains("atc_code: L04AC08 # WHO\n"),
        "comments kept:\n{text}"
    );
    assert!(
        text.contains("\nsource_reviewed: 2026-11-01\n---\n"),
        "the last key:\n{text}"
    );
    let note = text
        .lines()
        .find(|l| l.starts_with("# ") && l.contains("translate"))
        .unwrap();
    for field in ["title", "summary", "drug_class", "conditions"] {
        assert!(note.contains(field), "{note}");
    }
    assert_eq!(
        headings_of(&body),
        [
            "Hva det er og hva det brukes mot",
            "Før behandlingen starter",
            "Graviditet og amming",
            "Dosering",
            "Bivirkninger",
            "Kontroller og oppfølging",
        ]
    );
    assert!(body.contains(
        "## Hva det er og hva det brukes mot\n\n_Skriv her: oversett delen «What it is and what it is used for» fra content/medications/ilaris.md._\n"
    ), "{body}");
    assert!(
        body.contains("«Checks and follow-up»"),
        "paired by position: {body}"
    );
}

#[test]
fn the_loader_takes_new_translations_as_translations_of_their_sources() {
    let dir = site(
        NB_SITE,
        &[
            ("_index.md", HOME),
            ("medications/_index.md", MEDS),
            ("medications/ilaris.md", ILARIS),
            ("gout.md", GOUT_TOML),
        ],
    );
    new_translation(dir.path(), NewKind::Medication, "Ilaris", None, "nb").unwrap();
    new_translation(dir.path(), NewKind::Article, "Gout", None, "nb").unwrap();
    let config = medsite::config::Config::load(dir.path()).unwrap();
    let (site, _) = medsite::content::Site::load(dir.path(), config, &Default::default()).unwrap();
    let errors: Vec<_> = site.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    for (rel, source_rel) in [
        ("medications/ilaris.nb.md", "medications/ilaris.md"),
        ("gout.nb.md", "gout.md"),
    ] {
        let i = site.pages.iter().position(|p| p.rel == rel).unwrap();
        let page = &site.pages[i];
        assert_eq!(page.lang, "nb", "{rel}");
        let source = page.source.expect("linked to its source");
        assert_eq!(site.pages[source].rel, source_rel);
        assert_eq!(
            site.staleness(&site.pages[i]),
            None,
            "{rel} is up to date with its source"
        );
    }
}

#[test]
fn a_toml_source_gives_a_toml_translation_with_the_date_before_the_tables() {
    let dir = site(NB_SITE, &[("_index.md", HOME), ("gout.md", GOUT_TOML)]);
    let t = new_translation(dir.path(), NewKind::Article, "Gout", None, "nb").unwrap();
    let (fm, dates, body) = front(&t.path, PageKind::Article);
    assert_eq!(dates.source_reviewed, Some(jiff::civil::date(2026, 10, 5)));
    assert_eq!(fm.sources.map(|s| s.len()), Some(1));
    assert_eq!(fm.lang, None);
    let text = std::fs::read_to_string(&t.path).unwrap();
    assert!(text.starts_with("+++\n# "), "{text}");
    assert!(
        text.contains("source_reviewed = 2026-10-05\n\n# Where it comes from.\n[[sources]]"),
        "{text}"
    );
    assert_eq!(headings_of(&body), ["Diet"]);
    assert!(
        body.contains("_Skriv her: oversett innledningen i content/gout.md._"),
        "{body}"
    );
    assert!(
        body.contains("«Diet» fra content/gout.md, og overskriften over._"),
        "{body}"
    );
}

#[test]
fn a_source_without_last_reviewed_gets_a_commented_source_reviewed() {
    let page = "---\ntitle: Gout\n---\n## Diet\n";
    let dir = site(
        "title = \"T\"\n[languages.sv]\n",
        &[("_index.md", HOME), ("gout.md", page)],
    );
    let t = new_translation(dir.path(), NewKind::Article, "Gout", None, "sv").unwrap();
    let (_, dates, body) = front(&t.path, PageKind::Article);
    assert_eq!(dates.source_reviewed, None);
    let text = std::fs::read_to_string(&t.path).unwrap();
    assert!(text.contains("# source_reviewed: 2026-11-01\n"), "{text}");
    assert!(text.contains("has no last_reviewed"), "{text}");
    assert!(
        body.contains("_Write here: translate the part “Diet” of content/gout.md"),
        "English placeholders: {body}"
    );
}

#[test]
fn translations_into_a_language_the_site_lacks_or_its_default_are_refused() {
    let dir = site(
        NB_SITE,
        &[
            ("_index.md", HOME),
            ("medications/_index.md", MEDS),
            ("medications/ilaris.md", ILARIS),
        ],
    );
    let new = |code: &str| {
        new_translation(dir.path(), NewKind::Medication, "Ilaris", None, code).unwrap_err()
    };
    let err = new("sv");
    assert_eq!(err.file, PathBuf::from("site.toml"));
    assert!(
        err.message.contains("`sv`") && err.message.contains("en, nb"),
        "{err}"
    );
    assert!(
        err.help.as_deref().unwrap().contains("[languages.sv]"),
        "{err}"
    );
    let err = new("en");
    assert!(err.message.contains("default language"), "{err}");
    assert_eq!(err.line, 2, "points at `language`: {err}");
    assert!(new("Norwegian").message.contains("not a language code"));
    assert!(new("NB").help.as_deref().unwrap().contains("--lang nb"));
    let one = site(
        "title = \"T\"\n",
        &[("_index.md", HOME), ("medications/ilaris.md", ILARIS)],
    );
    let err = new_translation(one.path(), NewKind::Medication, "Ilaris", None, "nb").unwrap_err();
    assert!(
        err.help.as_deref().unwrap().contains("[languages.nb]"),
        "{err}"
    );
    let written: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .flatten()
        .filter(|e| {
            e.file_name().to_string_lossy().contains(".nb.")
                || e.file_name().to_string_lossy().contains(".sv.")
        })
        .collect();
    assert!(written.is_empty(), "nothing written: {written:?}");
}

#[test]
fn a_translation_needs_its_source_and_never_overwrites() {
    let dir = site(
        NB_SITE,
        &[
            ("_index.md", HOME),
            ("medications/_index.md", MEDS),
            ("medications/ilaris.md", ILARIS),
        ],
    );
    let err =
        new_translation(dir.path(), NewKind::Medication, "Canakinumab", None, "nb").unwrap_err();
    assert_eq!(
        err.file,
        PathBuf::from("content/medications/canakinumab.md"),
        "{err}"
    );
    assert!(err.message.contains("does not exist"), "{err}");
    assert!(
        err.help
            .as_deref()
            .unwrap()
            .contains("medsite new medication \"Canakinumab\""),
        "{err}"
    );
    assert!(
        !dir.path()
            .join("content/medications/canakinumab.nb.md")
            .exists()
    );

    let path = dir.path().join("content/medications/ilaris.nb.md");
    std::fs::write(&path, "mine").unwrap();
    let err = new_translation(dir.path(), NewKind::Medication, "Ilaris", None, "nb").unwrap_err();
    assert_eq!(err.file, PathBuf::from("content/medications/ilaris.nb.md"));
    assert!(err.message.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}

#[test]
fn a_language_without_standard_headings_gets_the_sources_headings() {
    let dir = site(
        "title = \"T\"\n[languages.so]\n",
        &[
            ("_index.md", HOME),
            ("medications/_index.md", MEDS),
            ("medications/ilaris.md", ILARIS),
        ],
    );
    let t = new_translation(dir.path(), NewKind::Medication, "Ilaris", None, "so").unwrap();
    let (_, dates, body) = front(&t.path, PageKind::Medication);
    assert_eq!(dates.source_reviewed, Some(jiff::civil::date(2026, 11, 1)));
    assert_eq!(
        headings_of(&body),
        ["What it is and what it is used for", "Side effects"]
    );
    assert!(
        body.contains("## Side effects\n\n_Write here: translate the part “Side effects” of content/medications/ilaris.md, and the heading above._\n"),
        "{body}"
    );
    // Asked for as an article, the medication page is refused.
    let err = new_translation(
        dir.path(),
        NewKind::Article,
        "Ilaris",
        Some("medications"),
        "so",
    )
    .unwrap_err();
    assert!(err.message.contains("medication page"), "{err}");
    assert!(
        err.help
            .as_deref()
            .unwrap()
            .contains("medsite new medication \"Ilaris\" --lang so"),
        "{err}"
    );
}
