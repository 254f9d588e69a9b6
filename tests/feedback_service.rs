//! Integration tests of the feedback service (`medsite feedback serve`) and
//! its report (`medsite feedback report`), run as child processes against a
//! small built site, spoken to over plain HTTP/1.1 on 127.0.0.1.

mod feedback_common;

use feedback_common::*;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Asserts a refused request: the expected 4xx, a JSON body with a reason.
fn assert_refused(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_json_reason(r);
}

/// Asserts some 4xx with a JSON reason.
fn assert_4xx(r: &Resp) {
    assert!((400..500).contains(&r.status), "{}: {}", r.status, r.text());
    assert_json_reason(r);
}

fn assert_json_reason(r: &Resp) {
    let ct = r.header("content-type").unwrap_or_default();
    assert!(
        ct.starts_with("application/json"),
        "a JSON answer, not {ct:?}"
    );
    let j = r.json();
    assert_eq!(j["ok"], false, "{j}");
    let reason = j["error"].as_str().unwrap_or_default();
    assert!(!reason.trim().is_empty(), "a reason is given: {j}");
}

/// Stops the service gracefully and asserts that no rating and no visit was stored.
fn stop_and_assert_nothing_stored(site: &Site, svc: &mut Service) {
    svc.assert_healthy();
    svc.stop();
    assert_eq!(stored_ratings(&site.db()), vec![], "no rating stored");
    assert_eq!(stored_visits(&site.db()), vec![], "no visit stored");
}

/// Waits (at most 30 s) until the database holds `n` visits in all, as the
/// running service writes them; fails the test otherwise.
fn wait_for_stored_visits(site: &Site, n: i64) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let stored: i64 = stored_visits(&site.db()).iter().map(|v| v.2).sum();
        if stored == n {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{stored} visits stored, not {n}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn today_matches(day: &str, before: &str, after: &str) -> bool {
    day == before || day == after
}

// ---------------------------------------------------------------------------
// 1. Happy paths
// ---------------------------------------------------------------------------

#[test]
fn json_rating_is_created_and_stored() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    let before = medsite::feedback::today();
    let r = svc.rate(ILARIS, 4, "  Clear and helpful.  ");
    let after = medsite::feedback::today();
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json(), json!({"ok": true}));
    assert!(
        r.header("content-type")
            .unwrap_or_default()
            .starts_with("application/json")
    );
    // a rating given as text is accepted too, without a comment
    let r = svc.post_json("/rating", &json!({"page": MTX, "rating": "5"}));
    assert_eq!(r.status, 201, "{}", r.text());
    svc.stop();
    let rows = stored_ratings(&site.db());
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].page, ILARIS);
    assert_eq!(rows[0].rating, 4);
    assert_eq!(rows[0].comment, "Clear and helpful.", "trimmed");
    assert!(today_matches(&rows[0].day, &before, &after), "{rows:?}");
    assert_eq!(
        (
            rows[1].page.as_str(),
            rows[1].rating,
            rows[1].comment.as_str()
        ),
        (MTX, 5, "")
    );
}

#[test]
fn form_rating_redirects_to_the_page_with_rated_anchor() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    let r = svc.post_form(
        "/rating",
        &form(&[("page", ILARIS), ("rating", "3"), ("comment", "ok as is")]),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/medications/ilaris/#rated"));
    // the charset parameter does not matter
    let r = svc.post(
        "/rating",
        "application/x-www-form-urlencoded; charset=UTF-8",
        form(&[("page", ILARIS), ("rating", "5")]),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    svc.stop();
    let rows = stored_ratings(&site.db());
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (
            rows[0].page.as_str(),
            rows[0].rating,
            rows[0].comment.as_str()
        ),
        (ILARIS, 3, "ok as is")
    );
    assert_eq!(rows[1].rating, 5);
}

#[test]
fn form_bodies_are_decoded_plus_and_percent_escapes() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    // Written by hand as a browser would: `+` for spaces, `%XX` for bytes
    // (upper and lower case), `%2B`, `%26` and `%3D` for `+ & =`.
    let bodies = [
        "page=%2Fmedications%2Filaris%2F&rating=4&comment=caf%C3%A9+au+lait%2c+1%2B1%3D2+%26+more",
        "rating=5&page=%2fmedications%2fmethotrexate%2f&comment=%E2%82%AC+and+%22quotes%22",
        "page=/medications/ilaris/&rating=3&comment=raw+%C3%A9+and+é&unknown=ignored",
    ];
    for body in bodies {
        let r = svc.post_form("/rating", body);
        assert_eq!(r.status, 303, "{body}: {}", r.text());
    }
    // a visit by form, the page escaped
    let r = svc.post_form("/visit", "page=%2Fmedications%2Filaris%2F");
    assert_eq!(r.json(), json!({"page": ILARIS, "today": 1}));
    svc.stop();
    let rows: Vec<(String, i64, String)> = stored_ratings(&site.db())
        .into_iter()
        .map(|r| (r.page, r.rating, r.comment))
        .collect();
    assert_eq!(
        rows,
        [
            (
                ILARIS.to_owned(),
                4,
                "café au lait, 1+1=2 & more".to_owned()
            ),
            (MTX.to_owned(), 5, "€ and \"quotes\"".to_owned()),
            (ILARIS.to_owned(), 3, "raw é and é".to_owned()),
        ]
    );
}

#[test]
fn form_rating_redirect_honours_the_base_path() {
    let site = Site::new();
    let svc = site.serve(&["--base-path", "/sub/"]);
    let r = svc.post_form("/rating", &form(&[("page", ILARIS), ("rating", "4")]));
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/sub/medications/ilaris/#rated"));
    // JSON callers still get 201, not a redirect
    let r = svc.rate(ILARIS, 4, "");
    assert_eq!(r.status, 201);
    assert_eq!(r.header("location"), None);
}

