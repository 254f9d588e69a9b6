//! The build pipeline: config → content → Markdown → templates → staging
//! folder → output. Pages render in parallel; every problem of every file is
//! collected and reported together; the output is replaced only on success.

use crate::config::Config;
use crate::content::front_matter::{Date, PageKind};
use crate::content::{CONDITIONS_PATH, LoadOptions, Page, Site, Target};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, AnchorCheck, RESERVED_IDS, TocEntry, url_for};
use crate::output::Staging;
use crate::templates::{BUILTIN_STATIC, Templates};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tera::Context;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (with `site.toml` and `content/`).
    pub root: PathBuf,
    /// Output folder; `root/site` by default.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Include draft pages.
    pub drafts: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub medication_pages: usize,
    pub article_pages: usize,
    pub sections: usize,
    pub conditions: usize,
    pub files_written: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    /// The time of each step, for `--timings`.
    pub fn timings_table(&self) -> String {
        let mut s = String::from("Timings:\n");
        for (name, d) in &self.timings {
            s.push_str(&format!(
                "  {name:<32} {:>8.1} ms\n",
                d.as_secs_f64() * 1000.0
            ));
        }
        s
    }

    /// A one-screen summary for the terminal.
    pub fn summary(&self) -> String {
        let pages = self.medication_pages + self.article_pages;
        const SHOWN: usize = 20;
        let mut s = String::new();
        for w in self.warnings.iter().take(SHOWN) {
            s.push_str(&w.to_string());
            s.push('\n');
        }
        if self.warnings.len() > SHOWN {
            s.push_str(&format!(
                "... and {} more warnings; `medsite check` lists them all, grouped by page.\n\n",
                self.warnings.len() - SHOWN
            ));
        }
        s.push_str(&format!(
            "Built {} in {} ms\n  pages       {pages} ({} medication, {} article)\n  sections    {}\n  conditions  {}\n  files       {}\n  warnings    {}\n",
            self.output.display(),
            self.elapsed.as_millis(),
            self.medication_pages,
            self.article_pages,
            self.sections,
            self.conditions,
            self.files_written,
            self.warnings.len(),
        ));
        s
    }
}

/// A checked date for templates: `{iso: "2026-11-01", text: "1 November 2026"}`.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

fn date_view(d: Option<Date>) -> Option<DateView> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    d.map(|d| DateView {
        iso: d.to_string(),
        text: format!(
            "{} {} {}",
            d.day(),
            MONTHS[(d.month() - 1) as usize],
            d.year()
        ),
    })
}

/// A page as listings show it.
#[derive(Debug, Clone, Serialize)]
pub struct PageSummary {
    pub title: String,
    pub url: String,
    pub path: String,
    pub kind: PageKind,
    pub summary: String,
    pub generic_name: Option<String>,
    pub brand_names: Vec<String>,
    pub last_reviewed: Option<DateView>,
}

#[derive(Debug, Clone, Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Debug, Clone, Serialize)]
struct ConditionLink {
    name: String,
    url: String,
}

#[derive(Debug, Clone, Serialize)]
struct SourceView {
    title: String,
    url: Option<String>,
    publisher: Option<String>,
    accessed: Option<String>,
}

/// Everything a page template receives as `page`.
#[derive(Debug, Serialize)]
struct PageView<'a> {
    title: &'a str,
    kind: PageKind,
    file: &'a str,
    path: &'a str,
    url: String,
    permalink: String,
    summary: &'a str,
    content: String,
    toc: Vec<TocEntry>,
    word_count: usize,
    reading_minutes: usize,
    lang: &'a str,
    draft: bool,
    weight: Option<i64>,
    generic_name: Option<&'a str>,
    brand_names: &'a [String],
    atc_code: Option<&'a str>,
    drug_class: Option<&'a str>,
    forms: &'a [String],
    conditions: Vec<ConditionLink>,
    last_reviewed: Option<DateView>,
    next_review: Option<DateView>,
    reviewed_by: Option<&'a str>,
    sources: Vec<SourceView>,
    related: Vec<PageSummary>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    share_mailto: String,
    jsonld: String,
}

#[derive(Debug, Serialize)]
struct SectionView<'a> {
    title: &'a str,
    path: &'a str,
    url: String,
    permalink: String,
    summary: &'a str,
    content: String,
    toc: Vec<TocEntry>,
    subsections: Vec<SectionSummary>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
struct SectionSummary {
    title: String,
    url: String,
    summary: String,
    page_count: usize,
}

#[derive(Debug, Serialize)]
struct MenuView {
    title: String,
    url: String,
    path: String,
}

#[derive(Debug, Serialize)]
struct FeedbackView<'a> {
    enabled: bool,
    endpoint: &'a str,
}

