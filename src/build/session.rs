//! The build session: a loaded site with its parsed templates, rendered
//! whole once ([`Session::render_all`]) and then, for the dev server, kept
//! between edits so that a body edit re-renders one page and a template
//! edit re-renders only what uses it. The [`Site`] never changes here; the
//! session's own state (bodies, heading ids, facts) is what an edit updates.
//!
//! Not for deciding severity (the commands do) or writing the output
//! folder into place (`output`).

use super::anchors::{self, Ids};
use super::folded::{AllIds, Folded};
pub(super) use super::pass::{Outcome, Pass, write};
use super::{BuildOptions, Rendering};
use crate::checks::{self, PageChecker};
use crate::content::{self, Bodies, Body, LoadOptions, Site, Target};
use crate::diagnostics::{Diagnostic, Diagnostics, Tally};
use crate::markdown::PageFacts;
use crate::output::{Staging, copy_static, safe_join};
use crate::render::listing::Listings;
use crate::render::page_values::PageValues;
use crate::render::targets::{self, page_template, section_template};
use crate::render::{self, Output, Renderer, Strings};
use crate::search::{self, fulltext};
use crate::templates::{BUILTIN_STATIC, Templates};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A loaded site ready to render.
pub struct Session {
    pub opts: BuildOptions,
    pub site: Site,
    pub(super) bodies: Bodies,
    pub(super) templates: Templates,
    /// The theme's words in every language.
    pub(super) strings: Arc<Strings>,
    /// `site` for templates, per language.
    pub(super) sites: HashMap<String, tera::Value>,
    pub(super) base_path: String,
    /// Every listing's parts, A–Z indexes and the recently reviewed pages.
    pub(super) listings: Listings,
    pub(super) ids: Ids,
    /// Each page's and section's facts after the last [`Rendering::Check`].
    facts: (Vec<PageFacts>, Vec<PageFacts>),
    /// The full-text search index of the last whole render, which a body
    /// edit in the dev server updates.
    pub(super) search: Option<fulltext::Index>,
    /// Each page's number in its language's search index.
    pub(super) doc_numbers: Vec<u32>,
    /// Page bodies were not kept ([`Session::load_once`]): each is read
    /// from disk when its page is rendered.
    streamed: bool,
    /// The content files as read, kept by [`Session::load_for_edits`].
    pub(super) files: Option<content::Files>,
    /// What listings show of each page, kept by the dev server between
    /// edits ([`Session::load_for_edits`]).
    pub(super) values: Option<PageValues>,
    /// The names index files each page is filed in, kept likewise.
    pub(super) filed: Option<search::names::Filed>,
    /// Files changed since the site was last rendered without an error.
    pub(super) dirty: BTreeSet<String>,
    /// How long each step took (`medsite build --timings`).
    pub timings: Vec<(&'static str, Duration)>,
}

/// What rendering found.
#[derive(Debug, Default)]
pub struct RenderReport {
    /// Problems of loading and rendering (broken links, templates...); only
    /// the errors for [`Rendering::Once`], whose other problems are in
    /// `warnings`.
    pub problems: Diagnostics,
    /// Findings of the health-content checks run while rendering, with the
    /// severity the check gave them; the command decides what they count as.
    /// None for [`Rendering::Once`]: they are in `warnings`.
    pub findings: Vec<Diagnostic>,
    /// For [`Rendering::Once`]: the problems that are not errors, then the
    /// findings as warnings, tallied (a one-off build shows only the first).
    pub warnings: Tally,
    /// Files written.
    pub files: usize,
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
        Session::load_with(opts, None)
    }

    /// [`Session::load`] for the dev server: the files read are kept too,
    /// so that an edit re-reads only the files it touched
    /// ([`Session::update_content`]).
    pub fn load_for_edits(opts: &BuildOptions) -> Result<Session, Diagnostics> {
        Session::load_inner(opts, None, false, true)
    }

