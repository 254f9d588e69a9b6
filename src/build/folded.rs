//! What a whole render keeps of each page and section once it is written:
//! [`Folded`] takes each [`Outcome`] as it comes and keeps only what the
//! end of the render needs (problems, findings, files written, facts for
//! `medsite check`, heading ids and the links to other files' headings),
//! so that memory per page stays small on a large site. A one-off build
//! tallies its warnings ([`Tally`]) instead of keeping them all.
//!
//! Not for rendering (`session`) nor for what a link to a heading may
//! point at (`anchors`).

use super::anchors::{self, Ids};
use super::pass::Outcome;
use crate::content::{Site, Target};
use crate::diagnostics::{Diagnostic, Tally};
use crate::markdown::{AnchorRef, PageFacts};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The outcomes of consecutive pages (or sections), folded.
#[derive(Default)]
pub(super) struct Folded {
    /// Every problem, or only the errors when the warnings are tallied.
    pub(super) problems: Vec<Diagnostic>,
    /// Every finding; none when they are tallied.
    pub(super) findings: Vec<Diagnostic>,
    /// Tally the warnings (a one-off build, which shows only the first)
    /// in `warned` and `found` rather than keep them.
    tally: bool,
    /// The problems that are not errors, when tallied.
    pub(super) warned: Tally,
    /// The findings, as warnings ([`super::as_warning`]), when tallied.
    pub(super) found: Tally,
    pub(super) files: usize,
    /// Each body's facts, in order, when the render keeps them.
    pub(super) facts: Vec<PageFacts>,
    /// Each body's heading ids, in order: one text, each id after a `\0`
    /// (which no id can hold: the Markdown parser replaces it). Pages
    /// with the same headings share one text.
    ids: Vec<Arc<str>>,
    /// The distinct texts of `ids` (up to [`SHARED`] of them), to share.
    shared: HashSet<Arc<str>>,
    /// The links to headings whose check waits for every body's ids, and
    /// the errors of those already checked, in the order found.
    anchors: Vec<Anchor>,
}

/// A link to a heading, checked or waiting for the end of the render.
pub(super) enum Anchor {
    /// A link to another file's heading.
    Waiting(AnchorRef),
    /// A link to a heading of its own page that does not exist.
    Unknown(Box<Diagnostic>),
}

/// How many distinct texts of heading ids a [`Folded`] remembers to share:
/// pages of one kind repeat their headings, and a site whose pages all
/// differ pays no more than this for trying.
const SHARED: usize = 4096;

/// One body's heading ids as [`Folded`] keeps them.
fn joined(ids: &[String]) -> String {
    let mut s = String::with_capacity(ids.iter().map(|id| id.len() + 1).sum());
    for id in ids {
        s.push('\0');
        s.push_str(id);
    }
    s
}

/// The ids of one body as [`joined`] keeps them.
fn split(ids: &str) -> impl Iterator<Item = &str> {
    ids.split('\0').skip(1)
}

/// Whether `fragment` is among `ids` as [`joined`] keeps them.
fn has_id(ids: &str, fragment: &str) -> bool {
    split(ids).any(|id| id == fragment)
}

impl Folded {
    /// Outcomes whose warnings and findings are tallied, not kept.
    pub(super) fn tallied() -> Folded {
        Folded {
            tally: true,
            ..Folded::default()
        }
    }

