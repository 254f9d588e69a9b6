//! Loading `content/` into a [`Site`]: walking the folder, reading and
//! parsing every file in parallel, then assembling sections, pages, URLs,
//! the link table and related pages. Every problem of every file is
//! collected; the site stays complete enough to render so that one build
//! reports them all. Not for conditions (see `conditions`).

use super::fields::{self, FrontText};
use super::front_matter::{self, PageFront, SectionFront};
use super::paths::is_ignored_name;
use super::translations::split_lang;
use super::{Asset, Bodies, Body, LoadOptions, Site, assemble, relations};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, line_col, relative};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The parsed front matter of a file: a section's or a page's.
#[derive(Debug, Clone)]
pub(super) enum Meta {
    /// Shared: the dev server keeps it in the files read and in the site.
    Page(std::sync::Arc<PageFront>),
    Section(Box<SectionFront>),
}

/// One file, read and parsed.
#[derive(Debug, Clone)]
pub(super) struct Loaded {
    pub rel: String,
    /// `rel` without its language part: `medications/ilaris.md` for
    /// `medications/ilaris.nb.md`.
    pub base: String,
    pub lang: String,
    pub display: PathBuf,
    pub meta: Meta,
    pub front: FrontText,
    pub body: Body,
}

pub(super) fn is_section_file(rel: &str) -> bool {
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
        let files = Site::read_files(root, &config, opts)?;
        Ok(Site::assemble_files(root, config, files, opts))
    }

    /// Reads and parses every file of `root/content` as `opts` says; the
    /// dev server keeps them, so that a later change re-reads only the
    /// files it touched ([`Files::reread`]).
    pub fn read_files(
        root: &Path,
        config: &Config,
        opts: &LoadOptions,
    ) -> Result<Files, Diagnostics> {
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

        let overlay = opts.overlay.as_deref();
        if let Some(overlay) = overlay {
            md_files.retain(|(rel, _)| !overlay.contains_key(rel));
            for (rel, text) in overlay {
                if text.is_some() && rel.ends_with(".md") {
                    md_files.push((rel.clone(), content.join(rel)));
                }
            }
            md_files.sort();
        }

        // Read and parse every file in parallel; collect all problems.
        let results: Vec<Result<Loaded, Vec<Diagnostic>>> = md_files
            .par_iter()
            .map(|(rel, path)| {
                let saved = overlay.and_then(|o| o.get(rel)).and_then(|t| t.as_deref());
                let keep_body = !opts.stream_bodies || saved.is_some();
                read_one(rel, path, config, saved, keep_body)
            })
            .collect();
        Ok(Files {
            md: md_files
                .into_iter()
                .map(|(rel, _)| rel)
                .zip(results)
                .collect(),
            assets,
            problems: diags.0,
        })
    }

    /// The site and its bodies from files read before.
    pub fn assemble_files(
        root: &Path,
        config: Config,
        files: Files,
        opts: &LoadOptions,
    ) -> (Site, Bodies) {
        let mut diags = Diagnostics(files.problems);
        let mut loaded = Vec::with_capacity(files.md.len());
        let mut broken = HashSet::new();
        for (rel, r) in files.md {
            match r {
                Ok(l) => loaded.push(l),
                Err(ds) => {
                    broken.insert(rel);
                    diags.extend(ds);
                }
            }
        }
        let assets = files.assets;
        let mut site = Site {
            root: root.to_path_buf(),
            config,
            pages: Vec::new(),
            sections: Vec::new(),
            conditions: Vec::new(),
            asset_files: assets.iter().map(|a| a.rel.clone()).collect(),
            assets,
            by_file: Default::default(),
            drafts: HashSet::new(),
            broken,
            diagnostics: Vec::new(),
            file_problems: 0,
        };
        let mut bodies = Bodies::default();
        assemble::assemble(&mut site, &mut bodies, loaded, opts, &mut diags);
        site.diagnostics = diags.0;
        relations::link(&mut site);
        (site, bodies)
    }
}

/// Every content file as read: each `.md` file parsed (or its problems),
/// in the order the folder was walked, the other files, and the problems
/// of the walk. Kept by the dev server between edits.
#[derive(Debug, Clone, Default)]
pub struct Files {
    md: Vec<(String, Result<Loaded, Vec<Diagnostic>>)>,
    assets: Vec<Asset>,
    problems: Vec<Diagnostic>,
}

