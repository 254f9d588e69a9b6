//! `medsite schema` against a real JSON Schema validator (`jsonschema`):
//! every page of the example site passes the schema of its kind, and an
//! unknown key, a wrong ATC code and a missing required field fail.

use medsite::schema::{self, Kind};
use serde_json::Value;
use std::path::Path;

fn validator(kind: Kind) -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema::schema(kind)).unwrap_or_else(|e| panic!("{e}"))
}

/// The YAML front matter of a content file, as JSON.
fn front(text: &str) -> Value {
    let rest = text.strip_prefix("---\n").expect("YAML front matter");
    let end = rest.find("\n---").expect("end of front matter");
    serde_saphyr::from_str::<Value>(&rest[..end]).unwrap_or_else(|e| panic!("{e}"))
}

fn kind_of(path: &Path, front: &Value) -> Kind {
    let name = path.file_name().unwrap().to_string_lossy();
    if name.starts_with("_index") {
        Kind::Section
    } else if front.get("generic_name").is_some() {
        Kind::Medication
    } else {
        Kind::Article
    }
}

#[test]
fn every_example_page_passes_the_schema_of_its_kind() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut checked = [0usize; 3];
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let v = front(&text);
        let kind = kind_of(entry.path(), &v);
        let errors: Vec<String> = validator(kind)
            .iter_errors(&v)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", entry.path().display());
        checked[Kind::ALL.iter().position(|k| *k == kind).unwrap()] += 1;
    }
    assert!(
        checked.iter().all(|&n| n > 0),
        "each kind was checked: {checked:?}"
    );
}

const ILARIS: &str = "---\ntitle: Ilaris (canakinumab)\ngeneric_name: canakinumab\nbrand_names: [Ilaris]\natc_code: L04AC08\nlast_reviewed: 2026-12-01\nnext_review: 2027-12-01\nsources:\n  - title: Ilaris, EPAR (EMA)\n    url: https://www.ema.europa.eu/en/medicines/human/EPAR/ilaris\n---\n";

#[test]
fn an_unknown_key_a_wrong_atc_code_and_a_missing_field_fail() {
    let medication = validator(Kind::Medication);
    let good = front(ILARIS);
    assert!(medication.is_valid(&good));

    let unknown = front(&ILARIS.replace("brand_names:", "brand_name:"));
    assert!(!medication.is_valid(&unknown), "an unknown key");

    for bad in ["L4AC08", "l04ac08", "L04AC8", "L04AC083"] {
        let v = front(&ILARIS.replace("L04AC08", bad));
        assert!(!medication.is_valid(&v), "ATC code {bad}");
    }
    for fine in ["L", "L04", "L04A", "L04AC"] {
        let v = front(&ILARIS.replace("L04AC08", fine));
        assert!(medication.is_valid(&v), "ATC code {fine}");
    }

    let undated = front(&ILARIS.replace("next_review: 2027-12-01\n", ""));
    assert!(!medication.is_valid(&undated), "next_review is required");
    let bad_date = front(&ILARIS.replace("2027-12-01", "1 December 2027"));
    assert!(!medication.is_valid(&bad_date), "a date is YYYY-MM-DD");
    let source = front(&ILARIS.replace("    url:", "    link:"));
    assert!(!medication.is_valid(&source), "a source's unknown key");

    // An article may not carry a medicine's fields; a section no page's.
    let article = validator(Kind::Article);
    assert!(article.is_valid(&front("---\ntitle: About\n---\n")));
    assert!(!article.is_valid(&good));
    let section = validator(Kind::Section);
    assert!(section.is_valid(&front("---\ntitle: Medicines\nsort_by: weight\n---\n")));
    assert!(!section.is_valid(&front("---\ntitle: Medicines\ngeneric_name: x\n---\n")));
}

#[test]
fn the_command_prints_each_schema_and_all_three() {
    let bin = env!("CARGO_BIN_EXE_medsite");
    let out = std::process::Command::new(bin)
        .args(["schema", "medication"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, schema::schema(Kind::Medication));
    let all = std::process::Command::new(bin)
        .arg("schema")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&all.stdout).unwrap();
    let validator = jsonschema::draft202012::new(&v).unwrap();
    assert!(validator.is_valid(&front(ILARIS)));
    assert!(!validator.is_valid(&front(&ILARIS.replace("L04AC08", "nope"))));
    let bad = std::process::Command::new(bin)
        .args(["schema", "drug"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("medication, article or section"));
}
