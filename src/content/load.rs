//! Loading `content/` into a [`Site`]: walking the folder, reading and
//! parsing every file in parallel, then assembling sections, pages, URLs,
//! the link table and related pages. Every problem of every file is
//! collected; the site stays complete enough to render so that one build
//! reports them all. Not for conditions (see `conditions`).

use super::fields::{self, FrontText};
use super::front_matter::{self, PageFront, PageKind, SectionFront, SortBy};
use super::paths::{dir_of, is_ignored_name, resolve_relative};
use super::{Asset, Bodies, Body, LoadOptions, Page, Section, Site, Target, conditions, spanned};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, line_col, relative};
use crate::slug::slugify;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The parsed front matter of a file: a section's or a page's.
#[derive(Debug)]
enum Meta {
    Page(Box<PageFront>),
    Section(Box<SectionFront>),
}

/// One file, read and parsed.
#[derive(Debug)]
struct Loaded {
    rel: String,
    display: PathBuf,
    meta: Meta,
    front: FrontText,
    body: Body,
}

fn is_section_file(rel: &str) -> bool {
    rel == "_index.md" || rel.ends_with("/_index.md")
}

impl Site {
    /// Loads `root/content` with `config`: the site and its bodies. Problems
    /// in files are collected in [`Site::diagnostics`] (the site stays
    /// complete enough to render, so that one build reports everything);
    /// `Err` only when there is no content to load.
    pub fn load(
        root: &Path,
        config: Config,
        opts: &LoadOptions,
    ) -> Result<(Site, Bodies), Diagnostics> {
        let content = root.join("content");
        let mut diags = Diagnostics::default();
        if !content.is_dir() {
            diags.push(
                Diagnostic::error("content", "there is no content/ folder")
                    .with_help("create content/ with a content/_index.md for the home page, or run `medsite init DIR`"),
            );
            return Err(diags);
        }
        let mut md_files = Vec::new();
        let mut assets = Vec::new();
        let walker = walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let p = e.path().map(|p| relative(p, root)).unwrap_or_default();
                    diags.push(Diagnostic::error(p, format!("cannot read: {e}")));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel_path = entry.path().strip_prefix(&content).unwrap_or(entry.path());
            let Some(rel) = rel_path.to_str().map(|s| s.replace('\\', "/")) else {
                diags.push(
                    Diagnostic::error(
                        relative(entry.path(), root),
                        "the file name is not valid UTF-8",
                    )
                    .with_help("rename the file using letters, digits and hyphens"),
                );
                continue;
            };
            if rel.ends_with(".md") {
                md_files.push((rel, entry.path().to_path_buf()));
            } else {
                assets.push(Asset {
                    source: entry.path().to_path_buf(),
                    rel,
                });
            }
        }

        // Read and parse every file in parallel; collect all problems.
        let results: Vec<Result<Loaded, Vec<Diagnostic>>> = md_files
            .par_iter()
            .map(|(rel, path)| read_one(rel, path))
            .collect();
        let mut loaded = Vec::with_capacity(results.len());
        let mut broken = HashSet::new();
        for (r, (rel, _)) in results.into_iter().zip(&md_files) {
            match r {
                Ok(l) => loaded.push(l),
                Err(ds) => {
                    broken.insert(rel.clone());
                    diags.extend(ds);
                }
            }
        }

        let mut site = Site {
            root: root.to_path_buf(),
            config,
            pages: Vec::new(),
            sections: Vec::new(),
            conditions: Vec::new(),
            asset_files: assets.iter().map(|a| a.rel.clone()).collect(),
            assets,
            by_file: HashMap::new(),
            drafts: HashSet::new(),
            broken,
            diagnostics: Vec::new(),
        };
        let mut bodies = Bodies::default();
        let mut by_path = assemble(&mut site, &mut bodies, loaded, opts, &mut diags);
        conditions::collect(&mut site, &mut by_path, &mut diags);
        site.diagnostics = diags.0;
        Ok((site, bodies))
    }
}

