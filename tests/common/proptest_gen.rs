//! Generators for the property tests (`tests/proptest_*.rs`): near-valid
//! front matter (YAML and TOML) with Markdown bodies, damaged on purpose
//! now and then, and whole small sites. Included with
//! `#[path = "common/proptest_gen.rs"] mod arb;`.

#![allow(dead_code)]

use proptest::prelude::*;
use proptest::sample::Index;

// ---------------------------------------------------------------------------
// How many cases
// ---------------------------------------------------------------------------

/// The number of cases of a property: at least `ci_min` when `CI=true`
/// (more if `PROPTEST_CASES` says so), otherwise `PROPTEST_CASES` or
/// `local_default`.
pub fn cases(ci_min: u32, local_default: u32) -> u32 {
    let asked = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok());
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    match (ci, asked) {
        (true, Some(n)) => n.max(ci_min),
        (true, None) => ci_min,
        (false, Some(n)) => n,
        (false, None) => local_default,
    }
}

/// A proptest configuration with `cases` cases that writes no regression
/// files into the source tree (a failure prints the minimal input; known
/// ones become tests of their own).
pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Words and text
// ---------------------------------------------------------------------------

/// A word, often an awkward one for YAML, TOML, Markdown or HTML.
pub fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z]{1,10}",
        2 => prop::sample::select(vec![
            "methotrexate", "Ilaris", "gout", "Still's", "tablet", "dose", "Før",
            "behandling", "läkemedel", "Ærø", "İstanbul", "ß", "ﬁ", "日本語", "🙂",
            "\u{200b}", "\u{feff}", "\u{202e}", "e\u{301}", "\t",
        ])
        .prop_map(str::to_owned),
        2 => prop::sample::select(vec![
            ":", ": ", "#", " #", "\"", "'", "&", "*", "!", "|", ">", "%", "@", "`",
            "-", "- ", "? ", "[", "]", "{", "}", ",", "\\", "\\n", "=", "[[", "]]",
            "<", ">", "<b>", "</b>", "</script>", "&amp;", "&#0;", "&#x110000;",
            "---", "+++", "~~~", "```", "|-|", "^", "[^1]", "\r", "\n",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{1,8}",
        1 => "[0-9]{1,6}",
    ]
}

/// A few words joined by spaces.
pub fn text(max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..=max_words).prop_map(|w| w.join(" "))
}

/// A plain one-line title (letters and spaces), non-empty.
pub fn plain_title() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{1,8}( [a-z]{1,8}){0,2}"
}

// ---------------------------------------------------------------------------
// Values of front matter fields
// ---------------------------------------------------------------------------

/// How a string is written.
#[derive(Debug, Clone, Copy)]
pub enum Quote {
    Plain,
    Double,
    Single,
}

/// A date as written.
#[derive(Debug, Clone)]
pub enum Date {
    /// `YYYY-MM-DD` with possibly impossible parts (month 13, day 31 of February).
    Ymd(i32, u8, u8),
    /// Something else: `1 November 2026`, `2026-1-1`, `tomorrow`...
    Odd(String),
}

/// A front matter value.
#[derive(Debug, Clone)]
pub enum Value {
    Str(String, Quote),
    Date(Date, Quote),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// Written as is (may break the syntax).
    Raw(String),
}

pub fn quote() -> impl Strategy<Value = Quote> {
    prop_oneof![
        3 => Just(Quote::Plain),
        2 => Just(Quote::Double),
        1 => Just(Quote::Single),
    ]
}

pub fn date() -> impl Strategy<Value = Date> {
    prop_oneof![
        8 => (2020i32..2031, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::Ymd(y, m, d)),
        2 => (prop_oneof![Just(0i32), Just(1), 1900i32..2100, Just(9999), Just(10000), Just(-1)],
              0u8..=14, 0u8..=32)
            .prop_map(|(y, m, d)| Date::Ymd(y, m, d)),
        1 => prop::sample::select(vec![
            "1 November 2026", "2026-1-1", "2026/11/01", "tomorrow", "", "2026-11-01T10:00:00Z",
            "2026-11-01 10:00", "20261101", "2026-11", "٢٠٢٦-١١-٠١", "2026-02-29", "2024-02-29",
        ])
        .prop_map(|s| Date::Odd(s.to_owned())),
    ]
}

pub fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (text(4), quote()).prop_map(|(s, q)| Value::Str(s, q)),
        1 => (date(), quote()).prop_map(|(d, q)| Value::Date(d, q)),
        1 => prop_oneof![any::<i64>(), -3i64..1000].prop_map(Value::Int),
        1 => prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-0.0), -1e9f64..1e9]
            .prop_map(Value::Float),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
        1 => text(3).prop_map(Value::Raw),
    ]
}

/// Any value, a few levels deep.
pub fn any_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::vec((key(), inner), 0..4).prop_map(Value::Map),
        ]
    })
}

fn s(text: impl Into<String>) -> Value {
    Value::Str(text.into(), Quote::Double)
}

fn str_value() -> impl Strategy<Value = Value> {
    (text(5), quote()).prop_map(|(t, q)| Value::Str(t, q))
}

