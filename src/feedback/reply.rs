//! The answers of the feedback service: JSON bodies that are never cached,
//! and [`Reject`], a refused request with its status and reason, which the
//! checks of the other modules return.
//!
//! Not for: deciding whether a request is refused (that is [`super::request`],
//! [`super::limit`] and [`super::api`]) or the redirect after a form post
//! (a handler's business, in [`super::api`]).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The reason given with every `429`.
pub const TOO_MANY_REQUESTS: &str = "too many requests; try again in a minute";

/// A refused request: status and reason, answered as
/// `{"ok":false,"error":reason}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reject(pub StatusCode, pub &'static str);

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        error(self.0, self.1)
    }
}

/// `{"ok":false,"error":reason}` with `status`.
pub fn error(status: StatusCode, reason: &str) -> Response {
    ok_json(status, json!({"ok": false, "error": reason}))
}

/// A JSON answer with `Cache-Control: no-store`.
pub fn ok_json(status: StatusCode, v: serde_json::Value) -> Response {
    let mut r = (status, Json(v)).into_response();
    no_store(&mut r);
    r
}

/// Marks an answer as not to be cached: counts and refusals change.
pub fn no_store(r: &mut Response) {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
