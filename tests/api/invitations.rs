//! Rule 19 end to end: staff invite a resident to book a type residents
//! cannot otherwise book online, within a window; the resident is told, sees
//! it, finds the dates and times it covers and books once under every other
//! rule; staff see it used; it expires after the window; bad input.

use crate::helpers::*;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

crate::on_both_kinds!(
    an_invitation_is_sent_seen_booked_once_and_shown_used,
    an_invitation_expires_after_its_window,
    invitations_refuse_bad_input
);

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Tuesday 8 December 2026, 10:00 in Stockholm.
fn t0() -> DateTime<Utc> {
    utc(2026, 12, 8, 9, 0)
}

async fn invite(
    app: &TestApp,
    token: &str,
    pnr: &str,
    ty: impl std::fmt::Display,
    from: &str,
    until: &str,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/units/{}/invitations", app.world.unit.id),
        token,
        &json!({"personal_identity_number": pnr, "appointment_type_id": ty.to_string(), "valid_from": from, "valid_until": until}),
    )
    .await
}

async fn an_invitation_is_sent_seen_booked_once_and_shown_used(kind: Kind) {
    let clock = TestClock::at(t0());
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let roles = app.roles().await;
    let pnr = adult_pnr(801);
    let anna = resident_token(&pnr);
    // "visible": shown in the portal, not bookable online.
    let ty = app.world.visible.id;
    let inside = app
        .slots(
            &app.world.visible,
            &[utc(2026, 12, 10, 8, 0), utc(2026, 12, 10, 8, 30)],
            15,
        )
        .await;
    let [outside] = app.slots(&app.world.visible, &[utc(2026, 12, 21, 8, 0)], 15).await[..] else {
        unreachable!()
    };
    let [other_type] = app.slots(&app.world.self_service, &[utc(2026, 12, 10, 9, 0)], 15).await[..] else {
        unreachable!()
    };
    let made = invite(&app, &roles.staff, &pnr, ty, "2026-12-09", "2026-12-18").await;
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.unwrap();
    assert_eq!(made["status"], "open");
    let id = made["id"].as_str().unwrap().to_owned();

    // Told in the inbox; sees it.
    let inbox: Vec<Value> = app.get("/api/v1/me/inbox", &anna).await.json().await.unwrap();
    assert_eq!(inbox[0]["kind"], "invited");
    assert!(inbox[0]["body"]
        .as_str()
        .unwrap()
        .contains(&format!("/invitations/{id}")));
    let mine: Vec<Value> = app.get("/api/v1/me/invitations", &anna).await.json().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["appointment_type"]["name"], app.world.visible.name.as_str());
    assert_eq!(
        (mine[0]["valid_from"].as_str(), mine[0]["valid_until"].as_str()),
        (Some("2026-12-09"), Some("2026-12-18"))
    );
    // The type cannot be booked the ordinary way.
    let ordinary = app.book(&anna, inside[0]).await;
    assert_problem(ordinary, 422, "not-bookable-online").await;

    // Dates and times inside the window only.
    let dates: Value = app
        .get(&format!("/api/v1/me/invitations/{id}/available-dates"), &anna)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dates["first_free_date"], "2026-12-10");
    assert_eq!(dates["dates"], json!([{"date": "2026-12-10", "free_slots": 2}]));
    let wide = app
        .get(
            &format!("/api/v1/me/invitations/{id}/available-dates?from=2026-12-01&to=2026-12-31"),
            &anna,
        )
        .await;
    assert_problem(wide, 422, "outside-invitation").await;
    let times: Vec<Value> = app
        .get(&format!("/api/v1/me/invitations/{id}/slots?date=2026-12-10"), &anna)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(times.len(), 2);

    // Every other rule still applies: terms, the slot it covers.
    let path = format!("/api/v1/me/invitations/{id}/bookings");
    let body = |slot: tidbok_domain::SlotId, terms: bool| json!({"slot_id": slot.to_string(), "reason_for_visit": "Kallad till nybesök", "terms_accepted": terms});
    assert_problem(
        app.post(&path, &anna, &body(inside[0], false)).await,
        422,
        "terms-not-accepted",
    )
    .await;
    assert_problem(
        app.post(&path, &anna, &body(outside, true)).await,
        422,
        "outside-invitation",
    )
    .await;
    assert_problem(
        app.post(&path, &anna, &body(other_type, true)).await,
        422,
        "outside-invitation",
    )
    .await;
    // Someone else's invitation is not found.
    let bertil = resident_token(&adult_pnr(802));
    assert_problem(app.post(&path, &bertil, &body(inside[0], true)).await, 404, "not-found").await;
    assert_problem(
        app.get(&format!("/api/v1/me/invitations/{id}"), &bertil).await,
        404,
        "not-found",
    )
    .await;

    let booked = app.post(&path, &anna, &body(inside[0], true)).await;
    assert_eq!(booked.status(), 201);
    let booked: Value = booked.json().await.unwrap();
    assert_eq!(booked["appointment_type"]["id"], ty.to_string());
    assert_eq!(booked["status"], "booked");
    // Used up: gone from her list, refused a second time.
    let mine: Vec<Value> = app.get("/api/v1/me/invitations", &anna).await.json().await.unwrap();
    assert!(mine.is_empty());
    assert_problem(
        app.post(&path, &anna, &body(inside[1], true)).await,
        409,
        "invitation-used",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/me/invitations/{id}"), &anna).await,
        409,
        "invitation-used",
    )
    .await;

    // Staff see it used, with the booking; listing and inviting are logged.
    let list: Vec<Value> = app
        .get(
            &format!("/api/v1/units/{}/invitations", app.world.unit.id),
            &roles.staff,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], "used");
    assert_eq!(list[0]["booking_id"], booked["id"]);
    assert_eq!(
        list[0]["resident"]["personal_identity_number"]
            .as_str()
            .unwrap()
            .replace('-', ""),
        pnr
    );
    let log: Vec<Value> = app.get("/api/v1/me/access-log", &anna).await.json().await.unwrap();
    let actions: Vec<&str> = log.iter().filter_map(|l| l["action"].as_str()).collect();
    assert!(
        actions.contains(&"invite") && actions.contains(&"view_invitations"),
        "{actions:?}"
    );
}

