//! The resident's booking flow end to end: find, book, see, cancel, rebook,
//! under every rule the portal enforces.

use crate::helpers::*;
use crate::on_both_backends;
use chrono::Duration;
use serde_json::{json, Value};
use tidbok_domain::time::local_date;
use tidbok_domain::*;

on_both_backends!(
    a_resident_books_sees_and_cancels_a_slot,
    the_calendar_preselects_the_first_free_date_and_lists_its_slots,
    dates_outside_the_eight_week_horizon_are_refused,
    booking_needs_the_terms_accepted_and_a_reason,
    a_slot_is_booked_only_once,
    a_retried_booking_with_the_same_key_returns_the_first_booking,
    only_self_service_types_are_offered_with_eligibility,
    a_17_year_old_cannot_book_an_18_plus_type,
    a_return_visit_needs_an_established_contact,
    a_booking_starting_within_24_hours_cannot_be_changed_online,
    a_staff_booked_cancelable_booking_can_be_cancelled_but_not_rebooked,
    a_visible_booking_is_shown_without_online_actions,
    hidden_types_and_hide_in_portal_bookings_never_reach_the_resident,
    rebooking_offers_and_accepts_only_the_same_type_length_and_practitioner,
    a_rebooking_can_be_retried_with_its_key,
    an_inactive_or_restricted_service_refuses_the_resident,
    other_residents_bookings_are_not_found,
    my_bookings_span_all_units,
    types_that_are_not_bookable_online_are_refused,
    a_resident_who_only_reads_is_not_recorded_until_their_first_write,
);

fn body_ok(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

async fn a_resident_books_sees_and_cancels_a_slot(app: TestApp) {
    let t = in_hours(72);
    let [slot] = app.slots(&app.world.self_service, &[t], 15).await[..] else {
        unreachable!()
    };
    let anna = resident_token(&adult_pnr(1));

    let response = app
        .post(
            "/api/v1/me/bookings",
            &anna,
            &json!({"slot_id": slot.to_string(), "reason_for_visit": "  Provtagning inför årskontroll ", "message": "Ring efter 15", "terms_accepted": true}),
        )
        .await;

    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let booking: Value = response.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/me/bookings/{}", booking["id"].as_str().unwrap())
    );
    assert_eq!(booking["status"], "booked");
    assert_eq!(booking["reason_for_visit"], "Provtagning inför årskontroll", "trimmed");
    assert_eq!(booking["message"], "Ring efter 15");
    assert_eq!(booking["booked_by"], "resident");
    assert_eq!(booking["unit"]["name"], "Vårdcentralen Test");
    assert_eq!(booking["practitioner"]["name"], "Ingela Ransnäs");
    assert_eq!(booking["appointment_type"]["name"], "Provtagning 1177");
    assert_eq!(booking["local_date"], local_date(t).to_string());
    assert_eq!(booking["length_minutes"], 15);
    assert_eq!(
        (booking["can_cancel"].clone(), booking["can_rebook"].clone()),
        (json!(true), json!(true))
    );

    let mine: Value = app.get("/api/v1/me/bookings", &anna).await.json().await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1, "{}", body_ok(&mine));
    assert_eq!(mine[0]["id"], booking["id"]);
    let one = app.get(&location, &anna).await;
    assert_eq!(one.status(), 200);
    let one: Value = one.json().await.unwrap();
    assert_eq!(one, booking, "the booking as answered is the booking as stored");

    let cancelled = app
        .post(&format!("{location}/cancel"), &anna, &json!({"reason": "Jag är frisk"}))
        .await;
    assert_eq!(cancelled.status(), 200);
    let cancelled: Value = cancelled.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellation"]["reason"], "Jag är frisk");
    assert_eq!(cancelled["cancellation"]["by"], "resident");
    assert_eq!(cancelled["can_cancel"], false);
    assert_eq!(cancelled["cannot_cancel_reason"], "booking_not_active");

    let mine: Value = app.get("/api/v1/me/bookings", &anna).await.json().await.unwrap();
    assert_eq!(mine, json!([]), "a cancelled booking leaves the list");
    let again = app
        .post(&format!("{location}/cancel"), &anna, &json!({"reason": "igen"}))
        .await;
    assert_problem(again, 409, "booking-not-active").await;
    // Rule 3 and a freed slot: it can be booked again at once.
    assert_eq!(app.book(&anna, slot).await.status(), 201);
}

