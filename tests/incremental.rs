//! The dev server's rebuild after each kind of content edit (front matter,
//! a page added, deleted or renamed) leaves the preview byte-identical to
//! a clean build of the same files. Edits go through
//! `serve::Rebuilder::changed`, the same path as the file watcher's.

use medsite::build::{BuildOptions, build};
use medsite::serve::Rebuilder;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A copy of the example site (this repository's `site.toml`, `content/`
/// and theme folders) in a temporary folder.
fn example_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).expect("site.toml");
    for dir in ["content", "templates", "static", "i18n"] {
        if repo.join(dir).is_dir() {
            copy_dir(&repo.join(dir), &tmp.path().join(dir));
        }
    }
    tmp
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, by path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Empty folders under `dir` (a clean build has none).
fn empty_dirs(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .filter(|e| std::fs::read_dir(e.path()).is_ok_and(|mut d| d.next().is_none()))
        .map(|e| e.path().to_path_buf())
        .collect()
}

struct Preview {
    site: tempfile::TempDir,
    out: PathBuf,
    rebuilder: Rebuilder,
}

impl Preview {
    fn start() -> Preview {
        let site = example_copy();
        let out = site.path().join("preview");
        let mut rebuilder = Rebuilder::new(options(site.path(), &out));
        let first = rebuilder.full();
        assert!(first.ok, "first build: {}", first.diagnostics);
        Preview {
            site,
            out,
            rebuilder,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Replaces `from` by `to` in the file `rel` (which must contain it).
    fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(self.path(rel), text.replacen(from, to, 1)).expect("write");
    }

    /// Tells the rebuilder that `rels` changed; it must not need a whole
    /// build, and must succeed.
    fn changed(&mut self, rels: &[&str]) {
        let paths: Vec<PathBuf> = rels.iter().map(PathBuf::from).collect();
        let r = self.rebuilder.changed(&paths);
        assert!(r.ok, "after {rels:?}: {}", r.diagnostics);
        assert_ne!(r.what, "full build", "{rels:?} needed a whole build");
    }

    /// The preview equals a clean build of the same files, byte for byte.
    fn assert_same_as_clean_build(&self, after: &str) {
        let clean = self.site.path().join("clean");
        build(&options(self.site.path(), &clean)).expect("clean build");
        let (a, b) = (tree(&self.out), tree(&clean));
        let only_preview: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
        let only_clean: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
        let differ: Vec<&String> = a
            .iter()
            .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
            .map(|(k, _)| k)
            .collect();
        assert!(
            only_preview.is_empty() && only_clean.is_empty() && differ.is_empty(),
            "after {after}: only in the preview {only_preview:?}, only in the clean build \
             {only_clean:?}, different {differ:?}"
        );
        assert_eq!(
            empty_dirs(&self.out),
            Vec::<PathBuf>::new(),
            "after {after}"
        );
        std::fs::remove_dir_all(&clean).expect("rm clean");
    }
}

fn options(root: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
    }
}

