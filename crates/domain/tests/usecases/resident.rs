//! `ResidentPortal`: what a resident finds, books, sees, cancels and rebooks
//! online, their inbox, notification settings and access log.

use crate::support::*;
use chrono::Duration;
use tidbok_domain::ports::Committed;
use tidbok_domain::rules::{Ineligibility, OnlineRefusal, RebookMismatch};
use tidbok_domain::usecases::*;
use tidbok_domain::*;
use tidbok_store::testing::fixture::pnr_born;

/// The number of a resident who turns 18 on `birthday`.
fn turning_18_on(birthday: chrono::NaiveDate) -> String {
    let born = chrono::NaiveDate::from_ymd_opt(2008, 3, 2).expect("18 years before today") + (birthday - today());
    pnr_born(born, 1)
}

// --- units and unit ---

#[tokio::test]
async fn units_list_those_with_a_service_set_up_and_whether_each_is_open_to_the_resident() {
    let env = Env::new().await;
    env.bare_unit().await;
    env.world
        .set_service(OnlineService::BookOnline, true, Audience::RestrictedSelection)
        .await;
    let anna = env.resident(1).await;

    let units = env.portal().units(&anna).await.expect("units");

    let names: Vec<_> = units.iter().map(|u| u.unit.name.as_str()).collect();
    assert_eq!(
        names,
        ["Vårdcentralen Test"],
        "a unit with no service set up is left out"
    );
    let services: Vec<_> = units[0].services.iter().map(|s| (s.service, s.available)).collect();
    assert!(
        services.contains(&(OnlineService::BookOnline, false)),
        "rule 8: a restricted selection without Anna is not open to her: {services:?}"
    );
    assert!(
        services.contains(&(OnlineService::CancelRebookOnline, true)),
        "{services:?}"
    );
}

#[tokio::test]
async fn a_resident_in_the_restricted_selection_finds_the_service_open() {
    let env = Env::new().await;
    env.world
        .set_service(OnlineService::BookOnline, true, Audience::RestrictedSelection)
        .await;
    let anna = env.resident(1).await;
    env.store()
        .add_to_selection(env.world.unit.id, OnlineService::BookOnline, &anna.pnr)
        .await
        .expect("selection");

    let unit = env.portal().unit(&anna, env.world.unit.id).await.expect("unit");

    let book = unit.services.iter().find(|s| s.service == OnlineService::BookOnline);
    assert!(book.is_some_and(|s| s.available), "rule 8: {:?}", unit.services);
    assert_eq!(
        book.map(|s| s.terms_html.as_str()),
        Some("<p>Villkor för book_online.</p>"),
        "rule 9: the terms come with the service"
    );
}

#[tokio::test]
async fn an_unknown_unit_is_not_found_nor_its_types_or_calendar() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let (portal, unknown) = (env.portal(), UnitId::generate());

    let unit = portal.unit(&anna, unknown).await;
    let types = portal.bookable_types(&anna, unknown).await;
    let dates = portal
        .available_dates(&anna, unknown, env.world.self_service.id, None, None)
        .await;

    assert_matches!(unit, Err(PortalError::NotFound));
    assert_matches!(types, Err(PortalError::NotFound));
    assert_matches!(dates, Err(PortalError::NotFound));
}

// --- bookable types ---

#[tokio::test]
async fn only_self_service_types_with_slots_are_offered_each_with_the_residents_eligibility() {
    let env = Env::new().await;
    for (n, ty) in (0..).zip(env.world.types()) {
        env.slot(ty, at(day(2), 10, 0) + Duration::minutes(15 * n)).await;
    }
    let anna = env.resident(1).await;

    let offers = env
        .portal()
        .bookable_types(&anna, env.world.unit.id)
        .await
        .expect("types");

    let mut offered: Vec<_> = offers
        .iter()
        .map(|o| (o.appointment_type.name.as_str(), o.eligibility))
        .collect();
    offered.sort_by_key(|(name, _)| *name);
    assert_eq!(
        offered,
        [
            (
                "Diabetessköterska Återbesök 1177",
                Err(Ineligibility::EstablishedContactRequired)
            ),
            ("Provtagning 1177", Ok(())),
            ("Sjukgymnast Nybesök 1177", Ok(())),
        ],
        "rule 7: cancelable, visible and hidden types are never bookable online; rule 13 per type"
    );
}

#[tokio::test]
async fn a_retired_type_is_not_offered() {
    let env = Env::new().await;
    env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let retired = AppointmentType {
        retired: true,
        ..env.world.self_service.clone()
    };
    env.store().update_appointment_type(&retired).await.expect("retire");
    let anna = env.resident(1).await;

    let offers = env
        .portal()
        .bookable_types(&anna, env.world.unit.id)
        .await
        .expect("types");

    assert!(offers.is_empty(), "{offers:?}");
}

#[tokio::test]
async fn types_are_refused_where_booking_online_is_not_active() {
    let env = Env::new().await;
    env.world
        .set_service(OnlineService::BookOnline, false, Audience::AllResidents)
        .await;
    let anna = env.resident(1).await;

    let result = env.portal().bookable_types(&anna, env.world.unit.id).await;

    assert_matches!(
        result,
        Err(PortalError::ServiceNotActive(OnlineService::BookOnline)),
        "rule 8"
    );
}

// --- available dates and free slots ---

#[tokio::test]
async fn available_dates_count_free_future_slots_per_date_and_preselect_the_first() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    env.world
        .slots(
            ty,
            &[
                at(today(), 8, 0),
                at(day(3), 10, 0),
                at(day(3), 10, 15),
                at(day(5), 8, 0),
            ],
            15,
        )
        .await;
    let anna = env.resident(1).await;

    let dates = env
        .portal()
        .available_dates(&anna, env.world.unit.id, ty.id, None, None)
        .await
        .expect("dates");

    assert_eq!(dates.dates, [(day(3), 2), (day(5), 1)], "today's 08:00 has started");
    assert_eq!(dates.first_free_date, Some(day(3)), "rule 12");
    assert_eq!((dates.from, dates.to), (today(), day(56)), "rule 6: eight weeks");
}

