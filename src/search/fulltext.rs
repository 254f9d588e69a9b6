//! The full-text index, built by Pagefind's Rust library: each page is
//! handed over as a small HTML document ([`document`]: names and
//! conditions weighted above the body text) while the pages are rendered,
//! on a thread of its own, and Pagefind turns them into the chunked index
//! files that its script in the browser loads a few at a time.
//!
//! The dev server keeps the index between edits: a page given again
//! replaces its earlier version (Pagefind matches by URL), and the files
//! are made again from what the index holds.
//!
//! Not for the names index (`names`) and not for writing files (the caller
//! puts the returned files where it wants).

use crate::content::{Page, Site};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The folder of the output the index files go in.
pub const BUNDLE: &str = "pagefind";

/// Pagefind's files that medsite does not use: its ready-made interfaces
/// (the search page has its own) and their styles.
fn unused(name: &str) -> bool {
    let n = name.trim_start_matches("./");
    n.starts_with("pagefind-ui")
        || n.starts_with("pagefind-modular-ui")
        || n.starts_with("pagefind-component-ui")
        || n.starts_with("pagefind-highlight")
        || n.starts_with("playground")
}

/// Escapes text for the HTML handed to Pagefind.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The HTML Pagefind indexes for one page: its title (weighted as a
/// heading), its names and ATC code (weight 10), its conditions and drug
/// class (weight 5), its summary (kept as the result's text) and its body
/// as rendered (`body_html`: the Markdown's HTML, not the whole page).
pub fn document(site: &Site, page: &Page, body_html: &str) -> String {
    let m = &page.meta;
    let mut d = String::with_capacity(body_html.len() + 512);
    d.push_str("<html lang=\"");
    escape(&page.lang, &mut d);
    d.push_str("\"><body><h1 data-pagefind-meta=\"title\" data-pagefind-weight=\"10\">");
    escape(page.title(), &mut d);
    d.push_str("</h1><p data-pagefind-weight=\"10\">");
    for name in m
        .generic_name()
        .into_iter()
        .chain(m.brand_names().iter().map(String::as_str))
        .chain(crate::content::spanned::text(&m.atc_code))
    {
        escape(name, &mut d);
        d.push_str(" · ");
    }
    d.push_str("</p><p data-pagefind-weight=\"5\">");
    for &c in &page.conditions {
        escape(&site.conditions[c].name, &mut d);
        d.push_str(" · ");
    }
    if let Some(class) = crate::content::spanned::text(&m.drug_class) {
        escape(class, &mut d);
    }
    d.push_str("</p><p data-pagefind-meta=\"summary\">");
    escape(m.summary(), &mut d);
    d.push_str("</p>");
    d.push_str(body_html);
    d.push_str("</body></html>");
    d
}

/// One file of the index: its path inside [`BUNDLE`] and its bytes.
pub type File = (String, Vec<u8>);

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))
}

fn new_index() -> Result<PagefindIndex, String> {
    let options = PagefindServiceConfig::builder().build();
    PagefindIndex::new(Some(options)).map_err(|e| format!("cannot start Pagefind: {e}"))
}

/// Builds the files of an index in `rt`.
fn files_of(rt: &tokio::runtime::Runtime, index: &mut PagefindIndex) -> Result<Vec<File>, String> {
    let files = rt
        .block_on(index.get_files())
        .map_err(|e| format!("cannot build the search index: {e}"))?;
    Ok(files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            (!unused(&name)).then_some((name, f.contents))
        })
        .collect())
}

/// A page to index: its site path and its [`document`].
type Doc = (String, String);

/// The index, kept by the dev server between edits.
pub struct Index {
    inner: Arc<Mutex<PagefindIndex>>,
}

/// Indexes pages on a thread of its own while they are rendered.
pub struct Indexer {
    tx: Sender<Doc>,
    handle: JoinHandle<Result<(PagefindIndex, Vec<File>), String>>,
}

impl Indexer {
    /// Starts the indexing thread.
    pub fn start() -> Result<Indexer, String> {
        let (tx, rx): (Sender<Doc>, Receiver<Doc>) = channel();
        let mut index = new_index()?;
        let handle = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || {
                let rt = runtime()?;
                for (path, html) in rx {
                    rt.block_on(index.add_html_file(None, Some(path.clone()), html))
                        .map_err(|e| format!("cannot index {path}: {e}"))?;
                }
                let files = files_of(&rt, &mut index)?;
                Ok((index, files))
            })
            .map_err(|e| format!("cannot start the search indexer: {e}"))?;
        Ok(Indexer { tx, handle })
    }

    /// A handle to give pages to from any thread.
    pub fn sender(&self) -> Sender<Doc> {
        self.tx.clone()
    }

    /// Waits until every page given is indexed and returns the index and
    /// its files.
    pub fn finish(self) -> Result<(Index, Vec<File>), String> {
        drop(self.tx);
        let (index, files) = self
            .handle
            .join()
            .map_err(|_| "the search indexer stopped".to_owned())??;
        Ok((
            Index {
                inner: Arc::new(Mutex::new(index)),
            },
            files,
        ))
    }
}

impl Index {
    /// Replaces one page's entry and makes the index's files again. Slow
    /// on a large site (every file is rebuilt): the dev server calls it
    /// after the edited page has reached the browser.
    pub fn update(&self, path: String, html: String) -> Result<Vec<File>, String> {
        let rt = runtime()?;
        let mut index = self
            .inner
            .lock()
            .map_err(|_| "the search index is unusable after an earlier failure".to_owned())?;
        rt.block_on(index.add_html_file(None, Some(path.clone()), html))
            .map_err(|e| format!("cannot index {path}: {e}"))?;
        files_of(&rt, &mut index)
    }

    /// A second handle to the same index, for another thread.
    pub fn share(&self) -> Index {
        Index {
            inner: Arc::clone(&self.inner),
        }
    }
}
