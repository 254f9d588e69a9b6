//! Rendering: every file medsite writes from a template is an [`Output`]
//! (one small type per target in [`targets`]) that knows its template, its
//! output path and its context. The [`Renderer`] holds what all outputs
//! share (the site, the parsed templates, listing summaries) and turns an
//! output into bytes. Also the view models ([`views`]), JSON-LD and the
//! link resolver the Markdown step uses.
//!
//! Not for deciding what to render when (the build and its incremental
//! session do that), nor for writing files (the output module does).

pub mod jsonld;
pub mod links;
pub mod targets;
pub mod views;

use crate::config::Config;
use crate::content::{Body, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered, url_for};
use crate::templates::Templates;
use rayon::prelude::*;
use std::path::Path;
use tera::Context;
use views::{Crumb, PageSummary, permalink};

/// A file written from a template.
pub trait Output: Sync {
    /// The template it is rendered with (`medication.html`).
    fn template(&self) -> &'static str;
    /// Where it goes, relative to the output folder.
    fn file(&self) -> &str;
    /// What the template receives.
    fn context(&self, r: &Renderer) -> Context;
}

/// What every output of one build shares.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub templates: &'a Templates,
    pub base_path: &'a str,
    /// Each page as listings show it, in page order.
    pub summaries: &'a [PageSummary],
    /// The same, converted for Tera once (listings share them).
    pub summary_values: &'a [tera::Value],
}

/// Parses the templates and gives them `site` and `config`.
pub fn load_templates(root: &Path, site: &Site, base_path: &str) -> Result<Templates, Diagnostics> {
    let mut templates = Templates::load(root, base_path).map_err(Diagnostics)?;
    let site_view = views::site_view(&site.config, site, base_path).map_err(Diagnostics)?;
    templates.set_global("site", &site_view);
    templates.set_global("config", &site.config);
    Ok(templates)
}

/// Each page's summary, plain and converted for Tera.
pub fn summaries(site: &Site, base_path: &str) -> (Vec<PageSummary>, Vec<tera::Value>) {
    let plain: Vec<PageSummary> = site
        .pages
        .par_iter()
        .map(|p| views::summarize(p, base_path))
        .collect();
    let values = plain
        .par_iter()
        .map(tera::Value::from_serializable)
        .collect();
    (plain, values)
}

impl Renderer<'_> {
    /// Renders `o` with its template.
    pub fn render(&self, o: &dyn Output) -> Result<String, Diagnostic> {
        self.templates.render(o.template(), &o.context(self))
    }

    /// Renders the Markdown `body` of a file in folder `dir` of `content/`.
    pub fn markdown(&self, body: &Body, file: &Path, dir: &str, collect_text: bool) -> Rendered {
        let links = links::SiteLinks {
            site: self.site,
            dir,
            base_path: self.base_path,
        };
        markdown::render(
            &body.text,
            &markdown::Options {
                file,
                body_line: body.line,
                base_path: self.base_path,
                allow_unsafe_html: self.config.markdown.allow_unsafe_html,
                collect_text,
            },
            &links,
        )
    }

    /// A site path under the base path.
    pub fn url(&self, path: &str) -> String {
        url_for(self.base_path, path)
    }

    /// The summaries of `pages` as one Tera list, without converting them again.
    fn summary_list(&self, pages: &[usize]) -> tera::Value {
        tera::Value::from(
            pages
                .iter()
                .map(|&p| self.summary_values[p].clone())
                .collect::<Vec<_>>(),
        )
    }

    /// Home › … › section `s`.
    fn crumbs_for_section(&self, mut s: usize) -> Vec<Crumb> {
        let mut chain = Vec::new();
        loop {
            let sec = &self.site.sections[s];
            let title = if sec.is_home() { "Home" } else { sec.title() };
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
            chain.push(Crumb {
                title: "Home".into(),
                url: self.base_path.to_owned(),
            });
        }
        chain.reverse();
        chain
    }

    /// What every page template receives besides its own object.
    fn base_context(
        &self,
        lang: &str,
        path: &str,
        description: &str,
        crumbs: Vec<Crumb>,
    ) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", lang);
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
