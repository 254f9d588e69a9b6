//! How well each stem describes a page: a page's title, names, ATC code,
//! conditions, drug class, summary, headings and body read into stems
//! (through the thread's [`Analyzer`]) and scored, names and conditions
//! above the text, so that a query's name matches rank first.
//!
//! Not for gathering pages into an index or writing its files
//! (`fulltext`), nor for splitting words (`words`).

use super::words::{Analyzer, html_text};
use crate::content::{Page, Site};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Field weights: a word in a name counts as much as twenty in the body;
/// the text's part (summary, headings, body) adds at most [`TEXT_CAP`], so
/// any score of [`KEY`] or more comes from a name, condition or class.
const W_NAME: u16 = 20;
const W_CONDITION: u16 = 10;
const W_SUMMARY: u16 = 2;
const W_HEADING: u16 = 3;
/// Most the body adds to one stem's score (a word said often is not ten
/// times as relevant).
const BODY_CAP: u16 = 4;
const TEXT_CAP: u16 = 9;
/// The lowest score of a page with the stem in a name, condition or class.
pub const KEY: u16 = W_CONDITION;

/// One page's stems and scores, sorted by stem.
pub type Terms = Vec<(Arc<str>, u16)>;

/// One thread's analyzer of a language, with a score board indexed by
/// stem number that is cleared after each page.
pub(super) struct Scorer {
    pub(super) analyzer: Analyzer,
    /// Per stem number: (names, conditions and class), (summary and
    /// headings), body occurrences.
    board: Vec<(u16, u16, u16)>,
    touched: Vec<u32>,
}

impl Scorer {
    fn add(&mut self, text: &str, w: u16) {
        let Scorer {
            analyzer,
            board,
            touched,
        } = self;
        analyzer.words(text, |n| {
            let n = n as usize;
            if n >= board.len() {
                board.resize(n + 1, (0, 0, 0));
            }
            let e = &mut board[n];
            if *e == (0, 0, 0) {
                touched.push(n as u32);
            }
            match w {
                0 => e.2 = e.2.saturating_add(1),
                W_NAME | W_CONDITION => e.0 = e.0.saturating_add(w),
                _ => e.1 = e.1.saturating_add(w),
            }
        });
    }

    /// Calls `each` with every stem number of the page and its score,
    /// and clears the board for the next page.
    pub(super) fn flush(&mut self, mut each: impl FnMut(u32, u16)) {
        for &n in &self.touched {
            let (key, text, body) = std::mem::take(&mut self.board[n as usize]);
            let text = text.saturating_add(body.min(BODY_CAP)).min(TEXT_CAP);
            each(n, key.saturating_add(text));
        }
        self.touched.clear();
    }

    /// The page's stems and scores, sorted by stem; clears the board.
    pub(super) fn take(&mut self) -> Terms {
        let mut numbered: Vec<(u32, u16)> = Vec::with_capacity(self.touched.len());
        self.flush(|n, score| numbered.push((n, score)));
        let mut out: Terms = numbered
            .into_iter()
            .map(|(n, score)| (Arc::clone(self.analyzer.stem(n)), score))
            .collect();
        out.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        out
    }

    pub(super) fn new(lang: &str) -> Scorer {
        Scorer {
            analyzer: Analyzer::new(lang),
            board: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Reads every field of `page` onto the board.
    pub(super) fn page<'h>(
        &mut self,
        site: &Site,
        page: &Page,
        body_html: &str,
        headings: impl Iterator<Item = &'h str>,
    ) {
        let m = &page.meta;
        self.add(page.title(), W_NAME);
        for name in m
            .generic_name()
            .into_iter()
            .chain(m.brand_names().iter().map(String::as_str))
            .chain(crate::content::spanned::text(&m.atc_code))
        {
            self.add(name, W_NAME);
        }
        for &c in &page.conditions {
            self.add(&site.conditions[c].name, W_CONDITION);
        }
        if let Some(class) = crate::content::spanned::text(&m.drug_class) {
            self.add(class, W_CONDITION);
        }
        self.add(m.summary(), W_SUMMARY);
        for h in headings {
            self.add(h, W_HEADING);
        }
        html_text(body_html, |t| self.add(t, 0));
    }
}

thread_local! {
    static SCORERS: RefCell<HashMap<String, Scorer>> = RefCell::new(HashMap::new());
}

/// The stems of one `page` with their scores, sorted by stem (for the dev
/// server's update of one page); `body_html` is its rendered Markdown and
/// `headings` its headings' text.
pub fn terms<'h>(
    site: &Site,
    page: &Page,
    body_html: &str,
    headings: impl Iterator<Item = &'h str>,
) -> Terms {
    SCORERS.with(|cell| {
        let mut map = cell.borrow_mut();
        let sc = map
            .entry(page.lang.clone())
            .or_insert_with(|| Scorer::new(&page.lang));
        sc.page(site, page, body_html, headings);
        sc.take()
    })
}
