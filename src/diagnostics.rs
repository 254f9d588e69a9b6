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
    /// The snippet was not kept (a one-off build keeps no front matter
    /// text): it is read from the file when the diagnostic is shown
    /// ([`read_snippets`]).
    #[serde(skip)]
    pub snippet_on_disk: bool,
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
            snippet_on_disk: false,
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
        self.0.sort_by(order);
    }
}

/// The order of [`Diagnostics::sort`]: errors first, then by file, line,
/// column and message; equal exactly when [`Diagnostic::same_problem`].
fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    a.severity
        .cmp(&b.severity)
        .then_with(|| a.file.as_os_str().cmp(b.file.as_os_str()))
        .then(a.line.cmp(&b.line))
        .then(a.column.cmp(&b.column))
        .then_with(|| a.message.cmp(&b.message))
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
                kept.merge(d);
            }
            same
        });
    }
}

impl Diagnostic {
    /// Counts `later`, the same problem found again, into `self`.
    fn merge(&mut self, later: &Diagnostic) {
        self.occurrences += later.occurrences;
        self.id = self.id.or(later.id);
    }

    /// Whether `other` is the same problem at the same place.
    pub fn same_problem(&self, other: &Diagnostic) -> bool {
        self.severity == other.severity
            && self.line == other.line
            && self.column == other.column
            && self.file == other.file
            && self.message == other.message
    }
}

/// How many warnings `medsite build` shows; `medsite check` lists them all.
pub const SHOWN: usize = 20;

/// The warnings and notes of a one-off build, as few as it shows: the
/// first [`SHOWN`] distinct problems in the order of
/// [`Diagnostics::dedupe`] (each with the count of its repeats) and how
/// many distinct problems there are, however many pages have them.
///
/// Exact: a problem is dropped from the first only when `limit` problems
/// before it are kept, and those stay; so a dropped problem is never among
/// the first again, and the kept ones see every repeat. The distinct problems are counted by a 64-bit hash of what makes them
/// the same problem (severity, file, line, column, message). Errors are not
/// for a tally: every one is reported.
#[derive(Debug, Clone)]
pub struct Tally {
    limit: usize,
    /// The first distinct problems, in order: at most `limit`.
    first: Vec<Diagnostic>,
    /// The hash of every distinct problem added.
    seen: rustc_hash::FxHashSet<u64>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally::new(SHOWN)
    }
}

impl Tally {
    /// A tally that keeps the first `limit` problems.
    pub fn new(limit: usize) -> Tally {
        Tally {
            limit,
            first: Vec::new(),
            seen: Default::default(),
        }
    }

    /// Adds `d`; it is copied only if it is among the first.
    pub fn add(&mut self, d: Cow<'_, Diagnostic>) {
        self.seen.insert(problem_hash(&d));
        self.keep(d);
    }

    /// Merges `d` into the first problems, or keeps it when it is one.
    fn keep(&mut self, d: Cow<'_, Diagnostic>) {
        match self.first.binary_search_by(|k| order(k, &d)) {
            Ok(i) => self.first[i].merge(&d),
            Err(i) if i < self.limit => {
                self.first.insert(i, d.into_owned());
                self.first.truncate(self.limit);
            }
            Err(_) => {}
        }
    }

    /// The problems of `self`, then those of `later` (which come after
    /// them in the order the problems were found).
    pub fn then(mut self, mut later: Tally) -> Tally {
        for d in std::mem::take(&mut later.first) {
            self.keep(Cow::Owned(d));
        }
        if self.seen.len() < later.seen.len() {
            std::mem::swap(&mut self.seen, &mut later.seen);
        }
        self.seen.extend(later.seen);
        self
    }

    /// How many distinct problems were added.
    pub fn count(&self) -> usize {
        self.seen.len()
    }

    /// The first problems, in order.
    pub fn first(&self) -> &[Diagnostic] {
        &self.first
    }

    /// The first problems, in order.
    pub fn into_first(self) -> Vec<Diagnostic> {
        self.first
    }
}

/// A hash of what makes `d` the problem it is ([`Diagnostic::same_problem`]).
fn problem_hash(d: &Diagnostic) -> u64 {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: well spread, and the same on every run.
    let mut h = std::hash::DefaultHasher::new();
    (d.severity as u8).hash(&mut h);
    d.file.as_os_str().hash(&mut h);
    d.line.hash(&mut h);
    d.column.hash(&mut h);
    d.message.hash(&mut h);
    h.finish()
}