/// Everything templates receive as `site`.
#[derive(Debug, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: String,
    language: &'a str,
    publisher: Option<&'a str>,
    menu: Vec<MenuView>,
    feedback: FeedbackView<'a>,
    conditions_url: String,
    condition_count: usize,
    sitemap_url: String,
    generator: &'static str,
}

#[derive(Debug, Serialize)]
struct Crumb {
    title: String,
    url: String,
}

struct Renderer<'a> {
    site: &'a Site,
    config: &'a Config,
    templates: &'a Templates,
    staging: &'a Staging,
    base_path: &'a str,
    summaries: &'a [PageSummary],
    /// The same, converted for Tera once (listings share them).
    summary_values: &'a [tera::Value],
    /// Every file the build renders (pages, listings, sitemap...).
    generated: &'a HashSet<String>,
}

/// Per-file outcome of rendering: the ids it defines, links to check, problems.
#[derive(Default)]
struct Outcome {
    target: Option<Target>,
    /// What the checks need from a page's body.
    scan: Option<crate::checks::body::Scan>,
    ids: Vec<String>,
    checks: Vec<AnchorCheck>,
    diagnostics: Vec<Diagnostic>,
    files: usize,
}

/// Builds the site in `opts.root`.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let root = &opts.root;
    let mut config = Config::load(root).map_err(Diagnostics)?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url);
    }
    let output = opts.output.clone().unwrap_or_else(|| root.join("site"));
    check_output_location(root, &output).map_err(|d| Diagnostics(vec![d]))?;

    let mut session = Session::load_with(opts, config)?;
    let staging = Staging::new(&output).map_err(|d| Diagnostics(vec![d]))?;
    let (mut diags, files) = session.render_all_once(&staging);
    let site = &session.site;
    dedupe(&mut diags);
    if diags.has_errors() {
        drop(staging);
        return Err(diags);
    }
    let t = Instant::now();
    staging.commit().map_err(|d| Diagnostics(vec![d]))?;
    let mut timings = session.timings.clone();
    timings.push(("swap into place", t.elapsed()));
    let medication_pages = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Medication)
        .count();
    let report = BuildReport {
        output,
        medication_pages,
        article_pages: site.pages.len() - medication_pages,
        sections: site.sections.len(),
        conditions: site.conditions.len(),
        files_written: files,
        warnings: diags.0,
        elapsed: start.elapsed(),
        timings,
    };
    // Freeing tens of thousands of small allocations takes a while; the
    // report does not need to wait for it (and a command that exits next
    // does not wait at all).
    std::thread::spawn(move || drop(session));
    Ok(report)
}

/// A loaded site ready to render: what `build` does once, and what the dev
/// server keeps between rebuilds so that editing one page re-renders only
/// that page.
pub struct Session {
    pub opts: BuildOptions,
    pub config: Config,
    pub site: Site,
    templates: Templates,
    base_path: String,
    summaries: Vec<PageSummary>,
    summary_values: Vec<tera::Value>,
    generated: HashSet<String>,
    /// Heading ids of every page and section after the last render.
    ids: std::collections::HashMap<Target, Vec<String>>,
    /// How long each step took (`medsite build --timings`).
    pub timings: Vec<(&'static str, Duration)>,
}

/// What re-rendering one page did.
pub enum PageUpdate {
    /// Only the body changed: the page was re-rendered in place.
    Rendered(Diagnostics),
    /// The front matter changed (or the page is new): a full build is needed.
    NeedsFullBuild,
}

impl Session {
    /// Reads `site.toml`, the content and the templates.
    pub fn load(opts: &BuildOptions) -> Result<Session, Diagnostics> {
        let mut config = Config::load(&opts.root).map_err(Diagnostics)?;
        if let Some(url) = &opts.base_url {
            config.set_base_url(url);
        }
        Session::load_with(opts, config)
    }

    fn load_with(opts: &BuildOptions, config: Config) -> Result<Session, Diagnostics> {
        let root = &opts.root;
        let t = Instant::now();
        let site = Site::load(
            root,
            config.clone(),
            &LoadOptions {
                drafts: opts.drafts,
            },
        )?;
        let mut timings = vec![("read and parse content", t.elapsed())];
        let t = Instant::now();
        let base_path = config.base_path();
        let templates = load_templates(root, &config, &site, &base_path)?;
        timings.push(("parse templates", t.elapsed()));
        let summaries: Vec<PageSummary> = site
            .pages
            .par_iter()
            .map(|p| summarize(p, &base_path))
            .collect();
        let summary_values = summaries
            .par_iter()
            .map(tera::Value::from_serializable)
            .collect();
        let generated = generated_files(&site);
        Ok(Session {
            opts: opts.clone(),
            config,
            site,
            templates,
            base_path,
            summaries,
            summary_values,
            generated,
            ids: std::collections::HashMap::new(),
            timings,
        })
    }

