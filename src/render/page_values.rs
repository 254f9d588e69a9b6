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
use crate::content::{Site, Target};
use std::collections::HashSet;
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

    /// The values for `site` after an edit of the content files `edited`,
    /// taking from these (the values of `old`) those of every page that
    /// was not edited and has the same address and kind, wherever its
    /// index went.
    pub fn after_edit(self, old: &Site, site: &Site, edited: &HashSet<String>) -> PageValues {
        let mut summaries: Vec<OnceLock<tera::Value>> = Vec::with_capacity(site.pages.len());
        let mut entries: Vec<OnceLock<Box<[tera::Value]>>> = Vec::with_capacity(site.pages.len());
        let (mut old_summaries, mut old_entries) = (self.summaries, self.entries);
        for p in &site.pages {
            let kept = match old.by_file.get(p.rel.as_str()) {
                Some(&Target::Page(x))
                    if !edited.contains(&p.rel)
                        && old.pages[x].path == p.path
                        && old.pages[x].kind == p.kind =>
                {
                    Some(x)
                }
                _ => None,
            };
            summaries.push(take(&mut old_summaries, kept));
            entries.push(take(&mut old_entries, kept));
        }
        PageValues { summaries, entries }
    }
}

/// The value kept at `at`, if any.
fn take<T>(cells: &mut [OnceLock<T>], at: Option<usize>) -> OnceLock<T> {
    at.and_then(|x| cells.get_mut(x))
        .map(std::mem::take)
        .unwrap_or_default()
}

impl PageValues {
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
