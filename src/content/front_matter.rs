//! Front matter: splitting a content file into its metadata block and its
//! Markdown body, and parsing the block (YAML between `---` lines, TOML
//! between `+++` lines) into a typed [`FrontMatter`].
//!
//! Every problem becomes a [`Diagnostic`] naming the file, line and column,
//! with the source line and a hint; nothing here panics on user input.

use crate::config::{find_key_line, unknown_field};
use crate::diagnostics::{Diagnostic, did_you_mean, line_col};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Which syntax a front matter block is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// A content file split in two. Offsets are into the file's text (after a
/// byte order mark, if any, was removed).
#[derive(Debug, Clone)]
pub struct Split<'a> {
    pub format: Format,
    /// The front matter, without its delimiter lines.
    pub front: &'a str,
    /// 1-based line of the first front matter line.
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// The two kinds of page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// A page about one medicine.
    Medication,
    /// General information (about the site, a condition, living with it...).
    Article,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Title,
    Weight,
}

/// One entry of `sources`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Who published it, e.g. "European Medicines Agency".
    #[serde(default)]
    pub publisher: Option<String>,
    /// When the editor last read it (ISO date), as written.
    #[serde(default)]
    pub accessed: Option<DateValue>,
}

/// A date as written in the front matter: a string in YAML, a string or a
/// native date in TOML. Checked into a real date after parsing, so that an
/// impossible date gets an error with its line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    Text(String),
    Toml(toml::value::Datetime),
}

impl DateValue {
    pub fn as_text(&self) -> String {
        match self {
            DateValue::Text(s) => s.trim().to_owned(),
            DateValue::Toml(d) => d.to_string(),
        }
    }
}

/// Everything a page or a section may say about itself. Which fields are
/// allowed or required depends on the kind (checked by [`FrontMatter::check`]).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    /// `medication` or `article`; by default the section's `page_kind`.
    pub kind: Option<PageKind>,
    /// Language of this page when it differs from the site's.
    pub lang: Option<String>,

    // Medication pages
    pub generic_name: Option<String>,
    pub brand_names: Option<Vec<String>>,
    pub atc_code: Option<String>,
    pub drug_class: Option<String>,
    pub forms: Option<Vec<String>>,
    pub conditions: Option<Vec<String>>,

    // Review and evidence (medications and articles)
    pub last_reviewed: Option<DateValue>,
    pub next_review: Option<DateValue>,
    pub reviewed_by: Option<String>,
    pub sources: Option<Vec<Source>>,
    pub related: Option<Vec<String>>,

    // Sections (`_index.md`)
    pub page_kind: Option<PageKind>,
    pub sort_by: Option<SortBy>,

    /// Free-form data for templates.
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// All keys a front matter block may have, for "did you mean".
pub const KEYS: &[&str] = &[
    "title",
    "summary",
    "slug",
    "draft",
    "weight",
    "kind",
    "lang",
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
    "page_kind",
    "sort_by",
    "extra",
];

const MEDICATION_ONLY: &[&str] = &[
    "generic_name",
    "brand_names",
    "atc_code",
    "drug_class",
    "forms",
];
const SECTION_ONLY: &[&str] = &["page_kind", "sort_by"];
const PAGE_ONLY: &[&str] = &["slug", "kind", "related", "last_reviewed", "next_review"];

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
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
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

