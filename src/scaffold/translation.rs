//! `medsite new … --lang CODE`: where a translation goes and whether it may
//! be written.
//!
//! [`new_translation`] checks that `CODE` is one of the site's languages
//! other than the default, finds the default-language page it translates
//! (`<folder>/<slug>.md`, in the folder `medsite new` would choose), refuses
//! an existing translation, reads the source's front matter and writes
//! `<folder>/<slug>.<CODE>.md`. It is not where the translation's text is
//! made (`translation_text.rs`), nor where new pages in the default language
//! are written (`new_page.rs`), nor where translations are read back and
//! linked to their source (`content::translations`).

use super::new_page::{first, folder_page_kind, join_rel, slug_of, target_folder};
use super::translation_text::{Source, translated_body, translated_front};
use super::{NewKind, write_new};
use crate::config::languages::looks_like_code;
use crate::config::{Config, Language, value_offset};
use crate::content::fields::FrontText;
use crate::content::front_matter::{self, PageKind, parse_date};
use crate::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};

/// What [`new_translation`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTranslation {
    /// The new file (`root` joined with `content/…/<slug>.<code>.md`).
    pub path: PathBuf,
    /// The page it translates, as shown to editors: `content/medications/ilaris.md`.
    pub source: String,
    /// The language's code (`nb`) and its name in itself (`Norsk`).
    pub lang: String,
    pub lang_name: String,
}

impl NewTranslation {
    /// What the editor does next, in one sentence.
    pub fn next_step(&self) -> String {
        format!(
            "Next: translate {} into {} ({}) in this file, replacing each _placeholder_, then run `medsite check`.",
            self.source, self.lang_name, self.lang
        )
    }
}

