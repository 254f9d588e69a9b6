//! The full-text index of one build: for each language, every stem of
//! every page (title, names, conditions, drug class, summary, headings and
//! body) with a score that weighs names above body text, written as small
//! static files that the search page loads a few at a time:
//!
//! - `text/<hex of the stem's first two letters>.json`: `{stem: [doc,
//!   score, doc, score, …]}`, doc numbers as differences from the one
//!   before, at most [`MAX_POSTINGS`] pages a stem (the best scored);
//! - `docs/<n>.json`: the pages numbered `64n` to `64n+63` (about eight
//!   to sixteen of them): `[path, title, summary, generic name]`, `null`
//!   for a number no page has; a file only where there is a page.
//! - `text/index.json`: the names of the text files, so that the search
//!   page asks only for files that exist.
//!
//! A page's number comes from a hash of its content file's path
//! ([`doc_numbers`]), so that adding or removing a page leaves the other
//! pages' numbers, and the files that hold them, as they were.
//!
//! The pages' words are read while the pages are rendered, each thread
//! into its own share, merged at the end ([`Gatherer`]). The
//! dev server keeps the index ([`Index`]) and, after a body edit, replaces
//! one page's words and writes only the files whose stems changed.
//!
//! Not for the names index (`names`) nor for where files go (`build`).

use super::scorer::Scorer;
pub use super::scorer::{KEY, Terms, terms};
use crate::content::{Page, Site};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use thread_local::ThreadLocal;

/// Pages kept per stem among those that have it only in their text: a
/// word on more pages than this is no way to find one, and its best-scored
/// pages are enough. A page that has the stem in a name, condition or drug
/// class (a score of at least [`KEY`]) is always kept, so that a condition
/// finds every medicine used for it.
pub const MAX_POSTINGS: usize = 200;
/// Page numbers per file of the page table: with numbers spread over four
/// to eight times as many as there are pages, about eight to sixteen pages.
pub const DOCS_PER_FILE: usize = 64;
/// Longest summary kept for a result.
const SUMMARY_CHARS: usize = 200;

/// What the result list shows of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct DocMeta {
    pub path: String,
    pub title: String,
    pub summary: String,
    pub generic: String,
}

/// What the result list shows of `page`.
pub fn doc_meta(page: &Page) -> DocMeta {
    let summary = page.meta.summary();
    let summary = match summary.char_indices().nth(SUMMARY_CHARS) {
        Some((i, _)) => format!("{}…", summary[..i].trim_end()),
        None => summary.to_owned(),
    };
    DocMeta {
        path: page.path.clone(),
        title: page.title().to_owned(),
        summary,
        generic: page.meta.generic_name().unwrap_or_default().to_owned(),
    }
}

/// Each page's number in its language's index. A page's number is a
/// hash of its content file's path, in a range four to eight times the
/// language's page count (at least 64); pages whose hashes meet take the
/// next free numbers, in order of path. The same pages give the same
/// numbers, and a page added or removed moves no other page's number but
/// those of the few just after its own: the dev server then rewrites only
/// the files of the pages that changed.
pub fn doc_numbers(site: &Site) -> Vec<u32> {
    numbers(site.pages.iter().map(|p| (p.lang.as_str(), p.rel.as_str())))
}

/// [`doc_numbers`] of pages given by language code and content file path.
fn numbers<'a>(pages: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<u32> {
    let mut by_lang: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
    for (i, (lang, rel)) in pages.enumerate() {
        by_lang.entry(lang).or_default().push((i, rel));
    }
    let mut out = vec![0; by_lang.values().map(Vec::len).sum()];
    for pages in by_lang.values() {
        let range = (pages.len() * 4).next_power_of_two().max(64) as u64;
        let mut keyed: Vec<(u64, &str, usize)> = pages
            .iter()
            .map(|&(i, rel)| (path_hash(rel) % range, rel, i))
            .collect();
        keyed.sort_unstable();
        let mut next = 0u64;
        for (hash, _, i) in keyed {
            let n = hash.max(next);
            out[i] = u32::try_from(n).unwrap_or(u32::MAX);
            next = n + 1;
        }
    }
    out
}

