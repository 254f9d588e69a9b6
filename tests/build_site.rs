//! Integration tests of a whole build: each test writes a small site folder
//! into a temporary directory, builds it, and checks the files written.

mod common;

use common::*;
use medsite::build::{BuildOptions, build};
use std::path::Path;

// ---------------------------------------------------------------------------
// Content tree
// ---------------------------------------------------------------------------

#[test]
fn index_file_makes_a_section_and_the_home_page_is_at_the_root() {
    let fx = Fixture::basic();
    let report = fx.build_ok();
    assert_eq!(report.sections, 2, "home and medications");
    let home = fx.read("index.html");
    assert!(home.contains("<h1>Test home</h1>"), "{home}");
    let section = fx.read("medications/index.html");
    assert!(section.contains("<h1>Medications</h1>"), "{section}");
    assert!(
        section.contains("The list."),
        "the section's body is shown: {section}"
    );
    // a folder without _index.md is no section
    let fx = Fixture::new();
    fx.content("_index.md", HOME);
    fx.content("misc/page.md", article("A page", "", "Text.\n"));
    let report = fx.build_ok();
    assert_eq!(report.sections, 1);
    assert!(fx.exists("misc/page/index.html"));
    assert!(!fx.exists("misc/index.html"));
}

#[test]
fn pages_get_pretty_urls() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        medication("Ilaris", "canakinumab", "", "Body.\n"),
    );
    fx.content("about.md", article("About", "", "About us.\n"));
    fx.build_ok();
    assert!(
        fx.read("medications/ilaris/index.html")
            .contains("<h1>Ilaris</h1>")
    );
    assert!(fx.read("about/index.html").contains("<h1>About</h1>"));
    assert!(!fx.exists("medications/ilaris.html"));
    assert!(!fx.exists("medications/ilaris.md"));
}

#[test]
fn slug_overrides_the_file_name() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        medication("Ilaris", "canakinumab", "slug: canakinumab\n", "Body.\n"),
    );
    fx.build_ok();
    assert!(
        fx.read("medications/canakinumab/index.html")
            .contains("<h1>Ilaris</h1>")
    );
    assert!(!fx.exists("medications/ilaris"));
    assert!(
        fx.read("medications/index.html")
            .contains("href=\"/medications/canakinumab/\"")
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let fx = Fixture::basic();
    fx.content(
        "medications/newdrug.md",
        medication("Newdrug", "newdrug", "draft: true\n", "Body.\n"),
    );
    let report = fx.build_ok();
    assert_eq!(report.medication_pages, 1);
    assert!(!fx.exists("medications/newdrug"));
    assert!(!fx.read("medications/index.html").contains("Newdrug"));
    assert!(!fx.read("sitemap.xml").contains("newdrug"));

    let report = ok(build(&BuildOptions {
        drafts: true,
        ..fx.options()
    }));
    assert_eq!(report.medication_pages, 2);
    assert!(
        fx.read("medications/newdrug/index.html")
            .contains("<h1>Newdrug</h1>")
    );
    assert!(
        fx.read("medications/index.html")
            .contains("href=\"/medications/newdrug/\"")
    );
}

