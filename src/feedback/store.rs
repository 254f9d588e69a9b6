//! The feedback store: ratings and visit counts in SQLite (WAL mode).
//!
//! One writer thread owns the write connection. Ratings are committed in
//! small groups (group commit) and each one is acknowledged only after its
//! transaction is committed with `synchronous = FULL`, so an acknowledged
//! rating survives a crash of the service or of the machine. Visit counts
//! are kept in memory and flushed at least once a second: a crash can lose
//! at most the last second of counts.
//!
//! Stored: page, day, rating, comment; visits per page per day. Never
//! stored: addresses, user agents, cookies or times of day.
//!
//! Not for: checking what is stored (the handlers and
//! [`super::request`] do that first) or reading the report
//! ([`super::report`] reads the same database on its own).

use rusqlite::{Connection, OpenFlags, params};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Schema migrations, applied in order; `PRAGMA user_version` records how
/// many have run.
const MIGRATIONS: &[&str] = &[
    // 1: ratings and daily visit counts
    "CREATE TABLE ratings (
        id      INTEGER PRIMARY KEY,
        page    TEXT NOT NULL,
        day     TEXT NOT NULL,
        rating  INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment TEXT NOT NULL DEFAULT ''
     );
     CREATE INDEX ratings_page_day ON ratings (page, day);
     CREATE TABLE visits (
        page  TEXT NOT NULL,
        day   TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (page, day)
     ) WITHOUT ROWID;",
];

/// How often visit counts are written to the database.
pub const VISIT_FLUSH: Duration = Duration::from_millis(500);

/// The largest group of ratings committed in one transaction.
const MAX_GROUP: usize = 1024;

/// A rating to store.
#[derive(Debug, Clone)]
pub struct NewRating {
    pub page: String,
    pub day: String,
    pub rating: u8,
    pub comment: String,
}

enum Command {
    Rating(NewRating, oneshot::Sender<Result<(), String>>),
    Shutdown(std::sync::mpsc::Sender<()>),
}

/// Today's (and recent days') visit counts, authoritative in memory.
#[derive(Default)]
struct Visits {
    counts: HashMap<(String, String), u64>,
    dirty: HashMap<(String, String), u64>,
}

/// A handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Sqlite {
    tx: mpsc::Sender<Command>,
    visits: Arc<Mutex<Visits>>,
    path: PathBuf,
}

/// Opens (and creates or migrates) the database at `path`.
pub fn open(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| e.to_string())?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| e.to_string())?;
    migrate(&conn).map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
    Ok(conn)
}

