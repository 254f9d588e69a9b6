//! The content model: the [`Site`] every later step reads (pages, sections,
//! conditions, assets, URLs, the link table), immutable once loaded, and
//! the page bodies ([`Bodies`]) kept beside it for the Markdown step.
//!
//! `_index.md` makes its folder a section (the one at the top is the home
//! page); every other `.md` file is a page; any other file is an asset copied
//! to the same place in the output. Loading is in [`load`]; front matter in
//! [`front_matter`] and [`fields`]. Not for rendering: this module knows no
//! Markdown and no templates.

mod assemble;
mod conditions;
pub mod fields;
pub mod front_matter;
mod load;
mod patch;
pub mod paths;
mod relations;
pub mod spanned;
pub mod translations;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use fields::{CheckedDates, FrontText};
use front_matter::{PageFront, PageKind, SectionFront};
use std::collections::HashSet;
use std::path::PathBuf;

pub use load::{Files, read_body, read_page};
pub use patch::keep_by_page;
pub use paths::{dir_of, is_ignored_name, resolve_relative};

/// Options that change which content is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Content as it would be after a save that has not happened yet (the
    /// web editor's, checked before it is written): files in `content/`
    /// read from here instead of the disk.
    pub overlay: Option<std::sync::Arc<Overlay>>,
    /// Keep no page body after reading its front matter: a one-off build
    /// reads each body again when it renders the page
    /// ([`read_body`]), so that a large site is never held in memory.
    pub stream_bodies: bool,
}

/// Files of `content/` (`medications/ilaris.md`) with the text they would
/// have, or `None` for a file that would be deleted.
pub type Overlay = std::collections::BTreeMap<String, Option<String>>;

/// One page (a `.md` file other than `_index.md`).
#[derive(Debug, Clone)]
pub struct Page {
    /// Path inside `content/`, with `/` separators: `medications/ilaris.md`.
    /// The path for messages (`content/medications/ilaris.md`) is made
    /// from it when needed ([`Page::display`]).
    pub rel: String,
    pub meta: std::sync::Arc<PageFront>,
    pub kind: PageKind,
    pub dates: CheckedDates,
    /// The front matter text, for pointing messages at a field.
    pub front: FrontText,
    /// Index of the section the page belongs to.
    pub section: usize,
    /// Site path, e.g. `/medications/ilaris/` (without the base path).
    pub path: String,
    /// Output file, relative to the output folder: `medications/ilaris/index.html`.
    pub out: String,
    /// Indexes of the pages in `related`, in the order written.
    pub related: Vec<usize>,
    /// Indexes into [`Site::conditions`].
    pub conditions: Vec<usize>,
    /// The page's language code: from the file name (`ilaris.nb.md` is in
    /// `nb`), else the site's default language.
    pub lang: String,
    /// On a translation: the default-language page it translates.
    pub source: Option<usize>,
    /// On a default-language page: its translations, in the site's
    /// language order.
    pub translations: Vec<usize>,
}

impl Page {
    pub fn title(&self) -> &str {
        self.meta.title()
    }
    /// Path for messages: `content/medications/ilaris.md`.
    pub fn display(&self) -> PathBuf {
        PathBuf::from("content").join(&self.rel)
    }
    /// Folder of the page inside `content/`, which its links are relative to.
    pub fn dir(&self) -> &str {
        dir_of(&self.rel)
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
    pub meta: SectionFront,
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
    /// The section's language code. Every language has the same sections;
    /// one without its own `_index.<lang>.md` shows the default language's
    /// title.
    pub lang: String,
    /// In a language other than the default: the default-language section.
    pub source: Option<usize>,
    /// In the default language: the same section in each other language.
    pub translations: Vec<usize>,
}

impl Section {
    pub fn title(&self) -> &str {
        self.meta.title()
    }
    pub fn is_home(&self) -> bool {
        self.dir.is_empty()
    }
}

/// A condition named in pages' `conditions`; it gets a page of its own.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The language of the pages naming it.
    pub lang: String,
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

/// The Markdown of one page or section and the line of its file it starts on.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Shared: the dev server keeps the files read and the site's bodies
    /// without a copy of each text.
    pub text: std::sync::Arc<str>,
    /// 1-based line of the file where the body starts.
    pub line: usize,
}

