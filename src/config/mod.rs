//! `site.toml` → [`Config`]: the site's title, address, languages
//! ([`languages`]), feedback endpoint, Markdown options and check settings
//! ([`checks`]), the size of listings ([`listings`]), the web editor
//! ([`cms`]), with defaults and
//! validation. A leaf: it reads only `site.toml` and knows no
//! other step of the build.

pub mod checks;
pub mod cms;
pub mod languages;
pub mod listings;

pub use checks::ChecksConfig;
pub use cms::CmsConfig;
pub use languages::{Language, LanguageConfig};
pub use listings::ListingsConfig;

use crate::diagnostics::{Diagnostic, did_you_mean, expected_fields, line_col, unknown_field};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The settings of one site, read from `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in the header and in every page title.
    pub title: String,
    /// Where the site will be published, e.g. `https://example.org/` or
    /// `https://example.org/medicines/` (a sub-path works too).
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The default language of the pages, as a BCP 47 tag (`en`, `nb`,
    /// `sv`, ...): its pages are at the top of the site.
    #[serde(default = "default_language")]
    pub language: String,
    /// `[languages.<code>]`: the other languages (and, optionally, settings
    /// of the default one). Pages in language `nb` are `name.nb.md` files
    /// and live under `/nb/`.
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Every language resolved, the default first (made by validation).
    #[serde(skip)]
    resolved: Vec<Language>,
    /// One sentence about the site, for search engines and the home page.
    #[serde(default)]
    pub description: String,
    /// Who publishes the site (shown in the footer and in JSON-LD).
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub feedback: FeedbackConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// `[feed]`: each language's Atom feed of recently reviewed pages.
    #[serde(default)]
    pub feed: FeedConfig,
    /// The main navigation; when empty, it lists the top-level sections,
    /// the conditions page and the pages at the top of `content/`.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// How many months after a review the next one is due; `medsite new`
    /// sets a new page's `next_review` this far after its `last_reviewed`.
    #[serde(default = "default_review_interval_months")]
    pub review_interval_months: u32,
    /// `[checks]`: settings of the health-content checks (`medsite check`).
    #[serde(default)]
    pub checks: ChecksConfig,
    /// `[listings]`: entries per part of a long listing, recently reviewed
    /// pages on the home page.
    #[serde(default)]
    pub listings: ListingsConfig,
    /// `[cms]`: the web editor at `/admin/`; absent, there is none.
    #[serde(default)]
    pub cms: Option<CmsConfig>,
    /// Free-form values for templates (`config.extra`).
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `[feedback]`: where the rating widget and the visit counter send their requests.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackConfig {
    /// A path on the same host (`/api/feedback`) or a full URL.
    #[serde(default = "default_endpoint")]
    pub endpoint: String,
    /// `false` leaves the widget and the counter out of every page.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for FeedbackConfig {
    fn default() -> Self {
        FeedbackConfig {
            endpoint: default_endpoint(),
            enabled: true,
        }
    }
}

/// `[markdown]`: how page bodies are turned into HTML.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Keep raw HTML in Markdown as written. Off by default: raw HTML is
    /// sanitized (no scripts, event handlers or `javascript:` URLs).
    #[serde(default)]
    pub allow_unsafe_html: bool,
}

/// `[feed]`: each language's Atom feed (`/atom.xml`, `/nb/atom.xml`) of
/// the pages most recently reviewed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// How many pages each feed lists, the latest review first; `0` writes
    /// no feed and leaves its link out of the pages.
    #[serde(default = "default_feed_entries")]
    pub entries: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            entries: default_feed_entries(),
        }
    }
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub title: String,
    /// A content file (`medications/_index.md`, `about.md`), a site path
    /// (`/conditions/`) or a full URL.
    pub link: String,
}

fn default_base_url() -> String {
    "/".to_owned()
}
fn default_language() -> String {
    "en".to_owned()
}
fn default_endpoint() -> String {
    "/api/feedback".to_owned()
}
fn default_feed_entries() -> usize {
    50
}
fn default_review_interval_months() -> u32 {
    12
}
fn yes() -> bool {
    true
}

