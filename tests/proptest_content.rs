//! Property tests of the loader and the Markdown renderer: arbitrary bytes,
//! and near-valid front matter (YAML `---`, TOML `+++`, with random keys,
//! values, dates and lists, truncated or with stray characters) over random
//! Markdown (headings, links to `.md` files that exist or not, images, raw
//! HTML, tables, footnotes, alerts). Whatever the input: no panic, and every
//! problem is a diagnostic that names a file of the site.
//!
//! Cases: at least 10,000 per property when `CI=true`; otherwise
//! `PROPTEST_CASES` or a smaller default.

#[path = "common/proptest_gen.rs"]
mod arb;

use medsite::config::Config;
use medsite::content::{LoadOptions, Site};
use medsite::diagnostics::Diagnostic;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

// ---------------------------------------------------------------------------
// The entry points under test: one small function each, so that a change of
// the library's API is a change here only.
// ---------------------------------------------------------------------------

/// Loads the site folder `root`: the site, or the diagnostics that stopped
/// it; a loaded site's diagnostics are in `Site::diagnostics`.
fn load_site(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    Site::load(root, config, &LoadOptions::default())
        .map(|(site, _bodies)| site)
        .map_err(|d| d.0)
}

/// Renders `body` as the body of `content/<dir>/<file>` of `site`: the HTML
/// and the diagnostics.
fn render_markdown(
    site: &Site,
    file: &Path,
    dir: &str,
    body: &str,
    allow_unsafe_html: bool,
) -> (String, Vec<Diagnostic>) {
    let links = medsite::render::links::SiteLinks {
        site,
        dir,
        base_path: "/",
        lang: "en",
    };
    let r = medsite::markdown::render(
        body,
        &medsite::markdown::Options {
            file,
            body_line: 5,
            base_path: "/",
            allow_unsafe_html,
            collect_text: true,
            words: &medsite::markdown::Words::default(),
        },
        &links,
    );
    (r.html, r.diagnostics)
}

// ---------------------------------------------------------------------------
// The fixture site the generated files are put into
// ---------------------------------------------------------------------------

const SITE_TOML: &str = "title = \"Test medicines\"\nbase_url = \"https://example.org/\"\n";

/// Files every case starts from.
const BASE: &[(&str, &str)] = &[
    ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
    (
        "content/medications/_index.md",
        "---\ntitle: Medications\npage_kind: medication\n---\n",
    ),
    (
        "content/medications/methotrexate.md",
        "---\ntitle: Methotrexate\ngeneric_name: methotrexate\nlast_reviewed: 2026-01-15\nnext_review: 2027-01-15\n---\n## Side effects\n\nNausea.\n",
    ),
    (
        "content/about.md",
        "---\ntitle: About\n---\n## Who we are\n\nText.\n",
    ),
    ("content/medications/pen.png", "not really a png"),
];

/// Where a generated file may go (relative to `content/`).
const PLACES: &[&str] = &[
    "new.md",
    "medications/new.md",
    "guide/_index.md",
    "medications/_index.md",
];

