//! `StaffDesk`: the unit's appointment book (views, staff bookings, moves,
//! cancellations, arrival, voiding, hide-in-portal, the summons, the
//! cancellation feed) and its scheduling (templates, publishing, one-day
//! changes, the horizon report), each read and change of a resident's data
//! logged.

use crate::support::*;
use chrono::{Duration, NaiveDate, Weekday};
use tidbok_domain::holidays::Holiday;
use tidbok_domain::ports::Clock;
use tidbok_domain::schedule::BlockError;
use tidbok_domain::staff::Permission;
use tidbok_domain::usecases::*;
use tidbok_domain::*;
use tidbok_store::testing::fixture::adult_pnr;

/// Good Friday and Easter Monday 2026 (rule 22).
fn easter() -> [(NaiveDate, Holiday); 2] {
    [(day(32), Holiday::GoodFriday), (day(35), Holiday::EasterMonday)]
}

fn ad_hoc(
    env: &Env,
    ty: &AppointmentType,
    starts_at: chrono::DateTime<chrono::Utc>,
    minutes: u16,
) -> StaffBookingTarget {
    StaffBookingTarget::AdHoc {
        practitioner: env.world.practitioner.id,
        appointment_type: ty.id,
        starts_at,
        length_minutes: minutes,
    }
}

/// The free slots of `ty` on `date`, as the portal finds them.
async fn free(env: &Env, ty: &AppointmentType, date: NaiveDate) -> Vec<SlotId> {
    let query = tidbok_domain::ports::FreeSlotQuery {
        unit_id: env.world.unit.id,
        appointment_type_id: ty.id,
        practitioner_id: None,
        length_minutes: None,
        from: date,
        to: date,
        starting_after: env.clock.now(),
    };
    let slots = env.store().free_slots(&query).await.expect("free slots");
    slots.into_iter().map(|s| s.slot.id).collect()
}

// --- the unit, its practitioners and catalogue ---

#[tokio::test]
async fn the_desk_tells_the_time_by_its_clock() {
    let env = Env::new().await;
    env.clock.set(at(day(3), 7, 30));

    assert_eq!(env.desk().now(), at(day(3), 7, 30));
}

#[tokio::test]
async fn a_unit_is_staffs_own_another_is_forbidden_and_an_unknown_one_not_found() {
    let env = Env::new().await;
    let desk = env.desk();
    let unit = env.world.unit.id;

    let own = desk.unit_for(&env.staff(), unit, Permission::KeepBook).await;
    let other = desk.unit_for(&staff_elsewhere(), unit, Permission::KeepBook).await;
    let unknown = desk
        .unit_for(&env.staff(), UnitId::generate(), Permission::KeepBook)
        .await;

    assert_eq!(own.expect("own unit"), env.world.unit);
    assert_matches!(other, Err(DeskError::Forbidden));
    assert_matches!(unknown, Err(DeskError::NotFound));
}

#[tokio::test]
async fn staff_and_regional_admins_list_the_units_practitioners_others_may_not() {
    let env = Env::new().await;
    let colleague = env.colleague().await;
    let desk = env.desk();

    let mut seen = desk
        .practitioners(&env.staff(), env.world.unit.id)
        .await
        .expect("listed");
    let regional = desk.practitioners(&env.regional_admin(), env.world.unit.id).await;
    let other = desk.practitioners(&staff_elsewhere(), env.world.unit.id).await;

    seen.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(seen, [env.world.practitioner.clone(), colleague]);
    assert!(regional.is_ok(), "the horizon needs them: {regional:?}");
    assert_matches!(other, Err(DeskError::Forbidden));
}

#[tokio::test]
async fn the_units_catalogue_is_the_regions_types_not_retired() {
    let env = Env::new().await;
    let retired = AppointmentType {
        retired: true,
        ..env.world.visible.clone()
    };
    env.store().update_appointment_type(&retired).await.expect("retire");
    let desk = env.desk();

    let catalogue = desk
        .unit_catalogue(&env.staff(), env.world.unit.id)
        .await
        .expect("catalogue");
    let regional = desk.unit_catalogue(&env.regional_admin(), env.world.unit.id).await;

    let mut names: Vec<_> = catalogue.iter().map(|t| t.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Administration internt",
            "Diabetessköterska Återbesök 1177",
            "Mottagningstid",
            "Provtagning 1177",
            "Sjukgymnast Nybesök 1177",
        ]
    );
    assert_matches!(regional, Err(DeskError::Forbidden), "no scheduling");
}

// --- the appointment book ---

#[tokio::test]
async fn the_book_shows_every_slot_with_every_booking_it_has_had_and_logs_each_resident_once() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let first = env.booked_online(&anna, at(day(2), 10, 0)).await;
    let slot = env.booking(first).await.slot.id;
    env.clock.set(now() + Duration::minutes(1));
    env.cancelled_online(&anna, first).await;
    let second = env.portal().book(&erik, online(slot), None).await.expect("rebooked");
    let second = second.value().details.booking.id;
    let another = env.booked_online(&anna, at(day(2), 11, 0)).await;
    let empty = env.slot(&env.world.self_service, at(day(2), 12, 0)).await;

    let book = env
        .desk()
        .appointment_book(&env.staff(), env.world.unit.id, day(2), day(2), None)
        .await
        .expect("book");

    let seen: Vec<_> = book
        .iter()
        .map(|s| {
            (
                s.slot.slot.id,
                s.bookings.iter().map(|(b, r)| (b.id, b.status, r.id)).collect(),
            )
        })
        .collect();
    let another_slot = env.booking(another).await.slot.id;
    assert_eq!(
        seen,
        [
            (
                slot,
                vec![
                    (first, BookingStatus::Cancelled, anna.id),
                    (second, BookingStatus::Booked, erik.id)
                ]
            ),
            (another_slot, vec![(another, BookingStatus::Booked, anna.id)]),
            (empty, vec![]),
        ],
        "rule 11: the cancelled booking stays in the book"
    );
    assert_eq!(env.logged(&anna).await, [(AccessAction::ViewBook, None)]);
    assert_eq!(env.logged(&erik).await, [(AccessAction::ViewBook, None)]);
}

#[tokio::test]
async fn a_book_without_bookings_logs_nothing() {
    let env = Env::new().await;
    env.slot(&env.world.self_service, at(day(2), 10, 0)).await;

    let book = env
        .desk()
        .appointment_book(&env.staff(), env.world.unit.id, day(2), day(2), None)
        .await;

    assert_eq!(book.expect("book").len(), 1);
    assert!(env.unit_log().await.is_empty());
}

