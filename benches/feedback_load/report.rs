//! What the bench prints: a run's table, the per-run figures side by side,
//! the medians, the targets with PASS or MISS, and the table that puts the
//! stores (SQLite, PostgreSQL, two instances on PostgreSQL) side by side.
//!
//! Not for: measuring (`load.rs`); the figures here are only formatted,
//! compared with the targets, or reduced to medians.

use crate::load::{Kind, Row, Run};
use crate::{P99_MS, RATINGS_PER_SEC, VISITS_PER_SEC};

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

pub fn print_rows(rows: &[Row]) {
    println!(
        "| {:<30} | {:>9} | {:>6} | {:>9} | {:>7} | {:>7} | {:>7} | {:>8} | {:>10} | {:>10} | {:>6} | {:>9} |",
        "phase",
        "answered",
        "errors",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "server CPU",
        "client CPU",
        "db CPU",
        "other CPU"
    );
    println!(
        "|{:-<32}|{:->11}|{:->8}|{:->11}|{:->9}|{:->9}|{:->9}|{:->10}|{:->12}|{:->12}|{:->8}|{:->11}|",
        ":", ":", ":", ":", ":", ":", ":", ":", ":", ":", ":", ":"
    );
    for r in rows {
        println!(
            "| {:<30} | {:>9} | {:>6} | {:>9.0} | {:>7.2} | {:>7.2} | {:>7.2} | {:>8.2} | {:>9.0}% | {:>9.0}% | {:>5.0}% | {:>8.0}% |",
            r.name,
            r.ok,
            r.errors,
            r.per_sec,
            r.p50,
            r.p90,
            r.p99,
            r.max,
            r.server_cpu,
            r.client_cpu,
            r.db_cpu,
            r.other_cpu
        );
    }
    let open: Vec<&Row> = rows.iter().filter(|r| r.p99_sent.is_some()).collect();
    if !open.is_empty() {
        println!(
            "open loop: latency is measured from the time each request was due; p99 from the actual send: {}",
            open.iter()
                .map(|r| format!("{} {:.2} ms", r.name, r.p99_sent.unwrap_or(f64::NAN)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The targets, judged on `rows` (one run's, or the medians).
pub fn print_targets(rows: &[Row], errors: u64, consistent: bool) -> bool {
    let mut all = true;
    println!(
        "| {:<46} | {:>14} | {:>16} | {:<4} |",
        "target", "wanted", "measured", ""
    );
    println!("|{:-<48}|{:->16}|{:->18}|{:-<6}|", "", ":", ":", "");
    let mut line = |what: String, wanted: String, measured: String, ok: bool| {
        all &= ok;
        println!(
            "| {:<46} | {:>14} | {:>16} | {:<4} |",
            what,
            wanted,
            measured,
            verdict(ok)
        );
    };
    for r in rows {
        match (r.open_rate, r.kind) {
            (None, Kind::Visit) => line(
                format!("{}: visit posts/s", r.name),
                format!(">= {VISITS_PER_SEC:.0}"),
                format!("{:.0}", r.per_sec),
                r.per_sec >= VISITS_PER_SEC,
            ),
            (None, Kind::Rating) => line(
                format!("{}: durable ratings/s", r.name),
                format!(">= {RATINGS_PER_SEC:.0}"),
                format!("{:.0}", r.per_sec),
                r.per_sec >= RATINGS_PER_SEC,
            ),
            (Some(_), _) => line(
                format!("{}: p99", r.name),
                format!("< {P99_MS} ms"),
                format!("{:.2} ms", r.p99),
                r.p99 < P99_MS,
            ),
        }
    }
    line(
        "errors (all phases, warm-up included)".into(),
        "0".into(),
        errors.to_string(),
        errors == 0,
    );
    line(
        "stored ratings == 201 answers (and visits)".into(),
        "equal".into(),
        if consistent { "equal" } else { "DIFFERENT" }.into(),
        consistent,
    );
    all
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

pub fn median_rows(runs: &[Run]) -> Vec<Row> {
    let first = &runs[0].rows;
    (0..first.len())
        .map(|i| {
            let m = |f: &dyn Fn(&Row) -> f64| median(runs.iter().map(|r| f(&r.rows[i])).collect());
            Row {
                name: first[i].name.clone(),
                kind: first[i].kind,
                open_rate: first[i].open_rate,
                ok: m(&|r| r.ok as f64) as u64,
                errors: runs.iter().map(|r| r.rows[i].errors).sum(),
                per_sec: m(&|r| r.per_sec),
                p50: m(&|r| r.p50),
                p90: m(&|r| r.p90),
                p99: m(&|r| r.p99),
                max: m(&|r| r.max),
                p99_sent: first[i]
                    .p99_sent
                    .map(|_| m(&|r| r.p99_sent.unwrap_or(f64::NAN))),
                server_cpu: m(&|r| r.server_cpu),
                client_cpu: m(&|r| r.client_cpu),
                db_cpu: m(&|r| r.db_cpu),
                other_cpu: m(&|r| r.other_cpu),
            }
        })
        .collect()
}

/// What a run's database check found.
pub fn print_db_check(run: &Run) {
    let split = |v: &[u64]| {
        if v.len() > 1 {
            format!(
                " ({})",
                v.iter().map(u64::to_string).collect::<Vec<_>>().join(" + ")
            )
        } else {
            String::new()
        }
    };
    println!(
        "database check: {} ratings stored, {} `201` answers{}; {} visits stored, {} `200` answers to /visit{}{}",
        run.stored_ratings,
        run.created_total(),
        split(&run.created),
        run.stored_visits,
        run.counted_total(),
        split(&run.counted),
        match &run.stop {
            Ok(()) => String::new(),
            Err(e) => format!("; stopping: {e}"),
        }
    );
    if !run.errors.is_empty() {
        println!("errors:");
        for (what, n) in &run.errors {
            println!("  {n} x {what}");
        }
    }
}

/// One store's runs side by side: req/s of the closed loops, p99 of the
/// open loops, errors and the database check.
pub fn print_runs(runs: &[Run], medians: &[Row]) {
    let mut head = "| figure |".to_owned();
    let mut rule = "|:--|".to_owned();
    for n in 1..=runs.len() {
        head.push_str(&format!(" run {n} |"));
        rule.push_str("--:|");
    }
    println!("{head} median |");
    println!("{rule}--:|");
    for (i, m) in medians.iter().enumerate() {
        let (what, f, med): (String, fn(&Row) -> f64, f64) = match m.open_rate {
            None => (format!("{} req/s", m.name), |r| r.per_sec, m.per_sec),
            Some(_) => (format!("{} p99 ms", m.name), |r| r.p99, m.p99),
        };
        let cells: Vec<String> = runs
            .iter()
            .map(|r| r.rows.get(i).map_or(f64::NAN, f))
            .map(|v| {
                if m.open_rate.is_none() {
                    format!("{v:.0}")
                } else {
                    format!("{v:.2}")
                }
            })
            .collect();
        let med = if m.open_rate.is_none() {
            format!("{med:.0}")
        } else {
            format!("{med:.2}")
        };
        println!("| {what} | {} | {med} |", cells.join(" | "));
    }
    let errors: Vec<String> = runs
        .iter()
        .map(|r| r.errors.values().sum::<u64>().to_string())
        .collect();
    println!("| errors | {} | |", errors.join(" | "));
    let ratings: Vec<String> = runs
        .iter()
        .map(|r| format!("{} = {}", r.stored_ratings, r.created_total()))
        .collect();
    println!(
        "| ratings stored = `201` answers | {} | |",
        ratings.join(" | ")
    );
    let visits: Vec<String> = runs
        .iter()
        .map(|r| format!("{} = {}", r.stored_visits, r.counted_total()))
        .collect();
    println!(
        "| visits stored = `200` answers | {} | |",
        visits.join(" | ")
    );
}

/// One store's result, for the combined table.
pub struct StoreResult<'a> {
    pub name: &'a str,
    pub rows: Vec<Row>,
    pub errors: u64,
    pub consistent: bool,
}

/// A whole number with thousands separated by commas (70,768).
fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return "-".to_owned();
    }
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < -0.5 { format!("-{out}") } else { out }
}

fn closed(rows: &[Row], kind: Kind) -> Option<&Row> {
    rows.iter()
        .find(|r| r.open_rate.is_none() && r.kind == kind)
}

/// The stores side by side: the closed loops, then the open loops'
/// latencies (p50 / p99, ms, from the time each request was due).
pub fn print_combined(results: &[StoreResult<'_>]) {
    println!("closed loop (as fast as it answers):");
    println!();
    println!(
        "| store | visits/s | visit p50 ms | visit p99 ms | ratings/s | rating p50 ms | rating p99 ms | errors | database check |"
    );
    println!("|:--|--:|--:|--:|--:|--:|--:|--:|:--|");
    for s in results {
        let v = closed(&s.rows, Kind::Visit);
        let r = closed(&s.rows, Kind::Rating);
        let f = |r: Option<&Row>, g: fn(&Row) -> f64, digits: usize| {
            r.map_or("-".to_owned(), |r| {
                if digits == 0 {
                    thousands(g(r))
                } else {
                    format!("{:.*}", digits, g(r))
                }
            })
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.name,
            f(v, |r| r.per_sec, 0),
            f(v, |r| r.p50, 2),
            f(v, |r| r.p99, 2),
            f(r, |r| r.per_sec, 0),
            f(r, |r| r.p50, 2),
            f(r, |r| r.p99, 2),
            s.errors,
            if s.consistent { "holds" } else { "DIFFERENT" }
        );
    }
    let Some(first) = results.first() else {
        return;
    };
    let open: Vec<&Row> = first
        .rows
        .iter()
        .filter(|r| r.open_rate.is_some())
        .collect();
    if open.is_empty() {
        return;
    }
    println!();
    println!("open loop, p50 / p99 ms (from the time each request was due):");
    println!();
    println!(
        "| store | {} |",
        open.iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|:--|{}", "--:|".repeat(open.len()));
    for s in results {
        let cells: Vec<String> = open
            .iter()
            .map(|o| {
                s.rows
                    .iter()
                    .find(|r| r.name == o.name)
                    .map_or("-".to_owned(), |r| format!("{:.2} / {:.2}", r.p50, r.p99))
            })
            .collect();
        println!("| {} | {} |", s.name, cells.join(" | "));
    }
}