#[tokio::test]
async fn a_calendar_range_beyond_the_horizon_or_backwards_is_refused() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let ty = env.world.self_service.id;
    let portal = env.portal();

    for (from, to) in [(day(1), day(57)), (day(-1), day(3)), (day(5), day(4))] {
        let result = portal
            .available_dates(&anna, env.world.unit.id, ty, Some(from), Some(to))
            .await;

        assert_matches!(result, Err(PortalError::OutsideHorizon), "rule 6: {from} ..= {to}");
    }
}

#[tokio::test]
async fn the_calendar_of_a_type_not_bookable_online_is_refused_and_a_hidden_type_is_not_found() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let (unit, w) = (env.world.unit.id, &env.world);
    let portal = env.portal();

    let cancelable = portal.available_dates(&anna, unit, w.cancelable.id, None, None).await;
    let hidden = portal.available_dates(&anna, unit, w.hidden.id, None, None).await;
    let unknown = portal
        .available_dates(&anna, unit, AppointmentTypeId::generate(), None, None)
        .await;

    assert_matches!(cancelable, Err(PortalError::NotBookableOnline), "rule 7");
    assert_matches!(hidden, Err(PortalError::NotFound), "rule 7");
    assert_matches!(unknown, Err(PortalError::NotFound));
}

#[tokio::test]
async fn the_calendar_is_refused_to_an_ineligible_resident_and_where_the_service_is_off() {
    let env = Env::new().await;
    let child = env.resident_numbered(&turning_18_on(day(400))).await;
    let anna = env.resident(1).await;
    let (unit, w) = (env.world.unit.id, &env.world);

    let young = env
        .portal()
        .available_dates(&child, unit, w.adults_only.id, None, None)
        .await;
    w.set_service(OnlineService::BookOnline, false, Audience::AllResidents)
        .await;
    let off = env
        .portal()
        .available_dates(&anna, unit, w.self_service.id, None, None)
        .await;

    assert_matches!(
        young,
        Err(PortalError::NotEligible(Ineligibility::BelowMinimumAge {
            min_age_years: 18
        })),
        "rule 13"
    );
    assert_matches!(off, Err(PortalError::ServiceNotActive(_)), "rule 8");
}

#[tokio::test]
async fn free_slots_of_a_date_are_those_not_started_or_taken() {
    let env = Env::new().await;
    let ty = &env.world.self_service;
    let slots = env
        .world
        .slots(ty, &[at(today(), 8, 0), at(today(), 10, 0), at(today(), 10, 15)], 15)
        .await;
    let other = env.resident(2).await;
    env.portal().book(&other, online(slots[2]), None).await.expect("taken");
    let anna = env.resident(1).await;

    let free = env
        .portal()
        .free_slots(&anna, env.world.unit.id, ty.id, today())
        .await
        .expect("slots");

    let ids: Vec<_> = free.iter().map(|s| s.slot.id).collect();
    assert_eq!(ids, [slots[1]], "08:00 has started, 10:15 is taken");
}

#[tokio::test]
async fn free_slots_beyond_eight_weeks_are_refused() {
    let env = Env::new().await;
    let anna = env.resident(1).await;

    let result = env
        .portal()
        .free_slots(&anna, env.world.unit.id, env.world.self_service.id, day(57))
        .await;

    assert_matches!(result, Err(PortalError::OutsideHorizon), "rule 6");
}

// --- book ---

#[tokio::test]
async fn a_resident_books_a_free_slot_and_is_sent_a_confirmation() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let anna = env.resident(1).await;

    let booked = env.portal().book(&anna, online(slot), None).await.expect("booked");

    let Committed::Created(booking) = booked else {
        panic!("a first request creates: {booked:?}")
    };
    assert_eq!(booking.details.booking.status, BookingStatus::Booked);
    assert_eq!(booking.details.booking.booked_by, Actor::Resident(anna.id));
    assert_eq!(booking.details.booking.booked_at, now());
    assert_eq!((booking.can_cancel, booking.can_rebook), (Ok(()), Ok(())));
    assert_eq!(
        env.booking(booking.details.booking.id).await,
        booking.details,
        "what was written"
    );
    assert_eq!(env.inbox(&anna).await, [NotificationKind::BookedOnline]);
    assert!(
        env.logged(&anna).await.is_empty(),
        "a resident's own booking is no staff access"
    );
}

#[tokio::test]
async fn a_confirmation_is_delivered_by_each_channel_the_resident_chose() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let anna = env.resident(1).await;
    let anna = env
        .portal()
        .update_contact(
            &anna,
            Some(PhoneNumber::parse("070-123 45 67").expect("phone")),
            Some(EmailAddress::parse("anna@example.se").expect("e-mail")),
            NotificationChoices { sms: true, email: true },
            NotificationChoices { sms: true, email: true },
        )
        .await
        .expect("settings");

    env.portal().book(&anna, online(slot), None).await.expect("booked");

    let message = &env.store().inbox(anna.id).await.expect("inbox")[0];
    let deliveries = env.store().deliveries(message.id).await.expect("outbox");
    let channels: Vec<_> = deliveries.iter().map(|d| d.0).collect();
    assert_eq!(channels.len(), 2, "{deliveries:?}");
    assert!(
        channels.contains(&Channel::Sms) && channels.contains(&Channel::Email),
        "{deliveries:?}"
    );
}

#[tokio::test]
async fn an_unknown_slot_and_a_slot_of_a_hidden_type_are_not_found() {
    let env = Env::new().await;
    let hidden = env.slot(&env.world.hidden, at(day(2), 10, 0)).await;
    let anna = env.resident(1).await;

    for slot in [SlotId::generate(), hidden] {
        let result = env.portal().book(&anna, online(slot), None).await;

        assert_matches!(result, Err(PortalError::NotFound), "rule 7: {slot}");
    }
}

#[tokio::test]
async fn a_slot_of_a_type_not_bookable_online_is_refused() {
    let env = Env::new().await;
    let anna = env.resident(1).await;

    for (hour, ty) in [(10, &env.world.cancelable), (11, &env.world.visible)] {
        let slot = env.slot(ty, at(day(2), hour, 0)).await;
        let result = env.portal().book(&anna, online(slot), None).await;

        assert_matches!(result, Err(PortalError::NotBookableOnline), "rule 7: {}", ty.name);
    }
}

