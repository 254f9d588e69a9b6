//! medsite: a static site generator for patient information about medications.
//!
//! The data flow runs one way: `site.toml` → [`config::Config`]; `content/` →
//! [`content::Site`] (immutable: pages, sections, URLs, link table,
//! conditions) and the bodies beside it; each body → [`markdown`] (HTML, table
//! of contents and [`markdown::PageFacts`]); [`render`] turns each target into
//! bytes through the Tera [`templates`]; [`output`] writes a staging folder
//! and swaps it into place. [`checks`] read the site and the facts. [`build`]
//! runs the pipeline. docs/architecture.md draws it.

pub mod build;
pub mod checks;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feedback;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod slug;
pub mod templates;