#[test]
fn visit_counts_and_visits_query_reads_without_counting() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    let r = svc.post_json("/visit", &json!({"page": ILARIS}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"page": ILARIS, "today": 1}));
    // a form post counts as well
    let r = svc.post_form("/visit", &form(&[("page", ILARIS)]));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"page": ILARIS, "today": 2}));
    // reading does not count
    for _ in 0..3 {
        let r = svc.get(&format!("/visits?page={}", urlencode(ILARIS)));
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json(), json!({"page": ILARIS, "today": 2}));
    }
    // other pages are counted apart
    assert_eq!(svc.visits(MTX), 0);
    assert_eq!(svc.visits("/"), 0);
    let r = svc.post_json("/visit", &json!({"page": MTX}));
    assert_eq!(r.json(), json!({"page": MTX, "today": 1}));
    assert_eq!(svc.visits(ILARIS), 2);
    svc.stop();
    let visits = stored_visits(&site.db());
    let count = |page: &str| {
        visits
            .iter()
            .filter(|(p, _, _)| p == page)
            .map(|(_, _, c)| *c)
            .sum::<i64>()
    };
    assert_eq!((count(ILARIS), count(MTX)), (2, 1), "{visits:?}");
}

#[test]
fn health_answers_and_unknown_routes_get_json_404() {
    let site = Site::new();
    let svc = site.serve(&[]);
    let r = svc.get("/health");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["ok"], true);
    let r = svc.get("/nope");
    assert_refused(&r, 404);
    let r = svc.post_json("/ratings", &json!({"page": ILARIS, "rating": 4}));
    assert_refused(&r, 404);
    // a wrong method on a known route is no success either
    let r = svc.get("/rating");
    assert!((400..500).contains(&r.status), "{}", r.status);
    svc.assert_healthy();
}

/// The value of `attr="…"` in the first tag of `html` that contains `marker`.
fn attr_of_tag(html: &str, marker: &str, attr: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in the page"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    let tag = &html[start..end];
    let key = format!("{attr}=\"");
    let v = &tag[tag.find(&key).unwrap_or_else(|| panic!("{attr} in {tag}")) + key.len()..];
    v[..v.find('"').unwrap()].to_owned()
}

#[test]
fn the_built_rating_form_posts_to_the_service_without_javascript() {
    let site = Site::new();
    let svc = site.serve(&[]);
    let page_html =
        std::fs::read_to_string(site.site_dir().join("medications/ilaris/index.html")).unwrap();
    // what a browser without JavaScript sends: the form's action and fields
    let action = attr_of_tag(&page_html, "class=\"rating-form\"", "action");
    let page = attr_of_tag(&page_html, "name=\"page\"", "value");
    assert_eq!(page, ILARIS);
    assert_eq!(action, svc.path("/rating"), "the form posts to the service");
    assert!(page_html.contains("name=\"rating\" value=\"4\""));
    assert!(page_html.contains("name=\"comment\""));
    let r = request(
        svc.addr,
        "POST",
        &action,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form(&[("page", &page), ("rating", "4"), ("comment", "Helpful")]).as_bytes(),
    )
    .unwrap();
    assert_eq!(r.status, 303, "{}", r.text());
    let location = r.header("location").unwrap().to_owned();
    let (path, anchor) = location.split_once('#').unwrap();
    assert_eq!(path, page);
    // the anchor names the thank-you element of the page
    assert!(
        page_html.contains(&format!("id=\"{anchor}\"")),
        "the page has an element with id {anchor:?}"
    );
    // and the counter placeholder names the same endpoint and page
    let counter_endpoint = attr_of_tag(&page_html, "class=\"visit-counter\"", "data-endpoint");
    let counter_page = attr_of_tag(&page_html, "class=\"visit-counter\"", "data-page");
    let r = request(
        svc.addr,
        "POST",
        &format!("{counter_endpoint}/visit"),
        &[("Content-Type", "application/json")],
        json!({"page": counter_page}).to_string().as_bytes(),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["today"], 1);
}

#[test]
fn prefix_option_moves_the_endpoint() {
    let site = Site::new();
    let svc = site.serve(&["--prefix", "/fb"]);
    assert!(svc.banner.contains("/fb/"), "{}", svc.banner);
    let r = request(svc.addr, "GET", "/fb/health", &[], b"").unwrap();
    assert_eq!(r.status, 200);
    let r = request(svc.addr, "GET", "/api/feedback/health", &[], b"").unwrap();
    assert_eq!(r.status, 404, "the default endpoint is not served");
    let r = svc.rate(ILARIS, 2, "");
    assert_eq!(r.status, 201, "{}", r.text());
}

// ---------------------------------------------------------------------------
// 2. Bad input: a 4xx with a reason, nothing stored, the service goes on
// ---------------------------------------------------------------------------

#[test]
fn rating_zero_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    assert_refused(
        &svc.post_json("/rating", &json!({"page": ILARIS, "rating": 0})),
        400,
    );
    assert_refused(
        &svc.post_form("/rating", &form(&[("page", ILARIS), ("rating", "0")])),
        400,
    );
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn rating_six_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    assert_refused(
        &svc.post_json("/rating", &json!({"page": ILARIS, "rating": 6})),
        400,
    );
    assert_refused(
        &svc.post_form("/rating", &form(&[("page", ILARIS), ("rating", "6")])),
        400,
    );
    assert_refused(
        &svc.post_json("/rating", &json!({"page": ILARIS, "rating": -1})),
        400,
    );
    assert_refused(
        &svc.post_json("/rating", &json!({"page": ILARIS, "rating": 4.5})),
        400,
    );
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn rating_that_is_not_a_number_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    assert_refused(
        &svc.post_json("/rating", &json!({"page": ILARIS, "rating": "abc"})),
        400,
    );
    assert_refused(
        &svc.post_form("/rating", &form(&[("page", ILARIS), ("rating", "abc")])),
        400,
    );
    assert_refused(
        &svc.post_json("/rating", &json!({"page": ILARIS, "rating": [4]})),
        400,
    );
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn missing_rating_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    assert_refused(
        &svc.post_json("/rating", &json!({"page": ILARIS, "comment": "no rating"})),
        400,
    );
    assert_refused(&svc.post_form("/rating", &form(&[("page", ILARIS)])), 400);
    assert_refused(
        &svc.post_form("/rating", &form(&[("page", ILARIS), ("rating", "")])),
        400,
    );
    // not a JSON object at all
    assert_refused(&svc.post("/rating", "application/json", "[1,2]"), 400);
    assert_refused(&svc.post("/rating", "application/json", "{\"page\":"), 400);
    assert_refused(&svc.post("/rating", "application/json", ""), 400);
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn missing_page_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    assert_refused(&svc.post_json("/rating", &json!({"rating": 4})), 400);
    assert_refused(
        &svc.post_json("/rating", &json!({"page": "", "rating": 4})),
        400,
    );
    assert_refused(
        &svc.post_json("/rating", &json!({"page": 12, "rating": 4})),
        400,
    );
    assert_refused(&svc.post_form("/rating", &form(&[("rating", "4")])), 400);
    assert_refused(&svc.post_json("/visit", &json!({})), 400);
    assert_refused(&svc.post_form("/visit", ""), 400);
    assert_refused(&svc.get("/visits"), 400);
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn unknown_page_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    for page in [
        "/medications/unknown/",
        "/medications/ilaris",
        "https://evil.example/",
        "/../../etc/passwd",
        "/medications/ilaris/index.html",
    ] {
        assert_refused(
            &svc.post_json("/rating", &json!({"page": page, "rating": 4})),
            400,
        );
        assert_refused(&svc.post_json("/visit", &json!({"page": page})), 400);
        assert_refused(&svc.get(&format!("/visits?page={}", urlencode(page))), 400);
    }
    stop_and_assert_nothing_stored(&site, &mut svc);
}

