//! Load benchmark of the feedback service (`medsite feedback serve`).
//!
//! Run with `cargo bench --bench feedback_load` (see benches/README.md).
//!
//! It builds the example site into a folder under /dev/shm, starts the
//! service there with a fresh database (also on tmpfs) on a free port of
//! 127.0.0.1, and drives it with a small HTTP/1.1 keep-alive client written
//! here over tokio's `TcpStream`:
//!
//! 1. closed loop, as fast as it answers: `POST /visit` on N connections;
//! 2. the same for `POST /rating` (each `201` is a committed rating);
//! 3. open loop at fixed rates (5,000 visits/s, 500 ratings/s, then both at
//!    once): requests are due on a schedule and latency is measured from the
//!    time a request was due, not from when it was sent, so a slow answer
//!    cannot hide the requests that queued behind it (coordinated omission);
//! 4. stops the service and checks that the database holds exactly as many
//!    ratings as `201` answers were received (and as many visits as `200`
//!    answers to `/visit`); the figures only count if it does.
//!
//! Settings (environment): `FEEDBACK_BENCH_SECS` (measured seconds per
//! phase, 5), `FEEDBACK_BENCH_WARMUP` (seconds of warm-up per phase, 1),
//! `FEEDBACK_BENCH_CONNS` (connections per stream, 32),
//! `FEEDBACK_BENCH_VISIT_RATE` (5000), `FEEDBACK_BENCH_RATING_RATE` (500),
//! `FEEDBACK_BENCH_RUNS` (whole runs, each with a new service and database;
//! medians are printed when more than one, 1), `FEEDBACK_BENCH_CLIENT_THREADS`
//! (threads of the load generator, 1), `FEEDBACK_BENCH_DIR` (where to put
//! the site and database, /dev/shm), `FEEDBACK_BENCH_KEEP=1` (keep them),
//! `MEDSITE_BIN` (the binary; default: the `medsite` that cargo builds for
//! this bench, target/release/medsite), `FEEDBACK_BENCH_STRICT=1` (exit 1
//! when a target is missed; by default a miss is reported and exits 0),
//! `FEEDBACK_BENCH_RATE_LIMIT` (the service's `--rate-limit`, 0 = off; a
//! limit far above the load, such as 4000000000, puts every request through
//! the rate limiter without refusing any, to measure what the limiter costs).

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

const PAGE: &str = "/medications/ilaris/";
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

// Targets.
const VISITS_PER_SEC: f64 = 10_000.0;
const RATINGS_PER_SEC: f64 = 1_000.0;
const P99_MS: f64 = 10.0;

// ---------------------------------------------------------------- settings

struct Settings {
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
        }
    }
}

// ---------------------------------------------------------------- machine

fn machine_info() -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    let processors = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let nproc = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .map(|l| l.trim_start_matches("MemTotal:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into());
    vec![
        (
            "nproc".into(),
            format!("{nproc} (processors in /proc/cpuinfo: {processors})"),
        ),
        ("CPU".into(), model),
        ("memory".into(), mem),
        ("kernel".into(), kernel),
        ("load average at start".into(), load),
    ]
}

/// Clock ticks per second of /proc/PID/stat times.
fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// CPU time (user + system, seconds) used so far by a process.
fn cpu_secs(pid: &str, ticks: f64) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name (which may hold spaces) in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after ')'.
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / ticks)
}

/// CPU time (seconds, all processors) the whole machine was busy so far.
fn machine_busy_secs(ticks: f64) -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let f: Vec<f64> = line
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is in user).
    let total: f64 = f.iter().take(8).sum();
    let idle = f.get(3)? + f.get(4).unwrap_or(&0.0);
    Some((total - idle) / ticks)
}

// ---------------------------------------------------------------- the service

/// The site, the database and the running service; cleaned up on drop.
struct Service {
    child: Option<Child>,
    addr: SocketAddr,
    prefix: String,
    db: PathBuf,
}

