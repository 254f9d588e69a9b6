//! Translations that fall behind: a translation whose source was reviewed
//! after the review it follows (`source_reviewed`) is stale, and one that
//! does not say which review it follows cannot be trusted to be current.
//! Also the coverage table: per language, the pages with no translation.
//! Reads what the content model knows ([`Site::staleness`]); not for the
//! notice on the page (the theme shows it).

use crate::content::translations::Staleness;
use crate::content::{Page, Site};
use crate::diagnostics::Diagnostic;
use serde::Serialize;
use std::path::PathBuf;

/// The findings on `page` if it is a translation.
pub fn check(site: &Site, page: &Page, out: &mut Vec<Diagnostic>) {
    match site.staleness(page) {
        Some(Staleness::Stale {
            source,
            follows,
            source_reviewed,
        }) => {
            let src = &site.pages[source];
            let at = page.meta.source_reviewed.as_ref().map(|v| v.pos);
            let d = Diagnostic::warning(
                page.display(),
                format!(
                    "this translation may be out of date: it follows the review of {} on {follows}, which was reviewed again on {source_reviewed}",
                    src.display().display(),
                ),
            )
            .with_help(format!(
                "compare the two pages, update this translation, then set `source_reviewed: {source_reviewed}`; until then the page tells patients it may be out of date"
            ))
            .with_id("translation-stale");
            out.push(match at {
                Some(pos) => page.front.at(d, pos),
                None => page.front.at_end(d),
            });
        }
        Some(Staleness::Unknown { source }) => {
            let src = &site.pages[source];
            let when = src
                .dates
                .last_reviewed
                .map_or("its `last_reviewed` date".to_owned(), |d| d.to_string());
            out.push(
                page.front.at_end(
                    Diagnostic::warning(
                        page.display(),
                        format!(
                            "this translation does not say which review of {} it follows",
                            src.display().display()
                        ),
                    )
                    .with_help(format!(
                        "add `source_reviewed: {when}` (the source's `last_reviewed` when the translation was made or checked), so that medsite can tell when it falls behind"
                    ))
                    .with_id("translation-source-reviewed"),
                ),
            );
        }
        None => {}
    }
}

/// The translations of one language.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub lang: String,
    /// Pages in the default language.
    pub pages: usize,
    pub translated: usize,
    /// Translations older than their source.
    pub stale: usize,
    /// The default-language pages with no translation into this language.
    pub missing: Vec<PathBuf>,
}

/// Per language other than the default: how many pages are translated,
/// stale, and which are missing.
pub fn coverage(site: &Site) -> Vec<Coverage> {
    let sources = site.pages.iter().filter(|p| p.source.is_none()).count();
    site.untranslated()
        .into_iter()
        .map(|(lang, missing)| {
            let of_lang = || {
                site.pages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.lang == lang)
            };
            Coverage {
                pages: sources,
                translated: of_lang().count(),
                stale: of_lang().filter(|(i, _)| site.is_stale(*i)).count(),
                missing: missing
                    .into_iter()
                    .map(|p| p.display().to_path_buf())
                    .collect(),
                lang,
            }
        })
        .collect()
}
