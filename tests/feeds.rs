//! Integration tests of the Atom feeds: one per language (`/atom.xml`,
//! `/nb/atom.xml`) of the pages most recently reviewed, read back with a
//! real feed parser (feed-rs) and held to the rules of RFC 4287 that can be
//! checked on the document: required elements, absolute identifiers,
//! RFC 3339 dates. Also the `<link rel="alternate">` in every page's head,
//! a base URL with a sub-path, the `[feed] entries` limit, escaping, the
//! template override and the build session the dev server keeps.

mod common;

use common::*;
use feed_rs::model::Feed;
use medsite::build::{BuildOptions, Session};
use medsite::output::Staging;
use std::path::Path;

const CONFIG: &str = "title = \"Test medicines\"\nbase_url = \"https://example.org/\"\ndescription = \"Medicines, explained.\"\npublisher = \"Test Hospital\"\n";

const TWO_LANGUAGES: &str = "title = \"Test medicines\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n\n[languages.nb]\ntitle = \"Testlegemidler\"\nconditions_path = \"sykdommer\"\n";

/// A medication page reviewed on `reviewed`, with a summary.
fn reviewed(title: &str, reviewed: &str, summary: &str) -> String {
    format!(
        "---\ntitle: {title}\ngeneric_name: {}\nsummary: {summary}\nlast_reviewed: {reviewed}\nnext_review: 2030-01-01\n---\n## Side effects\n\nText.\n",
        title.to_lowercase()
    )
}

/// Four medication pages reviewed on different days (two on the same day)
/// and an article that has no review date.
fn dated_site(config: &str) -> Fixture {
    let fx = Fixture::with_config(config);
    fx.content("_index.md", HOME);
    fx.content("medications/_index.md", MEDICATIONS);
    fx.content(
        "medications/abatacept.md",
        reviewed(
            "Abatacept",
            "2026-03-01",
            "Abatacept calms the immune system.",
        ),
    );
    fx.content(
        "medications/baricitinib.md",
        reviewed("Baricitinib", "2026-05-10", "Baricitinib is a tablet."),
    );
    fx.content(
        "medications/certolizumab.md",
        reviewed(
            "Certolizumab",
            "2026-05-10",
            "Certolizumab is an injection.",
        ),
    );
    fx.content(
        "medications/denosumab.md",
        reviewed("Denosumab", "2025-12-01", "Denosumab strengthens bones."),
    );
    fx.content(
        "about.md",
        article("About", "summary: What this site is.\n", "Text.\n"),
    );
    fx
}

/// Parses an Atom document with feed-rs after checking it against the
/// rules of RFC 4287 that can be seen in the document itself.
fn parse(xml: &str) -> Feed {
    assert_valid_atom(xml);
    feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("not a feed ({e}):\n{xml}"))
}

/// The text of every `<name>…</name>` element in `xml`.
fn texts<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let j = rest
            .find(&close)
            .unwrap_or_else(|| panic!("<{name}> not closed:\n{xml}"));
        out.push(&rest[..j]);
        rest = &rest[j..];
    }
    out
}

/// How many elements named `name` start in `xml` (with or without attributes).
fn count(xml: &str, name: &str) -> usize {
    xml.matches(&format!("<{name}>")).count() + xml.matches(&format!("<{name} ")).count()
}

