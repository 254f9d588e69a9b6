//! Content edits in the dev server without a whole build: the files an
//! edit touched are read again, the site is assembled anew from the files
//! kept in memory, and only what can show the difference is rendered: the
//! edited pages, the pages that show them (related pages, translations,
//! pages linking to a page that moved), the listing parts and condition
//! pages whose pages changed, the sections above them, the sitemap, feeds
//! and other site-wide files, and the search index entries of the edited
//! pages. What a clean build would not write any more is removed, so the
//! preview stays the same as a clean build.
//!
//! Not for: body-only edits (`Session::update_page`, cheaper still),
//! template edits (`Session::update_templates`) or deciding when a whole
//! build is needed (section files, folders, `site.toml`: the dev server).

use super::plan::{Before, Plan};
use super::session::{Outcome, Pass, Session};
use crate::checks::PageChecker;
use crate::content::{LoadOptions, Site, Target};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Staging, safe_join};
use crate::render;
use crate::render::listing::Listings;
use crate::render::targets;
use crate::search::{self, fulltext};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// What an edit of content files did.
pub enum ContentUpdate {
    /// The site was updated in place; the problems found (errors leave the
    /// preview as it was).
    Rendered(Diagnostics),
    /// The edit changes what only a whole build handles (sections).
    NeedsFullBuild,
}

impl Session {
    /// Applies edits of the page files `changed` (paths inside
    /// `content/`: edited, added or deleted) to the preview in `out`.
    pub fn update_content(&mut self, changed: &[String], out: &Path) -> ContentUpdate {
        let Some(mut files) = self.files.take() else {
            return ContentUpdate::NeedsFullBuild;
        };
        files.reread(&self.opts.root, &self.site.config, changed);
        let load = LoadOptions {
            drafts: self.opts.drafts,
            ..LoadOptions::default()
        };
        self.dirty.extend(changed.iter().cloned());
        let edited: HashSet<String> = self.dirty.iter().cloned().collect();
        // Front-matter edits leave every page where it was: the site is
        // patched; other edits place every page again.
        let (site, bodies) = self
            .site
            .patched(&self.bodies, &files, &edited, &load)
            .unwrap_or_else(|| {
                Site::assemble_files(
                    &self.opts.root,
                    self.site.config.clone(),
                    files.clone(),
                    &load,
                )
            });
        self.files = Some(files);
        if !same_sections(&self.site, &site) {
            return ContentUpdate::NeedsFullBuild;
        }
        let errors: Vec<Diagnostic> = site
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        if !errors.is_empty() {
            // The preview stays as it was; the next edit starts from the
            // files as they are now, with these ones still counted.
            return ContentUpdate::Rendered(Diagnostics(errors));
        }
        let sites = match render::site_values(&site, &self.base_path, &self.strings) {
            Ok(v) => v,
            Err(d) => return ContentUpdate::Rendered(d),
        };
        self.dirty.clear();
        let listings = Listings::after_edit(
            &site,
            &self.strings,
            &self.base_path,
            (&self.site, &self.listings),
            &edited,
        );
        let doc_numbers = fulltext::doc_numbers(&site);
        let plan = Plan::new(
            Before {
                site: &self.site,
                listings: &self.listings,
                sites: &self.sites,
            },
            Before {
                site: &site,
                listings: &listings,
                sites: &sites,
            },
            &bodies,
            &edited,
        );
        let gone = gone_outputs((&self.site, &self.listings), (&site, &listings));
        // Pages that came or went move only the few pages whose numbers
        // in the search index were next to theirs.
        let (moves, moved) = moves((&self.site, &self.doc_numbers), (&site, &doc_numbers));
        // A page's entries in the names index carry its number.
        let names_of: HashSet<String> = edited.iter().cloned().chain(moved).collect();
        let shards = names_changes(
            (&self.site, &self.doc_numbers),
            (&site, &doc_numbers),
            &names_of,
        );

        // What was made from each page alone is kept for the pages the
        // edit left as they were.
        let kept = site.kept_pages(&self.site, &edited);
        if let Some(values) = self.values.take() {
            self.values = Some(values.after_edit(&kept));
        }
        if let Some(filed) = self.filed.take() {
            self.filed = Some(filed.after_edit(&kept));
        }
        let old = (
            std::mem::replace(&mut self.site, site),
            std::mem::replace(&mut self.bodies, bodies),
            std::mem::replace(&mut self.listings, listings),
        );
        // Freeing the old site's many small allocations need not delay
        // the preview.
        std::thread::spawn(move || drop(old));
        self.sites = sites;
        self.doc_numbers = doc_numbers;
        let staging = Staging::in_place(out);
        let mut diags = Diagnostics::default();
        let (docs, outcomes) = self.render_plan(&plan, &staging, &mut diags);
        diags.extend(self.update_search(docs, &moves, &staging, out));
        diags.extend(self.update_names(&shards, &staging, out));
        // The web editor's configuration offers the site's conditions.
        if let Some(cms) = &self.site.config.cms {
            for (rel, bytes) in render::admin::own_files(&self.site, cms, &self.base_path) {
                if let Err(d) = staging.write(&rel, &bytes) {
                    diags.push(d);
                }
            }
        }
        for rel in &gone {
            remove_output(out, rel);
        }
        for o in outcomes {
            diags.extend(o.findings.into_iter().map(super::as_warning));
            diags.extend(o.problems);
        }
        diags.dedupe();
        ContentUpdate::Rendered(diags)
    }