/// Builds sections and pages from the loaded files; returns the site paths
/// taken so far (path → file), for the conditions that come next.
fn assemble(
    site: &mut Site,
    bodies: &mut Bodies,
    loaded: Vec<Loaded>,
    opts: &LoadOptions,
    diags: &mut Diagnostics,
) -> HashMap<String, String> {
    let mut section_files = Vec::new();
    let mut page_files = Vec::new();
    for l in loaded {
        match l.meta {
            Meta::Section(meta) => section_files.push((*meta, l.rel, l.display, l.front, l.body)),
            Meta::Page(meta) => page_files.push((*meta, l.rel, l.display, l.front, l.body)),
        }
    }
    // Sections first: every `_index.md`, plus the home page.
    let mut section_by_dir: HashMap<String, usize> = HashMap::new();
    let mut draft_dirs: Vec<String> = Vec::new();
    let mut has_home = false;
    for (meta, rel, display, front, body) in section_files {
        let dir = dir_of(&rel).to_owned();
        if meta.draft && !opts.drafts {
            site.drafts.insert(rel);
            if !dir.is_empty() {
                draft_dirs.push(format!("{dir}/"));
            }
            continue;
        }
        diags.extend(fields::check_section(&meta, &front));
        has_home |= dir.is_empty();
        let (path, out) = if dir.is_empty() {
            ("/".to_owned(), "index.html".to_owned())
        } else {
            (format!("/{dir}/"), format!("{dir}/index.html"))
        };
        section_by_dir.insert(dir.clone(), site.sections.len());
        bodies.sections.push(body);
        site.sections.push(Section {
            rel,
            display,
            dir,
            page_kind: meta.page_kind,
            meta,
            path,
            out,
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
            has_file: true,
        });
    }
    if !has_home {
        section_by_dir.insert(String::new(), site.sections.len());
        bodies.sections.push(Body {
            text: String::new(),
            line: 1,
        });
        site.sections.push(Section {
            rel: "_index.md".to_owned(),
            display: PathBuf::from("content/_index.md"),
            dir: String::new(),
            meta: SectionFront {
                title: Some(spanned::Spanned::new(site.config.title.clone())),
                summary: Some(spanned::Spanned::new(site.config.description.clone())),
                ..SectionFront::default()
            },
            path: "/".to_owned(),
            out: "index.html".to_owned(),
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
            page_kind: None,
            has_file: false,
        });
    }
    // Parents (nearest ancestor folder with a section) in folder order.
    let mut order: Vec<usize> = (0..site.sections.len()).collect();
    order.sort_by(|a, b| site.sections[*a].dir.cmp(&site.sections[*b].dir));
    for &i in &order {
        let dir = site.sections[i].dir.clone();
        if dir.is_empty() {
            continue;
        }
        let parent = nearest_section(&section_by_dir, dir_of(&dir));
        site.sections[i].parent = Some(parent);
        site.sections[parent].subsections.push(i);
        if site.sections[i].meta.page_kind.is_none() {
            site.sections[i].page_kind = site.sections[parent].page_kind;
        }
    }

    let mut by_path: HashMap<String, String> = HashMap::new();
    for (i, s) in site.sections.iter().enumerate() {
        by_path.insert(s.path.clone(), s.display.display().to_string());
        site.by_file.insert(s.rel.clone(), Target::Section(i));
    }
    // Drafts are left out; the rest is checked in parallel.
    let mut kept = Vec::with_capacity(page_files.len());
    for f in page_files {
        if (f.0.draft && !opts.drafts) || draft_dirs.iter().any(|d| f.1.starts_with(d.as_str())) {
            site.drafts.insert(f.1);
        } else {
            kept.push(f);
        }
    }
    let sections = &site.sections;
    let by_dir = &section_by_dir;
    let prepared: Vec<_> = kept
        .into_par_iter()
        .map(|(meta, rel, display, front, body)| {
            // `folder/index.md` is a page bundle: the page takes the folder's
            // address, and the files beside it end up beside its index.html.
            let bundle = rel == "index.md" || rel.ends_with("/index.md");
            let file_dir = dir_of(&rel).to_owned();
            let dir = if bundle {
                dir_of(&file_dir).to_owned()
            } else {
                file_dir
            };
            let section = nearest_section(by_dir, &dir);
            let kind = meta.kind.or(sections[section].page_kind).unwrap_or(
                if meta.generic_name.is_some() {
                    PageKind::Medication
                } else {
                    PageKind::Article
                },
            );
            let checked = fields::check_page(&meta, kind, &front);
            (
                meta, rel, display, front, body, dir, bundle, section, kind, checked,
            )
        })
        .collect();
    site.pages.reserve_exact(prepared.len());
    bodies.pages.reserve_exact(prepared.len());
    for (meta, rel, display, front, body, dir, bundle, section, kind, checked) in prepared {
        // A page with wrong fields is still rendered, so that problems in
        // its body are reported in the same build.
        let dates = checked.unwrap_or_else(|ds| {
            diags.extend(ds);
            Default::default()
        });
        let file_dir = dir_of(&rel);
        let stem = if bundle {
            file_dir.rsplit('/').next().unwrap_or(file_dir)
        } else {
            rel.rsplit('/')
                .next()
                .unwrap_or(&rel)
                .trim_end_matches(".md")
        };
        // A slug that fails its check (its error is reported) gives way to
        // the file name, so that nothing is written outside the output.
        let slug = match &meta.slug {
            Some(s) if fields::check_slug(s).is_ok() => s.value.clone(),
            _ => slugify(stem),
        };
        if slug.is_empty() && rel == "index.md" {
            diags.push(
                Diagnostic::error(
                    &display,
                    "`content/index.md` would have no address of its own",
                )
                .with_help("the home page is `content/_index.md`; rename the file"),
            );
            continue;
        }
        if slug.is_empty() {
            diags.push(
                Diagnostic::error(
                    &display,
                    format!("the file name `{stem}.md` gives an empty URL"),
                )
                .with_help(
                    "rename the file with letters or digits, or set `slug:` in the front matter",
                ),
            );
            continue;
        }
        let path = if dir.is_empty() {
            format!("/{slug}/")
        } else {
            format!("/{dir}/{slug}/")
        };
        let out = format!("{}index.html", &path[1..]);
        if let Some(other) = by_path.get(&path) {
            diags.push(
                Diagnostic::error(
                    &display,
                    format!("this page has the same URL `{path}` as {other}"),
                )
                .with_help("give one of them another file name or a different `slug:`"),
            );
            continue;
        }
        by_path.insert(path.clone(), display.display().to_string());
        site.by_file
            .insert(rel.clone(), Target::Page(site.pages.len()));
        bodies.pages.push(body);
        site.pages.push(Page {
            rel,
            display,
            meta,
            kind,
            dates,
            front,
            section,
            slug,
            path,
            out,
            related: Vec::new(),
            conditions: Vec::new(),
        });
    }

    // Related pages, now that every page is known.
    for idx in 0..site.pages.len() {
        let page = &site.pages[idx];
        let mut related = Vec::new();
        for r in page.meta.related.iter().flatten() {
            let target = resolve_relative(page.dir(), r.split('#').next().unwrap_or(r));
            match target.as_ref().and_then(|t| site.by_file.get(t)) {
                Some(Target::Page(p)) => related.push(*p),
                _ if target.as_ref().is_some_and(|t| site.broken.contains(t)) => {}
                Some(Target::Section(_)) | None => {
                    let why = match &target {
                        Some(t) if site.drafts.contains(t) => {
                            format!("`{}` is a draft page, which is not built", r.value)
                        }
                        _ => format!("`{}` in `related` is not a page of this site", r.value),
                    };
                    diags.push(page.front.at(
                        Diagnostic::error(&page.display, why)
                            .with_help("write the path of another page's .md file, relative to this one, e.g. `methotrexate.md`"),
                        r.pos,
                    ));
                }
            }
        }
        site.pages[idx].related = related;
    }

    // Sections list their pages.
    for (i, p) in site.pages.iter().enumerate() {
        site.sections[p.section].pages.push(i);
    }
    for s in 0..site.sections.len() {
        let mut pages = std::mem::take(&mut site.sections[s].pages);
        let by_weight = site.sections[s].meta.sort_by == Some(SortBy::Weight);
        let key = |p: &Page| {
            (
                if by_weight {
                    p.meta.weight.unwrap_or(i64::MAX)
                } else {
                    0
                },
                p.title().to_lowercase(),
            )
        };
        pages.sort_by(|a, b| {
            let (pa, pb) = (&site.pages[*a], &site.pages[*b]);
            key(pa).cmp(&key(pb)).then_with(|| pa.path.cmp(&pb.path))
        });
        site.sections[s].pages = pages;
        let mut subs = std::mem::take(&mut site.sections[s].subsections);
        let key = |s: &Section| (s.meta.weight.unwrap_or(i64::MAX), s.title().to_lowercase());
        subs.sort_by(|a, b| key(&site.sections[*a]).cmp(&key(&site.sections[*b])));
        site.sections[s].subsections = subs;
    }
    by_path
}

