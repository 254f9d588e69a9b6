//! Load benchmark of the feedback service (`medsite feedback serve`), on
//! three stores: `sqlite` (one instance with its SQLite file), `pg` (one
//! instance on PostgreSQL) and `pg2` (two instances on one PostgreSQL
//! database, each connection of the load bound to one of them).
//!
//! Run with `cargo bench --bench feedback_load` (see benches/README.md).
//! Not for: correctness tests (tests/feedback_*.rs), or PostgreSQL tuning:
//! the server runs with its default settings.
//!
//! It builds the example site into a folder under /dev/shm, starts the
//! service there with a fresh database (a SQLite file on tmpfs, or a new
//! database of a private PostgreSQL server whose cluster is also on tmpfs,
//! reached over its Unix socket) on free ports of 127.0.0.1, and drives it
//! with a small HTTP/1.1 keep-alive client (`client.rs`):
//!
//! 1. closed loop, as fast as it answers: `POST /visit` on N connections;
//! 2. the same for `POST /rating` (each `201` is a committed rating);
//! 3. open loop at fixed rates (5,000 visits/s, 500 ratings/s, then both at
//!    once): requests are due on a schedule and latency is measured from the
//!    time a request was due, not from when it was sent, so a slow answer
//!    cannot hide the requests that queued behind it (coordinated omission);
//! 4. stops the instances with SIGTERM (they write pending visit counts)
//!    and checks that the database holds exactly as many ratings as `201`
//!    answers were received (and as many visits as `200` answers to
//!    `/visit`), summed over the instances; the figures only count if it
//!    does.
//!
//! At the end, one table puts the stores side by side.
//!
//! Settings (environment): `FEEDBACK_BENCH_STORES` (which stores, in this
//! order, `sqlite,pg,pg2`; PostgreSQL asked for and not installed is an
//! error, exit 2), `FEEDBACK_BENCH_SECS` (measured seconds per phase, 5),
//! `FEEDBACK_BENCH_WARMUP` (seconds of warm-up per phase, 1),
//! `FEEDBACK_BENCH_CONNS` (connections per stream, 32, split between the
//! instances), `FEEDBACK_BENCH_VISIT_RATE` (5000),
//! `FEEDBACK_BENCH_RATING_RATE` (500), `FEEDBACK_BENCH_RUNS` (whole runs,
//! each with new services and databases, the stores in turn within a run;
//! medians are printed when more than one, 1),
//! `FEEDBACK_BENCH_CLIENT_THREADS` (threads of the load generator, 1),
//! `FEEDBACK_BENCH_DIR` (where to put the site, the databases and the
//! PostgreSQL cluster, /dev/shm), `FEEDBACK_BENCH_KEEP=1` (keep the site and
//! SQLite files; the PostgreSQL cluster is always removed), `MEDSITE_BIN`
//! (the binary; default: the `medsite` that cargo builds for this bench,
//! target/release/medsite), `FEEDBACK_BENCH_STRICT=1` (exit 1 when a target
//! is missed; by default a miss is reported and exits 0),
//! `FEEDBACK_BENCH_RATE_LIMIT` (the service's `--rate-limit`, 0 = off; a
//! limit far above the load, such as 4000000000, puts every request through
//! the rate limiter without refusing any, to measure what the limiter costs).

mod client;
mod load;
mod machine;
#[path = "../../tests/common/postgres.rs"]
#[allow(dead_code)] // the tests' `Postgres::start` is not used here
mod postgres;
mod report;
mod service;

use load::{Kind, Mode, Phase, Run, Stream};
use service::{Database, PgServer};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const PAGE: &str = "/medications/ilaris/";
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

// Targets.
const VISITS_PER_SEC: f64 = 10_000.0;
const RATINGS_PER_SEC: f64 = 1_000.0;
const P99_MS: f64 = 10.0;

/// Where the service under load keeps its data, and how many instances.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum StoreKind {
    Sqlite,
    Pg,
    Pg2,
}

impl StoreKind {
    fn name(self) -> &'static str {
        match self {
            StoreKind::Sqlite => "sqlite",
            StoreKind::Pg => "pg",
            StoreKind::Pg2 => "pg2",
        }
    }

    fn instances(self) -> usize {
        match self {
            StoreKind::Pg2 => 2,
            _ => 1,
        }
    }

    fn is_postgres(self) -> bool {
        self != StoreKind::Sqlite
    }

    /// `FEEDBACK_BENCH_STORES`: names separated by commas.
    fn parse_list(list: &str) -> Result<Vec<StoreKind>, String> {
        let mut out = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let k = match name {
                "sqlite" => StoreKind::Sqlite,
                "pg" => StoreKind::Pg,
                "pg2" => StoreKind::Pg2,
                _ => {
                    return Err(format!(
                        "FEEDBACK_BENCH_STORES: unknown store `{name}` (known: sqlite, pg, pg2)"
                    ));
                }
            };
            if !out.contains(&k) {
                out.push(k);
            }
        }
        if out.is_empty() {
            return Err("FEEDBACK_BENCH_STORES names no store (known: sqlite, pg, pg2)".into());
        }
        Ok(out)
    }
}

