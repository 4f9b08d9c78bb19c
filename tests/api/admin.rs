//! Administration through the API: the catalogue, the units' services, terms
//! texts, activation, restricted selections and the region's notify switch.

use crate::helpers::*;
use serde_json::{json, Value};
use tidbok_domain::*;

crate::on_both_backends!(
    regional_admins_keep_the_catalogue,
    services_are_set_up_activated_and_explained_to_residents,
    a_restricted_selection_is_imported_all_or_nothing,
    the_region_decides_whether_staff_cancellations_notify,
);

fn regional(app: &TestApp) -> String {
    staff_token_full("regional_admin", &[], Some(app.world.region.id), "Rolf Holm")
}

fn unit_admin(app: &TestApp) -> String {
    staff_token_full("unit_admin", &[app.world.unit.id], None, "Ulla Åberg")
}

fn new_type(name: &str) -> Value {
    json!({"name": name, "profession": "Sjuksköterska", "mode": "video", "default_length_minutes": 20, "portal_policy": "self_service", "min_age_years": 16, "established_contact_only": false, "instructions": "Logga in fem minuter före."})
}

async fn regional_admins_keep_the_catalogue(app: TestApp) {
    let admin = regional(&app);
    let created = app
        .post("/api/v1/appointment-types", &admin, &new_type("Sköterska Video 1177"))
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(
        (created["mode"].clone(), created["min_age_years"].clone()),
        (json!("video"), json!(16))
    );

    let catalogue: Value = app.get("/api/v1/appointment-types", &admin).await.json().await.unwrap();
    assert_eq!(
        catalogue.as_array().unwrap().len(),
        7,
        "the six fixture types and the new one"
    );
    let duplicate = app
        .post("/api/v1/appointment-types", &admin, &new_type("Provtagning 1177"))
        .await;
    assert_problem(duplicate, 409, "duplicate-name").await;

    let id = created["id"].as_str().unwrap();
    let mut changed = new_type("Sköterska Video 1177");
    changed["portal_policy"] = json!("cancelable");
    changed["retired"] = json!(true);
    let updated: Value = app
        .put(&format!("/api/v1/appointment-types/{id}"), &admin, &changed)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (updated["portal_policy"].clone(), updated["retired"].clone()),
        (json!("cancelable"), json!(true))
    );
    // A retired type cannot be scheduled any more.
    let template = json!({"blocks": [{"weekday": "monday", "appointment_type_id": id, "start": "08:00", "slot_length_minutes": 20, "count": 1}]});
    let refused = app
        .put(
            &format!("/api/v1/practitioners/{}/template", app.world.practitioner.id),
            &app.staff(),
            &template,
        )
        .await;
    assert_problem(refused, 422, "appointment-type-not-usable").await;

    let elsewhere = staff_token_full("regional_admin", &[], Some(RegionId::generate()), "Ruth");
    let theirs: Value = app
        .get("/api/v1/appointment-types", &elsewhere)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs, json!([]), "another region's catalogue is its own");
    assert_problem(
        app.put(&format!("/api/v1/appointment-types/{id}"), &elsewhere, &changed)
            .await,
        404,
        "not-found",
    )
    .await;
    let blank = json!({"name": "  ", "profession": "x", "mode": "visit", "default_length_minutes": 15, "portal_policy": "hidden"});
    assert_problem(
        app.post("/api/v1/appointment-types", &admin, &blank).await,
        422,
        "validation-failed",
    )
    .await;
    let bad_policy = json!({"name": "x", "profession": "x", "mode": "visit", "default_length_minutes": 15, "portal_policy": "public"});
    assert_problem(
        app.post("/api/v1/appointment-types", &admin, &bad_policy).await,
        422,
        "validation-failed",
    )
    .await;
}

