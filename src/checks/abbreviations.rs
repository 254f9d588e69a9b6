//! Abbreviations: a word of 2–6 capital letters (`MAS`, `DRESS`, `TB`) that
//! a page uses without ever writing it out, as "macrophage activation
//! syndrome (MAS)" or "MAS (macrophage activation syndrome)". Patients do
//! not know most of them. Abbreviations every reader knows are listed once
//! for the site (`abbreviations` under `[checks]` in `site.toml`).

use super::BodyAt;
use crate::diagnostics::Diagnostic;
use crate::markdown::PageFacts;
use std::collections::{BTreeMap, HashSet};

/// Words of 2–6 ASCII capital letters in `text`, with their byte positions.
fn capital_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.char_indices()
        .filter(|&(i, c)| c.is_alphanumeric() && !prev_is_alnum(text, i))
        .map(move |(i, _)| {
            let end = text[i..]
                .char_indices()
                .find(|&(_, c)| !c.is_alphanumeric())
                .map_or(text.len(), |(j, _)| i + j);
            (i, &text[i..end])
        })
        .filter(|(_, w)| (2..=6).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_uppercase()))
}

fn prev_is_alnum(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Whether `abbr` at byte `at` of `text` is written out there: in brackets
/// after the words (`… syndrome (MAS)`) or followed by them (`MAS (…)`).
fn explained_at(text: &str, at: usize, abbr: &str) -> bool {
    let before = text[..at].trim_end();
    let after = &text[at + abbr.len()..];
    let in_brackets = before.ends_with('(') && after.trim_start().starts_with(')');
    let followed = after.trim_start().starts_with('(') && !after.trim_start().starts_with("()");
    in_brackets && before.len() > 1 || followed
}

/// Warns once per abbreviation the page uses but never writes out, at its
/// first use.
pub fn check(at: &BodyAt, facts: &PageFacts, known: &[String], out: &mut Vec<Diagnostic>) {
    let known: HashSet<&str> = known.iter().map(String::as_str).collect();
    // abbreviation → (first body offset, written out somewhere)
    let mut seen: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
    let texts = facts
        .headings
        .iter()
        .map(|h| (h.text.as_str(), None, h.offset))
        .chain(facts.blocks.iter().map(|b| (b.text.as_str(), Some(b), 0)));
    for (text, block, heading_offset) in texts {
        for (i, word) in capital_words(text) {
            if known.contains(word) {
                continue;
            }
            let offset = block.map_or(heading_offset, |b| b.offset_of(i));
            let explained = explained_at(text, i, word);
            let entry = seen.entry(word).or_insert((offset, false));
            entry.0 = entry.0.min(offset);
            entry.1 |= explained;
        }
    }
    let mut unexplained: Vec<(&str, usize)> = seen
        .into_iter()
        .filter(|(_, (_, explained))| !explained)
        .map(|(w, (offset, _))| (w, offset))
        .collect();
    unexplained.sort_by_key(|&(_, offset)| offset);
    for (word, offset) in unexplained {
        out.push(
            at.at(
                Diagnostic::warning(
                    at.file,
                    format!("the abbreviation `{word}` is not written out on this page"),
                ),
                offset,
            )
            .with_help(format!(
                "write it out where it is first used, e.g. `the full words ({word})`; if every reader knows it, add it to `abbreviations` under [checks] in site.toml"
            ))
            .with_id("abbreviation-unexplained"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capital_words_are_found_with_positions() {
        let words: Vec<_> =
            capital_words("The MAS test, a DRESS-like rash; L04AC08 NSAIDs X ÅBC").collect();
        assert_eq!(words, [(4, "MAS"), (16, "DRESS")]);
    }

    #[test]
    fn written_out_in_either_order() {
        let t = "macrophage activation syndrome (MAS) is rare";
        assert!(explained_at(t, 32, "MAS"));
        let t = "MAS (macrophage activation syndrome) is rare";
        assert!(explained_at(t, 0, "MAS"));
        let t = "MAS is rare";
        assert!(!explained_at(t, 0, "MAS"));
        let t = "(MAS)";
        assert!(!explained_at(t, 1, "MAS"), "brackets alone explain nothing");
    }
}