/// RFC 4287: the feed and each entry have exactly one `id` (an absolute
/// IRI), `title` and `updated` (an RFC 3339 time); the feed has an author
/// (so entries need none), a `rel="self"` link and at most one
/// `rel="alternate"` link; each entry has an alternate link (it has no
/// `content`) and at most one summary; entry ids are unique.
fn assert_valid_atom(xml: &str) {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{xml}"
    );
    assert!(xml.trim_end().ends_with("</feed>"), "{xml}");
    let head = &xml[..xml.find("<entry>").unwrap_or(xml.len())];
    for name in ["id", "title", "updated", "author"] {
        assert_eq!(count(head, name), 1, "the feed needs one <{name}>:\n{xml}");
    }
    assert!(
        texts(head, "name").iter().any(|n| !n.trim().is_empty()),
        "the feed's author has no name:\n{xml}"
    );
    assert_eq!(
        head.matches("rel=\"self\"").count(),
        1,
        "one rel=self:\n{xml}"
    );
    assert!(
        head.matches("rel=\"alternate\"").count() <= 1,
        "at most one rel=alternate of one type and language:\n{xml}"
    );
    let entries: Vec<&str> = xml
        .split("<entry>")
        .skip(1)
        .map(|e| {
            &e[..e
                .find("</entry>")
                .unwrap_or_else(|| panic!("<entry> not closed:\n{xml}"))]
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    for e in &entries {
        for name in ["id", "title", "updated"] {
            assert_eq!(count(e, name), 1, "an entry needs one <{name}>:\n{e}");
        }
        assert!(
            e.contains("rel=\"alternate\""),
            "an entry without content needs an alternate link:\n{e}"
        );
        assert!(count(e, "summary") <= 1, "{e}");
        assert!(ids.insert(texts(e, "id")[0]), "duplicate entry id:\n{xml}");
    }
    for id in texts(xml, "id") {
        let u = url::Url::parse(id).unwrap_or_else(|e| panic!("id {id:?} is not an IRI: {e}"));
        assert!(u.has_host(), "id {id:?} is not absolute");
    }
    for t in texts(xml, "updated") {
        t.parse::<jiff::Timestamp>()
            .unwrap_or_else(|e| panic!("updated {t:?} is not an RFC 3339 time: {e}"));
        assert!(t.ends_with('Z') && t.contains('T'), "{t}");
    }
}

fn title(t: &Option<feed_rs::model::Text>) -> &str {
    t.as_ref().map_or("", |t| t.content.as_str())
}

/// The `href` of the link with `rel`.
fn link<'a>(links: &'a [feed_rs::model::Link], rel: &str) -> &'a str {
    links
        .iter()
        .find(|l| l.rel.as_deref() == Some(rel))
        .map(|l| l.href.as_str())
        .unwrap_or_else(|| panic!("no rel={rel} link in {links:?}"))
}

/// The output file of the page at `href`, an address under `base`.
fn page_file(base: &str, href: &str) -> String {
    let path = href
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{href} is not under {base}"));
    assert!(path.ends_with('/') || path.is_empty(), "{href}");
    format!("{path}index.html")
}

/// The feed link in a page's head.
fn head_feed_link(html: &str) -> String {
    let head = &html[..pos(html, "</head>")];
    tag_with(head, "application/atom+xml").to_owned()
}

#[test]
fn the_feed_lists_reviewed_pages_newest_first() {
    let fx = dated_site(CONFIG);
    fx.build_ok();
    let xml = fx.read("atom.xml");
    let feed = parse(&xml);
    assert_eq!(title(&feed.title), "Test medicines");
    assert_eq!(title(&feed.description), "Medicines, explained.");
    assert_eq!(feed.id, "https://example.org/atom.xml");
    assert_eq!(link(&feed.links, "self"), "https://example.org/atom.xml");
    assert_eq!(link(&feed.links, "alternate"), "https://example.org/");
    assert_eq!(feed.language.as_deref(), Some("en"));
    assert_eq!(feed.authors[0].name.as_deref(), Some("Test Hospital"));
    // Newest first; the same day in title order; the article without a
    // review date is left out.
    let titles: Vec<&str> = feed.entries.iter().map(|e| title(&e.title)).collect();
    assert_eq!(
        titles,
        ["Baricitinib", "Certolizumab", "Abatacept", "Denosumab"]
    );
    let dates: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.updated.expect("updated").to_rfc3339())
        .collect();
    assert_eq!(
        dates,
        [
            "2026-05-10T00:00:00+00:00",
            "2026-05-10T00:00:00+00:00",
            "2026-03-01T00:00:00+00:00",
            "2025-12-01T00:00:00+00:00"
        ]
    );
    assert_eq!(
        feed.updated.expect("feed updated").to_rfc3339(),
        dates[0],
        "the feed is as new as its newest entry"
    );
    assert_eq!(
        feed.entries[0].summary.as_ref().map(|s| s.content.as_str()),
        Some("Baricitinib is a tablet.")
    );
    assert_eq!(
        feed.entries[3].summary.as_ref().map(|s| s.content.as_str()),
        Some("Denosumab strengthens bones.")
    );
    for e in &feed.entries {
        let href = link(&e.links, "alternate");
        assert_eq!(e.id, href, "an entry's id is its permalink");
        // The link is the page's own address: the page exists and says so.
        let html = fx.read(&page_file("https://example.org/", href));
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{href}\">")),
            "{href}"
        );
        assert!(html.contains(title(&e.title)));
    }
    assert!(!xml.contains("/about/"), "{xml}");
}

