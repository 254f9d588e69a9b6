//! Bad input: every broken file gets a clear error naming the file (and the
//! line, where there is one), or it works; never a panic, never a
//! half-written output.

mod common;

use common::*;
use medsite::diagnostics::Diagnostic;
use std::path::Path;

/// Puts `bytes` at `content/<rel>` of a small valid site and checks that the
/// build fails cleanly, with the library and with the CLI:
/// - on a first build, no output folder and nothing left beside it;
/// - after a good build, the previous output is byte-identical;
/// - the CLI exits with 1 (not a panic) and names the file on stderr.
///
/// Returns the errors of the library build.
fn rejects(rel: &str, bytes: impl AsRef<[u8]>) -> Vec<Diagnostic> {
    let bytes = bytes.as_ref();
    let file = format!("content/{rel}");

    let fresh = Fixture::basic();
    fresh.content(rel, bytes);
    let errs = fresh.build_err();
    assert!(
        errs.iter().any(|d| d.file == Path::new(&file)),
        "no error names {file}:\n{}",
        medsite::diagnostics::Diagnostics(errs.clone())
    );
    assert!(
        !fresh.out().exists(),
        "a failed first build must not create the output folder"
    );
    assert_eq!(
        fresh.leftovers(),
        Vec::<String>::new(),
        "staging folders left behind"
    );
    let out = fresh.cli(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the CLI must fail with 1, not crash:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(&file),
        "stderr does not name {file}:\n{stderr}"
    );
    assert!(!fresh.out().exists());
    assert_eq!(fresh.leftovers(), Vec::<String>::new());

    let built = Fixture::basic();
    built.build_ok();
    let before = snapshot(&built.out());
    built.content(rel, bytes);
    built.build_err();
    assert_eq!(
        snapshot(&built.out()),
        before,
        "a failed build changed the previous output"
    );
    assert_eq!(
        built.leftovers(),
        Vec::<String>::new(),
        "staging folders left behind"
    );

    errs
}

/// The error about `content/<rel>` whose message contains `needle`.
fn error_in<'a>(errs: &'a [Diagnostic], rel: &str, needle: &str) -> &'a Diagnostic {
    let d = find(errs, needle);
    assert_eq!(d.file, Path::new(&format!("content/{rel}")), "{d}");
    assert!(d.is_error(), "{d}");
    d
}

/// The error about `content/<rel>` at `line`.
fn error_at<'a>(errs: &'a [Diagnostic], rel: &str, line: usize) -> &'a Diagnostic {
    let file = format!("content/{rel}");
    errs.iter()
        .find(|d| d.file == Path::new(&file) && d.line == line && d.is_error())
        .unwrap_or_else(|| {
            panic!(
                "no error at {file}:{line}; got:\n{}",
                medsite::diagnostics::Diagnostics(errs.to_vec())
            )
        })
}

/// Puts `bytes` at `content/<rel>` of a small valid site and expects the build to work.
fn accepts(rel: &str, bytes: impl AsRef<[u8]>) -> (Fixture, medsite::build::BuildReport) {
    let fx = Fixture::basic();
    fx.content(rel, bytes);
    let report = fx.build_ok();
    (fx, report)
}

#[test]
fn an_empty_file_is_an_error() {
    let errs = rejects("about.md", "");
    error_in(&errs, "about.md", "empty");
    let errs = rejects("about.md", "\n  \n\t\n");
    error_in(&errs, "about.md", "empty");
}

#[test]
fn a_file_without_front_matter_is_an_error_at_line_1() {
    let errs = rejects(
        "medications/ilaris.md",
        "# Ilaris\n\nIlaris contains canakinumab.\n",
    );
    let d = error_in(&errs, "medications/ilaris.md", "no front matter");
    assert_eq!(d.line, 1, "{d}");
    assert!(d.help.as_deref().unwrap_or_default().contains("---"), "{d}");
}

