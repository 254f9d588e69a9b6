//! The feedback service: receives ratings from the page-rating widget and
//! counts visits for the visit counter, per the protocol in DESIGN.md:
//!
//! | request | answer |
//! |---|---|
//! | `POST {prefix}/rating` (JSON or form: `page`, `rating` 1–5, `comment`) | `201 {"ok":true}`; a plain form post gets `303` to `page#rated` |
//! | `POST {prefix}/visit` (`page`) | `200 {"page":…,"today":N}`, counting the visit |
//! | `GET {prefix}/visits?page=…` | `200 {"page":…,"today":N}` |
//! | `GET {prefix}/health` | `200 {"ok":true}` |
//!
//! Only pages of the built site are accepted. Nothing personal is stored;
//! rate limiting keys on a keyed hash of the address whose key is random,
//! changes every day and is never written down.
//!
//! [`router`] gives the routes for mounting in another server (the dev
//! server); [`serve`] runs them on their own (`medsite feedback serve`).

pub mod report;
pub mod store;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use store::{NewRating, Store};

/// The largest request body accepted (a comment is at most 1000 characters).
pub const MAX_BODY: usize = 16 * 1024;
/// The longest comment, in characters.
pub const MAX_COMMENT: usize = 1000;

/// Today's date (in the service's time zone), as `YYYY-MM-DD`.
pub fn today() -> String {
    day_offset(0)
}

/// The date `days` days from today, as `YYYY-MM-DD`.
pub fn day_offset(days: i64) -> String {
    let now = jiff::Zoned::now();
    let date = now.date();
    date.checked_add(jiff::Span::new().days(days))
        .unwrap_or(date)
        .to_string()
}

/// Settings of the service.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site's page paths (`/medications/ilaris/`) that may be rated and counted.
    pub pages: HashSet<String>,
    /// The site's base path, for the redirect after a form post (`/` or `/sub/`).
    pub base_path: String,
    /// Requests per minute allowed from one address; 0 turns the limit off.
    pub rate_limit: u32,
    /// Take the client address from `X-Forwarded-For` (behind a reverse proxy).
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

struct Limiter {
    per_minute: u32,
    day: String,
    keys: std::collections::hash_map::RandomState,
    buckets: HashMap<u64, (f64, Instant)>,
}

impl Limiter {
    fn new(per_minute: u32) -> Self {
        Limiter {
            per_minute,
            day: today(),
            keys: Default::default(),
            buckets: HashMap::new(),
        }
    }