    /// [`Session::load`] for one [`Rendering::Once`]: page bodies are not
    /// kept but read again as each page is rendered, so that memory does
    /// not grow with the text of the whole site.
    pub fn load_once(opts: &BuildOptions) -> Result<Session, Diagnostics> {
        Session::load_inner(opts, None, true, false)
    }

    /// [`Session::load`] with some content files replaced by `overlay`:
    /// the site as it would be after a save, to check before writing.
    pub fn load_with(
        opts: &BuildOptions,
        overlay: Option<Arc<content::Overlay>>,
    ) -> Result<Session, Diagnostics> {
        Session::load_inner(opts, overlay, false, false)
    }

    fn load_inner(
        opts: &BuildOptions,
        overlay: Option<Arc<content::Overlay>>,
        stream_bodies: bool,
        keep_files: bool,
    ) -> Result<Session, Diagnostics> {
        let config = super::load_config(opts)?;
        let t = Instant::now();
        let load = LoadOptions {
            drafts: opts.drafts,
            overlay,
            stream_bodies,
        };
        let read = Site::read_files(&opts.root, &config, &load)?;
        let files = keep_files.then(|| read.clone());
        let (site, bodies) = Site::assemble_files(&opts.root, config, read, &load);
        let mut timings = vec![("read and parse content", t.elapsed())];
        let t = Instant::now();
        let base_path = site.config.base_path();
        let strings = Arc::new(Strings::load(&opts.root, &site.config).map_err(Diagnostics)?);
        let templates = render::load_templates(&opts.root, &site, &base_path, &strings)?;
        let sites = render::site_values(&site, &base_path, &strings)?;
        timings.push(("parse templates", t.elapsed()));
        let doc_numbers = fulltext::doc_numbers(&site);
        let site_pages = site.pages.len();
        let t = Instant::now();
        let listings = Listings::new(&site, &strings, &base_path);
        timings.push(("A–Z indexes and listing parts", t.elapsed()));
        Ok(Session {
            opts: opts.clone(),
            site,
            bodies,
            templates,
            strings,
            sites,
            base_path,
            listings,
            ids: Ids::default(),
            facts: (Vec::new(), Vec::new()),
            search: None,
            doc_numbers,
            streamed: stream_bodies,
            values: keep_files.then(|| PageValues::new(site_pages)),
            filed: keep_files.then(|| search::names::Filed::new(site_pages)),
            files,
            dirty: BTreeSet::new(),
            timings,
        })
    }

