//! `medsite check` and the warnings `medsite build` prints, through the binary.

use std::path::Path;
use std::process::Command;

/// A date `days` from today, so that the review checks hold on any day.
fn day(days: i64) -> String {
    let today = jiff::Zoned::now().date();
    today
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

fn site(dir: &Path, body: &str, next_review: &str) {
    let last = day(-30);
    let w = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("site.toml", "title = \"T\"\n");
    w("content/_index.md", "---\ntitle: Home\n---\n");
    w(
        "content/medications/_index.md",
        "---\ntitle: Meds\npage_kind: medication\n---\n",
    );
    w(
        "content/medications/ilaris.md",
        &format!(
            "---\ntitle: Ilaris\ngeneric_name: canakinumab\nlast_reviewed: {last}\nnext_review: {next_review}\nsources:\n  - title: EMA\n    url: https://www.ema.europa.eu/\n---\n{body}"
        ),
    );
}

const FULL: &str = "## What it is and what it is used for\n\nIt is a medicine. It helps.\n\n## Before starting treatment\n\nTell your doctor.\n\n## Pregnancy and breast-feeding\n\nAsk your doctor.\n\n## Dosage\n\nYour doctor decides.\n\n## Side effects\n\nPain.\n\n## Checks and follow-up\n\nBlood tests.\n";

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

#[test]
fn a_good_site_passes() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), FULL, &day(200));
    let (code, out, err) = medsite(&["check"], dir.path());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No problems found"), "{out}");
}

#[test]
fn missing_section_and_overdue_review_are_errors_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let body = FULL.replace("## Dosage\n\nYour doctor decides.\n\n", "");
    site(dir.path(), &body, &day(-2));
    let (code, out, _) = medsite(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("content/medications/ilaris.md"), "{out}");
    assert!(
        out.contains("Dosage"),
        "the missing section is named: {out}"
    );
    assert!(
        out.contains("content/medications/ilaris.md:5"),
        "the overdue next_review is on line 5: {out}"
    );

    let (code, json, _) = medsite(&["check", "--format", "json"], dir.path());
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["severity"] == "error" && d["message"].as_str().unwrap().contains("Dosage")),
        "{json}"
    );
    assert_eq!(v["reviews"][0]["status"], "overdue");

    // `build` shows the same problems as warnings and still builds.
    let out_dir = dir.path().join("out");
    let (code, out, err) = medsite(
        &["build", "--output", out_dir.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("warning:") && out.contains("Dosage"), "{out}");
    assert!(out_dir.join("medications/ilaris/index.html").is_file());
}

#[test]
fn warnings_alone_do_not_fail_the_check() {
    let dir = tempfile::tempdir().unwrap();
    site(
        dir.path(),
        &format!("{FULL}\n[click here](https://example.org/)\n"),
        &day(200),
    );
    let (code, out, _) = medsite(&["check"], dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("warning: "), "{out}");
    assert!(
        out.contains("\"click here\" does not say where"),
        "the vague link text is the warning: {out}"
    );
    assert!(!out.contains("error: "), "{out}");
}

#[test]
fn build_errors_are_reported_by_check_too() {
    let dir = tempfile::tempdir().unwrap();
    site(
        dir.path(),
        &format!("{FULL}\nSee [gone](gone.md).\n"),
        &day(200),
    );
    let (code, out, _) = medsite(&["check"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("gone.md"), "{out}");
}

#[test]
fn build_warnings_point_at_the_line_in_the_body() {
    let dir = tempfile::tempdir().unwrap();
    site(
        dir.path(),
        &format!("{FULL}\n[click here](https://example.org/)\n"),
        &day(200),
    );
    let text = std::fs::read_to_string(dir.path().join("content/medications/ilaris.md")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("[click here]"))
        .unwrap()
        + 1;
    let out_dir = dir.path().join("out");
    let (code, out, err) = medsite(
        &["build", "--output", out_dir.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("content/medications/ilaris.md:{line}:1")),
        "the vague link text is reported at line {line}: {out}"
    );
}
