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
        let known = ids.get(target).is_some_and(|ids| ids.contains(&a.fragment))
            || RESERVED_IDS.contains(&a.fragment.as_str())
            || a.fragment.starts_with("fn-")
            || a.fragment.starts_with("fnref");
        (!known).then(|| a.diagnostic.clone())
    })
}