    fn renderer<'a>(&'a self, staging: &'a Staging) -> Renderer<'a> {
        Renderer {
            site: &self.site,
            config: &self.config,
            templates: &self.templates,
            staging,
            base_path: &self.base_path,
            summaries: &self.summaries,
            summary_values: &self.summary_values,
            generated: &self.generated,
        }
    }

    /// Renders every page, listing and static file into `staging`; returns
    /// every problem found and the number of files written.
    pub fn render_all(&mut self, staging: &Staging) -> (Diagnostics, usize) {
        self.render(staging, true)
    }

    /// [`Session::render_all`] for a one-off build: each page's Markdown is
    /// freed as soon as the page is written, which keeps the peak memory of
    /// large sites down. The session cannot render those pages again.
    pub fn render_all_once(&mut self, staging: &Staging) -> (Diagnostics, usize) {
        self.render(staging, false)
    }

    fn render(&mut self, staging: &Staging, keep_bodies: bool) -> (Diagnostics, usize) {
        let bodies: Vec<String> = if keep_bodies {
            Vec::new()
        } else {
            self.site
                .pages
                .iter_mut()
                .map(|p| std::mem::take(&mut p.body))
                .collect()
        };
        let site = &self.site;
        let r = self.renderer(staging);
        let mut timings = Vec::new();
        let mut diags = Diagnostics::default();
        diags.extend(site.diagnostics.iter().cloned());
        // The cheap health-content checks, as warnings: `medsite check`
        // is where they count as errors.
        // Each page is rendered, then given the cheap health-content checks
        // (as warnings: `medsite check` is where they count as errors)
        // while its body and the scan of its Markdown pass are at hand.
        let t = Instant::now();
        let checker = crate::checks::PageChecker::new(site);
        let render_and_check = |i: usize, body: &str| {
            let mut o = r.page_with_body(i, body);
            if let Some(scan) = o.scan.take() {
                o.diagnostics
                    .extend(checker.page(i, body, &scan).into_iter().map(as_warning));
            }
            o
        };
        let page_outcomes: Vec<Outcome> = if keep_bodies {
            (0..site.pages.len())
                .into_par_iter()
                .map(|i| render_and_check(i, &site.pages[i].body))
                .collect()
        } else {
            bodies
                .into_par_iter()
                .enumerate()
                .map(|(i, body)| render_and_check(i, &body))
                .collect()
        };
        diags.extend(checker.sections().into_iter().map(as_warning));
        timings.push(("render, write and check pages", t.elapsed()));
        let t = Instant::now();
        let section_outcomes: Vec<Outcome> = (0..site.sections.len())
            .into_par_iter()
            .map(|i| r.section(i))
            .collect();
        let mut extra: Vec<Outcome> = (0..site.conditions.len())
            .into_par_iter()
            .map(|i| r.condition(i))
            .collect();
        extra.push(r.conditions_list());
        extra.push(r.simple("404.html", "404.html", "Page not found"));
        extra.push(r.sitemap());
        extra.push(r.robots());
        timings.push(("listings, conditions, sitemap", t.elapsed()));
        let t = Instant::now();
        extra.push(r.static_files(&self.opts.root));
        timings.push(("static files", t.elapsed()));
        let t = Instant::now();

        let mut ids: std::collections::HashMap<Target, Vec<String>> =
            std::collections::HashMap::new();
        for o in page_outcomes.iter().chain(&section_outcomes) {
            if let Some(t) = o.target {
                ids.insert(t, o.ids.clone());
            }
        }
        let mut files = 0;
        for o in page_outcomes.iter().chain(&section_outcomes).chain(&extra) {
            files += o.files;
            diags.extend(o.diagnostics.iter().cloned());
            check_anchors(o, &ids, &mut diags);
        }
        timings.push(("link checks", t.elapsed()));
        self.ids = ids;
        self.timings.extend(timings);
        (diags, files)
    }

    /// Re-reads the page `rel` (`medications/ilaris.md`) and, when only its
    /// body changed, re-renders it into `out` in place.
    pub fn update_page(&mut self, rel: &str, out: &Path) -> PageUpdate {
        let Some(&Target::Page(i)) = self.site.by_file.get(rel) else {
            return PageUpdate::NeedsFullBuild;
        };
        let (meta, body, body_line) = match self.site.reread_page(i) {
            Ok(x) => x,
            Err(ds) => return PageUpdate::Rendered(Diagnostics(ds)),
        };
        let same_meta =
            serde_json::to_value(&meta).ok() == serde_json::to_value(&self.site.pages[i].meta).ok();
        if !same_meta {
            return PageUpdate::NeedsFullBuild;
        }
        self.site.pages[i].body = body;
        self.site.pages[i].body_line = body_line;
        let staging = Staging::in_place(out);
        let outcome = self.renderer(&staging).page(i);
        let mut diags = Diagnostics::default();
        diags.extend(outcome.diagnostics.iter().cloned());
        self.ids.insert(Target::Page(i), outcome.ids.clone());
        check_anchors(&outcome, &self.ids, &mut diags);
        diags.sort();
        PageUpdate::Rendered(diags)
    }

