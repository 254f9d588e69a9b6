//! Whether a save from the web editor would make `medsite build` fail,
//! found without building the whole site where that is sound: the session
//! is loaded with the saved files in place ([`crate::content::Overlay`]),
//! so every problem of loading (front matter, addresses, translations,
//! `related`, listing clashes) is there; then only the saved pages are
//! rendered (their links, Markdown and templates), and their links to
//! headings are checked against the pages they point to. A save that
//! removes a heading id the page had before could break another page's
//! link: for that, as for sections and deletions, only the whole build can
//! tell, and [`Session::save_problems`] says so.
//!
//! Not for deciding which errors refuse a save or how they are worded
//! (`serve::vet`).

use super::anchors::{self, Ids};
use super::session::{Outcome, Pass};
use crate::content::{self, Target};
use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::render;

impl super::Session {
    /// The errors of loading: every file's front matter and placement,
    /// listing clashes, pages at the editor's address.
    pub fn load_errors(&self) -> Vec<Diagnostic> {
        let site = &self.site;
        let mut out: Vec<Diagnostic> = site.diagnostics.clone();
        out.extend(self.listings.clashes(site));
        if site.config.cms.is_some() {
            out.extend(render::admin::clashes(site));
        }
        out.retain(Diagnostic::is_error);
        out
    }

    /// The errors `medsite build` would report for the content files
    /// `saved` (`medications/ilaris.md`, as loaded into this session) and
    /// the loading of the whole site; `None` when only a whole build can
    /// tell (a section's file, a file that is not a page, or a heading id
    /// the page's version on disk had and the saved one has not).
    pub fn save_problems(&self, saved: &[String]) -> Option<Vec<Diagnostic>> {
        let site = &self.site;
        let pages: Vec<usize> = saved
            .iter()
            .map(|rel| match site.by_file.get(rel) {
                Some(&Target::Page(i)) => Some(i),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let scratch = tempfile::Builder::new()
            .prefix("medsite-save-check-")
            .tempdir()
            .ok()?;
        let staging = Staging::new(&scratch.path().join("site")).ok()?;
        let r = self.renderer();
        let pass = Pass::for_edit(&r, None, &staging, &self.doc_numbers);
        let outcomes: Vec<Outcome> = pages
            .iter()
            .map(|&i| pass.body(Target::Page(i), &self.bodies.pages[i]))
            .collect();
        // The version on disk: every id it had must still be there.
        for (&i, o) in pages.iter().zip(&outcomes) {
            if let Ok((_, old_body)) = content::read_page(site, i) {
                let old = pass.body(Target::Page(i), &old_body);
                if old.ids.iter().any(|id| !o.ids.contains(id)) {
                    return None;
                }
            }
        }
        let mut ids = Ids::new();
        for o in &outcomes {
            ids.insert(o.file.clone(), o.ids.clone());
        }
        for o in &outcomes {
            for a in &o.anchors {
                let Some(file) = &a.file else { continue };
                if ids.contains_key(file) {
                    continue;
                }
                let target = match site.by_file.get(file) {
                    Some(&Target::Page(j)) => (Target::Page(j), &self.bodies.pages[j]),
                    Some(&Target::Section(j)) => (Target::Section(j), &self.bodies.sections[j]),
                    None => continue,
                };
                let linked = pass.body(target.0, target.1);
                ids.insert(file.clone(), linked.ids);
            }
        }
        let mut out = self.load_errors();
        for o in &outcomes {
            out.extend(o.problems.iter().filter(|d| d.is_error()).cloned());
            out.extend(anchors::unknown(&o.file, &o.anchors, &ids));
        }
        Some(out)
    }
}
