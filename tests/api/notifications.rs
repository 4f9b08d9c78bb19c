//! Notifications end to end: written with the booking, delivered by e-mail
//! and SMS to real local sinks, retried with backoff, given up after the last
//! attempt, delivered once by racing workers, and not lost when the server is
//! killed between the booking and the delivery.

use crate::helpers::*;
use crate::sinks::{eventually, SmsSink, SmtpSink};
use chrono::{Duration, Utc};
use serde_json::{json, Value};
use std::sync::Arc;
use tidbok_api::notifications::deliver::{SmsGateway, Transport};
use tidbok_api::notifications::worker::OutboxWorker;
use tidbok_domain::ports::OutboxStatus;
use tidbok_domain::*;

crate::on_both_kinds!(
    a_staff_booking_is_delivered_by_email_and_sms,
    a_failing_gateway_is_retried_with_backoff_then_given_up,
    two_workers_deliver_each_message_once,
    a_message_survives_a_kill_9_between_booking_and_delivery,
    residents_read_their_inbox_and_choose_their_channels
);

/// What a worker writes reminders with.
fn portal(app: &TestApp, clock: Arc<dyn tidbok_domain::ports::Clock>) -> tidbok_domain::usecases::ResidentPortal {
    let composer = Arc::new(tidbok_api::notifications::compose::TemplateComposer::swedish(
        "http://127.0.0.1:8080",
    ));
    tidbok_domain::usecases::ResidentPortal::new(app.world.store.clone(), clock, composer)
}

async fn subscribe(app: &TestApp, pnr: &str) -> Resident {
    let resident = app.world.resident(pnr).await;
    let choices = NotificationChoices { sms: true, email: true };
    app.world
        .store
        .update_contact(
            resident.id,
            Some("+46701234567"),
            Some("anna@example.se"),
            choices,
            NotificationChoices { sms: true, email: true },
        )
        .await
        .unwrap();
    resident
}

