//! Rules 15 and 16: a freed slot is offered to the residents waiting for an
//! earlier time, first asked first, held for each in turn; nobody else can
//! book it while it is held; declining or a hold running out passes it on;
//! accepting moves the booking in one step.

use super::*;
use tidbok_domain::time::ZONE;
use tidbok_domain::waitlist::*;

/// Noon tomorrow in Stockholm: offers are made in the day, whatever hour the
/// suite runs at. Every time in these tests is given relative to it.
fn noon() -> DateTime<Utc> {
    let date = local_date(Utc::now()) + Duration::days(1);
    ZONE.from_local_datetime(&date.and_hms_opt(12, 0, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

async fn book_at(world: &World, slot: SlotId, resident: &Resident, at: DateTime<Utc>) -> Result<BookingId, StoreError> {
    let b = NewBooking {
        booked_at: at,
        slot_must_start_after: at,
        ..new_booking(slot, resident)
    };
    world.store.book(&b, None, &NO_EFFECTS).await.map(|c| *c.value())
}

async fn cancel_at(world: &World, booking: BookingId, resident: &Resident, at: DateTime<Utc>) {
    let c = Cancellation {
        at,
        ..cancellation(resident)
    };
    world.store.cancel(booking, &c, &NO_EFFECTS).await.unwrap();
}

async fn wait(world: &World, booking: BookingId, wish: EarlierTimeWish, at: DateTime<Utc>) -> WaitlistEntry {
    let details = world.store.booking(booking).await.unwrap().unwrap();
    world.store.put_waitlist_entry(&details, &wish, at).await.unwrap()
}

async fn offers(world: &World, resident: &Resident, at: DateTime<Utc>) -> Vec<Offer> {
    world.store.resident_offers(resident.id, at).await.unwrap()
}

async fn accept(world: &World, offer: &Offer, resident: &Resident, at: DateTime<Utc>) -> Result<BookingId, StoreError> {
    let r = Rebooking {
        at,
        slot_must_start_after: at,
        ..rebooking(offer.booking_id, offer.slot.slot.id, resident)
    };
    world.store.accept_offer(offer.id, &r, &NO_EFFECTS).await
}

fn is_free(slots: &[SlotDetails], slot: SlotId) -> bool {
    slots.iter().any(|s| s.slot.id == slot)
}

async fn free_at(world: &World, at: DateTime<Utc>) -> Vec<SlotDetails> {
    world
        .store
        .free_slots(&FreeSlotQuery {
            unit_id: world.unit.id,
            appointment_type_id: world.self_service.id,
            practitioner_id: None,
            length_minutes: None,
            from: local_date(at),
            to: local_date(at) + Duration::days(56),
            starting_after: at,
        })
        .await
        .unwrap()
}

async fn active_bookings(db: &TestDb, resident: &Resident) -> i64 {
    db.count(&format!(
        "SELECT COUNT(*) FROM bookings WHERE status = 'booked' AND resident_id = {}",
        uuid_literal(db, resident.id.as_uuid())
    ))
    .await
}

fn uuid_literal(db: &TestDb, id: uuid::Uuid) -> String {
    match db.kind() {
        Kind::Postgres => format!("'{id}'"),
        Kind::Sqlite => format!("X'{}'", id.simple()),
    }
}

/// A world with an early slot booked by Carl and two later ones of Anna and
/// Bertil, who wait for an earlier time (Anna asked first).
struct Queue {
    world: World,
    early: SlotId,
    carl: (Resident, BookingId),
    anna: (Resident, BookingId),
    bertil: (Resident, BookingId),
}

async fn queue(db: &TestDb, t0: DateTime<Utc>) -> Queue {
    let world = World::create(store(db)).await;
    let [early, later, latest] = world
        .slots(
            &world.self_service,
            &[
                t0 + Duration::hours(48),
                t0 + Duration::hours(120),
                t0 + Duration::hours(144),
            ],
            15,
        )
        .await[..]
    else {
        unreachable!()
    };
    let (carl, anna, bertil) = (
        world.resident(&adult_pnr(3)).await,
        world.resident(&adult_pnr(1)).await,
        world.resident(&adult_pnr(2)).await,
    );
    let c = book_at(&world, early, &carl, t0 - minutes(60)).await.unwrap();
    let a = book_at(&world, later, &anna, t0 - minutes(60)).await.unwrap();
    let b = book_at(&world, latest, &bertil, t0 - minutes(60)).await.unwrap();
    let first = wait(&world, a, EarlierTimeWish::default(), t0 - minutes(10)).await;
    wait(&world, b, EarlierTimeWish::default(), t0 - minutes(5)).await;
    // Changing the wish keeps the place in the queue.
    let again = wait(&world, a, EarlierTimeWish::default(), t0 - minutes(1)).await;
    assert_eq!((again.id, again.asked_at), (first.id, first.asked_at));
    Queue {
        world,
        early,
        carl: (carl, c),
        anna: (anna, a),
        bertil: (bertil, b),
    }
}

pub async fn a_freed_slot_is_offered_first_asked_first_and_held_from_everyone_else(db: &TestDb) {
    let t0 = noon();
    let q = queue(db, t0).await;
    let w = &q.world;
    cancel_at(w, q.carl.1, &q.carl.0, t0).await;

    let [offer] = &offers(w, &q.anna.0, t0).await[..] else {
        panic!("Anna asked first and is offered the slot")
    };
    assert_eq!((offer.slot.slot.id, offer.booking_id), (q.early, q.anna.1));
    assert_eq!(offer.expires_at, t0 + minutes(DEFAULT_OFFER_HOLD_MINUTES as i64));
    assert!(offers(w, &q.bertil.0, t0).await.is_empty());
    // Held: not in anyone's calendar, not bookable, shown to staff as held.
    assert!(!is_free(&free_at(w, t0 + minutes(1)).await, q.early));
    let dora = w.resident(&adult_pnr(4)).await;
    let refused = book_at(w, q.early, &dora, t0 + minutes(1)).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(Conflict::SlotTaken))),
        "{refused:?}"
    );
    let book = w
        .store
        .appointment_book_slots(w.unit.id, local_date(t0), local_date(t0) + Duration::days(3), None)
        .await
        .unwrap();
    let held = book.iter().find(|s| s.slot.slot.id == q.early).unwrap();
    assert_eq!(held.held_until, Some(offer.expires_at));
    // The offer is sent through the outbox, one row per channel.
    assert_eq!(
        db.count("SELECT COUNT(*) FROM outbox WHERE kind = 'offer' AND status = 'pending'")
            .await,
        2
    );

    // Anna declines: Bertil is next, and Anna is not offered it again.
    w.store.decline_offer(offer.id, t0 + minutes(2)).await.unwrap();
    let again = w.store.decline_offer(offer.id, t0 + minutes(2)).await;
    assert!(
        matches!(again, Err(StoreError::Conflict(Conflict::OfferGone))),
        "{again:?}"
    );
    assert!(offers(w, &q.anna.0, t0 + minutes(2)).await.is_empty());
    assert!(
        w.store.waitlist_entry(q.anna.1).await.unwrap().is_some(),
        "Anna keeps waiting"
    );
    let [next] = &offers(w, &q.bertil.0, t0 + minutes(2)).await[..] else {
        panic!("Bertil is offered the slot next")
    };
    assert_eq!(next.expires_at, t0 + minutes(17));
    // The unit sees two waiting, one holding an offer.
    let counts = w.store.waitlist_counts(w.unit.id, t0 + minutes(2)).await.unwrap();
    assert_eq!(
        counts
            .iter()
            .map(|c| (c.appointment_type_id, c.practitioner_id, c.waiting, c.offered))
            .collect::<Vec<_>>(),
        [(w.self_service.id, w.practitioner.id, 2, 1)]
    );

    // Bertil accepts: his booking moves in one step.
    let moved = accept(w, next, &q.bertil.0, t0 + minutes(3)).await.unwrap();
    let new = w.store.booking(moved).await.unwrap().unwrap();
    assert_eq!((new.slot.id, new.booking.status), (q.early, BookingStatus::Booked));
    assert_eq!(new.booking.rebooked_from, Some(q.bertil.1));
    let old = w.store.booking(q.bertil.1).await.unwrap().unwrap();
    assert_eq!(old.booking.status, BookingStatus::Rebooked);
    assert!(w.store.waitlist_entry(q.bertil.1).await.unwrap().is_none());
    assert_eq!(
        w.store.offer(next.id).await.unwrap().unwrap().status,
        HoldStatus::Accepted
    );
    assert!(matches!(
        accept(w, next, &q.bertil.0, t0 + minutes(3)).await,
        Err(StoreError::Conflict(Conflict::OfferGone))
    ));
    // Bertil's old time is later than Anna's: not offered to her, simply free.
    assert!(offers(w, &q.anna.0, t0 + minutes(3)).await.is_empty());
    assert!(is_free(&free_at(w, t0 + minutes(3)).await, old.slot.id));
    assert_eq!(active_bookings(db, &q.bertil.0).await, 1);
}

