//! Rendering: every file medsite writes from a template is an [`Output`]
//! (one small type per target in [`targets`]) that knows its template, its
//! output path and its context. The [`Renderer`] holds what all outputs
//! share (the site, the parsed templates, listing summaries) and turns an
//! output into bytes. Listings split into parts and the A–Z index of
//! medication sections are in [`listing`] and [`az`]; each language's Atom
//! feed in [`feed`] and its search page in [`search_page`]; the web
//! editor at `/admin/` in [`admin`]. Also the view
//! models ([`views`]), JSON-LD, the theme's words in each language
//! ([`strings`], the `t()` template function) and the link resolver the
//! Markdown step uses.
//!
//! Not for deciding what to render when (the build and its incremental
//! session do that), nor for writing files (the output module does).

pub mod admin;
pub mod az;
pub mod feed;
pub mod jsonld;
pub mod links;
pub mod listing;
pub mod listing_page;
pub mod page_values;
pub mod search_page;
pub mod sitemap;
pub mod strings;
pub mod targets;
pub mod views;

pub use strings::Strings;

use crate::config::Config;
use crate::content::{Body, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered, url_for};
use crate::templates::Templates;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tera::{Context, Kwargs, State};
use views::{Crumb, PageSummary, permalink};

/// A file written from a template.
pub trait Output: Sync {
    /// The template it is rendered with (`medication.html`).
    fn template(&self) -> &'static str;
    /// Where it goes, relative to the output folder.
    fn file(&self) -> &str;
    /// What the template receives.
    fn context(&self, r: &Renderer) -> Context;
    /// The file written without its template, for an output that can
    /// write the built-in template's bytes itself at less cost (the
    /// sitemap); `None` renders the template.
    fn direct(&self, _: &Renderer) -> Option<String> {
        None
    }
    /// Whether [`Output::stream`] writes the file (the sitemap with the
    /// built-in template), so that a large file is never held whole.
    fn streams(&self, _: &Renderer) -> bool {
        false
    }
    /// Writes the file into `out` as [`Output::direct`] gives it, when
    /// [`Output::streams`].
    fn stream(&self, _: &Renderer, _: &mut dyn std::io::Write) -> std::io::Result<()> {
        Ok(())
    }
}

/// What every output of one build shares.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub templates: &'a Templates,
    pub base_path: &'a str,
    /// The theme's words in every language.
    pub strings: &'a Strings,
    /// What templates receive as `site`, per language code.
    pub sites: &'a HashMap<String, tera::Value>,
    /// Every listing's parts and A–Z index.
    pub listings: &'a listing::Listings,
    /// What listings show of each page, kept between renders (the dev
    /// server); `None` makes each value when it is shown.
    pub values: Option<&'a page_values::PageValues>,
}

/// A language and the rewrite of templates that puts its fixed words in.
type LanguageFold = (String, Box<dyn Fn(&str) -> String>);

/// Parses the templates with medsite's functions (`t()` and
/// `plural_forms()`, which read the page's `lang`) and gives them `config`
/// and the default language's `site` (each page gets its own language's).
pub fn load_templates(
    root: &Path,
    site: &Site,
    base_path: &str,
    strings: &Arc<Strings>,
) -> Result<Templates, Diagnostics> {
    let default = site.config.language.clone();
    let folds: Vec<LanguageFold> = site
        .config
        .languages()
        .iter()
        .map(|l| {
            let (strings, lang) = (Arc::clone(strings), l.code.clone());
            let fold: Box<dyn Fn(&str) -> String> =
                Box::new(move |source: &str| strings::fold_words(source, &strings, &lang));
            (l.code.clone(), fold)
        })
        .collect();
    let variants: Vec<(String, crate::templates::Fold)> = folds
        .iter()
        .map(|(code, fold)| (code.clone(), fold.as_ref() as crate::templates::Fold))
        .collect();
    let functions = |tera: &mut tera::Tera| {
        let (for_t, for_forms) = (Arc::clone(strings), Arc::clone(strings));
        let (default_t, default_forms) = (default.clone(), default.clone());
        tera.register_function("t", move |kwargs: Kwargs, state: &State| {
            let key: &str = kwargs.must_get("key")?;
            let lang = kwargs
                .get::<String>("lang")?
                .or(state.get::<String>("lang")?)
                .unwrap_or_else(|| default_t.clone());
            let has_args = kwargs
                .iter()
                .any(|(k, _)| !matches!(k.as_str(), Some("key" | "lang")));
            if !has_args && let Some(text) = for_t.plain(&lang, key) {
                return Ok(text.clone());
            }
            let args = strings::args_from(
                kwargs
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), Some("key" | "lang")))
                    .filter_map(|(k, v)| Some((k.as_str()?, v))),
            );
            for_t
                .get(&lang, key, Some(&args))
                .map(tera::Value::from)
                .map_err(tera::Error::message)
        });
        tera.register_function("plural_forms", move |kwargs: Kwargs, state: &State| {
            let key: &str = kwargs.must_get("key")?;
            let lang = state
                .get::<String>("lang")?
                .unwrap_or_else(|| default_forms.clone());
            for_forms
                .plural_forms_value(&lang, key)
                .map_err(tera::Error::message)
        });
    };
    let mut templates =
        Templates::load(root, base_path, functions, &variants).map_err(Diagnostics)?;
    let sites = site_values(site, base_path, strings)?;
    if let Some(v) = sites.get(&default) {
        templates.set_global("site", v);
    }
    templates.set_global("config", &site.config);
    Ok(templates)
}