async fn the_calendar_preselects_the_first_free_date_and_lists_its_slots(app: TestApp) {
    let day3 = in_hours(24 * 3);
    let day5 = in_hours(24 * 5);
    let slots = app
        .slots(
            &app.world.self_service,
            &[day3, day3 + Duration::minutes(15), day5, day5 + Duration::minutes(20)],
            15,
        )
        .await;
    let bo = resident_token(&adult_pnr(2));
    app.booked(&bo, slots[0]).await;
    app.booked(&bo, slots[1]).await;
    let anna = resident_token(&adult_pnr(1));
    let base = format!(
        "/api/v1/units/{}/appointment-types/{}",
        app.world.unit.id, app.world.self_service.id
    );

    let dates: Value = app
        .get(&format!("{base}/available-dates"), &anna)
        .await
        .json()
        .await
        .unwrap();

    let today = local_date(now());
    assert_eq!(dates["horizon_first"], today.to_string());
    assert_eq!(dates["horizon_last"], (today + Duration::weeks(8)).to_string());
    assert_eq!(
        dates["first_free_date"],
        local_date(day5).to_string(),
        "{}",
        body_ok(&dates)
    );
    assert_eq!(
        dates["dates"],
        json!([{"date": local_date(day5).to_string(), "free_slots": 2}])
    );

    let day = local_date(day5);
    let slots_of_day: Value = app
        .get(&format!("{base}/slots?date={day}"), &anna)
        .await
        .json()
        .await
        .unwrap();
    let starts: Vec<_> = slots_of_day
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(starts.len(), 2, "{}", body_ok(&slots_of_day));
    assert_eq!(slots_of_day[0]["id"], slots[2].to_string());
    assert_eq!(slots_of_day[0]["practitioner"]["name"], "Ingela Ransnäs");
    assert_eq!(slots_of_day[0]["local_date"], day.to_string());

    let narrowed: Value = app
        .get(
            &format!("{base}/available-dates?from={today}&to={}", local_date(day3)),
            &anna,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(narrowed["first_free_date"], Value::Null);
    assert_eq!(narrowed["dates"], json!([]));
}

async fn dates_outside_the_eight_week_horizon_are_refused(app: TestApp) {
    let anna = resident_token(&adult_pnr(1));
    let base = format!(
        "/api/v1/units/{}/appointment-types/{}",
        app.world.unit.id, app.world.self_service.id
    );
    let today = local_date(now());
    let beyond = today + Duration::weeks(8) + Duration::days(1);
    for path in [
        format!("{base}/available-dates?from={}", today - Duration::days(1)),
        format!("{base}/available-dates?to={beyond}"),
        format!("{base}/available-dates?from={}&to={today}", today + Duration::days(3)),
        format!("{base}/slots?date={beyond}"),
        format!("{base}/slots?date={}", today - Duration::days(1)),
    ] {
        assert_problem(app.get(&path, &anna).await, 422, "date-outside-horizon").await;
    }
    let [late] = app.slots(&app.world.self_service, &[in_hours(24 * 7 * 9)], 15).await[..] else {
        unreachable!()
    };
    assert_problem(app.book(&anna, late).await, 422, "date-outside-horizon").await;
    let [past] = app.slots(&app.world.self_service, &[in_hours(-3)], 15).await[..] else {
        unreachable!()
    };
    assert_problem(app.book(&anna, past).await, 422, "date-outside-horizon").await;
}

async fn booking_needs_the_terms_accepted_and_a_reason(app: TestApp) {
    let [slot] = app.slots(&app.world.self_service, &[in_hours(50)], 15).await[..] else {
        unreachable!()
    };
    let anna = resident_token(&adult_pnr(1));
    let mut body = book_body(slot);
    body["terms_accepted"] = json!(false);
    assert_problem(
        app.post("/api/v1/me/bookings", &anna, &body).await,
        422,
        "terms-not-accepted",
    )
    .await;

    body["terms_accepted"] = json!(true);
    body["reason_for_visit"] = json!("   ");
    let blank = assert_problem(
        app.post("/api/v1/me/bookings", &anna, &body).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(blank["errors"][0]["field"], "reason_for_visit");
    assert_eq!(blank["errors"][0]["code"], "blank");

    body["reason_for_visit"] = json!("x".repeat(501));
    let long = assert_problem(
        app.post("/api/v1/me/bookings", &anna, &body).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(long["errors"][0]["field"], "reason_for_visit");
    assert_eq!(long["errors"][0]["code"], "length");

    let mine: Value = app.get("/api/v1/me/bookings", &anna).await.json().await.unwrap();
    assert_eq!(mine, json!([]), "nothing was booked by the refused requests");
}

async fn a_slot_is_booked_only_once(app: TestApp) {
    let [slot] = app.slots(&app.world.self_service, &[in_hours(50)], 15).await[..] else {
        unreachable!()
    };
    app.booked(&resident_token(&adult_pnr(1)), slot).await;
    let second = app.book(&resident_token(&adult_pnr(2)), slot).await;
    assert_problem(second, 409, "slot-already-booked").await;
}

async fn a_retried_booking_with_the_same_key_returns_the_first_booking(app: TestApp) {
    let [slot, other] = app
        .slots(&app.world.self_service, &[in_hours(50), in_hours(51)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let anna = resident_token(&adult_pnr(1));
    let send = |body: Value, key: &'static str| {
        let request = app
            .client
            .post(app.url("/api/v1/me/bookings"))
            .bearer_auth(&anna)
            .header("Idempotency-Key", key)
            .json(&body);
        async move { request.send().await.unwrap() }
    };

    let first = send(book_body(slot), "4b7c1f2e-retry").await;
    let retry = send(book_body(slot), "4b7c1f2e-retry").await;
    let other_body = send(book_body(other), "4b7c1f2e-retry").await;

    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let (a, b): (Value, Value) = (first.json().await.unwrap(), retry.json().await.unwrap());
    assert_eq!(a["id"], b["id"]);
    assert_problem(other_body, 422, "idempotency-key-reused").await;
    let mine: Value = app.get("/api/v1/me/bookings", &anna).await.json().await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);

    let bad_key = app
        .client
        .post(app.url("/api/v1/me/bookings"))
        .bearer_auth(&anna)
        .header("Idempotency-Key", "x".repeat(300))
        .json(&book_body(other))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(bad_key, 422, "validation-failed").await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");

    // A retry that a check it passed the first time would now refuse (the
    // service was switched off since) still gets the stored answer; without
    // the key the same request is refused.
    app.world
        .set_service(OnlineService::BookOnline, false, Audience::AllResidents)
        .await;
    let late = send(book_body(slot), "4b7c1f2e-retry").await;
    assert_eq!(late.status(), 201);
    assert_eq!(late.headers()["idempotent-replayed"], "true");
    let c: Value = late.json().await.unwrap();
    assert_eq!(c["id"], a["id"]);
    assert_problem(app.book(&anna, other).await, 403, "service-not-active").await;
    let reused = send(book_body(other), "4b7c1f2e-retry").await;
    assert_problem(reused, 422, "idempotency-key-reused").await;
}

async fn only_self_service_types_are_offered_with_eligibility(app: TestApp) {
    for (i, ty) in app.world.types().into_iter().enumerate() {
        app.slots(ty, &[in_hours(100 + i as i64)], 15).await;
    }
    let anna = resident_token(&adult_pnr(1));
    let types: Value = app
        .get(&format!("/api/v1/units/{}/appointment-types", app.world.unit.id), &anna)
        .await
        .json()
        .await
        .unwrap();
    let mut names: Vec<_> = types
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Diabetessköterska Återbesök 1177",
            "Provtagning 1177",
            "Sjukgymnast Nybesök 1177"
        ]
    );
    let by_name = |n: &str| {
        types
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("Provtagning 1177")["bookable"], true);
    assert_eq!(by_name("Sjukgymnast Nybesök 1177")["eligibility"]["min_age_years"], 18);
    assert_eq!(
        by_name("Sjukgymnast Nybesök 1177")["bookable"],
        true,
        "Anna is an adult"
    );
    let return_visit = by_name("Diabetessköterska Återbesök 1177");
    assert_eq!(return_visit["bookable"], false);
    assert_eq!(return_visit["not_bookable_reason"], "established_contact_required");
}

/// Someone who turns 18 in 30 days.
fn seventeen_year_old() -> String {
    let birth = local_date(now())
        .checked_sub_months(chrono::Months::new(18 * 12))
        .unwrap()
        + Duration::days(30);
    pnr_born(birth, 123)
}

async fn a_17_year_old_cannot_book_an_18_plus_type(app: TestApp) {
    let [slot] = app.slots(&app.world.adults_only, &[in_hours(100)], 45).await[..] else {
        unreachable!()
    };
    let nora = resident_token(&seventeen_year_old());

    let types: Value = app
        .get(&format!("/api/v1/units/{}/appointment-types", app.world.unit.id), &nora)
        .await
        .json()
        .await
        .unwrap();
    let physio = types
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == app.world.adults_only.id.to_string())
        .unwrap();
    assert_eq!(physio["bookable"], false);
    assert_eq!(physio["not_bookable_reason"], "below_minimum_age");

    let refused = assert_problem(app.book(&nora, slot).await, 422, "not-eligible").await;
    assert_eq!(refused["reason"], "below_minimum_age");
    assert_eq!(refused["min_age_years"], 18);
    let dates = app
        .get(
            &format!(
                "/api/v1/units/{}/appointment-types/{}/available-dates",
                app.world.unit.id, app.world.adults_only.id
            ),
            &nora,
        )
        .await;
    assert_problem(dates, 422, "not-eligible").await;
    assert_eq!(
        app.book(&resident_token(&adult_pnr(3)), slot).await.status(),
        201,
        "an adult may"
    );
}

