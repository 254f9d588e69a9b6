//! Integration tests of listings: the A–Z index of a section of medication
//! pages (generic and brand names, the language's order and letters),
//! long listings split into parts (sizes, addresses, `rel` links, page
//! numbers, letter links, every page reachable), condition pages in parts,
//! the `[listings]` settings and the home page's recently reviewed pages.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};

const TWO_LANGUAGES: &str = "title = \"Test medicines\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n\n[languages.nb]\ntitle = \"Testlegemidler\"\n";

/// A medication page reviewed on `reviewed`, with `extra_front` YAML lines.
fn med(title: &str, generic: &str, reviewed: &str, extra_front: &str) -> String {
    format!(
        "---\ntitle: {title}\ngeneric_name: {generic}\nlast_reviewed: {reviewed}\nnext_review: 2030-01-01\n{extra_front}---\n## Side effects\n\nNausea.\n"
    )
}

/// Every `href` in `html`, in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

/// The A–Z entries of a listing, in order: (link, text).
fn entries(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for list in html.split("<ul class=\"az-list\">").skip(1) {
        let list = &list[..list.find("</ul>").expect("az-list closes")];
        for item in list.split("<li").skip(1) {
            let a = &item[item.find("<a ").expect("a link")..];
            let text = &a[a.find('>').expect("a tag") + 1..a.find("</a>").expect("a closes")];
            out.push((hrefs(a)[0].to_owned(), text.to_owned()));
        }
    }
    out
}

/// The letter headings of a listing, in order: (id, text).
fn headings(html: &str) -> Vec<(String, String)> {
    html.split("<h2 id=\"")
        .skip(1)
        .filter(|h| h.contains("class=\"az-letter\""))
        .map(|h| {
            let id = h.split('"').next().unwrap_or_default().to_owned();
            let text = between(h, ">", "</h2>");
            (id, text[1..text.len() - 5].to_owned())
        })
        .collect()
}

/// The letter navigation: (letter, link or `None`).
fn letters(html: &str) -> Vec<(String, Option<String>)> {
    let nav = between(html, "<nav class=\"az-nav\"", "</nav>");
    nav.split("<li>")
        .skip(1)
        .map(|li| {
            let li = &li[..li.find("</li>").expect("li closes")];
            let text = li[li.find('>').expect("a tag") + 1..]
                .split('<')
                .next()
                .unwrap_or_default()
                .to_owned();
            let link = li.starts_with("<a ").then(|| hrefs(li)[0].to_owned());
            (text, link)
        })
        .collect()
}

/// A site like the example: medications in English and Norwegian.
fn medicines() -> Fixture {
    let fx = Fixture::with_config(TWO_LANGUAGES);
    fx.content("_index.md", HOME);
    fx.content("_index.nb.md", "---\ntitle: Forside\n---\nVelkommen.\n");
    fx.content("medications/_index.md", MEDICATIONS);
    fx.content(
        "medications/_index.nb.md",
        "---\ntitle: Legemidler\npage_kind: medication\n---\n",
    );
    let en = [
        (
            "adalimumab",
            "Adalimumab",
            "adalimumab",
            "[Humira, Amgevita]",
        ),
        ("ilaris", "Ilaris (canakinumab)", "canakinumab", "[Ilaris]"),
        (
            "methotrexate",
            "Methotrexate",
            "methotrexate",
            "[Metoject, Nordimet]",
        ),
        ("colchicine", "Colchicine", "colchicine", "[]"),
        (
            "zoledronic-acid",
            "Zoledronic acid",
            "zoledronic acid",
            "[Aclasta]",
        ),
        ("mesalazine", "Mesalazine", "mesalazine", "[Octasa, 5-ASA]"),
    ];
    for (file, title, generic, brands) in en {
        fx.content(
            &format!("medications/{file}.md"),
            med(
                title,
                generic,
                "2026-01-15",
                &format!("brand_names: {brands}\n"),
            ),
        );
    }
    let nb = [
        ("adalimumab", "Adalimumab", "adalimumab", "[Åbrix, Humira]"),
        ("methotrexate", "Metotreksat", "metotreksat", "[Ærolin]"),
        (
            "zoledronic-acid",
            "Zoledronsyre",
            "zoledronsyre",
            "[Østrofem]",
        ),
    ];
    for (file, title, generic, brands) in nb {
        fx.content(
            &format!("medications/{file}.nb.md"),
            med(
                title,
                generic,
                "2026-01-15",
                &format!("brand_names: {brands}\nsource_reviewed: 2026-01-15\n"),
            ),
        );
    }
    fx.build_ok();
    fx
}

