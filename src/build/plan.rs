//! What a content edit in the dev server renders ([`Plan`]): from the
//! site before and after the edit, the pages, sections and listing parts
//! that can show the difference. The site-wide files (sitemap, feeds, 404,
//! search page) are always rendered.
//!
//! Not for reading the edit or writing files (`incremental`).

use crate::content::{Bodies, Site, Target};
use crate::render::listing::Listings;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

/// One side of an edit.
pub(super) struct Before<'a> {
    pub(super) site: &'a Site,
    pub(super) listings: &'a Listings,
    pub(super) sites: &'a HashMap<String, tera::Value>,
}

/// What an edit renders.
pub(super) struct Plan {
    /// Pages to render (indices in the new site).
    pub(super) pages: Vec<usize>,
    /// Sections to render with their bodies.
    pub(super) sections: Vec<usize>,
    /// Listing outputs (condition pages, later section parts) to render.
    pub(super) parts: HashSet<String>,
    /// Every listing part's file, to tell them from the site-wide files
    /// (sitemap, feeds, 404, search page), which are always rendered.
    pub(super) all_parts: HashSet<String>,
    /// The edited content files.
    pub(super) edited_files: HashSet<String>,
}

impl Plan {
    pub(super) fn new(old: Before, new: Before, bodies: &Bodies, edited: &HashSet<String>) -> Plan {
        let (o, n) = (old.site, new.site);
        let new_of = |rel: &str| match n.by_file.get(rel) {
            Some(&Target::Page(i)) => Some(i),
            _ => None,
        };
        let old_of = |rel: &str| match o.by_file.get(rel) {
            Some(&Target::Page(i)) => Some(i),
            _ => None,
        };
        let edited_new: HashSet<usize> = edited.iter().filter_map(|r| new_of(r)).collect();
        let edited_old: HashSet<usize> = edited.iter().filter_map(|r| old_of(r)).collect();
        let mut pages: BTreeSet<usize> = edited_new.iter().copied().collect();
        // Translations and sources show each other's addresses and dates.
        for &i in &edited_new {
            pages.extend(n.pages[i].translations.iter().copied());
            pages.extend(n.pages[i].source);
        }
        for &i in &edited_old {
            let p = &o.pages[i];
            for &t in p.translations.iter().chain(p.source.iter()) {
                pages.extend(new_of(&o.pages[t].rel));
            }
        }
        // Pages listing an edited page among their related pages.
        for (q, p) in n.pages.iter().enumerate() {
            if p.related.iter().any(|r| edited_new.contains(r)) {
                pages.insert(q);
            }
        }
        for p in &o.pages {
            if p.related.iter().any(|r| edited_old.contains(r)) {
                pages.extend(new_of(&p.rel));
            }
        }
        // A page that moved, appeared or went away changes the links to it.
        let moved: Vec<&str> = edited
            .iter()
            .filter(|rel| {
                let (a, b) = (old_of(rel), new_of(rel));
                match (a, b) {
                    (Some(a), Some(b)) => o.pages[a].path != n.pages[b].path,
                    (None, None) => false,
                    _ => true,
                }
            })
            .map(String::as_str)
            .collect();
        if !moved.is_empty() {
            let names: Vec<String> = moved.iter().map(|rel| link_name(rel)).collect();
            let finders: Vec<memchr::memmem::Finder> = names
                .iter()
                .map(|s| memchr::memmem::Finder::new(s.as_bytes()))
                .collect();
            let linking: Vec<usize> = (0..n.pages.len())
                .into_par_iter()
                .filter(|&q| {
                    let text = bodies.pages[q].text.as_bytes();
                    finders.iter().any(|f| f.find(text).is_some())
                })
                .collect();
            pages.extend(linking);
        }
        // What every page shows of the site (the menu, the count of
        // conditions) changed: every page.
        if old.sites != new.sites {
            pages.extend(0..n.pages.len());
        }

        // Sections: those whose pages changed, and the sections above
        // them (they count their subsections' pages); every home page
        // (recently reviewed pages).
        // The same pages in the same order (by file, as indices move).
        let same = |before: &[usize], after: &[usize]| {
            before.len() == after.len()
                && before
                    .iter()
                    .zip(after)
                    .all(|(&a, &b)| o.pages[a].rel == n.pages[b].rel)
        };
        let mut sections = BTreeSet::new();
        let mut parts = HashSet::new();
        for (i, s) in n.sections.iter().enumerate() {
            let before = &o.sections[i];
            let touched = s.pages.iter().any(|p| edited_new.contains(p))
                || before.pages.iter().any(|p| edited_old.contains(p))
                || !same(&before.pages, &s.pages);
            if s.is_home() || touched {
                let mut at = Some(i);
                while let Some(j) = at {
                    sections.insert(j);
                    at = n.sections[j].parent;
                }
            }
            if !touched {
                continue;
            }
            let all = !new.listings.same_navigation(old.listings, i);
            for k in 2..=new.listings.sections[i].parts {
                if all {
                    parts.insert(out_of(&targets_part_path(&s.path, k)));
                    continue;
                }
                let key = new.listings.part_key(n, i, k);
                let shows_edited = key.iter().any(|(rel, _)| edited.contains(*rel));
                if shows_edited || key != old.listings.part_key(o, i, k) {
                    parts.insert(out_of(&targets_part_path(&s.path, k)));
                }
            }
        }
        // Condition pages whose pages changed.
        let old_conditions: HashMap<&str, usize> = o
            .conditions
            .iter()
            .enumerate()
            .map(|(i, c)| (c.out.as_str(), i))
            .collect();
        for (i, c) in n.conditions.iter().enumerate() {
            let same = old_conditions.get(c.out.as_str()).is_some_and(|&j| {
                same(&o.conditions[j].pages, &c.pages)
                    && old.listings.conditions.get(j) == new.listings.conditions.get(i)
            });
            if !same || c.pages.iter().any(|p| edited_new.contains(p)) {
                for k in 1..=new.listings.conditions[i] {
                    parts.insert(if k == 1 {
                        c.out.clone()
                    } else {
                        out_of(&targets_part_path(&c.path, k))
                    });
                }
            }
        }
        let all_parts = crate::render::listing_page::outputs(n, new.listings)
            .iter()
            .map(|o| o.file().to_owned())
            .collect();
        Plan {
            pages: pages.into_iter().collect(),
            sections: sections.into_iter().collect(),
            parts,
            all_parts,
            edited_files: edited.clone(),
        }
    }

