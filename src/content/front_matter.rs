//! Front matter: splitting a content file into its metadata block and its
//! Markdown body, and parsing the block (YAML between `---` lines, TOML
//! between `+++` lines) into [`PageFront`] or [`SectionFront`].
//!
//! The two types are separate, so a key that belongs to the other kind of
//! file is an unknown key caught by serde, with a "did you mean". Values
//! carry their [`Pos`](super::spanned::Pos). What serde cannot check (required
//! fields, dates, ATC codes, slugs) is in [`super::fields`]. Not for the
//! body: that is Markdown's job.

use super::spanned::{Spanned, Syntax, text, with_syntax};
use crate::diagnostics::{Diagnostic, did_you_mean, expected_fields, line_col, unknown_field};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use super::spanned::Syntax as Format;

/// A content file split in two. Offsets are into the file's text (after a
/// byte order mark, if any, was removed).
#[derive(Debug, Clone)]
pub struct Split<'a> {
    pub format: Syntax,
    /// The front matter, without its delimiter lines.
    pub front: &'a str,
    /// 1-based line of the first front matter line.
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// The two kinds of page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// A page about one medicine.
    Medication,
    /// General information (about the site, a condition, living with it...).
    Article,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Title,
    Weight,
}

/// One entry of `sources`: a document the page is based on.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The document's title, e.g. "Ilaris, summary of product
    /// characteristics (EMA)".
    pub title: Spanned<String>,
    /// Its address (https://…).
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    /// Who published it, e.g. "European Medicines Agency".
    #[serde(default)]
    pub publisher: Option<String>,
    /// When the editor last read it (YYYY-MM-DD).
    #[serde(default)]
    pub accessed: Option<Spanned<DateValue>>,
}

/// A date as written in the front matter: a string in YAML, a string or a
/// native date in TOML. Checked into a real date after parsing, so that an
/// impossible date gets an error with its line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    Text(String),
    /// Boxed: rarer, and twice the size of a string's handle; every page
    /// has two or three dates.
    Toml(Box<toml::value::Datetime>),
}

impl JsonSchema for DateValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A date as YYYY-MM-DD, e.g. 2026-11-01."
        })
    }
}

impl DateValue {
    pub fn as_text(&self) -> String {
        match self {
            DateValue::Text(s) => s.trim().to_owned(),
            DateValue::Toml(d) => d.to_string(),
        }
    }
}

/// What a page (any `.md` file but `_index.md`) may say about itself. Which
/// fields are required depends on its kind ([`super::fields::check_page`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    /// The page's title, e.g. "Ilaris (canakinumab)".
    pub title: Option<Spanned<Box<str>>>,
    /// One or two plain sentences: shown under the title, in listings, in
    /// search results and to search engines.
    pub summary: Option<Spanned<Box<str>>>,
    /// The last part of the page's address, instead of one made from the
    /// file name.
    pub slug: Option<Spanned<Box<str>>>,
    /// A draft is left out of the site (`medsite serve --drafts` shows it).
    #[serde(default)]
    pub draft: bool,
    /// Order in a section sorted by weight (smaller first).
    pub weight: Option<i64>,
    /// `medication` or `article`; by default the section's `page_kind`.
    pub kind: Option<PageKind>,
    /// Language of this page. The file name decides it (`ilaris.nb.md` is
    /// in `nb`, `ilaris.md` in the site's default language); when written,
    /// it must agree.
    pub lang: Option<Spanned<Box<str>>>,
    /// On a translation: the source page's `last_reviewed` date when this
    /// translation was made or last checked against it. A later review of
    /// the source makes the translation stale.
    pub source_reviewed: Option<Spanned<DateValue>>,

    // Medication pages
    /// The active substance, e.g. "canakinumab" (medication pages).
    pub generic_name: Option<Spanned<Box<str>>>,
    /// The names on the boxes, e.g. ["Ilaris"] (medication pages).
    pub brand_names: Option<Spanned<Vec<String>>>,
    /// The WHO ATC code, e.g. "L04AC08": a capital letter, two digits, two
    /// capital letters, two digits, or the start of such a code
    /// (medication pages).
    #[schemars(regex(pattern = r"^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$"))]
    pub atc_code: Option<Spanned<Box<str>>>,
    /// The kind of medicine, e.g. "Interleukin-1 inhibitor" (medication
    /// pages).
    pub drug_class: Option<Spanned<Box<str>>>,
    /// How it comes, e.g. ["Tablet, 2.5 mg"] (medication pages).
    pub forms: Option<Spanned<Vec<String>>>,
    /// The conditions it is used for; each gets a page listing its
    /// medicines.
    pub conditions: Option<Vec<Spanned<String>>>,

    // Review and evidence
    /// When a health professional last checked the page (YYYY-MM-DD).
    pub last_reviewed: Option<Spanned<DateValue>>,
    /// When it is due to be checked again (YYYY-MM-DD).
    pub next_review: Option<Spanned<DateValue>>,
    /// Who reviewed it, e.g. "Example Rheumatology Department".
    pub reviewed_by: Option<Spanned<Box<str>>>,
    /// The documents the page is based on.
    pub sources: Option<Spanned<Vec<Spanned<Source>>>>,
    /// Other pages to suggest, as content file paths ("ilaris.md").
    pub related: Option<Vec<Spanned<String>>>,

    /// Free-form data for templates.
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl PageFront {
    pub fn title(&self) -> &str {
        text(&self.title).unwrap_or_default()
    }
    pub fn summary(&self) -> &str {
        text(&self.summary).unwrap_or_default()
    }
    pub fn generic_name(&self) -> Option<&str> {
        text(&self.generic_name)
    }
    pub fn brand_names(&self) -> &[String] {
        self.brand_names.as_deref().map_or(&[], Vec::as_slice)
    }
    pub fn forms(&self) -> &[String] {
        self.forms.as_deref().map_or(&[], Vec::as_slice)
    }
}

