//! `tidbok-bench`: figures, not timed tests.
//!
//! Builds a region in the chosen database (`--db postgres|sqlite`, or
//! `BENCH_DB`), starts the given `tidbok` binary on it and drives it over
//! loopback from this separate process: search, a date's slots, my bookings,
//! booking, rebooking and a hot-slot storm. Beside the API's figures it runs
//! the database's ceiling — every statement the server sends for one booking,
//! and the search query, straight against the database at the same
//! concurrency (pgbench on PostgreSQL, running the store's own booking
//! statements as `tidbok_store::testing::ceiling` renders them; a tight loop
//! of the store's own calls on SQLite) — and
//! prints the ratio; booking rounds alternate the API and the ceiling so both
//! see the same machine. The same search and my-bookings probes run at three
//! table sizes.

#![allow(clippy::print_stdout)]

use anyhow::{bail, ensure, Context};
use chrono::{Duration as ChronoDuration, Utc};
use clap::Parser;
use rand::seq::SliceRandom;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tidbok_harness::load::{closed_loop, fixed_rate, label, Outcome};
use tidbok_harness::pg::Cluster;
use tidbok_harness::region::{Region, Shape};
use tidbok_harness::server::Server;
use tidbok_harness::stats::{table, Recorder};
use tidbok_harness::tokens::{Signer, AUDIENCE, ISSUER};
use tidbok_store::testing::{ceiling, sql};
use tidbok_store::{Backend, StoreConfig};
use uuid::Uuid;

#[derive(Parser, Debug)]
#[command(about = "Tidbok's benchmark: the API against the database's own ceiling")]
struct Args {
    /// The `tidbok` binary to measure (the release build for figures).
    #[arg(long)]
    bin: PathBuf,
    #[arg(long, env = "BENCH_DB", default_value = "postgres")]
    db: String,
    /// A small region and short runs: proves the harness works, in CI.
    #[arg(long)]
    smoke: bool,
    /// Seconds per throughput scenario.
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// For profiling: once the region is built and the server is up, write
    /// `hold.json` (addresses, tokens, free slots) to the report folder and
    /// wait this many seconds before the scenarios.
    #[arg(long, default_value_t = 0)]
    hold: u64,
    /// Booking rounds: each runs the API's booking scenario and then the
    /// ceiling's, so both halves of a ratio see the same machine; the report
    /// gives every round and the median.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Another `tidbok` binary (an earlier build, same migrations) to compare
    /// with: both serve the same region and take turns on the searches, my
    /// bookings and booking (each build 2 × `--rounds` turns, in A B B A
    /// order); the report
    /// gives each build's throughput and the server's CPU time per request.
    /// Only the comparison runs.
    #[arg(long)]
    baseline: Option<PathBuf>,
}

struct Ctx {
    client: reqwest::Client,
    base: String,
    seconds: Duration,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let postgres = match args.db.as_str() {
        "postgres" => true,
        "sqlite" => false,
        other => bail!("BENCH_DB must be postgres or sqlite, not {other}"),
    };
    let shape = if args.smoke { Shape::smoke() } else { Shape::full() };
    let stages: Vec<usize> = if args.smoke { vec![2, 5, 20] } else { vec![5, 50, 500] };
    let seconds = Duration::from_secs(if args.smoke { 2 } else { args.seconds });
    let rounds = if args.smoke { 1 } else { args.rounds.max(1) };
    let out = tidbok_harness::artifacts(&format!("bench-{}", args.db))?;
    // Removed when main returns (and on Ctrl-C, below).
    let work_dir = tempfile::Builder::new().prefix("tidbok-bench-").tempdir()?;
    let work = work_dir.path().to_path_buf();

    // BENCH_PG_SETTINGS adds settings, e.g. "log_min_duration_statement=20" to
    // see slow statements in test-artifacts/bench-postgres/postgres.log.
    let extra = std::env::var("BENCH_PG_SETTINGS").unwrap_or_default();
    let settings: Vec<&str> = tidbok_harness::pg::DURABLE
        .iter()
        .copied()
        .chain(extra.split_whitespace())
        .collect();
    let cluster = if postgres {
        Some(Cluster::create(&settings)?)
    } else {
        None
    };
    Cluster::clean_up_on_interrupt(cluster.as_ref(), work.clone());
    let url = match &cluster {
        Some(c) => c.url(),
        None => format!("sqlite:{}", work.join("bench.db").display()),
    };
    let mut config = StoreConfig::new(&url);
    config.max_connections = 16;
    let backend = Backend::connect(&config).await?;
    backend.migrate().await?;
    println!("{}", machine(&backend).await?);

    let t = Instant::now();
    let mut region = Region::create(&backend, shape.clone()).await?;
    println!(
        "region: {} units, {} practitioners, {} appointment types, {} residents ({:.1} s)",
        shape.units,
        shape.practitioners,
        shape.types,
        shape.residents,
        t.elapsed().as_secs_f64()
    );

    let signer = Signer::from_fixtures()?;
    let mut server = Server::new(
        "bench",
        args.bin.clone(),
        vec![
            ("DATABASE_URL".into(), url.clone()),
            ("TIDBOK_JWT_ISSUER".into(), ISSUER.into()),
            ("TIDBOK_JWT_AUDIENCE".into(), AUDIENCE.into()),
            (
                "TIDBOK_JWT_PUBLIC_KEY_FILE".into(),
                signer.public_key_file.display().to_string(),
            ),
            // One client address sends everything: the per-client limits
            // would measure themselves. The per-resident ones stay.
            ("TIDBOK_BOOKINGS_PER_CLIENT_PER_MINUTE".into(), "100000000".into()),
            ("TIDBOK_BOOKINGS_PER_MINUTE".into(), "1000".into()),
            // Deliveries are asynchronous; the worker is off so it does not
            // share the two cores with the requests being measured.
            ("TIDBOK_OUTBOX_WORKER".into(), "false".into()),
            ("TIDBOK_DB_ACQUIRE_TIMEOUT_MS".into(), "10000".into()),
            ("TIDBOK_LOG".into(), "warn".into()),
        ],
        out.join("server.log"),
    )?;
    let ctx = Ctx {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(2048)
            .timeout(Duration::from_secs(60))
            .build()?,
        base: server.base(),
        seconds,
    };

