//! Assembling the loaded files into the [`Site`]: sections (every language
//! has the default language's sections), pages with their URLs, the link
//! between a page and its translations. Every problem is collected. Not
//! for reading files (`load`), related pages and listing order
//! (`relations`) or conditions (`conditions`).

use super::fields::{self, FrontText};
use super::front_matter::{PageFront, PageKind, SectionFront};
use super::load::{Loaded, Meta};
use super::paths::dir_of;
use super::{Bodies, Body, LoadOptions, Page, Section, Site, Target, spanned};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug::slugify;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;

/// One file of a kind, before it has a place in the site.
struct File<M> {
    meta: M,
    rel: String,
    base: String,
    lang: String,
    display: PathBuf,
    front: FrontText,
    body: Body,
}

impl File<()> {
    fn with<M>(self, meta: M) -> File<M> {
        File {
            meta,
            rel: self.rel,
            base: self.base,
            lang: self.lang,
            display: self.display,
            front: self.front,
            body: self.body,
        }
    }
}

/// Sections by (language, folder).
type ByDir = HashMap<(String, String), usize>;

/// Builds sections and pages from the loaded files. Related pages, listing
/// order and conditions come next (`relations::link`).
pub(super) fn assemble(
    site: &mut Site,
    bodies: &mut Bodies,
    loaded: Vec<Loaded>,
    opts: &LoadOptions,
    diags: &mut Diagnostics,
) {
    let default = site.config.language.clone();
    let mut section_files = Vec::new();
    let mut page_files = Vec::new();
    for l in loaded {
        if let Some(d) = lang_mismatch(&l) {
            diags.push(d);
        }
        let Loaded {
            rel,
            base,
            lang,
            display,
            front,
            body,
            meta,
        } = l;
        let file = File {
            meta: (),
            rel,
            base,
            lang,
            display,
            front,
            body,
        };
        match meta {
            Meta::Section(meta) => section_files.push(file.with(*meta)),
            Meta::Page(meta) => page_files.push(file.with(meta)),
        }
    }
    // The default language first: translations need their source.
    section_files.sort_by_key(|f| f.lang != default);
    page_files.sort_by_key(|f| f.lang != default);
    // Every map holds about one entry per file: made at their size.
    let files = section_files.len() + page_files.len();
    let mut seen: HashMap<(String, String), PathBuf> =
        HashMap::with_capacity_and_hasher(files, Default::default());
    site.by_file.reserve(files);
    let (by_dir, draft_dirs) = sections(site, bodies, section_files, opts, &mut seen, diags);

    let mut by_path: HashMap<String, Target> =
        HashMap::with_capacity_and_hasher(files, Default::default());
    for (i, s) in site.sections.iter().enumerate() {
        by_path.insert(s.path.clone(), Target::Section(i));
        if s.has_file || s.lang == default {
            site.by_file.insert(s.rel.clone(), Target::Section(i));
        }
    }
    pages(
        site,
        bodies,
        page_files,
        opts,
        &by_dir,
        &draft_dirs,
        &mut seen,
        &mut by_path,
        diags,
    );
}

/// A `lang:` in the front matter that disagrees with the file name.
pub(super) fn lang_mismatch(l: &Loaded) -> Option<Diagnostic> {
    let written = match &l.meta {
        Meta::Page(m) => m.lang.as_ref().map(|v| (&*v.value, v.pos)),
        Meta::Section(m) => m.lang.as_ref().map(|v| (v.value.as_str(), v.pos)),
    }?;
    let written = spanned::Spanned {
        value: written.0,
        pos: written.1,
    };
    (written.trim() != l.lang).then(|| {
        l.front.at(
            Diagnostic::error(
                &l.display,
                format!(
                    "`lang: {}` disagrees with the file name, which makes this page `{}`",
                    written.value, l.lang
                ),
            )
            .with_help(format!(
                "the file name says the language: name the file `…{}.md` for `{}`, or remove `lang:`",
                if written.value == l.lang { String::new() } else { format!(".{}", written.trim()) },
                written.trim()
            )),
            written.pos,
        )
    })
}

/// A second file for one language and page.
fn duplicate<M>(f: &File<M>, seen: &mut HashMap<(String, String), PathBuf>) -> Option<Diagnostic> {
    let key = (f.lang.clone(), f.base.clone());
    match seen.get(&key) {
        Some(first) => Some(
            f.front.at_start(
                Diagnostic::error(
                    &f.display,
                    format!(
                        "{} is already the `{}` version of this page",
                        first.display(),
                        f.lang
                    ),
                )
                .with_help("keep one file per language and page: merge the two, or delete one"),
            ),
        ),
        None => {
            seen.insert(key, f.display.clone());
            None
        }
    }
}

