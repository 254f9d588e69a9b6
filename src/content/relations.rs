//! What pages say about each other once every page is known: the pages in
//! `related` (shown in the page's own language where they are translated),
//! the order of each section's pages and subsections, and (through
//! `conditions`) the conditions. Part of loading the [`Site`], and all
//! that a front-matter edit finds again (`patch`); not for placing pages
//! (`assemble`).

use super::front_matter::SortBy;
use super::paths::resolve_relative;
use super::{Section, Site, Target, conditions};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Links the placed pages: related pages, listing order, conditions. The
/// site's diagnostics so far are the problems of single files
/// ([`Site::file_problems`]); those found here follow them.
pub(super) fn link(site: &mut Site) {
    let mut diags = Diagnostics::default();
    related(site, &mut diags);
    order_listings(site);
    conditions::collect(site, &mut diags);
    site.file_problems = site.diagnostics.len();
    site.diagnostics.extend(diags.0);
}

/// Related pages, now that every page is known. A translation's related
/// pages are shown in its language where they are translated.
pub(super) fn related(site: &mut Site, diags: &mut Diagnostics) {
    for idx in 0..site.pages.len() {
        let page = &site.pages[idx];
        let mut related = Vec::new();
        for r in page.meta.related.iter().flatten() {
            let target = resolve_relative(page.dir(), r.split('#').next().unwrap_or(r));
            match target.as_ref().and_then(|t| site.by_file.get(t)) {
                Some(Target::Page(p)) => related.push(site.page_in(*p, &page.lang).unwrap_or(*p)),
                _ if target.as_ref().is_some_and(|t| site.broken.contains(t)) => {}
                Some(Target::Section(_)) | None => {
                    let why = match &target {
                        Some(t) if site.drafts.contains(t) => {
                            format!("`{}` is a draft page, which is not built", r.value)
                        }
                        _ => format!("`{}` in `related` is not a page of this site", r.value),
                    };
                    diags.push(page.front.at(
                        Diagnostic::error(page.display(), why)
                            .with_help("write the path of another page's .md file, relative to this one, e.g. `methotrexate.md`"),
                        r.pos,
                    ));
                }
            }
        }
        site.pages[idx].related = related;
    }
}

/// Sections list their pages and subsections in display order.
pub(super) fn order_listings(site: &mut Site) {
    for (i, p) in site.pages.iter().enumerate() {
        site.sections[p.section].pages.push(i);
    }
    for s in 0..site.sections.len() {
        let mut pages = std::mem::take(&mut site.sections[s].pages);
        let by_weight = site.sections[s].meta.sort_by == Some(SortBy::Weight);
        // Each page's key is made once, not at every comparison.
        pages.sort_by_cached_key(|&i| {
            let p = &site.pages[i];
            let weight = if by_weight {
                p.meta.weight.unwrap_or(i64::MAX)
            } else {
                0
            };
            (weight, p.title().to_lowercase(), p.path.clone())
        });
        site.sections[s].pages = pages;
        let mut subs = std::mem::take(&mut site.sections[s].subsections);
        let key = |s: &Section| (s.meta.weight.unwrap_or(i64::MAX), s.title().to_lowercase());
        subs.sort_by(|a, b| key(&site.sections[*a]).cmp(&key(&site.sections[*b])));
        site.sections[s].subsections = subs;
    }
}
