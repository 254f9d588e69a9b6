//! The names index: every generic name, brand name, ATC code, condition and
//! page title of one language, folded for matching (lower case, no accents)
//! and split into small files by the first two letters of the folded
//! name (each name is also filed as if its first or second letter were
//! missing), so that the search page loads only the few files of the two
//! letters a query starts with and matches names with a few letters wrong (edit distance) in the
//! browser. Built from the `Site` alone: front matter, never a body.
//!
//! Not for full-text search (Pagefind's index, in `fulltext`), nor for
//! ranking: the search page's script ranks what it loads.

use crate::content::{Page, Site};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// What kind of name an entry is; the search page ranks by it and shows a
/// medicine's brand names as "see <generic>".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Kind {
    /// A medicine's generic name (`generic_name`).
    #[serde(rename = "g")]
    Generic,
    /// A brand name (`brand_names`).
    #[serde(rename = "b")]
    Brand,
    /// An ATC code.
    #[serde(rename = "a")]
    Atc,
    /// A condition; leads to the condition's page.
    #[serde(rename = "c")]
    Condition,
    /// A page title that is none of the above.
    #[serde(rename = "t")]
    Title,
}

/// Where a name leads: a page of the full-text index's page table (by its
/// number), or a condition's page (by its site path).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum To {
    Doc(u32),
    Path(String),
}

/// One name: `[name, kind, to]`, and a fourth `1` for a word of a longer
/// name, in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The name folded for matching (`metotreksat`, `l04ac03`): what the
    /// file is chosen and sorted by; the script folds the name again.
    pub key: String,
    /// The name as written: `Metotreksat`, `L04AC03`.
    pub name: String,
    pub kind: Kind,
    pub to: To,
    /// Whether the key is one word of a longer name (`mediterranean` of
    /// "Familial Mediterranean fever"), which ranks below the whole name.
    pub word: bool,
}

impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let to = match &self.to {
            To::Doc(n) => Place::Doc(*n),
            To::Path(p) => Place::Path(p),
        };
        serialize(s, &self.name, self.kind, to, self.word)
    }
}

/// [`To`] borrowed from the site, while the files are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place<'a> {
    Doc(u32),
    Path(&'a str),
}

/// An [`Entry`] while the files are made: its name and place borrowed
/// from the site, so that a large site's names are not copied.
struct Name<'a> {
    key: Box<str>,
    name: &'a str,
    kind: Kind,
    to: Place<'a>,
    word: bool,
}

impl Name<'_> {
    fn entry(&self) -> Entry {
        Entry {
            key: self.key.to_string(),
            name: self.name.to_owned(),
            kind: self.kind,
            to: match self.to {
                Place::Doc(n) => To::Doc(n),
                Place::Path(p) => To::Path(p.to_owned()),
            },
            word: self.word,
        }
    }
}

impl Serialize for Name<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize(s, self.name, self.kind, self.to, self.word)
    }
}

/// One name in a file: `[name, kind, to]`, and `1` for a word.
fn serialize<S: serde::Serializer>(
    s: S,
    name: &str,
    kind: Kind,
    to: Place,
    word: bool,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(if word { 4 } else { 3 }))?;
    seq.serialize_element(name)?;
    seq.serialize_element(&kind)?;
    match to {
        Place::Doc(n) => seq.serialize_element(&n)?,
        Place::Path(p) => seq.serialize_element(p)?,
    }
    if word {
        seq.serialize_element(&1)?;
    }
    seq.end()
}

