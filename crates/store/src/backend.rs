//! The two databases side by side: connecting, migrating, opening a
//! transaction.
//!
//! SQLite is the embedded default: one file, WAL journal, a busy timeout so
//! writers queue instead of failing, foreign keys on. PostgreSQL is the
//! production backend: a bounded pool with acquire, statement and lock
//! timeouts, so a slow database turns into quick 503s instead of a queue of
//! stuck requests. Each keeps its own migrations folder.

use crate::query::Tx;
use crate::{ConnectError, SqlStore, StoreConfig};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tidbok_domain::ports::Store;

/// PostgreSQL connections idle longer than this are pinged before use.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(2);

/// The database the store runs on, chosen by the URL's scheme.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Backend {
    /// Connects without migrating.
    pub async fn connect(config: &StoreConfig) -> Result<Self, ConnectError> {
        let scheme = config.url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => connect_sqlite(config).await.map(Backend::Sqlite),
            "postgres" | "postgresql" => connect_postgres(config).await.map(Backend::Postgres),
            other => Err(ConnectError::UnknownScheme(other.to_owned())),
        }
    }

    /// Applies the backend's migrations (idempotent).
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match self {
            Backend::Sqlite(pool) => sqlx::migrate!("../../migrations/sqlite").run(pool).await,
            Backend::Postgres(pool) => sqlx::migrate!("../../migrations/postgres").run(pool).await,
        }
        .map_err(ConnectError::Migrate)
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Every port, on this database.
    pub fn store(&self) -> Arc<dyn Store> {
        self.store_with(Default::default())
    }

    /// The store, making offers of an earlier time only inside `offers`.
    pub fn store_with(&self, offers: tidbok_domain::waitlist::OfferWindow) -> Arc<dyn Store> {
        Arc::new(SqlStore {
            db: self.clone(),
            offers,
        })
    }

    pub async fn close(&self) {
        match self {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }

    pub(crate) async fn begin(&self) -> sqlx::Result<Tx> {
        Ok(match self {
            Backend::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Backend::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }
}

async fn connect_sqlite(config: &StoreConfig) -> Result<SqlitePool, ConnectError> {
    let options = SqliteConnectOptions::from_str(&config.url)
        .map_err(ConnectError::Connect)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(config.statement_timeout)
        .foreign_keys(true);
    if let Some(folder) = options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(ConnectError::Folder)?;
    }
    SqlitePoolOptions::new()
        .max_connections(config.max_connections)
        .acquire_timeout(config.acquire_timeout)
        .connect_with(options)
        .await
        .map_err(ConnectError::Connect)
}

async fn connect_postgres(config: &StoreConfig) -> Result<PgPool, ConnectError> {
    let timeout = format!("{}ms", config.statement_timeout.as_millis());
    let options = PgConnectOptions::from_str(&config.url)
        .map_err(ConnectError::Connect)?
        .application_name("tidbok")
        .options([
            ("statement_timeout", timeout.as_str()),
            ("lock_timeout", timeout.as_str()),
        ]);
    PgPoolOptions::new()
        .max_connections(config.max_connections)
        .acquire_timeout(config.acquire_timeout)
        .idle_timeout(Duration::from_secs(300))
        // A ping per checkout is a round trip per query: check only
        // connections that sat idle a while. A connection that broke
        // meanwhile fails its query as "unavailable" (503) and is dropped.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > IDLE_BEFORE_PING {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .connect_with(options)
        .await
        .map_err(ConnectError::Connect)
}
