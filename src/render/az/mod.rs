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
    /// Whether the entry is a brand name (which refers to the generic name).
    pub fn is_brand(&self) -> bool {
        self.brand.is_some()
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
    let mut keyed: Vec<(Vec<u8>, &str, Option<&str>, Entry)> = entries
        .into_par_iter()
        .map(|e| {
            let name = names.name(&e);
            (collation.key(name), name, names.see(&e), e)
        })
        .collect();
    keyed.sort_unstable_by(|(ka, na, sa, a), (kb, nb, sb, b)| {
        ka.cmp(kb)
            .then_with(|| na.cmp(nb))
            .then_with(|| sa.cmp(sb))
            .then_with(|| a.page.cmp(&b.page))
    });
    // The letters in collation order. The entries are sorted, so each
    // entry's letter (the last one that sorts at or before it) is found by
    // walking the letters once beside them.
    let mut order: Vec<usize> = (0..letters.len()).collect();
    order.sort_by(|&a, &b| collation.primary(&letters[a], &letters[b]));
    let last = order.last().map(|&l| collation.primary_key(&letters[l]));
    let mut other = Vec::new();
    let mut lettered: Vec<(usize, Entry)> = Vec::with_capacity(keyed.len());
    let (mut current, mut next) = (None, 0);
    for (_, name, _, e) in keyed {
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
mod tests {
    use super::*;

    /// The names of the test entries: entry `i` is the `i`th name.
    struct List(Vec<String>);

    impl Names for List {
        fn name(&self, e: &Entry) -> &str {
            &self.0[e.page]
        }
        fn see(&self, _: &Entry) -> Option<&str> {
            None
        }
    }

    /// An index of `names`, and the names in its order and groups.
    struct Sorted {
        ix: AzIndex,
        list: List,
    }

    fn sorted(lang: &str, names: &[&str], letters: &str) -> Sorted {
        let list = List(names.iter().map(|n| (*n).to_owned()).collect());
        let entries = (0..names.len()).map(Entry::generic).collect();
        let letters = letters.split_whitespace().map(str::to_owned).collect();
        Sorted {
            ix: index(entries, letters, &Collation::new(lang), &list),
            list,
        }
    }

    impl std::ops::Deref for Sorted {
        type Target = AzIndex;
        fn deref(&self) -> &AzIndex {
            &self.ix
        }
    }

    fn names(s: &Sorted) -> Vec<&str> {
        s.ix.entries.iter().map(|e| s.list.name(e)).collect()
    }

    fn groups(s: &Sorted) -> Vec<(&str, Vec<&str>)> {
        s.ix.groups
            .iter()
            .map(|g| {
                (
                    g.letter.as_str(),
                    s.ix.entries[g.start..g.end]
                        .iter()
                        .map(|e| s.list.name(e))
                        .collect(),
                )
            })
            .collect()
    }

    const EN: &str = "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z";
    const NB: &str = "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z Æ Ø Å";

    #[test]
    fn norwegian_puts_ae_oe_aa_after_z() {
        let ix = sorted(
            "nb",
            &["Årdal", "Østrogen", "Zinc", "Ærfugl", "abacavir", "Øye"],
            NB,
        );
        assert_eq!(
            names(&ix),
            ["abacavir", "Zinc", "Ærfugl", "Østrogen", "Øye", "Årdal"]
        );
        assert_eq!(
            groups(&ix),
            [
                ("A", vec!["abacavir"]),
                ("Z", vec!["Zinc"]),
                ("Æ", vec!["Ærfugl"]),
                ("Ø", vec!["Østrogen", "Øye"]),
                ("Å", vec!["Årdal"]),
            ]
        );
    }

    #[test]
    fn english_sorts_accents_with_their_letter_and_ignores_case() {
        let ix = sorted(
            "en",
            &[
                "Zyloric",
                "ésomeprazole",
                "Eclipse",
                "adalimumab",
                "Åland",
                "Ibuprofen",
                "ibuprofen",
            ],
            EN,
        );
        assert_eq!(
            names(&ix),
            [
                "adalimumab",
                "Åland",
                "Eclipse",
                "ésomeprazole",
                "ibuprofen",
                "Ibuprofen",
                "Zyloric"
            ]
        );
        assert_eq!(ix.group("A").map(|g| g.end - g.start), Some(2));
        assert_eq!(ix.group("E").map(|g| g.end - g.start), Some(2));
    }

    #[test]
    fn what_starts_with_no_letter_goes_under_hash_first() {
        let ix = sorted(
            "en",
            &["Zinc", "5-fluorouracil", "Ωmega", "(R)-ketamine", "aspirin"],
            EN,
        );
        assert_eq!(ix.groups[0].letter, "#");
        let other: Vec<&str> = names(&ix)[..ix.groups[0].end].to_vec();
        assert_eq!(other.len(), 3, "{other:?}");
        assert!(other.contains(&"Ωmega") && other.contains(&"5-fluorouracil"));
        assert_eq!(groups(&ix)[1], ("A", vec!["aspirin"]));
        assert_eq!(groups(&ix)[2], ("Z", vec!["Zinc"]));
        assert_eq!(letter_id("#"), "letter-other");
        assert_eq!(letter_id("Ø"), "letter-ø");
    }

    #[test]
    fn letters_not_in_the_alphabet_go_under_the_letter_before() {
        // Æ is no letter of its own in English: it sorts as "ae".
        let ix = sorted("en", &["Aspirin", "Æther", "Łódź", "Bisoprolol"], EN);
        assert_eq!(groups(&ix)[0], ("A", vec!["Æther", "Aspirin"]));
        assert_eq!(groups(&ix)[2], ("L", vec!["Łódź"]));
    }

    #[test]
    fn arabic_letters_group_arabic_names_and_latin_ones_go_under_hash() {
        let ix = sorted(
            "ar",
            &["ميثوتريكسات", "أداليموماب", "Humira", "باراسيتامول"],
            "ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي",
        );
        let g = groups(&ix);
        assert_eq!(g[0], ("#", vec!["Humira"]));
        assert_eq!(g[1], ("ا", vec!["أداليموماب"]));
        assert_eq!(g[2], ("ب", vec!["باراسيتامول"]));
        assert_eq!(g[3], ("م", vec!["ميثوتريكسات"]));
        // A site that adds the Latin letters to its Arabic alphabet gets
        // Latin names under them.
        let ix = sorted(
            "ar",
            &["ميثوتريكسات", "Humira", "Ωmega"],
            &format!("ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي {EN}"),
        );
        assert_eq!(
            groups(&ix),
            [
                ("#", vec!["Ωmega"]),
                ("م", vec!["ميثوتريكسات"]),
                ("H", vec!["Humira"])
            ]
        );
    }
}
