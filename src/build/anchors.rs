//! Links to headings (`#dosage`, `methotrexate.md#dosage`) checked once
//! every page is rendered, against the ids each page defines. Reads the
//! pages' facts; not for rewriting links.

use crate::markdown::{AnchorRef, RESERVED_IDS};
use std::collections::HashMap;

/// The ids each content file defines (`medications/ilaris.md` → ids).
pub type Ids = HashMap<String, Vec<String>>;

/// The errors for the links of `file` to headings that do not exist.
pub fn unknown<'a>(
    file: &'a str,
    anchors: &'a [AnchorRef],
    ids: &'a Ids,
) -> impl Iterator<Item = crate::diagnostics::Diagnostic> + 'a {
    anchors.iter().filter_map(move |a| {
        let target = a.file.as_deref().unwrap_or(file);
        let known = is_known(&a.fragment, |f| {
            ids.get(target)
                .is_some_and(|ids| ids.iter().any(|id| id == f))
        });
        (!known).then(|| a.diagnostic.clone())
    })
}

/// Whether a link to `fragment` points at a heading: one of the target's
/// ids (`defined`), an id of the page's template or a footnote.
pub fn is_known(fragment: &str, defined: impl Fn(&str) -> bool) -> bool {
    defined(fragment)
        || RESERVED_IDS.contains(&fragment)
        || fragment.starts_with("fn-")
        || fragment.starts_with("fnref")
}
