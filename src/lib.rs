//! medsite: a static site generator for patient information about medications.
//!
//! The data flow runs one way: `site.toml` → [`config::Config`]; `content/` →
//! [`content::Site`] (front matter, URLs, link table, conditions); each page's
//! body → [`markdown`]; Tera [`templates`] → HTML; [`output`] writes a staging
//! folder and swaps it into place. [`build`] runs the pipeline.

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
pub mod serve;
pub mod slug;
pub mod templates;
