//! Conditions: the names in pages' `conditions`, each with a page of its own
//! under its language's conditions list (`/conditions/`, `/nb/tilstander/`),
//! listing the pages of that language that name it. Part of loading the
//! [`Site`]; not for rendering those pages.

use super::{Condition, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::slugify;
use rustc_hash::FxHashMap as HashMap;

/// Collects the conditions of every page into `site.conditions` (sorted by
/// name) and each page's `conditions`. `by_path` holds the site paths taken
/// by pages and sections, which a condition must not take.
pub(super) fn collect(
    site: &mut Site,
    by_path: &mut HashMap<String, String>,
    diags: &mut Diagnostics,
) {
    let lists: HashMap<String, String> = site
        .config
        .languages()
        .iter()
        .map(|l| (l.code.clone(), l.conditions_path()))
        .collect();
    for list in lists.values() {
        if let Some(other) = by_path.get(list) {
            diags.push(
                Diagnostic::error(
                    other.as_str(),
                    format!("`{list}` is where medsite lists the conditions"),
                )
                .with_help(
                    "rename this folder or page (or set another conditions_path in site.toml); condition pages are made from the pages' `conditions`",
                ),
            );
        }
    }
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
                    if let Some(other) = by_path.get(&path) {
                        diags.push(
                            Diagnostic::error(other.as_str(), format!("this page has the address `{path}`, which medsite uses for the condition `{trimmed}`"))
                                .with_help("move or rename the page; condition pages are made from the pages' `conditions`"),
                        );
                    }
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
}