    /// Renders what `plan` lists; the edited pages' outcomes (for the
    /// search index) and all outcomes.
    fn render_plan(
        &mut self,
        plan: &Plan,
        staging: &Staging,
        diags: &mut Diagnostics,
    ) -> (Vec<fulltext::Doc>, Vec<Outcome>) {
        let r = self.renderer();
        let checker = PageChecker::new(&self.site);
        let pass = Pass::for_edit(&r, Some(&checker), staging, &self.doc_numbers);
        let mut outcomes: Vec<Outcome> = plan
            .pages
            .par_iter()
            .map(|&i| pass.body(Target::Page(i), &self.bodies.pages[i]))
            .collect();
        outcomes.extend(
            plan.sections
                .iter()
                .map(|&i| pass.body(Target::Section(i), &self.bodies.sections[i])),
        );
        let listing_outputs = targets::listings(&self.site, &self.listings);
        let problems: Vec<Diagnostic> = listing_outputs
            .par_iter()
            .filter(|o| plan.wants(o.file()))
            .filter_map(|o| {
                r.render(o.as_ref())
                    .and_then(|html| staging.write(o.file(), html.as_bytes()))
                    .err()
            })
            .collect();
        diags.extend(problems);
        let mut docs = Vec::new();
        for o in &mut outcomes {
            if plan.edited_files.contains(&o.file)
                && let Some(doc) = o.search_doc.take()
            {
                docs.push(doc);
            }
        }
        for o in &outcomes {
            self.ids.insert(o.file.clone(), o.ids.clone());
        }
        self.ids
            .retain(|file, _| self.site.by_file.contains_key(file.as_str()));
        for o in &outcomes {
            diags.extend(super::anchors::unknown(&o.file, &o.anchors, &self.ids));
        }
        (docs, outcomes)
    }

    /// Brings the full-text index up to date: pages moved or taken out
    /// (`moves`), then the edited pages' entries.
    fn update_search(
        &mut self,
        docs: Vec<fulltext::Doc>,
        moves: &fulltext::Moves,
        staging: &Staging,
        out: &Path,
    ) -> Vec<Diagnostic> {
        let Some(index) = &self.search else {
            return Vec::new();
        };
        let site = &self.site;
        match index.change(moves, docs) {
            Ok(u) => {
                let problems = super::session::write_index(site, staging, &u.files);
                for (lang, name) in u.gone {
                    remove_output(out, &search::text_file_path(site, &lang, &name));
                }
                problems
            }
            Err(e) => vec![super::session::search_problem(e)],
        }
    }

    /// Writes the names index's files of `shards`, removing those that
    /// have no name left.
    fn update_names(
        &self,
        shards: &HashMap<String, BTreeSet<String>>,
        staging: &Staging,
        out: &Path,
    ) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let site = &self.site;
        let files = search::names_files_in(site, &self.doc_numbers, shards, self.filed.as_ref());
        let written: BTreeSet<String> = files.iter().map(|(rel, _)| rel.clone()).collect();
        let failed: Vec<Diagnostic> = files
            .par_iter()
            .filter_map(|(rel, bytes)| staging.write_changed(rel, bytes).err())
            .collect();
        problems.extend(failed);
        // Files that were asked for and have no names.
        for lang in site.config.languages() {
            let candidates: BTreeSet<String> = shards
                .get(&lang.code)
                .into_iter()
                .flatten()
                .map(|s| search::names_file_path(site, &lang.code, s))
                .collect();
            for rel in candidates.difference(&written) {
                remove_output(out, rel);
            }
        }
        problems
    }
}

