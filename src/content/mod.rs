//! The content tree: walking `content/`, reading each file, splitting and
//! parsing its front matter, and assembling the immutable [`Site`] that
//! every later step reads (URLs, sections, the link table, conditions).
//!
//! `_index.md` makes its folder a section (the one at the top is the home
//! page); every other `.md` file is a page; any other file is an asset copied
//! to the same place in the output.

pub mod front_matter;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, find_or};
use front_matter::{CheckedDates, FrontMatter, PageKind, Role, SortBy};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Options that change which content is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// One page (a `.md` file other than `_index.md`).
#[derive(Debug, Clone)]
pub struct Page {
    /// Path inside `content/`, with `/` separators: `medications/ilaris.md`.
    pub rel: String,
    /// Path for messages: `content/medications/ilaris.md`.
    pub display: PathBuf,
    pub meta: FrontMatter,
    pub kind: PageKind,
    pub dates: CheckedDates,
    pub body: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// The file's lines before the body (the front matter with its
    /// delimiters), kept for pointing messages at a field.
    pub front: String,
    /// Index of the section the page belongs to.
    pub section: usize,
    pub slug: String,
    /// Site path, e.g. `/medications/ilaris/` (without the base path).
    pub path: String,
    /// Output file, relative to the output folder: `medications/ilaris/index.html`.
    pub out: String,
    /// Indexes of the pages in `related`, in the order written.
    pub related: Vec<usize>,
    /// Indexes into [`Site::conditions`].
    pub conditions: Vec<usize>,
}

impl Page {
    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or_default()
    }
}

/// A section: a folder with an `_index.md` (or the top of `content/`).
#[derive(Debug, Clone)]
pub struct Section {
    /// `medications/_index.md`; `_index.md` for the home page.
    pub rel: String,
    pub display: PathBuf,
    /// Folder inside `content/`: `medications`, or empty for the home page.
    pub dir: String,
    pub meta: FrontMatter,
    pub body: String,
    pub body_line: usize,
    pub path: String,
    pub out: String,
    pub parent: Option<usize>,
    pub subsections: Vec<usize>,
    /// The section's pages, in display order.
    pub pages: Vec<usize>,
    /// Kind of the pages in this section unless they say otherwise (its own
    /// `page_kind` or the nearest parent's). When no section says, a page
    /// with a `generic_name` is a medication page and others are articles.
    pub page_kind: Option<PageKind>,
    /// Whether there was an `_index.md` at all.
    pub has_file: bool,
}

impl Section {
    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or_default()
    }
}

/// A condition named in pages' `conditions`; it gets a page of its own.
#[derive(Debug, Clone)]
pub struct Condition {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub out: String,
    /// Pages naming it, sorted by title.
    pub pages: Vec<usize>,
}

/// A non-Markdown file in `content/`, copied as is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Path inside `content/` and inside the output folder.
    pub rel: String,
}

/// What a content file path points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Page(usize),
    Section(usize),
}

/// The whole site, immutable once loaded.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub conditions: Vec<Condition>,
    pub assets: Vec<Asset>,
    /// `medications/ilaris.md` → the page; the link table.
    pub by_file: HashMap<String, Target>,
    pub asset_files: HashSet<String>,
    /// Files left out because they are drafts (for clearer link errors).
    pub drafts: HashSet<String>,
    /// Files that could not be read or parsed; links to them are not
    /// reported again (their own error says what is wrong).
    pub broken: HashSet<String>,
    /// Errors and warnings found while loading. The site is still complete
    /// enough to render, so that one build reports every problem at once.
    pub diagnostics: Vec<Diagnostic>,
}

/// Site path of the conditions list.
pub const CONDITIONS_PATH: &str = "/conditions/";

struct Loaded {
    rel: String,
    display: PathBuf,
    meta: FrontMatter,
    /// Where the body starts in `text`.
    body_start: usize,
    body_line: usize,
    text: String,
    split_front: (usize, usize, usize),
    format: front_matter::Format,
}

/// Is this file or folder name one medsite ignores (hidden, editor swap files)?
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
        || name == "Thumbs.db"
}

/// Turns a title, file name or heading into a URL segment: lowercase
/// letters and digits, words joined by `-`, punctuation dropped.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || matches!(c, '-' | '_' | '/' | '.' | '+') {
            pending_dash = true;
        }
    }
    out
}