#[test]
fn the_cli_drafts_flag_builds_drafts() {
    let fx = Fixture::basic();
    fx.content(
        "medications/newdrug.md",
        medication("Newdrug", "newdrug", "draft: true\n", "Body.\n"),
    );
    let out = fx.cli(&[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!fx.exists("medications/newdrug"));
    let out = fx.cli(&["--drafts"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        fx.read("medications/newdrug/index.html")
            .contains("<h1>Newdrug</h1>")
    );
}

#[test]
fn a_draft_section_is_left_out_with_its_pages() {
    let fx = Fixture::basic();
    fx.content("guide/_index.md", "---\ntitle: Guide\ndraft: true\n---\n");
    fx.content("guide/exercise.md", article("Exercise", "", "Body.\n"));
    fx.build_ok();
    assert!(!fx.exists("guide"));
    assert!(!fx.read("index.html").contains("/guide/"));
    assert!(!fx.read("sitemap.xml").contains("/guide/"));
    ok(build(&BuildOptions {
        drafts: true,
        ..fx.options()
    }));
    assert!(fx.read("guide/index.html").contains("<h1>Guide</h1>"));
    assert!(fx.exists("guide/exercise/index.html"));
}

#[test]
fn a_link_to_a_draft_page_is_an_error() {
    let fx = Fixture::basic();
    fx.content(
        "medications/newdrug.md",
        medication("Newdrug", "newdrug", "draft: true\n", "Body.\n"),
    );
    fx.content(
        "medications/ilaris.md",
        medication(
            "Ilaris",
            "canakinumab",
            "",
            "Intro.\n\nSee [the new one](newdrug.md).\n",
        ),
    );
    let errs = fx.build_err();
    let d = find(&errs, "newdrug.md");
    assert!(d.message.contains("draft"), "{d}");
    assert_eq!(d.file, Path::new("content/medications/ilaris.md"));
    assert_eq!(d.line, 9, "{d}");
    // with drafts, the link works
    ok(build(&BuildOptions {
        drafts: true,
        ..fx.options()
    }));
    assert!(
        fx.read("medications/ilaris/index.html")
            .contains("href=\"/medications/newdrug/\"")
    );
}

#[test]
fn pages_are_sorted_a_to_z_by_title() {
    let fx = Fixture::basic();
    fx.content(
        "medications/a-file.md",
        medication("Zoledronic acid", "zoledronic acid", "", ""),
    );
    fx.content(
        "medications/b-file.md",
        medication("abatacept", "abatacept", "", ""),
    );
    fx.content(
        "medications/c-file.md",
        medication("Baricitinib", "baricitinib", "", ""),
    );
    fx.build_ok();
    let html = fx.read("medications/index.html");
    let order = [
        pos(&html, "href=\"/medications/b-file/\""),
        pos(&html, "href=\"/medications/c-file/\""),
        pos(&html, "href=\"/medications/methotrexate/\""),
        pos(&html, "href=\"/medications/a-file/\""),
    ];
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "expected abatacept, Baricitinib, Methotrexate, Zoledronic acid:\n{html}"
    );
}

#[test]
fn pages_are_sorted_by_weight_when_the_section_asks() {
    let fx = Fixture::new();
    fx.content("_index.md", HOME);
    fx.content(
        "guide/_index.md",
        "---\ntitle: Guide\nsort_by: weight\n---\n",
    );
    fx.content("guide/a.md", article("Alpha", "weight: 3\n", ""));
    fx.content("guide/b.md", article("Beta", "weight: 1\n", ""));
    fx.content("guide/c.md", article("Gamma", "weight: 2\n", ""));
    fx.build_ok();
    let html = fx.read("guide/index.html");
    let (b, c, a) = (
        pos(&html, "href=\"/guide/b/\""),
        pos(&html, "href=\"/guide/c/\""),
        pos(&html, "href=\"/guide/a/\""),
    );
    assert!(
        b < c && c < a,
        "expected Beta (1), Gamma (2), Alpha (3):\n{html}"
    );
}

#[test]
fn files_next_to_pages_are_copied_and_links_to_them_work() {
    let fx = Fixture::basic();
    let pdf = b"%PDF-1.4 not really\x00\x01\x02";
    let png = b"\x89PNG\r\n\x1a\nfake image";
    fx.content("medications/ilaris-leaflet.pdf", pdf);
    fx.content("medications/images/injection.png", png);
    fx.content(
        "medications/ilaris.md",
        medication(
            "Ilaris",
            "canakinumab",
            "",
            "Read [the leaflet](ilaris-leaflet.pdf).\n\n![How to inject](images/injection.png)\n",
        ),
    );
    fx.content(
        "about.md",
        article("About", "", "[Leaflet](medications/ilaris-leaflet.pdf)\n"),
    );
    fx.build_ok();
    assert_eq!(
        std::fs::read(fx.out().join("medications/ilaris-leaflet.pdf")).unwrap(),
        pdf
    );
    assert_eq!(
        std::fs::read(fx.out().join("medications/images/injection.png")).unwrap(),
        png
    );
    let html = fx.read("medications/ilaris/index.html");
    assert!(
        html.contains("href=\"/medications/ilaris-leaflet.pdf\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"/medications/images/injection.png\""),
        "{html}"
    );
    assert!(
        fx.read("about/index.html")
            .contains("href=\"/medications/ilaris-leaflet.pdf\"")
    );
}

#[test]
fn hidden_and_editor_swap_files_are_ignored() {
    let fx = Fixture::basic();
    // None of these would build: no front matter, or not text at all.
    fx.content(
        "medications/.methotrexate.md.swp",
        b"b0VIM 8.2\x00\x00\xff\xfe swap",
    );
    fx.content(
        "medications/methotrexate.md~",
        "old copy without front matter",
    );
    fx.content(".hidden.md", "no front matter here");
    fx.content("medications/.notes.md", "---\ntitle: Hidden notes\n");
    fx.content(".secret/page.md", "broken");
    fx.build_ok();
    let files = snapshot(&fx.out());
    for name in files.keys() {
        assert!(
            !name
                .split('/')
                .any(|s| s.starts_with('.') || s.ends_with('~') || s.ends_with(".swp")),
            "{name} should not be in the output"
        );
    }
    assert!(!fx.exists("hidden"));
    assert!(!fx.exists("secret"));
    assert!(!fx.read("medications/index.html").contains("Hidden notes"));
}

// ---------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------

const ILARIS_YAML: &str = "---
title: Ilaris (canakinumab)
generic_name: canakinumab
brand_names: [Ilaris]
atc_code: L04AC08
drug_class: Interleukin-1 inhibitor
forms: [\"Injection, 150 mg/ml\"]
conditions: [Gout, Still's disease]
summary: A biological medicine that blocks interleukin-1.
last_reviewed: 2026-11-01
next_review: 2027-11-01
reviewed_by: Example Rheumatology Department
sources:
  - title: Ilaris, summary of product characteristics (EMA)
    url: https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris
    publisher: European Medicines Agency
    accessed: 2026-10-01
related: [methotrexate.md]
extra:
  note: hello
---
";

const ILARIS_TOML: &str = "+++
title = \"Ilaris (canakinumab)\"
generic_name = \"canakinumab\"
brand_names = [\"Ilaris\"]
atc_code = \"L04AC08\"
drug_class = \"Interleukin-1 inhibitor\"
forms = [\"Injection, 150 mg/ml\"]
conditions = [\"Gout\", \"Still's disease\"]
summary = \"A biological medicine that blocks interleukin-1.\"
last_reviewed = 2026-11-01
next_review = \"2027-11-01\"
reviewed_by = \"Example Rheumatology Department\"
related = [\"methotrexate.md\"]

[[sources]]
title = \"Ilaris, summary of product characteristics (EMA)\"
url = \"https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris\"
publisher = \"European Medicines Agency\"
accessed = 2026-10-01

[extra]
note = \"hello\"
+++
";

const ILARIS_BODY: &str = "
## What it is

Ilaris contains canakinumab. See also [methotrexate](methotrexate.md#side-effects).

## Side effects

Pain at the injection site.

## Checks and follow-up

Blood tests.
";

#[test]
fn yaml_and_toml_front_matter_build_the_same_page() {
    let build_with = |front: &str| {
        let fx = Fixture::basic();
        fx.content("medications/ilaris.md", format!("{front}{ILARIS_BODY}"));
        fx.build_ok();
        let files = snapshot(&fx.out());
        (fx, files)
    };
    let (yaml_fx, yaml) = build_with(ILARIS_YAML);
    let (_toml_fx, toml) = build_with(ILARIS_TOML);
    let page = yaml_fx.read("medications/ilaris/index.html");
    for expected in [
        "<h1>Ilaris (canakinumab)</h1>",
        "L04AC08",
        "1 November 2026",
        "European Medicines Agency",
        "(read 2026-10-01)",
    ] {
        assert!(page.contains(expected), "{expected:?} missing:\n{page}");
    }
    assert_eq!(
        yaml.keys().collect::<Vec<_>>(),
        toml.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &yaml {
        assert!(
            toml[name] == *bytes,
            "{name} differs between YAML and TOML front matter:\n--- yaml\n{}\n--- toml\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&toml[name])
        );
    }
}

#[test]
fn medication_page_shows_generic_and_brand_names_and_atc_code() {
    let fx = Fixture::basic();
    fx.content(
        "medications/adalimumab.md",
        medication(
            "Adalimumab",
            "adalimumab",
            "brand_names: [Humira, Hyrimoz]\natc_code: L04AB04\n",
            "Body.\n",
        ),
    );
    fx.build_ok();
    let html = fx.read("medications/adalimumab/index.html");
    assert!(html.contains("Generic name: adalimumab"), "{html}");
    assert!(html.contains("Brand names: Humira, Hyrimoz"), "{html}");
    assert!(html.contains("<dt>ATC code</dt><dd>L04AB04</dd>"), "{html}");
}

#[test]
fn section_page_kind_sets_the_default_kind_of_its_pages() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        medication("Ilaris", "canakinumab", "", "Body.\n"),
    );
    fx.content(
        "medications/living-with.md",
        article("Living with arthritis", "kind: article\n", "Body.\n"),
    );
    fx.content("guide/_index.md", "---\ntitle: Guide\n---\n");
    fx.content("guide/exercise.md", article("Exercise", "", "Body.\n"));
    let report = fx.build_ok();
    assert_eq!(report.medication_pages, 2);
    assert_eq!(report.article_pages, 2);
    assert!(
        fx.read("medications/ilaris/index.html")
            .contains("page-medication")
    );
    assert!(
        fx.read("medications/living-with/index.html")
            .contains("page-article")
    );
    assert!(
        fx.read("guide/exercise/index.html")
            .contains("page-article")
    );

    // A page without `kind` in a medication section must meet the
    // requirements of a medication page.
    fx.content("medications/plain.md", article("Plain", "", "Body.\n"));
    let errs = fx.build_err();
    let d = find(&errs, "generic_name");
    assert_eq!(d.file, Path::new("content/medications/plain.md"));
}

#[test]
fn an_unknown_key_is_an_error_with_did_you_mean() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        "---\ntitle: Ilaris\ngeneric_nam: canakinumab\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\n---\n",
    );
    let errs = fx.build_err();
    let d = find(&errs, "generic_nam");
    assert_eq!(d.file, Path::new("content/medications/ilaris.md"));
    assert_eq!(d.line, 3, "{d}");
    let help = d.help.as_deref().unwrap_or_default();
    assert!(help.contains("did you mean `generic_name`"), "{d}");

    let fx = Fixture::basic();
    fx.content("about.md", "+++\ntitle = \"About\"\nsumary = \"x\"\n+++\n");
    let errs = fx.build_err();
    let d = find(&errs, "sumary");
    assert_eq!(d.file, Path::new("content/about.md"));
    assert_eq!(d.line, 3, "{d}");
    assert!(
        d.help
            .as_deref()
            .unwrap_or_default()
            .contains("did you mean `summary`"),
        "{d}"
    );
}

fn two_broken_files() -> Fixture {
    let fx = Fixture::basic();
    fx.content(
        "medications/a.md",
        "---\ntitle: A\ngeneric_nam: a\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\n---\n",
    );
    fx.content(
        "medications/b.md",
        "---\ntitle: B\ngeneric_name: b\nlast_reviewed: 2026-11-01\natc_code: l04ac08\nnext_review: 2027-11-01\n---\n",
    );
    fx
}

#[test]
fn errors_from_several_files_are_reported_together() {
    let fx = two_broken_files();
    let errs = fx.build_err();
    assert_eq!(
        errs.len(),
        2,
        "{}",
        medsite::diagnostics::Diagnostics(errs.clone())
    );
    let a = find(&errs, "generic_nam");
    assert_eq!(
        (a.file.as_path(), a.line),
        (Path::new("content/medications/a.md"), 3)
    );
    let b = find(&errs, "ATC");
    assert_eq!(
        (b.file.as_path(), b.line),
        (Path::new("content/medications/b.md"), 5)
    );
}

#[test]
fn front_matter_and_link_errors_of_different_files_are_reported_together() {
    let fx = Fixture::basic();
    fx.content("a.md", "---\ntitle: A\nsumary: x\n---\nBody.\n");
    fx.content(
        "b.md",
        "---\ntitle: B\nrelated: [d.md]\n---\n[x](nowhere.md)\n",
    );
    fx.content("d.md", "---\ntitle: D\ndraft: true\n---\n");
    let errs = fx.build_err();
    assert_eq!(
        errs.len(),
        3,
        "{}",
        medsite::diagnostics::Diagnostics(errs.clone())
    );
    let a = find(&errs, "sumary");
    assert_eq!((a.file.as_path(), a.line), (Path::new("content/a.md"), 3));
    let related = find(&errs, "draft");
    assert_eq!(
        (related.file.as_path(), related.line),
        (Path::new("content/b.md"), 3)
    );
    let link = find(&errs, "nowhere.md");
    assert_eq!(
        (link.file.as_path(), link.line),
        (Path::new("content/b.md"), 5)
    );
}

#[test]
fn cli_reports_every_broken_file_with_location_and_fails() {
    let fx = two_broken_files();
    let errs = fx.build_err();
    let out = fx.cli(&[]);
    assert_eq!(out.status.code(), Some(1), "the build must fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for d in &errs {
        assert!(d.column > 0, "{d}");
        let at = format!("{}:{}:{}", d.file.display(), d.line, d.column);
        assert!(stderr.contains(&at), "stderr should name {at}:\n{stderr}");
    }
    assert!(stderr.contains("content/medications/a.md:3:"), "{stderr}");
    assert!(stderr.contains("content/medications/b.md:5:"), "{stderr}");
    assert!(stderr.contains("2 errors"), "{stderr}");
    assert!(!fx.out().exists());
}

#[test]
fn cli_prints_a_summary_on_success() {
    let fx = Fixture::basic();
    let out = fx.cli(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Built "), "{stdout}");
    assert!(stdout.contains("1 medication"), "{stdout}");
    assert!(fx.exists("medications/methotrexate/index.html"));
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

#[test]
fn headings_get_ids_and_anchor_links_and_a_table_of_contents() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        format!("{ILARIS_YAML}{ILARIS_BODY}"),
    );
    fx.build_ok();
    let html = fx.read("medications/ilaris/index.html");
    for (id, title) in [
        ("what-it-is", "What it is"),
        ("side-effects", "Side effects"),
        ("checks-and-follow-up", "Checks and follow-up"),
    ] {
        assert!(
            html.contains(&format!(
                "<h2 id=\"{id}\">{title} <a class=\"anchor\" href=\"#{id}\""
            )),
            "heading {id}:\n{html}"
        );
    }
    let toc = between(&html, "<nav class=\"toc\"", "</nav>");
    let a = pos(toc, "<a href=\"#what-it-is\">What it is</a>");
    let b = pos(toc, "<a href=\"#side-effects\">Side effects</a>");
    let c = pos(
        toc,
        "<a href=\"#checks-and-follow-up\">Checks and follow-up</a>",
    );
    assert!(a < b && b < c, "{toc}");
}

#[test]
fn heading_ids_are_unique_and_never_take_the_ids_of_the_page_template() {
    let fx = Fixture::basic();
    fx.content(
        "about.md",
        article("About", "", "## Dosage\n\n## Dosage\n\n## Rate\n\n## Main\n\n## Sources heading\n\n## Før behandling\n\n[a](#dosage-1) [b](#rate-1) [c](#før-behandling)\n"),
    );
    fx.build_ok();
    let html = fx.read("about/index.html");
    for id in [
        "dosage",
        "dosage-1",
        "rate-1",
        "main-1",
        "sources-heading-1",
        "før-behandling",
    ] {
        assert!(html.contains(&format!("<h2 id=\"{id}\">")), "{id}:\n{html}");
    }
    let mut ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids on the page: {html}");
}

#[test]

fn a_heading_never_takes_an_id_already_used_in_raw_html() {
    let fx = Fixture::basic();
    fx.content(
        "about.md",
        article(
            "About",
            "",
            "<div id=\"dosage\">Box</div>\n\n## Dosage\n\nText.\n",
        ),
    );
    fx.build_ok();
    let html = fx.read("about/index.html");
    assert_eq!(html.matches("id=\"dosage\"").count(), 1, "{html}");
}

#[test]
fn links_to_other_pages_become_their_urls() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        format!(
            "{ILARIS_YAML}{ILARIS_BODY}\n[All medicines](_index.md) and [about](../about.md).\n"
        ),
    );
    fx.content(
        "about.md",
        article("About", "", "See [Ilaris](medications/ilaris.md).\n"),
    );
    fx.build_ok();
    let html = fx.read("medications/ilaris/index.html");
    assert!(
        html.contains("<a href=\"/medications/methotrexate/#side-effects\">methotrexate</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/medications/\">All medicines</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/about/\">about</a>"), "{html}");
    assert!(
        fx.read("about/index.html")
            .contains("<a href=\"/medications/ilaris/\">Ilaris</a>")
    );
    assert!(
        !html.contains(".md\""),
        "no link to a .md file is left: {html}"
    );
}

#[test]
fn a_link_to_a_missing_heading_is_an_error_with_file_and_line() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        medication(
            "Ilaris",
            "canakinumab",
            "",
            "Intro.\n\nSee [methotrexate](methotrexate.md#missing-heading).\n",
        ),
    );
    let errs = fx.build_err();
    let d = find(&errs, "missing-heading");
    assert_eq!(d.file, Path::new("content/medications/ilaris.md"));
    assert_eq!(d.line, 9, "{d}");
    // and the heading that exists is fine
    fx.content(
        "medications/ilaris.md",
        medication(
            "Ilaris",
            "canakinumab",
            "",
            "Intro.\n\nSee [methotrexate](methotrexate.md#side-effects).\n",
        ),
    );
    fx.build_ok();
}

#[test]
fn a_link_to_a_missing_heading_of_the_same_page_is_an_error() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        medication(
            "Ilaris",
            "canakinumab",
            "",
            "## Dosage\n\nSee [below](#side-efects).\n",
        ),
    );
    let errs = fx.build_err();
    let d = find(&errs, "#side-efects");
    assert_eq!(d.file, Path::new("content/medications/ilaris.md"));
    assert_eq!(d.line, 9, "{d}");
}

