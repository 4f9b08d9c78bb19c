//! Rules 15 and 16 end to end: asking for an earlier time, an offer made
//! when a slot frees up, held from everyone else (search, booking, staff's
//! book shows it held), sent by SMS and e-mail without the reason for visit,
//! accepted as one rebooking; an offer that runs out passes to the next and
//! is refused when accepted late; the region's hold length; bad inputs.

use crate::helpers::*;
use crate::reminders::{drain, subscribe, worker, Captured};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use std::sync::Arc;
use tidbok_domain::ports::Clock;

crate::on_both_kinds!(
    a_freed_slot_is_offered_held_sent_and_taken_in_one_step,
    an_offer_that_runs_out_passes_on_and_is_refused_late,
    wishes_refuse_bad_input_and_bookings_that_cannot_move
);

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Tuesday 8 December 2026, 10:00 in Stockholm.
fn t0() -> DateTime<Utc> {
    utc(2026, 12, 8, 9, 0)
}

struct Scene {
    app: TestApp,
    clock: Arc<TestClock>,
    early: String,
    carl: (String, String),
    anna: (String, String),
    bertil: (String, String),
}

/// Carl holds Thursday 09:00; Anna (Monday 14th) and Bertil (Tuesday 15th)
/// would rather come earlier, Anna asked first.
async fn scene(kind: Kind) -> Option<Scene> {
    let clock = TestClock::at(t0());
    let app = spawn_at(kind, clock.clone()).await?;
    let starts = [
        utc(2026, 12, 10, 8, 0),
        utc(2026, 12, 14, 8, 0),
        utc(2026, 12, 15, 8, 0),
    ];
    let slots = app.slots(&app.world.self_service, &starts, 15).await;
    let mut people = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let token = resident_token(&adult_pnr(700 + i as u32));
        let booking = app.booked(&token, *slot).await["id"].as_str().unwrap().to_owned();
        people.push((token, booking));
    }
    let [carl, anna, bertil] = <[_; 3]>::try_from(people).unwrap();
    for (token, booking) in [&anna, &bertil] {
        let asked = app
            .put(
                &format!("/api/v1/me/bookings/{booking}/earlier-time"),
                token,
                &json!({}),
            )
            .await;
        assert_eq!(asked.status(), 200);
        clock.advance(Duration::minutes(1));
    }
    Some(Scene {
        early: slots[0].to_string(),
        app,
        clock,
        carl,
        anna,
        bertil,
    })
}

