//! No personal identity number, name, phone, e-mail or free text in any log
//! line: the logs of a whole booking flow are captured and searched.

use crate::helpers::*;
use serde_json::{json, Value};

crate::on_both_backends!(a_booking_flow_logs_nothing_personal);

async fn a_booking_flow_logs_nothing_personal(app: TestApp) {
    let pnr = adult_pnr(4242);
    let slots = app
        .slots(&app.world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await;
    let mut c = claims("resident");
    c["pnr"] = json!(pnr);
    c["name"] = json!("Zlatan Loggsson");
    let token = token(&c);
    let reason = "Sökorsak-hemlig-7731";
    let message = "Meddelande-hemligt-0707123456 zlatan@example.se";
    let cancel_reason = "Avbokningsorsak-hemlig-5511";

    let booked = app
        .post("/api/v1/me/bookings", &token, &json!({"slot_id": slots[0].to_string(), "reason_for_visit": reason, "message": message, "terms_accepted": true}))
        .await;
    assert_eq!(booked.status(), 201);
    let id = booked.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    app.get("/api/v1/me/bookings", &token).await;
    let moved: Value = app
        .post(
            &format!("/api/v1/me/bookings/{id}/rebook"),
            &token,
            &json!({"slot_id": slots[1].to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let new_id = moved["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/me/bookings/{new_id}/cancel"),
        &token,
        &json!({"reason": cancel_reason}),
    )
    .await;
    // Refusals too: a bad body echoes input back to the client, never to the log.
    app.post(
        "/api/v1/me/bookings",
        &token,
        &json!({"slot_id": pnr, "reason_for_visit": reason}),
    )
    .await;
    app.post(
        "/api/v1/me/bookings",
        &token,
        &json!({"slot_id": slots[0].to_string(), "reason_for_visit": reason, "terms_accepted": false}),
    )
    .await;

    // The staff side: booking by personal identity number, the book, a summons.
    let [staff_slot] = app.slots(&app.world.cancelable, &[in_hours(120)], 15).await[..] else {
        unreachable!()
    };
    let staff = staff_token_full("staff", &[app.world.unit.id], None, "Zlatan Personalsson");
    let booked: Value = app
        .post(
            &format!("/api/v1/units/{}/bookings", app.world.unit.id),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": staff_slot.to_string(), "reason_for_visit": reason}),
        )
        .await
        .json()
        .await
        .unwrap();
    let staff_booking = booked["id"].as_str().unwrap();
    app.get(&format!("/api/v1/bookings/{staff_booking}/summons"), &staff)
        .await;
    let day = tidbok_domain::time::local_date(in_hours(120));
    app.get(&format!("/api/v1/units/{}/book?from={day}", app.world.unit.id), &staff)
        .await;
    let settings =
        json!({"email": "zlatan@example.se", "phone": "0707123456", "email_enabled": true, "sms_enabled": true});
    app.put("/api/v1/me/notification-settings", &token, &settings).await;
    // Input quoted back by the parsers ("invalid type: string …", "unknown
    // variant …") reaches the client only.
    let quoted = app
        .put(
            "/api/v1/me/notification-settings",
            &token,
            &json!({"email_enabled": "Zlatan hemlig", "sms_enabled": false}),
        )
        .await;
    assert_eq!(quoted.status(), 422);
    let admin = staff_token_full("unit_admin", &[app.world.unit.id], None, "Zlatan Adminsson");
    let quoted = app
        .get(
            &format!("/api/v1/units/{}/access-log?action=Zlatan-hemlig", app.world.unit.id),
            &admin,
        )
        .await;
    assert_eq!(quoted.status(), 400);
    assert!(
        quoted.text().await.unwrap().contains("Zlatan-hemlig"),
        "the client is told what was wrong"
    );

    let logs = logs().text();
    assert!(logs.contains("http_request"), "requests are logged");
    assert!(
        logs.contains("/api/v1/me/bookings/{booking_id}/cancel"),
        "by route template"
    );
    let short_pnr = &pnr[2..];
    for secret in [
        pnr.as_str(),
        short_pnr,
        "Zlatan",
        "Loggsson",
        "Personalsson",
        "Adminsson",
        "hemlig",
        "0707123456",
        "+46707123456",
        "zlatan@example.se",
        &id,
        staff_booking,
    ] {
        assert!(!logs.contains(secret), "the log contains {secret:?}");
    }
}
