//! `medsite serve`: the editors' live preview. Builds the site into a
//! private folder (never into `site/`), serves it on 127.0.0.1, watches
//! `content/`, `templates/`, `static/`, `i18n/` and `site.toml`, rebuilds what a
//! change affects and reloads open browsers (server-sent events). A build
//! error shows as an overlay on every page and in the terminal; the server
//! keeps running and recovers when the file is fixed. The feedback service
//! is mounted at the site's endpoint with a throwaway database, so the
//! rating widget and the visit counter work in preview.
//!
//! With `[cms]` in `site.toml`, it is also the web editor's local backend
//! ([`backend`]): `/admin/` saves straight into `content/` after the
//! build's checks (`vet`), within the folders `workspace` allows.
//!
//! This file holds the preview's state, the rebuilds and the server's
//! start; files are answered by [`files`], changes are watched by `watch`.
//! Not for: production serving (any static host serves `site/`), or the
//! feedback service's own rules ([`crate::feedback`]).

pub mod backend;
pub mod files;
mod vet;
mod watch;
mod workspace;

use crate::build::{BuildOptions, ContentUpdate, PageUpdate, Session};
use crate::diagnostics::Diagnostics;
use crate::feedback;
use crate::output::Staging;
use axum::Router;
use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
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
    /// Rebuilds of the site `opts.root` into `opts.output`, without a
    /// server: what the dev server does on each change, for tests and
    /// benchmarks. Call [`Rebuilder::full`] first.
    pub fn new(opts: BuildOptions) -> Rebuilder {
        let out = opts
            .output
            .clone()
            .unwrap_or_else(|| opts.root.join("site"));
        let (events, _) = broadcast::channel(16);
        Rebuilder {
            opts,
            session: None,
            preview: Arc::new(Preview {
                out,
                errors: RwLock::new(None),
                events,
                feedback: None,
            }),
        }
    }

    /// A full build into the preview folder.
    pub fn full(&mut self) -> RebuildResult {
        let start = Instant::now();
        let result = Session::load_for_edits(&self.opts).and_then(|mut session| {
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
            Err(diags) => {
                // The next change builds everything again: what the last
                // session kept no longer matches the files.
                self.session = None;
                (false, diags)
            }
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
                let section = c.rsplit('/').next().unwrap_or(c).starts_with("_index.");
                if c.ends_with(".md") && !section {
                    pages.push(c.to_owned());
                } else {
                    full = true;
                }
            } else if let Some(s) = rel.strip_prefix("static/") {
                statics.push(s.to_owned());
            } else if let Some(t) = rel.strip_prefix("templates/") {
                templates.push(t.to_owned());
            } else {
                // site.toml, the theme's words (i18n/), or a folder that
                // appeared or vanished.
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
        // A body edit re-renders its page; anything else (front matter, a
        // page added, deleted or renamed) goes through the content update.
        let mut content = Vec::new();
        for rel in pages {
            let known = session.site.by_file.contains_key(rel.as_str());
            let exists = self.opts.root.join("content").join(&rel).is_file();
            if known && exists {
                match session.update_page(&rel, &self.preview.out) {
                    PageUpdate::Rendered(d) => diagnostics.extend(d.0),
                    PageUpdate::NeedsFullBuild => content.push(rel),
                }
            } else {
                content.push(rel);
            }
        }
        if !content.is_empty() {
            match session.update_content(&content, &self.preview.out) {
                ContentUpdate::Rendered(d) => {
                    diagnostics.extend(d.0);
                    if let Some(f) = &self.preview.feedback {
                        f.set_pages(session.page_paths());
                    }
                }
                ContentUpdate::NeedsFullBuild => {
                    let mut r = self.full();
                    r.what = describe(paths);
                    return r;
                }
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
    /// The private folder of the preview and its feedback database; removed
    /// when this is dropped.
    work: tempfile::TempDir,
}

impl Running {
    /// The private folder that holds the preview (`site/`) and the
    /// throwaway feedback database.
    pub fn work_dir(&self) -> &std::path::Path {
        self.work.path()
    }
}

/// Runs `medsite serve` until Ctrl-C or SIGTERM; the private folder goes
/// with it.
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    rt.block_on(async move {
        // Signals are caught from here on, before the server announces
        // itself.
        let stop = feedback::server::shutdown_signal();
        let (running, server) = start(opts).await?;
        println!(
            "Serving the site on http://{}/ (Ctrl-C to stop)",
            running.addr
        );
        tokio::select! {
            r = server => {
                r.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
            }
            _ = stop => {}
        }
        drop(running);
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
    let work = tempfile::Builder::new()
        .prefix("medsite-serve-")
        .tempdir()
        .map_err(|e| {
            format!(
                "cannot create a folder in {}: {e}",
                std::env::temp_dir().display()
            )
        })?;
    let out = work.path().join("site");

    let config = crate::config::Config::load(&opts.root).map_err(|d| Diagnostics(d).to_string())?;
    let endpoint = config.feedback.endpoint.clone();
    // The editor's backend writes into content/: only on a loopback address.
    let cms_media = config
        .cms
        .as_ref()
        .filter(|_| opts.bind.is_loopback())
        .map(|c| c.media_folder().to_owned());
    let feedback = if config.feedback.enabled && endpoint.starts_with('/') {
        let store = feedback::store::Store::start(&work.path().join("feedback.sqlite"))?;
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
    if config.cms.is_some() && !opts.bind.is_loopback() {
        eprintln!(
            "note: the web editor cannot save while the server listens on {} (only on 127.0.0.1)",
            opts.bind
        );
    }
    let backend = cms_media.map(|media| {
        Arc::new(backend::Backend::new(
            build_opts.clone(),
            media,
            addr.port(),
        ))
    });
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
        .route(files::LIVE_JS_PATH, get(live_js))
        .fallback(get(static_file))
        .with_state(preview.clone());
    if let Some(backend) = backend {
        let path = format!("{}{{tab}}", crate::render::admin::LOCAL_BACKEND_PATH);
        app = app.merge(
            Router::new()
                .route(&path, post(backend::handle))
                .layer(axum::extract::DefaultBodyLimit::max(50 * 1024 * 1024))
                .with_state(backend),
        );
    }
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
    Ok((
        Running {
            addr,
            preview,
            work,
        },
        server,
    ))
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

async fn static_file(State(p): State<Arc<Preview>>, uri: Uri) -> Response {
    let errors = match p.errors.read() {
        Ok(e) => e.clone(),
        Err(e) => e.into_inner().clone(),
    };
    files::answer(&p.out, uri.path(), errors.as_deref()).await
}
