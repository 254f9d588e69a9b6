//! The services under load and their store: one or two `medsite feedback
//! serve` processes on one database (a SQLite file, or a database of the
//! bench's private PostgreSQL server), started and stopped the way an
//! operator would (SIGTERM, a graceful shutdown that writes pending visit
//! counts), and what the database holds once they have stopped.
//!
//! Not for: sending the load (`load.rs`) or judging the figures
//! (`report.rs`).

use crate::machine;
use crate::postgres::Postgres;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One running instance of the service; killed on drop if still running.
pub struct Service {
    child: Option<Child>,
    pub addr: SocketAddr,
    prefix: String,
}

impl Service {
    fn start(
        bin: &Path,
        site: &Path,
        db: &OsStr,
        rate_limit: u32,
        label: &str,
    ) -> Result<Service, String> {
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
        let stdout = child.stdout.take().ok_or("no stdout from the service")?;
        let (tx, rx) = std::sync::mpsc::channel();
        let label = label.to_owned();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref().map_while(Result::ok) {
                if line.contains("feedback service on http://") {
                    let _ = tx.send(line);
                    break;
                }
                println!("{label}: {line}");
            }
            // Keep reading so the service never blocks on a full pipe.
            for line in lines.map_while(Result::ok) {
                println!("{label}: {line}");
            }
        });
        let mut service = Service {
            child: Some(child),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            prefix: String::new(),
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

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The path of a route (`visit`, `rating`) under the service's prefix.
    pub fn path(&self, what: &str) -> String {
        format!("{}/{what}", self.prefix)
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

/// The instances of one run, all on the same database.
pub struct Instances {
    pub list: Vec<Service>,
}

impl Instances {
    pub fn start(
        bin: &Path,
        site: &Path,
        db: &Database,
        count: usize,
        rate_limit: u32,
    ) -> Result<Instances, String> {
        let mut list = Vec::new();
        for i in 0..count {
            let label = if count == 1 {
                "service".to_owned()
            } else {
                format!("service {}", instance_name(i))
            };
            list.push(Service::start(bin, site, db.arg(), rate_limit, &label)?);
        }
        Ok(Instances { list })
    }

    pub fn pids(&self) -> Vec<u32> {
        self.list.iter().filter_map(Service::pid).collect()
    }

    /// Stops every instance with SIGTERM (all at once) and waits for them.
    pub fn stop(&mut self) -> Result<(), String> {
        for pid in self.pids() {
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut problems = Vec::new();
        let count = self.list.len();
        for (i, svc) in self.list.iter_mut().enumerate() {
            let Some(mut child) = svc.child.take() else {
                continue;
            };
            let name = if count == 1 {
                "the service".to_owned()
            } else {
                format!("instance {}", instance_name(i))
            };
            loop {
                match child.try_wait() {
                    Ok(Some(status)) if status.success() => break,
                    Ok(Some(status)) => {
                        problems.push(format!("{name} ended with {status}"));
                        break;
                    }
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(20))
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        problems.push(format!("{name} did not stop within 30 s of SIGTERM"));
                        break;
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}

/// `a`, `b`, … for the instances of a run.
pub fn instance_name(i: usize) -> char {
    char::from(b'a' + (i % 26) as u8)
}

/// Where one run keeps its ratings and visits.
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Database {
    /// What `--db` gets.
    pub fn arg(&self) -> &OsStr {
        match self {
            Database::Sqlite(p) => p.as_os_str(),
            Database::Postgres(url) => OsStr::new(url),
        }
    }

    pub fn shown(&self) -> String {
        match self {
            Database::Sqlite(p) => p.display().to_string(),
            Database::Postgres(url) => url.clone(),
        }
    }

    /// The ratings stored, and the visits of `page` stored (all days).
    pub async fn counts(&self, page: &str) -> Result<(i64, i64), String> {
        match self {
            Database::Sqlite(path) => {
                let conn = rusqlite::Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
                let ratings: i64 = conn
                    .query_row("SELECT count(*) FROM ratings", [], |r| r.get(0))
                    .map_err(|e| e.to_string())?;
                let visits: i64 = conn
                    .query_row(
                        "SELECT coalesce(sum(count), 0) FROM visits WHERE page = ?1",
                        [page],
                        |r| r.get(0),
                    )
                    .map_err(|e| e.to_string())?;
                Ok((ratings, visits))
            }
            Database::Postgres(url) => {
                let client = pg_connect(url).await?;
                let e = |e: tokio_postgres::Error| e.to_string();
                let ratings: i64 = client
                    .query_one("SELECT count(*) FROM ratings", &[])
                    .await
                    .map_err(e)?
                    .get(0);
                let visits: i64 = client
                    .query_one(
                        "SELECT coalesce(sum(count), 0)::bigint FROM visits WHERE page = $1",
                        &[&page],
                    )
                    .await
                    .map_err(e)?
                    .get(0);
                Ok((ratings, visits))
            }
        }
    }
}

async fn pg_connect(url: &str) -> Result<tokio_postgres::Client, String> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
    tokio::spawn(conn);
    Ok(client)
}

/// The bench's private PostgreSQL server (the tests' harness): one
/// database per run and store.
pub struct PgServer {
    server: Postgres,
    /// The postmaster, whose children are the backends and workers.
    pub postmaster: Option<u32>,
}

impl PgServer {
    /// Starts a server with its cluster in a new folder inside `dir`.
    pub async fn start(dir: &Path) -> Result<PgServer, String> {
        let server = Postgres::start_in(dir)?;
        let client = pg_connect(&server.url()).await?;
        let backend: i32 = client
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .map_err(|e| e.to_string())?
            .get(0);
        let postmaster = u32::try_from(backend).ok().and_then(machine::parent_pid);
        Ok(PgServer { server, postmaster })
    }

    /// The server's version and the settings that matter here.
    pub async fn describe(&self) -> Result<Vec<(String, String)>, String> {
        let client = pg_connect(&self.server.url()).await?;
        let mut out = Vec::new();
        let version: String = client
            .query_one("SELECT version()", &[])
            .await
            .map_err(|e| e.to_string())?
            .get(0);
        out.push(("version".to_owned(), version));
        for name in [
            "fsync",
            "synchronous_commit",
            "wal_sync_method",
            "full_page_writes",
            "shared_buffers",
            "max_connections",
            "data_directory",
        ] {
            let v: String = client
                .query_one(&format!("SHOW {name}"), &[])
                .await
                .map_err(|e| e.to_string())?
                .get(0);
            out.push((name.to_owned(), v));
        }
        Ok(out)
    }

    /// A new, empty database; its address.
    pub async fn create(&self, name: &str) -> Result<String, String> {
        let client = pg_connect(&self.server.url()).await?;
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .map_err(|e| format!("cannot create the database {name}: {e}"))?;
        Ok(self.server.url_of(name))
    }
}
