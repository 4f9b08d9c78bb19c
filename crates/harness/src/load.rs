//! The load generator: `clients` concurrent HTTP/1.1 clients with keep-alive,
//! each sending its next request as soon as the last one is answered (closed
//! loop, for throughput), or on a fixed schedule (open loop, for latency at a
//! given rate without coordinated omission).

use crate::stats::Recorder;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one request came to: a label for the status table.
pub type Status = String;

pub struct Outcome {
    pub recorder: Recorder,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn rps(&self) -> f64 {
        self.recorder.count() as f64 / self.elapsed.as_secs_f64()
    }
}

/// Runs `request(client_index, sequence_number)` from `clients` concurrent
/// clients until `duration` has passed or `request` returns `None` (its
/// work ran out).
pub async fn closed_loop<F, Fut>(clients: usize, duration: Duration, request: F) -> Outcome
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Option<Status>> + Send,
{
    let request = Arc::new(request);
    let sequence = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for c in 0..clients {
        let request = request.clone();
        let sequence = sequence.clone();
        tasks.push(tokio::spawn(async move {
            let mut rec = Recorder::default();
            while Instant::now() < deadline {
                let n = sequence.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                match request(c, n).await {
                    Some(status) => rec.record(t.elapsed(), &status),
                    None => break,
                }
            }
            rec
        }));
    }
    gather(tasks, started).await
}

/// Sends `rate` requests per second in total, spread evenly over `clients`
/// connections, for `duration`. Latency is measured from when a request was
/// *due*, so a stalled server shows up in the figures instead of slowing the
/// schedule down.
pub async fn fixed_rate<F, Fut>(clients: usize, rate: f64, duration: Duration, request: F) -> Outcome
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Option<Status>> + Send,
{
    let request = Arc::new(request);
    let started = Instant::now();
    let per_client = Duration::from_secs_f64(clients as f64 / rate);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut rec = Recorder::default();
            // Clients start staggered so the total rate is smooth.
            let mut due = started + per_client.mul_f64(c as f64 / clients as f64);
            let mut n = 0u64;
            while due < started + duration {
                tokio::time::sleep_until(due.into()).await;
                match request(c, n).await {
                    Some(status) => rec.record(due.elapsed(), &status),
                    None => break,
                }
                n += 1;
                due += per_client;
            }
            rec
        }));
    }
    gather(tasks, started).await
}

/// Waits for the clients and merges what they recorded.
async fn gather(tasks: Vec<tokio::task::JoinHandle<Recorder>>, started: Instant) -> Outcome {
    let mut recorder = Recorder::default();
    for t in tasks {
        recorder.merge(&t.await.expect("client task"));
    }
    Outcome {
        recorder,
        elapsed: started.elapsed(),
    }
}

/// The status label of a response: `200`, or `409 slot-taken` for a problem.
pub async fn label(response: reqwest::Result<reqwest::Response>) -> Status {
    match response {
        Err(e) if e.is_timeout() => "timeout".into(),
        Err(_) => "transport error".into(),
        Ok(r) => {
            let status = r.status().as_u16();
            if r.status().is_success() {
                let _ = r.bytes().await;
                status.to_string()
            } else {
                let body: serde_json::Value = r.json().await.unwrap_or_default();
                let problem = body["type"].as_str().and_then(|t| t.rsplit('/').next()).unwrap_or("?");
                format!("{status} {problem}")
            }
        }
    }
}
