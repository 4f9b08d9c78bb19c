//! `tidbok-chaos`: a history-recording client and a checker.
//!
//! Concurrent workers book, cancel and rebook a small set of hot slots through
//! the real server (residents) while a staff worker books and cancels for
//! them; every invocation and its outcome — ok, refused, not sent, or
//! indeterminate (timed out, cut off, 5xx) — goes into a history. Meanwhile
//! faults are injected: `kill -9` of a server and its restart, two servers on
//! one PostgreSQL, PostgreSQL itself stopped like a crash and started again
//! under the running servers, and (PostgreSQL) serialization failures raised
//! by a trigger inside the booking transactions.
//!
//! Afterwards the checker reads the database and asserts: never more than one
//! active booking per slot, and slots and bookings agree; every acknowledged
//! booking, cancellation and rebooking is there; nothing refused left a
//! trace; every indeterminate request is resolved one way or the other (and a
//! resolved booking is what its idempotency key replays); every row is
//! explained by a request; every acknowledged change has its one inbox
//! message and outbox delivery, staff changes their access-log line.

#![allow(clippy::print_stdout)]

use anyhow::{bail, ensure, Context};
use chrono::{Duration as ChronoDuration, DurationRound, Utc};
use clap::Parser;
use rand::seq::SliceRandom;
use rand::Rng;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tidbok_domain::{NotificationChoices, ResidentId};
use tidbok_harness::pg::Cluster;
use tidbok_harness::server::Server;
use tidbok_harness::stats::table;
use tidbok_harness::tokens::{Signer, AUDIENCE, ISSUER};
use tidbok_store::testing::fixture::{adult_pnr, World};
use tidbok_store::{Backend, StoreConfig};
use tokio::sync::Mutex as AsyncMutex;
use uuid::Uuid;

