//! Tidbok's store: the domain's port traits implemented over sqlx for SQLite
//! (the embedded default) and PostgreSQL (production).
//!
//! One store type, `SqlStore`, holds the [`Backend`] it was opened on and
//! implements every port once. The code is laid out by area: each module
//! holds its SQL beside the port methods that run it, and a port method
//! reaches its SQL by plain function calls — `query(SQL).bind(..)` then
//! `fetch_all`/`execute` on the pool or a transaction (`query.rs`). One SQL
//! text serves both backends (`$n` placeholders); where they differ, the
//! area module chooses between the two texts side by side.
//!
//! | module | owns |
//! |---|---|
//! | `backend.rs` | connecting, migrating and transactions, per backend |
//! | `query.rs` | running one statement on either backend; rows |
//! | `columns.rs` | column lists under fixed aliases, and their readers |
//! | `catalogue.rs` | regions, units, practitioners, types, unit services: reads, and the seed's writes |
//! | `admin.rs` | administering regions, types and the units' services |
//! | `calendar.rs` | slots: the free-slot search, slot reads, creating slots |
//! | `residents.rs` | residents and the established-contact rule |
//! | `booking.rs` | bookings and their writes; `booking/online.rs`, the online booking per backend |
//! | `effects.rs` | what a change writes beside itself: inbox message, outbox rows, access-log lines |
//! | `appointment_book.rs` | the staff's appointment book |
//! | `schedule.rs` | templates, one-day changes, publishing |
//! | `invitations.rs` | invitations to book, used up by their booking (rule 19) |
//! | `waitlist.rs` | the earlier-time waitlist, holds and offers (rules 15–16) |
//! | `inbox.rs`, `outbox.rs`, `access_log.rs` | the resident's messages, their delivery, the access log |
//! | `error.rs`, `retry.rs` | sqlx errors as the domain's, and retried transactions |
//! | `testing.rs` (feature `testing`) | throwaway databases and fixtures; `testing/ceiling.rs`, the benchmark's booking ceiling |
//!
//! Races are settled here, by the database: booking is a conditional update of
//! the slot backed by a partial unique index, and the loser gets
//! [`Conflict::SlotTaken`](tidbok_domain::ports::Conflict). Transactions that
//! fail with a serialization failure (SQLSTATE 40001) or a busy SQLite
//! database are retried.
#![forbid(unsafe_code)]

// The column-list macros come first: the area modules expand them.
#[macro_use]
mod columns;
mod access_log;
mod admin;
mod appointment_book;
mod backend;
mod booking;
mod calendar;
mod catalogue;
mod effects;
mod error;
mod guardians;
mod inbox;
mod invitations;
mod outbox;
mod query;
mod residents;
mod retry;
mod schedule;
#[cfg(feature = "testing")]
pub mod testing;
mod waitlist;

pub use backend::Backend;

use std::time::Duration;
use tidbok_domain::ports::{HealthCheck, StoreResult};

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

/// Every port of the domain, on one [`Backend`]. Each port's methods are in
/// the module of their area (see the table above); [`Backend::store`] hands
/// it out.
#[derive(Clone)]
pub(crate) struct SqlStore {
    db: Backend,
    /// When offers of an earlier time are made (rule 15).
    offers: tidbok_domain::waitlist::OfferWindow,
}

#[async_trait::async_trait]
impl HealthCheck for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        query::query("SELECT 1")
            .execute(&self.db)
            .await
            .map_err(error::db_error)?;
        Ok(())
    }
}
