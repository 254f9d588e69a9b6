//! The full-text index kept by the dev server between edits: pages moved
//! to other numbers or taken out, pages' entries replaced, and then only
//! the files that changed made again.
//!
//! Not for gathering the index during a build or the files' format (the
//! parent module).

use super::*;

/// What [`Index::change`] changed: files to write and files to remove
/// (`text/7079.json`), with their language code.
pub struct Updated {
    pub files: Vec<(String, File)>,
    pub gone: Vec<(String, String)>,
}

/// How an edit moved pages in the index, by language code: (old number,
/// new number), `None` for a page that is gone. Pages left out keep their
/// numbers.
pub type Moves = HashMap<String, Vec<(u32, Option<u32>)>>;

/// A file of the index: its language code and name (`text/7079.json`).
type Name = (String, String);

/// More pages moved than this, and the postings are renumbered in one
/// pass over them all rather than page by page.
const MANY_MOVES: usize = 256;

impl Language {
    /// The names of this language's files.
    fn file_names(&self) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self
            .shard_list()
            .into_iter()
            .map(|s| format!("text/{s}.json"))
            .collect();
        let per_file = DOCS_PER_FILE as u32;
        let mut last = None;
        for &doc in self.docs.keys() {
            let n = doc / per_file;
            if last != Some(n) {
                names.insert(format!("docs/{n}.json"));
                last = Some(n);
            }
        }
        names.insert("text/index.json".to_owned());
        names
    }

    /// The file `name` (one of [`Language::file_names`]) as it is now.
    fn file(&self, name: &str) -> File {
        if name == "text/index.json" {
            return Self::shard_list_file(&self.shard_list());
        }
        let page_table = name
            .strip_prefix("docs/")
            .and_then(|r| r.strip_suffix(".json"));
        if let Some(n) = page_table.and_then(|n| n.parse().ok()) {
            return self.doc_file(n);
        }
        let shard = name.trim_start_matches("text/").trim_end_matches(".json");
        let stems = self.by_shard.get(shard).into_iter().flatten().collect();
        self.text_file(shard, stems)
    }

    /// Moves pages to their new numbers, or out (`moves`), adding to
    /// `touched` the names of the files that change.
    fn renumber(&mut self, moves: &[(u32, Option<u32>)], touched: &mut BTreeSet<String>) {
        let per_file = DOCS_PER_FILE as u32;
        if moves.len() > MANY_MOVES {
            let map: HashMap<u32, Option<u32>> = moves.iter().copied().collect();
            let new = |n: u32| map.get(&n).copied().unwrap_or(Some(n));
            touched.extend(self.file_names());
            let docs = std::mem::take(&mut self.docs);
            self.docs = docs
                .into_iter()
                .filter_map(|(n, m)| Some((new(n)?, m)))
                .collect();
            let terms = std::mem::take(&mut self.terms);
            self.terms = terms
                .into_iter()
                .filter_map(|(n, t)| Some((new(n)?, t)))
                .collect();
            self.postings.retain(|_, list| {
                list.retain_mut(|(d, _)| match new(*d) {
                    Some(n) => {
                        *d = n;
                        true
                    }
                    None => false,
                });
                !list.is_empty()
            });
            self.index_shards();
            self.written.clear();
            self.stale = self.postings.keys().cloned().collect();
            touched.extend(self.file_names());
            return;
        }
        // Every moved page out first, then back in at its new number: a
        // page may move to where another was.
        let mut moved = Vec::new();
        for &(from, to) in moves {
            touched.insert(format!("docs/{}.json", from / per_file));
            let meta = self.docs.remove(&from);
            let terms = self.remove(from);
            for (stem, _) in &terms {
                touched.insert(format!("text/{}.json", shard_name(stem)));
            }
            if let (Some(to), Some(meta)) = (to, meta) {
                moved.push((to, meta, terms));
            }
        }
        for (to, meta, terms) in moved {
            touched.insert(format!("docs/{}.json", to / per_file));
            self.add(to, meta, terms);
        }
    }

    /// Replaces the entry of one page (edited or new), adding to `touched`
    /// the names of the files that change.
    fn replace(&mut self, n: u32, meta: DocMeta, terms: Terms, touched: &mut BTreeSet<String>) {
        // The files of the stems whose score on this page changed: both
        // lists are sorted by stem.
        let old = self.terms.get(&n).map(Vec::as_slice).unwrap_or_default();
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let mut rescored: Vec<Arc<str>> = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < terms.len() {
            match (old.get(i), terms.get(j)) {
                (Some(a), Some(b)) if a.0 == b.0 => {
                    if a.1 != b.1 {
                        changed.insert(shard_name(&a.0));
                        rescored.push(Arc::clone(&a.0));
                    }
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.0 < b.0 => {
                    changed.insert(shard_name(&a.0));
                    rescored.push(Arc::clone(&a.0));
                    i += 1;
                }
                (Some(a), None) => {
                    changed.insert(shard_name(&a.0));
                    rescored.push(Arc::clone(&a.0));
                    i += 1;
                }
                (_, Some(b)) => {
                    changed.insert(shard_name(&b.0));
                    rescored.push(Arc::clone(&b.0));
                    j += 1;
                }
                (None, None) => break,
            }
        }
        touched.extend(changed.into_iter().map(|s| format!("text/{s}.json")));
        if self.docs.get(&n) != Some(&meta) {
            touched.insert(format!("docs/{}.json", n / DOCS_PER_FILE as u32));
        }
        let mark = self.stale.len();
        self.remove(n);
        self.add(n, meta, terms);
        // A stem of the same score is written as it was: its list is in
        // another order only, and the entry sorts it.
        self.stale.truncate(mark);
        self.stale.extend(rescored);
    }
}

