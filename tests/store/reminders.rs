//! Rule 14: reminders are outbox rows written with the booking, cancelled
//! with it, and sent only while the booking still holds the time they
//! remind of.

use super::*;

/// A booking's change with `n` reminders due `at` (alternating e-mail and
/// SMS, as the use cases plan them).
fn with_reminders(booking: BookingId, visit: DateTime<Utc>, at: DateTime<Utc>, n: usize) -> Effects {
    Effects {
        reminders: (0..n)
            .map(|i| PlannedReminder {
                id: uuid::Uuid::new_v4(),
                booking_id: booking,
                channel: if i % 2 == 0 { Channel::Email } else { Channel::Sms },
                at,
                visit_starts_at: visit,
                planned_at: now(),
            })
            .collect(),
        ..Effects::default()
    }
}

async fn statuses(store: &Arc<dyn Store>, booking: BookingId) -> Vec<OutboxStatus> {
    store
        .reminders(booking)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.status)
        .collect()
}

pub async fn reminders_are_written_with_the_booking_and_cancelled_with_it(db: &TestDb) {
    let world = World::create(store(db)).await;
    let visit = in_hours(72);
    let [slot, staff_slot] = world.slots(&world.self_service, &[visit, in_hours(96)], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    // The online booking (PostgreSQL: its one data-modifying statement).
    let b = new_booking(slot, &anna);
    world
        .store
        .book(&b, None, &with_reminders(b.id, visit, in_hours(24), 2))
        .await
        .unwrap();
    let rows = world.store.reminders(b.id).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r.status == OutboxStatus::Pending && r.visit_starts_at == visit && r.due == in_hours(24)));
    // A staff booking without a cap or key (the other path on PostgreSQL).
    let mut s = new_booking(staff_slot, &anna);
    s.booked_by = staff_actor();
    world
        .store
        .book(&s, None, &with_reminders(s.id, in_hours(96), in_hours(48), 2))
        .await
        .unwrap();
    assert_eq!(statuses(&world.store, s.id).await, [OutboxStatus::Pending; 2]);

    world
        .store
        .cancel(b.id, &cancellation(&anna), &NO_EFFECTS)
        .await
        .unwrap();
    assert_eq!(statuses(&world.store, b.id).await, [OutboxStatus::Cancelled; 2]);
    assert_eq!(
        statuses(&world.store, s.id).await,
        [OutboxStatus::Pending; 2],
        "another booking's reminders stay"
    );

    // Marking arrived and hiding cancel them too.
    world
        .store
        .set_hidden_in_portal(s.id, true, Utc::now(), &NO_EFFECTS)
        .await
        .unwrap();
    assert_eq!(statuses(&world.store, s.id).await, [OutboxStatus::Cancelled; 2]);
    // A refused booking writes none.
    let late = new_booking(staff_slot, &anna);
    let taken = world
        .store
        .book(&late, None, &with_reminders(late.id, visit, in_hours(24), 2))
        .await;
    assert!(taken.is_err(), "{taken:?}");
    assert!(world.store.reminders(late.id).await.unwrap().is_empty());
}

