//! Rule 19: an invitation makes one booking, only until its window ends, and
//! only with the booking in the same transaction.

use super::*;
use tidbok_domain::invitations::*;

fn invitation(world: &World, resident: &Resident, from: NaiveDate, until: NaiveDate) -> Invitation {
    Invitation {
        id: InvitationId::generate(),
        unit_id: world.unit.id,
        appointment_type_id: world.visible.id,
        resident_id: resident.id,
        valid_from: from,
        valid_until: until,
        created_by: StaffId::generate(),
        created_at: now(),
        used_at: None,
        booking_id: None,
    }
}

pub async fn an_invitation_makes_one_booking_and_is_listed_until_used(db: &TestDb) {
    let world = World::create(store(db)).await;
    let today = local_date(now());
    let starts = [in_hours(72), in_hours(96)];
    let slots = world.slots(&world.visible, &starts, 15).await;
    let anna = world.resident(&adult_pnr(1)).await;
    let i = invitation(&world, &anna, today, today + Duration::days(14));
    world.store.create_invitation(&i, &NO_EFFECTS).await.unwrap();
    let listed = world.store.resident_invitations(anna.id, today).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].invitation, i);
    assert_eq!(listed[0].appointment_type.id, world.visible.id);
    assert_eq!(listed[0].resident.id, anna.id);

    // A slot already taken: nothing booked, the invitation still unused.
    let bertil = world.resident(&adult_pnr(2)).await;
    world
        .store
        .book(&new_booking(slots[0], &bertil), None, &NO_EFFECTS)
        .await
        .unwrap();
    let taken = world
        .store
        .book_invited(&new_booking(slots[0], &anna), i.id, today, &NO_EFFECTS)
        .await;
    assert!(
        matches!(taken, Err(StoreError::Conflict(Conflict::SlotTaken))),
        "{taken:?}"
    );
    assert_eq!(
        world.store.invitation(i.id).await.unwrap().unwrap().invitation.used_at,
        None
    );

    let booked = world
        .store
        .book_invited(&new_booking(slots[1], &anna), i.id, today, &NO_EFFECTS)
        .await
        .unwrap();
    let used = world.store.invitation(i.id).await.unwrap().unwrap().invitation;
    assert_eq!(used.booking_id, Some(booked));
    assert_eq!(used.status(today), InvitationStatus::Used);
    assert!(world
        .store
        .resident_invitations(anna.id, today)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(world.store.unit_invitations(world.unit.id, 10).await.unwrap().len(), 1);

    // Used once: a second booking with it is refused, and books nothing.
    let [third] = world.slots(&world.visible, &[in_hours(120)], 15).await[..] else {
        unreachable!()
    };
    let again = world
        .store
        .book_invited(&new_booking(third, &anna), i.id, today, &NO_EFFECTS)
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(Conflict::InvitationUsed))),
        "{again:?}"
    );
    assert!(is_free(&world, third).await);
}

async fn is_free(world: &World, slot: SlotId) -> bool {
    world.store.slot(slot).await.unwrap().unwrap().slot.booking_id.is_none()
}

pub async fn an_ended_or_someone_elses_invitation_books_nothing(db: &TestDb) {
    let world = World::create(store(db)).await;
    let today = local_date(now());
    let [slot] = world.slots(&world.visible, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let bertil = world.resident(&adult_pnr(2)).await;
    let ended = invitation(&world, &anna, today - Duration::days(10), today - Duration::days(1));
    world.store.create_invitation(&ended, &NO_EFFECTS).await.unwrap();
    let refused = world
        .store
        .book_invited(&new_booking(slot, &anna), ended.id, today, &NO_EFFECTS)
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(Conflict::InvitationUsed))),
        "{refused:?}"
    );
    assert!(world
        .store
        .resident_invitations(anna.id, today)
        .await
        .unwrap()
        .is_empty());
    let hers = invitation(&world, &anna, today, today + Duration::days(5));
    world.store.create_invitation(&hers, &NO_EFFECTS).await.unwrap();
    let theirs = world
        .store
        .book_invited(&new_booking(slot, &bertil), hers.id, today, &NO_EFFECTS)
        .await;
    assert!(
        matches!(theirs, Err(StoreError::Conflict(Conflict::InvitationUsed))),
        "{theirs:?}"
    );
    assert!(is_free(&world, slot).await);
    // The window must not end before it starts (named constraint).
    let backwards = Invitation {
        id: InvitationId::generate(),
        valid_until: today - Duration::days(1),
        ..hers
    };
    assert!(world.store.create_invitation(&backwards, &NO_EFFECTS).await.is_err());
}

pub async fn concurrent_bookings_with_one_invitation_make_one(db: &TestDb) {
    let world = Arc::new(World::create(store(db)).await);
    let today = local_date(now());
    let starts: Vec<_> = (0..8).map(|i| in_hours(72) + Duration::minutes(15 * i)).collect();
    let slots = world.slots(&world.visible, &starts, 15).await;
    let anna = world.resident(&adult_pnr(1)).await;
    let i = invitation(&world, &anna, today, today + Duration::days(14));
    world.store.create_invitation(&i, &NO_EFFECTS).await.unwrap();
    let tasks: Vec<_> = slots
        .iter()
        .map(|slot| {
            let (world, anna, slot) = (world.clone(), anna.clone(), *slot);
            tokio::spawn(async move {
                world
                    .store
                    .book_invited(&new_booking(slot, &anna), i.id, today, &NO_EFFECTS)
                    .await
            })
        })
        .collect();
    let mut made = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => made += 1,
            Err(StoreError::Conflict(Conflict::InvitationUsed)) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(made, 1);
    let booked = db.count("SELECT COUNT(*) FROM bookings WHERE status = 'booked'").await;
    assert_eq!(booked, 1, "one booking, whatever the order");
}
