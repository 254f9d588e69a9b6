//! The load: the phases' streams of requests (closed loop, open loop on a
//! schedule), the connections that send them, each bound to one instance of
//! the service, and what they saw (answers, latencies, errors, CPU used),
//! for one run on one store.
//!
//! Not for: starting the services or reading the database (`service.rs`),
//! or printing and judging the figures (`report.rs`).

use crate::client::Client;
use crate::machine;
use crate::service::{Database, Instances};
use crate::{PAGE, REQUEST_TIMEOUT, Settings};
use std::collections::BTreeMap;
use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Visit,
    Rating,
}

impl Kind {
    pub fn body(self, worker: usize, i: u64) -> String {
        match self {
            Kind::Visit => format!("{{\"page\":\"{PAGE}\"}}"),
            Kind::Rating => format!(
                "{{\"page\":\"{PAGE}\",\"rating\":{},\"comment\":\"Clear page, thanks ({worker}-{i})\"}}",
                i % 5 + 1
            ),
        }
    }

    fn ok_status(self) -> u16 {
        match self {
            Kind::Visit => 200,
            Kind::Rating => 201,
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Kind::Visit => "visit",
            Kind::Rating => "rating",
        }
    }
}

#[derive(Clone, Copy)]
pub enum Mode {
    /// As fast as answers come, on each connection.
    Closed,
    /// This many requests per second, due on a schedule.
    Open(f64),
}

#[derive(Clone, Copy)]
pub struct Stream {
    pub kind: Kind,
    pub mode: Mode,
}

/// What one worker (connection) saw.
#[derive(Default)]
struct Tally {
    /// Latencies (ns) of answered requests in the measured window: from the
    /// send (closed loop) or from the time the request was due (open loop).
    lat: Vec<u64>,
    /// Open loop: latency from the actual send.
    lat_sent: Vec<u64>,
    /// Expected answers in the measured window.
    ok: u64,
    /// Errors (warm-up included): non-2xx answers, I/O errors, timeouts.
    errors: BTreeMap<String, u64>,
    /// `201` answers to `/rating` and `200` answers to `/visit`, all phases.
    created: u64,
    counted: u64,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        self.lat.extend(o.lat);
        self.lat_sent.extend(o.lat_sent);
        self.ok += o.ok;
        for (k, v) in o.errors {
            *self.errors.entry(k).or_default() += v;
        }
        self.created += o.created;
        self.counted += o.counted;
    }

    /// Sends one request and tallies it; `rec`: inside the measured window.
    async fn one(
        &mut self,
        c: &mut Client,
        kind: Kind,
        path: &str,
        body: &str,
        due: Instant,
        rec: bool,
    ) {
        let sent = Instant::now();
        let r = tokio::time::timeout(REQUEST_TIMEOUT, c.post(path, body)).await;
        let done = Instant::now();
        match r {
            Ok(Ok(status)) => {
                if status == 201 && kind == Kind::Rating {
                    self.created += 1;
                }
                if status == 200 && kind == Kind::Visit {
                    self.counted += 1;
                }
                if status == kind.ok_status() {
                    if rec {
                        self.ok += 1;
                        self.lat.push((done - due).as_nanos() as u64);
                        self.lat_sent.push((done - sent).as_nanos() as u64);
                    }
                } else {
                    let what = format!(
                        "HTTP {status}: {}",
                        String::from_utf8_lossy(&c.body)
                            .chars()
                            .take(120)
                            .collect::<String>()
                    );
                    *self.errors.entry(what).or_default() += 1;
                }
            }
            Ok(Err(e)) => {
                c.reset();
                *self.errors.entry(format!("I/O: {e}")).or_default() += 1;
            }
            Err(_) => {
                c.reset();
                *self.errors.entry("timeout (10 s)".into()).or_default() += 1;
            }
        }
    }
}

async fn closed_worker(
    addr: SocketAddr,
    path: String,
    kind: Kind,
    id: usize,
    start: Instant,
    rec: Instant,
    end: Instant,
) -> Tally {
    let mut c = Client::new(addr);
    let mut t = Tally::default();
    tokio::time::sleep_until(start.into()).await;
    let mut i = 0u64;
    loop {
        let now = Instant::now();
        if now >= end {
            break;
        }
        let body = kind.body(id, i);
        i += 1;
        t.one(&mut c, kind, &path, &body, now, now >= rec).await;
    }
    t
}

/// The open loop's clock: a thread that releases request `i` at
/// `start + i / rate` (std's sleep is precise to tens of microseconds, where
/// tokio's timer rounds up to the next millisecond) into a queue that the
/// connections take from.
fn schedule(
    start: Instant,
    period_ns: f64,
    total: u64,
) -> Arc<tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<(u64, Instant)>>> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for i in 0..total {
            let due = start + Duration::from_nanos((i as f64 * period_ns) as u64);
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
            if tx.send((i, due)).is_err() {
                return;
            }
        }
    });
    Arc::new(tokio::sync::Mutex::new(rx))
}

