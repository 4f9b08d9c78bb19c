//! SQLite, the embedded default: one file, WAL journal, a busy timeout so
//! writers queue instead of failing, foreign keys on.

use crate::columns::{self, Columns};
use crate::error::{db_error, is_unique_violation, unique_name_taken, Failure};
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

impl SqliteStore {
    /// The online booking statement by statement: SQLite runs in-process, so
    /// a statement costs no round trip (PostgreSQL's is in `postgres.rs`).
    async fn try_book(
        &self,
        b: &NewBooking,
        key: Option<&IdempotencyKey>,
        effects: &Effects,
    ) -> Result<Committed<BookingId>, Failure> {
        let principal = b.booked_by.uuid();
        let mut tx = self.pool.begin().await?;
        if let Some(replay) = Self::claim_key(&mut tx, principal, IdempotentOperation::Book, key, b.booked_at).await? {
            return Ok(replay);
        }
        if let Some(cap) = b.max_active_of_type {
            // The resident's row lock makes their concurrent bookings
            // take turns, so the count below cannot be raced past the cap.
            sqlx::query(sql::LOCK_RESIDENT)
                .bind(b.resident_id.as_uuid())
                .execute(&mut *tx)
                .await?;
            let held = sqlx::query(sql::ACTIVE_OF_SLOT_TYPE)
                .bind(b.resident_id.as_uuid())
                .bind(b.slot_id.as_uuid())
                .bind(b.booked_at)
                .fetch_one(&mut *tx)
                .await?
                .count("n")?;
            if held >= i64::from(cap) {
                return Err(Conflict::BookingLimitReached.into());
            }
        }
        let (unit_id, starts_at) = Self::claim_slot(&mut tx, b.id, b.slot_id, b.slot_must_start_after).await?;
        let insert = sqlx::query(sql::INSERT_BOOKING)
            .bind(b.id.as_uuid())
            .bind(b.slot_id.as_uuid())
            .bind(b.resident_id.as_uuid())
            .bind(unit_id)
            .bind(starts_at)
            .bind(b.booked_by.kind().as_str())
            .bind(b.booked_by.uuid())
            .bind(b.booked_at)
            .bind(b.reason_for_visit.as_ref().map(|r| r.as_str()))
            .bind(b.message.as_ref().map(|m| m.as_str()))
            .bind(b.hidden_in_portal)
            .bind(None::<uuid::Uuid>)
            .execute(&mut *tx)
            .await;
        match insert {
            Err(e) if is_unique_violation(&e) => return Err(Conflict::SlotTaken.into()),
            other => other?,
        };
        Self::set_key_result(&mut tx, principal, IdempotentOperation::Book, key, b.id).await?;
        Self::write_effects(&mut tx, effects).await?;
        tx.commit().await?;
        Ok(Committed::Created(b.id))
    }
}

impl_ports!(SqliteStore, sqlx::Sqlite);
impl_staff_ports!(SqliteStore, sqlx::Sqlite, sql_staff::CLAIM_DUE_SQLITE);