/// Link targets that exist, as written from the top and from medications/.
fn targets() -> Vec<String> {
    [
        "about.md",
        "medications/methotrexate.md",
        "methotrexate.md",
        "../about.md",
        "_index.md",
        "medications/_index.md",
        "pen.png",
        "medications/pen.png",
        "new.md",
        "medications/new.md",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

struct Fixture {
    tmp: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let fx = Fixture {
            tmp: tempfile::tempdir().unwrap(),
        };
        std::fs::write(fx.root().join("site.toml"), SITE_TOML).unwrap();
        fx.reset();
        fx
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// Back to the base files (a case may have replaced one of them).
    fn reset(&self) {
        let _ = std::fs::remove_dir_all(self.root().join("content"));
        for (rel, text) in BASE {
            let p = self.root().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    }

    /// Resets, then writes `bytes` at `content/<place>`.
    fn put(&self, place: &str, bytes: &[u8]) -> PathBuf {
        self.reset();
        let rel = PathBuf::from("content").join(place);
        let p = self.root().join(&rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        rel
    }
}

/// Every diagnostic names a file (or folder) of the site folder.
fn names_a_file(root: &Path, diags: &[Diagnostic]) -> Result<(), TestCaseError> {
    for d in diags {
        prop_assert!(
            !d.file.as_os_str().is_empty(),
            "a diagnostic without a file: {d:?}"
        );
        prop_assert!(
            root.join(&d.file).exists(),
            "the diagnostic names {} which is not in the site folder: {d:?}",
            d.file.display()
        );
    }
    Ok(())
}

/// Loads the fixture with `bytes` at `place`; checks the outcome; returns
/// whether the site loaded without a problem.
fn load_checked(fx: &Fixture, place: &str, bytes: &[u8]) -> Result<bool, TestCaseError> {
    let rel = fx.put(place, bytes);
    match load_site(fx.root()) {
        Ok(site) => {
            names_a_file(fx.root(), &site.diagnostics)?;
            // Problems are told about the generated file; a section's
            // front matter may make problems of its pages too.
            let dir = rel.parent().unwrap();
            for d in &site.diagnostics {
                if place.ends_with("_index.md") {
                    prop_assert!(d.file.starts_with(dir), "{:?}", d);
                } else {
                    prop_assert_eq!(&d.file, &rel, "{:?}", d);
                }
            }
            Ok(site.diagnostics.is_empty())
        }
        Err(diags) => {
            prop_assert!(!diags.is_empty(), "a failed load says why");
            names_a_file(fx.root(), &diags)?;
            Ok(false)
        }
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(arb::config(cases))
}

// ---------------------------------------------------------------------------
// The loader
// ---------------------------------------------------------------------------

#[test]
fn the_loader_takes_arbitrary_bytes() {
    let fx = Fixture::new();
    let bytes = prop_oneof![
        // Anything.
        3 => prop::collection::vec(any::<u8>(), 0..600),
        // A valid start, then anything.
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| {
            let mut v = b"---\ntitle: About\n---\n".to_vec();
            v.extend(b);
            v
        }),
        // Anything inside the front matter.
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| {
            let mut v = b"+++\n".to_vec();
            v.extend(b);
            v.extend(b"\n+++\nBody.\n");
            v
        }),
    ];
    runner(arb::cases(10_000, 2_000))
        .run(&(prop::sample::select(PLACES), bytes), |(place, bytes)| {
            load_checked(&fx, place, &bytes).map(drop)
        })
        .unwrap();
}

#[test]
fn the_loader_takes_near_valid_front_matter_and_markdown() {
    let fx = Fixture::new();
    let cases = arb::cases(10_000, 2_000);
    let (clean, found) = (AtomicUsize::new(0), AtomicUsize::new(0));
    runner(cases)
        .run(
            &(prop::sample::select(PLACES), arb::doc(targets())),
            |(place, doc)| {
                let ok = load_checked(&fx, place, doc.text().as_bytes())?;
                (if ok { &clean } else { &found }).fetch_add(1, Ordering::Relaxed);
                Ok(())
            },
        )
        .unwrap();
    // Near-valid: many files load cleanly, many have problems.
    let (clean, found) = (clean.into_inner(), found.into_inner());
    println!("{cases} files: {clean} loaded cleanly, {found} with problems");
    assert!(
        clean * 10 >= cases as usize,
        "only {clean} of {cases} files loaded cleanly"
    );
    assert!(
        found * 10 >= cases as usize,
        "only {found} of {cases} files had problems"
    );
}

// ---------------------------------------------------------------------------
// The renderer
// ---------------------------------------------------------------------------

/// The values of the address attributes (`href`, `src`, `action`,
/// `formaction`, `xlink:href`) of the tags of `html`, with character
/// references decoded, whitespace and controls removed, in lower case.
fn urls(html: &str) -> Vec<String> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // The tag name, then attributes up to `>`.
        i += 1;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
                i += 1;
            }
            let name = html[start..i].to_ascii_lowercase();
            let mut value = "";
            if b.get(i) == Some(&b'=') {
                i += 1;
                match b.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let v0 = i + 1;
                        i = v0;
                        while i < b.len() && b[i] != q {
                            i += 1;
                        }
                        value = &html[v0..i];
                        i += 1;
                    }
                    _ => {
                        let v0 = i;
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                        value = &html[v0..i];
                    }
                }
            }
            if ["href", "src", "action", "formaction", "xlink:href"].contains(&name.as_str()) {
                out.push(normalize_url(value));
            }
        }
    }
    out
}