async fn open_worker(
    addr: SocketAddr,
    path: String,
    kind: Kind,
    id: usize,
    queue: Arc<tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<(u64, Instant)>>>,
    first_rec: u64,
) -> Tally {
    let mut c = Client::new(addr);
    let mut t = Tally::default();
    loop {
        // The next due request; idle connections wait their turn here.
        let next = queue.lock().await.recv().await;
        let Some((i, due)) = next else { break };
        let body = kind.body(id, i);
        t.one(&mut c, kind, &path, &body, due, i >= first_rec).await;
    }
    t
}

/// The figures of one stream in one phase.
#[derive(Clone, Debug)]
pub struct Row {
    pub name: String,
    pub kind: Kind,
    pub open_rate: Option<f64>,
    pub ok: u64,
    pub errors: u64,
    pub per_sec: f64,
    /// Milliseconds.
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    /// Open loop: p99 from the actual send (ms).
    pub p99_sent: Option<f64>,
    /// CPU used during the measured window, % of one core: the service
    /// (all its instances), the bench, the PostgreSQL server (its
    /// postmaster and children; 0 on SQLite), and the rest of the machine
    /// (other programs).
    pub server_cpu: f64,
    pub client_cpu: f64,
    pub db_cpu: f64,
    pub other_cpu: f64,
}

fn pct(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let n = sorted.len();
    let i = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    sorted[i] as f64 / 1e6
}

pub struct Phase<'a> {
    pub name: &'a str,
    pub streams: Vec<Stream>,
}

/// One run on one store.
pub struct Run {
    pub rows: Vec<Row>,
    pub errors: BTreeMap<String, u64>,
    /// `201` answers to `/rating`, per instance (all phases, warm-up and
    /// the first request included).
    pub created: Vec<u64>,
    /// `200` answers to `/visit`, per instance.
    pub counted: Vec<u64>,
    pub stored_ratings: i64,
    pub stored_visits: i64,
    pub stop: Result<(), String>,
}

impl Run {
    pub fn created_total(&self) -> u64 {
        self.created.iter().sum()
    }

    pub fn counted_total(&self) -> u64 {
        self.counted.iter().sum()
    }

    /// The instances stopped cleanly, and the database holds exactly what
    /// was acknowledged.
    pub fn consistent(&self) -> bool {
        self.stop.is_ok()
            && self.stored_ratings == self.created_total() as i64
            && self.stored_visits == self.counted_total() as i64
    }
}

/// CPU readings at one moment: the instances, the bench, the database
/// server's processes, the machine.
struct CpuMark {
    server: Option<f64>,
    client: Option<f64>,
    db: std::collections::HashMap<u32, f64>,
    machine: Option<f64>,
}

fn cpu_mark(pids: &[u32], postmaster: Option<u32>, ticks: f64) -> CpuMark {
    let server = pids
        .iter()
        .map(|p| machine::cpu_secs(&p.to_string(), ticks))
        .sum::<Option<f64>>();
    CpuMark {
        server,
        client: machine::cpu_secs("self", ticks),
        db: postmaster
            .map(|p| machine::tree_cpu(p, ticks))
            .unwrap_or_default(),
        machine: machine::machine_busy_secs(ticks),
    }
}

/// What the phases of a run add up to.
pub struct Totals {
    /// `201` answers to `/rating`, `200` answers to `/visit`, per instance.
    pub created: Vec<u64>,
    pub counted: Vec<u64>,
    pub errors: BTreeMap<String, u64>,
}

