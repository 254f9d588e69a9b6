//! A private PostgreSQL server for the tests and the feedback_load bench:
//! Debian's server binaries (`/usr/lib/postgresql/<version>/bin`), a new
//! cluster in a temporary folder, listening only on a Unix socket in that
//! folder (no TCP port), with the server's default settings (`fsync` on),
//! stopped and removed when dropped. As root, the server runs as the
//! `postgres` user, which the Debian package creates.
//!
//! Not for: tuning or inspecting the server (the bench reads its settings
//! over SQL).

use std::path::PathBuf;
use std::process::{Command, Stdio};

pub struct Postgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// The newest installed server's `bin` folder.
fn server_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Postgres {
    /// Starts a server in the system's temporary folder; `Err` says what
    /// is missing.
    pub fn start() -> Result<Postgres, String> {
        Postgres::start_in(&std::env::temp_dir())
    }

    /// Starts a server with its cluster in a new folder inside `parent`
    /// (which the `postgres` user must be able to enter when run as root).
    pub fn start_in(parent: &std::path::Path) -> Result<Postgres, String> {
        let bin = server_bin().ok_or(
            "PostgreSQL's server is not installed (apt-get install postgresql); .ci/run installs it",
        )?;
        let dir = tempfile::Builder::new()
            .prefix("medsite-pg-")
            .tempdir_in(parent)
            .map_err(|e| format!("cannot make a folder in {}: {e}", parent.display()))?;
        let as_postgres = is_root();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return Err("cannot give the test cluster's folder to the postgres user".into());
            }
        }
        // A port number only names the socket file; nothing listens on TCP.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| e.to_string())?;
        let pg = Postgres {
            dir,
            bin,
            port,
            as_postgres,
        };
        let data = pg.dir.path().join("data");
        pg.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "medsite".as_ref(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C".as_ref(),
                "--no-sync".as_ref(),
            ],
        )?;
        let options = format!(
            "-k {} -p {} -c listen_addresses=",
            pg.dir.path().display(),
            pg.port
        );
        let log = pg.dir.path().join("server.log");
        pg.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-o".as_ref(),
                options.as_ref(),
                "-w".as_ref(),
                "start".as_ref(),
            ],
        )?;
        Ok(pg)
    }

    fn run(&self, tool: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(tool));
            c
        } else {
            Command::new(self.bin.join(tool))
        };
        let out = cmd
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {tool}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// The address of its `postgres` database.
    pub fn url(&self) -> String {
        self.url_of("postgres")
    }

    /// The address of one of its databases.
    pub fn url_of(&self, database: &str) -> String {
        format!(
            "postgres://medsite@localhost/{database}?host={}&port={}",
            self.dir.path().display(),
            self.port
        )
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = self.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "stop".as_ref(),
            ],
        );
    }
}