impl Service {
    fn start(bin: &Path, site: &Path, db: &Path, rate_limit: u32) -> Result<Service, String> {
        let mut child = Command::new(bin)
            .args(["feedback", "serve", "--db"])
            .arg(db)
            .arg("--site")
            .arg(site)
            .args(["--bind", "127.0.0.1:0", "--rate-limit"])
            .arg(rate_limit.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref().map_while(Result::ok) {
                if line.contains("feedback service on http://") {
                    let _ = tx.send(line);
                    break;
                }
                println!("service: {line}");
            }
            // Keep reading so the service never blocks on a full pipe.
            for line in lines.map_while(Result::ok) {
                println!("service: {line}");
            }
        });
        let mut service = Service {
            child: Some(child),
            addr: "127.0.0.1:0".parse().unwrap(),
            prefix: String::new(),
            db: db.to_path_buf(),
        };
        let line = rx.recv_timeout(Duration::from_secs(30)).map_err(|_| {
            "the service stopped, or did not say where it listens within 30 s".to_owned()
        })?;
        // "medsite feedback service on http://127.0.0.1:PORT/api/feedback/ (database …)"
        let url = line
            .split_once("http://")
            .map(|(_, u)| u.split_whitespace().next().unwrap_or(""))
            .unwrap_or("");
        let (addr, prefix) = url.split_at(url.find('/').unwrap_or(url.len()));
        service.addr = addr
            .parse()
            .map_err(|_| format!("cannot read the address in `{line}`"))?;
        service.prefix = prefix.trim_end_matches('/').to_owned();
        Ok(service)
    }

    fn pid(&self) -> String {
        self.child
            .as_ref()
            .map(|c| c.id().to_string())
            .unwrap_or_default()
    }

    fn path(&self, what: &str) -> String {
        format!("{}/{what}", self.prefix)
    }

    /// Stops the service with SIGTERM (a graceful shutdown that writes the
    /// pending visit counts) and waits for it.
    fn stop(&mut self) -> Result<(), String> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => return Err(format!("the service ended with {status}")),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err("the service did not stop within 30 s of SIGTERM".into());
                }
            }
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

// ---------------------------------------------------------------- HTTP client

/// One keep-alive HTTP/1.1 connection; reconnects after an error.
struct Client {
    addr: SocketAddr,
    host: String,
    stream: Option<TcpStream>,
    out: Vec<u8>,
    buf: Vec<u8>,
    body: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn protocol_error(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

impl Client {
    fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            host: addr.to_string(),
            stream: None,
            out: Vec::with_capacity(512),
            buf: Vec::with_capacity(8192),
            body: Vec::new(),
        }
    }

    fn reset(&mut self) {
        self.stream = None;
        self.buf.clear();
    }

    /// Sends `POST path` with a JSON body; returns the status (the body is
    /// left in `self.body`).
    async fn post(&mut self, path: &str, json: &str) -> io::Result<u16> {
        if self.stream.is_none() {
            let s = TcpStream::connect(self.addr).await?;
            s.set_nodelay(true)?;
            self.stream = Some(s);
            self.buf.clear();
        }
        self.out.clear();
        write!(
            self.out,
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{json}",
            self.host,
            json.len()
        )?;
        let stream = self.stream.as_ref().expect("connected");
        write_all(stream, &self.out).await?;
        // Status line and headers.
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i;
            }
            if self.buf.len() > 64 * 1024 {
                return Err(protocol_error("response head larger than 64 KiB"));
            }
            if read_more(stream, &mut self.buf).await? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed by the service",
                ));
            }
        };
        let head = std::str::from_utf8(&self.buf[..head_end])
            .map_err(|_| protocol_error("response head is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or("");
        let status: u16 = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|s| s.get(..3))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| protocol_error("bad status line"))?;
        let mut length = None;
        let mut close = false;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(protocol_error("transfer-encoding is not supported here"));
            }
        }
        let length = length.ok_or_else(|| protocol_error("response without Content-Length"))?;
        // The body, by Content-Length.
        let total = head_end + 4 + length;
        while self.buf.len() < total {
            if read_more(stream, &mut self.buf).await? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed inside a response",
                ));
            }
        }
        self.body.clear();
        self.body.extend_from_slice(&self.buf[head_end + 4..total]);
        self.buf.drain(..total);
        if close {
            self.reset();
        }
        Ok(status)
    }
}