pub async fn rebooking_cancels_the_old_reminders_and_plans_the_new(db: &TestDb) {
    let world = World::create(store(db)).await;
    let (first, second) = (in_hours(72), in_hours(120));
    let [a, b] = world.slots(&world.self_service, &[first, second], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let booking = new_booking(a, &anna);
    world
        .store
        .book(&booking, None, &with_reminders(booking.id, first, in_hours(24), 2))
        .await
        .unwrap();
    let r = rebooking(booking.id, b, &anna);
    world
        .store
        .rebook(&r, None, &with_reminders(r.new_booking_id, second, in_hours(72), 2))
        .await
        .unwrap();
    assert_eq!(statuses(&world.store, booking.id).await, [OutboxStatus::Cancelled; 2]);
    let new = world.store.reminders(r.new_booking_id).await.unwrap();
    assert!(new
        .iter()
        .all(|x| x.status == OutboxStatus::Pending && x.visit_starts_at == second));
    assert_eq!(new.len(), 2);
}

/// Claims every due row for `worker`.
async fn claim_all(store: &Arc<dyn Store>, worker: uuid::Uuid, lease: Duration) -> Vec<OutboxEntry> {
    store.claim_due(worker, now(), lease, 100).await.unwrap()
}

pub async fn a_reminder_is_handed_over_only_while_its_booking_holds(db: &TestDb) {
    let world = World::create(store(db)).await;
    let visit = in_hours(72);
    let [a, b] = world.slots(&world.self_service, &[visit, in_hours(96)], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let due = now() - Duration::seconds(1);
    let (x, y) = (new_booking(a, &anna), new_booking(b, &anna));
    world
        .store
        .book(&x, None, &with_reminders(x.id, visit, due, 1))
        .await
        .unwrap();
    world
        .store
        .book(&y, None, &with_reminders(y.id, in_hours(96), due, 1))
        .await
        .unwrap();
    let worker = uuid::Uuid::new_v4();
    let claimed = claim_all(&world.store, worker, Duration::seconds(60)).await;
    assert_eq!(claimed.len(), 2);
    assert!(claimed
        .iter()
        .all(|e| matches!(e.payload, OutboxPayload::Reminder { .. })));
    let row_of = |booking: BookingId| {
        claimed
            .iter()
            .find(|e| matches!(e.payload, OutboxPayload::Reminder { booking_id, .. } if booking_id == booking))
            .map(|e| e.id)
            .unwrap()
    };

    // Cancelled after the claim, before the hand-over: not sent, cancelled.
    world
        .store
        .cancel(x.id, &cancellation(&anna), &NO_EFFECTS)
        .await
        .unwrap();
    assert!(!world.store.begin_send(row_of(x.id), worker).await.unwrap());
    assert_eq!(statuses(&world.store, x.id).await, [OutboxStatus::Cancelled]);

    // Handed over first: a cancellation then leaves it to be sent, never
    // both sent and cancelled.
    assert!(world.store.begin_send(row_of(y.id), worker).await.unwrap());
    world
        .store
        .cancel(y.id, &cancellation(&anna), &NO_EFFECTS)
        .await
        .unwrap();
    assert_eq!(statuses(&world.store, y.id).await, [OutboxStatus::Sending]);
    assert!(world.store.mark_sent(row_of(y.id), worker, now()).await.unwrap());
    assert_eq!(statuses(&world.store, y.id).await, [OutboxStatus::Sent]);
    assert!(
        !world.store.begin_send(row_of(y.id), worker).await.unwrap(),
        "a sent row is not handed over again"
    );
    assert_eq!(statuses(&world.store, y.id).await, [OutboxStatus::Sent]);
}

pub async fn a_send_cut_off_by_a_crash_is_claimed_again_and_skips_are_final(db: &TestDb) {
    let world = World::create(store(db)).await;
    let visit = in_hours(72);
    let [a] = world.slots(&world.self_service, &[visit], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let x = new_booking(a, &anna);
    world
        .store
        .book(&x, None, &with_reminders(x.id, visit, now() - Duration::seconds(1), 2))
        .await
        .unwrap();
    let dead = uuid::Uuid::new_v4();
    let claimed = claim_all(&world.store, dead, Duration::milliseconds(1)).await;
    assert_eq!(claimed.len(), 2);
    assert!(world.store.begin_send(claimed[0].id, dead).await.unwrap());
    // The worker dies while sending; its lease runs out.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let next = uuid::Uuid::new_v4();
    let again = claim_all(&world.store, next, Duration::seconds(60)).await;
    let mut ids: Vec<_> = again.iter().map(|e| e.id).collect();
    ids.sort();
    let mut expected: Vec<_> = claimed.iter().map(|e| e.id).collect();
    expected.sort();
    assert_eq!(ids, expected, "the one cut off mid-send and the one never started");
    assert!(again.iter().all(|e| e.attempts == 2));
    assert!(
        !world.store.mark_sent(claimed[0].id, dead, now()).await.unwrap(),
        "the dead worker's claim is gone"
    );
    assert!(world.store.begin_send(claimed[0].id, next).await.unwrap());
    assert!(world.store.mark_sent(claimed[0].id, next, now()).await.unwrap());
    assert!(world.store.mark_skipped(claimed[1].id, next, now()).await.unwrap());
    let mut final_statuses = statuses(&world.store, x.id).await;
    final_statuses.sort_by_key(|s| format!("{s:?}"));
    assert_eq!(final_statuses, [OutboxStatus::Sent, OutboxStatus::Skipped]);
    assert!(claim_all(&world.store, next, Duration::seconds(60)).await.is_empty());
}

/// A reminder a worker handed over: its row, booking and the start it
/// reminds of.
type Handed = (uuid::Uuid, BookingId, DateTime<Utc>);

/// Workers deliver due reminders while residents cancel and rebook the same
/// bookings: every row ends sent or cancelled (none left pending or in
/// flight), no row is both, and every reminder that went out was handed
/// over while its booking still held that time; the new bookings' reminders
/// are all still waiting.
pub async fn racing_cancels_rebooks_and_deliveries_never_send_for_a_lost_time(db: &TestDb) {
    let world = Arc::new(World::create(store(db)).await);
    let n = 40;
    let starts: Vec<_> = (0..n).map(|i| in_hours(72) + Duration::minutes(15 * i)).collect();
    let targets: Vec<_> = (0..n).map(|i| in_hours(200) + Duration::minutes(15 * i)).collect();
    let slots = world.slots(&world.self_service, &starts, 15).await;
    let target_slots = world.slots(&world.self_service, &targets, 15).await;
    let mut residents = Vec::new();
    let mut bookings = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let resident = world.resident(&adult_pnr(i as u32 + 1)).await;
        let b = new_booking(*slot, &resident);
        world
            .store
            .book(
                &b,
                None,
                &with_reminders(b.id, starts[i], now() - Duration::seconds(1), 2),
            )
            .await
            .unwrap();
        residents.push(resident);
        bookings.push(b.id);
    }
    let bookings = Arc::new(bookings);
    let residents = Arc::new(residents);
    let targets = Arc::new(targets);

    // What the workers handed over: (row, booking, the start it reminds of).
    let handed: Arc<std::sync::Mutex<Vec<Handed>>> = Arc::default();
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let (world, handed) = (world.clone(), handed.clone());
        tasks.push(tokio::spawn(async move {
            let worker = uuid::Uuid::new_v4();
            for _ in 0..200 {
                let batch = world
                    .store
                    .claim_due(worker, now(), Duration::seconds(60), 3)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    tokio::task::yield_now().await;
                    continue;
                }
                for e in batch {
                    let OutboxPayload::Reminder {
                        booking_id,
                        visit_starts_at,
                    } = e.payload
                    else {
                        continue;
                    };
                    if world.store.begin_send(e.id, worker).await.unwrap() {
                        handed.lock().unwrap().push((e.id, booking_id, visit_starts_at));
                        tokio::task::yield_now().await;
                        assert!(world.store.mark_sent(e.id, worker, now()).await.unwrap());
                    }
                }
            }
        }));
    }
    let mut changes = Vec::new();
    for i in 0..n as usize {
        let (world, bookings, residents, targets) =
            (world.clone(), bookings.clone(), residents.clone(), targets.clone());
        let target = target_slots[i];
        changes.push(tokio::spawn(async move {
            let id = bookings[i];
            if i % 2 == 0 {
                world
                    .store
                    .cancel(id, &cancellation(&residents[i]), &NO_EFFECTS)
                    .await
                    .unwrap();
                None
            } else {
                let r = rebooking(id, target, &residents[i]);
                let later = in_hours(150);
                world
                    .store
                    .rebook(&r, None, &with_reminders(r.new_booking_id, targets[i], later, 2))
                    .await
                    .unwrap();
                Some(r.new_booking_id)
            }
        }));
    }
    let mut new_bookings = Vec::new();
    for c in changes {
        new_bookings.extend(c.await.unwrap());
    }
    for t in tasks {
        t.await.unwrap();
    }

    let handed = handed.lock().unwrap().clone();
    for id in bookings.iter() {
        for row in world.store.reminders(*id).await.unwrap() {
            let was_handed = handed.iter().any(|(r, _, _)| *r == row.id);
            match row.status {
                OutboxStatus::Sent => assert!(was_handed, "sent without a hand-over"),
                OutboxStatus::Cancelled => assert!(!was_handed, "handed over and then cancelled"),
                other => panic!("a reminder of a changed booking left {other:?}"),
            }
        }
    }
    for (_, booking, start) in &handed {
        assert!(bookings.contains(booking), "only the old bookings' reminders were due");
        let details = world.store.booking(*booking).await.unwrap().unwrap();
        assert_eq!(details.slot.starts_at, *start);
    }
    for id in &new_bookings {
        assert_eq!(statuses(&world.store, *id).await, [OutboxStatus::Pending; 2]);
    }
}