async fn services_are_set_up_activated_and_explained_to_residents(app: TestApp) {
    let (unit, _) = app.other_unit().await;
    let admin = staff_token_full("unit_admin", &[unit.id], None, "Ada");
    let services = format!("/api/v1/units/{}/services", unit.id);
    let terms = format!("{services}/book_online/terms");
    let markdown = json!({"terms_markdown": "Här kan du **boka** tider.\n\n- Provtagning\n\n<script>alert(1)</script><img src=x onerror=alert(1)>"});

    assert_problem(app.put(&terms, &admin, &markdown).await, 409, "service-not-set-up").await;
    let set_up: Value = app
        .put(&format!("{services}/book_online"), &regional(&app), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (set_up["active"].clone(), set_up["audience"].clone()),
        (json!(false), json!("all_residents"))
    );
    let resident = resident_token(&adult_pnr(1));
    let refused = app
        .get(&format!("/api/v1/units/{}/appointment-types", unit.id), &resident)
        .await;
    assert_problem(refused, 403, "service-not-active").await;

    let saved: Value = app.put(&terms, &admin, &markdown).await.json().await.unwrap();
    let html = saved["terms_html"].as_str().unwrap();
    assert!(
        html.contains("<strong>boka</strong>") && html.contains("<li>Provtagning</li>"),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("onerror") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        saved["terms_markdown"].as_str().unwrap().contains("<script>"),
        "the text as written is kept for editing"
    );

    let activated: Value = app
        .put(
            &format!("{services}/book_online/activation"),
            &admin,
            &json!({"active": true, "audience": "all_residents"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(activated["active"], true);
    let seen: Value = app
        .get(&format!("/api/v1/units/{}", unit.id), &resident)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["services"][0]["available"], true);
    assert_eq!(
        seen["services"][0]["terms_html"], saved["terms_html"],
        "residents get the sanitised text"
    );
    assert_eq!(
        app.get(&format!("/api/v1/units/{}/appointment-types", unit.id), &resident)
            .await
            .status(),
        200
    );

    app.put(
        &format!("{services}/book_online/activation"),
        &admin,
        &json!({"active": false, "audience": "all_residents"}),
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/units/{}/appointment-types", unit.id), &resident)
            .await,
        403,
        "service-not-active",
    )
    .await;
    let listed: Value = app.get(&services, &admin).await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_problem(
        app.put(&format!("{services}/no_such_service"), &regional(&app), &json!({}))
            .await,
        404,
        "not-found",
    )
    .await;
}

async fn a_restricted_selection_is_imported_all_or_nothing(app: TestApp) {
    let admin = unit_admin(&app);
    let selection = format!("/api/v1/units/{}/services/book_online/selection", app.world.unit.id);
    let csv = |body: String| {
        app.client
            .put(app.url(&selection))
            .bearer_auth(&admin)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let [slot] = app.slots(&app.world.self_service, &[in_hours(60)], 15).await[..] else {
        unreachable!()
    };
    let (inside, outside) = (adult_pnr(11), adult_pnr(12));

    let bad = csv(format!("personnummer;namn\n{inside};Anna\n19121212-1213;Fel\n\nabc\n"))
        .await
        .unwrap();
    let problem = assert_problem(bad, 422, "invalid-selection").await;
    assert_eq!(
        problem["lines"],
        json!([
            {"line": 3, "code": "pnr_check_digit", "error": "the check digit does not match"},
            {"line": 5, "code": "pnr_format", "error": "a personal identity number has 10 or 12 digits, optionally with '-' or '+' before the last four"}
        ])
    );
    let services: Value = app
        .get(&format!("/api/v1/units/{}/services", app.world.unit.id), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(services[0]["selection_size"], 0, "nothing half-imported");

    let good = csv(format!("personnummer\n{inside}\n{}\n", &inside)).await.unwrap();
    assert_eq!(good.status(), 200);
    assert_eq!(good.json::<Value>().await.unwrap()["size"], 1, "duplicates count once");
    app.put(
        &format!("/api/v1/units/{}/services/book_online/activation", app.world.unit.id),
        &admin,
        &json!({"active": true, "audience": "restricted_selection"}),
    )
    .await;

    assert_problem(
        app.book(&resident_token(&outside), slot).await,
        403,
        "service-not-active",
    )
    .await;
    assert_eq!(app.book(&resident_token(&inside), slot).await.status(), 201);

    let json_body = app
        .client
        .put(app.url(&selection))
        .bearer_auth(&admin)
        .json(&json!({"numbers": [inside]}))
        .send()
        .await
        .unwrap();
    assert_problem(json_body, 415, "unsupported-media-type").await;
    let huge = csv("191212121212\n".repeat(200_000)).await.unwrap();
    assert_problem(huge, 413, "payload-too-large").await;
}

async fn the_region_decides_whether_staff_cancellations_notify(app: TestApp) {
    let slots = app
        .slots(&app.world.cancelable, &[in_hours(60), in_hours(61)], 15)
        .await;
    let pnr = adult_pnr(13);
    let resident = resident_token(&pnr);
    let staff = app.staff();
    let path = format!("/api/v1/units/{}/bookings", app.world.unit.id);
    let book = |slot: SlotId| {
        let body = json!({"personal_identity_number": pnr, "slot_id": slot.to_string()});
        let (app, path, staff) = (&app, &path, &staff);
        async move { app.post(path, staff, &body).await }
    };
    let count = || async {
        app.get("/api/v1/me/inbox", &resident)
            .await
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };

    let first: Value = book(slots[0]).await.json().await.unwrap();
    app.post(
        &format!("/api/v1/bookings/{}/cancel", first["id"].as_str().unwrap()),
        &staff,
        &json!({"reason": "Sjuk"}),
    )
    .await;
    assert_eq!(count().await, 2, "booked and cancelled: both notified by default");

    let region: Value = app
        .put(
            "/api/v1/region",
            &regional(&app),
            &json!({"notify_on_staff_cancel": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(region["notify_on_staff_cancel"], false);
    let second: Value = book(slots[1]).await.json().await.unwrap();
    app.post(
        &format!("/api/v1/bookings/{}/cancel", second["id"].as_str().unwrap()),
        &staff,
        &json!({"reason": "Sjuk"}),
    )
    .await;
    assert_eq!(count().await, 3, "the second cancellation sent nothing");
    let read: Value = app.get("/api/v1/region", &regional(&app)).await.json().await.unwrap();
    assert_eq!(read["notify_on_staff_cancel"], false);
}
