//! The contract of the staff-side ports: ad-hoc bookings, publishing,
//! effects written with their change, the outbox's claims, the access log.

use super::*;
use tidbok_domain::schedule::{expand, plan_publication, ScheduleBlock};
use tidbok_domain::staff::StaffMember;

pub fn staff_actor() -> Actor {
    Actor::Staff(StaffId::generate())
}

fn ad_hoc(world: &World, resident: &Resident, start: DateTime<Utc>, minutes: i64) -> AdHocBooking {
    let slot_id = SlotId::generate();
    let slot = tidbok_domain::schedule::PlannedSlot {
        unit_id: world.unit.id,
        practitioner_id: world.practitioner.id,
        appointment_type_id: world.cancelable.id,
        starts_at: start,
        ends_at: start + Duration::minutes(minutes),
        local_date: local_date(start),
    };
    let booking = NewBooking {
        id: BookingId::generate(),
        slot_id,
        resident_id: resident.id,
        booked_by: staff_actor(),
        booked_at: now(),
        reason_for_visit: None,
        message: None,
        hidden_in_portal: false,
        slot_must_start_after: DateTime::<Utc>::MIN_UTC,
        max_active_of_type: None,
    };
    AdHocBooking { slot_id, slot, booking }
}

pub async fn an_ad_hoc_booking_cannot_overlap_a_booking_and_withdraws_free_slots(db: &TestDb) {
    let world = World::create(store(db)).await;
    let t = in_hours(50);
    let slots = world
        .slots(&world.self_service, &[t, t + Duration::minutes(30)], 15)
        .await;
    let anna = world.resident(&adult_pnr(1)).await;
    world
        .store
        .book(&new_booking(slots[0], &anna), None, &NO_EFFECTS)
        .await
        .unwrap();

    let clash = world
        .store
        .book_ad_hoc(&ad_hoc(&world, &anna, t + Duration::minutes(10), 15), &NO_EFFECTS)
        .await;
    assert!(
        matches!(clash, Err(StoreError::Conflict(Conflict::Overlap))),
        "{clash:?}"
    );
    assert!(
        world.store.slot(slots[1]).await.unwrap().unwrap().slot.is_free(),
        "nothing changed"
    );

    let fits = ad_hoc(&world, &anna, t + Duration::minutes(25), 15);
    let id = world
        .store
        .book_ad_hoc(&fits, &NO_EFFECTS)
        .await
        .expect("after the booking, over the free slot");
    let booked = world.store.booking(id).await.unwrap().unwrap();
    assert_eq!(booked.slot.starts_at, t + Duration::minutes(25));
    let free = world.store.slot(slots[1]).await.unwrap().unwrap().slot;
    assert!(free.withdrawn_at.is_some(), "the overlapped free slot was withdrawn");
    let query = FreeSlotQuery {
        unit_id: world.unit.id,
        appointment_type_id: world.self_service.id,
        practitioner_id: None,
        length_minutes: None,
        from: local_date(t),
        to: local_date(t),
        starting_after: now(),
    };
    assert!(
        world.store.free_slots(&query).await.unwrap().is_empty(),
        "a withdrawn slot is not offered"
    );
}

