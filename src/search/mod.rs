//! Search without a server: the files a static host serves for the search
//! page. Two indexes are built from the same `Site` as the pages:
//!
//! - the full-text index ([`fulltext`], Pagefind's library): titles, names,
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

use crate::content::Site;

/// Where the names index of language `home` goes: `search/names/` under
/// the language's home (`nb/search/names/`), as output paths.
pub fn names_folder(home: &str) -> String {
    format!("{}search/names/", home.trim_start_matches('/'))
}

/// Every file of every language's names index: (output path, bytes).
pub fn names_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for lang in site.config.languages() {
        let folder = names_folder(&lang.home());
        for (name, bytes) in names::files(site, &lang.code) {
            out.push((format!("{folder}{name}"), bytes));
        }
    }
    out
}
