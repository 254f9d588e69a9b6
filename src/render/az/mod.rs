//! The A–Z index of a section of medication pages: every generic name (the
//! title where a page has none) and every brand name is an entry, sorted
//! by the collation of the section's language (ICU4X, so that in Norwegian
//! Æ, Ø and Å come after Z) and grouped under the letters of that
//! language's alphabet (the theme's `az-letters`); an entry that starts
//! with anything else goes under `#`.
//!
//! Only the order and the groups, made once per build; not for splitting
//! the index into parts or for what templates receive (`listing`).

use crate::content::front_matter::{PageKind, SortBy};
use crate::content::{Section, Site};
use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::Locale;
use rayon::prelude::*;
use std::cmp::Ordering;

/// Whether `section` is listed A–Z: it is not the home page, it has
/// pages, all of them medication pages, and it does not ask for its own
/// order (`sort_by: weight`).
pub fn is_az(site: &Site, section: &Section) -> bool {
    !section.is_home()
        && !section.pages.is_empty()
        && section.meta.sort_by != Some(SortBy::Weight)
        && section
            .pages
            .iter()
            .all(|&p| site.pages[p].kind == PageKind::Medication)
}

/// The collation of one language: a full comparison for the order and a
/// primary one (letters only, no accents or case) for the letter groups.
pub struct Collation {
    full: CollatorBorrowed<'static>,
    primary: CollatorBorrowed<'static>,
}

impl Collation {
    /// The collation of language `code` (`nb`, `en`, `ar`); the root
    /// collation where ICU has no tailoring for it.
    pub fn new(code: &str) -> Collation {
        let prefs = Locale::try_from_str(code)
            .map(|l| CollatorPreferences::from(&l))
            .unwrap_or_default();
        let collator = |strength| {
            let mut options = CollatorOptions::default();
            options.strength = Some(strength);
            CollatorBorrowed::try_new(prefs, options)
                .or_else(|_| CollatorBorrowed::try_new(CollatorPreferences::default(), options))
        };
        match (collator(Strength::Tertiary), collator(Strength::Primary)) {
            (Ok(full), Ok(primary)) => Collation { full, primary },
            // The root collation is compiled in; it cannot be missing.
            _ => unreachable!("ICU4X's compiled collation data has the root collation"),
        }
    }

    /// The sort key of `s`: comparing keys bytewise is comparing the
    /// strings by this collation (cheaper when each is compared many times).
    pub fn key(&self, s: &str) -> Vec<u8> {
        let mut key = Vec::with_capacity(s.len() * 3);
        let Ok(()) = self.full.write_sort_key_to(s, &mut key);
        key
    }

    /// `a` against `b`, letters only.
    fn primary(&self, a: &str, b: &str) -> Ordering {
        self.primary.compare(a, b)
    }

    fn primary_key(&self, s: &str) -> Vec<u8> {
        let mut key = Vec::new();
        let Ok(()) = self.primary.write_sort_key_to(s, &mut key);
        key
    }
}

/// One entry of the index: a page and which of its names. The name is
/// read from the page when shown ([`Names`]), not copied: a large site's
/// index has two entries or more per page, kept for the whole build.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The page it leads to.
    pub page: usize,
    /// Which of the page's `brand_names` it is; none for its generic name
    /// (or title).
    brand: Option<u32>,
}

impl Entry {
    /// The entry of page `page`'s generic name (or title).
    pub fn generic(page: usize) -> Entry {
        Entry { page, brand: None }
    }
    /// The entry of page `page`'s brand name `brand`, or of its generic
    /// name.
    pub fn of(page: usize, brand: Option<u32>) -> Entry {
        Entry { page, brand }
    }
    /// Whether the entry is a brand name (which refers to the generic name).
    pub fn is_brand(&self) -> bool {
        self.brand.is_some()
    }
    /// Which of the page's `brand_names` it is, if a brand name.
    pub fn brand(&self) -> Option<u32> {
        self.brand
    }
}

/// Where the entries' names are read: the pages of the site the index was
/// made from.
pub trait Names: Sync {
    /// The name shown: a generic name (or a page's title), or a brand name.
    fn name(&self, e: &Entry) -> &str;
    /// For a brand name: the generic name of the page it leads to.
    fn see(&self, e: &Entry) -> Option<&str>;
}

