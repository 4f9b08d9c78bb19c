//! SQLite, the embedded default: one file, WAL journal, a busy timeout so
//! writers queue instead of failing, foreign keys on.

use crate::columns::{self, Columns};
use crate::error::{db_error, is_unique_violation, Failure};
use crate::retry::retrying;
use crate::{sql, sql_staff};
use crate::{ConnectError, StoreConfig};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use tidbok_domain::ports::*;
use tidbok_domain::schedule::{ExistingSlot, PlannedSlot, Publication, ScheduleBlock};
use tidbok_domain::*;

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(config: &StoreConfig) -> Result<Self, ConnectError> {
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
        let pool = SqlitePoolOptions::new()
            .max_connections(config.max_connections)
            .acquire_timeout(config.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(ConnectError::Connect)?;
        Ok(Self { pool })
    }

    pub async fn migrate(&self) -> Result<(), ConnectError> {
        sqlx::migrate!("../../migrations/sqlite")
            .run(&self.pool)
            .await
            .map_err(ConnectError::Migrate)
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

impl_ports!(SqliteStore, sqlx::Sqlite);
impl_staff_ports!(SqliteStore, sqlx::Sqlite, sql_staff::CLAIM_DUE_SQLITE);