#[tokio::test]
async fn a_slot_of_a_retired_type_is_refused() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let retired = AppointmentType {
        retired: true,
        ..env.world.self_service.clone()
    };
    env.store().update_appointment_type(&retired).await.expect("retire");
    let anna = env.resident(1).await;

    let result = env.portal().book(&anna, online(slot), None).await;

    assert_matches!(result, Err(PortalError::NotBookableOnline));
}

#[tokio::test]
async fn a_slot_beyond_eight_weeks_or_already_started_cannot_be_booked_online() {
    let env = Env::new().await;
    let anna = env.resident(1).await;

    for starts_at in [at(day(57), 8, 0), now(), now() - Duration::minutes(15)] {
        let slot = env.slot(&env.world.self_service, starts_at).await;
        let result = env.portal().book(&anna, online(slot), None).await;

        assert_matches!(
            result,
            Err(PortalError::OutsideHorizon),
            "rule 6: a slot at {starts_at}, now {}",
            now()
        );
    }
}

#[tokio::test]
async fn a_slot_on_the_last_day_of_the_horizon_can_be_booked() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(56), 16, 0)).await;
    let anna = env.resident(1).await;

    let result = env.portal().book(&anna, online(slot), None).await;

    assert!(result.is_ok(), "rule 6: eight weeks to the day: {result:?}");
}

#[tokio::test]
async fn booking_is_refused_where_the_service_is_off_or_the_resident_is_not_in_the_selection() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let anna = env.resident(1).await;

    for (active, audience) in [(false, Audience::AllResidents), (true, Audience::RestrictedSelection)] {
        env.world.set_service(OnlineService::BookOnline, active, audience).await;
        let result = env.portal().book(&anna, online(slot), None).await;

        assert_matches!(
            result,
            Err(PortalError::ServiceNotActive(OnlineService::BookOnline)),
            "rule 8: active {active}, {audience}"
        );
    }
    assert!(env.is_free(slot).await);
}

#[tokio::test]
async fn booking_without_confirming_the_terms_is_refused() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let anna = env.resident(1).await;
    let request = BookOnline {
        terms_accepted: false,
        ..online(slot)
    };

    let result = env.portal().book(&anna, request, None).await;

    assert_matches!(result, Err(PortalError::TermsNotAccepted(_)), "rule 9");
    assert!(env.is_free(slot).await);
}

#[tokio::test]
async fn a_resident_turning_18_today_may_book_an_adults_only_type_and_one_turning_18_tomorrow_may_not() {
    let env = Env::new().await;
    let ty = &env.world.adults_only;
    let slots = env.world.slots(ty, &[at(day(2), 10, 0), at(day(2), 10, 15)], 15).await;
    let today_18 = env.resident_numbered(&turning_18_on(today())).await;
    let tomorrow_18 = env.resident_numbered(&turning_18_on(day(1))).await;

    let adult = env.portal().book(&today_18, online(slots[0]), None).await;
    let minor = env.portal().book(&tomorrow_18, online(slots[1]), None).await;

    assert!(adult.is_ok(), "rule 13: 18 today: {adult:?}");
    assert_matches!(
        minor,
        Err(PortalError::NotEligible(Ineligibility::BelowMinimumAge {
            min_age_years: 18
        })),
        "rule 13: 18 tomorrow"
    );
}

#[tokio::test]
async fn a_return_visit_needs_an_established_contact() {
    let env = Env::new().await;
    let ty = &env.world.return_visit;
    let slots = env.world.slots(ty, &[at(day(9), 10, 0), at(day(9), 10, 15)], 15).await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    env.booked_by_staff(&anna, &env.world.cancelable, at(day(2), 10, 0))
        .await;

    let known = env.portal().book(&anna, online(slots[0]), None).await;
    let new = env.portal().book(&erik, online(slots[1]), None).await;

    assert!(known.is_ok(), "rule 13: a booking with a nurse of the unit: {known:?}");
    assert_matches!(
        new,
        Err(PortalError::NotEligible(Ineligibility::EstablishedContactRequired)),
        "rule 13"
    );
}

#[tokio::test]
async fn a_slot_the_schedule_withdrew_cannot_be_booked_online() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let over_it = by_staff(
        &erik.pnr,
        StaffBookingTarget::AdHoc {
            practitioner: env.world.practitioner.id,
            appointment_type: env.world.cancelable.id,
            starts_at: at(day(2), 9, 55),
            length_minutes: 30,
        },
    );
    env.staff_book(over_it)
        .await
        .expect("an ad-hoc time withdraws the free slot under it");

    let result = env.portal().book(&anna, online(slot), None).await;

    assert_matches!(result, Err(PortalError::SlotTaken));
    assert!(env.inbox(&anna).await.is_empty());
}

#[tokio::test]
async fn a_slot_another_resident_holds_is_taken() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    env.portal().book(&erik, online(slot), None).await.expect("Erik books");

    let result = env.portal().book(&anna, online(slot), None).await;

    assert_matches!(result, Err(PortalError::SlotTaken));
    assert!(env.inbox(&anna).await.is_empty());
}

#[tokio::test]
async fn the_booking_cap_refuses_one_more_booking_of_the_same_type() {
    let env = Env::new().await;
    let w = &env.world;
    let slots = w
        .slots(&w.self_service, &[at(day(2), 10, 0), at(day(3), 10, 0)], 15)
        .await;
    let other_type = env.slot(&w.adults_only, at(day(4), 10, 0)).await;
    let anna = env.resident(1).await;
    let portal = env.portal().with_booking_cap(Some(1));
    portal.book(&anna, online(slots[0]), None).await.expect("the first");

    let second = portal.book(&anna, online(slots[1]), None).await;
    let another_type = portal.book(&anna, online(other_type), None).await;

    assert_matches!(second, Err(PortalError::BookingLimitReached(1)));
    assert!(another_type.is_ok(), "the cap is per type: {another_type:?}");
}

