//! One body's render: [`Pass`] renders a page or section from its body,
//! writes it and runs the cheap checks while the body is at hand, and
//! gives what it found as an [`Outcome`]. Used by the whole render, by the
//! dev server's updates and by the check of a save.
//!
//! Not for what a whole render keeps of the outcomes (`folded`).

use crate::checks::PageChecker;
use crate::content::{Body, Target};
use crate::diagnostics::Diagnostic;
use crate::markdown::{AnchorRef, PageFacts, Rendered};
use crate::output::{Staging, safe_join};
use crate::render::targets::{PageOutput, SectionOutput};
use crate::render::{Output, Renderer};
use crate::search::fulltext;

/// What rendering one page or section gave.
pub(super) struct Outcome {
    /// Its content file (`medications/ilaris.md`), for heading links.
    pub(super) file: String,
    pub(super) ids: Vec<String>,
    pub(super) anchors: Vec<AnchorRef>,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) findings: Vec<Diagnostic>,
    pub(super) facts: Option<PageFacts>,
    pub(super) files: usize,
    /// What the full-text index holds for the page, kept only when the
    /// page is rendered on its own (an edit in the dev server).
    pub(super) search_doc: Option<fulltext::Doc>,
}

/// Renders `o` and writes it into `staging`.
pub(super) fn write(r: &Renderer, o: &dyn Output, staging: &Staging) -> Result<(), Diagnostic> {
    if o.streams(r) {
        return stream(r, o, staging);
    }
    r.render(o)
        .and_then(|html| staging.write(o.file(), html.as_bytes()))
}

/// Writes `o` into `staging` as it is made ([`Output::stream`]).
fn stream(r: &Renderer, o: &dyn Output, staging: &Staging) -> Result<(), Diagnostic> {
    let rel = o.file();
    let cannot = |e: std::io::Error| Diagnostic::error(rel, format!("cannot write `{rel}`: {e}"));
    // Checks the path and makes its folder as for any other file.
    staging.write(rel, b"")?;
    let Some(path) = safe_join(staging.dir(), rel) else {
        return Err(Diagnostic::error(rel, format!("cannot write `{rel}`")));
    };
    let file = std::fs::File::create(path).map_err(cannot)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    o.stream(r, &mut out)
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(cannot)
}

impl Outcome {
    /// A page whose body could not be read.
    pub(super) fn failed(file: &str, problem: Diagnostic) -> Outcome {
        let mut md = Rendered::default();
        let mut o = outcome(file, &mut md);
        o.problems.push(problem);
        o
    }
}

/// What rendering one body gave, before its template is rendered.
fn outcome(file: &str, md: &mut Rendered) -> Outcome {
    Outcome {
        file: file.to_owned(),
        ids: std::mem::take(&mut md.facts.ids),
        anchors: std::mem::take(&mut md.facts.anchors),
        problems: std::mem::take(&mut md.diagnostics),
        findings: Vec::new(),
        facts: None,
        files: 0,
        search_doc: None,
    }
}

/// How the bodies of one render are treated.
#[derive(Clone, Copy)]
pub(super) struct Pass<'a> {
    pub(super) r: &'a Renderer<'a>,
    /// The cheap checks, run on each body while it is at hand.
    pub(super) checker: Option<&'a PageChecker<'a>>,
    pub(super) collect_text: bool,
    pub(super) keep_facts: bool,
    pub(super) staging: &'a Staging,
    /// What gathers each page's words, during a whole render; without it
    /// they are kept in the outcome.
    pub(super) search: Option<&'a fulltext::Gatherer>,
    /// Each page's number in its language's search index.
    pub(super) doc_numbers: &'a [u32],
}

impl<'a> Pass<'a> {
    /// The pass of a dev-server edit: the pages it renders are written,
    /// their words kept in each outcome, no facts kept; `checker` runs
    /// the cheap checks when given.
    pub(super) fn for_edit(
        r: &'a Renderer<'a>,
        checker: Option<&'a PageChecker<'a>>,
        staging: &'a Staging,
        doc_numbers: &'a [u32],
    ) -> Pass<'a> {
        Pass {
            r,
            checker,
            collect_text: false,
            keep_facts: false,
            staging,
            search: None,
            doc_numbers,
        }
    }

    /// Renders the page or section `target` from `body`, writes it and
    /// runs the cheap checks on it while its body and facts are at hand.
    pub(super) fn body(&self, target: Target, body: &Body) -> Outcome {
        let site = self.r.site;
        let (rel, display, dir, lang) = match target {
            Target::Page(i) => {
                let p = &site.pages[i];
                (&p.rel, p.display(), p.dir(), p.lang.as_str())
            }
            Target::Section(i) => {
                let s = &site.sections[i];
                (&s.rel, s.display.clone(), s.dir.as_str(), s.lang.as_str())
            }
        };
        let mut md = self
            .r
            .markdown(body, &display, dir, lang, self.collect_text);
        let mut o = outcome(rel, &mut md);
        if !o.problems.iter().any(Diagnostic::is_error) {
            let written = match target {
                Target::Page(i) => {
                    let page = &site.pages[i];
                    write(
                        self.r,
                        &PageOutput {
                            index: i,
                            page,
                            md: &md,
                        },
                        self.staging,
                    )
                }
                Target::Section(i) => {
                    let section = &site.sections[i];
                    let output = SectionOutput {
                        index: i,
                        section,
                        md: &md,
                    };
                    write(self.r, &output, self.staging)
                }
            };
            match written {
                Ok(()) => o.files += 1,
                Err(d) => o.problems.push(d),
            }
            if let Target::Page(i) = target {
                let page = &site.pages[i];
                let headings = md.facts.headings.iter().map(|h| h.text.as_str());
                let n = self.doc_numbers[i];
                match self.search {
                    Some(g) => g.page(site, i, n, &md.html, headings),
                    None => {
                        let terms = fulltext::terms(site, page, &md.html, headings);
                        let doc = (page.lang.clone(), n, fulltext::doc_meta(page), terms);
                        o.search_doc = Some(doc);
                    }
                }
            }
        }
        if let Some(checker) = self.checker {
            o.findings = match target {
                Target::Page(i) => checker.page(i, body, &md.facts),
                Target::Section(i) => checker.section(i, body, &md.facts),
            };
        }
        if self.keep_facts {
            o.facts = Some(md.facts);
        }
        o
    }
}
