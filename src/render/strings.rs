//! The words of the theme in every language of a site ([`Strings`]): Project
//! Fluent messages with each language's plural rules, from the default
//! theme's `i18n/<code>.ftl` and the site's own `i18n/<code>.ftl` (whose
//! messages replace the theme's). Also dates in words ("1 November 2026",
//! "1. november 2026") and the plural forms the visit counter's script
//! chooses from.
//!
//! Loading checks that every language has every message the theme uses, so
//! a missing word is a build error naming its key, never an English word on
//! a Norwegian page. Not for choosing a page's language (the content model
//! does) or for templates (the `t()` function is registered in `render`).

use crate::config::Config;
use crate::config::languages::primary;
use crate::diagnostics::{Diagnostic, line_col};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use unic_langid::LanguageIdentifier;

/// The default theme's strings: (language code, Fluent source).
pub const BUILTIN_STRINGS: &[(&str, &str)] = &[
    ("en", include_str!("../../i18n/en.ftl")),
    ("nb", include_str!("../../i18n/nb.ftl")),
    ("ar", include_str!("../../i18n/ar.ftl")),
];

/// The theme's words of every language of one site.
pub struct Strings {
    bundles: HashMap<String, FluentBundle<FluentResource>>,
    default: String,
    /// Per language, every message that needs no variable, formatted once
    /// and escaped for HTML: most words of a page are these.
    plain: Vec<(String, HashMap<String, tera::Value>)>,
    /// Per language, the words the Markdown step writes into a page.
    markdown: HashMap<String, crate::markdown::Words>,
    /// Dates already put in words, by language: a site has few distinct
    /// review dates and many pages.
    dates: std::sync::RwLock<HashMap<(String, Date), String>>,
    /// Plural forms already worked out, by (language, key), as templates
    /// receive them.
    forms: std::sync::RwLock<HashMap<(String, String), tera::Value>>,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings")
            .field("languages", &self.bundles.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The built-in strings of a language: its own, or its primary subtag's.
fn builtin(code: &str) -> Option<&'static str> {
    let p = primary(code);
    let p = if p == "no" { "nb" } else { p };
    BUILTIN_STRINGS
        .iter()
        .find(|(c, _)| *c == code)
        .or_else(|| BUILTIN_STRINGS.iter().find(|(c, _)| *c == p))
        .map(|(_, s)| *s)
}

/// The message ids of a Fluent source.
fn ids(source: &str) -> Vec<String> {
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(r) | Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// Parses one Fluent file; syntax errors point at their line.
fn parse(file: &str, source: String) -> Result<FluentResource, Vec<Diagnostic>> {
    FluentResource::try_new(source.clone()).map_err(|(_, errors)| {
        errors
            .into_iter()
            .map(|e| {
                let (line, col) = line_col(&source, e.pos.start.min(source.len()));
                Diagnostic::error(file, format!("this is not a Fluent message: {}", e.kind))
                    .at(&source, line, col)
                    .with_help("write one message per line as `key = text`; see https://projectfluent.org/fluent/guide/ for plurals and variables")
            })
            .collect()
    })
}

/// The error for a language that lacks some of the theme's words: at its
/// `i18n/<code>.ftl` when the site has one, else where `site.toml` names
/// the language.
fn missing_words(
    root: &Path,
    config: &Config,
    code: &str,
    missing: &[&String],
    has_file: bool,
) -> Diagnostic {
    let file = format!("i18n/{code}.ftl");
    const SHOWN: usize = 12;
    let mut list: Vec<String> = missing
        .iter()
        .take(SHOWN)
        .map(|m| format!("`{m}`"))
        .collect();
    if missing.len() > SHOWN {
        list.push(format!("and {} more", missing.len() - SHOWN));
    }
    let message = format!(
        "the language `{code}` has no text for {} of the theme's strings: {}",
        missing.len(),
        list.join(", ")
    );
    let help = format!(
        "write them in {file} in Fluent syntax, e.g. `{} = …`; `medsite strings en` prints the English ones to start from",
        missing[0]
    );
    if has_file {
        return Diagnostic::error(&file, message).with_help(help);
    }
    let d = Diagnostic::error("site.toml", message).with_help(help);
    let text = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    let key = if code == config.language {
        "language".to_owned()
    } else {
        format!("languages.{code}")
    };
    match crate::config::value_offset(&text, &key) {
        Some(offset) => d.at_offset(&text, offset),
        None => d,
    }
}

impl Strings {
    /// The strings of every language of `config`, the site's files in
    /// `root/i18n/` over the theme's. Every problem of every file is
    /// returned, with every message a language lacks.
    pub fn load(root: &Path, config: &Config) -> Result<Strings, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut bundles = HashMap::new();
        let required = ids(BUILTIN_STRINGS[0].1);
        for lang in config.languages() {
            let langid: LanguageIdentifier = lang.code.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            bundle.set_use_isolating(false);
            let mut known: Vec<String> = Vec::new();
            if let Some(source) = builtin(&lang.code) {
                match parse("(built-in theme) i18n", source.to_owned()) {
                    Ok(r) => {
                        known.extend(ids(source));
                        bundle.add_resource_overriding(r);
                    }
                    Err(ds) => errors.extend(ds),
                }
            }
            let file = format!("i18n/{}.ftl", lang.code);
            let path = root.join(&file);
            if path.is_file() {
                match std::fs::read_to_string(&path) {
                    Ok(source) => {
                        known.extend(ids(&source));
                        match parse(&file, source) {
                            Ok(r) => bundle.add_resource_overriding(r),
                            Err(ds) => errors.extend(ds),
                        }
                    }
                    Err(e) => errors.push(Diagnostic::error(&file, format!("cannot read: {e}"))),
                }
            }
            let missing: Vec<&String> = required.iter().filter(|id| !known.contains(id)).collect();
            if !missing.is_empty() {
                errors.push(missing_words(
                    root,
                    config,
                    &lang.code,
                    &missing,
                    path.is_file(),
                ));
            }
            bundles.insert(lang.code.clone(), bundle);
        }
        if errors.is_empty() {
            let mut strings = Strings {
                bundles,
                default: config.language.clone(),
                plain: Vec::new(),
                markdown: HashMap::new(),
                dates: Default::default(),
                forms: Default::default(),
            };
            strings.plain = strings.format_plain(&required);
            strings.markdown = config
                .languages()
                .iter()
                .map(|l| (l.code.clone(), strings.markdown_words_of(&l.code)))
                .collect();
            Ok(strings)
        } else {
            Err(errors)
        }
    }

    /// Every message of every language that formats without variables, as
    /// safe (already escaped) template values.
    fn format_plain(&self, ids: &[String]) -> Vec<(String, HashMap<String, tera::Value>)> {
        self.bundles
            .iter()
            .map(|(lang, bundle)| {
                let mut words = HashMap::new();
                for entry in ids {
                    if let Some(pattern) = bundle.get_message(entry).and_then(|m| m.value()) {
                        let mut problems = Vec::new();
                        let text = bundle.format_pattern(pattern, None, &mut problems);
                        let mut escaped = Vec::with_capacity(text.len());
                        if problems.is_empty() && tera::escape_html(&text, &mut escaped).is_ok() {
                            let escaped = String::from_utf8_lossy(&escaped).into_owned();
                            words.insert(entry.clone(), tera::Value::safe_string(&escaped));
                        }
                    }
                }
                (lang.clone(), words)
            })
            .collect()
    }

    /// The message `key` in `lang` when it needs no variable, as a safe
    /// (escaped) template value: formatted once, when the strings were
    /// loaded.
    pub fn plain(&self, lang: &str, key: &str) -> Option<&tera::Value> {
        self.plain
            .iter()
            .find(|(l, _)| l == lang)
            .and_then(|(_, words)| words.get(key))
    }

    /// The words the Markdown step writes into a page in `lang`.
    pub fn markdown_words(&self, lang: &str) -> &crate::markdown::Words {
        static ENGLISH: std::sync::OnceLock<crate::markdown::Words> = std::sync::OnceLock::new();
        self.markdown
            .get(lang)
            .unwrap_or_else(|| ENGLISH.get_or_init(Default::default))
    }

    fn markdown_words_of(&self, lang: &str) -> crate::markdown::Words {
        let word = |key: &str| self.get(lang, key, None).unwrap_or_default();
        crate::markdown::Words {
            section_link: word("heading-link"),
            note: word("callout-note"),
            tip: word("callout-tip"),
            important: word("callout-important"),
            urgent: word("callout-urgent"),
            caution: word("callout-caution"),
        }
    }

    fn bundle(&self, lang: &str) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .get(lang)
            .or_else(|| self.bundles.get(&self.default))
    }