/// Folds a name for matching: lower case, accents removed, and the letters
/// that carry no accent written out (`æ` → `ae`, `ø` → `o`, `ß` → `ss`).
/// The search page's script folds a query the same way
/// (`static/js/search.js`, `fold`).
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Plain ASCII has no accents to remove: lower case is all.
    if s.is_ascii() {
        let lower = s.to_ascii_lowercase();
        return lower.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                'æ' => out.push_str("ae"),
                'ø' => out.push('o'),
                'œ' => out.push_str("oe"),
                'ß' => out.push_str("ss"),
                'đ' => out.push('d'),
                'ł' => out.push('l'),
                'ı' => out.push('i'),
                _ => out.push(l),
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The file a folded key belongs to: its first two letters or digits
/// (`a`..`z`, `0`..`9`), each other character read as `_` (`me`, `l0`,
/// `x_`).
pub fn shard(key: &str) -> String {
    code_name(code_of(key.chars()))
}

/// A file's name as two ASCII bytes, which sort as the names do.
pub(crate) type Code = [u8; 2];

/// [`shard`] of the characters `chars`, as a [`Code`].
fn code_of(mut chars: impl Iterator<Item = char>) -> Code {
    let mut out = [b'_'; 2];
    for b in &mut out {
        if let Some(c) = chars.next()
            && (c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            *b = c as u8;
        }
    }
    out
}

fn code_name(code: Code) -> String {
    code.iter().map(|&b| char::from(b)).collect()
}

/// Every file a key is filed in: that of its first two letters, and those
/// of the key without its first or its second letter. A query with one of
/// its first two letters wrong, missing, extra or swapped still finds the
/// name in one of the files the search page loads: those of the query's
/// first two letters, of them swapped, and of the query without its first
/// or second letter (`static/js/search.js`, `shardsOf`).
pub fn shards_of(key: &str) -> Vec<String> {
    codes_of(key).into_iter().map(code_name).collect()
}

/// [`shards_of`] as [`Code`]s, without allocating a name.
fn codes_of(key: &str) -> Vec<Code> {
    // Only the first three characters decide.
    let mut head = ['_'; 3];
    let mut n = 0;
    for (slot, c) in head.iter_mut().zip(key.chars()) {
        *slot = c;
        n += 1;
    }
    let head = &head[..n];
    let without = |i: usize| {
        let rest = head.iter().enumerate().filter(move |&(j, _)| j != i);
        code_of(rest.map(|(_, &c)| c))
    };
    let mut out = Vec::with_capacity(3);
    out.push(code_of(head.iter().copied()));
    for s in [without(1), without(0)] {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The shortest part of a longer name indexed on its own.
const MIN_WORD: usize = 4;

fn push<'a>(out: &mut Vec<Name<'a>>, name: &'a str, kind: Kind, to: Place<'a>) {
    let key = fold(name);
    if key.is_empty() {
        return;
    }
    let words: Vec<&str> = key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 1 {
        for w in words.iter().filter(|w| w.chars().count() >= MIN_WORD) {
            out.push(Name {
                key: (*w).into(),
                name,
                kind,
                to,
                word: true,
            });
        }
    }
    out.push(Name {
        key: key.into_boxed_str(),
        name,
        kind,
        to,
        word: false,
    });
}

/// The names of one page, number `doc` of its language.
fn page_entries<'a>(page: &'a Page, doc: u32, out: &mut Vec<Name<'a>>) {
    let to = Place::Doc(doc);
    let generic = page.meta.generic_name();
    if let Some(g) = generic {
        push(out, g, Kind::Generic, to);
    }
    for b in page.meta.brand_names() {
        push(out, b, Kind::Brand, to);
    }
    if let Some(atc) = crate::content::spanned::text(&page.meta.atc_code) {
        push(out, atc, Kind::Atc, to);
    }
    if generic.is_none() {
        push(out, page.title(), Kind::Title, to);
    }
}

/// Every name of language `lang`, and for each file (`a`, `b`, ..., `_`)
/// the places in that list of its names, sorted by key: each name is
/// kept once however many files it is filed in. With `only`, the files
/// outside it are left out (their names are neither kept nor sorted);
/// the last part is the name of every file that has names, in order.
/// `docs` gives each page's number (`fulltext::doc_numbers`).
type Grouped<'a> = (Vec<Name<'a>>, BTreeMap<String, Vec<u32>>, Vec<String>);

