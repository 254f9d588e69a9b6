//! Raw HTML in Markdown: detecting what is unsafe (scripts, event handlers,
//! `javascript:` URLs), collecting the ids it defines, sanitizing the page
//! with ammonia, and escaping attribute values. Not for Markdown itself.

use std::sync::OnceLock;

/// Escapes text for an attribute value in double quotes.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Does this raw HTML hold a script, an event handler or a script URL?
pub(super) fn looks_unsafe(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script")
        || lower.contains("javascript:")
        || lower.contains("vbscript:")
        || lower.contains("<iframe")
        || lower.contains("<object")
        || lower.contains("<embed")
        || lower.contains("<style")
    {
        return true;
    }
    // an event handler attribute: whitespace, "on", letters, "="
    let b = lower.as_bytes();
    (1..b.len().saturating_sub(3)).any(|i| {
        (b[i - 1].is_ascii_whitespace() || b[i - 1] == b'/')
            && b[i] == b'o'
            && b[i + 1] == b'n'
            && {
                let mut j = i + 2;
                while j < b.len() && b[j].is_ascii_alphabetic() {
                    j += 1;
                }
                j > i + 2
                    && j < b.len()
                    && (b[j] == b'='
                        || b[j].is_ascii_whitespace()
                            && b[j..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'='))
            }
    })
}

/// Collects `id="..."` values of raw HTML, which links may point to too.
pub(super) fn html_ids(html: &str, ids: &mut Vec<String>) {
    let lower = html.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut from = 0;
    while let Some(i) = lower[from..].find("id=") {
        let at = from + i;
        from = at + 3;
        if at == 0 || !(b[at - 1].is_ascii_whitespace()) {
            continue;
        }
        let rest = &html[at + 3..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next(),
            Some(_) => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next(),
            None => None,
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            ids.push(v.to_owned());
        }
    }
}

/// The sanitizer for pages with raw HTML: it keeps what the renderer and
/// authors' plain HTML need (ids, classes, roles, tables, details).
pub(super) fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes([
            "id",
            "class",
            "title",
            "lang",
            "dir",
            "aria-label",
            "aria-hidden",
            "role",
            "aria-labelledby",
        ])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags([
            "input",
            "section",
            "sup",
            "details",
            "summary",
            "figure",
            "figcaption",
            "mark",
        ])
        .filter_style_properties(std::iter::once("text-align").collect())
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough);
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_raw_html_are_link_targets() {
        let mut ids = Vec::new();
        html_ids(
            "<span id=\"a-1\"></span><div class='x' id='b'><p data-id=\"no\" id=c>",
            &mut ids,
        );
        assert_eq!(ids, ["a-1", "b", "c"]);
    }

    #[test]
    fn unsafe_detection() {
        assert!(looks_unsafe("<img src=x onerror=alert(1)>"));
        assert!(looks_unsafe("<p onclick = \"x\">"));
        assert!(!looks_unsafe("<p class=\"online\">"));
        assert!(!looks_unsafe("<abbr title=\"one\">"));
    }
}