/// A hash of a content file's path that every build and platform
/// computes alike: FNV-1a, then mixed (SplitMix64's finalizer) so that
/// its low bits spread too.
fn path_hash(rel: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in rel.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The two letters a stem's file is named by, as hex of their UTF-8.
pub fn shard_name(stem: &str) -> String {
    let prefix: String = stem.chars().take(2).collect();
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

/// One language's index.
#[derive(Default)]
struct Language {
    /// What each page's result shows, kept for the dev server.
    docs: BTreeMap<u32, DocMeta>,
    /// Each page's number and its index in the site, from which a one-off
    /// build makes the page table as it writes it.
    doc_pages: Vec<(u32, usize)>,
    /// Each page's stems, to take them out again after an edit; kept only
    /// for the dev server.
    terms: HashMap<u32, Terms>,
    keep_terms: bool,
    postings: FxHashMap<Arc<str>, Vec<(u32, u16)>>,
    /// The stems of each text file, kept with the terms (the dev server),
    /// so that an edit finds a file's stems without looking at them all.
    by_shard: BTreeMap<String, BTreeSet<Arc<str>>>,
    /// Each stem's entry as a text file writes it (`"stem":[…]`), kept
    /// with the terms (the dev server), so that a file is made again
    /// from the entries of the stems that changed only.
    written: FxHashMap<Arc<str>, Box<str>>,
    /// Stems whose postings changed since their entry was written.
    stale: Vec<Arc<str>>,
}

impl Language {
    fn add(&mut self, doc: u32, meta: DocMeta, terms: Terms) {
        for (stem, score) in &terms {
            let list = self.postings.entry(Arc::clone(stem)).or_default();
            if list.is_empty() && self.keep_terms {
                let shard = self.by_shard.entry(shard_name(stem)).or_default();
                shard.insert(Arc::clone(stem));
            }
            list.push((doc, *score));
            if self.keep_terms {
                self.stale.push(Arc::clone(stem));
            }
        }
        self.docs.insert(doc, meta);
        if self.keep_terms {
            self.terms.insert(doc, terms);
        }
    }

    /// Takes page `doc` out; the stems it had, with their scores.
    fn remove(&mut self, doc: u32) -> Terms {
        let old = self.terms.remove(&doc).unwrap_or_default();
        for (stem, _) in &old {
            self.stale.push(Arc::clone(stem));
            if let Some(list) = self.postings.get_mut(stem) {
                list.retain(|&(d, _)| d != doc);
                if list.is_empty() {
                    self.postings.remove(stem);
                    let name = shard_name(stem);
                    if let Some(shard) = self.by_shard.get_mut(&name) {
                        shard.remove(stem);
                        if shard.is_empty() {
                            self.by_shard.remove(&name);
                        }
                    }
                }
            }
        }
        old
    }

    /// The postings of one stem as written: every page with the stem in
    /// a name, condition or class, the best-scored others up to
    /// [`MAX_POSTINGS`]; by page, doc numbers as differences.
    fn encode(list: &[(u32, u16)], out: &mut String) {
        type Postings = Vec<(u32, u16)>;
        let (mut kept, mut text): (Postings, Postings) = list.iter().partition(|p| p.1 >= KEY);
        if text.len() > MAX_POSTINGS {
            text.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            text.truncate(MAX_POSTINGS);
        }
        kept.extend(text);
        kept.sort_unstable();
        out.push('[');
        let mut last = 0;
        for (i, (d, s)) in kept.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(itoa::Buffer::new().format(d - last));
            out.push(',');
            out.push_str(itoa::Buffer::new().format(*s));
            last = *d;
        }
        out.push(']');
    }

    /// Every text file.
    #[cfg(test)]
    fn text_files(&self) -> Vec<File> {
        let mut out = Vec::new();
        self.text_files_each(|f| out.push(f));
        out
    }

    /// [`Language::text_files`], handed to `each` one at a time.
    fn text_files_each(&self, mut each: impl FnMut(File)) {
        let mut shards: BTreeMap<String, Vec<&Arc<str>>> = BTreeMap::new();
        for stem in self.postings.keys() {
            shards.entry(shard_name(stem)).or_default().push(stem);
        }
        for (name, stems) in shards {
            each(self.text_file(&name, stems));
        }
    }

    /// The text file `name` with the postings of `stems`.
    fn text_file(&self, name: &str, mut stems: Vec<&Arc<str>>) -> File {
        stems.sort();
        let mut s = String::from("{");
        for (i, stem) in stems.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            match self.written.get(*stem) {
                Some(entry) => s.push_str(entry),
                None => Self::entry(stem, &self.postings[*stem], &mut s),
            }
        }
        s.push('}');
        (format!("text/{name}.json"), s.into_bytes())
    }

    /// A stem's entry in its text file: `"stem":[…]`.
    fn entry(stem: &str, list: &[(u32, u16)], out: &mut String) {
        out.push_str(&serde_json::Value::from(stem).to_string());
        out.push(':');
        Self::encode(list, out);
    }

    /// Writes again, on every core, the entries of the stems whose
    /// postings changed (every stem's after a build), for
    /// [`Language::text_file`].
    fn write_stale(&mut self) {
        if !self.keep_terms {
            return;
        }
        let mut stale = std::mem::take(&mut self.stale);
        stale.sort_unstable();
        stale.dedup();
        for stem in &stale {
            self.written.remove(stem);
        }
        let postings = &self.postings;
        let entries: Vec<(Arc<str>, Box<str>)> = stale
            .into_par_iter()
            .filter_map(|stem| {
                let list = postings.get(&stem)?;
                let mut out = String::new();
                Self::entry(&stem, list, &mut out);
                Some((stem, out.into_boxed_str()))
            })
            .collect();
        self.written.extend(entries);
    }

    /// The names of the text files, for `text/index.json`: the search
    /// page asks only for files that exist.
    fn shard_list(&self) -> BTreeSet<String> {
        if self.keep_terms {
            return self.by_shard.keys().cloned().collect();
        }
        self.postings.keys().map(|s| shard_name(s)).collect()
    }

    /// Makes [`Language::by_shard`] anew from the postings.
    fn index_shards(&mut self) {
        self.by_shard.clear();
        for stem in self.postings.keys() {
            let shard = self.by_shard.entry(shard_name(stem)).or_default();
            shard.insert(Arc::clone(stem));
        }
    }

    fn shard_list_file(list: &BTreeSet<String>) -> File {
        let json = serde_json::Value::from(list.iter().cloned().collect::<Vec<_>>()).to_string();
        ("text/index.json".to_owned(), json.into_bytes())
    }

    /// The page table's files.
    #[cfg(test)]
    fn doc_files(&self) -> Vec<File> {
        let mut out = Vec::new();
        let docs = self.docs.iter().map(|(&doc, m)| (doc, m.clone()));
        doc_files_each(docs, |f| out.push(f));
        out
    }

    /// The page table's file `docs/<n>.json` alone, from the results
    /// kept for the dev server.
    fn doc_file(&self, n: u32) -> File {
        let per_file = DOCS_PER_FILE as u32;
        let mut out = None;
        let docs = self
            .docs
            .range(n * per_file..(n + 1) * per_file)
            .map(|(&doc, m)| (doc - n * per_file, m.clone()));
        doc_files_each(docs, |f| out = Some(f.1));
        (
            format!("docs/{n}.json"),
            out.unwrap_or_else(|| b"[]".to_vec()),
        )
    }

    /// The page table's files, handed to `each` one at a time.
    fn doc_files_each(&self, site: &Site, each: impl FnMut(File)) {
        if self.doc_pages.is_empty() {
            let docs = self.docs.iter().map(|(&doc, m)| (doc, m.clone()));
            doc_files_each(docs, each);
        } else {
            let mut pages = self.doc_pages.clone();
            pages.sort_unstable();
            let docs = pages
                .into_iter()
                .map(|(doc, i)| (doc, doc_meta(&site.pages[i])));
            doc_files_each(docs, each);
        }
    }
}

