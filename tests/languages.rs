//! Integration tests of a site in several languages: translations found by
//! file name, their URLs, the theme's words and dates in each language,
//! links between the versions (switcher, `hreflang`, sitemap), stale
//! translations, and the errors for translations that cannot be placed.

mod common;

use common::*;
use medsite::build::BuildOptions;
use medsite::checks::{CheckOptions, CheckReport};

/// `medsite check` on the fixture.
fn check(fx: &Fixture) -> CheckReport {
    let opts = BuildOptions {
        root: fx.root().to_path_buf(),
        ..Default::default()
    };
    medsite::build::check(&opts, &CheckOptions::default(), false).unwrap_or_else(|d| panic!("{d}"))
}

const ENGLISH: &str = medsite::render::strings::BUILTIN_STRINGS[0].1;

const TWO_LANGUAGES: &str = "title = \"Test medicines\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n\n[languages.nb]\ntitle = \"Testlegemidler\"\nconditions_path = \"sykdommer\"\n";

/// A Norwegian translation of a medication page.
fn norwegian(title: &str, extra_front: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ngeneric_name: metotreksat\nconditions: [Revmatoid artritt]\nlast_reviewed: 2026-01-15\nnext_review: 2027-01-15\n{extra_front}---\n{body}"
    )
}

/// Home and medications in English and Norwegian, methotrexate in both.
fn bilingual() -> Fixture {
    let fx = Fixture::with_config(TWO_LANGUAGES);
    fx.content("_index.md", HOME);
    fx.content("_index.nb.md", "---\ntitle: Forside\n---\nVelkommen.\n");
    fx.content("medications/_index.md", MEDICATIONS);
    fx.content(
        "medications/_index.nb.md",
        "---\ntitle: Legemidler\n---\nListen.\n",
    );
    fx.content(
        "medications/methotrexate.md",
        medication(
            "Methotrexate",
            "methotrexate",
            "conditions: [Rheumatoid arthritis]\nrelated: [folic-acid.md]\n",
            "## Side effects\n\nNausea. See [folic acid](folic-acid.md).\n",
        ),
    );
    fx.content(
        "medications/methotrexate.nb.md",
        norwegian(
            "Metotreksat",
            "source_reviewed: 2026-01-15\nslug: metotreksat\nrelated: [folic-acid.md]\n",
            "## Bivirkninger\n\nKvalme. Se [folsyre](folic-acid.md).\n\n> [!WARNING]\n> Ring legen ved feber.\n",
        ),
    );
    fx.content(
        "medications/folic-acid.md",
        medication("Folic acid", "folic acid", "", "Text.\n"),
    );
    fx
}

#[test]
fn translations_live_under_their_language_with_their_own_words() {
    let fx = bilingual();
    let report = fx.build_ok();
    assert_eq!(report.stale_translations, 0);
    // A translation may set its own slug; the default language is at the root.
    let nb = fx.read("nb/medications/metotreksat/index.html");
    let en = fx.read("medications/methotrexate/index.html");
    assert!(nb.contains("<html lang=\"nb\" dir=\"ltr\">"), "{nb}");
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">"));
    // The theme's words and dates follow the page's language.
    for word in [
        "Gå til hovedinnholdet",
        "Virkestoff",
        "Siden ble sist gjennomgått:",
        "15. januar 2026",
        "Gi en vurdering av denne siden",
        "Hvor nyttig var denne siden?",
        // Words the Markdown step writes: callout titles, heading links.
        "<h3 class=\"callout-title\">Råd som haster</h3>",
        "aria-label=\"Lenke til denne delen: Bivirkninger\"",
    ] {
        assert!(nb.contains(word), "{word:?} missing on the Norwegian page");
    }
    assert!(en.contains("15 January 2026") && en.contains("Please rate this page"));
    assert!(!nb.contains("Please rate this page"));
    // JSON-LD says the page's language.
    assert!(nb.contains("\"inLanguage\":\"nb\""), "{nb}");
    // Each language has its own home, section, conditions and 404, with
    // the site's title in that language.
    let home = fx.read("nb/index.html");
    assert!(home.contains("Testlegemidler") && home.contains("<h1>Forside</h1>"));
    let list = fx.read("nb/medications/index.html");
    assert!(
        list.contains("<a href=\"/nb/medications/metotreksat/\">metotreksat</a>"),
        "{list}"
    );
    assert!(
        !list.contains("folic-acid"),
        "a listing shows the pages of its own language: {list}"
    );
    let conditions = fx.read("nb/sykdommer/index.html");
    assert!(conditions.contains("Revmatoid artritt") && !conditions.contains("Rheumatoid"));
    assert!(fx.exists("nb/sykdommer/revmatoid-artritt/index.html"));
    assert!(fx.read("nb/404.html").contains("Fant ikke siden"));
    // Links and related pages go to the version in the page's language
    // where there is one, else to the default language's page.
    assert!(nb.contains("href=\"/medications/folic-acid/\""));
    let en_home = fx.read("index.html");
    assert!(en_home.contains("href=\"/medications/\""));
}

