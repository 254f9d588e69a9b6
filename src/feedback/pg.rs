//! The feedback store on PostgreSQL, for several instances of the service
//! sharing one database (`medsite feedback serve --db postgres://…`).
//!
//! Ratings are inserted one statement each from a connection pool and
//! acknowledged only after PostgreSQL has committed them, so an
//! acknowledged rating survives a crash of any instance. Visits are counted
//! in memory per instance and added to the shared counts at least twice a
//! second (`count = count + n`), so the counts of all instances add up
//! exactly; a crash of an instance loses at most its last half second of
//! visits. Migrations are versioned in `medsite_migrations` and run under
//! an advisory lock, so instances that start together do not race.
//!
//! Stored: page, day, rating, comment; visits per page per day, as with
//! SQLite. Not for checking what is stored (the handlers do that first).

use super::store::{NewRating, VISIT_FLUSH};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio_postgres::NoTls;

/// Schema migrations, applied in order; `medsite_migrations` records
/// which have run.
const MIGRATIONS: &[&str] = &[
    // 1: ratings and daily visit counts
    "CREATE TABLE ratings (
        id      BIGSERIAL PRIMARY KEY,
        page    TEXT NOT NULL,
        day     TEXT NOT NULL,
        rating  SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment TEXT NOT NULL DEFAULT ''
     );
     CREATE INDEX ratings_page_day ON ratings (page, day);
     CREATE TABLE visits (
        page  TEXT NOT NULL,
        day   TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (page, day)
     );",
];

/// An arbitrary number that names medsite's migration lock.
const MIGRATION_LOCK: i64 = 0x006d_6564_7369_7465;

/// Visit counts of this instance: the shared count as last read, and the
/// visits not yet added to it.
#[derive(Default)]
struct Visits {
    known: HashMap<(String, String), u64>,
    pending: HashMap<(String, String), u64>,
}

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    visits: Arc<Mutex<Visits>>,
    /// Held while visits are written: the last flush at shutdown waits for
    /// one under way, whose visits would otherwise be lost with it.
    flushing: Arc<tokio::sync::Mutex<()>>,
    /// The address without its password, for messages.
    shown: String,
}

fn lock(v: &Mutex<Visits>) -> std::sync::MutexGuard<'_, Visits> {
    match v.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl PgStore {
    /// Connects, runs the migrations and starts adding visits.
    pub async fn start(url: &str) -> Result<PgStore, String> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| format!("`--db`: not a PostgreSQL address: {e}"))?;
        let shown = match url.split_once('@') {
            Some((_, host)) => format!("postgres://…@{host}"),
            None => url.to_owned(),
        };
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(|e| format!("cannot make a connection pool: {e}"))?;
        let mut client = pool
            .get()
            .await
            .map_err(|e| format!("cannot connect to {shown}: {e}"))?;
        migrate(&mut client)
            .await
            .map_err(|e| format!("cannot prepare {shown}: {e}"))?;
        let store = PgStore {
            pool,
            visits: Arc::new(Mutex::new(Visits::default())),
            flushing: Arc::new(tokio::sync::Mutex::new(())),
            shown,
        };
        let flusher = store.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(VISIT_FLUSH);
            loop {
                tick.tick().await;
                flusher.flush().await;
            }
        });
        Ok(store)
    }

    /// The database, for messages (no password).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Stores a rating; returns once PostgreSQL has committed it.
    pub async fn add_rating(&self, r: NewRating) -> Result<(), String> {
        let client = self.pool.get().await.map_err(|e| e.to_string())?;
        client
            .execute(
                "INSERT INTO ratings (page, day, rating, comment) VALUES ($1, $2, $3, $4)",
                &[&r.page, &r.day, &i16::from(r.rating), &r.comment],
            )
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Counts a visit; the count as this instance knows it.
    pub fn add_visit(&self, page: &str, day: &str) -> u64 {
        let mut v = lock(&self.visits);
        let key = (day.to_owned(), page.to_owned());
        let pending = v.pending.entry(key.clone()).or_insert(0);
        *pending += 1;
        let pending = *pending;
        v.known.get(&key).copied().unwrap_or(0) + pending
    }

    /// The count of a page's visits on a day, as this instance knows it.
    pub fn visits(&self, page: &str, day: &str) -> u64 {
        let v = lock(&self.visits);
        let key = (day.to_owned(), page.to_owned());
        v.known.get(&key).copied().unwrap_or(0) + v.pending.get(&key).copied().unwrap_or(0)
    }

    /// Adds this instance's visits to the shared counts; what cannot be
    /// written is kept for the next time.
    pub async fn flush(&self) {
        let _one_at_a_time = self.flushing.lock().await;
        let pending = std::mem::take(&mut lock(&self.visits).pending);
        if pending.is_empty() {
            return;
        }
        let Ok(mut client) = self.pool.get().await else {
            restore(&self.visits, pending);
            return;
        };
        let written = async {
            let tx = client.transaction().await?;
            let stmt = tx
                .prepare(
                    "INSERT INTO visits (page, day, count) VALUES ($1, $2, $3)
                     ON CONFLICT (page, day) DO UPDATE SET count = visits.count + EXCLUDED.count
                     RETURNING count",
                )
                .await?;
            let mut counts = Vec::with_capacity(pending.len());
            for ((day, page), n) in &pending {
                let row = tx.query_one(&stmt, &[page, day, &(*n as i64)]).await?;
                counts.push(((day.clone(), page.clone()), row.get::<_, i64>(0)));
            }
            tx.commit().await?;
            Ok::<_, tokio_postgres::Error>(counts)
        }
        .await;
        match written {
            Ok(counts) => {
                let mut v = lock(&self.visits);
                for (key, count) in counts {
                    v.known.insert(key, count.max(0) as u64);
                }
            }
            Err(_) => restore(&self.visits, pending),
        }
    }
}