fn str_list() -> impl Strategy<Value = Value> {
    prop::collection::vec(str_value(), 0..4).prop_map(Value::List)
}

/// Addresses a link may point at: pages that exist (`targets`) or, when
/// `wild`, also ones that do not, other sites and unsafe schemes.
pub fn link_target(targets: Vec<String>) -> BoxedStrategy<String> {
    link_to(targets, true)
}

/// Addresses of existing pages and headings only (`wild` = false), or any.
pub fn link_to(targets: Vec<String>, wild: bool) -> BoxedStrategy<String> {
    let existing = if targets.is_empty() {
        vec!["https://example.org/".to_owned()]
    } else {
        targets
    };
    let safe = prop_oneof![
        4 => prop::sample::select(existing.clone()),
        1 => prop::sample::select(vec!["https://example.org/a", "mailto:a@example.org", "https://www.ema.europa.eu/en"])
            .prop_map(str::to_owned),
    ];
    if !wild {
        return safe.boxed();
    }
    prop_oneof![
        4 => safe,
        2 => (prop::sample::select(existing), "[a-z-]{0,12}").prop_map(|(t, f)| format!("{t}#{f}")),
        2 => prop::sample::select(vec![
            "missing.md", "../missing.md", "../../../../etc/passwd.md", "/about.md", "_index.md",
            "../_index.md", "sub/../x.md", "x.md?y=1", "%2e%2e/x.md", "x%20y.md", ".md", "#",
            "#side-effects", "pen.png", "missing.png", "http://127.0.0.1:9/x",
            "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
            "java\tscript:alert(1)", "&#106;avascript:alert(1)",
            "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
            "//evil.example/x", "", "<>", "a b.md", "C:\\x.md",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,12}",
    ]
    .boxed()
}

fn source_value(targets: Vec<String>) -> impl Strategy<Value = Value> {
    (
        str_value(),
        prop::option::of(prop_oneof![
            3 => Just(s("https://www.ema.europa.eu/en/medicines")),
            1 => link_target(targets).prop_map(s),
        ]),
        prop::option::of(str_value()),
        prop::option::of((date(), quote()).prop_map(|(d, q)| Value::Date(d, q))),
    )
        .prop_map(|(title, url, publisher, accessed)| {
            let mut m = vec![("title".to_owned(), title)];
            if let Some(u) = url {
                m.push(("url".to_owned(), u));
            }
            if let Some(p) = publisher {
                m.push(("publisher".to_owned(), p));
            }
            if let Some(a) = accessed {
                m.push(("accessed".to_owned(), a));
            }
            Value::Map(m)
        })
}

/// The fields a page or section may have, plus misspelled and unknown ones.
pub const KEYS: &[&str] = &[
    "title",
    "summary",
    "slug",
    "draft",
    "weight",
    "kind",
    "lang",
    "generic_name",
    "brand_names",
    "atc_code",
    "drug_class",
    "forms",
    "conditions",
    "last_reviewed",
    "next_review",
    "reviewed_by",
    "sources",
    "related",
    "page_kind",
    "sort_by",
    "extra",
];

pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["generic_nam", "titel", "Title", "sumary", "colour", "date", "tags"])
            .prop_map(str::to_owned),
        1 => "[a-z_]{1,12}",
        1 => word(),
    ]
}

/// A value of the right type for `key` most of the time, anything now and then.
pub fn field_value(key: String, targets: Vec<String>) -> BoxedStrategy<Value> {
    let typed: BoxedStrategy<Value> = match key.as_str() {
        "title" | "generic_name" | "drug_class" | "reviewed_by" => prop_oneof![
            4 => plain_title().prop_map(s),
            2 => str_value(),
        ]
        .boxed(),
        "summary" => str_value().boxed(),
        "slug" => prop_oneof![
            3 => "[a-z0-9-]{1,12}".prop_map(s),
            1 => prop::sample::select(vec!["..", "../x", "/x", "a/b", "a b", "", "conditions", "index.html", "UPPER", "ø"])
                .prop_map(s),
        ]
        .boxed(),
        "draft" => prop_oneof![
            4 => any::<bool>().prop_map(Value::Bool),
            1 => str_value(),
        ]
        .boxed(),
        "weight" => prop_oneof![
            4 => (-5i64..20).prop_map(Value::Int),
            1 => any::<i64>().prop_map(Value::Int),
            1 => str_value(),
        ]
        .boxed(),
        "kind" | "page_kind" => prop::sample::select(vec!["medication", "article", "Medication", "recipe", ""])
            .prop_map(s)
            .boxed(),
        "sort_by" => prop::sample::select(vec!["title", "weight", "date", ""]).prop_map(s).boxed(),
        "lang" => prop::sample::select(vec!["en", "nb", "sv", "da", "de", "en-GB", "", "x", "zh-Hant-TW"])
            .prop_map(s)
            .boxed(),
        "brand_names" | "forms" => str_list().boxed(),
        "conditions" => prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(vec!["Gout", "gout", "Still's disease", "Rheumatoid arthritis", "Lupus", ""])
                    .prop_map(s),
                1 => str_value(),
            ],
            0..4,
        )
        .prop_map(Value::List)
        .boxed(),
        "atc_code" => prop_oneof![
            3 => prop::sample::select(vec!["L04AC08", "L04AX03", "M04AC01", "L04AC", "L04", "L"]).prop_map(s),
            1 => "[A-Za-z0-9]{0,9}".prop_map(s),
        ]
        .boxed(),
        "last_reviewed" | "next_review" => (date(), quote()).prop_map(|(d, q)| Value::Date(d, q)).boxed(),
        "sources" => prop::collection::vec(source_value(targets.clone()), 0..3)
            .prop_map(Value::List)
            .boxed(),
        "related" => prop::collection::vec(link_target(targets.clone()).prop_map(s), 0..3)
            .prop_map(Value::List)
            .boxed(),
        _ => any_value().boxed(),
    };
    prop_oneof![8 => typed, 1 => any_value()].boxed()
}

