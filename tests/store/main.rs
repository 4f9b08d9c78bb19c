//! The store contract suite: every test runs unchanged against SQLite and
//! PostgreSQL, each on a fresh database of its own.

use chrono::{DateTime, Datelike, Duration, DurationRound, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use tidbok_domain::ports::*;
use tidbok_domain::time::local_date;
use tidbok_domain::*;
use tidbok_store::testing::fixture::{adult_pnr, World};
use tidbok_store::testing::{Bind, Kind, TestDb};

/// Generates `mod name { sqlite(), postgres() }` for each contract test.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    let db = super::TestDb::new(super::Kind::Sqlite).await.expect("sqlite");
                    super::$name(&db).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if let Some(db) = super::TestDb::new(super::Kind::Postgres).await {
                        super::$name(&db).await;
                    }
                }
            }
        )+
    };
}

mod ceiling;
mod guardians;
mod invitations;
mod reminders;
mod staff;
mod waitlist;
use guardians::*;
use invitations::*;
use reminders::*;
use staff::*;
use waitlist::*;

on_both_backends!(
    the_register_is_replaced_whole_and_names_each_guardians_children,
    concurrent_register_loads_leave_one_file_never_both,
    the_age_limit_is_per_region_and_residents_are_held_to_the_lowest,
    a_guardians_booking_and_log_line_keep_actor_and_patient_apart,
    an_invitation_makes_one_booking_and_is_listed_until_used,
    an_ended_or_someone_elses_invitation_books_nothing,
    concurrent_bookings_with_one_invitation_make_one,
    a_freed_slot_is_offered_first_asked_first_and_held_from_everyone_else,
    a_hold_that_runs_out_frees_the_slot_and_the_workers_pass_it_on,
    offers_wait_for_the_day_and_the_sweep_offers_new_slots,
    a_wish_that_ends_gives_its_offer_to_the_next,
    racing_offers_accepts_declines_and_bookings_keep_every_hold_consistent,
    an_offer_that_ran_out_unswept_does_not_cost_its_resident_the_next_slot,
    a_held_slot_taken_out_of_the_schedule_voids_its_offer,
    reminders_are_written_with_the_booking_and_cancelled_with_it,
    rebooking_cancels_the_old_reminders_and_plans_the_new,
    a_reminder_is_handed_over_only_while_its_booking_holds,
    a_send_cut_off_by_a_crash_is_claimed_again_and_skips_are_final,
    racing_cancels_rebooks_and_deliveries_never_send_for_a_lost_time,
    an_ad_hoc_booking_cannot_overlap_a_booking_and_withdraws_free_slots,
    concurrent_ad_hoc_bookings_of_one_time_give_one_booking,
    publishing_withdraws_only_free_slots_and_reports_booked_ones,
    day_overrides_are_kept_per_date,
    effects_are_written_with_their_change_or_not_at_all,
    two_workers_never_claim_the_same_delivery,
    an_expired_lease_lets_another_worker_retry_and_failures_back_off,
    the_access_log_is_append_only,
    the_book_lists_slots_with_every_booking_and_resident,
    staff_status_changes_are_conditional,
    only_the_statement_expecting_a_unique_violation_turns_it_into_a_conflict,
    a_unit_publishes_on_holidays_only_when_it_chooses,
    a_practitioner_is_at_most_one_staff_members_own,
    the_inbox_leaves_out_messages_of_bookings_hidden_since,
    a_free_slot_is_booked_once_and_then_refused,
    two_hundred_concurrent_attempts_at_ten_slots_give_ten_bookings,
    a_cancelled_booking_frees_its_slot_at_once,
    a_booking_cannot_be_cancelled_twice,
    rebooking_moves_the_booking_in_one_step,
    rebooking_to_a_taken_slot_keeps_the_old_booking,
    rebooking_a_cancelled_booking_leaves_the_new_slot_free,
    a_retried_request_with_the_same_key_replays_the_first_booking,
    concurrent_retries_with_one_key_make_one_booking,
    the_per_type_cap_holds_against_concurrent_bookings,
    a_slot_starting_before_the_cut_off_is_refused_and_stays_free,
    free_slots_are_counted_per_stockholm_date,
    past_and_booked_slots_are_not_offered,
    rebook_targets_match_practitioner_type_and_length,
    publishing_the_same_slots_twice_creates_them_once,
    a_slot_is_read_with_its_units_service_settings,
    a_unit_is_read_with_its_settings_and_a_type,
    residents_are_created_once_per_number,
    my_bookings_come_from_every_status_in_start_order,
    an_established_contact_is_an_active_booking_of_the_profession,
    services_and_selections_are_stored_per_unit,
    indexes_serve_the_calendar_and_my_bookings_at_100k_slots,
    instants_survive_the_round_trip_exactly,
);

const NO_EFFECTS: Effects = Effects {
    notice: None,
    access: Vec::new(),
    reminders: Vec::new(),
};

fn store(db: &TestDb) -> Arc<dyn Store> {
    db.backend.store()
}

fn now() -> DateTime<Utc> {
    Utc::now().duration_trunc(Duration::seconds(1)).unwrap()
}

