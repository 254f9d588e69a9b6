//! The text of a new page: front matter filled in as far as medsite can,
//! the standard headings, and a hint under each saying what belongs there.
//!
//! Every placeholder is plain text an editor replaces (`_Write here: …_`),
//! never a value that would fail a check (an unknown ATC code is a
//! commented-out line). This file only makes text; where the page goes and
//! the refusals are in `new_page.rs`.

use super::yaml_str;
use jiff::civil::Date;

/// The standard parts of a medication page, each with what belongs there.
const MEDICATION_SECTIONS: &[(&str, &str)] = &[
    (
        "What it is and what it is used for",
        "what the medicine is, how it works and which conditions it is used for.",
    ),
    (
        "Before starting treatment",
        "when the medicine must not be used, what to tell the doctor first (other illnesses, infections, other medicines), and advice on vaccines and alcohol.",
    ),
    (
        "Pregnancy and breast-feeding",
        "what the product information says about pregnancy, breast-feeding and contraception, for women and for men.",
    ),
    (
        "Dosage",
        "how and how often the medicine is taken, with doses only as the product information gives them; say that the doctor decides the dose, and what to do after a missed dose or too much.",
    ),
    (
        "Side effects",
        "the common side effects, and the signs that need a doctor at once.",
    ),
    (
        "Checks and follow-up",
        "the tests before and during treatment, how often they are done, and who follows the patient up.",
    ),
];

/// A new medication page: front matter (with `kind: medication` when its
/// folder holds articles) and the standard headings, each with a hint.
pub(super) fn medication_text(title: &str, today: Date, next: Date, needs_kind: bool) -> String {
    let mut t = String::from("---\n");
    t.push_str(&format!("title: {}\n", yaml_str(title)));
    if needs_kind {
        t.push_str("kind: medication\n");
    }
    t.push_str(&format!(
        "# The active substance (international non-proprietary name).\ngeneric_name: {}\n",
        yaml_str(&title.to_lowercase())
    ));
    t.push_str("# Brand names, e.g. [Ilaris] or [Humira, Amgevita].\nbrand_names: []\n");
    t.push_str(
        "# The WHO ATC code: remove the \"# \" at the start of the next line and write this medicine's code.\n# atc_code: L04AC08\n",
    );
    t.push_str("# drug_class: Interleukin-1 inhibitor\n");
    t.push_str("# forms: [\"Tablets\", \"Solution for injection, pre-filled pen\"]\n");
    t.push_str(
        "# The conditions it is used for, spelled the same way on every page, e.g. [Gout, Rheumatoid arthritis].\nconditions: []\n",
    );
    t.push_str(&format!(
        "summary: {}\n",
        yaml_str(
            "Replace this with one or two plain sentences: what the medicine is and what it is used for."
        )
    ));
    t.push_str(&format!("last_reviewed: {today}\nnext_review: {next}\n"));
    t.push_str("# Who reviewed the page (a person or a department).\nreviewed_by: \"\"\n");
    t.push_str(
        "# One entry per source; each has a title, and optionally url, publisher and accessed (a date).\nsources:\n",
    );
    t.push_str(&format!(
        "  - title: {}\n    url: https://www.ema.europa.eu/en/medicines\n",
        yaml_str(&format!(
            "Replace with the title of the source you used, e.g. {title}, summary of product characteristics (EMA)"
        ))
    ));
    t.push_str("---\n");
    for (heading, hint) in MEDICATION_SECTIONS {
        t.push_str(&format!("\n## {heading}\n\n_Write here: {hint}_\n"));
    }
    t
}

/// A new article: front matter (with `kind: article` when its folder holds
/// medication pages), an introduction and two headings to rename.
pub(super) fn article_text(title: &str, today: Date, next: Date, needs_kind: bool) -> String {
    let mut t = String::from("---\n");
    t.push_str(&format!("title: {}\n", yaml_str(title)));
    if needs_kind {
        t.push_str("kind: article\n");
    }
    t.push_str(&format!(
        "summary: {}\n",
        yaml_str("Replace this with one or two plain sentences that say what this page is about.")
    ));
    t.push_str(&format!("last_reviewed: {today}\nnext_review: {next}\n"));
    t.push_str("# Who reviewed the page (a person or a department).\nreviewed_by: \"\"\n");
    t.push_str(
        "# One entry per source, e.g.\n#   - title: Gout, NHS\n#     url: https://www.nhs.uk/conditions/gout/\nsources: []\n",
    );
    t.push_str("---\n\n");
    t.push_str(
        "_Write here: a short introduction that says what this page is about and who it is for._\n",
    );
    t.push_str("\n## First heading\n\n_Write here: the first part of the page, in short sentences and common words; explain medical terms in brackets. Replace the heading above with a few words that say what this part is about._\n");
    t.push_str("\n## Next heading\n\n_Write here: the next part. Give each part of the page a `##` heading; the title is the page's only `#` heading._\n");
    t
}
