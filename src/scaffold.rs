//! `medsite new` and `medsite init`: writing the files an editor starts from.
//!
//! [`new_page`] writes one new page (a medication page or an article) with
//! its front matter filled in as far as medsite can, review dates set from
//! today and `review_interval_months` of `site.toml`, and a short hint under
//! each heading saying what belongs there. [`init`] writes a new site folder
//! that builds without errors or warnings. Both refuse to overwrite anything.
//!
//! Every file written here builds as it is: placeholders are plain text that
//! an editor replaces (`_Write here: …_`), never values that would fail a
//! check (an empty ATC code is left as a commented-out line instead).

use crate::config::{Config, value_offset};
use crate::content::front_matter::{self, PageKind};
use crate::content::is_ignored_name;
use crate::diagnostics::Diagnostic;
use crate::slug::slugify;
use jiff::ToSpan;
use jiff::civil::Date;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which kind of page `medsite new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// A page about one medicine, with the standard headings.
    Medication,
    /// General information (about the site, living with a condition, ...).
    Article,
}

/// Where medication pages go when no section says `page_kind: medication`.
const DEFAULT_MEDICATION_FOLDER: &str = "medications";

/// Title of a site made by [`init`] without one.
const DEFAULT_SITE_TITLE: &str = "Patient information about medicines";

/// The standard parts of a medication page, each with what belongs there.
const MEDICATION_SECTIONS: &[(&str, &str)] = &[
    (
        "What it is and what it is used for",
        "what the medicine is, how it works and which conditions it is used for.",
    ),
    (
        "Before starting treatment",
        "when the medicine must not be used, what to tell the doctor first (other illnesses, infections, other medicines), and advice on vaccines and alcohol.",
    ),
    (
        "Pregnancy and breast-feeding",
        "what the product information says about pregnancy, breast-feeding and contraception, for women and for men.",
    ),
    (
        "Dosage",
        "how and how often the medicine is taken, with doses only as the product information gives them; say that the doctor decides the dose, and what to do after a missed dose or too much.",
    ),
    (
        "Side effects",
        "the common side effects, and the signs that need a doctor at once.",
    ),
    (
        "Checks and follow-up",
        "the tests before and during treatment, how often they are done, and who follows the patient up.",
    ),
];

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
    let folder = match section {
        Some(s) => section_folder(s)?,
        None => match kind {
            NewKind::Medication => {
                medication_folder(&content).unwrap_or_else(|| DEFAULT_MEDICATION_FOLDER.to_owned())
            }
            NewKind::Article => String::new(),
        },
    };
    let shown_folder = join_rel("content", &folder);
    let title = title.trim();
    if title.is_empty() {
        return Err(
            Diagnostic::error(&shown_folder, "the new page has no title")
                .with_help("give the page a title, e.g. `medsite new medication \"Methotrexate\"`"),
        );
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            &shown_folder,
            format!("the title `{title}` gives an empty file name"),
        )
        .with_help("use a title with letters or digits; the file name is made from it"));
    }
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