#[tokio::test]
async fn a_retried_booking_with_the_same_key_and_body_replays_the_first() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let anna = env.resident(1).await;
    let portal = env.portal();
    let first = portal.book(&anna, online(slot), Some(&key("k1", "slot 1"))).await;
    let first = first.expect("booked").value().details.booking.id;

    let retry = portal.book(&anna, online(slot), Some(&key("k1", "slot 1"))).await;

    let Ok(Committed::Replayed(replayed)) = retry else {
        panic!("the same key and body replay: {retry:?}")
    };
    assert_eq!(replayed.details.booking.id, first);
    assert_eq!(
        env.inbox(&anna).await,
        [NotificationKind::BookedOnline],
        "one confirmation"
    );
}

#[tokio::test]
async fn a_retry_replays_even_once_the_booked_slot_has_started() {
    let env = Env::new().await;
    let starts_at = at(day(2), 10, 0);
    let slot = env.slot(&env.world.self_service, starts_at).await;
    let anna = env.resident(1).await;
    let portal = env.portal();
    let first = portal.book(&anna, online(slot), Some(&key("k1", "slot 1"))).await;
    let first = first.expect("booked").value().details.booking.id;
    env.clock.set(starts_at + Duration::minutes(1));

    let retry = portal.book(&anna, online(slot), Some(&key("k1", "slot 1"))).await;

    assert_matches!(
        retry,
        Ok(Committed::Replayed(b)) if b.details.booking.id == first,
        "what the first request did is what now refuses the retry's checks"
    );
}

#[tokio::test]
async fn a_retry_replays_even_when_the_first_used_up_the_booking_cap() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let anna = env.resident(1).await;
    let portal = env.portal().with_booking_cap(Some(1));
    portal
        .book(&anna, online(slot), Some(&key("k1", "slot 1")))
        .await
        .expect("booked");

    let retry = portal.book(&anna, online(slot), Some(&key("k1", "slot 1"))).await;

    assert_matches!(retry, Ok(Committed::Replayed(_)));
}

#[tokio::test]
async fn a_key_used_for_another_booking_is_refused() {
    let env = Env::new().await;
    let w = &env.world;
    let slots = w
        .slots(&w.self_service, &[at(day(2), 10, 0), at(day(2), 10, 15)], 15)
        .await;
    let anna = env.resident(1).await;
    let portal = env.portal();
    portal
        .book(&anna, online(slots[0]), Some(&key("k1", "slot 1")))
        .await
        .expect("booked");

    let other_slot = portal.book(&anna, online(slots[1]), Some(&key("k1", "slot 2"))).await;
    let refused_body = BookOnline {
        terms_accepted: false,
        ..online(slots[1])
    };
    let refused = portal
        .book(&anna, refused_body, Some(&key("k1", "slot 2, no terms")))
        .await;

    assert_matches!(other_slot, Err(PortalError::IdempotencyKeyReused));
    assert_matches!(
        refused,
        Err(PortalError::IdempotencyKeyReused),
        "a body the checks refuse is still another body"
    );
    assert!(env.is_free(slots[1]).await);
}

#[tokio::test]
async fn a_refused_request_leaves_its_key_unused() {
    let env = Env::new().await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;
    let anna = env.resident(1).await;
    let portal = env.portal();
    let no_terms = BookOnline {
        terms_accepted: false,
        ..online(slot)
    };
    let refused = portal.book(&anna, no_terms, Some(&key("k1", "no terms"))).await;

    let accepted = portal.book(&anna, online(slot), Some(&key("k1", "terms"))).await;

    assert_matches!(refused, Err(PortalError::TermsNotAccepted(_)));
    assert_matches!(accepted, Ok(Committed::Created(_)));
}

#[tokio::test]
async fn a_key_is_scoped_to_the_resident_who_used_it() {
    let env = Env::new().await;
    let w = &env.world;
    let slots = w
        .slots(&w.self_service, &[at(day(2), 10, 0), at(day(2), 10, 15)], 15)
        .await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let portal = env.portal();
    portal
        .book(&anna, online(slots[0]), Some(&key("k1", "body")))
        .await
        .expect("Anna books");

    let result = portal.book(&erik, online(slots[1]), Some(&key("k1", "body"))).await;

    assert_matches!(result, Ok(Committed::Created(_)));
}

// --- my bookings and my booking ---

#[tokio::test]
async fn my_bookings_list_every_visible_active_booking_from_every_unit_with_what_may_be_done() {
    let env = Env::new().await;
    let w = &env.world;
    let other = env.elsewhere().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let online_booking = env.booked_online(&anna, at(day(2), 10, 0)).await;
    let by_staff = env.booked_by_staff(&anna, &w.cancelable, at(day(3), 10, 0)).await;
    let visible = env.booked_by_staff(&anna, &w.visible, at(day(4), 10, 0)).await;
    let soon = env.booked_online(&anna, now() + Duration::hours(23)).await;
    env.booked_by_staff(&anna, &w.hidden, at(day(5), 10, 0)).await;
    let cancelled = env.booked_online(&anna, at(day(6), 10, 0)).await;
    env.cancelled_online(&anna, cancelled).await;
    env.booked_online(&erik, at(day(2), 11, 0)).await;
    let elsewhere = env.booked_online_at(&other, &anna, at(day(7), 10, 0)).await;

    let mine = env.portal().my_bookings(&anna).await.expect("bookings");

    let seen: Vec<_> = mine
        .iter()
        .map(|b| (b.details.booking.id, b.can_cancel, b.can_rebook))
        .collect();
    let closed = Err(OnlineRefusal::CancellationWindowClosed);
    assert_eq!(
        seen,
        [
            (soon, closed, closed),
            (online_booking, Ok(()), Ok(())),
            (by_staff, Ok(()), Err(OnlineRefusal::NotRebookableOnline)),
            (
                visible,
                Err(OnlineRefusal::NotCancelableOnline),
                Err(OnlineRefusal::NotRebookableOnline)
            ),
            (elsewhere, Ok(()), Ok(())),
        ],
        "rules 1, 2 and 7, by start: the hidden, the cancelled and Erik's are left out"
    );
}