#[test]
fn each_language_has_its_own_feed() {
    let fx = Fixture::with_config(TWO_LANGUAGES);
    fx.content("_index.md", HOME);
    fx.content("_index.nb.md", "---\ntitle: Forside\n---\nVelkommen.\n");
    fx.content("medications/_index.md", MEDICATIONS);
    fx.content(
        "medications/methotrexate.md",
        reviewed("Methotrexate", "2026-01-15", "A tablet once a week."),
    );
    fx.content(
        "medications/methotrexate.nb.md",
        "---\ntitle: Metotreksat\ngeneric_name: metotreksat\nslug: metotreksat\nsummary: En tablett i uken.\nlast_reviewed: 2026-02-01\nnext_review: 2027-02-01\nsource_reviewed: 2026-01-15\n---\n## Bivirkninger\n\nKvalme.\n",
    );
    fx.content(
        "medications/folic-acid.md",
        reviewed("Folic acid", "2026-04-01", "A vitamin."),
    );
    fx.build_ok();

    let nb_xml = fx.read("nb/atom.xml");
    assert!(nb_xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nb\">"));
    let nb = parse(&nb_xml);
    assert_eq!(nb.language.as_deref(), Some("nb"));
    assert_eq!(title(&nb.title), "Testlegemidler");
    assert_eq!(nb.id, "https://example.org/nb/atom.xml");
    assert_eq!(link(&nb.links, "self"), "https://example.org/nb/atom.xml");
    assert_eq!(link(&nb.links, "alternate"), "https://example.org/nb/");
    let nb_links: Vec<&str> = nb
        .entries
        .iter()
        .map(|e| link(&e.links, "alternate"))
        .collect();
    assert_eq!(
        nb_links,
        ["https://example.org/nb/medications/metotreksat/"]
    );
    assert_eq!(
        nb.entries[0].summary.as_ref().map(|s| s.content.as_str()),
        Some("En tablett i uken.")
    );
    assert!(
        fx.read(&page_file("https://example.org/", nb_links[0]))
            .contains("<html lang=\"nb\"")
    );

    let en = parse(&fx.read("atom.xml"));
    assert_eq!(en.language.as_deref(), Some("en"));
    let en_titles: Vec<&str> = en.entries.iter().map(|e| title(&e.title)).collect();
    assert_eq!(en_titles, ["Folic acid", "Methotrexate"]);
    assert!(
        en.entries
            .iter()
            .all(|e| !link(&e.links, "alternate").contains("/nb/"))
    );

    // Each page's head links the feed of its own language, titled in it.
    let nb_page = fx.read("nb/medications/metotreksat/index.html");
    let tag = head_feed_link(&nb_page);
    assert!(tag.contains("rel=\"alternate\""), "{tag}");
    assert!(tag.contains("title=\"Nylig gjennomgåtte sider\""), "{tag}");
    assert!(tag.contains("href=\"/nb/atom.xml\""), "{tag}");
    for file in [
        "index.html",
        "medications/index.html",
        "medications/methotrexate/index.html",
        "conditions/index.html",
        "404.html",
    ] {
        let tag = head_feed_link(&fx.read(file));
        assert!(
            tag.contains("title=\"Recently reviewed pages\""),
            "{file}: {tag}"
        );
        assert!(tag.contains("href=\"/atom.xml\""), "{file}: {tag}");
    }
    for file in ["nb/index.html", "nb/404.html", "nb/sykdommer/index.html"] {
        let tag = head_feed_link(&fx.read(file));
        assert!(tag.contains("href=\"/nb/atom.xml\""), "{file}: {tag}");
    }
}

