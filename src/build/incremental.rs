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
        let (site, bodies) = Site::assemble_files(
            &self.opts.root,
            self.site.config.clone(),
            files.clone(),
            &load,
        );
        self.files = Some(files);
        self.dirty.extend(changed.iter().cloned());
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
        let listings = Listings::new(&site, &self.strings, &self.base_path);
        let doc_numbers = fulltext::doc_numbers(&site);
        let edited: HashSet<String> = std::mem::take(&mut self.dirty).into_iter().collect();
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
        let old_outputs = outputs(&self.site, &self.listings);
        let old_numbers: HashMap<(String, u32), String> = self
            .site
            .pages
            .iter()
            .zip(&self.doc_numbers)
            .map(|(p, &n)| ((p.lang.clone(), n), p.rel.clone()))
            .collect();
        let renumbered = old_numbers.len() != doc_numbers.len()
            || site
                .pages
                .iter()
                .zip(&doc_numbers)
                .any(|(p, &n)| old_numbers.get(&(p.lang.clone(), n)) != Some(&p.rel));
        let mut shards = names_shards(&self.site, &self.doc_numbers, &edited);

        self.site = site;
        self.bodies = bodies;
        self.sites = sites;
        self.listings = listings;
        self.doc_numbers = doc_numbers;
        let staging = Staging::in_place(out);
        let mut diags = Diagnostics::default();
        let (docs, outcomes) = self.render_plan(&plan, &staging, &mut diags);
        diags.extend(self.update_search(docs, renumbered, &old_numbers, &staging, out));
        for (lang, more) in names_shards(&self.site, &self.doc_numbers, &edited) {
            shards.entry(lang).or_default().extend(more);
        }
        diags.extend(self.update_names(&shards, renumbered, &staging, out));
        // The web editor's configuration offers the site's conditions.
        if let Some(cms) = &self.site.config.cms {
            for (rel, bytes) in render::admin::own_files(&self.site, cms, &self.base_path) {
                if let Err(d) = staging.write(&rel, &bytes) {
                    diags.push(d);
                }
            }
        }
        let new_outputs = outputs(&self.site, &self.listings);
        for gone in old_outputs.difference(&new_outputs) {
            remove_output(out, gone);
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
        let pass = Pass {
            r: &r,
            checker: Some(&checker),
            collect_text: false,
            keep_facts: false,
            staging,
            search: None,
            doc_numbers: &self.doc_numbers,
        };
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

    /// Brings the full-text index up to date: the edited pages' entries,
    /// and every page's number when pages were added or removed.
    fn update_search(
        &mut self,
        docs: Vec<fulltext::Doc>,
        renumbered: bool,
        old_numbers: &HashMap<(String, u32), String>,
        staging: &Staging,
        out: &Path,
    ) -> Vec<Diagnostic> {
        let Some(index) = &self.search else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        let site = &self.site;
        let mut failed = Vec::new();
        let mut write = |lang: &str, (name, bytes): fulltext::File| {
            if let Err(d) = staging.write(&search::text_file_path(site, lang, &name), &bytes) {
                failed.push(d);
            }
        };
        if renumbered {
            let before = index_files(index);
            let number: HashMap<(&str, &str), u32> = site
                .pages
                .iter()
                .zip(&self.doc_numbers)
                .map(|(p, &n)| ((p.lang.as_str(), p.rel.as_str()), n))
                .collect();
            let renumber = index.renumber(|lang, n| {
                let rel = old_numbers.get(&(lang.to_owned(), n))?;
                number.get(&(lang, rel.as_str())).copied()
            });
            let mut result = renumber;
            for doc in docs {
                if let Err(e) = index.update(doc) {
                    result = Err(e);
                }
            }
            if let Err(e) = result.and_then(|()| index.each_file(site, &mut write)) {
                problems.push(super::session::search_problem(e));
            }
            let after = index_files(index);
            for (lang, name) in before.difference(&after) {
                remove_output(out, &search::text_file_path(site, lang, name));
            }
        } else {
            for doc in docs {
                match index.update(doc) {
                    Ok(u) => {
                        for (lang, f) in u.files {
                            write(&lang, f);
                        }
                        for (lang, name) in u.gone {
                            remove_output(out, &search::text_file_path(site, &lang, &name));
                        }
                    }
                    Err(e) => problems.push(super::session::search_problem(e)),
                }
            }
        }
        problems.extend(failed);
        problems
    }

    /// Writes the names index's files of `shards` (all of them after
    /// `renumbered`), removing those that have no name left.
    fn update_names(
        &self,
        shards: &HashMap<String, BTreeSet<String>>,
        renumbered: bool,
        staging: &Staging,
        out: &Path,
    ) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let site = &self.site;
        let files = if renumbered {
            let mut all = Vec::new();
            search::names_files_each(site, &self.doc_numbers, |rel, bytes| all.push((rel, bytes)));
            all
        } else {
            search::names_files_in(site, &self.doc_numbers, shards)
        };
        let written: BTreeSet<String> = files.iter().map(|(rel, _)| rel.clone()).collect();
        for (rel, bytes) in files {
            if let Err(d) = staging.write(&rel, &bytes) {
                problems.push(d);
            }
        }
        // Files that were asked for, or that are there, and have no names.
        for lang in site.config.languages() {
            let mut candidates: BTreeSet<String> = shards
                .get(&lang.code)
                .into_iter()
                .flatten()
                .map(|s| search::names_file_path(site, &lang.code, s))
                .collect();
            if renumbered {
                let folder = search::names_file_path(site, &lang.code, "x");
                let folder = folder.trim_end_matches("x.json");
                if let Ok(dir) = std::fs::read_dir(out.join(folder)) {
                    for e in dir.flatten() {
                        let name = e.file_name().to_string_lossy().into_owned();
                        candidates.insert(format!("{folder}{name}"));
                    }
                }
            }
            for rel in candidates.difference(&written) {
                remove_output(out, rel);
            }
        }
        problems
    }
}