pub async fn concurrent_ad_hoc_bookings_of_one_time_give_one_booking(db: &TestDb) {
    let world = Arc::new(World::create(store(db)).await);
    let t = in_hours(60);
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let world = world.clone();
            tokio::spawn(async move {
                let resident = world.resident(&adult_pnr(100 + i)).await;
                // Overlapping, not identical, times: only a lock can settle this.
                let b = ad_hoc(&world, &resident, t + Duration::minutes(i as i64 % 5), 15);
                world.store.book_ad_hoc(&b, &NO_EFFECTS).await
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict(Conflict::Overlap)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(ok, 1, "one booking for overlapping times");
}

pub async fn publishing_withdraws_only_free_slots_and_reports_booked_ones(db: &TestDb) {
    let world = World::create(store(db)).await;
    let monday = (local_date(now()) + Duration::days(7))
        .week(chrono::Weekday::Mon)
        .first_day();
    let block = |len, count| {
        ScheduleBlock::new(
            chrono::Weekday::Mon,
            world.self_service.id,
            chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            len,
            count,
        )
        .unwrap()
    };
    world
        .store
        .replace_template(world.practitioner.id, &[block(15, 4)])
        .await
        .unwrap();
    assert_eq!(
        world.store.template(world.practitioner.id).await.unwrap(),
        vec![block(15, 4)]
    );
    let planned = expand(world.unit.id, world.practitioner.id, &[block(15, 4)], monday, monday);
    let first = world
        .store
        .apply_publication(&plan_publication(&[], &planned), now())
        .await
        .unwrap();
    assert_eq!(first.created, 4);
    let live = world
        .store
        .live_slots(world.practitioner.id, monday, monday)
        .await
        .unwrap();
    let again = plan_publication(&live, &planned);
    assert_eq!(again, Default::default(), "publishing twice changes nothing");
    let anna = world.resident(&adult_pnr(1)).await;
    world
        .store
        .book(&new_booking(live[1].id, &anna), None, &NO_EFFECTS)
        .await
        .unwrap();

    let changed = expand(world.unit.id, world.practitioner.id, &[block(20, 3)], monday, monday);
    let live = world
        .store
        .live_slots(world.practitioner.id, monday, monday)
        .await
        .unwrap();
    let publication = plan_publication(&live, &changed);
    // Someone books a free slot after we planned: it must survive too.
    world
        .store
        .book(&new_booking(live[3].id, &anna), None, &NO_EFFECTS)
        .await
        .unwrap();
    let result = world.store.apply_publication(&publication, now()).await.unwrap();

    assert_eq!(
        result.withdrawn, 2,
        "08:00 and 08:30 withdrawn; 08:45 got booked meanwhile"
    );
    let mut conflicts = result.conflicts.clone();
    conflicts.sort();
    let mut expected = vec![live[1].id, live[3].id];
    expected.sort();
    assert_eq!(conflicts, expected);
    assert_eq!(result.created, 0, "every new 20-minute slot overlaps a booking");
    for kept in [live[1].id, live[3].id] {
        let slot = world.store.slot(kept).await.unwrap().unwrap().slot;
        assert!(
            slot.booking_id.is_some() && slot.withdrawn_at.is_none(),
            "booked slots are never moved or removed"
        );
    }
    // After a withdrawal, a live slot may take the same start again.
    world
        .store
        .replace_template(world.practitioner.id, &[block(15, 4)])
        .await
        .unwrap();
    let live = world
        .store
        .live_slots(world.practitioner.id, monday, monday)
        .await
        .unwrap();
    let back = world
        .store
        .apply_publication(&plan_publication(&live, &planned), now())
        .await
        .unwrap();
    assert_eq!(back.created, 2, "08:00 and 08:30 come back");
}

pub async fn day_overrides_are_kept_per_date(db: &TestDb) {
    let world = World::create(store(db)).await;
    let day = local_date(now()) + Duration::days(10);
    let block = ScheduleBlock::new(
        day.weekday(),
        world.cancelable.id,
        chrono::NaiveTime::from_hms_opt(9, 15, 0).unwrap(),
        15,
        1,
    )
    .unwrap();
    world
        .store
        .put_day_override(world.practitioner.id, day, &[block], now())
        .await
        .unwrap();
    world
        .store
        .put_day_override(world.practitioner.id, day + Duration::days(1), &[], now())
        .await
        .unwrap();

    let overrides = world
        .store
        .day_overrides(world.practitioner.id, day, day + Duration::days(5))
        .await
        .unwrap();

    assert_eq!(overrides, vec![(day, vec![block]), (day + Duration::days(1), vec![])]);
    assert!(world
        .store
        .delete_day_override(world.practitioner.id, day)
        .await
        .unwrap());
    assert!(!world
        .store
        .delete_day_override(world.practitioner.id, day)
        .await
        .unwrap());
    assert_eq!(
        world
            .store
            .day_overrides(world.practitioner.id, day, day)
            .await
            .unwrap(),
        vec![]
    );
}

pub fn notice_for(resident: &Resident, booking: BookingId) -> Effects {
    let composed = tidbok_domain::notify::Composed {
        subject: "Bokad".into(),
        body: "Text".into(),
        sms: "Kort".into(),
    };
    let mut resident = resident.clone();
    resident.email = Some("anna@example.se".into());
    resident.phone = Some("+46701234567".into());
    resident.notifications = NotificationChoices { sms: true, email: true };
    let notice = tidbok_domain::notify::notice(
        NotificationKind::BookedByStaff,
        &resident,
        Some(booking),
        composed,
        || Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into()),
        now(),
    );
    let staff = StaffMember {
        id: StaffId::generate(),
        role: StaffRole::Staff,
        units: vec![],
        region: None,
        name: Some("Sara".into()),
    };
    let access = AccessLogEntry {
        id: uuid::Uuid::new_v4(),
        at: now(),
        actor_id: staff.id.into(),
        actor_role: staff.role.into(),
        actor_name: staff.name.clone(),
        unit_id: None,
        action: AccessAction::Book,
        resident_id: resident.id,
        booking_id: Some(booking),
    };
    Effects {
        notice: Some(notice),
        access: vec![access],
        reminders: Vec::new(),
    }
}

pub async fn effects_are_written_with_their_change_or_not_at_all(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [slot] = world.slots(&world.self_service, &[in_hours(70)], 15).await[..] else {
        unreachable!()
    };
    let (anna, bo) = (world.resident(&adult_pnr(1)).await, world.resident(&adult_pnr(2)).await);
    let mut booking = new_booking(slot, &anna);
    booking.booked_by = staff_actor();
    let effects = notice_for(&anna, booking.id);

    world.store.book(&booking, None, &effects).await.unwrap();
    let mut losing = new_booking(slot, &bo);
    losing.booked_by = staff_actor();
    let lost = world.store.book(&losing, None, &notice_for(&bo, losing.id)).await;

    assert!(matches!(lost, Err(StoreError::Conflict(Conflict::SlotTaken))));
    let inbox = world.store.inbox(anna.id).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].booking_id, Some(booking.id));
    let deliveries = world.store.deliveries(inbox[0].id).await.unwrap();
    assert_eq!(
        deliveries,
        vec![
            (Channel::Email, OutboxStatus::Pending, 0),
            (Channel::Sms, OutboxStatus::Pending, 0)
        ]
    );
    assert_eq!(world.store.resident_access_log(anna.id, 10).await.unwrap().len(), 1);
    assert!(
        world.store.inbox(bo.id).await.unwrap().is_empty(),
        "the refused booking left no message"
    );
    assert!(
        world.store.resident_access_log(bo.id, 10).await.unwrap().is_empty(),
        "... and no log line"
    );
}