pub async fn a_hold_that_runs_out_frees_the_slot_and_the_workers_pass_it_on(db: &TestDb) {
    let t0 = noon();
    let q = queue(db, t0).await;
    let w = &q.world;
    cancel_at(w, q.carl.1, &q.carl.0, t0).await;
    let anna_offer = offers(w, &q.anna.0, t0).await.remove(0);

    // Too late: a clear refusal, and Anna keeps her booking.
    let late = accept(w, &anna_offer, &q.anna.0, t0 + minutes(16)).await;
    assert!(
        matches!(late, Err(StoreError::Conflict(Conflict::OfferGone))),
        "{late:?}"
    );
    assert_eq!(
        w.store.booking(q.anna.1).await.unwrap().unwrap().booking.status,
        BookingStatus::Booked
    );
    // Run out: no longer held for anyone, even before a worker comes by ...
    assert!(offers(w, &q.anna.0, t0 + minutes(16)).await.is_empty());
    assert!(is_free(&free_at(w, t0 + minutes(16)).await, q.early));
    // ... and the workers' sweep settles it and offers it to the next.
    assert_eq!(w.store.settle_expired_holds(t0 + minutes(16), 10).await.unwrap(), 1);
    assert_eq!(w.store.settle_expired_holds(t0 + minutes(16), 10).await.unwrap(), 0);
    assert_eq!(
        w.store.offer(anna_offer.id).await.unwrap().unwrap().status,
        HoldStatus::Expired
    );
    let [bertil_offer] = &offers(w, &q.bertil.0, t0 + minutes(16)).await[..] else {
        panic!("Bertil is next")
    };
    assert_eq!(bertil_offer.expires_at, t0 + minutes(31));

    // Bertil's hold runs out too and nobody sweeps: the slot is free for
    // anyone at once, and a later sweep finds it taken.
    let dora = w.resident(&adult_pnr(4)).await;
    book_at(w, q.early, &dora, t0 + minutes(32)).await.unwrap();
    assert_eq!(w.store.settle_expired_holds(t0 + minutes(32), 10).await.unwrap(), 1);
    assert!(offers(w, &q.anna.0, t0 + minutes(32)).await.is_empty());
    assert!(offers(w, &q.bertil.0, t0 + minutes(32)).await.is_empty());
    assert_eq!(
        db.count("SELECT COUNT(*) FROM slots WHERE hold_id IS NOT NULL OR held_until IS NOT NULL")
            .await,
        0
    );
}

