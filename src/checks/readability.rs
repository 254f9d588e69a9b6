//! Readability scores of a page's prose: Flesch reading ease and the
//! Flesch–Kincaid grade for English, LIX for Norwegian, Swedish and Danish.
//!
//! The text comes from the page's facts (no headings, code, URLs or
//! table pipes). Drug names from the front matter are counted as short,
//! one-syllable words, so that `hydroxychloroquine` does not make a page
//! look hard to read.

use super::{BodyAt, ReadabilityEntry};
use crate::config::checks::ReadabilityConfig;
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::markdown::{Block, PageFacts};
use std::collections::HashSet;

/// Which formula a language gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formula {
    /// Flesch reading ease and Flesch–Kincaid grade.
    Flesch,
    /// Läsbarhetsindex (Björnsson).
    Lix,
}

/// The formula for a BCP 47 language tag (`en`, `en-GB`, `nb`, `sv-SE`), if any.
pub fn formula_for(lang: &str) -> Option<Formula> {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match primary.as_str() {
        "en" => Some(Formula::Flesch),
        "nb" | "nn" | "no" | "sv" | "da" => Some(Formula::Lix),
        _ => None,
    }
}

/// Counts over a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub words: usize,
    pub sentences: usize,
    /// English syllables (only meaningful for English text).
    pub syllables: usize,
    /// Words of more than six letters (for LIX).
    pub long_words: usize,
    /// Words in the longest sentence, and where it starts (body offset).
    pub longest_sentence: usize,
    pub longest_at: usize,
}

impl Stats {
    /// Flesch reading ease: 206.835 − 1.015 × words/sentences − 84.6 × syllables/words.
    pub fn flesch(&self) -> Option<f64> {
        let (w, s) = self.ratios()?;
        Some(206.835 - 1.015 * w - 84.6 * (self.syllables as f64 / s))
    }

    /// Flesch–Kincaid grade level: 0.39 × words/sentences + 11.8 × syllables/words − 15.59.
    pub fn grade(&self) -> Option<f64> {
        let (w, s) = self.ratios()?;
        Some(0.39 * w + 11.8 * (self.syllables as f64 / s) - 15.59)
    }

    /// LIX: words/sentences + 100 × long words/words.
    pub fn lix(&self) -> Option<f64> {
        let (w, s) = self.ratios()?;
        Some(w + 100.0 * self.long_words as f64 / s)
    }

    /// (words per sentence, words as f64), or `None` for an empty text.
    fn ratios(&self) -> Option<(f64, f64)> {
        if self.words == 0 || self.sentences == 0 {
            return None;
        }
        Some((self.words as f64 / self.sentences as f64, self.words as f64))
    }
}

/// Scores one page for its language `lang`; warns when a score passes a
/// threshold of `cfg` and the page has at least `cfg.min_words` words.
pub fn check(
    p: &Page,
    at: &BodyAt,
    scan: &PageFacts,
    drugs: &HashSet<String>,
    lang: &str,
    cfg: &ReadabilityConfig,
    out: &mut Vec<Diagnostic>,
) -> ReadabilityEntry {
    let formula = formula_for(lang);
    let st = stats(&scan.blocks, drugs);
    let round = |x: f64| (x * 10.0).round() / 10.0;
    let (flesch, grade, lix) = match formula {
        Some(Formula::Flesch) => (st.flesch().map(round), st.grade().map(round), None),
        Some(Formula::Lix) => (None, None, st.lix().map(round)),
        None => (None, None, None),
    };
    if st.words >= cfg.min_words.max(1) {
        let mut problems = Vec::new();
        if let Some(f) = flesch
            && f < cfg.min_flesch
        {
            problems.push(format!(
                "Flesch reading ease {f:.1} (the site asks for {} or more)",
                cfg.min_flesch
            ));
        }
        if let (Some(g), Some(max)) = (grade, cfg.max_grade)
            && g > max
        {
            problems.push(format!(
                "Flesch–Kincaid grade {g:.1} (the site asks for {max} or less)"
            ));
        }
        if let Some(l) = lix
            && l > cfg.max_lix
        {
            problems.push(format!(
                "LIX {l:.1} (the site asks for {} or less)",
                cfg.max_lix
            ));
        }
        if !problems.is_empty() {
            out.push(
                Diagnostic::warning(
                    at.file,
                    format!("the text may be hard to read: {}", problems.join(", ")),
                )
                .with_help(format!(
                    "use shorter sentences and everyday words, and explain medical terms in brackets; the longest sentence has {} words (line {}); {} words in {} sentences in all",
                    st.longest_sentence,
                    at.line_of(st.longest_at),
                    st.words,
                    st.sentences
                ))
                .with_id("readability"),
            );
        }
    }
    ReadabilityEntry {
        file: p.display().to_path_buf(),
        title: p.title().to_owned(),
        lang: lang.to_owned(),
        words: st.words,
        sentences: st.sentences,
        flesch,
        grade,
        lix,
    }
}