#[test]
fn arabic_pages_link_their_feed_in_arabic() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rtl-site");
    ok(medsite::build::build(&BuildOptions {
        root: fixture,
        output: Some(out.clone()),
        base_url: None,
        drafts: false,
    }));
    let xml = std::fs::read_to_string(out.join("ar/atom.xml")).unwrap();
    let feed = parse(&xml);
    assert_eq!(feed.language.as_deref(), Some("ar"));
    assert_eq!(title(&feed.title), "موقع اختبار للأدوية");
    assert_eq!(title(&feed.entries[0].title), "دواء المثال");
    let page = std::fs::read_to_string(out.join("ar/index.html")).unwrap();
    let tag = head_feed_link(&page);
    assert!(tag.contains("title=\"الصفحات التي رُوجعت مؤخرًا\""), "{tag}");
    assert!(tag.contains("href=\"/ar/atom.xml\""), "{tag}");
}

#[test]
fn titles_and_summaries_survive_escaping() {
    let fx = Fixture::with_config(
        "title = \"Tom & Jerry's <Pharmacy> \\\"Ltd\\\"\"\nbase_url = \"https://example.org/\"\npublisher = \"A & B <Health>\"\n",
    );
    fx.content("_index.md", HOME);
    fx.content("medications/_index.md", MEDICATIONS);
    fx.content(
        "medications/salt.md",
        "---\ntitle: 'Salt & \"pepper\" <b>not bold</b> it''s'\ngeneric_name: salt\nsummary: \"Take < 5 mg & > 1 mg; \\\"never\\\" more ]]>\"\nlast_reviewed: 2026-01-15\nnext_review: 2027-01-15\n---\nText.\n",
    );
    fx.build_ok();
    let xml = fx.read("atom.xml");
    assert!(!xml.contains("<b>"), "{xml}");
    assert!(!xml.contains("<Pharmacy>"), "{xml}");
    let feed = parse(&xml);
    assert_eq!(title(&feed.title), "Tom & Jerry's <Pharmacy> \"Ltd\"");
    assert_eq!(feed.authors[0].name.as_deref(), Some("A & B <Health>"));
    let e = &feed.entries[0];
    assert_eq!(title(&e.title), "Salt & \"pepper\" <b>not bold</b> it's");
    assert_eq!(
        e.summary.as_ref().map(|s| s.content.as_str()),
        Some("Take < 5 mg & > 1 mg; \"never\" more ]]>")
    );
}

#[test]
fn a_base_url_with_a_sub_path() {
    let fx = dated_site(&TWO_LANGUAGES.replace("https://example.org/", "https://example.org/sub/"));
    fx.content("_index.nb.md", "---\ntitle: Forside\n---\nVelkommen.\n");
    fx.content(
        "medications/abatacept.nb.md",
        "---\ntitle: Abatacept\ngeneric_name: abatacept\nlast_reviewed: 2026-03-02\nnext_review: 2027-03-02\nsource_reviewed: 2026-03-01\n---\nTekst.\n",
    );
    fx.build_ok();
    let base = "https://example.org/sub/";
    let feed = parse(&fx.read("atom.xml"));
    assert_eq!(feed.id, "https://example.org/sub/atom.xml");
    assert_eq!(
        link(&feed.links, "self"),
        "https://example.org/sub/atom.xml"
    );
    assert_eq!(link(&feed.links, "alternate"), base);
    assert_eq!(feed.entries.len(), 4);
    for e in &feed.entries {
        let href = link(&e.links, "alternate");
        assert!(fx.exists(&page_file(base, href)), "{href}");
    }
    let nb = parse(&fx.read("nb/atom.xml"));
    assert_eq!(nb.id, "https://example.org/sub/nb/atom.xml");
    assert_eq!(
        link(&nb.entries[0].links, "alternate"),
        "https://example.org/sub/nb/medications/abatacept/"
    );
    let tag = head_feed_link(&fx.read("medications/baricitinib/index.html"));
    assert!(tag.contains("href=\"/sub/atom.xml\""), "{tag}");
    let tag = head_feed_link(&fx.read("nb/medications/abatacept/index.html"));
    assert!(tag.contains("href=\"/sub/nb/atom.xml\""), "{tag}");
}

