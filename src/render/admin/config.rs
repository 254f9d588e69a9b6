//! The Decap CMS configuration (`admin/config.yml`), made from medsite's
//! front-matter schemas ([`crate::schema`]) and `site.toml`: a collection
//! per section with the fields of its page kind, one widget per field, the
//! section pages themselves, per-language editing when the site has
//! languages, the git backend, editorial workflow and the media folder.
//!
//! Not for the admin page's other files (`super`), nor for what the local
//! backend accepts (`serve::backend` runs the build's own checks).

use crate::config::CmsConfig;
use crate::content::Site;
use crate::content::front_matter::PageKind;
use crate::schema::{self, Kind};
use serde_json::{Map, Value, json};

/// The fields an editor fills in, in the order the form shows them; a
/// field the kind's schema does not have (or forbids) is left out.
const PAGE_FIELDS: &[&str] = &[
    "title",
    "generic_name",
    "brand_names",
    "atc_code",
    "drug_class",
    "forms",
    "conditions",
    "summary",
    "last_reviewed",
    "next_review",
    "reviewed_by",
    "sources",
    "related",
    "source_reviewed",
    "slug",
    "weight",
    "draft",
];

const SECTION_FIELDS: &[&str] = &[
    "title",
    "summary",
    "page_kind",
    "sort_by",
    "weight",
    "draft",
];

/// Fields every language of a page shares: a translation starts with the
/// default language's value.
const SHARED_FIELDS: &[&str] = &["generic_name", "brand_names", "atc_code"];

/// The message shown under a wrong ATC code: the build's own.
const ATC_MESSAGE: &str = crate::content::fields::ATC_SHAPE;

fn label(name: &str) -> &str {
    match name {
        "title" => "Title",
        "generic_name" => "Generic name (active substance)",
        "brand_names" => "Brand names",
        "atc_code" => "ATC code",
        "drug_class" => "Kind of medicine",
        "forms" => "Forms and strengths",
        "conditions" => "Conditions it is used for",
        "summary" => "Summary",
        "last_reviewed" => "Last reviewed",
        "next_review" => "Next review",
        "reviewed_by" => "Reviewed by",
        "sources" => "Sources",
        "related" => "Related pages",
        "source_reviewed" => "Translation follows the review of",
        "slug" => "Address (slug)",
        "weight" => "Order (weight)",
        "draft" => "Draft (not published)",
        "page_kind" => "Kind of the section's pages",
        "sort_by" => "Order of the section's pages",
        "accessed" => "Read on",
        "url" => "Address (URL)",
        "publisher" => "Publisher",
        _ => name,
    }
}

/// The label of one entry of a list field.
fn item_label(name: &str) -> &str {
    match name {
        "brand_names" => "Brand name",
        "forms" => "Form and strength",
        "related" => "Page (its .md file)",
        _ => label(name),
    }
}