    /// A token bucket per address: `per_minute` tokens, refilled evenly.
    fn allow(&mut self, addr: IpAddr) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let day = today();
        if day != self.day {
            // A new day: a new random key, and every bucket forgotten.
            self.day = day;
            self.keys = Default::default();
            self.buckets.clear();
        }
        let mut h = self.keys.build_hasher();
        h.write(addr.to_string().as_bytes());
        let key = h.finish();
        let now = Instant::now();
        let cap = self.per_minute as f64;
        let rate = cap / 60.0;
        if self.buckets.len() > 100_000 {
            self.buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < cap
            });
        }
        let (tokens, at) = self.buckets.entry(key).or_insert((cap, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(cap);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The shared state of the routes.
pub struct Service {
    store: Store,
    settings: Settings,
    /// The pages that may be rated; replaced when the site is rebuilt.
    pages: std::sync::RwLock<Arc<HashSet<String>>>,
    limiter: Mutex<Limiter>,
}

impl Service {
    pub fn new(store: Store, settings: Settings) -> Arc<Service> {
        let limiter = Mutex::new(Limiter::new(settings.rate_limit));
        let pages = std::sync::RwLock::new(Arc::new(settings.pages.clone()));
        Arc::new(Service {
            store,
            settings,
            pages,
            limiter,
        })
    }

    /// Replaces the list of pages (after a new build of the site).
    pub fn set_pages(&self, pages: HashSet<String>) {
        match self.pages.write() {
            Ok(mut p) => *p = Arc::new(pages),
            Err(e) => *e.into_inner() = Arc::new(pages),
        }
    }

    fn knows(&self, page: &str) -> bool {
        match self.pages.read() {
            Ok(p) => p.contains(page),
            Err(e) => e.into_inner().contains(page),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn allowed(&self, addr: Option<SocketAddr>, headers: &HeaderMap) -> bool {
        let ip = if self.settings.trust_proxy {
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
                .or(addr.map(|a| a.ip()))
        } else {
            addr.map(|a| a.ip())
        };
        let Some(ip) = ip else { return true };
        match self.limiter.lock() {
            Ok(mut l) => l.allow(ip),
            Err(p) => p.into_inner().allow(ip),
        }
    }
}

/// The client's address, when the server recorded it.
pub struct ClientAddr(pub Option<SocketAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// The routes, relative to the endpoint (`/rating`, `/visit`, `/visits`, `/health`).
pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/rating", post(rating))
        .route("/visit", post(visit))
        .route("/visits", get(visits))
        .route("/health", get(health))
        .method_not_allowed_fallback(|| async {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "this request needs another method (GET or POST); see the feedback protocol",
            )
        })
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "no such request; see the feedback protocol",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(service)
}

fn error(status: StatusCode, reason: &str) -> Response {
    let mut r = (status, Json(json!({"ok": false, "error": reason}))).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A refused request: status and reason.
struct Reject(StatusCode, &'static str);

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        error(self.0, self.1)
    }
}

fn ok_json(status: StatusCode, v: serde_json::Value) -> Response {
    let mut r = (status, Json(v)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn health() -> Response {
    ok_json(StatusCode::OK, json!({"ok": true}))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
}

fn body_kind(headers: &HeaderMap) -> Option<BodyKind> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "application/json" => Some(BodyKind::Json),
        "application/x-www-form-urlencoded" => Some(BodyKind::Form),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
struct Fields {
    page: Option<serde_json::Value>,
    rating: Option<serde_json::Value>,
    comment: Option<serde_json::Value>,
}

fn parse_fields(headers: &HeaderMap, body: &Bytes) -> Result<(BodyKind, Fields), Reject> {
    let kind = body_kind(headers).ok_or(Reject(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "send application/json or application/x-www-form-urlencoded",
    ))?;
    if std::str::from_utf8(body).is_err() {
        return Err(Reject(
            StatusCode::BAD_REQUEST,
            "the request is not valid UTF-8",
        ));
    }
    let fields = match kind {
        BodyKind::Json => serde_json::from_slice::<Fields>(body).map_err(|_| {
            Reject(
                StatusCode::BAD_REQUEST,
                "the body is not a JSON object with page, rating and comment",
            )
        })?,
        BodyKind::Form => {
            let pairs: Vec<(String, String)> = serde_urlencoded_pairs(body)
                .map_err(|_| Reject(StatusCode::BAD_REQUEST, "the form data cannot be read"))?;
            let mut f = Fields::default();
            for (k, v) in pairs {
                let slot = match k.as_str() {
                    "page" => &mut f.page,
                    "rating" => &mut f.rating,
                    "comment" => &mut f.comment,
                    _ => continue,
                };
                if slot.is_some() {
                    return Err(Reject(StatusCode::BAD_REQUEST, "a field is given twice"));
                }
                *slot = Some(serde_json::Value::String(v));
            }
            f
        }
    };
    Ok((kind, fields))
}

/// Decodes `application/x-www-form-urlencoded`, refusing invalid UTF-8.
fn serde_urlencoded_pairs(body: &[u8]) -> Result<Vec<(String, String)>, ()> {
    let decode = |s: &[u8]| -> Result<String, ()> {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < s.len() => {
                    let hex = std::str::from_utf8(&s[i + 1..i + 3]).map_err(|_| ())?;
                    out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
                    i += 2;
                }
                b'%' => return Err(()),
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8(out).map_err(|_| ())
    };
    body.split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let mut it = pair.splitn(2, |&b| b == b'=');
            let k = decode(it.next().unwrap_or_default())?;
            let v = decode(it.next().unwrap_or_default())?;
            Ok((k, v))
        })
        .collect()
}

impl Service {
    fn page(&self, v: Option<&serde_json::Value>) -> Result<String, Reject> {
        let page = match v {
            Some(serde_json::Value::String(s)) => s.trim().to_owned(),
            Some(_) => {
                return Err(Reject(
                    StatusCode::BAD_REQUEST,
                    "page must be a text such as /medications/ilaris/",
                ));
            }
            None => return Err(Reject(StatusCode::BAD_REQUEST, "page is missing")),
        };
        if page.is_empty() {
            return Err(Reject(StatusCode::BAD_REQUEST, "page is missing"));
        }
        if !self.knows(&page) {
            return Err(Reject(
                StatusCode::BAD_REQUEST,
                "page is not a page of this site",
            ));
        }
        Ok(page)
    }
}

impl Service {
    /// What every POST does first: the rate limit, the body's size and
    /// type, its fields, and the page it names.
    fn read_post(
        &self,
        connect: Option<SocketAddr>,
        headers: &HeaderMap,
        body: Result<Bytes, axum::extract::rejection::BytesRejection>,
    ) -> Result<(BodyKind, Fields, String), Reject> {
        if !self.allowed(connect, headers) {
            return Err(Reject(
                StatusCode::TOO_MANY_REQUESTS,
                "too many requests; try again in a minute",
            ));
        }
        let body = body.map_err(|_| {
            Reject(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request is too large (at most 16 KB)",
            )
        })?;
        let (kind, fields) = parse_fields(headers, &body)?;
        let page = self.page(fields.page.as_ref())?;
        Ok((kind, fields, page))
    }
}

fn parse_rating(v: Option<&serde_json::Value>) -> Result<u8, Reject> {
    let n = match v {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    match n {
        Some(n @ 1..=5) => Ok(n as u8),
        _ => Err(Reject(
            StatusCode::BAD_REQUEST,
            "rating must be a whole number from 1 to 5",
        )),
    }
}

/// Characters that reorder text invisibly (bidirectional overrides).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Trims a comment and removes control characters (but keeps line breaks).
fn parse_comment(v: Option<&serde_json::Value>) -> Result<String, Reject> {
    let raw = match v {
        None | Some(serde_json::Value::Null) => return Ok(String::new()),
        Some(serde_json::Value::String(s)) => s,
        Some(_) => return Err(Reject(StatusCode::BAD_REQUEST, "comment must be text")),
    };
    let cleaned: String = raw
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| (!c.is_control() || *c == '\n' || *c == '\t') && !is_bidi_control(*c))
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.chars().count() > MAX_COMMENT {
        return Err(Reject(
            StatusCode::BAD_REQUEST,
            "comment is longer than 1000 characters",
        ));
    }
    Ok(cleaned)
}

async fn rating(
    State(svc): State<Arc<Service>>,
    ClientAddr(connect): ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let (kind, fields, page) = match svc.read_post(connect, &headers, body) {
        Ok(x) => x,
        Err(r) => return r.into_response(),
    };
    let rating = match parse_rating(fields.rating.as_ref()) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    let comment = match parse_comment(fields.comment.as_ref()) {
        Ok(c) => c,
        Err(r) => return r.into_response(),
    };
    let saved = svc
        .store
        .add_rating(NewRating {
            page: page.clone(),
            day: today(),
            rating,
            comment,
        })
        .await;
    if let Err(e) = saved {
        eprintln!("medsite feedback: {e}");
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the rating could not be saved; try again later",
        );
    }
    match kind {
        BodyKind::Json => ok_json(StatusCode::CREATED, json!({"ok": true})),
        BodyKind::Form => {
            let location = format!(
                "{}{}#rated",
                svc.settings.base_path,
                page.trim_start_matches('/')
            );
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
    }
}

async fn visit(
    State(svc): State<Arc<Service>>,
    ClientAddr(connect): ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let (_, _, page) = match svc.read_post(connect, &headers, body) {
        Ok(x) => x,
        Err(r) => return r.into_response(),
    };
    let today = svc.store.add_visit(&page, &today());
    ok_json(StatusCode::OK, json!({"page": page, "today": today}))
}

#[derive(Deserialize)]
struct VisitsQuery {
    page: Option<String>,
}

async fn visits(
    State(svc): State<Arc<Service>>,
    ClientAddr(connect): ClientAddr,
    headers: HeaderMap,
    query: Result<Query<VisitsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if !svc.allowed(connect, &headers) {
        return error(
            StatusCode::TOO_MANY_REQUESTS,
            "too many requests; try again in a minute",
        );
    }
    let Ok(Query(q)) = query else {
        return error(StatusCode::BAD_REQUEST, "the query cannot be read");
    };
    let page = match svc.page(q.page.map(serde_json::Value::String).as_ref()) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let today = svc.store.visits(&page, &today());
    ok_json(StatusCode::OK, json!({"page": page, "today": today}))
}

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
    let store = Store::start(&opts.db)?;
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
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    let result = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.bind)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", opts.bind))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        // A new build replaces the site folder: pick up its pages.
        tokio::spawn(async move {
            let stamp = |dir: &Path| {
                std::fs::metadata(dir.join("index.html"))
                    .and_then(|m| m.modified())
                    .ok()
            };
            let mut last = stamp(&site_dir);
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                let now = stamp(&site_dir);
                if now != last {
                    if let Ok(pages) = site_pages(&site_dir) {
                        println!(
                            "medsite feedback: the site changed; {} pages known",
                            pages.len()
                        );
                        watched.set_pages(pages);
                    }
                    last = now;
                }
            }
        });
        println!(
            "medsite feedback service on http://{addr}{prefix}/ (database {})",
            opts.db.display()
        );
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
    });
    store.shutdown();
    result
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        assert_eq!(
            serde_urlencoded_pairs(b"page=%2Fa%2F&rating=4&comment=hi+there").unwrap(),
            vec![
                ("page".into(), "/a/".into()),
                ("rating".into(), "4".into()),
                ("comment".into(), "hi there".into())
            ]
        );
        assert!(serde_urlencoded_pairs(b"comment=%ff").is_err());
        assert!(serde_urlencoded_pairs(b"comment=%f").is_err());
    }

    #[test]
    fn ratings_and_comments() {
        assert_eq!(parse_rating(Some(&json!(4))).ok(), Some(4));
        assert_eq!(parse_rating(Some(&json!("5"))).ok(), Some(5));
        for bad in [json!(0), json!(6), json!("abc"), json!(4.5), json!(null)] {
            assert!(parse_rating(Some(&bad)).is_err(), "{bad}");
        }
        assert!(parse_rating(None).is_err());
        assert_eq!(
            parse_comment(Some(&json!("  hi\u{0}\r\n there ")))
                .ok()
                .unwrap(),
            "hi\n there"
        );
        assert!(parse_comment(Some(&json!("x".repeat(1001)))).is_err());
        assert_eq!(
            parse_comment(Some(&json!("ok\u{202E}txt.exe")))
                .ok()
                .unwrap(),
            "oktxt.exe"
        );
        assert_eq!(
            parse_comment(Some(&json!("é".repeat(1000))))
                .ok()
                .unwrap()
                .chars()
                .count(),
            1000
        );
    }

    #[test]
    fn limiter_allows_a_burst_then_refuses() {
        let mut l = Limiter::new(10);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert!((0..10).all(|_| l.allow(ip)));
        assert!(!l.allow(ip));
        assert!(l.allow("127.0.0.2".parse().unwrap()));
        let mut off = Limiter::new(0);
        assert!((0..10_000).all(|_| off.allow(ip)));
    }
}