pub struct Settings {
    secs: f64,
    warmup: f64,
    conns: usize,
    visit_rate: f64,
    rating_rate: f64,
    runs: usize,
    client_threads: usize,
    dir: PathBuf,
    keep: bool,
    bin: PathBuf,
    rate_limit: u32,
    stores: Vec<StoreKind>,
}

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("{name}={v} is not a number");
            std::process::exit(2)
        }),
        Err(_) => default,
    }
}

impl Settings {
    fn from_env() -> Settings {
        let bin = std::env::var_os("MEDSITE_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_medsite")));
        let dir = std::env::var_os("FEEDBACK_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let shm = PathBuf::from("/dev/shm");
                if shm.is_dir() {
                    shm
                } else {
                    std::env::temp_dir()
                }
            });
        Settings {
            secs: env_num("FEEDBACK_BENCH_SECS", 5.0f64).max(0.1),
            warmup: env_num("FEEDBACK_BENCH_WARMUP", 1.0f64).max(0.0),
            conns: env_num("FEEDBACK_BENCH_CONNS", 32usize).max(1),
            visit_rate: env_num("FEEDBACK_BENCH_VISIT_RATE", VISITS_PER_SEC / 2.0).max(1.0),
            rating_rate: env_num("FEEDBACK_BENCH_RATING_RATE", RATINGS_PER_SEC / 2.0).max(1.0),
            runs: env_num("FEEDBACK_BENCH_RUNS", 1usize).max(1),
            client_threads: env_num("FEEDBACK_BENCH_CLIENT_THREADS", 1usize).max(1),
            dir,
            keep: std::env::var("FEEDBACK_BENCH_KEEP").is_ok_and(|v| v == "1"),
            bin,
            rate_limit: env_num("FEEDBACK_BENCH_RATE_LIMIT", 0u32),
            stores: StoreKind::parse_list(
                &std::env::var("FEEDBACK_BENCH_STORES").unwrap_or_else(|_| "sqlite,pg,pg2".into()),
            )
            .unwrap_or_else(|e| {
                eprintln!("feedback_load: {e}");
                std::process::exit(2)
            }),
        }
    }
}

fn main() {
    let s = Settings::from_env();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = match tempfile::Builder::new()
        .prefix("medsite-feedback-bench-")
        .tempdir_in(&s.dir)
    {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "feedback_load: cannot create a folder in {}: {e}",
                s.dir.display()
            );
            std::process::exit(2);
        }
    };
    let code = match bench(&s, &manifest, work.path()) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) => {
            eprintln!("feedback_load: {e}");
            2
        }
    };
    if s.keep {
        println!("kept {}", work.keep().display());
    } else {
        drop(work);
    }
    // A missed target is a result, not a failure of the bench: exit 0 unless
    // asked otherwise, so that `cargo bench` goes on to other benches.
    if code == 2 || (code == 1 && std::env::var("FEEDBACK_BENCH_STRICT").is_ok_and(|v| v == "1")) {
        std::process::exit(code);
    }
}