#[tokio::test]
async fn a_booking_hidden_in_the_portal_is_neither_listed_nor_found() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;
    env.hide(booking).await;

    let mine = env.portal().my_bookings(&anna).await.expect("bookings");
    let one = env.portal().my_booking(&anna, booking).await;

    assert!(mine.is_empty(), "rule 1: {mine:?}");
    assert_matches!(one, Err(PortalError::NotFound), "rule 1");
}

#[tokio::test]
async fn a_visit_marked_arrived_stays_in_my_bookings_and_can_no_longer_be_changed_online() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;
    env.arrived(booking).await;

    let mine = env.portal().my_bookings(&anna).await.expect("bookings");

    let seen: Vec<_> = mine
        .iter()
        .map(|b| (b.details.booking.status, b.can_cancel, b.can_rebook))
        .collect();
    let inactive = Err(OnlineRefusal::BookingNotActive);
    assert_eq!(seen, [(BookingStatus::Arrived, inactive, inactive)]);
}

#[tokio::test]
async fn where_cancelling_online_is_off_no_booking_may_be_changed_online() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    env.booked_online(&anna, at(day(2), 10, 0)).await;
    env.world
        .set_service(OnlineService::CancelRebookOnline, false, Audience::AllResidents)
        .await;

    let mine = env.portal().my_bookings(&anna).await.expect("bookings");

    let off = Err(OnlineRefusal::ServiceNotActive);
    assert_eq!((mine[0].can_cancel, mine[0].can_rebook), (off, off), "rule 8");
}

#[tokio::test]
async fn my_booking_shows_one_of_my_bookings_in_any_status() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;
    env.cancelled_online(&anna, booking).await;

    let seen = env.portal().my_booking(&anna, booking).await.expect("booking");

    assert_eq!(seen.details.booking.status, BookingStatus::Cancelled);
    assert_eq!(seen.can_cancel, Err(OnlineRefusal::BookingNotActive));
}

#[tokio::test]
async fn another_residents_booking_and_a_booking_of_a_hidden_type_are_not_found() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let eriks = env.booked_online(&erik, at(day(2), 10, 0)).await;
    let hidden = env.booked_by_staff(&anna, &env.world.hidden, at(day(3), 10, 0)).await;

    for id in [eriks, hidden, BookingId::generate()] {
        let result = env.portal().my_booking(&anna, id).await;

        assert_matches!(result, Err(PortalError::NotFound), "{id}");
    }
}

// --- cancel ---

#[tokio::test]
async fn a_resident_cancels_with_a_reason_the_slot_is_freed_and_the_cancellation_confirmed() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;
    env.clock.set(now() + Duration::hours(1));

    let cancelled = env
        .portal()
        .cancel(&anna, booking, reason("Jag är frisk igen"))
        .await
        .expect("cancelled");

    let details = &cancelled.details;
    assert_eq!(details.booking.status, BookingStatus::Cancelled);
    let cancellation = details.booking.cancellation.as_ref().expect("rule 4: a cancellation");
    assert_eq!(cancellation.reason.as_str(), "Jag är frisk igen", "rule 4");
    assert_eq!(
        (cancellation.by, cancellation.at),
        (Actor::Resident(anna.id), now() + Duration::hours(1))
    );
    assert!(env.is_free(details.slot.id).await);
    assert_eq!(
        env.inbox(&anna).await,
        [NotificationKind::BookedOnline, NotificationKind::CancelledOnline]
    );
}

#[tokio::test]
async fn a_booking_starting_in_23_hours_cannot_be_cancelled_online() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let booking = env.booked_online(&anna, now() + Duration::hours(23)).await;

    let result = env.portal().cancel(&anna, booking, reason("Frisk")).await;

    assert_matches!(
        result,
        Err(PortalError::Refused(OnlineRefusal::CancellationWindowClosed)),
        "rule 2"
    );
    assert_eq!(env.booking(booking).await.booking.status, BookingStatus::Booked);
}

#[tokio::test]
async fn at_exactly_24_hours_before_the_start_cancelling_online_is_already_closed() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let starts_at = at(day(3), 10, 0);
    let booking = env.booked_online(&anna, starts_at).await;
    let cut_off = starts_at - Duration::hours(24);

    env.clock.set(cut_off);
    let at_the_cut_off = env.portal().cancel(&anna, booking, reason("Frisk")).await;
    env.clock.set(cut_off - Duration::seconds(1));
    let a_second_before = env.portal().cancel(&anna, booking, reason("Frisk")).await;

    assert_matches!(
        at_the_cut_off,
        Err(PortalError::Refused(OnlineRefusal::CancellationWindowClosed)),
        "rule 2: at {cut_off}"
    );
    assert!(a_second_before.is_ok(), "rule 2: {a_second_before:?}");
}

#[tokio::test]
async fn the_cut_off_is_24_real_hours_across_the_spring_forward_night() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    // Summer time begins at 02:00 on Sunday 29 March: 10:00 that Sunday is
    // 24 real hours after 09:00 on the Saturday, not after 10:00.
    let starts_at = at(day(27), 10, 0);
    let booking = env.booked_online(&anna, starts_at).await;
    env.clock.set(at(day(26), 9, 30));

    let result = env.portal().cancel(&anna, booking, reason("Frisk")).await;

    assert_matches!(
        result,
        Err(PortalError::Refused(OnlineRefusal::CancellationWindowClosed)),
        "rule 2: 09:30 on the Saturday is 23.5 real hours before 10:00 on the Sunday"
    );
}

#[tokio::test]
async fn a_visible_booking_cannot_be_cancelled_online_and_a_cancelable_one_can() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let visible = env.booked_by_staff(&anna, &env.world.visible, at(day(2), 10, 0)).await;
    let cancelable = env
        .booked_by_staff(&anna, &env.world.cancelable, at(day(3), 10, 0))
        .await;

    let refused = env.portal().cancel(&anna, visible, reason("Frisk")).await;
    let allowed = env.portal().cancel(&anna, cancelable, reason("Frisk")).await;

    assert_matches!(
        refused,
        Err(PortalError::Refused(OnlineRefusal::NotCancelableOnline)),
        "rule 7"
    );
    assert!(allowed.is_ok(), "rule 7: {allowed:?}");
}