#[test]
fn front_matter_that_is_never_closed_is_an_error() {
    let errs = rejects(
        "about.md",
        "---\ntitle: About\nsummary: x\n\nThe body, but the front matter never ended.\n",
    );
    let d = error_in(&errs, "about.md", "never closed");
    assert_eq!(d.line, 1, "{d}");
    assert!(
        d.help.as_deref().unwrap_or_default().contains("`---`"),
        "{d}"
    );
    let errs = rejects("about.md", "+++\ntitle = \"About\"\n");
    let d = error_in(&errs, "about.md", "never closed");
    assert!(
        d.help.as_deref().unwrap_or_default().contains("`+++`"),
        "{d}"
    );
    let errs = rejects("about.md", "---\n");
    error_in(&errs, "about.md", "never closed");
}

#[test]
fn invalid_utf8_is_an_error_with_its_line() {
    let errs = rejects(
        "about.md",
        b"---\ntitle: About\n---\nA good line.\nBad \xff\xfe bytes.\n",
    );
    let d = error_in(&errs, "about.md", "UTF-8");
    assert_eq!((d.line, d.column), (5, 5), "{d}");
    let errs = rejects("about.md", b"---\ntitle: Ab\xffout\n---\nBody.\n");
    let d = error_in(&errs, "about.md", "UTF-8");
    assert_eq!(d.line, 2, "{d}");
}

#[test]
fn a_byte_order_mark_works() {
    let (fx, _) = accepts(
        "medications/ilaris.md",
        format!(
            "\u{feff}{}",
            medication("Ilaris", "canakinumab", "", "## Dosage\n\nBOM body text.\n")
        ),
    );
    let html = fx.read("medications/ilaris/index.html");
    assert!(html.contains("<h1>Ilaris</h1>"), "{html}");
    assert!(html.contains("<p>BOM body text.</p>"), "{html}");
    assert!(
        !html.contains('\u{feff}'),
        "the BOM is not copied into the page"
    );
    let (fx, _) = accepts(
        "about.md",
        "\u{feff}+++\ntitle = \"About\"\n+++\nTOML with a BOM.\n",
    );
    assert!(
        fx.read("about/index.html")
            .contains("<p>TOML with a BOM.</p>")
    );
}

#[test]
fn crlf_line_endings_work() {
    let text = medication(
        "Ilaris",
        "canakinumab",
        "brand_names: [Ilaris]\nsummary: Windows file.\n",
        "## Side effects\n\nFirst line\nsecond line.\n\n- one\n- two\n",
    )
    .replace('\n', "\r\n");
    let (fx, _) = accepts("medications/ilaris.md", text);
    let html = fx.read("medications/ilaris/index.html");
    assert!(html.contains("<h1>Ilaris</h1>"), "{html}");
    assert!(html.contains("Brand name: Ilaris</p>"), "{html}");
    assert!(
        html.contains("<p class=\"summary\">Windows file.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"side-effects\">Side effects"),
        "{html}"
    );
    assert!(html.contains("First line"), "{html}");
    assert!(html.contains("<li>two</li>"), "{html}");
    assert!(!html.contains('\r'), "no carriage return in the page");

    let (fx, _) = accepts(
        "about.md",
        "+++\r\ntitle = \"About\"\r\n+++\r\nTOML body.\r\n",
    );
    assert!(fx.read("about/index.html").contains("<p>TOML body.</p>"));
}

#[test]
fn crlf_errors_still_have_the_right_line() {
    let text = "---\r\ntitle: A\r\n---\r\nIntro.\r\n\r\n[x](missing.md)\r\n";
    let errs = rejects("about.md", text);
    let d = error_in(&errs, "about.md", "missing.md");
    assert_eq!(d.line, 6, "{d}");
    assert_eq!(d.snippet.as_deref(), Some("[x](missing.md)"), "{d}");
}

#[test]
fn duplicate_keys_are_errors() {
    let errs = rejects("about.md", "---\ntitle: About\ntitle: About us\n---\n");
    let d = error_at(&errs, "about.md", 3);
    assert!(d.message.to_lowercase().contains("duplicate"), "{d}");
    assert!(!d.message.contains("DuplicateKeyPolicy"), "{d}");
    assert_eq!(d.snippet.as_deref(), Some("title: About us"), "{d}");
    let errs = rejects(
        "about.md",
        "+++\ntitle = \"About\"\ntitle = \"About us\"\n+++\n",
    );
    let d = error_at(&errs, "about.md", 3);
    assert!(d.message.to_lowercase().contains("duplicate"), "{d}");
}

