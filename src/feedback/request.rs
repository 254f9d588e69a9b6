//! Reading and checking what a client sent: the body's type (JSON or form),
//! its fields (`page`, `rating`, `comment`), and each field's value.
//! Forms are decoded by `form_urlencoded`; a form whose percent escapes are
//! broken or decode to invalid UTF-8 is refused, not repaired.
//!
//! Not for: whether a page belongs to the site (the service knows its pages,
//! see [`super::api`]), the rate limit ([`super::limit`]) or storing
//! anything ([`super::store`]). Nothing here touches the network.

use super::reply::Reject;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use serde_json::Value;

/// The largest request body accepted (a comment is at most 1000 characters).
pub const MAX_BODY: usize = 16 * 1024;
/// The longest comment, in characters.
pub const MAX_COMMENT: usize = 1000;

/// How the body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
}

/// The fields of a POST, as sent (a form gives text only).
#[derive(Debug, Default, Deserialize)]
pub struct Fields {
    pub page: Option<Value>,
    pub rating: Option<Value>,
    pub comment: Option<Value>,
}

/// The body's kind from `Content-Type` (parameters such as `charset` aside).
pub fn body_kind(headers: &HeaderMap) -> Option<BodyKind> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mime = ct.split(';').next().unwrap_or("").trim();
    if mime.eq_ignore_ascii_case("application/json") {
        Some(BodyKind::Json)
    } else if mime.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        Some(BodyKind::Form)
    } else {
        None
    }
}

/// The body's kind and fields; refuses other types (415), bodies that are
/// not valid UTF-8, not a JSON object, not a readable form, or that give a
/// form field twice (400).
pub fn parse_fields(headers: &HeaderMap, body: &[u8]) -> Result<(BodyKind, Fields), Reject> {
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
            let pairs = form_pairs(body).ok_or(Reject(
                StatusCode::BAD_REQUEST,
                "the form data cannot be read",
            ))?;
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
                *slot = Some(Value::String(v));
            }
            f
        }
    };
    Ok((kind, fields))
}