#[tokio::test]
async fn a_booking_cannot_be_cancelled_twice() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;
    env.cancelled_online(&anna, booking).await;

    let second = env.portal().cancel(&anna, booking, reason("Frisk")).await;

    assert_matches!(second, Err(PortalError::Refused(OnlineRefusal::BookingNotActive)));
}

#[tokio::test]
async fn cancelling_is_refused_where_the_cancel_service_is_off() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;
    env.world
        .set_service(OnlineService::CancelRebookOnline, false, Audience::AllResidents)
        .await;

    let result = env.portal().cancel(&anna, booking, reason("Frisk")).await;

    assert_matches!(
        result,
        Err(PortalError::Refused(OnlineRefusal::ServiceNotActive)),
        "rule 8"
    );
}

#[tokio::test]
async fn another_residents_booking_cannot_be_cancelled() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let eriks = env.booked_online(&erik, at(day(2), 10, 0)).await;

    let result = env.portal().cancel(&anna, eriks, reason("Frisk")).await;

    assert_matches!(result, Err(PortalError::NotFound));
    assert_eq!(env.booking(eriks).await.booking.status, BookingStatus::Booked);
}

// --- rebook targets and dates ---

#[tokio::test]
async fn rebook_targets_are_free_slots_of_the_same_type_length_and_practitioner() {
    let env = Env::new().await;
    let w = &env.world;
    let colleague = env.colleague().await;
    let (anna, booking) = env.anna_booked_online().await;
    let fits = w
        .slots(&w.self_service, &[at(day(3), 10, 0), at(day(4), 10, 0)], 15)
        .await;
    w.slots(&w.self_service, &[at(day(3), 11, 0)], 30).await;
    w.slots(&w.adults_only, &[at(day(3), 12, 0)], 15).await;
    w.slots_for(colleague.id, &w.self_service, &[at(day(3), 13, 0)], 15)
        .await;
    w.slots(&w.self_service, &[at(today(), 8, 0)], 15).await;

    let targets = env
        .portal()
        .rebook_targets(&anna, booking, None, None)
        .await
        .expect("targets");

    let ids: Vec<_> = targets.iter().map(|t| t.slot.id).collect();
    assert_eq!(
        ids, fits,
        "rule 5: not another length, type or practitioner, nor a started slot"
    );
}

#[tokio::test]
async fn rebook_dates_count_the_targets_per_date_and_preselect_the_first() {
    let env = Env::new().await;
    let w = &env.world;
    let (anna, booking) = env.anna_booked_online().await;
    w.slots(
        &w.self_service,
        &[at(day(3), 10, 0), at(day(3), 10, 15), at(day(8), 10, 0)],
        15,
    )
    .await;

    let dates = env
        .portal()
        .rebook_dates(&anna, booking, Some(day(3)), Some(day(10)))
        .await
        .expect("dates");

    assert_eq!(dates.dates, [(day(3), 2), (day(8), 1)]);
    assert_eq!(dates.first_free_date, Some(day(3)), "rule 12");
    assert_eq!((dates.from, dates.to), (day(3), day(10)));
}

#[tokio::test]
async fn rebook_dates_beyond_the_horizon_or_backwards_are_refused() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;

    for (from, to) in [(day(3), day(57)), (day(4), day(3))] {
        let dates = env.portal().rebook_dates(&anna, booking, Some(from), Some(to)).await;
        let targets = env.portal().rebook_targets(&anna, booking, Some(from), Some(to)).await;

        assert_matches!(dates, Err(PortalError::OutsideHorizon), "{from} ..= {to}");
        assert_matches!(targets, Err(PortalError::OutsideHorizon), "{from} ..= {to}");
    }
}

#[tokio::test]
async fn no_rebook_targets_are_offered_for_a_booking_that_may_not_be_rebooked() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let cancelable = env
        .booked_by_staff(&anna, &env.world.cancelable, at(day(3), 10, 0))
        .await;
    let soon = env.booked_online(&anna, now() + Duration::hours(23)).await;

    let not_self_service = env.portal().rebook_targets(&anna, cancelable, None, None).await;
    let too_late = env.portal().rebook_dates(&anna, soon, None, None).await;
    let unknown = env
        .portal()
        .rebook_dates(&anna, BookingId::generate(), None, None)
        .await;

    assert_matches!(
        not_self_service,
        Err(PortalError::Refused(OnlineRefusal::NotRebookableOnline)),
        "rule 7"
    );
    assert_matches!(
        too_late,
        Err(PortalError::Refused(OnlineRefusal::CancellationWindowClosed)),
        "rule 2"
    );
    assert_matches!(unknown, Err(PortalError::NotFound));
}

// --- rebook ---

#[tokio::test]
async fn a_resident_rebooks_in_one_step_and_is_sent_a_confirmation() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;
    let old_slot = env.booking(booking).await.slot.id;
    let target = env.slot(&env.world.self_service, at(day(3), 10, 0)).await;

    let moved = env
        .portal()
        .rebook(&anna, booking, target, None)
        .await
        .expect("rebooked");

    let Committed::Created(new) = moved else {
        panic!("a first request creates: {moved:?}")
    };
    assert_eq!(new.details.slot.id, target);
    assert_eq!(new.details.booking.rebooked_from, Some(booking));
    assert_eq!(
        env.booking(new.details.booking.id).await,
        new.details,
        "what was written"
    );
    assert_eq!(env.booking(booking).await.booking.status, BookingStatus::Rebooked);
    assert!(env.is_free(old_slot).await);
    assert_eq!(
        env.inbox(&anna).await,
        [NotificationKind::BookedOnline, NotificationKind::RebookedOnline]
    );
}

