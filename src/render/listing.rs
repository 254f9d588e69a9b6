//! Listings that stay small: a section's list of pages (or its A–Z index,
//! see [`az`](super::az)) and a condition's page are split into parts of
//! `[listings] per_page` entries, part 1 at the listing's own address and
//! part k at `<listing>/page/<k>/`. Here are the plan of every listing's
//! parts ([`Listings`], made once per build beside the immutable `Site`,
//! and after an edit from the plan before it) and the home page's
//! recently reviewed pages.
//!
//! Not for what the listing pages render (`listing_page`), the order of an
//! A–Z index (`az`) or for deciding which files are written when (the
//! build session does).

use super::Strings;
use super::az::{self, AzIndex, Collation, Names};
use crate::content::{Site, Target};
use crate::diagnostics::Diagnostic;
use crate::markdown::url_for;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Every listing's parts, made once per build.
#[derive(Debug, Default)]
pub struct Listings {
    /// Entries on one part.
    pub per_page: usize,
    /// By section index.
    pub sections: Vec<SectionListing>,
    /// By condition index: how many parts the condition's page has.
    pub conditions: Vec<usize>,
    /// Per language code: its recently reviewed pages, newest first.
    pub recent: HashMap<String, Vec<usize>>,
}

/// One section's listing.
#[derive(Debug, Clone)]
pub struct SectionListing {
    /// The A–Z index, for a section of medication pages (shared with the
    /// plan after an edit that left it as it was).
    pub az: Option<Arc<AzIndex>>,
    /// How many parts the listing has (1 when it is short).
    pub parts: usize,
    /// The A–Z letter navigation, the same on every part (converted for
    /// templates once); `null` without an index.
    pub(super) letters: tera::Value,
}