fn grouped<'a>(
    site: &'a Site,
    lang: &str,
    docs: &[u32],
    only: Option<&BTreeSet<String>>,
    filed: Option<&Filed>,
) -> Grouped<'a> {
    let only: Option<BTreeSet<Code>> = only.map(|o| {
        o.iter()
            .filter_map(|name| <Code>::try_from(name.as_bytes()).ok())
            .collect()
    });
    // Which codes have names, by code (`every`).
    let mut every = vec![false; 1 << 16];
    let mut mark = |code: Code| every[usize::from(code[0]) << 8 | usize::from(code[1])] = true;
    let mut names = Vec::new();
    for (i, p) in site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang == lang)
    {
        // With the files each page is filed in known, a page filed in
        // none of `only` is not read.
        if let (Some(only), Some(filed)) = (&only, filed) {
            let codes = filed.codes(i, p);
            codes.iter().for_each(|&c| mark(c));
            if !codes.iter().any(|c| only.contains(c)) {
                continue;
            }
        }
        page_entries(p, docs[i], &mut names);
    }
    for c in site.conditions.iter().filter(|c| c.lang == lang) {
        push(&mut names, &c.name, Kind::Condition, Place::Path(&c.path));
    }
    let mut all = Vec::new();
    let mut by_code: BTreeMap<Code, Vec<u32>> = BTreeMap::new();
    for e in names {
        let mut wanted = false;
        for code in codes_of(&e.key) {
            if only.as_ref().is_none_or(|o| o.contains(&code)) {
                wanted = true;
                by_code.entry(code).or_default().push(all.len() as u32);
            }
            mark(code);
        }
        if wanted {
            all.push(e);
        }
    }
    let mut shards: BTreeMap<String, Vec<u32>> = by_code
        .into_iter()
        .map(|(code, places)| (code_name(code), places))
        .collect();
    for places in shards.values_mut() {
        places.sort_by(|&a, &b| {
            let (a, b) = (&all[a as usize], &all[b as usize]);
            (&a.key, a.kind, &a.to, a.word).cmp(&(&b.key, b.kind, &b.to, b.word))
        });
        places.dedup_by(|a, b| {
            let (a, b) = (&all[*a as usize], &all[*b as usize]);
            a.key == b.key && a.to == b.to && a.kind == b.kind
        });
    }
    let every = (0..every.len())
        .filter(|&i| every[i])
        .map(|i| code_name([(i >> 8) as u8, i as u8]))
        .collect();
    (all, shards, every)
}

/// The files each page's names are filed in, by page index, found when
/// first needed and kept by the dev server between edits, so that an edit
/// that changes a few files reads only the names of the pages filed in
/// them.
#[derive(Default)]
pub struct Filed(Vec<OnceLock<Box<[Code]>>>);

impl Filed {
    /// None known yet, for a site of `pages` pages.
    pub fn new(pages: usize) -> Filed {
        Filed((0..pages).map(|_| OnceLock::new()).collect())
    }

    /// After an edit, keeping those of every page `kept` gives (by page
    /// index after the edit: its index before, `Site::kept_pages`).
    pub fn after_edit(self, kept: &[Option<usize>]) -> Filed {
        Filed(crate::content::keep_by_page(self.0, kept))
    }

    /// The files page `i` (`page`) is filed in.
    fn codes(&self, i: usize, page: &Page) -> std::borrow::Cow<'_, [Code]> {
        let find = || {
            let mut names = Vec::new();
            page_entries(page, 0, &mut names);
            let mut codes: Vec<Code> = names.iter().flat_map(|n| codes_of(&n.key)).collect();
            codes.sort_unstable();
            codes.dedup();
            codes.into_boxed_slice()
        };
        match self.0.get(i) {
            Some(cell) => std::borrow::Cow::Borrowed(cell.get_or_init(find)),
            None => std::borrow::Cow::Owned(find().into_vec()),
        }
    }
}

/// Every name of language `lang`, grouped by file (`a`, `b`, ..., `_`),
/// each group sorted by key.
/// `docs` gives each page's number (`fulltext::doc_numbers`).
pub fn index(site: &Site, lang: &str, docs: &[u32]) -> BTreeMap<String, Vec<Entry>> {
    let (all, shards, _) = grouped(site, lang, docs, None, None);
    shards
        .into_iter()
        .map(|(shard, places)| {
            let entries = places.into_iter().map(|i| all[i as usize].entry());
            (shard, entries.collect())
        })
        .collect()
}

