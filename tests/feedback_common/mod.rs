//! Helpers for the feedback service tests: a small built site, the service
//! started as a child process (`medsite feedback serve`), a tiny HTTP/1.1
//! client over `std::net::TcpStream`, and readers of the SQLite database.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The medication page every fixture has.
pub const ILARIS: &str = "/medications/ilaris/";
/// A second medication page.
pub const MTX: &str = "/medications/methotrexate/";
/// The endpoint the service answers under by default.
pub const PREFIX: &str = "/api/feedback";

/// How long any socket read or write may block.
pub const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// The `medsite` binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_medsite")
}

// ---------------------------------------------------------------------------
// Fixture site
// ---------------------------------------------------------------------------

/// A site folder in a temporary directory, built into `tmp/site`.
pub struct Site {
    pub tmp: tempfile::TempDir,
}

fn medication(title: &str, generic: &str) -> String {
    format!(
        "---\ntitle: {title}\ngeneric_name: {generic}\nlast_reviewed: 2026-01-15\nnext_review: 2027-01-15\n---\n## Side effects\n\nSome.\n"
    )
}

impl Site {
    /// Writes the site (home, medications section, Ilaris and Methotrexate)
    /// and builds it with `medsite build`.
    pub fn new() -> Site {
        let site = Site {
            tmp: tempfile::tempdir().expect("temp dir"),
        };
        site.write("site.toml", "title = \"T\"\n");
        site.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        site.write(
            "content/medications/_index.md",
            "---\ntitle: Medications\npage_kind: medication\n---\nThe list.\n",
        );
        site.write(
            "content/medications/ilaris.md",
            &medication("Ilaris", "canakinumab"),
        );
        site.write(
            "content/medications/methotrexate.md",
            &medication("Methotrexate", "methotrexate"),
        );
        let out = run_bounded(
            Command::new(bin())
                .arg("build")
                .arg("--root")
                .arg(site.root())
                .arg("--output")
                .arg(site.site_dir()),
            Duration::from_secs(120),
        );
        assert!(
            out.status.success(),
            "medsite build failed:\n{}\n{}",
            out.stdout,
            out.stderr
        );
        assert!(
            site.site_dir()
                .join("medications/ilaris/index.html")
                .is_file(),
            "the fixture has the Ilaris page"
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    pub fn site_dir(&self) -> PathBuf {
        self.root().join("site")
    }

    /// The database the service uses by default.
    pub fn db(&self) -> PathBuf {
        self.root().join("f.sqlite")
    }

    pub fn write(&self, rel: &str, contents: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    /// Starts the service on this site and its database.
    pub fn serve(&self, extra: &[&str]) -> Service {
        Service::start(&self.db(), &self.site_dir(), extra)
    }

    /// Runs `medsite feedback report --db <db> <args>`.
    pub fn report(&self, args: &[&str]) -> Output {
        report(&self.db(), args)
    }

    /// `medsite feedback report --format json`, parsed.
    pub fn report_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let out = self.report(&all);
        assert!(
            out.status.success(),
            "report failed: {}\n{}",
            out.stdout,
            out.stderr
        );
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("the JSON report does not parse ({e}):\n{}", out.stdout))
    }
}

// ---------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------

/// What a finished command printed.
pub struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a command to its end, killing it (and failing) after `limit`.
pub fn run_bounded(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = match wait_bounded(&mut child, limit) {
        Some(s) => s,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
    };
    Output {
        status,
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
    }
}

/// Waits for the child to end, at most `limit`; `None` if it still runs.
pub fn wait_bounded(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(s)) => return Some(s),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => return None,
        }
    }
}

/// Runs `medsite feedback report --db <db> <args>`.
pub fn report(db: &Path, args: &[&str]) -> Output {
    run_bounded(
        Command::new(bin())
            .args(["feedback", "report", "--db"])
            .arg(db)
            .args(args),
        Duration::from_secs(60),
    )
}

/// A running `medsite feedback serve`; killed when dropped.
pub struct Service {
    pub child: Child,
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub stderr_path: PathBuf,
    /// The line the service printed on start.
    pub banner: String,
    prefix: String,
    stopped: bool,
}