pub async fn offers_wait_for_the_day_and_the_sweep_offers_new_slots(db: &TestDb) {
    let t0 = noon();
    let q = queue(db, t0).await;
    let w = &q.world;
    // Freed at 23:00: free for anyone, offered to nobody in the night.
    let night = t0 + Duration::hours(11);
    cancel_at(w, q.carl.1, &q.carl.0, night).await;
    assert!(offers(w, &q.anna.0, night).await.is_empty());
    assert_eq!(w.store.offer_free_slots(night, 50).await.unwrap(), 0);
    assert!(is_free(&free_at(w, night).await, q.early));
    // At 08:00 the sweep offers it to the first waiting.
    let morning = t0 + Duration::hours(20);
    assert_eq!(w.store.offer_free_slots(morning, 50).await.unwrap(), 1);
    assert_eq!(offers(w, &q.anna.0, morning).await[0].slot.slot.id, q.early);
    assert_eq!(w.store.offer_free_slots(morning, 50).await.unwrap(), 0, "made once");
    // A newly published slot goes to the next in line.
    let [published] = w.slots(&w.self_service, &[t0 + Duration::hours(60)], 15).await[..] else {
        unreachable!()
    };
    assert_eq!(w.store.offer_free_slots(morning, 50).await.unwrap(), 1);
    assert_eq!(offers(w, &q.bertil.0, morning).await[0].slot.slot.id, published);
    // Only the same length qualifies (rule 5), and only more than a day ahead.
    w.slots(&w.self_service, &[t0 + Duration::hours(70)], 20).await;
    w.slots(&w.self_service, &[morning + Duration::hours(23)], 15).await;
    let dora = w.resident(&adult_pnr(4)).await;
    let [dora_slot] = w.slots(&w.self_service, &[t0 + Duration::hours(160)], 15).await[..] else {
        unreachable!()
    };
    let d = book_at(w, dora_slot, &dora, morning).await.unwrap();
    wait(w, d, EarlierTimeWish::default(), morning).await;
    assert_eq!(w.store.offer_free_slots(morning, 50).await.unwrap(), 0);
}

