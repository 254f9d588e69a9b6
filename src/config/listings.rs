//! `[listings]` in `site.toml`: how long a listing (a section's list of
//! pages or its A–Z index, a condition's page) may be before it is split
//! into parts, and how many recently reviewed pages the home page shows.
//! Only the settings and their checks; the listings themselves are made
//! by `render`.

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};

/// `[listings]`: the size of listings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ListingsConfig {
    /// Entries on one part of a listing; a longer listing is split into
    /// parts (`/medications/`, `/medications/page/2/`, …).
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    /// How many recently reviewed pages each language's home page lists
    /// (0: none).
    #[serde(default = "default_recent")]
    pub recent: usize,
}

impl Default for ListingsConfig {
    fn default() -> Self {
        ListingsConfig {
            per_page: default_per_page(),
            recent: default_recent(),
        }
    }
}

fn default_per_page() -> usize {
    300
}

fn default_recent() -> usize {
    10
}

impl ListingsConfig {
    /// The settings' problems, each with the key it is about.
    pub fn problems(&self) -> Vec<(&'static str, Diagnostic)> {
        let mut out = Vec::new();
        if self.per_page == 0 {
            out.push((
                "listings.per_page",
                Diagnostic::error("site.toml", "[listings] per_page is 0").with_help(format!(
                    "a part of a listing needs at least one entry; the default is {}",
                    default_per_page()
                )),
            ));
        }
        out
    }
}