#[tokio::test]
async fn a_book_of_one_practitioner_leaves_the_others_out() {
    let env = Env::new().await;
    let colleague = env.colleague().await;
    let w = &env.world;
    let own = env.slot(&w.self_service, at(day(2), 10, 0)).await;
    w.slots_for(colleague.id, &w.self_service, &[at(day(2), 10, 0)], 15)
        .await;

    let book = env
        .desk()
        .appointment_book(&env.staff(), w.unit.id, day(2), day(2), Some(w.practitioner.id))
        .await
        .expect("book");

    let ids: Vec<_> = book.iter().map(|s| s.slot.slot.id).collect();
    assert_eq!(ids, [own]);
}

#[tokio::test]
async fn a_book_view_ending_before_it_starts_or_longer_than_31_days_is_refused() {
    let env = Env::new().await;
    let (desk, staff, unit) = (env.desk(), env.staff(), env.world.unit.id);

    let backwards = desk.appointment_book(&staff, unit, day(3), day(2), None).await;
    let too_long = desk.appointment_book(&staff, unit, day(0), day(31), None).await;
    let longest = desk.appointment_book(&staff, unit, day(0), day(30), None).await;

    assert_matches!(backwards, Err(DeskError::EndBeforeStart));
    assert_matches!(too_long, Err(DeskError::InvalidRange(_)), "32 days");
    assert!(longest.is_ok(), "31 days: {longest:?}");
}

#[tokio::test]
async fn the_book_is_forbidden_to_staff_of_other_units_and_to_regional_admins() {
    let env = Env::new().await;
    let (desk, unit) = (env.desk(), env.world.unit.id);

    for who in [staff_elsewhere(), env.regional_admin()] {
        let result = desk.appointment_book(&who, unit, day(2), day(2), None).await;

        assert_matches!(result, Err(DeskError::Forbidden), "{:?}", who.role);
    }
    let unknown = desk
        .appointment_book(&env.staff(), UnitId::generate(), day(2), day(2), None)
        .await;
    assert_matches!(unknown, Err(DeskError::NotFound));
}

// --- one booking and its summons ---

#[tokio::test]
async fn staff_read_a_booking_with_its_resident_and_the_read_is_logged() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;

    let (details, resident) = env.desk().booking(&env.staff(), booking).await.expect("read");

    assert_eq!(details, env.booking(booking).await);
    assert_eq!(resident, anna);
    assert_eq!(env.logged(&anna).await, [(AccessAction::ViewBooking, Some(booking))]);
}

#[tokio::test]
async fn printing_a_summons_is_logged() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;

    let (details, resident) = env.desk().summons(&env.staff(), booking).await.expect("summons");

    assert_eq!((details.booking.id, resident.id), (booking, anna.id));
    assert_eq!(env.logged(&anna).await, [(AccessAction::PrintSummons, Some(booking))]);
}

#[tokio::test]
async fn a_booking_of_another_unit_is_not_found_and_nothing_is_logged() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let anna = env.resident(1).await;
    let theirs = env.booked_online_at(&other, &anna, at(day(2), 10, 0)).await;
    let desk = env.desk();

    for id in [theirs, BookingId::generate()] {
        let read = desk.booking(&env.staff(), id).await;
        let summons = desk.summons(&env.staff(), id).await;

        assert_matches!(read, Err(DeskError::NotFound), "{id}");
        assert_matches!(summons, Err(DeskError::NotFound), "{id}");
    }
    assert!(env.logged(&anna).await.is_empty());
}

// --- booking a resident ---

#[tokio::test]
async fn staff_book_a_resident_by_number_who_is_recorded_notified_and_logged() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.cancelable, at(day(2), 10, 0)).await;
    let pnr = pnr_of(&adult_pnr(7));
    let request = by_staff(&pnr, StaffBookingTarget::Slot(slot));
    let staff = env.staff();

    let (details, resident) = env
        .desk()
        .book_resident(&staff, env.world.unit.id, request)
        .await
        .expect("booked");

    assert_eq!(resident.pnr, pnr, "the resident is recorded at their first booking");
    assert_eq!(details.slot.id, slot);
    assert_eq!(details.booking.booked_by, Actor::Staff(staff.id));
    assert_eq!(details.booking.booked_at, now());
    assert_eq!(env.inbox(&resident).await, [NotificationKind::BookedByStaff], "rule 10");
    assert_eq!(
        env.logged(&resident).await,
        [(AccessAction::Book, Some(details.booking.id))]
    );
}

#[tokio::test]
async fn staff_book_at_an_ad_hoc_time_which_withdraws_the_free_slots_it_covers() {
    let env = Env::new().await;
    let w = &env.world;
    let covered = env.slot(&w.self_service, at(day(2), 13, 15)).await;
    let anna = env.resident(1).await;
    let target = ad_hoc(&env, &w.cancelable, at(day(2), 13, 0), 20);

    let (details, _) = env.staff_book(by_staff(&anna.pnr, target)).await.expect("booked");

    assert_eq!(
        (details.slot.starts_at, details.slot.ends_at),
        (at(day(2), 13, 0), at(day(2), 13, 20))
    );
    assert_eq!(details.appointment_type.id, w.cancelable.id);
    assert!(!env.is_free(covered).await, "the free slot under it is withdrawn");
    assert_eq!(env.inbox(&anna).await, [NotificationKind::BookedByStaff], "rule 10");
}

#[tokio::test]
async fn an_ad_hoc_time_colliding_with_a_booking_of_the_practitioner_is_refused() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    env.booked_online(&anna, at(day(2), 13, 15)).await;
    let target = ad_hoc(&env, &env.world.cancelable, at(day(2), 13, 0), 20);

    let result = env.staff_book(by_staff(&anna.pnr, target)).await;

    assert_matches!(result, Err(DeskError::Overlap));
}

