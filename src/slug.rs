//! Slugs: turning a title, file name or heading into a URL segment or an
//! HTML id. A leaf that content (page addresses, conditions) and markdown
//! (heading ids) both use; not for resolving paths.

/// Lowercase letters and digits, words joined by `-`, punctuation dropped.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c.is_whitespace() || matches!(c, '-' | '_' | '/' | '.' | '+') {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_rules() {
        assert_eq!(
            slugify("Pregnancy and breast-feeding"),
            "pregnancy-and-breast-feeding"
        );
        assert_eq!(slugify("Still's disease"), "stills-disease");
        assert_eq!(slugify("  What it is?  "), "what-it-is");
        assert_eq!(slugify("Før behandling"), "før-behandling");
        assert_eq!(slugify("ilaris_2"), "ilaris-2");
        assert_eq!(slugify("???"), "");
    }
}