#[test]
fn a_10_mb_page_works() {
    let mut body = String::with_capacity(10_600_000);
    let mut n = 0;
    while body.len() < 10_000_000 {
        n += 1;
        body.push_str(&format!(
            "Paragraph {n}: methotrexate is taken once a week; take folic acid on another day as your doctor says.\n\n"
        ));
        if n % 5000 == 0 {
            body.push_str(&format!("## Part {}\n\n", n / 5000));
        }
    }
    body.push_str("The very last paragraph.\n");
    let (fx, report) = accepts("medications/big.md", medication("Big", "big", "", &body));
    assert_eq!(report.medication_pages, 2);
    let html = fx.read("medications/big/index.html");
    assert!(html.len() > 10_000_000, "{} bytes", html.len());
    assert!(html.contains(&format!("<p>Paragraph {n}: methotrexate")));
    assert!(html.contains("<p>The very last paragraph.</p>"));
    assert!(html.contains("<h2 id=\"part-1\">"));
}

#[test]
fn two_pages_with_one_url_are_an_error() {
    let fx = Fixture::basic();
    fx.content("about.md", article("About", "", ""));
    fx.content("b.md", article("B", "slug: about\n", ""));
    let errs = fx.build_err();
    let d = find(&errs, "/about/");
    assert_eq!(d.file, Path::new("content/b.md"), "{d}");
    assert!(
        d.message.contains("content/about.md"),
        "the other file is named: {d}"
    );
    assert!(!fx.out().exists());
    assert_eq!(fx.leftovers(), Vec::<String>::new());

    // the same through rejects(): the colliding page on its own
    let errs = rejects(
        "medications/zz.md",
        medication("Zz", "zz", "slug: methotrexate\n", ""),
    );
    error_in(&errs, "medications/zz.md", "/medications/methotrexate/");

    // a page with the URL of a section
    let errs = rejects("medications.md", article("Medications page", "", ""));
    error_in(&errs, "medications.md", "/medications/");

    // two file names that give one slug: both files are named
    let fx = Fixture::basic();
    fx.content(
        "medications/Methotrexate.md",
        medication("Methotrexate again", "methotrexate", "", ""),
    );
    let errs = fx.build_err();
    let d = find(&errs, "/medications/methotrexate/");
    let both = format!("{} {}", d.file.display(), d.message);
    assert!(
        both.contains("content/medications/Methotrexate.md")
            && both.contains("content/medications/methotrexate.md"),
        "{d}"
    );
}

#[test]

fn a_page_with_the_url_of_a_condition_page_is_an_error() {
    let fx = Fixture::basic();
    fx.content(
        "medications/methotrexate.md",
        medication("Methotrexate", "methotrexate", "conditions: [Gout]\n", ""),
    );
    fx.content(
        "conditions/gout.md",
        article("Gout, a page of its own", "", "Written by hand.\n"),
    );
    let errs = fx.build_err();
    let d = find(&errs, "/conditions/gout/");
    assert_eq!(d.file, Path::new("content/conditions/gout.md"), "{d}");
}

#[test]

fn a_file_in_content_that_would_replace_a_generated_page_is_an_error() {
    let fx = Fixture::basic();
    fx.content("medications/index.html", "HAND WRITTEN");
    let errs = fx.build_err();
    let d = find(&errs, "index.html");
    assert_eq!(d.file, Path::new("content/medications/index.html"), "{d}");

    let fx = Fixture::basic();
    fx.content("sitemap.xml", "MY SITEMAP");
    let errs = fx.build_err();
    let d = find(&errs, "sitemap.xml");
    assert_eq!(d.file, Path::new("content/sitemap.xml"), "{d}");
}