async fn staff_books(app: &TestApp, pnr: &str, slot: SlotId) -> Value {
    let response = app
        .post(
            &format!("/api/v1/units/{}/bookings", app.world.unit.id),
            &app.staff(),
            &json!({"personal_identity_number": pnr, "slot_id": slot.to_string()}),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn message_of(app: &TestApp, resident: &Resident) -> uuid::Uuid {
    app.world.store.inbox(resident.id).await.unwrap()[0].id
}

async fn a_staff_booking_is_delivered_by_email_and_sms(kind: Kind) {
    let (smtp, sms) = (SmtpSink::start().await, SmsSink::start().await);
    let (smtp_url, sms_url) = (smtp.url(), sms.url());
    let Some(app) = spawn_with(kind, move |s| {
        s.delivery.smtp_url = Some(smtp_url);
        s.delivery.sms_url = Some(sms_url);
        s.delivery.sms_key = "gateway-key".into();
        s.delivery.poll_ms = 50;
    })
    .await
    else {
        return;
    };
    let pnr = adult_pnr(21);
    let token = resident_token(&pnr);
    let settings =
        json!({"email": "anna@example.se", "phone": "070-123 45 67", "email_enabled": true, "sms_enabled": true});
    assert_eq!(
        app.put("/api/v1/me/notification-settings", &token, &settings)
            .await
            .status(),
        200
    );
    let [slot] = app.slots(&app.world.cancelable, &[in_hours(70)], 15).await[..] else {
        unreachable!()
    };

    staff_books(&app, &pnr, slot).await;

    eventually("an e-mail and an SMS", || {
        !smtp.mails().is_empty() && !sms.bodies().is_empty()
    })
    .await;
    let mail = &smtp.mails()[0];
    // The body is quoted-printable: "Vårdcentralen" travels as "V=C3=A5rdcentralen".
    assert!(
        mail.contains("To: anna@example.se") && mail.contains("rdcentralen Test"),
        "{mail}"
    );
    assert!(mail.contains("Subject:") && mail.contains("@tidbok>"), "{mail}");
    let text = &sms.bodies()[0];
    assert_eq!(text["to"], "+46701234567");
    assert!(
        text["message"]
            .as_str()
            .unwrap()
            .contains("Vårdcentralen Test har bokat en tid"),
        "{text}"
    );
    assert_eq!(sms.received.lock().unwrap()[0].0.as_deref(), Some("Bearer gateway-key"));
    let resident = app.world.resident(&pnr).await;
    let message = message_of(&app, &resident).await;
    eventually("both marked sent", || {
        let store = app.world.store.clone();
        futures::executor::block_on(async move { store.deliveries(message).await.unwrap() })
            .iter()
            .all(|(_, status, _)| *status == OutboxStatus::Sent)
    })
    .await;
}

async fn a_failing_gateway_is_retried_with_backoff_then_given_up(kind: Kind) {
    let sms = SmsSink::start().await;
    let Some(app) = spawn_with(kind, |s| s.delivery.outbox_worker = false).await else {
        return;
    };
    let clock = TestClock::at(Utc::now());
    let gateway: Arc<dyn Transport> = Arc::new(SmsGateway::new(&sms.url(), "k", "Tidbok").unwrap());
    let worker = OutboxWorker {
        id: uuid::Uuid::new_v4(),
        store: app.world.store.clone(),
        portal: portal(&app, clock.clone()),
        clock: clock.clone(),
        email: None,
        sms: Some(gateway),
        max_attempts: 3,
        lease: Duration::seconds(60),
        batch: 10,
        poll: std::time::Duration::from_millis(10),
    };
    let pnr = adult_pnr(22);
    let resident = app.world.resident(&pnr).await;
    app.world
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
    let slots = app
        .slots(&app.world.cancelable, &[in_hours(70), in_hours(71)], 15)
        .await;
    staff_books(&app, &pnr, slots[0]).await;
    let message = message_of(&app, &resident).await;
    sms.fail_with(503);
    clock.set(Utc::now());

    assert_eq!(worker.tick().await.unwrap(), 1);
    assert_eq!(worker.tick().await.unwrap(), 0, "not due again for 30 seconds");
    clock.advance(Duration::seconds(31));
    assert_eq!(worker.tick().await.unwrap(), 1);
    clock.advance(Duration::seconds(31));
    assert_eq!(worker.tick().await.unwrap(), 0, "the second retry waits 60 seconds");
    clock.advance(Duration::seconds(30));
    assert_eq!(worker.tick().await.unwrap(), 1);
    clock.advance(Duration::hours(7));
    assert_eq!(worker.tick().await.unwrap(), 0, "dead after three attempts");
    assert_eq!(sms.bodies().len(), 3);
    assert_eq!(
        app.world.store.deliveries(message).await.unwrap(),
        vec![(Channel::Sms, OutboxStatus::Dead, 3)]
    );

    // A permanent refusal (400) is not retried at all.
    sms.fail_with(400);
    let other = app.world.resident(&adult_pnr(23)).await;
    app.world
        .store
        .update_contact(
            other.id,
            Some("+46701234568"),
            None,
            NotificationChoices {
                sms: true,
                email: false,
            },
            NotificationChoices { sms: true, email: true },
        )
        .await
        .unwrap();
    staff_books(&app, &adult_pnr(23), slots[1]).await;
    let message = message_of(&app, &other).await;
    clock.set(Utc::now());
    assert_eq!(worker.tick().await.unwrap(), 1);
    assert_eq!(
        app.world.store.deliveries(message).await.unwrap(),
        vec![(Channel::Sms, OutboxStatus::Dead, 1)]
    );
}

async fn two_workers_deliver_each_message_once(kind: Kind) {
    let sms = SmsSink::start().await;
    let Some(app) = spawn_with(kind, |s| s.delivery.outbox_worker = false).await else {
        return;
    };
    let starts: Vec<_> = (0..15).map(|i| in_hours(70) + Duration::minutes(15 * i)).collect();
    let slots = app.slots(&app.world.cancelable, &starts, 15).await;
    for (i, slot) in slots.iter().enumerate() {
        let pnr = adult_pnr(300 + i as u32);
        subscribe(&app, &pnr).await;
        staff_books(&app, &pnr, *slot).await;
    }
    let worker = |_: u8| {
        let gateway: Arc<dyn Transport> = Arc::new(SmsGateway::new(&sms.url(), "k", "Tidbok").unwrap());
        let w = OutboxWorker {
            id: uuid::Uuid::new_v4(),
            store: app.world.store.clone(),
            portal: portal(&app, Arc::new(tidbok_domain::ports::SystemClock)),
            clock: Arc::new(tidbok_domain::ports::SystemClock),
            email: Some(gateway.clone()),
            sms: Some(gateway),
            max_attempts: 3,
            lease: Duration::seconds(60),
            batch: 3,
            poll: std::time::Duration::from_millis(10),
        };
        tokio::spawn(async move { while w.tick().await.unwrap() > 0 {} })
    };
    let (a, b) = (worker(1), worker(2));
    a.await.unwrap();
    b.await.unwrap();

    let ids: Vec<_> = sms
        .bodies()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), 30, "15 messages by e-mail and SMS");
    assert_eq!(unique.len(), ids.len(), "no delivery sent twice");
}

fn start_server(db: &TestDb, port: u16, worker: bool, sms_url: &str) -> std::process::Child {
    start_binary(
        db,
        port,
        &[
            ("TIDBOK_OUTBOX_WORKER", &worker.to_string()),
            ("TIDBOK_SMS_URL", sms_url),
        ],
    )
}

async fn wait_ready(port: u16) {
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/readyz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server on {port} never became ready");
}

