//! The feedback service on PostgreSQL (`medsite feedback serve --db
//! postgres://…`): two instances of the real binary share one database of
//! a private PostgreSQL server that the test starts on a Unix socket of
//! its own (Debian's server binaries; `.ci/run` installs them). Visit
//! counts from both add up exactly; every acknowledged rating is stored
//! once; killing an instance with SIGKILL under load loses no
//! acknowledged rating; migrations run once however many instances start.

mod feedback_common;
#[path = "common/postgres.rs"]
mod postgres;

use feedback_common::*;
use postgres::Postgres;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const IGNORED: &str = "needs PostgreSQL's server (Debian postgresql); .ci/run installs it";

fn server() -> Postgres {
    match Postgres::start() {
        Ok(pg) => pg,
        Err(e) => panic!("{e} ({IGNORED})"),
    }
}

/// One query's single number, through the library's own driver.
fn number(pg: &Postgres, sql: &str) -> i64 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&pg.url(), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let row = client.query_one(sql, &[]).await.unwrap();
        row.get::<_, i64>(0)
    })
}

fn poll(pg: &Postgres, sql: &str, want: i64) -> i64 {
    let start = Instant::now();
    loop {
        let n = number(pg, sql);
        if n == want || start.elapsed() > Duration::from_secs(10) {
            return n;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[ignore = "needs PostgreSQL's server (Debian postgresql); .ci/run installs it"]
fn two_instances_share_one_database_exactly() {
    let pg = server();
    let site = Site::new();
    let db = PathBuf::from(pg.url());
    let a = Service::start(&db, &site.site_dir(), &["--rate-limit", "0"]);
    let b = Service::start(&db, &site.site_dir(), &["--rate-limit", "0"]);
    assert!(a.banner.contains("postgres://"), "{}", a.banner);
    assert!(
        !a.banner.contains("medsite@"),
        "the banner shows the user: {}",
        a.banner
    );

    // Visits from both, interleaved, from several threads.
    let page = "/medications/ilaris/";
    let (a, b) = (Arc::new(a), Arc::new(b));
    let mut threads = Vec::new();
    for t in 0..4 {
        let svc = if t % 2 == 0 { a.clone() } else { b.clone() };
        threads.push(std::thread::spawn(move || {
            for _ in 0..50 {
                let r = svc.post_json("/visit", &serde_json::json!({"page": page}));
                assert_eq!(r.status, 200, "{}", r.text());
            }
        }));
    }
    for t in threads {
        t.join().unwrap();
    }
    let stored = poll(
        &pg,
        "SELECT COALESCE(SUM(count), 0)::bigint FROM visits",
        200,
    );
    assert_eq!(stored, 200, "visits in the database");
    // Each instance sees the shared count once it has added its own.
    let r = a.post_json("/visit", &serde_json::json!({"page": page}));
    assert_eq!(r.status, 200);
    let start = Instant::now();
    while a.visits(page) != 201 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        a.visits(page),
        201,
        "instance a's count after adding its own"
    );
    assert_eq!(
        poll(
            &pg,
            "SELECT COALESCE(SUM(count), 0)::bigint FROM visits",
            201
        ),
        201
    );

    // Ratings to both: each acknowledged one stored once.
    for i in 0..20u8 {
        let svc = if i % 2 == 0 { &a } else { &b };
        let r = svc.rate(page, 1 + i % 5, &format!("comment {i}"));
        assert_eq!(r.status, 201, "{}", r.text());
    }
    assert_eq!(number(&pg, "SELECT COUNT(*) FROM ratings"), 20);
    assert_eq!(
        number(&pg, "SELECT COUNT(DISTINCT comment) FROM ratings"),
        20
    );
    // Two instances started: the migration ran once.
    assert_eq!(number(&pg, "SELECT COUNT(*) FROM medsite_migrations"), 1);

    // The report reads the same database.
    let out = report(&db, &["--format", "json"]);
    assert!(out.status.success(), "{}\n{}", out.stdout, out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let pages = j["pages"].as_array().unwrap();
    let p = pages.iter().find(|p| p["page"] == page).unwrap();
    assert_eq!(p["ratings"], 20, "{p}");
    assert_eq!(p["visits_today"], 201, "{p}");
    assert_eq!(p["latest_comments"][0]["text"], "comment 19", "{p}");
}

#[test]
#[ignore = "needs PostgreSQL's server (Debian postgresql); .ci/run installs it"]
fn a_killed_instance_loses_no_acknowledged_rating() {
    let pg = server();
    let site = Site::new();
    let db = PathBuf::from(pg.url());
    let mut a = Service::start(&db, &site.site_dir(), &["--rate-limit", "0"]);
    let addr = a.addr;
    let acked = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    for t in 0..4 {
        let acked = acked.clone();
        threads.push(std::thread::spawn(move || {
            for i in 0..400 {
                let body = serde_json::json!({"page": "/medications/ilaris/", "rating": 4, "comment": format!("{t}-{i}")}).to_string();
                let headers = [("Content-Type", "application/json")];
                match request(addr, "POST", "/api/feedback/rating", &headers, body.as_bytes()) {
                    Ok(r) if r.status == 201 => {
                        acked.fetch_add(1, Ordering::SeqCst);
                    }
                    _ => break,
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(700));
    a.kill();
    for t in threads {
        let _ = t.join();
    }
    let acked = acked.load(Ordering::SeqCst) as i64;
    assert!(acked > 0, "no rating was acknowledged before the kill");
    let stored = number(&pg, "SELECT COUNT(*) FROM ratings");
    assert!(stored >= acked, "{acked} acknowledged, {stored} stored");
    // And a new instance on the same database goes on.
    let b = Service::start(&db, &site.site_dir(), &["--rate-limit", "0"]);
    assert_eq!(b.rate("/medications/ilaris/", 5, "after").status, 201);
    assert_eq!(number(&pg, "SELECT COUNT(*) FROM ratings"), stored + 1);
}