#[test]
fn the_number_of_entries_is_limited_and_zero_writes_no_feed() {
    let fx = dated_site(&format!("{CONFIG}\n[feed]\nentries = 2\n"));
    fx.build_ok();
    let feed = parse(&fx.read("atom.xml"));
    let titles: Vec<&str> = feed.entries.iter().map(|e| title(&e.title)).collect();
    assert_eq!(titles, ["Baricitinib", "Certolizumab"]);

    // With no feed, a file of the site's own may take its place.
    let fx = dated_site(&format!("{CONFIG}\n[feed]\nentries = 0\n"));
    fx.write("static/atom.xml", "<feed/>");
    fx.build_ok();
    assert_eq!(fx.read("atom.xml"), "<feed/>");
    let page = fx.read("medications/abatacept/index.html");
    assert!(!page.contains("application/atom+xml"), "{page}");
}

#[test]
fn a_static_file_may_not_replace_the_feed() {
    let fx = dated_site(CONFIG);
    fx.write("static/atom.xml", "<feed/>");
    let errs = fx.build_err();
    let e = find(&errs, "would replace `atom.xml`");
    assert!(e.file.ends_with("static/atom.xml"), "{e}");
}

#[test]
fn a_bad_feed_setting_is_pointed_at() {
    let fx = dated_site(&format!("{CONFIG}\n[feed]\nentries = -3\n"));
    let errs = fx.build_err();
    assert_eq!(errs[0].file, Path::new("site.toml"));
    assert_eq!(errs[0].line, 7, "{}", errs[0]);
    let fx = dated_site(&format!("{CONFIG}\n[feed]\nentrys = 3\n"));
    let errs = fx.build_err();
    assert!(
        errs[0].help.as_deref().unwrap_or("").contains("`entries`"),
        "{}",
        errs[0]
    );
}

#[test]
fn a_language_without_reviewed_pages_has_an_empty_valid_feed() {
    let fx = Fixture::new();
    fx.content("_index.md", HOME);
    fx.content(
        "about.md",
        article("About", "summary: What this is.\n", "Text.\n"),
    );
    fx.build_ok();
    let xml = fx.read("atom.xml");
    let feed = parse(&xml);
    assert!(feed.entries.is_empty(), "{xml}");
    assert_eq!(texts(&xml, "updated"), ["1970-01-01T00:00:00Z"]);
    // No publisher: the site's title is the author.
    assert_eq!(feed.authors[0].name.as_deref(), Some("Test medicines"));
}

#[test]
fn a_site_may_override_the_feed_template() {
    let fx = dated_site(CONFIG);
    fx.write(
        "templates/atom.xml",
        "{{ feed.title }}|{% for e in entries %}{{ e.date }} {{ e.path }} {{ e.kind }};{% endfor %}",
    );
    fx.build_ok();
    assert_eq!(
        fx.read("atom.xml"),
        "Test medicines|2026-05-10 /medications/baricitinib/ medication;2026-05-10 /medications/certolizumab/ medication;2026-03-01 /medications/abatacept/ medication;2025-12-01 /medications/denosumab/ medication;"
    );
}

/// The session `medsite serve` keeps writes the feeds, and writes them
/// again when their template changes.
#[test]
fn the_dev_servers_session_writes_the_feeds() {
    let fx = dated_site(TWO_LANGUAGES);
    fx.content(
        "medications/abatacept.nb.md",
        "---\ntitle: Abatacept\ngeneric_name: abatacept\nlast_reviewed: 2026-03-02\nnext_review: 2027-03-02\nsource_reviewed: 2026-03-01\n---\nTekst.\n",
    );
    let mut session = Session::load(&fx.options()).unwrap_or_else(|d| panic!("{d}"));
    let out = fx.out();
    let staging = Staging::new(&out).unwrap_or_else(|d| panic!("{d}"));
    let (diags, _) = session.render_all(&staging);
    assert!(!diags.has_errors(), "{diags}");
    staging.commit().unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(parse(&fx.read("atom.xml")).entries.len(), 4);
    assert_eq!(parse(&fx.read("nb/atom.xml")).entries.len(), 1);

    fx.write(
        "templates/atom.xml",
        "custom {{ feed.lang }} {{ entries | length }}",
    );
    let diags = session.update_templates(&["atom.xml".to_owned()], &out);
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(fx.read("atom.xml"), "custom en 4");
    assert_eq!(fx.read("nb/atom.xml"), "custom nb 1");
}
