//! Front-matter edits of pages that stay where they were, applied to a
//! copy of the [`Site`] without assembling it again: the dev server's
//! common edit (a title, summary, brand names, conditions, review dates)
//! at the cost of a copy and of linking pages again, instead of placing
//! every page anew. The result is the site a whole load would give.
//!
//! Not for edits that move, add or remove a page, change its kind or make
//! it a draft: [`Site::patched`] declines them and the site is assembled
//! from the files (`load`).

use super::assemble::{lang_mismatch, page_kind};
use super::load::{Files, Meta};
use super::{Bodies, LoadOptions, Site, Target, fields, relations};
use std::collections::HashSet;
use std::path::PathBuf;

impl Site {
    /// The site after the content files `edited` were read again into
    /// `files`, with its bodies (`bodies` are this site's), when every
    /// edited file is a page of this site that stays a page with the same
    /// address, language and kind; `None` otherwise.
    pub fn patched(
        &self,
        bodies: &Bodies,
        files: &Files,
        edited: &HashSet<String>,
        opts: &LoadOptions,
    ) -> Option<(Site, Bodies)> {
        let mut changes = Vec::with_capacity(edited.len());
        for rel in edited {
            let Some(&Target::Page(i)) = self.by_file.get(rel.as_str()) else {
                return None;
            };
            let loaded = files.get(rel)?;
            let Meta::Page(meta) = &loaded.meta else {
                return None;
            };
            let old = &self.pages[i];
            let slug = |m: &super::PageFront| m.slug.as_ref().map(|s| s.value.clone());
            let kind = page_kind(meta, &self.sections[old.section]);
            if (meta.draft && !opts.drafts) || slug(meta) != slug(&old.meta) || kind != old.kind {
                return None;
            }
            changes.push((i, loaded, meta, kind));
        }
        let mut site = self.clone();
        let mut bodies = bodies.clone();
        // The edited files' own problems are found again; those of the
        // links between pages are all found again.
        let displays: HashSet<PathBuf> = changes.iter().map(|c| c.1.display.clone()).collect();
        site.diagnostics.truncate(self.file_problems);
        site.diagnostics.retain(|d| !displays.contains(&d.file));
        for (i, loaded, meta, kind) in changes {
            site.diagnostics.extend(lang_mismatch(loaded));
            let dates = fields::check_page(&loaded.display, meta, kind, &loaded.front)
                .unwrap_or_else(|ds| {
                    site.diagnostics.extend(ds);
                    Default::default()
                });
            let page = &mut site.pages[i];
            page.meta = meta.clone();
            page.dates = dates;
            page.front = loaded.front.clone();
            bodies.pages[i] = loaded.body.clone();
        }
        for s in &mut site.sections {
            s.pages.clear();
        }
        site.conditions.clear();
        relations::link(&mut site);
        Some((site, bodies))
    }

    /// For each page of this site, the site after an edit of the content
    /// files `edited`, its index in `old`, the site before, when it is the
    /// same file, not edited, at the same address and of the same kind:
    /// what was made from such a page alone can be kept.
    pub fn kept_pages(&self, old: &Site, edited: &HashSet<String>) -> Vec<Option<usize>> {
        self.pages
            .iter()
            .map(|p| match old.by_file.get(p.rel.as_str()) {
                Some(&Target::Page(x))
                    if !edited.contains(&p.rel)
                        && old.pages[x].path == p.path
                        && old.pages[x].kind == p.kind =>
                {
                    Some(x)
                }
                _ => None,
            })
            .collect()
    }
}

/// What was made per page before an edit (`before`, by page index), moved
/// to each page's index after it as [`Site::kept_pages`] gives (`kept`);
/// the default where nothing was kept.
pub fn keep_by_page<T: Default>(mut before: Vec<T>, kept: &[Option<usize>]) -> Vec<T> {
    kept.iter()
        .map(|&x| {
            x.and_then(|x| before.get_mut(x))
                .map(std::mem::take)
                .unwrap_or_default()
        })
        .collect()
}
