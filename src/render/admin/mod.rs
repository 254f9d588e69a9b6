//! The web editor at `/admin/`, written when `site.toml` has `[cms]`:
//! Decap CMS (embedded from the npm package pinned in
//! `vendor/decap-cms/`, served from the site itself), its configuration
//! ([`config`]) and medsite's additions (`medsite-cms.js`: the conditions
//! field, previews in the site's style, the local backend's address).
//!
//! Not for the local backend that saves into `content/` (`serve::backend`)
//! or the checks it runs (the build's own).

pub mod config;

use crate::config::CmsConfig;
use crate::content::Site;
use include_dir::{Dir, include_dir};
use serde_json::json;

/// Decap CMS's browser files, from the pinned npm package.
static DECAP: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/vendor/decap-cms/dist");

/// The version of Decap CMS that is embedded.
pub const DECAP_VERSION: &str = "3.16.3";

const MEDSITE_JS: &str = include_str!("medsite-cms.js");

/// Where `medsite serve` answers the CMS's local backend protocol; the
/// admin page adds a random name for each browser tab.
pub const LOCAL_BACKEND_PATH: &str = "/__medsite/cms/";

/// The folder of the admin page in the output.
pub const FOLDER: &str = "admin";

/// Every file of `/admin/`: (path in the output, bytes).
pub fn files(site: &Site, cms: &CmsConfig, base_path: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = own_files(site, cms, base_path);
    for f in DECAP.files() {
        if let Some(name) = f.path().to_str() {
            out.push((format!("{FOLDER}/{name}"), f.contents().to_vec()));
        }
    }
    out
}

/// The editor's files made from the site (the page, the configuration
/// and medsite's script), without Decap's own: what a content edit can
/// change.
pub fn own_files(site: &Site, cms: &CmsConfig, base_path: &str) -> Vec<(String, Vec<u8>)> {
    let config = &site.config;
    let decap = config::decap_config(site, cms, base_path);
    let yaml = match serde_saphyr::to_string(&decap) {
        Ok(y) => y,
        // JSON is YAML too.
        Err(_) => decap.to_string(),
    };
    let collections: Vec<String> = decap["collections"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| c.get("folder").is_some())
                .filter_map(|c| c["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let settings = json!({
        "collections": collections,
        "stylesheet": format!("{base_path}css/medsite.css"),
        "localBackend": LOCAL_BACKEND_PATH,
        "defaultLocale": config.language,
    });
    // `</` cannot end the script element early.
    let settings = settings.to_string().replace("</", "<\\/");
    let title = html_escape(&config.title);
    let index = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Edit pages: {title}</title>
<link rel="icon" href="{base_path}favicon.svg">
<link rel="cms-config-url" type="text/yaml" href="config.yml">
</head>
<body>
<script>window.CMS_MANUAL_INIT = true;</script>
<script type="application/json" id="medsite-cms">{settings}</script>
<script src="decap-cms.js"></script>
<script src="medsite-cms.js"></script>
<noscript><p>The page editor needs JavaScript.</p></noscript>
</body>
</html>
"#
    );
    vec![
        (format!("{FOLDER}/index.html"), index.into_bytes()),
        (format!("{FOLDER}/config.yml"), yaml.into_bytes()),
        (
            format!("{FOLDER}/medsite-cms.js"),
            MEDSITE_JS.as_bytes().to_vec(),
        ),
    ]
}

/// Pages and sections whose address is the editor's (`/admin/…`).
pub fn clashes(site: &Site) -> Vec<crate::diagnostics::Diagnostic> {
    let prefix = format!("{FOLDER}/");
    let pages = site.pages.iter().map(|p| (&p.out, p.display()));
    let sections = site.sections.iter().map(|s| (&s.out, s.display.clone()));
    pages
        .chain(sections)
        .filter(|(out, _)| out.starts_with(&prefix))
        .map(|(_, file)| {
            crate::diagnostics::Diagnostic::error(
                file,
                "this page's address is under /admin/, where the web editor is ([cms] in site.toml)",
            )
            .with_help("give the page another file name or `slug`, or move it to another folder")
        })
        .collect()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