    /// The message `key` in `lang` with `args`; `Err` names a key that no
    /// language file has.
    pub fn get(&self, lang: &str, key: &str, args: Option<&FluentArgs>) -> Result<String, String> {
        let bundle = self
            .bundle(lang)
            .ok_or_else(|| format!("the site has no language `{lang}`"))?;
        let pattern = bundle
            .get_message(key)
            .and_then(|m| m.value())
            .ok_or_else(|| {
                format!(
                    "there is no string `{key}` for language `{lang}`; add it to i18n/{lang}.ftl"
                )
            })?;
        let mut problems = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut problems);
        match problems.first() {
            Some(p) => Err(format!(
                "the string `{key}` ({lang}) could not be formatted: {p}"
            )),
            None => Ok(text.into_owned()),
        }
    }

    /// A date in words in `lang`: "1 November 2026", "1. november 2026".
    pub fn date(&self, lang: &str, date: Date) -> String {
        let key = (lang.to_owned(), date);
        if let Ok(cache) = self.dates.read()
            && let Some(text) = cache.get(&key)
        {
            return text.clone();
        }
        let text = self.date_in_words(lang, date);
        if let Ok(mut cache) = self.dates.write() {
            cache.insert(key, text.clone());
        }
        text
    }

    fn date_in_words(&self, lang: &str, date: Date) -> String {
        let month = self
            .get(lang, &format!("month-{}", date.month()), None)
            .unwrap_or_else(|_| date.month().to_string());
        let mut args = FluentArgs::new();
        args.set("day", FluentValue::from(date.day().to_string()));
        args.set("month", FluentValue::from(month));
        args.set("year", FluentValue::from(date.year().to_string()));
        self.get(lang, "date", Some(&args))
            .unwrap_or_else(|_| date.to_string())
    }

    /// [`Strings::plural_forms`] as templates receive them: a list of
    /// `{category, text}`, worked out once per language and key.
    pub fn plural_forms_value(&self, lang: &str, key: &str) -> Result<tera::Value, String> {
        let cache_key = (lang.to_owned(), key.to_owned());
        if let Ok(cache) = self.forms.read()
            && let Some(forms) = cache.get(&cache_key)
        {
            return Ok(forms.clone());
        }
        let list: Vec<serde_json::Value> = self
            .plural_forms(lang, key)?
            .into_iter()
            .map(|(category, text)| serde_json::json!({"category": category, "text": text}))
            .collect();
        let value = tera::Value::from_serializable(&list);
        if let Ok(mut cache) = self.forms.write() {
            cache.insert(cache_key, value.clone());
        }
        Ok(value)
    }

    /// The forms of a message with a `$count` for each plural category of
    /// `lang` (`one`, `other`, …), with `{n}` where the number goes: what
    /// a script needs to say "1 visit" or "5 visits" in the page's
    /// language (and `{q}` where a `$query` goes).
    pub fn plural_forms(&self, lang: &str, key: &str) -> Result<BTreeMap<String, String>, String> {
        let langid: LanguageIdentifier = lang.parse().unwrap_or_default();
        let rules = PluralRules::create(langid.clone(), PluralRuleType::CARDINAL)
            .or_else(|_| {
                let primary: LanguageIdentifier = primary(lang).parse().unwrap_or_default();
                PluralRules::create(primary, PluralRuleType::CARDINAL)
            })
            .map_err(|e| format!("no plural rules for `{lang}`: {e}"))?;
        let mut forms = BTreeMap::new();
        for n in 0u32..200 {
            let Ok(category) = rules.select(n) else {
                continue;
            };
            let name = category_name(category);
            if forms.contains_key(name) {
                continue;
            }
            let mut args = FluentArgs::new();
            args.set("count", FluentValue::from(n));
            // A message may also name the search query, which the script
            // puts in where `{q}` is.
            args.set("query", FluentValue::from("{q}"));
            let text = self.get(lang, key, Some(&args))?;
            forms.insert(name.to_owned(), text.replacen(&n.to_string(), "{n}", 1));
        }
        Ok(forms)
    }
}

