//! JSON-LD for a page: schema.org `MedicalWebPage`, with a `Drug` for
//! medication pages, its review date, reviewer, publisher and citations.
//! Only the data; the template puts it in a `<script>` element.

use crate::content::Page;
use crate::content::front_matter::PageKind;
use crate::content::spanned::text;
use serde_json::{Value, json};

/// The JSON-LD of `p`, escaped for a `<script>` element.
pub fn for_page(p: &Page, permalink: &str, lang: &str, publisher: Option<&str>) -> String {
    let m = &p.meta;
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": p.title(),
        "url": permalink,
        "inLanguage": lang,
    });
    if let Some(s) = text(&m.summary) {
        v["description"] = s.into();
    }
    if let Some(d) = p.dates.last_reviewed {
        v["lastReviewed"] = d.to_string().into();
    }
    if let Some(r) = text(&m.reviewed_by) {
        v["reviewedBy"] = json!({"@type": "Organization", "name": r});
    }
    if let Some(publisher) = publisher {
        v["publisher"] = json!({"@type": "Organization", "name": publisher});
    }
    if p.kind == PageKind::Medication {
        let generic = m.generic_name();
        let mut drug = json!({"@type": "Drug", "name": generic, "nonProprietaryName": generic});
        let brands = m.brand_names();
        if !brands.is_empty() {
            drug["proprietaryName"] = if brands.len() == 1 {
                brands[0].clone().into()
            } else {
                brands.to_vec().into()
            };
        }
        if let Some(code) = text(&m.atc_code) {
            drug["code"] =
                json!({"@type": "MedicalCode", "codeValue": code, "codingSystem": "ATC"});
        }
        if let Some(class) = text(&m.drug_class) {
            drug["drugClass"] = json!({"@type": "DrugClass", "name": class});
        }
        v["about"] = drug;
    }
    let citations: Vec<Value> = m
        .sources
        .iter()
        .flatten()
        .map(|s| {
            let mut c = json!({"@type": "CreativeWork", "name": s.title.value});
            if let Some(u) = &s.url {
                c["url"] = u.as_str().into();
            }
            c
        })
        .collect();
    if !citations.is_empty() {
        v["citation"] = citations.into();
    }
    script_json(&v)
}

/// JSON for a `<script>` element: `<` escaped so `</script>` cannot occur.
fn script_json(v: &Value) -> String {
    v.to_string().replace('<', "\\u003c")
}