#[tokio::test]
async fn a_taken_or_withdrawn_slot_cannot_be_booked_by_staff() {
    let env = Env::new().await;
    let w = &env.world;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let eriks = env.booked_online(&erik, at(day(2), 10, 0)).await;
    let taken = env.booking(eriks).await.slot.id;
    let withdrawn = env.slot(&w.self_service, at(day(2), 13, 0)).await;
    env.staff_book(by_staff(&erik.pnr, ad_hoc(&env, &w.cancelable, at(day(2), 12, 55), 30)))
        .await
        .expect("an ad-hoc time over the 13:00 slot");

    for slot in [taken, withdrawn] {
        let result = env
            .staff_book(by_staff(&anna.pnr, StaffBookingTarget::Slot(slot)))
            .await;

        assert_matches!(result, Err(DeskError::SlotTaken), "{slot}");
    }
    assert!(env.inbox(&anna).await.is_empty());
}

#[tokio::test]
async fn a_slot_or_practitioner_of_another_unit_is_not_found() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let anna = env.resident(1).await;
    let their_slot = other.slots(&other.self_service, &[at(day(2), 10, 0)], 15).await[0];
    let their_practitioner = StaffBookingTarget::AdHoc {
        practitioner: other.practitioner.id,
        appointment_type: env.world.cancelable.id,
        starts_at: at(day(2), 10, 0),
        length_minutes: 15,
    };
    let unknown_practitioner = StaffBookingTarget::AdHoc {
        practitioner: PractitionerId::generate(),
        appointment_type: env.world.cancelable.id,
        starts_at: at(day(2), 10, 0),
        length_minutes: 15,
    };

    for target in [
        StaffBookingTarget::Slot(their_slot),
        StaffBookingTarget::Slot(SlotId::generate()),
        their_practitioner,
        unknown_practitioner,
    ] {
        let result = env.staff_book(by_staff(&anna.pnr, target.clone())).await;

        assert_matches!(result, Err(DeskError::NotFound), "{target:?}");
    }
}

#[tokio::test]
async fn an_ad_hoc_time_of_another_regions_retired_or_unknown_type_is_refused() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let retired = AppointmentType {
        retired: true,
        ..env.world.visible.clone()
    };
    env.store().update_appointment_type(&retired).await.expect("retire");
    let anna = env.resident(1).await;
    let unknown = AppointmentType {
        id: AppointmentTypeId::generate(),
        ..env.world.cancelable.clone()
    };

    for ty in [&other.cancelable, &retired, &unknown] {
        let target = ad_hoc(&env, ty, at(day(2), 10, 0), 15);
        let result = env.staff_book(by_staff(&anna.pnr, target)).await;

        assert_matches!(result, Err(DeskError::TypeNotUsable), "{}", ty.name);
    }
}

#[tokio::test]
async fn an_ad_hoc_time_of_an_impossible_length_is_refused() {
    let env = Env::new().await;
    let anna = env.resident(1).await;

    for minutes in [4, 481] {
        let target = ad_hoc(&env, &env.world.cancelable, at(day(2), 10, 0), minutes);
        let result = env.staff_book(by_staff(&anna.pnr, target)).await;

        assert_matches!(
            result,
            Err(DeskError::InvalidBlock {
                error: BlockError::SlotLength,
                ..
            }),
            "{minutes} minutes"
        );
    }
}

#[tokio::test]
async fn staff_cannot_book_a_time_that_has_started_even_this_very_minute() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let started = env.slot(&env.world.cancelable, now() - Duration::minutes(10)).await;
    let starting = env.slot(&env.world.cancelable, now()).await;
    let ad_hoc_started = ad_hoc(&env, &env.world.cancelable, now() - Duration::minutes(30), 15);

    for target in [
        StaffBookingTarget::Slot(started),
        StaffBookingTarget::Slot(starting),
        ad_hoc_started,
    ] {
        let result = env.staff_book(by_staff(&anna.pnr, target.clone())).await;

        assert_matches!(result, Err(DeskError::StartsInPast), "rule 20: {target:?}");
    }
    assert!(env.is_free(started).await && env.is_free(starting).await);
}

#[tokio::test]
async fn a_visit_recorded_after_the_fact_notifies_no_one_and_is_logged_as_such() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let started = env.slot(&env.world.cancelable, now() - Duration::minutes(10)).await;
    let request = after_the_fact(&anna.pnr, started);

    let (details, _) = env.staff_book(request).await.expect("recorded");

    assert_eq!(details.slot.id, started);
    assert!(env.inbox(&anna).await.is_empty(), "rule 20: no one is told");
    assert_eq!(
        env.logged(&anna).await,
        [(AccessAction::RecordAfterTheFact, Some(details.booking.id))],
        "rule 20"
    );
}

#[tokio::test]
async fn a_time_not_yet_started_cannot_be_recorded_after_the_fact() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let future = env.slot(&env.world.cancelable, now() + Duration::minutes(1)).await;
    let request = after_the_fact(&anna.pnr, future);

    let result = env.staff_book(request).await;

    assert_matches!(result, Err(DeskError::NotAfterTheFact), "rule 20");
    assert!(env.is_free(future).await);
}

#[tokio::test]
async fn a_booking_of_a_hidden_type_or_hidden_in_the_portal_notifies_no_one_but_is_logged() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let hidden_type = env.slot(&env.world.hidden, at(day(2), 10, 0)).await;
    let hidden_booking = env.slot(&env.world.cancelable, at(day(2), 11, 0)).await;
    let requests = [
        by_staff(&anna.pnr, StaffBookingTarget::Slot(hidden_type)),
        StaffBooking {
            hidden_in_portal: true,
            ..by_staff(&anna.pnr, StaffBookingTarget::Slot(hidden_booking))
        },
    ];

    for request in requests {
        let result = env.staff_book(request).await;

        assert!(result.is_ok(), "{result:?}");
    }
    assert!(env.inbox(&anna).await.is_empty(), "rule 21");
    let actions: Vec<_> = env.logged(&anna).await.into_iter().map(|(a, _)| a).collect();
    assert_eq!(actions, [AccessAction::Book, AccessAction::Book]);
}

#[tokio::test]
async fn booking_a_resident_is_forbidden_outside_ones_units_and_to_regional_admins() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let slot = env.slot(&env.world.cancelable, at(day(2), 10, 0)).await;

    for who in [staff_elsewhere(), env.regional_admin()] {
        let request = by_staff(&anna.pnr, StaffBookingTarget::Slot(slot));
        let result = env.desk().book_resident(&who, env.world.unit.id, request).await;

        assert_matches!(result, Err(DeskError::Forbidden), "{:?}", who.role);
    }
    assert!(env.is_free(slot).await);
}

// --- looking a resident up ---