    /// Whether the listing output `file` is rendered.
    pub(super) fn wants(&self, file: &str) -> bool {
        !self.all_parts.contains(file) || self.parts.contains(file)
    }
}

/// What a link to the content file `rel` has in it whatever folder it is
/// written from: its name up to the first dot (`ilaris.` for
/// `medications/ilaris.nb.md`), or the folder's name for a bundle's
/// `index.md`.
fn link_name(rel: &str) -> String {
    let mut parts = rel.rsplit('/');
    let name = parts.next().unwrap_or(rel);
    let stem = name.split('.').next().unwrap_or(name);
    if stem == "index" {
        return format!("{}/", parts.next().unwrap_or(stem));
    }
    format!("{stem}.")
}

/// The site path of part `k` of the listing at `path`.
fn targets_part_path(path: &str, k: usize) -> String {
    crate::render::listing::part_path(path, k)
}

/// The output file of the page at site path `path`.
fn out_of(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_names_match_every_way_of_writing_the_link() {
        assert_eq!(link_name("medications/ilaris.md"), "ilaris.");
        assert_eq!(link_name("medications/ilaris.nb.md"), "ilaris.");
        assert_eq!(link_name("medications/ilaris/index.md"), "ilaris/");
        assert_eq!(link_name("top.md"), "top.");
    }
}