/// Every body of the site, by page and section index. Kept apart from the
/// [`Site`] so that the site stays immutable while a build frees bodies as
/// it goes, or the dev server replaces one after an edit.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    pub pages: Vec<Body>,
    pub sections: Vec<Body>,
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
    pub by_file: rustc_hash::FxHashMap<String, Target>,
    pub asset_files: HashSet<String>,
    /// Files left out because they are drafts (for clearer link errors).
    pub drafts: HashSet<String>,
    /// Files that could not be read or parsed; links to them are not
    /// reported again (their own error says what is wrong).
    pub broken: HashSet<String>,
    /// Errors and warnings found while loading. The site is still complete
    /// enough to render, so that one build reports every problem at once.
    pub diagnostics: Vec<Diagnostic>,
    /// How many of `diagnostics`, from the start, are problems of single
    /// files (reading, front matter, addresses); the rest were found while
    /// linking pages (related pages, conditions), which every edit does again.
    file_problems: usize,
}

impl Site {
    /// The site path of a content file (`medications/ilaris.md` → `/medications/ilaris/`).
    pub fn path_of(&self, target: Target) -> &str {
        match target {
            Target::Page(i) => &self.pages[i].path,
            Target::Section(i) => &self.sections[i].path,
        }
    }

    /// The home page's section in the default language.
    pub fn home(&self) -> usize {
        self.home_of(&self.config.language)
    }

    /// The home page's section in language `lang`.
    pub fn home_of(&self, lang: &str) -> usize {
        self.sections
            .iter()
            .position(|s| s.is_home() && s.lang == lang)
            .unwrap_or(0)
    }

    /// Every language version of page `i` (itself included): the
    /// default-language page first, then its translations.
    pub fn page_versions(&self, i: usize) -> Vec<usize> {
        let source = self.pages[i].source.unwrap_or(i);
        let mut all = vec![source];
        all.extend(&self.pages[source].translations);
        all
    }

    /// Every language version of section `i` (itself included).
    pub fn section_versions(&self, i: usize) -> Vec<usize> {
        let source = self.sections[i].source.unwrap_or(i);
        let mut all = vec![source];
        all.extend(&self.sections[source].translations);
        all
    }

    /// `t` in language `lang` where it has a version in it, else `t`: where
    /// a link or menu entry naming a default-language file leads on a page
    /// in `lang`.
    pub fn in_language(&self, t: Target, lang: &str) -> Target {
        match t {
            Target::Page(i) => Target::Page(self.page_in(i, lang).unwrap_or(i)),
            Target::Section(i) => Target::Section(
                self.section_versions(i)
                    .into_iter()
                    .find(|&v| self.sections[v].lang == lang)
                    .unwrap_or(i),
            ),
        }
    }

    /// Every language version of `t` as (language code, site path), the
    /// default language first: for switchers, `hreflang` and the sitemap.
    pub fn language_versions(&self, t: Target) -> Vec<(&str, &str)> {
        match t {
            Target::Page(i) => self
                .page_versions(i)
                .into_iter()
                .map(|v| (self.pages[v].lang.as_str(), self.pages[v].path.as_str()))
                .collect(),
            Target::Section(i) => self
                .section_versions(i)
                .into_iter()
                .map(|v| {
                    (
                        self.sections[v].lang.as_str(),
                        self.sections[v].path.as_str(),
                    )
                })
                .collect(),
        }
    }

    /// The version of page `i` in language `lang`, if there is one.
    pub fn page_in(&self, i: usize, lang: &str) -> Option<usize> {
        self.page_versions(i)
            .into_iter()
            .find(|&v| self.pages[v].lang == lang)
    }

    /// Site paths of every page the site has (pages, sections, conditions).
    pub fn page_paths(&self) -> HashSet<String> {
        let mut set: HashSet<String> = self.pages.iter().map(|p| p.path.clone()).collect();
        set.extend(self.sections.iter().map(|s| s.path.clone()));
        set.extend(self.conditions.iter().map(|c| c.path.clone()));
        set.extend(self.config.languages().iter().map(|l| l.conditions_path()));
        set
    }
}