    // ---- scale: the same probes at three table sizes
    let mut scale_rows = Vec::new();
    let mut probe_tokens: Vec<String> = Vec::new();
    for (i, &upto) in stages.iter().enumerate() {
        let t = Instant::now();
        region.populate(&backend, upto).await?;
        println!(
            "slots: {} written ({:.1} s)",
            region.slots.len(),
            t.elapsed().as_secs_f64()
        );
        if i == 0 {
            server.start()?;
            server.wait_ready(&ctx.client, Duration::from_secs(60)).await?;
            let probe_residents: Vec<usize> = region
                .slots
                .iter()
                .filter_map(|s| s.booked_by.map(|r| r as usize))
                .take(if args.smoke { 50 } else { 300 })
                .collect();
            probe_tokens = probe_residents
                .iter()
                .map(|&r| signer.resident(&region.residents[r].pnr))
                .collect();
        }
        let unit0 = region.offered(0..1);
        let search = search_probe(&ctx, &unit0, 16, seconds.min(Duration::from_secs(5)), &probe_tokens).await;
        let mine = my_bookings(&ctx, &probe_tokens, 16, seconds.min(Duration::from_secs(5))).await;
        scale_rows.push(vec![
            format!("{}", region.slots.len()),
            format!("{:.2}", search.recorder.ms(0.5)),
            format!("{:.2}", search.recorder.ms(0.99)),
            format!("{:.0}", search.rps()),
            format!("{:.2}", mine.recorder.ms(0.5)),
            format!("{:.2}", mine.recorder.ms(0.99)),
            format!("{:.0}", mine.rps()),
        ]);
    }
    let total_slots = region.slots.len();

    // ---- plans: which free slots each scenario uses, never the same twice
    let mut rng = rand::thread_rng();
    let mut free: HashMap<(u32, u8), Vec<usize>> = HashMap::new();
    for (i, s) in region.slots.iter().enumerate() {
        if s.booked_by.is_none() {
            free.entry((s.practitioner, s.ty)).or_default().push(i);
        }
    }
    for v in free.values_mut() {
        v.shuffle(&mut rng);
    }
    let mut groups: Vec<(u32, u8)> = free.keys().copied().collect();
    groups.sort();
    let take_pair = |free: &mut HashMap<(u32, u8), Vec<usize>>, rng: &mut rand::rngs::ThreadRng| {
        for _ in 0..100 {
            let g = groups.choose(rng).expect("groups");
            let v = free.get_mut(g).expect("group");
            if v.len() >= 2 {
                let a = v.pop().expect("len");
                let b = v.pop().expect("len");
                return Some((a, b));
            }
        }
        None
    };
    let book_count = if args.smoke { 400 } else { 35_000 * rounds };
    let book_plan: Vec<(usize, usize)> = (0..book_count).filter_map(|_| take_pair(&mut free, &mut rng)).collect();
    let storm_slots: Vec<Uuid> = (0..50)
        .filter_map(|_| take_pair(&mut free, &mut rng))
        .map(|(a, _)| region.slots[a].id)
        .collect();
    // Enough for a timed round at CEILING_PLAN_RATE bookings a second, as far
    // as the free slots go.
    let left: usize = free.values().map(Vec::len).sum();
    let ceiling_count = if args.smoke {
        5_000
    } else {
        (rounds * seconds.as_secs() as usize * CEILING_PLAN_RATE).min(left * 3 / 4)
    };
    // The API's bookers and the storm's clients are residents from the
    // second half on; the ceiling books for the first half, so its bookings
    // never count against a booker's per-type cap.
    let resident_base = region.residents.len() / 2;
    let mut ceiling_free: Vec<usize> = free.into_values().flatten().collect();
    ceiling_free.shuffle(&mut rng);
    let ceiling_plan: Vec<Planned> = ceiling_free
        .into_iter()
        .take(ceiling_count)
        .enumerate()
        .map(|(i, slot)| {
            let resident = &region.residents[(i * 7919) % resident_base];
            (region.slots[slot].id, resident.id, resident.pnr.clone())
        })
        .collect();

    // Tokens, signed before the clock starts. Bookers hold at most two
    // bookings of a type each (the cap is three; one may be pre-booked).
    let bookers = if args.smoke { 100 } else { 2_000 * rounds };
    let storm_clients = if args.smoke { 200 } else { 1_000 };
    let t = Instant::now();
    // Shared, not copied: the booking clients take an Arc per request.
    let booker_tokens: Arc<Vec<String>> = Arc::new(
        (0..bookers)
            .map(|i| signer.resident(&region.residents[resident_base + i].pnr))
            .collect(),
    );
    let storm_tokens: Vec<String> = (0..storm_clients)
        .map(|i| signer.resident(&region.residents[resident_base + bookers + i].pnr))
        .collect();
    println!(
        "tokens: {} signed ({:.1} s)",
        bookers + storm_clients,
        t.elapsed().as_secs_f64()
    );