#[tokio::test]
async fn looking_up_a_known_resident_names_them_and_is_logged() {
    let env = Env::new().await;
    let anna = env.resident(1).await;

    let found = env
        .desk()
        .look_up_resident(&env.staff(), env.world.unit.id, &anna.pnr)
        .await
        .expect("looked up");

    assert_eq!(found, Some(anna.clone()));
    assert_eq!(env.logged(&anna).await, [(AccessAction::LookUpResident, None)]);
}

#[tokio::test]
async fn looking_up_an_unknown_number_finds_no_one_and_writes_nothing() {
    let env = Env::new().await;
    let pnr = pnr_of(&adult_pnr(9));

    let found = env.desk().look_up_resident(&env.staff(), env.world.unit.id, &pnr).await;

    assert_eq!(found.expect("looked up"), None);
    assert_eq!(
        env.store().resident_by_pnr(&pnr).await.expect("read"),
        None,
        "no resident recorded"
    );
    assert!(env.unit_log().await.is_empty());
}

#[tokio::test]
async fn looking_a_resident_up_is_forbidden_outside_ones_units() {
    let env = Env::new().await;
    let anna = env.resident(1).await;

    let result = env
        .desk()
        .look_up_resident(&staff_elsewhere(), env.world.unit.id, &anna.pnr)
        .await;

    assert_matches!(result, Err(DeskError::Forbidden));
    assert!(env.logged(&anna).await.is_empty());
}

// --- rebooking by staff ---

#[tokio::test]
async fn staff_move_a_booking_to_any_free_slot_of_the_unit_and_the_resident_is_told() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;
    let colleague = env.colleague().await;
    let target = env
        .world
        .slots_for(colleague.id, &env.world.visible, &[at(day(5), 14, 0)], 30)
        .await[0];

    let (moved, _) = env.desk().rebook(&env.staff(), booking, target).await.expect("moved");

    assert_eq!(moved.slot.id, target, "rule 5 binds the portal, not staff");
    assert_eq!(moved.booking.rebooked_from, Some(booking));
    assert_eq!(env.booking(booking).await.booking.status, BookingStatus::Rebooked);
    assert_eq!(
        env.inbox(&anna).await,
        [NotificationKind::BookedByStaff, NotificationKind::RebookedByStaff],
        "rule 10"
    );
    let actions: Vec<_> = env.logged(&anna).await;
    assert!(actions.contains(&(AccessAction::Rebook, Some(booking))), "{actions:?}");
}

#[tokio::test]
async fn a_booking_hidden_in_the_portal_is_moved_without_a_word() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let slot = env.slot(&env.world.cancelable, at(day(2), 10, 0)).await;
    let request = StaffBooking {
        hidden_in_portal: true,
        ..by_staff(&anna.pnr, StaffBookingTarget::Slot(slot))
    };
    let (booking, _) = env.staff_book(request).await.expect("booked");
    let target = env.slot(&env.world.cancelable, at(day(3), 10, 0)).await;

    let (moved, _) = env
        .desk()
        .rebook(&env.staff(), booking.booking.id, target)
        .await
        .expect("moved");

    assert!(moved.booking.hidden_in_portal, "the flag moves with it");
    assert!(env.inbox(&anna).await.is_empty(), "rule 21");
}

#[tokio::test]
async fn staff_cannot_move_a_booking_to_a_taken_started_or_foreign_slot() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let booking = env
        .booked_by_staff(&anna, &env.world.cancelable, at(day(2), 10, 0))
        .await;
    let eriks = env
        .booked_by_staff(&erik, &env.world.cancelable, at(day(3), 10, 0))
        .await;
    let eriks_slot = env.booking(eriks).await.slot.id;
    let started_slot = env.slot(&env.world.cancelable, now() - Duration::minutes(5)).await;
    let foreign_slot = other.slots(&other.cancelable, &[at(day(3), 11, 0)], 15).await[0];
    let desk = env.desk();

    let taken = desk.rebook(&env.staff(), booking, eriks_slot).await;
    let started = desk.rebook(&env.staff(), booking, started_slot).await;
    let foreign = desk.rebook(&env.staff(), booking, foreign_slot).await;
    let unknown = desk.rebook(&env.staff(), booking, SlotId::generate()).await;

    assert_matches!(taken, Err(DeskError::SlotTaken));
    assert_matches!(started, Err(DeskError::StartsInPast), "rule 20");
    assert_matches!(foreign, Err(DeskError::NotFound));
    assert_matches!(unknown, Err(DeskError::NotFound));
    assert_eq!(env.booking(booking).await.booking.status, BookingStatus::Booked);
}

#[tokio::test]
async fn a_cancelled_booking_cannot_be_moved_and_another_units_is_not_found() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let (anna, cancelled) = env.anna_booked_by_staff().await;
    env.cancelled_by_staff(cancelled).await;
    let target = env.slot(&env.world.cancelable, at(day(3), 10, 0)).await;
    let elsewhere = env.booked_online_at(&other, &anna, at(day(4), 10, 0)).await;

    let inactive = env.desk().rebook(&env.staff(), cancelled, target).await;
    let foreign = env.desk().rebook(&env.staff(), elsewhere, target).await;

    assert_matches!(inactive, Err(DeskError::BookingNotActive));
    assert_matches!(foreign, Err(DeskError::NotFound));
    assert!(env.is_free(target).await);
}

// --- cancelling by staff ---

#[tokio::test]
async fn staff_cancel_with_a_reason_the_resident_is_told_and_the_change_logged() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;
    let staff = env.staff();

    let (cancelled, _) = env
        .desk()
        .cancel(&staff, booking, reason("Sjuk personal"))
        .await
        .expect("cancelled");

    let cancellation = cancelled.booking.cancellation.expect("rule 4");
    assert_eq!(
        (cancellation.reason.as_str(), cancellation.by, cancellation.at),
        ("Sjuk personal", Actor::Staff(staff.id), now())
    );
    assert!(env.is_free(cancelled.slot.id).await);
    assert_eq!(
        env.inbox(&anna).await,
        [NotificationKind::BookedByStaff, NotificationKind::CancelledByStaff],
        "rule 10"
    );
    assert!(env.logged(&anna).await.contains(&(AccessAction::Cancel, Some(booking))));
}

