//! Translations: which language a content file is in (`ilaris.nb.md` is
//! the `nb` translation of `ilaris.md`), and whether a translation still
//! follows its source (`source_reviewed` against the source's
//! `last_reviewed`). Part of the content model; the notice on the page is
//! rendered by `render`, the report printed by `checks`.

use super::{Page, Site};
use crate::config::Config;
use crate::config::languages::looks_like_code;
use crate::diagnostics::Diagnostic;
use jiff::civil::Date;
use std::path::Path;

/// A content file's path without its language part, and the language:
/// `medications/ilaris.nb.md` → (`medications/ilaris.md`, `nb`). A file
/// with no language part is in the default language. A language part that
/// the site does not have is an error.
pub fn split_lang(
    rel: &str,
    config: &Config,
    display: &Path,
) -> Result<(String, String), Diagnostic> {
    let default = config.language.clone();
    let Some(stem) = rel.strip_suffix(".md") else {
        return Ok((rel.to_owned(), default));
    };
    let (dir, name) = match stem.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), stem),
    };
    let Some((base, code)) = name.rsplit_once('.') else {
        return Ok((rel.to_owned(), default));
    };
    if base.is_empty() || !looks_like_code(code) {
        return Ok((rel.to_owned(), default));
    }
    if config.language(code).is_none() {
        let configured: Vec<&str> = config.languages().iter().map(|l| l.code.as_str()).collect();
        return Err(Diagnostic::error(
            display,
            format!(
                "`{code}` in the file name is a language this site does not have (it has: {})",
                configured.join(", ")
            ),
        )
        .with_help(format!(
            "add a [languages.{code}] table to site.toml to publish pages in `{code}`, or, if this is not a translation, rename the file without `.{code}`"
        )));
    }
    Ok((format!("{dir}{base}.md"), code.to_owned()))
}

/// Why a translation may be out of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staleness {
    /// The source was reviewed after the review the translation follows.
    Stale {
        source: usize,
        /// The translation's `source_reviewed`.
        follows: Date,
        /// The source's `last_reviewed`.
        source_reviewed: Date,
    },
    /// The translation does not say which review of its source it follows.
    Unknown { source: usize },
}

impl Site {
    /// Whether `page`, a translation, lags behind its source; `None` for
    /// pages in the default language and translations that are up to date.
    pub fn staleness(&self, page: &Page) -> Option<Staleness> {
        let source = page.source?;
        let Some(follows) = page.dates.source_reviewed else {
            return Some(Staleness::Unknown { source });
        };
        match self.pages[source].dates.last_reviewed {
            Some(reviewed) if reviewed > follows => Some(Staleness::Stale {
                source,
                follows,
                source_reviewed: reviewed,
            }),
            _ => None,
        }
    }

    /// Whether page `i` is a translation that is out of date.
    pub fn is_stale(&self, i: usize) -> bool {
        matches!(
            self.staleness(&self.pages[i]),
            Some(Staleness::Stale { .. })
        )
    }

    /// Per language other than the default: the default-language pages
    /// with no translation into it.
    pub fn untranslated(&self) -> Vec<(String, Vec<&Page>)> {
        self.config
            .languages()
            .iter()
            .skip(1)
            .map(|l| {
                let missing = self
                    .pages
                    .iter()
                    .filter(|p| {
                        p.source.is_none()
                            && !p.translations.iter().any(|&t| self.pages[t].lang == l.code)
                    })
                    .collect();
                (l.code.clone(), missing)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_the_file_name() {
        let c = Config::parse("title = \"T\"\n[languages.nb]\n").unwrap();
        let d = Path::new("content/x");
        let split = |rel: &str| split_lang(rel, &c, d);
        assert_eq!(
            split("medications/ilaris.nb.md").unwrap(),
            ("medications/ilaris.md".to_owned(), "nb".to_owned())
        );
        assert_eq!(
            split("_index.nb.md").unwrap(),
            ("_index.md".to_owned(), "nb".to_owned())
        );
        assert_eq!(split("ilaris.md").unwrap().1, "en");
        assert_eq!(
            split("ilaris.en.md").unwrap(),
            ("ilaris.md".to_owned(), "en".to_owned())
        );
        assert_eq!(split("vitamin-b12.v2.md").unwrap().1, "en");
        let e = split("ilaris.sv.md").unwrap_err();
        assert!(e.message.contains("`sv`"), "{e}");
        assert!(e.help.as_deref().unwrap().contains("[languages.sv]"));
    }
}
