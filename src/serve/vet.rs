//! The checks a save from the web editor must pass before it is written:
//! the site is loaded with the saved files in place of the disk's
//! ([`crate::content::Overlay`]); the saved pages are rendered and checked
//! on their own where that is sound ([`Session::save_problems`]),
//! otherwise the site is built into a scratch folder exactly as `medsite
//! build` builds it. A save is refused when there is an error in a saved
//! file, or an error elsewhere that the site did not have before (a
//! deleted page that others link to). The errors become one
//! message for the editor: the field, the problem and how to fix it.
//!
//! Not for which paths a save may touch (`super::workspace`) or the
//! protocol (`super::backend`).

use crate::build::{BuildOptions, Rendering, Session};
use crate::content::Overlay;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Staging;
use std::path::PathBuf;
use std::sync::Arc;

/// The errors `medsite build` would report for the site with `overlay`.
fn build_errors(opts: &BuildOptions, overlay: Option<Arc<Overlay>>) -> Vec<Diagnostic> {
    let mut session = match Session::load_with(opts, overlay) {
        Ok(s) => s,
        Err(d) => return d.0.into_iter().filter(Diagnostic::is_error).collect(),
    };
    let scratch = match tempfile::Builder::new().prefix("medsite-vet-").tempdir() {
        Ok(s) => s,
        Err(e) => {
            return vec![Diagnostic::error(
                std::env::temp_dir(),
                format!("cannot make a temporary folder to check the save in: {e}"),
            )];
        }
    };
    let staging = match Staging::new(&scratch.path().join("site")) {
        Ok(s) => s,
        Err(d) => return vec![d],
    };
    let report = session.render(&staging, Rendering::Once);
    drop(staging);
    let mut problems = Diagnostics(report.problems.0);
    problems.dedupe();
    problems
        .0
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

/// The errors of a save of `overlay` without the whole build, when that
/// can tell ([`Session::save_problems`]).
fn quick_errors(opts: &BuildOptions, overlay: &Arc<Overlay>) -> Option<Vec<Diagnostic>> {
    if overlay.values().any(Option::is_none) {
        return None;
    }
    let session = match Session::load_with(opts, Some(overlay.clone())) {
        Ok(s) => s,
        Err(d) => return Some(d.0.into_iter().filter(Diagnostic::is_error).collect()),
    };
    let saved: Vec<String> = overlay.keys().cloned().collect();
    session.save_problems(&saved)
}

/// The errors that refuse a save of `overlay` (files inside `content/`).
pub fn refusals(opts: &BuildOptions, overlay: Overlay) -> Vec<Diagnostic> {
    let saved: Vec<PathBuf> = overlay
        .keys()
        .map(|rel| PathBuf::from("content").join(rel))
        .collect();
    let overlay = Arc::new(overlay);
    let quick = quick_errors(opts, &overlay);
    let was_quick = quick.is_some();
    let errors = quick.unwrap_or_else(|| build_errors(opts, Some(overlay)));
    let (mine, elsewhere): (Vec<_>, Vec<_>) =
        errors.into_iter().partition(|d| saved.contains(&d.file));
    if elsewhere.is_empty() {
        return mine;
    }
    // Errors in other files count only if the save caused them: compared
    // with the site as it is, checked the same way.
    let before = match (was_quick, Session::load(opts)) {
        (true, Ok(s)) => s.load_errors(),
        _ => build_errors(opts, None),
    };
    let caused = elsewhere
        .into_iter()
        .filter(|d| !before.iter().any(|b| b.same_problem(d)));
    mine.into_iter().chain(caused).collect()
}

/// The front-matter key a diagnostic's line starts with (`atc_code`).
fn field_of(d: &Diagnostic) -> Option<&str> {
    let line = d.snippet.as_deref()?.trim_start();
    let (key, _) = line.split_once(':')?;
    let ok = !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    ok.then_some(key)
}

/// One message for the editor, naming each problem's field (or the place
/// in the text), the problem and the fix.
pub fn message(what: &str, errors: &[Diagnostic]) -> String {
    const SHOWN: usize = 8;
    let mut out = format!("medsite did not {what}, because `medsite build` would fail:");
    for d in errors.iter().take(SHOWN) {
        out.push_str("\n• ");
        match field_of(d) {
            Some(field) if d.line > 0 => out.push_str(&format!("{field}: ")),
            _ if d.line > 0 => {
                let near = d.snippet.as_deref().map(str::trim).unwrap_or_default();
                let near: String = near.chars().take(60).collect();
                out.push_str(&format!("in the text, near “{near}”: "));
            }
            _ => {}
        }
        out.push_str(&d.message);
        if let Some(help) = &d.help {
            out.push_str(&format!(". How to fix: {help}"));
        }
        let file = d.file.to_string_lossy().replace('\\', "/");
        if d.line > 0 {
            out.push_str(&format!(" ({file}, line {})", d.line));
        } else {
            out.push_str(&format!(" ({file})"));
        }
    }
    if errors.len() > SHOWN {
        out.push_str(&format!(
            "\n… and {} more problems of the same kind (`medsite check` lists them all).",
            errors.len() - SHOWN
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_the_field_the_problem_and_the_fix() {
        let text = "---\ntitle: A\natc_code: L04XX\n---\nSee [x](nope.md).\n";
        let atc = Diagnostic::error("content/a.md", "`L04XX` is not an ATC code")
            .at(text, 3, 11)
            .with_help("an ATC code is …");
        let link = Diagnostic::error("content/a.md", "the link target `nope.md` does not exist")
            .at(text, 5, 5);
        let m = message("save this", &[atc, link]);
        assert!(m.contains("• atc_code: `L04XX` is not an ATC code. How to fix: an ATC code is … (content/a.md, line 3)"), "{m}");
        assert!(
            m.contains("• in the text, near “See [x](nope.md).”: the link target"),
            "{m}"
        );
    }
}