/// The names index's files whose names the edit of the pages `edited`
/// changed, by language: those of an edited (or moved) page's names
/// before and after, when they differ, and those of the conditions that
/// appeared or went. An edit that leaves every name where it was changes no file.
fn names_changes(
    old: (&Site, &[u32]),
    new: (&Site, &[u32]),
    edited: &HashSet<String>,
) -> HashMap<String, BTreeSet<String>> {
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    let names = |(site, docs): (&Site, &[u32]), rel: &str| match site.by_file.get(rel) {
        Some(&Target::Page(i)) => {
            let p = &site.pages[i];
            Some((p.lang.clone(), search::names::page_names(p, docs[i])))
        }
        _ => None,
    };
    for rel in edited {
        let (a, b) = (names(old, rel), names(new, rel));
        if a == b {
            continue;
        }
        for (lang, entries) in a.into_iter().chain(b) {
            let set = out.entry(lang).or_default();
            for e in entries {
                set.extend(search::names::shards_of(&e.key));
            }
        }
    }
    let conditions = |site: &Site| -> BTreeSet<(String, String, String)> {
        site.conditions
            .iter()
            .map(|c| (c.lang.clone(), c.name.clone(), c.path.clone()))
            .collect()
    };
    let (a, b) = (conditions(old.0), conditions(new.0));
    for (lang, name, _) in a.symmetric_difference(&b) {
        out.entry(lang.clone())
            .or_default()
            .extend(search::names::name_shards(name));
    }
    out
}

/// How an edit moved pages in the search index ([`fulltext::Moves`]), and
/// the content files of the pages that moved or went.
fn moves(old: (&Site, &[u32]), new: (&Site, &[u32])) -> (fulltext::Moves, Vec<String>) {
    let mut moves = fulltext::Moves::new();
    let mut rels = Vec::new();
    for (p, &n) in old.0.pages.iter().zip(old.1) {
        let to = match new.0.by_file.get(p.rel.as_str()) {
            Some(&Target::Page(j)) if new.0.pages[j].lang == p.lang => Some(new.1[j]),
            _ => None,
        };
        if to != Some(n) {
            moves.entry(p.lang.clone()).or_default().push((n, to));
            rels.push(p.rel.clone());
        }
    }
    (moves, rels)
}

/// The files rendered from a template (pages, sections, listings) before
/// an edit that are not rendered after it.
fn gone_outputs(old: (&Site, &Listings), new: (&Site, &Listings)) -> Vec<String> {
    let old_listings = targets::listings(old.0, old.1);
    let new_listings = targets::listings(new.0, new.1);
    fn all(site: &Site) -> impl Iterator<Item = &str> {
        let pages = site.pages.iter().map(|p| p.out.as_str());
        pages.chain(site.sections.iter().map(|s| s.out.as_str()))
    }
    let after: HashSet<&str> = all(new.0)
        .chain(new_listings.iter().map(|o| o.file()))
        .collect();
    let mut gone: Vec<String> = all(old.0)
        .chain(old_listings.iter().map(|o| o.file()))
        .filter(|f| !after.contains(f))
        .map(str::to_owned)
        .collect();
    gone.sort();
    gone.dedup();
    gone
}

/// Removes the output file `rel` and the folders it leaves empty.
pub(super) fn remove_output(out: &Path, rel: &str) {
    let Some(path) = safe_join(out, rel) else {
        return;
    };
    if std::fs::remove_file(&path).is_err() {
        return;
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// The sections are the same (a page edit cannot change them, but a page
/// in a new folder makes a section of it).
fn same_sections(a: &Site, b: &Site) -> bool {
    a.sections.len() == b.sections.len()
        && a.sections
            .iter()
            .zip(&b.sections)
            .all(|(x, y)| x.rel == y.rel && x.lang == y.lang && x.path == y.path)
}