    pub(super) fn renderer(&self) -> Renderer<'_> {
        Renderer {
            site: &self.site,
            config: &self.site.config,
            templates: &self.templates,
            base_path: &self.base_path,
            strings: &self.strings,
            sites: &self.sites,
            listings: &self.listings,
            values: self.values.as_ref(),
        }
    }

    /// Every file medsite writes from a template: pages, sections and
    /// `listings`.
    fn generated<'a>(&'a self, listings: &'a [Box<dyn Output + 'a>]) -> HashSet<&'a str> {
        let site = &self.site;
        let mut set: HashSet<&str> = site.pages.iter().map(|p| p.out.as_str()).collect();
        set.extend(site.sections.iter().map(|s| s.out.as_str()));
        set.extend(listings.iter().map(|o| o.file()));
        set
    }

    /// The facts of every page and section, after [`Rendering::Check`].
    pub fn check_input(&self) -> checks::Input<'_> {
        checks::Input {
            site: &self.site,
            bodies: &self.bodies,
            pages: &self.facts.0,
            sections: &self.facts.1,
        }
    }

    /// Renders every page, listing and static file into `staging`, keeping
    /// the bodies for later edits.
    pub fn render_all(&mut self, staging: &Staging) -> (Diagnostics, usize) {
        let r = self.render(staging, Rendering::Preview);
        let mut all = r.problems;
        all.extend(r.findings.into_iter().map(super::as_warning));
        all.dedupe();
        (all, r.files)
    }

    /// Renders everything into `staging` as `how` says.
    pub fn render(&mut self, staging: &Staging, how: Rendering) -> RenderReport {
        let bodies = match how {
            Rendering::Once => std::mem::take(&mut self.bodies),
            Rendering::Preview | Rendering::Check => Bodies::default(),
        };
        let tally = how == Rendering::Once;
        let mut report = RenderReport::default();
        // A one-off build copies only the errors of loading and the
        // warnings it shows.
        for d in &self.site.diagnostics {
            if tally && !d.is_error() {
                report.warnings.add(Cow::Borrowed(d));
            } else {
                report.problems.push(d.clone());
            }
        }
        let loaded = report.problems.0.len();
        let new_folded = || {
            if tally {
                Folded::tallied()
            } else {
                Folded::default()
            }
        };
        report.problems.extend(self.listings.clashes(&self.site));
        let r = self.renderer();
        let site = &self.site;
        let checker = (how != Rendering::Check).then(|| PageChecker::new(site));
        // The full-text index is gathered while the pages are rendered, by
        // every rendering thread; `check` writes no site and needs none.
        let gatherer =
            (how != Rendering::Check).then(|| fulltext::Gatherer::new(how == Rendering::Preview));
        let pass = Pass {
            r: &r,
            checker: checker.as_ref(),
            collect_text: how == Rendering::Check,
            keep_facts: how == Rendering::Check,
            staging,
            search: gatherer.as_ref(),
            doc_numbers: &self.doc_numbers,
        };
        let render_page = |i: usize, body: &Body| pass.body(Target::Page(i), body);

        let t = Instant::now();
        // Each outcome is folded as it comes: only what the end of the
        // render needs is kept of a page.
        let mut pages: Folded = if self.streamed {
            (0..site.pages.len())
                .into_par_iter()
                .map(|i| match content::read_body(site, i) {
                    Ok(body) => render_page(i, &body),
                    Err(d) => Outcome::failed(&site.pages[i].rel, d),
                })
                .fold(new_folded, Folded::add)
                .reduce(new_folded, Folded::then)
        } else if how == Rendering::Once {
            bodies
                .pages
                .into_par_iter()
                .enumerate()
                .map(|(i, body)| render_page(i, &body))
                .fold(new_folded, Folded::add)
                .reduce(new_folded, Folded::then)
        } else {
            (0..site.pages.len())
                .into_par_iter()
                .map(|i| render_page(i, &self.bodies.pages[i]))
                .fold(new_folded, Folded::add)
                .reduce(new_folded, Folded::then)
        };
        let mut timings = vec![("render, write and check pages", t.elapsed())];
        let t = Instant::now();
        let section_bodies = if how == Rendering::Once {
            &bodies.sections
        } else {
            &self.bodies.sections
        };
        let mut sections: Folded = (0..site.sections.len())
            .into_par_iter()
            .map(|i| pass.body(Target::Section(i), &section_bodies[i]))
            .fold(new_folded, Folded::add)
            .reduce(new_folded, Folded::then);
        let listings = targets::listings(site, &self.listings);
        let written: Vec<Result<(), Diagnostic>> = listings
            .par_iter()
            .map(|o| write(&r, o.as_ref(), staging))
            .collect();
        timings.push(("listings, sitemap, feeds", t.elapsed()));
        // The links to headings are checked before the search index is
        // made, so that its peak does not hold every page's heading ids
        // (nor, in a one-off build, the listings' A–Z indexes).
        let t = Instant::now();
        let anchors = (pages.take_anchors(), sections.take_anchors());
        let all_ids = AllIds::new(site, &pages, &sections);
        let mut broken: Vec<Diagnostic> = all_ids.unknown(anchors.0).collect();
        broken.extend(all_ids.unknown(anchors.1));
        // The dev server checks an edited page's links against the others.
        let ids = (how != Rendering::Once).then(|| all_ids.to_map());
        pages.forget_ids();
        sections.forget_ids();
        let link_checks = t.elapsed();
        if how == Rendering::Once {
            drop(std::mem::take(&mut self.listings));
        }
        let t = Instant::now();
        let mut kept_index = None;
        if let Some(g) = gatherer {
            let index = g.finish(site, |lang, (name, bytes)| {
                match staging.write(&search::text_file_path(site, lang, &name), &bytes) {
                    Ok(()) => report.files += 1,
                    Err(d) => report.problems.push(d),
                }
            });
            // A one-off build writes the index and needs it no more.
            kept_index = (how == Rendering::Preview).then_some(index);
            search::names_files_each(site, &self.doc_numbers, |rel, bytes| {
                match staging.write(&rel, &bytes) {
                    Ok(()) => report.files += 1,
                    Err(d) => report.problems.push(d),
                }
            });
        }
        timings.push(("search index", t.elapsed()));
        if site.config.cms.is_some() {
            report.problems.extend(render::admin::clashes(site));
        }
        if let (Some(cms), true) = (&site.config.cms, how != Rendering::Check) {
            for (rel, bytes) in render::admin::files(site, cms, &self.base_path) {
                match staging.write(&rel, &bytes) {
                    Ok(()) => report.files += 1,
                    Err(d) => report.problems.push(d),
                }
            }
        }
        let t = Instant::now();
        let beside_pages = site
            .assets
            .iter()
            .map(|a| (a.source.clone(), a.rel.clone()));
        let (static_files, static_problems) = copy_static(
            staging,
            &self.opts.root,
            BUILTIN_STATIC,
            beside_pages,
            &self.generated(&listings),
        );
        timings.push(("static files", t.elapsed()));

        report.problems.extend(broken);
        timings.push(("link checks", link_checks));
        for w in written {
            match w {
                Ok(()) => report.files += 1,
                Err(d) => report.problems.push(d),
            }
        }
        report.files += static_files;
        report.problems.extend(static_problems);
        if tally {
            // The problems found after loading, in the order found.
            let later = report.problems.0.split_off(loaded);
            for d in later {
                if d.is_error() {
                    report.problems.push(d);
                } else {
                    report.warnings.add(Cow::Owned(d));
                }
            }
        }
        let mut findings = Tally::default();
        let mut take = |o: Folded| {
            report.files += o.files;
            report.problems.extend(o.problems);
            report.warnings = std::mem::take(&mut report.warnings).then(o.warned);
            findings = std::mem::take(&mut findings).then(o.found);
            if report.findings.is_empty() {
                report.findings = o.findings;
            } else {
                report.findings.extend(o.findings);
            }
            o.facts
        };
        self.facts = (take(pages), take(sections));
        report.warnings = std::mem::take(&mut report.warnings).then(findings);
        if let Some(ids) = ids {
            self.ids = ids;
        }
        if kept_index.is_some() {
            self.search = kept_index;
        }
        self.timings.extend(timings);
        report
    }

    /// Re-reads the page `rel` (`medications/ilaris.md`) and, when only its
    /// body changed, re-renders it into `out` in place.
    pub fn update_page(&mut self, rel: &str, out: &Path) -> PageUpdate {
        let Some(&Target::Page(i)) = self.site.by_file.get(rel) else {
            return PageUpdate::NeedsFullBuild;
        };
        let (meta, body) = match content::read_page(&self.site, i) {
            Ok(x) => x,
            Err(ds) => return PageUpdate::Rendered(Diagnostics(ds)),
        };
        if meta != *self.site.pages[i].meta {
            return PageUpdate::NeedsFullBuild;
        }
        self.bodies.pages[i] = body;
        if let Some(files) = &mut self.files {
            files.reread(&self.opts.root, &self.site.config, &[rel.to_owned()]);
        }
        let staging = Staging::in_place(out);
        let r = self.renderer();
        let checker = PageChecker::new(&self.site);
        let pass = Pass::for_edit(&r, Some(&checker), &staging, &self.doc_numbers);
        let o = pass.body(Target::Page(i), &self.bodies.pages[i]);
        let mut diags = Diagnostics(o.problems);
        if let (Some(index), Some(doc)) = (&self.search, o.search_doc) {
            match index.update(doc) {
                Ok(u) => {
                    diags.extend(write_index(&self.site, &staging, &u.files));
                    for (lang, name) in u.gone {
                        let rel = search::text_file_path(&self.site, &lang, &name);
                        super::incremental::remove_output(out, &rel);
                    }
                }
                Err(e) => diags.push(search_problem(e)),
            }
        }
        diags.extend(o.findings.into_iter().map(super::as_warning));
        self.ids.insert(o.file.clone(), o.ids);
        diags.extend(anchors::unknown(&o.file, &o.anchors, &self.ids));
        diags.dedupe();
        PageUpdate::Rendered(diags)
    }

    /// Parses the templates again after `changed` (names such as
    /// `partials/rating.html`) changed, and re-renders into `out` only what
    /// uses them.
    pub fn update_templates(&mut self, changed: &[String], out: &Path) -> Diagnostics {
        // The theme's words may have changed too (`i18n/`).
        let strings = match Strings::load(&self.opts.root, &self.site.config) {
            Ok(s) => Arc::new(s),
            Err(d) => return Diagnostics(d),
        };
        match render::load_templates(&self.opts.root, &self.site, &self.base_path, &strings)
            .and_then(|t| {
                Ok((
                    t,
                    render::site_values(&self.site, &self.base_path, &strings)?,
                ))
            }) {
            Ok((t, sites)) => {
                self.templates = t;
                self.sites = sites;
                self.strings = strings;
                // The words are in what listings show of each page.
                if self.values.is_some() {
                    self.values = Some(PageValues::new(self.site.pages.len()));
                }
                // The alphabet of the A–Z indexes is among the words.
                self.listings = Listings::new(&self.site, &self.strings, &self.base_path);
            }
            Err(d) => return d,
        }
        let affected = self.templates.dependents(changed);
        let uses = |template: &str| affected.contains(template);
        let staging = Staging::in_place(out);
        let r = self.renderer();
        let site = &self.site;
        let mut diags = Diagnostics::default();
        let pass = Pass::for_edit(&r, None, &staging, &self.doc_numbers);
        let pages: Vec<Outcome> = (0..site.pages.len())
            .into_par_iter()
            .filter(|&i| uses(page_template(site.pages[i].kind)))
            .map(|i| pass.body(Target::Page(i), &self.bodies.pages[i]))
            .collect();
        let sections: Vec<Outcome> = (0..site.sections.len())
            .filter(|&i| uses(section_template(&site.sections[i])))
            .map(|i| pass.body(Target::Section(i), &self.bodies.sections[i]))
            .collect();
        for o in pages.into_iter().chain(sections) {
            diags.extend(o.problems);
        }
        for o in targets::listings(site, &self.listings) {
            if uses(o.template())
                && let Err(d) = write(&r, o.as_ref(), &staging)
            {
                diags.push(d);
            }
        }
        diags.dedupe();
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
                if let Some(p) = safe_join(out, rel) {
                    let _ = std::fs::remove_file(p);
                }
                Ok(())
            }
        }
    }

    /// Site paths of every page the site has (pages, sections, conditions,
    /// the later parts of long listings).
    pub fn page_paths(&self) -> HashSet<String> {
        let mut paths = self.site.page_paths();
        paths.extend(self.listings.later_parts(&self.site));
        paths
    }
}

/// A problem of the search index, which has no file of its own.
pub(super) fn search_problem(message: String) -> Diagnostic {
    Diagnostic::error("site.toml", message)
        .with_help("the pages are fine; this is a problem of medsite's search index")
}

/// Writes the full-text index's files (with their language code) into
/// the preview in `staging`, on every core, leaving those whose bytes did
/// not change.
pub(super) fn write_index(
    site: &Site,
    staging: &Staging,
    files: &[(String, fulltext::File)],
) -> Vec<Diagnostic> {
    files
        .par_iter()
        .filter_map(|(lang, (name, bytes))| {
            let rel = search::text_file_path(site, lang, name);
            staging.write_changed(&rel, bytes).err()
        })
        .collect()
}
