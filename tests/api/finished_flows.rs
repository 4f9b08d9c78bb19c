//! The rules that finish the staff flows (rules 20–22 of docs/domain.md):
//! no booking into a time that has started unless a visit is explicitly
//! recorded after the fact; hidden bookings never reach the resident; voiding
//! tells a resident who was told; public holidays are not published from
//! templates; publishing can be tried first; staff confirm whom they book.

use crate::helpers::*;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::{json, Value};
use tidbok_domain::ports::AccessLogFilter;
use tidbok_domain::*;

crate::on_both_backends!(
    staff_cannot_book_a_time_that_has_started_unless_recording_a_visit_after_the_fact,
    hidden_bookings_never_notify_and_never_reach_the_inbox,
    voiding_a_booking_tells_the_resident_who_was_told_about_it,
    an_arrived_booking_shows_to_its_resident_as_visited,
    templates_skip_public_holidays_unless_the_unit_publishes_on_them,
    a_dry_run_reports_what_publishing_would_do_and_changes_nothing,
    staff_look_a_resident_up_before_booking_and_the_look_up_is_logged,
    the_staff_members_own_book_is_named_by_staff_me
);

fn bookings(app: &TestApp) -> String {
    format!("/api/v1/units/{}/bookings", app.world.unit.id)
}

async fn log_actions(app: &TestApp, booking: Option<&str>) -> Vec<AccessAction> {
    let filter = AccessLogFilter {
        limit: 100,
        ..Default::default()
    };
    app.world
        .store
        .unit_access_log(app.world.unit.id, &filter)
        .await
        .unwrap()
        .into_iter()
        .filter(|(e, _)| booking.is_none_or(|b| e.booking_id.map(|id| id.to_string()).as_deref() == Some(b)))
        .map(|(e, _)| e.action)
        .collect()
}

async fn inbox(app: &TestApp, pnr: &str) -> Value {
    let response = app.get("/api/v1/me/inbox", &resident_token(pnr)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Whether any message about the booking was ever written (the inbox the
/// resident reads leaves out messages of bookings hidden since).
async fn notified(app: &TestApp, booking: &Value) -> bool {
    let id = BookingId::from_uuid(booking["id"].as_str().unwrap().parse().unwrap());
    app.world.store.was_notified(id).await.unwrap()
}

async fn staff_cannot_book_a_time_that_has_started_unless_recording_a_visit_after_the_fact(app: TestApp) {
    let slots = app
        .slots(&app.world.cancelable, &[in_hours(-1), in_hours(48), in_hours(49)], 15)
        .await;
    let (past, future, later) = (slots[0], slots[1], slots[2]);
    let pnr = adult_pnr(71);
    let staff = app.staff();

    let refused = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": past.to_string(), "reason_for_visit": "Kontroll"}),
        )
        .await;
    let problem = assert_problem(refused, 422, "starts-in-past").await;
    assert!(problem["detail"].as_str().unwrap().contains("started"), "{problem}");
    let slot = app.world.store.slot(past).await.unwrap().unwrap();
    assert!(slot.slot.is_free(), "a refused booking leaves the slot free");
    assert!(
        app.world.store.resident_by_pnr(&pnr_of(&pnr)).await.unwrap().is_none(),
        "a refused booking records no resident"
    );

    let ad_hoc = json!({
        "personal_identity_number": pnr,
        "ad_hoc": {
            "practitioner_id": app.world.practitioner.id.to_string(),
            "appointment_type_id": app.world.cancelable.id.to_string(),
            "starts_at": (now() - Duration::minutes(30)).to_rfc3339(),
            "length_minutes": 15
        }
    });
    assert_problem(app.post(&bookings(&app), &staff, &ad_hoc).await, 422, "starts-in-past").await;

    let not_started = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": future.to_string(), "record_after_the_fact": true}),
        )
        .await;
    let problem = assert_problem(not_started, 422, "validation-failed").await;
    assert_eq!(problem["errors"][0]["field"], "record_after_the_fact");
    assert_eq!(problem["errors"][0]["code"], "not_started");

    let recorded = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": past.to_string(), "reason_for_visit": "Akut besök", "record_after_the_fact": true}),
        )
        .await;
    assert_eq!(recorded.status(), 201, "recording a visit after the fact is allowed");
    let recorded: Value = recorded.json().await.unwrap();
    let id = recorded["id"].as_str().unwrap();
    assert!(
        !notified(&app, &recorded).await,
        "a visit recorded after the fact notifies no one"
    );
    assert_eq!(log_actions(&app, Some(id)).await, [AccessAction::RecordAfterTheFact]);

    // A booking ahead is fine; moving it into a time that has started is not.
    let ahead: Value = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": later.to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let [earlier] = app.slots(&app.world.cancelable, &[in_hours(-2)], 15).await[..] else {
        unreachable!()
    };
    let moved = app
        .post(
            &format!("/api/v1/bookings/{}/rebook", ahead["id"].as_str().unwrap()),
            &staff,
            &json!({"slot_id": earlier.to_string()}),
        )
        .await;
    assert_problem(moved, 422, "starts-in-past").await;
    assert!(app.world.store.slot(earlier).await.unwrap().unwrap().slot.is_free());
}

