//! One error type for every problem an editor can cause: a file, a line and a
//! column, the offending source line, a message and a hint on how to fix it.
//!
//! A build collects every [`Diagnostic`] it finds (all files, all pages) and
//! reports them together; nothing in medsite panics on user input.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// A diagnostic's help: most are written in the source and cost nothing
/// to keep, however many pages have them.
pub type Text = Cow<'static, str>;

/// How serious a diagnostic is: errors fail the build, warnings do not
/// (`medsite check --strict` makes them errors), notes only inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A problem in a file of the site folder, shown to the editor.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path of the file, relative to the site folder where possible.
    pub file: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    pub message: String,
    /// The source line the problem is on, shown under the message.
    pub snippet: Option<String>,
    /// How to fix it.
    pub help: Option<Text>,
    /// The stable id of the check that found it (`review-overdue`), for
    /// findings of `medsite check`; `None` for load and render problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'static str>,
    /// How many times the same problem was found (a broken template fails
    /// every page that uses it; it is reported once).
    pub occurrences: usize,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            snippet: None,
            help: None,
            id: None,
            occurrences: 1,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at `line`:`column` of `source` (the whole file's
    /// text) and takes that line as the snippet.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.snippet = source_line(source, line).map(str::to_owned);
        self
    }

    /// Points the diagnostic at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_col(source, offset);
        self.at(source, line, column)
    }

    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Marks the diagnostic as a finding of the check `id`.
    pub fn with_id(mut self, id: &'static str) -> Self {
        self.id = Some(id);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The 1-based line `line` of `source`, without its line ending.
pub fn source_line(source: &str, line: usize) -> Option<&str> {
    if line == 0 {
        return None;
    }
    source
        .split('\n')
        .nth(line - 1)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// A text that starts at line `first_line` of a file (a page body), for
/// pointing diagnostics at byte offsets of it. Line starts are indexed the
/// first time a location is asked for, so a text without problems costs
/// nothing.
pub struct Excerpt<'a> {
    text: &'a str,
    first_line: usize,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Excerpt<'a> {
    pub fn new(text: &'a str, first_line: usize) -> Self {
        Excerpt {
            text,
            first_line,
            starts: std::cell::OnceCell::new(),
        }
    }

    /// 1-based line of the file and 1-based column (in characters) of `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let starts = self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        });
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let column = self.text[starts[line]..offset].chars().count() + 1;
        (self.first_line + line, column)
    }

    /// Points `d` at `offset`, with its line as the snippet.
    pub fn at(&self, mut d: Diagnostic, offset: usize) -> Diagnostic {
        let (line, column) = self.line_col(offset);
        d.line = line;
        d.column = column;
        d.snippet = source_line(self.text, line + 1 - self.first_line).map(str::to_owned);
        d
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let file = self.file.display();
        let gutter = " ".repeat(self.line.max(1).to_string().len());
        match (self.line, self.column) {
            (0, _) => writeln!(f, "{gutter}--> {file}")?,
            (line, 0) => writeln!(f, "{gutter}--> {file}:{line}")?,
            (line, column) => writeln!(f, "{gutter}--> {file}:{line}:{column}")?,
        }
        if let Some(snippet) = &self.snippet {
            let shown: String = snippet.chars().take(200).collect();
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{} | {}", self.line, shown)?;
            if self.column > 0 {
                let pad: String = snippet
                    .chars()
                    .take(self.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{gutter} | {pad}^")?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "{gutter} = help: {help}")?;
        }
        if self.occurrences > 1 {
            writeln!(
                f,
                "{gutter} = note: the same problem occurred {} times",
                self.occurrences
            )?;
        }
        Ok(())
    }
}

/// All diagnostics of one build, errors first, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }
    /// Raises every warning to an error (`--strict`); notes stay notes.
    pub fn raise_warnings(&mut self) {
        for d in &mut self.0 {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
    }
    /// Errors first, then by file, line, column and message.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            a.severity
                .cmp(&b.severity)
                .then_with(|| a.file.as_os_str().cmp(b.file.as_os_str()))
                .then(a.line.cmp(&b.line))
                .then(a.column.cmp(&b.column))
                .then_with(|| a.message.cmp(&b.message))
        });
    }
}

impl Diagnostics {
    /// Sorts, then merges diagnostics that are the same problem at the same
    /// place (same severity, file, line, column and message) into one with
    /// its count, so a problem found by two steps or on many pages is
    /// reported once.
    pub fn dedupe(&mut self) {
        self.sort();
        // In place: a build of a large site has many.
        self.0.dedup_by(|d, kept| {
            let same = kept.same_problem(d);
            if same {
                kept.occurrences += d.occurrences;
                kept.id = kept.id.or(d.id);
            }
            same
        });
    }
}

impl Diagnostic {
    /// Whether `other` is the same problem at the same place.
    pub fn same_problem(&self, other: &Diagnostic) -> bool {
        self.severity == other.severity
            && self.line == other.line
            && self.column == other.column
            && self.file == other.file
            && self.message == other.message
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Shows `path` relative to `root` when it is inside it.
pub fn relative(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The field name out of serde's "unknown field `x`, expected ..." message.
pub fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

/// The field names out of serde's "..., expected one of `a`, `b`" message.
pub fn expected_fields(message: &str) -> Vec<&str> {
    let Some(rest) = message.split("expected ").nth(1) else {
        return Vec::new();
    };
    rest.split('`').skip(1).step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages() {
        let m = "unknown field `titel`, expected one of `title`, `summary`";
        assert_eq!(unknown_field(m), Some("titel"));
        assert_eq!(expected_fields(m), ["title", "summary"]);
        assert_eq!(line_col("ab\ncdé", 5), (2, 3));
        let body = Excerpt::new("one\ntwo [x](y)\n", 10);
        assert_eq!(body.line_col(8), (11, 5));
        let d = body.at(Diagnostic::error("a.md", "m"), 8);
        assert_eq!((d.line, d.column), (11, 5));
        assert_eq!(d.snippet.as_deref(), Some("two [x](y)"));
    }

    #[test]
    fn the_same_problem_is_reported_once_with_its_count() {
        let d = Diagnostic::error("t.html", "bad").at("x\ny", 2, 1);
        let other = Diagnostic::error("t.html", "other").at("x\ny", 2, 1);
        let mut ds = Diagnostics(vec![d.clone(), other, d.clone(), d]);
        ds.dedupe();
        assert_eq!(ds.0.len(), 2);
        assert_eq!(ds.0[0].message, "bad");
        assert_eq!(ds.0[0].occurrences, 3);
        assert!(ds.0[0].to_string().contains("occurred 3 times"));
        assert_eq!(ds.0[1].occurrences, 1);
    }
}
