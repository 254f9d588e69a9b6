//! Tera setup: the default theme's templates are embedded in the binary, and
//! any file in the site's `templates/` folder overrides the built-in one of
//! the same name (or adds a new one). Templates are parsed once per build.

use crate::diagnostics::Diagnostic;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tera::{Context, ErrorKind, Kwargs, State, Tera};

macro_rules! theme_templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),*]
    };
}

/// The built-in templates: (name, source).
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = theme_templates!(
    "base.html",
    "home.html",
    "section.html",
    "medication.html",
    "article.html",
    "conditions.html",
    "condition.html",
    "404.html",
    "search.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "partials/meta.html",
    "partials/breadcrumb.html",
    "partials/toc.html",
    "partials/rating.html",
    "partials/visits.html",
    "partials/share.html",
    "partials/review_dates.html",
    "partials/sources.html",
    "partials/related.html",
    "partials/page_list.html",
    "partials/az.html",
    "partials/pagination.html",
    "partials/pagination_links.html",
    "partials/jsonld.html",
    "partials/alternates.html",
    "partials/languages.html",
    "partials/translation_notice.html",
);

macro_rules! theme_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../static/", $name)))),*]
    };
}

/// The built-in static files (CSS, JS, icon): (path in the output, bytes).
pub const BUILTIN_STATIC: &[(&str, &[u8])] = theme_static!(
    "css/medsite.css",
    "js/medsite.js",
    "js/search.js",
    "favicon.svg"
);

/// File extensions of templates in a site's `templates/` folder.
const TEMPLATE_EXTENSIONS: &[&str] = &["html", "xml", "txt", "json"];

/// The parsed templates of one site: one copy per language when the
/// caller folds each language's fixed words into the source (see
/// [`Templates::load`]).
pub struct Templates {
    /// (language code, templates); the first is used for any other.
    teras: Vec<(String, Tera)>,
    root: PathBuf,
    /// Template name → file shown in messages.
    files: HashMap<String, PathBuf>,
    /// Template name → the names it extends or includes.
    uses: HashMap<String, Vec<String>>,
}

/// A rewrite of a template's source for one language (words that never
/// change put in place of the calls that give them).
pub type Fold<'a> = &'a dyn Fn(&str) -> String;

impl Templates {
    /// Parses the built-in templates and the overrides in `root/templates`.
    /// `functions` registers the template functions medsite adds (such as
    /// `t()` for the theme's words) before any template is parsed. With
    /// `variants`, each language gets its own copy of the templates, every
    /// source passed through its fold; a page is rendered with the copy of
    /// its `lang`. Without, there is one copy, as written.
    pub fn load(
        root: &Path,
        base_path: &str,
        functions: impl Fn(&mut Tera),
        variants: &[(String, Fold)],
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut files: HashMap<String, PathBuf> = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, _)| {
                (
                    (*n).to_owned(),
                    PathBuf::from(format!("(built-in theme) {n}")),
                )
            })
            .collect();
        let mut sources: Vec<(String, String)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
            .collect();
        let mut overrides: Vec<(String, String)> = Vec::new();
        let dir = root.join("templates");
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0
                        || !crate::content::is_ignored_name(&e.file_name().to_string_lossy())
                })
                .flatten()
            {
                let ext = entry
                    .path()
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("");
                if !entry.file_type().is_file() || !TEMPLATE_EXTENSIONS.contains(&ext) {
                    continue;
                }
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                let display = PathBuf::from("templates").join(rel);
                let source = std::fs::read_to_string(entry.path()).map_err(|e| {
                    vec![
                        Diagnostic::error(&display, format!("cannot read the template: {e}"))
                            .with_help("save the template as UTF-8 text"),
                    ]
                })?;
                files.insert(name.clone(), display);
                overrides.push((name, source));
            }
        }
        let uses: HashMap<String, Vec<String>> = sources
            .iter()
            .chain(&overrides)
            .map(|(n, src)| (n.clone(), referenced(src)))
            .collect();
        sources.retain(|(n, _)| !overrides.iter().any(|(o, _)| o == n));
        sources.extend(overrides);
        let same: Fold = &|s: &str| s.to_owned();
        let default = [(String::new(), same)];
        let variants = if variants.is_empty() {
            &default[..]
        } else {
            variants
        };
        let mut teras = Vec::with_capacity(variants.len());
        for (lang, fold) in variants {
            let mut tera = Tera::new();
            functions(&mut tera);
            let base = base_path.to_owned();
            tera.register_filter("url", move |path: &str, _: Kwargs, _: &State| {
                crate::markdown::url_for(&base, path)
            });
            let folded: Vec<(String, String)> =
                sources.iter().map(|(n, s)| (n.clone(), fold(s))).collect();
            tera.add_raw_templates(folded.iter().map(|(n, s)| (n.as_str(), s.as_str())))
                .map_err(|e| vec![diagnostic(&e, &files, Some(root))])?;
            teras.push((lang.clone(), tera));
        }
        Ok(Templates {
            uses,
            teras,
            files,
            root: root.to_path_buf(),
        })
    }

    /// The templates for a page in `lang`.
    fn tera_for(&self, lang: Option<&str>) -> &Tera {
        // `load` always makes at least one copy.
        let i = lang
            .and_then(|l| self.teras.iter().position(|(code, _)| code == l))
            .unwrap_or(0);
        &self.teras[i].1
    }

    /// Sets values every template sees (`site`, `config`).
    pub fn set_global(&mut self, key: &'static str, value: &impl serde::Serialize) {
        for (_, tera) in &mut self.teras {
            tera.global_context().insert(key, value);
        }
    }

    /// The templates that use any of `changed` (by `extends` or `include`,
    /// directly or through others), `changed` included.
    pub fn dependents(&self, changed: &[String]) -> std::collections::HashSet<String> {
        let mut out: std::collections::HashSet<String> = changed.iter().cloned().collect();
        loop {
            let before = out.len();
            for (name, used) in &self.uses {
                if used.iter().any(|u| out.contains(u)) {
                    out.insert(name.clone());
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    /// Whether `name` is the built-in theme's template, not a site's own.
    pub fn is_builtin(&self, name: &str) -> bool {
        self.files
            .get(name)
            .is_some_and(|f| f.to_string_lossy().starts_with("(built-in theme) "))
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera_for(None).contains_template(name)
    }

    /// Renders `name` with `context`.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        let lang = context.get("lang").and_then(|v| v.as_str());
        self.tera_for(lang)
            .render(name, context)
            .map_err(|e| diagnostic(&e, &self.files, Some(&self.root)))
    }
}

/// A Tera error as a diagnostic naming the template file and line.
fn diagnostic(
    e: &tera::Error,
    files: &HashMap<String, PathBuf>,
    root: Option<&Path>,
) -> Diagnostic {
    let shown = |name: &str| -> PathBuf {
        files
            .get(name)
            .cloned()
            .or_else(|| {
                files
                    .iter()
                    .find(|(_, p)| Path::new(name).ends_with(p.as_path()))
                    .map(|(_, p)| p.clone())
            })
            .unwrap_or_else(|| PathBuf::from(name))
    };
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let file = shown(r.filename());
            let span = r.span();
            let mut d = Diagnostic::error(file, format!("template error: {}", r.message()));
            d.line = span.start_line;
            d.column = span.start_col + 1;
            if let Some(src) = template_source(&d.file, root) {
                d.snippet = crate::diagnostics::source_line(&src, d.line).map(str::to_owned);
            }
            d.with_help("see the list of template variables in docs/templates.md")
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            shown(current),
            format!("template `{current}` extends `{parent}`, which does not exist"),
        )
        .with_help("check the name in {% extends \"...\" %}"),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error("templates", format!("the template `{name}` does not exist"))
        }
        _ => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                src = s.source();
            }
            // Some errors (unknown filters, functions, includes) come as a
            // ready-made report: "error: ...\n --> name:line:col\n ...".
            match report_location(&msg) {
                Some((first, name, line, col)) => {
                    let mut d = Diagnostic::error(shown(&name), format!("template error: {first}"));
                    d.line = line;
                    d.column = col;
                    d.snippet = template_source(&d.file, root).and_then(|src| {
                        crate::diagnostics::source_line(&src, line).map(str::to_owned)
                    });
                    d.with_help("see the list of template variables, filters and functions in docs/templates.md")
                }
                None => Diagnostic::error("templates", format!("template error: {msg}")),
            }
        }
    }
}