pub async fn a_wish_that_ends_gives_its_offer_to_the_next(db: &TestDb) {
    let t0 = noon();
    let q = queue(db, t0).await;
    let w = &q.world;
    cancel_at(w, q.carl.1, &q.carl.0, t0).await;
    assert_eq!(offers(w, &q.anna.0, t0).await.len(), 1);
    // Anna cancels her own booking: her wish ends and her offer passes on.
    cancel_at(w, q.anna.1, &q.anna.0, t0 + minutes(1)).await;
    assert!(w.store.waitlist_entry(q.anna.1).await.unwrap().is_none());
    let [offer] = &offers(w, &q.bertil.0, t0 + minutes(1)).await[..] else {
        panic!("Bertil is next")
    };
    // Bertil takes his wish back: the slot is free for anyone.
    assert!(w
        .store
        .withdraw_waitlist_entry(q.bertil.1, t0 + minutes(2))
        .await
        .unwrap());
    assert!(!w
        .store
        .withdraw_waitlist_entry(q.bertil.1, t0 + minutes(2))
        .await
        .unwrap());
    assert_eq!(
        w.store.offer(offer.id).await.unwrap().unwrap().status,
        HoldStatus::Released
    );
    assert!(is_free(&free_at(w, t0 + minutes(2)).await, q.early));
    // Anna's own freed time (later than nobody's) is free too; nothing held.
    assert_eq!(db.count("SELECT COUNT(*) FROM holds WHERE status = 'held'").await, 0);
    // A wish only for Tuesdays after 16:00 is not offered a Monday morning.
    let tuesday_evening = EarlierTimeWish {
        weekdays: Weekdays::from_iso(&[2]).unwrap(),
        not_before: chrono::NaiveTime::from_hms_opt(16, 0, 0),
    };
    let entry = wait(w, q.bertil.1, tuesday_evening, t0 + minutes(3)).await;
    assert_eq!(entry.wish, tuesday_evening);
    let early_start = w.store.slot(q.early).await.unwrap().unwrap().slot.starts_at;
    let offered = w.store.offer_free_slots(t0 + minutes(3), 50).await.unwrap();
    assert_eq!(offered, u32::from(tuesday_evening.accepts(early_start)));
}