async fn write_all(s: &TcpStream, mut data: &[u8]) -> io::Result<()> {
    while !data.is_empty() {
        match s.try_write(data) {
            Ok(n) => data = &data[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => s.writable().await?,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

async fn read_more(s: &TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    loop {
        s.readable().await?;
        let len = buf.len();
        buf.resize(len + 4096, 0);
        let r = s.try_read(&mut buf[len..]);
        buf.truncate(len + *r.as_ref().unwrap_or(&0));
        match r {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
}

// ---------------------------------------------------------------- load

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Visit,
    Rating,
}

impl Kind {
    fn body(self, worker: usize, i: u64) -> String {
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

    fn path(self) -> &'static str {
        match self {
            Kind::Visit => "visit",
            Kind::Rating => "rating",
        }
    }
}

#[derive(Clone, Copy)]
enum Mode {
    /// As fast as answers come, on each connection.
    Closed,
    /// This many requests per second, due on a schedule.
    Open(f64),
}

#[derive(Clone, Copy)]
struct Stream {
    kind: Kind,
    mode: Mode,
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
struct Row {
    name: String,
    kind: Kind,
    open_rate: Option<f64>,
    ok: u64,
    errors: u64,
    per_sec: f64,
    /// Milliseconds.
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    /// Open loop: p99 from the actual send (ms).
    p99_sent: Option<f64>,
    /// Server and client CPU, and the rest of the machine's (other
    /// programs), % of one core, during the measured window.
    server_cpu: f64,
    client_cpu: f64,
    other_cpu: f64,
}

fn pct(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let n = sorted.len();
    let i = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    sorted[i] as f64 / 1e6
}

struct Phase<'a> {
    name: &'a str,
    streams: Vec<Stream>,
}

struct Run {
    rows: Vec<Row>,
    errors: BTreeMap<String, u64>,
    created: u64,
    counted: u64,
    stored_ratings: i64,
    stored_visits: i64,
    stop: Result<(), String>,
}

impl Run {
    fn consistent(&self) -> bool {
        self.stop.is_ok()
            && self.stored_ratings == self.created as i64
            && self.stored_visits == self.counted as i64
    }
}

async fn run_phase(
    s: &Settings,
    svc: &Service,
    ticks: f64,
    phase: &Phase<'_>,
    totals: &mut Tally,
) -> Vec<Row> {
    let start = Instant::now() + Duration::from_millis(50);
    let rec = start + Duration::from_secs_f64(s.warmup);
    let end = rec + Duration::from_secs_f64(s.secs);
    let mut handles = Vec::new();
    for (si, st) in phase.streams.iter().enumerate() {
        let path = svc.path(st.kind.path());
        match st.mode {
            Mode::Closed => {
                for id in 0..s.conns {
                    let h = tokio::spawn(closed_worker(
                        svc.addr,
                        path.clone(),
                        st.kind,
                        id,
                        start,
                        rec,
                        end,
                    ));
                    handles.push((si, h));
                }
            }
            Mode::Open(rate) => {
                let period_ns = 1e9 / rate;
                let first_rec = (s.warmup * rate).round() as u64;
                let total = ((s.warmup + s.secs) * rate).round() as u64;
                let queue = schedule(start, period_ns, total);
                for id in 0..s.conns {
                    let h = tokio::spawn(open_worker(
                        svc.addr,
                        path.clone(),
                        st.kind,
                        id,
                        queue.clone(),
                        first_rec,
                    ));
                    handles.push((si, h));
                }
            }
        }
    }
    let pid = svc.pid();
    tokio::time::sleep_until(rec.into()).await;
    let cpu0 = (
        cpu_secs(&pid, ticks),
        cpu_secs("self", ticks),
        machine_busy_secs(ticks),
    );
    let t0 = Instant::now();
    tokio::time::sleep_until(end.into()).await;
    let cpu1 = (
        cpu_secs(&pid, ticks),
        cpu_secs("self", ticks),
        machine_busy_secs(ticks),
    );
    let wall = t0.elapsed().as_secs_f64();
    let usage = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (b - a) / wall * 100.0,
        _ => f64::NAN,
    };
    let server_cpu = usage(cpu0.0, cpu1.0);
    let client_cpu = usage(cpu0.1, cpu1.1);
    let other_cpu = (usage(cpu0.2, cpu1.2) - server_cpu - client_cpu).max(0.0);
    let mut per_stream: Vec<Tally> = phase.streams.iter().map(|_| Tally::default()).collect();
    for (si, h) in handles {
        per_stream[si].merge(h.await.expect("worker panicked"));
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
            other_cpu,
        });
        t.lat = Vec::new();
        t.lat_sent = Vec::new();
        totals.merge(t);
    }
    rows
}

async fn run_once(
    s: &Settings,
    site: &Path,
    db: &Path,
    ticks: f64,
    phases: &[Phase<'_>],
) -> Result<Run, String> {
    let mut svc = Service::start(&s.bin, site, db, s.rate_limit)?;
    println!(
        "service pid {} on http://{}{}/ (database {})",
        svc.pid(),
        svc.addr,
        svc.prefix,
        db.display()
    );
    // One request first, so that a wrong setup fails with a clear message.
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
    drop(c);
    let mut totals = Tally {
        counted: 1,
        ..Tally::default()
    };
    let mut rows = Vec::new();
    for phase in phases {
        print!("  {} ... ", phase.name);
        let _ = io::stdout().flush();
        let r = run_phase(s, &svc, ticks, phase, &mut totals).await;
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
    // All connections are closed (the workers are done); stop the service.
    let stop = svc.stop();
    let conn =
        rusqlite::Connection::open_with_flags(&svc.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| format!("cannot open {}: {e}", svc.db.display()))?;
    let stored_ratings: i64 = conn
        .query_row("SELECT count(*) FROM ratings", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    let stored_visits: i64 = conn
        .query_row(
            "SELECT coalesce(sum(count), 0) FROM visits WHERE page = ?1",
            [PAGE],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
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

// ---------------------------------------------------------------- report

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

fn print_rows(rows: &[Row]) {
    println!(
        "| {:<30} | {:>9} | {:>6} | {:>9} | {:>7} | {:>7} | {:>7} | {:>8} | {:>10} | {:>10} | {:>9} |",
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
        "other CPU"
    );
    println!(
        "|{:-<32}|{:->11}|{:->8}|{:->11}|{:->9}|{:->9}|{:->9}|{:->10}|{:->12}|{:->12}|{:->11}|",
        ":", ":", ":", ":", ":", ":", ":", ":", ":", ":", ":"
    );
    for r in rows {
        println!(
            "| {:<30} | {:>9} | {:>6} | {:>9.0} | {:>7.2} | {:>7.2} | {:>7.2} | {:>8.2} | {:>9.0}% | {:>9.0}% | {:>8.0}% |",
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
fn print_targets(rows: &[Row], errors: u64, consistent: bool) -> bool {
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

fn median_rows(runs: &[Run]) -> Vec<Row> {
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
                other_cpu: m(&|r| r.other_cpu),
            }
        })
        .collect()
}

// ---------------------------------------------------------------- main

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
    for (k, v) in machine_info() {
        println!("  {k}: {v}");
    }
    println!("binary: {}", s.bin.display());
    println!(
        "settings: {} s measured after {} s warm-up per phase, {} connections per stream, \
         open loop at {} visits/s and {} ratings/s, {} run(s), {} client thread(s), \
         rate limit {}",
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
        }
    );
    if !s.bin.is_file() {
        return Err(format!(
            "{} does not exist; run `cargo build --release` or set MEDSITE_BIN",
            s.bin.display()
        ));
    }
    println!("work folder: {}", work.display());

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

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(s.client_threads)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    let ticks = clock_ticks();
    let mut runs = Vec::new();
    for n in 1..=s.runs {
        println!();
        println!("run {n} of {}", s.runs);
        let db = work.join(format!("feedback-{n}.sqlite"));
        let run = rt.block_on(run_once(s, &site, &db, ticks, &phases))?;
        println!();
        print_rows(&run.rows);
        println!();
        println!(
            "database check: {} ratings stored, {} `201` answers; {} visits stored, {} `200` answers to /visit{}",
            run.stored_ratings,
            run.created,
            run.stored_visits,
            run.counted,
            match &run.stop {
                Ok(()) => String::new(),
                Err(e) => format!("; stopping the service: {e}"),
            }
        );
        if !run.errors.is_empty() {
            println!("errors:");
            for (what, n) in &run.errors {
                println!("  {n} x {what}");
            }
        }
        println!();
        let errors = run.errors.values().sum();
        let passed = print_targets(&run.rows, errors, run.consistent());
        if s.runs == 1 {
            return Ok(passed);
        }
        runs.push(run);
    }
    let rows = median_rows(&runs);
    let errors: u64 = runs.iter().flat_map(|r| r.errors.values()).sum();
    let consistent = runs.iter().all(Run::consistent);
    println!();
    println!(
        "median of {} runs (errors: the sum over all runs; the database check must hold in every run)",
        runs.len()
    );
    println!();
    print_rows(&rows);
    println!();
    let all = print_targets(&rows, errors, consistent);
    Ok(all)
}