/// The text of a template, by the file name shown in messages.
fn template_source(file: &Path, root: Option<&Path>) -> Option<String> {
    let shown = file.to_string_lossy();
    match shown.strip_prefix("(built-in theme) ") {
        Some(name) => BUILTIN_TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| (*s).to_owned()),
        None => root.and_then(|r| std::fs::read_to_string(r.join(file)).ok()),
    }
}

/// Reads the message and the ` --> name:line:col` line out of a report.
fn report_location(report: &str) -> Option<(String, String, usize, usize)> {
    let first = report
        .lines()
        .next()?
        .trim()
        .trim_start_matches("error:")
        .trim()
        .to_owned();
    let loc = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .filter(|l| l.contains(':'))?;
    let mut parts = loc.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    let name = parts.next()?.to_owned();
    Some((first, name, line, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_location_of_a_ready_made_report() {
        let r = "error: Unknown filter `shout`\n --> medication.html:3:21\n  |\n3 | x\n";
        assert_eq!(
            report_location(r),
            Some((
                "Unknown filter `shout`".to_owned(),
                "medication.html".to_owned(),
                3,
                21
            ))
        );
        assert_eq!(report_location("no location here"), None);
    }
}

/// The names a template extends or includes: `{% extends "x" %}`, `{% include "y" %}`.
fn referenced(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["extends", "include"] {
        let mut rest = src;
        while let Some(i) = rest.find(tag) {
            rest = &rest[i + tag.len()..];
            let t = rest.trim_start();
            if let Some(q) = t.chars().next().filter(|c| *c == '"' || *c == '\'')
                && let Some(end) = t[1..].find(q)
            {
                out.push(t[1..1 + end].to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod dependency_tests {
    use super::*;

    #[test]
    fn dependents_follow_includes_and_extends() {
        let t = Templates::load(
            Path::new("/nonexistent"),
            "/",
            |tera| {
                tera.register_function("t", |_: Kwargs, _: &State| String::new());
                tera.register_function("plural_forms", |_: Kwargs, _: &State| String::new());
            },
            &[],
        )
        .unwrap();
        let d = t.dependents(&["partials/share.html".to_owned()]);
        assert!(
            d.contains("medication.html") && d.contains("article.html"),
            "{d:?}"
        );
        assert!(
            !d.contains("section.html") && !d.contains("sitemap.xml"),
            "{d:?}"
        );
        let d = t.dependents(&["base.html".to_owned()]);
        assert!(d.contains("section.html") && d.contains("404.html") && !d.contains("robots.txt"));
    }
}