/// A front matter: fields in order (duplicates possible).
pub fn fields(targets: Vec<String>) -> impl Strategy<Value = Vec<(String, Value)>> {
    prop::collection::vec(
        key().prop_flat_map(move |k| {
            let t = targets.clone();
            field_value(k.clone(), t).prop_map(move |v| (k.clone(), v))
        }),
        0..10,
    )
}

/// The front matter of a medication page that passes every check of the
/// build, with `extra` fields added (which may break it).
pub fn good_medication(title: String, extra: Vec<(String, Value)>) -> Vec<(String, Value)> {
    let mut f = vec![
        ("title".to_owned(), s(title.clone())),
        ("generic_name".to_owned(), s(title.to_lowercase())),
        (
            "last_reviewed".to_owned(),
            Value::Date(Date::Ymd(2026, 1, 15), Quote::Plain),
        ),
        (
            "next_review".to_owned(),
            Value::Date(Date::Ymd(2027, 1, 15), Quote::Plain),
        ),
    ];
    f.extend(extra);
    f
}

// ---------------------------------------------------------------------------
// Writing values as YAML and TOML
// ---------------------------------------------------------------------------

fn date_text(d: &Date) -> String {
    match d {
        Date::Ymd(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        Date::Odd(s) => s.clone(),
    }
}

fn yaml_str(s: &str, q: Quote) -> String {
    match q {
        Quote::Plain => s.to_owned(),
        Quote::Double => format!(
            "\"{}\"",
            s.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
                .replace('\r', "\\r")
        ),
        Quote::Single => format!("'{}'", s.replace('\'', "''")),
    }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        "nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.to_owned()
    } else {
        format!("{f:?}")
    }
}

/// A YAML value in flow style (on one line).
pub fn yaml_flow(v: &Value) -> String {
    match v {
        Value::Str(s, q) => yaml_str(s, *q),
        Value::Date(d, q) => yaml_str(&date_text(d), *q),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f).replace("nan", ".nan").replace("inf", ".inf"),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(yaml_flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k}: {}", yaml_flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Raw(r) => r.clone(),
    }
}

/// `key: value` in YAML; lists of maps in block style, the rest in flow style.
pub fn yaml_field(k: &str, v: &Value) -> String {
    match v {
        Value::List(items) if items.iter().any(|i| matches!(i, Value::Map(_))) => {
            let mut out = format!("{k}:\n");
            for item in items {
                match item {
                    Value::Map(m) if !m.is_empty() => {
                        for (i, (mk, mv)) in m.iter().enumerate() {
                            let lead = if i == 0 { "  - " } else { "    " };
                            out.push_str(&format!("{lead}{mk}: {}\n", yaml_flow(mv)));
                        }
                    }
                    other => out.push_str(&format!("  - {}\n", yaml_flow(other))),
                }
            }
            out
        }
        _ => format!("{k}: {}\n", yaml_flow(v)),
    }
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_owned()
    } else {
        toml_str(k, Quote::Double)
    }
}

fn toml_str(s: &str, q: Quote) -> String {
    match q {
        Quote::Single if !s.contains('\'') && !s.contains('\n') && !s.contains('\r') => {
            format!("'{s}'")
        }
        _ => {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
    }
}

/// A TOML value, inline.
pub fn toml_inline(v: &Value) -> String {
    match v {
        // A plain string is the usual mistake: a bare word.
        Value::Str(s, Quote::Plain) if !s.is_empty() && s.len() < 4 => s.clone(),
        Value::Str(s, q) => toml_str(s, *q),
        // A bare date is a TOML date; a quoted one a string.
        Value::Date(d, Quote::Plain) => date_text(d),
        Value::Date(d, q) => toml_str(&date_text(d), *q),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f),
        Value::Bool(b) => b.to_string(),
        Value::Null => "\"\"".to_owned(),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(toml_inline).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{} = {}", toml_key(k), toml_inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Raw(r) => r.clone(),
    }
}