/// What a section (`_index.md`) may say about itself.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionFront {
    /// The section's title, e.g. "Medicines".
    pub title: Option<Spanned<String>>,
    /// One or two plain sentences shown under the title.
    pub summary: Option<Spanned<String>>,
    /// A draft section is left out of the site.
    #[serde(default)]
    pub draft: bool,
    /// Order among sections (smaller first).
    pub weight: Option<i64>,
    /// The section's language; the file name decides it (`_index.nb.md`).
    pub lang: Option<Spanned<String>>,
    /// Kind of the section's pages unless they say otherwise.
    pub page_kind: Option<PageKind>,
    /// How the section orders its pages: by title (the default) or weight.
    pub sort_by: Option<SortBy>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl SectionFront {
    pub fn title(&self) -> &str {
        text(&self.title).unwrap_or_default()
    }
    pub fn summary(&self) -> &str {
        text(&self.summary).unwrap_or_default()
    }
}

/// Keys that only sections take, and keys that only pages take.
const SECTION_ONLY: &[&str] = &["page_kind", "sort_by"];
const PAGE_ONLY: &[&str] = &[
    "slug",
    "kind",
    "generic_name",
    "brand_names",
    "atc_code",
    "drug_class",
    "forms",
    "conditions",
    "last_reviewed",
    "next_review",
    "reviewed_by",
    "sources",
    "related",
];

/// Splits `text` into front matter and body. `text` must already be free of
/// a byte order mark.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, "the file is empty").with_help(
            "start the file with front matter between two `---` lines, with at least a title",
        ));
    }
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end();
    let (format, delim) = match first {
        "---" => (Syntax::Yaml, "---"),
        "+++" => (Syntax::Toml, "+++"),
        _ => {
            return Err(Diagnostic::error(file, "the file has no front matter")
                .at(text, 1, 1)
                .with_help(
                    "start the file with a line `---`, then the fields (`title: ...`), then another `---` line",
                ));
        }
    };
    let front_start = (first_end + 1).min(text.len());
    let mut pos = front_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == delim {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                format,
                front: &text[front_start..pos],
                front_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(Diagnostic::error(
        file,
        format!("the front matter opened with `{delim}` is never closed"),
    )
    .at(text, 1, 1)
    .with_help(format!(
        "add a line with only `{delim}` after the last front matter field"
    )))
}

/// What kind of file a front matter block belongs to, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Page,
    Section,
}