impl Files {
    /// The file `rel` as read, when it could be read and parsed.
    pub(super) fn get(&self, rel: &str) -> Option<&Loaded> {
        let at = self.md.binary_search_by(|(r, _)| walk_order(r, rel)).ok()?;
        self.md[at].1.as_ref().ok()
    }

    /// Reads the `.md` files `rels` (paths inside `content/`) again: a
    /// file that is gone is dropped, a new one takes its place in the
    /// folder's order.
    pub fn reread(&mut self, root: &Path, config: &Config, rels: &[String]) {
        let content = root.join("content");
        for rel in rels {
            let path = content.join(rel);
            let at = self.md.binary_search_by(|(r, _)| walk_order(r, rel));
            if !path.is_file() {
                if let Ok(i) = at {
                    drop(self.md.remove(i));
                }
                continue;
            }
            let read = (rel.clone(), read_one(rel, &path, config, None, true));
            match at {
                Ok(i) => self.md[i] = read,
                Err(i) => self.md.insert(i, read),
            }
        }
    }
}

/// The order walkdir gives with `sort_by_file_name`: folder by folder,
/// each by name, a folder's files before the next name of its parent.
fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Reads page `i` of `site` from disk again: its front matter (checked for
/// the page's kind) and its body. For the dev server, which compares the
/// front matter with the loaded one to decide what to rebuild.
pub fn read_page(site: &Site, i: usize) -> Result<(PageFront, Body), Vec<Diagnostic>> {
    let page = &site.pages[i];
    let path = site.root.join("content").join(&page.rel);
    let l = read_one(&page.rel, &path, &site.config, None, true)?;
    match l.meta {
        Meta::Page(meta) => {
            fields::check_page(&l.display, &meta, page.kind, &l.front)?;
            Ok((std::sync::Arc::unwrap_or_clone(meta), l.body))
        }
        Meta::Section(_) => Err(vec![Diagnostic::error(&l.display, "not a page")]),
    }
}

/// Reads the body of page `i` from disk, for a build that loaded the site
/// with [`LoadOptions::stream_bodies`]. The file was read and checked
/// when the site was loaded; a file changed or removed since gets an
/// error, never a panic.
pub fn read_body(site: &Site, i: usize) -> Result<Body, Diagnostic> {
    let page = &site.pages[i];
    let path = site.root.join("content").join(&page.rel);
    let bytes = std::fs::read(&path).map_err(|e| {
        Diagnostic::error(page.display(), format!("cannot read the file: {e}"))
            .with_help("the file changed while the site was being built; build again")
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error(page.display(), "the file is not valid UTF-8 text")
            .with_help("the file changed while the site was being built; build again")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let split = front_matter::split(&page.display(), text)?;
    Ok(Body {
        text: split.body.into(),
        line: split.body_line,
    })
}

/// Reads and parses one content file; `saved` is its text when it comes
/// from an [`Overlay`](super::Overlay) rather than the disk. Without
/// `keep_body` the body is dropped (see [`read_body`]).
fn read_one(
    rel: &str,
    path: &Path,
    config: &Config,
    saved: Option<&str>,
    keep_body: bool,
) -> Result<Loaded, Vec<Diagnostic>> {
    let display = PathBuf::from("content").join(rel);
    let (base, lang) = split_lang(rel, config, &display).map_err(|d| vec![d])?;
    let read = match saved {
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => std::fs::read(path),
    };
    let bytes = read.map_err(|e| {
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
    let meta = if is_section_file(&base) {
        Meta::Section(Box::new(
            front_matter::parse_section(&display, &text, &split).map_err(|d| vec![d])?,
        ))
    } else {
        Meta::Page(std::sync::Arc::new(
            front_matter::parse_page(&display, &text, &split).map_err(|d| vec![d])?,
        ))
    };
    // A one-off build keeps no page's text, not even its front matter's.
    let front = if keep_body || matches!(meta, Meta::Section(_)) {
        FrontText::new(&text, &split)
    } else {
        FrontText::on_disk(&text, &split)
    };
    let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    let line = split.body_line;
    // The body reuses the file's text: no copy of it is made.
    // A section's body is always kept: sections are few.
    if keep_body || matches!(meta, Meta::Section(_)) {
        text.drain(..body_start.min(text.len()));
    } else {
        text = String::new();
    }
    Ok(Loaded {
        rel: rel.to_owned(),
        base,
        lang,
        display,
        meta,
        front,
        body: Body {
            text: text.into(),
            line,
        },
    })
}
