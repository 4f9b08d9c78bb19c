//! Bad inputs of every kind get a problem+json answer with a stable type —
//! never a 500, never HTML or plain text — and change nothing.

use crate::helpers::*;
use serde_json::{json, Value};

crate::on_both_backends!(every_bad_input_gets_a_problem_and_changes_nothing);

async fn every_bad_input_gets_a_problem_and_changes_nothing(app: TestApp) {
    let [slot] = app.slots(&app.world.self_service, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    let anna = resident_token(&adult_pnr(1));
    let post_raw = |path: &str, content_type: Option<&str>, body: String| {
        let mut request = app.client.post(app.url(path)).bearer_auth(&anna).body(body);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        request.send()
    };
    let bookings = "/api/v1/me/bookings";

    let malformed = post_raw(bookings, Some("application/json"), "{\"slot_id\": ".into())
        .await
        .unwrap();
    assert_problem(malformed, 400, "malformed-request").await;

    let wrong_type = post_raw(bookings, Some("text/plain"), book_body(slot).to_string())
        .await
        .unwrap();
    assert_problem(wrong_type, 415, "unsupported-media-type").await;
    let no_type = post_raw(bookings, None, book_body(slot).to_string()).await.unwrap();
    assert_problem(no_type, 415, "unsupported-media-type").await;

    let mut unknown = book_body(slot);
    unknown["status"] = json!("arrived");
    let unknown = assert_problem(app.post(bookings, &anna, &unknown).await, 422, "validation-failed").await;
    assert_eq!(
        unknown["errors"][0],
        json!({"field": "status", "code": "unknown_field", "message": unknown["errors"][0]["message"]})
    );

    let bad_uuid = assert_problem(
        app.post(
            bookings,
            &anna,
            &json!({"slot_id": "nope", "reason_for_visit": "x", "terms_accepted": true}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(bad_uuid["errors"][0]["field"], "slot_id");
    let missing = assert_problem(
        app.post(
            bookings,
            &anna,
            &json!({"slot_id": slot.to_string(), "terms_accepted": true}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(
        missing["errors"][0],
        json!({"field": "reason_for_visit", "code": "required", "message": missing["errors"][0]["message"]})
    );
    let wrong_json_type = assert_problem(
        app.post(
            bookings,
            &anna,
            &json!({"slot_id": slot.to_string(), "reason_for_visit": "x", "terms_accepted": "yes"}),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(wrong_json_type["errors"][0]["field"], "terms_accepted");

    let mut long_message = book_body(slot);
    long_message["message"] = json!("m".repeat(1001));
    let long = assert_problem(app.post(bookings, &anna, &long_message).await, 422, "validation-failed").await;
    assert_eq!(long["errors"][0]["field"], "message");

    let mut control = book_body(slot);
    control["reason_for_visit"] = json!("hej\u{0000}");
    let control = assert_problem(app.post(bookings, &anna, &control).await, 422, "validation-failed").await;
    assert_eq!(control["errors"][0]["code"], "control_character");

    let huge = post_raw(
        bookings,
        Some("application/json"),
        format!("{{\"pad\": \"{}\"}}", "x".repeat(20_000)),
    )
    .await
    .unwrap();
    assert_problem(huge, 413, "payload-too-large").await;

    assert_problem(app.get("/api/v1/me/bookings/not-a-uuid", &anna).await, 404, "not-found").await;
    assert_problem(
        app.get("/api/v1/units/123/appointment-types", &anna).await,
        404,
        "not-found",
    )
    .await;
    assert_problem(app.get("/api/v1/no/such/route", &anna).await, 404, "not-found").await;
    assert_problem(app.get("/", &anna).await, 404, "not-found").await;

    let delete = app
        .client
        .delete(app.url(bookings))
        .bearer_auth(&anna)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.headers()["allow"], "GET, POST");
    assert_problem(delete, 405, "method-not-allowed").await;
    let put = app
        .client
        .put(app.url("/api/v1/me/bookings/00000000-0000-0000-0000-000000000000"))
        .send()
        .await
        .unwrap();
    assert_problem(put, 405, "method-not-allowed").await;

    let base = format!(
        "/api/v1/units/{}/appointment-types/{}",
        app.world.unit.id, app.world.self_service.id
    );
    assert_problem(
        app.get(&format!("{base}/slots?date=tomorrow"), &anna).await,
        400,
        "malformed-request",
    )
    .await;
    assert_problem(app.get(&format!("{base}/slots"), &anna).await, 400, "malformed-request").await;
    assert_problem(
        app.get(&format!("{base}/available-dates?from=2026-13-01"), &anna).await,
        400,
        "malformed-request",
    )
    .await;
    assert_problem(
        app.get(&format!("{base}/available-dates?colour=blue"), &anna).await,
        400,
        "malformed-request",
    )
    .await;

    let cancel = format!("{bookings}/{}/cancel", uuid::Uuid::new_v4());
    let empty_reason = assert_problem(
        app.post(&cancel, &anna, &json!({"reason": ""})).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(empty_reason["errors"][0]["field"], "reason");
    assert_problem(app.post(&cancel, &anna, &json!({})).await, 422, "validation-failed").await;

    let mine: Value = app.get(bookings, &anna).await.json().await.unwrap();
    assert_eq!(mine, json!([]), "no bad request booked anything");
    assert_eq!(app.world.store.slot(slot).await.unwrap().unwrap().slot.booking_id, None);
}