/// Cancellations free slots while residents accept and decline the offers
/// and others try to book the same slots, all at once. Whatever the order:
/// every live hold owns a free slot, no slot is held twice, no resident
/// loses a booking, an accepted offer's booking sits on its slot, and an
/// offer accepted too late is refused.
pub async fn racing_offers_accepts_declines_and_bookings_keep_every_hold_consistent(db: &TestDb) {
    let t0 = noon();
    let world = Arc::new(World::create(store(db)).await);
    const EARLY: usize = 6;
    const WAITING: usize = 8;
    let early_starts: Vec<_> = (0..EARLY)
        .map(|i| t0 + Duration::hours(30) + minutes(15 * i as i64))
        .collect();
    let late_starts: Vec<_> = (0..WAITING)
        .map(|i| t0 + Duration::hours(200) + minutes(15 * i as i64))
        .collect();
    let early = world.slots(&world.self_service, &early_starts, 15).await;
    let late = world.slots(&world.self_service, &late_starts, 15).await;
    let mut cancellers = Vec::new();
    for (i, slot) in early.iter().enumerate() {
        let r = world.resident(&adult_pnr(100 + i as u32)).await;
        let b = book_at(&world, *slot, &r, t0 - minutes(60)).await.unwrap();
        cancellers.push((r, b));
    }
    let mut waiting = Vec::new();
    for (i, slot) in late.iter().enumerate() {
        let r = world.resident(&adult_pnr(200 + i as u32)).await;
        let b = book_at(&world, *slot, &r, t0 - minutes(60)).await.unwrap();
        wait(
            &world,
            b,
            EarlierTimeWish::default(),
            t0 - minutes(30) + minutes(i as i64),
        )
        .await;
        waiting.push(r);
    }
    let mut tasks = Vec::new();
    for (r, b) in cancellers {
        let world = world.clone();
        tasks.push(tokio::spawn(async move {
            cancel_at(&world, b, &r, t0).await;
        }));
    }
    for (i, r) in waiting.iter().cloned().enumerate() {
        let world = world.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..40 {
                for offer in offers(&world, &r, t0 + minutes(5)).await {
                    if i % 3 == 0 {
                        let _ = world.store.decline_offer(offer.id, t0 + minutes(5)).await;
                    } else {
                        match accept(&world, &offer, &r, t0 + minutes(5)).await {
                            Ok(_) | Err(StoreError::Conflict(Conflict::OfferGone)) => {}
                            Err(e) => panic!("accepting: {e:?}"),
                        }
                    }
                }
                tokio::task::yield_now().await;
            }
        }));
    }
    for (i, slot) in early.iter().copied().enumerate() {
        let world = world.clone();
        tasks.push(tokio::spawn(async move {
            let r = world.resident(&adult_pnr(300 + i as u32)).await;
            for _ in 0..20 {
                match book_at(&world, slot, &r, t0 + minutes(1)).await {
                    Ok(_) => return,
                    Err(StoreError::Conflict(Conflict::SlotTaken)) => tokio::task::yield_now().await,
                    Err(e) => panic!("booking: {e:?}"),
                }
            }
        }));
    }
    let sweeper = {
        let world = world.clone();
        tokio::spawn(async move {
            for _ in 0..20 {
                world.store.settle_expired_holds(t0 + minutes(5), 10).await.unwrap();
                world.store.offer_free_slots(t0 + minutes(5), 10).await.unwrap();
                tokio::task::yield_now().await;
            }
        })
    };
    for t in tasks {
        t.await.unwrap();
    }
    sweeper.await.unwrap();

    let invariants = [
        (
            "a live hold owns a free slot that points back at it",
            "SELECT COUNT(*) FROM holds h JOIN slots s ON s.id = h.slot_id WHERE h.status = 'held' \
             AND (s.booking_id IS NOT NULL OR s.hold_id IS NULL OR s.hold_id <> h.id)",
        ),
        (
            "a slot points only at a live hold",
            "SELECT COUNT(*) FROM slots s WHERE s.hold_id IS NOT NULL AND NOT EXISTS \
             (SELECT 1 FROM holds h WHERE h.id = s.hold_id AND h.status = 'held')",
        ),
        (
            "an accepted offer's booking sits on its slot",
            "SELECT COUNT(*) FROM holds h JOIN bookings b ON b.id = h.booking_id \
             WHERE h.status = 'accepted' AND b.slot_id <> h.slot_id",
        ),
        (
            "no slot accepted twice",
            "SELECT COUNT(*) FROM (SELECT slot_id FROM holds WHERE status = 'accepted' \
             GROUP BY slot_id HAVING COUNT(*) > 1) x",
        ),
        (
            "every accepted offer made a booking",
            "SELECT COUNT(*) FROM holds WHERE status = 'accepted' AND booking_id IS NULL",
        ),
    ];
    for (what, sql) in invariants {
        assert_eq!(db.count(sql).await, 0, "{what}");
    }
    for r in &waiting {
        assert_eq!(
            active_bookings(db, r).await,
            1,
            "a waiting resident keeps exactly one booking"
        );
    }
    // An offer still open is refused once its hold has run out; then the
    // sweep settles whatever is still held, and nothing is.
    let later = t0 + Duration::hours(2);
    for r in &waiting {
        for o in offers(&world, r, t0 + minutes(5)).await {
            let late = accept(&world, &o, r, later).await;
            assert!(
                matches!(late, Err(StoreError::Conflict(Conflict::OfferGone))),
                "{late:?}"
            );
        }
    }
    // Each settled hold passes its slot on until nobody qualifies (the
    // early slots come within 24 hours; every wish has had every slot).
    let mut at = later;
    for _ in 0..48 {
        world.store.settle_expired_holds(at, 100).await.unwrap();
        at += Duration::hours(1);
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM holds WHERE status = 'held'").await, 0);
    assert!(
        db.count("SELECT COUNT(*) FROM holds WHERE status = 'accepted'").await > 0,
        "the race let some offers through"
    );
}