#[tokio::test]
async fn where_the_region_switched_notices_off_a_staff_cancellation_is_silent_but_logged() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;
    env.notify_on_staff_cancel(false).await;

    env.cancelled_by_staff(booking).await;

    assert_eq!(env.inbox(&anna).await, [NotificationKind::BookedByStaff], "rule 10");
    assert!(env.logged(&anna).await.contains(&(AccessAction::Cancel, Some(booking))));
}

#[tokio::test]
async fn cancelling_a_booking_of_a_hidden_type_tells_no_one() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let booking = env.booked_by_staff(&anna, &env.world.hidden, at(day(2), 10, 0)).await;

    let result = env.desk().cancel(&env.staff(), booking, reason("Inställt")).await;

    assert!(result.is_ok(), "{result:?}");
    assert!(env.inbox(&anna).await.is_empty(), "rule 21");
}

#[tokio::test]
async fn a_cancelled_booking_cannot_be_cancelled_again_and_another_units_is_not_found() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let (anna, booking) = env.anna_booked_by_staff().await;
    env.cancelled_by_staff(booking).await;
    let theirs = env.booked_online_at(&other, &anna, at(day(4), 10, 0)).await;

    let again = env.desk().cancel(&env.staff(), booking, reason("Sjuk")).await;
    let foreign = env.desk().cancel(&env.staff(), theirs, reason("Sjuk")).await;

    assert_matches!(again, Err(DeskError::BookingNotActive));
    assert_matches!(foreign, Err(DeskError::NotFound));
}

// --- arrival ---

#[tokio::test]
async fn staff_mark_a_resident_arrived_which_keeps_the_slot_and_tells_no_one() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;

    let (arrived, _) = env.desk().mark_arrived(&env.staff(), booking).await.expect("arrived");

    assert_eq!(arrived.booking.status, BookingStatus::Arrived);
    assert!(!env.is_free(arrived.slot.id).await);
    assert_eq!(env.inbox(&anna).await, [NotificationKind::BookedByStaff]);
    assert!(env
        .logged(&anna)
        .await
        .contains(&(AccessAction::MarkArrived, Some(booking))));
}

#[tokio::test]
async fn only_a_booked_booking_can_be_marked_arrived() {
    let env = Env::new().await;
    let (anna, arrived) = env.anna_booked_by_staff().await;
    env.arrived(arrived).await;
    let cancelled = env
        .booked_by_staff(&anna, &env.world.cancelable, at(day(3), 10, 0))
        .await;
    env.cancelled_by_staff(cancelled).await;

    for id in [arrived, cancelled] {
        let result = env.desk().mark_arrived(&env.staff(), id).await;

        assert_matches!(result, Err(DeskError::BookingNotActive), "{id}");
    }
    let unknown = env.desk().mark_arrived(&env.staff(), BookingId::generate()).await;
    assert_matches!(unknown, Err(DeskError::NotFound));
}

// --- entered in error ---

#[tokio::test]
async fn voiding_a_booking_the_resident_was_told_about_tells_them_it_is_void() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;

    let (voided, _) = env
        .desk()
        .mark_entered_in_error(&env.staff(), booking)
        .await
        .expect("voided");

    assert_eq!(
        voided.booking.status,
        BookingStatus::EnteredInError,
        "kept, never erased"
    );
    assert!(env.is_free(voided.slot.id).await);
    assert_eq!(
        env.inbox(&anna).await,
        [NotificationKind::BookedByStaff, NotificationKind::VoidedByStaff],
        "rule 21"
    );
    assert!(env
        .logged(&anna)
        .await
        .contains(&(AccessAction::MarkEnteredInError, Some(booking))));
}

#[tokio::test]
async fn voiding_a_booking_the_resident_was_never_told_about_is_silent() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let started = env.slot(&env.world.cancelable, now() - Duration::minutes(10)).await;
    let recorded = after_the_fact(&anna.pnr, started);
    let (recorded, _) = env.staff_book(recorded).await.expect("recorded");

    let result = env
        .desk()
        .mark_entered_in_error(&env.staff(), recorded.booking.id)
        .await;

    assert!(result.is_ok(), "{result:?}");
    assert!(
        env.inbox(&anna).await.is_empty(),
        "rule 21: never told, so nothing to take back"
    );
}

#[tokio::test]
async fn voiding_a_booking_hidden_since_it_was_told_is_silent() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;
    env.hide(booking).await;

    env.voided(booking).await;

    let messages = env.store().inbox(anna.id).await.expect("inbox");
    assert!(messages.is_empty(), "rule 21: {messages:?}");
    env.desk()
        .set_hidden_in_portal(&env.staff(), booking, false)
        .await
        .expect("shown");
    assert_eq!(
        env.inbox(&anna).await,
        [NotificationKind::BookedByStaff],
        "no void notice was written while it was hidden"
    );
}

#[tokio::test]
async fn where_the_region_switched_notices_off_voiding_is_silent() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;
    env.notify_on_staff_cancel(false).await;

    env.voided(booking).await;

    assert_eq!(env.inbox(&anna).await, [NotificationKind::BookedByStaff], "rule 21");
}

#[tokio::test]
async fn an_arrived_booking_can_be_voided_and_a_cancelled_one_cannot() {
    let env = Env::new().await;
    let (anna, arrived) = env.anna_booked_by_staff().await;
    env.arrived(arrived).await;
    let cancelled = env
        .booked_by_staff(&anna, &env.world.cancelable, at(day(3), 10, 0))
        .await;
    env.cancelled_by_staff(cancelled).await;

    let voided = env.desk().mark_entered_in_error(&env.staff(), arrived).await;
    let refused = env.desk().mark_entered_in_error(&env.staff(), cancelled).await;
    let unknown = env
        .desk()
        .mark_entered_in_error(&env.staff(), BookingId::generate())
        .await;

    assert!(voided.is_ok(), "{voided:?}");
    assert_matches!(refused, Err(DeskError::BookingNotActive));
    assert_matches!(unknown, Err(DeskError::NotFound));
}

// --- hide in portal ---

#[tokio::test]
async fn hiding_a_booking_in_the_portal_takes_its_messages_out_of_the_inbox_and_is_logged() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;

    let (hidden, _) = env
        .desk()
        .set_hidden_in_portal(&env.staff(), booking, true)
        .await
        .expect("hidden");

    assert!(hidden.booking.hidden_in_portal);
    assert!(env.inbox(&anna).await.is_empty(), "rule 21");
    assert!(env
        .logged(&anna)
        .await
        .contains(&(AccessAction::SetHiddenInPortal, Some(booking))));
}

