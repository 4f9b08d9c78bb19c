//! Every resident endpoint × every role: residents get through; staff, unit
//! admins and regional admins get 403; no token gets 401.

use crate::helpers::*;
use serde_json::{json, Value};

crate::on_both_backends!(every_resident_endpoint_admits_only_residents);

async fn every_resident_endpoint_admits_only_residents(app: TestApp) {
    let slots = app
        .slots(
            &app.world.self_service,
            &[in_hours(72), in_hours(96), in_hours(120)],
            15,
        )
        .await;
    let pnr = adult_pnr(1);
    let anna = resident_token(&pnr);
    let booking = app.booked(&anna, slots[0]).await["id"].as_str().unwrap().to_owned();
    let unit = app.world.unit.id;
    let ty = app.world.self_service.id;
    let day = tidbok_domain::time::local_date(in_hours(96));

    // (method, path, body, expected status for the resident)
    let endpoints: Vec<(&str, String, Option<Value>, u16)> = vec![
        ("GET", "/api/v1/units".into(), None, 200),
        ("GET", format!("/api/v1/units/{unit}"), None, 200),
        ("GET", format!("/api/v1/units/{unit}/appointment-types"), None, 200),
        (
            "GET",
            format!("/api/v1/units/{unit}/appointment-types/{ty}/available-dates"),
            None,
            200,
        ),
        (
            "GET",
            format!("/api/v1/units/{unit}/appointment-types/{ty}/slots?date={day}"),
            None,
            200,
        ),
        ("GET", "/api/v1/me/bookings".into(), None, 200),
        ("GET", format!("/api/v1/me/bookings/{booking}"), None, 200),
        (
            "GET",
            format!("/api/v1/me/bookings/{booking}/rebook-targets"),
            None,
            200,
        ),
        ("POST", "/api/v1/me/bookings".into(), Some(book_body(slots[2])), 201),
        (
            "POST",
            format!("/api/v1/me/bookings/{booking}/rebook"),
            Some(json!({"slot_id": slots[1].to_string()})),
            201,
        ),
        (
            "POST",
            format!("/api/v1/me/bookings/{booking}/cancel"),
            Some(json!({"reason": "x"})),
            409,
        ),
    ];
    let others = [
        ("staff of the unit", staff_token("staff", &[unit])),
        ("unit admin of the unit", staff_token("unit_admin", &[unit])),
        ("regional admin", staff_token("regional_admin", &[])),
    ];

    for (method, path, body, resident_status) in &endpoints {
        let send = |token: Option<&str>| {
            let mut request = match *method {
                "GET" => app.client.get(app.url(path)),
                _ => app.client.post(app.url(path)).json(body.as_ref().unwrap_or(&json!({}))),
            };
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send()
        };
        assert_problem(send(None).await.unwrap(), 401, "unauthorized").await;
        for (who, token) in &others {
            let response = send(Some(token)).await.unwrap();
            assert_eq!(response.status(), 403, "{who} on {method} {path}");
            assert_problem(response, 403, "forbidden").await;
        }
        let response = send(Some(&anna)).await.unwrap();
        let status = response.status().as_u16();
        assert_eq!(
            status,
            *resident_status,
            "resident on {method} {path}: {}",
            response.text().await.unwrap_or_default()
        );
    }
}
