//! PostgreSQL, the production backend: a bounded pool with acquire, statement
//! and lock timeouts, so a slow database turns into quick 503s instead of a
//! queue of stuck requests.

use crate::columns::{self, Columns};
use crate::error::{db_error, is_unique_violation, unique_name_taken, Failure};
use crate::retry::retrying;
use crate::{sql, sql_staff};
use crate::{ConnectError, StoreConfig};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;
use tidbok_domain::ports::*;
use tidbok_domain::schedule::{ExistingSlot, PlannedSlot, Publication, ScheduleBlock};
use tidbok_domain::*;

/// Connections idle longer than this are pinged before use.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub async fn connect(config: &StoreConfig) -> Result<Self, ConnectError> {
        let timeout = format!("{}ms", config.statement_timeout.as_millis());
        let options = PgConnectOptions::from_str(&config.url)
            .map_err(ConnectError::Connect)?
            .application_name("tidbok")
            .options([
                ("statement_timeout", timeout.as_str()),
                ("lock_timeout", timeout.as_str()),
            ]);
        let pool = PgPoolOptions::new()
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
            .map_err(ConnectError::Connect)?;
        Ok(Self { pool })
    }

    pub async fn migrate(&self) -> Result<(), ConnectError> {
        sqlx::migrate!("../../migrations/postgres")
            .run(&self.pool)
            .await
            .map_err(ConnectError::Migrate)
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

impl PgStore {
    /// The online booking in four round trips (BEGIN, key and lock, the rest,
    /// COMMIT) where the statement-by-statement transaction takes nine; the
    /// same contract, checked by the store suite on both backends.
    async fn try_book(
        &self,
        b: &NewBooking,
        key: Option<&IdempotencyKey>,
        effects: &Effects,
    ) -> Result<Committed<BookingId>, Failure> {
        let principal = b.booked_by.uuid();
        let operation = IdempotentOperation::Book;
        let mut tx = self.pool.begin().await?;
        match (key, b.max_active_of_type) {
            (Some(k), Some(_)) => {
                let fresh = sqlx::query(sql::CLAIM_KEY_AND_LOCK_RESIDENT_POSTGRES)
                    .bind(principal)
                    .bind(operation.as_str())
                    .bind(&k.key)
                    .bind(&k.fingerprint)
                    .bind(b.booked_at)
                    .bind(b.resident_id.as_uuid())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if fresh == 0 {
                    return Self::key_result(&mut tx, principal, operation, k).await;
                }
            }
            (Some(_), None) => {
                if let Some(replay) = Self::claim_key(&mut tx, principal, operation, key, b.booked_at).await? {
                    return Ok(replay);
                }
            }
            (None, Some(_)) => {
                sqlx::query(sql::LOCK_RESIDENT)
                    .bind(b.resident_id.as_uuid())
                    .execute(&mut *tx)
                    .await?;
            }
            (None, None) => {}
        }
        let (message, deliveries) = match &effects.notice {
            Some(n) => (Some(&n.message), n.deliveries.as_slice()),
            None => (None, &[][..]),
        };
        let access = &effects.access;
        let row = sqlx::query(sql::BOOK_WITH_EFFECTS_POSTGRES)
            .bind(b.id.as_uuid())
            .bind(b.slot_id.as_uuid())
            .bind(b.resident_id.as_uuid())
            .bind(b.booked_by.kind().as_str())
            .bind(b.booked_by.uuid())
            .bind(b.booked_at)
            .bind(b.reason_for_visit.as_ref().map(|r| r.as_str()))
            .bind(b.message.as_ref().map(|m| m.as_str()))
            .bind(b.hidden_in_portal)
            .bind(b.max_active_of_type.map(|cap| i32::try_from(cap).unwrap_or(i32::MAX)))
            .bind(principal)
            .bind(operation.as_str())
            .bind(key.map(|k| k.key.as_str()))
            .bind(message.map(|m| m.id))
            .bind(message.map(|m| m.resident_id.as_uuid()))
            .bind(message.and_then(|m| m.booking_id.map(|id| id.as_uuid())))
            .bind(message.map(|m| m.kind.as_str()))
            .bind(message.map(|m| m.subject.as_str()))
            .bind(message.map(|m| m.body.as_str()))
            .bind(message.map(|m| m.created_at))
            .bind(deliveries.iter().map(|d| d.id).collect::<Vec<_>>())
            .bind(deliveries.iter().map(|d| d.channel.as_str()).collect::<Vec<_>>())
            .bind(deliveries.iter().map(|d| d.recipient.as_str()).collect::<Vec<_>>())
            .bind(deliveries.iter().map(|d| d.subject.as_str()).collect::<Vec<_>>())
            .bind(deliveries.iter().map(|d| d.body.as_str()).collect::<Vec<_>>())
            .bind(access.iter().map(|a| a.id).collect::<Vec<_>>())
            .bind(access.iter().map(|a| a.at).collect::<Vec<_>>())
            .bind(access.iter().map(|a| a.actor_id.as_uuid()).collect::<Vec<_>>())
            .bind(access.iter().map(|a| a.actor_role.as_str()).collect::<Vec<_>>())
            .bind(access.iter().map(|a| a.actor_name.as_deref()).collect::<Vec<_>>())
            .bind(
                access
                    .iter()
                    .map(|a| a.unit_id.map(|u| u.as_uuid()))
                    .collect::<Vec<_>>(),
            )
            .bind(access.iter().map(|a| a.action.as_str()).collect::<Vec<_>>())
            .bind(access.iter().map(|a| a.resident_id.as_uuid()).collect::<Vec<_>>())
            .bind(
                access
                    .iter()
                    .map(|a| a.booking_id.map(|id| id.as_uuid()))
                    .collect::<Vec<_>>(),
            )
            .fetch_one(&mut *tx)
            .await;
        let row = match row {
            // Another active booking of the slot (its partial unique index).
            Err(e) if is_unique_violation(&e) => return Err(Conflict::SlotTaken.into()),
            other => other?,
        };
        let started_in_time = match row.opt_instant("claimed_starts_at")? {
            Some(starts_at) => starts_at > b.slot_must_start_after,
            None => true,
        };
        if !started_in_time {
            return Err(Conflict::SlotTaken.into());
        }
        if row.count("booked")? == 0 {
            return Err(match b.max_active_of_type {
                Some(cap) if row.count("held")? >= i64::from(cap) => Conflict::BookingLimitReached,
                _ => Conflict::SlotTaken,
            }
            .into());
        }
        let expected = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        if row.count("keyed")? != expected(usize::from(key.is_some()))
            || row.count("delivered")? != expected(deliveries.len())
            || row.count("logged")? != expected(access.len())
        {
            return Err(Failure::Corrupt("a booking's effects were not all written".into()));
        }
        tx.commit().await?;
        Ok(Committed::Created(b.id))
    }
}

impl_ports!(PgStore, sqlx::Postgres);
impl_staff_ports!(PgStore, sqlx::Postgres, sql_staff::CLAIM_DUE_POSTGRES);