/// Three 1 MB requests: a JSON rating, a form rating, a visit.
fn one_megabyte_requests(svc: &Service) -> Vec<Resp> {
    let big = json!({"page": ILARIS, "rating": 4, "comment": "x".repeat(1024 * 1024)});
    let big_form = format!(
        "page={}&rating=4&comment={}",
        urlencode(ILARIS),
        "y".repeat(1024 * 1024)
    );
    vec![
        svc.post_json("/rating", &big),
        svc.post_form("/rating", &big_form),
        svc.post_json(
            "/visit",
            &json!({"page": ILARIS, "pad": "z".repeat(1024 * 1024)}),
        ),
    ]
}

#[test]
fn one_megabyte_body_gets_413_and_nothing_is_stored() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    for r in one_megabyte_requests(&svc) {
        assert_eq!(r.status, 413, "{}", r.text());
    }
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]

fn one_megabyte_body_413_has_a_json_reason() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    for r in one_megabyte_requests(&svc) {
        assert_refused(&r, 413);
    }
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn invalid_utf8_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    // JSON with the raw bytes 0xff 0xfe in the comment
    let mut body = format!("{{\"page\":\"{ILARIS}\",\"rating\":4,\"comment\":\"bad ").into_bytes();
    body.extend_from_slice(&[0xff, 0xfe]);
    body.extend_from_slice(b"\"}");
    assert_refused(&svc.post("/rating", "application/json", &body), 400);
    // a form with %FF%FE in the comment
    let body = format!("page={}&rating=4&comment=bad%FF%FE", urlencode(ILARIS));
    assert_refused(&svc.post_form("/rating", &body), 400);
    // half a character: the lead byte of é without its second byte
    let body = format!("page={}&rating=4&comment=caf%C3", urlencode(ILARIS));
    assert_refused(&svc.post_form("/rating", &body), 400);
    // invalid UTF-8 in the page of a visit
    assert_refused(
        &svc.post_form("/visit", "page=%2Fmedications%2F%FF%2F"),
        400,
    );
    // a form with the raw bytes
    let mut body = format!("page={}&rating=4&comment=bad", urlencode(ILARIS)).into_bytes();
    body.extend_from_slice(&[0xff, 0xfe]);
    assert_refused(
        &svc.post("/rating", "application/x-www-form-urlencoded", &body),
        400,
    );
    // broken percent escapes
    for comment in ["bad%F", "bad%", "bad%zz"] {
        let body = format!("page={}&rating=4&comment={comment}", urlencode(ILARIS));
        assert_refused(&svc.post_form("/rating", &body), 400);
    }
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn wrong_content_type_is_refused_with_415() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    let body = json!({"page": ILARIS, "rating": 4}).to_string();
    assert_refused(&svc.post("/rating", "text/plain", &body), 415);
    assert_refused(
        &svc.post("/rating", "multipart/form-data; boundary=x", &body),
        415,
    );
    assert_refused(&svc.post("/visit", "text/plain", &body), 415);
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn missing_content_type_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    let body = json!({"page": ILARIS, "rating": 4}).to_string();
    let r = svc.request("POST", "/rating", &[], body.as_bytes());
    assert_4xx(&r);
    let r = svc.request(
        "POST",
        "/visit",
        &[],
        json!({"page": ILARIS}).to_string().as_bytes(),
    );
    assert_4xx(&r);
    stop_and_assert_nothing_stored(&site, &mut svc);
}

#[test]
fn comment_over_1000_characters_is_refused() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    let long = "a".repeat(1001);
    assert_refused(&svc.rate(ILARIS, 4, &long), 400);
    assert_refused(
        &svc.post_form(
            "/rating",
            &form(&[("page", ILARIS), ("rating", "4"), ("comment", &long)]),
        ),
        400,
    );
    // characters, not bytes: 1001 two-byte characters are too many
    assert_refused(&svc.rate(ILARIS, 4, &"é".repeat(1001)), 400);
    // a comment must be text
    assert_refused(
        &svc.post_json(
            "/rating",
            &json!({"page": ILARIS, "rating": 4, "comment": {"a": 1}}),
        ),
        400,
    );
    // exactly 1000 characters (2000 bytes) is fine
    let max = "é".repeat(1000);
    let r = svc.rate(ILARIS, 4, &max);
    assert_eq!(r.status, 201, "{}", r.text());
    svc.assert_healthy();
    svc.stop();
    let rows = stored_ratings(&site.db());
    assert_eq!(rows.len(), 1, "only the 1000-character comment is stored");
    assert_eq!(rows[0].comment, max);
}

#[test]
fn sql_and_html_looking_comments_are_stored_as_plain_text() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    let sql = "'); DROP TABLE ratings;--";
    let html = "<script>alert(1)</script>";
    let quote = "He said \"don't\" & left; 50% \\ done";
    let r = svc.rate(ILARIS, 2, &format!("  {sql}\n "));
    assert_eq!(r.status, 201, "{}", r.text());
    let r = svc.post_form(
        "/rating",
        &form(&[
            ("page", ILARIS),
            ("rating", "3"),
            ("comment", &format!(" {html} ")),
        ]),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let r = svc.rate(MTX, 5, quote);
    assert_eq!(r.status, 201, "{}", r.text());
    // the table is still there for the next rating
    let r = svc.rate(MTX, 4, "after");
    assert_eq!(r.status, 201, "{}", r.text());
    svc.assert_healthy();
    svc.stop();
    let c = open_db(&site.db());
    let tables: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ratings'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1, "the ratings table still exists");
    let comments: Vec<String> = stored_ratings(&site.db())
        .into_iter()
        .map(|r| r.comment)
        .collect();
    assert_eq!(comments, [sql, html, quote, "after"]);
}

