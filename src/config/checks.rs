//! `[checks]` in `site.toml`: the settings of the health-content checks
//! (required sections, review thresholds, readability limits, vague link
//! texts, known abbreviations, external links), each with a default. Only
//! the settings: the checks themselves are in `checks`.

use serde::{Deserialize, Serialize};

fn default_abbreviations() -> Vec<String> {
    ["DNA", "HIV", "AIDS", "UK", "EU", "US", "OK"]
        .map(str::to_owned)
        .to_vec()
}
/// `[checks]` in `site.toml`. Every key has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksConfig {
    /// `[checks.required_sections]`: headings each kind of page must have.
    #[serde(default)]
    pub required_sections: RequiredSections,
    /// `[checks.review]`: thresholds for review dates.
    #[serde(default)]
    pub review: ReviewConfig,
    /// `[checks.readability]`: thresholds for the readability scores.
    #[serde(default)]
    pub readability: ReadabilityConfig,
    /// Link texts that say nothing about where the link goes ("click here").
    /// Compared without case and punctuation with the whole link text.
    #[serde(default = "default_vague_link_texts")]
    pub vague_link_texts: Vec<String>,
    /// Abbreviations in capitals that pages may use without writing them
    /// out (`DNA`, `HIV`); any other is written out on the page that uses it.
    #[serde(default = "default_abbreviations")]
    pub abbreviations: Vec<String>,
    /// `[checks.external]`: how external links are checked (`medsite check --external`).
    #[serde(default)]
    pub external: ExternalConfig,
}

impl Default for ChecksConfig {
    fn default() -> Self {
        ChecksConfig {
            required_sections: RequiredSections::default(),
            review: ReviewConfig::default(),
            readability: ReadabilityConfig::default(),
            vague_link_texts: default_vague_link_texts(),
            abbreviations: default_abbreviations(),
            external: ExternalConfig::default(),
        }
    }
}

/// `[checks.required_sections]` (for the default language) or
/// `[languages.<code>.required_sections]`: for each kind of page, the
/// sections it must have. Each section is a list of accepted headings (the
/// first is the one suggested), or a single heading. A kind left out gets
/// the standard headings medsite knows for the language ([`standard`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredSections {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medication: Option<Vec<SectionRule>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<Vec<SectionRule>>,
}

/// The required sections of one language, resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionRules {
    pub medication: Vec<SectionRule>,
    pub article: Vec<SectionRule>,
}

impl RequiredSections {
    /// These settings for language `lang`, with the standard headings where
    /// a kind is not set.
    pub fn resolve(&self, lang: &str) -> SectionRules {
        SectionRules {
            medication: self.medication.clone().unwrap_or_else(|| standard(lang)),
            article: self.article.clone().unwrap_or_default(),
        }
    }
}

/// One required section: the headings that count as it. Written in
/// `site.toml` as a list (`["Dosage", "Dose"]`) or a single string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRule(pub Vec<String>);

impl SectionRule {
    pub fn new(names: &[&str]) -> Self {
        SectionRule(names.iter().map(|s| (*s).to_owned()).collect())
    }

    /// The accepted headings, without empty ones.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|s| s.trim()).filter(|s| !s.is_empty())
    }
}

