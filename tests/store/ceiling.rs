//! The benchmark's ceiling and the store stay one transaction: the pgbench
//! statements the benchmark runs on PostgreSQL write, for a planned booking,
//! the very rows the store's own booking writes for the same booking.

use super::*;
use tidbok_store::testing::ceiling::{self, Planned};
use tidbok_store::Backend;
use uuid::Uuid;

fn planned(slot: SlotId, resident: &Resident, at: DateTime<Utc>) -> Planned {
    Planned {
        slot: slot.as_uuid(),
        resident: resident.id.as_uuid(),
        pnr: resident.pnr.canonical().to_owned(),
        booking: Uuid::new_v4(),
        message: Uuid::new_v4(),
        delivery: Uuid::new_v4(),
        idem: Uuid::new_v4().to_string(),
        now: at,
        reminders: [(); 4].map(|_| Uuid::new_v4()),
    }
}

/// The rows one booking wrote, as JSON text, one per table it touches.
async fn rows_of(pool: &sqlx::PgPool, p: &Planned) -> Vec<String> {
    let mut rows = Vec::new();
    for (sql, id) in [
        (
            "SELECT to_jsonb(t)::text FROM bookings t WHERE id = $1::uuid",
            p.booking.to_string(),
        ),
        (
            "SELECT to_jsonb(t)::text FROM idempotency_keys t WHERE key = $1",
            p.idem.clone(),
        ),
        (
            "SELECT to_jsonb(t)::text FROM inbox_messages t WHERE id = $1::uuid",
            p.message.to_string(),
        ),
        (
            "SELECT to_jsonb(t)::text FROM outbox t WHERE message_id = $1::uuid",
            p.message.to_string(),
        ),
        (
            "SELECT to_jsonb(t)::text FROM outbox t WHERE booking_id = $1::uuid",
            p.booking.to_string(),
        ),
        (
            "SELECT to_jsonb(t)::text FROM access_log t WHERE booking_id = $1::uuid",
            p.booking.to_string(),
        ),
        (
            "SELECT booking_id::text FROM slots WHERE id = $1::uuid",
            p.slot.to_string(),
        ),
        (
            "SELECT booking_version::text FROM residents WHERE id = $1::uuid",
            p.resident.to_string(),
        ),
    ] {
        let found: Vec<String> = sqlx::query_scalar(sql).bind(id).fetch_all(pool).await.expect(sql);
        rows.push(found.join("\n"));
    }
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_benchmarks_ceiling_writes_the_rows_the_stores_booking_writes() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    let Backend::Postgres(pool) = &db.backend else {
        unreachable!("a PostgreSQL test database")
    };
    let world = World::create(store(&db)).await;
    // Two practitioners' slots at one time, so the two bookings differ only
    // in their ids.
    let colleague = Practitioner {
        id: PractitionerId::generate(),
        unit_id: world.unit.id,
        name: "Sara Lind".into(),
        profession: world.practitioner.profession.clone(),
    };
    world.store.insert_practitioner(&colleague).await.unwrap();
    let start = in_hours(72);
    let [by_store] = world.slots(&world.self_service, &[start], 15).await[..] else {
        unreachable!()
    };
    let [by_ceiling] = world.slots_for(colleague.id, &world.self_service, &[start], 15).await[..] else {
        unreachable!()
    };
    let (anna, bo) = (world.resident(&adult_pnr(1)).await, world.resident(&adult_pnr(2)).await);
    let at = tidbok_domain::time::truncate_micros(Utc::now());
    let (store_planned, ceiling_planned) = (planned(by_store, &anna, at), planned(by_ceiling, &bo, at));

    let (booking, key, effects) = ceiling::booking(&store_planned);
    let booked = world.store.book(&booking, Some(&key), &effects).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    for statement in ceiling::pgbench_statements() {
        let bound = ceiling::with_values(&statement, &ceiling_planned.variables());
        sqlx::raw_sql(&bound).execute(&mut *conn).await.expect(&statement);
    }
    drop(conn);

    assert_eq!(booked, Committed::Created(booking.id));
    // Rows of one table in a stable order (the reminders' ids are random).
    let sorted = |row: String| {
        let mut lines: Vec<&str> = row.lines().collect();
        lines.sort();
        lines.join("\n")
    };
    let by_store: Vec<String> = rows_of(pool, &store_planned).await.into_iter().map(sorted).collect();
    let by_ceiling: Vec<String> = rows_of(pool, &ceiling_planned)
        .await
        .into_iter()
        .map(|row| {
            let b = ceiling_planned.variables();
            let a = store_planned.variables();
            b.iter()
                .zip(&a)
                .fold(row, |row, ((_, theirs), (_, ours))| row.replace(theirs.as_str(), ours))
        })
        .map(sorted)
        .collect();
    assert!(
        by_store[..5].iter().all(|row| !row.is_empty()),
        "the store's booking wrote its rows: {by_store:#?}"
    );
    assert_eq!(by_ceiling, by_store, "the ceiling's rows (ids made the store's) differ");
}