async fn offers(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.get("/api/v1/me/offers", token).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn cancel(app: &TestApp, token: &str, booking: &str) {
    let r = app
        .post(
            &format!("/api/v1/me/bookings/{booking}/cancel"),
            token,
            &json!({"reason": "Kan inte komma"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
}

async fn a_freed_slot_is_offered_held_sent_and_taken_in_one_step(kind: Kind) {
    let Some(s) = scene(kind).await else { return };
    let app = &s.app;
    let (email, sms) = (Arc::new(Captured::default()), Arc::new(Captured::default()));
    let w = worker(app, s.clock.clone(), email.clone(), sms.clone());
    subscribe(app, &s.anna.0, json!({})).await;
    drain(&w).await;
    email.take();
    sms.take();

    let wishes: Vec<Value> = app
        .get("/api/v1/me/earlier-times", &s.anna.0)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wishes.len(), 1);
    assert_eq!(wishes[0]["booking_id"], s.anna.1.as_str());
    assert_eq!(wishes[0]["weekdays"], json!([1, 2, 3, 4, 5, 6, 7]));

    cancel(app, &s.carl.0, &s.carl.1).await;
    let now = s.clock.now();
    let [offer] = &offers(app, &s.anna.0).await[..] else {
        panic!("Anna asked first")
    };
    assert_eq!(offer["slot"]["id"], s.early.as_str());
    assert_eq!(offer["booking_id"], s.anna.1.as_str());
    let expires: DateTime<Utc> = offer["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires, now + Duration::minutes(15));
    assert!(offers(app, &s.bertil.0).await.is_empty());

    // Held from everyone else: not in the calendar, not bookable, held in the book.
    let (unit, ty) = (app.world.unit.id, app.world.self_service.id);
    let day: Vec<Value> = app
        .get(
            &format!("/api/v1/units/{unit}/appointment-types/{ty}/slots?date=2026-12-10"),
            &s.bertil.0,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(day.iter().all(|slot| slot["id"] != s.early.as_str()), "{day:?}");
    let dora = resident_token(&adult_pnr(720));
    let taken = app.book(&dora, s.early.parse::<uuid::Uuid>().unwrap().into()).await;
    assert_problem(taken, 409, "slot-already-booked").await;
    let roles = app.roles().await;
    let book: Value = app
        .get(&format!("/api/v1/units/{unit}/book?from=2026-12-10"), &roles.staff)
        .await
        .json()
        .await
        .unwrap();
    let held = book["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|slot| slot["id"] == s.early.as_str())
        .unwrap();
    assert_eq!(held["state"], "held");
    assert_eq!(held["held_until"], offer["expires_at"]);
    let counts: Value = app
        .get(&format!("/api/v1/units/{unit}/waitlist"), &roles.staff)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        counts,
        json!([{"appointment_type_id": ty.to_string(), "practitioner_id": app.world.practitioner.id.to_string(), "waiting": 2, "offered": 1}])
    );

    // The offer goes out by both channels, never with the reason for visit.
    drain(&w).await;
    let (mails, texts) = (email.take(), sms.take());
    assert_eq!((mails.len(), texts.len()), (1, 1));
    let link = format!("/bookings?booking={}", s.anna.1);
    for text in [&mails[0].body, &texts[0].body] {
        assert!(text.contains("torsdag 10 december") && text.contains("09:00"), "{text}");
        assert!(
            text.contains("10:17") && text.contains(&link),
            "held until, and the link: {text}"
        );
        assert!(!text.contains("blodtryck"), "never the reason for visit: {text}");
    }

    // Accepting moves Anna's booking in one step; her old time is free.
    let id = offer["id"].as_str().unwrap();
    let accepted = app
        .post(&format!("/api/v1/me/offers/{id}/accept"), &s.anna.0, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    let moved: Value = accepted.json().await.unwrap();
    assert_eq!(moved["rebooked_from"], s.anna.1.as_str());
    assert_eq!(moved["starts_at"], "2026-12-10T08:00:00Z");
    assert_eq!(moved["reason_for_visit"], "Kontroll av blodtryck");
    let again = app
        .post(&format!("/api/v1/me/offers/{id}/accept"), &s.anna.0, &json!({}))
        .await;
    assert_problem(again, 409, "offer-gone").await;
    let mine: Vec<Value> = app.get("/api/v1/me/bookings", &s.anna.0).await.json().await.unwrap();
    assert_eq!(
        mine.iter().filter(|b| b["status"] == "booked").count(),
        1,
        "one booking, moved"
    );
    let wishes: Vec<Value> = app
        .get("/api/v1/me/earlier-times", &s.anna.0)
        .await
        .json()
        .await
        .unwrap();
    assert!(wishes.is_empty(), "the wish is fulfilled");
    // Someone else's offer is not found.
    let theirs = app
        .post(&format!("/api/v1/me/offers/{id}/decline"), &s.bertil.0, &json!({}))
        .await;
    assert_problem(theirs, 404, "not-found").await;
}

async fn an_offer_that_runs_out_passes_on_and_is_refused_late(kind: Kind) {
    let Some(s) = scene(kind).await else { return };
    let app = &s.app;
    let (email, sms) = (Arc::new(Captured::default()), Arc::new(Captured::default()));
    let w = worker(app, s.clock.clone(), email, sms);
    // The region holds offers for 30 minutes.
    let admin = app.roles().await.regional_admin;
    for bad in [
        json!({"minutes": 4}),
        json!({"minutes": 121}),
        json!({"minutes": -1}),
        json!({}),
    ] {
        let refused = app.put("/api/v1/region/offer-hold", &admin, &bad).await;
        assert_eq!(refused.status(), 422, "{bad}");
    }
    let set = app
        .put("/api/v1/region/offer-hold", &admin, &json!({"minutes": 30}))
        .await;
    assert_eq!(set.status(), 200);
    let got: Value = app.get("/api/v1/region/offer-hold", &admin).await.json().await.unwrap();
    assert_eq!(got, json!({"minutes": 30}));

    cancel(app, &s.carl.0, &s.carl.1).await;
    let offer = offers(app, &s.anna.0).await.remove(0);
    let expires: DateTime<Utc> = offer["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires, s.clock.now() + Duration::minutes(30));
    s.clock.advance(Duration::minutes(31));
    let id = offer["id"].as_str().unwrap();
    let late = app
        .post(&format!("/api/v1/me/offers/{id}/accept"), &s.anna.0, &json!({}))
        .await;
    let problem = assert_problem(late, 409, "offer-gone").await;
    assert!(problem["detail"].as_str().unwrap().contains("unchanged"));
    // The workers pass it on to Bertil.
    drain(&w).await;
    let [next] = &offers(app, &s.bertil.0).await[..] else {
        panic!("Bertil is next")
    };
    assert_eq!(next["slot"]["id"], s.early.as_str());
    // Bertil declines; Anna had her turn; the slot is free for anyone.
    let nid = next["id"].as_str().unwrap();
    let declined = app
        .post(&format!("/api/v1/me/offers/{nid}/decline"), &s.bertil.0, &json!({}))
        .await;
    assert_eq!(declined.status(), 204);
    let twice = app
        .post(&format!("/api/v1/me/offers/{nid}/decline"), &s.bertil.0, &json!({}))
        .await;
    assert_problem(twice, 409, "offer-gone").await;
    assert!(offers(app, &s.anna.0).await.is_empty());
    let dora = resident_token(&adult_pnr(721));
    app.booked(&dora, s.early.parse::<uuid::Uuid>().unwrap().into()).await;
    // Both still wait for another earlier time.
    for (token, _) in [&s.anna, &s.bertil] {
        let wishes: Vec<Value> = app.get("/api/v1/me/earlier-times", token).await.json().await.unwrap();
        assert_eq!(wishes.len(), 1);
    }
    // Taking the wish back.
    let path = format!("/api/v1/me/bookings/{}/earlier-time", s.bertil.1);
    assert_eq!(app.delete(&path, &s.bertil.0).await.status(), 204);
    assert_problem(app.delete(&path, &s.bertil.0).await, 404, "not-found").await;
    assert_problem(app.get(&path, &s.bertil.0).await, 404, "not-found").await;
}

async fn wishes_refuse_bad_input_and_bookings_that_cannot_move(kind: Kind) {
    let Some(s) = scene(kind).await else { return };
    let app = &s.app;
    let path = format!("/api/v1/me/bookings/{}/earlier-time", s.anna.1);
    for (body, field, code) in [
        (json!({"weekdays": [0]}), "weekdays", "range"),
        (json!({"weekdays": [8]}), "weekdays", "range"),
        (json!({"weekdays": []}), "weekdays", "required"),
        (json!({"weekdays": [1, 2, 3, 4, 5, 6, 7, 1]}), "weekdays", "length"),
        (json!({"not_before": "9"}), "not_before", "time_format"),
        (json!({"not_before": "25:00"}), "not_before", "time_format"),
    ] {
        let problem = assert_problem(app.put(&path, &s.anna.0, &body).await, 422, "validation-failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
        assert_eq!(problem["errors"][0]["code"], code, "{body}");
    }
    // A body is an object: not the fields in order as an array.
    let array = app.put(&path, &s.anna.0, &json!([null, null])).await;
    assert_problem(array, 422, "validation-failed").await;
    let unknown = app.put(&path, &s.anna.0, &json!({"status": "offered"})).await;
    assert_problem(unknown, 422, "validation-failed").await;
    let wrong_type = app.put(&path, &s.anna.0, &json!({"weekdays": "monday"})).await;
    assert!(wrong_type.status() == 400 || wrong_type.status() == 422);
    // A good wish keeps its place in the queue when changed.
    let first: Value = app.get(&path, &s.anna.0).await.json().await.unwrap();
    let changed: Value = app
        .put(&path, &s.anna.0, &json!({"weekdays": [4, 1], "not_before": "08:30"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(changed["weekdays"], json!([1, 4]));
    assert_eq!(changed["not_before"], "08:30");
    assert_eq!(changed["asked_at"], first["asked_at"]);
    // Someone else's booking, or none: not found.
    let other = format!("/api/v1/me/bookings/{}/earlier-time", s.bertil.1);
    assert_problem(app.put(&other, &s.anna.0, &json!({})).await, 404, "not-found").await;
    assert_problem(app.get(&other, &s.anna.0).await, 404, "not-found").await;
    // A booking that cannot be moved online cannot wait for an earlier time.
    let roles = app.roles().await;
    let [slot] = app.slots(&app.world.cancelable, &[utc(2026, 12, 16, 8, 0)], 15).await[..] else {
        unreachable!()
    };
    let staff_booked: Value = app
        .post(
            &format!("/api/v1/units/{}/bookings", app.world.unit.id),
            &roles.staff,
            &json!({"personal_identity_number": adult_pnr(701), "slot_id": slot.to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = staff_booked["id"].as_str().unwrap();
    let refused = app
        .put(&format!("/api/v1/me/bookings/{id}/earlier-time"), &s.anna.0, &json!({}))
        .await;
    assert_problem(refused, 422, "not-rebookable-online").await;
    // Within 24 hours of the visit: too late to move it online.
    s.clock.set(utc(2026, 12, 13, 9, 0));
    let late = app.put(&path, &s.anna.0, &json!({})).await;
    assert_problem(late, 422, "cancellation-window-closed").await;
    // A cancelled booking's wish has ended with it.
    s.clock.set(t0() + Duration::hours(1));
    cancel(app, &s.bertil.0, &s.bertil.1).await;
    assert_problem(app.get(&other, &s.bertil.0).await, 404, "not-found").await;
    assert_problem(
        app.put(&other, &s.bertil.0, &json!({})).await,
        409,
        "booking-not-active",
    )
    .await;
}