#[derive(Parser, Debug)]
#[command(about = "Consistency under faults: history-recording client + checker")]
struct Args {
    /// The `tidbok` binary to run.
    #[arg(long)]
    bin: PathBuf,
    /// `sqlite` (one server, killed and restarted) or `postgres` (a throwaway
    /// cluster, two servers, kills, a database restart, injected 40001s).
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Acknowledged-or-not operations to issue (requests that never reached a
    /// server are not counted).
    #[arg(long, default_value_t = 1500)]
    ops: u64,
    /// Concurrent resident clients.
    #[arg(long, default_value_t = 16)]
    workers: usize,
    /// Hot slots everyone fights over.
    #[arg(long, default_value_t = 10)]
    slots: usize,
    #[arg(long, default_value_t = 24)]
    residents: usize,
    /// Share of booking writes the injected trigger fails with 40001 (PostgreSQL).
    #[arg(long, default_value_t = 0.1)]
    inject: f64,
    /// Client timeout per request, in milliseconds.
    #[arg(long, default_value_t = 4000)]
    timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Book,
    Cancel,
    Rebook,
    StaffBook,
    StaffCancel,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
enum Outcome {
    Ok { id: Uuid, replayed: bool },
    Refused { status: u16, problem: String },
    NotSent { error: String },
    Indeterminate { why: String },
}

/// One invocation and its outcome.
#[derive(Debug, Clone, Serialize)]
struct Op {
    n: u64,
    kind: Kind,
    server: String,
    resident: usize,
    slot: Option<Uuid>,
    booking: Option<Uuid>,
    key: Option<String>,
    /// Unique per operation: the reason for visit or cancellation it sends,
    /// which is how the checker finds its trace in the database.
    reason: String,
    started_ms: u128,
    took_ms: u128,
    #[serde(flatten)]
    outcome: Outcome,
    /// Content type of a 5xx answer (must be problem+json).
    #[serde(skip_serializing_if = "Option::is_none")]
    error_content_type: Option<String>,
    during_outage: bool,
}

struct Resident {
    id: ResidentId,
    pnr: String,
    token: String,
    /// Bookings this client believes are active.
    active: AsyncMutex<Vec<Uuid>>,
}

struct Shared {
    started: Instant,
    target: u64,
    issued: AtomicU64,
    next_n: AtomicU64,
    outage: AtomicBool,
    history: Mutex<Vec<Op>>,
    /// Acknowledged bookings, for the staff worker to cancel.
    known: Mutex<Vec<(Uuid, usize)>>,
    bases: Vec<String>,
    slots: Vec<Uuid>,
    residents: Vec<Resident>,
    staff_token: String,
    unit: Uuid,
    client: reqwest::Client,
}

impl Shared {
    fn done(&self) -> bool {
        self.issued.load(Ordering::SeqCst) >= self.target
    }

    fn progress(&self) -> f64 {
        self.issued.load(Ordering::SeqCst) as f64 / self.target as f64
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let postgres = match args.backend.as_str() {
        "postgres" => true,
        "sqlite" => false,
        other => bail!("--backend must be sqlite or postgres, not {other}"),
    };
    let out = tidbok_harness::artifacts(&format!("chaos-{}", args.backend))?;
    for old in ["history.jsonl", "server-a.log", "server-b.log"] {
        let _ = std::fs::remove_file(out.join(old));
    }
    // Removed when main returns (and on Ctrl-C, below).
    let work_dir = tempfile::Builder::new().prefix("tidbok-chaos-").tempdir()?;
    let work = work_dir.path().to_path_buf();

    // The database: a throwaway PostgreSQL cluster we may stop, or a SQLite file.
    let cluster = if postgres {
        Some(Cluster::create(tidbok_harness::pg::FAST)?)
    } else {
        None
    };
    Cluster::clean_up_on_interrupt(cluster.as_ref(), work.clone());
    let url = match &cluster {
        Some(c) => c.url(),
        None => format!("sqlite:{}", work.join("chaos.db").display()),
    };
    let backend = Backend::connect(&StoreConfig::new(&url)).await?;
    backend.migrate().await?;
    let world = World::create(backend.store()).await;
    let first = (Utc::now() + ChronoDuration::hours(72)).duration_trunc(ChronoDuration::hours(1))?;
    let starts: Vec<_> = (0..args.slots)
        .map(|i| first + ChronoDuration::minutes(15 * i as i64))
        .collect();
    let slots: Vec<Uuid> = world
        .slots(&world.self_service, &starts, 15)
        .await
        .into_iter()
        .map(|s| s.as_uuid())
        .collect();
    let signer = Signer::from_fixtures()?;
    let mut residents = Vec::new();
    for i in 0..args.residents {
        let pnr = adult_pnr(7000 + i as u32);
        let r = world.resident(&pnr).await;
        let email = format!("chaos{i}@example.invalid");
        world
            .store
            .update_contact(
                r.id,
                None,
                Some(&email),
                NotificationChoices {
                    sms: false,
                    email: true,
                },
                NotificationChoices { sms: true, email: true },
            )
            .await?;
        residents.push(Resident {
            id: r.id,
            token: signer.resident(&pnr),
            pnr,
            active: AsyncMutex::new(Vec::new()),
        });
    }
    if postgres {
        install_injection(&backend, args.inject).await?;
    }

    // The servers.
    let env = vec![
        ("DATABASE_URL".to_owned(), url.clone()),
        ("TIDBOK_JWT_ISSUER".into(), ISSUER.into()),
        ("TIDBOK_JWT_AUDIENCE".into(), AUDIENCE.into()),
        (
            "TIDBOK_JWT_PUBLIC_KEY_FILE".into(),
            signer.public_key_file.display().to_string(),
        ),
        ("TIDBOK_WORKERS".into(), "2".into()),
        ("TIDBOK_DB_MAX_CONNECTIONS".into(), "8".into()),
        ("TIDBOK_DB_ACQUIRE_TIMEOUT_MS".into(), "1500".into()),
        ("TIDBOK_BOOKINGS_PER_MINUTE".into(), "100000".into()),
        ("TIDBOK_BOOKINGS_PER_CLIENT_PER_MINUTE".into(), "1000000".into()),
        ("TIDBOK_MAX_ACTIVE_BOOKINGS_PER_TYPE".into(), "0".into()),
        ("TIDBOK_OUTBOX_DIR".into(), work.join("outbox").display().to_string()),
        ("TIDBOK_OUTBOX_POLL_MS".into(), "200".into()),
        ("TIDBOK_LOG".into(), "info,sqlx=warn,actix_server=warn".into()),
    ];
    let names = if postgres { vec!["a", "b"] } else { vec!["a"] };
    let mut servers = Vec::new();
    for name in &names {
        let mut s = Server::new(
            name,
            args.bin.clone(),
            env.clone(),
            out.join(format!("server-{name}.log")),
        )?;
        s.start()?;
        servers.push(s);
    }
    let probe = reqwest::Client::builder().timeout(Duration::from_secs(2)).build()?;
    for s in &mut servers {
        s.wait_ready(&probe, Duration::from_secs(30)).await?;
    }

    let shared = Arc::new(Shared {
        started: Instant::now(),
        target: args.ops,
        issued: AtomicU64::new(0),
        next_n: AtomicU64::new(0),
        outage: AtomicBool::new(false),
        history: Mutex::new(Vec::new()),
        known: Mutex::new(Vec::new()),
        bases: servers.iter().map(Server::base).collect(),
        slots,
        residents,
        staff_token: signer.staff(&[world.unit.id.as_uuid()]),
        unit: world.unit.id.as_uuid(),
        client: reqwest::Client::builder()
            .timeout(Duration::from_millis(args.timeout_ms))
            .pool_max_idle_per_host(64)
            .build()?,
    });

    println!(
        "chaos on {}: {} operations, {} resident clients + 1 staff client, {} hot slots, {} residents, {} server(s)",
        args.backend,
        args.ops,
        args.workers,
        shared.slots.len(),
        shared.residents.len(),
        servers.len()
    );
    let mut tasks = Vec::new();
    for w in 0..args.workers {
        let shared = shared.clone();
        let mine: Vec<usize> = (0..shared.residents.len()).filter(|i| i % args.workers == w).collect();
        tasks.push(tokio::spawn(async move { resident_worker(shared, mine).await }));
    }
    tasks.push(tokio::spawn(staff_worker(shared.clone())));

    let faults = run_faults(&shared, &mut servers, cluster.as_ref(), &probe).await;
    for t in tasks {
        t.await??;
    }
    let faults = faults?;
    for s in &mut servers {
        if !s.is_running() {
            s.start()?;
        }
        s.wait_ready(&probe, Duration::from_secs(30)).await?;
    }
    let elapsed = shared.started.elapsed();

    // The history, for whoever wants to look.
    let history: Vec<Op> = shared.history.lock().expect("history").clone();
    let mut lines = String::new();
    for op in &history {
        lines.push_str(&serde_json::to_string(op)?);
        lines.push('\n');
    }
    std::fs::write(out.join("history.jsonl"), lines)?;

    // Replay the indeterminate requests that did take effect: with the same
    // Idempotency-Key the server must answer with the same booking.
    let replays = replay_indeterminate(&shared, &history, &backend).await?;

    let db = Snapshot::read(&backend).await?;
    let residents: HashMap<usize, Uuid> = shared
        .residents
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.id.as_uuid()))
        .collect();
    let report = check(&history, &db, &residents, &shared.slots)?;

    // Evidence that the faults happened and were survived.
    // PostgreSQL's own log has one ERROR line per injected failure (a
    // sequence would over-count: it skips ahead after a crash).
    let injected = match &cluster {
        Some(c) => count_in(&c.log_file(), "injected serialization failure"),
        None => 0,
    };
    let retried = names
        .iter()
        .map(|n| count_in(&out.join(format!("server-{n}.log")), "retrying transaction"))
        .sum::<usize>();
    let server_errors: Vec<&Op> = history
        .iter()
        .filter(|op| matches!(&op.outcome, Outcome::Indeterminate { why } if why.starts_with('5')))
        .collect();
    let internal = server_errors
        .iter()
        .filter(|op| matches!(&op.outcome, Outcome::Indeterminate { why } if !why.starts_with("503")))
        .count();
    let not_problem = server_errors
        .iter()
        .filter(|op| op.error_content_type.as_deref() != Some("application/problem+json"))
        .count();
    let unavailable_in_outage = server_errors.iter().filter(|op| op.during_outage).count();

    let count = |k: Kind, f: fn(&Outcome) -> bool| history.iter().filter(|o| o.kind == k && f(&o.outcome)).count();
    let ok = |o: &Outcome| matches!(o, Outcome::Ok { .. });
    let refused = |o: &Outcome| matches!(o, Outcome::Refused { .. });
    let indet = |o: &Outcome| matches!(o, Outcome::Indeterminate { .. });
    let not_sent = |o: &Outcome| matches!(o, Outcome::NotSent { .. });
    let rows: Vec<Vec<String>> = [
        ("book", Kind::Book),
        ("cancel", Kind::Cancel),
        ("rebook", Kind::Rebook),
        ("staff book", Kind::StaffBook),
        ("staff cancel", Kind::StaffCancel),
    ]
    .iter()
    .map(|(name, k)| {
        vec![
            (*name).to_owned(),
            count(*k, ok).to_string(),
            count(*k, refused).to_string(),
            count(*k, indet).to_string(),
            count(*k, not_sent).to_string(),
        ]
    })
    .collect();
    println!(
        "\n{}",
        table(&["operation", "ok", "refused", "indeterminate", "not sent"], &rows)
    );
    println!("\nfaults:");
    for line in &faults.lines {
        println!("  {line}");
    }
    if postgres {
        println!("  injected serialization failures (40001): {injected}; transaction retries logged: {retried}");
    }
    println!(
        "  5xx answers: {} (503 during the database outage: {unavailable_in_outage}; other than 503: {internal})",
        server_errors.len()
    );
    println!(
        "\nchecker ({} operations in {:.1} s):",
        history.len(),
        elapsed.as_secs_f64()
    );
    for line in &report.lines {
        println!("  ok  {line}");
    }
    println!("  ok  {replays}");

    let mut failures = report.failures;
    if internal > 0 {
        failures.push(format!("{internal} server errors other than 503"));
    }
    if not_problem > 0 {
        failures.push(format!("{not_problem} 5xx answers were not application/problem+json"));
    }
    if postgres {
        if injected == 0 || retried == 0 {
            failures.push(format!(
                "no injected serialization failure was retried (injected {injected}, retried {retried})"
            ));
        }
        if !faults.outage_seen {
            failures.push("the database outage was never reported: /readyz stayed ready".into());
        }
    }
    failures.extend(faults.failures);
    if failures.is_empty() {
        println!("\nPASS: every check held");
        Ok(())
    } else {
        for f in &failures {
            println!("  FAIL  {f}");
        }
        bail!(
            "{} consistency violations; history in {}",
            failures.len(),
            out.display()
        )
    }
}

// ---------------------------------------------------------------- clients --

async fn resident_worker(shared: Arc<Shared>, mine: Vec<usize>) -> anyhow::Result<()> {
    if mine.is_empty() {
        return Ok(());
    }
    while !shared.done() {
        let who = *mine.choose(&mut rand::thread_rng()).expect("not empty");
        let active = shared.residents[who].active.lock().await.clone();
        let (who, kind, booking, slot) = {
            let mut rng = rand::thread_rng();
            let roll: f64 = rng.gen();
            let slot = *shared.slots.choose(&mut rng).expect("slots");
            match active.choose(&mut rng) {
                Some(&b) if roll < 0.35 => (who, Kind::Cancel, Some(b), None),
                Some(&b) if roll < 0.7 => (who, Kind::Rebook, Some(b), Some(slot)),
                _ => (who, Kind::Book, None, Some(slot)),
            }
        };
        let r = &shared.residents[who];
        let n = shared.next_n.fetch_add(1, Ordering::SeqCst);
        let reason = format!("chaos-{n}-{}", Uuid::new_v4().simple());
        let key = matches!(kind, Kind::Book | Kind::Rebook).then(|| Uuid::new_v4().to_string());
        let (path, body) = match kind {
            Kind::Book => (
                "/api/v1/me/bookings".to_owned(),
                json!({"slot_id": slot, "reason_for_visit": reason, "terms_accepted": true}),
            ),
            Kind::Cancel => (
                format!("/api/v1/me/bookings/{}/cancel", booking.expect("booking")),
                json!({"reason": reason}),
            ),
            Kind::Rebook => (
                format!("/api/v1/me/bookings/{}/rebook", booking.expect("booking")),
                json!({"slot_id": slot}),
            ),
            _ => unreachable!("residents do not act as staff"),
        };
        let op = invoke(
            &shared, n, kind, who, slot, booking, key, reason, &r.token, &path, &body,
        )
        .await;
        // The client's own view of its bookings.
        {
            let mut active = r.active.lock().await;
            match (&op.outcome, kind) {
                (Outcome::Ok { id, .. }, Kind::Book) => {
                    active.push(*id);
                    shared.known.lock().expect("known").push((*id, who));
                }
                (Outcome::Ok { id, .. }, Kind::Rebook) => {
                    active.retain(|b| Some(*b) != booking);
                    active.push(*id);
                    shared.known.lock().expect("known").push((*id, who));
                }
                (Outcome::Ok { .. }, Kind::Cancel) => active.retain(|b| Some(*b) != booking),
                (
                    Outcome::Refused {
                        status: 409 | 404 | 422,
                        ..
                    },
                    Kind::Cancel | Kind::Rebook,
                ) if refused_for_the_booking(&op.outcome) => active.retain(|b| Some(*b) != booking),
                _ => {}
            }
        }
        record(&shared, op).await;
    }
    Ok(())
}

/// A refusal that says the booking itself is gone (cancelled by staff,
/// rebooked by a lost-in-transit request), not that the target was taken.
fn refused_for_the_booking(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Refused { problem, .. }
        if problem.ends_with("/booking-not-active") || problem.ends_with("/not-found"))
}

