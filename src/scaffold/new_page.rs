//! `medsite new`: where a new page goes and whether it may be written.
//!
//! [`new_page`] picks the folder (the medication section, the top of
//! `content/`, or `--section`), makes the file name from the title, refuses
//! a file or address that is taken, sets the review dates from today and
//! `review_interval_months`, and writes the file. Its folder and file-name
//! rules are shared with translations (`translation.rs`). It is not where
//! the page's text is made (`page_text.rs`) nor where a whole new site is
//! written (`init.rs`).

use super::page_text::{article_text, medication_text};
use super::{NewKind, write_new};
use crate::config::{Config, value_offset};
use crate::content::front_matter::{self, PageKind};
use crate::content::is_ignored_name;
use crate::diagnostics::Diagnostic;
use crate::slug::slugify;
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// Where medication pages go when no section says `page_kind: medication`.
const DEFAULT_MEDICATION_FOLDER: &str = "medications";

/// Writes `content/<section>/<slug>.md` for a new page and returns its path
/// (`root` joined with it).
///
/// Medication pages go to the section whose `page_kind` is `medication` (the
/// shallowest such section, then A–Z; `medications/` if there is none),
/// articles to the top of `content/`. `section`, a folder inside `content/`
/// (`medications`, `living-with/gout`), overrides this for either kind. The
/// folder is created if missing. When the folder's pages are of the other
/// kind, the new page says `kind:` so that it still builds.
///
/// The slug is [`slugify`] of the title. Refuses a title without letters or
/// digits, and a page whose file or address already exists.
pub fn new_page(
    root: &Path,
    kind: NewKind,
    title: &str,
    section: Option<&str>,
    today: Date,
) -> Result<PathBuf, Diagnostic> {
    let config = Config::load(root).map_err(first)?;
    let content = root.join("content");
    let folder = target_folder(&content, kind, section)?;
    let shown_folder = join_rel("content", &folder);
    let title = title.trim();
    let slug = slug_of(title, &shown_folder)?;
    let file_name = format!("{slug}.md");
    let rel = join_rel(&folder, &file_name);
    let shown = PathBuf::from("content").join(&rel);
    if slug == "index" {
        return Err(Diagnostic::error(
            &shown,
            "a page named `index.md` would take the address of its folder",
        )
        .with_help("choose another title"));
    }
    if folder.is_empty() && slug == "conditions" {
        return Err(Diagnostic::error(
            &shown,
            "`/conditions/` is where medsite lists the conditions",
        )
        .with_help("choose another title, or put the page in a folder with `--section`"));
    }
    check_free(&content, &folder, &slug, &shown)?;

    let interval = config.review_interval_months;
    let next_review = next_review(today, interval, root)?;
    let folder_kind = folder_page_kind(&content, &folder);
    let text = match kind {
        NewKind::Medication => medication_text(
            title,
            today,
            next_review,
            folder_kind == Some(PageKind::Article),
        ),
        NewKind::Article => article_text(
            title,
            today,
            next_review,
            folder_kind == Some(PageKind::Medication),
        ),
    };

    let dir = content.join(&folder);
    std::fs::create_dir_all(&dir).map_err(|e| {
        Diagnostic::error(&shown_folder, format!("cannot create the folder: {e}"))
            .with_help("check that the folder can be written to and that no file has its name")
    })?;
    let path = dir.join(&file_name);
    write_new(&path, &shown, &text)?;
    Ok(path)
}

/// The folder inside `content/` where `medsite new` puts a page of `kind`:
/// `section` when given, else the medication section (medications) or the
/// top of `content/` (articles).
pub(super) fn target_folder(
    content: &Path,
    kind: NewKind,
    section: Option<&str>,
) -> Result<String, Diagnostic> {
    Ok(match section {
        Some(s) => section_folder(s)?,
        None => match kind {
            NewKind::Medication => {
                medication_folder(content).unwrap_or_else(|| DEFAULT_MEDICATION_FOLDER.to_owned())
            }
            NewKind::Article => String::new(),
        },
    })
}

/// The slug (file name without `.md`) made from a new page's title, which
/// must be trimmed; `shown_folder` names the folder in errors.
pub(super) fn slug_of(title: &str, shown_folder: &str) -> Result<String, Diagnostic> {
    if title.is_empty() {
        return Err(Diagnostic::error(shown_folder, "the new page has no title")
            .with_help("give the page a title, e.g. `medsite new medication \"Methotrexate\"`"));
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            shown_folder,
            format!("the title `{title}` gives an empty file name"),
        )
        .with_help("use a title with letters or digits; the file name is made from it"));
    }
    Ok(slug)
}

pub(super) fn first(mut ds: Vec<Diagnostic>) -> Diagnostic {
    if ds.is_empty() {
        Diagnostic::error("site.toml", "site.toml has an error")
    } else {
        ds.swap_remove(0)
    }
}

/// `a` and `b` joined with `/`, either of them possibly empty.
pub(super) fn join_rel(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_owned(),
        (_, true) => a.to_owned(),
        _ => format!("{a}/{b}"),
    }
}

