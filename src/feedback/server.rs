//! `medsite feedback serve`: the feedback routes on their own, as a process.
//! Reads the built site's pages (and reads them again when the site is
//! rebuilt), opens the store, listens, allows the listed origins (CORS), and
//! on Ctrl-C or SIGTERM stops gracefully, writing pending visit counts.
//!
//! Not for: what the routes do ([`super::api`]); the dev server mounts the
//! same routes in its own process (`medsite serve`).

use super::api::{Service, Settings, router};
use super::store::Store;
use axum::Router;
use axum::http::{HeaderValue, Method, header};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How often the site folder is looked at for a new build.
const SITE_CHECK: Duration = Duration::from_secs(2);

/// Options of `medsite feedback serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub db: PathBuf,
    pub site: PathBuf,
    pub bind: SocketAddr,
    pub prefix: String,
    pub base_path: String,
    pub allow_origins: Vec<String>,
    pub rate_limit: u32,
    pub trust_proxy: bool,
}

/// The pages of a built site: every folder with an `index.html`.
pub fn site_pages(site: &Path) -> Result<HashSet<String>, String> {
    if !site.join("index.html").is_file() {
        return Err(format!(
            "{} is not a built site (no index.html); run `medsite build` first",
            site.display()
        ));
    }
    let mut pages = HashSet::new();
    for e in walkdir::WalkDir::new(site).into_iter().flatten() {
        if e.file_type().is_file() && e.file_name() == "index.html" {
            let dir = e.path().parent().unwrap_or(site);
            let rel = dir
                .strip_prefix(site)
                .unwrap_or(dir)
                .to_string_lossy()
                .replace('\\', "/");
            pages.insert(if rel.is_empty() {
                "/".to_owned()
            } else {
                format!("/{rel}/")
            });
        }
    }
    Ok(pages)
}

/// CORS for the listed origins only (none: same origin only).
pub fn cors(origins: &[String]) -> Result<tower_http::cors::CorsLayer, String> {
    let mut list = Vec::new();
    for o in origins {
        let o = o.trim_end_matches('/');
        list.push(HeaderValue::from_str(o).map_err(|_| format!("`{o}` is not an origin"))?);
    }
    Ok(tower_http::cors::CorsLayer::new()
        .allow_origin(list)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE]))
}

/// Runs the service until Ctrl-C or SIGTERM.
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let pages = site_pages(&opts.site)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    let db = opts.db.to_string_lossy().into_owned();
    let (store, shown) = if Store::is_postgres(&db) {
        let store = rt.block_on(Store::postgres(&db))?;
        let shown = match &store {
            Store::Postgres(p) => p.shown().to_owned(),
            Store::Sqlite(_) => db.clone(),
        };
        (store, shown)
    } else {
        (Store::start(&opts.db)?, opts.db.display().to_string())
    };
    let settings = Settings {
        pages,
        base_path: opts.base_path.clone(),
        rate_limit: opts.rate_limit,
        trust_proxy: opts.trust_proxy,
    };
    let service = Service::new(store.clone(), settings);
    let watched = service.clone();
    let site_dir = opts.site.clone();
    let prefix = format!("/{}", opts.prefix.trim_matches('/'));
    let mut app = Router::new().nest(&prefix, router(service));
    if !opts.allow_origins.is_empty() {
        app = app.layer(cors(&opts.allow_origins)?);
    }
    let closing = store.clone();
    let result = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.bind)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", opts.bind))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        tokio::spawn(follow_site(site_dir, watched));
        let stop = shutdown_signal();
        println!("medsite feedback service on http://{addr}{prefix}/ (database {shown})");
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await
        .map_err(|e| e.to_string())
    });
    rt.block_on(closing.close());
    result
}

/// A new build replaces the site folder: picks up its pages.
async fn follow_site(site_dir: PathBuf, service: std::sync::Arc<Service>) {
    let stamp = |dir: &Path| {
        std::fs::metadata(dir.join("index.html"))
            .and_then(|m| m.modified())
            .ok()
    };
    let mut last = stamp(&site_dir);
    loop {
        tokio::time::sleep(SITE_CHECK).await;
        let now = stamp(&site_dir);
        if now != last {
            if let Ok(pages) = site_pages(&site_dir) {
                println!(
                    "medsite feedback: the site changed; {} pages known",
                    pages.len()
                );
                service.set_pages(pages);
            }
            last = now;
        }
    }
}

/// Listens for Ctrl-C and (on Unix) SIGTERM from the moment it is called,
/// so that a signal sent right after the server announced itself is not
/// missed; the future ends at the first of them. Call it inside the
/// runtime.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let listen = |kind| tokio::signal::unix::signal(kind).ok();
    #[cfg(unix)]
    let (mut term, mut int) = (
        listen(tokio::signal::unix::SignalKind::terminate()),
        listen(tokio::signal::unix::SignalKind::interrupt()),
    );
    async move {
        #[cfg(unix)]
        {
            let term = async {
                match term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let int = async {
                match int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = term => {},
                _ = int => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_the_folders_with_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        assert!(site_pages(site).unwrap_err().contains("medsite build"));
        for f in [
            "index.html",
            "medications/ilaris/index.html",
            "css/site.css",
        ] {
            let p = site.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let mut pages: Vec<String> = site_pages(site).unwrap().into_iter().collect();
        pages.sort();
        assert_eq!(pages, ["/", "/medications/ilaris/"]);
    }

    #[test]
    fn cors_refuses_what_is_not_an_origin() {
        assert!(cors(&["http://127.0.0.1:9999/".into()]).is_ok());
        assert!(
            cors(&["bad\norigin".into()])
                .unwrap_err()
                .contains("not an origin")
        );
    }
}