#[test]
fn a_slug_that_leaves_the_output_folder_is_an_error() {
    for slug in ["../escape", "..", "a/../../escape", "/escape", "..\\escape"] {
        let errs = rejects(
            "about.md",
            format!(
                "---\ntitle: About\nslug: \"{}\"\n---\nBody.\n",
                slug.replace('\\', "\\\\")
            ),
        );
        let d = error_in(&errs, "about.md", "slug");
        assert_eq!(d.line, 3, "{slug}: {d}");
    }
    // nothing was written next to the output folder
    let fx = Fixture::basic();
    fx.content(
        "about.md",
        "---\ntitle: About\nslug: ../../escape\n---\nBody.\n",
    );
    fx.build_err();
    assert!(!fx.root().join("escape").exists());
    assert!(
        !fx.root()
            .parent()
            .unwrap()
            .join("escape")
            .join("index.html")
            .exists()
    );
}

#[test]
fn script_and_event_handlers_in_raw_html_are_sanitized() {
    let body = "Intro.\n\n<script>alert('pwned')</script>\n\n<img src=\"x.png\" onerror=\"alert('img')\"> <a href=\"javascript:alert('a')\">click</a> <b>kept</b>\n";
    let (fx, report) = accepts("about.md", article("About", "", body));
    let html = fx.read("about/index.html");
    let content = between(&html, "<div class=\"content\">", "</div>");
    for bad in ["<script", "alert(", "onerror", "javascript:"] {
        assert!(!content.contains(bad), "{bad:?} survived:\n{content}");
    }
    assert!(content.contains("<b>kept</b>"), "{content}");
    let warnings: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.file == Path::new("content/about.md"))
        .collect();
    assert!(
        !warnings.is_empty(),
        "the editor is told the HTML was removed"
    );
    assert!(
        warnings.iter().all(|w| !w.is_error() && w.line >= 6),
        "{warnings:?}"
    );
}

#[test]
fn a_javascript_markdown_link_is_an_error() {
    let errs = rejects(
        "about.md",
        article("About", "", "Intro.\n\n[click](javascript:alert(1))\n"),
    );
    let d = error_in(&errs, "about.md", "javascript");
    assert_eq!(d.line, 6, "{d}");
}

#[test]
fn html_in_front_matter_values_is_escaped() {
    let (fx, _) = accepts(
        "about.md",
        "---\ntitle: \"Tablets </script><script>alert(1)</script> & <b>more</b>\"\nsummary: 'Say \"hi\" <i>now</i>'\n---\nBody.\n",
    );
    let html = fx.read("about/index.html");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(!html.contains("<b>more</b>"), "{html}");
    assert!(html.contains("<h1>Tablets &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;</h1>"), "{html}");
    let start = pos(&html, "<script type=\"application/ld+json\">")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let v: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(
        v["name"],
        "Tablets </script><script>alert(1)</script> & <b>more</b>"
    );
}

#[test]
fn a_wrong_type_is_an_error_with_its_line() {
    let errs = rejects(
        "medications/ilaris.md",
        medication(
            "Ilaris",
            "canakinumab",
            "atc_code: L04AC08\nbrand_names: 12\n",
            "",
        ),
    );
    let d = error_at(&errs, "medications/ilaris.md", 7);
    assert_eq!(d.snippet.as_deref(), Some("brand_names: 12"), "{d}");
    assert_eq!(d.column, 14, "the value is pointed at: {d}");
    let errs = rejects(
        "medications/ilaris.md",
        "+++\ntitle = \"Ilaris\"\ngeneric_name = \"canakinumab\"\nbrand_names = 12\nlast_reviewed = 2026-11-01\nnext_review = 2027-11-01\n+++\n",
    );
    let d = error_at(&errs, "medications/ilaris.md", 4);
    assert!(d.message.contains("12"), "the wrong value is named: {d}");
    let errs = rejects("about.md", "---\ntitle: About\ndraft: sometimes\n---\n");
    let d = error_at(&errs, "about.md", 3);
    assert_eq!(d.snippet.as_deref(), Some("draft: sometimes"), "{d}");
}