#[test]
fn flood_from_one_address_is_rate_limited() {
    let site = Site::new();
    let mut svc = site.serve(&[]); // the default limit
    let path = svc.path("/visit");
    let body = json!({"page": ILARIS}).to_string();
    let headers = [("Content-Type", "application/json")];
    let mut statuses = Vec::with_capacity(10_000);
    let mut first_429 = None;
    let mut conn = KeepAlive::connect(svc.addr).expect("connect");
    let mut reconnects = 0;
    while statuses.len() < 10_000 {
        match conn.send("POST", &path, &headers, body.as_bytes()) {
            Ok((r, closed)) => {
                if r.status == 429 && first_429.is_none() {
                    first_429 = Some(r.clone());
                }
                statuses.push(r.status);
                if closed {
                    conn = KeepAlive::connect(svc.addr).expect("reconnect");
                }
            }
            Err(e) => {
                reconnects += 1;
                assert!(reconnects < 100, "the connection keeps failing: {e}");
                conn = KeepAlive::connect(svc.addr).expect("reconnect");
            }
        }
    }
    let ok = statuses.iter().filter(|s| **s == 200).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(
        ok + limited,
        statuses.len(),
        "only 200 and 429: {:?}",
        statuses
            .iter()
            .filter(|s| **s != 200 && **s != 429)
            .take(5)
            .collect::<Vec<_>>()
    );
    assert!(
        statuses[..50].iter().all(|s| *s == 200),
        "the first requests succeed: {:?}",
        &statuses[..50]
    );
    assert!(limited > 0, "some requests get 429");
    assert!(
        ok < 5_000,
        "most of a flood of 10,000 is refused ({ok} succeeded)"
    );
    assert_refused(first_429.as_ref().unwrap(), 429);
    // ratings from the same address are limited as well
    let r = svc.rate(ILARIS, 4, "");
    assert_refused(&r, 429);
    // the service still answers
    svc.assert_healthy();
    svc.stop();
    // refused visits were not counted
    let visits = stored_visits(&site.db());
    let counted: i64 = visits.iter().map(|(_, _, c)| *c).sum();
    assert_eq!(counted as usize, ok, "{visits:?}");
    assert_eq!(stored_ratings(&site.db()), vec![]);
}

#[test]
fn rate_limit_is_per_client_address() {
    let site = Site::new();
    let mut svc = site.serve(&["--rate-limit", "5"]);
    let body = json!({"page": ILARIS}).to_string();
    let visit_from = |from: &str, xff: Option<&str>| {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(x) = xff {
            headers.push(("X-Forwarded-For", x));
        }
        request_from(
            from.parse().unwrap(),
            svc.addr,
            "POST",
            &svc.path("/visit"),
            &headers,
            body.as_bytes(),
        )
        .unwrap_or_else(|e| panic!("a request from {from}: {e}"))
    };
    let first: Vec<u16> = (0..5)
        .map(|_| visit_from("127.0.0.2", None).status)
        .collect();
    assert_eq!(first, [200; 5], "the first 5 pass");
    let refused = visit_from("127.0.0.2", None);
    assert_refused(&refused, 429);
    assert_eq!(
        refused.header("cache-control"),
        Some("no-store"),
        "{refused:?}"
    );
    // Without --trust-proxy a forwarded address changes nothing.
    assert_refused(&visit_from("127.0.0.2", Some("198.51.100.9")), 429);
    // Reading counts against the same limit.
    let r = request_from(
        "127.0.0.2".parse().unwrap(),
        svc.addr,
        "GET",
        &svc.path(&format!("/visits?page={}", urlencode(ILARIS))),
        &[],
        b"",
    )
    .unwrap();
    assert_refused(&r, 429);
    // Another address has a limit of its own.
    let others: Vec<u16> = (0..5)
        .map(|_| visit_from("127.0.0.3", None).status)
        .collect();
    assert_eq!(others, [200; 5], "another address is not limited");
    assert_refused(&visit_from("127.0.0.3", None), 429);
    svc.assert_healthy();
    svc.stop();
    let counted: i64 = stored_visits(&site.db()).iter().map(|v| v.2).sum();
    assert_eq!(counted, 10, "only the allowed visits are counted");
}

#[test]
fn rate_limit_behind_a_proxy_is_per_forwarded_address() {
    let site = Site::new();
    let svc = site.serve(&["--rate-limit", "5", "--trust-proxy"]);
    let visit = |xff: &str| {
        svc.request(
            "POST",
            "/visit",
            &[
                ("Content-Type", "application/json"),
                ("X-Forwarded-For", xff),
            ],
            json!({"page": ILARIS}).to_string().as_bytes(),
        )
    };
    let first: Vec<u16> = (0..5).map(|_| visit("198.51.100.1").status).collect();
    assert_eq!(first, [200; 5]);
    assert_refused(&visit("198.51.100.1"), 429);
    assert_eq!(
        visit("198.51.100.2").status,
        200,
        "another client is not limited"
    );
}

#[test]

fn rate_limit_behind_a_proxy_cannot_be_dodged_with_a_forged_header() {
    let site = Site::new();
    let svc = site.serve(&["--rate-limit", "5", "--trust-proxy"]);
    // What a proxy such as nginx (`$proxy_add_x_forwarded_for`) passes on when
    // the client 198.51.100.1 sent `X-Forwarded-For: <forged>` itself.
    let statuses: Vec<u16> = (0..10)
        .map(|i| {
            let xff = format!("203.0.113.{i}, 198.51.100.1");
            svc.request(
                "POST",
                "/visit",
                &[
                    ("Content-Type", "application/json"),
                    ("X-Forwarded-For", &xff),
                ],
                json!({"page": ILARIS}).to_string().as_bytes(),
            )
            .status
        })
        .collect();
    assert_eq!(&statuses[..5], [200; 5]);
    assert!(
        statuses[5..].iter().all(|s| *s == 429),
        "one client, one limit: {statuses:?}"
    );
}

