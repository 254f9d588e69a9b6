//! Conditions: the names in pages' `conditions`, each with a page of its own
//! under its language's conditions list (`/conditions/`, `/nb/tilstander/`),
//! listing the pages of that language that name it. Part of loading the
//! [`Site`]; not for rendering those pages.

use super::{Condition, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::slugify;
use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;

/// Collects the conditions of every page into `site.conditions` (sorted by
/// name) and each page's `conditions`; a page or section at an address a
/// condition needs is an error.
pub(super) fn collect(site: &mut Site, diags: &mut Diagnostics) {
    let lists: HashMap<String, String> = site
        .config
        .languages()
        .iter()
        .map(|l| (l.code.clone(), l.conditions_path()))
        .collect();
    let mut by_slug: HashMap<(String, String), usize> = HashMap::default();
    // Each condition by language and name as written: most pages spell a
    // condition as the first one did, and need no slug made.
    let mut by_name: HashMap<String, HashMap<String, usize>> = HashMap::default();
    for i in 0..site.pages.len() {
        let page = &site.pages[i];
        let mut named = Vec::new();
        for name in page.meta.conditions.iter().flatten() {
            let known = by_name.get(&page.lang).and_then(|m| m.get(name.trim()));
            if let Some(&c) = known {
                named.push(c);
                continue;
            }
            let trimmed = name.trim().to_owned();
            let slug = slugify(&trimmed);
            if slug.is_empty() {
                diags.push(
                    page.front.at(
                        Diagnostic::error(
                            page.display(),
                            format!("the condition `{trimmed}` has no letters or digits"),
                        )
                        .with_help("write the condition's name, e.g. `Rheumatoid arthritis`"),
                        name.pos,
                    ),
                );
                continue;
            }
            let key = (page.lang.clone(), slug.clone());
            let c = match by_slug.get(&key) {
                Some(&c) => {
                    let known = &site.conditions[c].name;
                    if *known != trimmed {
                        diags.push(page.front.at(
                            Diagnostic::warning(
                                page.display(),
                                format!("the condition `{trimmed}` is spelled `{known}` on another page; both are listed as `{known}`"),
                            )
                            .with_help("spell each condition the same way on every page"),
                            name.pos,
                        ));
                    }
                    c
                }
                None => {
                    by_name
                        .entry(page.lang.clone())
                        .or_default()
                        .insert(trimmed.clone(), site.conditions.len());
                    let list = lists.get(&page.lang).map_or("/conditions/", String::as_str);
                    let path = format!("{list}{slug}/");
                    let out = format!("{}index.html", &path[1..]);
                    site.conditions.push(Condition {
                        lang: page.lang.clone(),
                        name: trimmed,
                        slug: slug.clone(),
                        path,
                        out,
                        pages: Vec::new(),
                    });
                    by_slug.insert(key, site.conditions.len() - 1);
                    site.conditions.len() - 1
                }
            };
            named.push(c);
        }
        for c in named {
            if site.conditions[c].pages.last() != Some(&i) {
                site.conditions[c].pages.push(i);
            }
        }
    }
    // Each page's title in lower case, made once for all its conditions.
    let mut lower: Vec<Option<String>> = vec![None; site.pages.len()];
    for c in &site.conditions {
        for &p in &c.pages {
            if lower[p].is_none() {
                lower[p] = Some(site.pages[p].title().to_lowercase());
            }
        }
    }
    for c in &mut site.conditions {
        c.pages.sort_by(|&a, &b| lower[a].cmp(&lower[b]));
    }
    let mut conditions = std::mem::take(&mut site.conditions);
    let config = &site.config;
    conditions.sort_by_cached_key(|c| (config.language_rank(&c.lang), c.name.to_lowercase()));
    site.conditions = conditions;
    // Each page's condition indexes, after sorting.
    for p in &mut site.pages {
        p.conditions.clear();
    }
    for (ci, c) in site.conditions.iter().enumerate() {
        for &p in &c.pages {
            site.pages[p].conditions.push(ci);
        }
    }
    clashes(site, &lists, diags);
}

/// Pages and sections at the address of a language's list of conditions
/// or of a condition's page.
fn clashes(site: &Site, lists: &HashMap<String, String>, diags: &mut Diagnostics) {
    // Only what is under a list can clash, which is seldom anything.
    let under_list = |path: &str| lists.values().any(|l| path.starts_with(l.as_str()));
    let mut taken: HashMap<&str, PathBuf> = HashMap::default();
    for s in site.sections.iter().filter(|s| under_list(&s.path)) {
        taken.insert(&s.path, s.display.clone());
    }
    for p in site.pages.iter().filter(|p| under_list(&p.path)) {
        taken.insert(&p.path, p.display());
    }
    if taken.is_empty() {
        return;
    }
    for list in lists.values() {
        if let Some(other) = taken.get(list.as_str()) {
            diags.push(
                Diagnostic::error(
                    other,
                    format!("`{list}` is where medsite lists the conditions"),
                )
                .with_help(
                    "rename this folder or page (or set another conditions_path in site.toml); condition pages are made from the pages' `conditions`",
                ),
            );
        }
    }
    for c in &site.conditions {
        if let Some(other) = taken.get(c.path.as_str()) {
            diags.push(
                Diagnostic::error(other, format!("this page has the address `{}`, which medsite uses for the condition `{}`", c.path, c.name))
                    .with_help("move or rename the page; condition pages are made from the pages' `conditions`"),
            );
        }
    }
}