#[test]
fn versions_link_to_each_other_with_hreflang() {
    let fx = bilingual();
    fx.build_ok();
    let nb = fx.read("nb/medications/metotreksat/index.html");
    let switcher = between(&nb, "<nav class=\"languages\"", "</nav>");
    assert!(
        switcher.contains(
            "<a href=\"/medications/methotrexate/\" lang=\"en\" hreflang=\"en\">English</a>"
        ),
        "{switcher}"
    );
    assert!(switcher.contains("lang=\"nb\" hreflang=\"nb\" aria-current=\"page\">Norsk</a>"));
    for alternate in [
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/medications/methotrexate/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/medications/methotrexate/\">",
        "<link rel=\"alternate\" hreflang=\"nb\" href=\"https://example.org/nb/medications/metotreksat/\">",
    ] {
        assert!(nb.contains(alternate), "{alternate} missing");
    }
    // A page with one version has no switcher and no alternates.
    let folic = fx.read("medications/folic-acid/index.html");
    assert!(!folic.contains("class=\"languages\"") && !folic.contains("hreflang"));
    // The sitemap lists the alternates of each version.
    let sitemap = fx.read("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry = between(
        &sitemap,
        "<loc>https://example.org/nb/medications/metotreksat/</loc>",
        "</url>",
    );
    assert!(
        entry.contains("<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/medications/methotrexate/\"/>"),
        "{entry}"
    );
    assert!(entry.contains("hreflang=\"x-default\""));
}

#[test]
fn a_translation_older_than_its_source_says_so() {
    let fx = bilingual();
    // The English page is reviewed again after the translation was made.
    fx.content(
        "medications/methotrexate.md",
        medication(
            "Methotrexate",
            "methotrexate",
            "",
            "## Side effects\n\nNausea.\n",
        )
        .replace("last_reviewed: 2026-01-15", "last_reviewed: 2026-03-02"),
    );
    let report = fx.build_ok();
    assert_eq!(report.stale_translations, 1);
    assert!(report.summary().contains("stale       1 translation"));
    let nb = fx.read("nb/medications/metotreksat/index.html");
    let notice = between(&nb, "<div class=\"translation-notice\"", "</div>");
    assert!(
        notice.contains("Denne oversettelsen kan være utdatert. Den engelske siden som den er oversatt fra, ble oppdatert 2. mars 2026."),
        "{notice}"
    );
    assert!(notice.contains(
        "<a href=\"/medications/methotrexate/\" hreflang=\"en\">Les den engelske siden</a>"
    ));
    assert!(
        !fx.read("medications/methotrexate/index.html")
            .contains("translation-notice")
    );
    // `medsite check` names both dates, at the `source_reviewed` line.
    let check = check(&fx);
    let stale = check
        .diagnostics
        .iter()
        .find(|d| d.id == Some("translation-stale"))
        .expect("a stale-translation finding");
    assert!(stale.file.ends_with("methotrexate.nb.md"));
    assert!(
        stale.message.contains("2026-01-15") && stale.message.contains("2026-03-02"),
        "{stale}"
    );
    assert_eq!(stale.line, 7, "{stale}");
    let coverage = &check.coverage[0];
    assert_eq!(
        (coverage.lang.as_str(), coverage.translated, coverage.stale),
        ("nb", 1, 1)
    );
    assert!(
        coverage
            .missing
            .iter()
            .any(|m| m.ends_with("folic-acid.md"))
    );
    assert!(
        check
            .human()
            .contains("nb     1 of 2 pages translated, 1 out of date")
    );
}

#[test]
fn a_translation_without_source_reviewed_is_a_warning() {
    let fx = bilingual();
    fx.content(
        "medications/methotrexate.nb.md",
        norwegian("Metotreksat", "", "## Bivirkninger\n\nKvalme.\n"),
    );
    let report = fx.build_ok();
    let w = report
        .warnings
        .iter()
        .find(|d| d.id == Some("translation-source-reviewed"))
        .expect("a warning");
    assert!(
        w.help
            .as_deref()
            .unwrap()
            .contains("source_reviewed: 2026-01-15"),
        "{w}"
    );
}

#[test]
fn translations_that_cannot_be_placed_are_errors_with_file_and_line() {
    let fx = bilingual();
    // No source, a language the site does not have, two files for one
    // language and page, and a `lang:` that disagrees with the file name.
    fx.content(
        "medications/orphan.nb.md",
        norwegian("Foreldreløs", "", "Tekst.\n"),
    );
    fx.content(
        "medications/folic-acid.sv.md",
        article("Folsyra", "", "Text.\n"),
    );
    fx.content(
        "medications/methotrexate.en.md",
        medication("Methotrexate again", "methotrexate", "", "Text.\n"),
    );
    fx.content(
        "medications/folic-acid.nb.md",
        norwegian(
            "Folsyre",
            "lang: en\nsource_reviewed: 2026-01-15\n",
            "Tekst.\n",
        ),
    );
    let errs = fx.build_err();
    let orphan = find(&errs, "orphan.md, which does not exist");
    assert!(orphan.file.ends_with("medications/orphan.nb.md"));
    assert_eq!(orphan.line, 1);
    let sv = find(
        &errs,
        "`sv` in the file name is a language this site does not have",
    );
    assert!(sv.help.as_deref().unwrap().contains("[languages.sv]"));
    let twice = find(&errs, "is already the `en` version of this page");
    assert!(twice.file.ends_with("methotrexate.en.md") || twice.file.ends_with("methotrexate.md"));
    let lang = find(&errs, "`lang: en` disagrees with the file name");
    assert_eq!(lang.line, 7, "{lang}");
    // Every problem of the build is reported together.
    assert!(errs.len() >= 4, "{errs:?}");
}