fn pnr_of(text: &str) -> PersonalIdentityNumber {
    PersonalIdentityNumber::parse(text, tidbok_domain::time::local_date(now())).unwrap()
}

async fn hidden_bookings_never_notify_and_never_reach_the_inbox(app: TestApp) {
    let [admin_slot] = app.slots(&app.world.hidden, &[in_hours(50)], 15).await[..] else {
        unreachable!()
    };
    let [flagged, shown] = app
        .slots(&app.world.cancelable, &[in_hours(51), in_hours(52)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let pnr = adult_pnr(72);
    let staff = app.staff();
    for body in [
        json!({"personal_identity_number": pnr, "slot_id": admin_slot.to_string()}),
        json!({"personal_identity_number": pnr, "slot_id": flagged.to_string(), "hidden_in_portal": true}),
    ] {
        let response = app.post(&bookings(&app), &staff, &body).await;
        assert_eq!(response.status(), 201, "{body}");
        let booked: Value = response.json().await.unwrap();
        assert!(
            !notified(&app, &booked).await,
            "neither a hidden type nor a hide-in-portal booking writes a message (rule 21): {body}"
        );
    }
    assert_eq!(inbox(&app, &pnr).await, json!([]));

    let booked: Value = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": shown.to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(inbox(&app, &pnr).await.as_array().unwrap().len(), 1);
    // Hidden afterwards: the message about it leaves the inbox with it.
    let id = booked["id"].as_str().unwrap();
    let hide = app
        .put(
            &format!("/api/v1/bookings/{id}/hidden-in-portal"),
            &staff,
            &json!({"hidden_in_portal": true}),
        )
        .await;
    assert_eq!(hide.status(), 200);
    assert_eq!(inbox(&app, &pnr).await, json!([]));
    // Cancelling a hidden booking tells no one either.
    let cancel = app
        .post(
            &format!("/api/v1/bookings/{id}/cancel"),
            &staff,
            &json!({"reason": "Fel tid"}),
        )
        .await;
    assert_eq!(cancel.status(), 200);
    let resident = app.world.resident(&pnr).await;
    let kinds: Vec<_> = app
        .world
        .store
        .inbox(resident.id)
        .await
        .unwrap()
        .iter()
        .map(|m| m.kind)
        .collect();
    assert!(
        kinds.is_empty(),
        "no cancellation notice for a hidden booking: {kinds:?}"
    );
}

async fn voiding_a_booking_tells_the_resident_who_was_told_about_it(app: TestApp) {
    let slots = app
        .slots(&app.world.cancelable, &[in_hours(-1), in_hours(60), in_hours(61)], 15)
        .await;
    let pnr = adult_pnr(73);
    let staff = app.staff();
    let told: Value = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": slots[1].to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let void = app
        .post(
            &format!("/api/v1/bookings/{}/entered-in-error", told["id"].as_str().unwrap()),
            &staff,
            &json!({}),
        )
        .await;
    assert_eq!(void.status(), 200);
    let messages = inbox(&app, &pnr).await;
    assert_eq!(messages[0]["kind"], "voided_by_staff", "{messages}");
    assert_eq!(messages[0]["booking_id"], told["id"]);
    assert!(
        messages[0]["subject"].as_str().unwrap().contains("gäller inte"),
        "{messages}"
    );
    assert_eq!(messages[1]["kind"], "booked_by_staff");

    // Never told (recorded after the fact): voiding tells nothing either.
    let recorded: Value = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": slots[0].to_string(), "record_after_the_fact": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post(
        &format!("/api/v1/bookings/{}/entered-in-error", recorded["id"].as_str().unwrap()),
        &staff,
        &json!({}),
    )
    .await;
    assert_eq!(inbox(&app, &pnr).await.as_array().unwrap().len(), 2);

    // The region's switch for staff-cancellation notices covers voiding too.
    let mut region = app.world.region.clone();
    region.notify_on_staff_cancel = false;
    app.world.store.update_region(&region).await.unwrap();
    let quiet: Value = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": slots[2].to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post(
        &format!("/api/v1/bookings/{}/entered-in-error", quiet["id"].as_str().unwrap()),
        &staff,
        &json!({}),
    )
    .await;
    let kinds: Vec<_> = inbox(&app, &pnr)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["booked_by_staff", "voided_by_staff", "booked_by_staff"]);
}