/// Abbreviations whose final period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "etc", "approx", "vs", "dr", "mr", "mrs", "ms", "prof", "fig", "ca", "osv", "mv", "dvs", "evt",
    "inkl", "jf", "ev", "fx", "mht", "pga", "nr", "kl", "st",
];

/// Counts words, sentences, syllables and long words of `blocks`. Each
/// block (paragraph, list item, table cell) ends a sentence even without a
/// full stop. `drug_words` are lowercase words counted as short words of
/// one syllable.
pub fn stats(blocks: &[Block], drug_words: &HashSet<String>) -> Stats {
    let mut st = Stats::default();
    for block in blocks {
        let mut in_sentence = 0usize;
        let mut sentence_start = None;
        let text = &block.text;
        let mut pos = 0;
        for token in text.split_whitespace() {
            // Byte position of this token in the block text.
            let at = text[pos..].find(token).map_or(pos, |i| pos + i);
            pos = at + token.len();
            if is_url(token) {
                continue;
            }
            let Some(word) = word_core(token) else {
                // Punctuation on its own may still close a sentence ("word .").
                if in_sentence > 0 && ends_sentence(token) {
                    end_sentence(&mut st, &mut in_sentence, &mut sentence_start);
                }
                continue;
            };
            st.words += 1;
            if in_sentence == 0 {
                sentence_start = Some(block.offset_of(at));
            }
            in_sentence += 1;
            let (syllables, letters) = measure(word, drug_words);
            st.syllables += syllables;
            if letters > 6 {
                st.long_words += 1;
            }
            if ends_sentence(token) && !is_abbreviation(token) {
                end_sentence(&mut st, &mut in_sentence, &mut sentence_start);
            }
        }
        if in_sentence > 0 {
            end_sentence(&mut st, &mut in_sentence, &mut sentence_start);
        }
    }
    st
}

fn end_sentence(st: &mut Stats, in_sentence: &mut usize, start: &mut Option<usize>) {
    st.sentences += 1;
    if *in_sentence > st.longest_sentence {
        st.longest_sentence = *in_sentence;
        st.longest_at = start.unwrap_or(0);
    }
    *in_sentence = 0;
    *start = None;
}

fn is_url(token: &str) -> bool {
    let t = token.trim_start_matches(['(', '[', '<', '"', '\'', '“', '‘']);
    t.contains("://") || t.starts_with("www.") || (t.contains('@') && t.contains('.'))
}

/// The token without surrounding punctuation, if it has a letter or digit.
fn word_core(token: &str) -> Option<&str> {
    let core = token.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() { None } else { Some(core) }
}

/// Does the token end with `.`, `!` or `?` (before closing quotes or brackets)?
fn ends_sentence(token: &str) -> bool {
    let t = token.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»', '*', '_']);
    t.ends_with(['.', '!', '?', '…'])
}

fn is_abbreviation(token: &str) -> bool {
    let t = token.trim_end_matches(['"', '\'', ')', ']', '”', '’']);
    if !t.ends_with('.') {
        return false;
    }
    let core = t
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches('.')
        .to_lowercase();
    // A single letter ("J.") or letters with inner periods ("e.g.", "f.eks.").
    core.chars().count() == 1
        || (core.contains('.') && core.chars().all(|c| c.is_alphabetic() || c == '.'))
        || ABBREVIATIONS.contains(&core.as_str())
}

/// (syllables, letters) of a word; the parts of a hyphenated word are
/// measured one by one, and drug names count as one syllable, no letters.
fn measure(word: &str, drug_words: &HashSet<String>) -> (usize, usize) {
    let mut syllables = 0;
    let mut letters = 0;
    for part in word.split(['-', '/', '–']) {
        let part = strip_possessive(part);
        if part.is_empty() {
            continue;
        }
        let lower = part.to_lowercase();
        if drug_words.contains(&lower) {
            syllables += 1;
            continue;
        }
        letters += part.chars().filter(|c| c.is_alphabetic()).count();
        syllables += if part.chars().any(char::is_alphabetic) {
            syllables_en(&lower)
        } else {
            1
        };
    }
    (syllables.max(1), letters)
}

fn strip_possessive(word: &str) -> &str {
    for s in ["'s", "’s", "'", "’"] {
        if let Some(w) = word.strip_suffix(s) {
            return w;
        }
    }
    word
}