fn restore(visits: &Mutex<Visits>, pending: HashMap<(String, String), u64>) {
    let mut v = lock(visits);
    for (k, n) in pending {
        *v.pending.entry(k).or_insert(0) += n;
    }
}

async fn migrate(client: &mut deadpool_postgres::Object) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS medsite_migrations (
            version    INTEGER PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let done: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM medsite_migrations",
            &[],
        )
        .await?
        .get(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO medsite_migrations (version) VALUES ($1)",
            &[&((i + 1) as i32)],
        )
        .await?;
    }
    tx.commit().await
}

/// The report's rows from the database at `url` (`medsite feedback
/// report --db postgres://…`), the same queries as on SQLite.
pub async fn report_rows(url: &str, since: Option<&str>) -> Result<super::report::Rows, String> {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    tokio::spawn(conn);
    let e = |e: tokio_postgres::Error| e.to_string();
    let has_tables: bool = client
        .query_one("SELECT to_regclass('medsite_migrations') IS NOT NULL", &[])
        .await
        .map_err(e)?
        .get(0);
    if !has_tables {
        return Err("the database is not a medsite feedback database".into());
    }
    let since_day = super::report::first_day(since);
    let mut rows = super::report::Rows::default();
    for r in client
        .query(
            "SELECT page, rating::bigint, count(*) FROM ratings WHERE day >= $1 GROUP BY page, rating",
            &[&since_day],
        )
        .await
        .map_err(e)?
    {
        rows.ratings.push((r.get(0), r.get(1), r.get(2)));
    }
    for r in client
        .query(
            "SELECT page, day, rating::bigint, comment FROM ratings
             WHERE day >= $1 AND comment <> '' ORDER BY id DESC",
            &[&since_day],
        )
        .await
        .map_err(e)?
    {
        rows.comments.push((r.get(0), r.get(1), r.get(2), r.get(3)));
    }
    let (today, d7, d30) = super::report::visit_days();
    for r in client
        .query(
            "SELECT page,
                    sum(CASE WHEN day = $1 THEN count ELSE 0 END)::bigint,
                    sum(CASE WHEN day >= $2 THEN count ELSE 0 END)::bigint,
                    sum(count)::bigint
             FROM visits WHERE day >= $3 AND day <= $1 GROUP BY page",
            &[&today, &d7, &d30],
        )
        .await
        .map_err(e)?
    {
        rows.visits.push((r.get(0), r.get(1), r.get(2), r.get(3)));
    }
    Ok(rows)
}
