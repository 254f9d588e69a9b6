//! Accessibility of a body: images need alt text, heading levels go down
//! one at a time (the page title is the only `#`), and a link's text says
//! where it goes ("click here" does not; neither does no text at all).

use super::BodyAt;
use crate::diagnostics::Diagnostic;
use crate::markdown::PageFacts;

/// A link text's comparable form: lowercase words, punctuation dropped.
fn link_key(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks images, headings and links of one body.
pub fn check(at: &BodyAt, scan: &PageFacts, vague: &[String], out: &mut Vec<Diagnostic>) {
    for img in &scan.images {
        if img.alt.trim().is_empty() {
            out.push(
                at.at(Diagnostic::warning(at.file, "the image has no alt text"), img.offset)
                    .with_help(format!(
                        "describe what the image shows between the brackets, e.g. `![The pre-filled pen, with the cap removed]({})`, for people who cannot see it",
                        img.dest
                    ))
                    .with_id("image-alt"),
            );
        }
    }

    let mut prev = 1u8;
    for h in &scan.headings {
        if h.level == 1 {
            out.push(
                at.at(
                    Diagnostic::warning(at.file, "a `#` heading in the text: the page's title is its only first-level heading"),
                    h.offset,
                )
                .with_help("use `##` for the parts of the page, `###` for parts of a part")
                .with_id("heading-first-level"),
            );
        } else if h.level > prev + 1 {
            out.push(
                at.at(
                    Diagnostic::warning(
                        at.file,
                        format!(
                            "the heading skips a level: level {} after level {prev}",
                            h.level
                        ),
                    ),
                    h.offset,
                )
                .with_help(format!(
                    "use `{} ` here, so that screen reader users can follow the page's structure",
                    "#".repeat(usize::from(prev) + 1)
                ))
                .with_id("heading-skips-level"),
            );
        }
        prev = h.level;
    }

    let vague: Vec<String> = vague.iter().map(|v| link_key(v)).collect();
    for l in &scan.links {
        let key = link_key(&l.text);
        if key.is_empty() {
            out.push(
                at.at(Diagnostic::warning(at.file, "the link has no text"), l.offset)
                    .with_help("write what the link leads to between the brackets: `[the package leaflet](...)`")
                    .with_id("link-text-empty"),
            );
        } else if vague.contains(&key) {
            out.push(
                at.at(
                    Diagnostic::warning(
                        at.file,
                        format!("the link text \"{}\" does not say where the link goes", l.text.trim()),
                    ),
                    l.offset,
                )
                .with_help("use words that name the target, e.g. `read [the package leaflet](...)`; screen reader users often jump from link to link")
                .with_id("link-text-vague"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_keys() {
        assert_eq!(link_key(" Click   HERE! "), "click here");
        assert_eq!(link_key("Read more…"), "read more");
        assert_eq!(link_key("…"), "");
    }
}