    /// Parses the templates again after `changed` (names such as
    /// `partials/rating.html`) changed, and re-renders into `out` only what
    /// uses them.
    pub fn update_templates(&mut self, changed: &[String], out: &Path) -> Diagnostics {
        match load_templates(&self.opts.root, &self.config, &self.site, &self.base_path) {
            Ok(t) => self.templates = t,
            Err(d) => return d,
        }
        let affected = self.templates.dependents(changed);
        let staging = Staging::in_place(out);
        let r = self.renderer(&staging);
        let site = &self.site;
        let uses = |name: &str| affected.contains(name);
        let mut outcomes: Vec<Outcome> = (0..site.pages.len())
            .into_par_iter()
            .filter(|&i| match site.pages[i].kind {
                PageKind::Medication => uses("medication.html"),
                PageKind::Article => uses("article.html"),
            })
            .map(|i| r.page(i))
            .collect();
        outcomes.extend(
            (0..site.sections.len())
                .filter(|&i| {
                    uses(if site.sections[i].dir.is_empty() {
                        "home.html"
                    } else {
                        "section.html"
                    })
                })
                .map(|i| r.section(i)),
        );
        if uses("condition.html") {
            outcomes.extend((0..site.conditions.len()).map(|i| r.condition(i)));
        }
        if uses("conditions.html") {
            outcomes.push(r.conditions_list());
        }
        if uses("404.html") {
            outcomes.push(r.simple("404.html", "404.html", "Page not found"));
        }
        if uses("sitemap.xml") {
            outcomes.push(r.sitemap());
        }
        if uses("robots.txt") {
            outcomes.push(r.robots());
        }
        let mut diags = Diagnostics::default();
        for o in &outcomes {
            diags.extend(o.diagnostics.iter().cloned());
        }
        dedupe(&mut diags);
        diags
    }

    /// Copies one file of `static/` (or the theme's, when the site's was
    /// removed) into `out`.
    pub fn update_static(&self, rel: &str, out: &Path) -> Result<(), Diagnostic> {
        let staging = Staging::in_place(out);
        let src = self.opts.root.join("static").join(rel);
        if src.is_file() {
            return staging.copy(&src, rel);
        }
        match BUILTIN_STATIC.iter().find(|(n, _)| *n == rel) {
            Some((_, bytes)) => staging.write(rel, bytes),
            None => {
                if let Some(p) = crate::output::safe_join(out, rel) {
                    let _ = std::fs::remove_file(p);
                }
                Ok(())
            }
        }
    }

    /// Site paths of every page the site has (pages, sections, conditions).
    pub fn page_paths(&self) -> HashSet<String> {
        let mut set: HashSet<String> = self.site.pages.iter().map(|p| p.path.clone()).collect();
        set.extend(self.site.sections.iter().map(|s| s.path.clone()));
        set.extend(self.site.conditions.iter().map(|c| c.path.clone()));
        set.insert(CONDITIONS_PATH.to_owned());
        set
    }
}

/// Parses the templates and gives them `site` and `config`.
fn load_templates(
    root: &Path,
    config: &Config,
    site: &Site,
    base_path: &str,
) -> Result<Templates, Diagnostics> {
    let mut templates = Templates::load(root, base_path).map_err(Diagnostics)?;
    let menu = menu(site, base_path).map_err(Diagnostics)?;
    let site_view = SiteView {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        base_path: base_path.to_owned(),
        language: &config.language,
        publisher: config.publisher.as_deref(),
        menu,
        feedback: FeedbackView {
            enabled: config.feedback.enabled,
            endpoint: &config.feedback.endpoint,
        },
        conditions_url: url_for(base_path, CONDITIONS_PATH),
        condition_count: site.conditions.len(),
        sitemap_url: permalink(&config.base_url, "/sitemap.xml"),
        generator: concat!("medsite ", env!("CARGO_PKG_VERSION")),
    };
    templates.set_global("site", &site_view);
    templates.set_global("config", config);
    Ok(templates)
}

/// `base` (a map) with one more key. Tera's maps and lists are shared, so
/// this copies only the top level.
fn with_key(base: tera::Value, key: &str, value: tera::Value) -> tera::Value {
    let mut map: tera::Map = base.as_map().cloned().unwrap_or_default();
    map.insert(tera::value::Key::from(key.to_owned()), value);
    tera::Value::from(map)
}

/// Adds an error for every link to a heading that does not exist.
fn check_anchors(
    o: &Outcome,
    ids: &std::collections::HashMap<Target, Vec<String>>,
    diags: &mut Diagnostics,
) {
    for c in &o.checks {
        let target = c.target.or(o.target);
        let known = target
            .and_then(|t| ids.get(&t))
            .is_some_and(|ids| ids.contains(&c.fragment))
            || RESERVED_IDS.contains(&c.fragment.as_str())
            || c.fragment.starts_with("fn-")
            || c.fragment.starts_with("fnref");
        if !known {
            diags.push(c.diagnostic.clone());
        }
    }
}

fn generated_files(site: &Site) -> HashSet<String> {
    let mut set: HashSet<String> = site.pages.iter().map(|p| p.out.clone()).collect();
    set.extend(site.sections.iter().map(|s| s.out.clone()));
    set.extend(site.conditions.iter().map(|c| c.out.clone()));
    for f in [
        "conditions/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ] {
        set.insert(f.to_owned());
    }
    set
}

fn as_warning(mut d: Diagnostic) -> Diagnostic {
    d.severity = crate::diagnostics::Severity::Warning;
    d
}

/// A broken template fails every page that uses it: report it once, with
/// the number of pages.
fn dedupe(diags: &mut Diagnostics) {
    diags.sort();
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diags.0.len());
    for d in diags.0.drain(..) {
        match kept.last_mut() {
            Some(last)
                if last.line == d.line
                    && last.column == d.column
                    && last.file == d.file
                    && last.message == d.message =>
            {
                last.help = Some(bump_count(last.help.take()));
            }
            _ => kept.push(d),
        }
    }
    diags.0 = kept;
}