/// Writes a new, buildable site folder at `dir`: `site.toml`,
/// `content/_index.md` (the home page), `content/medications/_index.md`,
/// one example medication page, an about page and a `.gitignore` that
/// leaves out the output folder. Returns the paths of the files written.
///
/// `dir` is created if missing; an existing folder must be empty (a `.git`
/// folder is allowed, so that `git init` can come first).
pub fn init(dir: &Path, title: Option<&str>) -> Result<Vec<PathBuf>, Diagnostic> {
    let title = title.map(str::trim).unwrap_or(DEFAULT_SITE_TITLE);
    if title.is_empty() {
        return Err(Diagnostic::error(dir, "the site's title is empty")
            .with_help("give the site a name, e.g. `--title \"Rheumatology medicines\"`, or leave the title out"));
    }
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(dir, "this is a file, not a folder")
                .with_help("choose a new folder for the site, e.g. `medsite init my-site`"));
        }
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Diagnostic::error(dir, format!("cannot read the folder: {e}"))
                .with_help("check that the folder can be read")
        })?;
        let mut found: Vec<String> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name != ".git" && name != ".DS_Store" {
                found.push(name);
            }
        }
        if !found.is_empty() {
            found.sort();
            let shown: Vec<String> = found.iter().take(3).map(|n| format!("`{n}`")).collect();
            let more = if found.len() > 3 { ", ..." } else { "" };
            return Err(Diagnostic::error(
                dir,
                format!(
                    "the folder is not empty (it has {}{more})",
                    shown.join(", ")
                ),
            )
            .with_help(
                "medsite init never overwrites files: choose a new or empty folder, e.g. `medsite init my-site`",
            ));
        }
    }
    std::fs::create_dir_all(dir.join("content").join("medications")).map_err(|e| {
        Diagnostic::error(dir, format!("cannot create the folder: {e}"))
            .with_help("check that the parent folder exists and can be written to")
    })?;

    let files: [(&str, String); 6] = [
        ("site.toml", site_toml(title)),
        (".gitignore", GITIGNORE.to_owned()),
        ("content/_index.md", home_text(title)),
        (
            "content/medications/_index.md",
            MEDICATIONS_INDEX.to_owned(),
        ),
        ("content/medications/methotrexate.md", example_medication()),
        ("content/about.md", ABOUT.to_owned()),
    ];
    let mut written = Vec::with_capacity(files.len());
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &dir.join(rel), &text)?;
        written.push(path);
    }
    Ok(written)
}

fn first(mut ds: Vec<Diagnostic>) -> Diagnostic {
    if ds.is_empty() {
        Diagnostic::error("site.toml", "site.toml has an error")
    } else {
        ds.swap_remove(0)
    }
}

/// `a` and `b` joined with `/`, either of them possibly empty.
fn join_rel(a: &str, b: &str) -> String {
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
fn read_page_front(path: &Path) -> Option<front_matter::PageFront> {
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
fn folder_page_kind(content: &Path, folder: &str) -> Option<PageKind> {
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
        let page_slug =
            match read_page_front(&dir.join(&name)).and_then(|fm| fm.slug.map(|s| s.value)) {
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
    today.checked_add(i64::from(months).months()).map_err(|_| {
        at_key(Diagnostic::error(
            "site.toml",
            format!("review_interval_months = {months} is too far in the future"),
        ))
        .with_help("give the number of months between reviews, e.g. review_interval_months = 12")
    })
}

/// `s` as a YAML scalar: plain when that is safe and reads naturally,
/// otherwise double-quoted (JSON's escapes are valid YAML).
fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -()'.,/+&".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
    }
}

/// `s` as a TOML string.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn medication_text(title: &str, today: Date, next: Date, needs_kind: bool) -> String {
    let mut t = String::from("---\n");
    t.push_str(&format!("title: {}\n", yaml_str(title)));
    if needs_kind {
        t.push_str("kind: medication\n");
    }
    t.push_str(&format!(
        "# The active substance (international non-proprietary name).\ngeneric_name: {}\n",
        yaml_str(&title.to_lowercase())
    ));
    t.push_str("# Brand names, e.g. [Ilaris] or [Humira, Amgevita].\nbrand_names: []\n");
    t.push_str(
        "# The WHO ATC code: remove the \"# \" at the start of the next line and write this medicine's code.\n# atc_code: L04AC08\n",
    );
    t.push_str("# drug_class: Interleukin-1 inhibitor\n");
    t.push_str("# forms: [\"Tablets\", \"Solution for injection, pre-filled pen\"]\n");
    t.push_str(
        "# The conditions it is used for, spelled the same way on every page, e.g. [Gout, Rheumatoid arthritis].\nconditions: []\n",
    );
    t.push_str(&format!(
        "summary: {}\n",
        yaml_str(
            "Replace this with one or two plain sentences: what the medicine is and what it is used for."
        )
    ));
    t.push_str(&format!("last_reviewed: {today}\nnext_review: {next}\n"));
    t.push_str("# Who reviewed the page (a person or a department).\nreviewed_by: \"\"\n");
    t.push_str(
        "# One entry per source; each has a title, and optionally url, publisher and accessed (a date).\nsources:\n",
    );
    t.push_str(&format!(
        "  - title: {}\n    url: https://www.ema.europa.eu/en/medicines\n",
        yaml_str(&format!(
            "Replace with the title of the source you used, e.g. {title}, summary of product characteristics (EMA)"
        ))
    ));
    t.push_str("---\n");
    for (heading, hint) in MEDICATION_SECTIONS {
        t.push_str(&format!("\n## {heading}\n\n_Write here: {hint}_\n"));
    }
    t
}

