//! The web editor's local backend: `medsite serve` answers the protocol
//! that Decap CMS's own local proxy (`decap-server`, local file-system
//! mode) speaks, at `/__medsite/cms/<tab>`, so that `/admin/` saves
//! straight into `content/`. Each browser tab posts to its own address;
//! the backend remembers which version of each file a tab last read or
//! wrote, and refuses a save over a file that changed since (another tab,
//! a text editor), instead of losing that change. A save is written only
//! after the build's own checks pass on the site as it would be
//! (`super::vet`), one save at a time. Requests must come from this
//! server's own pages (the `Host` and `Origin` of 127.0.0.1 or localhost).
//!
//! Not for which paths may be touched or how files are written
//! (`super::workspace`), nor for the CMS's configuration
//! (`render::admin`).

use super::vet;
use super::workspace::{Area, Target, Workspace, fingerprint, write_atomic};
use crate::build::BuildOptions;
use crate::config::Config;
use crate::content::Overlay;
use axum::Json;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// How many browser tabs the backend remembers.
const MAX_TABS: usize = 64;

/// The backend's state.
pub struct Backend {
    workspace: Workspace,
    opts: BuildOptions,
    /// The port the server listens on, for the `Host` check.
    port: u16,
    /// Per tab: each file's fingerprint as that tab last saw it.
    tabs: Mutex<Tabs>,
    /// One save at a time: check, compare and write as one step.
    saving: Mutex<()>,
}

/// Per tab, each file's fingerprint as the tab last saw it; and the tabs
/// in the order they first came, to forget the oldest.
type Tabs = (HashMap<String, HashMap<String, String>>, VecDeque<String>);

/// A refused request: its HTTP status and the message the editor sees.
struct Refused(StatusCode, String);

type Reply = Result<Value, Refused>;

fn bad(msg: impl Into<String>) -> Refused {
    Refused(StatusCode::UNPROCESSABLE_ENTITY, msg.into())
}

#[derive(Deserialize)]
struct Request {
    action: String,
    #[serde(default)]
    params: Value,
}

#[derive(Deserialize)]
struct DataFile {
    path: String,
    #[serde(default)]
    raw: String,
    #[serde(default, rename = "newPath")]
    new_path: Option<String>,
}

#[derive(Deserialize)]
struct Asset {
    path: String,
    content: String,
    #[serde(default)]
    encoding: String,
}

impl Backend {
    pub fn new(opts: BuildOptions, media: String, port: u16) -> Backend {
        Backend {
            workspace: Workspace {
                root: opts.root.clone(),
                media,
            },
            opts,
            port,
            tabs: Mutex::new((HashMap::new(), VecDeque::new())),
            saving: Mutex::new(()),
        }
    }

    fn config(&self) -> Result<Config, Refused> {
        Config::load(&self.opts.root).map_err(|_| {
            bad("site.toml has an error, so nothing can be saved; the preview shows it")
        })
    }

    fn seen(&self, tab: &str, rel: &str) -> Option<String> {
        let tabs = self.tabs.lock().unwrap_or_else(|e| e.into_inner());
        tabs.0.get(tab).and_then(|m| m.get(rel)).cloned()
    }

    fn remember(&self, tab: &str, rel: &str, print: Option<String>) {
        let mut guard = self.tabs.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *guard;
        if !map.contains_key(tab) {
            order.push_back(tab.to_owned());
            if order.len() > MAX_TABS
                && let Some(old) = order.pop_front()
            {
                map.remove(&old);
            }
        }
        let files = map.entry(tab.to_owned()).or_default();
        match print {
            Some(p) => files.insert(rel.to_owned(), p),
            None => files.remove(rel),
        };
    }

    /// An entry as the CMS expects it (named `path`), remembering what
    /// `tab` saw.
    fn entry(&self, tab: &str, t: &Target, path: &str) -> Value {
        match std::fs::read(&t.abs) {
            Ok(bytes) => {
                let id = fingerprint(&bytes);
                self.remember(tab, &t.rel, Some(id.clone()));
                json!({"data": String::from_utf8_lossy(&bytes), "file": {"path": path, "id": id}})
            }
            Err(_) => json!({"data": null, "file": {"path": path, "id": null}}),
        }
    }

