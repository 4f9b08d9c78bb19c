//! Turning sqlx errors into the domain's [`StoreError`], and deciding which
//! are worth a retry.

use tidbok_domain::ports::{Conflict, StoreError};

/// What a transaction body can fail with: a database error (maybe retryable)
/// or a conflict it detected itself (never retried).
#[derive(Debug)]
pub(crate) enum Failure {
    Db(sqlx::Error),
    Conflict(Conflict),
    Corrupt(String),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::Db(e)
    }
}

impl From<Conflict> for Failure {
    fn from(c: Conflict) -> Self {
        Failure::Conflict(c)
    }
}

impl From<Failure> for StoreError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Db(e) => db_error(e),
            Failure::Conflict(c) => StoreError::Conflict(c),
            Failure::Corrupt(what) => StoreError::Other(what.into()),
        }
    }
}

/// SQLSTATEs (PostgreSQL) and result codes (SQLite) of failures that a fresh
/// attempt of the same transaction can get past: serialization failure,
/// deadlock, and SQLite's busy and locked codes.
pub(crate) fn is_retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            matches!(
                db.code().as_deref(),
                Some("40001" | "40P01" | "5" | "6" | "261" | "517" | "262")
            )
        }
        _ => false,
    }
}

/// Whether the database is out of reach (as opposed to refusing a query).
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or_default();
            // Class 08: connection exception; 57P0x: shutdown / cannot connect now;
            // 53300: too many connections.
            code.starts_with("08") || code.starts_with("57P0") || code == "53300"
        }
        _ => false,
    }
}

pub(crate) fn db_error(e: sqlx::Error) -> StoreError {
    if is_unavailable(&e) {
        StoreError::Unavailable(Box::new(e))
    } else if matches!(&e, sqlx::Error::Database(db) if db.is_unique_violation()) {
        // A unique violation that the query's own code did not expect.
        tracing::warn!(error = %e, "unexpected unique violation");
        StoreError::Conflict(Conflict::Duplicate)
    } else {
        StoreError::Other(Box::new(e))
    }
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
