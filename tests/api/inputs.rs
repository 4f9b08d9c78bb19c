//! Bad inputs of every kind get a problem+json answer with a stable type —
//! never a 500, never HTML or plain text — and change nothing.

use crate::helpers::*;
use serde_json::{json, Value};

crate::on_both_backends!(
    every_bad_input_gets_a_problem_and_changes_nothing,
    fields_a_role_may_not_set_are_refused,
    page_sizes_are_limited
);

/// Mass assignment: anything beyond a request's documented fields is refused
/// (unknown fields are a `validation-failed` problem), never silently applied.
async fn fields_a_role_may_not_set_are_refused(app: TestApp) {
    let slots = app
        .slots(&app.world.self_service, &[in_hours(72), in_hours(96)], 15)
        .await;
    let anna = resident_token(&adult_pnr(1));
    let bo_pnr = adult_pnr(2);
    let bo = app.world.resident(&bo_pnr).await;
    for (field, value) in [
        ("resident_id", json!(bo.id.to_string())),
        ("status", json!("arrived")),
        ("booked_by", json!("staff")),
        ("hidden_in_portal", json!(true)),
    ] {
        let mut body = book_body(slots[0]);
        body[field] = value;
        let problem = assert_problem(
            app.post("/api/v1/me/bookings", &anna, &body).await,
            422,
            "validation-failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
        assert_eq!(problem["errors"][0]["code"], "unknown_field");
    }
    let booking = app.booked(&anna, slots[0]).await;
    let id = booking["id"].as_str().unwrap();
    let cancel = app
        .post(
            &format!("/api/v1/me/bookings/{id}/cancel"),
            &anna,
            &json!({"reason": "x", "cancelled_by": "staff"}),
        )
        .await;
    assert_problem(cancel, 422, "validation-failed").await;
    let rebook = app
        .post(
            &format!("/api/v1/me/bookings/{id}/rebook"),
            &anna,
            &json!({"slot_id": slots[1].to_string(), "resident_id": bo.id.to_string()}),
        )
        .await;
    assert_problem(rebook, 422, "validation-failed").await;
    // Someone else's booked slot cannot be taken by rebooking into it.
    let bos = app.booked(&resident_token(&bo_pnr), slots[1]).await;
    let stolen = app
        .post(
            &format!("/api/v1/me/bookings/{id}/rebook"),
            &anna,
            &json!({"slot_id": slots[1].to_string()}),
        )
        .await;
    assert_problem(stolen, 409, "slot-already-booked").await;
    let staff_extra =
        json!({"personal_identity_number": adult_pnr(3), "slot_id": slots[0].to_string(), "booked_by": "resident"});
    assert_problem(
        app.post(
            &format!("/api/v1/units/{}/bookings", app.world.unit.id),
            &app.staff(),
            &staff_extra,
        )
        .await,
        422,
        "validation-failed",
    )
    .await;

    let mine: Value = app
        .get(&format!("/api/v1/me/bookings/{id}"), &anna)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (mine["status"].clone(), mine["booked_by"].clone()),
        (json!("booked"), json!("resident"))
    );
    let theirs: Value = app
        .get(
            &format!("/api/v1/me/bookings/{}", bos["id"].as_str().unwrap()),
            &resident_token(&bo_pnr),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["status"], "booked");
}

async fn page_sizes_are_limited(app: TestApp) {
    let staff = app.staff();
    let admin = staff_token_full("unit_admin", &[app.world.unit.id], None, "Ulla");
    let unit = app.world.unit.id;
    for (token, path) in [
        (
            &staff,
            format!("/api/v1/units/{unit}/cancellations?since=2026-01-01T00:00:00Z&limit=501"),
        ),
        (
            &staff,
            format!("/api/v1/units/{unit}/cancellations?since=2026-01-01T00:00:00Z&limit=0"),
        ),
        (&admin, format!("/api/v1/units/{unit}/access-log?limit=1001")),
    ] {
        let problem = assert_problem(app.get(&path, token).await, 422, "validation-failed").await;
        assert_eq!(problem["errors"][0]["field"], "limit", "{path}");
    }
    assert_eq!(
        app.get(
            &format!("/api/v1/units/{unit}/cancellations?since=2026-01-01T00:00:00Z&limit=500"),
            &staff
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.get(&format!("/api/v1/units/{unit}/access-log?limit=1000"), &admin)
            .await
            .status(),
        200
    );
}

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
    assert_eq!(delete.headers()["allow"], "GET, HEAD, POST");
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
