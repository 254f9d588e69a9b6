//! The front matter checks serde cannot do: required fields per kind of
//! page, medication-only fields on articles, dates, ATC codes and slugs.
//! Each problem points at the value through its span ([`FrontText::at`]).
//! Not for health-content rules (review due dates, sources): those are
//! `checks`, which run after the site is built.

use super::front_matter::{Date, PageFront, PageKind, SectionFront, Split, parse_date};
use super::spanned::{Pos, Spanned};
use crate::diagnostics::Diagnostic;
use std::path::Path;

/// The front matter text of one file, kept for pointing diagnostics at its
/// values: everything before the body, delimiters included. A one-off
/// build keeps only where it is ([`FrontText::on_disk`]): the line a
/// diagnostic shows is read from the file when it is shown.
#[derive(Debug, Clone, Default)]
pub struct FrontText {
    /// The text, unless it was left on disk.
    text: Option<Box<str>>,
    /// 1-based line of the block's first line. (Lines are `u32`, as in
    /// [`Pos`]: every page keeps this.)
    block_line: u32,
    /// How many line breaks the text has.
    lines: u32,
    /// Whether the text ends with a line break (or is empty).
    ends_line: bool,
}

impl FrontText {
    /// The front matter of `text` (the whole file) as `split` found it.
    pub fn new(text: &str, split: &Split) -> FrontText {
        let mut front = FrontText::on_disk(text, split);
        front.text = Some(front_of(text, split).into());
        front
    }

    /// [`FrontText::new`] without the text: diagnostics leave their line
    /// to be read from `file` when shown
    /// ([`crate::diagnostics::read_snippets`]).
    pub fn on_disk(text: &str, split: &Split) -> FrontText {
        let front = front_of(text, split);
        FrontText {
            text: None,
            block_line: u32::try_from(split.front_line).unwrap_or(u32::MAX),
            lines: u32::try_from(memchr::memchr_iter(b'\n', front.as_bytes()).count())
                .unwrap_or(u32::MAX),
            ends_line: front.is_empty() || front.ends_with('\n'),
        }
    }

    /// Points `d` at `line`:`column`, with that line of the text (or of
    /// the file, read when shown) as the snippet.
    fn point(&self, mut d: Diagnostic, line: usize, column: usize) -> Diagnostic {
        if let Some(text) = &self.text {
            return d.at(text, line, column);
        }
        d.line = line;
        d.column = column;
        // What the text would give: its lines are the file's; after its
        // last line break comes an empty line, and no line after that.
        let lines = self.lines as usize;
        if line > 0 && line <= lines + 1 {
            if line == lines + 1 && self.ends_line {
                d.snippet = Some(String::new());
            } else {
                d.snippet_on_disk = true;
            }
        }
        d
    }

    /// Points `d` at a value's position, or at the closing delimiter when
    /// the position is unknown.
    pub fn at(&self, d: Diagnostic, pos: Pos) -> Diagnostic {
        match pos.line_col() {
            Some((line, col)) => self.point(d, line + self.block_line as usize - 1, col),
            None => self.at_end(d),
        }
    }

    /// Points `d` at the file's first line (for problems with the file as
    /// a whole, such as its name).
    pub fn at_start(&self, d: Diagnostic) -> Diagnostic {
        self.point(d, 1, 1)
    }

    /// Points `d` at the line that closes the front matter (where a missing
    /// field would be added).
    pub fn at_end(&self, d: Diagnostic) -> Diagnostic {
        self.point(d, (self.lines as usize).max(1), 0)
    }
}

/// Everything of `text` (a whole file) before the body `split` found.
fn front_of<'t>(text: &'t str, split: &Split) -> &'t str {
    let base = text.as_ptr() as usize;
    let body_start = (split.body.as_ptr() as usize - base).min(text.len());
    &text[..body_start]
}

/// The dates of a page, checked.
#[derive(Debug, Clone, Default)]
pub struct CheckedDates {
    pub last_reviewed: Option<Date>,
    pub next_review: Option<Date>,
    /// On a translation: the source's review it follows.
    pub source_reviewed: Option<Date>,
}

fn missing_title<T: AsRef<str>>(
    file: &Path,
    title: &Option<Spanned<T>>,
    front: &FrontText,
) -> Option<Diagnostic> {
    let empty = title
        .as_ref()
        .is_none_or(|t| t.value.as_ref().trim().is_empty());
    empty.then(|| {
        let d = Diagnostic::error(file, "the `title` field is missing or empty")
            .with_help("add a line such as `title: Methotrexate` to the front matter");
        match title {
            Some(t) => front.at(d, t.pos),
            None => front.at_end(d),
        }
    })
}

/// Checks the fields of section file `file`.
pub fn check_section(file: &Path, meta: &SectionFront, front: &FrontText) -> Vec<Diagnostic> {
    missing_title(file, &meta.title, front)
        .into_iter()
        .collect()
}