/// Sections of every language; returns them by (language, folder) and the
/// folders of draft sections.
fn sections(
    site: &mut Site,
    bodies: &mut Bodies,
    files: Vec<File<SectionFront>>,
    opts: &LoadOptions,
    seen: &mut HashMap<(String, String), PathBuf>,
    diags: &mut Diagnostics,
) -> (ByDir, Vec<String>) {
    let default = site.config.language.clone();
    let mut by_dir: ByDir = HashMap::default();
    let mut draft_dirs: Vec<String> = Vec::new();
    for f in files {
        let dir = dir_of(&f.base).to_owned();
        if f.meta.draft && !opts.drafts {
            site.drafts.insert(f.rel);
            if !dir.is_empty() && f.lang == default {
                draft_dirs.push(format!("{dir}/"));
            }
            continue;
        }
        if let Some(d) = duplicate(&f, seen) {
            diags.push(d);
            continue;
        }
        // The source and translations are linked once every language has
        // every section.
        if f.lang != default
            && !dir.is_empty()
            && !by_dir.contains_key(&(default.clone(), dir.clone()))
        {
            if !site.drafts.contains(&f.base) {
                diags.push(untranslated_source(&f));
            }
            continue;
        }
        diags.extend(fields::check_section(&f.display, &f.meta, &f.front));
        let path = site
            .config
            .language(&f.lang)
            .map(|l| l.path(&section_path(&dir)))
            .unwrap_or_else(|| section_path(&dir));
        by_dir.insert((f.lang.clone(), dir.clone()), site.sections.len());
        bodies.sections.push(f.body);
        site.sections.push(Section {
            rel: f.rel,
            display: f.display,
            dir,
            page_kind: f.meta.page_kind,
            meta: f.meta,
            out: format!("{}index.html", &path[1..]),
            path,
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
            has_file: true,
            lang: f.lang,
            source: None,
            translations: Vec::new(),
        });
    }
    // Every language has a home and the default language's sections; one
    // without a file of its own shows the default language's title.
    let languages: Vec<crate::config::Language> = site.config.languages().to_vec();
    let defaults: Vec<usize> = (0..site.sections.len())
        .filter(|&i| site.sections[i].lang == default)
        .collect();
    let mut wanted: Vec<(Option<usize>, String)> = Vec::new();
    if !by_dir.contains_key(&(default.clone(), String::new())) {
        wanted.push((None, String::new()));
    }
    wanted.extend(
        defaults
            .iter()
            .map(|&i| (Some(i), site.sections[i].dir.clone())),
    );
    for lang in &languages {
        for (source, dir) in &wanted {
            if by_dir.contains_key(&(lang.code.clone(), dir.clone())) {
                continue;
            }
            let meta = match source {
                Some(s) => SectionFront {
                    draft: false,
                    ..site.sections[*s].meta.clone()
                },
                None => SectionFront {
                    title: Some(spanned::Spanned::new(lang.title.clone())),
                    summary: Some(spanned::Spanned::new(lang.description.clone())),
                    ..SectionFront::default()
                },
            };
            // A file name of its own (that does not exist), so that nothing
            // taken from it is mistaken for the default language's section.
            let rel = match (dir.is_empty(), lang.is_default) {
                (true, true) => "_index.md".to_owned(),
                (true, false) => format!("_index.{}.md", lang.code),
                (false, true) => format!("{dir}/_index.md"),
                (false, false) => format!("{dir}/_index.{}.md", lang.code),
            };
            let display = PathBuf::from("content").join(&rel);
            let path = lang.path(&section_path(dir));
            by_dir.insert((lang.code.clone(), dir.clone()), site.sections.len());
            bodies.sections.push(Body {
                text: "".into(),
                line: 1,
            });
            site.sections.push(Section {
                rel,
                display,
                dir: dir.clone(),
                page_kind: meta.page_kind,
                meta,
                out: format!("{}index.html", &path[1..]),
                path,
                parent: None,
                subsections: Vec::new(),
                pages: Vec::new(),
                has_file: false,
                lang: lang.code.clone(),
                source: None,
                translations: Vec::new(),
            });
        }
    }
    // Sources and translations, now that every language has every section.
    for i in 0..site.sections.len() {
        let s = &site.sections[i];
        if s.lang == default {
            continue;
        }
        if let Some(&src) = by_dir.get(&(default.clone(), s.dir.clone())) {
            site.sections[i].source = Some(src);
            site.sections[src].translations.push(i);
        }
    }
    sort_by_language(
        &site.config,
        &mut site.sections,
        |s| &mut s.translations,
        |s| &s.lang,
    );
    // Parents (nearest ancestor folder of the same language), in folder
    // order so that page kinds pass down.
    let mut order: Vec<usize> = (0..site.sections.len()).collect();
    order.sort_by(|a, b| {
        let (a, b) = (&site.sections[*a], &site.sections[*b]);
        (a.lang != default, &a.dir).cmp(&(b.lang != default, &b.dir))
    });
    for &i in &order {
        let (dir, lang) = (site.sections[i].dir.clone(), site.sections[i].lang.clone());
        if site.sections[i].meta.page_kind.is_none()
            && let Some(src) = site.sections[i].source
        {
            site.sections[i].page_kind = site.sections[src].page_kind;
        }
        if dir.is_empty() {
            continue;
        }
        let parent = nearest_section(&by_dir, &lang, dir_of(&dir));
        site.sections[i].parent = Some(parent);
        site.sections[parent].subsections.push(i);
        if site.sections[i].page_kind.is_none() {
            site.sections[i].page_kind = site.sections[parent].page_kind;
        }
    }
    (by_dir, draft_dirs)
}