#[test]
fn a_medication_section_is_an_a_to_z_of_generic_and_brand_names() {
    let fx = medicines();
    let html = fx.read("medications/index.html");
    let shown = entries(&html);
    let names: Vec<&str> = shown.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        names,
        [
            "5-ASA – see mesalazine",
            "Aclasta – see zoledronic acid",
            "adalimumab",
            "Amgevita – see adalimumab",
            "canakinumab",
            "colchicine",
            "Humira – see adalimumab",
            "Ilaris – see canakinumab",
            "mesalazine",
            "methotrexate",
            "Metoject – see methotrexate",
            "Nordimet – see methotrexate",
            "Octasa – see mesalazine",
            "zoledronic acid",
        ]
    );
    // A brand name leads to the generic page.
    assert!(
        html.contains("<a href=\"/medications/ilaris/\">Ilaris – see canakinumab</a>"),
        "{html}"
    );
    let links: BTreeMap<&str, &str> = shown
        .iter()
        .map(|(h, t)| (t.as_str(), h.as_str()))
        .collect();
    assert_eq!(links["canakinumab"], "/medications/ilaris/");
    assert_eq!(links["Humira – see adalimumab"], "/medications/adalimumab/");
    // One heading per letter with entries; what starts with no letter is under #.
    let heads: Vec<(String, String)> = headings(&html);
    let heads: Vec<(&str, &str)> = heads
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        heads,
        [
            ("letter-other", "#"),
            ("letter-a", "A"),
            ("letter-c", "C"),
            ("letter-h", "H"),
            ("letter-i", "I"),
            ("letter-m", "M"),
            ("letter-n", "N"),
            ("letter-o", "O"),
            ("letter-z", "Z"),
        ]
    );
    // The navigation: # (it has entries), then the whole alphabet; letters
    // without entries are shown but are not links.
    assert!(
        html.contains("<nav class=\"az-nav\" aria-label=\"Medicines from A to Z\">"),
        "{html}"
    );
    let nav = letters(&html);
    let shown_letters: String = nav.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(shown_letters, "#ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    for (letter, link) in &nav {
        let has = heads.iter().any(|(_, h)| h == letter);
        match link {
            Some(l) => {
                assert!(has, "{letter} links but has no entries");
                let id = l.split('#').nth(1).expect("an anchor");
                assert!(l.starts_with("/medications/#"), "{l}");
                assert!(html.contains(&format!("<h2 id=\"{id}\"")), "{l}");
            }
            None => assert!(!has, "{letter} has entries but no link"),
        }
    }
    assert!(html.contains("<li><span>B</span></li>"), "{html}");
    // A short listing is one part.
    assert!(!html.contains("class=\"pagination\""));
    assert!(!fx.exists("medications/page/2/index.html"));
}

#[test]
fn norwegian_a_to_z_puts_ae_oe_aa_last() {
    let fx = medicines();
    let html = fx.read("nb/medications/index.html");
    let names: Vec<String> = entries(&html).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        names,
        [
            "adalimumab",
            "Humira – se adalimumab",
            "metotreksat",
            "zoledronsyre",
            "Ærolin – se metotreksat",
            "Østrofem – se zoledronsyre",
            "Åbrix – se adalimumab",
        ]
    );
    let heads: Vec<String> = headings(&html).into_iter().map(|(_, t)| t).collect();
    assert_eq!(heads, ["A", "H", "M", "Z", "Æ", "Ø", "Å"]);
    let nav: String = letters(&html).into_iter().map(|(l, _)| l).collect();
    assert_eq!(nav, "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ");
    assert!(
        html.contains("<a href=\"/nb/medications/#letter-ø\">Ø</a>"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"letter-ø\" class=\"az-letter\">Ø</h2>"));
    assert!(html.contains("aria-label=\"Legemidler fra A til Å\""));
    // The English listing keeps its own pages.
    assert!(!html.contains("canakinumab"), "{html}");
}