#[test]
fn a_link_to_a_missing_page_is_an_error_with_file_and_line() {
    let fx = Fixture::basic();
    fx.content(
        "medications/ilaris.md",
        medication(
            "Ilaris",
            "canakinumab",
            "",
            "Intro.\n\nMore text.\n\nSee [gout](../conditions/gout.md).\n",
        ),
    );
    let errs = fx.build_err();
    let d = find(&errs, "gout.md");
    assert_eq!(d.file, Path::new("content/medications/ilaris.md"));
    assert_eq!((d.line, d.column), (11, 5), "the link's place: {d}");
    assert_eq!(
        d.snippet.as_deref(),
        Some("See [gout](../conditions/gout.md).")
    );
}

const SCRIPT_BODY: &str =
    "Intro.\n\n<div class=\"box\">Hello <script>alert('pwned')</script></div>\n";

#[test]
fn script_in_raw_html_is_removed_with_a_warning() {
    let fx = Fixture::basic();
    fx.content("about.md", article("About", "", SCRIPT_BODY));
    let report = fx.build_ok();
    let html = fx.read("about/index.html");
    assert!(!html.contains("alert('pwned')"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("Hello"), "the rest of the HTML stays: {html}");
    let w = report
        .warnings
        .iter()
        .find(|w| w.file == Path::new("content/about.md"))
        .unwrap_or_else(|| panic!("no warning for content/about.md: {:?}", report.warnings));
    assert!(!w.is_error());
    assert_eq!(w.line, 6, "{w}");
}

#[test]
fn script_in_raw_html_is_kept_when_the_site_allows_it() {
    let fx = Fixture::with_config(&format!(
        "{SITE_TOML}\n[markdown]\nallow_unsafe_html = true\n"
    ));
    fx.content("_index.md", HOME);
    fx.content("about.md", article("About", "", SCRIPT_BODY));
    let report = fx.build_ok();
    assert!(
        fx.read("about/index.html")
            .contains("<script>alert('pwned')</script>")
    );
    assert!(
        report.warnings.iter().all(|w| w.message.contains("review")),
        "only review dates may come due: {:?}",
        report.warnings
    );
}

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

#[test]
fn a_site_without_templates_builds_with_the_embedded_theme() {
    let fx = Fixture::basic();
    assert!(!fx.root().join("templates").exists());
    assert!(!fx.root().join("static").exists());
    fx.build_ok();
    let html = fx.read("medications/methotrexate/index.html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/css/medsite.css\">"),
        "{html}"
    );
    // The theme's own files, as they are in the repository's static/.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
    for file in ["css/medsite.css", "js/medsite.js"] {
        let want = std::fs::read_to_string(theme.join(file)).unwrap();
        assert!(!want.trim().is_empty(), "{file}");
        assert_eq!(fx.read(file), want, "{file}");
    }
}