/// A whole TOML front matter: plain fields first, then `[[sources]]`-style
/// arrays of tables and `[table]`s.
pub fn toml_fields(fields: &[(String, Value)]) -> String {
    let mut plain = String::new();
    let mut tables = String::new();
    for (k, v) in fields {
        match v {
            Value::List(items)
                if !items.is_empty() && items.iter().all(|i| matches!(i, Value::Map(_))) =>
            {
                for item in items {
                    if let Value::Map(m) = item {
                        tables.push_str(&format!("\n[[{}]]\n", toml_key(k)));
                        for (mk, mv) in m {
                            tables.push_str(&format!("{} = {}\n", toml_key(mk), toml_inline(mv)));
                        }
                    }
                }
            }
            Value::Map(m) if k == "extra" => {
                tables.push_str(&format!("\n[{}]\n", toml_key(k)));
                for (mk, mv) in m {
                    tables.push_str(&format!("{} = {}\n", toml_key(mk), toml_inline(mv)));
                }
            }
            _ => plain.push_str(&format!("{} = {}\n", toml_key(k), toml_inline(v))),
        }
    }
    plain + &tables
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/// Raw HTML, most of it what the sanitizer must remove.
pub fn raw_html() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<script\n>alert(1)</script\n>",
        "<div onclick=\"alert(1)\">click</div>",
        "<img src=\"x.png\" onerror=\"alert(1)\">",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<style>body{display:none}</style>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<details><summary>More</summary>Hidden text</details>",
        "<div id=\"dosage\">Box</div>",
        "<div id=\"main\">",
        "<div>",
        "</div>",
        "<!-- a comment -->",
        "<!--",
        "<b>bold</b>",
        "<br>",
        "<table><tr><td>cell</td></tr></table>",
        "<p style=\"color:red\">red</p>",
        "<object data=\"x.swf\"></object>",
        "<form action=\"https://evil.example/\"><input name=x></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "<base href=\"https://evil.example/\">",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    ])
    .prop_map(str::to_owned)
}

/// An inline piece of a paragraph; links to `targets` only unless `wild`.
pub fn inline(targets: Vec<String>, wild: bool) -> impl Strategy<Value = String> {
    let to = move || link_to(targets.clone(), wild);
    prop_oneof![
        6 => text(6),
        3 => (text(3).prop_map(|t| if t.trim().is_empty() { "x".to_owned() } else { t }), to())
            .prop_map(|(t, l)| format!("[{t}]({l})")),
        1 => (plain_title(), to(), plain_title())
            .prop_map(|(t, l, title)| format!("[{t}]({l} \"{title}\")")),
        2 => (plain_title(), prop_oneof![
                3 => Just("https://example.org/pen.png".to_owned()),
                1 => to(),
            ])
            .prop_map(|(t, l)| format!("![{t}]({l})")),
        1 => text(3).prop_map(|t| format!("*{t}*")),
        1 => text(3).prop_map(|t| format!("**{t}**")),
        1 => text(3).prop_map(|t| format!("~~{t}~~")),
        1 => text(3).prop_map(|t| format!("`{t}`")),
        1 => prop::sample::select(vec!["<https://example.org/>", "<mailto:a@example.org>", "https://example.org/bare"])
            .prop_map(str::to_owned),
        1 => "[a-z0-9]{1,3}".prop_map(|l| format!("[^{l}]")),
        1 => raw_html(),
        1 => Just("  \n".to_owned()),
        1 => Just("\\".to_owned()),
    ]
}

pub fn paragraph(targets: Vec<String>, wild: bool) -> impl Strategy<Value = String> {
    prop::collection::vec(inline(targets, wild), 1..6).prop_map(|p| p.join(" "))
}

/// One block of Markdown, ending in a blank line.
pub fn block(targets: Vec<String>, wild: bool) -> impl Strategy<Value = String> {
    let para = move || paragraph(targets.clone(), wild);
    prop_oneof![
        5 => para().prop_map(|p| format!("{p}\n\n")),
        3 => (1usize..=7, text(4), prop::option::of(prop_oneof!["[a-z-]{0,10}", word()]))
            .prop_map(|(n, t, id)| match id {
                Some(id) => format!("{} {t} {{#{id}}}\n\n", "#".repeat(n)),
                None => format!("{} {t}\n\n", "#".repeat(n)),
            }),
        1 => prop::sample::select(vec![
            "Dosage", "Side effects", "What it is and what it is used for", "Before starting treatment",
            "Pregnancy and breast-feeding", "Checks and follow-up", "Main", "Rate", "Sources heading",
        ])
        .prop_map(|h| format!("## {h}\n\n")),
        2 => raw_html().prop_map(|h| format!("{h}\n\n")),
        2 => (1usize..5, 1usize..4, prop::collection::vec(text(2), 1..12)).prop_map(|(cols, rows, cells)| {
            let cell = |i: usize| cells[i % cells.len()].replace('|', "\\|");
            let mut out = String::new();
            out.push_str(&format!("| {} |\n", (0..cols).map(cell).collect::<Vec<_>>().join(" | ")));
            out.push_str(&format!("|{}|\n", vec!["---"; cols].join("|")));
            for r in 0..rows {
                out.push_str(&format!("| {} |\n", (0..cols).map(|c| cell(r * cols + c + 1)).collect::<Vec<_>>().join(" | ")));
            }
            out + "\n"
        }),
        2 => ("[a-z0-9]{1,3}", para()).prop_map(|(l, p)| format!("[^{l}]: {p}\n\n")),
        2 => (prop::sample::select(vec!["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION", "warning", "UNKNOWN", ""]),
              para())
            .prop_map(|(k, p)| format!("> [!{k}]\n> {p}\n\n")),
        1 => (1usize..6, para()).prop_map(|(n, p)| format!("{} {p}\n\n", ">".repeat(n))),
        1 => (prop::sample::select(vec!["```", "~~~", "````"]), text(6))
            .prop_map(|(f, c)| format!("{f}\n{c}\n{f}\n\n")),
        1 => text(6).prop_map(|c| format!("```\n{c}\n")),
        2 => prop::collection::vec(para(), 1..4).prop_map(|items| {
            items.iter().map(|i| format!("- {i}\n")).collect::<String>() + "\n"
        }),
        1 => prop::collection::vec(text(3), 1..4).prop_map(|items| {
            items.iter().enumerate().map(|(n, i)| format!("{}. [ ] {i}\n", n + 1)).collect::<String>() + "\n"
        }),
        1 => Just("---\n\n".to_owned()),
        1 => Just("***\n\n".to_owned()),
        1 => "\\PC{0,40}".prop_map(|r| format!("{r}\n\n")),
        1 => text(3).prop_map(|t| format!("{t}\n===\n\n")),
    ]
}