#[test]
fn the_home_page_lists_the_recently_reviewed_pages_newest_first() {
    let fx = Fixture::with_config(TWO_LANGUAGES);
    fx.content("_index.md", HOME);
    fx.content("_index.nb.md", "---\ntitle: Forside\n---\n");
    fx.content("medications/_index.md", MEDICATIONS);
    // Twelve pages reviewed in twelve months, written in another order.
    for i in [7, 2, 11, 0, 5, 9, 1, 4, 10, 3, 8, 6] {
        let month = i + 1;
        fx.content(
            &format!("medications/drug-{month:02}.md"),
            med(
                &format!("Drug {month:02}"),
                &format!("drug{month:02}"),
                &format!("2025-{month:02}-10"),
                "",
            ),
        );
    }
    fx.content(
        "medications/drug-03.nb.md",
        med(
            "Legemiddel 03",
            "legemiddel03",
            "2026-03-01",
            "source_reviewed: 2025-03-10\n",
        ),
    );
    fx.content(
        "about.md",
        article("About", "last_reviewed: 2024-06-01\n", "Who we are.\n"),
    );
    fx.build_ok();
    let html = fx.read("index.html");
    let list = between(&html, "<h2>Recently reviewed</h2>", "</ol>");
    let links: Vec<&str> = hrefs(list);
    let expected: Vec<String> = (3..=12)
        .rev()
        .map(|m| format!("/medications/drug-{m:02}/"))
        .collect();
    assert_eq!(links, expected, "the ten newest, newest first: {list}");
    assert!(
        list.contains("<time datetime=\"2025-12-10\">reviewed 10 December 2025</time>"),
        "{list}"
    );
    assert!(!list.contains("/about/"), "older than the ten: {list}");
    // Each language lists its own pages, in its own words.
    let nb = fx.read("nb/index.html");
    let list = between(&nb, "<h2>Nylig gjennomgått</h2>", "</ol>");
    assert_eq!(hrefs(list), ["/nb/medications/drug-03/"], "{list}");
    assert!(list.contains("gjennomgått 1. mars 2026"), "{list}");
    // Only the home page has it.
    assert!(!fx.read("medications/index.html").contains("recent-list"));
}

#[test]
fn per_page_is_a_setting_and_zero_is_refused() {
    let fx = Fixture::with_config(&format!("{SITE_TOML}\n[listings]\nper_page = 2\n"));
    fx.content("_index.md", HOME);
    fx.content("medications/_index.md", MEDICATIONS);
    for name in ["alpha", "beta", "gamma", "delta", "epsilon"] {
        fx.content(
            &format!("medications/{name}.md"),
            med(name, name, "2026-01-15", "conditions: [Pain]\n"),
        );
    }
    fx.build_ok();
    for k in 2..=3 {
        assert!(fx.exists(&format!("medications/page/{k}/index.html")));
        assert!(fx.exists(&format!("conditions/pain/page/{k}/index.html")));
    }
    assert!(!fx.exists("medications/page/4/index.html"));
    let part = fx.read("conditions/pain/page/3/index.html");
    assert!(
        part.contains("<title>Pain (page 3 of 3) – Test medicines</title>"),
        "{part}"
    );

    // A page at the address of a part is an error, not an overwrite.
    fx.content("medications/page/2.md", med("Two", "two", "2026-01-15", ""));
    let errs = fx.build_err();
    let d = find(&errs, "also a page of a long listing");
    assert_eq!(
        d.file,
        std::path::Path::new("content/medications/page/2.md")
    );
    assert_eq!(d.line, 1, "{d}");

    let fx = Fixture::with_config(&format!("{SITE_TOML}\n[listings]\nper_page = 0\n"));
    fx.content("_index.md", HOME);
    let errs = fx.build_err();
    let d = find(&errs, "per_page");
    assert_eq!(d.line, 5, "{d}");
}

// ---------------------------------------------------------------------------
// A large site
// ---------------------------------------------------------------------------