/// Parses a page's front matter block. `text` is the whole file, for locations.
/// An optional text field left empty (`atc_code: ""`, as a form writes a
/// field nobody filled in) counts as not given.
pub fn parse_page(file: &Path, text: &str, split: &Split) -> Result<PageFront, Diagnostic> {
    let mut front: PageFront = parse(file, text, split, Owner::Page)?;
    fn blank<T: AsRef<str>>(v: &Option<Spanned<T>>) -> bool {
        v.as_ref()
            .is_some_and(|s| s.value.as_ref().trim().is_empty())
    }
    fn blank_date(v: &Option<Spanned<DateValue>>) -> bool {
        v.as_ref().is_some_and(|s| s.value.as_text().is_empty())
    }
    for field in [
        &mut front.summary,
        &mut front.slug,
        &mut front.atc_code,
        &mut front.drug_class,
        &mut front.generic_name,
        &mut front.reviewed_by,
    ] {
        if blank(field) {
            *field = None;
        }
    }
    for field in [
        &mut front.source_reviewed,
        &mut front.last_reviewed,
        &mut front.next_review,
    ] {
        if blank_date(field) {
            *field = None;
        }
    }
    Ok(front)
}

/// Parses a section's (`_index.md`) front matter block.
pub fn parse_section(file: &Path, text: &str, split: &Split) -> Result<SectionFront, Diagnostic> {
    parse(file, text, split, Owner::Section)
}

fn parse<T: DeserializeOwned + Default>(
    file: &Path,
    text: &str,
    split: &Split,
    owner: Owner,
) -> Result<T, Diagnostic> {
    let offset_of_front = split.front.as_ptr() as usize - text.as_ptr() as usize;
    if split.front.trim().is_empty() {
        return Ok(T::default());
    }
    match split.format {
        Syntax::Yaml => with_syntax(Syntax::Yaml, split.front, || {
            serde_saphyr::from_str::<T>(split.front)
        })
        .map_err(|e| {
            let raw = e.to_string();
            let mut d = Diagnostic::error(file, yaml_message(&raw));
            if let Some((message, help)) = plain_yaml_error(&e) {
                d.message = message;
                d = d.with_help(help);
            }
            if let Some(loc) = e.location() {
                let line = loc.line() as usize + split.front_line - 1;
                d = d.at(text, line, loc.column() as usize);
            }
            unknown_key_help(d, &raw, yaml_expected(&e), owner)
        }),
        Syntax::Toml => with_syntax(Syntax::Toml, split.front, || {
            toml::from_str::<T>(split.front)
        })
        .map_err(|e| {
            let message = e.message().trim().to_owned();
            let mut d = Diagnostic::error(file, message.clone());
            if let Some(span) = e.span() {
                let (l, c) = line_col(text, offset_of_front + span.start);
                d = d.at(text, l, c);
            }
            let expected = expected_fields(&message);
            unknown_key_help(d, &message, expected, owner)
        }),
    }
}

/// serde-saphyr's messages carry their own location suffix and sometimes a
/// rendered snippet; keep the first line without the location.
fn yaml_message(raw: &str) -> String {
    let mut first = raw.lines().next().unwrap_or(raw).trim();
    first = first.strip_prefix("error:").unwrap_or(first).trim_start();
    // "line 2 column 1: message"
    if first.starts_with("line ")
        && let Some(i) = first.find(": ")
    {
        first = &first[i + 2..];
    }
    let first = match first.find(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    first.trim_end_matches(':').to_owned()
}

/// medsite's own words for the YAML errors whose library message speaks
/// of the library: a key written twice, and aliases that expand too much.
fn plain_yaml_error(e: &serde_saphyr::Error) -> Option<(String, &'static str)> {
    let mut e = e;
    loop {
        match e {
            serde_saphyr::Error::WithSnippet { error, .. }
            | serde_saphyr::Error::AliasError { error, .. } => e = error,
            serde_saphyr::Error::DuplicateMappingKey { key, .. } => {
                let what = key
                    .as_deref()
                    .map_or("a key".to_owned(), |k| format!("`{k}`"));
                return Some((
                    format!("duplicate key {what}: it is written twice"),
                    "keep one of the two lines; a field can have only one value",
                ));
            }
            serde_saphyr::Error::Budget { .. } => {
                return Some((
                    "the front matter is too large or repeats itself too often (YAML aliases)"
                        .to_owned(),
                    "write the values out instead of using `&anchors` and `*aliases`",
                ));
            }
            _ => return None,
        }
    }
}

/// The keys serde-saphyr expected where it found an unknown one.
fn yaml_expected(e: &serde_saphyr::Error) -> Vec<&'static str> {
    let mut e = e;
    loop {
        match e {
            serde_saphyr::Error::WithSnippet { error, .. }
            | serde_saphyr::Error::AliasError { error, .. } => e = error,
            serde_saphyr::Error::SerdeUnknownField { expected, .. } => return expected.clone(),
            _ => return Vec::new(),
        }
    }
}

