//! Paths inside `content/`: which names are ignored, the folder of a file,
//! and resolving a relative link written in a page into a content path.
//! Not for URLs of the built site (those are made when the site is loaded).

use percent_encoding::percent_decode_str;

/// Is this file or folder name one medsite ignores (hidden, editor swap files)?
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
        || name == "Thumbs.db"
}

/// Resolves `link` (a relative path written in a page in folder `from_dir`)
/// into a path inside `content/`. `None` when it climbs above `content/`.
pub fn resolve_relative(from_dir: &str, link: &str) -> Option<String> {
    let decoded = percent_decode_str(link).decode_utf8_lossy();
    let mut parts: Vec<&str> = if decoded.starts_with('/') {
        Vec::new()
    } else {
        from_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Parent folder of a content path: `medications/ilaris.md` → `medications`.
pub fn dir_of(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_resolution() {
        assert_eq!(
            resolve_relative("medications", "methotrexate.md").as_deref(),
            Some("medications/methotrexate.md")
        );
        assert_eq!(
            resolve_relative("medications", "../conditions/gout.md").as_deref(),
            Some("conditions/gout.md")
        );
        assert_eq!(
            resolve_relative("medications", "./a%20b.md").as_deref(),
            Some("medications/a b.md")
        );
        assert_eq!(resolve_relative("", "../x.md"), None);
        assert_eq!(resolve_relative("a", "/b/c.md").as_deref(), Some("b/c.md"));
        assert_eq!(dir_of("medications/ilaris.md"), "medications");
        assert_eq!(dir_of("about.md"), "");
    }

    #[test]
    fn ignored_names() {
        for n in [
            ".hidden.md",
            ".ilaris.md.swp",
            "ilaris.md~",
            "#ilaris.md#",
            "4913",
            ".DS_Store",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("ilaris.md"));
    }
}