impl Names for Site {
    fn name(&self, e: &Entry) -> &str {
        match e.brand {
            Some(b) => self.pages[e.page]
                .meta
                .brand_names()
                .get(b as usize)
                .map_or("", |b| b.trim()),
            None => generic(self, e.page),
        }
    }
    fn see(&self, e: &Entry) -> Option<&str> {
        e.brand.map(|_| generic(self, e.page))
    }
}

/// Page `p`'s generic name as the index shows it, else its title.
fn generic(site: &Site, p: usize) -> &str {
    site.pages[p]
        .meta
        .generic_name()
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .unwrap_or(site.pages[p].title().trim())
}

/// The entries under one letter, in order.
#[derive(Debug, Clone)]
pub struct Group {
    /// The letter (`#` for everything else).
    pub letter: String,
    /// The heading's id: `letter-a`, `letter-ø`, `letter-other`.
    pub id: String,
    /// The group's entries: `start..end` of [`AzIndex::entries`].
    pub start: usize,
    pub end: usize,
}

/// A section's A–Z index.
#[derive(Debug, Clone, Default)]
pub struct AzIndex {
    /// The letters of the navigation, in the language's order.
    pub letters: Vec<String>,
    /// Every entry, group after group: `#` first, then the letters.
    pub entries: Vec<Entry>,
    /// The groups that have entries, in order.
    pub groups: Vec<Group>,
}

impl AzIndex {
    /// The group of `letter`, if it has entries.
    pub fn group(&self, letter: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.letter == letter)
    }
}

/// The id of a letter's heading.
pub fn letter_id(letter: &str) -> String {
    if letter == OTHER {
        "letter-other".to_owned()
    } else {
        format!("letter-{}", letter.to_lowercase())
    }
}

/// The group of entries that start with none of the letters.
pub const OTHER: &str = "#";

/// The entries of the section's pages (`pages`, indexes into the site's
/// pages): each generic name (else the title) and each brand name.
pub fn entries(site: &Site, pages: &[usize]) -> Vec<Entry> {
    let mut out = Vec::with_capacity(pages.len() * 3);
    for &p in pages {
        let generic = generic(site, p);
        out.push(Entry {
            page: p,
            brand: None,
        });
        let mut seen = vec![generic.to_lowercase()];
        for (i, brand) in site.pages[p].meta.brand_names().iter().enumerate() {
            let brand = brand.trim();
            let lower = brand.to_lowercase();
            let Ok(i) = u32::try_from(i) else { break };
            if brand.is_empty() || seen.contains(&lower) {
                continue;
            }
            seen.push(lower);
            out.push(Entry {
                page: p,
                brand: Some(i),
            });
        }
    }
    out
}

/// What an entry sorts by: its name's collation key, then the name, the
/// generic name a brand name refers to and the page (so that the order is
/// the same however the entries came).
type SortKey<'a> = (Vec<u8>, &'a str, Option<&'a str>, usize);

fn sort_key<'a>(e: &Entry, names: &'a impl Names, collation: &Collation) -> SortKey<'a> {
    let name = names.name(e);
    (collation.key(name), name, names.see(e), e.page)
}

/// The letters' indexes in collation order.
fn letter_order(letters: &[String], collation: &Collation) -> Vec<usize> {
    let mut order: Vec<usize> = (0..letters.len()).collect();
    order.sort_by(|&a, &b| collation.primary(&letters[a], &letters[b]));
    order
}

/// The letter (index into `letters`) that `name` goes under, as
/// [`index`] groups it: the last letter in collation `order` that sorts at
/// or before it; none (`#`) before the first letter, or after the last
/// one for a name that does not start with it.
fn letter_of(
    name: &str,
    letters: &[String],
    order: &[usize],
    collation: &Collation,
) -> Option<usize> {
    let before = order
        .iter()
        .take_while(|&&l| collation.primary(&letters[l], name) != Ordering::Greater)
        .count();
    let &l = order.get(before.checked_sub(1)?)?;
    let beyond = before == order.len()
        && !collation
            .primary_key(name)
            .starts_with(&collation.primary_key(&letters[l]));
    (!beyond).then_some(l)
}