#[tokio::test]
async fn a_booking_of_another_unit_cannot_be_hidden() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let anna = env.resident(1).await;
    let theirs = env.booked_online_at(&other, &anna, at(day(4), 10, 0)).await;

    let result = env.desk().set_hidden_in_portal(&env.staff(), theirs, true).await;

    assert_matches!(result, Err(DeskError::NotFound));
    assert!(!env.booking(theirs).await.booking.hidden_in_portal);
}

// --- the cancellation feed ---

#[tokio::test]
async fn the_feed_lists_residents_own_cancellations_and_rebookings_since_a_time_and_logs_each() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let early = env.booked_online(&anna, at(day(2), 9, 0)).await;
    env.cancelled_online(&anna, early).await;
    env.clock.set(now() + Duration::hours(1));
    let cancelled = env.booked_online(&anna, at(day(2), 10, 0)).await;
    env.cancelled_online(&anna, cancelled).await;
    let moved = env.booked_online(&erik, at(day(2), 11, 0)).await;
    let target = env.slot(&env.world.self_service, at(day(3), 11, 0)).await;
    env.clock.set(now() + Duration::hours(2));
    env.portal().rebook(&erik, moved, target, None).await.expect("rebooked");
    let by_staff = env
        .booked_by_staff(&erik, &env.world.cancelable, at(day(4), 10, 0))
        .await;
    env.cancelled_by_staff(by_staff).await;

    let feed = env
        .desk()
        .cancellation_feed(&env.staff(), env.world.unit.id, now() + Duration::minutes(30), 50)
        .await
        .expect("feed");

    let seen: Vec<_> = feed
        .iter()
        .map(|e| {
            (
                e.booking.booking.id,
                e.booking.booking.status,
                e.rebooked_to.as_ref().map(|b| b.slot.id),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (cancelled, BookingStatus::Cancelled, None),
            (moved, BookingStatus::Rebooked, Some(target)),
        ],
        "rule 11: not the earlier one, nor what staff did"
    );
    assert!(env
        .logged(&anna)
        .await
        .contains(&(AccessAction::ViewCancellationFeed, Some(cancelled))));
    assert!(env
        .logged(&erik)
        .await
        .contains(&(AccessAction::ViewCancellationFeed, Some(moved))));
}

#[tokio::test]
async fn the_feed_is_forbidden_outside_ones_units() {
    let env = Env::new().await;

    let result = env
        .desk()
        .cancellation_feed(&staff_elsewhere(), env.world.unit.id, now(), 50)
        .await;

    assert_matches!(result, Err(DeskError::Forbidden));
}

// --- templates ---

#[tokio::test]
async fn a_template_is_replaced_as_a_whole_and_read_back() {
    let env = Env::new().await;
    let w = &env.world;
    let desk = env.desk();
    let first = vec![block(Weekday::Mon, &w.self_service, 8, 4)];
    let second = vec![
        block(Weekday::Tue, &w.self_service, 8, 4),
        block(Weekday::Tue, &w.cancelable, 9, 4),
    ];
    desk.put_template(&env.staff(), w.practitioner.id, first)
        .await
        .expect("first");

    let saved = desk
        .put_template(&env.staff(), w.practitioner.id, second.clone())
        .await
        .expect("second");
    let read = desk.template(&env.staff(), w.practitioner.id).await.expect("read");

    assert_eq!(saved, second);
    assert_eq!(read, second);
}

#[tokio::test]
async fn overlapping_blocks_are_refused_naming_both() {
    let env = Env::new().await;
    let w = &env.world;
    let blocks = vec![
        block(Weekday::Mon, &w.self_service, 8, 4),
        block(Weekday::Tue, &w.self_service, 8, 4),
        block(Weekday::Mon, &w.cancelable, 8, 1),
    ];

    let result = env.desk().put_template(&env.staff(), w.practitioner.id, blocks).await;

    assert_matches!(result, Err(DeskError::TemplateOverlap { first: 0, second: 2 }));
    let read = env
        .desk()
        .template(&env.staff(), w.practitioner.id)
        .await
        .expect("read");
    assert!(read.is_empty(), "nothing saved: {read:?}");
}

#[tokio::test]
async fn a_template_of_another_regions_or_a_retired_type_is_refused() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let retired = AppointmentType {
        retired: true,
        ..env.world.visible.clone()
    };
    env.store().update_appointment_type(&retired).await.expect("retire");

    for ty in [&other.self_service, &retired] {
        let blocks = vec![block(Weekday::Mon, ty, 8, 4)];
        let result = env
            .desk()
            .put_template(&env.staff(), env.world.practitioner.id, blocks)
            .await;

        assert_matches!(result, Err(DeskError::TypeNotUsable), "{}", ty.name);
    }
}

#[tokio::test]
async fn templates_are_forbidden_outside_ones_units_and_to_regional_admins() {
    let env = Env::new().await;
    let w = &env.world;

    for who in [staff_elsewhere(), env.regional_admin()] {
        let read = env.desk().template(&who, w.practitioner.id).await;
        let write = env
            .desk()
            .put_template(
                &who,
                w.practitioner.id,
                vec![block(Weekday::Mon, &w.self_service, 8, 4)],
            )
            .await;

        assert_matches!(read, Err(DeskError::Forbidden), "{:?}", who.role);
        assert_matches!(write, Err(DeskError::Forbidden), "{:?}", who.role);
    }
    let unknown = env.desk().template(&env.staff(), PractitionerId::generate()).await;
    assert_matches!(unknown, Err(DeskError::NotFound));
}

// --- publishing ---

/// Puts `blocks` as the fixture practitioner's template.
async fn template(env: &Env, blocks: Vec<tidbok_domain::schedule::ScheduleBlock>) {
    env.desk()
        .put_template(&env.staff(), env.world.practitioner.id, blocks)
        .await
        .expect("template");
}

async fn publish(env: &Env, from: NaiveDate, to: NaiveDate, dry_run: bool) -> tidbok_domain::ports::Published {
    env.desk()
        .publish(&env.staff(), env.world.practitioner.id, from, to, dry_run)
        .await
        .unwrap_or_else(|e| panic!("publishing {from} ..= {to} (dry run {dry_run}): {e:?}"))
}