/// Whole hours from now, so tests never race the clock.
fn in_hours(h: i64) -> DateTime<Utc> {
    now().duration_trunc(Duration::hours(1)).unwrap() + Duration::hours(h)
}

fn new_booking(slot: SlotId, resident: &Resident) -> NewBooking {
    NewBooking {
        id: BookingId::generate(),
        slot_id: slot,
        resident_id: resident.id,
        booked_by: Actor::Resident(resident.id),
        booked_at: now(),
        reason_for_visit: Some(ReasonForVisit::parse("Provtagning inför diabetesbesök").unwrap()),
        message: None,
        hidden_in_portal: false,
        slot_must_start_after: now(),
        max_active_of_type: None,
    }
}

fn cancellation(resident: &Resident) -> Cancellation {
    Cancellation {
        reason: CancellationReason::parse("Jag är frisk igen").unwrap(),
        by: Actor::Resident(resident.id),
        at: now(),
    }
}

fn rebooking(from: BookingId, to: SlotId, resident: &Resident) -> Rebooking {
    Rebooking {
        from,
        new_booking_id: BookingId::generate(),
        to_slot: to,
        by: Actor::Resident(resident.id),
        at: now(),
        slot_must_start_after: now(),
    }
}

async fn a_free_slot_is_booked_once_and_then_refused(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [slot] = world.slots(&world.self_service, &[in_hours(48)], 15).await[..] else {
        unreachable!()
    };
    let (anna, bo) = (world.resident(&adult_pnr(1)).await, world.resident(&adult_pnr(2)).await);

    let first = world
        .store
        .book(&new_booking(slot, &anna), None, &NO_EFFECTS)
        .await
        .expect("first booking");
    let second = world.store.book(&new_booking(slot, &bo), None, &NO_EFFECTS).await;

    let Committed::Created(id) = first else {
        panic!("expected a new booking, got {first:?}")
    };
    assert!(
        matches!(second, Err(StoreError::Conflict(Conflict::SlotTaken))),
        "{second:?}"
    );
    let details = world.store.booking(id).await.unwrap().expect("stored");
    assert_eq!(details.booking.resident_id, anna.id);
    assert_eq!(details.booking.status, BookingStatus::Booked);
    assert_eq!(details.slot.booking_id, Some(id));
    assert_eq!(
        details.booking.reason_for_visit.unwrap().as_str(),
        "Provtagning inför diabetesbesök"
    );
}

async fn two_hundred_concurrent_attempts_at_ten_slots_give_ten_bookings(db: &TestDb) {
    let world = Arc::new(World::create(store(db)).await);
    let starts: Vec<_> = (0..10).map(|i| in_hours(48) + Duration::minutes(15 * i)).collect();
    let slots = world.slots(&world.self_service, &starts, 15).await;
    let mut residents = Vec::new();
    for i in 0..200 {
        residents.push(world.resident(&adult_pnr(1000 + i)).await);
    }

    let attempts: Vec<_> = residents
        .into_iter()
        .enumerate()
        .map(|(i, resident)| {
            let world = world.clone();
            let slot = slots[i % slots.len()];
            tokio::spawn(async move { world.store.book(&new_booking(slot, &resident), None, &NO_EFFECTS).await })
        })
        .collect();
    let (mut booked, mut conflicts, mut other) = (0, 0, Vec::new());
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(Committed::Created(_)) => booked += 1,
            Err(StoreError::Conflict(Conflict::SlotTaken)) => conflicts += 1,
            outcome => other.push(format!("{outcome:?}")),
        }
    }

    assert!(other.is_empty(), "unexpected outcomes: {other:?}");
    assert_eq!((booked, conflicts), (10, 190));
    for slot in slots {
        let details = world.store.slot(slot).await.unwrap().unwrap();
        let holder = details.slot.booking_id.expect("every slot booked");
        let booking = world.store.booking(holder).await.unwrap().unwrap();
        assert_eq!(booking.booking.slot_id, slot, "the slot's booking points back at it");
    }
}

