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

/// Any database error a statement did not expect. A unique violation is one
/// too: only the statement that expects one turns it into a [`Conflict`]
/// (see [`unique_name_taken`]); anywhere else it is a bug, logged as the
/// cause of a 500 (the message names the constraint, never the row).
pub(crate) fn db_error(e: sqlx::Error) -> StoreError {
    if is_unavailable(&e) {
        StoreError::Unavailable(Box::new(e))
    } else {
        StoreError::Other(Box::new(e))
    }
}

/// For the statements that write an appointment type: its region already has
/// a type of that name (`appointment_types_region_name_key`). SQLite names no
/// constraint in its errors, and these statements can violate no other
/// unique key than that name (ids are fresh UUIDs), so there any unique
/// violation is it.
pub(crate) fn unique_name_taken(e: sqlx::Error) -> StoreError {
    let name_taken = match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            db.constraint().is_none_or(|c| c == "appointment_types_region_name_key")
        }
        _ => false,
    };
    if name_taken {
        StoreError::Conflict(Conflict::Duplicate)
    } else {
        db_error(e)
    }
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