impl Config {
    /// Reads `site.toml` in `root`. A missing file is an error that says how
    /// to make one.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("site.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                return Err(vec![
                    Diagnostic::error("site.toml", format!("cannot read site.toml: {e}"))
                        .with_help(
                            "run medsite in a site folder, or create one with `medsite init DIR`",
                        ),
                ]);
            }
        };
        Config::parse(&text)
    }

    /// Parses the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error("site.toml", clean_toml_message(e.message()));
            if let Some(span) = e.span() {
                let (l, c) = line_col(text, span.start);
                d = d.at(text, l, c);
            }
            if let Some(field) = unknown_field(e.message()) {
                let help = match did_you_mean(field, &expected_fields(e.message())) {
                    Some(s) => format!("did you mean `{s}`? Free-form values go under [extra]"),
                    None => "free-form values go under [extra]".to_owned(),
                };
                d = d.with_help(help);
            }
            vec![d]
        })?;
        config.validate(text)?;
        Ok(config)
    }

    fn validate(&mut self, text: &str) -> Result<(), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let at = |key: &str, d: Diagnostic| match value_offset(text, key) {
            Some(offset) => d.at_offset(text, offset),
            None => d,
        };
        self.base_url = normalize_base_url(&self.base_url);
        let is_url = url::Url::parse(&self.base_url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
        if !(self.base_url.starts_with('/') || is_url) {
            errors.push(at(
                "base_url",
                Diagnostic::error("site.toml", format!("base_url `{}` is not a URL", self.base_url))
                    .with_help("write a full address such as \"https://example.org/\", or a path such as \"/\""),
            ));
        }
        if self.title.trim().is_empty() {
            errors.push(at(
                "title",
                Diagnostic::error("site.toml", "the site's title is empty")
                    .with_help("give the site a name, e.g. title = \"Rheumatology medicines\""),
            ));
        }
        if self.feedback.endpoint.trim().is_empty() {
            errors.push(at(
                "feedback.endpoint",
                Diagnostic::error("site.toml", "[feedback] endpoint is empty").with_help(
                    "use \"/api/feedback\", or set enabled = false to leave the widgets out",
                ),
            ));
        }
        let external = &self.checks.external;
        for (key, value) in [
            ("checks.external.timeout_secs", external.timeout_secs),
            (
                "checks.external.retry_delay_secs",
                external.retry_delay_secs,
            ),
            ("checks.external.cache_hours", external.cache_hours),
            (
                "checks.readability.min_flesch",
                self.checks.readability.min_flesch,
            ),
            (
                "checks.readability.max_lix",
                self.checks.readability.max_lix,
            ),
        ] {
            if !value.is_finite() || (key.starts_with("checks.external") && value < 0.0) {
                errors.push(at(
                    key,
                    Diagnostic::error(
                        "site.toml",
                        format!("{key} is {value}, which is not a usable number"),
                    )
                    .with_help("write a number of zero or more, e.g. 10"),
                ));
            }
        }
        for (key, d) in self.listings.problems() {
            errors.push(at(key, d));
        }
        if let Some(cms) = &self.cms {
            for (key, d) in cms.problems() {
                errors.push(at(key, d));
            }
        }
        self.feedback.endpoint = self.feedback.endpoint.trim_end_matches('/').to_owned();
        errors.extend(self.resolve_languages(text));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Checks the language codes and resolves every language's settings.
    fn resolve_languages(&mut self, text: &str) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let bad_code = |code: &str, key: &str| {
            let d = Diagnostic::error(
                "site.toml",
                format!("`{code}` is not a language code"),
            )
            .with_help("use a BCP 47 language code in lower case, e.g. \"en\", \"nb\", \"ar\" or \"pt-br\"");
            match value_offset(text, key).or_else(|| key_offset(text, code)) {
                Some(offset) => d.at_offset(text, offset),
                None => d,
            }
        };
        self.language = self.language.trim().to_owned();
        if !languages::looks_like_code(&self.language) {
            errors.push(bad_code(&self.language, "language"));
        }
        for (code, settings) in &self.languages {
            if !languages::looks_like_code(code) {
                errors.push(bad_code(code, &format!("languages.{code}")));
            }
            if let Some(word) = &settings.conditions_path
                && crate::slug::slugify(word) != word.trim().trim_matches('/')
            {
                let d = Diagnostic::error(
                    "site.toml",
                    format!("conditions_path `{word}` of language `{code}` is not one URL word"),
                )
                .with_help(format!(
                    "write one word in lower case with hyphens, e.g. \"{}\"",
                    crate::slug::slugify(word)
                ));
                errors.push(
                    match value_offset(text, &format!("languages.{code}.conditions_path")) {
                        Some(offset) => d.at_offset(text, offset),
                        None => d,
                    },
                );
            }
        }
        let default = languages::resolve(
            &self.language,
            true,
            self.languages.get(&self.language),
            &self.title,
            &self.description,
        );
        let mut resolved = vec![default];
        for (code, settings) in &self.languages {
            if *code != self.language {
                resolved.push(languages::resolve(
                    code,
                    false,
                    Some(settings),
                    &self.title,
                    &self.description,
                ));
            }
        }
        self.resolved = resolved;
        errors
    }

    /// Every language of the site, the default first.
    pub fn languages(&self) -> &[Language] {
        if self.resolved.is_empty() {
            // A `Config` made without `parse` (tests): one language.
            return std::slice::from_ref(self.fallback_language());
        }
        &self.resolved
    }

    fn fallback_language(&self) -> &'static Language {
        static EN: std::sync::OnceLock<Language> = std::sync::OnceLock::new();
        EN.get_or_init(|| languages::resolve("en", true, None, "", ""))
    }

    /// The default language.
    pub fn default_language(&self) -> &Language {
        &self.languages()[0]
    }

    /// The settings of language `code`, if the site has it.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages().iter().find(|l| l.code == code)
    }

    /// The place of language `code` in the site's order (the default is 0);
    /// a language the site does not have comes last.
    pub fn language_rank(&self, code: &str) -> usize {
        self.languages()
            .iter()
            .position(|l| l.code == code)
            .unwrap_or(usize::MAX)
    }

    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages().len() > 1
    }

    /// The language a site path belongs to: `/nb/…` is Norwegian when the
    /// site has `nb`; anything else is in the default language.
    pub fn language_of_path(&self, path: &str) -> &Language {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        self.languages()
            .iter()
            .skip(1)
            .find(|l| l.code == first)
            .unwrap_or(self.default_language())
    }

    /// The main navigation items written for language `code` (empty: made
    /// from that language's sections).
    pub fn menu_for(&self, code: &str) -> &[MenuItem] {
        if code == self.language && self.languages.get(code).is_none_or(|l| l.menu.is_empty()) {
            return &self.menu;
        }
        self.languages
            .get(code)
            .map(|l| l.menu.as_slice())
            .unwrap_or_default()
    }

    /// The required sections of language `code`.
    pub fn required_sections(&self, code: &str) -> checks::SectionRules {
        match self
            .languages
            .get(code)
            .and_then(|l| l.required_sections.as_ref())
        {
            Some(r) if code != self.language => r.resolve(code),
            Some(r) => {
                // The default language may be set in either place; [languages] wins.
                let base = &self.checks.required_sections;
                checks::RequiredSections {
                    medication: r.medication.clone().or_else(|| base.medication.clone()),
                    article: r.article.clone().or_else(|| base.article.clone()),
                }
                .resolve(code)
            }
            None if code == self.language => self.checks.required_sections.resolve(code),
            None => checks::RequiredSections::default().resolve(code),
        }
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    /// Replaces the base URL (the `--base-url` option).
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = normalize_base_url(url);
    }
}