/// The lowercase core of a word for comparing with drug names: letters and
/// digits only, possessive `'s` removed.
pub fn drug_key(word: &str) -> String {
    strip_possessive(word.trim_matches(|c: char| !c.is_alphanumeric()))
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// English syllables of one word, by counting vowel groups with the usual
/// corrections: a silent final `e` (`make`), `-le` after a consonant
/// (`table`), a silent `-es` (`makes`) and `-ed` (`used`, but not `wanted`),
/// and vowel pairs that are two syllables (`biological`, `serious`, `usual`).
pub fn syllables_en(word: &str) -> usize {
    let w: Vec<u8> = word
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' => Some(c as u8),
            'à' | 'á' | 'â' | 'ä' | 'å' | 'æ' => Some(b'a'),
            'è' | 'é' | 'ê' | 'ë' => Some(b'e'),
            'ì' | 'í' | 'î' | 'ï' => Some(b'i'),
            'ò' | 'ó' | 'ô' | 'ö' | 'ø' => Some(b'o'),
            'ù' | 'ú' | 'û' | 'ü' => Some(b'u'),
            _ => None,
        })
        .collect();
    let n = w.len();
    if n == 0 {
        return 0;
    }
    if n <= 3 {
        return 1;
    }
    // Vowel groups; a leading `y` is a consonant (`yes`, `yellow`).
    let mut count: isize = 0;
    let mut prev_vowel = false;
    for (i, &c) in w.iter().enumerate() {
        let v = is_vowel(c) && !(i == 0 && c == b'y');
        if v && !prev_vowel {
            count += 1;
        }
        prev_vowel = v;
    }
    let at = |i: isize| -> u8 {
        if i < 0 {
            0
        } else {
            w.get(i as usize).copied().unwrap_or(0)
        }
    };
    let consonant = |c: u8| c != 0 && !is_vowel(c);
    let last = n as isize - 1;
    // Silent final e: `make`, `whole`, but not `table` (-le after a consonant).
    if at(last) == b'e' && consonant(at(last - 1)) {
        let le_syllable = at(last - 1) == b'l' && consonant(at(last - 2));
        if !le_syllable {
            count -= 1;
        }
    }
    // Silent -es: `makes`, `whales`; but `boxes`, `changes`, `tables`.
    if at(last) == b's' && at(last - 1) == b'e' && consonant(at(last - 2)) {
        let c = at(last - 2);
        let sibilant = matches!(c, b's' | b'x' | b'z' | b'c' | b'g')
            || (c == b'h' && matches!(at(last - 3), b's' | b'c'));
        let le_syllable = c == b'l' && consonant(at(last - 3));
        if !sibilant && !le_syllable {
            count -= 1;
        }
    }
    // Silent -ed: `used`, `helped`; but `wanted`, `needed`.
    if at(last) == b'd'
        && at(last - 1) == b'e'
        && consonant(at(last - 2))
        && !matches!(at(last - 2), b't' | b'd')
    {
        count -= 1;
    }
    // Vowel pairs said as two syllables.
    for i in 1..n {
        let (a, b) = (w[i - 1], w[i]);
        let before = if i >= 2 { w[i - 2] } else { 0 };
        let after = w.get(i + 1).copied().unwrap_or(0);
        let two = match (a, b) {
            // bi-o-logical, but -tion, -sion, -cious, -gion
            (b'i', b'o') => !matches!(before, b't' | b's' | b'c' | b'x' | b'g'),
            // me-di-a, bacteri-a; but spe-cial, ini-tial
            (b'i', b'a') => !matches!(before, b't' | b'c' | b'g') && after != b'n',
            // calci-um, premi-um
            (b'i', b'u') => true,
            // usu-al, actu-al; but qua-lity, gua-rd
            (b'u', b'a') => !matches!(before, b'q' | b'g'),
            _ => false,
        };
        if two {
            count += 1;
        }
    }
    count.max(1) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> Block {
        Block {
            text: text.to_owned(),
            starts: vec![(0, 0)],
        }
    }

    #[test]
    fn syllables_of_common_words() {
        let cases = [
            ("the", 1),
            ("cat", 1),
            ("make", 1),
            ("makes", 1),
            ("whole", 1),
            ("table", 2),
            ("tables", 2),
            ("simple", 2),
            ("little", 2),
            ("used", 1),
            ("helped", 1),
            ("wanted", 2),
            ("needed", 2),
            ("boxes", 2),
            ("changes", 2),
            ("places", 2),
            ("yellow", 2),
            ("doctor", 2),
            ("medicine", 3),
            ("treatment", 2),
            ("pregnancy", 3),
            ("infection", 3),
            ("inflammation", 4),
            ("medication", 4),
            ("biological", 5),
            ("serious", 3),
            ("usual", 3),
            ("actual", 3),
            ("quality", 3),
            ("calcium", 3),
            ("special", 2),
            ("patient", 2),
            ("every", 3),
            ("injection", 3),
            ("immune", 2),
            ("breast", 1),
            ("feeding", 2),
            ("dosage", 2),
            ("effects", 2),
            ("tablets", 2),
            ("weeks", 1),
            ("blood", 1),
            ("agree", 2),
        ];
        let wrong: Vec<_> = cases
            .iter()
            .filter(|(w, n)| syllables_en(w) != *n)
            .map(|(w, n)| format!("{w}: {} (expected {n})", syllables_en(w)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
        assert_eq!(syllables_en(""), 0);
        assert_eq!(syllables_en("Inflammation"), 4);
    }

    #[test]
    fn flesch_on_a_known_text() {
        // 6 words, 1 sentence, 6 syllables.
        let s = stats(&[block("The cat sat on the mat.")], &HashSet::new());
        assert_eq!((s.words, s.sentences, s.syllables), (6, 1, 6));
        assert!((s.flesch().unwrap() - 116.145).abs() < 1e-9);
        assert!((s.grade().unwrap() - -1.45).abs() < 1e-9);

        // A hard sentence: 12 long words in one sentence.
        let hard = "Pharmacological immunosuppression necessitates comprehensive haematological \
                    monitoring throughout the therapeutic administration period continuously.";
        let s = stats(&[block(hard)], &HashSet::new());
        assert_eq!(s.words, 12);
        assert_eq!(s.sentences, 1);
        assert!(s.flesch().unwrap() < 0.0, "{s:?}");
        assert!(s.grade().unwrap() > 20.0, "{s:?}");
    }

    #[test]
    fn sentences_blocks_abbreviations_urls() {
        let s = stats(
            &[
                block("Take it with food, e.g. bread. Ask Dr. Smith! Is it safe?"),
                block("Joint pain"),
                block("See https://example.org/very-long-address-here for more."),
            ],
            &HashSet::new(),
        );
        // "Take it with food, e.g. bread." / "Ask Dr. Smith!" / "Is it safe?" / "Joint pain" / "See for more."
        assert_eq!(s.sentences, 5, "{s:?}");
        assert_eq!(s.words, 6 + 3 + 3 + 2 + 3, "{s:?}");
    }

    #[test]
    fn lix_on_a_known_text() {
        // 11 words, 2 sentences, 4 words longer than six letters:
        // LIX = 11/2 + 100 × 4/11 ≈ 41.9.
        let s = stats(
            &[block(
                "Legen bestemmer dosen. Behandlingen starter forsiktig med lave doser hver uke.",
            )],
            &HashSet::new(),
        );
        assert_eq!((s.words, s.sentences, s.long_words), (11, 2, 4), "{s:?}");
        let lix = s.lix().unwrap();
        assert!((lix - (11.0 / 2.0 + 100.0 * 4.0 / 11.0)).abs() < 1e-9);

        let s = stats(
            &[block("Vi tar en tablett hver dag. Det er lett å huske.")],
            &HashSet::new(),
        );
        assert_eq!((s.words, s.sentences, s.long_words), (11, 2, 1));
        assert!((s.lix().unwrap() - (5.5 + 100.0 / 11.0)).abs() < 1e-9);
    }

    #[test]
    fn drug_names_count_as_short_words() {
        let drugs: HashSet<String> = ["hydroxychloroquine", "plaquenil"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let text = "Hydroxychloroquine (Plaquenil) helps. Plaquenil's effect is slow.";
        let with = stats(&[block(text)], &drugs);
        let without = stats(&[block(text)], &HashSet::new());
        assert_eq!(with.words, without.words);
        assert_eq!(with.long_words, 0);
        assert!(without.long_words >= 3, "{without:?}");
        assert!(
            with.syllables + 8 <= without.syllables,
            "{with:?} {without:?}"
        );
        // Hyphenated: the drug part is short, the rest still counts.
        let s = stats(&[block("Plaquenil-behandlingen virker.")], &drugs);
        assert_eq!(s.long_words, 1, "{s:?}");
    }

    #[test]
    fn empty_text_has_no_score() {
        let s = stats(&[], &HashSet::new());
        assert_eq!(s.flesch(), None);
        assert_eq!(s.lix(), None);
        assert_eq!(s.grade(), None);
    }

    #[test]
    fn formulas_by_language() {
        assert_eq!(formula_for("en"), Some(Formula::Flesch));
        assert_eq!(formula_for("en-GB"), Some(Formula::Flesch));
        for l in ["nb", "nn", "no", "sv", "da", "nb-NO", "SV"] {
            assert_eq!(formula_for(l), Some(Formula::Lix), "{l}");
        }
        assert_eq!(formula_for("de"), None);
        assert_eq!(formula_for(""), None);
    }
}