pub async fn two_workers_never_claim_the_same_delivery(db: &TestDb) {
    let world = Arc::new(World::create(store(db)).await);
    let anna = world.resident(&adult_pnr(1)).await;
    let starts: Vec<_> = (0..30).map(|i| in_hours(40) + Duration::minutes(15 * i)).collect();
    let slots = world.slots(&world.self_service, &starts, 15).await;
    for slot in slots {
        let mut b = new_booking(slot, &anna);
        b.booked_by = staff_actor();
        world.store.book(&b, None, &notice_for(&anna, b.id)).await.unwrap();
    }
    let claim = |worker: uuid::Uuid| {
        let world = world.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = world
                    .store
                    .claim_due(worker, now(), Duration::seconds(60), 7)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    break;
                }
                mine.extend(batch.into_iter().map(|e| e.id));
            }
            mine
        })
    };
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let (first, second) = (claim(a), claim(b));
    let (first, second) = (first.await.unwrap(), second.await.unwrap());

    let mut all: Vec<_> = first.iter().chain(second.iter()).copied().collect();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(total, 60, "30 messages × 2 channels claimed");
    assert_eq!(all.len(), 60, "no delivery claimed twice");
    assert!(
        world.store.mark_sent(first[0], b, now()).await.unwrap() == first.is_empty(),
        "only the claimant settles"
    );
    assert!(world.store.mark_sent(first[0], a, now()).await.unwrap());
    assert!(
        !world.store.mark_sent(first[0], a, now()).await.unwrap(),
        "settled once"
    );
}

