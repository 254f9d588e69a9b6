//! GitHub-style alerts (`> [!WARNING]`) as callouts: a `role="note"` box
//! with a real heading, one level below the section it is in, so screen
//! readers announce it and list it among the headings. `[!WARNING]` is the
//! urgent variant ("Urgent advice"), styled like the urgent care cards of
//! national health sites. Only the markup; the look is the theme's CSS.

use pulldown_cmark::BlockQuoteKind;

/// The class and title of each kind.
fn style(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("callout-note", "Note"),
        BlockQuoteKind::Tip => ("callout-tip", "Tip"),
        BlockQuoteKind::Important => ("callout-important", "Important"),
        BlockQuoteKind::Warning => ("callout-warning callout-urgent", "Urgent advice"),
        BlockQuoteKind::Caution => ("callout-caution", "Caution"),
    }
}

/// The opening markup; `section_level` is the level of the heading the
/// callout comes after (1 before any heading: the page title).
pub(super) fn open(kind: BlockQuoteKind, section_level: u8) -> String {
    let (class, title) = style(kind);
    let n = (section_level + 1).clamp(2, 6);
    format!(
        "<div class=\"callout {class}\" role=\"note\"><h{n} class=\"callout-title\">{title}</h{n}>\n"
    )
}

pub(super) fn close() -> &'static str {
    "</div>\n"
}