/// A hold stops at its time, worker or not: the resident it was for is
/// first in line for the next slot freed, as if it had been settled.
pub async fn an_offer_that_ran_out_unswept_does_not_cost_its_resident_the_next_slot(db: &TestDb) {
    let t0 = noon();
    let q = queue(db, t0).await;
    let w = &q.world;
    let dora = w.resident(&adult_pnr(4)).await;
    let [second] = w.slots(&w.self_service, &[t0 + Duration::hours(50)], 15).await[..] else {
        unreachable!()
    };
    let d = book_at(w, second, &dora, t0 - minutes(60)).await.unwrap();
    cancel_at(w, q.carl.1, &q.carl.0, t0).await;
    let first = offers(w, &q.anna.0, t0).await.remove(0);
    // No worker settles Anna's hold; it runs out; Dora's slot frees up.
    cancel_at(w, d, &dora, t0 + minutes(20)).await;
    let [now_offered] = &offers(w, &q.anna.0, t0 + minutes(20)).await[..] else {
        panic!("Anna is first in line for Dora's slot")
    };
    assert_eq!(now_offered.slot.slot.id, second);
    assert_eq!(
        w.store.offer(first.id).await.unwrap().unwrap().status,
        HoldStatus::Expired
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM slots s WHERE s.hold_id IS NOT NULL AND NOT EXISTS \
                  (SELECT 1 FROM holds h WHERE h.id = s.hold_id AND h.status = 'held')"
        )
        .await,
        0,
        "no slot points at a settled hold"
    );
    // Carl's old slot, left behind by the hold, goes to Bertil on the sweep.
    assert_eq!(w.store.offer_free_slots(t0 + minutes(20), 50).await.unwrap(), 1);
    assert_eq!(offers(w, &q.bertil.0, t0 + minutes(20)).await[0].slot.slot.id, q.early);
}

/// Staff taking a held slot out of the schedule void its offer; the
/// resident keeps waiting.
pub async fn a_held_slot_taken_out_of_the_schedule_voids_its_offer(db: &TestDb) {
    let t0 = noon();
    let q = queue(db, t0).await;
    let w = &q.world;
    cancel_at(w, q.carl.1, &q.carl.0, t0).await;
    let offer = offers(w, &q.anna.0, t0).await.remove(0);
    let withdraw = tidbok_domain::schedule::Publication {
        create: Vec::new(),
        withdraw: vec![q.early],
        conflicts: Vec::new(),
    };
    let done = w.store.apply_publication(&withdraw, t0 + minutes(1)).await.unwrap();
    assert_eq!(done.withdrawn, 1);
    assert_eq!(
        w.store.offer(offer.id).await.unwrap().unwrap().status,
        HoldStatus::Released
    );
    assert!(offers(w, &q.anna.0, t0 + minutes(1)).await.is_empty());
    assert!(
        w.store.waitlist_entry(q.anna.1).await.unwrap().is_some(),
        "Anna keeps waiting"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM holds WHERE status = 'held'").await, 0);
}