    let plan = BookingPlan {
        slots: Arc::new(region.slots.clone()),
        queue: Arc::new(Mutex::new(book_plan.clone())),
        booked: Arc::default(),
        per_type: Arc::default(),
        tokens: booker_tokens.clone(),
    };

    if args.hold > 0 {
        let free_slots: Vec<Uuid> = book_plan.iter().map(|(a, _)| region.slots[*a].id).collect();
        let hold = json!({
            "base": ctx.base,
            "database": url,
            "server_pid": server.pid(),
            "tokens": booker_tokens.as_slice(),
            "free_slots": free_slots,
        });
        std::fs::write(out.join("hold.json"), serde_json::to_string_pretty(&hold)?)?;
        println!("holding for {} s; see {}", args.hold, out.join("hold.json").display());
        tokio::time::sleep(Duration::from_secs(args.hold)).await;
    }

    let mut rows = Vec::new();
    let mut api_search = None;
    let all_offered = region.offered(0..shape.units);

    if let Some(baseline) = &args.baseline {
        let mut other = server.twin("baseline", baseline.clone(), out.join("baseline.log"))?;
        other.start()?;
        other.wait_ready(&ctx.client, Duration::from_secs(60)).await?;
        let scenarios = Scenarios {
            offered: &all_offered,
            days: &region.days,
            tokens: &booker_tokens,
            plan: &plan,
        };
        let report = compare(&ctx, &server, &other, &scenarios, rounds).await?;
        println!(
            "\n== {} · {} slots · {} residents\n{report}",
            args.db, total_slots, shape.residents
        );
        std::fs::write(out.join("compare.txt"), report)?;
        return Ok(());
    }

    // ---- search
    let search = search_probe(&ctx, &all_offered, 64, seconds, &booker_tokens).await;
    rows.push(row("available dates, 8 weeks (max rate)", 64, &search, &server));
    let rate = (search.rps() * 0.5).max(10.0);
    let search_at_rate = fixed_rate(64, rate, seconds, {
        let ctx = (ctx.client.clone(), ctx.base.clone());
        let offered = all_offered.clone();
        let tokens = booker_tokens.clone();
        move |c, n| {
            let (client, base) = ctx.clone();
            let (u, t) = offered[(c * 7 + n as usize * 13) % offered.len()];
            let token = tokens[(c + n as usize) % tokens.len()].clone();
            async move {
                Some(
                    label(
                        client
                            .get(format!("{base}/api/v1/units/{u}/appointment-types/{t}/available-dates"))
                            .bearer_auth(token)
                            .send()
                            .await,
                    )
                    .await,
                )
            }
        }
    })
    .await;
    rows.push(row(
        &format!("available dates, 8 weeks at {rate:.0} req/s"),
        64,
        &search_at_rate,
        &server,
    ));
    api_search = api_search.or(Some(search));

    // ---- a date's free slots
    let slots_of_day = slots_of_a_date(&ctx, &all_offered, &region.days, &booker_tokens, seconds).await;
    rows.push(row("free slots of a date", 64, &slots_of_day, &server));

    // ---- book random free slots
    let all_slots = plan.slots.clone();
    // Each round: the API's booking, then the ceiling's, back to back.
    let ceiling_dir = work.join("ceiling");
    std::fs::create_dir_all(&ceiling_dir)?;
    if cluster.is_some() {
        pgbench_plan(&backend, &ceiling_plan).await?;
    }
    let per_round = ceiling_plan.len() / rounds;
    let mut book_rounds: Vec<(Outcome, Outcome)> = Vec::new();
    for round in 0..rounds {
        let book = book_free_slots(&ctx, &plan, seconds).await;
        let planned = &ceiling_plan[round * per_round..(round + 1) * per_round];
        let ceiling = match &cluster {
            Some(c) => {
                // A timed run while the plan could feed CEILING_PLAN_RATE
                // bookings a second; otherwise (the smoke region, long
                // --seconds) as many transactions as the plan holds, so a fast
                // machine cannot run out of slots before the clock does.
                let length = if planned.len() as u64 >= seconds.as_secs() * CEILING_PLAN_RATE as u64 {
                    Length::Seconds(seconds)
                } else {
                    Length::PerClient(planned.len() / 16)
                };
                pgbench_book(&backend, c, 16, length, &ceiling_dir, round).await?
            }
            None => sqlite_book(&backend, planned, 16, seconds).await?,
        };
        println!(
            "booking round {}: API {:.0} req/s, database only {:.0} tx/s ({})",
            round + 1,
            book.rps(),
            ceiling.rps(),
            percent(share(&book, &ceiling))
        );
        book_rounds.push((book, ceiling));
    }
    // The round with the median ratio stands for the booking scenario.
    let ratio_of = |i: usize| share(&book_rounds[i].0, &book_rounds[i].1).unwrap_or(0.0);
    let mut order: Vec<usize> = (0..book_rounds.len()).collect();
    order.sort_by(|a, b| ratio_of(*a).total_cmp(&ratio_of(*b)));
    let median = order[order.len() / 2];
    let book = &book_rounds[median].0;
    rows.push(row("book a random free slot (median round)", 16, book, &server));

    // ---- my bookings
    let mine = my_bookings(&ctx, &booker_tokens, 64, seconds).await;
    rows.push(row("my bookings", 64, &mine, &server));

