//! PostgreSQL, the production backend: a bounded pool with acquire, statement
//! and lock timeouts, so a slow database turns into quick 503s instead of a
//! queue of stuck requests.

use crate::columns::{self, Columns};
use crate::error::{db_error, is_unique_violation, Failure};
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

impl_ports!(PgStore, sqlx::Postgres);
impl_staff_ports!(PgStore, sqlx::Postgres, sql_staff::CLAIM_DUE_POSTGRES);