fn bench(s: &Settings, manifest: &Path, work: &Path) -> Result<bool, String> {
    println!("medsite feedback service load benchmark");
    println!();
    println!("machine:");
    for (k, v) in machine::machine_info() {
        println!("  {k}: {v}");
    }
    println!("binary: {}", s.bin.display());
    println!("medsite commit: {}", commit(manifest));
    println!(
        "settings: {} s measured after {} s warm-up per phase, {} connections per stream, \
         open loop at {} visits/s and {} ratings/s, {} run(s), {} client thread(s), \
         rate limit {}, stores {}",
        s.secs,
        s.warmup,
        s.conns,
        s.visit_rate,
        s.rating_rate,
        s.runs,
        s.client_threads,
        if s.rate_limit == 0 {
            "off".to_owned()
        } else {
            format!("{}/min per address", s.rate_limit)
        },
        s.stores
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(",")
    );
    if !s.bin.is_file() {
        return Err(format!(
            "{} does not exist; run `cargo build --release` or set MEDSITE_BIN",
            s.bin.display()
        ));
    }
    println!("work folder: {}", work.display());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(s.client_threads)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;

    // The PostgreSQL server first, so that a missing one stops the bench
    // before anything is measured.
    let pg = if s.stores.iter().any(|k| k.is_postgres()) {
        let pg = rt.block_on(PgServer::start(&s.dir)).map_err(|e| {
            format!(
                "FEEDBACK_BENCH_STORES asks for PostgreSQL (pg, pg2) but its server cannot be started: {e}. \
                 FEEDBACK_BENCH_STORES=sqlite measures SQLite alone"
            )
        })?;
        println!("PostgreSQL server (private, Unix socket only, default settings):");
        for (k, v) in rt.block_on(pg.describe())? {
            println!("  {k}: {v}");
        }
        Some(pg)
    } else {
        None
    };

    // The example site (the repository root is the example site folder).
    let site = work.join("site");
    let out = Command::new(&s.bin)
        .arg("build")
        .arg("--root")
        .arg(manifest)
        .arg("--output")
        .arg(&site)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", s.bin.display()))?;
    if !out.status.success() {
        return Err(format!(
            "building the example site failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if !site
        .join(PAGE.trim_matches('/'))
        .join("index.html")
        .is_file()
    {
        return Err(format!("the example site has no page {PAGE}"));
    }

    let phases = [
        Phase {
            name: "1 closed loop visit",
            streams: vec![Stream {
                kind: Kind::Visit,
                mode: Mode::Closed,
            }],
        },
        Phase {
            name: "2 closed loop rating",
            streams: vec![Stream {
                kind: Kind::Rating,
                mode: Mode::Closed,
            }],
        },
        Phase {
            name: &format!("3a open loop visit @{}/s", s.visit_rate),
            streams: vec![Stream {
                kind: Kind::Visit,
                mode: Mode::Open(s.visit_rate),
            }],
        },
        Phase {
            name: &format!("3b open loop rating @{}/s", s.rating_rate),
            streams: vec![Stream {
                kind: Kind::Rating,
                mode: Mode::Open(s.rating_rate),
            }],
        },
        Phase {
            name: "3c mixed",
            streams: vec![
                Stream {
                    kind: Kind::Visit,
                    mode: Mode::Open(s.visit_rate),
                },
                Stream {
                    kind: Kind::Rating,
                    mode: Mode::Open(s.rating_rate),
                },
            ],
        },
    ];

    let ticks = machine::clock_ticks();
    let mut runs: Vec<Vec<Run>> = s.stores.iter().map(|_| Vec::new()).collect();
    for n in 1..=s.runs {
        for (k, store) in s.stores.iter().enumerate() {
            println!();
            println!("run {n} of {}, store {}", s.runs, store.name());
            let db = match (store, &pg) {
                (StoreKind::Sqlite, _) => {
                    Database::Sqlite(work.join(format!("feedback-{n}.sqlite")))
                }
                (_, Some(pg)) => Database::Postgres(
                    rt.block_on(pg.create(&format!("feedback_{}_{n}", store.name())))?,
                ),
                (_, None) => return Err("no PostgreSQL server".into()),
            };
            let postmaster = pg.as_ref().and_then(|p| p.postmaster);
            let run = rt.block_on(load::run_once(
                s,
                &site,
                &db,
                store.instances(),
                postmaster,
                ticks,
                &phases,
            ))?;
            println!();
            report::print_rows(&run.rows);
            println!();
            report::print_db_check(&run);
            runs[k].push(run);
        }
    }
    // Each store: its figures (the medians when several runs), its targets.
    let mut all = true;
    let mut results = Vec::new();
    for (store, runs) in s.stores.iter().zip(&runs) {
        let rows = if runs.len() == 1 {
            runs[0].rows.clone()
        } else {
            report::median_rows(runs)
        };
        let errors: u64 = runs.iter().flat_map(|r| r.errors.values()).sum();
        let consistent = runs.iter().all(Run::consistent);
        println!();
        println!(
            "== store {} ({} instance(s))",
            store.name(),
            store.instances()
        );
        if runs.len() > 1 {
            println!();
            println!(
                "median of {} runs (errors: the sum over all runs; the database check must hold in every run)",
                runs.len()
            );
            println!();
            report::print_rows(&rows);
            println!();
            report::print_runs(runs, &rows);
        }
        println!();
        all &= report::print_targets(&rows, errors, consistent);
        results.push(report::StoreResult {
            name: store.name(),
            rows,
            errors,
            consistent,
        });
    }
    println!();
    println!(
        "== all stores ({})",
        if s.runs > 1 {
            format!("medians of {} runs", s.runs)
        } else {
            "one run".to_owned()
        }
    );
    println!();
    report::print_combined(&results);
    drop(pg);
    Ok(all)
}

/// The commit of the medsite being measured, and whether it has changes.
fn commit(manifest: &Path) -> String {
    Command::new("git")
        .arg("-C")
        .arg(manifest)
        .args([
            "describe",
            "--always",
            "--dirty=+uncommitted changes",
            "--abbrev=7",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}
