//! Tidbok's store: the domain's port traits implemented over sqlx for SQLite
//! (the embedded default) and PostgreSQL (production). One SQL text serves
//! both backends; each backend keeps its own migrations folder.
//!
//! Races are settled here, by the database: booking is a conditional update of
//! the slot backed by a partial unique index, and the loser gets
//! [`Conflict::SlotTaken`](tidbok_domain::ports::Conflict). Transactions that
//! fail with a serialization failure (SQLSTATE 40001) or a busy SQLite
//! database are retried.
#![forbid(unsafe_code)]

// The SQL macros come first: the backend modules expand them.
#[macro_use]
mod sql;
#[macro_use]
mod sql_staff;
mod columns;
mod error;
mod postgres;
mod retry;
mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use std::sync::Arc;
use std::time::Duration;
use tidbok_domain::ports::Store;

/// How to reach the database. Defaults suit a laptop; production sets them
/// from the environment.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `sqlite:path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Pool size. SQLite writes one at a time whatever this says.
    pub max_connections: u32,
    /// How long a request waits for a free connection.
    pub acquire_timeout: Duration,
    /// PostgreSQL `statement_timeout`; SQLite's busy timeout.
    pub statement_timeout: Duration,
}

impl StoreConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite: or postgres:// (got scheme {0:?})")]
    UnknownScheme(String),
    #[error("could not create the folder for the SQLite database")]
    Folder(#[source] std::io::Error),
    #[error("could not connect to the database")]
    Connect(#[source] sqlx::Error),
    #[error("could not migrate the database")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// The backend chosen by the URL's scheme.
#[derive(Clone)]
pub enum Backend {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Backend {
    /// Connects without migrating.
    pub async fn connect(config: &StoreConfig) -> Result<Self, ConnectError> {
        let scheme = config.url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite(SqliteStore::connect(config).await?)),
            "postgres" | "postgresql" => Ok(Backend::Postgres(PgStore::connect(config).await?)),
            other => Err(ConnectError::UnknownScheme(other.to_owned())),
        }
    }

    /// Applies the backend's migrations (idempotent).
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match self {
            Backend::Sqlite(s) => s.migrate().await,
            Backend::Postgres(s) => s.migrate().await,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Backend::Sqlite(s) => Arc::new(s.clone()),
            Backend::Postgres(s) => Arc::new(s.clone()),
        }
    }

    pub async fn close(&self) {
        match self {
            Backend::Sqlite(s) => s.pool().close().await,
            Backend::Postgres(s) => s.pool().close().await,
        }
    }
}