const SYLLABLES: [&str; 26] = [
    "ab", "be", "ci", "do", "el", "fa", "gu", "hy", "ir", "jo", "ka", "lu", "mo", "ne", "or", "pa",
    "qui", "ro", "su", "ti", "ur", "vo", "wa", "xe", "ya", "zo",
];

/// A made-up medicine name, different for each `i` below 17,576.
fn made_up(i: usize) -> String {
    format!(
        "{}{}{}mab",
        SYLLABLES[i % 26],
        SYLLABLES[(i / 26) % 26],
        SYLLABLES[(i / 676) % 26]
    )
}

/// `n` medication pages, each with a brand name and a long summary, all
/// used for one condition; `articles` article pages in a section of their own.
fn large_site(n: usize, articles: usize) -> (Fixture, Vec<String>) {
    let fx = Fixture::new();
    fx.content("_index.md", HOME);
    fx.content("medications/_index.md", MEDICATIONS);
    fx.content("guide/_index.md", "---\ntitle: Guide\n---\n");
    let summary = "A made-up medicine for the tests of long listings, with a summary as long as a real one, about one line of text.";
    let mut slugs = Vec::with_capacity(n);
    for i in 0..n {
        let generic = made_up(i * 7);
        let mut brand = made_up(i * 7 + 3);
        brand[..1].make_ascii_uppercase();
        if i % 100 == 0 {
            brand = format!("3{brand}");
        }
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        fx.content(
            &format!("medications/{generic}.md"),
            med(
                &generic,
                &generic,
                &format!("2025-{month:02}-{day:02}"),
                &format!("brand_names: [{brand}]\nconditions: [Pain]\nsummary: {summary}\n"),
            ),
        );
        slugs.push(format!("/medications/{generic}/"));
    }
    for i in 0..articles {
        fx.content(
            &format!("guide/advice-{i:04}.md"),
            article(
                &format!("Advice {i:04}"),
                &format!("summary: {summary}\n"),
                "Text.\n",
            ),
        );
    }
    fx.build_ok();
    (fx, slugs)
}

/// The number of parts a listing says it has ("page 1 of N").
fn total_parts(html: &str) -> usize {
    let title = between(html, "<title>", "</title>");
    let of = title.split(" of ").nth(1).expect("page k of n");
    of.split(')')
        .next()
        .unwrap_or_default()
        .parse()
        .expect("a number")
}

/// Checks the parts of the listing at site path `path`: each exists, has
/// its `rel` links and page numbers; returns each part's HTML.
fn check_parts(fx: &Fixture, path: &str) -> Vec<String> {
    let first = fx.read(&format!("{}index.html", &path[1..]));
    let n = total_parts(&first);
    assert!(n > 1, "{path} is split");
    let mut parts = vec![first];
    for k in 2..=n {
        parts.push(fx.read(&format!("{}page/{k}/index.html", &path[1..])));
    }
    assert!(!fx.exists(&format!("{}page/{}/index.html", &path[1..], n + 1)));
    let url = |k: usize| {
        if k == 1 {
            path.to_owned()
        } else {
            format!("{path}page/{k}/")
        }
    };
    for (i, html) in parts.iter().enumerate() {
        let k = i + 1;
        let head = between(html, "<head>", "</head>");
        assert!(head.contains(&format!("(page {k} of {n})")), "{head}");
        assert!(
            head.contains(&format!(
                "<link rel=\"canonical\" href=\"https://example.org{}\">",
                url(k)
            )),
            "{head}"
        );
        let prev = format!("<link rel=\"prev\" href=\"{}\">", url(k.wrapping_sub(1)));
        let next = format!("<link rel=\"next\" href=\"{}\">", url(k + 1));
        assert_eq!(head.contains(&prev), k > 1, "part {k} of {path}: {head}");
        assert_eq!(head.contains(&next), k < n, "part {k} of {path}: {head}");
        assert!(
            html.contains("<h1>")
                && html.contains(&format!(
                    "<span class=\"part-of\">(page {k} of {n})</span></h1>"
                )),
            "part {k} of {path}"
        );
        let nav = between(html, "<nav class=\"pagination\"", "</nav>");
        assert!(
            nav.contains(&format!(
                "<a href=\"{}\" aria-current=\"page\" aria-label=\"Page {k}\">{k}</a>",
                url(k)
            )),
            "{nav}"
        );
        assert_eq!(nav.matches("aria-current").count(), 1, "{nav}");
        for j in [1, n] {
            assert!(nav.contains(&format!("<a href=\"{}\"", url(j))), "{nav}");
        }
    }
    parts
}