/// A body of up to `max_blocks` blocks.
pub fn body(targets: Vec<String>, max_blocks: usize) -> impl Strategy<Value = String> {
    body_with(targets, max_blocks, true)
}

pub fn body_with(
    targets: Vec<String>,
    max_blocks: usize,
    wild: bool,
) -> impl Strategy<Value = String> {
    prop::collection::vec(block(targets, wild), 0..=max_blocks).prop_map(|b| b.concat())
}

// ---------------------------------------------------------------------------
// Whole content files
// ---------------------------------------------------------------------------

/// How the finished text is damaged, if at all.
#[derive(Debug, Clone)]
pub enum Damage {
    None,
    /// Cut the file at this point.
    Truncate(Index),
    /// Put a stray piece of text at this point.
    Insert(Index, String),
    /// Leave out the closing delimiter line.
    NoClose,
    /// Windows line endings.
    Crlf,
    /// A byte order mark first.
    Bom,
}

pub fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        10 => Just(Damage::None),
        2 => any::<Index>().prop_map(Damage::Truncate),
        3 => (any::<Index>(), prop_oneof![
            word(),
            prop::sample::select(vec!["\n", "---\n", "+++\n", ":", "\"", "'", "[", "{", "\t", "\0", "\u{feff}", "\r", "#"])
                .prop_map(str::to_owned),
        ])
        .prop_map(|(i, s)| Damage::Insert(i, s)),
        1 => Just(Damage::NoClose),
        1 => Just(Damage::Crlf),
        1 => Just(Damage::Bom),
    ]
}

/// The syntax of a front matter block.
#[derive(Debug, Clone, Copy)]
pub enum Syntax {
    Yaml,
    Toml,
    /// No front matter at all.
    None,
}

pub fn syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![6 => Just(Syntax::Yaml), 3 => Just(Syntax::Toml), 1 => Just(Syntax::None)]
}

/// A content file: front matter, body, and the damage done to it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub syntax: Syntax,
    pub fields: Vec<(String, Value)>,
    pub body: String,
    pub damage: Damage,
}

fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl Doc {
    /// The text of the file.
    pub fn text(&self) -> String {
        let (open, front) = match self.syntax {
            Syntax::Yaml => (
                "---",
                self.fields
                    .iter()
                    .map(|(k, v)| yaml_field(k, v))
                    .collect::<String>(),
            ),
            Syntax::Toml => ("+++", toml_fields(&self.fields)),
            Syntax::None => ("", String::new()),
        };
        let mut out = String::new();
        if !open.is_empty() {
            out.push_str(open);
            out.push('\n');
            out.push_str(&front);
            if !matches!(self.damage, Damage::NoClose) {
                out.push_str(open);
                out.push('\n');
            }
        }
        out.push_str(&self.body);
        match &self.damage {
            Damage::None | Damage::NoClose => out,
            Damage::Truncate(i) => {
                let at = floor_char_boundary(&out, i.index(out.len() + 1));
                out.truncate(at);
                out
            }
            Damage::Insert(i, s) => {
                let at = floor_char_boundary(&out, i.index(out.len() + 1));
                out.insert_str(at, s);
                out
            }
            Damage::Crlf => out.replace('\n', "\r\n"),
            Damage::Bom => format!("\u{feff}{out}"),
        }
    }
}