    // ---- rebook to another free slot of the same type, length and practitioner
    let rebook_queue = Arc::new(Mutex::new(plan.booked.lock().expect("booked").clone()));
    let rebook = closed_loop(16, seconds, {
        let ctx = (ctx.client.clone(), ctx.base.clone());
        let tokens = booker_tokens.clone();
        let slots = all_slots.clone();
        let queue = rebook_queue.clone();
        move |_, _| {
            let (client, base) = ctx.clone();
            let next = queue.lock().expect("queue").pop();
            let tokens = tokens.clone();
            let slots = slots.clone();
            async move {
                let (who, booking, target) = next?;
                Some(
                    label(
                        client
                            .post(format!("{base}/api/v1/me/bookings/{booking}/rebook"))
                            .bearer_auth(&tokens[who])
                            .header("Idempotency-Key", Uuid::new_v4().to_string())
                            .json(&json!({"slot_id": slots[target].id}))
                            .send()
                            .await,
                    )
                    .await,
                )
            }
        }
    })
    .await;
    rows.push(row("rebook (same type, length, practitioner)", 16, &rebook, &server));

    // ---- the hot-slot storm
    let storm = hot_slot_storm(&ctx, &storm_tokens, &storm_slots).await?;
    rows.push(row(
        &format!(
            "hot-slot storm: {} clients, {} slots",
            storm_tokens.len(),
            storm_slots.len()
        ),
        storm_tokens.len(),
        &storm,
        &server,
    ));
    let winners = storm.recorder.statuses.get("201").copied().unwrap_or(0);
    let losers = storm
        .recorder
        .statuses
        .get("409 slot-already-booked")
        .copied()
        .unwrap_or(0);

    // ---- the search's ceiling
    let search_pairs: Vec<(Uuid, Uuid)> = all_offered.clone();
    let ceiling_search = match &cluster {
        Some(c) => pgbench_search(c, &search_pairs, 64, seconds, &ceiling_dir)?,
        None => sqlite_search(&backend, &search_pairs, 64, seconds).await?,
    };

    if let Some(c) = &cluster {
        std::fs::copy(c.log_file(), out.join("postgres.log"))?;
    }

    // ---- report
    println!(
        "\n== {} · {} slots · {} residents",
        args.db, total_slots, shape.residents
    );
    println!(
        "\n{}",
        table(
            &[
                "scenario",
                "clients",
                "requests",
                "req/s",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "statuses",
                "server peak RSS"
            ],
            &rows
        )
    );
    let api_search = api_search.expect("measured");
    println!(
        "\nthe ceiling ({}):\n{}",
        if postgres {
            "pgbench -M prepared: the store's statements for one booking, as the server sends them; the search query"
        } else {
            "a tight loop of the store's own calls for one booking; the search query in a sqlx loop"
        },
        table(
            &[
                "what",
                "clients",
                "API req/s",
                "database-only tx/s",
                "API / ceiling",
                "API p99 ms",
                "database p99 ms"
            ],
            &book_rounds
                .iter()
                .enumerate()
                .map(|(i, (api, db))| {
                    let median = if i == median && rounds > 1 { " (median)" } else { "" };
                    ceiling_row(&format!("one booking, round {}{median}", i + 1), 16, api, db)
                })
                .chain(std::iter::once(ceiling_row(
                    "available dates, 8 weeks",
                    64,
                    &api_search,
                    &ceiling_search
                )))
                .collect::<Vec<_>>()
        )
    );
    println!(
        "\nscale (unit 0's search and its residents' bookings, 16 clients, as the table grows):\n{}",
        table(
            &[
                "slots",
                "search p50 ms",
                "search p99 ms",
                "search req/s",
                "my bookings p50 ms",
                "my bookings p99 ms",
                "my bookings req/s"
            ],
            &scale_rows
        )
    );
    println!(
        "\nhot-slot storm: {winners} winners for {} slots, {losers} clean 409 slot-already-booked problems, {} other",
        storm_slots.len(),
        storm.recorder.count() - winners - losers
    );
    ensure!(
        winners == storm_slots.len() as u64 && losers + winners == storm.recorder.count(),
        "the storm must have exactly one winner per slot and clean 409s for everyone else"
    );
    for (name, o) in [("book", book), ("search", &api_search), ("my bookings", &mine)] {
        let ok = o
            .recorder
            .statuses
            .iter()
            .filter(|(k, _)| k.starts_with('2'))
            .map(|(_, v)| v)
            .sum::<u64>();
        ensure!(ok > 0, "{name}: no successful request; see {}", out.display());
        let errors = o
            .recorder
            .statuses
            .iter()
            .filter(|(k, _)| k.starts_with('5') || k.starts_with('t'))
            .count();
        ensure!(
            errors == 0,
            "{name}: server errors or timeouts: {}",
            o.recorder.status_line()
        );
    }
    Ok(())
}

/// The API's throughput as a share of the database's alone; `None` without
/// a ceiling figure.
fn share(api: &Outcome, db: &Outcome) -> Option<f64> {
    (db.rps() > 0.0).then(|| api.rps() / db.rps())
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |s| format!("{:.0} %", 100.0 * s))
}

/// A row of the ceiling table: the API beside the database alone.
fn ceiling_row(what: &str, clients: usize, api: &Outcome, db: &Outcome) -> Vec<String> {
    vec![
        what.to_owned(),
        clients.to_string(),
        format!("{:.0}", api.rps()),
        format!("{:.0}", db.rps()),
        percent(share(api, db)),
        format!("{:.2}", api.recorder.ms(0.99)),
        format!("{:.2}", db.recorder.ms(0.99)),
    ]
}