#[test]
fn rate_limit_zero_turns_the_limit_off() {
    let site = Site::new();
    let svc = site.serve(&["--rate-limit", "0"]);
    let path = svc.path("/visits?page=%2F");
    let mut conn = KeepAlive::connect(svc.addr).unwrap();
    for i in 0..500 {
        let (r, closed) = conn.send("GET", &path, &[], b"").unwrap();
        assert_eq!(r.status, 200, "request {i}: {}", r.text());
        if closed {
            conn = KeepAlive::connect(svc.addr).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Privacy
// ---------------------------------------------------------------------------

#[test]
fn nothing_personal_is_stored_and_no_cookie_is_set() {
    let site = Site::new();
    let mut svc = site.serve(&["--trust-proxy"]);
    let agent = "test-agent-xyz";
    let forwarded = "198.51.100.23";
    let cookie = "session=cookie-value-qrs";
    let headers = |ct: &'static str| {
        vec![
            ("Content-Type", ct),
            ("User-Agent", agent),
            ("X-Forwarded-For", forwarded),
            ("Cookie", cookie),
            ("Referer", "http://127.0.0.1/referer-page"),
        ]
    };
    let mut responses = Vec::new();
    for (page, rating) in [(ILARIS, 4), (ILARIS, 2), (MTX, 5)] {
        responses.push(
            svc.request(
                "POST",
                "/rating",
                &headers("application/json"),
                json!({"page": page, "rating": rating, "comment": "fine"})
                    .to_string()
                    .as_bytes(),
            ),
        );
    }
    responses.push(svc.request(
        "POST",
        "/rating",
        &headers("application/x-www-form-urlencoded"),
        form(&[("page", MTX), ("rating", "3")]).as_bytes(),
    ));
    for page in [ILARIS, ILARIS, MTX, "/"] {
        responses.push(svc.request(
            "POST",
            "/visit",
            &headers("application/json"),
            json!({"page": page}).to_string().as_bytes(),
        ));
    }
    responses.push(svc.request(
        "GET",
        &format!("/visits?page={}", urlencode(ILARIS)),
        &headers("application/json"),
        b"",
    ));
    responses.push(svc.request("GET", "/health", &headers("text/plain"), b""));
    responses.push(svc.request("GET", "/nowhere", &headers("text/plain"), b""));
    responses.push(svc.request(
        "POST",
        "/rating",
        &headers("application/json"),
        b"{\"rating\":9}",
    ));
    let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [201, 201, 201, 303, 200, 200, 200, 200, 200, 200, 404, 400]
    );
    for r in &responses {
        assert_eq!(r.header("set-cookie"), None, "no cookie: {r:?}");
    }
    // Let the visit counts reach the database, then look at the files while
    // the service still runs (the WAL holds the recent writes) ...
    wait_for_stored_visits(&site, 4);
    let markers = [
        agent,
        "cookie-value-qrs",
        forwarded,
        "127.0.0.1",
        "referer-page",
    ];
    let check_files = |when: &str| {
        let mut seen = 0;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let path = format!("{}{suffix}", site.db().display());
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            seen += 1;
            for m in markers {
                assert!(
                    !bytes.windows(m.len()).any(|w| w == m.as_bytes()),
                    "{m:?} is in {path} ({when})"
                );
            }
        }
        assert!(seen > 0, "the database file exists");
    };
    check_files("while running");
    svc.kill();
    check_files("after a kill");
    // ... and at the schema and every row.
    let c = open_db(&site.db());
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.contains(&"ratings".to_owned()), "{tables:?}");
    assert!(tables.contains(&"visits".to_owned()), "{tables:?}");
    let forbidden = [
        "ip", "addr", "address", "agent", "ua", "cookie", "session", "user", "time", "hour",
        "referer", "referrer", "host", "client", "created", "ts",
    ];
    let mut rows_seen = 0;
    for table in &tables {
        let cols: Vec<(String, String)> = c
            .prepare(&format!("PRAGMA table_info(\"{table}\")"))
            .unwrap()
            .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (name, ty) in &cols {
            let lower = name.to_ascii_lowercase();
            let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
            for f in forbidden {
                assert!(
                    !words.contains(&f) && (f.len() <= 3 || !lower.contains(f)),
                    "column {table}.{name} looks personal"
                );
            }
            let ty = ty.to_ascii_lowercase();
            assert!(
                !ty.contains("time") && !ty.contains("blob"),
                "column {table}.{name} has type {ty}"
            );
        }
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            rows_seen += 1;
            for (i, (name, _)) in cols.iter().enumerate() {
                let v: rusqlite::types::Value = row.get(i).unwrap();
                match v {
                    rusqlite::types::Value::Text(s) => {
                        for m in markers {
                            assert!(!s.contains(m), "{table}.{name} holds {m:?}: {s:?}");
                        }
                        if name == "day" {
                            assert!(is_day(&s), "{table}.{name} is a day only: {s:?}");
                        }
                        let b = s.as_bytes();
                        assert!(
                            !b.windows(5).any(|w| w[0].is_ascii_digit()
                                && w[1].is_ascii_digit()
                                && w[2] == b':'
                                && w[3].is_ascii_digit()
                                && w[4].is_ascii_digit()),
                            "{table}.{name} holds a time of day: {s:?}"
                        );
                    }
                    rusqlite::types::Value::Integer(n) => {
                        assert!(
                            n < 1_000_000_000,
                            "{table}.{name} = {n} looks like a timestamp or an address"
                        );
                    }
                    rusqlite::types::Value::Real(f) => {
                        panic!("{table}.{name} holds a real number {f}, a timestamp?")
                    }
                    rusqlite::types::Value::Blob(b) => {
                        panic!("{table}.{name} holds a blob of {} bytes", b.len())
                    }
                    rusqlite::types::Value::Null => {}
                }
            }
        }
    }
    // 4 ratings and 3 (page, day) visit counts
    assert!(rows_seen >= 7, "the rows were written ({rows_seen})");
    assert_eq!(stored_ratings(&site.db()).len(), 4);
}

// ---------------------------------------------------------------------------
// 4. Durability
// ---------------------------------------------------------------------------

#[test]
fn new_database_is_in_wal_mode_with_schema_version_1() {
    let site = Site::new();
    assert!(!site.db().exists());
    let mut svc = site.serve(&[]);
    assert!(site.db().is_file(), "the database is created on start");
    assert_eq!(svc.rate(ILARIS, 4, "").status, 201);
    {
        let c = open_db(&site.db());
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode.to_ascii_lowercase(), "wal");
        let version: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 1);
    }
    let status = svc.stop();
    assert!(status.success(), "a graceful stop exits with 0: {status:?}");
    let c = open_db(&site.db());
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_ascii_lowercase(), "wal", "WAL mode is persistent");
}

