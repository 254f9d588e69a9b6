//! The pages of listings: what a section's page and its later parts, and
//! a condition's page and its parts, give their templates (`section`,
//! `condition`, `pagination`), and the outputs of the parts that have no
//! body of their own ([`SectionPartOutput`], [`ConditionOutput`]).
//!
//! Not for the plan of which part shows what (`listing`) or the order of
//! an A–Z index (`az`).

use super::az::{AzIndex, Entry, Names};
use super::listing::{Listings, out_of, part_path};
use super::targets::{conditions_crumbs, language, section_template};
use super::views::{Crumb, SectionSummary, SectionView, permalink};
use super::{Output, Renderer, with_key};
use crate::content::{Condition, Site, Target};
use crate::markdown::Rendered;
use serde::Serialize;
use tera::Context;

/// The pagination of part `k` of `total` of the listing at `path`.
fn pagination(r: &Renderer, path: &str, k: usize, total: usize) -> tera::Value {
    if total <= 1 {
        return tera::Value::none();
    }
    let url = |n: usize| r.url(&part_path(path, n));
    let shown = |n: usize| total <= 9 || n == 1 || n == total || n.abs_diff(k) <= 2;
    let mut pages = Vec::new();
    for n in 1..=total {
        if shown(n) {
            pages.push(PageLink {
                number: Some(n),
                url: url(n),
                current: n == k,
            });
        } else if shown(n - 1) {
            pages.push(PageLink {
                number: None,
                url: String::new(),
                current: false,
            });
        }
    }
    tera::Value::from_serializable(&Pagination {
        current: k,
        total,
        prev: (k > 1).then(|| url(k - 1)),
        next: (k < total).then(|| url(k + 1)),
        pages,
    })
}

/// The A–Z part `range` of `index` for templates: its letter groups, each
/// marked when it started on an earlier part.
fn az_part(
    r: &Renderer,
    index: &AzIndex,
    letters: &tera::Value,
    range: std::ops::Range<usize>,
) -> tera::Value {
    let entry = |e: &Entry| {
        let page = &r.site.pages[e.page];
        tera::Value::from_serializable(&EntryView {
            name: r.site.name(e),
            url: r.url(&page.path),
            see: r.site.see(e),
            summary: page.meta.summary(),
        })
    };
    // A page's entries, all made at once for the values kept.
    let all = |p: usize| -> Box<[tera::Value]> {
        let brands = r.site.pages[p].meta.brand_names().len();
        (0..=brands)
            .map(|i| {
                entry(&Entry::of(
                    p,
                    i.checked_sub(1).and_then(|b| u32::try_from(b).ok()),
                ))
            })
            .collect()
    };
    let groups: Vec<tera::Value> = index
        .groups
        .iter()
        .filter(|g| g.start < range.end && g.end > range.start)
        .map(|g| {
            let entries: Vec<tera::Value> = index.entries
                [g.start.max(range.start)..g.end.min(range.end)]
                .iter()
                .map(|e| match r.values {
                    Some(v) => v.entry(e, || all(e.page)),
                    None => entry(e),
                })
                .collect();
            let mut group = tera::Map::new();
            group.insert("letter".into(), g.letter.as_str().into());
            group.insert("id".into(), g.id.as_str().into());
            group.insert("continued".into(), (g.start < range.start).into());
            group.insert("entries".into(), entries.into());
            tera::Value::from(group)
        })
        .collect();
    with_key(
        with_key(
            tera::Value::from(tera::Map::new()),
            "letters",
            letters.clone(),
        ),
        "groups",
        tera::Value::from(groups),
    )
}

/// What a section's template receives on part `part` of its listing;
/// `md` is the section's body, shown on part 1 only.
pub fn section_context(r: &Renderer, index: usize, md: Option<&Rendered>, part: usize) -> Context {
    let s = &r.site.sections[index];
    let listing = &r.listings.sections[index];
    let first = part == 1;
    let view = SectionView {
        title: s.title(),
        path: &s.path,
        url: r.url(&s.path),
        permalink: permalink(&r.config.base_url, &s.path),
        summary: s.meta.summary(),
        content: md.map_or("", |m| m.html.as_str()),
        toc: md.map_or(&[], |m| m.toc.as_slice()),
        subsections: if first {
            s.subsections
                .iter()
                .map(|&c| {
                    let c = &r.site.sections[c];
                    SectionSummary {
                        title: c.title().to_owned(),
                        url: r.url(&c.path),
                        summary: c.meta.summary().to_owned(),
                        page_count: c.pages.len(),
                    }
                })
                .collect()
        } else {
            Vec::new()
        },
        extra: &s.meta.extra,
    };
    let lang = s.lang.as_str();
    let path = part_path(&s.path, part);
    let crumbs = if s.is_home() {
        Vec::new()
    } else {
        r.crumbs_for_section(index)
    };
    // A later part has no version in another language of its own.
    let versions = if first {
        r.site.language_versions(Target::Section(index))
    } else {
        Vec::new()
    };
    let mut ctx = r.base_context(lang, &path, view.summary, crumbs, &versions);
    let mut value = tera::Value::from_serializable(&view);
    let (pages, az) = match &listing.az {
        Some(index) => {
            let range = r.listings.range(part, index.entries.len());
            let pages: Vec<usize> = index.entries[range.clone()]
                .iter()
                .filter(|e| !e.is_brand())
                .map(|e| e.page)
                .collect();
            (pages, az_part(r, index, &listing.letters, range))
        }
        None => (
            s.pages[r.listings.range(part, s.pages.len())].to_vec(),
            tera::Value::none(),
        ),
    };
    value = with_key(value, "pages", r.summary_list(&pages));
    value = with_key(value, "az", az);
    let recent = match r.listings.recent.get(lang) {
        Some(recent) if first && s.is_home() => r.summary_list(recent),
        _ => r.summary_list(&[]),
    };
    value = with_key(value, "recent", recent);
    ctx.insert_value("section", value);
    ctx.insert_value("pagination", pagination(r, &s.path, part, listing.parts));
    ctx
}