#[test]
fn a_template_in_the_site_overrides_the_built_in_one() {
    let fx = Fixture::basic();
    fx.write(
        "templates/medication.html",
        "{% extends \"base.html\" %}\n{% block main %}<p class=\"custom\">Custom page for {{ page.title }}</p>{% endblock main %}\n",
    );
    fx.content("about.md", article("About", "", "Text.\n"));
    fx.build_ok();
    let html = fx.read("medications/methotrexate/index.html");
    assert!(
        html.contains("<p class=\"custom\">Custom page for Methotrexate</p>"),
        "{html}"
    );
    assert!(
        !html.contains("page-medication"),
        "the built-in template was not used: {html}"
    );
    // other templates are still the built-in ones
    assert!(fx.read("about/index.html").contains("page-article"));
}

#[test]
fn a_template_syntax_error_names_the_template_file_and_line() {
    let fx = Fixture::basic();
    fx.write(
        "templates/medication.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock main %}\n",
    );
    let errs = fx.build_err();
    let d = &errs[0];
    assert_eq!(d.file, Path::new("templates/medication.html"), "{d}");
    assert_eq!((d.line, d.column), (3, 19), "{d}");
    assert!(!fx.out().exists());
    let out = fx.cli(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("templates/medication.html:3:"));

    // in a partial that overrides the built-in one
    let fx = Fixture::basic();
    fx.write(
        "templates/partials/share.html",
        "<div>\n{% if page.title %}\n{{ page.title }\n",
    );
    let errs = fx.build_err();
    let d = &errs[0];
    assert_eq!(
        (d.file.as_path(), d.line),
        (Path::new("templates/partials/share.html"), 3),
        "{d}"
    );
}