/// A near-valid content file whose links point at `targets` (or elsewhere).
pub fn doc(targets: Vec<String>) -> BoxedStrategy<Doc> {
    let t = targets.clone();
    let front = prop_oneof![
        // Anything.
        2 => fields(t.clone()),
        // A medication page that would pass, with a few more fields.
        2 => (plain_title(), prop::collection::vec(
                key().prop_flat_map({
                    let t = t.clone();
                    move |k| field_value(k.clone(), t.clone()).prop_map(move |v| (k.clone(), v))
                }),
                0..3,
            ))
            .prop_map(|(title, extra)| good_medication(title, extra)),
    ];
    let near_valid = (syntax(), front, body(targets.clone(), 8), damage()).prop_map(
        |(syntax, fields, body, damage)| Doc {
            syntax,
            fields,
            body,
            damage,
        },
    );
    prop_oneof![3 => near_valid, 1 => good_doc(targets)].boxed()
}

/// Fields a page may have that never break it, at most one of each.
pub fn safe_extra() -> impl Strategy<Value = Vec<(String, Value)>> {
    let str_list = || prop::collection::vec(plain_title().prop_map(s), 0..3).prop_map(Value::List);
    prop::collection::vec(
        prop_oneof![
            text(8).prop_map(|t| ("summary".to_owned(), s(t))),
            str_list().prop_map(|v| ("brand_names".to_owned(), v)),
            str_list().prop_map(|v| ("forms".to_owned(), v)),
            prop::collection::vec(
                prop::sample::select(vec![
                    "Gout",
                    "Still's disease",
                    "Rheumatoid arthritis",
                    "Lupus"
                ])
                .prop_map(s),
                0..3,
            )
            .prop_map(|v| ("conditions".to_owned(), Value::List(v))),
            (0i64..10).prop_map(|w| ("weight".to_owned(), Value::Int(w))),
            plain_title().prop_map(|t| ("reviewed_by".to_owned(), s(t))),
            plain_title().prop_map(|t| ("drug_class".to_owned(), s(t))),
            prop::sample::select(vec!["en", "nb", "sv", "da"])
                .prop_map(|l| ("lang".to_owned(), s(l))),
            prop::sample::select(vec!["L04AC08", "L04AX03", "M04AC01", "L04AC"])
                .prop_map(|c| ("atc_code".to_owned(), s(c))),
            prop::collection::vec(
                (plain_title(), "[a-z]{1,8}").prop_map(|(t, p)| {
                    Value::Map(vec![
                        ("title".to_owned(), s(t)),
                        ("url".to_owned(), s(format!("https://example.org/{p}"))),
                    ])
                }),
                1..3,
            )
            .prop_map(|v| ("sources".to_owned(), Value::List(v))),
        ],
        0..5,
    )
    .prop_map(|fields| {
        let mut seen = std::collections::HashSet::new();
        fields
            .into_iter()
            .filter(|(k, _)| seen.insert(k.clone()))
            .collect()
    })
}

/// A page that builds: a medication or an article page, with its `kind`,
/// safe fields, and a body whose links all point at `targets`.
pub fn good_doc(targets: Vec<String>) -> impl Strategy<Value = Doc> {
    (
        prop_oneof![Just(Syntax::Yaml), Just(Syntax::Toml)],
        any::<bool>(),
        plain_title(),
        safe_extra(),
        body_with(targets, 6, false),
    )
        .prop_map(|(syntax, medication, title, extra, body)| {
            let mut fields = if medication {
                good_medication(title, vec![("kind".to_owned(), s("medication"))])
            } else {
                vec![
                    ("title".to_owned(), s(title)),
                    ("kind".to_owned(), s("article")),
                ]
            };
            fields.extend(extra.into_iter().filter(|(k, _)| {
                medication
                    || !matches!(
                        k.as_str(),
                        "brand_names" | "forms" | "drug_class" | "atc_code"
                    )
            }));
            Doc {
                syntax,
                fields,
                body,
                damage: Damage::None,
            }
        })
}

// ---------------------------------------------------------------------------
// site.toml
// ---------------------------------------------------------------------------

/// A `site.toml`: valid, or (`wild`) often broken.
pub fn site_toml(wild: bool) -> BoxedStrategy<String> {
    if wild {
        site_toml_wild().boxed()
    } else {
        site_toml_valid().boxed()
    }
}

/// A valid `site.toml` with some of the settings.
pub fn site_toml_valid() -> impl Strategy<Value = String> {
    (
        plain_title(),
        prop::sample::select(vec!["", "base_url = \"https://example.org/\"\n", "base_url = \"https://example.org/sub/\"\n", "base_url = \"/\"\n"]),
        prop::sample::select(vec!["", "language = \"en\"\n", "language = \"nb\"\n", "language = \"sv\"\n"]),
        prop::sample::subsequence(
            vec![
                "description = \"About medicines.\"\npublisher = \"Example Department\"\n",
                "review_interval_months = 6\n",
                "[feedback]\nendpoint = \"https://feedback.example.org/api\"\n",
                "[markdown]\nallow_unsafe_html = true\n",
                "[[menu]]\ntitle = \"Conditions\"\nlink = \"/conditions/\"\n\n[[menu]]\ntitle = \"Elsewhere\"\nlink = \"https://example.org/\"\n",
                "[checks.review]\ndue_soon_days = -5\nmax_interval_months = 999999999\n",
                "[extra]\nanswer = 42\n",
            ],
            0..4,
        ),
    )
        .prop_map(|(title, base, language, tables)| {
            let (top, tables): (Vec<&str>, Vec<&str>) = tables.into_iter().partition(|t| !t.starts_with('['));
            format!("title = \"{title}\"\n{base}{language}{}{}", top.concat(), tables.concat())
        })
}