fn article_text(title: &str, today: Date, next: Date, needs_kind: bool) -> String {
    let mut t = String::from("---\n");
    t.push_str(&format!("title: {}\n", yaml_str(title)));
    if needs_kind {
        t.push_str("kind: article\n");
    }
    t.push_str(&format!(
        "summary: {}\n",
        yaml_str("Replace this with one or two plain sentences that say what this page is about.")
    ));
    t.push_str(&format!("last_reviewed: {today}\nnext_review: {next}\n"));
    t.push_str("# Who reviewed the page (a person or a department).\nreviewed_by: \"\"\n");
    t.push_str(
        "# One entry per source, e.g.\n#   - title: Gout, NHS\n#     url: https://www.nhs.uk/conditions/gout/\nsources: []\n",
    );
    t.push_str("---\n\n");
    t.push_str(
        "_Write here: a short introduction that says what this page is about and who it is for._\n",
    );
    t.push_str("\n## First heading\n\n_Write here: the first part of the page, in short sentences and common words; explain medical terms in brackets. Replace the heading above with a few words that say what this part is about._\n");
    t.push_str("\n## Next heading\n\n_Write here: the next part. Give each part of the page a `##` heading; the title is the page's only `#` heading._\n");
    t
}

/// Writes `text` to `path`, which must not exist yet.
fn write_new(path: &Path, shown: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(shown, format!("cannot create the folder: {e}"))
                .with_help("check that the folder can be written to")
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(shown, "this file already exists").with_help(
                    "choose another title, or edit the existing file; medsite never overwrites it",
                )
            } else {
                Diagnostic::error(shown, format!("cannot write the file: {e}"))
                    .with_help("check that the folder can be written to")
            }
        })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        Diagnostic::error(shown, format!("cannot write the file: {e}"))
            .with_help("check that the disk is not full and the folder can be written to")
    })
}

// ---------------------------------------------------------------- init files

const GITIGNORE: &str =
    "# The built site and the staging folder medsite builds it in.\nsite/\n.site.staging-*\n";

fn site_toml(title: &str) -> String {
    format!(
        r#"# Settings of this site. See medsite's README ("site.toml") for every field.
title = {title}
# The address the site will be published at, e.g. "https://example.org/medicines/".
base_url = "/"
# The language of the pages (en, nb, sv, ...).
language = "en"
description = "Plain-language information for patients about medicines."
# Who publishes the site, shown in the footer, e.g. "Example Rheumatology Department".
# publisher = ""

# How many months after a review the next one is due: `medsite new` sets a
# new page's next_review this far after today.
review_interval_months = 12

[feedback]
# Where the rating widget and the visit counter send their requests.
endpoint = "/api/feedback"
"#,
        title = toml_str(title)
    )
}

fn home_text(title: &str) -> String {
    format!(
        "---\ntitle: {}\nsummary: {}\n---\n\n{}",
        yaml_str(title),
        yaml_str(
            "Plain-language information for patients about medicines: what they are used for, how they are taken, their side effects and the check-ups they need."
        ),
        "This site explains medicines in plain language. Each page says what the medicine is used for, what to know before you start, how it is taken, its side effects and which check-ups you need.

The pages do not replace the advice of your doctor, nurse or pharmacist. Always follow their advice and read the package leaflet that comes with your medicine. You can read more in [About this site](about.md).

Start with the list of [medications](medications/_index.md).
"
    )
}

const MEDICATIONS_INDEX: &str = "---
title: Medications
summary: Patient information about medicines, one page per medicine.
page_kind: medication
sort_by: title
---

Each page describes one medicine: what it does, what to know before you start, how it is taken, its side effects and the check-ups you need. Always follow the advice of your doctor, nurse or pharmacist and the package leaflet.
";

const ABOUT: &str = "---
title: About this site
summary: How the pages of this site are written and reviewed, and what the rating widget stores.
---