#[test]
fn front_matter_that_is_not_a_mapping_is_an_error() {
    let errs = rejects("about.md", "---\n- title\n- About\n---\nBody.\n");
    let d = error_at(&errs, "about.md", 2);
    assert_eq!(d.snippet.as_deref(), Some("- title"), "{d}");
    let errs = rejects("about.md", "---\njust a sentence\n---\nBody.\n");
    let d = error_at(&errs, "about.md", 2);
    assert_eq!(d.snippet.as_deref(), Some("just a sentence"), "{d}");
}

#[test]
fn an_impossible_date_is_an_error_with_its_line() {
    let errs = rejects(
        "medications/ilaris.md",
        "---\ntitle: Ilaris\ngeneric_name: canakinumab\nlast_reviewed: 2026-02-30\nnext_review: 2027-11-01\n---\n",
    );
    let d = error_in(&errs, "medications/ilaris.md", "2026-02-30");
    assert_eq!(d.line, 4, "{d}");
    assert!(d.message.contains("last_reviewed"), "{d}");
    let errs = rejects(
        "medications/ilaris.md",
        "+++\ntitle = \"Ilaris\"\ngeneric_name = \"canakinumab\"\nlast_reviewed = 2026-11-01\nnext_review = 2027-02-30\n+++\n",
    );
    let d = error_at(&errs, "medications/ilaris.md", 5);
    assert_eq!(
        d.snippet.as_deref(),
        Some("next_review = 2027-02-30"),
        "{d}"
    );
    let errs = rejects(
        "medications/ilaris.md",
        "---\ntitle: Ilaris\ngeneric_name: canakinumab\nlast_reviewed: 1 November 2026\nnext_review: 2027-11-01\n---\n",
    );
    let d = error_in(&errs, "medications/ilaris.md", "1 November 2026");
    assert_eq!(d.line, 4, "{d}");
}

#[test]
fn a_bad_atc_code_is_an_error_with_its_line() {
    let errs = rejects(
        "medications/ilaris.md",
        medication("Ilaris", "canakinumab", "atc_code: l04ac08\n", ""),
    );
    let d = error_in(&errs, "medications/ilaris.md", "l04ac08");
    assert_eq!(d.line, 6, "{d}");
    assert!(
        d.help.as_deref().unwrap_or_default().contains("L04AC08"),
        "{d}"
    );
    let errs = rejects(
        "medications/ilaris.md",
        medication("Ilaris", "canakinumab", "atc_code: L04AC8\n", ""),
    );
    let d = error_in(&errs, "medications/ilaris.md", "L04AC8");
    assert_eq!(d.line, 6, "{d}");
}

#[test]
fn a_medication_page_without_generic_name_is_an_error() {
    let errs = rejects(
        "medications/ilaris.md",
        "---\ntitle: Ilaris\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\n---\nBody.\n",
    );
    let d = error_in(&errs, "medications/ilaris.md", "generic_name");
    // Not written at all: pointed at the end of the front matter.
    assert_eq!((d.line, d.snippet.as_deref()), (5, Some("---")), "{d}");
    let errs = rejects(
        "medications/ilaris.md",
        medication("Ilaris", "\"  \"", "", ""),
    );
    error_in(&errs, "medications/ilaris.md", "generic_name");
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let errs = rejects(
        "medications/ilaris.md",
        "---\ntitle: Ilaris\ngeneric_name: canakinumab\natc_code: l04ac08\nlast_reviewed: 2026-02-30\nnext_review: 2027-13-01\n---\n",
    );
    assert_eq!(
        errs.len(),
        3,
        "{}",
        medsite::diagnostics::Diagnostics(errs.clone())
    );
    let lines: Vec<usize> = errs.iter().map(|d| d.line).collect();
    assert_eq!(lines, [4, 5, 6]);
}