pub async fn an_expired_lease_lets_another_worker_retry_and_failures_back_off(db: &TestDb) {
    let world = World::create(store(db)).await;
    let anna = world.resident(&adult_pnr(1)).await;
    let [slot] = world.slots(&world.self_service, &[in_hours(40)], 15).await[..] else {
        unreachable!()
    };
    let mut b = new_booking(slot, &anna);
    b.booked_by = staff_actor();
    let effects = notice_for(&anna, b.id);
    let message = effects.notice.as_ref().unwrap().message.id;
    world.store.book(&b, None, &effects).await.unwrap();
    let (a, c) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());

    let claimed = world
        .store
        .claim_due(a, now(), Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(
        world
            .store
            .claim_due(c, now(), Duration::seconds(30), 10)
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );
    let later = now() + Duration::seconds(31);
    let reclaimed = world
        .store
        .claim_due(c, later, Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(reclaimed.len(), 2, "the lease ran out: the worker is presumed dead");
    assert!(reclaimed.iter().all(|e| e.attempts == 2));
    assert!(
        !world.store.mark_sent(claimed[0].id, a, later).await.unwrap(),
        "the first worker lost its claim"
    );

    let retry_at = later + Duration::minutes(5);
    assert!(world
        .store
        .mark_failed(reclaimed[0].id, c, "smtp 451", Some(retry_at))
        .await
        .unwrap());
    assert!(world
        .store
        .mark_failed(reclaimed[1].id, c, "http 400", None)
        .await
        .unwrap());
    assert!(
        world
            .store
            .claim_due(a, later + Duration::minutes(4), Duration::seconds(30), 10)
            .await
            .unwrap()
            .is_empty(),
        "not yet due"
    );
    let due = world
        .store
        .claim_due(a, retry_at, Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(
        due.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![reclaimed[0].id],
        "the dead one stays dead"
    );
    let statuses: Vec<_> = world
        .store
        .deliveries(message)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, s, _)| s)
        .collect();
    assert!(statuses.contains(&OutboxStatus::Dead) && statuses.contains(&OutboxStatus::Pending));
}

pub async fn the_access_log_is_append_only(db: &TestDb) {
    let world = World::create(store(db)).await;
    let anna = world.resident(&adult_pnr(1)).await;
    let entry = notice_for(&anna, BookingId::generate()).access.remove(0);
    world.store.record_access(&[entry]).await.unwrap();

    let update = db.execute("UPDATE access_log SET action = 'view_book'").await;
    let delete = db.execute("DELETE FROM access_log").await;

    assert!(update.is_err(), "UPDATE must be refused");
    assert!(delete.is_err(), "DELETE must be refused");
    assert_eq!(world.store.resident_access_log(anna.id, 10).await.unwrap().len(), 1);
}

pub async fn the_book_lists_slots_with_every_booking_and_resident(db: &TestDb) {
    let world = World::create(store(db)).await;
    let t = in_hours(30);
    let slots = world
        .slots(&world.self_service, &[t, t + Duration::minutes(15)], 15)
        .await;
    let (anna, bo) = (world.resident(&adult_pnr(1)).await, world.resident(&adult_pnr(2)).await);
    let mut earlier = new_booking(slots[0], &anna);
    earlier.booked_at = now() - Duration::minutes(1);
    let first = *world.store.book(&earlier, None, &NO_EFFECTS).await.unwrap().value();
    world
        .store
        .cancel(first, &cancellation(&anna), &NO_EFFECTS)
        .await
        .unwrap();
    world
        .store
        .book(&new_booking(slots[0], &bo), None, &NO_EFFECTS)
        .await
        .unwrap();

    let book = world
        .store
        .appointment_book_slots(world.unit.id, local_date(t), local_date(t), None)
        .await
        .unwrap();

    assert_eq!(book.len(), 2);
    let history: Vec<_> = book[0].bookings.iter().map(|(b, r)| (b.status, r.id)).collect();
    assert_eq!(
        history,
        vec![(BookingStatus::Cancelled, anna.id), (BookingStatus::Booked, bo.id)]
    );
    assert!(book[1].bookings.is_empty());
    let feed = world
        .store
        .cancellation_feed(world.unit.id, now() - Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(feed.len(), 1);
    assert_eq!(feed[0].resident.id, anna.id);
    assert_eq!(feed[0].booking.booking.id, first);
    let (details, resident) = world.store.booking_with_resident(first).await.unwrap().unwrap();
    assert_eq!((details.booking.id, resident.id), (first, anna.id));
}

pub async fn staff_status_changes_are_conditional(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [slot] = world.slots(&world.self_service, &[in_hours(30)], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let id = *world
        .store
        .book(&new_booking(slot, &anna), None, &NO_EFFECTS)
        .await
        .unwrap()
        .value();
    let change = |to| StatusChange {
        booking: id,
        to,
        by: staff_actor(),
        at: now(),
    };

    world
        .store
        .change_status(&change(BookingStatus::Arrived), &NO_EFFECTS)
        .await
        .unwrap();
    let again = world
        .store
        .change_status(&change(BookingStatus::Arrived), &NO_EFFECTS)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(Conflict::BookingNotActive))));
    assert!(
        world.store.slot(slot).await.unwrap().unwrap().slot.booking_id.is_some(),
        "arrived keeps the slot"
    );
    world
        .store
        .change_status(&change(BookingStatus::EnteredInError), &NO_EFFECTS)
        .await
        .unwrap();
    let details = world.store.booking(id).await.unwrap().unwrap();
    assert_eq!(
        details.booking.status,
        BookingStatus::EnteredInError,
        "kept, not erased"
    );
    assert!(details.slot.is_free(), "the mistaken booking frees its slot");
    world
        .store
        .set_hidden_in_portal(id, true, Utc::now(), &NO_EFFECTS)
        .await
        .unwrap();
    assert!(world.store.booking(id).await.unwrap().unwrap().booking.hidden_in_portal);
}