fn nearest_section(by_dir: &HashMap<String, usize>, dir: &str) -> usize {
    let mut d = dir;
    loop {
        if let Some(&i) = by_dir.get(d) {
            return i;
        }
        if d.is_empty() {
            return 0;
        }
        d = dir_of(d);
    }
}

/// Reads page `i` of `site` from disk again: its front matter (checked for
/// the page's kind) and its body. For the dev server, which compares the
/// front matter with the loaded one to decide what to rebuild.
pub fn read_page(site: &Site, i: usize) -> Result<(PageFront, Body), Vec<Diagnostic>> {
    let page = &site.pages[i];
    let path = site.root.join("content").join(&page.rel);
    let l = read_one(&page.rel, &path)?;
    match l.meta {
        Meta::Page(meta) => {
            fields::check_page(&meta, page.kind, &l.front)?;
            Ok((*meta, l.body))
        }
        Meta::Section(_) => Err(vec![Diagnostic::error(&l.display, "not a page")]),
    }
}

fn read_one(rel: &str, path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let display = PathBuf::from("content").join(rel);
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(
            &display,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let (line, col) = line_col(&prefix, prefix.len());
            return Err(vec![
                Diagnostic::error(&display, "the file is not valid UTF-8 text")
                    .at(&lossy, line, col)
                    .with_help(
                        "save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)",
                    ),
            ]);
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    let split = front_matter::split(&display, &text).map_err(|d| vec![d])?;
    let meta = if is_section_file(rel) {
        Meta::Section(Box::new(
            front_matter::parse_section(&display, &text, &split).map_err(|d| vec![d])?,
        ))
    } else {
        Meta::Page(Box::new(
            front_matter::parse_page(&display, &text, &split).map_err(|d| vec![d])?,
        ))
    };
    let front = FrontText::new(&display, &text, &split);
    let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    let line = split.body_line;
    // The body reuses the file's text: no copy of it is made.
    text.drain(..body_start.min(text.len()));
    Ok(Loaded {
        rel: rel.to_owned(),
        display,
        meta,
        front,
        body: Body { text, line },
    })
}
