//! In-process parts of a build, with criterion: front matter, the Markdown
//! pass, the A–Z index of 30,000 names (ICU4X collation against a plain
//! lower-case sort), and a whole build of the example site and of a
//! 1,000-page synthetic corpus (when `BENCH_TOOLS` names the folder with
//! `gen_corpus.py`).
//!
//! Run: `cargo bench --bench pipeline`. Output goes to /dev/shm.

use criterion::{Criterion, criterion_group, criterion_main};
use medsite::build::{BuildOptions, build};
use medsite::config::Config;
use medsite::content::{LoadOptions, Site};
use std::hint::black_box;
use std::path::{Path, PathBuf};

const PAGE: &str = include_str!("../content/medications/methotrexate.md");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn front_matter(c: &mut Criterion) {
    let file = Path::new("content/medications/methotrexate.md");
    c.bench_function("front matter: split and parse one page", |b| {
        b.iter(|| {
            let split = medsite::content::front_matter::split(file, black_box(PAGE)).unwrap();
            medsite::content::front_matter::parse_page(file, PAGE, &split).unwrap()
        })
    });
}

fn markdown(c: &mut Criterion) {
    let config = Config::load(repo()).unwrap();
    let (site, bodies) = Site::load(repo(), config, &LoadOptions::default()).unwrap();
    let i = site
        .pages
        .iter()
        .position(|p| p.rel == "medications/methotrexate.md")
        .unwrap();
    let (page, body) = (&site.pages[i], &bodies.pages[i]);
    let links = medsite::render::links::SiteLinks {
        site: &site,
        dir: "medications",
        base_path: "/",
        lang: "en",
    };
    for collect_text in [false, true] {
        let name = if collect_text {
            "markdown: one page, with the prose for the checks"
        } else {
            "markdown: one page"
        };
        c.bench_function(name, |b| {
            b.iter(|| {
                medsite::markdown::render(
                    black_box(&body.text),
                    &medsite::markdown::Options {
                        file: &page.display(),
                        body_line: body.line,
                        base_path: "/",
                        allow_unsafe_html: false,
                        collect_text,
                        words: &medsite::markdown::Words::default(),
                    },
                    &links,
                )
            })
        });
    }
}

fn corpus(pages: usize) -> Option<PathBuf> {
    let script = std::env::var_os("BENCH_TOOLS")
        .map(|d| PathBuf::from(d).join("gen_corpus.py"))
        .unwrap_or_default();
    let dir = PathBuf::from(format!("/dev/shm/medsite-pipeline-bench-{pages}"));
    if !dir.join("content/medications/_index.md").is_file() {
        let ok = std::process::Command::new("python3")
            .arg(&script)
            .args([
                "--pages",
                &pages.to_string(),
                "--format",
                "neutral",
                "--force",
                "--out",
            ])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
    }
    std::fs::write(
        dir.join("site.toml"),
        "title = \"Benchmark\"\nbase_url = \"https://example.org/\"\n",
    )
    .ok()?;
    Some(dir)
}

fn whole_builds(c: &mut Criterion) {
    let mut group = c.benchmark_group("whole build");
    group.sample_size(10);
    let out = PathBuf::from("/dev/shm/medsite-pipeline-bench-out");
    group.bench_function("example site (10 pages)", |b| {
        b.iter(|| {
            build(&BuildOptions {
                root: repo().to_path_buf(),
                output: Some(out.clone()),
                base_url: None,
                drafts: false,
            })
            .unwrap()
        })
    });
    if let Some(dir) = corpus(1000) {
        group.bench_function("synthetic corpus, 1,000 pages", |b| {
            b.iter(|| {
                build(&BuildOptions {
                    root: dir.clone(),
                    output: Some(out.clone()),
                    base_url: None,
                    drafts: false,
                })
                .unwrap()
            })
        });
    }
    group.finish();
}

/// 30,000 made-up names (as many as the A–Z entries of the 10,000-page
/// corpus: a generic and two brand names a page), in no order.
fn names() -> Vec<String> {
    const S: [&str; 16] = [
        "ab", "Be", "ci", "Do", "él", "fa", "Gu", "hy", "ir", "Jo", "ka", "Lu", "mø", "ne", "Or",
        "på",
    ];
    (0..30_000usize)
        .map(|i| {
            let j = i.wrapping_mul(2_654_435_761) % 65_536;
            format!(
                "{}{}{}{}mab",
                S[j % 16],
                S[(j / 16) % 16],
                S[(j / 256) % 16],
                S[j / 4096]
            )
        })
        .collect()
}

fn a_to_z(c: &mut Criterion) {
    use medsite::render::az::{Collation, Entry, Names, index};
    /// Entry `i` is the `i`th name.
    struct List(Vec<String>);
    impl Names for List {
        fn name(&self, e: &Entry) -> &str {
            &self.0[e.page]
        }
        fn see(&self, _: &Entry) -> Option<&str> {
            None
        }
    }
    let names = List(names());
    let entries = || -> Vec<Entry> { (0..names.0.len()).map(Entry::generic).collect() };
    let letters: Vec<String> = "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z Æ Ø Å"
        .split(' ')
        .map(str::to_owned)
        .collect();
    let mut group = c.benchmark_group("A–Z of 30,000 names");
    group.sample_size(20);
    let nb = Collation::new("nb");
    group.bench_function("Norwegian collation, sort keys, letter groups", |b| {
        b.iter(|| index(entries(), letters.clone(), &nb, &names))
    });
    group.bench_function("plain lower-case sort (no collation)", |b| {
        b.iter(|| {
            let mut e = entries();
            e.sort_by_cached_key(|e| names.name(e).to_lowercase());
            black_box(e)
        })
    });
    group.finish();
}

criterion_group!(benches, front_matter, markdown, a_to_z, whole_builds);
criterion_main!(benches);
