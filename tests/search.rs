//! Integration tests of the site search's static files: the search page
//! and the header's form in each language, the names index (generic and
//! brand names, ATC codes, conditions) and the full-text index (stems,
//! weights, the page table), a sub-path base URL, a large site's files, and
//! the dev server's update of the index after a body edit.

mod common;

use common::*;
use medsite::build::{PageUpdate, Session};
use medsite::output::Staging;
use medsite::search::fulltext::{DOCS_PER_FILE, MAX_POSTINGS, shard_name};
use serde_json::Value;

const TWO_LANGUAGES: &str = "title = \"Test medicines\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n\n[languages.nb]\ntitle = \"Testlegemidler\"\n";

const ANAKINRA: &str = "---\ntitle: Kineret (anakinra)\ngeneric_name: anakinra\nbrand_names: [Kineret]\natc_code: L04AC03\ndrug_class: Interleukin-1 inhibitor\nconditions: [Familial Mediterranean fever, Still's disease]\nsummary: Anakinra blocks interleukin-1.\nlast_reviewed: 2026-01-15\nnext_review: 2027-01-15\n---\n## What it is\n\nIt lowers inflammation.\n";

fn site() -> Fixture {
    let fx = Fixture::with_config(TWO_LANGUAGES);
    fx.content("_index.md", HOME);
    fx.content("_index.nb.md", "---\ntitle: Forside\n---\nVelkommen.\n");
    fx.content("medications/_index.md", MEDICATIONS);
    fx.content("medications/anakinra.md", ANAKINRA);
    fx.content(
        "medications/methotrexate.md",
        medication(
            "Methotrexate",
            "methotrexate",
            "brand_names: [Metoject]\nconditions: [Rheumatoid arthritis]\n",
            "## Side effects\n\nThe infections are rare. Anakinra is another medicine.\n",
        ),
    );
    fx.content(
        "medications/methotrexate.nb.md",
        "---\ntitle: Metotreksat\ngeneric_name: metotreksat\nconditions: [Revmatoid artritt]\nsource_reviewed: 2026-01-15\nlast_reviewed: 2026-01-15\nnext_review: 2027-01-15\n---\n## Bivirkninger\n\nBivirkningene og infeksjoner.\n",
    );
    fx
}

