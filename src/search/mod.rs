//! Search without a server: the files a static host serves for the search
//! page. Two indexes are built from the same `Site` as the pages:
//!
//! - the full-text index ([`fulltext`], with `scorer` and [`words`]): titles, names,
//!   conditions, drug class, headings and body text, per language with that
//!   language's stemming, names weighted above body text;
//! - the names index ([`names`]): generic and brand names, ATC codes,
//!   conditions and titles, split by first letter, which the search page
//!   matches with a few letters wrong.
//!
//! Not for the search page itself (a render target, `render::search_page`) nor
//! for writing files (`build`).

pub mod fulltext;
pub mod names;
mod scorer;
pub mod words;

use crate::content::Site;
use std::collections::{BTreeSet, HashMap};

/// The search folder of the language whose home is `home`, as an output
/// path: `search/`, `nb/search/`. The search page, the names index
/// (`names/`) and the full-text index (`text/`, `docs/`) are in it.
pub fn folder(home: &str) -> String {
    format!("{}search/", home.trim_start_matches('/'))
}

/// Every file of every language's names index, handed to `each` one at a
/// time: (output path, bytes).
pub fn names_files_each(site: &Site, docs: &[u32], mut each: impl FnMut(String, Vec<u8>)) {
    for lang in site.config.languages() {
        let folder = folder(&lang.home());
        names::files_each(site, &lang.code, docs, |name, bytes| {
            each(format!("{folder}{name}"), bytes);
        });
    }
}

/// [`names_files_each`] of the files in `only` (by language code: the
/// files, `me`, `l0`), with every language's list of files: (output path,
/// bytes).
pub fn names_files_in(
    site: &Site,
    docs: &[u32],
    only: &HashMap<String, BTreeSet<String>>,
    filed: Option<&names::Filed>,
) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let none = BTreeSet::new();
    for lang in site.config.languages() {
        let folder = folder(&lang.home());
        let shards = only.get(&lang.code).unwrap_or(&none);
        // No name of this language moved: none of its files changed.
        if shards.is_empty() {
            continue;
        }
        names::files_each_in(
            site,
            &lang.code,
            docs,
            Some(shards),
            filed,
            |name, bytes| {
                out.push((format!("{folder}{name}"), bytes));
            },
        );
    }
    out
}

/// The output path of the names index file `shard` (`me`) of language
/// `code`.
pub fn names_file_path(site: &Site, code: &str, shard: &str) -> String {
    let home = site
        .config
        .language(code)
        .map_or_else(|| "/".to_owned(), |l| l.home());
    format!("{}names/{shard}.json", folder(&home))
}

/// The output path of a full-text index file of language `code`.
pub fn text_file_path(site: &Site, code: &str, name: &str) -> String {
    let home = site
        .config
        .language(code)
        .map_or_else(|| "/".to_owned(), |l| l.home());
    format!("{}{name}", folder(&home))
}
