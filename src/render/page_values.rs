//! What listings show of each page as Tera values, made once per page and
//! kept by the dev server between edits: its summary (`section.pages`,
//! condition pages, recently reviewed pages) and its A–Z entries. A
//! listing part shows hundreds of pages, and an edit that adds a page
//! renders every later part again; after an edit only the values of the
//! pages it changed are made again ([`PageValues::after_edit`]).
//!
//! Not for what the values hold (`views::summarize`, `listing_page`) or
//! for one-off builds, which show each page in a listing about once and
//! keep nothing.

use super::az::Entry;
use crate::content::keep_by_page;
use std::sync::OnceLock;

/// Each page's values, by page index, made when first shown.
#[derive(Default)]
pub struct PageValues {
    summaries: Vec<OnceLock<tera::Value>>,
    /// The page's A–Z entries: its generic name (or title), then each of
    /// its brand names by index.
    entries: Vec<OnceLock<Box<[tera::Value]>>>,
}

impl PageValues {
    /// No value yet, for a site of `pages` pages.
    pub fn new(pages: usize) -> PageValues {
        PageValues {
            summaries: (0..pages).map(|_| OnceLock::new()).collect(),
            entries: (0..pages).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The values after an edit, taking from these those of every page
    /// `kept` gives (by page index after the edit: its index before,
    /// `Site::kept_pages`).
    pub fn after_edit(self, kept: &[Option<usize>]) -> PageValues {
        PageValues {
            summaries: keep_by_page(self.summaries, kept),
            entries: keep_by_page(self.entries, kept),
        }
    }

    /// Page `p`'s summary, made by `make` the first time.
    pub(super) fn summary(&self, p: usize, make: impl FnOnce() -> tera::Value) -> tera::Value {
        match self.summaries.get(p) {
            Some(cell) => cell.get_or_init(make).clone(),
            None => make(),
        }
    }

    /// Entry `e`'s value, made by `make` (all of its page's entries) the
    /// first time.
    pub(super) fn entry(
        &self,
        e: &Entry,
        make: impl FnOnce() -> Box<[tera::Value]>,
    ) -> tera::Value {
        let at = e.brand().map_or(0, |b| b as usize + 1);
        let pick = |all: &[tera::Value]| all.get(at).cloned().unwrap_or_else(tera::Value::none);
        match self.entries.get(e.page) {
            Some(cell) => pick(cell.get_or_init(make)),
            None => pick(&make()),
        }
    }
}