async fn a_return_visit_needs_an_established_contact(app: TestApp) {
    let slots = app
        .slots(&app.world.return_visit, &[in_hours(100), in_hours(101)], 15)
        .await;
    let pnr = adult_pnr(4);
    let anna = resident_token(&pnr);
    let refused = assert_problem(app.book(&anna, slots[0]).await, 422, "not-eligible").await;
    assert_eq!(refused["reason"], "established_contact_required");

    // Staff book her a visit of the same profession: now she has a contact.
    let [visit] = app.slots(&app.world.visible, &[in_hours(30)], 15).await[..] else {
        unreachable!()
    };
    let resident = app.world.resident(&pnr).await;
    app.staff_books(&resident, visit, false).await;

    assert_eq!(app.book(&anna, slots[1]).await.status(), 201);
}

async fn a_booking_starting_within_24_hours_cannot_be_changed_online(app: TestApp) {
    let slots = app
        .slots(
            &app.world.self_service,
            &[now() + Duration::hours(23), in_hours(72)],
            15,
        )
        .await;
    let anna = resident_token(&adult_pnr(1));
    let soon = app.booked(&anna, slots[0]).await;

    assert_eq!(soon["can_cancel"], false);
    assert_eq!(soon["cannot_cancel_reason"], "cancellation_window_closed");
    assert_eq!(soon["can_rebook"], false);
    assert_eq!(soon["cannot_rebook_reason"], "cancellation_window_closed");
    let id = soon["id"].as_str().unwrap();
    let cancel = app
        .post(
            &format!("/api/v1/me/bookings/{id}/cancel"),
            &anna,
            &json!({"reason": "Förhinder"}),
        )
        .await;
    assert_problem(cancel, 422, "cancellation-window-closed").await;
    let rebook = app
        .post(
            &format!("/api/v1/me/bookings/{id}/rebook"),
            &anna,
            &json!({"slot_id": slots[1].to_string()}),
        )
        .await;
    assert_problem(rebook, 422, "cancellation-window-closed").await;
    let targets = app
        .get(&format!("/api/v1/me/bookings/{id}/rebook-targets"), &anna)
        .await;
    assert_problem(targets, 422, "cancellation-window-closed").await;
    let dates = app.get(&format!("/api/v1/me/bookings/{id}/rebook-dates"), &anna).await;
    assert_problem(dates, 422, "cancellation-window-closed").await;
    let still: Value = app
        .get(&format!("/api/v1/me/bookings/{id}"), &anna)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["status"], "booked");
}

