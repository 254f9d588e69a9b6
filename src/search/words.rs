//! Words for the full-text index: text split into words, each folded (lower
//! case, no accents) and reduced to its stem with the language's Snowball
//! stemmer (`infections` → `infect`, Norwegian `legemidlene` → `legemidl`),
//! so that a query finds other forms of its words. The most common words
//! of English and Norwegian (`the`, `og`) are left out.
//!
//! Not for names (the names index matches whole names, unstemmed) nor for
//! deciding weights (`fulltext`).

use super::names::fold;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use std::sync::Arc;

/// The Snowball stemmer of a language code, if Snowball has one.
fn algorithm(lang: &str) -> Option<Algorithm> {
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    Some(match primary {
        "en" => Algorithm::English,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "da" => Algorithm::Danish,
        "sv" => Algorithm::Swedish,
        "de" => Algorithm::German,
        "nl" => Algorithm::Dutch,
        "fr" => Algorithm::French,
        "es" => Algorithm::Spanish,
        "it" => Algorithm::Italian,
        "pt" => Algorithm::Portuguese,
        "fi" => Algorithm::Finnish,
        "hu" => Algorithm::Hungarian,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "tr" => Algorithm::Turkish,
        "ar" => Algorithm::Arabic,
        "el" => Algorithm::Greek,
        "ta" => Algorithm::Tamil,
        _ => return None,
    })
}

/// Words too common to search by.
fn stop_words(lang: &str) -> &'static [&'static str] {
    match lang.split(['-', '_']).next().unwrap_or(lang) {
        "en" => &[
            "a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do",
            "does", "for", "from", "has", "have", "if", "in", "into", "is", "it", "its", "may",
            "not", "of", "on", "or", "so", "that", "the", "their", "them", "then", "there",
            "these", "they", "this", "to", "was", "were", "when", "which", "while", "who", "will",
            "with", "you", "your",
        ],
        "nb" | "nn" | "no" => &[
            "at", "av", "da", "de", "deg", "den", "denne", "der", "det", "dette", "du", "eller",
            "en", "er", "et", "for", "fra", "har", "hvis", "i", "ikke", "kan", "med", "men", "når",
            "og", "om", "på", "seg", "som", "til", "ved", "vil", "å",
        ],
        _ => &[],
    }
}

/// Splits, folds and stems the text of one language, remembering each
/// word it has seen (one analyzer per thread: texts share most words).
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    stop: &'static [&'static str],
    /// A word as written, lower-cased → its stem, or `None` for a stop word.
    seen: HashMap<Box<str>, Option<Arc<str>>>,
    buf: String,
}

impl Analyzer {
    pub fn new(lang: &str) -> Analyzer {
        Analyzer {
            stemmer: algorithm(lang).map(Stemmer::create),
            stop: stop_words(lang),
            seen: HashMap::new(),
            buf: String::new(),
        }
    }

    /// The stem of one lower-cased word, folded.
    fn stem_of(&mut self, lower: &str) -> Option<Arc<str>> {
        if let Some(s) = self.seen.get(lower) {
            return s.clone();
        }
        let stem = if self.stop.contains(&lower) {
            None
        } else {
            let stemmed = match &self.stemmer {
                Some(s) => s.stem(lower).into_owned(),
                None => lower.to_owned(),
            };
            let folded = fold(&stemmed);
            (!folded.is_empty()).then(|| Arc::from(folded.as_str()))
        };
        self.seen.insert(Box::from(lower), stem.clone());
        stem
    }

    /// Calls `each` with the stem of every word of `text` that is not a
    /// stop word.
    pub fn words(&mut self, text: &str, mut each: impl FnMut(Arc<str>)) {
        for raw in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
            let raw = raw.trim_matches(|c| c == '\'' || c == '’');
            if raw.is_empty() {
                continue;
            }
            let lower: &str = if raw.bytes().all(|b| !b.is_ascii_uppercase()) {
                raw
            } else {
                self.buf.clear();
                for c in raw.chars() {
                    self.buf.extend(c.to_lowercase());
                }
                // Borrow checker: the stem lookup needs `self` mutably.
                let owned = std::mem::take(&mut self.buf);
                let stem = self.stem_of(&owned);
                self.buf = owned;
                if let Some(s) = stem {
                    each(s);
                }
                continue;
            };
            if let Some(s) = self.stem_of(lower) {
                each(s);
            }
        }
    }

    /// The stems of `text`, in order.
    pub fn stems(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.words(text, |s| out.push(s.to_string()));
        out
    }
}

/// The text of an HTML fragment (the Markdown's output): tags dropped,
/// entities read as word breaks.
pub fn html_text(html: &str, mut each: impl FnMut(&str)) {
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find(['<', '&']) {
            Some(i) => {
                if i > 0 {
                    each(&rest[..i]);
                }
                let close = if rest.as_bytes()[i] == b'<' { '>' } else { ';' };
                match rest[i..].find(close) {
                    Some(j) => {
                        each(" ");
                        rest = &rest[i + j + 1..];
                    }
                    None => rest = "",
                }
            }
            None => {
                each(rest);
                rest = "";
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_fold_and_drop_common_words() {
        let mut en = Analyzer::new("en");
        assert_eq!(
            en.stems("The infections, and INFECTED joints"),
            ["infect", "infect", "joint"]
        );
        let mut nb = Analyzer::new("nb");
        assert_eq!(
            nb.stems("legemidlene og bivirkninger"),
            ["legemidl", "bivirkning"]
        );
        let mut other = Analyzer::new("xx");
        assert_eq!(other.stems("Café"), ["cafe"]);
    }

    #[test]
    fn html_text_drops_tags_and_entities() {
        let mut out = String::new();
        html_text("<p>Tom &amp; <em>Jerry</em></p>", |s| out.push_str(s));
        assert_eq!(out.split_whitespace().collect::<Vec<_>>(), ["Tom", "Jerry"]);
    }
}