#[test]
fn a_template_error_shows_the_line_of_the_site_template() {
    let fx = Fixture::basic();
    fx.write(
        "templates/medication.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock main %}\n",
    );
    let errs = fx.build_err();
    let d = &errs[0];
    assert_eq!(
        (d.file.as_path(), d.line),
        (Path::new("templates/medication.html"), 3),
        "{d}"
    );
    assert_eq!(
        d.snippet.as_deref(),
        Some("<h1>{{ page.title }</h1>"),
        "{d}"
    );
}

#[test]

fn an_unknown_filter_in_a_template_names_the_template_file_and_line() {
    let fx = Fixture::basic();
    fx.write(
        "templates/medication.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title | shout }}</h1>\n{% endblock main %}\n",
    );
    let errs = fx.build_err();
    let d = &errs[0];
    assert!(d.message.contains("shout"), "{d}");
    assert_eq!(
        (d.file.as_path(), d.line),
        (Path::new("templates/medication.html"), 3),
        "{d}"
    );
}

// ---------------------------------------------------------------------------
// The medication page
// ---------------------------------------------------------------------------

fn ilaris_site() -> Fixture {
    let fx = Fixture::with_config(&format!(
        "{SITE_TOML}\n[feedback]\nendpoint = \"https://feedback.example.org/api\"\n"
    ));
    fx.content("_index.md", HOME);
    fx.content("medications/_index.md", MEDICATIONS);
    fx.content(
        "medications/methotrexate.md",
        medication(
            "Methotrexate",
            "methotrexate",
            "conditions: [Gout]\nsummary: A tablet taken once a week.\n",
            "## Side effects\n\nNausea.\n",
        ),
    );
    fx.content(
        "medications/ilaris.md",
        format!("{ILARIS_YAML}{ILARIS_BODY}"),
    );
    fx.build_ok();
    fx
}