async fn an_invitation_expires_after_its_window(kind: Kind) {
    let clock = TestClock::at(t0());
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let roles = app.roles().await;
    let pnr = adult_pnr(811);
    let anna = resident_token(&pnr);
    let [slot] = app.slots(&app.world.visible, &[utc(2026, 12, 11, 8, 0)], 15).await[..] else {
        unreachable!()
    };
    let made: Value = invite(
        &app,
        &roles.staff,
        &pnr,
        app.world.visible.id,
        "2026-12-08",
        "2026-12-11",
    )
    .await
    .json()
    .await
    .unwrap();
    let id = made["id"].as_str().unwrap();
    // The last day (Stockholm) still counts; the day after, it has expired.
    clock.set(utc(2026, 12, 11, 22, 59));
    let mine: Vec<Value> = app.get("/api/v1/me/invitations", &anna).await.json().await.unwrap();
    assert_eq!(mine.len(), 1);
    clock.set(utc(2026, 12, 11, 23, 0));
    let mine: Vec<Value> = app.get("/api/v1/me/invitations", &anna).await.json().await.unwrap();
    assert!(mine.is_empty(), "expired at midnight Stockholm");
    let late = app
        .post(
            &format!("/api/v1/me/invitations/{id}/bookings"),
            &anna,
            &json!({"slot_id": slot.to_string(), "reason_for_visit": "x", "terms_accepted": true}),
        )
        .await;
    assert_problem(late, 409, "invitation-used").await;
    let list: Vec<Value> = app
        .get(
            &format!("/api/v1/units/{}/invitations", app.world.unit.id),
            &roles.staff,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["status"], "expired");
}

async fn invitations_refuse_bad_input(kind: Kind) {
    let clock = TestClock::at(t0());
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let roles = app.roles().await;
    let pnr = adult_pnr(821);
    let ty = app.world.visible.id;
    let field = |v: &Value| (v["errors"][0]["field"].clone(), v["errors"][0]["code"].clone());
    let bad = assert_problem(
        invite(&app, &roles.staff, "19121212-1213", ty, "2026-12-09", "2026-12-18").await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(
        field(&bad),
        (json!("personal_identity_number"), json!("pnr_check_digit"))
    );
    let backwards = assert_problem(
        invite(&app, &roles.staff, &pnr, ty, "2026-12-18", "2026-12-09").await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(field(&backwards), (json!("valid_until"), json!("before_from")));
    assert_problem(
        invite(&app, &roles.staff, &pnr, ty, "2026-11-01", "2026-12-07").await,
        422,
        "invalid-date-range",
    )
    .await;
    assert_problem(
        invite(&app, &roles.staff, &pnr, ty, "2026-12-09", "2028-12-07").await,
        422,
        "invalid-date-range",
    )
    .await;
    assert_problem(
        invite(
            &app,
            &roles.staff,
            &pnr,
            app.world.hidden.id,
            "2026-12-09",
            "2026-12-18",
        )
        .await,
        422,
        "appointment-type-not-usable",
    )
    .await;
    assert_problem(
        invite(
            &app,
            &roles.staff,
            &pnr,
            uuid::Uuid::new_v4(),
            "2026-12-09",
            "2026-12-18",
        )
        .await,
        422,
        "appointment-type-not-usable",
    )
    .await;
    let not_a_date = app
        .post(
            &format!("/api/v1/units/{}/invitations", app.world.unit.id),
            &roles.staff,
            &json!({"personal_identity_number": pnr, "appointment_type_id": ty.to_string(), "valid_from": "9 december", "valid_until": "2026-12-18"}),
        )
        .await;
    assert_problem(not_a_date, 422, "validation-failed").await;
    let missing = app
        .post(
            &format!("/api/v1/units/{}/invitations", app.world.unit.id),
            &roles.staff,
            &json!({"personal_identity_number": pnr, "appointment_type_id": ty.to_string()}),
        )
        .await;
    let missing = assert_problem(missing, 422, "validation-failed").await;
    assert_eq!(missing["errors"][0]["code"], "required");
    // Nothing was written by any of them.
    let list: Vec<Value> = app
        .get(
            &format!("/api/v1/units/{}/invitations", app.world.unit.id),
            &roles.staff,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(list.is_empty());
    // A resident's bad query dates.
    let anna = resident_token(&pnr);
    let made: Value = invite(&app, &roles.staff, &pnr, ty, "2026-12-09", "2026-12-18")
        .await
        .json()
        .await
        .unwrap();
    let id = made["id"].as_str().unwrap();
    let r = app
        .get(&format!("/api/v1/me/invitations/{id}/slots?date=tomorrow"), &anna)
        .await;
    assert_eq!(r.status(), 400);
    let r = app
        .get(&format!("/api/v1/me/invitations/{id}/slots?date=2026-12-19"), &anna)
        .await;
    assert_problem(r, 422, "outside-invitation").await;
    let r = app
        .get(
            &format!("/api/v1/me/invitations/{}/slots?date=2026-12-10", uuid::Uuid::new_v4()),
            &anna,
        )
        .await;
    assert_problem(r, 404, "not-found").await;
}