impl AzIndex {
    /// This index after an edit of a few pages, sorted and grouped as
    /// [`index`] would without sorting every entry again: each entry kept
    /// where `kept` gives its page's index after the edit (none: taken
    /// out), then `entries` (named by `names`) put in. `kept` must keep the
    /// pages' order and leave out every page whose names changed.
    pub fn replace(
        &self,
        kept: impl Fn(usize) -> Option<usize>,
        entries: Vec<Entry>,
        collation: &Collation,
        names: &impl Names,
    ) -> AzIndex {
        let mut out = AzIndex {
            letters: self.letters.clone(),
            entries: Vec::with_capacity(self.entries.len() + entries.len()),
            groups: Vec::with_capacity(self.groups.len() + entries.len()),
        };
        for g in &self.groups {
            let start = out.entries.len();
            let moved = self.entries[g.start..g.end]
                .iter()
                .filter_map(|e| kept(e.page).map(|page| Entry { page, ..*e }));
            out.entries.extend(moved);
            if out.entries.len() > start {
                out.groups.push(Group {
                    start,
                    end: out.entries.len(),
                    ..g.clone()
                });
            }
        }
        let order = letter_order(&self.letters, collation);
        // A group's place: `#` first, then the letters in collation order.
        let rank = |letter: &str| -> usize {
            order
                .iter()
                .position(|&l| self.letters[l] == letter)
                .map_or(0, |r| r + 1)
        };
        for e in entries {
            let key = sort_key(&e, names, collation);
            let letter = match letter_of(key.1, &self.letters, &order, collation) {
                Some(l) => self.letters[l].as_str(),
                None => OTHER,
            };
            let g = match out.groups.iter().position(|g| g.letter == letter) {
                Some(g) => g,
                None => {
                    let g = out
                        .groups
                        .iter()
                        .position(|g| rank(&g.letter) > rank(letter))
                        .unwrap_or(out.groups.len());
                    let at = out.groups.get(g).map_or(out.entries.len(), |g| g.start);
                    out.groups.insert(
                        g,
                        Group {
                            letter: letter.to_owned(),
                            id: letter_id(letter),
                            start: at,
                            end: at,
                        },
                    );
                    g
                }
            };
            let (start, end) = (out.groups[g].start, out.groups[g].end);
            let at = start
                + out.entries[start..end].partition_point(|x| sort_key(x, names, collation) < key);
            out.entries.insert(at, e);
            out.groups[g].end += 1;
            for later in &mut out.groups[g + 1..] {
                later.start += 1;
                later.end += 1;
            }
        }
        out
    }
}

/// Sorts `entries` (named by `names`) by `collation` and groups them
/// under `letters`.
pub fn index(
    entries: Vec<Entry>,
    letters: Vec<String>,
    collation: &Collation,
    names: &impl Names,
) -> AzIndex {
    // Each entry's names are looked up once for the sort, not at each
    // comparison.
    let mut keyed: Vec<(SortKey, Entry)> = entries
        .into_par_iter()
        .map(|e| (sort_key(&e, names, collation), e))
        .collect();
    keyed.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    // The letters in collation order. The entries are sorted, so each
    // entry's letter (the last one that sorts at or before it) is found by
    // walking the letters once beside them.
    let order = letter_order(&letters, collation);
    let last = order.last().map(|&l| collation.primary_key(&letters[l]));
    let mut other = Vec::new();
    let mut lettered: Vec<(usize, Entry)> = Vec::with_capacity(keyed.len());
    let (mut current, mut next) = (None, 0);
    for ((_, name, _, _), e) in keyed {
        while next < order.len()
            && collation.primary(&letters[order[next]], name) != Ordering::Greater
        {
            current = Some(order[next]);
            next += 1;
        }
        // After the last letter, only what starts with it is under it
        // (the rest is in another script).
        let beyond = next == order.len()
            && !last
                .as_ref()
                .is_some_and(|k| collation.primary_key(name).starts_with(k));
        match current {
            Some(l) if !beyond => lettered.push((l, e)),
            _ => other.push(e),
        }
    }
    let mut index = AzIndex {
        letters,
        entries: Vec::with_capacity(other.len() + lettered.len()),
        groups: Vec::new(),
    };
    if !other.is_empty() {
        index.groups.push(Group {
            letter: OTHER.to_owned(),
            id: letter_id(OTHER),
            start: 0,
            end: other.len(),
        });
        index.entries.extend(other);
    }
    for (l, e) in lettered {
        let n = index.entries.len();
        match index.groups.last_mut() {
            Some(g) if g.letter == index.letters[l] && g.end == n => g.end += 1,
            _ => index.groups.push(Group {
                letter: index.letters[l].clone(),
                id: letter_id(&index.letters[l]),
                start: n,
                end: n + 1,
            }),
        }
        index.entries.push(e);
    }
    index
}

#[cfg(test)]
mod tests;