#[test]
fn medication_page_has_one_h1_rate_link_and_rating_widget() {
    let fx = ilaris_site();
    let html = fx.read("medications/ilaris/index.html");
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    let jump = pos(&html, "<a href=\"#rate\">Please rate this page</a>");
    let widget = pos(&html, "id=\"rate\"");
    assert!(jump < widget, "the link to the widget comes before it");
    let rating = between(&html, "<section id=\"rate\"", "</section>");
    let form = tag_with(rating, "<form");
    assert!(form.contains("method=\"post\""), "{form}");
    assert!(
        form.contains("action=\"https://feedback.example.org/api/rating\""),
        "{form}"
    );
    assert!(
        rating.contains("<fieldset>") && rating.contains("</fieldset>"),
        "{rating}"
    );
    assert!(rating.contains("<legend>"), "{rating}");
    assert_eq!(rating.matches("type=\"radio\"").count(), 5, "{rating}");
    for n in 1..=5 {
        let radio = tag_with(rating, &format!("id=\"rating-{n}\""));
        assert!(
            radio.contains("name=\"rating\"") && radio.contains(&format!("value=\"{n}\"")),
            "{radio}"
        );
        assert!(
            rating.contains(&format!("<label for=\"rating-{n}\">")),
            "{rating}"
        );
    }
    assert!(
        rating.contains("Do not include personal information"),
        "{rating}"
    );
    let hidden = tag_with(rating, "name=\"page\"");
    assert!(
        hidden.contains("type=\"hidden\"") && hidden.contains("value=\"/medications/ilaris/\""),
        "{hidden}"
    );
}

#[test]
fn medication_page_has_hidden_visit_counter_and_share_block() {
    let fx = ilaris_site();
    let html = fx.read("medications/ilaris/index.html");
    let counter = tag_with(&html, "class=\"visit-counter\"");
    assert!(
        counter.contains(" hidden"),
        "the counter stays hidden until the service answers: {counter}"
    );
    assert!(
        counter.contains("data-page=\"/medications/ilaris/\""),
        "{counter}"
    );
    let share = between(&html, "<div class=\"share\"", "</div>");
    assert!(
        share.contains("data-share-url=\"https://example.org/medications/ilaris/\""),
        "{share}"
    );
    assert!(share.contains("href=\"mailto:"), "{share}");
}

#[test]
fn medication_page_has_review_dates_sources_more_information_and_breadcrumb() {
    let fx = ilaris_site();
    let html = fx.read("medications/ilaris/index.html");
    assert!(
        html.contains("Page last reviewed: <time datetime=\"2026-11-01\">1 November 2026</time>"),
        "{html}"
    );
    assert!(
        html.contains("Next review due: <time datetime=\"2027-11-01\">1 November 2027</time>"),
        "{html}"
    );
    let sources = between(&html, "<section class=\"sources\"", "</section>");
    assert!(
        sources.contains("<a href=\"https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris\">Ilaris, summary of product characteristics (EMA)</a>"),
        "{sources}"
    );
    let more = between(&html, "For more information", "</section>");
    assert!(
        more.contains("<a href=\"/medications/methotrexate/\">Methotrexate</a>"),
        "related page: {more}"
    );
    assert!(
        more.contains("<a href=\"/medications/\">Medications</a>"),
        "section: {more}"
    );
    let crumbs = between(&html, "aria-label=\"Breadcrumb\"", "</nav>");
    let home = pos(crumbs, "<a href=\"/\">Home</a>");
    let section = pos(crumbs, "<a href=\"/medications/\">Medications</a>");
    let here = pos(
        crumbs,
        "<a href=\"/medications/ilaris/\" aria-current=\"page\">Ilaris (canakinumab)</a>",
    );
    assert!(home < section && section < here, "{crumbs}");
}

#[test]
fn medication_page_has_json_ld() {
    let fx = ilaris_site();
    let html = fx.read("medications/ilaris/index.html");
    let start = pos(&html, "<script type=\"application/ld+json\">")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let v: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["@type"], "MedicalWebPage");
    assert_eq!(v["lastReviewed"], "2026-11-01");
    assert_eq!(v["reviewedBy"]["name"], "Example Rheumatology Department");
    assert_eq!(v["url"], "https://example.org/medications/ilaris/");
    let drug = &v["about"];
    assert_eq!(drug["@type"], "Drug");
    assert_eq!(drug["nonProprietaryName"], "canakinumab");
    assert_eq!(drug["proprietaryName"], "Ilaris");
    assert_eq!(drug["code"]["codeValue"], "L04AC08");
}

// ---------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------