/// Opens the database read-only (for reports).
pub fn open_read_only(path: &Path) -> Result<Connection, String> {
    if !path.exists() {
        return Err(format!("{} does not exist", path.display()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if version < 1 {
        return Err(format!(
            "{} is not a medsite feedback database",
            path.display()
        ));
    }
    Ok(conn)
}

fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let version: usize =
        conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

impl Sqlite {
    /// Opens the database and starts the writer thread.
    pub fn start(path: &Path) -> Result<Sqlite, String> {
        let conn = open(path)?;
        let visits = Arc::new(Mutex::new(Visits::default()));
        {
            // Counts of the last two days, so that "today" goes on after a restart.
            let mut v = visits.lock().map_err(|_| "lock poisoned".to_owned())?;
            let mut stmt = conn
                .prepare("SELECT page, day, count FROM visits WHERE day >= ?1")
                .map_err(|e| e.to_string())?;
            let since = super::days::day_offset(-1);
            let rows = stmt
                .query_map([since], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                })
                .map_err(|e| e.to_string())?;
            for row in rows {
                let (page, day, count) = row.map_err(|e| e.to_string())?;
                v.counts.insert((day, page), count.max(0) as u64);
            }
        }
        let (tx, rx) = mpsc::channel();
        let writer_visits = visits.clone();
        std::thread::Builder::new()
            .name("medsite-feedback-writer".into())
            .spawn(move || writer(conn, rx, writer_visits))
            .map_err(|e| format!("cannot start the writer: {e}"))?;
        Ok(Sqlite {
            tx,
            visits,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores a rating; returns once it is committed.
    pub async fn add_rating(&self, rating: NewRating) -> Result<(), String> {
        let (ack, done) = oneshot::channel();
        self.tx
            .send(Command::Rating(rating, ack))
            .map_err(|_| "the store is closed".to_owned())?;
        done.await.map_err(|_| "the store is closed".to_owned())?
    }

    /// Counts a visit and returns the page's count for `day`.
    pub fn add_visit(&self, page: &str, day: &str) -> u64 {
        let mut v = match self.visits.lock() {
            Ok(v) => v,
            Err(p) => p.into_inner(),
        };
        let key = (day.to_owned(), page.to_owned());
        let count = v.counts.entry(key.clone()).or_insert(0);
        *count += 1;
        let n = *count;
        v.dirty.insert(key, n);
        n
    }

    /// The page's count for `day`, without counting.
    pub fn visits(&self, page: &str, day: &str) -> u64 {
        let v = match self.visits.lock() {
            Ok(v) => v,
            Err(p) => p.into_inner(),
        };
        v.counts
            .get(&(day.to_owned(), page.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// Writes pending counts and stops the writer (waits for it).
    pub fn shutdown(&self) {
        let (tx, rx) = mpsc::channel();
        if self.tx.send(Command::Shutdown(tx)).is_ok() {
            let _ = rx.recv_timeout(Duration::from_secs(10));
        }
    }
}

fn flush_visits(conn: &mut Connection, visits: &Mutex<Visits>) -> rusqlite::Result<()> {
    let dirty = {
        let mut v = match visits.lock() {
            Ok(v) => v,
            Err(p) => p.into_inner(),
        };
        if v.dirty.is_empty() {
            return Ok(());
        }
        // Forget days before yesterday: their counts are in the database.
        let keep = super::days::day_offset(-1);
        v.counts.retain(|(day, _), _| *day >= keep);
        std::mem::take(&mut v.dirty)
    };
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO visits (page, day, count) VALUES (?1, ?2, ?3)
             ON CONFLICT (page, day) DO UPDATE SET count = max(count, excluded.count)",
        )?;
        for ((day, page), count) in &dirty {
            stmt.execute(params![page, day, *count as i64])?;
        }
    }
    tx.commit()
}

fn writer(mut conn: Connection, rx: mpsc::Receiver<Command>, visits: Arc<Mutex<Visits>>) {
    let mut next_flush = Instant::now() + VISIT_FLUSH;
    loop {
        let wait = next_flush.saturating_duration_since(Instant::now());
        let first = match rx.recv_timeout(wait) {
            Ok(c) => Some(c),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let _ = flush_visits(&mut conn, &visits);
                return;
            }
        };
        let mut group = Vec::new();
        let mut shutdown = None;
        if let Some(c) = first {
            let mut next = Some(c);
            while let Some(c) = next.take() {
                match c {
                    Command::Rating(r, ack) => group.push((r, ack)),
                    Command::Shutdown(done) => {
                        shutdown = Some(done);
                        break;
                    }
                }
                if group.len() >= MAX_GROUP {
                    break;
                }
                next = rx.try_recv().ok();
            }
        }
        if !group.is_empty() {
            let result = commit_ratings(&mut conn, &group)
                .map_err(|e| format!("could not save the rating: {e}"));
            for (_, ack) in group {
                let _ = ack.send(result.clone());
            }
        }
        if Instant::now() >= next_flush || shutdown.is_some() {
            if let Err(e) = flush_visits(&mut conn, &visits) {
                eprintln!("medsite feedback: could not write visit counts: {e}");
            }
            next_flush = Instant::now() + VISIT_FLUSH;
        }
        if let Some(done) = shutdown {
            let _ = done.send(());
            return;
        }
    }
}

fn commit_ratings(
    conn: &mut Connection,
    group: &[(NewRating, oneshot::Sender<Result<(), String>>)],
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO ratings (page, day, rating, comment) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (r, _) in group {
            stmt.execute(params![r.page, r.day, r.rating, r.comment])?;
        }
    }
    tx.commit()
}

/// Where the service keeps ratings and visits: a SQLite file (the
/// default, one instance) or PostgreSQL ([`super::pg`], several instances
/// sharing one database).
#[derive(Clone)]
pub enum Store {
    Sqlite(Sqlite),
    Postgres(super::pg::PgStore),
}

impl Store {
    /// Opens (or creates) the SQLite database at `path`.
    pub fn start(path: &Path) -> Result<Store, String> {
        Sqlite::start(path).map(Store::Sqlite)
    }

    /// Connects to PostgreSQL at `url` (`postgres://…`).
    pub async fn postgres(url: &str) -> Result<Store, String> {
        super::pg::PgStore::start(url).await.map(Store::Postgres)
    }

    /// Whether `db` names a PostgreSQL database rather than a file.
    pub fn is_postgres(db: &str) -> bool {
        db.starts_with("postgres://") || db.starts_with("postgresql://")
    }

    /// Stores a rating; returns once it is durable.
    pub async fn add_rating(&self, rating: NewRating) -> Result<(), String> {
        match self {
            Store::Sqlite(s) => s.add_rating(rating).await,
            Store::Postgres(p) => p.add_rating(rating).await,
        }
    }

    /// Counts a visit; returns the day's count so far.
    pub fn add_visit(&self, page: &str, day: &str) -> u64 {
        match self {
            Store::Sqlite(s) => s.add_visit(page, day),
            Store::Postgres(p) => p.add_visit(page, day),
        }
    }

    /// The day's count of a page's visits.
    pub fn visits(&self, page: &str, day: &str) -> u64 {
        match self {
            Store::Sqlite(s) => s.visits(page, day),
            Store::Postgres(p) => p.visits(page, day),
        }
    }

    /// Writes what is still in memory (SQLite: and stops the writer).
    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.shutdown(),
            Store::Postgres(p) => p.flush().await,
        }
    }

    /// Stops the SQLite writer after writing what is in memory.
    pub fn shutdown(&self) {
        if let Store::Sqlite(s) = self {
            s.shutdown();
        }
    }
}