#[test]
fn reopening_an_existing_database_keeps_its_data() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    assert_eq!(svc.rate(ILARIS, 4, "kept across restarts").status, 201);
    for _ in 0..2 {
        assert_eq!(
            svc.post_json("/visit", &json!({"page": ILARIS})).status,
            200
        );
    }
    assert!(svc.stop().success());
    let mut svc = site.serve(&[]);
    assert_eq!(
        svc.visits(ILARIS),
        2,
        "today's count goes on after a restart"
    );
    let r = svc.post_json("/visit", &json!({"page": ILARIS}));
    assert_eq!(r.json()["today"], 3);
    assert_eq!(svc.rate(ILARIS, 2, "").status, 201);
    assert!(svc.stop().success());
    let report = site.report_json(&[]);
    let pages = report["pages"].as_array().unwrap();
    let ilaris = pages
        .iter()
        .find(|p| p["page"] == ILARIS)
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(ilaris["ratings"], 2, "{ilaris}");
    assert_eq!(ilaris["distribution"], json!([0, 1, 0, 1, 0]));
    assert_eq!(ilaris["latest_comments"][0]["text"], "kept across restarts");
    assert_eq!(ilaris["visits_today"], 3);
    let c = open_db(&site.db());
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "no migration runs twice");
}

#[test]
fn acknowledged_ratings_survive_kill_9() {
    let site = Site::new();
    let mut svc = site.serve(&["--rate-limit", "0"]);
    let addr = svc.addr;
    let path = svc.path("/rating");
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let acked_n = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (acked, acked_n, stop, path) =
                (acked.clone(), acked_n.clone(), stop.clone(), path.clone());
            std::thread::spawn(move || {
                let mut sent = 0;
                for i in 0..500 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let comment = format!("t{t}-n{i}");
                    let body = json!({"page": ILARIS, "rating": 1 + (i % 5), "comment": comment})
                        .to_string();
                    sent += 1;
                    match request(
                        addr,
                        "POST",
                        &path,
                        &[("Content-Type", "application/json")],
                        body.as_bytes(),
                    ) {
                        Ok(r) if r.status == 201 => {
                            acked.lock().unwrap().push(comment);
                            acked_n.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(r) => panic!("unexpected answer {}: {}", r.status, r.text()),
                        // the service was killed
                        Err(_) => break,
                    }
                }
                sent
            })
        })
        .collect();
    // Kill while the clients are still sending.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while acked_n.load(Ordering::SeqCst) < 100 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    svc.kill();
    stop.store(true, Ordering::Relaxed);
    let sent: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    let acked = acked.lock().unwrap().clone();
    eprintln!("sent {sent}, acknowledged {} before the kill", acked.len());
    assert!(
        acked.len() >= 100,
        "ratings were acknowledged: {}",
        acked.len()
    );
    // restart on the same database
    let mut svc = site.serve(&["--rate-limit", "0"]);
    svc.assert_healthy();
    assert_eq!(svc.rate(MTX, 3, "after restart").status, 201);
    svc.stop();
    let stored = stored_ratings(&site.db());
    let ilaris: std::collections::HashSet<&str> = stored
        .iter()
        .filter(|r| r.page == ILARIS)
        .map(|r| r.comment.as_str())
        .collect();
    assert!(
        ilaris.len() >= acked.len(),
        "{} stored, {} acknowledged",
        ilaris.len(),
        acked.len()
    );
    assert!(ilaris.len() <= sent, "no more stored than sent");
    let lost: Vec<&String> = acked
        .iter()
        .filter(|c| !ilaris.contains(c.as_str()))
        .collect();
    assert!(lost.is_empty(), "acknowledged ratings lost: {lost:?}");
    assert!(stored.iter().any(|r| r.comment == "after restart"));
}

#[test]
fn visit_counts_survive_kill_9_after_a_flush() {
    let site = Site::new();
    let mut svc = site.serve(&["--rate-limit", "0"]);
    for i in 1..=20 {
        let r = svc.post_json("/visit", &json!({"page": ILARIS}));
        assert_eq!(r.json()["today"], i);
    }
    let seen = svc.visits(ILARIS);
    assert_eq!(seen, 20);
    wait_for_stored_visits(&site, 20);
    svc.kill();
    let svc = site.serve(&["--rate-limit", "0"]);
    let after = svc.visits(ILARIS);
    assert!(
        after >= seen,
        "{after} visits after the restart, {seen} before"
    );
    assert!(after <= 20, "no visits invented: {after}");
    let r = svc.post_json("/visit", &json!({"page": ILARIS}));
    assert_eq!(r.json()["today"], after + 1, "counting goes on");
}

// ---------------------------------------------------------------------------
// 5. Concurrency
// ---------------------------------------------------------------------------

#[test]
fn concurrent_visits_are_all_counted() {
    let site = Site::new();
    let mut svc = site.serve(&["--rate-limit", "0"]);
    let addr = svc.addr;
    let path = svc.path("/visit");
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let body = json!({"page": ILARIS}).to_string();
                (0..100)
                    .map(|_| {
                        let r = request(
                            addr,
                            "POST",
                            &path,
                            &[("Content-Type", "application/json")],
                            body.as_bytes(),
                        )
                        .expect("visit");
                        assert_eq!(r.status, 200, "{}", r.text());
                        r.json()["today"].as_u64().unwrap()
                    })
                    .collect::<Vec<u64>>()
            })
        })
        .collect();
    let mut answers: Vec<u64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    answers.sort_unstable();
    assert_eq!(
        answers,
        (1..=800).collect::<Vec<u64>>(),
        "every visit got its own number"
    );
    assert_eq!(svc.visits(ILARIS), 800);
    assert_eq!(svc.visits(MTX), 0);
    svc.stop();
    let visits = stored_visits(&site.db());
    assert_eq!(visits.len(), 1, "{visits:?}");
    assert_eq!(visits[0].2, 800, "the stored count");
}

// ---------------------------------------------------------------------------
// 6. CORS
// ---------------------------------------------------------------------------

const ORIGIN: &str = "http://127.0.0.1:9999";

