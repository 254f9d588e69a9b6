//! The HTTP side of the feedback service: the routes (`/rating`, `/visit`,
//! `/visits`, `/health`), their handlers, and [`Service`], the state they
//! share (the store, the settings, the site's pages, the rate limit).
//!
//! Not for: reading bodies ([`super::request`]), the rate limit itself
//! ([`super::limit`]), SQL ([`super::store`]) or running a server process
//! ([`super::server`]); the routes are mounted there and in the dev server.

use super::days::today;
use super::limit::Limiter;
use super::reply::{self, Reject, error, ok_json};
use super::request::{self, BodyKind, Fields, MAX_BODY};
use super::store::{NewRating, Store};
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, RwLock};

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

/// The shared state of the routes.
pub struct Service {
    store: Store,
    settings: Settings,
    /// The pages that may be rated; replaced when the site is rebuilt.
    pages: RwLock<Arc<HashSet<String>>>,
    limiter: Limiter,
}

impl Service {
    pub fn new(store: Store, settings: Settings) -> Arc<Service> {
        let limiter = Limiter::new(settings.rate_limit);
        let pages = RwLock::new(Arc::new(settings.pages.clone()));
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

    /// The address the limit counts against: the connection's, or behind a
    /// trusted proxy the last one in `X-Forwarded-For` (the one the proxy
    /// itself added; earlier ones are the client's to forge).
    fn client_ip(&self, addr: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let forwarded = || {
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
        };
        let connected = addr.map(|a| a.ip());
        if self.settings.trust_proxy {
            forwarded().or(connected)
        } else {
            connected
        }
    }

    fn check_limit(&self, addr: Option<SocketAddr>, headers: &HeaderMap) -> Result<(), Reject> {
        match self.client_ip(addr, headers) {
            Some(ip) if !self.limiter.allow(ip) => Err(Reject(
                StatusCode::TOO_MANY_REQUESTS,
                reply::TOO_MANY_REQUESTS,
            )),
            _ => Ok(()),
        }
    }

    /// What every POST does first: the rate limit, the body's size and
    /// type, its fields, and the page it names.
    fn read_post(
        &self,
        connect: Option<SocketAddr>,
        headers: &HeaderMap,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<(BodyKind, Fields, String), Reject> {
        self.check_limit(connect, headers)?;
        let body = body.map_err(|_| {
            Reject(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request is too large (at most 16 KB)",
            )
        })?;
        let (kind, fields) = request::parse_fields(headers, &body)?;
        let page = request::parse_page(fields.page.as_ref(), |p| self.knows(p))?;
        Ok((kind, fields, page))
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

async fn health() -> Response {
    ok_json(StatusCode::OK, json!({"ok": true}))
}

async fn rating(
    State(svc): State<Arc<Service>>,
    ClientAddr(connect): ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let checked = svc
        .read_post(connect, &headers, body)
        .and_then(|(kind, f, page)| {
            let rating = request::parse_rating(f.rating.as_ref())?;
            let comment = request::parse_comment(f.comment.as_ref())?;
            Ok((kind, page, rating, comment))
        });
    let (kind, page, rating, comment) = match checked {
        Ok(x) => x,
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
            reply::no_store(&mut r);
            r
        }
    }
}

async fn visit(
    State(svc): State<Arc<Service>>,
    ClientAddr(connect): ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
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
    query: Result<Query<VisitsQuery>, QueryRejection>,
) -> Response {
    if let Err(r) = svc.check_limit(connect, &headers) {
        return r.into_response();
    }
    let Ok(Query(q)) = query else {
        return error(StatusCode::BAD_REQUEST, "the query cannot be read");
    };
    let page = match request::parse_page(q.page.map(serde_json::Value::String).as_ref(), |p| {
        svc.knows(p)
    }) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let today = svc.store.visits(&page, &today());
    ok_json(StatusCode::OK, json!({"page": page, "today": today}))
}