#[test]
fn broken_links_in_several_files_are_all_reported() {
    let fx = Fixture::basic();
    fx.content("a.md", article("A", "", "[x](nowhere.md)\n"));
    fx.content("b.md", article("B", "", "Text.\n\n![y](missing.png)\n"));
    let errs = fx.build_err();
    assert_eq!(
        errs.len(),
        2,
        "{}",
        medsite::diagnostics::Diagnostics(errs.clone())
    );
    assert_eq!(find(&errs, "nowhere.md").file, Path::new("content/a.md"));
    let d = find(&errs, "missing.png");
    assert_eq!((d.file.as_path(), d.line), (Path::new("content/b.md"), 6));
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let fx = Fixture::basic();
    let name = std::ffi::OsStr::from_bytes(b"bad\xffname.md");
    std::fs::write(fx.root().join("content").join(name), "---\ntitle: X\n---\n").unwrap();
    let errs = fx.build_err();
    let d = find(&errs, "UTF-8");
    assert!(d.file.starts_with("content"), "{d}");
    assert!(!fx.out().exists());
    let out = fx.cli(&[]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_broken_site_toml_is_an_error_with_its_line() {
    let fx = Fixture::with_config(
        "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguag = \"en\"\n",
    );
    fx.content("_index.md", HOME);
    let errs = fx.build_err();
    let d = &errs[0];
    assert_eq!(
        (d.file.as_path(), d.line),
        (Path::new("site.toml"), 3),
        "{d}"
    );
    assert!(
        d.help.as_deref().unwrap_or_default().contains("`language`"),
        "{d}"
    );
    let out = fx.cli(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("site.toml:3"));
    assert!(!fx.out().exists());
}

#[test]
fn a_missing_site_toml_or_content_folder_is_an_error() {
    let fx = Fixture::basic();
    fx.remove("site.toml");
    let errs = fx.build_err();
    assert_eq!(errs[0].file, Path::new("site.toml"));
    let fx = Fixture::new();
    let errs = fx.build_err();
    assert!(errs[0].message.contains("content/"), "{}", errs[0]);
    let out = fx.cli(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!fx.out().exists());
}

#[test]
fn a_yaml_alias_bomb_is_an_error() {
    let mut front = String::from(
        "---\ntitle: About\nextra:\n  a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, cur) = (w[0], w[1]);
        front.push_str(&format!(
            "  {cur}: &{cur} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    front.push_str("---\nBody.\n");
    let errs = rejects("about.md", front);
    // One error, inside the aliases (lines 4 to 12), not at the title.
    assert_eq!(
        errs.len(),
        1,
        "{}",
        medsite::diagnostics::Diagnostics(errs.clone())
    );
    let d = &errs[0];
    assert_eq!(d.file, Path::new("content/about.md"), "{d}");
    assert!((4..=12).contains(&d.line), "{d}");
    assert!(
        d.message.contains("repeats itself"),
        "in medsite's words: {d}"
    );
    assert!(
        d.help.as_deref().unwrap_or_default().contains("aliases"),
        "{d}"
    );
}

#[test]
fn deeply_nested_front_matter_is_an_error() {
    let n = 100_000;
    let yaml = format!(
        "---\ntitle: About\nextra:\n  deep: {}{}\n---\nBody.\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let errs = rejects("about.md", yaml);
    assert_eq!(
        errs.len(),
        1,
        "{}",
        medsite::diagnostics::Diagnostics(errs.clone())
    );
    error_at(&errs, "about.md", 4);
    let toml = format!(
        "+++\ntitle = \"About\"\n[extra]\ndeep = {}{}\n+++\nBody.\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let errs = rejects("about.md", toml);
    assert_eq!(
        errs.len(),
        1,
        "{}",
        medsite::diagnostics::Diagnostics(errs.clone())
    );
    error_at(&errs, "about.md", 4);
}

#[test]
fn deeply_nested_markdown_and_html_work() {
    let n = 3_000;
    let body = format!(
        "{}x{}\n\n{}quoted\n",
        "<div>".repeat(n),
        "</div>".repeat(n),
        "> ".repeat(n)
    );
    let (fx, _) = accepts("about.md", article("About", "", &body));
    let html = fx.read("about/index.html");
    assert!(html.contains("quoted"));
    assert!(html.contains("<h1>About</h1>"));
}
