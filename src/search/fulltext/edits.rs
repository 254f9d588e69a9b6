//! The full-text index kept by the dev server between edits: one page's
//! entry replaced after an edit, every page numbered again after pages
//! were added or removed, the names of its files.
//!
//! Not for gathering the index during a build or the files' format (the
//! parent module).

use super::*;
use rayon::prelude::*;

/// What [`Index::update`] changed: files to write and files to remove
/// (`text/7079.json`), with their language code.
pub struct Updated {
    pub files: Vec<(String, File)>,
    pub gone: Vec<(String, String)>,
}

impl Index {
    /// Replaces one page's words; the files that changed, with the
    /// language code.
    pub fn update(&self, doc: Doc) -> Result<Updated, String> {
        let mut all = self
            .inner
            .lock()
            .map_err(|_| "the search index is unusable after an earlier failure".to_owned())?;
        let (lang, n, meta, terms) = doc;
        let l = all.0.entry(lang.clone()).or_insert_with(|| Language {
            keep_terms: true,
            ..Language::default()
        });
        // The files of the stems whose score on this page changed: both
        // lists are sorted by stem.
        let old = l.terms.get(&n).cloned().unwrap_or_default();
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < terms.len() {
            match (old.get(i), terms.get(j)) {
                (Some(a), Some(b)) if a.0 == b.0 => {
                    if a.1 != b.1 {
                        changed.insert(shard_name(&a.0));
                    }
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.0 < b.0 => {
                    changed.insert(shard_name(&a.0));
                    i += 1;
                }
                (Some(a), None) => {
                    changed.insert(shard_name(&a.0));
                    i += 1;
                }
                (_, Some(b)) => {
                    changed.insert(shard_name(&b.0));
                    j += 1;
                }
                (None, None) => break,
            }
        }
        let shards_before = l.shard_list();
        l.remove(n);
        let docs_changed = l.docs.get(&n) != Some(&meta);
        l.add(n, meta, terms);
        let shards_after = l.shard_list();
        // A shard left without stems has no file any more.
        let gone: Vec<String> = changed
            .iter()
            .filter(|name| !shards_after.contains(*name))
            .map(|name| format!("text/{name}.json"))
            .collect();
        changed.retain(|name| shards_after.contains(name));
        let mut files = l.text_files(Some(&changed));
        if shards_after != shards_before {
            files.push(Language::shard_list_file(&shards_after));
        }
        if docs_changed {
            files.push(l.doc_file(n / DOCS_PER_FILE as u32));
        }
        Ok(Updated {
            files: files.into_iter().map(|f| (lang.clone(), f)).collect(),
            gone: gone.into_iter().map(|f| (lang.clone(), f)).collect(),
        })
    }

    /// Gives every page a new number after pages were added or removed:
    /// `numbers[lang][old]` is the new number of the page that had number
    /// `old`, or `None` for a page that is gone (a language left out keeps
    /// its numbers). The pages keep their order, so each list of postings
    /// is renumbered where it is. Every file may change; see
    /// [`Index::files`].
    pub fn renumber(&self, numbers: &HashMap<String, Vec<Option<u32>>>) -> Result<(), String> {
        let mut all = self
            .inner
            .lock()
            .map_err(|_| "the search index is unusable after an earlier failure".to_owned())?;
        for (lang, l) in all.0.iter_mut() {
            let Some(map) = numbers.get(lang) else {
                continue;
            };
            let new = |n: u32| map.get(n as usize).copied().flatten();
            let docs = std::mem::take(&mut l.docs);
            l.docs = docs
                .into_iter()
                .filter_map(|(n, m)| Some((new(n)?, m)))
                .collect();
            let terms = std::mem::take(&mut l.terms);
            l.terms = terms
                .into_iter()
                .filter_map(|(n, t)| Some((new(n)?, t)))
                .collect();
            l.postings.retain(|_, list| {
                list.retain_mut(|(d, _)| match new(*d) {
                    Some(n) => {
                        *d = n;
                        true
                    }
                    None => false,
                });
                !list.is_empty()
            });
            l.index_shards();
        }
        Ok(())
    }

    /// The names of every file of the index, with the language code,
    /// without making the files.
    pub fn file_names(&self) -> Result<BTreeSet<(String, String)>, String> {
        let all = self
            .inner
            .lock()
            .map_err(|_| "the search index is unusable after an earlier failure".to_owned())?;
        let mut names = BTreeSet::new();
        for (lang, l) in &all.0 {
            for shard in l.shard_list() {
                names.insert((lang.clone(), format!("text/{shard}.json")));
            }
            if let Some(last) = l.docs.keys().next_back() {
                for n in 0..=last / DOCS_PER_FILE as u32 {
                    names.insert((lang.clone(), format!("docs/{n}.json")));
                }
            }
            names.insert((lang.clone(), "text/index.json".to_owned()));
        }
        Ok(names)
    }

    /// Every file of the index with its language code, the text files
    /// made on every core: for the dev server, which writes them all
    /// after pages were added or removed.
    pub fn files(&self, site: &Site) -> Result<Vec<(String, File)>, String> {
        let all = self
            .inner
            .lock()
            .map_err(|_| "the search index is unusable after an earlier failure".to_owned())?;
        let mut out = Vec::new();
        for (lang, l) in &all.0 {
            let shards = l.shards(None);
            let list: BTreeSet<String> = shards.keys().cloned().collect();
            let shards: Vec<(String, Vec<&Arc<str>>)> = shards.into_iter().collect();
            let text: Vec<File> = shards
                .into_par_iter()
                .map(|(name, stems)| l.text_file(&name, stems))
                .collect();
            out.extend(text.into_iter().map(|f| (lang.clone(), f)));
            l.doc_files_each(site, |f| out.push((lang.clone(), f)));
            out.push((lang.clone(), Language::shard_list_file(&list)));
        }
        Ok(out)
    }

    /// A second handle to the same index, for another thread.
    pub fn share(&self) -> Index {
        Index {
            inner: Arc::clone(&self.inner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(path: &str) -> DocMeta {
        DocMeta {
            path: path.into(),
            title: "T".into(),
            summary: String::new(),
            generic: String::new(),
        }
    }

    #[test]
    fn postings_are_capped_to_the_best_and_delta_encoded() {
        let mut l = Language::default();
        for d in 0..(MAX_POSTINGS as u32 + 50) {
            let score = if d % 2 == 0 { 9 } else { 1 };
            l.add(d, meta("/p/"), vec![(Arc::from("infect"), score)]);
        }
        let files = l.text_files(None);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, format!("text/{}.json", shard_name("in")));
        let v: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
        let list = v["infect"].as_array().unwrap();
        assert_eq!(list.len(), 2 * MAX_POSTINGS);
        // The 125 pages scored 9 all come before any scored 1.
        let mut doc = 0;
        let mut nines = 0;
        for pair in list.chunks(2) {
            doc += pair[0].as_u64().unwrap();
            if pair[1] == 9 {
                nines += 1;
                assert_eq!(doc % 2, 0);
            }
        }
        assert_eq!(nines, (MAX_POSTINGS + 50).div_ceil(2));
    }

    #[test]
    fn pages_with_the_stem_in_a_name_or_condition_are_all_kept() {
        let mut l = Language::default();
        for d in 0..(MAX_POSTINGS as u32 * 2) {
            let score = if d % 4 == 0 { KEY } else { 3 };
            l.add(d, meta("/p/"), vec![(Arc::from("gout"), score)]);
        }
        let files = l.text_files(None);
        let v: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
        let list = v["gout"].as_array().unwrap();
        let keyed = list.chunks(2).filter(|p| p[1] == KEY).count();
        assert_eq!(keyed, MAX_POSTINGS / 2, "every keyed page");
        assert_eq!(list.len() / 2, MAX_POSTINGS + MAX_POSTINGS / 2);
    }

    #[test]
    fn an_update_rewrites_only_the_files_of_changed_stems() {
        let mut all = Indexes::default();
        for (doc, path, stem, score) in [(0, "/a/", "joint", 3), (1, "/b/", "rash", 1)] {
            all.0
                .entry("en".into())
                .or_insert_with(|| Language {
                    keep_terms: true,
                    ..Language::default()
                })
                .add(doc, meta(path), vec![(Arc::from(stem), score)]);
        }
        let mut files = Vec::new();
        for (lang, l) in &all.0 {
            let all_files = l.text_files(None).into_iter().chain(l.doc_files());
            files.extend(all_files.map(|f| (lang.clone(), f)));
        }
        let index = Index {
            inner: Arc::new(Mutex::new(all)),
        };
        assert!(files.iter().any(|(_, f)| f.0 == "docs/0.json"));
        let unchanged = index
            .update(("en".into(), 1, meta("/b/"), vec![(Arc::from("rash"), 1)]))
            .unwrap();
        assert!(
            unchanged.files.is_empty() && unchanged.gone.is_empty(),
            "nothing changed, nothing written"
        );
        let changed = index
            .update((
                "en".into(),
                0,
                meta("/a/"),
                vec![(Arc::from("jaw"), 3), (Arc::from("rash"), 0)],
            ))
            .unwrap();
        let names: Vec<&str> = changed.files.iter().map(|(_, f)| f.0.as_str()).collect();
        let (ja, jo) = (
            format!("text/{}.json", shard_name("ja")),
            format!("text/{}.json", shard_name("jo")),
        );
        // `rash` is new on page 0 too.
        let ra = format!("text/{}.json", shard_name("ra"));
        // `jaw` opens a new file, which the list of files then names;
        // `joint`'s file has no stem left, and goes.
        assert_eq!(names, [ja.as_str(), ra.as_str(), "text/index.json"]);
        assert_eq!(changed.gone, [("en".to_owned(), jo)]);
        let v: serde_json::Value = serde_json::from_slice(&changed.files[0].1.1).unwrap();
        assert!(v.get("jaw").is_some(), "{v}");
    }
}