/// Part 2 or later of a section's listing (part 1 is the section's own
/// page, with its body).
pub struct SectionPartOutput {
    pub index: usize,
    pub part: usize,
    template: &'static str,
    out: String,
}

impl Output for SectionPartOutput {
    fn template(&self) -> &'static str {
        self.template
    }
    fn file(&self) -> &str {
        &self.out
    }
    fn context(&self, r: &Renderer) -> Context {
        section_context(r, self.index, None, self.part)
    }
}

/// One part of the page of one condition, listing the medicines used for it.
pub struct ConditionOutput<'a> {
    pub condition: &'a Condition,
    pub part: usize,
    pub total: usize,
    out: String,
}

impl<'a> ConditionOutput<'a> {
    pub fn new(condition: &'a Condition, part: usize, total: usize) -> Self {
        ConditionOutput {
            condition,
            part,
            total,
            out: if part == 1 {
                condition.out.clone()
            } else {
                out_of(&part_path(&condition.path, part))
            },
        }
    }
}

impl Output for ConditionOutput<'_> {
    fn template(&self) -> &'static str {
        "condition.html"
    }
    fn file(&self) -> &str {
        &self.out
    }
    fn context(&self, r: &Renderer) -> Context {
        let c = self.condition;
        let lang = language(r, &c.lang);
        let mut crumbs = conditions_crumbs(r, lang);
        crumbs.push(Crumb {
            title: c.name.clone(),
            url: r.url(&c.path),
        });
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("condition", c.name.as_str());
        let description = r
            .strings
            .get(&c.lang, "condition-description", Some(&args))
            .unwrap_or_else(|e| e);
        let path = part_path(&c.path, self.part);
        let mut ctx = r.base_context(&c.lang, &path, &description, crumbs, &[]);
        let condition = serde_json::json!({"name": c.name, "slug": c.slug, "url": r.url(&c.path)});
        let range = r.listings.range(self.part, c.pages.len());
        ctx.insert_value(
            "condition",
            with_key(
                tera::Value::from_serializable(&condition),
                "pages",
                r.summary_list(&c.pages[range]),
            ),
        );
        ctx.insert_value("pagination", pagination(r, &c.path, self.part, self.total));
        ctx
    }
}

/// The outputs of every listing part that has no body of its own: each
/// part of each condition's page, and the later parts of sections.
pub fn outputs<'a>(site: &'a Site, listings: &Listings) -> Vec<Box<dyn Output + 'a>> {
    let mut out: Vec<Box<dyn Output + 'a>> = Vec::new();
    for (c, &n) in site.conditions.iter().zip(&listings.conditions) {
        for k in 1..=n {
            out.push(Box::new(ConditionOutput::new(c, k, n)));
        }
    }
    for (i, (s, l)) in site.sections.iter().zip(&listings.sections).enumerate() {
        for k in 2..=l.parts {
            out.push(Box::new(SectionPartOutput {
                index: i,
                part: k,
                template: section_template(s),
                out: out_of(&part_path(&s.path, k)),
            }));
        }
    }
    out
}

/// One entry of an A–Z part.
#[derive(Serialize)]
struct EntryView<'a> {
    name: &'a str,
    url: String,
    /// For a brand name: the generic name it leads to.
    see: Option<&'a str>,
    /// The summary of the page it leads to.
    summary: &'a str,
}

/// One link of the pagination.
#[derive(Serialize)]
struct PageLink {
    /// `null` for a gap (…) between numbers.
    number: Option<usize>,
    url: String,
    current: bool,
}

/// What listing templates receive as `pagination` (`null` when the
/// listing has one part).
#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// The first and last parts, and those near the current one, with gaps.
    pages: Vec<PageLink>,
}