    fn media_file(&self, t: &Target) -> Reply {
        let bytes = std::fs::read(&t.abs).map_err(|e| {
            Refused(
                StatusCode::NOT_FOUND,
                format!("cannot read `{}`: {e}", t.rel),
            )
        })?;
        let name = t.rel.rsplit('/').next().unwrap_or(&t.rel);
        Ok(json!({
            "id": fingerprint(&bytes),
            "content": BASE64.encode(&bytes),
            "encoding": "base64",
            "path": t.rel,
            "name": name,
        }))
    }

    /// Answers one request of `tab`.
    fn answer(&self, tab: &str, req: Request) -> Reply {
        let config = self.config()?;
        let ws = &self.workspace;
        let p = &req.params;
        let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or_default();
        match req.action.as_str() {
            "info" => {
                let repo = self
                    .opts
                    .root
                    .canonicalize()
                    .ok()
                    .and_then(|r| r.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| "site".into());
                Ok(json!({"repo": repo, "publish_modes": ["simple"], "type": "local_fs"}))
            }
            "entriesByFolder" => {
                let folder = ws
                    .resolve(text("folder"), Area::Folder, &config)
                    .map_err(bad)?;
                let depth = p.get("depth").and_then(Value::as_u64).unwrap_or(1) as usize;
                let entries: Vec<Value> = ws
                    .list(&folder, text("extension"), depth)
                    .iter()
                    .filter_map(|rel| ws.resolve(rel, Area::Content, &config).ok())
                    .map(|t| self.entry(tab, &t, &ws.for_cms(&t.rel, &config)))
                    .collect();
                Ok(Value::Array(entries))
            }
            "entriesByFiles" => {
                let files = p
                    .get("files")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let mut out = Vec::new();
                for f in files {
                    let path = f.get("path").and_then(Value::as_str).unwrap_or_default();
                    let t = ws.resolve(path, Area::Content, &config).map_err(bad)?;
                    let mut e = self.entry(tab, &t, path);
                    if let (Some(label), Some(file)) = (f.get("label"), e["file"].as_object_mut()) {
                        file.insert("label".into(), label.clone());
                    }
                    out.push(e);
                }
                Ok(Value::Array(out))
            }
            "getEntry" => {
                let t = ws
                    .resolve(text("path"), Area::Content, &config)
                    .map_err(bad)?;
                Ok(self.entry(tab, &t, text("path")))
            }
            "persistEntry" => self.persist(tab, p, &config),
            "getMedia" => {
                let folder = ws
                    .resolve(text("mediaFolder"), Area::Folder, &config)
                    .map_err(bad)?;
                if folder.rel != ws.media {
                    return Err(bad(format!("the media folder is `{}`", ws.media)));
                }
                let mut out = Vec::new();
                for rel in ws.list(&folder, "", 1) {
                    let t = ws.resolve(&rel, Area::Media, &config).map_err(bad)?;
                    out.push(self.media_file(&t)?);
                }
                Ok(Value::Array(out))
            }
            "getMediaFile" => {
                let t = ws
                    .resolve(text("path"), Area::Media, &config)
                    .map_err(bad)?;
                self.media_file(&t)
            }
            "persistMedia" => {
                let asset: Asset =
                    serde_json::from_value(p.get("asset").cloned().unwrap_or_default())
                        .map_err(|e| bad(format!("the upload is not understood: {e}")))?;
                let t = self.write_asset(&asset, &config)?;
                self.media_file(&t)
            }
            "deleteFile" => self.delete(tab, &[text("path").to_owned()], &config),
            "deleteFiles" => {
                let paths: Vec<String> = p
                    .get("paths")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                self.delete(tab, &paths, &config)
            }
            "getDeployPreview" => Ok(Value::Null),
            other => Err(bad(format!("Unknown action {other}"))),
        }
    }