/// Parses a front matter block. `text` is the whole file, for locations.
pub fn parse(file: &Path, text: &str, split: &Split) -> Result<FrontMatter, Diagnostic> {
    let offset_of_front = split.front.as_ptr() as usize - text.as_ptr() as usize;
    match split.format {
        Format::Yaml => {
            if split.front.trim().is_empty() {
                return Ok(FrontMatter::default());
            }
            serde_saphyr::from_str::<FrontMatter>(split.front).map_err(|e| {
                let message = yaml_message(&e.to_string());
                let mut d = Diagnostic::error(file, message.clone());
                if let Some(loc) = e.location() {
                    let line = loc.line() as usize + split.front_line - 1;
                    d = d.at(text, line, loc.column() as usize);
                }
                add_unknown_field_help(d, &message)
            })
        }
        Format::Toml => toml::from_str::<FrontMatter>(split.front).map_err(|e| {
            let message = e.message().trim().to_owned();
            let mut d = Diagnostic::error(file, message.clone());
            if let Some(span) = e.span() {
                let (l, c) = line_col(text, offset_of_front + span.start);
                d = d.at(text, l, c);
            }
            add_unknown_field_help(d, &message)
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

fn add_unknown_field_help(mut d: Diagnostic, message: &str) -> Diagnostic {
    match unknown_field(message) {
        Some(field) => {
            d.message = format!("unknown field `{field}`");
            let help = match did_you_mean(field, KEYS) {
                Some(s) => format!("did you mean `{s}`? Free-form data goes under `extra:`"),
                None => "this field is not known to medsite; free-form data goes under `extra:`"
                    .to_owned(),
            };
            d.with_help(help)
        }
        None => d,
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

/// Does `code` have the shape of a WHO ATC code at any of its five levels
/// (`L`, `L04`, `L04A`, `L04AC`, `L04AC08`)?
pub fn is_atc_code(code: &str) -> bool {
    let b = code.as_bytes();
    let shape: [fn(u8) -> bool; 7] = [
        |c| c.is_ascii_uppercase(),
        |c| c.is_ascii_digit(),
        |c| c.is_ascii_digit(),
        |c| c.is_ascii_uppercase(),
        |c| c.is_ascii_uppercase(),
        |c| c.is_ascii_digit(),
        |c| c.is_ascii_digit(),
    ];
    matches!(b.len(), 1 | 3 | 4 | 5 | 7) && b.iter().zip(shape.iter()).all(|(c, f)| f(*c))
}

/// What [`FrontMatter::check`] learned: the checked dates.
#[derive(Debug, Clone, Default)]
pub struct CheckedDates {
    pub last_reviewed: Option<Date>,
    pub next_review: Option<Date>,
}

/// Whether the front matter belongs to a section (`_index.md`) or a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Section,
    Page(PageKind),
}

impl FrontMatter {
    /// Checks the fields that serde cannot: required fields per kind, fields
    /// that do not belong to this kind, dates, the ATC code and the slug.
    /// Returns every problem found.
    pub fn check(
        &self,
        file: &Path,
        text: &str,
        split: &Split,
        role: Role,
    ) -> Result<CheckedDates, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let front_end_line = split.body_line.saturating_sub(1);
        let locate = |key: &str, d: Diagnostic| -> Diagnostic {
            match find_key_line(split.front, key) {
                Some(l) => {
                    let line = l + split.front_line - 1;
                    // Point at the value, after `key:` or `key =`.
                    let col = crate::diagnostics::source_line(text, line)
                        .and_then(|s| {
                            let k = s.find(key)?;
                            let after = k + key.len();
                            let rest = &s[after..];
                            let sep = rest.find([':', '='])?;
                            let value = rest[sep + 1..].len() - rest[sep + 1..].trim_start().len();
                            let at = after + sep + 1 + value;
                            Some(if at >= s.len() { k } else { at })
                        })
                        .map_or(1, |i| i + 1);
                    d.at(text, line, col)
                }
                None => d.at(text, front_end_line.max(1), 0),
            }
        };
        let present = |key: &str| -> bool {
            match key {
                "generic_name" => self.generic_name.is_some(),
                "brand_names" => self.brand_names.is_some(),
                "atc_code" => self.atc_code.is_some(),
                "drug_class" => self.drug_class.is_some(),
                "forms" => self.forms.is_some(),
                "page_kind" => self.page_kind.is_some(),
                "sort_by" => self.sort_by.is_some(),
                "slug" => self.slug.is_some(),
                "kind" => self.kind.is_some(),
                "related" => self.related.is_some(),
                "last_reviewed" => self.last_reviewed.is_some(),
                "next_review" => self.next_review.is_some(),
                _ => false,
            }
        };
        if self.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            errors.push(locate(
                "title",
                Diagnostic::error(file, "the `title` field is missing or empty")
                    .with_help("add a line such as `title: Methotrexate` to the front matter"),
            ));
        }
        match role {
            Role::Section => {
                for key in PAGE_ONLY.iter().chain(MEDICATION_ONLY) {
                    if present(key) {
                        errors.push(locate(
                            key,
                            Diagnostic::error(file, format!("`{key}` is not allowed on a section page (`_index.md`)"))
                                .with_help("section pages take title, summary, weight, page_kind, sort_by, draft, lang and extra"),
                        ));
                    }
                }
            }
            Role::Page(kind) => {
                for key in SECTION_ONLY {
                    if present(key) {
                        errors.push(locate(
                            key,
                            Diagnostic::error(file, format!("`{key}` is only allowed on a section page (`_index.md`)"))
                                .with_help("remove it; a section's `page_kind` and `sort_by` apply to all its pages"),
                        ));
                    }
                }
                if kind == PageKind::Article {
                    for key in MEDICATION_ONLY {
                        if present(key) {
                            errors.push(locate(
                                key,
                                Diagnostic::error(file, format!("`{key}` is only allowed on medication pages, and this page is an article"))
                                    .with_help("add `kind: medication` if this page is about a medicine, or remove the field"),
                            ));
                        }
                    }
                }
                if kind == PageKind::Medication {
                    for (key, missing) in [
                        (
                            "generic_name",
                            self.generic_name
                                .as_deref()
                                .is_none_or(|s| s.trim().is_empty()),
                        ),
                        ("last_reviewed", self.last_reviewed.is_none()),
                        ("next_review", self.next_review.is_none()),
                    ] {
                        if missing {
                            errors.push(
                                Diagnostic::error(file, format!("a medication page needs `{key}`"))
                                    .at(text, front_end_line.max(1), 0)
                                    .with_help(match key {
                                        "generic_name" => "add the active substance, e.g. `generic_name: canakinumab`",
                                        _ => "add the date as YYYY-MM-DD, e.g. `last_reviewed: 2026-11-01`",
                                    }),
                            );
                        }
                    }
                }
            }
        }
        if let Some(code) = &self.atc_code
            && !is_atc_code(code)
        {
            let upper = code.trim().to_ascii_uppercase();
            let help = if is_atc_code(&upper) {
                format!("write it in capitals: `{upper}`")
            } else {
                "an ATC code is a letter, two digits, two letters and two digits, e.g. `L04AC08`"
                    .to_owned()
            };
            errors.push(locate(
                "atc_code",
                Diagnostic::error(file, format!("`{code}` is not an ATC code")).with_help(help),
            ));
        }
        if let Some(slug) = &self.slug
            && let Err(why) = check_slug(slug)
        {
            errors.push(locate(
                "slug",
                Diagnostic::error(file, format!("the slug `{slug}` {why}")).with_help(
                    "a slug is one word of lowercase letters, digits and hyphens, e.g. `ilaris`",
                ),
            ));
        }
        let mut dates = CheckedDates::default();
        for (key, value, slot) in [
            (
                "last_reviewed",
                &self.last_reviewed,
                &mut dates.last_reviewed,
            ),
            ("next_review", &self.next_review, &mut dates.next_review),
        ] {
            if let Some(v) = value {
                let s = v.as_text();
                match parse_date(&s) {
                    Some(d) => *slot = Some(d),
                    None => errors.push(locate(
                        key,
                        Diagnostic::error(file, format!("`{s}` is not a valid date for `{key}`"))
                            .with_help("write an existing date as YYYY-MM-DD, e.g. 2026-11-01"),
                    )),
                }
            }
        }
        for source in self.sources.iter().flatten() {
            if source.title.trim().is_empty() {
                errors.push(locate(
                    "sources",
                    Diagnostic::error(file, "a source has an empty title")
                        .with_help("give every source a title, e.g. `- title: Ilaris, summary of product characteristics (EMA)`"),
                ));
            }
            if let Some(acc) = &source.accessed
                && parse_date(&acc.as_text()).is_none()
            {
                errors.push(locate(
                    "sources",
                    Diagnostic::error(
                        file,
                        format!(
                            "`{}` is not a valid date for a source's `accessed`",
                            acc.as_text()
                        ),
                    )
                    .with_help("write an existing date as YYYY-MM-DD"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(dates)
        } else {
            Err(errors)
        }
    }
}

/// A slug must be one path segment: no `/`, `\`, `..`, and not empty.
pub fn check_slug(slug: &str) -> Result<(), &'static str> {
    if slug.is_empty() {
        return Err("is empty");
    }
    if slug == "." || slug == ".." || slug.contains("..") {
        return Err("would write outside the output folder");
    }
    if slug.contains('/') || slug.contains('\\') {
        return Err("contains a slash; a slug names one page, not a folder");
    }
    if slug
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || "?#%:*\"<>|".contains(c))
    {
        return Err("contains a character that does not belong in a URL");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn load(text: &str, role: Role) -> Result<(FrontMatter, CheckedDates), Vec<Diagnostic>> {
        let file = PathBuf::from("content/x.md");
        let sp = split(&file, text).map_err(|d| vec![d])?;
        let fm = parse(&file, text, &sp).map_err(|d| vec![d])?;
        let dates = fm.check(&file, text, &sp, role)?;
        Ok((fm, dates))
    }

    const MED: Role = Role::Page(PageKind::Medication);

    #[test]
    fn yaml_medication() {
        let (fm, dates) = load(
            "---\ntitle: Ilaris\ngeneric_name: canakinumab\nbrand_names: [Ilaris]\natc_code: L04AC08\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\nsources:\n  - title: EMA\n    url: https://www.ema.europa.eu/\n---\nBody\n",
            MED,
        )
        .unwrap();
        assert_eq!(fm.generic_name.as_deref(), Some("canakinumab"));
        assert_eq!(fm.brand_names.unwrap(), vec!["Ilaris"]);
        assert_eq!(dates.next_review.unwrap().to_string(), "2027-11-01");
        assert_eq!(
            fm.sources.unwrap()[0].url.as_deref(),
            Some("https://www.ema.europa.eu/")
        );
    }

    #[test]
    fn toml_medication_with_native_and_string_dates() {
        let (fm, dates) = load(
            "+++\ntitle = \"Ilaris\"\ngeneric_name = \"canakinumab\"\nlast_reviewed = 2026-11-01\nnext_review = \"2027-11-01\"\n[extra]\nx = 1\n+++\nBody\n",
            MED,
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("Ilaris"));
        assert_eq!(dates.last_reviewed.unwrap().to_string(), "2026-11-01");
        assert_eq!(dates.next_review.unwrap().to_string(), "2027-11-01");
        assert_eq!(fm.extra["x"], 1);
    }

    #[test]
    fn split_body_line_and_crlf() {
        let text = "---\r\ntitle: A\r\n---\r\nHello\r\n";
        let sp = split(Path::new("a.md"), text).unwrap();
        assert_eq!(sp.format, Format::Yaml);
        assert_eq!(sp.body_line, 4);
        assert!(sp.body.starts_with("Hello"));
        let (fm, _) = load(text, Role::Page(PageKind::Article)).unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
    }

    #[test]
    fn empty_file_and_missing_front_matter_and_unclosed() {
        let e = load("", MED).unwrap_err();
        assert!(e[0].message.contains("empty"));
        let e = load("# Just a heading\n", MED).unwrap_err();
        assert!(e[0].message.contains("no front matter"));
        assert_eq!(e[0].line, 1);
        let e = load("---\ntitle: A\nBody\n", MED).unwrap_err();
        assert!(e[0].message.contains("never closed"), "{}", e[0]);
        assert!(e[0].help.as_deref().unwrap().contains("`---`"));
        let e = load("+++\ntitle = \"A\"\n", MED).unwrap_err();
        assert!(e[0].message.contains("never closed"));
    }

    #[test]
    fn yaml_unknown_key_with_suggestion_and_location() {
        let e = load("---\ntitle: A\ngeneric_nam: x\n---\n", MED).unwrap_err();
        assert!(e[0].message.contains("generic_nam"), "{}", e[0]);
        assert_eq!(e[0].line, 3, "{}", e[0]);
        assert!(e[0].help.as_deref().unwrap().contains("`generic_name`"));
        assert_eq!(e[0].snippet.as_deref(), Some("generic_nam: x"));
    }

    #[test]
    fn toml_unknown_key_with_suggestion_and_location() {
        let e = load("+++\ntitle = \"A\"\nsumary = \"x\"\n+++\n", MED).unwrap_err();
        assert_eq!(e[0].line, 3, "{}", e[0]);
        assert!(e[0].help.as_deref().unwrap().contains("`summary`"));
    }

    #[test]
    fn wrong_type_is_located() {
        let e = load("---\ntitle: A\nbrand_names: 12\n---\n", MED).unwrap_err();
        assert_eq!(e[0].line, 3, "{}", e[0]);
        let e = load("+++\ntitle = \"A\"\ndraft = \"yes\"\n+++\n", MED).unwrap_err();
        assert_eq!(e[0].line, 3, "{}", e[0]);
    }

    #[test]
    fn impossible_date_and_bad_atc_code() {
        let e = load(
            "---\ntitle: A\ngeneric_name: a\natc_code: l04ac08\nlast_reviewed: 2026-02-30\nnext_review: 2027-01-01\n---\n",
            MED,
        )
        .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        let atc = e.iter().find(|d| d.message.contains("ATC")).unwrap();
        assert_eq!(atc.line, 4);
        assert!(atc.help.as_deref().unwrap().contains("L04AC08"));
        let date = e.iter().find(|d| d.message.contains("2026-02-30")).unwrap();
        assert_eq!(date.line, 5);
    }

    #[test]
    fn medication_required_fields() {
        let e = load("---\ntitle: A\n---\n", MED).unwrap_err();
        let msgs: Vec<_> = e.iter().map(|d| d.message.clone()).collect();
        assert_eq!(e.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("generic_name")));
        assert!(msgs.iter().any(|m| m.contains("last_reviewed")));
        assert!(msgs.iter().any(|m| m.contains("next_review")));
    }

    #[test]
    fn medication_fields_on_article_and_section_fields_on_page() {
        let e = load(
            "---\ntitle: A\natc_code: L04AC08\n---\n",
            Role::Page(PageKind::Article),
        )
        .unwrap_err();
        assert!(e[0].message.contains("only allowed on medication pages"));
        let e = load(
            "---\ntitle: A\nsort_by: weight\n---\n",
            Role::Page(PageKind::Article),
        )
        .unwrap_err();
        assert!(e[0].message.contains("section page"));
        let e = load("---\ntitle: A\nslug: x\n---\n", Role::Section).unwrap_err();
        assert!(e[0].message.contains("not allowed on a section"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = load(
            "---\ntitle: A\ntitle: B\n---\n",
            Role::Page(PageKind::Article),
        )
        .unwrap_err();
        assert!(
            e[0].message.to_lowercase().contains("duplicate"),
            "{}",
            e[0]
        );
        assert_eq!(e[0].line, 3, "{}", e[0]);
        let e = load(
            "+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n",
            Role::Page(PageKind::Article),
        )
        .unwrap_err();
        assert!(
            e[0].message.to_lowercase().contains("duplicate"),
            "{}",
            e[0]
        );
        assert_eq!(e[0].line, 3, "{}", e[0]);
    }

    #[test]
    fn slugs() {
        assert!(check_slug("ilaris").is_ok());
        assert!(check_slug("../etc").is_err());
        assert!(check_slug("a/b").is_err());
        assert!(check_slug("..").is_err());
        assert!(check_slug("").is_err());
        let e = load(
            "---\ntitle: A\nslug: ../../x\n---\n",
            Role::Page(PageKind::Article),
        )
        .unwrap_err();
        assert!(e[0].message.contains("outside the output folder"));
        assert_eq!(e[0].line, 3);
    }

    #[test]
    fn atc_levels() {
        for ok in ["L", "L04", "L04A", "L04AC", "L04AC08", "M04AC01"] {
            assert!(is_atc_code(ok), "{ok}");
        }
        for bad in [
            "", "l04ac08", "L04AC8", "L4AC08", "L04AC088", "L04A C08", "LO4AC08",
        ] {
            assert!(!is_atc_code(bad), "{bad}");
        }
    }
}
