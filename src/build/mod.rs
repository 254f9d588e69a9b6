//! The build pipeline: `site.toml` → content → Markdown → templates →
//! staging folder → output, one direction. [`build`] runs it once; the
//! [`Session`] is the loaded site that the dev server keeps between edits.
//! Every problem of every file is collected and reported together; the
//! output is replaced only when the build succeeded.
//!
//! Here the `build` command's policy is decided: health-content findings
//! are shown as warnings. Not for the checks themselves (`checks`) or the
//! output folder's mechanics (`output`).

mod anchors;
mod folded;
mod incremental;
mod pass;
mod plan;
mod saved;
mod session;

pub use incremental::ContentUpdate;
pub use session::{PageUpdate, RenderReport, Session};

use crate::checks;
use crate::config::Config;
use crate::content::front_matter::PageKind;
use crate::diagnostics::{Diagnostic, Diagnostics, SHOWN, Severity, read_snippets};
use crate::output::Staging;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (with `site.toml` and `content/`).
    pub root: PathBuf,
    /// Output folder; `root/site` by default.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Include draft pages.
    pub drafts: bool,
}

/// How a session renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// A one-off build: each body is freed once its page is written (the
    /// session cannot render again); the cheap checks run on each page.
    Once,
    /// The dev server: bodies are kept for later edits; cheap checks run.
    Preview,
    /// `medsite check`: bodies and every page's facts (with the prose) are
    /// kept for the checks, which run afterwards.
    Check,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub medication_pages: usize,
    pub article_pages: usize,
    pub sections: usize,
    pub conditions: usize,
    pub files_written: usize,
    /// Translations older than their source.
    pub stale_translations: usize,
    /// The warnings shown: the first [`SHOWN`] in the order of
    /// [`Diagnostics::dedupe`].
    pub warnings: Vec<Diagnostic>,
    /// How many distinct warnings there are in all.
    pub warning_count: usize,
    pub elapsed: Duration,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    /// The time of each step, for `--timings`.
    pub fn timings_table(&self) -> String {
        let mut s = String::from("Timings:\n");
        for (name, d) in &self.timings {
            s.push_str(&format!(
                "  {name:<32} {:>8.1} ms\n",
                d.as_secs_f64() * 1000.0
            ));
        }
        s
    }

    /// A one-screen summary for the terminal.
    pub fn summary(&self) -> String {
        let pages = self.medication_pages + self.article_pages;
        let mut s = String::new();
        for w in self.warnings.iter().take(SHOWN) {
            s.push_str(&w.to_string());
            s.push('\n');
        }
        s.push_str(&more_warnings(
            self.warning_count,
            self.warnings.len().min(SHOWN),
        ));
        s.push_str(&format!(
            "Built {} in {} ms\n  pages       {pages} ({} medication, {} article)\n  sections    {}\n  conditions  {}\n  files       {}\n{}  warnings    {}\n",
            self.output.display(),
            self.elapsed.as_millis(),
            self.medication_pages,
            self.article_pages,
            self.sections,
            self.conditions,
            self.files_written,
            if self.stale_translations > 0 {
                format!(
                    "  stale       {} translation{} older than the source\n",
                    self.stale_translations,
                    if self.stale_translations == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            },
            self.warning_count,
        ));
        s
    }
}

/// The line that says how many of `count` warnings were not shown.
fn more_warnings(count: usize, shown: usize) -> String {
    if count > shown {
        format!(
            "... and {} more warnings; `medsite check` lists them all, grouped by page.\n\n",
            count - shown
        )
    } else {
        String::new()
    }
}

/// Why a build failed: every error, and the first of its warnings.
#[derive(Debug)]
pub struct BuildFailure {
    /// Every error, then the first [`SHOWN`] warnings at most, in the order
    /// of [`Diagnostics::dedupe`].
    pub diagnostics: Diagnostics,
    /// How many distinct warnings there are in all.
    pub warnings: usize,
}