async fn an_arrived_booking_shows_to_its_resident_as_visited(app: TestApp) {
    let [slot] = app.slots(&app.world.cancelable, &[in_hours(30)], 15).await[..] else {
        unreachable!()
    };
    let pnr = adult_pnr(74);
    let booked: Value = app
        .post(
            &bookings(&app),
            &app.staff(),
            &json!({"personal_identity_number": pnr, "slot_id": slot.to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = booked["id"].as_str().unwrap();
    app.post(&format!("/api/v1/bookings/{id}/arrived"), &app.staff(), &json!({}))
        .await;
    let mine: Value = app
        .get(&format!("/api/v1/me/bookings/{id}"), &resident_token(&pnr))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["status"], "arrived", "{mine}");
    assert_eq!(
        (mine["can_cancel"].clone(), mine["can_rebook"].clone()),
        (json!(false), json!(false))
    );
}

/// The next public holiday on a weekday, at least two days ahead.
fn next_weekday_holiday() -> NaiveDate {
    let today = tidbok_domain::time::local_date(now());
    (today.year()..=today.year() + 1)
        .flat_map(tidbok_domain::holidays::holidays)
        .map(|(d, _)| d)
        .find(|d| *d >= today + Duration::days(2) && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .expect("a weekday holiday within a year")
}

fn weekday_template(app: &TestApp) -> Value {
    let blocks: Vec<_> = ["monday", "tuesday", "wednesday", "thursday", "friday"]
        .iter()
        .map(|day| {
            json!({"weekday": day, "appointment_type_id": app.world.self_service.id.to_string(),
                   "start": "09:00", "slot_length_minutes": 30, "count": 2})
        })
        .collect();
    json!({ "blocks": blocks })
}

async fn slots_on(app: &TestApp, day: NaiveDate) -> usize {
    let book: Value = app
        .get(
            &format!("/api/v1/units/{}/book?from={day}", app.world.unit.id),
            &app.staff(),
        )
        .await
        .json()
        .await
        .unwrap();
    book["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] != "withdrawn")
        .count()
}

async fn templates_skip_public_holidays_unless_the_unit_publishes_on_them(app: TestApp) {
    let holiday = next_weekday_holiday();
    let p = app.world.practitioner.id;
    let staff = app.staff();
    assert_eq!(
        app.put(
            &format!("/api/v1/practitioners/{p}/template"),
            &staff,
            &weekday_template(&app)
        )
        .await
        .status(),
        200
    );
    let publish = format!("/api/v1/practitioners/{p}/publish");
    let range =
        json!({"from": (holiday - Duration::days(1)).to_string(), "to": (holiday + Duration::days(1)).to_string()});
    let published: Value = app.post(&publish, &staff, &range).await.json().await.unwrap();
    let skipped: Vec<_> = published["skipped_holidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].clone())
        .collect();
    assert!(skipped.contains(&json!(holiday.to_string())), "{published}");
    assert!(
        published["skipped_holidays"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["holiday"].is_string()),
        "each skipped date names its holiday: {published}"
    );
    assert!(
        skipped
            .iter()
            .all(|d| tidbok_domain::holidays::holiday_on(d.as_str().unwrap().parse().unwrap()).is_some()),
        "{published}"
    );
    assert_eq!(published["dry_run"], false);
    assert_eq!(slots_on(&app, holiday).await, 0, "nothing on {holiday}");
    if (holiday + Duration::days(1)).weekday() != Weekday::Sat
        && tidbok_domain::holidays::holiday_on(holiday + Duration::days(1)).is_none()
    {
        assert_eq!(slots_on(&app, holiday + Duration::days(1)).await, 2);
    }

    // A temporary change of the date still publishes on it.
    let day = format!("/api/v1/practitioners/{p}/days/{holiday}");
    let change = json!({"blocks": [{"appointment_type_id": app.world.self_service.id.to_string(), "start": "10:00", "slot_length_minutes": 15, "count": 1}]});
    assert_eq!(app.put(&day, &staff, &change).await.status(), 200);
    assert_eq!(slots_on(&app, holiday).await, 1);
    assert_eq!(app.delete(&day, &staff).await.status(), 200);
    assert_eq!(slots_on(&app, holiday).await, 0, "undone: the holiday is skipped again");

    // The unit admin chooses to publish on holidays.
    let settings = format!("/api/v1/units/{}/schedule-settings", app.world.unit.id);
    let current: Value = app.get(&settings, &staff).await.json().await.unwrap();
    assert_eq!(current, json!({"publish_on_holidays": false}));
    assert_problem(
        app.put(&settings, &staff, &json!({"publish_on_holidays": true})).await,
        403,
        "forbidden",
    )
    .await;
    let admin = staff_token("unit_admin", &[app.world.unit.id]);
    let changed = app.put(&settings, &admin, &json!({"publish_on_holidays": true})).await;
    assert_eq!(changed.status(), 200);
    let published: Value = app.post(&publish, &staff, &range).await.json().await.unwrap();
    assert_eq!(published["skipped_holidays"], json!([]));
    assert_eq!(slots_on(&app, holiday).await, 2);
}

async fn a_dry_run_reports_what_publishing_would_do_and_changes_nothing(app: TestApp) {
    let p = app.world.practitioner.id;
    let staff = app.staff();
    app.put(
        &format!("/api/v1/practitioners/{p}/template"),
        &staff,
        &weekday_template(&app),
    )
    .await;
    let today = tidbok_domain::time::local_date(now());
    let from = today + Duration::days(1);
    let to = from + Duration::days(27);
    let publish = format!("/api/v1/practitioners/{p}/publish");
    let dry: Value = app
        .post(
            &publish,
            &staff,
            &json!({"from": from.to_string(), "to": to.to_string(), "dry_run": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dry["dry_run"], true);
    let mut total = 0;
    for day in from.iter_days().take_while(|d| *d <= to) {
        total += slots_on(&app, day).await;
    }
    assert_eq!(total, 0, "a dry run creates nothing");
    let real: Value = app
        .post(
            &publish,
            &staff,
            &json!({"from": from.to_string(), "to": to.to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(real["created"], dry["created"], "the dry run said what publishing did");
    assert_eq!(real["skipped_holidays"], dry["skipped_holidays"]);
    assert!(dry["created"].as_u64().unwrap() >= 30, "{dry}");
}

async fn staff_look_a_resident_up_before_booking_and_the_look_up_is_logged(app: TestApp) {
    let lookup = format!("/api/v1/units/{}/resident-lookup", app.world.unit.id);
    let staff = app.staff();
    let known = adult_pnr(75);
    let name = PersonName::parse("Testa Testsson").unwrap();
    app.world
        .store
        .ensure_resident(&pnr_of(&known), Some(&name), now())
        .await
        .unwrap();

    let found: Value = app
        .post(&lookup, &staff, &json!({"personal_identity_number": known}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["resident"]["name"], "Testa Testsson", "{found}");
    assert_eq!(log_actions(&app, None).await, [AccessAction::LookUpResident]);

    let unknown: Value = app
        .post(&lookup, &staff, &json!({"personal_identity_number": adult_pnr(76)}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unknown, json!({"resident": null}));
    assert_eq!(log_actions(&app, None).await.len(), 1, "an unknown number logs nothing");
    assert!(
        app.world
            .store
            .resident_by_pnr(&pnr_of(&adult_pnr(76)))
            .await
            .unwrap()
            .is_none(),
        "a look-up records no resident"
    );

    let typo = app
        .post(&lookup, &staff, &json!({"personal_identity_number": "19121212-1213"}))
        .await;
    let problem = assert_problem(typo, 422, "validation-failed").await;
    assert_eq!(problem["errors"][0]["code"], "pnr_check_digit", "{problem}");
    let elsewhere = staff_token("staff", &[UnitId::generate()]);
    assert_problem(
        app.post(&lookup, &elsewhere, &json!({"personal_identity_number": known}))
            .await,
        403,
        "forbidden",
    )
    .await;
}

async fn the_staff_members_own_book_is_named_by_staff_me(app: TestApp) {
    let me_id = StaffId::generate();
    app.world
        .store
        .link_practitioner_to_staff(app.world.practitioner.id, me_id)
        .await
        .unwrap();
    let mut claims = claims("staff");
    claims["sub"] = json!(me_id.to_string());
    claims["units"] = json!([app.world.unit.id.to_string()]);
    let me: Value = app.get("/api/v1/staff/me", &token(&claims)).await.json().await.unwrap();
    assert_eq!(me["practitioner_id"], app.world.practitioner.id.to_string());
    let other: Value = app.get("/api/v1/staff/me", &app.staff()).await.json().await.unwrap();
    assert_eq!(other["practitioner_id"], Value::Null);
}