/// Runs one phase; `totals` gathers every answer.
async fn run_phase(
    s: &Settings,
    inst: &Instances,
    postmaster: Option<u32>,
    ticks: f64,
    phase: &Phase<'_>,
    totals: &mut Totals,
) -> Vec<Row> {
    let start = Instant::now() + Duration::from_millis(50);
    let rec = start + Duration::from_secs_f64(s.warmup);
    let end = rec + Duration::from_secs_f64(s.secs);
    let n = inst.list.len();
    // (stream, instance, worker)
    let mut handles = Vec::new();
    for (si, st) in phase.streams.iter().enumerate() {
        let queue = match st.mode {
            Mode::Open(rate) => {
                let total = ((s.warmup + s.secs) * rate).round() as u64;
                Some(schedule(start, 1e9 / rate, total))
            }
            Mode::Closed => None,
        };
        for id in 0..s.conns {
            // Connection `id` talks to instance `id % n` only.
            let svc = &inst.list[id % n];
            let path = svc.path(st.kind.path());
            let h = match (st.mode, &queue) {
                (Mode::Open(rate), Some(q)) => tokio::spawn(open_worker(
                    svc.addr,
                    path,
                    st.kind,
                    id,
                    q.clone(),
                    (s.warmup * rate).round() as u64,
                )),
                _ => tokio::spawn(closed_worker(svc.addr, path, st.kind, id, start, rec, end)),
            };
            handles.push((si, id % n, h));
        }
    }
    let pids = inst.pids();
    tokio::time::sleep_until(rec.into()).await;
    let cpu0 = cpu_mark(&pids, postmaster, ticks);
    let t0 = Instant::now();
    tokio::time::sleep_until(end.into()).await;
    let cpu1 = cpu_mark(&pids, postmaster, ticks);
    let wall = t0.elapsed().as_secs_f64();
    let usage = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (b - a) / wall * 100.0,
        _ => f64::NAN,
    };
    let server_cpu = usage(cpu0.server, cpu1.server);
    let client_cpu = usage(cpu0.client, cpu1.client);
    let db_cpu = machine::tree_cpu_used(&cpu0.db, &cpu1.db) / wall * 100.0;
    let other_cpu = (usage(cpu0.machine, cpu1.machine) - server_cpu - client_cpu - db_cpu).max(0.0);
    let mut per_stream: Vec<Tally> = phase.streams.iter().map(|_| Tally::default()).collect();
    for (si, i, h) in handles {
        let t = h.await.unwrap_or_else(|e| {
            let mut t = Tally::default();
            t.errors.insert(format!("load worker failed: {e}"), 1);
            t
        });
        totals.created[i] += t.created;
        totals.counted[i] += t.counted;
        per_stream[si].merge(t);
    }
    let mut rows = Vec::new();
    for (st, mut t) in phase.streams.iter().zip(per_stream) {
        t.lat.sort_unstable();
        t.lat_sent.sort_unstable();
        let open_rate = match st.mode {
            Mode::Open(r) => Some(r),
            Mode::Closed => None,
        };
        let name = match (phase.streams.len(), open_rate) {
            (1, _) => phase.name.to_owned(),
            (_, Some(r)) => format!("{} {} @{r}/s", phase.name, st.kind.path()),
            (_, None) => format!("{} {}", phase.name, st.kind.path()),
        };
        rows.push(Row {
            name,
            kind: st.kind,
            open_rate,
            ok: t.ok,
            errors: t.errors.values().sum(),
            per_sec: t.ok as f64 / s.secs,
            p50: pct(&t.lat, 0.50),
            p90: pct(&t.lat, 0.90),
            p99: pct(&t.lat, 0.99),
            max: t.lat.last().map(|&n| n as f64 / 1e6).unwrap_or(f64::NAN),
            p99_sent: open_rate.map(|_| pct(&t.lat_sent, 0.99)),
            server_cpu,
            client_cpu,
            db_cpu,
            other_cpu,
        });
        for (what, n) in t.errors {
            *totals.errors.entry(what).or_default() += n;
        }
    }
    rows
}

/// One run: starts `instances` instances of the service on `db`, runs the
/// phases, stops the instances cleanly and counts what the database holds.
pub async fn run_once(
    s: &Settings,
    site: &Path,
    db: &Database,
    instances: usize,
    postmaster: Option<u32>,
    ticks: f64,
    phases: &[Phase<'_>],
) -> Result<Run, String> {
    let mut inst = Instances::start(&s.bin, site, db, instances, s.rate_limit)?;
    for (i, svc) in inst.list.iter().enumerate() {
        println!(
            "  instance {} pid {} on http://{}{}/",
            crate::service::instance_name(i),
            svc.pid().unwrap_or(0),
            svc.addr,
            svc.path("").trim_end_matches('/'),
        );
    }
    println!("  database {}", db.shown());
    // One request to each first, so that a wrong setup fails with a clear
    // message.
    for svc in &inst.list {
        let mut c = Client::new(svc.addr);
        let body = Kind::Visit.body(0, 0);
        let status = c
            .post(&svc.path("visit"), &body)
            .await
            .map_err(|e| format!("the first request failed: {e}"))?;
        if status != 200 {
            return Err(format!(
                "the first request got {status}: {}",
                String::from_utf8_lossy(&c.body)
            ));
        }
    }
    let mut totals = Totals {
        created: vec![0; instances],
        counted: vec![1; instances],
        errors: BTreeMap::new(),
    };
    let mut rows = Vec::new();
    for phase in phases {
        print!("  {} ... ", phase.name);
        let _ = io::stdout().flush();
        let r = run_phase(s, &inst, postmaster, ticks, phase, &mut totals).await;
        println!(
            "{}",
            r.iter()
                .map(|r| format!(
                    "{:.0}/s, p99 {:.2} ms, {} errors",
                    r.per_sec, r.p99, r.errors
                ))
                .collect::<Vec<_>>()
                .join("; ")
        );
        rows.extend(r);
    }
    // All connections are closed (the workers are done); stop the
    // instances, which write their pending visit counts, then count.
    let stop = inst.stop();
    let (stored_ratings, stored_visits) = db.counts(PAGE).await?;
    Ok(Run {
        rows,
        errors: totals.errors,
        created: totals.created,
        counted: totals.counted,
        stored_ratings,
        stored_visits,
        stop,
    })
}