/// How many parts `n` entries make.
fn part_count(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

/// The site path of part `k` of the listing at `path`: `path` itself for
/// part 1, `<path>page/<k>/` after.
pub fn part_path(path: &str, k: usize) -> String {
    if k <= 1 {
        path.to_owned()
    } else {
        format!("{path}page/{k}/")
    }
}

/// The output file of the page at site path `path`.
pub(super) fn out_of(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

impl Listings {
    /// The plan of every listing of `site`: A–Z indexes sorted, parts
    /// counted, recently reviewed pages picked.
    pub fn new(site: &Site, strings: &Strings, base_path: &str) -> Listings {
        Self::plan(site, strings, base_path, |_| None)
    }

    /// [`Listings::new`] after an edit of the pages `edited` (content
    /// file paths), taking from `old`, the plan of the site before, each
    /// A–Z index: as it was when the section has the same pages and no
    /// edited page of it has other entries (a title or summary edit sorts
    /// no name again), else with only the entries of the pages added,
    /// removed or renamed taken out or put in.
    pub fn after_edit(
        site: &Site,
        strings: &Strings,
        base_path: &str,
        old: (&Site, &Listings),
        edited: &HashSet<String>,
    ) -> Listings {
        let (old_site, old) = old;
        let per_page = site.config.listings.per_page.max(1);
        let reuse = |i: usize| -> Option<SectionListing> {
            let kept = old.sections.get(i)?;
            let index = kept.az.as_ref()?;
            let (a, b) = (old_site.sections.get(i)?, &site.sections[i]);
            let names = |site: &'_ Site, y: usize| -> Vec<(String, Option<String>)> {
                let entries = az::entries(site, &[y]);
                let name =
                    |e: &az::Entry| (site.name(e).to_owned(), site.see(e).map(str::to_owned));
                entries.iter().map(name).collect()
            };
            // Each page of the section before by where it is after, unless
            // it went or its names changed.
            let mut moved: HashMap<usize, usize> = HashMap::with_capacity(a.pages.len());
            for &x in &a.pages {
                let rel = &old_site.pages[x].rel;
                if let Some(&Target::Page(y)) = site.by_file.get(rel.as_str())
                    && site.pages[y].section == i
                    && (!edited.contains(rel) || names(old_site, x) == names(site, y))
                {
                    moved.insert(x, y);
                }
            }
            let put_in: Vec<usize> = b
                .pages
                .iter()
                .copied()
                .filter(|&y| {
                    let rel = &site.pages[y].rel;
                    !matches!(old_site.by_file.get(rel.as_str()), Some(&Target::Page(x)) if moved.get(&x) == Some(&y))
                })
                .collect();
            let unchanged = moved.len() == a.pages.len()
                && put_in.is_empty()
                && moved.iter().all(|(x, y)| x == y);
            if unchanged {
                return Some(kept.clone());
            }
            // Many changes: sorting anew costs no more.
            if put_in.len() + (a.pages.len() - moved.len()) > b.pages.len() / 8 + 16 {
                return None;
            }
            let index = index.replace(
                |x| moved.get(&x).copied(),
                az::entries(site, &put_in),
                &Collation::new(&b.lang),
                site,
            );
            Some(SectionListing {
                parts: part_count(index.entries.len(), per_page),
                letters: letter_links(&index, &b.path, per_page, base_path),
                az: Some(Arc::new(index)),
            })
        };
        Self::plan(site, strings, base_path, reuse)
    }

    /// The plan, taking from `reuse` the listing of each section it has.
    fn plan(
        site: &Site,
        strings: &Strings,
        base_path: &str,
        reuse: impl Fn(usize) -> Option<SectionListing> + Sync,
    ) -> Listings {
        let per_page = site.config.listings.per_page.max(1);
        let sections = site
            .sections
            .par_iter()
            .enumerate()
            .map(|(i, s)| {
                if !az::is_az(site, s) {
                    return SectionListing {
                        az: None,
                        parts: part_count(s.pages.len(), per_page),
                        letters: tera::Value::none(),
                    };
                }
                if let Some(kept) = reuse(i) {
                    return kept;
                }
                let letters = strings
                    .get(&s.lang, "az-letters", None)
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect();
                let index = az::index(
                    az::entries(site, &s.pages),
                    letters,
                    &Collation::new(&s.lang),
                    site,
                );
                let letters = letter_links(&index, &s.path, per_page, base_path);
                SectionListing {
                    parts: part_count(index.entries.len(), per_page),
                    az: Some(Arc::new(index)),
                    letters,
                }
            })
            .collect();
        let conditions = site
            .conditions
            .iter()
            .map(|c| part_count(c.pages.len(), per_page))
            .collect();
        Listings {
            per_page,
            sections,
            conditions,
            recent: recently_reviewed(site, site.config.listings.recent),
        }
    }

    /// What part `k` of section `i`'s listing shows, by page file and
    /// which of its names (none for the generic name, or outside an A–Z
    /// index): two plans whose parts show the same entries in the same
    /// order (and the same navigation) render them alike, but for the
    /// edited pages' names and summaries.
    pub fn part_key<'a>(
        &'a self,
        site: &'a Site,
        i: usize,
        k: usize,
    ) -> Vec<(&'a str, Option<u32>)> {
        let s = &site.sections[i];
        match self.sections.get(i).and_then(|l| l.az.as_ref()) {
            Some(index) => index.entries[self.range(k, index.entries.len())]
                .iter()
                .map(|e| (site.pages[e.page].rel.as_str(), e.brand()))
                .collect(),
            None => s.pages[self.range(k, s.pages.len())]
                .iter()
                .map(|&p| (site.pages[p].rel.as_str(), None))
                .collect(),
        }
    }

    /// Whether section `i`'s parts have the same count and A–Z
    /// navigation in both plans.
    pub fn same_navigation(&self, other: &Listings, i: usize) -> bool {
        match (self.sections.get(i), other.sections.get(i)) {
            (Some(a), Some(b)) => a.parts == b.parts && a.letters == b.letters,
            _ => false,
        }
    }

    /// The site paths of every part after the first, of every listing.
    pub fn later_parts(&self, site: &Site) -> Vec<String> {
        let sections = site
            .sections
            .iter()
            .zip(&self.sections)
            .flat_map(|(s, l)| (2..=l.parts).map(|k| part_path(&s.path, k)));
        let conditions = site
            .conditions
            .iter()
            .zip(&self.conditions)
            .flat_map(|(c, &n)| (2..=n).map(|k| part_path(&c.path, k)));
        sections.chain(conditions).collect()
    }

    /// A page or section whose address is also that of a part of a listing
    /// (`medications/page/2.md` and part 2 of `/medications/`): an error
    /// at the page, since one would overwrite the other.
    pub fn clashes(&self, site: &Site) -> Vec<Diagnostic> {
        let parts: HashSet<String> = self.later_parts(site).into_iter().collect();
        if parts.is_empty() {
            return Vec::new();
        }
        let clash = |path: &str| {
            format!("this page's address `{path}` is also a page of a long listing (`…/page/<k>/`)")
        };
        let help = "rename the file or its folder (or give it a `slug`), or raise `[listings] per_page` in site.toml";
        let pages = site
            .pages
            .iter()
            .filter(|p| parts.contains(&p.path))
            .map(|p| {
                p.front
                    .at_start(Diagnostic::error(p.display(), clash(&p.path)).with_help(help))
            });
        let sections = site
            .sections
            .iter()
            .filter(|s| parts.contains(&s.path))
            .map(|s| Diagnostic::error(&s.display, clash(&s.path)).with_help(help));
        pages.chain(sections).collect()
    }

    /// The entries of part `k` of a listing of `n` entries.
    pub(super) fn range(&self, k: usize, n: usize) -> std::ops::Range<usize> {
        let start = ((k - 1) * self.per_page).min(n);
        start..(start + self.per_page).min(n)
    }
}