fn normalize_url(v: &str) -> String {
    let mut s = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        s.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').unwrap_or(0);
        let entity = &after[1..end.max(1)];
        let decoded = if let Some(hex) = entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
        {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = entity.strip_prefix('#') {
            dec.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match entity {
                "amp" => Some('&'),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => None,
            }
        };
        match (decoded, end) {
            (Some(c), e) if e > 0 => {
                s.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                s.push('&');
                rest = &after[1..];
            }
        }
    }
    s.push_str(rest);
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase()
}

/// Renders `body` as a page at the top and in medications/; checks that
/// diagnostics name the page and, unless raw HTML is allowed, that no script
/// survives a render without errors.
fn render_checked(site: &Site, body: &str, allow_unsafe_html: bool) -> Result<(), TestCaseError> {
    for (file, dir) in [
        ("content/new.md", ""),
        ("content/medications/new.md", "medications"),
    ] {
        let file = Path::new(file);
        let (html, diags) = render_markdown(site, file, dir, body, allow_unsafe_html);
        for d in &diags {
            prop_assert_eq!(d.file.as_path(), file, "{:?}", d);
        }
        if !allow_unsafe_html && !diags.iter().any(Diagnostic::is_error) {
            let lower = html.to_lowercase();
            prop_assert!(!lower.contains("<script"), "a script survived:\n{}", html);
            prop_assert!(
                !lower.contains("<iframe") && !lower.contains("<object"),
                "an embedding survived:\n{}",
                html
            );
            for u in urls(&html) {
                prop_assert!(
                    !u.starts_with("javascript:") && !u.starts_with("vbscript:"),
                    "a script address survived ({}):\n{}",
                    u,
                    html
                );
            }
        }
    }
    Ok(())
}

fn fixture_site(fx: &Fixture) -> Site {
    fx.reset();
    let site = load_site(fx.root()).unwrap_or_else(|d| panic!("{d:?}"));
    assert!(site.diagnostics.is_empty(), "{:?}", site.diagnostics);
    site
}

#[test]
fn the_renderer_takes_arbitrary_text() {
    let fx = Fixture::new();
    let site = fixture_site(&fx);
    runner(arb::cases(10_000, 2_000))
        .run(
            &(
                prop_oneof![
                    "\\PC{0,300}",
                    prop::collection::vec(any::<u8>(), 0..300)
                        .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
                    prop::collection::vec(
                        prop::sample::select(vec![
                            "#", "[", "]", "(", ")", "!", "<", ">", "`", "*", "_", "~", "|", "-",
                            "\n", " ", "^", ":", "{", "}", "\\", "&", ";", "x", ".md", "\t",
                        ]),
                        0..200
                    )
                    .prop_map(|v| v.concat()),
                ],
                any::<bool>(),
            ),
            |(body, allow)| render_checked(&site, &body, allow),
        )
        .unwrap();
}

#[test]
fn the_renderer_takes_generated_markdown() {
    let fx = Fixture::new();
    let site = fixture_site(&fx);
    runner(arb::cases(10_000, 2_000))
        .run(
            &(arb::body(targets(), 12), prop::bool::weighted(0.2)),
            |(body, allow)| render_checked(&site, &body, allow),
        )
        .unwrap();
}