_Editors: replace this paragraph with who publishes this site, who writes and reviews its pages, and how readers can contact you. The methotrexate page is example content that comes with medsite: have it reviewed by your own team, or delete it, before you publish the site._

## Not medical advice

The information here cannot replace a talk with the people who treat you. Always follow the advice of your doctor, nurse or pharmacist, and read the package leaflet that comes with your medicine. If you think you have a side effect, or you are not sure how to take a medicine, ask them.

## How the pages are written

Each medicine page is written from the public product information for that medicine:

- the summary of product characteristics (SmPC), the official description of a medicine for health professionals;
- the package leaflet, the official information for patients.

Every page lists its sources at the bottom. The pages use short sentences and common words, and explain medical terms in brackets. They only give doses that appear in the product information. Your own dose may be different, and your doctor decides it.

All medicine pages follow the same order: what the medicine is and what it is used for, what to know before starting treatment, pregnancy and breast-feeding, dosage, side effects, and checks and follow-up. See the [list of medications](medications/_index.md).

## Review dates

Each page shows when it was last reviewed, who reviewed it, and when the next review is due. If a page is past its review date, the information may be out of date.

## Rating a page and the visit counter

At the bottom of each page you can rate how useful the page was and, if you wish, leave a short comment. The site stores only:

- which page was rated,
- the day,
- the rating (1 to 5),
- your comment, if you wrote one.

The site does not store your IP address, does not set cookies and does not store any other personal data. Please do not write your name, health details or other personal information in the comment box.

The visit counter on each page counts visits per page per day. It does not record who visited.
";

/// The example site's reviewed methotrexate page, made to stand alone: its
/// `related` pages and links to other medicines' pages do not exist in a new
/// site, so `related` is dropped and such links become plain text.
fn example_medication() -> String {
    const SOURCE: &str = include_str!("../content/medications/methotrexate.md");
    let mut out = String::with_capacity(SOURCE.len());
    let mut in_front = false;
    let mut skipping = false;
    let mut delimiters = 0;
    for line in SOURCE.split_inclusive('\n') {
        if line.trim_end() == "---" && delimiters < 2 {
            delimiters += 1;
            in_front = delimiters == 1;
            skipping = false;
            out.push_str(line);
            continue;
        }
        if in_front {
            if line.starts_with("related:") {
                skipping = true;
                continue;
            }
            if skipping && (line.starts_with(' ') || line.starts_with('-')) {
                continue;
            }
            skipping = false;
            out.push_str(line);
        } else {
            out.push_str(&unlink_pages(line));
        }
    }
    out
}

/// `[text](other.md)` → `text`, for links to content files; other links
/// (web addresses, headings of the same page, footnotes) stay.
fn unlink_pages(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| {
            let target_start = close + 2;
            let end = after[target_start..].find(')')?;
            let target = &after[target_start..target_start + end];
            let path = target.split('#').next().unwrap_or(target);
            let internal = path.ends_with(".md") && !target.contains("://");
            let text = &after[..close];
            (internal && !text.contains('[')).then(|| (text, target_start + end + 1))
        });
        match link {
            Some((text, consumed)) => {
                out.push_str(&rest[..open]);
                out.push_str(text);
                rest = &after[consumed..];
            }
            None => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlinking() {
        assert_eq!(
            unlink_pages("with [sulfasalazine](sulfasalazine.md) or [a](../about.md#x).\n"),
            "with sulfasalazine or a.\n"
        );
        let kept = "see [NHS](https://www.nhs.uk/) and [^weekly] and [x][y]";
        assert_eq!(unlink_pages(kept), kept);
    }

    #[test]
    fn example_medication_stands_alone() {
        let t = example_medication();
        assert!(!t.contains("related:"));
        assert!(!t.contains(".md)"));
        assert!(t.contains("7.5 mg **once a week**"));
    }

    #[test]
    fn yaml_quoting() {
        assert_eq!(yaml_str("Ilaris (canakinumab)"), "Ilaris (canakinumab)");
        assert_eq!(yaml_str("Still's disease"), "Still's disease");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str("yes"), "\"yes\"");
        assert_eq!(yaml_str("5-ASA"), "\"5-ASA\"");
        assert_eq!(yaml_str("say \"hi\" #1"), "\"say \\\"hi\\\" #1\"");
    }

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
