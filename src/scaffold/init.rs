//! `medsite init`: a new site folder that builds at once.
//!
//! [`init`] checks the folder (new, or empty but for `.git`) and writes the
//! starter files. It is not where their text lives (`starter.rs`) nor where
//! single pages are added to an existing site (`new_page.rs`).

use super::starter::{
    ABOUT, GITIGNORE, MEDICATIONS_INDEX, example_medication, home_text, site_toml,
};
use super::write_new;
use crate::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};

/// Title of a site made by [`init`] without one.
const DEFAULT_SITE_TITLE: &str = "Patient information about medicines";

/// Writes a new, buildable site folder at `dir`: `site.toml`,
/// `content/_index.md` (the home page), `content/medications/_index.md`,
/// one example medication page, an about page and a `.gitignore` that
/// leaves out the output folder. Returns the paths of the files written.
///
/// `dir` is created if missing; an existing folder must be empty (a `.git`
/// folder is allowed, so that `git init` can come first).
pub fn init(dir: &Path, title: Option<&str>) -> Result<Vec<PathBuf>, Diagnostic> {
    let title = title.map(str::trim).unwrap_or(DEFAULT_SITE_TITLE);
    if title.is_empty() {
        return Err(Diagnostic::error(dir, "the site's title is empty")
            .with_help("give the site a name, e.g. `--title \"Rheumatology medicines\"`, or leave the title out"));
    }
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(dir, "this is a file, not a folder")
                .with_help("choose a new folder for the site, e.g. `medsite init my-site`"));
        }
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Diagnostic::error(dir, format!("cannot read the folder: {e}"))
                .with_help("check that the folder can be read")
        })?;
        let mut found: Vec<String> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name != ".git" && name != ".DS_Store" {
                found.push(name);
            }
        }
        if !found.is_empty() {
            found.sort();
            let shown: Vec<String> = found.iter().take(3).map(|n| format!("`{n}`")).collect();
            let more = if found.len() > 3 { ", ..." } else { "" };
            return Err(Diagnostic::error(
                dir,
                format!(
                    "the folder is not empty (it has {}{more})",
                    shown.join(", ")
                ),
            )
            .with_help(
                "medsite init never overwrites files: choose a new or empty folder, e.g. `medsite init my-site`",
            ));
        }
    }
    std::fs::create_dir_all(dir.join("content").join("medications")).map_err(|e| {
        Diagnostic::error(dir, format!("cannot create the folder: {e}"))
            .with_help("check that the parent folder exists and can be written to")
    })?;

    let files: [(&str, String); 6] = [
        ("site.toml", site_toml(title)),
        (".gitignore", GITIGNORE.to_owned()),
        ("content/_index.md", home_text(title)),
        (
            "content/medications/_index.md",
            MEDICATIONS_INDEX.to_owned(),
        ),
        ("content/medications/methotrexate.md", example_medication()),
        ("content/about.md", ABOUT.to_owned()),
    ];
    let mut written = Vec::with_capacity(files.len());
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &dir.join(rel), &text)?;
        written.push(path);
    }
    Ok(written)
}
