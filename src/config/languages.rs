//! `[languages.<code>]` in `site.toml`: the languages a site is written in,
//! besides its default `language`. Each has its own title, description,
//! menu, conditions-list address, writing direction and required sections.
//! Only the settings and what follows from them (the URL prefix of a
//! language, its name in itself, whether it is written right to left); the
//! translated files are found by `content`, the theme's strings by `render`.

use super::MenuItem;
use super::checks::RequiredSections;
use serde::{Deserialize, Serialize};

/// `[languages.<code>]`: one language of the site.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's name in this language (default: the site's `title`).
    #[serde(default)]
    pub title: Option<String>,
    /// One sentence about the site in this language (default: the site's).
    #[serde(default)]
    pub description: Option<String>,
    /// The language's name in itself, shown in the language switcher
    /// ("Norsk"); medsite knows the names of common languages.
    #[serde(default)]
    pub name: Option<String>,
    /// `ltr` or `rtl`; Arabic, Persian, Urdu and Hebrew are `rtl` unless set.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// The word in the address of the conditions list in this language
    /// (`tilstander` gives `/nb/tilstander/`); default `conditions`.
    #[serde(default)]
    pub conditions_path: Option<String>,
    /// The main navigation in this language; when empty, it is made from
    /// this language's sections.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// Headings each kind of page must have in this language (default: the
    /// standard headings medsite knows for the language, if any).
    #[serde(default)]
    pub required_sections: Option<RequiredSections>,
}

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// Languages written right to left, by primary subtag.
const RTL: &[&str] = &["ar", "fa", "ur", "he", "ps", "yi", "dv", "ckb"];

/// Names of languages in themselves, by primary subtag.
const NAMES: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("it", "Italiano"),
    ("lt", "Lietuvių"),
    ("nb", "Norsk"),
    ("nl", "Nederlands"),
    ("nn", "Nynorsk"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("so", "Soomaali"),
    ("sv", "Svenska"),
    ("ti", "ትግርኛ"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("vi", "Tiếng Việt"),
];

/// The primary subtag of a language tag: `nb-NO` → `nb`.
pub fn primary(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

/// Whether `code` looks like a language tag (`nb`, `en-GB`, `pt-br`), as a
/// file name's language part must (`ilaris.nb.md`).
pub fn looks_like_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Everything the site shows per language, resolved from `site.toml` and
/// medsite's defaults.
#[derive(Debug, Clone, Serialize)]
pub struct Language {
    /// `nb`.
    pub code: String,
    /// The language's name in itself: `Norsk`.
    pub name: String,
    /// `""` for the default language, `/nb` for others: site paths of this
    /// language start with it.
    pub prefix: String,
    pub rtl: bool,
    pub title: String,
    pub description: String,
    /// The word in the conditions list's address.
    pub conditions_word: String,
    pub is_default: bool,
}

impl Language {
    /// `/nb/medications/` for the site path `/medications/` in this language.
    pub fn path(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }
    /// Site path of this language's home page.
    pub fn home(&self) -> String {
        self.path("/")
    }
    /// Site path of this language's Atom feed: `/atom.xml`, `/nb/atom.xml`.
    pub fn feed_path(&self) -> String {
        self.path("/atom.xml")
    }
    /// Site path of this language's conditions list.
    pub fn conditions_path(&self) -> String {
        self.path(&format!("/{}/", self.conditions_word))
    }
    /// Site path of this language's search page.
    pub fn search_path(&self) -> String {
        self.path("/search/")
    }
    /// `rtl` or `ltr`, for the `dir` attribute.
    pub fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }
}

/// The name of a language in itself, if medsite knows it.
pub fn known_name(code: &str) -> Option<&'static str> {
    let p = primary(code);
    NAMES.iter().find(|(c, _)| *c == p).map(|(_, n)| *n)
}

/// Whether a language is written right to left unless `site.toml` says.
pub fn known_rtl(code: &str) -> bool {
    RTL.contains(&primary(code))
}

/// Resolves one language's settings.
pub(super) fn resolve(
    code: &str,
    is_default: bool,
    settings: Option<&LanguageConfig>,
    site_title: &str,
    site_description: &str,
) -> Language {
    let s = settings.cloned().unwrap_or_default();
    Language {
        code: code.to_owned(),
        name: s
            .name
            .or_else(|| known_name(code).map(str::to_owned))
            .unwrap_or_else(|| code.to_owned()),
        prefix: if is_default {
            String::new()
        } else {
            format!("/{code}")
        },
        rtl: match s.direction {
            Some(d) => d == Direction::Rtl,
            None => known_rtl(code),
        },
        title: s.title.unwrap_or_else(|| site_title.to_owned()),
        description: s.description.unwrap_or_else(|| site_description.to_owned()),
        conditions_word: s
            .conditions_path
            .map(|w| w.trim().trim_matches('/').to_owned())
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "conditions".to_owned()),
        is_default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_direction() {
        assert!(looks_like_code("nb"));
        assert!(looks_like_code("pt-br"));
        assert!(!looks_like_code("v2"));
        assert!(!looks_like_code("Nb"));
        assert!(!looks_like_code("draft"));
        assert_eq!(known_name("nb-NO"), Some("Norsk"));
        assert!(known_rtl("ar"));
        assert!(!known_rtl("nb"));
        let nb = resolve("nb", false, None, "T", "D");
        assert_eq!(nb.path("/medications/"), "/nb/medications/");
        assert_eq!(nb.conditions_path(), "/nb/conditions/");
        let en = resolve("en", true, None, "T", "D");
        assert_eq!(en.home(), "/");
        let ar = resolve(
            "ar",
            false,
            Some(&LanguageConfig {
                direction: Some(Direction::Ltr),
                ..Default::default()
            }),
            "T",
            "D",
        );
        assert!(!ar.rtl, "site.toml wins over the known direction");
    }
}