async fn a_staff_booked_cancelable_booking_can_be_cancelled_but_not_rebooked(app: TestApp) {
    let slots = app
        .slots(&app.world.cancelable, &[in_hours(72), in_hours(73)], 15)
        .await;
    let pnr = adult_pnr(5);
    let resident = app.world.resident(&pnr).await;
    let id = app.staff_books(&resident, slots[0], false).await;
    let token = resident_token(&pnr);

    let mine: Value = app.get("/api/v1/me/bookings", &token).await.json().await.unwrap();
    assert_eq!(mine[0]["id"], id.to_string());
    assert_eq!(mine[0]["booked_by"], "staff");
    assert_eq!(mine[0]["appointment_type"]["portal_policy"], "cancelable");
    assert_eq!(mine[0]["can_cancel"], true);
    assert_eq!(mine[0]["can_rebook"], false);
    assert_eq!(mine[0]["cannot_rebook_reason"], "not_rebookable_online");

    let rebook = app
        .post(
            &format!("/api/v1/me/bookings/{id}/rebook"),
            &token,
            &json!({"slot_id": slots[1].to_string()}),
        )
        .await;
    assert_problem(rebook, 422, "not-rebookable-online").await;
    let cancel = app
        .post(
            &format!("/api/v1/me/bookings/{id}/cancel"),
            &token,
            &json!({"reason": "Bortrest"}),
        )
        .await;
    assert_eq!(cancel.status(), 200);
}