/// Decodes `application/x-www-form-urlencoded` (`+` is a space, `%XX` a
/// byte); `None` when a `%` is not followed by two hexadecimal digits or
/// when a name or value decodes to invalid UTF-8.
pub fn form_pairs(body: &[u8]) -> Option<Vec<(String, String)>> {
    // `form_urlencoded` keeps a broken escape as it is and replaces invalid
    // UTF-8 with U+FFFD; both are refused here instead. Names and values
    // are split at `&` and `=`, which are ASCII and so never inside a
    // multi-byte character: the body decodes to valid UTF-8 as a whole
    // exactly when every name and value does.
    let escapes_ok = body.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || body
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_ok
        || percent_encoding::percent_decode(body)
            .decode_utf8()
            .is_err()
    {
        return None;
    }
    Some(
        form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// The page a request names: a text, trimmed, that `knows` accepts (a
/// page of the site).
pub fn parse_page(v: Option<&Value>, knows: impl FnOnce(&str) -> bool) -> Result<String, Reject> {
    let page = match v {
        Some(Value::String(s)) => s.trim(),
        Some(_) => {
            return Err(Reject(
                StatusCode::BAD_REQUEST,
                "page must be a text such as /medications/ilaris/",
            ));
        }
        None => "",
    };
    if page.is_empty() {
        return Err(Reject(StatusCode::BAD_REQUEST, "page is missing"));
    }
    if !knows(page) {
        return Err(Reject(
            StatusCode::BAD_REQUEST,
            "page is not a page of this site",
        ));
    }
    Ok(page.to_owned())
}

/// A rating: a whole number from 1 to 5, as a number or a text.
pub fn parse_rating(v: Option<&Value>) -> Result<u8, Reject> {
    let n = match v {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
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

/// A comment, trimmed, without control characters (line breaks and tabs
/// kept) or bidirectional overrides; at most [`MAX_COMMENT`] characters.
pub fn parse_comment(v: Option<&Value>) -> Result<String, Reject> {
    let raw = match v {
        None | Some(Value::Null) => return Ok(String::new()),
        Some(Value::String(s)) => s,
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::json;

    fn pairs(body: &[u8]) -> Vec<(String, String)> {
        form_pairs(body).unwrap_or_else(|| panic!("{:?} decodes", String::from_utf8_lossy(body)))
    }

    fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn form_plus_is_a_space_and_percent_escapes_are_bytes() {
        assert_eq!(
            pairs(b"page=%2Fa%2F&rating=4&comment=hi+there"),
            owned(&[("page", "/a/"), ("rating", "4"), ("comment", "hi there")])
        );
        // %2B is a plus, %26 and %3D do not split, upper and lower case hex
        assert_eq!(
            pairs(b"comment=1%2B1%3d2+%26+more%2c%20ok"),
            owned(&[("comment", "1+1=2 & more, ok")])
        );
        // two- and three-byte characters from their escapes
        assert_eq!(
            pairs(b"comment=caf%C3%A9+%E2%82%AC"),
            owned(&[("comment", "café €")])
        );
        // a raw UTF-8 character passes as it is
        assert_eq!(pairs("comment=é".as_bytes()), owned(&[("comment", "é")]));
        // empty pairs are skipped; a name without `=` has an empty value
        assert_eq!(
            pairs(b"&page=%2F&&comment&"),
            owned(&[("page", "/"), ("comment", "")])
        );
        // an escaped U+FFFD is a real character, not a decoding error
        assert_eq!(
            pairs(b"comment=%EF%BF%BD"),
            owned(&[("comment", "\u{FFFD}")])
        );
    }

    #[test]
    fn form_with_invalid_utf8_or_broken_escapes_is_refused() {
        for bad in [
            &b"comment=%ff"[..],
            b"comment=bad%FF%FE",
            b"comment=%C3",       // a lead byte without its continuation
            b"comment=%C3&x=%A9", // split across two fields
            b"comment=%80",       // a lone continuation byte
            b"comment=%ED%A0%80", // a surrogate
            b"c%FFomment=x",      // in a name
            b"comment=%f",        // a truncated escape
            b"comment=%",
            b"comment=%zz",
            b"comment=%+1",
        ] {
            assert_eq!(
                form_pairs(bad),
                None,
                "{:?} is refused",
                String::from_utf8_lossy(bad)
            );
        }
    }

    fn headers(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        h
    }

    #[test]
    fn form_bodies_are_read_into_fields_and_bad_ones_get_400() {
        let form = headers("application/x-www-form-urlencoded; charset=UTF-8");
        let (kind, f) = parse_fields(&form, b"page=%2Fa%2F&rating=4&comment=so+so&x=1").unwrap();
        assert_eq!(kind, BodyKind::Form);
        assert_eq!(f.page, Some(json!("/a/")));
        assert_eq!(f.rating, Some(json!("4")));
        assert_eq!(f.comment, Some(json!("so so")));
        let refused = |body: &[u8]| parse_fields(&form, body).err();
        assert_eq!(
            refused(b"comment=%FF"),
            Some(Reject(
                StatusCode::BAD_REQUEST,
                "the form data cannot be read"
            ))
        );
        assert_eq!(
            refused(b"rating=4&rating=5"),
            Some(Reject(StatusCode::BAD_REQUEST, "a field is given twice"))
        );
        assert_eq!(
            refused(b"comment=\xff"),
            Some(Reject(
                StatusCode::BAD_REQUEST,
                "the request is not valid UTF-8"
            ))
        );
        let json_kind = parse_fields(&headers("Application/JSON"), br#"{"page":"/a/"}"#)
            .map(|(k, f)| (k, f.page));
        assert_eq!(json_kind.ok(), Some((BodyKind::Json, Some(json!("/a/")))));
        assert_eq!(
            parse_fields(&headers("text/plain"), b"page=/a/")
                .err()
                .map(|r| r.0),
            Some(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        assert_eq!(
            parse_fields(&HeaderMap::new(), b"page=/a/")
                .err()
                .map(|r| r.0),
            Some(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
    }

    #[test]
    fn pages_must_be_known_text() {
        let knows = |p: &str| p == "/a/";
        assert_eq!(
            parse_page(Some(&json!(" /a/ ")), knows).ok(),
            Some("/a/".into())
        );
        for bad in [json!("/b/"), json!(""), json!("  "), json!(1)] {
            assert!(parse_page(Some(&bad), knows).is_err(), "{bad}");
        }
        assert!(parse_page(None, knows).is_err());
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
            parse_comment(Some(&json!("  hi\u{0}\r\n there "))).ok(),
            Some("hi\n there".to_owned())
        );
        assert!(parse_comment(Some(&json!("x".repeat(1001)))).is_err());
        assert_eq!(
            parse_comment(Some(&json!("ok\u{202E}txt.exe"))).ok(),
            Some("oktxt.exe".to_owned())
        );
        assert_eq!(
            parse_comment(Some(&json!("é".repeat(1000))))
                .ok()
                .map(|c| c.chars().count()),
            Some(1000)
        );
    }
}