/// Four self-service slots from 08:00 tomorrow (a Tuesday), published from
/// the template, the first booked by a resident. Returns the booked one.
async fn four_published_slots_one_booked(env: &Env) -> SlotId {
    let ty = &env.world.self_service;
    template(env, vec![block(Weekday::Tue, ty, 8, 4)]).await;
    publish(env, day(1), day(1), false).await;
    let anna = env.resident(1).await;
    let booked = free(env, ty, day(1)).await[0];
    env.portal().book(&anna, online(booked), None).await.expect("booked");
    booked
}

#[tokio::test]
async fn publishing_creates_the_templates_slots_once_and_none_that_have_started() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    template(
        &env,
        vec![block(Weekday::Mon, ty, 8, 2), block(Weekday::Mon, ty, 10, 2)],
    )
    .await;

    let first = publish(&env, today(), day(7), false).await;
    let again = publish(&env, today(), day(7), false).await;

    assert_eq!(first.created, 6, "today's 08:00 and 08:15 have started at 09:00");
    assert_eq!(again, tidbok_domain::ports::Published::default(), "idempotent");
    assert_eq!(free(&env, ty, today()).await.len(), 2);
    assert_eq!(free(&env, ty, day(7)).await.len(), 4);
}

#[tokio::test]
async fn republishing_withdraws_free_slots_and_reports_booked_ones_as_conflicts() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    let booked = four_published_slots_one_booked(&env).await;
    template(&env, vec![block(Weekday::Tue, ty, 13, 2)]).await;

    let published = publish(&env, day(1), day(1), false).await;

    assert_eq!((published.created, published.withdrawn), (2, 3));
    assert_eq!(published.conflicts, [booked], "a booked slot is never moved or removed");
    assert!(!env.is_free(booked).await);
}

#[tokio::test]
async fn a_dry_run_reports_what_publishing_would_do_and_writes_nothing() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    let booked = four_published_slots_one_booked(&env).await;
    template(&env, vec![block(Weekday::Tue, ty, 13, 2)]).await;

    let dry = publish(&env, day(1), day(1), true).await;
    let free_after_dry_run = free(&env, ty, day(1)).await.len();
    let real = publish(&env, day(1), day(1), false).await;

    assert_eq!(dry, real, "the dry run foretells the real one");
    assert_eq!((dry.created, dry.withdrawn, dry.conflicts), (2, 3, vec![booked]));
    assert_eq!(
        free_after_dry_run, 3,
        "the dry run withdrew nothing and created nothing"
    );
}

#[tokio::test]
async fn publishing_skips_public_holidays_and_names_them() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    template(&env, vec![block(Weekday::Mon, ty, 8, 2), block(Weekday::Fri, ty, 8, 2)]).await;

    let dry = publish(&env, day(28), day(39), true).await;
    let published = publish(&env, day(28), day(39), false).await;

    assert_eq!(dry.skipped_holidays, easter(), "rule 22: the dry run names them too");
    assert_eq!(
        published.skipped_holidays,
        easter(),
        "rule 22: Good Friday, Easter Monday"
    );
    assert_eq!(published.created, 4, "30 March and 10 April only");
    for (holiday, _) in easter() {
        assert!(free(&env, ty, holiday).await.is_empty(), "rule 22: {holiday}");
    }
}

#[tokio::test]
async fn a_unit_that_so_chooses_publishes_on_public_holidays() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    template(&env, vec![block(Weekday::Mon, ty, 8, 2), block(Weekday::Fri, ty, 8, 2)]).await;
    env.desk()
        .set_schedule_settings(&env.unit_admin(), env.world.unit.id, true)
        .await
        .expect("setting");

    let published = publish(&env, day(28), day(39), false).await;

    assert!(published.skipped_holidays.is_empty(), "rule 22: {published:?}");
    assert_eq!(published.created, 8);
}

#[tokio::test]
async fn publishing_backwards_from_the_past_or_over_400_days_is_refused() {
    let env = Env::new().await;
    let (desk, staff, p) = (env.desk(), env.staff(), env.world.practitioner.id);

    let backwards = desk.publish(&staff, p, day(3), day(2), false).await;
    let past = desk.publish(&staff, p, day(-1), day(2), false).await;
    let too_long = desk.publish(&staff, p, today(), day(400), false).await;

    assert_matches!(backwards, Err(DeskError::EndBeforeStart));
    assert_matches!(past, Err(DeskError::InvalidRange(_)));
    assert_matches!(too_long, Err(DeskError::InvalidRange(_)));
}

#[tokio::test]
async fn publishing_is_forbidden_outside_ones_units() {
    let env = Env::new().await;

    let result = env
        .desk()
        .publish(&staff_elsewhere(), env.world.practitioner.id, today(), day(7), false)
        .await;

    assert_matches!(result, Err(DeskError::Forbidden));
}

// --- schedule settings ---

#[tokio::test]
async fn staff_read_the_holiday_setting_and_only_a_unit_admin_changes_it() {
    let env = Env::new().await;
    let (desk, unit) = (env.desk(), env.world.unit.id);

    let before = desk.schedule_settings(&env.staff(), unit).await.expect("read");
    let by_staff = desk.set_schedule_settings(&env.staff(), unit, true).await;
    let by_admin = desk.set_schedule_settings(&env.unit_admin(), unit, true).await;
    let after = desk.schedule_settings(&env.staff(), unit).await.expect("read");
    let regional = desk.schedule_settings(&env.regional_admin(), unit).await;

    assert!(!before, "rule 22: off unless the unit chooses");
    assert_matches!(by_staff, Err(DeskError::Forbidden));
    assert!(by_admin.expect("set"));
    assert!(after);
    assert_matches!(regional, Err(DeskError::Forbidden));
}

// --- one's own practitioner ---

#[tokio::test]
async fn a_member_of_staff_linked_to_a_practitioner_of_their_unit_has_an_own_book() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let (linked, unlinked, linked_elsewhere) = (env.staff(), env.staff(), env.staff());
    let store = env.store();
    store
        .link_practitioner_to_staff(env.world.practitioner.id, linked.id)
        .await
        .expect("linked");
    store
        .link_practitioner_to_staff(other.practitioner.id, linked_elsewhere.id)
        .await
        .expect("linked");
    let desk = env.desk();

    let own = desk.own_practitioner(&linked).await.expect("read");
    let none = desk.own_practitioner(&unlinked).await.expect("read");
    let not_here = desk.own_practitioner(&linked_elsewhere).await.expect("read");

    assert_eq!(own, Some(env.world.practitioner.clone()));
    assert_eq!(none, None);
    assert_eq!(not_here, None, "a practitioner outside their units is not their book");
}