#[tokio::test]
async fn a_rebooked_booking_can_be_rebooked_again_and_then_cancelled() {
    let env = Env::new().await;
    let w = &env.world;
    let (anna, first) = env.anna_booked_online().await;
    let targets = w
        .slots(&w.self_service, &[at(day(3), 10, 0), at(day(4), 10, 0)], 15)
        .await;
    let portal = env.portal();

    let second = portal.rebook(&anna, first, targets[0], None).await.expect("once");
    let second = second.value().details.booking.id;
    let third = portal.rebook(&anna, second, targets[1], None).await.expect("twice");
    let third = third.value().details.booking.id;
    let cancelled = portal.cancel(&anna, third, reason("Frisk")).await;

    assert!(cancelled.is_ok(), "rule 3: no limit on changes: {cancelled:?}");
}

#[tokio::test]
async fn each_kind_of_mismatched_target_is_refused_by_name() {
    let env = Env::new().await;
    let w = &env.world;
    let other = env.elsewhere().await;
    let colleague = env.colleague().await;
    let (anna, booking) = env.anna_booked_online().await;
    let own = env.booking(booking).await.slot.id;
    let targets = [
        (own, RebookMismatch::SameSlot),
        (
            other.slots(&other.self_service, &[at(day(3), 9, 0)], 15).await[0],
            RebookMismatch::Unit,
        ),
        (
            w.slots_for(colleague.id, &w.self_service, &[at(day(3), 10, 0)], 15)
                .await[0],
            RebookMismatch::Practitioner,
        ),
        (
            env.slot(&w.adults_only, at(day(3), 11, 0)).await,
            RebookMismatch::AppointmentType,
        ),
        (
            w.slots(&w.self_service, &[at(day(3), 12, 0)], 30).await[0],
            RebookMismatch::Length,
        ),
    ];

    for (target, mismatch) in targets {
        let result = env.portal().rebook(&anna, booking, target, None).await;

        assert_matches!(result, Err(PortalError::RebookMismatch(m)) if *m == mismatch, "rule 5: expected {mismatch:?}");
    }
    assert_eq!(env.booking(booking).await.booking.status, BookingStatus::Booked);
}

#[tokio::test]
async fn rebooking_to_an_unknown_taken_or_too_distant_slot_is_refused() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let erik = env.resident(2).await;
    let booking = env.booked_online(&anna, at(day(2), 10, 0)).await;
    let eriks = env.booked_online(&erik, at(day(3), 10, 0)).await;
    let eriks_slot = env.booking(eriks).await.slot.id;
    let distant = env.slot(&env.world.self_service, at(day(57), 10, 0)).await;
    let portal = env.portal();

    let unknown = portal.rebook(&anna, booking, SlotId::generate(), None).await;
    let taken = portal.rebook(&anna, booking, eriks_slot, None).await;
    let distant = portal.rebook(&anna, booking, distant, None).await;

    assert_matches!(unknown, Err(PortalError::NotFound));
    assert_matches!(taken, Err(PortalError::SlotTaken));
    assert_matches!(distant, Err(PortalError::OutsideHorizon), "rule 6");
    assert_eq!(env.booking(booking).await.booking.status, BookingStatus::Booked);
}

#[tokio::test]
async fn a_booking_starting_in_23_hours_cannot_be_rebooked_online() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let booking = env.booked_online(&anna, now() + Duration::hours(23)).await;
    let target = env.slot(&env.world.self_service, at(day(3), 10, 0)).await;

    let result = env.portal().rebook(&anna, booking, target, None).await;

    assert_matches!(
        result,
        Err(PortalError::Refused(OnlineRefusal::CancellationWindowClosed)),
        "rule 2"
    );
}

#[tokio::test]
async fn a_cancelable_booking_cannot_be_rebooked_online_nor_a_cancelled_one() {
    let env = Env::new().await;
    let w = &env.world;
    let anna = env.resident(1).await;
    let cancelable = env.booked_by_staff(&anna, &w.cancelable, at(day(2), 10, 0)).await;
    let cancelable_target = env.slot(&w.cancelable, at(day(3), 10, 0)).await;
    let cancelled = env.booked_online(&anna, at(day(4), 10, 0)).await;
    env.cancelled_online(&anna, cancelled).await;
    let target = env.slot(&w.self_service, at(day(5), 10, 0)).await;

    let policy = env.portal().rebook(&anna, cancelable, cancelable_target, None).await;
    let inactive = env.portal().rebook(&anna, cancelled, target, None).await;

    assert_matches!(
        policy,
        Err(PortalError::Refused(OnlineRefusal::NotRebookableOnline)),
        "rule 7"
    );
    assert_matches!(inactive, Err(PortalError::Refused(OnlineRefusal::BookingNotActive)));
}

#[tokio::test]
async fn rebooking_is_refused_where_the_service_is_off() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;
    let target = env.slot(&env.world.self_service, at(day(3), 10, 0)).await;
    env.world
        .set_service(OnlineService::CancelRebookOnline, true, Audience::RestrictedSelection)
        .await;

    let result = env.portal().rebook(&anna, booking, target, None).await;

    assert_matches!(
        result,
        Err(PortalError::Refused(OnlineRefusal::ServiceNotActive)),
        "rule 8"
    );
}

#[tokio::test]
async fn another_residents_booking_cannot_be_rebooked() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let eriks = env.booked_online(&erik, at(day(2), 10, 0)).await;
    let target = env.slot(&env.world.self_service, at(day(3), 10, 0)).await;

    let result = env.portal().rebook(&anna, eriks, target, None).await;

    assert_matches!(result, Err(PortalError::NotFound));
}

#[tokio::test]
async fn a_retried_rebooking_with_the_same_key_and_body_replays_the_first() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_online().await;
    let target = env.slot(&env.world.self_service, at(day(3), 10, 0)).await;
    let portal = env.portal();
    let first = portal
        .rebook(&anna, booking, target, Some(&key("r1", "to day 3")))
        .await;
    let first = first.expect("rebooked").value().details.booking.id;

    let retry = portal
        .rebook(&anna, booking, target, Some(&key("r1", "to day 3")))
        .await;

    assert_matches!(
        retry,
        Ok(Committed::Replayed(b)) if b.details.booking.id == first,
        "the old booking is rebooked now, yet the retry replays"
    );
    assert_eq!(
        env.inbox(&anna).await,
        [NotificationKind::BookedOnline, NotificationKind::RebookedOnline],
        "one confirmation of the move"
    );
}

