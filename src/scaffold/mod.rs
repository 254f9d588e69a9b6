//! `medsite new` and `medsite init`: writing the files an editor starts from.
//!
//! [`new_page`] writes one new page (a medication page or an article) with
//! its front matter filled in as far as medsite can, review dates set from
//! today and `review_interval_months` of `site.toml`, and a short hint under
//! each heading saying what belongs there. [`new_translation`] (`medsite new
//! … --lang nb`) writes the translation of an existing page beside it, with
//! the source's front matter and the language's headings to fill in.
//! [`init`] writes a new site folder that builds without errors or
//! warnings. All three refuse to overwrite anything.
//!
//! Every file written here builds as it is: placeholders are plain text that
//! an editor replaces (`_Write here: …_`), never values that would fail a
//! check (an empty ATC code is left as a commented-out line instead).
//!
//! This module is the public face and the shared plumbing (writing a new
//! file, quoting for YAML and TOML). It is not for reading or building a
//! site: it reads only the `site.toml` and front matter it needs to place a
//! page. The parts:
//!
//! - `new_page.rs`: where a new page goes, its file name, refusals, dates;
//! - `page_text.rs`: the text of a new page;
//! - `translation.rs`: the source of a new translation, its file, refusals;
//! - `translation_text.rs`: the text of a new translation;
//! - `init.rs`: checking and filling a new site folder;
//! - `starter.rs`: the text of the files `init` writes.

mod init;
mod new_page;
mod page_text;
mod starter;
mod translation;
mod translation_text;

pub use init::init;
pub use new_page::new_page;
pub use translation::{NewTranslation, new_translation};

use crate::diagnostics::Diagnostic;
use std::io::Write;
use std::path::Path;

/// Which kind of page `medsite new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// A page about one medicine, with the standard headings.
    Medication,
    /// General information (about the site, living with a condition, ...).
    Article,
}

/// `s` as a YAML scalar: plain when that is safe and reads naturally,
/// otherwise double-quoted (JSON's escapes are valid YAML).
fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -()'.,/+&".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
    }
}

/// `s` as a TOML string.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// Writes `text` to `path`, which must not exist yet.
fn write_new(path: &Path, shown: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(shown, format!("cannot create the folder: {e}"))
                .with_help("check that the folder can be written to")
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(shown, "this file already exists").with_help(
                    "choose another title, or edit the existing file; medsite never overwrites it",
                )
            } else {
                Diagnostic::error(shown, format!("cannot write the file: {e}"))
                    .with_help("check that the folder can be written to")
            }
        })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        Diagnostic::error(shown, format!("cannot write the file: {e}"))
            .with_help("check that the disk is not full and the folder can be written to")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quoting() {
        assert_eq!(yaml_str("Ilaris (canakinumab)"), "Ilaris (canakinumab)");
        assert_eq!(yaml_str("Still's disease"), "Still's disease");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("yes"), "\"yes\"");
        assert_eq!(yaml_str("5-ASA"), "\"5-ASA\"");
        assert_eq!(yaml_str("say \"hi\" #1"), "\"say \\\"hi\\\" #1\"");
    }
}