/// Fills in the snippets that were left to be read from the files when
/// shown ([`Diagnostic::snippet_on_disk`]); `root` is the site folder the
/// files are relative to. A file that cannot be read leaves no snippet.
pub fn read_snippets<'a>(ds: impl IntoIterator<Item = &'a mut Diagnostic>, root: &Path) {
    let mut texts: std::collections::HashMap<PathBuf, Option<String>> = Default::default();
    for d in ds.into_iter().filter(|d| d.snippet_on_disk) {
        let text = texts.entry(d.file.clone()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(&d.file)).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            // As the content was read: without a byte order mark.
            Some(match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_owned(),
                None => text,
            })
        });
        d.snippet = text
            .as_deref()
            .and_then(|t| source_line(t, d.line))
            .map(str::to_owned);
        d.snippet_on_disk = false;
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

    /// Diagnostics from a few files, lines and messages, so that many are
    /// the same problem; each with its own help, to tell which was kept.
    fn many(n: usize) -> Vec<Diagnostic> {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let mut d = Diagnostic::warning(
                    format!("content/{}.md", x % 5),
                    format!("m{}", (x >> 8) % 3),
                )
                .with_help(format!("help {i}"));
                d.line = ((x >> 16) % 4) as usize;
                d.column = ((x >> 24) % 2) as usize;
                if (x >> 32).is_multiple_of(4) {
                    d.severity = Severity::Note;
                }
                if (x >> 40).is_multiple_of(3) {
                    d = d.with_id("review-overdue");
                }
                d
            })
            .collect()
    }

    /// What a diagnostic shows, to compare a tally with a full dedupe.
    fn shown(ds: &[Diagnostic]) -> Vec<String> {
        ds.iter().map(|d| format!("{d}{:?}", d.id)).collect()
    }

    #[test]
    fn a_tally_keeps_the_first_problems_of_a_dedupe_with_their_counts() {
        let all = many(400);
        let mut full = Diagnostics(all.clone());
        full.dedupe();
        assert!(full.0.len() > 30, "the test needs many distinct problems");
        assert!(full.0.iter().any(|d| d.occurrences > 1));
        for limit in [1, 3, 20, 1000] {
            let mut one = Tally::new(limit);
            for d in &all {
                one.add(Cow::Borrowed(d));
            }
            let want = &full.0[..limit.min(full.0.len())];
            assert_eq!(shown(one.first()), shown(want), "limit {limit}");
            assert_eq!(one.count(), full.0.len(), "limit {limit}");
            // In parts, as the rendering threads fold them, then joined in
            // the order found: the earlier of two repeats is the one kept.
            let mut parts = Vec::new();
            let mut rest = &all[..];
            let mut size = 1;
            while !rest.is_empty() {
                let (part, after) = rest.split_at(size.min(rest.len()));
                let mut t = Tally::new(limit);
                part.iter().for_each(|d| t.add(Cow::Owned(d.clone())));
                parts.push(t);
                rest = after;
                size = size * 3 % 17 + 1;
            }
            let joined = parts.into_iter().reduce(Tally::then).unwrap();
            assert_eq!(shown(joined.first()), shown(want), "limit {limit}");
            assert_eq!(joined.count(), full.0.len(), "limit {limit}");
        }
    }

    #[test]
    fn a_problem_dropped_from_a_tally_does_not_come_back() {
        let at = |file: &str| Diagnostic::warning(file, "m");
        let mut t = Tally::new(2);
        for f in ["c", "b", "a", "c", "c"] {
            t.add(Cow::Owned(at(f)));
        }
        let files: Vec<_> = t.first().iter().map(|d| d.file.clone()).collect();
        assert_eq!(files, [PathBuf::from("a"), PathBuf::from("b")]);
        assert!(t.first().iter().all(|d| d.occurrences == 1));
        assert_eq!(t.count(), 3);
        let mut earlier = Tally::new(2);
        earlier.add(Cow::Owned(at("b").with_help("first")));
        let t = earlier.then(t);
        assert_eq!(t.first()[1].help.as_deref(), Some("first"));
        assert_eq!(t.first()[1].occurrences, 2);
        assert_eq!(t.count(), 3);
    }

    #[test]
    fn snippets_left_on_disk_are_read_when_shown() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join("content/a.md"),
            "\u{feff}---\r\ntitle: A\r\n",
        )
        .unwrap();
        let mut d = Diagnostic::warning("content/a.md", "m");
        (d.line, d.column, d.snippet_on_disk) = (2, 8, true);
        let mut gone = Diagnostic::warning("content/gone.md", "m");
        (gone.line, gone.snippet_on_disk) = (1, true);
        let mut ds = [d, gone];
        read_snippets(&mut ds, dir.path());
        assert_eq!(ds[0].snippet.as_deref(), Some("title: A"));
        assert_eq!(ds[1].snippet, None);
        assert!(ds.iter().all(|d| !d.snippet_on_disk));
    }
}