/// Resolves `link` (a relative path written in a page in folder `from_dir`)
/// into a path inside `content/`. `None` when it climbs above `content/`.
pub fn resolve_relative(from_dir: &str, link: &str) -> Option<String> {
    let link = percent_decode(link);
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        from_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    Some(joined)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Parent folder of a content path: `medications/ilaris.md` → `medications`.
pub fn dir_of(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

impl Site {
    /// Loads `root/content` with `config`. Problems in files are collected
    /// in [`Site::diagnostics`] (the site stays complete enough to render, so
    /// that one build reports everything); `Err` only when there is no
    /// content to load.
    pub fn load(root: &Path, config: Config, opts: &LoadOptions) -> Result<Site, Diagnostics> {
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
                    let p = e
                        .path()
                        .map(|p| crate::diagnostics::relative(p, root))
                        .unwrap_or_default();
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
                        crate::diagnostics::relative(entry.path(), root),
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
        site.assemble(loaded, opts, &mut diags);
        site.diagnostics = diags.0;
        Ok(site)
    }

    fn assemble(&mut self, loaded: Vec<Loaded>, opts: &LoadOptions, diags: &mut Diagnostics) {
        // Sections first: every `_index.md`, plus the home page.
        let (index_files, page_files): (Vec<Loaded>, Vec<Loaded>) = loaded
            .into_iter()
            .partition(|l| l.rel == "_index.md" || l.rel.ends_with("/_index.md"));
        let mut section_by_dir: HashMap<String, usize> = HashMap::new();
        let mut draft_dirs: Vec<String> = Vec::new();
        let mut has_home = false;
        for mut l in index_files {
            let dir = dir_of(&l.rel).to_owned();
            if l.meta.draft && !opts.drafts {
                self.drafts.insert(l.rel.clone());
                if !dir.is_empty() {
                    draft_dirs.push(format!("{dir}/"));
                }
                continue;
            }
            let split = l.split();
            match l.meta.check(&l.display, &l.text, &split, Role::Section) {
                Ok(_) => {}
                Err(ds) => diags.extend(ds),
            }
            has_home |= dir.is_empty();
            let path = if dir.is_empty() {
                "/".to_owned()
            } else {
                format!("/{dir}/")
            };
            let out = if dir.is_empty() {
                "index.html".to_owned()
            } else {
                format!("{dir}/index.html")
            };
            section_by_dir.insert(dir.clone(), self.sections.len());
            let body = l.take_body();
            self.sections.push(Section {
                rel: l.rel,
                display: l.display,
                dir,
                page_kind: l.meta.page_kind,
                meta: l.meta,
                body_line: l.body_line,
                body,
                path,
                out,
                parent: None,
                subsections: Vec::new(),
                pages: Vec::new(),
                has_file: true,
            });
        }
        if !has_home {
            section_by_dir.insert(String::new(), self.sections.len());
            self.sections.push(Section {
                rel: "_index.md".to_owned(),
                display: PathBuf::from("content/_index.md"),
                dir: String::new(),
                meta: FrontMatter {
                    title: Some(self.config.title.clone()),
                    summary: Some(self.config.description.clone()),
                    ..FrontMatter::default()
                },
                body: String::new(),
                body_line: 1,
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
        let mut order: Vec<usize> = (0..self.sections.len()).collect();
        order.sort_by(|a, b| self.sections[*a].dir.cmp(&self.sections[*b].dir));
        for &i in &order {
            let dir = self.sections[i].dir.clone();
            if dir.is_empty() {
                continue;
            }
            let parent = nearest_section(&section_by_dir, dir_of(&dir));
            self.sections[i].parent = Some(parent);
            self.sections[parent].subsections.push(i);
            if self.sections[i].meta.page_kind.is_none() {
                self.sections[i].page_kind = self.sections[parent].page_kind;
            }
        }

        // Pages.
        let mut by_path: HashMap<String, String> = HashMap::new();
        for s in &self.sections {
            by_path.insert(s.path.clone(), s.display.display().to_string());
            self.by_file.insert(s.rel.clone(), Target::Section(0));
        }
        for (i, s) in self.sections.iter().enumerate() {
            self.by_file.insert(s.rel.clone(), Target::Section(i));
        }
        let mut pending_related: Vec<(usize, Loaded, Vec<String>)> = Vec::new();
        // Drafts are left out; the rest is checked in parallel.
        let mut kept = Vec::with_capacity(page_files.len());
        for l in page_files {
            if (l.meta.draft && !opts.drafts)
                || draft_dirs.iter().any(|d| l.rel.starts_with(d.as_str()))
            {
                self.drafts.insert(l.rel.clone());
            } else {
                kept.push(l);
            }
        }
        let sections = &self.sections;
        let by_dir = &section_by_dir;
        type Prepared = (
            Loaded,
            String,
            bool,
            usize,
            PageKind,
            Result<CheckedDates, Vec<Diagnostic>>,
        );
        let prepared: Vec<Prepared> = kept
            .into_par_iter()
            .map(|l| {
                // `folder/index.md` is a page bundle: the page takes the folder's
                // address, and the files beside it end up beside its index.html.
                let bundle = l.rel == "index.md" || l.rel.ends_with("/index.md");
                let file_dir = dir_of(&l.rel).to_owned();
                let dir = if bundle {
                    dir_of(&file_dir).to_owned()
                } else {
                    file_dir
                };
                let section = nearest_section(by_dir, &dir);
                let kind = l.meta.kind.or(sections[section].page_kind).unwrap_or(
                    if l.meta.generic_name.is_some() {
                        PageKind::Medication
                    } else {
                        PageKind::Article
                    },
                );
                let split = l.split();
                let checked = l.meta.check(&l.display, &l.text, &split, Role::Page(kind));
                (l, dir, bundle, section, kind, checked)
            })
            .collect();
        for (mut l, dir, bundle, section, kind, checked) in prepared {
            let related_list = l.meta.related.clone().unwrap_or_default();
            let file_dir = dir_of(&l.rel).to_owned();
            // A page with wrong fields is still rendered, so that problems
            // in its body are reported in the same build.
            let dates = match checked {
                Ok(d) => d,
                Err(ds) => {
                    diags.extend(ds);
                    CheckedDates::default()
                }
            };
            let stem = if bundle {
                file_dir.rsplit('/').next().unwrap_or(&file_dir)
            } else {
                l.rel
                    .rsplit('/')
                    .next()
                    .unwrap_or(&l.rel)
                    .trim_end_matches(".md")
            };
            let slug = match &l.meta.slug {
                Some(s) => s.clone(),
                None => slugify(stem),
            };
            if slug.is_empty() && l.rel == "index.md" {
                diags.push(
                    Diagnostic::error(
                        &l.display,
                        "`content/index.md` would have no address of its own",
                    )
                    .with_help("the home page is `content/_index.md`; rename the file"),
                );
                continue;
            }
            if slug.is_empty() {
                diags.push(
                    Diagnostic::error(&l.display, format!("the file name `{stem}.md` gives an empty URL"))
                        .with_help("rename the file with letters or digits, or set `slug:` in the front matter"),
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
                        &l.display,
                        format!("this page has the same URL `{path}` as {other}"),
                    )
                    .with_help("give one of them another file name or a different `slug:`"),
                );
                continue;
            }
            by_path.insert(path.clone(), l.display.display().to_string());
            let idx = self.pages.len();
            self.by_file.insert(l.rel.clone(), Target::Page(idx));
            self.pages.push(Page {
                rel: l.rel.clone(),
                display: l.display.clone(),
                meta: std::mem::take(&mut l.meta),
                kind,
                dates,
                body: String::new(),
                body_line: l.body_line,
                front: String::new(),
                section,
                slug,
                path,
                out,
                related: Vec::new(),
                conditions: Vec::new(),
            });
            pending_related.push((idx, l, related_list));
        }

        // Bodies, related pages (now that every page is known).
        for (idx, mut l, related_list) in pending_related {
            let mut related = Vec::new();
            let dir = dir_of(&l.rel);
            for r in &related_list {
                let target = resolve_relative(dir, r.split('#').next().unwrap_or(r));
                match target.as_ref().and_then(|t| self.by_file.get(t)) {
                    Some(Target::Page(p)) => related.push(*p),
                    _ if target.as_ref().is_some_and(|t| self.broken.contains(t)) => {}
                    Some(Target::Section(_)) | None => {
                        let (line, col) = related_location(&l, r);
                        let why = match &target {
                            Some(t) if self.drafts.contains(t) => {
                                format!("`{r}` is a draft page, which is not built")
                            }
                            _ => format!("`{r}` in `related` is not a page of this site"),
                        };
                        diags.push(
                            Diagnostic::error(&l.display, why)
                                .at(&l.text, line, col)
                                .with_help("write the path of another page's .md file, relative to this one, e.g. `methotrexate.md`"),
                        );
                    }
                }
            }
            let page = &mut self.pages[idx];
            page.related = related;
            page.front = l.text[..l.body_start.min(l.text.len())].to_owned();
            page.body = l.take_body();
        }

        // Sections list their pages.
        for (i, p) in self.pages.iter().enumerate() {
            self.sections[p.section].pages.push(i);
        }
        for s in 0..self.sections.len() {
            let mut pages = std::mem::take(&mut self.sections[s].pages);
            let by_weight = self.sections[s].meta.sort_by == Some(SortBy::Weight);
            pages.sort_by(|a, b| {
                let (pa, pb) = (&self.pages[*a], &self.pages[*b]);
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
                key(pa).cmp(&key(pb)).then_with(|| pa.path.cmp(&pb.path))
            });
            self.sections[s].pages = pages;
            let mut subs = std::mem::take(&mut self.sections[s].subsections);
            subs.sort_by(|a, b| {
                let (sa, sb) = (&self.sections[*a], &self.sections[*b]);
                (
                    sa.meta.weight.unwrap_or(i64::MAX),
                    sa.title().to_lowercase(),
                )
                    .cmp(&(
                        sb.meta.weight.unwrap_or(i64::MAX),
                        sb.title().to_lowercase(),
                    ))
            });
            self.sections[s].subsections = subs;
        }

        self.collect_conditions(&mut by_path, diags);
    }

    fn collect_conditions(
        &mut self,
        by_path: &mut HashMap<String, String>,
        diags: &mut Diagnostics,
    ) {
        if let Some(other) = by_path.get(CONDITIONS_PATH) {
            diags.push(
                Diagnostic::error(other.as_str(), format!("`{CONDITIONS_PATH}` is where medsite lists the conditions"))
                    .with_help("rename this folder or page; condition pages are made from the pages' `conditions`"),
            );
        }
        let mut by_slug: HashMap<String, usize> = HashMap::new();
        for i in 0..self.pages.len() {
            let names = self.pages[i].meta.conditions.clone().unwrap_or_default();
            for name in names {
                let name = name.trim().to_owned();
                let slug = slugify(&name);
                if slug.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            &self.pages[i].display,
                            format!("the condition `{name}` has no letters or digits"),
                        )
                        .with_help("write the condition's name, e.g. `Rheumatoid arthritis`"),
                    );
                    continue;
                }
                let c = match by_slug.get(&slug) {
                    Some(&c) => {
                        if self.conditions[c].name != name {
                            diags.push(Diagnostic::warning(
                                &self.pages[i].display,
                                format!("the condition `{name}` is spelled `{}` on another page; both are listed as `{}`", self.conditions[c].name, self.conditions[c].name),
                            ).with_help("spell each condition the same way on every page"));
                        }
                        c
                    }
                    None => {
                        let path = format!("{CONDITIONS_PATH}{slug}/");
                        let out = format!("{}index.html", &path[1..]);
                        if let Some(other) = by_path.get(&path) {
                            diags.push(
                                Diagnostic::error(other.as_str(), format!("this page has the address `{path}`, which medsite uses for the condition `{name}`"))
                                    .with_help("move or rename the page; condition pages are made from the pages' `conditions`"),
                            );
                        }
                        self.conditions.push(Condition {
                            name,
                            slug: slug.clone(),
                            path,
                            out,
                            pages: Vec::new(),
                        });
                        by_slug.insert(slug, self.conditions.len() - 1);
                        self.conditions.len() - 1
                    }
                };
                if self.conditions[c].pages.last() != Some(&i) {
                    self.conditions[c].pages.push(i);
                    self.pages[i].conditions.push(c);
                }
            }
        }
        for c in &mut self.conditions {
            c.pages.sort_by(|a, b| {
                self.pages[*a]
                    .title()
                    .to_lowercase()
                    .cmp(&self.pages[*b].title().to_lowercase())
            });
        }
        self.conditions.sort_by_key(|c| c.name.to_lowercase());
        // Rebuild each page's condition indexes after sorting.
        for p in &mut self.pages {
            p.conditions.clear();
        }
        for (ci, c) in self.conditions.iter().enumerate() {
            for &p in &c.pages {
                self.pages[p].conditions.push(ci);
            }
        }
    }

    /// The site path of a content file (`medications/ilaris.md` → `/medications/ilaris/`).
    pub fn path_of(&self, target: Target) -> &str {
        match target {
            Target::Page(i) => &self.pages[i].path,
            Target::Section(i) => &self.sections[i].path,
        }
    }

    /// Reads page `i` from disk again: its front matter (checked) and body.
    pub fn reread_page(&self, i: usize) -> Result<(FrontMatter, String, usize), Vec<Diagnostic>> {
        let page = &self.pages[i];
        let path = self.root.join("content").join(&page.rel);
        let mut l = read_one(&page.rel, &path)?;
        let split = l.split();
        l.meta
            .check(&l.display, &l.text, &split, Role::Page(page.kind))?;
        let body_line = l.body_line;
        Ok((l.meta.clone(), l.take_body(), body_line))
    }

    /// The home page's section.
    pub fn home(&self) -> usize {
        self.sections
            .iter()
            .position(|s| s.dir.is_empty())
            .unwrap_or(0)
    }
}

impl Loaded {
    /// The body, reusing the file's text (no copy of the body is made).
    fn take_body(&mut self) -> String {
        let mut text = std::mem::take(&mut self.text);
        text.drain(..self.body_start.min(text.len()));
        text
    }

    fn split(&self) -> front_matter::Split<'_> {
        let (fs, fe, bl) = self.split_front;
        front_matter::Split {
            format: self.format,
            front: &self.text[fs..fe],
            front_line: 2,
            body: "",
            body_line: bl,
        }
    }
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

fn related_location(l: &Loaded, value: &str) -> (usize, usize) {
    let (fs, fe, _) = l.split_front;
    let front = &l.text[fs..fe];
    let start = crate::config::find_key_line(front, "related").map_or(0, |n| {
        front.split_inclusive('\n').take(n - 1).map(str::len).sum()
    });
    let off = find_or(&front[start..], value).map_or(fs + start, |i| fs + start + i);
    crate::diagnostics::line_col(&l.text, off)
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
            let (line, col) = crate::diagnostics::line_col(&prefix, prefix.len());
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
    let meta = front_matter::parse(&display, &text, &split).map_err(|d| vec![d])?;
    let base = text.as_ptr() as usize;
    let fs = split.front.as_ptr() as usize - base;
    let fe = fs + split.front.len();
    let body_start = split.body.as_ptr() as usize - base;
    let body_line = split.body_line;
    let format = split.format;

    Ok(Loaded {
        rel: rel.to_owned(),
        display,
        meta,
        body_start,
        body_line,
        text,
        split_front: (fs, fe, body_line),
        format,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_rules() {
        assert_eq!(
            slugify("Pregnancy and breast-feeding"),
            "pregnancy-and-breast-feeding"
        );
        assert_eq!(slugify("Still's disease"), "stills-disease");
        assert_eq!(slugify("  What it is?  "), "what-it-is");
        assert_eq!(slugify("Før behandling"), "før-behandling");
        assert_eq!(slugify("ilaris_2"), "ilaris-2");
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn relative_resolution() {
        assert_eq!(
            resolve_relative("medications", "methotrexate.md").as_deref(),
            Some("medications/methotrexate.md")
        );
        assert_eq!(
            resolve_relative("medications", "../conditions/gout.md").as_deref(),
            Some("conditions/gout.md")
        );
        assert_eq!(
            resolve_relative("medications", "./a%20b.md").as_deref(),
            Some("medications/a b.md")
        );
        assert_eq!(resolve_relative("", "../x.md"), None);
        assert_eq!(resolve_relative("a", "/b/c.md").as_deref(), Some("b/c.md"));
    }

    #[test]
    fn ignored_names() {
        for n in [
            ".hidden.md",
            ".ilaris.md.swp",
            "ilaris.md~",
            "#ilaris.md#",
            "4913",
            ".DS_Store",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("ilaris.md"));
    }
}