pub async fn only_the_statement_expecting_a_unique_violation_turns_it_into_a_conflict(db: &TestDb) {
    let world = World::create(store(db)).await;
    let mut twin = world.self_service.clone();
    twin.id = AppointmentTypeId::generate();
    let taken = world.store.insert_appointment_type(&twin).await;
    assert!(
        matches!(taken, Err(StoreError::Conflict(Conflict::Duplicate))),
        "a type's name taken in its region: {taken:?}"
    );
    let mut renamed = world.cancelable.clone();
    renamed.name = world.self_service.name.clone();
    let taken = world.store.update_appointment_type(&renamed).await;
    assert!(
        matches!(taken, Err(StoreError::Conflict(Conflict::Duplicate))),
        "{taken:?}"
    );

    // Any other unique key a write trips over is a bug, not a taken name.
    let again = world.store.insert_region(&world.region).await;
    assert!(matches!(again, Err(StoreError::Other(_))), "{again:?}");
    let again = world.store.insert_practitioner(&world.practitioner).await;
    assert!(matches!(again, Err(StoreError::Other(_))), "{again:?}");
}

pub async fn a_unit_publishes_on_holidays_only_when_it_chooses(db: &TestDb) {
    let world = World::create(store(db)).await;
    assert!(
        !world.store.publishes_on_holidays(world.unit.id).await.unwrap(),
        "off by default"
    );
    world
        .store
        .set_publishes_on_holidays(world.unit.id, true)
        .await
        .unwrap();
    assert!(world.store.publishes_on_holidays(world.unit.id).await.unwrap());
    assert!(!world.store.publishes_on_holidays(UnitId::generate()).await.unwrap());
}

pub async fn a_practitioner_is_at_most_one_staff_members_own(db: &TestDb) {
    let world = World::create(store(db)).await;
    let staff = StaffId::generate();
    assert_eq!(world.store.practitioner_of_staff(staff).await.unwrap(), None);
    world
        .store
        .link_practitioner_to_staff(world.practitioner.id, staff)
        .await
        .unwrap();
    assert_eq!(
        world.store.practitioner_of_staff(staff).await.unwrap(),
        Some(world.practitioner.clone())
    );
    let second = Practitioner {
        id: PractitionerId::generate(),
        name: "Två Två".into(),
        ..world.practitioner.clone()
    };
    world.store.insert_practitioner(&second).await.unwrap();
    let twice = world.store.link_practitioner_to_staff(second.id, staff).await;
    assert!(matches!(twice, Err(StoreError::Other(_))), "{twice:?}");
}

pub async fn the_inbox_leaves_out_messages_of_bookings_hidden_since(db: &TestDb) {
    let world = World::create(store(db)).await;
    let anna = world.resident(&adult_pnr(1)).await;
    let slots = world.slots(&world.cancelable, &[in_hours(50), in_hours(51)], 15).await;
    let mut ids = Vec::new();
    for slot in slots {
        let booking = NewBooking {
            booked_by: staff_actor(),
            ..new_booking(slot, &anna)
        };
        world
            .store
            .book(&booking, None, &notice_for(&anna, booking.id))
            .await
            .unwrap();
        ids.push(booking.id);
    }
    assert_eq!(world.store.inbox(anna.id).await.unwrap().len(), 2);
    assert!(world.store.was_notified(ids[0]).await.unwrap());
    world
        .store
        .set_hidden_in_portal(ids[0], true, Utc::now(), &NO_EFFECTS)
        .await
        .unwrap();
    let left: Vec<_> = world
        .store
        .inbox(anna.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.booking_id)
        .collect();
    assert_eq!(left, [Some(ids[1])]);
    assert!(
        world.store.was_notified(ids[0]).await.unwrap(),
        "it was sent all the same"
    );
    assert!(!world.store.was_notified(BookingId::generate()).await.unwrap());
}
