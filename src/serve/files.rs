//! The dev server's answers for files of the preview folder: the URL path
//! decoded and checked so that it cannot leave the folder, the content type
//! from the file name (`mime_guess`), and in HTML pages the live-reload
//! script and, after a failed build, the error overlay.
//!
//! Not for: building the preview (`super::Rebuilder`), the reload events
//! or the feedback routes; and not for the production site, which any
//! static host serves.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::path::Path;

/// The path of the live-reload script.
pub const LIVE_JS_PATH: &str = "/__medsite/live.js";

/// The content type of a file by its name; text types in UTF-8 (the
/// builder writes nothing else), anything unknown as bytes.
pub fn content_type(path: &Path) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = if mime.type_() == mime_guess::mime::TEXT && mime.get_param("charset").is_none() {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.to_string()
    };
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

/// Decodes a URL path, refusing anything that could leave the site folder
/// (`..`, `.`, a backslash, a NUL) and paths that are not well-formed: a
/// `%` without two hexadecimal digits, or bytes that are not UTF-8.
pub fn safe_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let escapes_ok = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_ok {
        return None;
    }
    let path = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if path.contains('\0') || path.contains('\\') {
        return None;
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(path.into_owned())
}

/// Adds the live-reload script (and, with `errors`, the error overlay)
/// before `</body>`, or at the end when there is none.
pub fn inject(html: &str, errors: Option<&str>) -> String {
    let mut extra = format!("<script src=\"{LIVE_JS_PATH}\"></script>");
    if let Some(e) = errors {
        extra.push_str(&format!(
            "<div id=\"medsite-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff4f4;color:#1a1a1a;border-top:4px solid #b00020;padding:1rem;font:14px/1.4 monospace;z-index:2147483647;white-space:pre-wrap\"><strong>The site could not be rebuilt.</strong> This page shows the last good version. Fix the problem below and save; the page reloads by itself.\n\n{}</div>",
            crate::markdown::escape_attr(e)
        ));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    }
}

/// The answer for the URL path `raw` from the folder `out`, with the last
/// build's `errors` shown on HTML pages.
pub async fn answer(out: &Path, raw: &str, errors: Option<&str>) -> Response {
    let Some(path) = safe_path(raw) else {
        return (
            StatusCode::FORBIDDEN,
            "refused: the path leaves the site folder",
        )
            .into_response();
    };
    let rel = path.trim_start_matches('/');
    let mut file = out.join(rel);
    if path.ends_with('/') || rel.is_empty() {
        file = file.join("index.html");
    } else if file.is_dir() {
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("{raw}/")) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    let (status, file) = if file.is_file() {
        (StatusCode::OK, file)
    } else {
        (StatusCode::NOT_FOUND, out.join("404.html"))
    };
    let Ok(bytes) = tokio::fs::read(&file).await else {
        let body = inject(
            "<!DOCTYPE html><html lang=\"en\"><title>Not found</title><body><h1>Not found</h1></body></html>",
            errors,
        );
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response();
    };
    let ct = content_type(&file);
    // The web editor's page is not reloaded on a change: its own saves
    // are changes, and it keeps its state.
    let editor = rel == crate::render::admin::FOLDER
        || rel.starts_with(&format!("{}/", crate::render::admin::FOLDER));
    let body = if ct.as_bytes().starts_with(b"text/html") && !editor {
        Body::from(inject(&String::from_utf8_lossy(&bytes), errors))
    } else {
        Body::from(bytes)
    };
    (
        status,
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
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
        assert_eq!(safe_path("/caf%C3%A9/").as_deref(), Some("/café/"));
        assert_eq!(safe_path("/100%25/").as_deref(), Some("/100%/"));
        assert_eq!(
            safe_path("/a+b/").as_deref(),
            Some("/a+b/"),
            "+ stays in a path"
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/x",
            "/a%5c..%5cb",
            "/%00",
            "/%zz",
            "/%2",
            "/%",
            "/./x",
            "/%2E/x",
            "/%FF/",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_and_overlay_are_injected_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", Some("error: <bad>"));
        assert!(html.contains("<script src=\"/__medsite/live.js\"></script>"));
        assert!(html.contains("error: &lt;bad&gt;"));
        assert!(html.ends_with("</body></html>"));
        let plain = inject("<p>no body</p>", None);
        assert_eq!(
            plain,
            "<p>no body</p><script src=\"/__medsite/live.js\"></script>"
        );
    }

    #[test]
    fn content_types_with_utf8_for_text() {
        let ct = |name: &str| content_type(Path::new(name)).to_str().unwrap().to_owned();
        assert_eq!(ct("index.html"), "text/html; charset=utf-8");
        assert_eq!(ct("css/site.css"), "text/css; charset=utf-8");
        assert_eq!(ct("js/rate.js"), "text/javascript; charset=utf-8");
        assert_eq!(ct("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(ct("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(ct("search.json"), "application/json");
        assert_eq!(ct("logo.svg"), "image/svg+xml");
        assert_eq!(ct("photo.JPG"), "image/jpeg");
        assert_eq!(ct("favicon.ico"), "image/x-icon");
        assert_eq!(ct("font.woff2"), "font/woff2");
        assert_eq!(ct("leaflet.pdf"), "application/pdf");
        assert_eq!(ct("no-extension"), "application/octet-stream");
        assert_eq!(ct("data.unknownext"), "application/octet-stream");
    }

    #[tokio::test]
    async fn answers_files_pages_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "<html><body>A</body></html>").unwrap();
        std::fs::write(out.join("site.css"), "body{}").unwrap();
        std::fs::write(out.join("404.html"), "<html><body>gone</body></html>").unwrap();
        let body = |r: Response| async move {
            let b = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
            String::from_utf8(b.to_vec()).unwrap()
        };
        let r = answer(out, "/a/", Some("broken")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        let page = body(r).await;
        assert!(page.contains("A") && page.contains(LIVE_JS_PATH) && page.contains("broken"));
        let r = answer(out, "/site.css", None).await;
        assert_eq!(r.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert_eq!(body(r).await, "body{}", "no script in CSS");
        let r = answer(out, "/a", None).await;
        assert_eq!(r.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(r.headers()[header::LOCATION], "/a/");
        let r = answer(out, "/nope/", None).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(body(r).await.contains("gone"));
        let r = answer(out, "/%2e%2e/secret", None).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
}