/// The page table's files from every page's number and result, in order
/// of number: the pages numbered `64n` to `64n+63` in `docs/<n>.json`, a
/// number without a page as `null`; no file where there is no page.
fn doc_files_each(docs: impl Iterator<Item = (u32, DocMeta)>, mut each: impl FnMut(File)) {
    let per_file = DOCS_PER_FILE as u32;
    let file = |n: u32, rows: Vec<serde_json::Value>| {
        let json = serde_json::Value::from(rows).to_string();
        (format!("docs/{n}.json"), json.into_bytes())
    };
    let mut current: Option<u32> = None;
    let mut rows: Vec<serde_json::Value> = Vec::new();
    for (doc, m) in docs {
        let n = doc / per_file;
        if current != Some(n) {
            if let Some(c) = current {
                each(file(c, std::mem::take(&mut rows)));
            }
            current = Some(n);
        }
        let slot = (doc % per_file) as usize;
        while rows.len() < slot {
            rows.push(serde_json::Value::Null);
        }
        rows.push(serde_json::json!([m.path, m.title, m.summary, m.generic]));
    }
    if let Some(c) = current {
        each(file(c, rows));
    }
}

/// Keeps of `list` what [`Language::encode`] can write: every entry of a
/// [`KEY`] score and the [`MAX_POSTINGS`] best of the others. The best of
/// a union are the best of the bests of its parts, so pruning each
/// thread's share as it grows writes the same files.
fn prune(list: &mut Vec<(u32, u16)>) {
    let mut text: Vec<(u32, u16)> = Vec::new();
    list.retain(|&p| {
        if p.1 >= KEY {
            true
        } else {
            text.push(p);
            false
        }
    });
    if text.len() > MAX_POSTINGS {
        text.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        text.truncate(MAX_POSTINGS);
    }
    list.extend(text);
    list.shrink_to(list.len().max(2 * MAX_POSTINGS));
}

/// One file of the index: its path inside the language's search folder
/// (`text/696e.json`) and its bytes.
pub type File = (String, Vec<u8>);

