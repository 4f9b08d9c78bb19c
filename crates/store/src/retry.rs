//! Retrying whole transactions that lost a serialization race.
//!
//! PostgreSQL at READ COMMITTED rarely reports 40001, but PostgreSQL-compatible
//! distributed engines run SERIALIZABLE and report it routinely; SQLite reports
//! "busy" when its busy timeout runs out. In both cases the right move is to run
//! the same transaction again after a short, jittered pause.

use crate::error::{is_retryable, Failure};
use rand::Rng;
use std::future::Future;
use std::time::Duration;

pub(crate) const MAX_ATTEMPTS: u32 = 6;

pub(crate) async fn retrying<T, F, Fut>(operation: &'static str, mut attempt: F) -> Result<T, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(Failure::Db(e)) if is_retryable(&e) && tries < MAX_ATTEMPTS => {
                tracing::info!(operation, attempt = tries, code = ?sqlstate(&e), "retrying transaction");
                tokio::time::sleep(backoff(tries)).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

fn sqlstate(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()),
        _ => None,
    }
}

/// 5, 10, 20, 40 ms ... with up to 50 % jitter, so retries of racing
/// transactions spread out.
fn backoff(tries: u32) -> Duration {
    let base = 5u64 << (tries - 1).min(6);
    let jitter = rand::thread_rng().gen_range(0..=base / 2);
    Duration::from_millis(base + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;
    use std::error::Error as StdError;
    use std::fmt;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A database error with a chosen SQLSTATE, standing in for what a
    /// serializable engine reports.
    #[derive(Debug)]
    struct FakeDbError(&'static str);

    impl fmt::Display for FakeDbError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "fake database error {}", self.0)
        }
    }

    impl StdError for FakeDbError {}

    impl sqlx::error::DatabaseError for FakeDbError {
        fn message(&self) -> &str {
            "could not serialize access"
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn StdError + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn StdError + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn failing(code: &'static str) -> Failure {
        Failure::Db(sqlx::Error::Database(Box::new(FakeDbError(code))))
    }

    #[tokio::test]
    async fn a_serialization_failure_is_retried_until_it_succeeds() {
        let calls = AtomicU32::new(0);
        let result = retrying("test", || async {
            if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(failing("40001"))
            } else {
                Ok(7)
            }
        })
        .await;
        assert!(matches!(result, Ok(7)));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn retries_stop_after_the_last_attempt() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = retrying("test", || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(failing("40P01"))
        })
        .await;
        assert!(matches!(result, Err(Failure::Db(_))));
        assert_eq!(calls.load(Ordering::SeqCst), MAX_ATTEMPTS);
    }

    #[tokio::test]
    async fn other_errors_and_conflicts_are_not_retried() {
        for failure in [
            || failing("23505"),
            || Failure::Conflict(tidbok_domain::ports::Conflict::SlotTaken),
        ] {
            let calls = AtomicU32::new(0);
            let result: Result<(), _> = retrying("test", || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(failure())
            })
            .await;
            assert!(result.is_err());
            assert_eq!(calls.load(Ordering::SeqCst), 1);
        }
    }
}