fn row(name: &str, clients: usize, o: &Outcome, server: &Server) -> Vec<String> {
    vec![
        name.to_owned(),
        clients.to_string(),
        o.recorder.count().to_string(),
        format!("{:.0}", o.rps()),
        format!("{:.2}", o.recorder.ms(0.5)),
        format!("{:.2}", o.recorder.ms(0.99)),
        format!("{:.2}", o.recorder.ms(0.999)),
        o.recorder.status_line(),
        server
            .peak_rss_kib()
            .map(|k| format!("{:.0} MiB", k as f64 / 1024.0))
            .unwrap_or_default(),
    ]
}

async fn machine(backend: &Backend) -> anyhow::Result<String> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .map(|k| k / 1024 / 1024)
        .unwrap_or(0);
    let db: String = match backend {
        Backend::Postgres(pg) => {
            let (v,): (String,) = sqlx::query_as("SHOW server_version").fetch_one(pg).await?;
            format!("PostgreSQL {v}")
        }
        Backend::Sqlite(s) => {
            let (v,): (String,) = sqlx::query_as("SELECT sqlite_version()").fetch_one(s).await?;
            format!("SQLite {v}")
        }
    };
    Ok(format!(
        "machine: {cores} cores ({cpu}), {mem} GiB RAM; {db}; server, database and load generator share the cores"
    ))
}

async fn search_probe(
    ctx: &Ctx,
    offered: &[(Uuid, Uuid)],
    clients: usize,
    seconds: Duration,
    tokens: &[String],
) -> Outcome {
    let offered = offered.to_vec();
    let tokens = tokens.to_vec();
    let client = ctx.client.clone();
    let base = ctx.base.clone();
    closed_loop(clients, seconds, move |c, n| {
        let (u, t) = offered[(c * 7 + n as usize * 13) % offered.len()];
        let token = tokens[(c + n as usize) % tokens.len()].clone();
        let request = client
            .get(format!("{base}/api/v1/units/{u}/appointment-types/{t}/available-dates"))
            .bearer_auth(token);
        async move { Some(label(request.send().await).await) }
    })
    .await
}

/// A date's free slots for random units, types and dates, 64 clients.
async fn slots_of_a_date(
    ctx: &Ctx,
    offered: &[(Uuid, Uuid)],
    days: &[chrono::NaiveDate],
    tokens: &Arc<Vec<String>>,
    seconds: Duration,
) -> Outcome {
    let (client, base) = (ctx.client.clone(), ctx.base.clone());
    let (offered, days, tokens) = (offered.to_vec(), days.to_vec(), tokens.clone());
    closed_loop(64, seconds, move |c, n| {
        let (u, t) = offered[(c * 31 + n as usize * 17) % offered.len()];
        let day = days[(c + n as usize * 7) % days.len()];
        let token = tokens[(c + n as usize) % tokens.len()].clone();
        let request = client
            .get(format!(
                "{base}/api/v1/units/{u}/appointment-types/{t}/slots?date={day}"
            ))
            .bearer_auth(token);
        async move { Some(label(request.send().await).await) }
    })
    .await
}

/// What the booking scenario shares between its rounds (and between the two
/// builds of a comparison): the planned pairs of free slots (one to book, one
/// to rebook to later), each used once; how many bookings of a type each
/// booker holds (at most two: the cap is three and one may be pre-booked);
/// and the bookings made, for the rebooking scenario.
struct BookingPlan {
    slots: Arc<Vec<tidbok_harness::region::Slot>>,
    queue: Arc<Mutex<Vec<(usize, usize)>>>,
    booked: Arc<Mutex<Vec<(usize, Uuid, usize)>>>,
    per_type: Arc<Mutex<HashMap<(usize, u8), u32>>>,
    tokens: Arc<Vec<String>>,
}

/// Books the plan's next free slots, 16 clients, until `seconds` pass or the
/// plan runs out.
async fn book_free_slots(ctx: &Ctx, plan: &BookingPlan, seconds: Duration) -> Outcome {
    let (client, base) = (ctx.client.clone(), ctx.base.clone());
    let tokens = plan.tokens.clone();
    let slots = plan.slots.clone();
    let queue = plan.queue.clone();
    let booked = plan.booked.clone();
    let per_type = plan.per_type.clone();
    closed_loop(16, seconds, move |_, n| {
        let next = queue.lock().expect("queue").pop();
        let choice = next.map(|(slot, target)| {
            let ty = slots[slot].ty;
            let mut counts = per_type.lock().expect("counts");
            let start = n as usize % tokens.len();
            let who = (0..tokens.len())
                .map(|k| (start + k) % tokens.len())
                .find(|w| counts.get(&(*w, ty)).copied().unwrap_or(0) < 2);
            if let Some(w) = who {
                *counts.entry((w, ty)).or_default() += 1;
            }
            (slot, target, who)
        });
        let request = choice.and_then(|(slot, target, who)| {
            let who = who?;
            let request = client
                .post(format!("{base}/api/v1/me/bookings"))
                .bearer_auth(&tokens[who])
                .header("Idempotency-Key", Uuid::new_v4().to_string())
                .json(&json!({"slot_id": slots[slot].id, "reason_for_visit": "Provtagning", "terms_accepted": true}));
            Some((request, who, target))
        });
        let booked = booked.clone();
        async move {
            let (request, who, target) = request?;
            Some(match request.send().await {
                Ok(r) if r.status() == 201 => {
                    let v: Value = r.json().await.ok()?;
                    let id: Uuid = v["id"].as_str()?.parse().ok()?;
                    booked.lock().expect("booked").push((who, id, target));
                    "201".to_owned()
                }
                other => label(other).await,
            })
        }
    })
    .await
}

/// The inputs of the scenarios a comparison runs.
struct Scenarios<'a> {
    offered: &'a [(Uuid, Uuid)],
    days: &'a [chrono::NaiveDate],
    tokens: &'a Arc<Vec<String>>,
    plan: &'a BookingPlan,
}