/// A `site.toml` with awkward and wrong settings, often damaged.
pub fn site_toml_wild() -> impl Strategy<Value = String> {
    let title = prop_oneof![
        6 => plain_title().prop_map(|t| format!("title = {}\n", toml_str(&t, Quote::Double))),
        1 => text(3).prop_map(|t| format!("title = {}\n", toml_str(&t, Quote::Double))),
        1 => Just(String::new()),
        1 => Just("title = 3\n".to_owned()),
    ];
    let base = prop::option::of(prop::sample::select(vec![
        "https://example.org/",
        "https://example.org/sub/",
        "https://example.org/a/b/c",
        "/",
        "/sub/",
        "",
        "example.org",
        "http://[::1]:8080/x/",
        "https://exa mple.org/",
        "file:///etc/",
        "https://example.org/ø/",
    ]))
    .prop_map(|b| {
        b.map_or(String::new(), |b| {
            format!("base_url = {}\n", toml_str(b, Quote::Double))
        })
    });
    let language = prop::option::of(prop::sample::select(vec![
        "en", "nb", "sv", "da", "de", "", "en-GB", "xx-YY-zz",
    ]))
    .prop_map(|l| l.map_or(String::new(), |l| format!("language = \"{l}\"\n")));
    let misc = prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "description = \"About medicines.\"\n",
                "publisher = \"Example Department\"\n",
                "review_interval_months = 0\n",
                "review_interval_months = 6\n",
                "review_interval_months = 4294967295\n",
                "review_interval_months = -1\n",
                "languag = \"en\"\n",
                "[extra]\nanswer = 42\n",
                "[feedback]\nenabled = false\n",
                "[feedback]\nendpoint = \"https://feedback.example.org/api\"\n",
                "[feedback]\nendpoint = \"/x/\"\n",
                "[feedback]\nendpoint = \"\"\n",
                "[feedback]\nendpoint = \"javascript:alert(1)\"\n",
                "[markdown]\nallow_unsafe_html = true\n",
                "[markdown]\nallow_unsafe_html = \"yes\"\n",
                "[[menu]]\ntitle = \"About\"\nlink = \"about.md\"\n",
                "[[menu]]\ntitle = \"Missing\"\nlink = \"missing.md\"\n",
                "[[menu]]\ntitle = \"Conditions\"\nlink = \"/conditions/\"\n",
                "[[menu]]\ntitle = \"\"\nlink = \"\"\n",
                "[[menu]]\ntitle = \"Other\"\nlink = \"https://example.org/\"\n",
                "[checks]\nvague_link_texts = []\n",
                "[checks]\nvague_link_texts = [\"\", \"x\"]\n",
                "[checks.review]\ndue_soon_days = -5\nmax_interval_months = 999999999\n",
                "[checks.review]\ndue_soon_days = 9223372036854775807\nmax_interval_months = -9223372036854775808\n",
                "[checks.review]\nmax_interval_months = 0\n",
                "[checks.readability]\nmin_words = 0\nmin_flesch = 1e308\n",
                "[checks.readability]\nmax_grade = -1.0\nmax_lix = nan\n",
                "[checks.required_sections]\nmedication = []\narticle = [\"Summary\"]\n",
                "[checks.required_sections]\nmedication = [[]]\n",
                "[checks.required_sections]\nmedication = [\"\", [\"\", \"\"]]\n",
                "[checks.external]\ntimeout_secs = -1\nconcurrency = 0\nper_host = 0\n",
                "[checks]\nunknown = 1\n",
            ])
            .prop_map(str::to_owned),
            (word(), word()).prop_map(|(k, v)| format!("{} = {}\n", toml_key(&k), toml_str(&v, Quote::Double))),
        ],
        0..4,
    );
    (title, base, language, misc, damage()).prop_map(|(t, b, l, m, d)| {
        // Top-level keys before the first table.
        let mut top = String::new();
        let mut tables = String::new();
        for piece in m {
            if piece.starts_with('[') {
                tables.push_str(&piece);
            } else {
                top.push_str(&piece);
            }
        }
        let text = format!("{t}{b}{l}{top}{tables}");
        match d {
            Damage::Truncate(i) => {
                let at = floor_char_boundary(&text, i.index(text.len() + 1));
                text[..at].to_owned()
            }
            Damage::Insert(i, s) => {
                let mut text = text;
                let at = floor_char_boundary(&text, i.index(text.len() + 1));
                text.insert_str(at, &s);
                text
            }
            Damage::Crlf => text.replace('\n', "\r\n"),
            Damage::Bom => format!("\u{feff}{text}"),
            Damage::None | Damage::NoClose => text,
        }
    })
}

// ---------------------------------------------------------------------------
// Whole sites
// ---------------------------------------------------------------------------

/// A small site: `site.toml` and content files (path under `content/` → bytes).
#[derive(Debug, Clone)]
pub struct SiteFiles {
    pub site_toml: String,
    pub files: Vec<(String, Vec<u8>)>,
}