fn bump_count(help: Option<String>) -> String {
    const TAG: &str = " (the same problem occurred while rendering ";
    let help = help.unwrap_or_default();
    match help.find(TAG) {
        Some(i) => {
            let n: usize = help[i + TAG.len()..]
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            format!("{}{TAG}{} pages)", &help[..i], n + 1)
        }
        None => format!("{help}{TAG}2 pages)"),
    }
}

/// The output folder must not be the site folder, contain it, or lie inside
/// `content/`, `templates/` or `static/`: it is replaced on every build.
fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out
    };
    let (root, out) = (abs(root), abs(output));
    let protected = ["content", "templates", "static"].map(|d| root.join(d));
    if root.starts_with(&out) || protected.iter().any(|p| out.starts_with(p)) {
        return Err(Diagnostic::error(
            output,
            "this output folder would overwrite the site's own files",
        )
        .with_help(
            "the output folder is replaced on every build; use a folder of its own, such as `site`",
        ));
    }
    Ok(())
}

fn permalink(base_url: &str, path: &str) -> String {
    format!("{}{}", base_url, path.trim_start_matches('/'))
}

fn summarize(p: &Page, base_path: &str) -> PageSummary {
    PageSummary {
        title: p.title().to_owned(),
        url: url_for(base_path, &p.path),
        path: p.path.clone(),
        kind: p.kind,
        summary: p.meta.summary.clone().unwrap_or_default(),
        generic_name: p.meta.generic_name.clone(),
        brand_names: p.meta.brand_names.clone().unwrap_or_default(),
        last_reviewed: date_view(p.dates.last_reviewed),
    }
}