/// An unknown key: a key of the other kind of file, or a typo.
fn unknown_key_help(
    mut d: Diagnostic,
    message: &str,
    expected: Vec<&str>,
    owner: Owner,
) -> Diagnostic {
    let Some(field) = unknown_field(message) else {
        return d;
    };
    let field = field.to_owned();
    match owner {
        Owner::Section if PAGE_ONLY.contains(&field.as_str()) => {
            d.message = format!("`{field}` is not allowed on a section page (`_index.md`)");
            d.with_help("section pages take title, summary, weight, page_kind, sort_by, draft, lang and extra")
        }
        Owner::Page if SECTION_ONLY.contains(&field.as_str()) => {
            d.message = format!("`{field}` is only allowed on a section page (`_index.md`)");
            d.with_help("remove it; a section's `page_kind` and `sort_by` apply to all its pages")
        }
        _ => {
            d.message = format!("unknown field `{field}`");
            let help = match did_you_mean(&field, &expected) {
                Some(s) => format!("did you mean `{s}`? Free-form data goes under `extra:`"),
                None => "this field is not known to medsite; free-form data goes under `extra:`"
                    .to_owned(),
            };
            d.with_help(help)
        }
    }
}

/// A checked calendar date.
pub type Date = jiff::civil::Date;

/// Parses an ISO date (`2026-11-01`).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    s.parse::<Date>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_body_line_and_crlf() {
        let text = "---\r\ntitle: A\r\n---\r\nHello\r\n";
        let sp = split(Path::new("a.md"), text).unwrap();
        assert_eq!(sp.format, Syntax::Yaml);
        assert_eq!(sp.body_line, 4);
        assert!(sp.body.starts_with("Hello"));
        let fm = parse_page(Path::new("a.md"), text, &sp).unwrap();
        assert_eq!(fm.title(), "A");
    }

    #[test]
    fn values_carry_positions() {
        let text = "---\ntitle: Ilaris\nsources:\n  - title: EMA\n    url: https://x.org/\nrelated: [a.md, b.md]\n---\n";
        let sp = split(Path::new("a.md"), text).unwrap();
        let fm = parse_page(Path::new("a.md"), text, &sp).unwrap();
        let sources = fm.sources.unwrap();
        let url = sources[0].url.as_ref().unwrap();
        assert_eq!(url.pos.line_col(), Some((4, 10)));
        let related = fm.related.unwrap();
        assert_eq!(related[1].pos.line_col(), Some((5, 17)));
    }

    #[test]
    fn section_keys_on_a_page_and_page_keys_on_a_section() {
        let text = "---\ntitle: A\nsort_by: weight\n---\n";
        let sp = split(Path::new("a.md"), text).unwrap();
        let e = parse_page(Path::new("a.md"), text, &sp).unwrap_err();
        assert!(e.message.contains("section page"), "{e}");
        assert_eq!(e.line, 3, "{e}");
        let text = "+++\ntitle = \"A\"\nslug = \"x\"\n+++\n";
        let sp = split(Path::new("_index.md"), text).unwrap();
        let e = parse_section(Path::new("_index.md"), text, &sp).unwrap_err();
        assert!(e.message.contains("not allowed on a section"), "{e}");
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn empty_optional_fields_count_as_not_given() {
        let text = "---\ntitle: A\natc_code: \"\"\nslug: ''\nsource_reviewed: \"\"\nsummary: \" \"\ndrug_class: x\n---\n";
        let sp = split(Path::new("a.md"), text).unwrap();
        let fm = parse_page(Path::new("a.md"), text, &sp).unwrap();
        assert!(fm.atc_code.is_none() && fm.slug.is_none());
        assert!(fm.source_reviewed.is_none() && fm.summary.is_none());
        assert_eq!(super::text(&fm.drug_class), Some("x"));
    }
}
