//! Scheduling through the API: templates, publishing, one-day changes, empty
//! days and the horizon report.

use crate::helpers::*;
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{json, Value};
use tidbok_domain::time::local_date;

crate::on_both_backends!(
    a_template_is_saved_with_computed_ends_and_overlapping_blocks_are_refused,
    publishing_creates_slots_once_and_a_changed_template_keeps_booked_slots,
    a_temporary_change_and_an_empty_day_touch_one_date_only,
    the_horizon_report_flags_units_short_of_eight_weeks,
    scheduling_refuses_bad_input_with_problems,
);

/// The Monday a week or more from today.
fn next_monday() -> NaiveDate {
    let d = local_date(now()) + Duration::days(7);
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn block(app: &TestApp, weekday: &str, start: &str, length: u16, count: u16) -> Value {
    json!({"weekday": weekday, "appointment_type_id": app.world.self_service.id.to_string(), "start": start, "slot_length_minutes": length, "count": count})
}

/// These tests are about publishing itself, on any date of the year: the
/// unit publishes on public holidays too (rule 22 has tests of its own).
async fn on_holidays_too(app: &TestApp) {
    app.world
        .store
        .set_publishes_on_holidays(app.world.unit.id, true)
        .await
        .unwrap();
}

fn template_path(app: &TestApp) -> String {
    format!("/api/v1/practitioners/{}/template", app.world.practitioner.id)
}

async fn a_template_is_saved_with_computed_ends_and_overlapping_blocks_are_refused(app: TestApp) {
    let staff = app.staff();
    let blocks = json!({"blocks": [block(&app, "monday", "08:00", 45, 1), block(&app, "monday", "08:45", 15, 4), block(&app, "tuesday", "09:00", 10, 6)]});

    let saved = app.put(&template_path(&app), &staff, &blocks).await;

    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.unwrap();
    let ends: Vec<_> = saved["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["end"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ends, ["08:45", "09:45", "10:00"]);
    let read: Value = app.get(&template_path(&app), &staff).await.json().await.unwrap();
    assert_eq!(read["blocks"].as_array().unwrap().len(), 3);

    let clash = json!({"blocks": [block(&app, "monday", "08:00", 15, 4), block(&app, "tuesday", "08:00", 15, 4), block(&app, "monday", "08:50", 10, 2)]});
    let problem = assert_problem(
        app.put(&template_path(&app), &staff, &clash).await,
        422,
        "template-overlap",
    )
    .await;
    assert_eq!(
        (problem["first"].clone(), problem["second"].clone()),
        (json!(0), json!(2)),
        "both blocks named"
    );
    let unchanged: Value = app.get(&template_path(&app), &staff).await.json().await.unwrap();
    assert_eq!(
        unchanged["blocks"].as_array().unwrap().len(),
        3,
        "a refused template changes nothing"
    );
}

async fn publishing_creates_slots_once_and_a_changed_template_keeps_booked_slots(app: TestApp) {
    let staff = app.staff();
    on_holidays_too(&app).await;
    let monday = next_monday();
    app.put(
        &template_path(&app),
        &staff,
        &json!({"blocks": [block(&app, "monday", "08:00", 15, 4), block(&app, "wednesday", "13:00", 30, 2)]}),
    )
    .await;
    let publish = format!("/api/v1/practitioners/{}/publish", app.world.practitioner.id);
    let range = json!({"from": monday.to_string(), "to": (monday + Duration::days(13)).to_string()});

    let first: Value = app.post(&publish, &staff, &range).await.json().await.unwrap();
    let again: Value = app.post(&publish, &staff, &range).await.json().await.unwrap();

    assert_eq!(first["created"], 12, "2 weeks × (4 + 2): {first}");
    assert_eq!(
        (again["created"].clone(), again["withdrawn"].clone()),
        (json!(0), json!(0)),
        "idempotent"
    );
    let book: Value = app
        .get(
            &format!("/api/v1/units/{}/book?from={monday}", app.world.unit.id),
            &staff,
        )
        .await
        .json()
        .await
        .unwrap();
    let slots = book["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 4);
    assert_eq!(slots[0]["local_start_time"], "08:00");
    assert_eq!(slots[1]["state"], "free");

    // A resident books 08:15; the template changes to 20-minute slots.
    let booked = app
        .booked(
            &resident_token(&adult_pnr(1)),
            tidbok_domain::SlotId::from_uuid(slots[1]["id"].as_str().unwrap().parse().unwrap()),
        )
        .await;
    app.put(
        &template_path(&app),
        &staff,
        &json!({"blocks": [block(&app, "monday", "08:00", 20, 3), block(&app, "wednesday", "13:00", 30, 2)]}),
    )
    .await;
    let changed: Value = app.post(&publish, &staff, &range).await.json().await.unwrap();

    let conflicts = changed["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{changed}");
    assert_eq!(conflicts[0]["booking_id"], booked["id"]);
    assert_eq!(conflicts[0]["local_start_time"], "08:15");
    let still: Value = app
        .get(
            &format!("/api/v1/me/bookings/{}", booked["id"].as_str().unwrap()),
            &resident_token(&adult_pnr(1)),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (still["status"].clone(), still["local_start_time"].clone()),
        (json!("booked"), json!("08:15")),
        "never moved or deleted"
    );
    let book: Value = app
        .get(
            &format!("/api/v1/units/{}/book?from={monday}", app.world.unit.id),
            &staff,
        )
        .await
        .json()
        .await
        .unwrap();
    let live: Vec<_> = book["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] != "withdrawn")
        .map(|s| s["local_start_time"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        live,
        ["08:15", "08:40"],
        "the booked 08:15 stays; 08:00 and 08:20 would overlap it"
    );
}

async fn a_temporary_change_and_an_empty_day_touch_one_date_only(app: TestApp) {
    let staff = app.staff();
    on_holidays_too(&app).await;
    let monday = next_monday();
    app.put(
        &template_path(&app),
        &staff,
        &json!({"blocks": [block(&app, "monday", "08:00", 15, 4)]}),
    )
    .await;
    let p = app.world.practitioner.id;
    app.post(
        &format!("/api/v1/practitioners/{p}/publish"),
        &staff,
        &json!({"from": monday.to_string(), "to": (monday + Duration::days(7)).to_string()}),
    )
    .await;

    let change = json!({"blocks": [{"appointment_type_id": app.world.cancelable.id.to_string(), "start": "09:15", "slot_length_minutes": 15, "count": 1}]});
    let changed: Value = app
        .put(&format!("/api/v1/practitioners/{p}/days/{monday}"), &staff, &change)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (changed["created"].clone(), changed["withdrawn"].clone()),
        (json!(1), json!(4)),
        "{changed}"
    );
    let day = |d: NaiveDate| {
        let app = &app;
        let staff = staff.clone();
        async move {
            let book: Value = app
                .get(&format!("/api/v1/units/{}/book?from={d}", app.world.unit.id), &staff)
                .await
                .json()
                .await
                .unwrap();
            book["slots"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["state"] != "withdrawn")
                .map(|s| s["local_start_time"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(day(monday).await, ["09:15"]);
    assert_eq!(
        day(monday + Duration::days(7)).await,
        ["08:00", "08:15", "08:30", "08:45"],
        "the next Monday is untouched"
    );

    let next = monday + Duration::days(7);
    let query = tidbok_domain::ports::FreeSlotQuery {
        unit_id: app.world.unit.id,
        appointment_type_id: app.world.self_service.id,
        practitioner_id: None,
        length_minutes: None,
        from: next,
        to: next,
        starting_after: now(),
    };
    let first = app.world.store.free_slots(&query).await.unwrap()[0].slot.id;
    let booked = app.booked(&resident_token(&adult_pnr(2)), first).await;
    let emptied: Value = app
        .post(
            &format!("/api/v1/practitioners/{p}/days/{next}/empty"),
            &staff,
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(emptied["withdrawn"], 3);
    assert_eq!(
        emptied["conflicts"][0]["booking_id"], booked["id"],
        "the booked slot remains and is listed"
    );
    assert_eq!(day(next).await, ["08:00"]);

    let restored: Value = app
        .delete(&format!("/api/v1/practitioners/{p}/days/{next}"), &staff)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(restored["created"], 3);
    assert_eq!(day(next).await, ["08:00", "08:15", "08:30", "08:45"]);
    assert_problem(
        app.delete(&format!("/api/v1/practitioners/{p}/days/{next}"), &staff)
            .await,
        404,
        "not-found",
    )
    .await;
}

async fn the_horizon_report_flags_units_short_of_eight_weeks(app: TestApp) {
    let staff = app.staff();
    on_holidays_too(&app).await;
    let p = app.world.practitioner.id;
    let today = local_date(now());
    let every_day: Vec<_> = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .map(|d| block(&app, d, "12:00", 15, 1))
    .collect();
    app.put(&template_path(&app), &staff, &json!({"blocks": every_day}))
        .await;
    app.post(
        &format!("/api/v1/practitioners/{p}/publish"),
        &staff,
        &json!({"from": today.to_string(), "to": (today + Duration::weeks(4)).to_string()}),
    )
    .await;
    let horizon = format!("/api/v1/units/{}/horizon", app.world.unit.id);

    let short: Value = app.get(&horizon, &staff).await.json().await.unwrap();
    assert_eq!(short["short"], true);
    assert_eq!(short["required_until"], (today + Duration::weeks(8)).to_string());
    assert_eq!(short["rows"][0]["reaches_horizon"], false);
    assert_eq!(short["rows"][0]["last_date"], (today + Duration::weeks(4)).to_string());

    app.post(
        &format!("/api/v1/practitioners/{p}/publish"),
        &staff,
        &json!({"from": today.to_string(), "to": (today + Duration::weeks(9)).to_string()}),
    )
    .await;
    let enough: Value = app.get(&horizon, &staff).await.json().await.unwrap();
    assert_eq!(enough["short"], false, "{enough}");
    assert_eq!(enough["rows"][0]["reaches_horizon"], true);

    // An ad-hoc booking of an internal type is no schedule to keep up: the
    // report does not turn short over it.
    let ad_hoc = json!({
        "personal_identity_number": adult_pnr(31),
        "ad_hoc": {
            "practitioner_id": p.to_string(),
            "appointment_type_id": app.world.hidden.id.to_string(),
            "starts_at": (now() + Duration::days(1)).to_rfc3339(),
            "length_minutes": 15
        }
    });
    let booked = app
        .post(
            &format!("/api/v1/units/{}/bookings", app.world.unit.id),
            &staff,
            &ad_hoc,
        )
        .await;
    assert_eq!(booked.status(), 201);
    let still: Value = app.get(&horizon, &staff).await.json().await.unwrap();
    assert_eq!(still["short"], false, "{still}");
    assert_eq!(still["rows"].as_array().unwrap().len(), 1, "{still}");

    let regional = staff_token_full("regional_admin", &[], Some(app.world.region.id), "Rolf Holm");
    let region: Value = app
        .get(&format!("/api/v1/regions/{}/horizon", app.world.region.id), &regional)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(region[0]["unit"]["name"], "Vårdcentralen Test");
}

async fn scheduling_refuses_bad_input_with_problems(app: TestApp) {
    let staff = app.staff();
    let path = template_path(&app);
    for (bad, field) in [
        (
            json!({"blocks": [block(&app, "monday", "8.30", 15, 2)]}),
            "blocks[0].start",
        ),
        (
            json!({"blocks": [block(&app, "monday", "08:30", 15, 0)]}),
            "blocks[0].count",
        ),
        (json!({"blocks": [block(&app, "monday", "23:30", 15, 4)]}), "blocks[0]"),
        (
            json!({"blocks": [{"appointment_type_id": app.world.self_service.id.to_string(), "start": "08:00", "slot_length_minutes": 15, "count": 1}]}),
            "blocks[0].weekday",
        ),
        (
            json!({"blocks": [block(&app, "funday", "08:00", 15, 1)]}),
            "blocks[0].weekday",
        ),
    ] {
        let problem = assert_problem(app.put(&path, &staff, &bad).await, 422, "validation-failed").await;
        let fields: Vec<_> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        assert!(fields.iter().any(|f| f.starts_with(field)), "{bad}: {problem}");
    }
    let mut unknown = block(&app, "monday", "08:00", 15, 1);
    unknown["appointment_type_id"] = json!(uuid::Uuid::new_v4().to_string());
    assert_problem(
        app.put(&path, &staff, &json!({"blocks": [unknown]})).await,
        422,
        "appointment-type-not-usable",
    )
    .await;

    let publish = format!("/api/v1/practitioners/{}/publish", app.world.practitioner.id);
    let today = local_date(now());
    for (from, to) in [(today - Duration::days(1), today), (today, today + Duration::days(500))] {
        let response = app
            .post(
                &publish,
                &staff,
                &json!({"from": from.to_string(), "to": to.to_string()}),
            )
            .await;
        assert_problem(response, 422, "invalid-date-range").await;
    }
    // An end before the start names the field, for the form to show it there.
    let backwards = app
        .post(
            &publish,
            &staff,
            &json!({"from": (today + Duration::days(5)).to_string(), "to": today.to_string()}),
        )
        .await;
    let problem = assert_problem(backwards, 422, "validation-failed").await;
    assert_eq!(problem["errors"][0]["field"], "to", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "before_from", "{problem}");
    let past = format!(
        "/api/v1/practitioners/{}/days/{}/empty",
        app.world.practitioner.id,
        today - Duration::days(1)
    );
    assert_problem(app.post(&past, &staff, &json!({})).await, 422, "invalid-date-range").await;
    let bad_date = format!(
        "/api/v1/practitioners/{}/days/2026-02-30/empty",
        app.world.practitioner.id
    );
    let problem = assert_problem(app.post(&bad_date, &staff, &json!({})).await, 400, "malformed-request").await;
    assert_eq!(
        problem["parameter"], "date",
        "an invalid date in a path is named: {problem}"
    );
    assert!(problem["detail"].as_str().unwrap().contains("date"), "{problem}");
    let unknown_practitioner = format!("/api/v1/practitioners/{}/template", uuid::Uuid::new_v4());
    assert_problem(app.get(&unknown_practitioner, &staff).await, 404, "not-found").await;
    let week = format!(
        "/api/v1/units/{}/book?from={today}&to={}",
        app.world.unit.id,
        today + Duration::days(40)
    );
    assert_problem(app.get(&week, &staff).await, 422, "invalid-date-range").await;
}
