//! The access log: every staff read or change of a resident's data leaves a
//! line; the resident sees who (loggutdrag); the unit admin filters the unit's.

use crate::helpers::*;
use serde_json::{json, Value};

crate::on_both_backends!(staff_access_is_logged_and_shown_to_the_resident_and_the_unit_admin);

async fn staff_access_is_logged_and_shown_to_the_resident_and_the_unit_admin(app: TestApp) {
    let t = in_hours(50);
    let [slot] = app.slots(&app.world.self_service, &[t], 15).await[..] else {
        unreachable!()
    };
    let pnr = adult_pnr(51);
    let resident = resident_token(&pnr);
    let booking = app.booked(&resident, slot).await;
    let before: Value = app.get("/api/v1/me/access-log", &resident).await.json().await.unwrap();
    assert_eq!(before, json!([]), "the resident's own actions are not staff access");

    let day = tidbok_domain::time::local_date(t);
    app.get(
        &format!("/api/v1/units/{}/book?from={day}", app.world.unit.id),
        &app.staff(),
    )
    .await;
    let id = booking["id"].as_str().unwrap();
    app.get(&format!("/api/v1/bookings/{id}/summons"), &app.staff()).await;
    app.post(&format!("/api/v1/bookings/{id}/arrived"), &app.staff(), &json!({}))
        .await;
    // A colleague elsewhere is refused and leaves no line.
    let (other, _) = app.other_unit().await;
    app.get(
        &format!("/api/v1/bookings/{id}"),
        &staff_token_full("staff", &[other.id], None, "Olle"),
    )
    .await;

    let mine: Value = app.get("/api/v1/me/access-log", &resident).await.json().await.unwrap();
    let actions: Vec<_> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(actions, ["mark_arrived", "print_summons", "view_book"], "newest first");
    assert!(mine
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["who"] == "Sara Ek" && e["unit"] == "Vårdcentralen Test" && e["role"] == "staff"));

    let admin = staff_token_full("unit_admin", &[app.world.unit.id], None, "Ulla");
    let log = format!("/api/v1/units/{}/access-log", app.world.unit.id);
    let all: Value = app.get(&log, &admin).await.json().await.unwrap();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let resident_id = all[0]["resident_id"].as_str().unwrap().to_owned();
    // Log review needs to know whose data it was, not an id.
    assert_eq!(all[0]["resident"]["id"], json!(resident_id));
    assert_eq!(
        all[0]["resident"]["personal_identity_number"]
            .as_str()
            .unwrap()
            .replace('-', ""),
        pnr,
        "{all}"
    );
    let summons: Value = app
        .get(&format!("{log}?action=print_summons&resident_id={resident_id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summons.as_array().unwrap().len(), 1);
    assert_eq!(summons[0]["booking_id"], booking["id"]);
    let nobody: Value = app
        .get(&format!("{log}?actor_id={}", uuid::Uuid::new_v4()), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(nobody, json!([]));
    assert_problem(
        app.get(&format!("{log}?action=steal"), &admin).await,
        400,
        "malformed-request",
    )
    .await;
    assert_problem(app.get(&log, &app.staff()).await, 403, "forbidden").await;
}