#[tokio::test]
async fn a_rebooking_key_used_for_another_move_is_refused() {
    let env = Env::new().await;
    let w = &env.world;
    let (anna, booking) = env.anna_booked_online().await;
    let targets = w
        .slots(&w.self_service, &[at(day(3), 10, 0), at(day(4), 10, 0)], 15)
        .await;
    let portal = env.portal();
    let moved = portal
        .rebook(&anna, booking, targets[0], Some(&key("r1", "to day 3")))
        .await;
    let moved = moved.expect("rebooked").value().details.booking.id;

    let result = portal
        .rebook(&anna, moved, targets[1], Some(&key("r1", "to day 4")))
        .await;

    assert_matches!(result, Err(PortalError::IdempotencyKeyReused));
    assert!(env.is_free(targets[1]).await);
}

// --- inbox ---

#[tokio::test]
async fn the_inbox_holds_the_residents_own_messages_newest_first() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let booking = env.booked_online(&anna, at(day(2), 10, 0)).await;
    env.booked_online(&erik, at(day(2), 11, 0)).await;
    env.clock.set(now() + Duration::minutes(5));
    env.cancelled_online(&anna, booking).await;

    let inbox = env.portal().inbox(&anna).await.expect("inbox");

    let seen: Vec<_> = inbox.iter().map(|m| (m.kind, m.booking_id, m.created_at)).collect();
    assert_eq!(
        seen,
        [
            (
                NotificationKind::CancelledOnline,
                Some(booking),
                now() + Duration::minutes(5)
            ),
            (NotificationKind::BookedOnline, Some(booking), now()),
        ]
    );
}

#[tokio::test]
async fn a_message_is_read_and_marked_read_by_its_resident_only() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    env.booked_online(&anna, at(day(2), 10, 0)).await;
    let message = env.portal().inbox(&anna).await.expect("inbox")[0].clone();
    env.clock.set(now() + Duration::minutes(3));
    let portal = env.portal();

    let read = portal.mark_read(&anna, message.id).await.expect("marked");
    let one = portal.inbox_message(&anna, message.id).await.expect("message");
    let eriks_read = portal.inbox_message(&erik, message.id).await;
    let eriks_mark = portal.mark_read(&erik, message.id).await;
    let unknown = portal.inbox_message(&anna, uuid::Uuid::new_v4()).await;

    assert_eq!(read.read_at, Some(now() + Duration::minutes(3)));
    assert_eq!(one, read);
    assert_matches!(eriks_read, Err(PortalError::NotFound));
    assert_matches!(eriks_mark, Err(PortalError::NotFound));
    assert_matches!(unknown, Err(PortalError::NotFound));
}

#[tokio::test]
async fn a_message_about_a_booking_hidden_since_cannot_be_read_or_marked_by_its_id() {
    let env = Env::new().await;
    let (anna, booking) = env.anna_booked_by_staff().await;
    let message = env.portal().inbox(&anna).await.expect("inbox")[0].clone();
    env.hide(booking).await;

    let listed = env.portal().inbox(&anna).await.expect("inbox");
    let by_id = env.portal().inbox_message(&anna, message.id).await;

    assert!(listed.is_empty(), "rule 21: {listed:?}");
    assert_matches!(
        by_id,
        Err(PortalError::NotFound),
        "rule 21: the message of booking {booking} left the inbox, yet reads by id"
    );
    let marked = env.portal().mark_read(&anna, message.id).await;
    assert_matches!(marked, Err(PortalError::NotFound), "rule 21: nor can it be marked read");
}

// --- notification settings ---

#[tokio::test]
async fn notification_settings_are_stored_with_their_addresses() {
    let env = Env::new().await;
    let anna = env.resident(1).await;

    let saved = env
        .portal()
        .update_contact(
            &anna,
            Some(PhoneNumber::parse("070-123 45 67").expect("phone")),
            None,
            NotificationChoices {
                sms: true,
                email: false,
            },
            NotificationChoices { sms: true, email: true },
        )
        .await
        .expect("saved");

    assert_eq!(saved.phone.as_deref(), Some("+46701234567"));
    assert_eq!(
        saved.notifications,
        NotificationChoices {
            sms: true,
            email: false
        }
    );
    assert_eq!(env.store().resident(anna.id).await.expect("read"), Some(saved));
}

#[tokio::test]
async fn a_channel_cannot_be_turned_on_without_its_address() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let phone = PhoneNumber::parse("070-123 45 67").expect("phone");

    let sms = env
        .portal()
        .update_contact(
            &anna,
            None,
            None,
            NotificationChoices {
                sms: true,
                email: false,
            },
            NotificationChoices { sms: true, email: true },
        )
        .await;
    let email = env
        .portal()
        .update_contact(
            &anna,
            Some(phone),
            None,
            NotificationChoices { sms: true, email: true },
            NotificationChoices { sms: true, email: true },
        )
        .await;

    assert_matches!(sms, Err(PortalError::ContactRequired(Channel::Sms)));
    assert_matches!(email, Err(PortalError::ContactRequired(Channel::Email)));
    let stored = env.store().resident(anna.id).await.expect("read").expect("resident");
    assert_eq!(
        stored.notifications,
        NotificationChoices::default(),
        "nothing was saved"
    );
}

// --- access log ---

#[tokio::test]
async fn the_access_log_tells_the_resident_who_at_which_unit_read_their_data() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let booking = env.booked_online(&anna, at(day(2), 10, 0)).await;
    let eriks = env.booked_online(&erik, at(day(2), 11, 0)).await;
    let staff = env.staff();
    env.desk().booking(&staff, booking).await.expect("read");
    env.desk().booking(&staff, eriks).await.expect("read");

    let log = env.portal().access_log(&anna).await.expect("log");

    let lines: Vec<_> = log
        .iter()
        .map(|(l, unit)| (l.action, l.booking_id, StaffId::from_uuid(l.actor_id), unit.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [(
            AccessAction::ViewBooking,
            Some(booking),
            staff.id,
            Some("Vårdcentralen Test")
        )],
        "Erik's line is not Anna's"
    );
}