/// The two builds take turns on each scenario, `rounds` pairs in A B B A
/// order (so a drift of the host's speed falls on both alike); each turn
/// gives throughput and the server's CPU time per request. Returns the
/// report: every turn, each build's median and the ratio of the medians.
async fn compare(
    ctx: &Ctx,
    current: &Server,
    baseline: &Server,
    s: &Scenarios<'_>,
    rounds: usize,
) -> anyhow::Result<String> {
    let builds = [("this build", current), ("baseline", baseline)];
    let names = [
        "available dates, 8 weeks (64 clients)",
        "free slots of a date (64 clients)",
        "my bookings (64 clients)",
        "book a random free slot (16 clients)",
    ];
    let mut rows = Vec::new();
    let mut summary = Vec::new();
    for (scenario, name) in names.iter().enumerate() {
        // Per build: (req/s, CPU µs per request) of each turn.
        let mut turns: [Vec<(f64, f64)>; 2] = [Vec::new(), Vec::new()];
        for round in 0..rounds * 2 {
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for b in order {
                let server = builds[b].1;
                let ctx = Ctx {
                    client: ctx.client.clone(),
                    base: server.base(),
                    seconds: ctx.seconds,
                };
                let cpu_before = server.cpu_time().context("the server's CPU time")?;
                let outcome = match scenario {
                    0 => search_probe(&ctx, s.offered, 64, ctx.seconds, s.tokens).await,
                    1 => slots_of_a_date(&ctx, s.offered, s.days, s.tokens, ctx.seconds).await,
                    2 => my_bookings(&ctx, s.tokens, 64, ctx.seconds).await,
                    _ => book_free_slots(&ctx, s.plan, ctx.seconds).await,
                };
                let cpu = server.cpu_time().context("the server's CPU time")? - cpu_before;
                let errors: u64 = outcome
                    .recorder
                    .statuses
                    .iter()
                    .filter(|(k, _)| k.starts_with('5') || k.starts_with('t'))
                    .map(|(_, v)| v)
                    .sum();
                ensure!(
                    errors == 0,
                    "{name}, {}: {}",
                    builds[b].0,
                    outcome.recorder.status_line()
                );
                let per_request = cpu.as_secs_f64() * 1e6 / outcome.recorder.count().max(1) as f64;
                println!(
                    "{name}, {}: {:.0} req/s, {per_request:.0} µs CPU per request",
                    builds[b].0,
                    outcome.rps()
                );
                rows.push(vec![
                    name.to_string(),
                    builds[b].0.to_owned(),
                    format!("{:.0}", outcome.rps()),
                    format!("{per_request:.0}"),
                    format!("{:.2}", outcome.recorder.ms(0.99)),
                ]);
                turns[b].push((outcome.rps(), per_request));
            }
        }
        let rate = [
            median(turns[0].iter().map(|t| t.0)),
            median(turns[1].iter().map(|t| t.0)),
        ];
        let cpu = [
            median(turns[0].iter().map(|t| t.1)),
            median(turns[1].iter().map(|t| t.1)),
        ];
        // A change only between two measured figures (a smoke run's booking
        // plan may run out before the baseline's turn).
        let change = |now: f64, before: f64| {
            if now > 0.0 && before > 0.0 {
                format!("{:+.1} %", 100.0 * (now / before - 1.0))
            } else {
                "-".to_owned()
            }
        };
        summary.push(vec![
            name.to_string(),
            format!("{:.0}", rate[1]),
            format!("{:.0}", rate[0]),
            change(rate[0], rate[1]),
            format!("{:.0}", cpu[1]),
            format!("{:.0}", cpu[0]),
            change(cpu[0], cpu[1]),
        ]);
    }
    Ok(format!(
        "every turn:\n{}\n\nmedians (this build against the baseline):\n{}",
        table(
            &["scenario", "build", "req/s", "server CPU µs/request", "p99 ms"],
            &rows
        ),
        table(
            &[
                "scenario",
                "baseline req/s",
                "this build req/s",
                "change",
                "baseline CPU µs/req",
                "this build CPU µs/req",
                "change"
            ],
            &summary
        )
    ))
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

async fn my_bookings(ctx: &Ctx, tokens: &[String], clients: usize, seconds: Duration) -> Outcome {
    let tokens = tokens.to_vec();
    let client = ctx.client.clone();
    let base = ctx.base.clone();
    closed_loop(clients, seconds, move |c, n| {
        let token = tokens[(c * 31 + n as usize) % tokens.len()].clone();
        let request = client.get(format!("{base}/api/v1/me/bookings")).bearer_auth(token);
        async move { Some(label(request.send().await).await) }
    })
    .await
}

/// Every client at once, each on one of a few slots: exactly one winner per
/// slot, a clean 409 for everyone else.
async fn hot_slot_storm(ctx: &Ctx, tokens: &[String], slots: &[Uuid]) -> anyhow::Result<Outcome> {
    // Connect everyone first, so the storm is requests, not TCP handshakes.
    let barrier = Arc::new(tokio::sync::Barrier::new(tokens.len()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let client = ctx.client.clone();
        let base = ctx.base.clone();
        let token = token.clone();
        let slot = slots[i % slots.len()];
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let _ = client.get(format!("{base}/healthz")).send().await;
            barrier.wait().await;
            let t = Instant::now();
            let r = client
                .post(format!("{base}/api/v1/me/bookings"))
                .bearer_auth(token)
                .json(&json!({"slot_id": slot, "reason_for_visit": "Provtagning", "terms_accepted": true}))
                .send()
                .await;
            (t.elapsed(), label(r).await)
        }));
    }
    let mut recorder = Recorder::default();
    for t in tasks {
        let (took, status) = t.await?;
        recorder.record(took, &status);
    }
    let _ = ctx.seconds;
    Ok(Outcome {
        recorder,
        elapsed: started.elapsed(),
    })
}