fn menu(site: &Site, base_path: &str) -> Result<Vec<MenuView>, Vec<Diagnostic>> {
    let config = &site.config;
    if config.menu.is_empty() {
        let home = &site.sections[site.home()];
        let mut items: Vec<MenuView> = home
            .subsections
            .iter()
            .map(|&s| {
                let s = &site.sections[s];
                MenuView {
                    title: s.title().to_owned(),
                    url: url_for(base_path, &s.path),
                    path: s.path.clone(),
                }
            })
            .collect();
        if !site.conditions.is_empty() {
            items.push(MenuView {
                title: "Conditions".into(),
                url: url_for(base_path, CONDITIONS_PATH),
                path: CONDITIONS_PATH.into(),
            });
        }
        for &p in &home.pages {
            let p = &site.pages[p];
            items.push(MenuView {
                title: p.title().to_owned(),
                url: url_for(base_path, &p.path),
                path: p.path.clone(),
            });
        }
        return Ok(items);
    }
    let mut errors = Vec::new();
    let mut items = Vec::new();
    for item in &config.menu {
        let link = item.link.trim();
        let (url, path) = if link.starts_with("http://") || link.starts_with("https://") {
            (link.to_owned(), String::new())
        } else if link.ends_with(".md") {
            match site.by_file.get(link.trim_start_matches('/')) {
                Some(&t) => (
                    url_for(base_path, site.path_of(t)),
                    site.path_of(t).to_owned(),
                ),
                None => {
                    errors.push(Diagnostic::error("site.toml", format!("the menu links to `{link}`, which is not a page in content/"))
                        .with_help("write the path of a file inside content/, e.g. `medications/_index.md`"));
                    continue;
                }
            }
        } else {
            (url_for(base_path, link), link.to_owned())
        };
        items.push(MenuView {
            title: item.title.clone(),
            url,
            path,
        });
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// JSON for a `<script>` element: `<` escaped so `</script>` cannot occur.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c")
}

impl Renderer<'_> {
    /// The summaries of `pages` as one Tera list, without converting them again.
    fn summary_list(&self, pages: &[usize]) -> tera::Value {
        tera::Value::from(
            pages
                .iter()
                .map(|&p| self.summary_values[p].clone())
                .collect::<Vec<_>>(),
        )
    }

    fn url(&self, path: &str) -> String {
        url_for(self.base_path, path)
    }

    fn crumbs_for_section(&self, mut s: usize) -> Vec<Crumb> {
        let mut chain = Vec::new();
        loop {
            let sec = &self.site.sections[s];
            let title = if sec.dir.is_empty() {
                "Home".to_owned()
            } else {
                sec.title().to_owned()
            };
            chain.push(Crumb {
                title,
                url: self.url(&sec.path),
            });
            match sec.parent {
                Some(p) => s = p,
                None => break,
            }
        }
        if !self.site.sections[s].dir.is_empty() {
            chain.push(Crumb {
                title: "Home".into(),
                url: self.base_path.to_owned(),
            });
        }
        chain.reverse();
        chain
    }

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

    fn markdown(
        &self,
        body: &str,
        file: &Path,
        dir: &str,
        body_line: usize,
        scan: bool,
    ) -> markdown::Rendered {
        markdown::render(
            body,
            &markdown::Context {
                site: self.site,
                file,
                dir,
                base_path: self.base_path,
                body_line,
                allow_unsafe_html: self.config.markdown.allow_unsafe_html,
                scan,
            },
        )
    }

    fn write(&self, out: &mut Outcome, rel: &str, html: Result<String, Diagnostic>) {
        match html.and_then(|h| self.staging.write(rel, h.as_bytes())) {
            Ok(()) => out.files += 1,
            Err(d) => out.diagnostics.push(d),
        }
    }

    fn page(&self, i: usize) -> Outcome {
        self.page_with_body(i, &self.site.pages[i].body)
    }

    /// Renders page `i` from `body` (its Markdown, which the caller may have
    /// taken out of the site to free it as soon as the page is written).
    fn page_with_body(&self, i: usize, body: &str) -> Outcome {
        let p = &self.site.pages[i];
        let md = self.markdown(
            body,
            &p.display,
            crate::content::dir_of(&p.rel),
            p.body_line,
            true,
        );
        let mut out = Outcome {
            target: Some(Target::Page(i)),
            scan: md.scan,
            ids: md.ids,
            checks: md.anchor_checks,
            diagnostics: md.diagnostics,
            files: 0,
        };
        if out.diagnostics.iter().any(Diagnostic::is_error) {
            return out;
        }
        let lang = p.meta.lang.as_deref().unwrap_or(&self.config.language);
        let permalink = permalink(&self.config.base_url, &p.path);
        let m = &p.meta;
        let sources: Vec<SourceView> = m
            .sources
            .iter()
            .flatten()
            .map(|s| SourceView {
                title: s.title.clone(),
                url: s.url.clone(),
                publisher: s.publisher.clone(),
                accessed: s.accessed.as_ref().map(|a| a.as_text()),
            })
            .collect();
        let conditions: Vec<ConditionLink> = p
            .conditions
            .iter()
            .map(|&c| {
                let c = &self.site.conditions[c];
                ConditionLink {
                    name: c.name.clone(),
                    url: self.url(&c.path),
                }
            })
            .collect();
        let jsonld = self.jsonld(p, &permalink, lang);
        let view = PageView {
            title: p.title(),
            kind: p.kind,
            file: &p.rel,
            path: &p.path,
            url: self.url(&p.path),
            permalink: permalink.clone(),
            summary: m.summary.as_deref().unwrap_or_default(),
            content: md.html,
            toc: md.toc,
            word_count: md.word_count,
            reading_minutes: md.word_count.div_ceil(200).max(1),
            lang,
            draft: m.draft,
            weight: m.weight,
            generic_name: m.generic_name.as_deref(),
            brand_names: m.brand_names.as_deref().unwrap_or_default(),
            atc_code: m.atc_code.as_deref(),
            drug_class: m.drug_class.as_deref(),
            forms: m.forms.as_deref().unwrap_or_default(),
            conditions,
            last_reviewed: date_view(p.dates.last_reviewed),
            next_review: date_view(p.dates.next_review),
            reviewed_by: m.reviewed_by.as_deref(),
            sources,
            related: p
                .related
                .iter()
                .map(|&r| self.summaries[r].clone())
                .collect(),
            extra: &m.extra,
            share_mailto: format!(
                "mailto:?subject={}&body={}",
                percent_encode(p.title()),
                percent_encode(&format!("{}: {permalink}", p.title()))
            ),
            jsonld,
        };
        let section = &self.site.sections[p.section];
        let mut crumbs = self.crumbs_for_section(p.section);
        crumbs.push(Crumb {
            title: p.title().to_owned(),
            url: self.url(&p.path),
        });
        let mut ctx = self.base_context(
            lang,
            &p.path,
            m.summary.as_deref().unwrap_or_default(),
            crumbs,
        );
        ctx.insert("page", &view);
        ctx.insert(
            "section",
            &Link {
                title: section.title().to_owned(),
                url: self.url(&section.path),
            },
        );
        let template = match p.kind {
            PageKind::Medication => "medication.html",
            PageKind::Article => "article.html",
        };
        self.write(&mut out, &p.out, self.templates.render(template, &ctx));
        out
    }

    fn jsonld(&self, p: &Page, permalink: &str, lang: &str) -> String {
        let m = &p.meta;
        let mut v = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": p.title(),
            "url": permalink,
            "inLanguage": lang,
        });
        if let Some(s) = &m.summary {
            v["description"] = s.as_str().into();
        }
        if let Some(d) = p.dates.last_reviewed {
            v["lastReviewed"] = d.to_string().into();
        }
        if let Some(r) = &m.reviewed_by {
            v["reviewedBy"] = serde_json::json!({"@type": "Organization", "name": r});
        }
        if let Some(publisher) = &self.config.publisher {
            v["publisher"] = serde_json::json!({"@type": "Organization", "name": publisher});
        }
        if p.kind == PageKind::Medication {
            let mut drug = serde_json::json!({"@type": "Drug", "name": m.generic_name, "nonProprietaryName": m.generic_name});
            if let Some(b) = m.brand_names.as_ref().filter(|b| !b.is_empty()) {
                drug["proprietaryName"] = if b.len() == 1 {
                    b[0].clone().into()
                } else {
                    b.clone().into()
                };
            }
            if let Some(code) = &m.atc_code {
                drug["code"] = serde_json::json!({"@type": "MedicalCode", "codeValue": code, "codingSystem": "ATC"});
            }
            if let Some(class) = &m.drug_class {
                drug["drugClass"] = serde_json::json!({"@type": "DrugClass", "name": class});
            }
            v["about"] = drug;
        }
        let citations: Vec<serde_json::Value> = m
            .sources
            .iter()
            .flatten()
            .map(|s| {
                let mut c = serde_json::json!({"@type": "CreativeWork", "name": s.title});
                if let Some(u) = &s.url {
                    c["url"] = u.as_str().into();
                }
                c
            })
            .collect();
        if !citations.is_empty() {
            v["citation"] = citations.into();
        }
        script_json(&v)
    }

    fn section(&self, i: usize) -> Outcome {
        let s = &self.site.sections[i];
        let md = self.markdown(&s.body, &s.display, &s.dir, s.body_line, false);
        let mut out = Outcome {
            target: Some(Target::Section(i)),
            scan: None,
            ids: md.ids,
            checks: md.anchor_checks,
            diagnostics: md.diagnostics,
            files: 0,
        };
        if out.diagnostics.iter().any(Diagnostic::is_error) {
            return out;
        }
        let view = SectionView {
            title: s.title(),
            path: &s.path,
            url: self.url(&s.path),
            permalink: permalink(&self.config.base_url, &s.path),
            summary: s.meta.summary.as_deref().unwrap_or_default(),
            content: md.html,
            toc: md.toc,
            subsections: s
                .subsections
                .iter()
                .map(|&c| {
                    let c = &self.site.sections[c];
                    SectionSummary {
                        title: c.title().to_owned(),
                        url: self.url(&c.path),
                        summary: c.meta.summary.clone().unwrap_or_default(),
                        page_count: c.pages.len(),
                    }
                })
                .collect(),
            extra: &s.meta.extra,
        };
        let lang = s.meta.lang.as_deref().unwrap_or(&self.config.language);
        let crumbs = if s.dir.is_empty() {
            Vec::new()
        } else {
            self.crumbs_for_section(i)
        };
        let mut ctx = self.base_context(lang, &s.path, view.summary, crumbs);
        ctx.insert_value(
            "section",
            with_key(
                tera::Value::from_serializable(&view),
                "pages",
                self.summary_list(&s.pages),
            ),
        );
        let template = if s.dir.is_empty() {
            "home.html"
        } else {
            "section.html"
        };
        self.write(&mut out, &s.out, self.templates.render(template, &ctx));
        out
    }

    /// Home › Conditions.
    fn conditions_crumbs(&self) -> Vec<Crumb> {
        vec![
            Crumb {
                title: "Home".into(),
                url: self.base_path.to_owned(),
            },
            Crumb {
                title: "Conditions".into(),
                url: self.url(CONDITIONS_PATH),
            },
        ]
    }

    fn condition(&self, i: usize) -> Outcome {
        let c = &self.site.conditions[i];
        let mut crumbs = self.conditions_crumbs();
        crumbs.push(Crumb {
            title: c.name.clone(),
            url: self.url(&c.path),
        });
        let description = format!("Medicines used for {}", c.name);
        let mut ctx = self.base_context(&self.config.language, &c.path, &description, crumbs);
        let condition =
            serde_json::json!({"name": c.name, "slug": c.slug, "url": self.url(&c.path)});
        ctx.insert_value(
            "condition",
            with_key(
                tera::Value::from_serializable(&condition),
                "pages",
                self.summary_list(&c.pages),
            ),
        );
        let mut out = Outcome::default();
        self.write(
            &mut out,
            &c.out,
            self.templates.render("condition.html", &ctx),
        );
        out
    }

    fn conditions_list(&self) -> Outcome {
        let crumbs = self.conditions_crumbs();
        let mut ctx = self.base_context(
            &self.config.language,
            CONDITIONS_PATH,
            "Medicines by the condition they are used for",
            crumbs,
        );
        let list: Vec<serde_json::Value> = self
            .site
            .conditions
            .iter()
            .map(|c| serde_json::json!({"name": c.name, "slug": c.slug, "url": self.url(&c.path), "count": c.pages.len()}))
            .collect();
        ctx.insert("conditions", &list);
        let mut out = Outcome::default();
        self.write(
            &mut out,
            "conditions/index.html",
            self.templates.render("conditions.html", &ctx),
        );
        out
    }

    fn simple(&self, template: &str, rel: &str, description: &str) -> Outcome {
        let mut ctx = self.base_context(&self.config.language, "", description, Vec::new());
        ctx.insert("canonical", "");
        let mut out = Outcome::default();
        self.write(&mut out, rel, self.templates.render(template, &ctx));
        out
    }

    fn sitemap(&self) -> Outcome {
        #[derive(Serialize)]
        struct Entry {
            loc: String,
            lastmod: Option<String>,
        }
        let base = &self.config.base_url;
        let mut entries: Vec<Entry> = Vec::new();
        for s in &self.site.sections {
            entries.push(Entry {
                loc: permalink(base, &s.path),
                lastmod: None,
            });
        }
        for p in &self.site.pages {
            entries.push(Entry {
                loc: permalink(base, &p.path),
                lastmod: p.dates.last_reviewed.map(|d| d.to_string()),
            });
        }
        entries.push(Entry {
            loc: permalink(base, CONDITIONS_PATH),
            lastmod: None,
        });
        for c in &self.site.conditions {
            entries.push(Entry {
                loc: permalink(base, &c.path),
                lastmod: None,
            });
        }
        let mut ctx = Context::new();
        ctx.insert("entries", &entries);
        let mut out = Outcome::default();
        self.write(
            &mut out,
            "sitemap.xml",
            self.templates.render("sitemap.xml", &ctx),
        );
        out
    }

    fn robots(&self) -> Outcome {
        let mut out = Outcome::default();
        self.write(
            &mut out,
            "robots.txt",
            self.templates.render("robots.txt", &Context::new()),
        );
        out
    }

    /// The theme's files, then the site's `static/` (which wins), then the
    /// files next to pages in `content/`.
    fn static_files(&self, root: &Path) -> Outcome {
        let mut out = Outcome::default();
        let dir = root.join("static");
        let mut overridden = HashSet::new();
        let mut copies: Vec<(PathBuf, String)> = Vec::new();
        if dir.is_dir() {
            for e in walkdir::WalkDir::new(&dir)
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0
                        || !crate::content::is_ignored_name(&e.file_name().to_string_lossy())
                })
                .flatten()
            {
                if e.file_type().is_file() {
                    let rel = e
                        .path()
                        .strip_prefix(&dir)
                        .unwrap_or(e.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    overridden.insert(rel.clone());
                    copies.push((e.path().to_path_buf(), rel));
                }
            }
        }
        for (rel, bytes) in BUILTIN_STATIC {
            if !overridden.contains(*rel) {
                match self.staging.write(rel, bytes) {
                    Ok(()) => out.files += 1,
                    Err(d) => out.diagnostics.push(d),
                }
            }
        }
        for a in &self.site.assets {
            copies.push((a.source.clone(), a.rel.clone()));
        }
        // A copied file must not replace a page medsite writes.
        copies.retain(|(src, rel)| {
            let clash = self.generated.contains(rel.as_str());
            if clash {
                out.diagnostics.push(
                    Diagnostic::error(crate::diagnostics::relative(src, root), format!("this file would replace `{rel}`, which medsite writes itself"))
                        .with_help("rename or remove the file; to change how that page looks, override its template in templates/"),
                );
            }
            !clash
        });
        let results: Vec<Result<(), Diagnostic>> = copies
            .par_iter()
            .map(|(src, rel)| self.staging.copy(src, rel))
            .collect();
        for r in results {
            match r {
                Ok(()) => out.files += 1,
                Err(d) => out.diagnostics.push(d),
            }
        }
        out
    }
}