    fn write_asset(&self, asset: &Asset, config: &Config) -> Result<Target, Refused> {
        let t = self
            .workspace
            .resolve(&asset.path, Area::Media, config)
            .map_err(bad)?;
        if asset.encoding != "base64" {
            return Err(bad(format!(
                "`{}`: only base64 uploads are understood",
                asset.path
            )));
        }
        let bytes = BASE64
            .decode(asset.content.as_bytes())
            .map_err(|e| bad(format!("`{}` is not valid base64: {e}", asset.path)))?;
        write_atomic(&t.abs, &bytes).map_err(|e| {
            Refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot write `{}`: {e}", t.rel),
            )
        })?;
        Ok(t)
    }

    /// A translation that does not exist yet and that the editor has not
    /// begun (no title): the CMS sends one for every language of the
    /// entry, filled with the form's defaults, and it is not written.
    fn unwritten_translation(&self, f: &DataFile, config: &Config) -> bool {
        let translation = config
            .languages()
            .iter()
            .any(|l| l.code != config.language && f.path.ends_with(&format!(".{}.md", l.code)));
        if !translation {
            return false;
        }
        let exists = self
            .workspace
            .resolve(&f.path, Area::Content, config)
            .is_ok_and(|t| t.abs.exists());
        let front = f
            .raw
            .strip_prefix("---")
            .and_then(|rest| rest.split("\n---").next())
            .unwrap_or_default();
        let titled = front.lines().any(|l| {
            l.strip_prefix("title:")
                .map(|v| v.trim().trim_matches(['"', '\'']).trim())
                .is_some_and(|v| !v.is_empty())
        });
        !exists && !titled
    }

    /// Refuses when the file changed on disk since `tab` last saw it.
    fn unchanged_since_seen(&self, tab: &str, t: &Target, new_entry: bool) -> Result<(), Refused> {
        let now = std::fs::read(&t.abs).ok().map(|b| fingerprint(&b));
        let seen = self.seen(tab, &t.rel);
        let conflict = |why: String| Err(Refused(StatusCode::CONFLICT, why));
        match (now, seen) {
            (Some(_), _) if new_entry => conflict(format!(
                "medsite did not save this: a page `{}` already exists. Give the new page another name (title or generic name), or open the existing page.",
                t.rel
            )),
            (Some(now), Some(seen)) if now != seen => conflict(format!(
                "medsite did not save this: `{}` was changed by someone else (another tab or another program) after you opened it. Your changes are kept in this browser: copy what you wrote, reload the page to see the other changes, then make your changes again.",
                t.rel
            )),
            (Some(_), None) => conflict(format!(
                "medsite did not save this: `{}` exists but this tab has not read it. Reload the page and try again.",
                t.rel
            )),
            (None, Some(_)) => conflict(format!(
                "medsite did not save this: `{}` was deleted by someone else after you opened it. Reload the page.",
                t.rel
            )),
            _ => Ok(()),
        }
    }

    fn persist(&self, tab: &str, p: &Value, config: &Config) -> Reply {
        let mut files: Vec<DataFile> = match p.get("dataFiles") {
            Some(v) => serde_json::from_value(v.clone()),
            None => {
                serde_json::from_value(p.get("entry").cloned().unwrap_or_default()).map(|e| vec![e])
            }
        }
        .map_err(|e| bad(format!("the entry is not understood: {e}")))?;
        files.retain(|f| !f.raw.is_empty() && !self.unwritten_translation(f, config));
        let assets: Vec<Asset> =
            serde_json::from_value(p.get("assets").cloned().unwrap_or(json!([])))
                .map_err(|e| bad(format!("the entry's files are not understood: {e}")))?;
        let new_entry = p
            .pointer("/options/newEntry")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let ws = &self.workspace;
        // (where it is now, where it goes, the text)
        let mut plan: Vec<(Target, Target, &str)> = Vec::new();
        for f in &files {
            let from = ws.resolve(&f.path, Area::Content, config).map_err(bad)?;
            let to = match &f.new_path {
                Some(n) => ws.resolve(n, Area::Content, config).map_err(bad)?,
                None => from.clone(),
            };
            plan.push((from, to, &f.raw));
        }
        let _one_at_a_time = self.saving.lock().unwrap_or_else(|e| e.into_inner());
        for (from, to, _) in &plan {
            self.unchanged_since_seen(tab, from, new_entry)?;
            if to != from && to.abs.exists() {
                return Err(Refused(
                    StatusCode::CONFLICT,
                    format!("medsite did not save this: `{}` already exists.", to.rel),
                ));
            }
        }
        // Uploads first: a page may show an image saved with it.
        for a in &assets {
            self.write_asset(a, config)?;
        }
        let mut overlay = Overlay::new();
        for (from, to, raw) in &plan {
            if to != from
                && let Some(rel) = from.in_content()
            {
                overlay.insert(rel.to_owned(), None);
            }
            if let Some(rel) = to.in_content() {
                overlay.insert(rel.to_owned(), Some((*raw).to_owned()));
            }
        }
        let errors = vet::refusals(&self.opts, overlay);
        if !errors.is_empty() {
            return Err(bad(vet::message("save this", &errors)));
        }
        for (from, to, raw) in &plan {
            write_atomic(&to.abs, raw.as_bytes()).map_err(|e| {
                Refused(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("cannot write `{}`: {e}", to.rel),
                )
            })?;
            self.remember(tab, &to.rel, Some(fingerprint(raw.as_bytes())));
            if to != from {
                let _ = std::fs::remove_file(&from.abs);
                self.remember(tab, &from.rel, None);
            }
        }
        Ok(json!({"message": "entry persisted"}))
    }

    fn delete(&self, tab: &str, paths: &[String], config: &Config) -> Reply {
        let ws = &self.workspace;
        let mut targets = Vec::new();
        for path in paths {
            let t = match ws.resolve(path, Area::Content, config) {
                Ok(t) => t,
                Err(_) => ws.resolve(path, Area::Media, config).map_err(bad)?,
            };
            targets.push(t);
        }
        let _one_at_a_time = self.saving.lock().unwrap_or_else(|e| e.into_inner());
        let mut overlay = Overlay::new();
        for t in &targets {
            if let Some(rel) = t.in_content() {
                self.unchanged_since_seen(tab, t, false)?;
                overlay.insert(rel.to_owned(), None);
            }
        }
        if !overlay.is_empty() {
            let errors = vet::refusals(&self.opts, overlay);
            if !errors.is_empty() {
                return Err(bad(vet::message("delete this", &errors)));
            }
        }
        for t in &targets {
            if t.abs.is_file() {
                std::fs::remove_file(&t.abs).map_err(|e| {
                    Refused(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("cannot delete `{}`: {e}", t.rel),
                    )
                })?;
            }
            self.remember(tab, &t.rel, None);
        }
        Ok(json!({"message": format!("deleted {}", paths.join(", "))}))
    }

    /// Only this server's own pages may call the backend: the `Host` is
    /// 127.0.0.1, localhost or [::1] at this port, and an `Origin`, when
    /// sent, is the same (a page of another site, or a rebound DNS name,
    /// is refused).
    fn is_own_page(&self, headers: &HeaderMap) -> bool {
        let own = |value: &str| {
            let port = self.port.to_string();
            ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .any(|h| value == format!("{h}:{port}"))
        };
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(o) => o.strip_prefix("http://").is_some_and(own),
        };
        own(host) && origin_ok
    }
}

/// `POST /__medsite/cms/{tab}`.
pub async fn handle(
    State(backend): State<Arc<Backend>>,
    UrlPath(tab): UrlPath<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let reply = |status: StatusCode, v: Value| (status, Json(v)).into_response();
    if !backend.is_own_page(&headers) {
        return reply(
            StatusCode::FORBIDDEN,
            json!({"error": "the editor's backend answers only pages of this server on 127.0.0.1"}),
        );
    }
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let tab_ok = (8..=64).contains(&tab.len())
        && tab.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !json_body || !tab_ok {
        return reply(
            StatusCode::BAD_REQUEST,
            json!({"error": "expected a JSON request from the page editor"}),
        );
    }
    let req: Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return reply(
                StatusCode::BAD_REQUEST,
                json!({"error": format!("the request is not understood: {e}")}),
            );
        }
    };
    let result = tokio::task::spawn_blocking(move || backend.answer(&tab, req)).await;
    match result {
        Ok(Ok(v)) => reply(StatusCode::OK, v),
        Ok(Err(Refused(status, msg))) => reply(status, json!({"error": msg})),
        Err(e) => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": format!("the save stopped: {e}")}),
        ),
    }
}
