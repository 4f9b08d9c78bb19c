//! Rule 14 end to end: reminders planned with the booking, sent at their
//! time (moved out of the night) by each channel the resident wants, never
//! with the reason for visit, never for a time the resident no longer has,
//! set per region or unit, and delivered once across a `kill -9`.

use crate::helpers::*;
use crate::sinks::{eventually, SmsSink};
use async_trait::async_trait;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tidbok_api::notifications::compose::TemplateComposer;
use tidbok_api::notifications::deliver::{DeliveryError, Transport};
use tidbok_api::notifications::worker::OutboxWorker;
use tidbok_domain::ports::{OutboxStatus, Outgoing};
use tidbok_domain::usecases::ResidentPortal;
use tidbok_domain::*;

crate::on_both_kinds!(
    a_reminder_goes_48_hours_before_by_each_channel_and_never_names_the_reason,
    switches_cancellations_rebookings_and_hidden_bookings_decide_what_is_sent,
    a_reminder_across_the_spring_forward_night_counts_real_hours_and_skips_the_night,
    reminders_follow_the_units_own_list_or_the_regions,
    reminder_settings_refuse_bad_lists_with_field_codes,
    a_due_reminder_is_delivered_once_across_a_kill_9
);

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// A transport that keeps what it was given.
#[derive(Default)]
pub(crate) struct Captured(Mutex<Vec<Outgoing>>);

#[async_trait]
impl Transport for Captured {
    async fn send(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        self.0.lock().unwrap().push(message.clone());
        Ok(())
    }
}