impl From<Diagnostics> for BuildFailure {
    fn from(diagnostics: Diagnostics) -> Self {
        let warnings = diagnostics.warnings().count();
        BuildFailure {
            diagnostics,
            warnings,
        }
    }
}

impl std::fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.diagnostics)?;
        let shown = self.diagnostics.warnings().count();
        write!(f, "{}", more_warnings(self.warnings, shown))
    }
}

/// `site.toml` with the options' overrides.
fn load_config(opts: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&opts.root).map_err(Diagnostics)?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url);
    }
    Ok(config)
}

/// A health-content finding as `build` and the preview show it: never
/// an error (a note stays a note).
fn as_warning(mut d: Diagnostic) -> Diagnostic {
    lower(&mut d);
    d
}

/// Makes an error a warning, in place.
fn lower(d: &mut Diagnostic) {
    if d.severity == Severity::Error {
        d.severity = Severity::Warning;
    }
}

/// Builds the site in `opts.root`.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = Instant::now();
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("site"));
    check_output_location(&opts.root, &output).map_err(|d| Diagnostics(vec![d]))?;
    let mut session = Session::load_once(opts)?;
    let staging = Staging::new(&output).map_err(|d| Diagnostics(vec![d]))?;
    let rendered = session.render(&staging, Rendering::Once);
    // Only the errors and the warnings shown are kept.
    let mut errors = rendered.problems;
    errors.dedupe();
    let warning_count = rendered.warnings.count();
    let mut warnings = rendered.warnings.into_first();
    read_snippets(errors.0.iter_mut().chain(&mut warnings), &opts.root);
    if errors.has_errors() {
        drop(staging);
        errors.extend(warnings);
        return Err(BuildFailure {
            diagnostics: errors,
            warnings: warning_count,
        });
    }
    let t = Instant::now();
    staging.commit().map_err(|d| Diagnostics(vec![d]))?;
    let mut timings = std::mem::take(&mut session.timings);
    timings.push(("swap into place", t.elapsed()));
    let site = &session.site;
    let medication_pages = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Medication)
        .count();
    let report = BuildReport {
        output,
        medication_pages,
        article_pages: site.pages.len() - medication_pages,
        sections: site.sections.len(),
        conditions: site.conditions.len(),
        files_written: rendered.files,
        stale_translations: (0..site.pages.len()).filter(|&i| site.is_stale(i)).count(),
        warnings,
        warning_count,
        elapsed: start.elapsed(),
        timings,
    };
    // Freeing tens of thousands of small allocations takes a while; the
    // report does not need to wait for it (and a command that exits next
    // does not wait at all).
    std::thread::spawn(move || drop(session));
    Ok(report)
}

/// Runs `medsite check`: loads and renders the site into a throwaway
/// folder (so everything `build` validates is validated), then runs every
/// health-content check on what rendering collected. `Err` when the site
/// cannot be loaded at all.
pub fn check(
    opts: &BuildOptions,
    check: &checks::CheckOptions,
    strict: bool,
) -> Result<checks::CheckReport, Diagnostics> {
    let mut session = Session::load(opts)?;
    let scratch = tempfile::tempdir().map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            std::env::temp_dir(),
            format!("cannot make a temporary folder: {e}"),
        )])
    })?;
    let staging = Staging::new(&scratch.path().join("site")).map_err(|d| Diagnostics(vec![d]))?;
    let rendered = session.render(&staging, Rendering::Check);
    drop(staging);
    let mut report = checks::run(&session.check_input(), check);
    report.finish(rendered.problems, strict);
    Ok(report)
}

/// The output folder must not be the site folder, contain it, or lie inside
/// `content/`, `templates/` or `static/`: it is replaced on every build.
fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out
    };
    let (root, out) = (abs(root), abs(output));
    let protected = ["content", "templates", "static"].map(|d| root.join(d));
    if root.starts_with(&out) || protected.iter().any(|p| out.starts_with(p)) {
        return Err(Diagnostic::error(
            output,
            "this output folder would overwrite the site's own files",
        )
        .with_help(
            "the output folder is replaced on every build; use a folder of its own, such as `site`",
        ));
    }
    Ok(())
}