async fn a_message_survives_a_kill_9_between_booking_and_delivery(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else { return };
    let sms = SmsSink::start().await;
    let world = tidbok_store::testing::fixture::World::create(db.backend.store()).await;
    let pnr = adult_pnr(31);
    let resident = world.resident(&pnr).await;
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
    let [slot] = world.slots(&world.cancelable, &[in_hours(70)], 15).await[..] else {
        unreachable!()
    };

    // First life: no worker runs, so the message can only wait in the outbox.
    let port = free_port();
    let mut first = start_server(&db, port, false, &sms.url());
    wait_ready(port).await;
    let staff = staff_token_full("staff", &[world.unit.id], None, "Sara Ek");
    let booked = reqwest::Client::new()
        .post(format!(
            "http://127.0.0.1:{port}/api/v1/units/{}/bookings",
            world.unit.id
        ))
        .bearer_auth(&staff)
        .json(&json!({"personal_identity_number": pnr, "slot_id": slot.to_string()}))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);
    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    let message = world.store.inbox(resident.id).await.unwrap()[0].id;
    assert_eq!(
        world.store.deliveries(message).await.unwrap(),
        vec![(Channel::Sms, OutboxStatus::Pending, 0)]
    );
    assert!(sms.bodies().is_empty());

    // Second life: the worker finds it and sends it.
    let port = free_port();
    let mut second = start_server(&db, port, true, &sms.url());
    eventually("the SMS after the restart", || !sms.bodies().is_empty()).await;
    second.kill().ok();
    second.wait().ok();
    assert_eq!(sms.bodies().len(), 1);
    assert!(sms.bodies()[0]["message"]
        .as_str()
        .unwrap()
        .contains("Vårdcentralen Test"));
}

async fn residents_read_their_inbox_and_choose_their_channels(kind: Kind) {
    let Some(app) = spawn_with(kind, |s| s.delivery.outbox_worker = false).await else {
        return;
    };
    let pnr = adult_pnr(41);
    let token = resident_token(&pnr);
    let path = "/api/v1/me/notification-settings";
    let initial: Value = app.get(path, &token).await.json().await.unwrap();
    assert_eq!(
        initial,
        json!({"email": null, "phone": null, "email_enabled": false, "sms_enabled": false,
            "email_reminders": true, "sms_reminders": true})
    );

    let bad_email = assert_problem(
        app.put(
            path,
            &token,
            &json!({"email": "anna@", "phone": null, "email_enabled": true, "sms_enabled": false}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(bad_email["errors"][0]["field"], "email");
    let bad_phone = assert_problem(
        app.put(
            path,
            &token,
            &json!({"email": null, "phone": "040-12 34 56", "email_enabled": false, "sms_enabled": true}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(bad_phone["errors"][0]["field"], "phone");
    let no_phone = assert_problem(
        app.put(
            path,
            &token,
            &json!({"email": null, "phone": "", "email_enabled": false, "sms_enabled": true}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(no_phone["errors"][0]["field"], "phone");
    let saved: Value = app
        .put(
            path,
            &token,
            &json!({"email": " anna@example.se ", "phone": "0701234567", "email_enabled": true, "sms_enabled": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        saved,
        json!({"email": "anna@example.se", "phone": "+46701234567", "email_enabled": true, "sms_enabled": true,
            "email_reminders": true, "sms_reminders": true})
    );
    // Reminders off by SMS; left out, a switch stays as it was.
    let off: Value = app
        .put(
            path,
            &token,
            &json!({"email": "anna@example.se", "phone": "0701234567", "email_enabled": true, "sms_enabled": true,
                "sms_reminders": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (off["email_reminders"].clone(), off["sms_reminders"].clone()),
        (json!(true), json!(false))
    );
    let kept: Value = app
        .put(
            path,
            &token,
            &json!({"email": "anna@example.se", "phone": "0701234567", "email_enabled": true, "sms_enabled": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["sms_reminders"], false);
    assert_problem(
        app.put(
            path,
            &token,
            &json!({"email": null, "phone": null, "email_enabled": false, "sms_enabled": false, "sms_reminders": "no"}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;

    let [slot] = app.slots(&app.world.self_service, &[in_hours(70)], 15).await[..] else {
        unreachable!()
    };
    app.booked(&token, slot).await;
    let inbox: Value = app.get("/api/v1/me/inbox", &token).await.json().await.unwrap();
    assert_eq!(inbox[0]["kind"], "booked_online", "an online booking is confirmed");
    assert_eq!(inbox[0]["read"], false);
    assert!(inbox[0]["body"].as_str().unwrap().contains("Provtagning 1177"));
    let id = inbox[0]["id"].as_str().unwrap();
    let read: Value = app
        .post(&format!("/api/v1/me/inbox/{id}/read"), &token, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["read"], true);
    let other = resident_token(&adult_pnr(42));
    assert_problem(
        app.get(&format!("/api/v1/me/inbox/{id}"), &other).await,
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.post(&format!("/api/v1/me/inbox/{id}/read"), &other, &json!({}))
            .await,
        404,
        "not-found",
    )
    .await;
    let resident = app.world.resident(&pnr).await;
    let deliveries = app
        .world
        .store
        .deliveries(uuid::Uuid::parse_str(id).unwrap())
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 2, "both chosen channels queued");
    assert_eq!(resident.notifications, NotificationChoices { sms: true, email: true });
}