#[test]
fn a_language_without_words_fails_the_build_naming_the_keys() {
    let fx = Fixture::with_config(&format!("{SITE_TOML}\n[languages.so]\n"));
    fx.content("_index.md", HOME);
    let errs = fx.build_err();
    let e = find(&errs, "the language `so` has no text for");
    assert!(e.file.ends_with("site.toml") && e.line == 4, "{e}");
    assert!(
        e.message.contains("`skip-link`") && e.message.contains("more"),
        "{e}"
    );
    assert!(e.help.as_deref().unwrap().contains("i18n/so.ftl"), "{e}");
    // A file that lacks a few words names each of them.
    fx.write(
        "i18n/so.ftl",
        ENGLISH
            .replace("month-12 = December\n", "")
            .replace("rate-heading =", "# rate-heading ="),
    );
    let errs = fx.build_err();
    let e = find(
        &errs,
        "the language `so` has no text for 2 of the theme's strings",
    );
    assert!(e.file.ends_with("i18n/so.ftl"), "{e}");
    assert!(
        e.message.contains("`rate-heading`") && e.message.contains("`month-12`"),
        "{e}"
    );
    // The site's file gives the words, and may change any built-in one.
    fx.write(
        "i18n/so.ftl",
        ENGLISH.replace(
            "rate-heading = Please rate this page",
            "rate-heading = Qiimee boggan",
        ),
    );
    fx.write("i18n/en.ftl", "rate-heading = Tell us what you think\n");
    fx.build_ok();
    assert!(fx.read("index.html").contains("Tell us what you think"));
    assert!(fx.read("so/index.html").contains("Qiimee boggan"));
    // A broken Fluent file is pointed at.
    fx.write("i18n/so.ftl", "rate-heading = \n  { $x\n");
    let errs = fx.build_err();
    let e = find(&errs, "is not a Fluent message");
    assert!(e.file.ends_with("i18n/so.ftl") && e.line >= 1, "{e}");
}

#[test]
fn required_sections_follow_the_language() {
    let fx = bilingual();
    fx.content(
        "medications/methotrexate.nb.md",
        norwegian(
            "Metotreksat",
            "source_reviewed: 2026-01-15\n",
            "## Hva det er og hva det brukes mot\n\nTekst.\n\n## Bivirkninger\n\nKvalme.\n",
        ),
    );
    let check = check(&fx);
    let missing: Vec<&str> = check
        .diagnostics
        .iter()
        .filter(|d| d.file.ends_with("methotrexate.nb.md"))
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        missing
            .iter()
            .any(|m| m.contains("Før behandlingen starter")),
        "{missing:?}"
    );
    assert!(
        !missing
            .iter()
            .any(|m| m.contains("Bivirkninger\"") || m.contains("Side effects")),
        "{missing:?}"
    );
    let lix = check
        .readability
        .iter()
        .find(|r| r.file.ends_with("methotrexate.nb.md"))
        .unwrap();
    assert_eq!(lix.lang, "nb");
}

#[test]
fn right_to_left_languages_get_dir_rtl() {
    let fx = Fixture::with_config(&format!("{SITE_TOML}\n[languages.ar]\n"));
    fx.content("_index.md", HOME);
    fx.content("_index.ar.md", "---\ntitle: الصفحة الرئيسية\n---\nمرحبا.\n");
    fx.build_ok();
    let ar = fx.read("ar/index.html");
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"), "{ar}");
    assert!(ar.contains("انتقل إلى المحتوى الرئيسي"));
    assert!(fx.read("index.html").contains("dir=\"ltr\""));
}

#[test]
fn strings_prints_the_theme_words_to_start_a_language_from() {
    let out = medsite_cli(&["strings".as_ref(), "en".as_ref()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, ENGLISH);
    // What it prints is a complete language for a site.
    let fx = Fixture::with_config(&format!("{SITE_TOML}\n[languages.so]\n"));
    fx.content("_index.md", HOME);
    fx.write("i18n/so.ftl", &text);
    fx.build_ok();
    let out = medsite_cli(&["strings".as_ref(), "so".as_ref()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("it has: en, nb, ar"));
}

#[test]
fn the_sitemap_is_the_same_from_a_copy_of_the_built_in_template() {
    // The built-in template's sitemap is written without the template; a
    // site's own copy of it goes through the template and must agree.
    let fx = bilingual();
    fx.build_ok();
    let written = fx.read("sitemap.xml");
    assert!(written.contains("hreflang=\"x-default\""), "{written}");
    fx.assert_sitemap_template_agrees(&written);
}
