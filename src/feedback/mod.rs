//! The feedback service: receives ratings from the page-rating widget and
//! counts visits for the visit counter (the feedback protocol of docs/feedback.md):
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
//! This file only names the parts and re-exports what callers use:
//! [`router`] gives the routes for mounting in another server (the dev
//! server); [`serve`] runs them on their own (`medsite feedback serve`).
//! Not for: code of its own; every part lives in the module of its noun:
//!
//! | module | what |
//! |---|---|
//! | [`api`] | the HTTP routes and handlers, the shared [`Service`] |
//! | [`request`] | reading and checking request bodies (JSON, forms) |
//! | [`reply`] | the JSON answers, refusals included |
//! | [`limit`] | the per-address rate limit |
//! | [`days`] | calendar days as the service counts them |
//! | [`store`] | ratings and visit counts in SQLite, and the [`store::Store`] that is SQLite or PostgreSQL |
//! | [`pg`] | ratings and visit counts in PostgreSQL, shared by several instances |
//! | [`report`] | `medsite feedback report` |
//! | [`server`] | `medsite feedback serve`: the process around the routes |

pub mod api;
pub mod days;
pub mod limit;
pub mod pg;
pub mod reply;
pub mod report;
pub mod request;
pub mod server;
pub mod store;

pub use api::{ClientAddr, Service, Settings, router};
pub use days::{day_offset, today};
pub use request::{MAX_BODY, MAX_COMMENT};
pub use server::{ServeOptions, cors, serve, site_pages};