// ---------------------------------------------------------------- ceiling --

/// `sql` with `$n` replaced by `args[n - 1]` (highest first, so `$1` does not
/// eat `$12`).
fn bind_text(sql: &str, args: &[&str]) -> String {
    let mut s = sql.to_owned();
    for (i, a) in args.iter().enumerate().rev() {
        s = s.replace(&format!("${}", i + 1), a);
    }
    s
}

/// One planned booking of the ceiling: slot, resident and their number.
type Planned = (Uuid, Uuid, String);

/// Bookings a second the ceiling's plan is sized for: above what two cores
/// have reached (about 2,300), so a timed round does not run dry.
const CEILING_PLAN_RATE: usize = 6_000;

/// The script's first line: takes the next planned slot and sets the
/// variables the store's statements use (`ceiling::VARIABLES`).
const NEXT_PLANNED: &str = "SELECT slot_id AS slot, resident_id AS resident, pnr AS pnr, \
     gen_random_uuid() AS booking, gen_random_uuid() AS message, gen_random_uuid() AS delivery, \
     md5(random()::text) AS idem, now() AS now, gen_random_uuid() AS reminder1, \
     gen_random_uuid() AS reminder2, gen_random_uuid() AS reminder3, gen_random_uuid() AS reminder4 \
     FROM bench_plan WHERE n = (SELECT nextval('bench_plan_seq'))";

/// Every statement the server sends PostgreSQL for one online booking, as
/// the store itself writes and binds them (`ceiling::pgbench_statements`),
/// after the line that takes the next planned slot.
fn booking_script() -> String {
    let mut lines = vec![NEXT_PLANNED.to_owned(), "\\gset".to_owned()];
    lines.extend(ceiling::pgbench_statements());
    lines.join("\n") + "\n"
}

/// The ceiling's plan as a table: row n is the n-th booking's slot and
/// resident, taken in turn by the script through a sequence.
async fn pgbench_plan(backend: &Backend, plan: &[Planned]) -> anyhow::Result<()> {
    let Backend::Postgres(pg) = backend else {
        bail!("pgbench needs PostgreSQL")
    };
    let pool = pg;
    sqlx::query(
        "CREATE TABLE bench_plan (n BIGINT PRIMARY KEY, slot_id UUID NOT NULL, resident_id UUID NOT NULL, pnr TEXT NOT NULL)",
    )
        .execute(pool)
        .await?;
    sqlx::query("CREATE SEQUENCE bench_plan_seq").execute(pool).await?;
    for (k, chunk) in plan.chunks(5000).enumerate() {
        let mut q = sqlx::QueryBuilder::new("INSERT INTO bench_plan (n, slot_id, resident_id, pnr) ");
        q.push_values(chunk.iter().enumerate(), |mut row, (i, (slot, resident, pnr))| {
            row.push_bind((k * 5000 + i + 1) as i64)
                .push_bind(slot)
                .push_bind(resident)
                .push_bind(pnr);
        });
        q.build().execute(pool).await?;
    }
    sqlx::query("ANALYZE bench_plan").execute(pool).await?;
    Ok(())
}

/// One round of the booking ceiling; then checks that every transaction
/// booked its slot (a script that books nothing would flatter the ceiling).
async fn pgbench_book(
    backend: &Backend,
    cluster: &Cluster,
    clients: usize,
    length: Length,
    dir: &Path,
    round: usize,
) -> anyhow::Result<Outcome> {
    let Backend::Postgres(pg) = backend else {
        bail!("pgbench needs PostgreSQL")
    };
    let script = dir.join("book.sql");
    std::fs::write(&script, booking_script())?;
    let outcome = pgbench(
        cluster,
        &[script.display().to_string()],
        clients,
        length,
        dir,
        &format!("book-{round}"),
        &[],
    )?;
    let (taken, booked): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT last_value FROM bench_plan_seq), \
         (SELECT COUNT(*) FROM bench_plan p JOIN bookings b ON b.slot_id = p.slot_id AND b.status = 'booked')",
    )
    .fetch_one(pg)
    .await?;
    ensure!(
        taken == booked,
        "the ceiling's script took {taken} planned slots but booked {booked}"
    );
    Ok(outcome)
}

fn pgbench_search(
    cluster: &Cluster,
    pairs: &[(Uuid, Uuid)],
    clients: usize,
    seconds: Duration,
    dir: &Path,
) -> anyhow::Result<Outcome> {
    // One script per (unit, type) with its ids inline (pgbench takes at most
    // 128 scripts), so the ceiling runs the search query and nothing else.
    let today = tidbok_domain::time::local_date(Utc::now());
    let to = today + ChronoDuration::weeks(8);
    let mut scripts = Vec::new();
    for (i, (u, t)) in pairs.iter().take(100).enumerate() {
        let q = bind_text(
            sql::FREE_SLOT_COUNTS_BY_TYPE,
            &[
                &format!("'{u}'"),
                &format!("'{t}'"),
                &format!("'{today}'"),
                &format!("'{to}'"),
                "now()",
            ],
        );
        let file = dir.join(format!("search-{i}.sql"));
        std::fs::write(&file, q + ";\n")?;
        scripts.push(file.display().to_string());
    }
    pgbench(cluster, &scripts, clients, Length::Seconds(seconds), dir, "search", &[])
}