/// The files of language `lang`'s names index, handed to `each` one at a
/// time: (`names/me.json`, bytes), and `names/index.json`, the list of
/// them: a file that would be empty is not written, and the search page
/// asks only for those listed.
pub fn files_each(site: &Site, lang: &str, docs: &[u32], each: impl FnMut(String, Vec<u8>)) {
    files_each_in(site, lang, docs, None, None, each);
}

/// [`files_each`] of the files in `only` (every file when `None`) and the
/// list of them; a file of `only` that would be empty is not among them.
pub fn files_each_in(
    site: &Site,
    lang: &str,
    docs: &[u32],
    only: Option<&BTreeSet<String>>,
    filed: Option<&Filed>,
    mut each: impl FnMut(String, Vec<u8>),
) {
    let (all, shards, every) = grouped(site, lang, docs, only, filed);
    for (shard, places) in &shards {
        let entries: Vec<&Name> = places.iter().map(|&i| &all[i as usize]).collect();
        let json = serde_json::to_vec(&entries).unwrap_or_else(|_| b"[]".to_vec());
        each(format!("names/{shard}.json"), json);
    }
    let list = serde_json::to_vec(&every).unwrap_or_else(|_| b"[]".to_vec());
    each("names/index.json".to_owned(), list);
}

/// The files the names of `page`, number `doc` of its language, are
/// filed in (`me`, `l0`).
pub fn page_shards(page: &Page, doc: u32) -> BTreeSet<String> {
    let mut entries = Vec::new();
    page_entries(page, doc, &mut entries);
    entries.iter().flat_map(|e| shards_of(&e.key)).collect()
}

/// The names of one page, number `doc` of its language, as the index
/// files them: an edit that leaves them as they were changes no file.
pub fn page_names(page: &Page, doc: u32) -> Vec<Entry> {
    let mut entries = Vec::new();
    page_entries(page, doc, &mut entries);
    entries.iter().map(Name::entry).collect()
}

/// The files of a condition's name.
pub fn name_shards(name: &str) -> BTreeSet<String> {
    let mut entries = Vec::new();
    push(&mut entries, name, Kind::Condition, Place::Path(""));
    entries.iter().flat_map(|e| shards_of(&e.key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("Metotreksat"), "metotreksat");
        assert_eq!(fold("Ærlig  Øl Å"), "aerlig ol a");
        assert_eq!(fold("Sjögren's"), "sjogren's");
        assert_eq!(fold("L04AC03"), "l04ac03");
    }

    #[test]
    fn shards_by_first_two_letters_or_digits() {
        assert_eq!(shard("anakinra"), "an");
        assert_eq!(shard("5-asa"), "5_");
        assert_eq!(shard("'quoted"), "_q");
        assert_eq!(shard("x"), "x_");
        assert_eq!(shard(""), "__");
        assert_eq!(shards_of("humira"), ["hu", "hm", "um"]);
        assert_eq!(shards_of("aab"), ["aa", "ab"]);
    }

    #[test]
    fn long_names_are_also_found_by_their_words() {
        let mut out = Vec::new();
        push(
            &mut out,
            "Familial Mediterranean fever",
            Kind::Condition,
            Place::Path("/conditions/fmf/"),
        );
        let keys: Vec<(&str, bool)> = out.iter().map(|e| (&*e.key, e.word)).collect();
        assert!(keys.contains(&("familial mediterranean fever", false)));
        assert!(keys.contains(&("mediterranean", true)));
        assert!(keys.contains(&("familial", true)));
        assert!(keys.contains(&("fever", true)));
        let mut one = Vec::new();
        push(&mut one, "Kineret", Kind::Brand, Place::Doc(7));
        assert_eq!(one.len(), 1);
        assert!(!one[0].word);
        assert_eq!(
            serde_json::to_string(&one[0]).unwrap(),
            r#"["Kineret","b",7]"#
        );
        assert_eq!(
            serde_json::to_string(&out[0]).unwrap(),
            r#"["Familial Mediterranean fever","c","/conditions/fmf/",1]"#
        );
    }
}
