//! What `medsite build` reports of a site with many warnings: the first
//! twenty (in the order `medsite check` and the preview sort them, each with
//! its count of repeats) and how many there are, when it succeeds and when
//! it fails; snippets of front matter read back from the files.

mod common;

use common::*;
use medsite::build::Session;
use medsite::diagnostics::{Diagnostic, Diagnostics, SHOWN};
use medsite::output::Staging;

/// A medication page with no sources and none of the usual sections,
/// reviewed long ago: eight warnings.
fn overdue(n: usize) -> String {
    format!(
        "---\ntitle: Medicine {n}\ngeneric_name: m{n}\nlast_reviewed: 2020-01-15\nnext_review: 2021-01-15\n---\nText about medicine {n}.\n"
    )
}

/// A site with `pages` such pages.
fn many_warnings(pages: usize) -> Fixture {
    let fx = Fixture::new();
    fx.content("_index.md", HOME);
    fx.content("medications/_index.md", MEDICATIONS);
    for n in 0..pages {
        fx.content(&format!("medications/m{n:02}.md"), overdue(n));
    }
    fx
}

/// Every diagnostic of the site as the preview gives it (nothing left
/// out), sorted and merged.
fn everything(fx: &Fixture) -> Diagnostics {
    let mut session = Session::load(&fx.options()).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let staging = Staging::new(&scratch.path().join("site")).unwrap();
    session.render_all(&staging).0
}

fn shown<'a>(ds: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<String> {
    ds.into_iter().map(|d| d.to_string()).collect()
}

#[test]
fn a_build_keeps_the_first_warnings_and_counts_the_rest() {
    let fx = many_warnings(30);
    let all = everything(&fx);
    assert!(!all.has_errors(), "{all}");
    assert_eq!(all.0.len(), 240, "eight warnings a page");
    let report = fx.build_ok();
    assert_eq!(report.warning_count, all.0.len());
    assert_eq!(shown(&report.warnings), shown(&all.0[..SHOWN]));
    // The front matter's lines, read back from the files, with the caret.
    let review = report
        .warnings
        .iter()
        .find(|w| w.message.contains("review"))
        .expect("an overdue review among the first");
    assert_eq!(review.snippet.as_deref(), Some("next_review: 2021-01-15"));
    let caret = "\n5 | next_review: 2021-01-15\n  |              ^\n";
    assert!(review.to_string().contains(caret), "{review}");
    let summary = report.summary();
    let more = format!(
        "... and {} more warnings; `medsite check` lists them all, grouped by page.\n\nBuilt ",
        all.0.len() - SHOWN
    );
    assert!(summary.contains(&more), "{summary}");
    assert!(
        summary.contains(&format!("  warnings    {}\n", all.0.len())),
        "{summary}"
    );
}

#[test]
fn a_failed_build_reports_every_error_and_the_first_warnings() {
    let fx = many_warnings(30);
    // Two pages with errors in their front matter.
    for n in [3, 17] {
        fx.content(
            &format!("medications/bad{n}.md"),
            format!("---\ntitle: Bad {n}\ngeneric_name: b\nlast_reviewed: 2020-02-30\nnext_review: 2021-01-15\natc_code: l04\n---\nText.\n"),
        );
    }
    let all = everything(&fx);
    let errors: Vec<&Diagnostic> = all.errors().collect();
    let warnings: Vec<&Diagnostic> = all.warnings().collect();
    assert_eq!(errors.len(), 4, "{all}");
    assert!(warnings.len() > SHOWN);
    let failure = match fx.build() {
        Ok(r) => panic!("the build should have failed:\n{}", r.summary()),
        Err(f) => f,
    };
    assert_eq!(failure.warnings, warnings.len());
    let kept = &failure.diagnostics;
    assert_eq!(shown(kept.errors()), shown(errors));
    assert_eq!(
        shown(kept.warnings()),
        shown(warnings[..SHOWN].iter().copied())
    );
    let text = failure.to_string();
    assert!(text.contains("2020-02-30\n"), "the line itself: {text}");
    assert!(
        text.ends_with(&format!(
            "... and {} more warnings; `medsite check` lists them all, grouped by page.\n\n",
            warnings.len() - SHOWN
        )),
        "{text}"
    );
}

#[test]
fn a_build_with_few_warnings_shows_them_all() {
    let fx = many_warnings(2);
    let all = everything(&fx);
    assert_eq!(all.0.len(), 16);
    let report = fx.build_ok();
    assert_eq!(report.warning_count, all.0.len());
    assert_eq!(shown(&report.warnings), shown(&all.0));
    assert!(!report.summary().contains("more warnings"));
}