async fn a_visible_booking_is_shown_without_online_actions(app: TestApp) {
    let [slot] = app.slots(&app.world.visible, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    let pnr = adult_pnr(6);
    let id = app.staff_books(&app.world.resident(&pnr).await, slot, false).await;
    let token = resident_token(&pnr);

    let mine: Value = app.get("/api/v1/me/bookings", &token).await.json().await.unwrap();
    assert_eq!(mine[0]["cannot_cancel_reason"], "not_cancelable_online");
    assert_eq!(mine[0]["cannot_rebook_reason"], "not_rebookable_online");
    let cancel = app
        .post(
            &format!("/api/v1/me/bookings/{id}/cancel"),
            &token,
            &json!({"reason": "x"}),
        )
        .await;
    assert_problem(cancel, 422, "not-cancelable-online").await;
}

async fn hidden_types_and_hide_in_portal_bookings_never_reach_the_resident(app: TestApp) {
    let [admin] = app.slots(&app.world.hidden, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    let [flagged] = app.slots(&app.world.cancelable, &[in_hours(74)], 15).await[..] else {
        unreachable!()
    };
    let pnr = adult_pnr(7);
    let resident = app.world.resident(&pnr).await;
    let hidden_type = app.staff_books(&resident, admin, false).await;
    let hidden_flag = app.staff_books(&resident, flagged, true).await;
    let token = resident_token(&pnr);

    let mine: Value = app.get("/api/v1/me/bookings", &token).await.json().await.unwrap();
    assert_eq!(mine, json!([]));
    for id in [hidden_type, hidden_flag] {
        assert_problem(
            app.get(&format!("/api/v1/me/bookings/{id}"), &token).await,
            404,
            "not-found",
        )
        .await;
        let cancel = app
            .post(
                &format!("/api/v1/me/bookings/{id}/cancel"),
                &token,
                &json!({"reason": "x"}),
            )
            .await;
        assert_problem(cancel, 404, "not-found").await;
    }
    let [free_admin] = app.slots(&app.world.hidden, &[in_hours(80)], 15).await[..] else {
        unreachable!()
    };
    assert_problem(app.book(&token, free_admin).await, 404, "not-found").await;
}

async fn rebooking_offers_and_accepts_only_the_same_type_length_and_practitioner(app: TestApp) {
    let t = in_hours(72);
    let same = app
        .slots(&app.world.self_service, &[t, t + Duration::hours(24)], 15)
        .await;
    let [longer] = app.slots(&app.world.self_service, &[t + Duration::hours(2)], 30).await[..] else {
        unreachable!()
    };
    let [other_type] = app.slots(&app.world.cancelable, &[t + Duration::hours(3)], 15).await[..] else {
        unreachable!()
    };
    let colleague = Practitioner {
        id: PractitionerId::generate(),
        unit_id: app.world.unit.id,
        name: "Teodora Tuomainen".into(),
        profession: "Sjuksköterska".into(),
    };
    app.world.store.insert_practitioner(&colleague).await.unwrap();
    let [other_practitioner] = app
        .world
        .slots_for(colleague.id, &app.world.self_service, &[t + Duration::hours(4)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let anna = resident_token(&adult_pnr(1));
    let booking = app.booked(&anna, same[0]).await;
    let id = booking["id"].as_str().unwrap();

    let targets: Value = app
        .get(&format!("/api/v1/me/bookings/{id}/rebook-targets"), &anna)
        .await
        .json()
        .await
        .unwrap();
    let offered: Vec<_> = targets
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(offered, vec![same[1].to_string()]);
    // The calendar of targets: only the date of the one allowed target, and
    // that date's times alone.
    let dates: Value = app
        .get(&format!("/api/v1/me/bookings/{id}/rebook-dates"), &anna)
        .await
        .json()
        .await
        .unwrap();
    let target_day = tidbok_domain::time::local_date(t + Duration::hours(24));
    assert_eq!(dates["first_free_date"], json!(target_day.to_string()), "{dates}");
    assert_eq!(
        dates["dates"],
        json!([{"date": target_day.to_string(), "free_slots": 1}])
    );
    let of_day: Value = app
        .get(
            &format!("/api/v1/me/bookings/{id}/rebook-targets?from={target_day}&to={target_day}"),
            &anna,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(of_day.as_array().unwrap().len(), 1);

    for (slot, mismatch) in [
        (longer, "length"),
        (other_type, "appointment_type"),
        (other_practitioner, "practitioner"),
        (same[0], "same_slot"),
    ] {
        let refused = app
            .post(
                &format!("/api/v1/me/bookings/{id}/rebook"),
                &anna,
                &json!({"slot_id": slot.to_string()}),
            )
            .await;
        let problem = assert_problem(refused, 422, "rebook-mismatch").await;
        assert_eq!(problem["mismatch"], mismatch);
    }

    let moved = app
        .post(
            &format!("/api/v1/me/bookings/{id}/rebook"),
            &anna,
            &json!({"slot_id": same[1].to_string()}),
        )
        .await;
    assert_eq!(moved.status(), 201);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["rebooked_from"], id);
    assert_eq!(
        moved["reason_for_visit"], "Kontroll av blodtryck",
        "the reason moves along"
    );
    let old: Value = app
        .get(&format!("/api/v1/me/bookings/{id}"), &anna)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(old["status"], "rebooked");
    let mine: Value = app.get("/api/v1/me/bookings", &anna).await.json().await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0], moved, "the rebooking as answered is the booking as stored");
    // The old slot is free for others at once.
    assert_eq!(app.book(&resident_token(&adult_pnr(2)), same[0]).await.status(), 201);
}

async fn a_rebooking_can_be_retried_with_its_key(app: TestApp) {
    let slots = app
        .slots(&app.world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await;
    let anna = resident_token(&adult_pnr(1));
    let id = app.booked(&anna, slots[0]).await["id"].as_str().unwrap().to_owned();
    let send = || {
        app.client
            .post(app.url(&format!("/api/v1/me/bookings/{id}/rebook")))
            .bearer_auth(&anna)
            .header("Idempotency-Key", "move-1")
            .json(&json!({"slot_id": slots[1].to_string()}))
            .send()
    };

    let first = send().await.unwrap();
    let retry = send().await.unwrap();

    assert_eq!(first.status(), 201);
    assert_eq!(retry.status(), 201, "a retry is not a booking-not-active conflict");
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let (a, b): (Value, Value) = (first.json().await.unwrap(), retry.json().await.unwrap());
    assert_eq!(a["id"], b["id"]);
}

async fn an_inactive_or_restricted_service_refuses_the_resident(app: TestApp) {
    let slots = app
        .slots(&app.world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await;
    let pnr = adult_pnr(1);
    let anna = resident_token(&pnr);
    let booking = app.booked(&anna, slots[0]).await;
    let id = booking["id"].as_str().unwrap();
    let unit = app.world.unit.id;

    app.world
        .set_service(OnlineService::BookOnline, false, Audience::AllResidents)
        .await;
    let refused = assert_problem(app.book(&anna, slots[1]).await, 403, "service-not-active").await;
    assert_eq!(refused["service"], "book_online");
    assert_problem(
        app.get(&format!("/api/v1/units/{unit}/appointment-types"), &anna).await,
        403,
        "service-not-active",
    )
    .await;
    let units: Value = app.get("/api/v1/units", &anna).await.json().await.unwrap();
    let services = &units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == unit.to_string())
        .unwrap()["services"];
    assert_eq!(
        services[0],
        json!({"service": "book_online", "available": false, "terms_html": "<p>Villkor för book_online.</p>"})
    );

    app.world
        .set_service(OnlineService::CancelRebookOnline, true, Audience::RestrictedSelection)
        .await;
    let mine: Value = app.get("/api/v1/me/bookings", &anna).await.json().await.unwrap();
    assert_eq!(mine[0]["cannot_cancel_reason"], "service_not_active");
    let cancel = app
        .post(
            &format!("/api/v1/me/bookings/{id}/cancel"),
            &anna,
            &json!({"reason": "x"}),
        )
        .await;
    let problem = assert_problem(cancel, 403, "service-not-active").await;
    assert_eq!(problem["service"], "cancel_rebook_online");

    let resident = app.world.resident(&pnr).await;
    app.world
        .store
        .add_to_selection(unit, OnlineService::CancelRebookOnline, &resident.pnr)
        .await
        .unwrap();
    let cancel = app
        .post(
            &format!("/api/v1/me/bookings/{id}/cancel"),
            &anna,
            &json!({"reason": "x"}),
        )
        .await;
    assert_eq!(cancel.status(), 200, "in the selection");
}

async fn other_residents_bookings_are_not_found(app: TestApp) {
    let slots = app
        .slots(&app.world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await;
    let anna = resident_token(&adult_pnr(1));
    let bo = resident_token(&adult_pnr(2));
    let annas = app.booked(&anna, slots[0]).await["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/me/bookings/{annas}");

    assert_problem(app.get(&base, &bo).await, 404, "not-found").await;
    assert_problem(app.get(&format!("{base}/rebook-targets"), &bo).await, 404, "not-found").await;
    assert_problem(
        app.post(&format!("{base}/cancel"), &bo, &json!({"reason": "x"})).await,
        404,
        "not-found",
    )
    .await;
    let rebook = app
        .post(
            &format!("{base}/rebook"),
            &bo,
            &json!({"slot_id": slots[1].to_string()}),
        )
        .await;
    assert_problem(rebook, 404, "not-found").await;
    let unknown = uuid::Uuid::new_v4();
    assert_problem(
        app.get(&format!("/api/v1/me/bookings/{unknown}"), &bo).await,
        404,
        "not-found",
    )
    .await;

    let still: Value = app.get(&base, &anna).await.json().await.unwrap();
    assert_eq!(still["status"], "booked", "Bo changed nothing");
    assert_eq!(
        app.world.store.slot(slots[1]).await.unwrap().unwrap().slot.booking_id,
        None
    );
}

async fn my_bookings_span_all_units(app: TestApp) {
    let second = Unit {
        id: UnitId::generate(),
        region_id: app.world.region.id,
        name: "Vårdcentralen Nöbbelöv".into(),
        phone: None,
        address: None,
        reminders: Default::default(),
    };
    app.world.store.insert_unit(&second).await.unwrap();
    let doctor = Practitioner {
        id: PractitionerId::generate(),
        unit_id: second.id,
        name: "Teodora Tuomainen".into(),
        profession: "Läkare".into(),
    };
    app.world.store.insert_practitioner(&doctor).await.unwrap();
    let planned = tidbok_domain::schedule::PlannedSlot {
        unit_id: second.id,
        practitioner_id: doctor.id,
        appointment_type_id: app.world.cancelable.id,
        starts_at: in_hours(60),
        ends_at: in_hours(60) + Duration::minutes(15),
        local_date: local_date(in_hours(60)),
    };
    app.world.store.insert_slots(&[planned]).await.unwrap();
    let q = tidbok_domain::ports::FreeSlotQuery {
        unit_id: second.id,
        appointment_type_id: app.world.cancelable.id,
        practitioner_id: None,
        length_minutes: None,
        from: local_date(in_hours(60)),
        to: local_date(in_hours(60)),
        starting_after: now(),
    };
    let elsewhere = app.world.store.free_slots(&q).await.unwrap()[0].slot.id;
    let pnr = adult_pnr(8);
    let token = resident_token(&pnr);
    app.staff_books(&app.world.resident(&pnr).await, elsewhere, false).await;
    let [here] = app.slots(&app.world.self_service, &[in_hours(90)], 15).await[..] else {
        unreachable!()
    };
    app.booked(&token, here).await;

    let mine: Value = app.get("/api/v1/me/bookings", &token).await.json().await.unwrap();

    let units: Vec<_> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["unit"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        units,
        ["Vårdcentralen Nöbbelöv", "Vårdcentralen Test"],
        "both units, by start"
    );
}

async fn types_that_are_not_bookable_online_are_refused(app: TestApp) {
    let anna = resident_token(&adult_pnr(1));
    let [slot] = app.slots(&app.world.cancelable, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    assert_problem(app.book(&anna, slot).await, 422, "not-bookable-online").await;
    let dates = app
        .get(
            &format!(
                "/api/v1/units/{}/appointment-types/{}/available-dates",
                app.world.unit.id, app.world.cancelable.id
            ),
            &anna,
        )
        .await;
    assert_problem(dates, 422, "not-bookable-online").await;
    let unknown = format!(
        "/api/v1/units/{}/appointment-types/{}/available-dates",
        app.world.unit.id,
        uuid::Uuid::new_v4()
    );
    assert_problem(app.get(&unknown, &anna).await, 404, "not-found").await;
    let no_slot = app.book(&anna, SlotId::generate()).await;
    assert_problem(no_slot, 404, "not-found").await;
}

async fn a_resident_who_only_reads_is_not_recorded_until_their_first_write(app: TestApp) {
    let pnr = adult_pnr(91);
    let number = PersonalIdentityNumber::parse(&pnr, tidbok_domain::time::local_date(now())).unwrap();
    let token = resident_token(&pnr);
    for path in [
        "/api/v1/units",
        "/api/v1/me/bookings",
        "/api/v1/me/inbox",
        "/api/v1/me/notification-settings",
        "/api/v1/me/access-log",
    ] {
        assert_eq!(app.get(path, &token).await.status(), 200, "{path}");
    }
    assert!(
        app.world.store.resident_by_pnr(&number).await.unwrap().is_none(),
        "reads write nothing"
    );
    let [slot] = app.slots(&app.world.self_service, &[in_hours(60)], 15).await[..] else {
        unreachable!()
    };
    app.booked(&token, slot).await;
    let recorded = app.world.store.resident_by_pnr(&number).await.unwrap();
    assert_eq!(
        recorded.and_then(|r| r.name).map(|n| n.as_str().to_owned()).as_deref(),
        Some("Testa Testsson"),
        "the first booking records the resident with the token's name"
    );
}
