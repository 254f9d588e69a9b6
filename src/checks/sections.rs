//! Required sections: every page of a kind must have a heading (level 2 or
//! deeper) for each section `[checks.required_sections]` lists for that
//! kind. Headings are compared without case, spaces or punctuation, so
//! `Pregnancy and breast-feeding`, `Pregnancy & breastfeeding` and
//! `PREGNANCY AND BREAST FEEDING` are the same; the page's drug names count
//! as "it" (`What Ilaris is and what it is used for`).

use super::BodyAt;
use super::readability::drug_key;
use crate::config::checks::SectionRule;
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::markdown::PageFacts;
use std::collections::HashSet;

/// A heading's comparable form: lowercase letters and digits only, `&` as
/// "and", and each run of drug-name words as "it".
pub fn normalize(heading: &str, drugs: &HashSet<String>) -> String {
    let mut out = String::with_capacity(heading.len());
    // Whether the last word written is "it" (a drug name after "it" or
    // another drug name adds nothing).
    let mut last_is_it = false;
    for w in heading.split_whitespace() {
        if w == "&" || w == "+" {
            out.push_str("and");
            last_is_it = false;
            continue;
        }
        if !drugs.is_empty() {
            let key = drug_key(w);
            if !key.is_empty() && drugs.contains(&key) {
                if !last_is_it {
                    out.push_str("it");
                    last_is_it = true;
                }
                continue;
            }
        }
        let start = out.len();
        for c in w.chars() {
            if c == '&' {
                out.push_str("and");
            } else if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            }
        }
        last_is_it = &out[start..] == "it";
    }
    out
}

/// The rules of one page kind, normalized once per check run.
pub struct Prepared {
    rules: Vec<SectionRule>,
    /// Words of the accepted headings.
    vocabulary: HashSet<String>,
    /// The accepted headings of each rule, normalized.
    accepted: Vec<Vec<String>>,
}

/// Normalizes `rules` for [`check`].
pub fn prepare(rules: Vec<SectionRule>) -> Prepared {
    let vocabulary = rules
        .iter()
        .flat_map(|r| r.names())
        .flat_map(str::split_whitespace)
        .map(drug_key)
        .collect();
    let accepted = rules
        .iter()
        .map(|r| r.names().map(|n| normalize(n, &HashSet::new())).collect())
        .collect();
    Prepared {
        rules,
        vocabulary,
        accepted,
    }
}

/// Checks that `p` has every section of the prepared rules.
pub fn check(
    p: &Page,
    at: &BodyAt,
    scan: &PageFacts,
    drugs: &HashSet<String>,
    prepared: &Prepared,
    out: &mut Vec<Diagnostic>,
) {
    let rules = &prepared.rules;
    if rules.is_empty() {
        return;
    }
    // Words of the accepted headings never stand for a drug name, so that a
    // title such as "Folic acid and methotrexate" cannot hide "and".
    let drugs: HashSet<String> = drugs.difference(&prepared.vocabulary).cloned().collect();
    let headings: Vec<(String, usize)> = scan
        .headings
        .iter()
        .filter(|h| h.level >= 2)
        .map(|h| (normalize(&h.text, &drugs), h.offset))
        .collect();
    let present: HashSet<&str> = headings.iter().map(|(n, _)| n.as_str()).collect();
    for (rule, accepted) in rules.iter().zip(&prepared.accepted) {
        let names: Vec<&str> = rule.names().collect();
        let Some(first) = names.first() else {
            continue;
        };
        if accepted.iter().any(|a| present.contains(a.as_str())) {
            continue;
        }
        let list = names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!("the page has no section \"{first}\"");
        // A heading that is nearly one of the accepted ones is most likely
        // a typo: point at it.
        let near = headings
            .iter()
            .filter(|(h, _)| !h.is_empty())
            .map(|(h, off)| {
                let best = accepted
                    .iter()
                    .map(|a| strsim::jaro_winkler(h, a))
                    .fold(0.0, f64::max);
                (best, *off)
            })
            .filter(|(score, _)| *score >= 0.9)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let d = match near {
            Some((_, off)) => at
                .at(Diagnostic::error(at.file, message), off)
                .with_help(format!(
                    "this heading looks like it but is spelled differently; headings that count as this section: {list}"
                )),
            None => Diagnostic::error(at.file, message).with_help(format!(
                "add a heading `## {first}` with this part of the information; headings that count as this section: {list}{}",
                match p.kind {
                    crate::content::front_matter::PageKind::Medication => " (set others under [checks.required_sections] in site.toml)",
                    crate::content::front_matter::PageKind::Article => "",
                }
            )),
        };
        out.push(d.with_id("section-missing"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_punctuation_and_drug_names() {
        let none = HashSet::new();
        assert_eq!(
            normalize("Pregnancy and breast-feeding", &none),
            normalize("PREGNANCY & BREASTFEEDING", &none)
        );
        assert_eq!(normalize("Side effects:", &none), "sideeffects");
        assert_eq!(normalize("Follow up", &none), normalize("Follow-up", &none));
        let drugs: HashSet<String> = ["ilaris", "canakinumab"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            normalize(
                "What Ilaris (canakinumab) is and what it is used for",
                &drugs
            ),
            normalize("What it is and what it is used for", &none)
        );
        assert_eq!(normalize("Før behandling", &none), "førbehandling");
    }
}