// --- one-day changes ---

#[tokio::test]
async fn a_one_day_change_publishes_its_blocks_on_that_date_even_a_holiday() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    template(&env, vec![block(Weekday::Fri, ty, 8, 2)]).await;
    let (good_friday, _) = easter()[0];

    let published = env
        .desk()
        .change_day(
            &env.staff(),
            env.world.practitioner.id,
            good_friday,
            vec![block(Weekday::Mon, ty, 13, 3)],
        )
        .await
        .expect("changed");

    assert_eq!(published.created, 3, "rule 22: a one-day change publishes on a holiday");
    assert!(published.skipped_holidays.is_empty());
    let slots = free(&env, ty, good_friday).await;
    assert_eq!(slots.len(), 3, "the block takes the date's weekday");
}

#[tokio::test]
async fn an_empty_day_withdraws_free_slots_and_reports_booked_ones_and_restoring_brings_them_back() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    let booked = four_published_slots_one_booked(&env).await;
    let (desk, staff, p) = (env.desk(), env.staff(), env.world.practitioner.id);

    let emptied = desk.change_day(&staff, p, day(1), Vec::new()).await.expect("empty day");
    let free_on_empty_day = free(&env, ty, day(1)).await.len();
    let restored = desk.restore_day(&staff, p, day(1)).await.expect("restored");

    assert_eq!((emptied.withdrawn, emptied.conflicts.clone()), (3, vec![booked]));
    assert_eq!(free_on_empty_day, 0);
    assert_eq!(restored.created, 3, "the date follows the template again");
    assert_eq!(free(&env, ty, day(1)).await.len(), 3);
}

#[tokio::test]
async fn a_past_date_cannot_be_changed_or_restored() {
    let env = Env::new().await;
    let (desk, staff, p) = (env.desk(), env.staff(), env.world.practitioner.id);

    let changed = desk.change_day(&staff, p, day(-1), Vec::new()).await;
    let restored = desk.restore_day(&staff, p, day(-1)).await;

    assert_matches!(changed, Err(DeskError::InvalidRange(_)));
    assert_matches!(restored, Err(DeskError::InvalidRange(_)));
}

#[tokio::test]
async fn a_one_day_change_with_overlapping_blocks_is_refused_and_restoring_an_unchanged_day_is_not_found() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    let (desk, staff, p) = (env.desk(), env.staff(), env.world.practitioner.id);
    let overlapping = vec![block(Weekday::Tue, ty, 8, 4), block(Weekday::Wed, ty, 8, 1)];

    let changed = desk.change_day(&staff, p, day(1), overlapping).await;
    let restored = desk.restore_day(&staff, p, day(1)).await;

    assert_matches!(
        changed,
        Err(DeskError::TemplateOverlap { first: 0, second: 1 }),
        "both take the date's weekday"
    );
    assert_matches!(restored, Err(DeskError::NotFound));
}

#[tokio::test]
async fn one_day_changes_are_forbidden_outside_ones_units() {
    let env = Env::new().await;
    let (desk, p) = (env.desk(), env.world.practitioner.id);

    let changed = desk.change_day(&staff_elsewhere(), p, day(1), Vec::new()).await;
    let restored = desk.restore_day(&staff_elsewhere(), p, day(1)).await;

    assert_matches!(changed, Err(DeskError::Forbidden));
    assert_matches!(restored, Err(DeskError::Forbidden));
}

// --- the horizon report ---

#[tokio::test]
async fn a_unit_published_eight_weeks_ahead_is_not_short_and_hidden_types_are_left_out() {
    let env = Env::new().await;
    let w = &env.world;
    template(
        &env,
        vec![
            block(Weekday::Mon, &w.self_service, 10, 1),
            block(Weekday::Mon, &w.hidden, 11, 1),
        ],
    )
    .await;
    publish(&env, today(), day(56), false).await;

    let report = env.desk().horizon(&env.staff(), w.unit.id).await.expect("report");

    assert_eq!(report.required_until, day(56), "rule 6");
    let rows: Vec<_> = report
        .rows
        .iter()
        .map(|r| (r.appointment_type.id, r.last_date, r.reaches_horizon))
        .collect();
    assert_eq!(
        rows,
        [(w.self_service.id, day(56), true)],
        "rule 6: never a hidden type"
    );
    assert!(!report.short && report.unscheduled.is_empty(), "{report:?}");
}

#[tokio::test]
async fn a_unit_published_four_weeks_ahead_is_short_and_names_the_unscheduled() {
    let env = Env::new().await;
    let w = &env.world;
    let colleague = env.colleague().await;
    template(&env, vec![block(Weekday::Mon, &w.self_service, 10, 1)]).await;
    publish(&env, today(), day(28), false).await;

    let report = env.desk().horizon(&env.staff(), w.unit.id).await.expect("report");

    assert!(report.short, "rule 6");
    assert_eq!(report.rows.len(), 1);
    assert_eq!(
        (report.rows[0].last_date, report.rows[0].reaches_horizon),
        (day(28), false)
    );
    assert_eq!(report.unscheduled, [colleague]);
}

#[tokio::test]
async fn the_horizon_is_forbidden_outside_ones_units() {
    let env = Env::new().await;

    let result = env.desk().horizon(&staff_elsewhere(), env.world.unit.id).await;

    assert_matches!(result, Err(DeskError::Forbidden));
}

#[tokio::test]
async fn a_regional_admin_reads_the_horizon_of_every_unit_of_their_region_only() {
    let env = Env::new().await;
    let bare = env.bare_unit().await;
    let other = env.elsewhere().await;
    let desk = env.desk();

    let reports = desk
        .region_horizon(&env.regional_admin(), env.world.region.id)
        .await
        .expect("reports");
    let theirs = desk.region_horizon(&env.regional_admin(), other.region.id).await;
    let by_staff = desk.region_horizon(&env.staff(), env.world.region.id).await;

    let mut units: Vec<_> = reports.iter().map(|r| r.unit.id).collect();
    units.sort();
    let mut expected = vec![env.world.unit.id, bare.id];
    expected.sort();
    assert_eq!(units, expected);
    assert_matches!(theirs, Err(DeskError::Forbidden));
    assert_matches!(by_staff, Err(DeskError::Forbidden));
}