impl Service {
    /// Starts `medsite feedback serve --db db --site site --bind 127.0.0.1:0 <extra>`
    /// and waits for the line that gives its address.
    pub fn start(db: &Path, site: &Path, extra: &[&str]) -> Service {
        let name = format!(
            "stderr-{}-{}",
            std::process::id(),
            STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        // A PostgreSQL address is not a file: its log goes to the temporary folder.
        let stderr_path = if db.to_string_lossy().starts_with("postgres") {
            std::env::temp_dir().join(format!("medsite-feedback-{name}"))
        } else {
            db.with_extension(name)
        };
        let stderr_file = std::fs::File::create(&stderr_path).expect("stderr file");
        let mut child = Command::new(bin())
            .args(["feedback", "serve", "--db"])
            .arg(db)
            .arg("--site")
            .arg(site)
            .args(["--bind", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr_file))
            .spawn()
            .expect("spawn medsite feedback serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(first)) = lines.next() {
                let _ = tx.send(first);
            }
            // Keep draining so that the service never blocks on a full pipe.
            for _ in lines {}
        });
        let banner = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let status = child.wait();
                panic!(
                    "the service did not start ({status:?}); stderr:\n{}",
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                );
            }
        };
        let addr = banner
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse::<SocketAddr>().ok())
            .unwrap_or_else(|| {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no address in the start line: {banner:?}")
            });
        assert!(
            banner.starts_with("medsite feedback service on http://127.0.0.1:"),
            "start line: {banner:?}"
        );
        let prefix = extra
            .iter()
            .position(|a| *a == "--prefix")
            .map(|i| format!("/{}", extra[i + 1].trim_matches('/')))
            .unwrap_or_else(|| PREFIX.to_owned());
        Service {
            child,
            addr,
            db: db.to_path_buf(),
            stderr_path,
            banner,
            prefix,
            stopped: false,
        }
    }

    /// The path of a route of the service (`/rating` → `/api/feedback/rating`).
    pub fn path(&self, route: &str) -> String {
        format!("{}{route}", self.prefix)
    }

    pub fn request(
        &self,
        method: &str,
        route: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        request(self.addr, method, &self.path(route), headers, body)
            .unwrap_or_else(|e| panic!("{method} {route}: {e}"))
    }

    pub fn get(&self, route: &str) -> Resp {
        self.request("GET", route, &[], b"")
    }

    pub fn post(&self, route: &str, content_type: &str, body: impl AsRef<[u8]>) -> Resp {
        self.request(
            "POST",
            route,
            &[("Content-Type", content_type)],
            body.as_ref(),
        )
    }

    pub fn post_json(&self, route: &str, v: &serde_json::Value) -> Resp {
        self.post(route, "application/json", v.to_string())
    }

    pub fn post_form(&self, route: &str, body: &str) -> Resp {
        self.post(route, "application/x-www-form-urlencoded", body)
    }

    /// `POST /rating` with JSON.
    pub fn rate(&self, page: &str, rating: u8, comment: &str) -> Resp {
        self.post_json(
            "/rating",
            &serde_json::json!({"page": page, "rating": rating, "comment": comment}),
        )
    }

    /// `GET /visits?page=…`: the count, asserting a 200.
    pub fn visits(&self, page: &str) -> u64 {
        let r = self.get(&format!("/visits?page={}", urlencode(page)));
        assert_eq!(r.status, 200, "GET /visits: {}", r.text());
        let j = r.json();
        assert_eq!(j["page"], page, "{j}");
        j["today"].as_u64().unwrap_or_else(|| panic!("{j}"))
    }

    /// Asserts that `GET /health` answers 200.
    pub fn assert_healthy(&self) {
        let r = self.get("/health");
        assert_eq!(
            r.status,
            200,
            "the health check answers: {}; stderr: {}",
            r.text(),
            self.stderr()
        );
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Kills the service with SIGKILL (no chance to clean up).
    pub fn kill(&mut self) {
        if !self.stopped {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.stopped = true;
        }
    }

    /// Stops the service gracefully (SIGTERM) and returns how it ended.
    pub fn stop(&mut self) -> ExitStatus {
        assert!(!self.stopped, "already stopped");
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid}");
        let status = wait_bounded(&mut self.child, Duration::from_secs(20));
        self.stopped = true;
        match status {
            Some(s) => s,
            None => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("the service did not stop within 20 s after SIGTERM");
            }
        }
    }
}

static STARTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr_path);
    }
}

// ---------------------------------------------------------------------------
// HTTP/1.1 client
// ---------------------------------------------------------------------------

/// A response.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the body of a {} is not JSON ({e}): {:?}",
                self.status,
                self.text()
            )
        })
    }
}

/// Everything but the unreserved characters of a URL (RFC 3986).
const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but unreserved characters.
pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, RESERVED).to_string()
}

/// A form body from pairs, as a browser sends it (a space is `+`).
pub fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn head(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body_len: usize,
    close: bool,
) -> Vec<u8> {
    let mut h = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    if close {
        h.push_str("Connection: close\r\n");
    }
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    if body_len > 0 || method == "POST" {
        h.push_str(&format!("Content-Length: {body_len}\r\n"));
    }
    h.push_str("\r\n");
    h.into_bytes()
}

/// One request on a new connection (`Connection: close`). The body is
/// written by a second thread while the answer is read, so that a server
/// answering early (413) is seen rather than a broken pipe.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Resp> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    request_on(stream, addr, method, path, headers, body)
}

/// Like [`request`], from the local address `from` (any of 127.0.0.0/8
/// reaches a service on 127.0.0.1), so that the service sees another client.
pub fn request_from(
    from: std::net::IpAddr,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Resp> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let stream = rt.block_on(async {
        let socket = match from {
            std::net::IpAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
            std::net::IpAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
        };
        socket.bind(SocketAddr::new(from, 0))?;
        let s = tokio::time::timeout(Duration::from_secs(10), socket.connect(addr))
            .await
            .map_err(|_| std::io::Error::new(ErrorKind::TimedOut, "connect"))??;
        s.into_std()
    })?;
    stream.set_nonblocking(false)?;
    request_on(stream, addr, method, path, headers, body)
}