/// Each language's `recent` most recently reviewed pages, newest first
/// (pages reviewed on the same day by title).
fn recently_reviewed(site: &Site, recent: usize) -> HashMap<String, Vec<usize>> {
    let mut out: HashMap<String, Vec<usize>> = HashMap::new();
    if recent == 0 {
        return out;
    }
    for lang in site.config.languages() {
        let recent = super::feed::recent_pages(site, &lang.code, recent);
        out.insert(lang.code.clone(), recent);
    }
    out
}

/// One letter of the A–Z navigation.
#[derive(Serialize)]
struct LetterLink {
    letter: String,
    /// The id of its heading (`letter-m`).
    id: String,
    /// The part and heading where its entries start
    /// (`/medications/page/3/#letter-m`); `null` when it has none.
    url: Option<String>,
}

/// The letter navigation of `index`, whose listing is at `path`: `#` first
/// when something goes under it, then every letter of the alphabet.
fn letter_links(index: &AzIndex, path: &str, per_page: usize, base_path: &str) -> tera::Value {
    let link = |g: &az::Group| {
        let part = g.start / per_page + 1;
        format!("{}#{}", url_for(base_path, &part_path(path, part)), g.id)
    };
    let mut links: Vec<LetterLink> = Vec::with_capacity(index.letters.len() + 1);
    if let Some(g) = index.group(az::OTHER) {
        links.push(LetterLink {
            letter: g.letter.clone(),
            id: g.id.clone(),
            url: Some(link(g)),
        });
    }
    for letter in &index.letters {
        links.push(LetterLink {
            letter: letter.clone(),
            id: az::letter_id(letter),
            url: index.group(letter).map(link),
        });
    }
    tera::Value::from_serializable(&links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_and_their_addresses() {
        assert_eq!(part_count(0, 300), 1);
        assert_eq!(part_count(300, 300), 1);
        assert_eq!(part_count(301, 300), 2);
        assert_eq!(part_path("/medications/", 1), "/medications/");
        assert_eq!(part_path("/medications/", 3), "/medications/page/3/");
        assert_eq!(
            out_of("/medications/page/3/"),
            "medications/page/3/index.html"
        );
        assert_eq!(out_of("/"), "index.html");
        let l = Listings {
            per_page: 10,
            ..Listings::default()
        };
        assert_eq!(l.range(1, 25), 0..10);
        assert_eq!(l.range(3, 25), 20..25);
    }
}