fn normalize_base_url(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

/// `https://example.org/a/b/` → `/a/b/`; `/docs/` → `/docs/`.
pub fn base_path_of(base_url: &str) -> String {
    let path = match url::Url::parse(base_url) {
        Ok(u) if u.has_host() => u.path().to_owned(),
        _ => base_url.to_owned(),
    };
    let mut p = path;
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

fn clean_toml_message(message: &str) -> String {
    message.trim().to_owned()
}

/// Byte offset of a table header key such as `[languages.xx]`'s `xx`.
fn key_offset(text: &str, key: &str) -> Option<usize> {
    text.find(&format!(".{key}]")).map(|o| o + 1)
}

/// Byte offset of the value of `key` (dotted for tables: `feedback.endpoint`)
/// in `site.toml`, from toml's own spans.
pub fn value_offset(text: &str, key: &str) -> Option<usize> {
    let table = toml::de::DeTable::parse(text).ok()?;
    let mut current = table.get_ref();
    let mut parts = key.split('.').peekable();
    while let Some(part) = parts.next() {
        let value = current.get(part)?;
        if parts.peek().is_none() {
            return Some(value.span().start);
        }
        current = value.get_ref().as_table()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_base_path() {
        let c = Config::parse("title = \"T\"\nbase_url = \"https://example.org/meds\"\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/meds/");
        assert_eq!(c.base_path(), "/meds/");
        assert_eq!(c.feedback.endpoint, "/api/feedback");
        assert!(c.feedback.enabled);
        assert_eq!(c.language, "en");
        assert_eq!(c.feed.entries, 50);
        let c = Config::parse("title = \"T\"\n[feed]\nentries = 0\n").unwrap();
        assert_eq!(c.feed.entries, 0);
    }

    #[test]
    fn unknown_key_suggests() {
        let errs = Config::parse("title = \"T\"\nlanguag = \"en\"\n").unwrap_err();
        assert_eq!(errs[0].line, 2);
        assert!(
            errs[0].help.as_deref().unwrap().contains("`language`"),
            "{:?}",
            errs[0]
        );
    }

    #[test]
    fn bad_endpoint_points_at_its_value() {
        let errs = Config::parse("title = \"T\"\n\n[feedback]\nendpoint = \" \"\n").unwrap_err();
        assert!(errs[0].message.contains("endpoint"));
        assert_eq!((errs[0].line, errs[0].column), (4, 12), "{}", errs[0]);
    }

    #[test]
    fn numbers_that_are_not_numbers_are_refused() {
        let errs =
            Config::parse("title = \"T\"\n[checks.external]\ntimeout_secs = nan\n").unwrap_err();
        assert!(errs[0].message.contains("timeout_secs"), "{}", errs[0]);
        assert_eq!(errs[0].line, 3);
        let errs =
            Config::parse("title = \"T\"\n[checks.external]\nretry_delay_secs = -1\n").unwrap_err();
        assert!(errs[0].message.contains("retry_delay_secs"), "{}", errs[0]);
    }

    #[test]
    fn languages_resolve_default_first() {
        let c = Config::parse(
            "title = \"T\"\nlanguage = \"en\"\n[languages.nb]\ntitle = \"Legemidler\"\nconditions_path = \"tilstander\"\n[languages.ar]\n",
        )
        .unwrap();
        let codes: Vec<&str> = c.languages().iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "ar", "nb"]);
        let nb = c.language("nb").unwrap();
        assert_eq!(nb.title, "Legemidler");
        assert_eq!(nb.conditions_path(), "/nb/tilstander/");
        assert!(c.language("ar").unwrap().rtl);
        assert_eq!(c.language_of_path("/nb/medications/x/").code, "nb");
        assert_eq!(c.language_of_path("/nbx/").code, "en");
        assert_eq!(c.required_sections("nb").medication[4].0[0], "Bivirkninger");
    }

    #[test]
    fn bad_language_codes_are_pointed_at() {
        let errs = Config::parse("title = \"T\"\n[languages.Norsk]\ntitle = \"x\"\n").unwrap_err();
        assert!(
            errs[0].message.contains("`Norsk` is not a language code"),
            "{}",
            errs[0]
        );
        assert_eq!(errs[0].line, 2);
        let errs = Config::parse("title = \"T\"\n[languages.nb]\nconditions_path = \"a/b\"\n")
            .unwrap_err();
        assert!(errs[0].message.contains("conditions_path"), "{}", errs[0]);
        assert_eq!(errs[0].line, 3);
    }

    #[test]
    fn bad_base_url() {
        let errs = Config::parse("title = \"T\"\nbase_url = \"example.org\"\n").unwrap_err();
        assert!(errs[0].message.contains("not a URL"));
        assert_eq!(errs[0].line, 2);
    }
}
