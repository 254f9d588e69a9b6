//! Rules for the content of patient pages that `medsite check` enforces and
//! the theme shows: two sources with one address, abbreviations never
//! written out, findings printed once, and Markdown alerts as callouts.
//! Through the binary, on small sites in temporary folders.

use std::path::Path;
use std::process::Command;

fn today_plus(days: i64) -> String {
    jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

const BODY: &str = "## What it is and what it is used for\n\nIt is a medicine. It helps.\n\n## Before starting treatment\n\nTell your doctor.\n\n## Pregnancy and breast-feeding\n\nAsk your doctor.\n\n## Dosage\n\nYour doctor decides.\n\n## Side effects\n\nPain.\n\n## Checks and follow-up\n\nBlood tests.\n";

/// A site with one medication page with `sources` (YAML lines) and `body`.
fn site(dir: &Path, site_toml_extra: &str, sources: &str, body: &str, next_review: &str) {
    let w = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("site.toml", &format!("title = \"T\"\n{site_toml_extra}"));
    w("content/_index.md", "---\ntitle: Home\n---\n");
    w(
        "content/medications/_index.md",
        "---\ntitle: Meds\npage_kind: medication\n---\n",
    );
    w(
        "content/medications/ilaris.md",
        &format!(
            "---\ntitle: Ilaris\ngeneric_name: canakinumab\nlast_reviewed: {}\nnext_review: {next_review}\nsources:\n{sources}---\n{body}",
            today_plus(-30)
        ),
    );
}

const ONE_SOURCE: &str = "  - title: Ilaris, product information (EMA)\n    url: https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris\n";

fn medsite(args: &[&str], root: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_medsite"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check_json(root: &Path) -> Vec<serde_json::Value> {
    let (_, out, err) = medsite(&["check", "--format", "json"], root);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    v["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn two_sources_with_one_address_are_a_warning_at_the_second() {
    let dir = tempfile::tempdir().unwrap();
    let sources = "  - title: Ilaris SmPC\n    url: https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris\n  - title: Ilaris leaflet\n    url: https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris/\n";
    site(dir.path(), "", sources, BODY, &today_plus(200));
    let ds = check_json(dir.path());
    let dup: Vec<_> = ds
        .iter()
        .filter(|d| d["id"] == "source-duplicate-url")
        .collect();
    assert_eq!(dup.len(), 1, "{ds:#?}");
    assert_eq!(dup[0]["severity"], "warning");
    assert_eq!(dup[0]["line"], 10, "the second source's url: {:#?}", dup[0]);
    assert_eq!(dup[0]["column"], 10);
    let msg = dup[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("Ilaris SmPC") && msg.contains("Ilaris leaflet"),
        "{msg}"
    );

    // Different documents: no warning.
    let dir = tempfile::tempdir().unwrap();
    let sources = "  - title: Ilaris SmPC\n    url: https://www.ema.europa.eu/en/documents/product-information/ilaris-epar-product-information_en.pdf\n  - title: Ilaris overview\n    url: https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris\n";
    site(dir.path(), "", sources, BODY, &today_plus(200));
    let ds = check_json(dir.path());
    assert!(
        !ds.iter().any(|d| d["id"] == "source-duplicate-url"),
        "{ds:#?}"
    );
}

#[test]
fn an_abbreviation_never_written_out_is_a_warning_at_its_first_use() {
    let dir = tempfile::tempdir().unwrap();
    let body = BODY.replace(
        "Blood tests.\n",
        "Blood tests for TB and MAS.\n\nMAS again. DNA and HIV are known to all.\n\nA macrophage activation syndrome (MAS) is rare. TB is an infection.\n",
    );
    site(dir.path(), "", ONE_SOURCE, &body, &today_plus(200));
    let ds = check_json(dir.path());
    let abbr: Vec<_> = ds
        .iter()
        .filter(|d| d["id"] == "abbreviation-unexplained")
        .collect();
    assert_eq!(abbr.len(), 1, "only TB; MAS is written out: {ds:#?}");
    assert!(abbr[0]["message"].as_str().unwrap().contains("`TB`"));
    // The first use: "Blood tests for TB and MAS." on line 32.
    assert_eq!(abbr[0]["line"], 32, "{:#?}", abbr[0]);
    assert_eq!(abbr[0]["column"], 17);

    // The site's own list of known abbreviations.
    let dir = tempfile::tempdir().unwrap();
    site(
        dir.path(),
        "[checks]\nabbreviations = [\"TB\", \"DNA\", \"HIV\"]\n",
        ONE_SOURCE,
        &body,
        &today_plus(200),
    );
    let ds = check_json(dir.path());
    assert!(
        !ds.iter().any(|d| d["id"] == "abbreviation-unexplained"),
        "{ds:#?}"
    );
    // Without DNA and HIV in the list, they need writing out too.
    let dir = tempfile::tempdir().unwrap();
    site(
        dir.path(),
        "[checks]\nabbreviations = []\n",
        ONE_SOURCE,
        &body,
        &today_plus(200),
    );
    let found: Vec<String> = check_json(dir.path())
        .iter()
        .filter(|d| d["id"] == "abbreviation-unexplained")
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn check_prints_each_finding_once() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), "", ONE_SOURCE, BODY, &today_plus(-3));
    let (code, out, err) = medsite(&["check"], dir.path());
    assert_eq!(code, 1, "an overdue review fails the check: {out}{err}");
    assert_eq!(
        out.matches("the review of this page was due on").count(),
        1,
        "{out}"
    );
    assert!(
        out.contains("error: the review of this page was due"),
        "{out}"
    );
    assert!(
        !out.contains("warning: the review of this page was due"),
        "{out}"
    );
    // `build` shows the same finding as a warning and builds.
    let (code, out, err) = medsite(&["build"], dir.path());
    let printed = format!("{out}{err}");
    assert_eq!(code, 0, "{printed}");
    assert_eq!(
        printed
            .matches("warning: the review of this page was due")
            .count(),
        1,
        "{printed}"
    );
}