impl Indexes {
    fn file_names(&self) -> BTreeSet<Name> {
        let mut names = BTreeSet::new();
        for (lang, l) in &self.0 {
            names.extend(l.file_names().into_iter().map(|n| (lang.clone(), n)));
        }
        names
    }
}

impl Index {
    /// Applies an edit: pages rescored to new numbers or taken out (`moves`),
    /// then the entries of `docs` (pages edited or added) replaced. The
    /// files that changed, made on every core, and those no longer there.
    pub fn change(&self, moves: &Moves, docs: Vec<Doc>) -> Result<Updated, String> {
        let mut all = self
            .inner
            .lock()
            .map_err(|_| "the search index is unusable after an earlier failure".to_owned())?;
        let before = all.file_names();
        let mut touched: BTreeSet<Name> = BTreeSet::new();
        let mut add = |lang: &str, names: BTreeSet<String>| {
            touched.extend(names.into_iter().map(|n| (lang.to_owned(), n)));
        };
        for (lang, list) in moves {
            if let Some(l) = all.0.get_mut(lang) {
                let mut names = BTreeSet::new();
                l.renumber(list, &mut names);
                add(lang, names);
            }
        }
        for (lang, n, meta, terms) in docs {
            let l = all.0.entry(lang.clone()).or_insert_with(|| Language {
                keep_terms: true,
                ..Language::default()
            });
            let mut names = BTreeSet::new();
            l.replace(n, meta, terms, &mut names);
            add(&lang, names);
        }
        for l in all.0.values_mut() {
            l.write_stale();
        }
        let after = all.file_names();
        // The list of text files changes with them.
        let text = |set: &BTreeSet<Name>| -> BTreeSet<Name> {
            let list = set.iter().filter(|(_, n)| n.starts_with("text/"));
            list.cloned().collect()
        };
        let (text_before, text_after) = (text(&before), text(&after));
        for (lang, _) in text_before.symmetric_difference(&text_after) {
            touched.insert((lang.clone(), "text/index.json".to_owned()));
        }
        touched.retain(|n| after.contains(n));
        let gone: Vec<Name> = before.difference(&after).cloned().collect();
        let touched: Vec<Name> = touched.into_iter().collect();
        let all = &*all;
        let files: Vec<(String, File)> = touched
            .into_par_iter()
            .filter_map(|(lang, name)| {
                let file = all.0.get(&lang)?.file(&name);
                Some((lang, file))
            })
            .collect();
        Ok(Updated { files, gone })
    }

    /// Replaces one page's entry; the files that changed.
    pub fn update(&self, doc: Doc) -> Result<Updated, String> {
        self.change(&Moves::new(), vec![doc])
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
        let files = l.text_files();
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
        let files = l.text_files();
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
            let all_files = l.text_files().into_iter().chain(l.doc_files());
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

    /// `n` pages' content file paths, `medications/p<i>.md`.
    fn rels(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("medications/p{i}.md")).collect()
    }

    fn numbered(rels: &[String]) -> Vec<u32> {
        numbers(rels.iter().map(|r| ("en", r.as_str())))
    }