    /// Adds the outcome of the next body.
    pub(super) fn add(mut self, o: Outcome) -> Folded {
        let Outcome {
            file,
            ids,
            anchors,
            problems,
            findings,
            facts,
            files,
            search_doc: _,
        } = o;
        let own = joined(&ids);
        for a in anchors {
            match a.file.as_deref() {
                Some(target) if target != file => self.anchors.push(Anchor::Waiting(a)),
                _ => {
                    if !anchors::is_known(&a.fragment, |f| has_id(&own, f)) {
                        self.anchors.push(Anchor::Unknown(Box::new(a.diagnostic)));
                    }
                }
            }
        }
        let own = match self.shared.get(own.as_str()) {
            Some(same) => Arc::clone(same),
            None => {
                let own: Arc<str> = own.into();
                if self.shared.len() < SHARED {
                    self.shared.insert(Arc::clone(&own));
                }
                own
            }
        };
        self.ids.push(own);
        if self.tally {
            for d in problems {
                if d.is_error() {
                    self.problems.push(d);
                } else {
                    self.warned.add(Cow::Owned(d));
                }
            }
            for d in findings {
                self.found.add(Cow::Owned(super::as_warning(d)));
            }
        } else {
            self.problems.extend(problems);
            self.findings.extend(findings);
        }
        self.facts.extend(facts);
        self.files += files;
        self
    }

    /// Frees the heading ids, once the links to them are checked.
    pub(super) fn forget_ids(&mut self) {
        self.ids = Vec::new();
        self.shared = HashSet::new();
    }

    /// The links to headings found, for [`AllIds::unknown`].
    pub(super) fn take_anchors(&mut self) -> Vec<Anchor> {
        std::mem::take(&mut self.anchors)
    }

    /// The outcomes of `self`'s bodies, then `other`'s.
    pub(super) fn then(mut self, mut other: Folded) -> Folded {
        self.problems.append(&mut other.problems);
        self.findings.append(&mut other.findings);
        self.warned = self.warned.then(other.warned);
        self.found = self.found.then(other.found);
        self.facts.append(&mut other.facts);
        self.ids.append(&mut other.ids);
        let room = SHARED.saturating_sub(self.shared.len());
        self.shared.extend(other.shared.into_iter().take(room));
        self.anchors.append(&mut other.anchors);
        self.files += other.files;
        self
    }
}

/// The heading ids of every page and section, for the links between them.
pub(super) struct AllIds<'a> {
    site: &'a Site,
    pages: &'a [Arc<str>],
    /// By file, as a later section of the same file replaces an earlier.
    sections: HashMap<&'a str, &'a str>,
}

impl<'a> AllIds<'a> {
    pub(super) fn new(site: &'a Site, pages: &'a Folded, sections: &'a Folded) -> AllIds<'a> {
        let sections = site
            .sections
            .iter()
            .zip(&sections.ids)
            .map(|(s, ids)| (s.rel.as_str(), &**ids))
            .collect();
        AllIds {
            site,
            pages: &pages.ids,
            sections,
        }
    }

    /// The ids of the content file `file`, if it is a page or section.
    fn of(&self, file: &str) -> Option<&'a str> {
        if let Some(ids) = self.sections.get(file) {
            return Some(ids);
        }
        match self.site.by_file.get(file) {
            Some(&Target::Page(i)) => self.pages.get(i).map(|ids| &**ids),
            _ => None,
        }
    }

    /// The errors of the links to headings that do not exist, of the
    /// pages then the sections, in the order they were found.
    pub(super) fn unknown(&self, anchors: Vec<Anchor>) -> impl Iterator<Item = Diagnostic> {
        anchors.into_iter().filter_map(|a| match a {
            Anchor::Unknown(d) => Some(*d),
            Anchor::Waiting(link) => {
                let ids = link.file.as_deref().and_then(|f| self.of(f));
                let known =
                    anchors::is_known(&link.fragment, |f| ids.is_some_and(|ids| has_id(ids, f)));
                (!known).then_some(link.diagnostic)
            }
        })
    }

    /// Every file's ids as the dev server keeps them between edits.
    pub(super) fn to_map(&self) -> Ids {
        let mut ids = Ids::default();
        let list = |s: &str| -> Vec<String> { split(s).map(str::to_owned).collect() };
        for (p, s) in self.site.pages.iter().zip(self.pages) {
            ids.insert(p.rel.clone(), list(s));
        }
        for s in &self.site.sections {
            if let Some(v) = self.sections.get(s.rel.as_str()) {
                ids.insert(s.rel.clone(), list(v));
            }
        }
        ids
    }
}