fn section_path(dir: &str) -> String {
    if dir.is_empty() {
        "/".to_owned()
    } else {
        format!("/{dir}/")
    }
}

/// A translation whose default-language file does not exist.
fn untranslated_source<M>(f: &File<M>) -> Diagnostic {
    f.front.at_start(
        Diagnostic::error(
            &f.display,
            format!(
                "this is the `{}` translation of content/{}, which does not exist",
                f.lang, f.base
            ),
        )
        .with_help(format!(
            "a translation sits beside its source with the language before `.md`; write content/{} first, or rename this file",
            f.base
        )),
    )
}

/// Orders each item's translations by the site's language order.
fn sort_by_language<T>(
    config: &crate::config::Config,
    items: &mut [T],
    translations: impl Fn(&mut T) -> &mut Vec<usize>,
    lang: impl Fn(&T) -> &String,
) {
    let ranks: Vec<usize> = items
        .iter()
        .map(|t| config.language_rank(lang(t)))
        .collect();
    for item in items.iter_mut() {
        translations(item).sort_by_key(|&t| ranks[t]);
    }
}

/// Pages of every language, with their URLs and translations.
#[allow(clippy::too_many_arguments)]
fn pages(
    site: &mut Site,
    bodies: &mut Bodies,
    files: Vec<File<std::sync::Arc<PageFront>>>,
    opts: &LoadOptions,
    by_dir: &ByDir,
    draft_dirs: &[String],
    seen: &mut HashMap<(String, String), PathBuf>,
    by_path: &mut HashMap<String, Target>,
    diags: &mut Diagnostics,
) {
    let default = site.config.language.clone();
    // Drafts are left out; the rest is checked in parallel.
    let mut kept = Vec::with_capacity(files.len());
    for f in files {
        if (f.meta.draft && !opts.drafts)
            || draft_dirs.iter().any(|d| f.base.starts_with(d.as_str()))
        {
            site.drafts.insert(f.rel);
        } else {
            kept.push(f);
        }
    }
    let sections = &site.sections;
    let prepared: Vec<_> = kept
        .into_par_iter()
        .map(|f| {
            // `folder/index.md` is a page bundle: the page takes the folder's
            // address, and the files beside it end up beside its index.html.
            let bundle = f.base == "index.md" || f.base.ends_with("/index.md");
            let file_dir = dir_of(&f.base).to_owned();
            let dir = if bundle {
                dir_of(&file_dir).to_owned()
            } else {
                file_dir
            };
            let section = nearest_section(by_dir, &f.lang, &dir);
            let kind = page_kind(&f.meta, &sections[section]);
            let checked = fields::check_page(&f.display, &f.meta, kind, &f.front);
            (f, dir, bundle, section, kind, checked)
        })
        .collect();
    site.pages.reserve_exact(prepared.len());
    bodies.pages.reserve_exact(prepared.len());
    // Each default-language page by `base`, with its slug (which its
    // translations take unless they set their own).
    let mut default_by_base: HashMap<String, (usize, String)> =
        HashMap::with_capacity_and_hasher(site.pages.capacity(), Default::default());
    for (f, dir, bundle, section, kind, checked) in prepared {
        // A page with wrong fields is still rendered, so that problems in
        // its body are reported in the same build.
        let dates = checked.unwrap_or_else(|ds| {
            diags.extend(ds);
            Default::default()
        });
        let source = if f.lang == default {
            None
        } else {
            match default_by_base.get(&f.base) {
                Some((s, slug)) => Some((*s, slug.clone())),
                None if site.drafts.contains(&f.base) => {
                    // The translation of a draft is not built either.
                    site.drafts.insert(f.rel);
                    continue;
                }
                None => {
                    diags.push(untranslated_source(&f));
                    continue;
                }
            }
        };
        if let Some(d) = duplicate(&f, seen) {
            diags.push(d);
            continue;
        }
        let file_dir = dir_of(&f.base);
        let stem = if bundle {
            file_dir.rsplit('/').next().unwrap_or(file_dir)
        } else {
            f.base
                .rsplit('/')
                .next()
                .unwrap_or(&f.base)
                .trim_end_matches(".md")
        };
        // A slug that fails its check (its error is reported) gives way to
        // the source's or the file name, so that nothing is written outside
        // the output. A translation takes its source's slug unless it sets one.
        let (source, source_slug) = source.unzip();
        let slug = match (&f.meta.slug, source_slug) {
            (Some(s), _) if fields::check_slug(s).is_ok() => s.value.to_string(),
            (_, Some(slug)) => slug,
            _ => slugify(stem),
        };
        if slug.is_empty() && f.base == "index.md" {
            diags.push(
                Diagnostic::error(
                    &f.display,
                    "`content/index.md` would have no address of its own",
                )
                .with_help("the home page is `content/_index.md`; rename the file"),
            );
            continue;
        }
        if slug.is_empty() {
            diags.push(
                Diagnostic::error(
                    &f.display,
                    format!("the file name `{stem}.md` gives an empty URL"),
                )
                .with_help(
                    "rename the file with letters or digits, or set `slug:` in the front matter",
                ),
            );
            continue;
        }
        let plain = if dir.is_empty() {
            format!("/{slug}/")
        } else {
            format!("/{dir}/{slug}/")
        };
        let path = match site.config.language(&f.lang) {
            Some(l) => l.path(&plain),
            None => plain,
        };
        let out = format!("{}index.html", &path[1..]);
        if let Some(&other) = by_path.get(&path) {
            let other = match other {
                Target::Page(i) => site.pages[i].display(),
                Target::Section(i) => site.sections[i].display.clone(),
            };
            let other = other.display();
            diags.push(
                Diagnostic::error(
                    &f.display,
                    format!("this page has the same URL `{path}` as {other}"),
                )
                .with_help("give one of them another file name or a different `slug:`"),
            );
            continue;
        }
        let index = site.pages.len();
        by_path.insert(path.clone(), Target::Page(index));
        site.by_file.insert(f.rel.clone(), Target::Page(index));
        if f.lang == default {
            default_by_base.insert(f.base.clone(), (index, slug));
        }
        if let Some(src) = source {
            site.pages[src].translations.push(index);
        }
        bodies.pages.push(f.body);
        site.pages.push(Page {
            rel: f.rel,
            meta: f.meta,
            kind,
            dates,
            front: f.front,
            section,
            path,
            out,
            related: Vec::new(),
            conditions: Vec::new(),
            lang: f.lang,
            source,
            translations: Vec::new(),
        });
    }
    sort_by_language(
        &site.config,
        &mut site.pages,
        |p| &mut p.translations,
        |p| &p.lang,
    );
}

/// The kind of a page with front matter `meta` in `section`: its own
/// `kind`, else the section's, else a medication page when it names a
/// generic name.
pub(super) fn page_kind(meta: &PageFront, section: &Section) -> PageKind {
    meta.kind
        .or(section.page_kind)
        .unwrap_or(if meta.generic_name.is_some() {
            PageKind::Medication
        } else {
            PageKind::Article
        })
}

/// The section of language `lang` nearest to folder `dir`.
fn nearest_section(by_dir: &ByDir, lang: &str, dir: &str) -> usize {
    let mut d = dir;
    loop {
        if let Some(&i) = by_dir.get(&(lang.to_owned(), d.to_owned())) {
            return i;
        }
        if d.is_empty() {
            return 0;
        }
        d = dir_of(d);
    }
}