    #[test]
    fn a_page_added_moves_only_the_pages_just_after_its_number() {
        let mut list = rels(500);
        let before = numbered(&list);
        let unique: BTreeSet<u32> = before.iter().copied().collect();
        assert_eq!(unique.len(), list.len(), "one number a page");
        // The order the pages come in does not matter.
        let mut reversed = list.clone();
        reversed.reverse();
        let mut again = numbered(&reversed);
        again.reverse();
        assert_eq!(again, before);
        let mut rescored_any = 0;
        for extra in 0..40 {
            list.push(format!("medications/new-{extra}.md"));
            let after = numbered(&list);
            let new = after[list.len() - 1];
            let rescored: Vec<u32> = (0..before.len())
                .filter(|&i| after[i] != before[i])
                .map(|i| after[i])
                .collect();
            // Those that rescored went one up, and follow the new page's
            // number without a gap.
            for (k, n) in rescored
                .iter()
                .copied()
                .collect::<BTreeSet<u32>>()
                .iter()
                .enumerate()
            {
                assert_eq!(*n, new + 1 + k as u32, "{rescored:?} after {new}");
            }
            rescored_any += rescored.len();
            list.pop();
        }
        // Some of the forty meet another page's hash (about a fifth).
        assert!(
            rescored_any > 0,
            "no page ever rescored: the test shows nothing"
        );
    }

    #[test]
    fn the_numbers_spread_over_four_to_eight_times_the_pages() {
        for n in [1, 16, 17, 100, 1000] {
            let max = numbered(&rels(n)).into_iter().max().unwrap_or(0) as usize;
            let range = (n * 4).next_power_of_two().max(64);
            assert!(max < range + n, "{n} pages: {max}");
        }
    }

    /// An index of `docs` (number, path, stems) made afresh, its files by
    /// name.
    fn fresh(docs: &[(u32, String, Vec<&str>)]) -> BTreeMap<String, Vec<u8>> {
        let mut l = Language {
            keep_terms: true,
            ..Language::default()
        };
        for (n, path, stems) in docs {
            let terms = stems.iter().map(|s| (Arc::from(*s), 2)).collect();
            l.add(*n, meta(path), terms);
        }
        l.file_names()
            .into_iter()
            .map(|name| (name.clone(), l.file(&name).1))
            .collect()
    }

    #[test]
    fn rescored_pages_give_the_files_of_an_index_made_afresh() {
        let words = ["gout", "joint", "rash", "jaw", "infect", "liver"];
        let stems = |i: usize| vec![words[i % 6], words[(i * 7 + 1) % 6]];
        // Page by page (a few rescored) and all at once (every page rescored).
        for (count, shift) in [(40usize, 3u32), (600, 1)] {
            let old: Vec<(u32, String, Vec<&str>)> = (0..count)
                .map(|i| (i as u32 * 2, format!("/p{i}/"), stems(i)))
                .collect();
            let mut l = Language {
                keep_terms: true,
                ..Language::default()
            };
            for (n, path, s) in &old {
                let terms = s.iter().map(|w| (Arc::from(*w), 2)).collect();
                l.add(*n, meta(path), terms);
            }
            let index = Index {
                inner: Arc::new(Mutex::new(Indexes(BTreeMap::from([("en".to_owned(), l)])))),
            };
            // The pages from the middle on move up by `shift`; page 1 goes.
            let mut moves = Vec::new();
            let mut new = Vec::new();
            for (i, (n, path, s)) in old.iter().enumerate() {
                if i == 1 {
                    moves.push((*n, None));
                } else if i >= count / 2 {
                    moves.push((*n, Some(n + shift)));
                    new.push((n + shift, path.clone(), s.clone()));
                } else {
                    new.push((*n, path.clone(), s.clone()));
                }
            }
            let moves: Moves = HashMap::from([("en".to_owned(), moves)]);
            let before: BTreeSet<String> = fresh(&old).into_keys().collect();
            let update = index.change(&moves, Vec::new()).unwrap();
            let expected = fresh(&new);
            // Every file that changed was written, and every file gone
            // was named.
            let mut now: BTreeMap<String, Vec<u8>> = before
                .iter()
                .map(|n| (n.clone(), fresh(&old)[n].clone()))
                .collect();
            for (_, name) in &update.gone {
                now.remove(name);
            }
            for (_, (name, bytes)) in update.files {
                now.insert(name, bytes);
            }
            assert_eq!(now, expected, "{count} pages");
        }
    }
}