#[test]
fn section_of_medications_lists_them_a_to_z() {
    let fx = ilaris_site();
    let html = fx.read("medications/index.html");
    let c = pos(&html, "<a href=\"/medications/ilaris/\">canakinumab</a>");
    let i = pos(
        &html,
        "<a href=\"/medications/ilaris/\">Ilaris – see canakinumab</a>",
    );
    let m = pos(
        &html,
        "<a href=\"/medications/methotrexate/\">methotrexate</a>",
    );
    assert!(c < i && i < m, "A to Z: {html}");
}

#[test]
fn section_of_articles_lists_its_pages_with_summaries() {
    let fx = Fixture::new();
    fx.content("_index.md", HOME);
    fx.content(
        "guide/_index.md",
        "---\ntitle: Living with arthritis\n---\n",
    );
    fx.content(
        "guide/exercise.md",
        article("Exercise", "summary: Moving helps the joints.\n", ""),
    );
    fx.content(
        "guide/diet.md",
        article("Diet", "summary: What to eat.\n", ""),
    );
    fx.build_ok();
    let html = fx.read("guide/index.html");
    let d = pos(&html, "<a href=\"/guide/diet/\">Diet</a>");
    let e = pos(&html, "<a href=\"/guide/exercise/\">Exercise</a>");
    assert!(d < e, "by title: {html}");
    assert!(html.contains("Moving helps the joints."), "{html}");
    assert!(!html.contains("az-nav"), "articles have no A–Z: {html}");
}

#[test]
fn home_page_lists_the_sections() {
    let fx = ilaris_site();
    fx.content(
        "guide/_index.md",
        "---\ntitle: Living with arthritis\nsummary: Everyday advice.\n---\n",
    );
    fx.content("guide/exercise.md", article("Exercise", "", ""));
    fx.build_ok();
    let html = fx.read("index.html");
    let main = between(&html, "<main", "</main>");
    assert!(
        main.contains("<a href=\"/medications/\">Medications</a>"),
        "{main}"
    );
    assert!(
        main.contains("<a href=\"/guide/\">Living with arthritis</a>"),
        "{main}"
    );
    assert!(main.contains("Everyday advice."), "{main}");
}

#[test]
fn conditions_are_listed_with_counts_and_each_has_a_page() {
    let fx = ilaris_site();
    let html = fx.read("conditions/index.html");
    let list = between(&html, "<main", "</main>");
    assert!(
        list.contains(
            "<a href=\"/conditions/gout/\">Gout</a> <span class=\"count\">(2 medicines)</span>"
        ),
        "{list}"
    );
    assert!(list.contains("<a href=\"/conditions/stills-disease/\">Still&#39;s disease</a> <span class=\"count\">(1 medicine)</span>"), "{list}");
    let gout = fx.read("conditions/gout/index.html");
    let main = between(&gout, "<main", "</main>");
    assert!(main.contains("<h1>Gout</h1>"), "{main}");
    assert!(main.contains("href=\"/medications/ilaris/\""), "{main}");
    assert!(
        main.contains("href=\"/medications/methotrexate/\""),
        "{main}"
    );
    let stills = fx.read("conditions/stills-disease/index.html");
    assert!(stills.contains("href=\"/medications/ilaris/\""));
    assert!(
        !between(&stills, "<main", "</main>").contains("href=\"/medications/methotrexate/\""),
        "{stills}"
    );
}

#[test]
fn sitemap_robots_and_404_are_written() {
    let fx = ilaris_site();
    let sitemap = fx.read("sitemap.xml");
    for loc in [
        "https://example.org/",
        "https://example.org/medications/",
        "https://example.org/medications/ilaris/",
        "https://example.org/medications/methotrexate/",
        "https://example.org/conditions/gout/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{loc}</loc>")),
            "{loc} missing:\n{sitemap}"
        );
    }
    let robots = fx.read("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l.trim() == "Sitemap: https://example.org/sitemap.xml"),
        "{robots}"
    );
    let not_found = fx.read("404.html");
    assert!(not_found.contains("Page not found"), "{not_found}");
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let fx = ilaris_site();
    let before = snapshot(&fx.out());
    assert!(before.contains_key("medications/ilaris/index.html"));
    fx.content(
        "medications/ilaris.md",
        format!("{ILARIS_YAML}{ILARIS_BODY}\n[broken](nowhere.md)\n"),
    );
    fx.content("medications/new.md", medication("New", "new", "", ""));
    fx.build_err();
    assert_eq!(
        snapshot(&fx.out()),
        before,
        "the output changed after a failed build"
    );
    assert_eq!(
        fx.leftovers(),
        Vec::<String>::new(),
        "staging folders left beside the output"
    );
    // a failed CLI build does the same
    let out = fx.cli(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&fx.out()), before);
    assert_eq!(fx.leftovers(), Vec::<String>::new());
}

#[test]
fn files_of_earlier_builds_disappear_on_success() {
    let fx = ilaris_site();
    assert!(fx.exists("medications/ilaris/index.html"));
    std::fs::write(fx.out().join("stray.html"), "left by hand").unwrap();
    fx.remove("content/medications/ilaris.md");
    fx.build_ok();
    assert!(!fx.exists("medications/ilaris"));
    assert!(!fx.exists("conditions/stills-disease"));
    assert!(!fx.exists("stray.html"));
    assert!(fx.exists("medications/methotrexate/index.html"));
    assert!(!fx.read("sitemap.xml").contains("ilaris"));
    assert_eq!(fx.leftovers(), Vec::<String>::new());
    // the output is exactly what a fresh build writes
    let fresh = tempfile::tempdir().unwrap();
    ok(build(&BuildOptions {
        output: Some(fresh.path().join("out")),
        ..fx.options()
    }));
    let names = |d: &Path| snapshot(d).into_keys().collect::<Vec<_>>();
    assert_eq!(names(&fx.out()), names(&fresh.path().join("out")));
}