fn json(fx: &Fixture, rel: &str) -> Value {
    serde_json::from_str(&fx.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The page-table row of page `n` in the language whose search folder is
/// `folder`: [path, title, summary, generic].
fn doc(fx: &Fixture, folder: &str, n: u64) -> Value {
    let rows = json(
        fx,
        &format!("{folder}docs/{}.json", n / DOCS_PER_FILE as u64),
    );
    rows[(n % DOCS_PER_FILE as u64) as usize].clone()
}

/// Entries of a names file whose name is `name`.
fn named(fx: &Fixture, rel: &str, name: &str) -> Vec<Value> {
    json(fx, rel)
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e[0] == name)
        .cloned()
        .collect()
}

/// The postings of `stem` in a text file, as (page number, score).
fn postings(fx: &Fixture, folder: &str, stem: &str) -> Vec<(u64, u64)> {
    let shard = json(fx, &format!("{folder}text/{}.json", shard_name(stem)));
    let list = shard[stem]
        .as_array()
        .unwrap_or_else(|| panic!("no stem {stem} in {shard}"));
    let mut doc = 0;
    list.chunks(2)
        .map(|p| {
            doc += p[0].as_u64().unwrap();
            (doc, p[1].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn every_language_has_a_search_page_and_every_page_a_search_form() {
    let fx = site();
    fx.build_ok();
    let page = fx.read("medications/anakinra/index.html");
    let form = between(&page, "<form class=\"site-search\"", "</form>");
    assert!(form.contains("action=\"/search/\""), "{form}");
    assert!(form.contains("method=\"get\""));
    assert!(form.contains("<label for=\"site-search-q\">Search medicines and conditions</label>"));
    assert!(form.contains("name=\"q\""));
    let nb = fx.read("nb/medications/methotrexate/index.html");
    assert!(nb.contains("action=\"/nb/search/\""));
    assert!(nb.contains("Søk etter legemidler og sykdommer"));

    let search = fx.read("search/index.html");
    assert!(search.contains("data-index=\"/search/\""), "{search}");
    assert!(search.contains("role=\"status\" aria-live=\"polite\""));
    let nojs = between(&search, "data-search-nojs", "</p>");
    assert!(nojs.contains("Searching needs JavaScript"), "{nojs}");
    assert!(
        nojs.contains("href=\"/medications/\""),
        "the A–Z list: {nojs}"
    );
    assert!(search.contains("js/search.js"));
    assert!(
        !search.contains("class=\"site-search\""),
        "the search page has its own form, not the header's"
    );
    let nb_search = fx.read("nb/search/index.html");
    assert!(nb_search.contains("<html lang=\"nb\""));
    assert!(nb_search.contains("data-index=\"/nb/search/\""));
    assert!(nb_search.contains("href=\"/nb/medications/\""));
}

#[test]
fn a_sub_path_base_url_reaches_the_form_and_the_indexes() {
    let fx = site();
    fx.write(
        "site.toml",
        TWO_LANGUAGES.replace("https://example.org/", "https://example.org/sub/"),
    );
    fx.build_ok();
    let page = fx.read("medications/anakinra/index.html");
    assert!(page.contains("action=\"/sub/search/\""));
    let search = fx.read("search/index.html");
    assert!(search.contains("data-index=\"/sub/search/\""));
    assert!(search.contains("data-base=\"/sub\""));
    assert!(search.contains("src=\"/sub/js/search.js\""));
    // Paths in the index are site paths; the page puts the base in front.
    let kineret = named(&fx, "search/names/ki.json", "Kineret");
    let row = doc(&fx, "search/", kineret[0][2].as_u64().unwrap());
    assert_eq!(row[0], "/medications/anakinra/");
}

#[test]
fn the_names_index_holds_generic_and_brand_names_codes_and_conditions() {
    let fx = site();
    fx.build_ok();
    let kineret = named(&fx, "search/names/ki.json", "Kineret");
    assert_eq!(kineret.len(), 1, "{kineret:?}");
    assert_eq!(kineret[0][1], "b");
    let n = kineret[0][2].as_u64().unwrap();
    let row = doc(&fx, "search/", n);
    assert_eq!(row[0], "/medications/anakinra/");
    assert_eq!(row[1], "Kineret (anakinra)");
    assert_eq!(row[2], "Anakinra blocks interleukin-1.");
    assert_eq!(
        row[3], "anakinra",
        "the generic name, for 'Kineret: see anakinra'"
    );

    let generic = named(&fx, "search/names/an.json", "anakinra");
    assert_eq!(generic[0][1], "g");
    assert_eq!(generic[0][2], n);
    let atc = named(&fx, "search/names/l0.json", "L04AC03");
    assert_eq!(atc[0][1], "a");
    assert_eq!(atc[0][2], n);

    // A condition leads to its page; a long name is also filed under each
    // of its longer words.
    let fmf = named(&fx, "search/names/fa.json", "Familial Mediterranean fever");
    assert_eq!(fmf[0][1], "c");
    assert_eq!(fmf[0][2], "/conditions/familial-mediterranean-fever/");
    assert!(fx.exists("conditions/familial-mediterranean-fever/index.html"));
    let word = named(&fx, "search/names/me.json", "Familial Mediterranean fever");
    assert_eq!(
        word[0].as_array().unwrap().len(),
        4,
        "a word entry: {word:?}"
    );
    assert!(!named(&fx, "search/names/me.json", "methotrexate").is_empty());

    // Each language has its own names.
    let nb = named(&fx, "nb/search/names/me.json", "metotreksat");
    assert_eq!(nb[0][1], "g");
    assert_eq!(
        doc(&fx, "nb/search/", nb[0][2].as_u64().unwrap())[0],
        "/nb/medications/methotrexate/"
    );
    assert!(named(&fx, "search/names/me.json", "metotreksat").is_empty());
}

#[test]
fn the_full_text_index_stems_words_and_weighs_names_above_the_body() {
    let fx = site();
    fx.build_ok();
    let anakinra = named(&fx, "search/names/an.json", "anakinra")[0][2]
        .as_u64()
        .unwrap();
    let methotrexate = named(&fx, "search/names/me.json", "methotrexate")[0][2]
        .as_u64()
        .unwrap();
    // "infections" in methotrexate's body is filed under its stem.
    assert_eq!(postings(&fx, "search/", "infect"), [(methotrexate, 1)]);
    // "anakinra" is anakinra's name and a word of methotrexate's body.
    let both = postings(&fx, "search/", "anakinra");
    let score = |d: u64| both.iter().find(|p| p.0 == d).map(|p| p.1).unwrap();
    assert!(score(anakinra) >= 10 * score(methotrexate), "{both:?}");
    // Conditions and the drug class are searchable too.
    assert!(
        postings(&fx, "search/", "mediterranean")
            .iter()
            .any(|p| p.0 == anakinra)
    );
    assert!(
        postings(&fx, "search/", "interleukin")
            .iter()
            .any(|p| p.0 == anakinra)
    );
    // Common words are left out.
    let an = json(&fx, &format!("search/text/{}.json", shard_name("an")));
    assert!(
        an.get("anakinra").is_some() && an.get("an").is_none(),
        "{an}"
    );
    assert!(
        !fx.exists(&format!("search/text/{}.json", shard_name("th"))),
        "`the`, `there`"
    );
    // Norwegian pages are stemmed as Norwegian, in their own folder.
    let nb = postings(&fx, "nb/search/", "bivirkning");
    assert_eq!(nb.len(), 1);
    assert!(nb[0].1 > 1, "a heading and a body word: {nb:?}");
    assert!(!fx.exists(&format!("search/text/{}.json", shard_name("bi"))));
}

#[test]
fn a_large_site_keeps_every_page_findable_and_the_files_small() {
    let fx = Fixture::new();
    fx.content("_index.md", HOME);
    fx.content("medications/_index.md", MEDICATIONS);
    let pages = 2_500;
    for i in 0..pages {
        fx.content(
            &format!("medications/m{i:05}.md"),
            medication(
                &format!("Medicine {i}"),
                &format!("generic{i:05}"),
                &format!(
                    "brand_names: [Brand{i:05}]\nconditions: [Disorder {}]\n",
                    i % 4
                ),
                &format!(
                    "## Uses\n\nEvery page says infection. Word{} and word{}.\n",
                    i % 997,
                    i % 13
                ),
            ),
        );
    }
    fx.build_ok();
    // A word on every page keeps only the best-scored pages...
    assert_eq!(postings(&fx, "search/", "infect").len(), MAX_POSTINGS);
    // ...but a condition keeps every page that names it.
    assert_eq!(postings(&fx, "search/", "disord").len(), pages);
    // Every page is in the page table and has its names.
    for i in [0u64, 1, 1234, pages as u64 - 1] {
        let key = format!("generic{i:05}");
        let entries = named(&fx, "search/names/ge.json", &key);
        assert_eq!(entries.len(), 1, "{key}");
        let row = doc(&fx, "search/", entries[0][2].as_u64().unwrap());
        assert_eq!(row[0], format!("/medications/m{i:05}/"));
    }
    // No file of the indexes is large: a query loads a few of them.
    let mut largest = (String::new(), 0);
    for dir in ["search/names", "search/text", "search/docs"] {
        for e in std::fs::read_dir(fx.out().join(dir)).unwrap() {
            let e = e.unwrap();
            let len = e.metadata().unwrap().len();
            if len > largest.1 {
                largest = (e.path().display().to_string(), len);
            }
        }
    }
    assert!(largest.1 < 100 * 1024, "{largest:?}");
}

#[test]
fn a_body_edit_in_the_dev_server_updates_the_index_as_a_clean_build_would() {
    let fx = site();
    let out = fx.root().join("preview");
    let mut session = Session::load(&fx.options()).unwrap_or_else(|d| panic!("{d}"));
    let staging = Staging::in_place(&out);
    std::fs::create_dir_all(&out).unwrap();
    let (problems, _) = session.render_all(&staging);
    assert!(!problems.has_errors(), "{problems}");
    let zebra = out.join(format!("search/text/{}.json", shard_name("zebrafish")));
    assert!(!zebra.exists());

    fx.content(
        "medications/methotrexate.md",
        medication(
            "Methotrexate",
            "methotrexate",
            "brand_names: [Metoject]\nconditions: [Rheumatoid arthritis]\n",
            "## Side effects\n\nThe infections are rare. Zebrafish studies.\n",
        ),
    );
    match session.update_page("medications/methotrexate.md", &out) {
        PageUpdate::Rendered(d) => assert!(!d.has_errors(), "{d}"),
        PageUpdate::NeedsFullBuild => panic!("a body edit re-renders one page"),
    }
    let updated = std::fs::read_to_string(&zebra).unwrap();
    assert!(updated.contains("\"zebrafish\""), "{updated}");
    // "anakinra" left methotrexate's body: its file was written again.
    let an = out.join(format!("search/text/{}.json", shard_name("anakinra")));
    let an_after = std::fs::read(&an).unwrap();

    // A clean build of the edited site gives the same files.
    fx.build_ok();
    for (path, bytes) in [(&zebra, updated.into_bytes()), (&an, an_after)] {
        let rel = path.strip_prefix(&out).unwrap();
        let clean = std::fs::read(fx.out().join(rel)).unwrap();
        assert_eq!(clean, bytes, "{}", rel.display());
    }
}