/// Checks a `--section` folder and writes it with `/` separators, without
/// a leading `content/`: `medications`, `living-with/gout`, or empty for the
/// top of `content/`.
fn section_folder(section: &str) -> Result<String, Diagnostic> {
    let raw = section.trim();
    let bad = |why: &str| {
        Diagnostic::error(PathBuf::from("content").join(raw), format!("`{raw}` {why}"))
            .with_help("give a folder inside content/, e.g. `medications` or `living-with/gout`")
    };
    let s = raw.replace('\\', "/");
    if s.starts_with('/') || Path::new(raw).is_absolute() {
        return Err(bad("is not a folder inside content/"));
    }
    let s = s.strip_prefix("./").unwrap_or(&s);
    let s = s.strip_prefix("content/").unwrap_or(s);
    let s = if s == "content" { "" } else { s };
    let mut parts = Vec::new();
    for part in s.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." {
            return Err(bad("climbs out of content/"));
        }
        if is_ignored_name(part) {
            return Err(bad(
                "names a hidden folder or an editor file, which medsite ignores",
            ));
        }
        if part
            .chars()
            .any(|c| c.is_control() || "?#%:*\"<>|".contains(c))
        {
            return Err(bad("contains a character that does not belong in a URL"));
        }
        parts.push(part);
    }
    Ok(parts.join("/"))
}

/// Reads the front matter of a page, if it has a readable one.
pub(super) fn read_page_front(path: &Path) -> Option<front_matter::PageFront> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let split = front_matter::split(path, text).ok()?;
    front_matter::parse_page(path, text, &split).ok()
}

/// Reads the front matter of a section (`_index.md`), if it has a readable one.
fn read_section_front(path: &Path) -> Option<front_matter::SectionFront> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let split = front_matter::split(path, text).ok()?;
    front_matter::parse_section(path, text, &split).ok()
}

/// The folder (inside `content/`) of the section that says
/// `page_kind: medication`: the shallowest, then the first A–Z.
fn medication_folder(content: &Path) -> Option<String> {
    let walker = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut found: Vec<(usize, String)> = Vec::new();
    for entry in walker.flatten() {
        if !entry.file_type().is_file() || entry.file_name() != "_index.md" {
            continue;
        }
        let Some(fm) = read_section_front(entry.path()) else {
            continue;
        };
        if fm.page_kind != Some(PageKind::Medication) || fm.draft {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let Some(rel) = rel.parent().and_then(Path::to_str) else {
            continue;
        };
        let rel = rel.replace('\\', "/");
        found.push((rel.split('/').filter(|p| !p.is_empty()).count(), rel));
    }
    found.into_iter().min().map(|(_, rel)| rel)
}

/// The kind of the pages in `folder`: the `page_kind` of the nearest
/// `_index.md` that says one, in the folder or above it.
pub(super) fn folder_page_kind(content: &Path, folder: &str) -> Option<PageKind> {
    let mut dir = folder.to_owned();
    loop {
        let index = content.join(&dir).join("_index.md");
        if let Some(kind) = read_section_front(&index).and_then(|fm| fm.page_kind) {
            return Some(kind);
        }
        if dir.is_empty() {
            return None;
        }
        dir = crate::content::dir_of(&dir).to_owned();
    }
}

/// Refuses a slug whose file or address is already taken in `folder`.
fn check_free(content: &Path, folder: &str, slug: &str, shown: &Path) -> Result<(), Diagnostic> {
    let dir = content.join(folder);
    let taken = |what: String, other: &str| {
        Diagnostic::error(shown, what).with_help(format!(
            "choose another title, or edit the existing file `{}`",
            join_rel(&join_rel("content", folder), other)
        ))
    };
    let file = dir.join(format!("{slug}.md"));
    if file.exists() {
        return Err(Diagnostic::error(shown, "this file already exists").with_help(
            "choose another title, or edit the existing file; medsite new never overwrites a page",
        ));
    }
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let mut names: Vec<(String, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            let is_dir = e.file_type().ok()?.is_dir();
            Some((name, is_dir))
        })
        .filter(|(name, _)| !is_ignored_name(name))
        .collect();
    names.sort();
    let address = format!("/{}/", join_rel(folder, slug));
    for (name, is_dir) in names {
        if is_dir {
            let has_page = ["_index.md", "index.md"]
                .iter()
                .any(|f| dir.join(&name).join(f).is_file());
            if has_page && slugify(&name) == slug {
                return Err(taken(
                    format!("the folder `{name}` already has the address `{address}`"),
                    &format!("{name}/_index.md"),
                ));
            }
            continue;
        }
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        if stem == "_index" || stem == "index" {
            continue;
        }
        let page_slug = match read_page_front(&dir.join(&name))
            .and_then(|fm| fm.slug.map(|s| s.value.into_string()))
        {
            Some(s) => s,
            None => slugify(stem),
        };
        if page_slug == slug {
            return Err(taken(
                format!("the page `{name}` already has the address `{address}`"),
                &name,
            ));
        }
    }
    Ok(())
}

/// `today` plus the review interval of `site.toml`.
fn next_review(today: Date, months: u32, root: &Path) -> Result<Date, Diagnostic> {
    let at_key = |d: Diagnostic| {
        let text = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
        match value_offset(&text, "review_interval_months") {
            Some(offset) => d.at_offset(&text, offset),
            None => d,
        }
    };
    if months == 0 {
        return Err(at_key(Diagnostic::error(
            "site.toml",
            "review_interval_months is 0, so a new page would be due for review the day it is written",
        ))
        .with_help("give the number of months between reviews, e.g. review_interval_months = 12"));
    }
    jiff::Span::new()
        .try_months(i64::from(months))
        .and_then(|span| today.checked_add(span))
        .map_err(|_| {
            at_key(Diagnostic::error(
                "site.toml",
                format!("review_interval_months = {months} is too far in the future"),
            ))
            .with_help(
                "give the number of months between reviews, e.g. review_interval_months = 12",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections() {
        assert_eq!(section_folder("medications/").unwrap(), "medications");
        assert_eq!(section_folder("content/a\\b").unwrap(), "a/b");
        assert_eq!(section_folder("./").unwrap(), "");
        assert!(section_folder("../x").is_err());
        assert!(section_folder("/etc").is_err());
        assert!(section_folder(".hidden").is_err());
    }
}