#[test]
fn base_url_with_a_sub_path_prefixes_every_link() {
    let fx = ilaris_site();
    fx.content(
        "about.md",
        article(
            "About",
            "",
            "See [Ilaris](medications/ilaris.md) and [conditions](/conditions/).\n\n[Leaflet](medications/leaflet.pdf) ![Pen](medications/pen.png)\n",
        ),
    );
    fx.content("medications/leaflet.pdf", "pdf");
    fx.content("medications/pen.png", "png");
    let out = fx.cli(&["--base-url", "https://example.org/sub/"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = fx.read("medications/ilaris/index.html");
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/sub/css/medsite.css\">"),
        "{html}"
    );
    assert!(
        html.contains(
            "<link rel=\"canonical\" href=\"https://example.org/sub/medications/ilaris/\">"
        ),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/sub/medications/methotrexate/#side-effects\">methotrexate</a>"),
        "{html}"
    );
    assert!(
        fx.read("medications/index.html")
            .contains("<a href=\"/sub/medications/ilaris/\">")
    );
    let about = fx.read("about/index.html");
    assert!(
        about.contains("<a href=\"/sub/medications/ilaris/\">Ilaris</a>"),
        "{about}"
    );
    assert!(
        about.contains("<a href=\"/sub/conditions/\">conditions</a>"),
        "{about}"
    );
    assert!(
        about.contains("<a href=\"/sub/medications/leaflet.pdf\">Leaflet</a>"),
        "{about}"
    );
    assert!(
        about.contains("src=\"/sub/medications/pen.png\""),
        "{about}"
    );
    assert!(
        fx.read("sitemap.xml")
            .contains("<loc>https://example.org/sub/medications/ilaris/</loc>")
    );
    assert!(
        fx.read("robots.txt")
            .contains("Sitemap: https://example.org/sub/sitemap.xml")
    );
    // no root-relative link anywhere escapes the sub-path
    for (name, bytes) in snapshot(&fx.out()) {
        if !name.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        for attr in ["href=\"/", "src=\"/", "action=\"/"] {
            for (i, _) in text.match_indices(attr) {
                let rest = &text[i + attr.len() - 1..];
                assert!(
                    rest.starts_with("/sub/") || rest.starts_with("/api/"),
                    "{name}: link outside /sub/: {}",
                    &rest[..rest.len().min(60)]
                );
            }
        }
    }
}

#[test]
fn the_output_folder_may_not_be_the_site_folder_or_content() {
    let fx = Fixture::basic();
    let before = snapshot(fx.root());
    for output in [
        fx.root().to_path_buf(),
        fx.root().join("content"),
        fx.root().join("content/medications"),
    ] {
        let errs = errors(build(&BuildOptions {
            output: Some(output.clone()),
            ..fx.options()
        }));
        assert!(errs[0].message.contains("overwrite"), "{}", errs[0]);
        assert_eq!(
            snapshot(fx.root()),
            before,
            "the site folder changed with output {}",
            output.display()
        );
    }
    let out = medsite_cli(&[
        "build".as_ref(),
        "--root".as_ref(),
        fx.root().as_os_str(),
        "--output".as_ref(),
        fx.root().as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("overwrite"));
    assert_eq!(snapshot(fx.root()), before);
}

// ---------------------------------------------------------------------------
// The example site in the repository
// ---------------------------------------------------------------------------

#[test]
fn the_example_site_builds_without_errors_or_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let report = ok(build(&BuildOptions {
        root: env!("CARGO_MANIFEST_DIR").into(),
        output: Some(out.clone()),
        base_url: None,
        drafts: false,
    }));
    // The example's review dates come due one day; nothing else may warn.
    assert!(
        report.warnings.iter().all(|w| w.message.contains("review")),
        "warnings:\n{}",
        medsite::diagnostics::Diagnostics(report.warnings.clone())
    );
    assert!(report.medication_pages >= 7, "{}", report.summary());
    let pages = std::fs::read_dir(out.join("medications"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count();
    assert!(pages >= 7, "{pages} medication pages");
    let ilaris = std::fs::read_to_string(out.join("medications/ilaris/index.html")).unwrap();
    let lower = ilaris.to_lowercase();
    assert!(lower.contains("tuberculosis (tb)"), "{ilaris}");
    assert!(ilaris.contains("interleukin"));
    assert!(ilaris.contains("Every 8 weeks"));
    assert!(lower.contains("macrophage activation syndrome (mas)"));
    for slip in ["Tuberkulosis", "Intererleukin", "cannot cause pregnancy"] {
        assert!(
            !ilaris.contains(slip),
            "{slip:?} is still on the Ilaris page"
        );
    }
}

#[test]
fn listing_pages_carry_the_rating_widget_and_the_counter_for_their_own_address() {
    let fx = ilaris_site();
    for (file, path) in [
        ("index.html", "/"),
        ("medications/index.html", "/medications/"),
        ("conditions/index.html", "/conditions/"),
        ("conditions/gout/index.html", "/conditions/gout/"),
    ] {
        let html = fx.read(file);
        let widget = between(&html, "<section id=\"rate\"", "</section>");
        assert!(
            widget.contains(&format!(
                "<input type=\"hidden\" name=\"page\" value=\"{path}\">"
            )),
            "{file}: {widget}"
        );
        assert!(
            html.contains(&format!("class=\"visit-counter\" data-endpoint=\"https://feedback.example.org/api\" data-page=\"{path}\" data-one=")),
            "{file}"
        );
    }
    assert!(
        !fx.read("404.html").contains("id=\"rate\""),
        "the 404 page has no widget"
    );
}
