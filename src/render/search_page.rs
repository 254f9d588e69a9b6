//! The search page of one language (`/search/`, `/nb/search/`): the page
//! that runs a query from its address (`?q=kineret`) in the browser, with
//! the addresses of that language's names index and of Pagefind's script.
//!
//! Not for building the indexes (`search`); the page's behaviour is in
//! `static/js/search.js`.

use super::views::Crumb;
use super::{Output, Renderer};
use crate::config::Language;
use crate::content::front_matter::PageKind;
use serde::Serialize;
use tera::Context;

/// The search page of one language.
pub struct SearchOutput<'a> {
    pub lang: &'a Language,
    /// `search/index.html`, `nb/search/index.html`.
    pub out: String,
}

impl<'a> SearchOutput<'a> {
    pub fn new(lang: &'a Language) -> Self {
        SearchOutput {
            lang,
            out: format!("{}index.html", &lang.search_path()[1..]),
        }
    }
}

/// What the search template receives as `search`.
#[derive(Serialize)]
struct SearchView {
    /// The language's search folder (`/nb/search/`), with the base path:
    /// the indexes are in it.
    index_url: String,
    /// The base path, which the names index's site paths are put under.
    base_path: String,
    /// The A–Z list to offer when the page cannot search: the first section
    /// of medicines in this language, else its home.
    az_url: String,
}

impl Output for SearchOutput<'_> {
    fn template(&self) -> &'static str {
        "search.html"
    }
    fn file(&self) -> &str {
        &self.out
    }
    fn context(&self, r: &Renderer) -> Context {
        let lang = self.lang;
        let site = r.site;
        let path = lang.search_path();
        let crumbs = vec![
            Crumb {
                title: r.word(&lang.code, "home"),
                url: r.url(&lang.home()),
            },
            Crumb {
                title: r.word(&lang.code, "search"),
                url: r.url(&path),
            },
        ];
        let versions: Vec<(String, String)> = site
            .config
            .languages()
            .iter()
            .map(|l| (l.code.clone(), l.search_path()))
            .collect();
        let versions: Vec<(&str, &str)> = versions
            .iter()
            .map(|(c, p)| (c.as_str(), p.as_str()))
            .collect();
        let az = site
            .sections
            .iter()
            .find(|s| s.lang == lang.code && s.page_kind == Some(PageKind::Medication))
            .map_or_else(|| lang.home(), |s| s.path.clone());
        let mut ctx = r.base_context(
            &lang.code,
            &path,
            &r.word(&lang.code, "search-description"),
            crumbs,
            &versions,
        );
        ctx.insert(
            "search",
            &SearchView {
                index_url: r.url(&format!("/{}", crate::search::folder(&lang.home()))),
                base_path: r.base_path.trim_end_matches('/').to_owned(),
                az_url: r.url(&az),
            },
        );
        ctx
    }
}