#[test]
fn long_listings_are_split_into_small_parts() {
    let (fx, slugs) = large_site(2_500, 320);
    // No page is over 250 KB.
    let out = snapshot(&fx.out());
    for (file, bytes) in &out {
        if file.ends_with(".html") {
            assert!(bytes.len() < 250_000, "{file} is {} bytes", bytes.len());
        }
    }

    // The A–Z index: parts with the whole letter navigation on each.
    let parts = check_parts(&fx, "/medications/");
    let mut reachable = BTreeSet::new();
    let mut starts: BTreeMap<String, String> = BTreeMap::new();
    for (i, html) in parts.iter().enumerate() {
        let here = if i == 0 {
            "/medications/".to_owned()
        } else {
            format!("/medications/page/{}/", i + 1)
        };
        let nav = letters(html);
        assert_eq!(nav.len(), 27, "#, then A to Z, on every part");
        for (letter, link) in nav {
            let link = link.unwrap_or_else(|| panic!("{letter} has entries"));
            if let Some(before) = starts.insert(letter.clone(), link.clone()) {
                assert_eq!(before, link, "the same on every part");
            }
        }
        for (id, text) in headings(html) {
            if !text.ends_with("(continued)") {
                assert_eq!(starts[&text], format!("{here}#{id}"), "{text} starts here");
            }
        }
        reachable.extend(entries(html).into_iter().map(|(href, _)| href));
    }
    // Each letter link leads to the part where the letter starts.
    for (letter, link) in &starts {
        let (path, id) = link.split_once('#').expect("an anchor");
        let html = fx.read(&format!("{}index.html", &path[1..]));
        let heading = format!("<h2 id=\"{id}\" class=\"az-letter\">{letter}</h2>");
        assert!(html.contains(&heading), "{link}: no {heading}");
    }
    let all: BTreeSet<String> = slugs.iter().cloned().collect();
    assert_eq!(reachable, all, "every page is in the A–Z");

    // A condition page in parts, reaching every page.
    let parts = check_parts(&fx, "/conditions/pain/");
    let mut reachable = BTreeSet::new();
    for html in &parts {
        let list = between(html, "<ul class=\"page-list\">", "</ul>");
        reachable.extend(hrefs(list).into_iter().map(str::to_owned));
    }
    assert_eq!(reachable, all, "every page is on the condition's page");

    // A plain listing of articles in parts.
    let parts = check_parts(&fx, "/guide/");
    assert_eq!(parts.len(), 2);
    assert!(parts[1].contains("Advice 0319"));
    assert!(!parts[0].contains("Advice 0319"));

    // The sitemap lists the parts.
    let sitemap = fx.read("sitemap.xml");
    for loc in [
        "https://example.org/medications/page/2/",
        "https://example.org/conditions/pain/page/2/",
        "https://example.org/guide/page/2/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{loc}");
    }
}

#[test]
fn the_sitemap_written_as_it_is_made_is_what_its_template_gives() {
    let fx = Fixture::with_config(TWO_LANGUAGES);
    fx.content("_index.md", HOME);
    fx.content("medications/_index.md", MEDICATIONS);
    for (name, reviewed) in [("Abatacept", "2026-01-02"), ("Zeta & <co>", "2025-03-04")] {
        let generic = name.to_lowercase().replace(['&', '<', '>', ' '], "");
        fx.content(
            &format!("medications/{generic}.md"),
            med(name, &generic, reviewed, ""),
        );
    }
    fx.content(
        "medications/abatacept.nb.md",
        med("Abatacept", "abatacept", "2026-01-02", ""),
    );
    fx.build_ok();
    let streamed = fx.read("sitemap.xml");
    assert!(streamed.contains("hreflang=\"x-default\""), "{streamed}");
    assert!(
        streamed.contains("<lastmod>2025-03-04</lastmod>"),
        "{streamed}"
    );
    fx.assert_sitemap_template_agrees(&streamed);
}