/// A file or folder name: usually plain, sometimes awkward.
pub fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z][a-z0-9-]{0,10}",
        1 => prop::sample::select(vec![
            "Methotrexate", "a b", "ø", "日本", "x.y", "-", "_x", "conditions", "index", "css", "js",
            "sitemap", "404", "api", "__medsite", "UPPER", "a--b",
        ])
        .prop_map(str::to_owned),
    ]
}

/// `to` (a path under `content/`) as a link written in a file of folder `from`.
pub fn relative(from: &str, to: &str) -> String {
    if from.is_empty() {
        return to.to_owned();
    }
    match to.strip_prefix(&format!("{from}/")) {
        Some(rest) => rest.to_owned(),
        None => format!("{}{to}", "../".repeat(from.split('/').count())),
    }
}

/// A small site: a home page, up to 3 sections and up to 6 pages. Most
/// sites are valid (plain names, good pages linking to one another, a valid
/// `site.toml`, now and then one wild page); the others are wild throughout.
pub fn site() -> impl Strategy<Value = SiteFiles> {
    prop_oneof![3 => site_with(false), 2 => site_with(true)]
}

pub fn site_with(wild: bool) -> BoxedStrategy<SiteFiles> {
    let name = move || {
        if wild {
            name().boxed()
        } else {
            "[a-z][a-z0-9-]{0,10}".boxed()
        }
    };
    (
        prop::collection::vec(name(), 0..3),
        prop::collection::vec((0usize..4, name()), 1..7),
        if wild {
            any::<bool>().boxed()
        } else {
            Just(true).boxed()
        },
    )
        .prop_flat_map(move |(sections, pages, home)| {
            let mut dirs: Vec<String> = vec![String::new()];
            for s in &sections {
                if !dirs.contains(s) {
                    dirs.push(s.clone());
                }
            }
            let mut paths: Vec<String> = Vec::new();
            if home {
                paths.push("_index.md".to_owned());
            }
            for d in dirs.iter().skip(1) {
                paths.push(format!("{d}/_index.md"));
            }
            for (i, n) in &pages {
                let dir = &dirs[i % dirs.len()];
                let p = if dir.is_empty() {
                    format!("{n}.md")
                } else {
                    format!("{dir}/{n}.md")
                };
                if !paths.contains(&p) {
                    paths.push(p);
                }
            }
            let mut files: Vec<BoxedStrategy<Vec<u8>>> = Vec::new();
            for p in &paths {
                let dir = p.rsplit_once('/').map_or("", |(d, _)| d);
                let targets: Vec<String> = paths
                    .iter()
                    .filter(|q| *q != p)
                    .map(|q| relative(dir, q))
                    .collect();
                let wild_doc = prop_oneof![
                    8 => doc(targets.clone()).prop_map(|d| d.text().into_bytes()),
                    1 => prop::collection::vec(any::<u8>(), 0..200),
                ];
                let file = match (p.ends_with("_index.md"), wild) {
                    (true, false) => section_front(false).prop_map(String::into_bytes).boxed(),
                    (true, true) => prop_oneof![
                        3 => section_front(true).prop_map(String::into_bytes),
                        1 => wild_doc,
                    ]
                    .boxed(),
                    (false, false) => prop_oneof![
                        20 => good_doc(targets).prop_map(|d| d.text().into_bytes()),
                        1 => wild_doc,
                    ]
                    .boxed(),
                    (false, true) => wild_doc.boxed(),
                };
                files.push(file);
            }
            (Just(paths), files, site_toml(wild), any::<bool>())
        })
        .prop_map(|(paths, docs, site_toml, with_asset)| {
            let mut files: Vec<(String, Vec<u8>)> = paths.into_iter().zip(docs).collect();
            if with_asset {
                files.push((
                    "pen.png".to_owned(),
                    b"\x89PNG\r\n\x1a\nnot really".to_vec(),
                ));
            }
            SiteFiles { site_toml, files }
        })
        .boxed()
}

/// The file of a section: a title and some of its settings; when `wild`,
/// also unknown kinds and orders, and drafts.
fn section_front(wild: bool) -> impl Strategy<Value = String> {
    let kinds = if wild {
        vec!["medication", "article", "recipe"]
    } else {
        vec!["medication", "article"]
    };
    let sorts = if wild {
        vec!["title", "weight", "date"]
    } else {
        vec!["title", "weight"]
    };
    (
        plain_title(),
        prop::option::of(prop::sample::select(kinds)),
        prop::option::of(prop::sample::select(sorts)),
        if wild {
            any::<bool>().boxed()
        } else {
            Just(false).boxed()
        },
        text(4),
    )
        .prop_map(|(title, kind, sort, draft, body)| {
            let mut f = format!("---\ntitle: {title}\n");
            if let Some(k) = kind {
                f.push_str(&format!("page_kind: {k}\n"));
            }
            if let Some(s) = sort {
                f.push_str(&format!("sort_by: {s}\n"));
            }
            if draft {
                f.push_str("draft: true\n");
            }
            f.push_str(&format!("---\n{body}\n"));
            f
        })
}
