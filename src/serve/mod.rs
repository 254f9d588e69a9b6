//! `medsite serve`: the editors' live preview. Builds the site into a
//! private folder (never into `site/`), serves it on 127.0.0.1, watches
//! `content/`, `templates/`, `static/` and `site.toml`, rebuilds what a
//! change affects and reloads open browsers (server-sent events). A build
//! error shows as an overlay on every page and in the terminal; the server
//! keeps running and recovers when the file is fixed. The feedback service
//! is mounted at the site's endpoint with a throwaway database, so the
//! rating widget and the visit counter work in preview.

mod watch;

use crate::build::{BuildOptions, PageUpdate, Session};
use crate::diagnostics::Diagnostics;
use crate::feedback;
use crate::output::Staging;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use tokio::sync::broadcast;

/// Options of `medsite serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
}

/// The path under which the dev server's own files live.
pub const INTERNAL: &str = "/__medsite";

/// What the server shows: the output folder and the last build's errors.
pub struct Preview {
    out: PathBuf,
    errors: RwLock<Option<String>>,
    events: broadcast::Sender<String>,
    feedback: Option<Arc<feedback::Service>>,
}

/// The dev server's state between rebuilds.
pub struct Rebuilder {
    opts: BuildOptions,
    session: Option<Session>,
    preview: Arc<Preview>,
}

/// What a rebuild did, for the terminal.
pub struct RebuildResult {
    pub what: String,
    pub ok: bool,
    pub millis: f64,
    pub diagnostics: Diagnostics,
}

impl Rebuilder {
    /// A full build into the preview folder.
    pub fn full(&mut self) -> RebuildResult {
        let start = Instant::now();
        let result = Session::load(&self.opts).and_then(|mut session| {
            let staging = Staging::new(&self.preview.out).map_err(|d| Diagnostics(vec![d]))?;
            let (mut diags, _) = session.render_all(&staging);
            diags.sort();
            if diags.has_errors() {
                return Err(diags);
            }
            staging.commit().map_err(|d| Diagnostics(vec![d]))?;
            Ok((session, diags))
        });
        let (ok, diagnostics) = match result {
            Ok((session, diags)) => {
                if let Some(f) = &self.preview.feedback {
                    f.set_pages(session.page_paths());
                }
                self.session = Some(session);
                (true, diags)
            }
            Err(diags) => (false, diags),
        };
        self.finish("full build", ok, diagnostics, start)
    }

    /// Handles a batch of changed paths (relative to the site folder).
    pub fn changed(&mut self, paths: &[PathBuf]) -> RebuildResult {
        let start = Instant::now();
        let mut full = self.session.is_none();
        let mut pages = Vec::new();
        let mut statics = Vec::new();
        let mut templates = Vec::new();
        for p in paths {
            let rel = p.to_string_lossy().replace('\\', "/");
            if let Some(c) = rel.strip_prefix("content/") {
                let exists = self.opts.root.join(p).is_file();
                let known = self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.site.by_file.contains_key(c));
                if c.ends_with(".md") && exists && known && !c.ends_with("_index.md") {
                    pages.push(c.to_owned());
                } else {
                    full = true;
                }
            } else if let Some(s) = rel.strip_prefix("static/") {
                statics.push(s.to_owned());
            } else if let Some(t) = rel.strip_prefix("templates/") {
                templates.push(t.to_owned());
            } else {
                // site.toml, templates/, or a folder that appeared or vanished.
                full = true;
            }
        }
        if full {
            let mut r = self.full();
            r.what = describe(paths);
            return r;
        }
        let Some(session) = self.session.as_mut() else {
            return self.full();
        };
        let mut diagnostics = Diagnostics::default();
        let mut needs_full = false;
        for rel in &pages {
            match session.update_page(rel, &self.preview.out) {
                PageUpdate::Rendered(d) => diagnostics.extend(d.0),
                PageUpdate::NeedsFullBuild => needs_full = true,
            }
        }
        for s in &statics {
            if let Err(d) = session.update_static(s, &self.preview.out) {
                diagnostics.push(d);
            }
        }
        if !templates.is_empty() {
            diagnostics.extend(session.update_templates(&templates, &self.preview.out).0);
        }
        if needs_full {
            let mut r = self.full();
            r.what = describe(paths);
            return r;
        }
        let ok = !diagnostics.has_errors();
        self.finish(&describe(paths), ok, diagnostics, start)
    }

    fn finish(
        &self,
        what: &str,
        ok: bool,
        diagnostics: Diagnostics,
        start: Instant,
    ) -> RebuildResult {
        let text = if ok {
            None
        } else {
            Some(diagnostics.to_string())
        };
        match self.preview.errors.write() {
            Ok(mut e) => *e = text,
            Err(e) => *e.into_inner() = text,
        }
        let _ = self
            .preview
            .events
            .send(if ok { "reload".into() } else { "error".into() });
        RebuildResult {
            what: what.to_owned(),
            ok,
            millis: start.elapsed().as_secs_f64() * 1000.0,
            diagnostics,
        }
    }
}