/// The schema's description as one line of help under the field.
fn hint(prop: &Value) -> Option<String> {
    let d = prop.get("description")?.as_str()?;
    Some(d.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn types(prop: &Value) -> Vec<&str> {
    match prop.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A date field: the date picker, stored as `YYYY-MM-DD`.
fn date_widget(f: &mut Map<String, Value>) {
    f.insert("widget".into(), json!("datetime"));
    f.insert("format".into(), json!("YYYY-MM-DD"));
    f.insert("date_format".into(), json!("YYYY-MM-DD"));
    f.insert("time_format".into(), json!(false));
    f.insert("picker_utc".into(), json!(true));
    f.insert("default".into(), json!(""));
}

/// What the form needs to know about the site for one field.
struct Context<'a> {
    /// Every condition the site's pages name, per language.
    conditions: &'a Value,
    multilingual: bool,
    /// The collection edits its languages side by side (Decap's i18n).
    i18n: bool,
}

/// The Decap field for schema property `name`.
fn field(name: &str, prop: &Value, required: bool, cx: &Context) -> Value {
    let mut f = Map::new();
    f.insert("name".into(), json!(name));
    f.insert("label".into(), json!(label(name)));
    f.insert("required".into(), json!(required));
    if let Some(h) = hint(prop) {
        f.insert("hint".into(), json!(h));
    }
    let ts = types(prop);
    let is_date = prop.get("format").and_then(Value::as_str) == Some("date");
    if name == "conditions" {
        f.insert("widget".into(), json!("medsite-conditions"));
        f.insert("suggestions".into(), cx.conditions.clone());
    } else if is_date {
        date_widget(&mut f);
    } else if let Some(options) = prop.get("enum").and_then(Value::as_array) {
        let options: Vec<&Value> = options.iter().filter(|v| !v.is_null()).collect();
        f.insert("widget".into(), json!("select"));
        f.insert("options".into(), json!(options));
    } else if ts.contains(&"boolean") {
        f.insert("widget".into(), json!("boolean"));
        f.insert("default".into(), json!(false));
    } else if ts.contains(&"integer") {
        f.insert("widget".into(), json!("number"));
        f.insert("value_type".into(), json!("int"));
    } else if ts.contains(&"array") {
        f.insert("widget".into(), json!("list"));
        let items = prop.get("items").cloned().unwrap_or(Value::Null);
        if let Some(props) = items.get("properties").and_then(Value::as_object) {
            let req: Vec<&str> = items
                .get("required")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let order = ["title", "url", "publisher", "accessed"];
            let mut names: Vec<&String> = props.keys().collect();
            names.sort_by_key(|n| order.iter().position(|o| o == n).unwrap_or(order.len()));
            let fields: Vec<Value> = names
                .into_iter()
                .map(|n| field(n, &props[n], req.contains(&n.as_str()), cx))
                .collect();
            f.insert("fields".into(), json!(fields));
            f.insert("summary".into(), json!("{{fields.title}}"));
            f.insert("collapsed".into(), json!(false));
        } else {
            f.insert(
                "field".into(),
                json!({"name": "item", "label": item_label(name), "widget": "string"}),
            );
            f.insert("collapsed".into(), json!(false));
        }
    } else {
        let long = name == "summary";
        f.insert("widget".into(), json!(if long { "text" } else { "string" }));
        if name == "atc_code" {
            if let Some(p) = prop.get("pattern") {
                f.insert("pattern".into(), json!([p, ATC_MESSAGE]));
            }
        } else if name == "url" {
            f.insert(
                "pattern".into(),
                json!([
                    "^https?://",
                    "write the whole address, starting with https://"
                ]),
            );
        }
    }
    if cx.multilingual && cx.i18n {
        // Decap accepts `duplicate` on single values only.
        let i18n = if SHARED_FIELDS.contains(&name) && !ts.contains(&"array") {
            json!("duplicate")
        } else {
            json!(true)
        };
        f.insert("i18n".into(), i18n);
    }
    Value::Object(f)
}

/// The body field: Markdown, a new page starting with `headings`.
fn body_field(headings: &[String], multilingual: bool) -> Value {
    let default: String = headings.iter().map(|h| format!("## {h}\n\n")).collect();
    let mut f = json!({
        "name": "body",
        "label": "Text",
        "widget": "markdown",
        // Markdown first: rich text rewrites what it does not know
        // (callouts, heading ids).
        "modes": ["raw", "rich_text"],
        "required": false,
        "hint": "The page's text in Markdown; keep the standard headings (## …) in this order.",
        "default": default,
    });
    if multilingual && let Some(m) = f.as_object_mut() {
        m.insert("i18n".into(), json!(true));
    }
    f
}

/// The form fields of one kind of front matter.
fn fields(kind: Kind, headings: &[String], cx: &Context) -> Vec<Value> {
    let s = schema::schema(kind);
    let required: Vec<&str> = s["required"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let names = if kind == Kind::Section {
        SECTION_FIELDS
    } else {
        PAGE_FIELDS
    };
    let mut out: Vec<Value> = names
        .iter()
        .filter_map(|n| {
            let prop = s["properties"].get(*n)?;
            if prop == &Value::Bool(false) {
                return None;
            }
            Some(field(n, prop, required.contains(n), cx))
        })
        .collect();
    out.push(body_field(headings, cx.multilingual && cx.i18n));
    out
}

/// `admin/config.yml`'s contents, for `site`.
pub fn decap_config(site: &Site, cms: &CmsConfig, base_path: &str) -> Value {
    let config = &site.config;
    let multilingual = config.is_multilingual();
    let mut conditions = Map::new();
    for lang in config.languages() {
        let mut names: Vec<&str> = site
            .conditions
            .iter()
            .filter(|c| c.lang == lang.code)
            .map(|c| c.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        conditions.insert(lang.code.clone(), json!(names));
    }
    let conditions = Value::Object(conditions);
    let cx = Context {
        conditions: &conditions,
        multilingual,
        i18n: true,
    };
    // Decap edits the languages of a single file side by side only when
    // they are in one file; each section's `_index.<lang>.md` is a file
    // of its own in the list instead.
    let file_cx = Context {
        conditions: &conditions,
        multilingual,
        i18n: false,
    };
    let i18n = || {
        json!({
            "structure": "multiple_files",
            "locales": config.languages().iter().map(|l| l.code.as_str()).collect::<Vec<_>>(),
            "default_locale": config.language,
        })
    };
    let rules = config.required_sections(&config.language);
    let medication_headings: Vec<String> = rules
        .medication
        .iter()
        .filter_map(|r| r.names().next().map(str::to_owned))
        .collect();
    let article_headings: Vec<String> = rules
        .article
        .iter()
        .filter_map(|r| r.names().next().map(str::to_owned))
        .collect();

    let mut collections = Vec::new();
    // The sections of the default language, the home page's last (its
    // pages are the site's odd ones: about, contact).
    let mut sections: Vec<usize> = (0..site.sections.len())
        .filter(|&i| site.sections[i].lang == config.language)
        .collect();
    sections.sort_by_key(|&i| site.sections[i].is_home());
    for &i in &sections {
        let s = &site.sections[i];
        let medication = s.page_kind == Some(PageKind::Medication);
        let (kind, headings, singular) = if medication {
            (Kind::Medication, &medication_headings, "Medication page")
        } else {
            (Kind::Article, &article_headings, "Page")
        };
        let folder = if s.dir.is_empty() {
            "content".to_owned()
        } else {
            format!("content/{}", s.dir)
        };
        let name = if s.is_home() {
            "pages".to_owned()
        } else {
            s.dir.replace('/', "-")
        };
        let label = if s.is_home() {
            "Pages at the top of the site".to_owned()
        } else {
            s.title().to_owned()
        };
        let path_prefix = if s.is_home() {
            String::new()
        } else {
            format!("{}/", s.dir)
        };
        let mut c = json!({
            "name": name,
            "label": label,
            "label_singular": singular,
            "folder": folder,
            "extension": "md",
            "format": "frontmatter",
            "create": true,
            "delete": true,
            "identifier_field": "title",
            "summary": "{{title}}",
            "slug": if medication { "{{fields.generic_name}}" } else { "{{title}}" },
            "preview_path": format!("{path_prefix}{{{{slug}}}}/"),
            "sortable_fields": if medication { json!(["title", "generic_name", "last_reviewed", "next_review"]) } else { json!(["title", "last_reviewed"]) },
            "fields": fields(kind, headings, &cx),
        });
        if multilingual && let Some(m) = c.as_object_mut() {
            m.insert("i18n".into(), json!(true));
        }
        collections.push(c);
    }
    // The sections' own pages (`_index.md`), one file per section and
    // language.
    let mut files = Vec::new();
    for &i in &sections {
        let s = &site.sections[i];
        let (name, label) = if s.is_home() {
            ("home".to_owned(), "Home page".to_owned())
        } else {
            (s.dir.replace('/', "-"), s.title().to_owned())
        };
        for lang in config.languages() {
            let default = lang.code == config.language;
            let rel = if default {
                s.rel.clone()
            } else {
                format!("{}.{}.md", s.rel.trim_end_matches(".md"), lang.code)
            };
            let title = if default {
                label.clone()
            } else {
                let translated = s
                    .translations
                    .iter()
                    .map(|&t| &site.sections[t])
                    .find(|t| t.lang == lang.code && t.has_file)
                    .map_or(label.as_str(), |t| t.title());
                format!("{translated} ({})", lang.name)
            };
            files.push(json!({
                "name": if default { name.clone() } else { format!("{name}-{}", lang.code) },
                "label": title,
                "file": format!("content/{rel}"),
                "fields": fields(Kind::Section, &[], &file_cx),
            }));
        }
    }
    let sections_collection = json!({
        "name": "sections",
        "label": "Sections",
        "label_singular": "Section",
        "format": "frontmatter",
        "extension": "md",
        "files": files,
    });
    collections.push(sections_collection);

    let mut backend = json!({
        "name": cms.backend.backend(),
        "repo": cms.repo,
        "branch": cms.branch,
        "commit_messages": {
            "create": "Create {{collection}} “{{slug}}”",
            "update": "Update {{collection}} “{{slug}}”",
            "delete": "Delete {{collection}} “{{slug}}”",
            "uploadMedia": "Upload “{{path}}”",
            "deleteMedia": "Delete “{{path}}”",
        },
    });
    if let Some(m) = backend.as_object_mut() {
        let auth_type = cms.auth_type.map(|a| match a {
            crate::config::cms::AuthType::Pkce => "pkce",
            crate::config::cms::AuthType::Implicit => "implicit",
        });
        for (key, value) in [
            ("api_root", cms.api_root.as_deref()),
            ("app_id", cms.app_id.as_deref()),
            ("auth_type", auth_type),
            ("base_url", cms.auth_base_url.as_deref()),
            ("auth_endpoint", cms.auth_endpoint.as_deref()),
        ] {
            if let Some(v) = value {
                m.insert(key.into(), json!(v));
            }
        }
    }
    let mut top = json!({
        "backend": backend,
        "local_backend": true,
        "site_url": config.base_url,
        "display_url": config.base_url,
        "media_folder": cms.media_folder(),
        "public_folder": format!("{base_path}{}", cms.media_public().trim_end_matches('/')),
        "locale": "en",
        "slug": {"encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-"},
        "collections": collections,
    });
    if let Some(m) = top.as_object_mut() {
        if cms.editorial_workflow {
            m.insert("publish_mode".into(), json!("editorial_workflow"));
        }
        if multilingual {
            m.insert("i18n".into(), i18n());
        }
    }
    top
}