/// What templates receive as `site`, for each language; errors when a
/// menu links to a page that does not exist.
pub fn site_values(
    site: &Site,
    base_path: &str,
    strings: &Strings,
) -> Result<HashMap<String, tera::Value>, Diagnostics> {
    let mut out = HashMap::new();
    let mut errors = Diagnostics::default();
    for lang in site.config.languages() {
        match views::site_view(site, lang, base_path, strings) {
            Ok(v) => {
                out.insert(lang.code.clone(), tera::Value::from_serializable(&v));
            }
            Err(ds) => errors.extend(ds),
        }
    }
    if errors.0.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl Renderer<'_> {
    /// Renders `o` with its template.
    pub fn render(&self, o: &dyn Output) -> Result<String, Diagnostic> {
        if let Some(s) = o.direct(self) {
            return Ok(s);
        }
        self.templates.render(o.template(), &o.context(self))
    }

    /// Renders the Markdown `body` of a file in folder `dir` of `content/`.
    pub fn markdown(
        &self,
        body: &Body,
        file: &Path,
        dir: &str,
        lang: &str,
        collect_text: bool,
    ) -> Rendered {
        let links = links::SiteLinks {
            site: self.site,
            dir,
            base_path: self.base_path,
            lang,
        };
        markdown::render(
            &body.text,
            &markdown::Options {
                file,
                body_line: body.line,
                base_path: self.base_path,
                allow_unsafe_html: self.config.markdown.allow_unsafe_html,
                collect_text,
                words: self.strings.markdown_words(lang),
            },
            &links,
        )
    }

    /// A site path under the base path.
    pub fn url(&self, path: &str) -> String {
        url_for(self.base_path, path)
    }

    /// What listings show of page `i`. Made when a listing needs it and
    /// not kept: a large site's summaries would outweigh the site.
    pub fn summary(&self, i: usize) -> PageSummary {
        views::summarize(&self.site.pages[i], self.base_path, self.strings)
    }

    /// The summaries of `pages` as one Tera list.
    fn summary_list(&self, pages: &[usize]) -> tera::Value {
        let make = |p: usize| tera::Value::from_serializable(&self.summary(p));
        tera::Value::from(
            pages
                .iter()
                .map(|&p| match self.values {
                    Some(v) => v.summary(p, || make(p)),
                    None => make(p),
                })
                .collect::<Vec<_>>(),
        )
    }

    /// The theme's word `key` in `lang`, for what Rust writes itself
    /// (breadcrumbs, descriptions); the key is known to exist.
    pub fn word(&self, lang: &str, key: &str) -> String {
        self.strings.get(lang, key, None).unwrap_or_else(|e| e)
    }

    /// Home › … › section `s`.
    fn crumbs_for_section(&self, mut s: usize) -> Vec<Crumb> {
        let mut chain = Vec::new();
        let lang = self.site.sections[s].lang.clone();
        let home = self.word(&lang, "home");
        loop {
            let sec = &self.site.sections[s];
            let title = if sec.is_home() {
                home.as_str()
            } else {
                sec.title()
            };
            chain.push(Crumb {
                title: title.to_owned(),
                url: self.url(&sec.path),
            });
            match sec.parent {
                Some(p) => s = p,
                None => break,
            }
        }
        if !self.site.sections[s].is_home() {
            let home_path = self
                .config
                .language(&lang)
                .map_or("/".to_owned(), |l| l.home());
            chain.push(Crumb {
                title: home,
                url: self.url(&home_path),
            });
        }
        chain.reverse();
        chain
    }

    /// What every page template receives besides its own object: its
    /// language's `site`, `lang` and `dir`, and `translations` (the versions
    /// of this page in every language, for the language switcher and
    /// `hreflang` links; empty when there is only one).
    fn base_context(
        &self,
        lang: &str,
        path: &str,
        description: &str,
        crumbs: Vec<Crumb>,
        versions: &[(&str, &str)],
    ) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", lang);
        if let Some(site) = self.sites.get(lang) {
            ctx.insert_value("site", site.clone());
        }
        let language = self.config.language(lang);
        ctx.insert("dir", language.map_or("ltr", |l| l.dir()));
        let translations: Vec<views::Version> = if versions.len() > 1 {
            versions
                .iter()
                .filter_map(|(code, p)| {
                    let l = self.config.language(code)?;
                    Some(views::Version {
                        lang: l.code.clone(),
                        name: l.name.clone(),
                        url: self.url(p),
                        permalink: permalink(&self.config.base_url, p),
                        current: *code == lang,
                        is_default: l.is_default,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        ctx.insert("translations", &translations);
        ctx.insert("current_path", path);
        ctx.insert("description", description);
        ctx.insert("canonical", &permalink(&self.config.base_url, path));
        ctx.insert("breadcrumbs", &crumbs);
        ctx
    }
}

/// `base` (a map) with one more key. Tera's maps and lists are shared, so
/// this copies only the top level.
fn with_key(base: tera::Value, key: &str, value: tera::Value) -> tera::Value {
    let mut map: tera::Map = base.as_map().cloned().unwrap_or_default();
    map.insert(tera::value::Key::from(key.to_owned()), value);
    tera::Value::from(map)
}
