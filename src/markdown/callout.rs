//! GitHub-style alerts (`> [!WARNING]`) as callouts: a `role="note"` box
//! with a real heading, one level below the section it is in, so screen
//! readers announce it and list it among the headings. `[!WARNING]` is the
//! urgent variant ("Urgent advice"), styled like the urgent care cards of
//! national health sites. Also the other words the Markdown step writes
//! ([`Words`]: callout titles, the label of a heading's link), which the
//! caller gives in the page's language. Only the markup; the look is the
//! theme's CSS.

use pulldown_cmark::BlockQuoteKind;

/// The words the Markdown step writes into a page, in its language.
#[derive(Debug, Clone)]
pub struct Words {
    /// Before a heading's text in its `#` link's label: "Link to this section:".
    pub section_link: String,
    pub note: String,
    pub tip: String,
    pub important: String,
    /// The title of `[!WARNING]`: "Urgent advice".
    pub urgent: String,
    pub caution: String,
}

impl Default for Words {
    /// English.
    fn default() -> Self {
        Words {
            section_link: "Link to this section:".into(),
            note: "Note".into(),
            tip: "Tip".into(),
            important: "Important".into(),
            urgent: "Urgent advice".into(),
            caution: "Caution".into(),
        }
    }
}

/// The class and title of each kind.
fn style(kind: BlockQuoteKind, words: &Words) -> (&'static str, &str) {
    match kind {
        BlockQuoteKind::Note => ("callout-note", &words.note),
        BlockQuoteKind::Tip => ("callout-tip", &words.tip),
        BlockQuoteKind::Important => ("callout-important", &words.important),
        BlockQuoteKind::Warning => ("callout-warning callout-urgent", &words.urgent),
        BlockQuoteKind::Caution => ("callout-caution", &words.caution),
    }
}

/// The opening markup; `section_level` is the level of the heading the
/// callout comes after (1 before any heading: the page title).
pub(super) fn open(kind: BlockQuoteKind, section_level: u8, words: &Words) -> String {
    let (class, title) = style(kind, words);
    let title = pulldown_cmark_escape_text(title);
    let n = (section_level + 1).clamp(2, 6);
    format!(
        "<div class=\"callout {class}\" role=\"note\"><h{n} class=\"callout-title\">{title}</h{n}>\n"
    )
}

pub(super) fn close() -> &'static str {
    "</div>\n"
}

/// `text` with `&`, `<` and `>` escaped, for an element's content.
fn pulldown_cmark_escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}
