//! Keeps the outbox worker running. A worker that stops — it never returns
//! on its own, so stopping means it panicked — is logged, counted, reported
//! by `/readyz`, and started again after a short, growing pause; deliveries
//! it had claimed come back to the new worker when their leases expire.

use futures_util::future::BoxFuture;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What `/readyz` says of the worker.
#[derive(Debug, Default)]
pub struct WorkerStatus {
    running: AtomicBool,
    restarts: AtomicU32,
}

impl WorkerStatus {
    pub fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    /// How often the worker had to be started again since the process began.
    pub fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::SeqCst)
    }
}

/// The pause before restart `n` (1-based): 1 s, doubling, at most 30 s.
fn pause(restart: u32) -> Duration {
    Duration::from_secs((1u64 << restart.saturating_sub(1).min(5)).min(30))
}

/// Runs the worker `start` makes, and a new one whenever one stops.
pub fn supervise<F>(start: F) -> Arc<WorkerStatus>
where
    F: Fn() -> BoxFuture<'static, ()> + Send + 'static,
{
    supervise_with(start, pause)
}

fn supervise_with<F>(start: F, pause: fn(u32) -> Duration) -> Arc<WorkerStatus>
where
    F: Fn() -> BoxFuture<'static, ()> + Send + 'static,
{
    let status = Arc::new(WorkerStatus::default());
    let watched = status.clone();
    tokio::spawn(async move {
        loop {
            watched.running.store(true, Ordering::SeqCst);
            let outcome = tokio::spawn(start()).await;
            watched.running.store(false, Ordering::SeqCst);
            let restart = watched.restarts.fetch_add(1, Ordering::SeqCst) + 1;
            match outcome {
                Err(e) if e.is_panic() => {
                    tracing::error!(restart, "the outbox worker panicked; starting it again")
                }
                _ => tracing::error!(restart, "the outbox worker stopped; starting it again"),
            }
            tokio::time::sleep(pause(restart)).await;
        }
    });
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;
    use std::sync::atomic::AtomicUsize;

    #[tokio::test]
    async fn a_worker_that_dies_is_counted_and_started_again() {
        let starts = Arc::new(AtomicUsize::new(0));
        let counted = starts.clone();
        let status = supervise_with(
            move || {
                let n = counted.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n < 2 {
                        panic!("a poisoned delivery");
                    }
                    futures_util::future::pending::<()>().await
                }
                .boxed()
            },
            |_| Duration::from_millis(10),
        );
        for _ in 0..200 {
            if starts.load(Ordering::SeqCst) >= 3 && status.running() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(starts.load(Ordering::SeqCst), 3, "two deaths, three starts");
        assert_eq!(status.restarts(), 2);
        assert!(status.running(), "the third one keeps running");
    }

    #[test]
    fn restarts_back_off_up_to_thirty_seconds() {
        let pauses: Vec<_> = (1..=7).map(|n| pause(n).as_secs()).collect();
        assert_eq!(pauses, [1, 2, 4, 8, 16, 30, 30]);
    }
}
