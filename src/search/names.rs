//! The names index: every generic name, brand name, ATC code, condition and
//! page title of one language, folded for matching (lower case, no accents)
//! and split into small files by the first letter of the folded name, so
//! that the search page loads only the file of the letter a query starts
//! with and matches names with a few letters wrong (edit distance) in the
//! browser. Built from the `Site` alone: front matter, never a body.
//!
//! Not for full-text search (Pagefind's index, in `fulltext`), nor for
//! ranking: the search page's script ranks what it loads.

use crate::content::{Page, Site};
use serde::Serialize;
use std::collections::BTreeMap;

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

/// One name: `[key, name, kind, path, see, word]` in the file, to keep the
/// files small.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The name folded for matching: `metotreksat`, `l04ac03`.
    pub key: String,
    /// The name as written: `Metotreksat`, `L04AC03`.
    pub name: String,
    pub kind: Kind,
    /// The site path it leads to (`/medications/anakinra/`), without the
    /// base path.
    pub path: String,
    /// The title of the page a brand name, ATC code or condition leads to,
    /// for "Kineret: see anakinra".
    pub see: String,
    /// Whether the key is one word of a longer name (`mediterranean` of
    /// "Familial Mediterranean fever"), which ranks below the whole name.
    pub word: bool,
}

impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (
            &self.key,
            &self.name,
            self.kind,
            &self.path,
            &self.see,
            u8::from(self.word),
        )
            .serialize(s)
    }
}

/// Folds a name for matching: lower case, accents removed, and the letters
/// that carry no accent written out (`æ` → `ae`, `ø` → `o`, `ß` → `ss`).
/// The search page's script folds a query the same way
/// (`static/js/search.js`, `fold`).
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
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

/// The file a folded key belongs to: its first letter or digit (`a`..`z`,
/// `0`..`9`), else `_`.
pub fn shard(key: &str) -> char {
    match key.chars().next() {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => c,
        _ => '_',
    }
}

/// The shortest part of a longer name indexed on its own.
const MIN_WORD: usize = 4;

fn push(out: &mut Vec<Entry>, name: &str, kind: Kind, path: &str, see: &str) {
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
            out.push(Entry {
                key: (*w).to_owned(),
                name: name.to_owned(),
                kind,
                path: path.to_owned(),
                see: see.to_owned(),
                word: true,
            });
        }
    }
    out.push(Entry {
        key,
        name: name.to_owned(),
        kind,
        path: path.to_owned(),
        see: see.to_owned(),
        word: false,
    });
}

/// The names of one page.
fn page_entries(page: &Page, out: &mut Vec<Entry>) {
    let path = page.path.as_str();
    let title = page.title();
    let generic = page.meta.generic_name();
    let see = generic.unwrap_or(title);
    if let Some(g) = generic {
        push(out, g, Kind::Generic, path, title);
    }
    for b in page.meta.brand_names() {
        push(out, b, Kind::Brand, path, see);
    }
    if let Some(atc) = crate::content::spanned::text(&page.meta.atc_code) {
        push(out, atc, Kind::Atc, path, see);
    }
    if generic.is_none() {
        push(out, title, Kind::Title, path, title);
    }
}

/// Every name of language `lang`, grouped by file (`a`, `b`, ..., `_`),
/// each group sorted by key.
pub fn index(site: &Site, lang: &str) -> BTreeMap<char, Vec<Entry>> {
    let mut all = Vec::new();
    for p in site.pages.iter().filter(|p| p.lang == lang) {
        page_entries(p, &mut all);
    }
    for c in site.conditions.iter().filter(|c| c.lang == lang) {
        push(&mut all, &c.name, Kind::Condition, &c.path, &c.name);
    }
    let mut shards: BTreeMap<char, Vec<Entry>> = BTreeMap::new();
    for e in all {
        shards.entry(shard(&e.key)).or_default().push(e);
    }
    for entries in shards.values_mut() {
        entries.sort_by(|a, b| {
            (&a.key, a.kind, &a.path, a.word).cmp(&(&b.key, b.kind, &b.path, b.word))
        });
        entries.dedup_by(|a, b| a.key == b.key && a.path == b.path && a.kind == b.kind);
    }
    shards
}

/// The files of language `lang`'s names index: (`a.json`, bytes). Every
/// letter and digit has a file, empty or not, so that the search page
/// never asks for a missing one.
pub fn files(site: &Site, lang: &str) -> Vec<(String, Vec<u8>)> {
    let mut shards = index(site, lang);
    let mut out = Vec::new();
    for c in ('a'..='z').chain('0'..='9').chain(['_']) {
        let entries = shards.remove(&c).unwrap_or_default();
        let json = serde_json::to_vec(&entries).unwrap_or_else(|_| b"[]".to_vec());
        out.push((format!("{c}.json"), json));
    }
    out
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
    fn shards_by_first_letter_or_digit() {
        assert_eq!(shard("anakinra"), 'a');
        assert_eq!(shard("5-asa"), '5');
        assert_eq!(shard("'quoted"), '_');
        assert_eq!(shard(""), '_');
    }

    #[test]
    fn long_names_are_also_found_by_their_words() {
        let mut out = Vec::new();
        push(
            &mut out,
            "Familial Mediterranean fever",
            Kind::Condition,
            "/conditions/fmf/",
            "Familial Mediterranean fever",
        );
        let keys: Vec<(&str, bool)> = out.iter().map(|e| (e.key.as_str(), e.word)).collect();
        assert!(keys.contains(&("familial mediterranean fever", false)));
        assert!(keys.contains(&("mediterranean", true)));
        assert!(keys.contains(&("familial", true)));
        assert!(keys.contains(&("fever", true)));
        let mut one = Vec::new();
        push(&mut one, "Kineret", Kind::Brand, "/m/anakinra/", "anakinra");
        assert_eq!(one.len(), 1);
        assert!(!one[0].word);
    }
}