impl Captured {
    pub(crate) fn take(&self) -> Vec<Outgoing> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// A worker on the test's clock, sending into `email` and `sms`.
pub(crate) fn worker(app: &TestApp, clock: Arc<TestClock>, email: Arc<Captured>, sms: Arc<Captured>) -> OutboxWorker {
    let composer = Arc::new(TemplateComposer::swedish("https://tidbok.example.se"));
    OutboxWorker {
        id: uuid::Uuid::new_v4(),
        store: app.world.store.clone(),
        portal: ResidentPortal::new(app.world.store.clone(), clock.clone(), composer)
            .with_register(app.world.store.clone()),
        clock,
        email: Some(email),
        sms: Some(sms),
        max_attempts: 3,
        lease: Duration::seconds(60),
        batch: 50,
        poll: std::time::Duration::from_millis(10),
    }
}

/// Runs the worker until nothing is due.
pub(crate) async fn drain(w: &OutboxWorker) {
    while w.tick().await.unwrap() > 0 {}
}

pub(crate) async fn subscribe(app: &TestApp, token: &str, extra: Value) {
    let mut settings =
        json!({"email": "anna@example.se", "phone": "070-123 45 67", "email_enabled": true, "sms_enabled": true});
    settings
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let saved = app.put("/api/v1/me/notification-settings", token, &settings).await;
    assert_eq!(saved.status(), 200);
}

async fn book(app: &TestApp, token: &str, ty: &AppointmentType, start: DateTime<Utc>, reason: &str) -> String {
    let [slot] = app.slots(ty, &[start], 15).await[..] else {
        unreachable!()
    };
    let response = app
        .post(
            "/api/v1/me/bookings",
            token,
            &json!({"slot_id": slot.to_string(), "reason_for_visit": reason, "terms_accepted": true}),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn booking_id(id: &str) -> BookingId {
    BookingId::from_uuid(id.parse().unwrap())
}

async fn reminder_rows(app: &TestApp, id: &str) -> Vec<(Channel, DateTime<Utc>, OutboxStatus)> {
    app.world
        .store
        .reminders(booking_id(id))
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.channel, r.due, r.status))
        .collect()
}

async fn a_reminder_goes_48_hours_before_by_each_channel_and_never_names_the_reason(kind: Kind) {
    // Monday 7 December 2026, 10:00 in Stockholm; the visit is Friday 13:30.
    let clock = TestClock::at(utc(2026, 12, 7, 9, 0));
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let (email, sms) = (Arc::new(Captured::default()), Arc::new(Captured::default()));
    let w = worker(&app, clock.clone(), email.clone(), sms.clone());
    let token = resident_token(&adult_pnr(501));
    subscribe(&app, &token, json!({})).await;
    let start = utc(2026, 12, 11, 12, 30);
    let id = book(
        &app,
        &token,
        &app.world.self_service,
        start,
        "Ont i magen sedan i fredags",
    )
    .await;
    drain(&w).await;
    assert_eq!((email.take().len(), sms.take().len()), (1, 1), "the confirmations");

    // Booked four days ahead: one reminder (48 hours), by both channels.
    let due = start - Duration::hours(48);
    assert_eq!(
        reminder_rows(&app, &id).await,
        [
            (Channel::Email, due, OutboxStatus::Pending),
            (Channel::Sms, due, OutboxStatus::Pending)
        ]
    );
    clock.set(due - Duration::minutes(1));
    drain(&w).await;
    assert!(email.take().is_empty() && sms.take().is_empty(), "not before its time");
    clock.set(due);
    drain(&w).await;
    let (mails, texts) = (email.take(), sms.take());
    assert_eq!((mails.len(), texts.len()), (1, 1));
    assert_eq!(mails[0].recipient, "anna@example.se");
    assert_eq!(texts[0].recipient, "+46701234567");
    let link = format!("https://tidbok.example.se/bookings?booking={id}");
    for text in [&mails[0].body, &texts[0].body, &mails[0].subject] {
        assert!(!text.contains("Ont i magen"), "never the reason for visit: {text}");
    }
    for text in [&mails[0].body, &texts[0].body] {
        assert!(text.contains("fredag 11 december") && text.contains("13:30"), "{text}");
        assert!(text.contains("Vårdcentralen Test") && text.contains(&link), "{text}");
        assert!(
            text.contains("torsdag 10 december kl. 13:30"),
            "cancel online until: {text}"
        );
    }
    assert!(reminder_rows(&app, &id)
        .await
        .iter()
        .all(|(_, _, status)| *status == OutboxStatus::Sent));
    clock.advance(Duration::hours(1));
    drain(&w).await;
    assert!(email.take().is_empty() && sms.take().is_empty(), "sent once");

    // A visit booked more than ten days ahead gets a second, a week before;
    // a type the resident may only cancel by phone says to call.
    let far = utc(2026, 12, 29, 9, 0);
    let far_id = book(&app, &token, &app.world.self_service, far, "Kontroll").await;
    let dues: Vec<_> = reminder_rows(&app, &far_id)
        .await
        .into_iter()
        .map(|(_, d, _)| d)
        .collect();
    assert_eq!(
        dues,
        [
            far - Duration::days(7),
            far - Duration::days(7),
            far - Duration::hours(48),
            far - Duration::hours(48)
        ]
    );
}

async fn switches_cancellations_rebookings_and_hidden_bookings_decide_what_is_sent(kind: Kind) {
    let clock = TestClock::at(utc(2026, 12, 7, 9, 0));
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let (email, sms) = (Arc::new(Captured::default()), Arc::new(Captured::default()));
    let w = worker(&app, clock.clone(), email.clone(), sms.clone());
    let pnr = adult_pnr(502);
    let token = resident_token(&pnr);
    // SMS for notices, but no reminders by SMS.
    subscribe(&app, &token, json!({"sms_reminders": false})).await;
    let settings: Value = app
        .get("/api/v1/me/notification-settings", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (settings["sms_reminders"].clone(), settings["email_reminders"].clone()),
        (json!(false), json!(true))
    );

    let day = utc(2026, 12, 11, 9, 0);
    let cancelled = book(&app, &token, &app.world.self_service, day, "A").await;
    let moved = book(&app, &token, &app.world.self_service, day + Duration::hours(1), "B").await;
    let [target] = app
        .slots(&app.world.self_service, &[day + Duration::hours(25)], 15)
        .await[..]
    else {
        unreachable!()
    };
    assert_eq!(
        app.post(
            &format!("/api/v1/me/bookings/{cancelled}/cancel"),
            &token,
            &json!({"reason": "Frisk"})
        )
        .await
        .status(),
        200
    );
    let rebooked: Value = app
        .post(
            &format!("/api/v1/me/bookings/{moved}/rebook"),
            &token,
            &json!({"slot_id": target.to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let new_id = rebooked["id"].as_str().unwrap().to_owned();
    // Staff book a hidden type and a hide-in-portal time: no reminders.
    let [hidden_slot] = app.slots(&app.world.hidden, &[day + Duration::hours(2)], 15).await[..] else {
        unreachable!()
    };
    let [flagged_slot] = app.slots(&app.world.cancelable, &[day + Duration::hours(3)], 15).await[..] else {
        unreachable!()
    };
    let hidden = app
        .post(
            &format!("/api/v1/units/{}/bookings", app.world.unit.id),
            &app.staff(),
            &json!({"personal_identity_number": pnr, "slot_id": hidden_slot.to_string()}),
        )
        .await;
    assert_eq!(hidden.status(), 201);
    let hidden_id = hidden.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert!(reminder_rows(&app, &hidden_id).await.is_empty(), "a hidden type: none");
    let flagged = app
        .post(
            &format!("/api/v1/units/{}/bookings", app.world.unit.id),
            &app.staff(),
            &json!({"personal_identity_number": pnr, "slot_id": flagged_slot.to_string(), "hidden_in_portal": true}),
        )
        .await;
    assert_eq!(flagged.status(), 201);
    let flagged_id = flagged.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        reminder_rows(&app, &flagged_id).await.is_empty(),
        "hidden in the portal: none"
    );

    drain(&w).await;
    email.take();
    sms.take();
    clock.set(day + Duration::days(2));
    drain(&w).await;
    let mails = email.take();
    assert!(sms.take().is_empty(), "SMS reminders are switched off");
    assert_eq!(mails.len(), 1, "only the rebooked visit is reminded of");
    assert!(
        mails[0].body.contains("lördag 12 december") && mails[0].body.contains("11:00"),
        "{}",
        mails[0].body
    );
    assert!(reminder_rows(&app, &cancelled)
        .await
        .iter()
        .all(|r| r.2 == OutboxStatus::Cancelled));
    assert!(reminder_rows(&app, &moved)
        .await
        .iter()
        .all(|r| r.2 == OutboxStatus::Cancelled));
    let mut new_rows: Vec<_> = reminder_rows(&app, &new_id)
        .await
        .into_iter()
        .map(|r| (r.0, r.2))
        .collect();
    new_rows.sort_by_key(|r| r.0.as_str());
    assert_eq!(
        new_rows,
        [
            (Channel::Email, OutboxStatus::Sent),
            (Channel::Sms, OutboxStatus::Skipped)
        ]
    );
}

async fn a_reminder_across_the_spring_forward_night_counts_real_hours_and_skips_the_night(kind: Kind) {
    // Sunday 28 March 2027: 02:00 CET becomes 03:00 CEST.
    let clock = TestClock::at(utc(2027, 3, 22, 9, 0));
    let Some(app) = spawn_at(kind, clock).await else {
        return;
    };
    let token = resident_token(&adult_pnr(503));
    subscribe(&app, &token, json!({})).await;
    // Monday 29 March 09:00 CEST (07:00 UTC): 48 real hours before is
    // Saturday 08:00 CET (07:00 UTC).
    let id = book(&app, &token, &app.world.self_service, utc(2027, 3, 29, 7, 0), "x").await;
    assert!(reminder_rows(&app, &id)
        .await
        .iter()
        .all(|r| r.1 == utc(2027, 3, 27, 7, 0)));
    // Tuesday 30 March 07:30 CEST: due Sunday 07:30 CEST, in the night, so
    // at 08:00 CEST that morning (06:00 UTC).
    let id = book(&app, &token, &app.world.self_service, utc(2027, 3, 30, 5, 30), "x").await;
    assert!(reminder_rows(&app, &id)
        .await
        .iter()
        .all(|r| r.1 == utc(2027, 3, 28, 6, 0)));
    // Tuesday 30 March 22:30 CEST: due Sunday 22:30, so at 21:00 CEST.
    let id = book(&app, &token, &app.world.self_service, utc(2027, 3, 30, 20, 30), "x").await;
    assert!(reminder_rows(&app, &id)
        .await
        .iter()
        .all(|r| r.1 == utc(2027, 3, 28, 19, 0)));
}

async fn reminders_follow_the_units_own_list_or_the_regions(kind: Kind) {
    let clock = TestClock::at(utc(2026, 12, 7, 9, 0));
    let Some(app) = spawn_at(kind, clock).await else {
        return;
    };
    let roles = app.roles().await;
    let u = app.world.unit.id;
    let unit_path = format!("/api/v1/units/{u}/reminder-settings");
    let initial: Value = app.get(&unit_path, &roles.staff).await.json().await.unwrap();
    let default = json!([{"hours_before": 168, "only_if_booked_hours_ahead": 240}, {"hours_before": 48, "only_if_booked_hours_ahead": null}]);
    assert_eq!(
        initial,
        json!({"own": false, "reminders": default, "region_reminders": default})
    );

    let region: Value = app
        .put(
            "/api/v1/region/reminders",
            &roles.regional_admin,
            &json!({"reminders": [{"hours_before": 24}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        region["reminders"],
        json!([{"hours_before": 24, "only_if_booked_hours_ahead": null}])
    );
    let follows: Value = app.get(&unit_path, &roles.unit_admin).await.json().await.unwrap();
    assert_eq!(follows["own"], false);
    assert_eq!(follows["reminders"], region["reminders"], "the unit follows its region");

    let own: Value = app
        .put(
            &unit_path,
            &roles.unit_admin,
            &json!({"own": true, "reminders": [{"hours_before": 2}, {"hours_before": 72}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        own["reminders"],
        json!([{"hours_before": 72, "only_if_booked_hours_ahead": null}, {"hours_before": 2, "only_if_booked_hours_ahead": null}]),
        "earliest first"
    );
    // The region changes again: a unit with its own list keeps it.
    app.put(
        "/api/v1/region/reminders",
        &roles.regional_admin,
        &json!({"reminders": []}),
    )
    .await;
    let kept: Value = app.get(&unit_path, &roles.staff).await.json().await.unwrap();
    assert_eq!(
        (kept["own"].clone(), kept["reminders"].clone()),
        (json!(true), own["reminders"].clone())
    );
    assert_eq!(kept["region_reminders"], json!([]));

    // A visit at 07:30 four days ahead gets the unit's two: 72 hours before
    // is 07:30, in the night, so 08:00; 2 hours before is 05:30, and 08:00
    // would be after the visit, so 21:00 the evening before.
    let token = resident_token(&adult_pnr(504));
    subscribe(&app, &token, json!({})).await;
    let start = utc(2026, 12, 11, 6, 30);
    let id = book(&app, &token, &app.world.self_service, start, "x").await;
    let dues: Vec<_> = reminder_rows(&app, &id).await.into_iter().map(|r| r.1).collect();
    let (morning, evening) = (utc(2026, 12, 8, 7, 0), utc(2026, 12, 10, 20, 0));
    assert_eq!(dues, [morning, morning, evening, evening]);

    // Back to the region's (now none): the next booking gets no reminder.
    let back: Value = app
        .put(&unit_path, &roles.regional_admin, &json!({"own": false}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (back["own"].clone(), back["reminders"].clone()),
        (json!(false), json!([]))
    );
    let none = book(&app, &token, &app.world.self_service, start + Duration::hours(1), "x").await;
    assert!(reminder_rows(&app, &none).await.is_empty());
}

async fn reminder_settings_refuse_bad_lists_with_field_codes(kind: Kind) {
    let Some(app) = spawn(kind).await else { return };
    let roles = app.roles().await;
    let unit_path = format!("/api/v1/units/{}/reminder-settings", app.world.unit.id);
    let region = |body: Value| {
        let app = &app;
        let token = roles.regional_admin.clone();
        async move { app.put("/api/v1/region/reminders", &token, &body).await }
    };
    for (body, code) in [
        (json!({"reminders": [{"hours_before": 1}]}), "range"),
        (json!({"reminders": [{"hours_before": 673}]}), "range"),
        (
            json!({"reminders": [{"hours_before": 2}, {"hours_before": 3}, {"hours_before": 4}, {"hours_before": 5}]}),
            "range",
        ),
        (
            json!({"reminders": [{"hours_before": 48}, {"hours_before": 48}]}),
            "duplicate",
        ),
        (
            json!({"reminders": [{"hours_before": 48, "only_if_booked_hours_ahead": 24}]}),
            "reminder_ahead",
        ),
    ] {
        let problem = assert_problem(region(body.clone()).await, 422, "validation-failed").await;
        assert_eq!(problem["errors"][0]["field"], "reminders", "{body}");
        assert_eq!(problem["errors"][0]["code"], code, "{body}");
    }
    for body in [
        json!({"reminders": [{"hours_before": -1}]}),
        json!({"reminders": [{"hours_before": "48"}]}),
        json!({"reminders": [{"hours_before": 48, "minutes": 5}]}),
        json!({"reminders": 48}),
        json!({}),
    ] {
        assert_problem(region(body).await, 422, "validation-failed").await;
    }
    let unit = |body: Value| {
        let app = &app;
        let token = roles.unit_admin.clone();
        let path = unit_path.clone();
        async move { app.put(&path, &token, &body).await }
    };
    let missing = assert_problem(unit(json!({"own": true})).await, 422, "validation-failed").await;
    assert_eq!(missing["errors"][0]["code"], "required");
    let both = assert_problem(
        unit(json!({"own": false, "reminders": [{"hours_before": 24}]})).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(both["errors"][0]["code"], "one_of");
    let bad = assert_problem(
        unit(json!({"own": true, "reminders": [{"hours_before": 0}]})).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(bad["errors"][0]["code"], "range");
    // Nothing was changed by any of them.
    let now: Value = app.get(&unit_path, &roles.unit_admin).await.json().await.unwrap();
    assert_eq!(now["own"], false);
    assert_eq!(now["reminders"].as_array().unwrap().len(), 2);
    // Reminders need no unit id the caller cannot see.
    let nowhere = format!("/api/v1/units/{}/reminder-settings", uuid::Uuid::new_v4());
    assert_problem(app.get(&nowhere, &roles.staff).await, 404, "not-found").await;
}

fn start_server(db: &TestDb, port: u16, sms_url: &str) -> std::process::Child {
    start_binary(
        db,
        port,
        &[("TIDBOK_OUTBOX_LEASE_SECONDS", "2"), ("TIDBOK_SMS_URL", sms_url)],
    )
}

/// The server is killed while the gateway holds its reminder unanswered;
/// after the restart the reminder goes again with the same id (a gateway
/// drops a repeated id, so the resident gets it once), it is settled as sent,
/// and nothing more is sent.
async fn a_due_reminder_is_delivered_once_across_a_kill_9(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else { return };
    let sms = SmsSink::start().await;
    let world = tidbok_store::testing::fixture::World::create(db.backend.store()).await;
    let resident = world.resident(&adult_pnr(505)).await;
    world
        .store
        .update_contact(
            resident.id,
            Some("+46701234567"),
            None,
            NotificationChoices {
                sms: true,
                email: false,
            },
            NotificationChoices { sms: true, email: true },
        )
        .await
        .unwrap();
    let visit = in_hours(30);
    let [slot] = world.slots(&world.cancelable, &[visit], 15).await[..] else {
        unreachable!()
    };
    let booking = tidbok_domain::ports::NewBooking {
        id: BookingId::generate(),
        slot_id: slot,
        resident_id: resident.id,
        booked_by: Actor::Staff(StaffId::generate()),
        booked_at: now(),
        reason_for_visit: None,
        message: None,
        hidden_in_portal: false,
        slot_must_start_after: now(),
        max_active_of_type: None,
    };
    let reminder = PlannedReminder {
        id: uuid::Uuid::new_v4(),
        booking_id: booking.id,
        channel: Channel::Sms,
        at: now() - Duration::seconds(1),
        visit_starts_at: visit,
        planned_at: now(),
    };
    let effects = Effects {
        reminders: vec![reminder.clone()],
        ..Effects::default()
    };
    world.store.book(&booking, None, &effects).await.unwrap();

    // First life: the gateway takes the reminder and never answers.
    sms.fail_with(0);
    let mut first = start_server(&db, free_port(), &sms.url());
    eventually("the reminder at the gateway", || sms.bodies().len() == 1).await;
    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    let rows = world.store.reminders(booking.id).await.unwrap();
    assert_eq!(rows[0].status, OutboxStatus::Sending, "cut off mid-send");

    // Second life: once the dead worker's lease has run out, it goes again.
    sms.fail_with(202);
    let mut second = start_server(&db, free_port(), &sms.url());
    let store = world.store.clone();
    eventually("the reminder settled as sent", || {
        let store = store.clone();
        futures::executor::block_on(async move { store.reminders(booking.id).await.unwrap() })[0].status
            == OutboxStatus::Sent
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    second.kill().ok();
    second.wait().ok();
    let bodies = sms.bodies();
    assert_eq!(
        bodies.len(),
        2,
        "the cut-off attempt and the one after the restart, nothing more"
    );
    assert!(
        bodies.iter().all(|b| b["id"] == json!(reminder.id.to_string())),
        "one id: the gateway keeps one"
    );
    let text = bodies[1]["message"].as_str().unwrap();
    assert!(
        text.starts_with("Påminnelse") && text.contains("Vårdcentralen Test"),
        "{text}"
    );
}
