//! The text of a new translation: the source's front matter as written,
//! with `source_reviewed` and a note to the translator, and a body of
//! headings with a placeholder under each saying which part of the source
//! to translate (in Norwegian for a Norwegian translation, else English).
//!
//! This file only makes text; finding the source and the refusals are in
//! `translation.rs`. Front matter is edited line by line, never re-written
//! by a serializer, so that the editor's comments, order and quoting stay.

use crate::config::Language;
use crate::config::languages::primary;
use crate::content::front_matter::Format;

/// The page a translation is made from.
pub(super) struct Source<'a> {
    /// Its path as editors see it: `content/medications/ilaris.md`.
    pub shown: &'a str,
    /// Its front matter block, without the delimiter lines.
    pub front: &'a str,
    pub body: &'a str,
    pub format: Format,
}

/// The translation's front matter block (without delimiters): a note on
/// what to translate, the source's lines without `lang` and
/// `source_reviewed`, and `source_reviewed` as the last top-level key.
pub(super) fn translated_front(
    source: &Source,
    reviewed: Option<&str>,
    to_translate: &[&str],
    lang: &Language,
) -> String {
    let fields = match to_translate {
        [] => "title".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    let mut out = format!(
        "# The {} ({}) translation of {}: translate {fields} into {}; the other fields stay as in the source.\n",
        lang.name, lang.code, source.shown, lang.name
    );
    let (set, example) = match source.format {
        Format::Yaml => ("source_reviewed: ", "source_reviewed: 2026-11-01"),
        Format::Toml => ("source_reviewed = ", "source_reviewed = 2026-11-01"),
    };
    let added = match reviewed {
        Some(date) => format!(
            "# The last_reviewed date of {} that this translation follows; when that page is reviewed again, bring the translation up to date and write its new date here.\n{set}{date}\n",
            source.shown
        ),
        None => format!(
            "# {} has no last_reviewed yet. Once it has one, write that date here and remove the \"# \" at the start of the next line.\n# {example}\n",
            source.shown
        ),
    };

    let lines: Vec<&str> = source.front.split_inclusive('\n').collect();
    // Where the top-level keys end: TOML's tables (`[extra]`, `[[sources]]`)
    // come after them; YAML's keys may go on to the end.
    let top_end = match source.format {
        Format::Yaml => lines.len(),
        Format::Toml => lines
            .iter()
            .position(|l| is_toml_header(l))
            .unwrap_or(lines.len()),
    };
    // YAML's new key goes at the end; TOML's after the last top-level line
    // that is not blank or a comment, so that a comment about the first
    // table stays with it.
    let insert_at = match source.format {
        Format::Yaml => lines.len(),
        Format::Toml => lines[..top_end]
            .iter()
            .rposition(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            })
            .map_or(0, |i| i + 1),
    };
    let mut dropping = false;
    for (i, line) in lines.iter().enumerate() {
        if i == insert_at {
            out.push_str(&added);
        }
        if i < top_end
            && (is_key(line, "lang", source.format)
                || is_key(line, "source_reviewed", source.format))
        {
            dropping = true;
            continue;
        }
        // A dropped key's value may go on over indented lines (YAML).
        if dropping && source.format == Format::Yaml && line.starts_with([' ', '\t']) {
            continue;
        }
        dropping = false;
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push('\n');
        }
    }
    if insert_at >= lines.len() {
        out.push_str(&added);
    }
    out
}

/// Whether `line` sets the top-level key `key` (`key:` in YAML, `key =` in
/// TOML), unindented.
fn is_key(line: &str, key: &str, format: Format) -> bool {
    let Some(rest) = line.strip_prefix(key) else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    match format {
        Format::Yaml => rest.starts_with(':'),
        Format::Toml => rest.starts_with('='),
    }
}

/// Whether `line` opens a TOML table: `[extra]`, `[[sources]]`.
fn is_toml_header(line: &str) -> bool {
    let t = line.trim();
    let t = match t.find(" #") {
        Some(i) => t[..i].trim_end(),
        None => t,
    };
    t.starts_with('[')
        && t.ends_with(']')
        && t.trim_matches(['[', ']'])
            .chars()
            .all(|c| c.is_alphanumeric() || " _-.\"'".contains(c))
}