/// The names index's files that the names of the pages `edited` (and
/// their conditions) are filed in, by language.
fn names_shards(
    site: &Site,
    docs: &[u32],
    edited: &HashSet<String>,
) -> HashMap<String, BTreeSet<String>> {
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for rel in edited {
        if let Some(&Target::Page(i)) = site.by_file.get(rel.as_str()) {
            let p = &site.pages[i];
            let set = out.entry(p.lang.clone()).or_default();
            set.extend(search::names::page_shards(p, docs[i]));
            for &c in &p.conditions {
                set.extend(search::names::name_shards(&site.conditions[c].name));
            }
        }
    }
    out
}

/// Every file of the full-text index, by language.
fn index_files(index: &fulltext::Index) -> BTreeSet<(String, String)> {
    index.file_names().unwrap_or_default()
}

/// Every file rendered from a template: pages, sections, listings.
fn outputs(site: &Site, listings: &Listings) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = site.pages.iter().map(|p| p.out.clone()).collect();
    set.extend(site.sections.iter().map(|s| s.out.clone()));
    set.extend(
        targets::listings(site, listings)
            .iter()
            .map(|o| o.file().to_owned()),
    );
    set
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

/// One side of an edit.
struct Before<'a> {
    site: &'a Site,
    listings: &'a Listings,
    sites: &'a HashMap<String, tera::Value>,
}

/// What an edit renders.
struct Plan {
    /// Pages to render (indices in the new site).
    pages: Vec<usize>,
    /// Sections to render with their bodies.
    sections: Vec<usize>,
    /// Listing outputs (condition pages, later section parts) to render.
    parts: HashSet<String>,
    /// Every listing part's file, to tell them from the site-wide files
    /// (sitemap, feeds, 404, search page), which are always rendered.
    all_parts: HashSet<String>,
    /// The edited content files.
    edited_files: HashSet<String>,
}

