//! Property test of the whole build: small random sites (a home page, a few
//! sections and pages with random names, near-valid front matter and random
//! Markdown linking to one another, an asset, random `site.toml`
//! variations). Whatever the site: no panic; a failed build reports
//! diagnostics that each name a file of the site folder and leaves no output
//! and nothing beside it; a successful one writes a site.
//!
//! Cases: at least 300 sites when `CI=true`; otherwise `PROPTEST_CASES` or a
//! smaller default.

#[path = "common/proptest_gen.rs"]
mod arb;

use medsite::build::{BuildOptions, BuildReport};
use medsite::diagnostics::Diagnostic;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

// ---------------------------------------------------------------------------
// The entry point under test, in one small function.
// ---------------------------------------------------------------------------

/// Builds the site folder `root` into `output`.
fn build_site(root: &Path, output: &Path) -> Result<BuildReport, Vec<Diagnostic>> {
    medsite::build::build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        ..Default::default()
    })
    .map_err(|d| d.diagnostics.0)
}

// ---------------------------------------------------------------------------

/// Writes `site` into a fresh folder: `tmp/site` (the site) and the output
/// goes to `tmp/out/site`.
fn write_site(site: &arb::SiteFiles) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir_all(tmp.path().join("out")).unwrap();
    std::fs::write(root.join("site.toml"), &site.site_toml).unwrap();
    for (rel, bytes) in &site.files {
        let p = root.join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    tmp
}

/// Every diagnostic names a file of the site folder.
fn names_a_file(root: &Path, diags: &[Diagnostic]) -> Result<(), TestCaseError> {
    for d in diags {
        prop_assert!(
            !d.file.as_os_str().is_empty(),
            "a diagnostic without a file: {:?}",
            d
        );
        prop_assert!(
            root.join(&d.file).exists(),
            "the diagnostic names {} which is not in the site folder: {:?}",
            d.file.display(),
            d
        );
    }
    Ok(())
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Builds `site`; checks the outcome; returns whether the build succeeded.
fn build_checked(site: &arb::SiteFiles) -> Result<bool, TestCaseError> {
    let tmp = write_site(site);
    let root = tmp.path().join("site");
    let out_parent = tmp.path().join("out");
    let output = out_parent.join("site");
    match build_site(&root, &output) {
        Ok(report) => {
            names_a_file(&root, &report.warnings)?;
            prop_assert!(
                report.warnings.iter().all(|w| !w.is_error()),
                "errors among the warnings of a successful build: {:?}",
                report.warnings
            );
            for f in ["index.html", "404.html", "sitemap.xml", "robots.txt"] {
                prop_assert!(output.join(f).is_file(), "no {} in the output", f);
            }
            prop_assert_eq!(entries(&out_parent), vec!["site".to_owned()]);
            Ok(true)
        }
        Err(diags) => {
            prop_assert!(!diags.is_empty(), "a failed build says why");
            prop_assert!(
                diags.iter().any(Diagnostic::is_error),
                "a failed build reports an error: {:?}",
                diags
            );
            names_a_file(&root, &diags)?;
            prop_assert!(
                diags
                    .iter()
                    .any(|d| d.is_error() && root.join(&d.file).exists()),
                "no error names a file of the site: {:?}",
                diags
            );
            prop_assert_eq!(
                entries(&out_parent),
                Vec::<String>::new(),
                "a failed first build leaves no output and nothing beside it"
            );
            Ok(false)
        }
    }
}

#[test]
fn the_build_takes_random_small_sites() {
    let cases = arb::cases(300, 100);
    let (built, refused) = (AtomicUsize::new(0), AtomicUsize::new(0));
    TestRunner::new(arb::config(cases))
        .run(&arb::site(), |site| {
            let ok = build_checked(&site)?;
            (if ok { &built } else { &refused }).fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
        .unwrap();
    let (built, refused) = (built.into_inner(), refused.into_inner());
    println!("{cases} random sites: {built} built, {refused} refused");
    // The sites are near-valid: both outcomes are common, so that the
    // property is tested on whole builds and not only on early refusals.
    assert!(
        built * 10 >= cases as usize,
        "only {built} of {cases} sites built"
    );
    assert!(
        refused * 10 >= cases as usize,
        "only {refused} of {cases} sites refused"
    );
}

/// The minimal site the property found: one page with `slug: ".."`. The
/// slug's own error is the only one; nothing names the output path.
#[test]
fn a_slug_with_dot_dot_names_the_output_path() {
    let site = arb::SiteFiles {
        site_toml: "title = \"T\"\n".to_owned(),
        files: vec![
            ("_index.md".to_owned(), b"---\ntitle: Home\n---\n".to_vec()),
            (
                "a.md".to_owned(),
                b"---\ntitle: A\nslug: \"..\"\n---\n".to_vec(),
            ),
        ],
    };
    let built = build_checked(&site).unwrap_or_else(|e| panic!("{e}"));
    assert!(!built, "the build refuses the slug");
}