fn request_on(
    stream: TcpStream,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Resp> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut data = head(addr, method, path, headers, body.len(), true);
    data.extend_from_slice(body);
    let w = std::thread::spawn(move || {
        // Errors here (the server closed early) show up in the answer.
        let _ = writer.write_all(&data);
        let _ = writer.flush();
    });
    let mut raw = Vec::new();
    let mut reader = stream;
    let mut buf = [0u8; 16 * 1024];
    let result = loop {
        match reader.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => break Err(e),
        }
    };
    let _ = reader.shutdown(Shutdown::Both);
    let _ = w.join();
    match (result, parse_response(&raw)) {
        (_, Some(resp)) => Ok(resp),
        (Err(e), None) => Err(e),
        (Ok(()), None) => Err(std::io::Error::new(
            ErrorKind::UnexpectedEof,
            format!(
                "incomplete response: {:?}",
                String::from_utf8_lossy(&raw[..raw.len().min(500)])
            ),
        )),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Parses a whole response (status line, headers, body by length or chunks).
pub fn parse_response(raw: &[u8]) -> Option<Resp> {
    let end = find(raw, b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    let status: u16 = parts.next()?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect();
    let rest = &raw[end + 4..];
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let body = if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut body = Vec::new();
        let mut at = 0;
        loop {
            let line_end = at + find(&rest[at..], b"\r\n")?;
            let size_text = std::str::from_utf8(&rest[at..line_end]).ok()?;
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            at = line_end + 2;
            if size == 0 {
                break;
            }
            body.extend_from_slice(rest.get(at..at + size)?);
            at += size + 2;
        }
        body
    } else if let Some(len) = get("content-length") {
        let len: usize = len.parse().ok()?;
        rest.get(..len)?.to_vec()
    } else {
        rest.to_vec()
    };
    Some(Resp {
        status,
        headers,
        body,
    })
}

/// A keep-alive connection for many requests in a row.
pub struct KeepAlive {
    addr: SocketAddr,
    reader: BufReader<TcpStream>,
}

impl KeepAlive {
    pub fn connect(addr: SocketAddr) -> std::io::Result<KeepAlive> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(KeepAlive {
            addr,
            reader: BufReader::new(stream),
        })
    }

    /// Sends one request and reads its answer; the connection stays open
    /// unless the server said `Connection: close` (then `closed` is true).
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<(Resp, bool)> {
        let mut data = head(self.addr, method, path, headers, body.len(), false);
        data.extend_from_slice(body);
        self.reader.get_mut().write_all(&data)?;
        let bad = |m: &str| std::io::Error::new(ErrorKind::InvalidData, m.to_owned());
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(ErrorKind::UnexpectedEof, "closed"));
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(&line))?;
        let mut headers = Vec::new();
        loop {
            let mut l = String::new();
            if self.reader.read_line(&mut l)? == 0 {
                return Err(bad("eof in headers"));
            }
            let l = l.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let resp_head = Resp {
            status,
            headers,
            body: Vec::new(),
        };
        let mut body = Vec::new();
        if resp_head
            .header("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        {
            loop {
                let mut l = String::new();
                self.reader.read_line(&mut l)?;
                let size = usize::from_str_radix(l.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| bad("chunk size"))?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            let len: usize = resp_head
                .header("content-length")
                .map(|v| v.parse().map_err(|_| bad("content-length")))
                .transpose()?
                .unwrap_or(0);
            body.resize(len, 0);
            self.reader.read_exact(&mut body)?;
        }
        let closed = resp_head
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        Ok((Resp { body, ..resp_head }, closed))
    }
}

// ---------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------

/// A stored rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub page: String,
    pub day: String,
    pub rating: i64,
    pub comment: String,
}

pub fn open_db(db: &Path) -> rusqlite::Connection {
    assert!(db.is_file(), "{} exists", db.display());
    let c = rusqlite::Connection::open(db).expect("open the database");
    c.busy_timeout(Duration::from_secs(10)).unwrap();
    c
}

/// Every stored rating, in the order stored.
pub fn stored_ratings(db: &Path) -> Vec<Stored> {
    let c = open_db(db);
    let mut stmt = c
        .prepare("SELECT page, day, rating, comment FROM ratings ORDER BY rowid")
        .expect("the ratings table exists");
    stmt.query_map([], |r| {
        Ok(Stored {
            page: r.get(0)?,
            day: r.get(1)?,
            rating: r.get(2)?,
            comment: r.get(3)?,
        })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Every stored visit count: (page, day, count).
pub fn stored_visits(db: &Path) -> Vec<(String, String, i64)> {
    let c = open_db(db);
    let mut stmt = c
        .prepare("SELECT page, day, count FROM visits ORDER BY page, day")
        .expect("the visits table exists");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// True for `YYYY-MM-DD` and nothing else.
pub fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
