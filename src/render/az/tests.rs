//! The A–Z index's order and groups, in several languages, and its
//! update after a few pages' names changed.

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

/// Pages with names: the first is the generic name, the rest brands.
struct Pages(Vec<Vec<&'static str>>);

impl Names for Pages {
    fn name(&self, e: &Entry) -> &str {
        self.0[e.page][e.brand.map_or(0, |b| b as usize + 1)]
    }
    fn see(&self, e: &Entry) -> Option<&str> {
        e.brand.map(|_| self.0[e.page][0])
    }
}

fn page_entries(pages: &Pages, p: usize) -> Vec<Entry> {
    (0..pages.0[p].len())
        .map(|i| Entry {
            page: p,
            brand: i.checked_sub(1).map(|b| b as u32),
        })
        .collect()
}

#[test]
fn replacing_a_pages_names_sorts_and_groups_as_a_new_index() {
    let letters = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let mut pages = Pages(vec![
        vec!["abacavir", "Ziagen"],
        vec!["Østrogen"],
        vec!["zinc", "Zinkorot", "Årdal"],
        vec!["Bisoprolol", "5-fluorouracil"],
        vec!["Ærfugl", "Emconcor"],
        vec!["ibuprofen", "Ibuprofen tablets", "Ωmega"],
    ]);
    let collation = Collation::new("nb");
    let all = |pages: &Pages| {
        (0..pages.0.len())
            .flat_map(|p| page_entries(pages, p))
            .collect()
    };
    let mut ix = index(all(&pages), letters(NB), &collation, &pages);
    // Each edit: a page and its names after it. Some take a group's
    // last entry away, some make a new group (`#`, Q, Å) or move a
    // name across groups.
    let edits: [(usize, Vec<&'static str>); 8] = [
        (1, vec!["Quinine"]),
        (3, vec!["Bisoprolol"]),
        (5, vec!["ibuprofen"]),
        (0, vec!["(R)-ketamine", "Åbrand", "Ziagen"]),
        (2, vec!["zinc"]),
        (4, vec!["Ærfugl", "Emconcor", "ærfugl b"]),
        (0, vec!["abacavir"]),
        (1, vec!["Østrogen", "Ωmega", "5-fu"]),
    ];
    for (p, names) in edits {
        pages.0[p] = names;
        let kept = |q: usize| (q != p).then_some(q);
        let replaced = ix.replace(kept, page_entries(&pages, p), &collation, &pages);
        let fresh = index(all(&pages), letters(NB), &collation, &pages);
        assert_eq!(format!("{replaced:?}"), format!("{fresh:?}"), "page {p}");
        ix = replaced;
    }
    assert_eq!(ix.groups[0].letter, "#");
    // The last edit took the only name under Q away.
    assert!(ix.group("Q").is_none());

    // A page added at 2 moves the pages after it; then page 4 (Bisoprolol)
    // is removed, and the pages after it move back.
    pages.0.insert(2, vec!["Quinine", "Aaa", "Zzz"]);
    let kept = |q: usize| Some(if q >= 2 { q + 1 } else { q });
    let replaced = ix.replace(kept, page_entries(&pages, 2), &collation, &pages);
    let fresh = index(all(&pages), letters(NB), &collation, &pages);
    assert_eq!(format!("{replaced:?}"), format!("{fresh:?}"), "page added");
    assert!(replaced.group("Q").is_some());
    pages.0.remove(4);
    let kept = |q: usize| match q {
        4 => None,
        q if q > 4 => Some(q - 1),
        q => Some(q),
    };
    let replaced = replaced.replace(kept, Vec::new(), &collation, &pages);
    let fresh = index(all(&pages), letters(NB), &collation, &pages);
    assert_eq!(
        format!("{replaced:?}"),
        format!("{fresh:?}"),
        "page removed"
    );
}

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