impl Serialize for SectionRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SectionRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SectionRule;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a heading, or a list of headings that count as the same section")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SectionRule, E> {
                Ok(SectionRule(vec![v.to_owned()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<SectionRule, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<String>()? {
                    names.push(n);
                }
                Ok(SectionRule(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// The standard sections of a medication page in language `lang`, with
/// their synonyms: English and Norwegian (bokmål) are known; other
/// languages have none until `site.toml` sets them.
pub fn standard(lang: &str) -> Vec<SectionRule> {
    match super::languages::primary(lang) {
        "en" => english_sections(),
        "nb" | "no" => norwegian_sections(),
        _ => Vec::new(),
    }
}

/// The standard sections of a Norwegian medication page (the headings of
/// Norwegian patient information), with their synonyms.
fn norwegian_sections() -> Vec<SectionRule> {
    vec![
        SectionRule::new(&[
            "Hva det er og hva det brukes mot",
            "Hva det brukes mot",
            "Hva er det og hva brukes det mot",
            "Bruksområde",
        ]),
        SectionRule::new(&[
            "Før behandlingen starter",
            "Før du starter behandlingen",
            "Før oppstart av behandling",
            "Før du bruker",
            "Før du bruker legemidlet",
        ]),
        SectionRule::new(&[
            "Graviditet og amming",
            "Graviditet, amming og fertilitet",
            "Fertilitet, graviditet og amming",
        ]),
        SectionRule::new(&[
            "Dosering",
            "Dose",
            "Doser",
            "Slik bruker du det",
            "Hvordan bruke det",
            "Dosering og bruk",
        ]),
        SectionRule::new(&["Bivirkninger", "Mulige bivirkninger"]),
        SectionRule::new(&[
            "Kontroller og oppfølging",
            "Oppfølging",
            "Kontroller",
            "Prøver og oppfølging",
        ]),
    ]
}

/// The standard sections of an English medication page, with their synonyms.
fn english_sections() -> Vec<SectionRule> {
    vec![
        SectionRule::new(&[
            "What it is and what it is used for",
            "What it is used for",
            "What is it used for",
            "What it is",
        ]),
        SectionRule::new(&[
            "Before starting treatment",
            "Before start of treatment",
            "Before you start",
            "Before you start treatment",
            "Before treatment",
            "Before you take it",
            "What you need to know before you take it",
        ]),
        SectionRule::new(&[
            "Pregnancy and breast-feeding",
            "Pregnancy and breastfeeding",
            "Pregnancy and lactation",
            "Pregnancy, breast-feeding and fertility",
            "Fertility, pregnancy and breast-feeding",
        ]),
        SectionRule::new(&[
            "Dosage",
            "Dose",
            "Doses",
            "How to take it",
            "How to use it",
            "How it is given",
            "Dosage and administration",
        ]),
        SectionRule::new(&["Side effects", "Possible side effects", "Adverse effects"]),
        SectionRule::new(&[
            "Checks and follow-up",
            "Monitoring",
            "Follow-up",
            "Checks",
            "Tests and follow-up",
            "Checks and monitoring",
        ]),
    ]
}

fn default_vague_link_texts() -> Vec<String> {
    [
        // English
        "click here",
        "here",
        "read more",
        "link",
        "this link",
        "more",
        "click",
        // Norwegian, Swedish, Danish
        "klikk her",
        "her",
        "les mer",
        "klicka här",
        "här",
        "läs mer",
        "klik her",
        "læs mere",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// `[checks.review]`: when review dates need attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// `next_review` within this many days is a warning (in the past: an error).
    #[serde(default = "default_due_soon_days")]
    pub due_soon_days: i64,
    /// More than this many months from `last_reviewed` to `next_review` is a warning.
    #[serde(default = "default_max_interval_months")]
    pub max_interval_months: i64,
}

fn default_due_soon_days() -> i64 {
    30
}
fn default_max_interval_months() -> i64 {
    36
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            due_soon_days: default_due_soon_days(),
            max_interval_months: default_max_interval_months(),
        }
    }
}

/// `[checks.readability]`: when a page is too hard to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadabilityConfig {
    /// English: warn when the Flesch reading ease is below this (0–100, higher is easier).
    #[serde(default = "default_min_flesch")]
    pub min_flesch: f64,
    /// English: warn when the Flesch–Kincaid grade is above this (off unless set).
    #[serde(default)]
    pub max_grade: Option<f64>,
    /// Norwegian, Swedish, Danish: warn when LIX is above this (lower is easier).
    #[serde(default = "default_max_lix")]
    pub max_lix: f64,
    /// Pages with fewer words are scored but never warned about (the
    /// formulas mean little on very short texts).
    #[serde(default = "default_min_words")]
    pub min_words: usize,
}

fn default_min_flesch() -> f64 {
    50.0
}
fn default_max_lix() -> f64 {
    50.0
}
fn default_min_words() -> usize {
    50
}

impl Default for ReadabilityConfig {
    fn default() -> Self {
        ReadabilityConfig {
            min_flesch: default_min_flesch(),
            max_grade: None,
            max_lix: default_max_lix(),
            min_words: default_min_words(),
        }
    }
}

/// `[checks.external]`: how `medsite check --external` checks links to
/// other sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalConfig {
    /// Seconds before one request gives up.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: f64,
    /// Further attempts after a network error, a timeout, a 5xx or a 429.
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Seconds to wait before the first retry; doubled for each next one.
    #[serde(default = "default_retry_delay_secs")]
    pub retry_delay_secs: f64,
    /// Requests at the same time to one host.
    #[serde(default = "default_per_host")]
    pub per_host: usize,
    /// Requests at the same time in all.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// Results in the cache file younger than this many hours are reused.
    #[serde(default = "default_cache_hours")]
    pub cache_hours: f64,
    /// Links starting with any of these are not checked.
    #[serde(default)]
    pub skip: Vec<String>,
}

fn default_timeout_secs() -> f64 {
    10.0
}
fn default_retries() -> u32 {
    2
}
fn default_retry_delay_secs() -> f64 {
    1.0
}
fn default_per_host() -> usize {
    2
}
fn default_concurrency() -> usize {
    8
}
fn default_cache_hours() -> f64 {
    24.0
}

impl Default for ExternalConfig {
    fn default() -> Self {
        ExternalConfig {
            timeout_secs: default_timeout_secs(),
            retries: default_retries(),
            retry_delay_secs: default_retry_delay_secs(),
            per_host: default_per_host(),
            concurrency: default_concurrency(),
            cache_hours: default_cache_hours(),
            skip: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_and_overrides() {
        let c: ChecksConfig = toml::from_str("").unwrap();
        assert_eq!(c, ChecksConfig::default());
        let en = c.required_sections.resolve("en");
        assert_eq!(en.medication.len(), 6);
        assert!(en.article.is_empty());
        assert_eq!(
            c.required_sections.resolve("nb").medication[0].0[0],
            "Hva det er og hva det brukes mot"
        );
        assert!(c.required_sections.resolve("so").medication.is_empty());
        let c: ChecksConfig = toml::from_str(
            "[required_sections]\narticle = [\"Summary\", [\"Sources\", \"References\"]]\n[readability]\nmin_flesch = 60\n[external]\ntimeout_secs = 2\n",
        )
        .unwrap();
        assert_eq!(c.required_sections.resolve("en").medication.len(), 6);
        assert_eq!(
            c.required_sections.resolve("en").article,
            vec![
                SectionRule::new(&["Summary"]),
                SectionRule::new(&["Sources", "References"])
            ]
        );
        assert_eq!(c.readability.min_flesch, 60.0);
        assert_eq!(c.external.timeout_secs, 2.0);
        assert!(toml::from_str::<ChecksConfig>("[review]\ndue_soon = 3\n").is_err());
        assert!(toml::from_str::<ChecksConfig>("[required_sections]\nrecipe = []\n").is_err());
        // Round trip.
        let text = toml::to_string(&c).unwrap();
        assert_eq!(toml::from_str::<ChecksConfig>(&text).unwrap(), c);
    }
}