async fn staff_worker(shared: Arc<Shared>) -> anyhow::Result<()> {
    while !shared.done() {
        let (kind, who, booking, slot) = {
            let mut rng = rand::thread_rng();
            let known = shared.known.lock().expect("known").clone();
            match known.choose(&mut rng) {
                Some(&(b, who)) if rng.gen_bool(0.5) => (Kind::StaffCancel, who, Some(b), None),
                _ => (
                    Kind::StaffBook,
                    rng.gen_range(0..shared.residents.len()),
                    None,
                    shared.slots.choose(&mut rng).copied(),
                ),
            }
        };
        let n = shared.next_n.fetch_add(1, Ordering::SeqCst);
        let reason = format!("chaos-{n}-{}", Uuid::new_v4().simple());
        let (path, body) = match kind {
            Kind::StaffBook => (
                format!("/api/v1/units/{}/bookings", shared.unit),
                json!({"personal_identity_number": shared.residents[who].pnr, "slot_id": slot, "reason_for_visit": reason}),
            ),
            _ => (
                format!("/api/v1/bookings/{}/cancel", booking.expect("booking")),
                json!({"reason": reason}),
            ),
        };
        let token = shared.staff_token.clone();
        let op = invoke(&shared, n, kind, who, slot, booking, None, reason, &token, &path, &body).await;
        if let (Outcome::Ok { id, .. }, Kind::StaffBook) = (&op.outcome, kind) {
            shared.known.lock().expect("known").push((*id, who));
            shared.residents[who].active.lock().await.push(*id);
        }
        record(&shared, op).await;
        // Staff work at a desk pace next to the residents' rush.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

async fn record(shared: &Shared, op: Op) {
    let not_sent = matches!(op.outcome, Outcome::NotSent { .. });
    shared.history.lock().expect("history").push(op);
    if not_sent {
        // That server is down; give it a moment instead of spinning.
        tokio::time::sleep(Duration::from_millis(50)).await;
    } else {
        shared.issued.fetch_add(1, Ordering::SeqCst);
    }
}

#[allow(clippy::too_many_arguments)]
async fn invoke(
    shared: &Shared,
    n: u64,
    kind: Kind,
    resident: usize,
    slot: Option<Uuid>,
    booking: Option<Uuid>,
    key: Option<String>,
    reason: String,
    token: &str,
    path: &str,
    body: &Value,
) -> Op {
    let (server_index, base) = {
        let mut rng = rand::thread_rng();
        let i = rng.gen_range(0..shared.bases.len());
        (i, &shared.bases[i])
    };
    let during = shared.outage.load(Ordering::SeqCst);
    let started = Instant::now();
    let mut request = shared
        .client
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(body);
    if let Some(k) = &key {
        request = request.header("Idempotency-Key", k);
    }
    let mut error_content_type = None;
    let outcome = match request.send().await {
        Err(e) if e.is_connect() => Outcome::NotSent { error: e.to_string() },
        Err(e) => Outcome::Indeterminate {
            why: if e.is_timeout() {
                "timeout".into()
            } else {
                format!("transport: {e}")
            },
        },
        Ok(response) => {
            let status = response.status().as_u16();
            let replayed = response.headers().get("Idempotent-Replayed").is_some();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            match response.json::<Value>().await {
                Err(e) => Outcome::Indeterminate {
                    why: format!("{status} unreadable body: {e}"),
                },
                Ok(v) if (200..300).contains(&status) => match v["id"].as_str().and_then(|s| s.parse().ok()) {
                    Some(id) => Outcome::Ok { id, replayed },
                    None => Outcome::Indeterminate {
                        why: format!("{status} without an id"),
                    },
                },
                Ok(v) if status >= 500 => {
                    error_content_type = content_type;
                    Outcome::Indeterminate {
                        why: format!("{status} {}", v["type"].as_str().unwrap_or_default()),
                    }
                }
                Ok(v) => Outcome::Refused {
                    status,
                    problem: v["type"].as_str().unwrap_or_default().to_owned(),
                },
            }
        }
    };
    Op {
        n,
        kind,
        server: ["a", "b"][server_index].to_owned(),
        resident,
        slot,
        booking,
        key,
        reason,
        started_ms: started.duration_since(shared.started).as_millis(),
        took_ms: started.elapsed().as_millis(),
        outcome,
        error_content_type,
        during_outage: during || shared.outage.load(Ordering::SeqCst),
    }
}

// ----------------------------------------------------------------- faults --

#[derive(Default)]
struct FaultReport {
    lines: Vec<String>,
    failures: Vec<String>,
    outage_seen: bool,
}

async fn wait_progress(shared: &Shared, at: f64) {
    while shared.progress() < at && !shared.done() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn kill_and_restart(
    server: &mut Server,
    probe: &reqwest::Client,
    report: &mut FaultReport,
) -> anyhow::Result<()> {
    server.kill9()?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.start()?;
    let took = server.wait_ready(probe, Duration::from_secs(30)).await?;
    report.lines.push(format!(
        "kill -9 of server {} and restart: ready again {:.1} s after the restart",
        server.name,
        took.as_secs_f64()
    ));
    Ok(())
}

async fn run_faults(
    shared: &Shared,
    servers: &mut [Server],
    cluster: Option<&Cluster>,
    probe: &reqwest::Client,
) -> anyhow::Result<FaultReport> {
    let mut report = FaultReport::default();
    match cluster {
        None => {
            wait_progress(shared, 0.25).await;
            kill_and_restart(&mut servers[0], probe, &mut report).await?;
            wait_progress(shared, 0.6).await;
            kill_and_restart(&mut servers[0], probe, &mut report).await?;
        }
        Some(cluster) => {
            report
                .lines
                .push("two servers (a, b) on one PostgreSQL; clients spread over both".to_owned());
            wait_progress(shared, 0.2).await;
            kill_and_restart(&mut servers[0], probe, &mut report).await?;
            wait_progress(shared, 0.45).await;
            database_outage(shared, servers, cluster, probe, &mut report).await?;
            wait_progress(shared, 0.7).await;
            kill_and_restart(&mut servers[1], probe, &mut report).await?;
        }
    }
    Ok(report)
}

/// Stops PostgreSQL like a crash under the running servers, watches them say
/// so, starts it again and waits for them to recover by themselves.
async fn database_outage(
    shared: &Shared,
    servers: &mut [Server],
    cluster: &Cluster,
    probe: &reqwest::Client,
    report: &mut FaultReport,
) -> anyhow::Result<()> {
    shared.outage.store(true, Ordering::SeqCst);
    cluster.stop_immediate()?;
    let down = Instant::now();
    let mut not_ready = vec![0u32; servers.len()];
    let mut problem_bodies = 0u32;
    while down.elapsed() < Duration::from_secs(3) {
        for (i, s) in servers.iter().enumerate() {
            if let Ok(r) = probe.get(format!("{}/readyz", s.base())).send().await {
                if r.status() == 503 {
                    not_ready[i] += 1;
                    let ct = r
                        .headers()
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let body: Value = r.json().await.unwrap_or_default();
                    if ct.as_deref() == Some("application/problem+json")
                        && body["type"]
                            .as_str()
                            .is_some_and(|t| t.ends_with("/service-unavailable"))
                    {
                        problem_bodies += 1;
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    cluster.start()?;
    let restarted = Instant::now();
    // No server is restarted: their pools must reconnect on their own.
    let mut recovered = Vec::new();
    for s in servers.iter_mut() {
        let starts = s.starts;
        let took = s.wait_ready(probe, Duration::from_secs(30)).await;
        ensure!(s.starts == starts, "a server was restarted during the outage");
        match took {
            Ok(_) => recovered.push(format!("{} after {:.1} s", s.name, restarted.elapsed().as_secs_f64())),
            Err(e) => report.failures.push(format!("no recovery without a restart: {e}")),
        }
    }
    shared.outage.store(false, Ordering::SeqCst);
    report.outage_seen = not_ready.iter().all(|n| *n > 0) && problem_bodies > 0;
    report.lines.push(format!(
        "PostgreSQL stopped (immediate) for 3 s under load: /readyz answered 503 problem+json {} times ({}); \
         ready again without a restart: {}",
        not_ready.iter().sum::<u32>(),
        servers
            .iter()
            .zip(&not_ready)
            .map(|(s, n)| format!("{}: {n}", s.name))
            .collect::<Vec<_>>()
            .join(", "),
        recovered.join(", ")
    ));
    Ok(())
}

/// A trigger that fails a share of booking writes with SQLSTATE 40001, as a
/// SERIALIZABLE distributed engine would.
async fn install_injection(backend: &Backend, share: f64) -> anyhow::Result<()> {
    let Backend::Postgres(pg) = backend else { return Ok(()) };
    let statements = [
        format!(
            "CREATE FUNCTION chaos_serialization_failure() RETURNS trigger AS $$ \
             BEGIN \
               IF random() < {share} THEN \
                 RAISE EXCEPTION 'injected serialization failure' USING ERRCODE = '40001'; \
               END IF; \
               RETURN NEW; \
             END $$ LANGUAGE plpgsql"
        ),
        "CREATE TRIGGER chaos_serialization_failure BEFORE INSERT OR UPDATE ON bookings \
         FOR EACH ROW EXECUTE FUNCTION chaos_serialization_failure()"
            .to_owned(),
    ];
    for s in statements {
        sqlx::query(&s).execute(pg).await?;
    }
    Ok(())
}

fn count_in(file: &std::path::Path, needle: &str) -> usize {
    std::fs::read_to_string(file)
        .map(|s| s.matches(needle).count())
        .unwrap_or(0)
}

// ---------------------------------------------------------------- checker --

#[derive(sqlx::FromRow, Debug, Clone)]
struct BookingRow {
    id: Uuid,
    slot_id: Uuid,
    resident_id: Uuid,
    status: String,
    booked_by_kind: String,
    reason_for_visit: Option<String>,
    cancellation_reason: Option<String>,
    rebooked_from: Option<Uuid>,
}

#[derive(sqlx::FromRow, Debug)]
struct SlotRow {
    id: Uuid,
    booking_id: Option<Uuid>,
}

#[derive(sqlx::FromRow, Debug)]
struct KeyRow {
    operation: String,
    key: String,
    booking_id: Option<Uuid>,
}

#[derive(sqlx::FromRow, Debug)]
struct MessageRow {
    id: Uuid,
    booking_id: Option<Uuid>,
    kind: String,
}

#[derive(sqlx::FromRow, Debug)]
struct OutboxRow {
    message_id: Uuid,
}

#[derive(sqlx::FromRow, Debug)]
struct AccessRow {
    booking_id: Option<Uuid>,
    action: String,
}

macro_rules! rows {
    ($backend:expr, $ty:ty, $sql:expr) => {
        match $backend {
            Backend::Sqlite(s) => sqlx::query_as::<_, $ty>($sql).fetch_all(s).await?,
            Backend::Postgres(s) => sqlx::query_as::<_, $ty>($sql).fetch_all(s).await?,
        }
    };
}

/// The database as the checker sees it after the run.
struct Snapshot {
    bookings: Vec<BookingRow>,
    slots: Vec<SlotRow>,
    keys: Vec<KeyRow>,
    messages: Vec<MessageRow>,
    outbox: Vec<OutboxRow>,
    access: Vec<AccessRow>,
}

impl Snapshot {
    async fn read(backend: &Backend) -> anyhow::Result<Self> {
        Ok(Self {
            bookings: rows!(
                backend,
                BookingRow,
                "SELECT id, slot_id, resident_id, status, booked_by_kind, reason_for_visit, \
                 cancellation_reason, rebooked_from FROM bookings"
            ),
            slots: rows!(backend, SlotRow, "SELECT id, booking_id FROM slots"),
            keys: rows!(
                backend,
                KeyRow,
                "SELECT operation, key, booking_id FROM idempotency_keys"
            ),
            messages: rows!(backend, MessageRow, "SELECT id, booking_id, kind FROM inbox_messages"),
            outbox: rows!(
                backend,
                OutboxRow,
                "SELECT message_id FROM outbox WHERE kind = 'notice'"
            ),
            access: rows!(backend, AccessRow, "SELECT booking_id, action FROM access_log"),
        })
    }
}

struct Report {
    lines: Vec<String>,
    failures: Vec<String>,
}

fn check(history: &[Op], db: &Snapshot, residents: &HashMap<usize, Uuid>, hot: &[Uuid]) -> anyhow::Result<Report> {
    let mut failures = Vec::new();
    let mut lines = Vec::new();
    let mut fail = |f: String| failures.push(f);
    let by_id: HashMap<Uuid, &BookingRow> = db.bookings.iter().map(|b| (b.id, b)).collect();
    let active = |b: &BookingRow| b.status == "booked" || b.status == "arrived";

    // 1. Never more than one active booking per slot; slots and bookings agree.
    let mut per_slot: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for b in db.bookings.iter().filter(|b| active(b)) {
        per_slot.entry(b.slot_id).or_default().push(b.id);
    }
    for (slot, ids) in &per_slot {
        if ids.len() > 1 {
            fail(format!("slot {slot} has {} active bookings: {ids:?}", ids.len()));
        }
    }
    for s in &db.slots {
        let expected = per_slot.get(&s.id).and_then(|v| v.first()).copied();
        if s.booking_id != expected {
            fail(format!(
                "slot {} points at {:?} but its active booking is {expected:?}",
                s.id, s.booking_id
            ));
        }
    }
    let taken = hot.iter().filter(|s| per_slot.contains_key(s)).count();
    lines.push(format!(
        "never more than one active booking per slot ({} bookings in all; {taken} of {} hot slots booked at the end), and every slot's claim matches its booking",
        db.bookings.len(),
        hot.len()
    ));

    // Indexes of the database by what the operations sent.
    let mut originals: HashMap<&str, Vec<&BookingRow>> = HashMap::new();
    for b in db.bookings.iter().filter(|b| b.rebooked_from.is_none()) {
        if let Some(r) = &b.reason_for_visit {
            originals.entry(r.as_str()).or_default().push(b);
        }
    }
    let mut cancelled: HashMap<&str, Vec<&BookingRow>> = HashMap::new();
    for b in &db.bookings {
        if let Some(r) = &b.cancellation_reason {
            cancelled.entry(r.as_str()).or_default().push(b);
        }
    }
    let keys: HashMap<(&str, &str), Option<Uuid>> = db
        .keys
        .iter()
        .map(|k| ((k.operation.as_str(), k.key.as_str()), k.booking_id))
        .collect();
    let mut messages: HashMap<(Uuid, &str), Vec<Uuid>> = HashMap::new();
    for m in &db.messages {
        if let Some(b) = m.booking_id {
            messages.entry((b, m.kind.as_str())).or_default().push(m.id);
        }
    }
    let mut deliveries: HashMap<Uuid, usize> = HashMap::new();
    for o in &db.outbox {
        *deliveries.entry(o.message_id).or_default() += 1;
    }
    let access: HashSet<(Uuid, &str)> = db
        .access
        .iter()
        .filter_map(|a| a.booking_id.map(|b| (b, a.action.as_str())))
        .collect();

    // 2. Every operation against the database.
    let mut resolved: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut explained: HashSet<Uuid> = HashSet::new();
    let mut acknowledged = 0;
    let mut notified = 0;
    for op in history {
        let who = residents[&op.resident];
        // What the database holds that this operation did, if anything.
        let effect: Option<Uuid> = match op.kind {
            Kind::Book | Kind::StaffBook => {
                let found = originals.get(op.reason.as_str()).cloned().unwrap_or_default();
                if found.len() > 1 {
                    fail(format!("op {} booked {} times", op.n, found.len()));
                }
                if let Some(b) = found.first() {
                    let by = if op.kind == Kind::Book { "resident" } else { "staff" };
                    if Some(b.slot_id) != op.slot || b.resident_id != who || b.booked_by_kind != by {
                        fail(format!(
                            "op {} left a booking of the wrong slot, resident or actor",
                            op.n
                        ));
                    }
                }
                if op.kind == Kind::Book {
                    let key = keys
                        .get(&("book", op.key.as_deref().unwrap_or_default()))
                        .copied()
                        .flatten();
                    if key != found.first().map(|b| b.id) {
                        fail(format!("op {}: idempotency key and booking disagree", op.n));
                    }
                }
                found.first().map(|b| b.id)
            }
            Kind::Cancel | Kind::StaffCancel => {
                let found = cancelled.get(op.reason.as_str()).cloned().unwrap_or_default();
                if found.len() > 1
                    || found
                        .iter()
                        .any(|b| Some(b.id) != op.booking || b.status != "cancelled")
                {
                    fail(format!("op {} cancelled something else than its booking", op.n));
                }
                found.first().map(|b| b.id)
            }
            Kind::Rebook => {
                let new = keys
                    .get(&("rebook", op.key.as_deref().unwrap_or_default()))
                    .copied()
                    .flatten();
                if let Some(new) = new {
                    match by_id.get(&new) {
                        Some(b)
                            if b.rebooked_from == op.booking && Some(b.slot_id) == op.slot && b.resident_id == who =>
                        {
                            if op.booking.and_then(|o| by_id.get(&o)).map(|o| o.status.as_str()) != Some("rebooked") {
                                fail(format!("op {}: the rebooked-from booking is not marked rebooked", op.n));
                            }
                        }
                        _ => fail(format!(
                            "op {}: its key points at a booking that is not its rebooking",
                            op.n
                        )),
                    }
                }
                new
            }
        };
        if let Some(id) = effect {
            if matches!(op.kind, Kind::Book | Kind::StaffBook | Kind::Rebook) {
                explained.insert(id);
            }
        }
        match &op.outcome {
            Outcome::Ok { id, .. } => {
                acknowledged += 1;
                let expected = match op.kind {
                    Kind::Cancel | Kind::StaffCancel => op.booking,
                    _ => Some(*id),
                };
                if effect != expected || effect.is_none() {
                    fail(format!(
                        "acknowledged op {} ({:?}) is not in the database as acknowledged (found {effect:?})",
                        op.n, op.kind
                    ));
                    continue;
                }
                let booking = effect.expect("checked");
                let kind = match op.kind {
                    Kind::Book => "booked_online",
                    Kind::Cancel => "cancelled_online",
                    Kind::Rebook => "rebooked_online",
                    Kind::StaffBook => "booked_by_staff",
                    Kind::StaffCancel => "cancelled_by_staff",
                };
                let found = messages.get(&(booking, kind)).cloned().unwrap_or_default();
                if found.len() != 1 {
                    fail(format!(
                        "acknowledged op {} has {} '{kind}' messages, not one",
                        op.n,
                        found.len()
                    ));
                } else if deliveries.get(&found[0]).copied().unwrap_or(0) != 1 {
                    fail(format!(
                        "acknowledged op {} has no single outbox entry for its message",
                        op.n
                    ));
                } else {
                    notified += 1;
                }
                let action = match op.kind {
                    Kind::StaffBook => Some("book"),
                    Kind::StaffCancel => Some("cancel"),
                    _ => None,
                };
                if let Some(action) = action {
                    if !access.contains(&(booking, action)) {
                        fail(format!("acknowledged staff op {} has no access-log line", op.n));
                    }
                }
            }
            Outcome::Refused { .. } | Outcome::NotSent { .. } => {
                if effect.is_some() {
                    fail(format!(
                        "op {} ({:?}) was refused or never sent, yet it took effect",
                        op.n, op.kind
                    ));
                }
            }
            Outcome::Indeterminate { .. } => {
                let entry = resolved.entry(name(op.kind)).or_default();
                if effect.is_some() {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
        }
    }
    lines.push(format!(
        "all {acknowledged} acknowledged operations are in the database; no refused or unsent request left a trace"
    ));
    lines.push(format!(
        "every acknowledged change has exactly one inbox message and one outbox entry ({notified}), staff changes their access-log line"
    ));

    // 3. No row without a request that may have made it.
    let phantoms: Vec<Uuid> = db
        .bookings
        .iter()
        .filter(|b| !explained.contains(&b.id))
        .map(|b| b.id)
        .collect();
    if !phantoms.is_empty() {
        fail(format!(
            "{} bookings no request explains: {:?}",
            phantoms.len(),
            &phantoms[..phantoms.len().min(5)]
        ));
    }
    // Final states follow from the requests: a booking still active was not
    // cancelled or rebooked by any acknowledged request (checked above), and
    // one that is not active says who did it.
    let may_have_happened = |op: &&Op| matches!(op.outcome, Outcome::Ok { .. } | Outcome::Indeterminate { .. });
    let cancels: HashSet<(&str, Option<Uuid>)> = history
        .iter()
        .filter(may_have_happened)
        .filter(|op| matches!(op.kind, Kind::Cancel | Kind::StaffCancel))
        .map(|op| (op.reason.as_str(), op.booking))
        .collect();
    let rebooks: HashSet<Uuid> = history
        .iter()
        .filter(may_have_happened)
        .filter(|op| op.kind == Kind::Rebook)
        .filter_map(|op| {
            keys.get(&("rebook", op.key.as_deref().unwrap_or_default()))
                .copied()
                .flatten()
        })
        .collect();
    for b in db.bookings.iter().filter(|b| !active(b)) {
        let why = match b.status.as_str() {
            "cancelled" => b
                .cancellation_reason
                .as_deref()
                .is_some_and(|r| cancels.contains(&(r, Some(b.id)))),
            "rebooked" => db
                .bookings
                .iter()
                .any(|n| n.rebooked_from == Some(b.id) && rebooks.contains(&n.id)),
            _ => false,
        };
        if !why {
            fail(format!("booking {} is {} with no request that did it", b.id, b.status));
        }
    }
    lines.push("every booking row is explained by a request, every end state by the request that caused it".to_owned());
    let indeterminate: Vec<String> = resolved
        .iter()
        .map(|(k, (done, not))| format!("{k}: {done} took effect, {not} did not"))
        .collect();
    lines.push(format!(
        "every indeterminate request is resolved from the database ({})",
        if indeterminate.is_empty() {
            "there were none".to_owned()
        } else {
            indeterminate.join("; ")
        }
    ));
    Ok(Report { lines, failures })
}

fn name(kind: Kind) -> &'static str {
    match kind {
        Kind::Book => "book",
        Kind::Cancel => "cancel",
        Kind::Rebook => "rebook",
        Kind::StaffBook => "staff book",
        Kind::StaffCancel => "staff cancel",
    }
}

/// Sends every indeterminate booking or rebooking that took effect again,
/// with its Idempotency-Key: the answer must be the stored booking, marked
/// replayed — the client's way to resolve a timeout.
async fn replay_indeterminate(shared: &Shared, history: &[Op], backend: &Backend) -> anyhow::Result<String> {
    let keys = rows!(
        backend,
        KeyRow,
        "SELECT operation, key, booking_id FROM idempotency_keys"
    );
    let stored: HashMap<(String, String), Option<Uuid>> =
        keys.into_iter().map(|k| ((k.operation, k.key), k.booking_id)).collect();
    let mut replayed = 0;
    for op in history {
        if !matches!(op.outcome, Outcome::Indeterminate { .. }) {
            continue;
        }
        let (operation, path, body) = match op.kind {
            Kind::Book => (
                "book",
                "/api/v1/me/bookings".to_owned(),
                json!({"slot_id": op.slot, "reason_for_visit": op.reason, "terms_accepted": true}),
            ),
            Kind::Rebook => (
                "rebook",
                format!("/api/v1/me/bookings/{}/rebook", op.booking.expect("booking")),
                json!({"slot_id": op.slot}),
            ),
            _ => continue,
        };
        let key = op.key.clone().context("idempotent ops have keys")?;
        let Some(Some(booking)) = stored.get(&(operation.to_owned(), key.clone())) else {
            continue;
        };
        let response = shared
            .client
            .post(format!("{}{path}", shared.bases[0]))
            .bearer_auth(&shared.residents[op.resident].token)
            .header("Idempotency-Key", &key)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let marked = response.headers().get("Idempotent-Replayed").is_some();
        let v: Value = response.json().await?;
        ensure!(
            status.is_success() && marked && v["id"].as_str() == Some(booking.to_string().as_str()),
            "replaying op {} gave {status} {v} instead of booking {booking}",
            op.n
        );
        replayed += 1;
    }
    Ok(format!(
        "{replayed} indeterminate bookings/rebookings that took effect replay, with their Idempotency-Key, the same booking"
    ))
}

#[cfg(test)]
mod tests {
    //! The checker must be able to fail: each test breaks one guarantee in an
    //! otherwise consistent history and database.
    use super::*;

    const HOT: [Uuid; 2] = [Uuid::from_u128(1), Uuid::from_u128(2)];
    const ANNA: Uuid = Uuid::from_u128(100);

    fn op(n: u64, kind: Kind, slot: Option<Uuid>, booking: Option<Uuid>, outcome: Outcome) -> Op {
        Op {
            n,
            kind,
            server: "a".into(),
            resident: 0,
            slot,
            booking,
            key: Some(format!("key-{n}")),
            reason: format!("chaos-{n}"),
            started_ms: 0,
            took_ms: 1,
            outcome,
            error_content_type: None,
            during_outage: false,
        }
    }

    fn booking(id: u128, slot: Uuid, status: &str, reason: &str) -> BookingRow {
        BookingRow {
            id: Uuid::from_u128(id),
            slot_id: slot,
            resident_id: ANNA,
            status: status.into(),
            booked_by_kind: "resident".into(),
            reason_for_visit: Some(reason.into()),
            cancellation_reason: None,
            rebooked_from: None,
        }
    }

    /// Anna books slot 1 (op 1, acknowledged), loses slot 1 to herself (op 2,
    /// refused), and cancels the first booking (op 3, acknowledged).
    fn consistent() -> (Vec<Op>, Snapshot) {
        let b = Uuid::from_u128(10);
        let history = vec![
            op(
                1,
                Kind::Book,
                Some(HOT[0]),
                None,
                Outcome::Ok { id: b, replayed: false },
            ),
            op(
                2,
                Kind::Book,
                Some(HOT[0]),
                None,
                Outcome::Refused {
                    status: 409,
                    problem: "slot-taken".into(),
                },
            ),
            op(3, Kind::Cancel, None, Some(b), Outcome::Ok { id: b, replayed: false }),
        ];
        let mut row = booking(10, HOT[0], "cancelled", "chaos-1");
        row.cancellation_reason = Some("chaos-3".into());
        let m1 = Uuid::from_u128(1000);
        let m2 = Uuid::from_u128(1001);
        let db = Snapshot {
            bookings: vec![row],
            slots: HOT.iter().map(|&id| SlotRow { id, booking_id: None }).collect(),
            keys: vec![KeyRow {
                operation: "book".into(),
                key: "key-1".into(),
                booking_id: Some(b),
            }],
            messages: vec![
                MessageRow {
                    id: m1,
                    booking_id: Some(b),
                    kind: "booked_online".into(),
                },
                MessageRow {
                    id: m2,
                    booking_id: Some(b),
                    kind: "cancelled_online".into(),
                },
            ],
            outbox: vec![OutboxRow { message_id: m1 }, OutboxRow { message_id: m2 }],
            access: vec![],
        };
        (history, db)
    }

    fn failures(history: &[Op], db: &Snapshot) -> Vec<String> {
        let residents = HashMap::from([(0, ANNA)]);
        check(history, db, &residents, &HOT).unwrap().failures
    }

    #[test]
    fn a_consistent_run_passes() {
        let (history, db) = consistent();
        assert_eq!(failures(&history, &db), Vec::<String>::new());
    }

    #[test]
    fn two_active_bookings_of_one_slot_fail() {
        let (mut history, mut db) = consistent();
        history.push(op(
            4,
            Kind::Book,
            Some(HOT[1]),
            None,
            Outcome::Indeterminate { why: "timeout".into() },
        ));
        history.push(op(
            5,
            Kind::Book,
            Some(HOT[1]),
            None,
            Outcome::Indeterminate { why: "timeout".into() },
        ));
        db.bookings.push(booking(11, HOT[1], "booked", "chaos-4"));
        db.bookings.push(booking(12, HOT[1], "booked", "chaos-5"));
        db.keys.push(KeyRow {
            operation: "book".into(),
            key: "key-4".into(),
            booking_id: Some(Uuid::from_u128(11)),
        });
        db.keys.push(KeyRow {
            operation: "book".into(),
            key: "key-5".into(),
            booking_id: Some(Uuid::from_u128(12)),
        });
        db.slots[1].booking_id = Some(Uuid::from_u128(11));
        let f = failures(&history, &db);
        assert!(f.iter().any(|f| f.contains("2 active bookings")), "{f:?}");
    }

    #[test]
    fn a_lost_acknowledged_cancellation_fails() {
        let (history, mut db) = consistent();
        db.bookings[0].status = "booked".into();
        db.bookings[0].cancellation_reason = None;
        db.slots[0].booking_id = Some(Uuid::from_u128(10));
        let f = failures(&history, &db);
        assert!(f.iter().any(|f| f.contains("acknowledged op 3")), "{f:?}");
    }

    #[test]
    fn a_refused_request_that_took_effect_fails() {
        let (history, mut db) = consistent();
        db.bookings.push(booking(11, HOT[0], "booked", "chaos-2"));
        db.slots[0].booking_id = Some(Uuid::from_u128(11));
        let f = failures(&history, &db);
        assert!(f.iter().any(|f| f.contains("op 2")), "{f:?}");
    }

    #[test]
    fn a_booking_no_request_explains_fails() {
        let (history, mut db) = consistent();
        db.bookings.push(booking(11, HOT[1], "booked", "made up"));
        db.slots[1].booking_id = Some(Uuid::from_u128(11));
        let f = failures(&history, &db);
        assert!(f.iter().any(|f| f.contains("no request explains")), "{f:?}");
    }

    #[test]
    fn an_acknowledged_change_without_its_outbox_entry_fails() {
        let (history, mut db) = consistent();
        db.outbox.pop();
        let f = failures(&history, &db);
        assert!(f.iter().any(|f| f.contains("outbox")), "{f:?}");
    }

    #[test]
    fn a_slot_whose_claim_disagrees_with_its_booking_fails() {
        let (history, mut db) = consistent();
        db.slots[0].booking_id = Some(Uuid::from_u128(10));
        let f = failures(&history, &db);
        assert!(f.iter().any(|f| f.contains("points at")), "{f:?}");
    }
}