/// Writes the `code` translation of the page `medsite new` would write for
/// `kind` and `title` (in `section`, if given): `<folder>/<slug>.<code>.md`
/// beside its source `<folder>/<slug>.md`.
///
/// The source's front matter is copied as written (comments, order and
/// syntax kept) with `source_reviewed` set to its `last_reviewed`; the body
/// has the language's standard headings (medication pages) or the source's
/// `##` headings, each with a placeholder saying which part to translate.
///
/// Refuses a language the site does not have, the default language, a
/// missing source, a source of the other kind, and an existing translation.
pub fn new_translation(
    root: &Path,
    kind: NewKind,
    title: &str,
    section: Option<&str>,
    code: &str,
) -> Result<NewTranslation, Diagnostic> {
    let config = Config::load(root).map_err(first)?;
    let lang = target_language(root, &config, code)?;
    let content = root.join("content");
    let folder = target_folder(&content, kind, section)?;
    let shown_folder = join_rel("content", &folder);
    let title = title.trim();
    let slug = slug_of(title, &shown_folder)?;
    let default = config.default_language();

    let source_rel = find_source(&content, &folder, &slug, default, kind, title, lang)?;
    let source_shown = join_rel("content", &source_rel);
    let target_rel = join_rel(&folder, &format!("{slug}.{}.md", lang.code));
    let shown = PathBuf::from("content").join(&target_rel);
    let path = content.join(&target_rel);
    let raw = std::fs::read_to_string(content.join(&source_rel)).map_err(|e| {
        Diagnostic::error(
            &source_shown,
            format!("cannot read the page to translate: {e}"),
        )
        .with_help("check that the file can be read and is UTF-8 text")
    })?;
    let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    let source_path = Path::new(&source_shown);
    let split = front_matter::split(source_path, text)?;
    let fm = front_matter::parse_page(source_path, text, &split)?;

    let source_kind = fm
        .kind
        .or_else(|| folder_page_kind(&content, &folder))
        .unwrap_or(if fm.generic_name.is_some() {
            PageKind::Medication
        } else {
            PageKind::Article
        });
    let wanted = match kind {
        NewKind::Medication => PageKind::Medication,
        NewKind::Article => PageKind::Article,
    };
    if source_kind != wanted {
        let (is, other) = match source_kind {
            PageKind::Medication => ("a medication page", "medication"),
            PageKind::Article => ("an article", "article"),
        };
        return Err(
            Diagnostic::error(source_path, format!("the page to translate is {is}")).with_help(
                format!(
                    "translate it as one: `medsite new {other} \"{title}\" --lang {}{}`",
                    lang.code,
                    section
                        .map(|s| format!(" --section {s}"))
                        .unwrap_or_default()
                ),
            ),
        );
    }

    if path.exists() {
        return Err(
            Diagnostic::error(&shown, "this translation already exists").with_help(format!(
                "edit the existing file, comparing it with {source_shown}; medsite new never overwrites a page"
            )),
        );
    }

    let reviewed = match &fm.last_reviewed {
        Some(v) => {
            let s = v.as_text();
            if parse_date(&s).is_none() {
                let front = FrontText::new(text, &split);
                return Err(front.at(
                    Diagnostic::error(
                        source_path,
                        format!("`{s}` is not a valid date for `last_reviewed`"),
                    )
                    .with_help("fix the source's last_reviewed (YYYY-MM-DD, e.g. 2026-11-01) first; the translation records it as source_reviewed"),
                    v.pos,
                ));
            }
            Some(s)
        }
        None => None,
    };
    let to_translate: Vec<&str> = [
        ("title", fm.title.is_some()),
        ("summary", fm.summary.is_some()),
        ("drug_class", fm.drug_class.is_some()),
        ("forms", fm.forms.is_some()),
        ("conditions", fm.conditions.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
    .collect();

    let source = Source {
        shown: &source_shown,
        front: split.front,
        body: split.body,
        format: split.format,
    };
    let front = translated_front(&source, reviewed.as_deref(), &to_translate, lang);
    let standard = match kind {
        NewKind::Medication => {
            let names = |code: &str| -> Vec<String> {
                config
                    .required_sections(code)
                    .medication
                    .iter()
                    .filter_map(|rule| rule.names().next().map(str::to_owned))
                    .collect()
            };
            Some((names(&lang.code), names(&default.code)))
        }
        NewKind::Article => None,
    };
    let body = translated_body(&source, standard, &lang.code);
    let delim = match split.format {
        front_matter::Format::Yaml => "---",
        front_matter::Format::Toml => "+++",
    };
    let text = format!("{delim}\n{front}{delim}\n{body}");
    let text = if split.front.contains("\r\n") {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        text
    };
    write_new(&path, &shown, &text)?;
    Ok(NewTranslation {
        path,
        source: source_shown,
        lang: lang.code.clone(),
        lang_name: lang.name.clone(),
    })
}

/// The language `code` of the site, refusing the default language and a
/// language `site.toml` does not have.
fn target_language<'c>(
    root: &Path,
    config: &'c Config,
    code: &str,
) -> Result<&'c Language, Diagnostic> {
    let code = code.trim();
    let listed: Vec<&str> = config.languages().iter().map(|l| l.code.as_str()).collect();
    let others = &listed[1..];
    match config.language(code) {
        Some(l) if !l.is_default => Ok(l),
        Some(_) => {
            let text = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
            let d = Diagnostic::error(
                "site.toml",
                format!(
                    "`{code}` is the site's default language, so a page in it is not a translation"
                ),
            );
            let d = match value_offset(&text, "language") {
                Some(offset) => d.at_offset(&text, offset),
                None => d,
            };
            Err(d.with_help(if others.is_empty() {
                format!("leave out --lang to write a page in `{code}`; to translate pages, add the other language to site.toml as a table such as `[languages.nb]`")
            } else {
                format!("leave out --lang to write a page in `{code}`, or translate into {}", others.join(", "))
            }))
        }
        None => {
            let message = if looks_like_code(code) {
                format!(
                    "`{code}` is not a language of this site (site.toml has: {})",
                    listed.join(", ")
                )
            } else {
                format!(
                    "`{code}` is not a language code (site.toml has: {})",
                    listed.join(", ")
                )
            };
            let lower = code.to_ascii_lowercase();
            let help = if config.language(&lower).is_some_and(|l| !l.is_default) {
                format!("write the code in lower case: --lang {lower}")
            } else if looks_like_code(code) {
                format!(
                    "add a table `[languages.{code}]` to site.toml to publish pages in `{code}`, then run this again"
                )
            } else if others.is_empty() {
                "give a language code such as `nb`, after adding it to site.toml as a table such as `[languages.nb]`".to_owned()
            } else {
                format!("give one of the site's languages: {}", others.join(", "))
            };
            Err(Diagnostic::error("site.toml", message).with_help(help))
        }
    }
}

/// The source of a translation inside `content/`: `<folder>/<slug>.md`, or
/// `<folder>/<slug>.<default>.md` when the default language is written out.
fn find_source(
    content: &Path,
    folder: &str,
    slug: &str,
    default: &Language,
    kind: NewKind,
    title: &str,
    lang: &Language,
) -> Result<String, Diagnostic> {
    let plain = join_rel(folder, &format!("{slug}.md"));
    if content.join(&plain).is_file() {
        return Ok(plain);
    }
    let written_out = join_rel(folder, &format!("{slug}.{}.md", default.code));
    if content.join(&written_out).is_file() {
        return Ok(written_out);
    }
    let kind_word = match kind {
        NewKind::Medication => "medication",
        NewKind::Article => "article",
    };
    Err(Diagnostic::error(
        join_rel("content", &plain),
        format!(
            "there is no page to translate into {}: this file does not exist",
            lang.name
        ),
    )
    .with_help(format!(
        "create the page first with `medsite new {kind_word} \"{title}\"`; or, if it exists, give its title in {} as the file name is made from it, and --section FOLDER when it is in another folder",
        default.name
    )))
}