/// How long pgbench runs: for a time, or a number of transactions per client.
#[derive(Debug, Clone, Copy)]
enum Length {
    Seconds(Duration),
    PerClient(usize),
}

fn pgbench(
    cluster: &Cluster,
    scripts: &[String],
    clients: usize,
    length: Length,
    dir: &Path,
    prefix: &str,
    extra: &[&str],
) -> anyhow::Result<Outcome> {
    let mut cmd = std::process::Command::new("pgbench");
    cmd.args([
        "-h",
        "127.0.0.1",
        "-p",
        &cluster.port.to_string(),
        "-U",
        "postgres",
        "-n",
        "-M",
        "prepared",
    ])
    .args(["-c", &clients.to_string(), "-j", "2"])
    .args(match length {
        Length::Seconds(s) => ["-T".to_owned(), s.as_secs().max(1).to_string()],
        Length::PerClient(n) => ["-t".to_owned(), n.max(1).to_string()],
    })
    .args(["-l", "--log-prefix", &dir.join(prefix).display().to_string()])
    .args(extra);
    for s in scripts {
        cmd.args(["-f", s]);
    }
    cmd.arg("postgres");
    let out = cmd.output().context("running pgbench")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    ensure!(
        out.status.success(),
        "pgbench failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tps: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("pgbench printed no tps")?;
    // Per-transaction logs: "client transaction latency_us script epoch us".
    let mut recorder = Recorder::default();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if !name.starts_with(&format!("{prefix}.")) {
            continue;
        }
        for line in std::fs::read_to_string(&path)?.lines() {
            if let Some(us) = line.split_whitespace().nth(2).and_then(|v| v.parse::<u64>().ok()) {
                recorder.record(Duration::from_micros(us), "ok");
            }
        }
    }
    // pgbench's tps is the throughput; the log gives the latencies.
    let count = recorder.count().max(1);
    Ok(Outcome {
        recorder,
        elapsed: Duration::from_secs_f64(count as f64 / tps),
    })
}

/// The SQLite pool the sqlx loops run on.
fn sqlite_pool(backend: &Backend) -> anyhow::Result<sqlx::SqlitePool> {
    let Backend::Sqlite(pool) = backend else {
        bail!("the sqlx loop here is SQLite's")
    };
    Ok(pool.clone())
}

/// SQLite has no pgbench: the store's own calls for one booking (the reads
/// before the transaction, then the booking) in a tight loop.
async fn sqlite_book(
    backend: &Backend,
    plan: &[Planned],
    clients: usize,
    seconds: Duration,
) -> anyhow::Result<Outcome> {
    let store = backend.store();
    let queue = Arc::new(Mutex::new(plan.to_vec()));
    let outcome = closed_loop(clients, seconds, move |_, _| {
        let store = store.clone();
        let next = queue.lock().expect("queue").pop();
        async move {
            let (slot, resident, pnr) = next?;
            let planned = ceiling::Planned {
                slot,
                resident,
                pnr,
                booking: Uuid::new_v4(),
                message: Uuid::new_v4(),
                delivery: Uuid::new_v4(),
                idem: Uuid::new_v4().to_string(),
                now: tidbok_domain::time::truncate_micros(Utc::now()),
                reminders: [(); 4].map(|_| Uuid::new_v4()),
            };
            let result: anyhow::Result<()> = async {
                // What the server reads before its transaction.
                let pnr = tidbok_domain::PersonalIdentityNumber::from_stored(&planned.pnr)?;
                store.resident_by_pnr(&pnr).await?;
                store.slot_with_settings(slot.into()).await?;
                let (booking, key, effects) = ceiling::booking(&planned);
                store.book(&booking, Some(&key), &effects).await?;
                Ok(())
            }
            .await;
            Some(match result {
                Ok(()) => "ok".to_owned(),
                Err(e) => format!("error: {e}"),
            })
        }
    })
    .await;
    Ok(outcome)
}

async fn sqlite_search(
    backend: &Backend,
    pairs: &[(Uuid, Uuid)],
    clients: usize,
    seconds: Duration,
) -> anyhow::Result<Outcome> {
    let pool = sqlite_pool(backend)?;
    let pairs = pairs.to_vec();
    let today = tidbok_domain::time::local_date(Utc::now());
    let to = today + ChronoDuration::weeks(8);
    Ok(closed_loop(clients, seconds, move |c, n| {
        let pool = pool.clone();
        let (u, t) = pairs[(c * 7 + n as usize * 13) % pairs.len()];
        async move {
            let rows = sqlx::query(sql::FREE_SLOT_COUNTS_BY_TYPE)
                .bind(u)
                .bind(t)
                .bind(today)
                .bind(to)
                .bind(Utc::now())
                .fetch_all(&pool)
                .await;
            Some(match rows {
                Ok(_) => "ok".to_owned(),
                Err(e) => format!("error: {e}"),
            })
        }
    })
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_highest_first() {
        assert_eq!(
            bind_text(
                "VALUES ($1, $12, $2)",
                &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]
            ),
            "VALUES (a, l, b)"
        );
    }

    #[test]
    fn the_plan_line_sets_every_variable_the_statements_use() {
        let select = NEXT_PLANNED.split(" FROM ").next().unwrap_or_default();
        let set: Vec<&str> = select
            .split(',')
            .filter_map(|column| column.split_whitespace().last())
            .collect();
        for v in ceiling::VARIABLES {
            assert!(set.contains(&v), "{v} is not set by {NEXT_PLANNED}");
        }
        assert!(booking_script().starts_with(NEXT_PLANNED));
    }
}