#[test]
fn every_kind_of_edit_leaves_the_preview_as_a_clean_build() {
    let mut p = Preview::start();
    p.assert_same_as_clean_build("the first build");

    // Front matter: the title (listings, A–Z index, related pages, search).
    p.replace(
        "content/medications/methotrexate.md",
        "title: Methotrexate",
        "title: Methotrexate tablets",
    );
    p.changed(&["content/medications/methotrexate.md"]);
    let page =
        std::fs::read_to_string(p.out.join("medications/methotrexate/index.html")).expect("page");
    assert!(
        page.contains("Methotrexate tablets"),
        "the new title is on the page"
    );
    p.assert_same_as_clean_build("a title edit");

    // The summary and a review date.
    p.replace(
        "content/medications/colchicine.md",
        "summary: ",
        "summary: Edited summary. ",
    );
    p.changed(&["content/medications/colchicine.md"]);
    p.assert_same_as_clean_build("a summary edit");

    // Brand names (the A–Z index lists them).
    p.replace(
        "content/medications/methotrexate.md",
        "Maxtrex]",
        "Maxtrex, Zexate]",
    );
    p.changed(&["content/medications/methotrexate.md"]);
    p.assert_same_as_clean_build("a brand name added");

    // Conditions, with a condition no page had before.
    p.replace(
        "content/medications/sulfasalazine.md",
        "conditions: [Rheumatoid arthritis,",
        "conditions: [Pyoderma gangrenosum, Rheumatoid arthritis,",
    );
    p.changed(&["content/medications/sulfasalazine.md"]);
    assert!(
        p.out
            .join("conditions/pyoderma-gangrenosum/index.html")
            .is_file(),
        "the new condition has its page"
    );
    p.assert_same_as_clean_build("a new condition");

    // A translation's source reviewed again: the translation falls behind.
    let reviewed = p.read("content/medications/methotrexate.md");
    let line = reviewed
        .lines()
        .find(|l| l.starts_with("last_reviewed:"))
        .expect("last_reviewed")
        .to_owned();
    p.replace(
        "content/medications/methotrexate.md",
        &line,
        "last_reviewed: 2026-11-30",
    );
    p.changed(&["content/medications/methotrexate.md"]);
    p.assert_same_as_clean_build("a review date");

    // A page added.
    let new_page = p
        .read("content/medications/colchicine.md")
        .replace("Colchicine", "Testamab")
        .replace("colchicine", "testamab");
    std::fs::write(p.path("content/medications/testamab.md"), new_page).expect("new page");
    p.changed(&["content/medications/testamab.md"]);
    assert!(p.out.join("medications/testamab/index.html").is_file());
    p.assert_same_as_clean_build("a page added");

    // A page renamed (its old file gone, a new one there).
    std::fs::rename(
        p.path("content/medications/testamab.md"),
        p.path("content/medications/testamab-injection.md"),
    )
    .expect("rename");
    p.changed(&[
        "content/medications/testamab.md",
        "content/medications/testamab-injection.md",
    ]);
    assert!(
        !p.out.join("medications/testamab").exists(),
        "the old address is gone"
    );
    p.assert_same_as_clean_build("a page renamed");

    // A page deleted.
    std::fs::remove_file(p.path("content/medications/testamab-injection.md")).expect("rm");
    p.changed(&["content/medications/testamab-injection.md"]);
    p.assert_same_as_clean_build("a page deleted");

    // A condition's last page leaves it: its page goes.
    p.replace(
        "content/medications/sulfasalazine.md",
        "conditions: [Pyoderma gangrenosum, ",
        "conditions: [",
    );
    p.changed(&["content/medications/sulfasalazine.md"]);
    assert!(!p.out.join("conditions/pyoderma-gangrenosum").exists());
    p.assert_same_as_clean_build("a condition emptied");
}

/// Pages added one at a time, past the page counts at which the search
/// index spreads its page numbers wider (16 and 32 pages of a language),
/// then removed together: the preview stays a clean build, whether the
/// pages' numbers stay, shift by one or all change.
#[test]
fn many_pages_added_and_removed_leave_the_preview_as_a_clean_build() {
    let mut p = Preview::start();
    let source = p.read("content/medications/colchicine.md");
    let names: Vec<String> = (0..24).map(|i| format!("testamab{i:02}")).collect();
    for name in &names {
        let rel = format!("content/medications/{name}.md");
        let title = format!("Test{}", &name[4..]);
        let page = source
            .replace("Colchicine", &title)
            .replace("colchicine", name);
        std::fs::write(p.path(&rel), page).expect("new page");
        p.changed(&[rel.as_str()]);
        p.assert_same_as_clean_build(&format!("{name} added"));
    }
    let gone: Vec<String> = names
        .iter()
        .step_by(2)
        .map(|n| format!("content/medications/{n}.md"))
        .collect();
    for rel in &gone {
        std::fs::remove_file(p.path(rel)).expect("rm");
    }
    let gone: Vec<&str> = gone.iter().map(String::as_str).collect();
    p.changed(&gone);
    p.assert_same_as_clean_build("every other one removed");
}

#[test]
fn a_front_matter_error_leaves_the_preview_and_is_fixed_by_the_next_edit() {
    let mut p = Preview::start();
    let before = tree(&p.out);
    p.replace(
        "content/medications/colchicine.md",
        "atc_code: ",
        "atc_code: X",
    );
    let r = p
        .rebuilder
        .changed(&[PathBuf::from("content/medications/colchicine.md")]);
    assert!(!r.ok, "an impossible ATC code is an error");
    assert!(r.diagnostics.to_string().contains("colchicine.md"));
    assert_eq!(tree(&p.out), before, "the preview is left as it was");
    p.replace(
        "content/medications/colchicine.md",
        "atc_code: X",
        "atc_code: ",
    );
    p.replace(
        "content/medications/methotrexate.md",
        "summary: ",
        "summary: Fixed. ",
    );
    p.changed(&["content/medications/methotrexate.md"]);
    p.assert_same_as_clean_build("an error and its fix");
}