impl Plan {
    fn new(
        old: Before,
        new: Before,
        bodies: &crate::content::Bodies,
        edited: &HashSet<String>,
    ) -> Plan {
        let (o, n) = (old.site, new.site);
        let new_of = |rel: &str| match n.by_file.get(rel) {
            Some(&Target::Page(i)) => Some(i),
            _ => None,
        };
        let old_of = |rel: &str| match o.by_file.get(rel) {
            Some(&Target::Page(i)) => Some(i),
            _ => None,
        };
        let edited_new: HashSet<usize> = edited.iter().filter_map(|r| new_of(r)).collect();
        let edited_old: HashSet<usize> = edited.iter().filter_map(|r| old_of(r)).collect();
        let mut pages: BTreeSet<usize> = edited_new.iter().copied().collect();
        // Translations and sources show each other's addresses and dates.
        for &i in &edited_new {
            pages.extend(n.pages[i].translations.iter().copied());
            pages.extend(n.pages[i].source);
        }
        for &i in &edited_old {
            let p = &o.pages[i];
            for &t in p.translations.iter().chain(p.source.iter()) {
                pages.extend(new_of(&o.pages[t].rel));
            }
        }
        // Pages listing an edited page among their related pages.
        for (q, p) in n.pages.iter().enumerate() {
            if p.related.iter().any(|r| edited_new.contains(r)) {
                pages.insert(q);
            }
        }
        for p in &o.pages {
            if p.related.iter().any(|r| edited_old.contains(r)) {
                pages.extend(new_of(&p.rel));
            }
        }
        // A page that moved, appeared or went away changes the links to it.
        let moved: Vec<&str> = edited
            .iter()
            .filter(|rel| {
                let (a, b) = (old_of(rel), new_of(rel));
                match (a, b) {
                    (Some(a), Some(b)) => o.pages[a].path != n.pages[b].path,
                    (None, None) => false,
                    _ => true,
                }
            })
            .map(String::as_str)
            .collect();
        if !moved.is_empty() {
            let names: Vec<String> = moved.iter().map(|rel| link_name(rel)).collect();
            let finders: Vec<memchr::memmem::Finder> = names
                .iter()
                .map(|s| memchr::memmem::Finder::new(s.as_bytes()))
                .collect();
            let linking: Vec<usize> = (0..n.pages.len())
                .into_par_iter()
                .filter(|&q| {
                    let text = bodies.pages[q].text.as_bytes();
                    finders.iter().any(|f| f.find(text).is_some())
                })
                .collect();
            pages.extend(linking);
        }
        // What every page shows of the site (the menu, the count of
        // conditions) changed: every page.
        if old.sites != new.sites {
            pages.extend(0..n.pages.len());
        }

        // Sections: those whose pages changed, and the sections above
        // them (they count their subsections' pages); every home page
        // (recently reviewed pages).
        let rels = |site: &Site, list: &[usize]| -> Vec<String> {
            list.iter().map(|&p| site.pages[p].rel.clone()).collect()
        };
        let mut sections = BTreeSet::new();
        let mut parts = HashSet::new();
        for (i, s) in n.sections.iter().enumerate() {
            let before = &o.sections[i];
            let touched = s.pages.iter().any(|p| edited_new.contains(p))
                || before.pages.iter().any(|p| edited_old.contains(p))
                || rels(n, &s.pages) != rels(o, &before.pages);
            if s.is_home() || touched {
                let mut at = Some(i);
                while let Some(j) = at {
                    sections.insert(j);
                    at = n.sections[j].parent;
                }
            }
            if !touched {
                continue;
            }
            let all = !new.listings.same_navigation(old.listings, i);
            for k in 2..=new.listings.sections[i].parts {
                let key = new.listings.part_key(n, i, k);
                let shows_edited = key.iter().any(|(_, rel)| edited.contains(rel));
                if all || shows_edited || key != old.listings.part_key(o, i, k) {
                    parts.insert(out_of(&targets_part_path(&s.path, k)));
                }
            }
        }
        // Condition pages whose pages changed.
        let old_conditions: HashMap<&str, usize> = o
            .conditions
            .iter()
            .enumerate()
            .map(|(i, c)| (c.out.as_str(), i))
            .collect();
        for (i, c) in n.conditions.iter().enumerate() {
            let same = old_conditions.get(c.out.as_str()).is_some_and(|&j| {
                rels(o, &o.conditions[j].pages) == rels(n, &c.pages)
                    && old.listings.conditions.get(j) == new.listings.conditions.get(i)
            });
            if !same || c.pages.iter().any(|p| edited_new.contains(p)) {
                for k in 1..=new.listings.conditions[i] {
                    parts.insert(if k == 1 {
                        c.out.clone()
                    } else {
                        out_of(&targets_part_path(&c.path, k))
                    });
                }
            }
        }
        let all_parts = crate::render::listing::outputs(n, new.listings)
            .iter()
            .map(|o| o.file().to_owned())
            .collect();
        Plan {
            pages: pages.into_iter().collect(),
            sections: sections.into_iter().collect(),
            parts,
            all_parts,
            edited_files: edited.clone(),
        }
    }

    /// Whether the listing output `file` is rendered.
    fn wants(&self, file: &str) -> bool {
        !self.all_parts.contains(file) || self.parts.contains(file)
    }
}

/// What a link to the content file `rel` has in it whatever folder it is
/// written from: its name up to the first dot (`ilaris.` for
/// `medications/ilaris.nb.md`), or the folder's name for a bundle's
/// `index.md`.
fn link_name(rel: &str) -> String {
    let mut parts = rel.rsplit('/');
    let name = parts.next().unwrap_or(rel);
    let stem = name.split('.').next().unwrap_or(name);
    if stem == "index" {
        return format!("{}/", parts.next().unwrap_or(stem));
    }
    format!("{stem}.")
}

/// The site path of part `k` of the listing at `path`.
fn targets_part_path(path: &str, k: usize) -> String {
    crate::render::listing::part_path(path, k)
}

/// The output file of the page at site path `path`.
fn out_of(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_names_match_every_way_of_writing_the_link() {
        assert_eq!(link_name("medications/ilaris.md"), "ilaris.");
        assert_eq!(link_name("medications/ilaris.nb.md"), "ilaris.");
        assert_eq!(link_name("medications/ilaris/index.md"), "ilaris/");
        assert_eq!(link_name("top.md"), "top.");
    }
}