fn cors_headers(r: &Resp) -> Vec<&(String, String)> {
    r.headers
        .iter()
        .filter(|(k, _)| k.to_ascii_lowercase().starts_with("access-control-"))
        .collect()
}

#[test]
fn cors_allows_the_listed_origin_only() {
    let site = Site::new();
    let svc = site.serve(&["--allow-origin", ORIGIN]);
    let body = json!({"page": ILARIS, "rating": 5}).to_string();
    let r = svc.request(
        "POST",
        "/rating",
        &[("Content-Type", "application/json"), ("Origin", ORIGIN)],
        body.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let r = svc.request(
        "GET",
        &format!("/visits?page={}", urlencode(ILARIS)),
        &[("Origin", ORIGIN)],
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    // preflight
    let r = svc.request(
        "OPTIONS",
        "/rating",
        &[
            ("Origin", ORIGIN),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        b"",
    );
    assert!(
        (200..300).contains(&r.status),
        "preflight {}: {}",
        r.status,
        r.text()
    );
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let methods = r
        .header("access-control-allow-methods")
        .unwrap_or_default()
        .to_ascii_uppercase();
    assert!(methods.contains("POST"), "allowed methods: {methods:?}");
    let allowed_headers = r
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        allowed_headers.contains("content-type") || allowed_headers.contains('*'),
        "allowed headers: {allowed_headers:?}"
    );
    // another origin
    let r = svc.request(
        "POST",
        "/rating",
        &[
            ("Content-Type", "application/json"),
            ("Origin", "http://evil.example"),
        ],
        body.as_bytes(),
    );
    assert_eq!(r.header("access-control-allow-origin"), None, "{r:?}");
    let r = svc.request(
        "OPTIONS",
        "/rating",
        &[
            ("Origin", "http://evil.example"),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), None, "{r:?}");
    // a look-alike of the allowed origin
    let r = svc.request(
        "GET",
        "/health",
        &[("Origin", "http://127.0.0.1:99999")],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), None, "{r:?}");
}

#[test]
fn without_allow_origin_there_are_no_cors_headers() {
    let site = Site::new();
    let svc = site.serve(&[]);
    let r = svc.request(
        "POST",
        "/rating",
        &[("Content-Type", "application/json"), ("Origin", ORIGIN)],
        json!({"page": ILARIS, "rating": 5}).to_string().as_bytes(),
    );
    assert_eq!(r.status, 201);
    assert_eq!(cors_headers(&r), Vec::<&(String, String)>::new());
    let r = svc.request(
        "OPTIONS",
        "/rating",
        &[
            ("Origin", ORIGIN),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    );
    assert_eq!(cors_headers(&r), Vec::<&(String, String)>::new());
    let r = svc.request("GET", "/health", &[("Origin", "http://evil.example")], b"");
    assert_eq!(cors_headers(&r), Vec::<&(String, String)>::new());
}

// ---------------------------------------------------------------------------
// 7. Report
// ---------------------------------------------------------------------------

/// A database with ratings 1, 2, 2 on Ilaris and 5, 4, 5 on Methotrexate,
/// comments, and visits (Ilaris 3, Methotrexate 1).
fn rated_site() -> Site {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    for (page, rating, comment) in [
        (ILARIS, 1, "Too hard <script>alert(1)</script>"),
        (MTX, 5, "Very clear"),
        (ILARIS, 2, "Dose table, confusing"),
        (MTX, 4, ""),
        (ILARIS, 2, ""),
        (MTX, 5, ""),
    ] {
        let r = svc.rate(page, rating, comment);
        assert_eq!(r.status, 201, "{}", r.text());
    }
    for page in [ILARIS, ILARIS, ILARIS, MTX] {
        assert_eq!(svc.post_json("/visit", &json!({"page": page})).status, 200);
    }
    assert!(svc.stop().success());
    site
}

fn page<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["page"] == path)
        .unwrap_or_else(|| panic!("{path} in {report}"))
}

#[test]
fn json_report_has_the_figures_with_the_low_page_first() {
    let site = rated_site();
    let report = site.report_json(&[]);
    let pages = report["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 2, "{report}");
    assert_eq!(pages[0]["page"], ILARIS, "the low page comes first");
    assert_eq!(pages[1]["page"], MTX);
    let i = page(&report, ILARIS);
    assert_eq!(i["ratings"], 3);
    assert_eq!(i["distribution"], json!([1, 2, 0, 0, 0]));
    assert!(
        (i["mean"].as_f64().unwrap() - 5.0 / 3.0).abs() < 1e-9,
        "{i}"
    );
    let texts: Vec<&str> = i["latest_comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Dose table, confusing",
            "Too hard <script>alert(1)</script>"
        ],
        "the latest comments, newest first"
    );
    assert_eq!(i["latest_comments"][0]["rating"], 2);
    assert!(is_day(i["latest_comments"][0]["day"].as_str().unwrap()));
    assert_eq!(i["visits_today"], 3);
    assert_eq!(i["visits_7_days"], 3);
    assert_eq!(i["visits_30_days"], 3);
    let m = page(&report, MTX);
    assert_eq!(m["ratings"], 3);
    assert_eq!(m["distribution"], json!([0, 0, 0, 1, 2]));
    assert!(
        (m["mean"].as_f64().unwrap() - 14.0 / 3.0).abs() < 1e-9,
        "{m}"
    );
    assert_eq!(m["latest_comments"][0]["text"], "Very clear");
    assert_eq!(m["visits_today"], 1);
    assert!(is_day(report["generated"].as_str().unwrap()));
}

#[test]
fn csv_report_has_a_header_and_a_line_per_page() {
    let site = rated_site();
    let root = site.root().to_str().unwrap().to_owned();
    let out = site.report(&["--format", "csv", "--site", &root]);
    assert!(out.status.success(), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[0].starts_with("page,lang,"), "a header: {}", lines[0]);
    assert!(lines[0].contains("mean"), "{}", lines[0]);
    assert!(
        lines[1].starts_with(&format!("{ILARIS},en,3,")),
        "the low page first, in the site's language: {}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(&format!("{MTX},en,3,")),
        "{}",
        lines[2]
    );
    // a comment with a comma is quoted, so the line keeps its columns
    assert!(
        lines[1].contains("\"") && lines[1].contains("Dose table, confusing"),
        "{}",
        lines[1]
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 2);
    for r in &records {
        assert_eq!(r.len(), header.len(), "{r:?}");
    }
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&records[0][column("page")], ILARIS);
    assert_eq!(&records[0][column("ratings")], "3");
    assert_eq!(&records[0][column("mean")], "1.667");
    assert_eq!(&records[0][column("r2")], "2");
    assert_eq!(&records[0][column("visits_today")], "3");
    let comments = &records[0][column("latest_comments")];
    assert!(
        comments.contains("(2): Dose table, confusing | ")
            && comments.ends_with("(1): Too hard <script>alert(1)</script>"),
        "{comments}"
    );
    let table = site.report(&[]);
    assert!(table.status.success(), "{}", table.stderr);
    assert!(table.stdout.contains(ILARIS) && table.stdout.contains(MTX));
}