/// The `##` headings of a Markdown body, outside code blocks, and whether
/// any text comes before the first of them.
fn headings(body: &str) -> (Vec<String>, bool) {
    let mut found = Vec::new();
    let mut intro = false;
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            if found.is_empty() {
                intro = true;
            }
            continue;
        }
        let heading = line
            .strip_prefix("##")
            .filter(|rest| rest.starts_with([' ', '\t']))
            .map(|rest| rest.trim().trim_end_matches('#').trim_end());
        match heading {
            Some(h) if !h.is_empty() => found.push(h.to_owned()),
            _ if found.is_empty() && !t.is_empty() => intro = true,
            _ => {}
        }
    }
    (found, intro)
}

/// The words of the placeholders, in the translation's language.
struct Words {
    norwegian: bool,
}

impl Words {
    fn part(&self, heading: &str, source: &str) -> String {
        if self.norwegian {
            format!("_Skriv her: oversett delen «{heading}» fra {source}._")
        } else {
            format!("_Write here: translate the part “{heading}” of {source}._")
        }
    }
    fn part_and_heading(&self, heading: &str, source: &str) -> String {
        if self.norwegian {
            format!("_Skriv her: oversett delen «{heading}» fra {source}, og overskriften over._")
        } else {
            format!(
                "_Write here: translate the part “{heading}” of {source}, and the heading above._"
            )
        }
    }
    fn matching(&self, source: &str) -> String {
        if self.norwegian {
            format!("_Skriv her: oversett den delen av {source} som hører hjemme her._")
        } else {
            format!("_Write here: translate the part of {source} that belongs here._")
        }
    }
    fn intro(&self, source: &str) -> String {
        if self.norwegian {
            format!("_Skriv her: oversett innledningen i {source}._")
        } else {
            format!("_Write here: translate the introduction of {source}._")
        }
    }
    fn whole(&self, source: &str) -> String {
        if self.norwegian {
            format!("_Skriv her: oversett teksten i {source}._")
        } else {
            format!("_Write here: translate the text of {source}._")
        }
    }
}

/// The translation's body. `standard` is, for a medication page, the first
/// name of each standard heading in the translation's language and in the
/// source's language; the first are written as the headings, each paired
/// with the source's heading at the same place. Without standard headings
/// (an article, or a language medsite knows none for), the source's `##`
/// headings are copied to be translated.
pub(super) fn translated_body(
    source: &Source,
    standard: Option<(Vec<String>, Vec<String>)>,
    code: &str,
) -> String {
    let words = Words {
        norwegian: matches!(primary(code), "nb" | "no"),
    };
    let (found, intro) = headings(source.body);
    let mut out = String::new();
    if intro {
        out.push_str(&format!("\n{}\n", words.intro(source.shown)));
    }
    match standard {
        Some((target, source_names)) if !target.is_empty() => {
            for (i, heading) in target.iter().enumerate() {
                let hint = match source_names.get(i) {
                    Some(from) => words.part(from, source.shown),
                    None => words.matching(source.shown),
                };
                out.push_str(&format!("\n## {heading}\n\n{hint}\n"));
            }
        }
        _ if found.is_empty() && !intro => {
            out.push_str(&format!("\n{}\n", words.whole(source.shown)));
        }
        _ => {
            for heading in &found {
                let hint = words.part_and_heading(heading, source.shown);
                out.push_str(&format!("\n## {heading}\n\n{hint}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_outside_code_and_the_intro() {
        let body = "\nIntro.\n\n## One ##\n\n```\n## not\n```\n### Sub\n##Two\n## Three\n";
        assert_eq!(headings(body), (vec!["One".into(), "Three".into()], true));
        assert!(!headings("\n## A\ntext\n").1);
    }

    #[test]
    fn toml_headers_and_keys() {
        assert!(is_toml_header("[[sources]]\n"));
        assert!(is_toml_header("[extra] # mine\n"));
        assert!(!is_toml_header("forms = [\"a\"]\n"));
        assert!(!is_toml_header("[\"a\", \"b\"]\n"));
        assert!(is_key("lang = \"en\"\n", "lang", Format::Toml));
        assert!(is_key("lang: en\n", "lang", Format::Yaml));
        assert!(!is_key("language: en\n", "lang", Format::Yaml));
        assert!(!is_key("  lang: en\n", "lang", Format::Yaml));
    }
}
