//! `medsite schema`: JSON Schemas (draft 2020-12) of the front matter of a
//! medication page, an article and a section, generated from the same
//! types the build reads front matter into ([`PageFront`],
//! [`SectionFront`]), with the fields each kind requires. An editor's YAML
//! language server uses them for completion and checking as they type.
//!
//! Not for checking files (the build does, with the same rules and better
//! messages); a schema cannot say everything the build checks (that a
//! date exists, that a `related` page is there).

use crate::content::front_matter::{PageFront, SectionFront};
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

/// The kinds of front matter with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Medication,
    Article,
    Section,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Medication, Kind::Article, Kind::Section];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Medication => "medication",
            Kind::Article => "article",
            Kind::Section => "section",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Fields only a medication page may have.
const MEDICATION_ONLY: &[&str] = &[
    "generic_name",
    "brand_names",
    "atc_code",
    "drug_class",
    "forms",
];

/// The schema of one kind of front matter.
pub fn schema(kind: Kind) -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let root = match kind {
        Kind::Section => generator.into_root_schema_for::<SectionFront>(),
        _ => generator.into_root_schema_for::<PageFront>(),
    };
    let mut v = root.to_value();
    let (title, description, required): (&str, &str, &[&str]) = match kind {
        Kind::Medication => (
            "medsite medication page",
            "Front matter of a page about one medicine (a `.md` file in a section of medicines).",
            &["title", "generic_name", "last_reviewed", "next_review"],
        ),
        Kind::Article => (
            "medsite article",
            "Front matter of a page of general information (not about one medicine).",
            &["title"],
        ),
        Kind::Section => (
            "medsite section",
            "Front matter of a section's `_index.md` (or the home page's).",
            &[],
        ),
    };
    if let Some(map) = v.as_object_mut() {
        map.insert("title".into(), json!(title));
        map.insert("description".into(), json!(description));
        map.insert("required".into(), json!(required));
        if kind == Kind::Article
            && let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut)
        {
            for key in MEDICATION_ONLY {
                props.insert((*key).to_owned(), Value::Bool(false));
            }
            props.insert(
                "kind".into(),
                json!({"const": "article", "description": "This page is an article."}),
            );
        }
        if kind == Kind::Medication
            && let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut)
        {
            props.insert(
                "kind".into(),
                json!({"const": "medication", "description": "This page is about one medicine."}),
            );
        }
    }
    v
}

/// Every kind's schema in one document: `$defs` with `medication`,
/// `article` and `section`, and `anyOf` the three.
pub fn all() -> Value {
    let mut defs = serde_json::Map::new();
    for k in Kind::ALL {
        let mut s = schema(k);
        if let Some(m) = s.as_object_mut() {
            m.remove("$schema");
        }
        defs.insert(k.name().to_owned(), s);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "medsite front matter",
        "description": "Front matter of a medsite content file: a medication page, an article or a section.",
        "$defs": defs,
        "anyOf": Kind::ALL.iter().map(|k| json!({"$ref": format!("#/$defs/{}", k.name())})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_required_fields_and_descriptions() {
        let m = schema(Kind::Medication);
        assert_eq!(m["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(
            m["required"],
            json!(["title", "generic_name", "last_reviewed", "next_review"])
        );
        assert_eq!(m["additionalProperties"], false);
        let atc = m["properties"]["atc_code"].to_string();
        assert!(atc.contains("pattern"), "{atc}");
        assert!(
            m["properties"]["last_reviewed"]
                .to_string()
                .contains("\"format\":\"date\"")
        );
        assert!(m["properties"]["generic_name"]["description"].is_string());
        let a = schema(Kind::Article);
        assert_eq!(a["properties"]["generic_name"], false);
        let s = schema(Kind::Section);
        assert!(s["properties"].get("sort_by").is_some());
        assert!(s["properties"].get("generic_name").is_none());
    }
}
