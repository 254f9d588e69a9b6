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
use rustc_hash::FxHashMap;
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
/// Stems are numbered in the order the analyzer first met them.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    stop: &'static [&'static str],
    /// A word as written, lower-cased → its stem's number, or [`STOP`].
    seen: FxHashMap<Box<str>, u32>,
    /// Stem number → stem.
    stems: Vec<Arc<str>>,
    numbers: FxHashMap<Arc<str>, u32>,
    buf: String,
}

/// The number a stop word has.
const STOP: u32 = u32::MAX;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

impl Analyzer {
    pub fn new(lang: &str) -> Analyzer {
        Analyzer {
            stemmer: algorithm(lang).map(Stemmer::create),
            stop: stop_words(lang),
            seen: FxHashMap::default(),
            stems: Vec::new(),
            numbers: FxHashMap::default(),
            buf: String::new(),
        }
    }

    /// How many stems the analyzer has numbered.
    pub fn stem_count(&self) -> usize {
        self.stems.len()
    }

    /// The number of `stem`, if the analyzer has met it.
    pub fn number(&self, stem: &str) -> Option<u32> {
        self.numbers.get(stem).copied()
    }

    /// The stem numbered `n`.
    pub fn stem(&self, n: u32) -> &Arc<str> {
        &self.stems[n as usize]
    }

    /// The number of the stem of one lower-cased word, or [`STOP`].
    fn number_of(&mut self, lower: &str) -> u32 {
        if let Some(&n) = self.seen.get(lower) {
            return n;
        }
        let n = if self.stop.contains(&lower) {
            STOP
        } else {
            let stemmed = match &self.stemmer {
                Some(s) => s.stem(lower).into_owned(),
                None => lower.to_owned(),
            };
            let folded = fold(&stemmed);
            if folded.is_empty() {
                STOP
            } else if let Some(&n) = self.numbers.get(folded.as_str()) {
                n
            } else {
                let n = self.stems.len() as u32;
                let stem: Arc<str> = Arc::from(folded.as_str());
                self.stems.push(Arc::clone(&stem));
                self.numbers.insert(stem, n);
                n
            }
        };
        self.seen.insert(Box::from(lower), n);
        n
    }

    /// Calls `each` with the number of the stem of every word of `text`
    /// that is not a stop word.
    pub fn words(&mut self, text: &str, mut each: impl FnMut(u32)) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Skip to the start of a word.
            let b = bytes[i];
            if b < 128 {
                if !(b.is_ascii_alphanumeric() || b == b'\'') {
                    i += 1;
                    continue;
                }
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !is_word_char(c) {
                    i += c.len_utf8();
                    continue;
                }
            }
            let start = i;
            let (mut ascii, mut upper) = (true, false);
            while i < bytes.len() {
                let b = bytes[i];
                if b < 128 {
                    if b.is_ascii_alphanumeric() || b == b'\'' {
                        upper |= b.is_ascii_uppercase();
                        i += 1;
                        continue;
                    }
                    break;
                }
                let c = text[i..].chars().next().unwrap_or(' ');
                if !is_word_char(c) {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
            }
            let mut word = &text[start..i];
            let quoted = |b: u8| b == b'\'' || b >= 128;
            if word.bytes().next().is_some_and(quoted) || word.bytes().last().is_some_and(quoted) {
                word = word.trim_matches(|c| c == '\'' || c == '’');
                if word.is_empty() {
                    continue;
                }
            }
            let n = if ascii && !upper {
                self.number_of(word)
            } else {
                let mut buf = std::mem::take(&mut self.buf);
                buf.clear();
                if ascii {
                    buf.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
                } else {
                    for c in word.chars() {
                        buf.extend(c.to_lowercase());
                    }
                }
                let n = self.number_of(&buf);
                self.buf = buf;
                n
            };
            if n != STOP {
                each(n);
            }
        }
    }

    /// The stems of `text`, in order.
    pub fn stems(&mut self, text: &str) -> Vec<String> {
        let mut numbers = Vec::new();
        self.words(text, |n| numbers.push(n));
        numbers
            .into_iter()
            .map(|n| self.stem(n).to_string())
            .collect()
    }
}

/// The text of an HTML fragment (the Markdown's output): tags dropped,
/// entities read as word breaks.
pub fn html_text(html: &str, mut each: impl FnMut(&str)) {
    let bytes = html.as_bytes();
    let mut start = 0;
    while let Some(i) = memchr::memchr2(b'<', b'&', &bytes[start..]).map(|i| start + i) {
        if i > start {
            each(&html[start..i]);
        }
        let close = if bytes[i] == b'<' { b'>' } else { b';' };
        match memchr::memchr(close, &bytes[i..]) {
            Some(j) => {
                each(" ");
                start = i + j + 1;
            }
            None => return,
        }
    }
    if start < html.len() {
        each(&html[start..]);
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