/// The site and bodies as text to compare, with the diagnostics in one order.
fn site_text(site: &medsite::content::Site, bodies: &medsite::content::Bodies) -> String {
    let mut site = site.clone();
    site.diagnostics.sort_by_cached_key(|d| {
        format!("{}|{}|{}|{}", d.file.display(), d.line, d.column, d.message)
    });
    format!("{site:#?}\n{bodies:#?}")
}

#[test]
fn a_patched_site_is_the_site_a_whole_load_gives() {
    use medsite::content::{LoadOptions, Site};
    use std::collections::HashSet;
    let tmp = example_copy();
    let root = tmp.path();
    let config = medsite::config::Config::load(root).expect("site.toml");
    let opts = LoadOptions::default();
    let mut files = Site::read_files(root, &config, &opts).expect("content");
    let (mut site, mut bodies) = Site::assemble_files(root, config.clone(), files.clone(), &opts);
    let edit = |rel: &str, from: &str, to: &str| {
        let path = root.join("content").join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel} has {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };
    type Edit<'a> = (&'a str, &'a str, &'a str, bool, &'a str);
    // (file, from, to, whether the edit keeps every page where it was, a
    // message the site then has)
    let edits: [Edit; 13] = [
        (
            "medications/methotrexate.md",
            "title: Methotrexate",
            "title: Zz methotrexate",
            true,
            "",
        ),
        (
            "medications/colchicine.md",
            "brand_names: [",
            "brand_names: [Aaa, ",
            true,
            "",
        ),
        (
            "medications/colchicine.md",
            "conditions: [",
            "conditions: [Gout attacks, Hiccups, ",
            true,
            "",
        ),
        // Another spelling of a condition: a warning found when linking.
        (
            "medications/ilaris.md",
            "conditions: [",
            "conditions: [hiccups, ",
            true,
            "`hiccups` is spelled `Hiccups`",
        ),
        (
            "medications/anakinra.md",
            "related: [",
            "related: [nothing.md, ",
            true,
            "`nothing.md` in `related`",
        ),
        // A review date that is not a date: an error of the file itself.
        (
            "medications/anakinra.nb.md",
            "next_review: ",
            "next_review: soon",
            true,
            "next_review",
        ),
        (
            "medications/anakinra.nb.md",
            "next_review: soon",
            "next_review: ",
            true,
            "`hiccups`",
        ),
        (
            "medications/anakinra.md",
            "related: [nothing.md, ",
            "related: [",
            true,
            "",
        ),
        (
            "medications/methotrexate.nb.md",
            "summary: ",
            "summary: Endret. ",
            true,
            "",
        ),
        // A new address, a draft, a new kind: the site is assembled again.
        (
            "medications/leflunomide.md",
            "title: ",
            "slug: lef\ntitle: ",
            false,
            "",
        ),
        (
            "medications/sulfasalazine.md",
            "title: ",
            "draft: true\ntitle: ",
            false,
            "is a draft page",
        ),
        (
            "medications/adalimumab.md",
            "title: ",
            "kind: article\ntitle: ",
            false,
            "",
        ),
        ("about.md", "title: ", "title: More ", true, ""),
    ];
    let messages = |site: &Site| -> String {
        let all: Vec<&str> = site
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        all.join("\n")
    };
    for (rel, from, to, kept, message) in edits {
        edit(rel, from, to);
        files.reread(root, &config, &[rel.to_owned()]);
        let edited: HashSet<String> = [rel.to_owned()].into();
        let (whole, whole_bodies) =
            Site::assemble_files(root, config.clone(), files.clone(), &opts);
        assert!(
            messages(&whole).contains(message),
            "{rel}: {to:?} gives {message:?}"
        );
        match site.patched(&bodies, &files, &edited, &opts) {
            Some((patched, patched_bodies)) => {
                assert!(kept, "{rel}: {to:?} moves a page, yet the site was patched");
                let (a, b) = (
                    site_text(&patched, &patched_bodies),
                    site_text(&whole, &whole_bodies),
                );
                let first = a.lines().zip(b.lines()).position(|(x, y)| x != y);
                assert!(
                    a == b,
                    "{rel}: {to:?}: the patched site differs from line {first:?}:\n{}",
                    a.lines()
                        .skip(first.unwrap_or(0).saturating_sub(8))
                        .take(12)
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
            None => assert!(!kept, "{rel}: {to:?} was not patched"),
        }
        (site, bodies) = (whole, whole_bodies);
    }
    // The error of a related page that does not exist went with its fix.
    assert!(!messages(&site).contains("nothing.md"));
}