/// A page to index: its language, number, what its result shows, its
/// stems.
pub type Doc = (String, u32, DocMeta, Terms);

/// Every language's index.
#[derive(Default)]
struct Indexes(BTreeMap<String, Language>);

impl Indexes {
    /// Hands every file to `each` with its language code, one at a time,
    /// so that a large index is never held twice.
    fn each_file(&self, site: &Site, mut each: impl FnMut(&str, File)) {
        for (lang, l) in &self.0 {
            l.text_files_each(|f| each(lang, f));
            l.doc_files_each(site, |f| each(lang, f));
            each(lang, Language::shard_list_file(&l.shard_list()));
        }
    }
}

/// The index, kept by the dev server between edits.
pub struct Index {
    inner: Arc<Mutex<Indexes>>,
}

/// One thread's share of a language's index, numbered by that thread's
/// analyzer.
struct Local {
    scorer: Scorer,
    /// Per stem number: (page, score).
    postings: Vec<Vec<(u32, u16)>>,
    /// Each page's number and index in the site.
    docs: Vec<(u32, usize)>,
    /// Each page's stems, when the dev server will need them.
    terms: Vec<(u32, Terms)>,
}

/// Gathers the pages' stems while they are rendered, each thread into its
/// own share (no lock, no hashing per word), merged at the end.
pub struct Gatherer {
    locals: ThreadLocal<RefCell<HashMap<String, Local>>>,
    keep_terms: bool,
}

impl Gatherer {
    /// `for_edits` keeps what a later [`Index::update`] needs (the dev
    /// server).
    pub fn new(for_edits: bool) -> Gatherer {
        Gatherer {
            locals: ThreadLocal::new(),
            keep_terms: for_edits,
        }
    }

    /// Reads page `index` of the site, number `doc` of its language.
    pub fn page<'h>(
        &self,
        site: &Site,
        index: usize,
        doc: u32,
        body_html: &str,
        headings: impl Iterator<Item = &'h str>,
    ) {
        let page = &site.pages[index];
        let mut langs = self.locals.get_or_default().borrow_mut();
        let l = langs.entry(page.lang.clone()).or_insert_with(|| Local {
            scorer: Scorer::new(&page.lang),
            postings: Vec::new(),
            docs: Vec::new(),
            terms: Vec::new(),
        });
        l.scorer.page(site, page, body_html, headings);
        if self.keep_terms {
            let terms = l.scorer.take();
            l.terms.push((doc, terms));
        }
        let count = l.scorer.analyzer.stem_count();
        if l.postings.len() < count {
            l.postings.resize_with(count, Vec::new);
        }
        if self.keep_terms {
            if let Some((_, terms)) = l.terms.last() {
                for (stem, score) in terms {
                    if let Some(n) = l.scorer.analyzer.number(stem) {
                        l.postings[n as usize].push((doc, *score));
                    }
                }
            }
        } else {
            let postings = &mut l.postings;
            l.scorer.flush(|n, score| {
                let list = &mut postings[n as usize];
                list.push((doc, score));
                // What no file will hold is let go as the pages come, so
                // that a stem on every page keeps a bounded list.
                if list.len() >= 2 * MAX_POSTINGS && list.len().is_power_of_two() {
                    prune(list);
                }
            });
        }
        l.docs.push((doc, index));
    }

    /// Merges every thread's share into the index, handing every file of
    /// it to `each` with its language code.
    pub fn finish(self, site: &Site, each: impl FnMut(&str, File)) -> Index {
        let keep_terms = self.keep_terms;
        let mut all = Indexes::default();
        for cell in self.locals.into_iter() {
            for (lang, local) in cell.into_inner() {
                let l = all.0.entry(lang).or_insert_with(|| Language {
                    keep_terms,
                    ..Language::default()
                });
                for (n, list) in local.postings.into_iter().enumerate() {
                    if list.is_empty() {
                        continue;
                    }
                    let stem = local.scorer.analyzer.stem(n as u32);
                    l.postings.entry(Arc::clone(stem)).or_default().extend(list);
                }
                if keep_terms {
                    let docs = local.docs.into_iter();
                    l.docs
                        .extend(docs.map(|(doc, i)| (doc, doc_meta(&site.pages[i]))));
                    l.terms.extend(local.terms);
                } else {
                    l.doc_pages.extend(local.docs);
                }
            }
        }
        if keep_terms {
            for l in all.0.values_mut() {
                l.index_shards();
                l.stale = l.postings.keys().cloned().collect();
                l.write_stale();
            }
        }
        all.each_file(site, each);
        Index {
            inner: Arc::new(Mutex::new(all)),
        }
    }
}

mod edits;
pub use edits::{Moves, Updated};