#[test]
fn strict_raises_warnings() {
    let dir = tempfile::tempdir().unwrap();
    site(
        dir.path(),
        "",
        ONE_SOURCE,
        &BODY.replace("Pain.", "Pain, see ![](pic.png)."),
        &today_plus(200),
    );
    std::fs::write(dir.path().join("content/medications/pic.png"), b"png").unwrap();
    let (code, out, _) = medsite(&["check"], dir.path());
    assert_eq!(code, 0, "a missing alt text is a warning: {out}");
    assert!(out.contains("warning: the image has no alt text"), "{out}");
    let (code, out, _) = medsite(&["check", "--strict"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: the image has no alt text"), "{out}");
}

#[test]
fn alerts_are_callouts_on_the_built_page() {
    let dir = tempfile::tempdir().unwrap();
    let body = BODY.replace(
        "Pain.\n",
        "Pain.\n\n> [!WARNING]\n> Get help at once if you have a high fever.\n\n> [!IMPORTANT]\n> Take it once a week.\n",
    );
    site(dir.path(), "", ONE_SOURCE, &body, &today_plus(200));
    let (code, _, err) = medsite(&["build"], dir.path());
    assert_eq!(code, 0, "{err}");
    let html =
        std::fs::read_to_string(dir.path().join("site/medications/ilaris/index.html")).unwrap();
    assert!(
        html.contains("<div class=\"callout callout-warning callout-urgent\" role=\"note\"><h3 class=\"callout-title\">Urgent advice</h3>"),
        "{html}"
    );
    assert!(html.contains("Get help at once if you have a high fever."));
    assert!(html.contains("<h3 class=\"callout-title\">Important</h3>"));
    assert!(!html.contains("[!WARNING]"), "{html}");
    let css = std::fs::read_to_string(dir.path().join("site/css/medsite.css")).unwrap();
    assert!(css.contains(".callout"), "the theme styles callouts");
}