async fn a_cancelled_booking_frees_its_slot_at_once(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [slot] = world.slots(&world.self_service, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    let (anna, bo) = (world.resident(&adult_pnr(1)).await, world.resident(&adult_pnr(2)).await);
    let Committed::Created(first) = world
        .store
        .book(&new_booking(slot, &anna), None, &NO_EFFECTS)
        .await
        .unwrap()
    else {
        panic!("replay")
    };

    world
        .store
        .cancel(first, &cancellation(&anna), &NO_EFFECTS)
        .await
        .expect("cancel");
    let again = world.store.book(&new_booking(slot, &bo), None, &NO_EFFECTS).await;

    assert!(matches!(again, Ok(Committed::Created(_))), "{again:?}");
    let cancelled = world.store.booking(first).await.unwrap().unwrap().booking;
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    let c = cancelled.cancellation.expect("cancellation kept");
    assert_eq!(c.reason.as_str(), "Jag är frisk igen");
    assert_eq!(c.by, Actor::Resident(anna.id));
}

async fn a_booking_cannot_be_cancelled_twice(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [slot] = world.slots(&world.self_service, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let id = *world
        .store
        .book(&new_booking(slot, &anna), None, &NO_EFFECTS)
        .await
        .unwrap()
        .value();
    world.store.cancel(id, &cancellation(&anna), &NO_EFFECTS).await.unwrap();

    let again = world.store.cancel(id, &cancellation(&anna), &NO_EFFECTS).await;

    assert!(
        matches!(again, Err(StoreError::Conflict(Conflict::BookingNotActive))),
        "{again:?}"
    );
}

async fn rebooking_moves_the_booking_in_one_step(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [a, b] = world
        .slots(&world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let old = *world
        .store
        .book(&new_booking(a, &anna), None, &NO_EFFECTS)
        .await
        .unwrap()
        .value();

    let moved = world
        .store
        .rebook(&rebooking(old, b, &anna), None, &NO_EFFECTS)
        .await
        .expect("rebook");

    let new = world.store.booking(*moved.value()).await.unwrap().unwrap();
    assert_eq!(new.slot.id, b);
    assert_eq!(new.booking.rebooked_from, Some(old));
    assert_eq!(new.booking.status, BookingStatus::Booked);
    assert_eq!(
        new.booking.reason_for_visit.as_ref().map(|r| r.as_str()),
        Some("Provtagning inför diabetesbesök")
    );
    let previous = world.store.booking(old).await.unwrap().unwrap();
    assert_eq!(previous.booking.status, BookingStatus::Rebooked);
    assert_eq!(previous.slot.booking_id, None, "the old slot is free again");
    // Rule 3: and again, any number of times.
    let back = world
        .store
        .rebook(&rebooking(*moved.value(), a, &anna), None, &NO_EFFECTS)
        .await;
    assert!(matches!(back, Ok(Committed::Created(_))), "{back:?}");
}

async fn rebooking_to_a_taken_slot_keeps_the_old_booking(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [a, b] = world
        .slots(&world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let (anna, bo) = (world.resident(&adult_pnr(1)).await, world.resident(&adult_pnr(2)).await);
    let annas = *world
        .store
        .book(&new_booking(a, &anna), None, &NO_EFFECTS)
        .await
        .unwrap()
        .value();
    world.store.book(&new_booking(b, &bo), None, &NO_EFFECTS).await.unwrap();

    let result = world.store.rebook(&rebooking(annas, b, &anna), None, &NO_EFFECTS).await;

    assert!(
        matches!(result, Err(StoreError::Conflict(Conflict::SlotTaken))),
        "{result:?}"
    );
    let kept = world.store.booking(annas).await.unwrap().unwrap();
    assert_eq!(kept.booking.status, BookingStatus::Booked);
    assert_eq!(kept.slot.booking_id, Some(annas), "the old slot is still held");
}

async fn rebooking_a_cancelled_booking_leaves_the_new_slot_free(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [a, b] = world
        .slots(&world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let id = *world
        .store
        .book(&new_booking(a, &anna), None, &NO_EFFECTS)
        .await
        .unwrap()
        .value();
    world.store.cancel(id, &cancellation(&anna), &NO_EFFECTS).await.unwrap();

    let result = world.store.rebook(&rebooking(id, b, &anna), None, &NO_EFFECTS).await;

    assert!(
        matches!(result, Err(StoreError::Conflict(Conflict::BookingNotActive))),
        "{result:?}"
    );
    let target = world.store.slot(b).await.unwrap().unwrap();
    assert_eq!(
        target.slot.booking_id, None,
        "the claim on the new slot was rolled back"
    );
}

fn key(k: &str, fingerprint: &str) -> IdempotencyKey {
    IdempotencyKey {
        key: k.into(),
        fingerprint: fingerprint.into(),
    }
}

async fn a_retried_request_with_the_same_key_replays_the_first_booking(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [slot, other] = world
        .slots(&world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let k = key("retry-1", "body-a");

    let first = world
        .store
        .book(&new_booking(slot, &anna), Some(&k), &NO_EFFECTS)
        .await
        .unwrap();
    let retry = world
        .store
        .book(&new_booking(slot, &anna), Some(&k), &NO_EFFECTS)
        .await
        .unwrap();
    let reused = world
        .store
        .book(&new_booking(other, &anna), Some(&key("retry-1", "body-b")), &NO_EFFECTS)
        .await;

    assert!(matches!(first, Committed::Created(_)));
    assert_eq!(retry, Committed::Replayed(*first.value()));
    assert!(
        matches!(reused, Err(StoreError::Conflict(Conflict::IdempotencyKeyReused))),
        "{reused:?}"
    );
    assert_eq!(world.store.slot(other).await.unwrap().unwrap().slot.booking_id, None);
    let recorded = world
        .store
        .idempotent_result(anna.id.as_uuid(), IdempotentOperation::Book, "retry-1")
        .await
        .unwrap();
    assert_eq!(recorded, Some(("body-a".to_owned(), *first.value())));
    // The same key means nothing for another operation or another resident.
    let bo = world.resident(&adult_pnr(2)).await;
    let [third] = world.slots(&world.self_service, &[in_hours(120)], 15).await[..] else {
        unreachable!()
    };
    let bos = world
        .store
        .book(&new_booking(third, &bo), Some(&k), &NO_EFFECTS)
        .await
        .unwrap();
    assert!(matches!(bos, Committed::Created(_)));
}

async fn concurrent_retries_with_one_key_make_one_booking(db: &TestDb) {
    let world = Arc::new(World::create(store(db)).await);
    let [slot] = world.slots(&world.self_service, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let booking = new_booking(slot, &anna);

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (world, booking) = (world.clone(), booking.clone());
            tokio::spawn(async move {
                world
                    .store
                    .book(&booking, Some(&key("double-tap", "same")), &NO_EFFECTS)
                    .await
            })
        })
        .collect();
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(Committed::Created(id)) | Ok(Committed::Replayed(id)) if id == booking.id => {
                created += 1;
            }
            other => panic!("every retry should see the one booking, got {other:?}"),
        }
    }
    assert_eq!(created, 20);
    let mine = world.store.resident_bookings(anna.id, now()).await.unwrap();
    assert_eq!(mine.len(), 1, "one booking, not one per retry");
}

async fn the_per_type_cap_holds_against_concurrent_bookings(db: &TestDb) {
    let world = Arc::new(World::create(store(db)).await);
    let starts: Vec<_> = (0..6).map(|i| in_hours(48) + Duration::minutes(15 * i)).collect();
    let slots = world.slots(&world.self_service, &starts, 15).await;
    let anna = world.resident(&adult_pnr(1)).await;

    let tasks: Vec<_> = slots
        .iter()
        .enumerate()
        .map(|(i, &slot)| {
            let (world, anna) = (world.clone(), anna.clone());
            tokio::spawn(async move {
                let mut booking = new_booking(slot, &anna);
                booking.max_active_of_type = Some(2);
                // With and without a key: both take the resident's turn.
                let k = (i % 2 == 0).then(|| key(&format!("cap-{i}"), "body"));
                world.store.book(&booking, k.as_ref(), &NO_EFFECTS).await
            })
        })
        .collect();
    let (mut booked, mut refused, mut other) = (0, 0, Vec::new());
    for t in tasks {
        match t.await.unwrap() {
            Ok(Committed::Created(_)) => booked += 1,
            Err(StoreError::Conflict(Conflict::BookingLimitReached)) => refused += 1,
            outcome => other.push(format!("{outcome:?}")),
        }
    }

    assert!(other.is_empty(), "unexpected outcomes: {other:?}");
    assert_eq!((booked, refused), (2, 4));
    assert_eq!(world.store.resident_bookings(anna.id, now()).await.unwrap().len(), 2);
    let mut free = 0;
    for slot in &slots {
        if world
            .store
            .slot(*slot)
            .await
            .unwrap()
            .unwrap()
            .slot
            .booking_id
            .is_none()
        {
            free += 1;
        }
    }
    assert_eq!(free, 4, "a refused booking leaves its slot free");

    // A retry of a booking that reached the cap replays it; it is not refused
    // as one booking too many.
    let bo = world.resident(&adult_pnr(2)).await;
    let [first, second] = world
        .slots(&world.self_service, &[in_hours(200), in_hours(201)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let mut booking = new_booking(first, &bo);
    booking.max_active_of_type = Some(1);
    let k = key("cap-retry", "body");
    let created = world.store.book(&booking, Some(&k), &NO_EFFECTS).await.unwrap();
    let retried = world.store.book(&booking, Some(&k), &NO_EFFECTS).await.unwrap();
    let mut another = new_booking(second, &bo);
    another.max_active_of_type = Some(1);
    let over = world
        .store
        .book(&another, Some(&key("cap-other", "body")), &NO_EFFECTS)
        .await;
    assert_eq!(created, Committed::Created(booking.id));
    assert_eq!(retried, Committed::Replayed(booking.id));
    assert!(
        matches!(over, Err(StoreError::Conflict(Conflict::BookingLimitReached))),
        "{over:?}"
    );
    let unused = world
        .store
        .idempotent_result(bo.id.as_uuid(), IdempotentOperation::Book, "cap-other")
        .await
        .unwrap();
    assert_eq!(unused, None, "a refused request leaves its key unclaimed");
}

async fn a_slot_starting_before_the_cut_off_is_refused_and_stays_free(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [slot] = world.slots(&world.self_service, &[in_hours(10)], 15).await[..] else {
        unreachable!()
    };
    let (anna, bo) = (world.resident(&adult_pnr(1)).await, world.resident(&adult_pnr(2)).await);
    let mut late = new_booking(slot, &anna);
    late.slot_must_start_after = in_hours(24);
    late.max_active_of_type = Some(3);

    let refused = world
        .store
        .book(&late, Some(&key("late", "body")), &staff::notice_for(&anna, late.id))
        .await;

    assert!(
        matches!(refused, Err(StoreError::Conflict(Conflict::SlotTaken))),
        "{refused:?}"
    );
    assert_eq!(world.store.slot(slot).await.unwrap().unwrap().slot.booking_id, None);
    assert!(world.store.resident_bookings(anna.id, now()).await.unwrap().is_empty());
    assert!(
        world.store.inbox(anna.id).await.unwrap().is_empty(),
        "no message for it"
    );
    assert!(world.store.resident_access_log(anna.id, 10).await.unwrap().is_empty());
    let in_time = world
        .store
        .book(&new_booking(slot, &bo), None, &NO_EFFECTS)
        .await
        .unwrap();
    assert!(matches!(in_time, Committed::Created(_)));
}

async fn free_slots_are_counted_per_stockholm_date(db: &TestDb) {
    let world = World::create(store(db)).await;
    // 23:30 UTC in winter is 00:30 the next day in Stockholm.
    let base = (now() + Duration::days(10)).date_naive();
    let late = Utc.from_utc_datetime(&base.and_hms_opt(23, 30, 0).unwrap());
    let morning = Utc.from_utc_datetime(&base.and_hms_opt(8, 0, 0).unwrap());
    world
        .slots(
            &world.self_service,
            &[morning, morning + Duration::minutes(15), late],
            15,
        )
        .await;
    let from = local_date(morning);
    let q = FreeSlotQuery {
        unit_id: world.unit.id,
        appointment_type_id: world.self_service.id,
        practitioner_id: None,
        length_minutes: None,
        from,
        to: from + Duration::days(3),
        starting_after: now(),
    };

    let counts = world.store.free_slot_counts(&q).await.unwrap();

    assert_eq!(counts, vec![(from, 2), (local_date(late), 1)]);
    assert_eq!(local_date(late), from + Duration::days(1));
    let day = world.store.free_slots(&FreeSlotQuery { to: from, ..q }).await.unwrap();
    let starts: Vec<_> = day.iter().map(|d| d.slot.starts_at).collect();
    assert_eq!(starts, vec![morning, morning + Duration::minutes(15)]);
    assert_eq!(day[0].practitioner.name, "Ingela Ransnäs");
    assert_eq!(day[0].appointment_type.name, "Provtagning 1177");
}

async fn past_and_booked_slots_are_not_offered(db: &TestDb) {
    let world = World::create(store(db)).await;
    let starts = [in_hours(-2), in_hours(30), in_hours(31)];
    let slots = world.slots(&world.self_service, &starts, 15).await;
    let anna = world.resident(&adult_pnr(1)).await;
    world
        .store
        .book(&new_booking(slots[1], &anna), None, &NO_EFFECTS)
        .await
        .unwrap();
    let q = FreeSlotQuery {
        unit_id: world.unit.id,
        appointment_type_id: world.self_service.id,
        practitioner_id: None,
        length_minutes: None,
        from: local_date(in_hours(-48)),
        to: local_date(in_hours(48)),
        starting_after: now(),
    };

    let free = world.store.free_slots(&q).await.unwrap();

    assert_eq!(free.iter().map(|d| d.slot.id).collect::<Vec<_>>(), vec![slots[2]]);
    let past = world.store.book(&new_booking(slots[0], &anna), None, &NO_EFFECTS).await;
    assert!(
        matches!(past, Err(StoreError::Conflict(Conflict::SlotTaken))),
        "a past slot cannot be claimed: {past:?}"
    );
}

async fn rebook_targets_match_practitioner_type_and_length(db: &TestDb) {
    let world = World::create(store(db)).await;
    let other = Practitioner {
        id: PractitionerId::generate(),
        unit_id: world.unit.id,
        name: "Teodora Tuomainen".into(),
        profession: "Sjuksköterska".into(),
    };
    world.store.insert_practitioner(&other).await.unwrap();
    let t = in_hours(100);
    let same = world.slots(&world.self_service, &[t], 15).await[0];
    world.slots(&world.self_service, &[t + Duration::hours(1)], 30).await;
    world.slots(&world.cancelable, &[t + Duration::hours(2)], 15).await;
    world.slots_for(other.id, &world.self_service, &[t], 15).await;
    let q = FreeSlotQuery {
        unit_id: world.unit.id,
        appointment_type_id: world.self_service.id,
        practitioner_id: Some(world.practitioner.id),
        length_minutes: Some(15),
        from: local_date(t) - Duration::days(1),
        to: local_date(t) + Duration::days(1),
        starting_after: now(),
    };

    let targets = world.store.free_slots(&q).await.unwrap();
    let counts = world.store.free_slot_counts(&q).await.unwrap();

    assert_eq!(targets.iter().map(|d| d.slot.id).collect::<Vec<_>>(), vec![same]);
    assert_eq!(counts, vec![(local_date(t), 1)]);
}

async fn publishing_the_same_slots_twice_creates_them_once(db: &TestDb) {
    let world = World::create(store(db)).await;
    let blocks = [tidbok_domain::schedule::ScheduleBlock::new(
        chrono::Weekday::Mon,
        world.self_service.id,
        chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        15,
        8,
    )
    .unwrap()];
    let monday = NaiveDate::from_ymd_opt(2030, 1, 7).unwrap();
    let planned = tidbok_domain::schedule::expand(
        world.unit.id,
        world.practitioner.id,
        &blocks,
        monday,
        monday + Duration::days(13),
    );

    let first = world.store.insert_slots(&planned).await.unwrap();
    let second = world.store.insert_slots(&planned).await.unwrap();

    assert_eq!((first, second), (16, 0));
    let offered: Vec<_> = world
        .store
        .unit_appointment_types(world.unit.id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(offered, vec![world.self_service.id]);
}

async fn residents_are_created_once_per_number(db: &TestDb) {
    let world = Arc::new(World::create(store(db)).await);
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let world = world.clone();
            tokio::spawn(async move { world.resident(&adult_pnr(77)).await.id })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one resident for one number: {ids:?}");
    let stored = world.store.resident(ids[0]).await.unwrap().unwrap();
    assert_eq!(stored.pnr.canonical(), adult_pnr(77));
}

async fn my_bookings_come_from_every_status_in_start_order(db: &TestDb) {
    let world = World::create(store(db)).await;
    let starts = [in_hours(200), in_hours(50), in_hours(100)];
    let slots = world.slots(&world.self_service, &starts, 15).await;
    let (anna, bo) = (world.resident(&adult_pnr(1)).await, world.resident(&adult_pnr(2)).await);
    let mut ids = Vec::new();
    for s in &slots {
        ids.push(
            *world
                .store
                .book(&new_booking(*s, &anna), None, &NO_EFFECTS)
                .await
                .unwrap()
                .value(),
        );
    }
    world
        .store
        .cancel(ids[2], &cancellation(&anna), &NO_EFFECTS)
        .await
        .unwrap();
    let [bos_slot] = world.slots(&world.self_service, &[in_hours(60)], 15).await[..] else {
        unreachable!()
    };
    world
        .store
        .book(&new_booking(bos_slot, &bo), None, &NO_EFFECTS)
        .await
        .unwrap();

    let mine = world.store.resident_bookings(anna.id, now()).await.unwrap();

    let order: Vec<_> = mine.iter().map(|d| d.booking.id).collect();
    assert_eq!(order, vec![ids[1], ids[2], ids[0]], "by start, Bo's booking left out");
    assert_eq!(mine[1].booking.status, BookingStatus::Cancelled);
    let later = world.store.resident_bookings(anna.id, in_hours(150)).await.unwrap();
    assert_eq!(later.iter().map(|d| d.booking.id).collect::<Vec<_>>(), vec![ids[0]]);
}

async fn an_established_contact_is_an_active_booking_of_the_profession(db: &TestDb) {
    let world = World::create(store(db)).await;
    let anna = world.resident(&adult_pnr(1)).await;
    let since = now() - Duration::days(730);
    assert!(!world
        .store
        .has_established_contact(anna.id, world.unit.id, "Sjuksköterska", since)
        .await
        .unwrap());

    let [slot] = world.slots(&world.cancelable, &[in_hours(30)], 15).await[..] else {
        unreachable!()
    };
    let id = *world
        .store
        .book(&new_booking(slot, &anna), None, &NO_EFFECTS)
        .await
        .unwrap()
        .value();

    assert!(world
        .store
        .has_established_contact(anna.id, world.unit.id, "Sjuksköterska", since)
        .await
        .unwrap());
    assert!(!world
        .store
        .has_established_contact(anna.id, world.unit.id, "Kurator", since)
        .await
        .unwrap());
    world.store.cancel(id, &cancellation(&anna), &NO_EFFECTS).await.unwrap();
    assert!(
        !world
            .store
            .has_established_contact(anna.id, world.unit.id, "Sjuksköterska", since)
            .await
            .unwrap(),
        "a cancelled booking is no contact"
    );
}

async fn a_slot_is_read_with_its_units_service_settings(db: &TestDb) {
    let world = World::create(store(db)).await;
    world
        .set_service(OnlineService::BookOnline, true, Audience::RestrictedSelection)
        .await;
    let [slot] = world.slots(&world.self_service, &[in_hours(50)], 15).await[..] else {
        unreachable!()
    };

    let (details, settings) = world.store.slot_with_settings(slot).await.unwrap().unwrap();

    assert_eq!(details, world.store.slot(slot).await.unwrap().unwrap());
    assert_eq!(settings, world.store.service_settings(world.unit.id).await.unwrap());
    assert_eq!(settings.len(), 2);
    assert_eq!(settings[0].audience, Audience::RestrictedSelection);
    assert!(world
        .store
        .slot_with_settings(SlotId::generate())
        .await
        .unwrap()
        .is_none());

    // A unit whose services were never set up: the slot, and no settings.
    db.execute("DELETE FROM unit_services").await.unwrap();
    let (alone, none) = world.store.slot_with_settings(slot).await.unwrap().unwrap();
    assert_eq!(alone, details);
    assert!(none.is_empty());
}

async fn a_unit_is_read_with_its_settings_and_a_type(db: &TestDb) {
    let world = World::create(store(db)).await;
    world
        .set_service(OnlineService::BookOnline, true, Audience::RestrictedSelection)
        .await;
    let ty = world.self_service.id;

    let (settings, found) = world
        .store
        .unit_settings_and_type(world.unit.id, ty)
        .await
        .unwrap()
        .unwrap();

    assert_eq!(settings, world.store.service_settings(world.unit.id).await.unwrap());
    assert_eq!(settings.len(), 2);
    assert_eq!(found, world.store.appointment_type(ty).await.unwrap());
    assert!(found.is_some());
    let (same, none) = world
        .store
        .unit_settings_and_type(world.unit.id, AppointmentTypeId::generate())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((same, none), (settings, None), "an unknown type: the settings, no type");
    assert!(world
        .store
        .unit_settings_and_type(UnitId::generate(), ty)
        .await
        .unwrap()
        .is_none());

    // A unit whose services were never set up: no settings, the type.
    db.execute("DELETE FROM unit_services").await.unwrap();
    let (empty, again) = world
        .store
        .unit_settings_and_type(world.unit.id, ty)
        .await
        .unwrap()
        .unwrap();
    assert!(empty.is_empty());
    assert_eq!(again, found);
}

async fn services_and_selections_are_stored_per_unit(db: &TestDb) {
    let world = World::create(store(db)).await;
    world
        .set_service(OnlineService::BookOnline, true, Audience::RestrictedSelection)
        .await;
    let anna = world.resident(&adult_pnr(1)).await;
    let bo = world.resident(&adult_pnr(2)).await;
    world
        .store
        .add_to_selection(world.unit.id, OnlineService::BookOnline, &anna.pnr)
        .await
        .unwrap();
    world
        .store
        .add_to_selection(world.unit.id, OnlineService::BookOnline, &anna.pnr)
        .await
        .expect("adding twice is harmless");

    let settings = world.store.service_settings(world.unit.id).await.unwrap();

    assert_eq!(settings.len(), 2);
    let book = settings
        .iter()
        .find(|s| s.service == OnlineService::BookOnline)
        .unwrap();
    assert_eq!(book.audience, Audience::RestrictedSelection);
    assert_eq!(book.terms_text, "Villkor för book_online.");
    assert!(world
        .store
        .in_selection(world.unit.id, OnlineService::BookOnline, &anna.pnr)
        .await
        .unwrap());
    assert!(!world
        .store
        .in_selection(world.unit.id, OnlineService::BookOnline, &bo.pnr)
        .await
        .unwrap());
    assert!(!world
        .store
        .in_selection(world.unit.id, OnlineService::CancelRebookOnline, &anna.pnr)
        .await
        .unwrap());
}

async fn indexes_serve_the_calendar_and_my_bookings_at_100k_slots(db: &TestDb) {
    let world = World::create(store(db)).await;
    // 50 practitioners x 2,000 slots = 100,000 slots over about 8 weeks.
    let mut planned = Vec::with_capacity(100_000);
    let start = in_hours(24);
    for p in 0..50 {
        let practitioner = Practitioner {
            id: PractitionerId::generate(),
            unit_id: world.unit.id,
            name: format!("Vårdgivare {p}"),
            profession: "Sjuksköterska".into(),
        };
        world.store.insert_practitioner(&practitioner).await.unwrap();
        let ty = world.types()[p % 3];
        for i in 0..2_000 {
            let starts_at = start + Duration::minutes(40 * i as i64);
            planned.push(tidbok_domain::schedule::PlannedSlot {
                unit_id: world.unit.id,
                practitioner_id: practitioner.id,
                appointment_type_id: ty.id,
                starts_at,
                ends_at: starts_at + Duration::minutes(15),
                local_date: local_date(starts_at),
            });
        }
    }
    assert_eq!(world.store.insert_slots(&planned).await.unwrap(), 100_000);
    let q = FreeSlotQuery {
        unit_id: world.unit.id,
        appointment_type_id: world.self_service.id,
        practitioner_id: None,
        length_minutes: None,
        from: local_date(start),
        to: local_date(start) + Duration::weeks(8),
        starting_after: now(),
    };
    // 4,000 bookings of 400 residents (of the cancelable type, so the
    // self-service calendar is untouched), booked through the store itself.
    let others: Vec<_> = planned
        .iter()
        .filter(|s| s.appointment_type_id == world.cancelable.id)
        .take(4_000)
        .collect();
    let world = Arc::new(world);
    let mut streams = Vec::new();
    for stream in 0..8 {
        let world = world.clone();
        let mine: Vec<_> = others
            .iter()
            .skip(stream)
            .step_by(8)
            .map(|s| (s.practitioner_id, s.starts_at))
            .collect();
        streams.push(tokio::spawn(async move {
            for (i, (practitioner, starts_at)) in mine.into_iter().enumerate() {
                let resident = world
                    .resident(&adult_pnr(10_000 + ((stream + 8 * i) as u32 % 400)))
                    .await;
                let slot = world
                    .store
                    .free_slots(&FreeSlotQuery {
                        unit_id: world.unit.id,
                        appointment_type_id: world.cancelable.id,
                        practitioner_id: Some(practitioner),
                        length_minutes: Some(15),
                        from: local_date(starts_at),
                        to: local_date(starts_at),
                        starting_after: starts_at - Duration::seconds(1),
                    })
                    .await
                    .unwrap()[0]
                    .slot
                    .id;
                world
                    .store
                    .book(&new_booking(slot, &resident), None, &NO_EFFECTS)
                    .await
                    .unwrap();
            }
        }));
    }
    for s in streams {
        s.await.unwrap();
    }
    let anna = world.resident(&adult_pnr(1)).await;
    let free = world
        .store
        .free_slots(&FreeSlotQuery {
            to: q.from,
            ..q.clone()
        })
        .await
        .unwrap();
    for slot in free.iter().take(5) {
        world
            .store
            .book(&new_booking(slot.slot.id, &anna), None, &NO_EFFECTS)
            .await
            .unwrap();
    }

    let calendar = db
        .explain(
            tidbok_store::testing::sql::FREE_SLOT_COUNTS_BY_TYPE,
            &[
                Bind::Uuid(q.unit_id.as_uuid()),
                Bind::Uuid(q.appointment_type_id.as_uuid()),
                Bind::Date(q.from),
                Bind::Date(q.to),
                Bind::Instant(q.starting_after),
            ],
        )
        .await;
    let day = db
        .explain(
            tidbok_store::testing::sql::FREE_SLOTS_BY_TYPE,
            &[
                Bind::Uuid(q.unit_id.as_uuid()),
                Bind::Uuid(q.appointment_type_id.as_uuid()),
                Bind::Date(q.from),
                Bind::Date(q.from),
                Bind::Instant(q.starting_after),
            ],
        )
        .await;
    let mine = db
        .explain(
            tidbok_store::testing::sql::RESIDENT_BOOKINGS,
            &[Bind::Uuid(anna.id.as_uuid()), Bind::Instant(now())],
        )
        .await;

    assert!(calendar.contains("slots_free_search_idx"), "calendar plan:\n{calendar}");
    assert!(day.contains("slots_free_search_idx"), "free slots plan:\n{day}");
    assert!(mine.contains("bookings_resident_idx"), "my bookings plan:\n{mine}");
    for (name, plan) in [("calendar", &calendar), ("day", &day), ("my bookings", &mine)] {
        assert!(full_scans(plan).is_empty(), "{name} scans a big table:\n{plan}");
    }
    // And the answers are right at this size.
    let counts = world.store.free_slot_counts(&q).await.unwrap();
    let total: u32 = counts.iter().map(|(_, n)| n).sum();
    assert_eq!(
        total,
        17 * 2_000 - 5,
        "free slots of the type: 17 practitioners, 5 booked"
    );
    assert_eq!(world.store.resident_bookings(anna.id, now()).await.unwrap().len(), 5);
}

/// Lines of a plan that read a whole slots or bookings table: PostgreSQL's
/// "Seq Scan on", SQLite's "SCAN <alias>" (a full table or index scan).
fn full_scans(plan: &str) -> Vec<&str> {
    plan.lines()
        .filter(|l| {
            let l = l.trim_start_matches(|c: char| !c.is_alphabetic());
            l.starts_with("Seq Scan on slots")
                || l.starts_with("Seq Scan on bookings")
                || l == "SCAN s"
                || l.starts_with("SCAN s ")
                || l == "SCAN b"
                || l.starts_with("SCAN b ")
        })
        .collect()
}

async fn instants_survive_the_round_trip_exactly(db: &TestDb) {
    let world = World::create(store(db)).await;
    let odd = in_hours(40) + Duration::milliseconds(123);
    let [slot] = world.slots(&world.self_service, &[odd], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let mut b = new_booking(slot, &anna);
    b.booked_at = tidbok_domain::time::truncate_micros(Utc::now());

    let id = *world.store.book(&b, None, &NO_EFFECTS).await.unwrap().value();

    let stored = world.store.booking(id).await.unwrap().unwrap();
    assert_eq!(stored.slot.starts_at, odd);
    assert_eq!(stored.booking.booked_at, b.booked_at);
}

/// The two migration sets (migrations/sqlite, migrations/postgres) differ in
/// column types only: after migrating, both catalogues list the same tables,
/// columns with the same nullability, the same indexes on the same columns
/// (unique and partial alike), and the same named constraints.
#[tokio::test]
async fn both_migration_sets_leave_the_same_schema() {
    let sqlite = TestDb::sqlite().await;
    let Some(postgres) = TestDb::postgres().await else {
        return;
    };
    let (lite, pg) = (sqlite.schema().await, postgres.schema().await);
    assert!(lite.tables.contains_key("bookings") && lite.tables["bookings"].len() > 10);
    assert!(lite.indexes.contains_key("bookings_one_active_per_slot"));
    assert!(lite.constraints.contains_key("appointment_types_region_name_key"));

    let names = |s: &tidbok_store::testing::Schema| s.tables.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&lite), names(&pg), "tables");
    for (table, columns) in &lite.tables {
        assert_eq!(
            columns, &pg.tables[table],
            "columns and nullability of {table} (SQLite left, PostgreSQL right)"
        );
    }
    assert_eq!(lite.indexes, pg.indexes, "indexes (SQLite left, PostgreSQL right)");
    assert_eq!(
        lite.constraints, pg.constraints,
        "named constraints (SQLite left, PostgreSQL right)"
    );
}