#[test]
fn csv_report_keeps_quotes_line_breaks_and_formulas_inert() {
    let site = Site::new();
    let mut svc = site.serve(&[]);
    let comment = "=HYPERLINK(\"http://x\"), said \"no\"\nsecond line";
    assert_eq!(svc.rate(ILARIS, 2, comment).status, 201);
    assert!(svc.stop().success());
    let out = site.report(&["--format", "csv"]);
    assert!(out.status.success(), "{}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let comments = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "latest_comments")
        .unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 1, "{}", out.stdout);
    let field = &records[0][comments];
    assert!(
        field.ends_with(&format!("(2): {comment}")),
        "the comment comes back whole: {field:?}"
    );
    // No field starts like a formula: the comments start with their day.
    for f in records[0].iter() {
        assert!(!f.starts_with(['=', '+', '-', '@']), "{f:?}");
    }
}

#[test]
fn html_report_is_one_self_contained_accessible_file() {
    let site = rated_site();
    let file = site.root().join("report.html");
    let out = site.report(&["--html", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", out.stderr);
    let html = std::fs::read_to_string(&file).expect("the HTML report is written");
    let lower = html.to_ascii_lowercase();
    assert!(lower.starts_with("<!doctype html>"), "{html}");
    assert!(!lower.contains("<script"), "no script: {html}");
    for attr in ["src=", "href="] {
        for q in ["\"", "'", ""] {
            for scheme in ["http:", "https:", "//"] {
                let bad = format!("{attr}{q}{scheme}");
                assert!(!lower.contains(&bad), "no outside request ({bad}): {html}");
            }
        }
    }
    assert!(!lower.contains("url(http") && !lower.contains("@import"));
    assert!(lower.contains("<html lang="), "{html}");
    assert!(lower.contains("<table"), "{html}");
    assert!(lower.contains("<caption>"), "{html}");
    assert!(lower.contains("<th scope="), "{html}");
    assert!(
        html.contains("Too hard &lt;script&gt;alert(1)&lt;/script&gt;"),
        "the HTML-looking comment is escaped: {html}"
    );
    assert!(html.contains(ILARIS) && html.contains(MTX));
    let ilaris_at = html.find(ILARIS).unwrap();
    let mtx_at = html.find(MTX).unwrap();
    assert!(ilaris_at < mtx_at, "the low page first");
}

#[test]
fn report_since_a_future_date_has_no_ratings() {
    let site = rated_site();
    let report = site.report_json(&["--since", "2999-01-01"]);
    assert_eq!(report["since"], "2999-01-01");
    for p in report["pages"].as_array().unwrap() {
        assert_eq!(p["ratings"], 0, "{p}");
        assert_eq!(p["distribution"], json!([0, 0, 0, 0, 0]), "{p}");
        assert_eq!(p["latest_comments"], json!([]), "{p}");
        assert!(p["mean"].is_null(), "{p}");
    }
    // a past date keeps them all
    let report = site.report_json(&["--since", "2000-01-01"]);
    assert_eq!(page(&report, ILARIS)["ratings"], 3);
    // a date that is not one is refused
    let out = site.report(&["--since", "yesterday"]);
    assert!(!out.status.success());
    assert!(out.stderr.contains("yesterday"), "{}", out.stderr);
}

#[test]
fn report_on_a_missing_database_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("no-such-feedback.sqlite");
    let out = report(&db, &["--format", "json"]);
    assert!(!out.status.success(), "exit status {:?}", out.status);
    assert!(
        out.stderr.contains("no-such-feedback.sqlite"),
        "the message names the file: {}",
        out.stderr
    );
    assert!(out.stdout.trim().is_empty(), "{}", out.stdout);
    assert!(!db.exists(), "the report does not create the database");
}

// ---------------------------------------------------------------------------
// 8. Startup errors
// ---------------------------------------------------------------------------

fn serve_expecting_failure(args: &[&std::ffi::OsStr]) -> Output {
    run_bounded(
        std::process::Command::new(bin())
            .args(["feedback", "serve"])
            .args(args),
        Duration::from_secs(30),
    )
}

#[test]
fn site_without_index_html_is_refused_on_start() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("not-built");
    std::fs::create_dir_all(&empty).unwrap();
    let db = tmp.path().join("f.sqlite");
    let out = serve_expecting_failure(&[
        "--db".as_ref(),
        db.as_os_str(),
        "--site".as_ref(),
        empty.as_os_str(),
        "--bind".as_ref(),
        "127.0.0.1:0".as_ref(),
    ]);
    assert!(!out.status.success(), "exit status {:?}", out.status);
    assert!(
        out.stderr.contains("medsite build"),
        "the message says to run `medsite build`: {}",
        out.stderr
    );
    assert!(out.stderr.contains("not-built"), "{}", out.stderr);
    assert!(
        !out.stdout.contains("feedback service on"),
        "{}",
        out.stdout
    );
}

#[test]
fn bind_address_in_use_is_a_clear_error() {
    let site = Site::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let db = site.db();
    let dir = site.site_dir();
    let out = serve_expecting_failure(&[
        "--db".as_ref(),
        db.as_os_str(),
        "--site".as_ref(),
        dir.as_os_str(),
        "--bind".as_ref(),
        addr.as_ref(),
    ]);
    drop(taken);
    assert!(!out.status.success(), "exit status {:?}", out.status);
    assert!(
        out.stderr.contains(&addr),
        "the message names the address: {}",
        out.stderr
    );
    let lower = out.stderr.to_ascii_lowercase();
    assert!(
        lower.contains("in use") || lower.contains("listen"),
        "{}",
        out.stderr
    );
}