/// `source` (a template) with every `{{ t(key="…") }}` whose word needs no
/// variable replaced by that word in `lang`, escaped: the same output as the
/// call, without its cost on every page. Anything else is left to `t()`.
pub fn fold_words(source: &str, strings: &Strings, lang: &str) -> String {
    const OPEN: &str = "{{ t(key=\"";
    const CLOSE: &str = "\") }}";
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let word = after.find(CLOSE).and_then(|end| {
            let key = &after[..end];
            let text = strings.plain(lang, key)?.as_str()?;
            // Never fold what the template language would read as markup.
            let safe = !key.contains('"')
                && !["{{", "}}", "{%", "%}", "{#", "#}", "\n"]
                    .iter()
                    .any(|m| text.contains(m));
            safe.then(|| (text.to_owned(), end + CLOSE.len()))
        });
        match word {
            Some((text, used)) => {
                out.push_str(&text);
                rest = &after[used..];
            }
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// Turns template arguments into Fluent arguments: numbers stay numbers
/// (so that plural rules apply), everything else is text.
pub fn args_from<'a>(pairs: impl Iterator<Item = (&'a str, &'a tera::Value)>) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (k, v) in pairs {
        if let Some(i) = v.as_i64() {
            args.set(k, FluentValue::from(i));
        } else if let Some(f) = v.as_f64() {
            args.set(k, FluentValue::from(f));
        } else if let Some(s) = v.as_str() {
            args.set(k, FluentValue::from(s));
        } else {
            args.set(k, FluentValue::from(v.to_string()));
        }
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(toml: &str) -> Strings {
        Strings::load(Path::new("/nonexistent"), &Config::parse(toml).unwrap()).unwrap()
    }

    #[test]
    fn every_builtin_language_has_every_string() {
        let required = ids(BUILTIN_STRINGS[0].1);
        assert!(required.len() > 50);
        for (code, source) in BUILTIN_STRINGS {
            let have = ids(source);
            for id in &required {
                assert!(have.contains(id), "{code} lacks {id}");
            }
            assert!(
                FluentResource::try_new((*source).to_owned()).is_ok(),
                "{code}"
            );
        }
    }

    #[test]
    fn plurals_and_dates_follow_the_language() {
        let s = strings("title = \"T\"\n[languages.nb]\n");
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(1));
        assert_eq!(s.get("en", "page-count", Some(&args)).unwrap(), "1 page");
        args.set("count", FluentValue::from(3));
        assert_eq!(s.get("en", "page-count", Some(&args)).unwrap(), "3 pages");
        assert_eq!(s.get("nb", "page-count", Some(&args)).unwrap(), "3 sider");
        let d: Date = "2026-11-01".parse().unwrap();
        assert_eq!(s.date("en", d), "1 November 2026");
        assert_eq!(s.date("nb", d), "1. november 2026");
        let forms = s.plural_forms("en", "visits-today").unwrap();
        assert_eq!(forms["one"], "This page has had {n} visit today");
        assert_eq!(forms["other"], "This page has had {n} visits today");
        assert!(
            s.get("nb", "no-such-key", None)
                .unwrap_err()
                .contains("no-such-key")
        );
    }

    #[test]
    fn fixed_words_are_folded_into_the_template() {
        let s = strings("title = \"T\"\n[languages.nb]\n");
        let source = "<h2>{{ t(key=\"rate-heading\") }}</h2>{{ t(key=\"page-count\", count=2) }}{{ t(key=\"no-such\") }}";
        assert_eq!(
            fold_words(source, &s, "nb"),
            "<h2>Gi en vurdering av denne siden</h2>{{ t(key=\"page-count\", count=2) }}{{ t(key=\"no-such\") }}"
        );
        // Escaped as the call's output would be.
        let folded = fold_words("{{ t(key=\"footer-privacy\") }}", &s, "en");
        assert_eq!(
            folded,
            "This site sets no cookies and loads nothing from other websites."
        );
    }

    #[test]
    fn a_language_without_strings_is_an_error_naming_the_keys() {
        let config = Config::parse("title = \"T\"\n[languages.so]\n").unwrap();
        let errs = Strings::load(Path::new("/nonexistent"), &config).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].file.ends_with("site.toml"), "{}", errs[0]);
        assert!(errs[0].message.contains("`skip-link`"), "{}", errs[0]);
    }
}
