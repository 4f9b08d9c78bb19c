//! Rule 18 from outside: a booking's calendar file through booking,
//! rebooking and cancelling (one UID, a rising SEQUENCE, REQUEST then
//! CANCEL), read back with the `icalendar` parser; only the resident's own,
//! shown bookings; and the e-mail notice carries the file.

use crate::helpers::*;
use crate::sinks::{eventually, SmtpSink};
use icalendar::{Component, EventStatus};
use serde_json::{json, Value};

crate::on_both_kinds!(
    a_booking_is_one_calendar_event_through_rebooking_and_cancelling,
    calendar_files_are_only_of_the_residents_own_shown_bookings,
    the_e_mail_notice_carries_the_calendar_file
);

/// The file of a booking, parsed: (METHOD, UID, SEQUENCE, STATUS, DTSTART, every text).
async fn file(app: &TestApp, token: &str, id: &str) -> (String, String, u32, EventStatus, String, String) {
    let response = app.get(&format!("/api/v1/me/bookings/{id}/calendar"), token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/calendar; charset=utf-8"
    );
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("tid.ics"));
    let text = response.text().await.unwrap();
    let calendar: icalendar::Calendar = text.parse().unwrap_or_else(|e| panic!("{e}: {text}"));
    let event = calendar.events().next().expect("one event").clone();
    let start = event.property_value("DTSTART").unwrap_or_default().to_owned();
    (
        calendar.property_value("METHOD").unwrap_or_default().to_owned(),
        event.get_uid().unwrap_or_default().to_owned(),
        event.get_sequence().unwrap_or(u32::MAX),
        event.get_status().expect("a status"),
        start,
        text,
    )
}

async fn a_booking_is_one_calendar_event_through_rebooking_and_cancelling(kind: Kind) {
    let Some(app) = spawn(kind).await else { return };
    let token = resident_token(&adult_pnr(601));
    let start = in_hours(72);
    let slots = app.slots(&app.world.self_service, &[start, in_hours(96)], 15).await;
    let booked = app
        .post(
            "/api/v1/me/bookings",
            &token,
            &json!({"slot_id": slots[0].to_string(), "reason_for_visit": "Ont i magen", "terms_accepted": true}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let first = booked["id"].as_str().unwrap().to_owned();
    let (method, uid, sequence, status, dtstart, text) = file(&app, &token, &first).await;
    assert_eq!(
        (method.as_str(), sequence, status),
        ("REQUEST", 0, EventStatus::Confirmed)
    );
    assert_eq!(uid, format!("{first}@tidbok"));
    assert_eq!(dtstart, start.format("%Y%m%dT%H%M%SZ").to_string());
    assert!(!text.contains("Ont i magen"), "never the reason for visit: {text}");
    assert!(text.contains("Vårdcentralen Test"), "{text}");

    let moved: Value = app
        .post(
            &format!("/api/v1/me/bookings/{first}/rebook"),
            &token,
            &json!({"slot_id": slots[1].to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let second = moved["id"].as_str().unwrap().to_owned();
    let (method, same_uid, sequence, status, dtstart, _) = file(&app, &token, &second).await;
    assert_eq!(
        (method.as_str(), sequence, status),
        ("REQUEST", 1, EventStatus::Confirmed)
    );
    assert_eq!(same_uid, uid, "a rebooking keeps the event's UID");
    assert_eq!(dtstart, in_hours(96).format("%Y%m%dT%H%M%SZ").to_string());
    // The booking moved from has no file of its own any more: its event
    // lives on in the new one.
    assert_problem(
        app.get(&format!("/api/v1/me/bookings/{first}/calendar"), &token).await,
        404,
        "not-found",
    )
    .await;

    let cancelled = app
        .post(
            &format!("/api/v1/me/bookings/{second}/cancel"),
            &token,
            &json!({"reason": "Förhinder"}),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let (method, cancel_uid, sequence, status, _, _) = file(&app, &token, &second).await;
    assert_eq!(
        (method.as_str(), sequence, status),
        ("CANCEL", 2, EventStatus::Cancelled)
    );
    assert_eq!(cancel_uid, uid);
}

async fn calendar_files_are_only_of_the_residents_own_shown_bookings(kind: Kind) {
    let Some(app) = spawn(kind).await else { return };
    let pnr = adult_pnr(602);
    let token = resident_token(&pnr);
    let [slot, hidden_slot] = app
        .slots(&app.world.cancelable, &[in_hours(72), in_hours(73)], 15)
        .await[..]
    else {
        unreachable!()
    };
    let resident = app.world.resident(&pnr).await;
    let shown = app.staff_books(&resident, slot, false).await;
    let hidden = app.staff_books(&resident, hidden_slot, true).await;
    let path = |id: tidbok_domain::BookingId| format!("/api/v1/me/bookings/{id}/calendar");
    assert_eq!(app.get(&path(shown), &token).await.status(), 200);
    assert_problem(app.get(&path(hidden), &token).await, 404, "not-found").await;
    let other = resident_token(&adult_pnr(603));
    assert_problem(app.get(&path(shown), &other).await, 404, "not-found").await;
    assert_problem(app.get(&path(shown), &app.staff()).await, 403, "forbidden").await;
    assert_problem(
        app.get(&format!("/api/v1/me/bookings/{}/calendar", "not-a-uuid"), &token)
            .await,
        404,
        "not-found",
    )
    .await;
    let anonymous = app.client.get(app.url(&path(shown))).send().await.unwrap();
    assert_problem(anonymous, 401, "unauthorized").await;
}

async fn the_e_mail_notice_carries_the_calendar_file(kind: Kind) {
    let smtp = SmtpSink::start().await;
    let smtp_url = smtp.url();
    let Some(app) = spawn_with(kind, move |s| {
        s.delivery.smtp_url = Some(smtp_url);
        s.delivery.poll_ms = 50;
    })
    .await
    else {
        return;
    };
    let pnr = adult_pnr(604);
    let token = resident_token(&pnr);
    let settings = json!({"email": "anna@example.se", "phone": null, "email_enabled": true, "sms_enabled": false});
    assert_eq!(
        app.put("/api/v1/me/notification-settings", &token, &settings)
            .await
            .status(),
        200
    );
    let [slot] = app.slots(&app.world.cancelable, &[in_hours(70)], 15).await[..] else {
        unreachable!()
    };
    let booked = app
        .post(
            &format!("/api/v1/units/{}/bookings", app.world.unit.id),
            &app.staff(),
            &json!({"personal_identity_number": pnr, "slot_id": slot.to_string(), "reason_for_visit": "Hemlig orsak"}),
        )
        .await;
    assert_eq!(booked.status(), 201);
    eventually("the e-mail", || !smtp.mails().is_empty()).await;
    let mail = smtp.mails()[0].clone();
    assert!(mail.contains("multipart/mixed"), "{mail}");
    assert!(
        mail.contains("text/calendar") && mail.contains("method=REQUEST"),
        "{mail}"
    );
    assert!(mail.contains("tid.ics"), "{mail}");
    assert!(
        !mail.contains("Hemlig orsak"),
        "no reason for visit in the mail or its file"
    );
}
