//! The files of a site made by `medsite init`: `site.toml`, `.gitignore`,
//! the home page, the medication section, the about page and one example
//! medication page (the example site's reviewed methotrexate page, made to
//! stand alone).
//!
//! Text only: checking and writing the folder is `init.rs`; the text of a
//! page made by `medsite new` is `page_text.rs`.

use super::{toml_str, yaml_str};

pub(super) const GITIGNORE: &str =
    "# The built site and the staging folder medsite builds it in.\nsite/\n.site.staging-*\n";

pub(super) fn site_toml(title: &str) -> String {
    format!(
        r#"# Settings of this site. Every field is described in medsite's docs/editors.md ("site.toml").
title = {title}
# The address the site will be published at, e.g. "https://example.org/medicines/".
base_url = "/"
# The language of the pages (en, nb, sv, ...).
language = "en"
description = "Plain-language information for patients about medicines."
# Who publishes the site, shown in the footer, e.g. "Example Rheumatology Department".
# publisher = ""

# How many months after a review the next one is due: `medsite new` sets a
# new page's next_review this far after today.
review_interval_months = 12

[feedback]
# Where the rating widget and the visit counter send their requests.
endpoint = "/api/feedback"

# The web editor at /admin/: remove the # signs to turn it on. With
# `medsite serve` it saves straight into content/ (open
# http://127.0.0.1:1111/admin/); the published site saves through the git
# host. See docs/editors.md ("Editing in the browser").
# [cms]
# backend = "github"            # github, gitlab, gitea or forgejo
# repo = "your-team/medicines"
# branch = "main"
"#,
        title = toml_str(title)
    )
}

pub(super) fn home_text(title: &str) -> String {
    format!(
        "---\ntitle: {}\nsummary: {}\n---\n\n{}",
        yaml_str(title),
        yaml_str(
            "Plain-language information for patients about medicines: what they are used for, how they are taken, their side effects and the check-ups they need."
        ),
        "This site explains medicines in plain language. Each page says what the medicine is used for, what to know before you start, how it is taken, its side effects and which check-ups you need.

The pages do not replace the advice of your doctor, nurse or pharmacist. Always follow their advice and read the package leaflet that comes with your medicine. You can read more in [About this site](about.md).

Start with the list of [medications](medications/_index.md).
"
    )
}

pub(super) const MEDICATIONS_INDEX: &str = "---
title: Medications
summary: Patient information about medicines, one page per medicine.
page_kind: medication
sort_by: title
---

Each page describes one medicine: what it does, what to know before you start, how it is taken, its side effects and the check-ups you need. Always follow the advice of your doctor, nurse or pharmacist and the package leaflet.
";

pub(super) const ABOUT: &str = "---
title: About this site
summary: How the pages of this site are written and reviewed, and what the rating widget stores.
---

_Editors: replace this paragraph with who publishes this site, who writes and reviews its pages, and how readers can contact you. The methotrexate page is example content that comes with medsite: have it reviewed by your own team, or delete it, before you publish the site._

## Not medical advice

The information here cannot replace a talk with the people who treat you. Always follow the advice of your doctor, nurse or pharmacist, and read the package leaflet that comes with your medicine. If you think you have a side effect, or you are not sure how to take a medicine, ask them.

## How the pages are written

Each medicine page is written from the public product information for that medicine:

- the summary of product characteristics (SmPC), the official description of a medicine for health professionals;
- the package leaflet, the official information for patients.

Every page lists its sources at the bottom. The pages use short sentences and common words, and explain medical terms in brackets. They only give doses that appear in the product information. Your own dose may be different, and your doctor decides it.

All medicine pages follow the same order: what the medicine is and what it is used for, what to know before starting treatment, pregnancy and breast-feeding, dosage, side effects, and checks and follow-up. See the [list of medications](medications/_index.md).

## Review dates

Each page shows when it was last reviewed, who reviewed it, and when the next review is due. If a page is past its review date, the information may be out of date.

## Rating a page and the visit counter

At the bottom of each page you can rate how useful the page was and, if you wish, leave a short comment. The site stores only:

- which page was rated,
- the day,
- the rating (1 to 5),
- your comment, if you wrote one.

The site does not store your IP address, does not set cookies and does not store any other personal data. Please do not write your name, health details or other personal information in the comment box.

The visit counter on each page counts visits per page per day. It does not record who visited.
";

/// The example site's reviewed methotrexate page, made to stand alone: its
/// `related` pages and links to other medicines' pages do not exist in a new
/// site, so `related` is dropped and such links become plain text.
pub(super) fn example_medication() -> String {
    const SOURCE: &str = include_str!("../../content/medications/methotrexate.md");
    let mut out = String::with_capacity(SOURCE.len());
    let mut in_front = false;
    let mut skipping = false;
    let mut delimiters = 0;
    for line in SOURCE.split_inclusive('\n') {
        if line.trim_end() == "---" && delimiters < 2 {
            delimiters += 1;
            in_front = delimiters == 1;
            skipping = false;
            out.push_str(line);
            continue;
        }
        if in_front {
            if line.starts_with("related:") {
                skipping = true;
                continue;
            }
            if skipping && (line.starts_with(' ') || line.starts_with('-')) {
                continue;
            }
            skipping = false;
            out.push_str(line);
        } else {
            out.push_str(&unlink_pages(line));
        }
    }
    out
}

/// `[text](other.md)` → `text`, for links to content files; other links
/// (web addresses, headings of the same page, footnotes) stay.
fn unlink_pages(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| {
            let target_start = close + 2;
            let end = after[target_start..].find(')')?;
            let target = &after[target_start..target_start + end];
            let path = target.split('#').next().unwrap_or(target);
            let internal = path.ends_with(".md") && !target.contains("://");
            let text = &after[..close];
            (internal && !text.contains('[')).then(|| (text, target_start + end + 1))
        });
        match link {
            Some((text, consumed)) => {
                out.push_str(&rest[..open]);
                out.push_str(text);
                rest = &after[consumed..];
            }
            None => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlinking() {
        assert_eq!(
            unlink_pages("with [sulfasalazine](sulfasalazine.md) or [a](../about.md#x).\n"),
            "with sulfasalazine or a.\n"
        );
        let kept = "see [NHS](https://www.nhs.uk/) and [^weekly] and [x][y]";
        assert_eq!(unlink_pages(kept), kept);
    }

    #[test]
    fn example_medication_stands_alone() {
        let t = example_medication();
        assert!(!t.contains("related:"));
        assert!(!t.contains(".md)"));
        assert!(t.contains("7.5 mg **once a week**"));
    }
}
