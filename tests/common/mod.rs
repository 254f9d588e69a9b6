//! Helpers for the integration tests: a small site folder in a temporary
//! directory, built with the library API or with the `medsite` binary.

#![allow(dead_code)]

use medsite::build::{BuildFailure, BuildOptions, BuildReport, build};
use medsite::diagnostics::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `site.toml` most fixtures use.
pub const SITE_TOML: &str = "title = \"Test medicines\"\nbase_url = \"https://example.org/\"\n";

/// A home page.
pub const HOME: &str = "---\ntitle: Test home\nsummary: The home page.\n---\nWelcome.\n";

/// A section whose pages are medication pages.
pub const MEDICATIONS: &str =
    "---\ntitle: Medications\nsummary: All the medicines.\npage_kind: medication\n---\nThe list.\n";

/// A site folder in a temporary directory; the output goes to `tmp/out`.
pub struct Fixture {
    pub tmp: tempfile::TempDir,
}

impl Fixture {
    /// An empty folder with only the default `site.toml`.
    pub fn new() -> Fixture {
        Fixture::with_config(SITE_TOML)
    }

    /// An empty folder with `site.toml` = `config`.
    pub fn with_config(config: &str) -> Fixture {
        let fx = Fixture {
            tmp: tempfile::tempdir().expect("temp dir"),
        };
        fx.write("site.toml", config);
        fx
    }

    /// A small valid site: home page, a medications section, one medication page.
    pub fn basic() -> Fixture {
        let fx = Fixture::new();
        fx.content("_index.md", HOME);
        fx.content("medications/_index.md", MEDICATIONS);
        fx.content(
            "medications/methotrexate.md",
            medication(
                "Methotrexate",
                "methotrexate",
                "",
                "## Side effects\n\nNausea.\n",
            ),
        );
        fx
    }

    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    pub fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }

    /// Writes a file of the site folder (`rel` is relative to the site folder).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        self
    }

    /// Writes `content/<rel>`.
    pub fn content(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        self.write(&format!("content/{rel}"), contents)
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root().join(rel)).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            output: Some(self.out()),
            base_url: None,
            drafts: false,
        }
    }

    pub fn build(&self) -> Result<BuildReport, BuildFailure> {
        build(&self.options())
    }

    /// Builds and expects success.
    pub fn build_ok(&self) -> BuildReport {
        ok(build(&self.options()))
    }

    /// Builds and expects failure; returns the errors (never empty).
    pub fn build_err(&self) -> Vec<Diagnostic> {
        errors(build(&self.options()))
    }

    /// A file of the output, as text.
    /// The site's own copy of the built-in `sitemap.xml` template, which
    /// goes through the template engine, gives the same bytes as the
    /// sitemap written directly (`written`).
    pub fn assert_sitemap_template_agrees(&self, written: &str) {
        let (_, source) = medsite::templates::BUILTIN_TEMPLATES
            .iter()
            .find(|(n, _)| *n == "sitemap.xml")
            .expect("a built-in sitemap template");
        self.write("templates/sitemap.xml", source);
        self.build_ok();
        assert_eq!(self.read("sitemap.xml"), written);
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}); the output has: {:#?}",
                p.display(),
                snapshot(&self.out()).keys()
            )
        })
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }

    /// Runs `medsite build --root <root> --output <out> <args>`.
    pub fn cli(&self, args: &[&str]) -> Output {
        let mut all: Vec<&OsStr> =
            vec!["build".as_ref(), "--root".as_ref(), self.root().as_os_str()];
        let out = self.out();
        all.extend(["--output".as_ref(), out.as_os_str()]);
        all.extend(args.iter().map(OsStr::new));
        medsite_cli(&all)
    }

    /// Entries beside the output folder that are neither the site's own
    /// files nor the output itself (staging or backup folders left over).
    pub fn leftovers(&self) -> Vec<String> {
        let keep = ["site.toml", "content", "templates", "static", "out"];
        std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !keep.contains(&n.as_str()))
            .collect()
    }
}

/// Runs the `medsite` binary with `args`.
pub fn medsite_cli(args: &[&OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medsite"))
        .args(args)
        .output()
        .expect("run medsite")
}

/// Unwraps a successful build, showing the diagnostics otherwise.
pub fn ok(r: Result<BuildReport, BuildFailure>) -> BuildReport {
    match r {
        Ok(report) => report,
        Err(d) => panic!("the build failed:\n{d}"),
    }
}

/// Unwraps a failed build into its errors.
pub fn errors(r: Result<BuildReport, BuildFailure>) -> Vec<Diagnostic> {
    match r {
        Ok(report) => panic!(
            "the build succeeded but should have failed:\n{}",
            report.summary()
        ),
        Err(d) => {
            let errs: Vec<Diagnostic> = d.diagnostics.errors().cloned().collect();
            assert!(
                !errs.is_empty(),
                "a failed build must report at least one error:\n{d}"
            );
            errs
        }
    }
}

/// A medication page: the required fields, then `extra_front` (YAML lines,
/// each ending in `\n`), then `body`.
pub fn medication(title: &str, generic: &str, extra_front: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ngeneric_name: {generic}\nlast_reviewed: 2026-01-15\nnext_review: 2027-01-15\n{extra_front}---\n{body}"
    )
}

/// An article page with `extra_front` YAML lines and `body`.
pub fn article(title: &str, extra_front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n{extra_front}---\n{body}")
}

/// Every file under `dir` (relative path with `/` → bytes).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return files;
    }
    for e in walkdir(dir) {
        let rel = e
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        files.insert(rel, std::fs::read(&e).unwrap());
    }
    files
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The first error whose message contains `needle`.
pub fn find<'a>(errs: &'a [Diagnostic], needle: &str) -> &'a Diagnostic {
    errs.iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no diagnostic mentions {needle:?}; got:\n{}",
                Diagnostics(errs.to_vec())
            )
        })
}

/// The opening tag that contains `needle` (from the `<` before it to the `>` after it).
pub fn tag_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let i = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the page:\n{html}"));
    let start = html[..i].rfind('<').unwrap();
    let end = i + html[i..].find('>').unwrap() + 1;
    &html[start..end]
}

/// The part of `html` from `start` to the first `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in the page:\n{html}"));
    let j = html[i..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not after {start:?}:\n{html}"));
    &html[i..i + j + end.len()]
}

/// Byte offset of `needle` in `html`, with a useful message when missing.
pub fn pos(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the page:\n{html}"))
}