/// Checks the fields of page file `file` for its kind; returns its dates
/// or every problem.
pub fn check_page(
    file: &Path,
    meta: &PageFront,
    kind: PageKind,
    front: &FrontText,
) -> Result<CheckedDates, Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = missing_title(file, &meta.title, front)
        .into_iter()
        .collect();
    if kind == PageKind::Article {
        let medication_only: [(&str, Option<Pos>); 5] = [
            ("generic_name", meta.generic_name.as_ref().map(|v| v.pos)),
            ("brand_names", meta.brand_names.as_ref().map(|v| v.pos)),
            ("atc_code", meta.atc_code.as_ref().map(|v| v.pos)),
            ("drug_class", meta.drug_class.as_ref().map(|v| v.pos)),
            ("forms", meta.forms.as_ref().map(|v| v.pos)),
        ];
        for (key, pos) in medication_only {
            if let Some(pos) = pos {
                errors.push(front.at(
                    Diagnostic::error(file, format!("`{key}` is only allowed on medication pages, and this page is an article"))
                        .with_help("add `kind: medication` if this page is about a medicine, or remove the field"),
                    pos,
                ));
            }
        }
    }
    if kind == PageKind::Medication {
        for (key, missing) in [
            (
                "generic_name",
                meta.generic_name().is_none_or(|s| s.trim().is_empty()),
            ),
            ("last_reviewed", meta.last_reviewed.is_none()),
            ("next_review", meta.next_review.is_none()),
        ] {
            if missing {
                errors.push(front.at_end(
                    Diagnostic::error(file, format!("a medication page needs `{key}`")).with_help(
                        match key {
                            "generic_name" => {
                                "add the active substance, e.g. `generic_name: canakinumab`"
                            }
                            _ => "add the date as YYYY-MM-DD, e.g. `last_reviewed: 2026-11-01`",
                        },
                    ),
                ));
            }
        }
    }
    if let Some(code) = &meta.atc_code
        && !is_atc_code(code)
    {
        let upper = code.trim().to_ascii_uppercase();
        let help = if is_atc_code(&upper) {
            format!("write it in capitals: `{upper}`")
        } else {
            ATC_SHAPE.to_owned()
        };
        errors.push(front.at(
            Diagnostic::error(file, format!("`{}` is not an ATC code", code.value)).with_help(help),
            code.pos,
        ));
    }
    if let Some(slug) = &meta.slug
        && let Err(why) = check_slug(slug)
    {
        errors.push(front.at(
            Diagnostic::error(file, format!("the slug `{}` {why}", slug.value)).with_help(
                "a slug is one word of lowercase letters, digits and hyphens, e.g. `ilaris`",
            ),
            slug.pos,
        ));
    }
    let mut dates = CheckedDates::default();
    for (key, value, slot) in [
        (
            "last_reviewed",
            &meta.last_reviewed,
            &mut dates.last_reviewed,
        ),
        ("next_review", &meta.next_review, &mut dates.next_review),
        (
            "source_reviewed",
            &meta.source_reviewed,
            &mut dates.source_reviewed,
        ),
    ] {
        if let Some(v) = value {
            let s = v.as_text();
            match parse_date(&s) {
                Some(d) => *slot = Some(d),
                None => errors.push(
                    front.at(
                        Diagnostic::error(file, format!("`{s}` is not a valid date for `{key}`"))
                            .with_help("write an existing date as YYYY-MM-DD, e.g. 2026-11-01"),
                        v.pos,
                    ),
                ),
            }
        }
    }
    for source in meta.sources.iter().flatten() {
        if source.title.trim().is_empty() {
            errors.push(front.at(
                Diagnostic::error(file, "a source has an empty title")
                    .with_help("give every source a title, e.g. `- title: Ilaris, summary of product characteristics (EMA)`"),
                source.title.pos,
            ));
        }
        if let Some(acc) = &source.accessed
            && parse_date(&acc.as_text()).is_none()
        {
            errors.push(
                front.at(
                    Diagnostic::error(
                        file,
                        format!(
                            "`{}` is not a valid date for a source's `accessed`",
                            acc.as_text()
                        ),
                    )
                    .with_help("write an existing date as YYYY-MM-DD"),
                    acc.pos,
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(dates)
    } else {
        Err(errors)
    }
}

/// What an ATC code looks like, the fix under every wrong one (and the
/// web editor's message for one).
pub const ATC_SHAPE: &str =
    "an ATC code is a letter, two digits, two letters and two digits, e.g. `L04AC08`";

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
    use super::super::front_matter::{parse_page, split};
    use super::*;

    const MED: PageKind = PageKind::Medication;

    fn load(text: &str, kind: PageKind) -> Result<(PageFront, CheckedDates), Vec<Diagnostic>> {
        let file = std::path::PathBuf::from("content/x.md");
        let sp = split(&file, text).map_err(|d| vec![d])?;
        let fm = parse_page(&file, text, &sp).map_err(|d| vec![d])?;
        let dates = check_page(&file, &fm, kind, &FrontText::new(text, &sp))?;
        Ok((fm, dates))
    }

    #[test]
    fn yaml_medication() {
        let (fm, dates) = load(
            "---\ntitle: Ilaris\ngeneric_name: canakinumab\nbrand_names: [Ilaris]\natc_code: L04AC08\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\nsources:\n  - title: EMA\n    url: https://www.ema.europa.eu/\n---\nBody\n",
            MED,
        )
        .unwrap();
        assert_eq!(fm.generic_name(), Some("canakinumab"));
        assert_eq!(fm.brand_names(), ["Ilaris"]);
        assert_eq!(dates.next_review.unwrap().to_string(), "2027-11-01");
        let sources = fm.sources.unwrap();
        assert_eq!(
            sources[0].url.as_ref().map(|u| u.as_str()),
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
        assert_eq!(fm.title(), "Ilaris");
        assert_eq!(dates.last_reviewed.unwrap().to_string(), "2026-11-01");
        assert_eq!(dates.next_review.unwrap().to_string(), "2027-11-01");
        assert_eq!(fm.extra["x"], 1);
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
    fn impossible_date_and_bad_atc_code_point_at_the_value() {
        let e = load(
            "---\ntitle: A\ngeneric_name: a\natc_code: l04ac08\nlast_reviewed: 2026-02-30\nnext_review: 2027-01-01\n---\n",
            MED,
        )
        .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        let atc = e.iter().find(|d| d.message.contains("ATC")).unwrap();
        assert_eq!((atc.line, atc.column), (4, 11));
        assert!(atc.help.as_deref().unwrap().contains("L04AC08"));
        let date = e.iter().find(|d| d.message.contains("2026-02-30")).unwrap();
        assert_eq!((date.line, date.column), (5, 16));
        let e = load(
            "+++\ntitle = \"A\"\ngeneric_name = \"a\"\nlast_reviewed = \"2026-13-01\"\nnext_review = 2027-01-01\n+++\n",
            MED,
        )
        .unwrap_err();
        assert_eq!((e[0].line, e[0].column), (4, 17), "{}", e[0]);
    }

    #[test]
    fn medication_required_fields() {
        let e = load("---\ntitle: A\n---\n", MED).unwrap_err();
        let msgs: Vec<_> = e.iter().map(|d| d.message.clone()).collect();
        assert_eq!(e.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("generic_name")));
        assert!(msgs.iter().any(|m| m.contains("last_reviewed")));
        assert!(msgs.iter().any(|m| m.contains("next_review")));
        assert!(e.iter().all(|d| d.line == 3), "at the closing `---`");
    }

    #[test]
    fn medication_fields_on_article() {
        let e = load("---\ntitle: A\natc_code: L04AC08\n---\n", PageKind::Article).unwrap_err();
        assert!(e[0].message.contains("only allowed on medication pages"));
        assert_eq!(e[0].line, 3);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        for text in [
            "---\ntitle: A\ntitle: B\n---\n",
            "+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n",
        ] {
            let e = load(text, PageKind::Article).unwrap_err();
            assert!(
                e[0].message.to_lowercase().contains("duplicate"),
                "{}",
                e[0]
            );
            assert_eq!(e[0].line, 3, "{}", e[0]);
        }
    }

    #[test]
    fn slugs() {
        assert!(check_slug("ilaris").is_ok());
        assert!(check_slug("../etc").is_err());
        assert!(check_slug("a/b").is_err());
        assert!(check_slug("..").is_err());
        assert!(check_slug("").is_err());
        let e = load("---\ntitle: A\nslug: ../../x\n---\n", PageKind::Article).unwrap_err();
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

    #[test]
    fn front_matter_left_on_disk_shows_the_same_lines() {
        let dir = tempfile::tempdir().unwrap();
        let file = std::path::PathBuf::from("content/x.md");
        let text = "---\ntitle: A\ngeneric_name: a\natc_code: l04ac08\nlast_reviewed: 2026-02-30\n---\nBody\n";
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join(&file), format!("\u{feff}{text}")).unwrap();
        let sp = split(&file, text).unwrap();
        let fm = parse_page(&file, text, &sp).unwrap();
        let kept = FrontText::new(text, &sp);
        let left = FrontText::on_disk(text, &sp);
        let shown = |front: &FrontText| {
            let mut ds = check_page(&file, &fm, MED, front).unwrap_err();
            ds.push(front.at_start(Diagnostic::error(file.clone(), "start")));
            crate::diagnostics::read_snippets(&mut ds, dir.path());
            ds.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        };
        let want = shown(&kept);
        assert_eq!(want.len(), 4, "{want:?}");
        assert!(want.iter().all(|d| d.contains(" | ")), "{want:?}");
        assert_eq!(shown(&left), want);
        assert!(left.text.is_none());
    }
}