fn describe(paths: &[PathBuf]) -> String {
    match paths {
        [one] => one.display().to_string(),
        many => format!("{} files", many.len()),
    }
}

/// A running dev server (for tests and the command).
pub struct Running {
    pub addr: SocketAddr,
    pub preview: Arc<Preview>,
}

/// Runs `medsite serve` until Ctrl-C.
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    rt.block_on(async move {
        let (running, server) = start(opts).await?;
        println!(
            "Serving the site on http://{}/ (Ctrl-C to stop)",
            running.addr
        );
        tokio::select! {
            r = server => {
                r.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
            }
            _ = tokio::signal::ctrl_c() => {}
        }
        let _ =
            std::fs::remove_dir_all(running.preview.out.parent().unwrap_or(&running.preview.out));
        Ok(())
    })
}

/// Builds, starts the watcher and the HTTP server; returns the address and
/// the server's future.
pub async fn start(
    opts: ServeOptions,
) -> Result<(Running, tokio::task::JoinHandle<Result<(), std::io::Error>>), String> {
    let listener = tokio::net::TcpListener::bind((opts.bind, opts.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let work = std::env::temp_dir().join(format!("medsite-serve-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let out = work.join("site");

    let config = crate::config::Config::load(&opts.root).map_err(|d| Diagnostics(d).to_string())?;
    let endpoint = config.feedback.endpoint.clone();
    let feedback = if config.feedback.enabled && endpoint.starts_with('/') {
        let store = feedback::store::Store::start(&work.join("feedback.sqlite"))?;
        Some(feedback::Service::new(
            store,
            feedback::Settings {
                pages: Default::default(),
                base_path: "/".into(),
                rate_limit: 0,
                trust_proxy: false,
            },
        ))
    } else {
        None
    };
    let (events, _) = broadcast::channel(16);
    let preview = Arc::new(Preview {
        out,
        errors: RwLock::new(None),
        events,
        feedback: feedback.clone(),
    });
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: Some(preview.out.clone()),
        base_url: Some(format!("http://{addr}/")),
        drafts: opts.drafts,
    };
    let mut rebuilder = Rebuilder {
        opts: build_opts,
        session: None,
        preview: preview.clone(),
    };
    let first = tokio::task::spawn_blocking(move || {
        let r = rebuilder.full();
        (rebuilder, r)
    })
    .await
    .map_err(|e| e.to_string())?;
    let (rebuilder, result) = first;
    report(&result);
    let rebuilder = Arc::new(Mutex::new(rebuilder));
    watch::spawn(&opts.root, rebuilder)
        .map_err(|e| format!("cannot watch the site folder: {e}"))?;

    let mut app: Router = Router::new()
        .route("/__medsite/events", get(events_handler))
        .route("/__medsite/live.js", get(live_js))
        .fallback(get(static_file))
        .with_state(preview.clone());
    if let Some(service) = feedback {
        app = app.nest(
            &format!("/{}", endpoint.trim_matches('/')),
            feedback::router(service),
        );
    }
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    Ok((Running { addr, preview }, server))
}

/// Prints a rebuild's outcome to the terminal.
pub fn report(r: &RebuildResult) {
    if r.ok {
        for w in r.diagnostics.warnings() {
            eprint!("{w}");
        }
        println!("Rebuilt {} in {:.1} ms", r.what, r.millis);
    } else {
        eprint!("{}", r.diagnostics);
        eprintln!(
            "Build failed ({}); the preview shows the error until it is fixed.",
            r.what
        );
    }
}

const LIVE_JS: &str = r#"(function(){
  if (!window.EventSource) return;
  var es = new EventSource("/__medsite/events");
  es.onmessage = function (e) { if (e.data === "reload" || e.data === "error") location.reload(); };
})();
"#;

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

async fn events_handler(State(p): State<Arc<Preview>>) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use tokio_stream::StreamExt;
    let rx = p.events.subscribe();
    let stream = tokio_stream::wrappers::BroadcastStream::new(rx)
        .filter_map(|m| m.ok())
        .map(|m| Ok::<Event, std::convert::Infallible>(Event::default().data(m)));
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Decodes a URL path, refusing anything that could leave the site folder.
pub fn safe_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(v);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    if path.contains('\0') || path.contains('\\') {
        return None;
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(path)
}

fn escape_html(s: &str) -> String {
    crate::markdown::escape_attr(s)
}

fn inject(html: &str, errors: Option<&str>) -> String {
    let mut extra = String::from("<script src=\"/__medsite/live.js\"></script>");
    if let Some(e) = errors {
        extra.push_str(&format!(
            "<div id=\"medsite-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff4f4;color:#1a1a1a;border-top:4px solid #b00020;padding:1rem;font:14px/1.4 monospace;z-index:2147483647;white-space:pre-wrap\"><strong>The site could not be rebuilt.</strong> This page shows the last good version. Fix the problem below and save; the page reloads by itself.\n\n{}</div>",
            escape_html(e)
        ));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    }
}

async fn static_file(State(p): State<Arc<Preview>>, uri: Uri) -> Response {
    let Some(path) = safe_path(uri.path()) else {
        return (
            StatusCode::FORBIDDEN,
            "refused: the path leaves the site folder",
        )
            .into_response();
    };
    let rel = path.trim_start_matches('/');
    let mut file = p.out.join(rel);
    if path.ends_with('/') || rel.is_empty() {
        file = file.join("index.html");
    } else if file.is_dir() {
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("{path}/")) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    let errors = match p.errors.read() {
        Ok(e) => e.clone(),
        Err(e) => e.into_inner().clone(),
    };
    let (status, file) = if file.is_file() {
        (StatusCode::OK, file)
    } else {
        (StatusCode::NOT_FOUND, p.out.join("404.html"))
    };
    let Ok(bytes) = tokio::fs::read(&file).await else {
        let body = inject(
            "<!DOCTYPE html><html lang=\"en\"><title>Not found</title><body><h1>Not found</h1></body></html>",
            errors.as_deref(),
        );
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response();
    };
    let ct = content_type(&file);
    let body = if ct.starts_with("text/html") {
        Body::from(inject(&String::from_utf8_lossy(&bytes), errors.as_deref()))
    } else {
        Body::from(bytes)
    };
    (
        status,
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        assert_eq!(
            safe_path("/medications/ilaris/").as_deref(),
            Some("/medications/ilaris/")
        );
        assert_eq!(safe_path("/a%20b/").as_deref(), Some("/a b/"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/x",
            "/a%5c..%5cb",
            "/%00",
            "/%zz",
            "/./x",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_and_overlay_are_injected_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", Some("error: <bad>"));
        assert!(html.contains("/__medsite/live.js"));
        assert!(html.contains("error: &lt;bad&gt;"));
        assert!(html.ends_with("</body></html>"));
    }
}
