//! Health and readiness, the dev login and rate limits.

use crate::helpers::*;
use serde_json::{json, Value};

crate::on_both_backends!(health_and_readiness_answer);

async fn health_and_readiness_answer(app: TestApp) {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("x-request-id"));
    let ready: Value = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        ready,
        json!({"status": "ready", "outbox_worker": "running", "outbox_worker_restarts": 0})
    );
}

#[tokio::test]
async fn readiness_says_when_this_process_runs_no_outbox_worker() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| s.delivery.outbox_worker = false).await else {
        return;
    };
    let ready: Value = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["outbox_worker"], "off");
}

#[tokio::test]
async fn readiness_says_not_ready_when_the_database_is_gone() {
    let Some(app) = spawn(Kind::Postgres).await else { return };
    assert_eq!(app.client.get(app.url("/readyz")).send().await.unwrap().status(), 200);
    let name = app.db.url.rsplit('/').next().unwrap().to_owned();
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| tidbok_store::testing::DEFAULT_TEST_DATABASE_URL.to_owned());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();

    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();

    assert!(ready.headers().contains_key("retry-after"));
    assert_problem(ready, 503, "service-unavailable").await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the process itself is still alive");
}

#[tokio::test]
async fn the_dev_login_is_off_unless_switched_on() {
    let Some(app) = spawn(Kind::Sqlite).await else { return };
    let personas = app.client.get(app.url("/api/v1/dev/personas")).send().await.unwrap();
    assert_problem(personas, 404, "not-found").await;
    let login = app
        .client
        .post(app.url("/api/v1/dev/login"))
        .json(&json!({"persona": "anna"}))
        .send()
        .await
        .unwrap();
    assert_problem(login, 404, "not-found").await;
}

#[tokio::test]
async fn the_dev_login_hands_out_working_tokens_for_the_personas() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| {
        s.dev_login = true;
        s.seed_demo = true;
    })
    .await
    else {
        return;
    };
    let personas: Value = app
        .client
        .get(app.url("/api/v1/dev/personas"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<_> = personas
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"anna") && ids.contains(&"sara") && ids.contains(&"rolf"),
        "{ids:?}"
    );
    assert!(
        personas.as_array().unwrap().iter().all(|p| p.get("pnr").is_none()),
        "no numbers in the picker"
    );

    let login: Value = app
        .client
        .post(app.url("/api/v1/dev/login"))
        .json(&json!({"persona": "anna"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(login["token_type"], "Bearer");
    assert_eq!(login["role"], "resident");
    let token = login["access_token"].as_str().unwrap();
    let mine: Value = app.get("/api/v1/me/bookings", token).await.json().await.unwrap();
    let mine = mine.as_array().unwrap();
    assert!(mine.len() >= 2, "the demo gives Anna bookings: {mine:?}");
    assert!(
        mine.iter()
            .any(|b| b["cannot_cancel_reason"] == "cancellation_window_closed"),
        "one of Anna's bookings starts within 24 hours"
    );
    assert!(mine.iter().any(|b| b["appointment_type"]["name"] == "Mottagningstid"
        && b["can_cancel"] == true
        && b["can_rebook"] == false));

    let units: Value = app.get("/api/v1/units", token).await.json().await.unwrap();
    let names: Vec<_> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Vårdcentralen Nöbbelöv") && names.contains(&"Vårdcentralen Påarp-Mörarp"),
        "{names:?}"
    );

    let staff: Value = app
        .client
        .post(app.url("/api/v1/dev/login"))
        .json(&json!({"persona": "sara"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let forbidden = app
        .get("/api/v1/me/bookings", staff["access_token"].as_str().unwrap())
        .await;
    assert_problem(forbidden, 403, "forbidden").await;

    let unknown = app
        .client
        .post(app.url("/api/v1/dev/login"))
        .json(&json!({"persona": "mallory"}))
        .send()
        .await
        .unwrap();
    assert_problem(unknown, 422, "validation-failed").await;
}

#[tokio::test]
async fn the_demo_has_nine_weeks_of_slots_for_the_nine_self_service_types() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| {
        s.dev_login = true;
        s.seed_demo = true;
    })
    .await
    else {
        return;
    };
    let login: Value = app
        .client
        .post(app.url("/api/v1/dev/login"))
        .json(&json!({"persona": "erik"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let unit = tidbok_api::seed::PAARP_MORARP;
    let types: Value = app
        .get(&format!("/api/v1/units/{unit}/appointment-types"), token)
        .await
        .json()
        .await
        .unwrap();
    let provtagning = types
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Provtagning 1177")
        .expect("Provtagning 1177");
    let dates: Value = app
        .get(
            &format!(
                "/api/v1/units/{unit}/appointment-types/{}/available-dates",
                provtagning["id"].as_str().unwrap()
            ),
            token,
        )
        .await
        .json()
        .await
        .unwrap();
    let last = dates["dates"].as_array().unwrap().last().unwrap()["date"]
        .as_str()
        .unwrap()
        .to_owned();
    let horizon_last = dates["horizon_last"].as_str().unwrap();
    let gap = chrono::NaiveDate::parse_from_str(horizon_last, "%Y-%m-%d").unwrap()
        - chrono::NaiveDate::parse_from_str(&last, "%Y-%m-%d").unwrap();
    assert!(
        gap.num_days() <= 2,
        "slots reach the end of the horizon (last {last}, horizon {horizon_last})"
    );
    assert!(dates["first_free_date"].is_string());
    let mut names: Vec<_> = types
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert!(
        names.contains(&"Sjukgymnast Nybesök 1177") && names.contains(&"Kurator Telefontid, du blir uppringd 1177")
    );
    assert!(!names.contains(&"Mottagningstid") && !names.contains(&"Administration internt"));

    // Staff find the demo's templates and a horizon that reaches eight weeks.
    let sara: Value = app
        .client
        .post(app.url("/api/v1/dev/login"))
        .json(&json!({"persona": "sara"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sara = sara["access_token"].as_str().unwrap();
    let practitioners: Value = app
        .get(&format!("/api/v1/units/{unit}/practitioners"), sara)
        .await
        .json()
        .await
        .unwrap();
    let ingela = practitioners
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Ingela Ransnäs")
        .unwrap();
    let template: Value = app
        .get(
            &format!("/api/v1/practitioners/{}/template", ingela["id"].as_str().unwrap()),
            sara,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        template["blocks"].as_array().unwrap().len(),
        20,
        "four blocks on each weekday"
    );
    let horizon: Value = app
        .get(&format!("/api/v1/units/{unit}/horizon"), sara)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(horizon["short"], false, "{horizon}");
}

#[tokio::test]
async fn booking_too_often_is_rate_limited() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| s.bookings_per_minute = 2).await else {
        return;
    };
    let slots = app
        .slots(&app.world.self_service, &[in_hours(50), in_hours(51), in_hours(52)], 15)
        .await;
    let anna = resident_token(&adult_pnr(1));
    app.booked(&anna, slots[0]).await;
    app.booked(&anna, slots[1]).await;
    let third = app.book(&anna, slots[2]).await;
    let retry_after: u64 = third.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=61).contains(&retry_after), "{retry_after}");
    assert_problem(third, 429, "rate-limited").await;
    assert_eq!(
        app.book(&resident_token(&adult_pnr(2)), slots[2]).await.status(),
        201,
        "the limit is per resident"
    );
}

#[tokio::test]
async fn logging_in_too_often_is_rate_limited() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| {
        s.dev_login = true;
        s.login_per_minute = 3;
    })
    .await
    else {
        return;
    };
    let login = || {
        app.client
            .post(app.url("/api/v1/dev/login"))
            .json(&json!({"persona": "anna"}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(login().await.unwrap().status(), 200);
    }
    let limited = login().await.unwrap();
    assert!(limited.headers().contains_key("retry-after"));
    assert_problem(limited, 429, "rate-limited").await;
}

#[tokio::test]
async fn the_web_app_is_served_beside_the_api() {
    let folder = std::env::temp_dir().join(format!("tidbok-web-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(folder.join("assets")).unwrap();
    std::fs::write(folder.join("index.html"), "<!doctype html><title>Tidbok</title>").unwrap();
    std::fs::write(folder.join("assets/app.js"), "console.log(1)").unwrap();
    let dir = folder.to_str().unwrap().to_owned();
    let Some(app) = spawn_with(Kind::Sqlite, move |s| s.static_dir = Some(dir)).await else {
        return;
    };

    for page in ["/", "/bookings", "/staff/book"] {
        let response = app.client.get(app.url(page)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{page}");
        assert!(
            response.text().await.unwrap().contains("<title>Tidbok</title>"),
            "{page}"
        );
    }
    let script = app.client.get(app.url("/assets/app.js")).send().await.unwrap();
    assert_eq!(script.status(), 200);
    assert!(script.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    assert_problem(
        app.client.get(app.url("/api/v1/nothing")).send().await.unwrap(),
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.client.get(app.url("/api/v2/units")).send().await.unwrap(),
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.client.post(app.url("/bookings")).send().await.unwrap(),
        404,
        "not-found",
    )
    .await;
    assert_eq!(app.client.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    std::fs::remove_dir_all(folder).ok();
}

#[tokio::test]
async fn one_client_booking_for_many_residents_is_rate_limited_too() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| s.bookings_per_client_per_minute = 3).await else {
        return;
    };
    let starts: Vec<_> = (0..4).map(|i| in_hours(50 + i)).collect();
    let slots = app.slots(&app.world.self_service, &starts, 15).await;
    for (i, slot) in slots.iter().take(3).enumerate() {
        app.booked(&resident_token(&adult_pnr(500 + i as u32)), *slot).await;
    }
    let fourth = app.book(&resident_token(&adult_pnr(600)), slots[3]).await;
    assert!(fourth.headers().contains_key("retry-after"));
    assert_problem(fourth, 429, "rate-limited").await;
}

#[tokio::test]
async fn a_resident_may_hold_only_so_many_bookings_of_one_type_even_when_racing() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| s.max_active_bookings_per_type = 2).await else {
        return;
    };
    let starts: Vec<_> = (0..8).map(|i| in_hours(50 + i)).collect();
    let slots = app.slots(&app.world.self_service, &starts, 15).await;
    let anna = resident_token(&adult_pnr(1));

    let attempts: Vec<_> = slots[..6].iter().map(|s| app.book(&anna, *s)).collect();
    let outcomes = futures::future::join_all(attempts).await;

    let statuses: Vec<u16> = outcomes.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 2, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 4, "{statuses:?}");
    let refused = outcomes.into_iter().find(|r| r.status() == 422).unwrap();
    let problem = assert_problem(refused, 422, "booking-limit-reached").await;
    assert_eq!(problem["max"], 2);
    let [other_type] = app.slots(&app.world.adults_only, &[in_hours(80)], 45).await[..] else {
        unreachable!()
    };
    assert_eq!(app.book(&anna, other_type).await.status(), 201, "the cap is per type");
    // A cancellation frees a place.
    let mine: Value = app.get("/api/v1/me/bookings", &anna).await.json().await.unwrap();
    let first = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["appointment_type"]["name"] == "Provtagning 1177")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/me/bookings/{first}/cancel"),
        &anna,
        &json!({"reason": "Behövs inte"}),
    )
    .await;
    assert_eq!(app.book(&anna, slots[7]).await.status(), 201);
}

#[tokio::test]
async fn logging_in_as_one_persona_too_often_is_rate_limited() {
    let Some(app) = spawn_with(Kind::Sqlite, |s| {
        s.dev_login = true;
        s.login_per_minute = 2;
    })
    .await
    else {
        return;
    };
    let login = |persona: &'static str| {
        app.client
            .post(app.url("/api/v1/dev/login"))
            .json(&json!({"persona": persona}))
            .send()
    };
    assert_eq!(login("anna").await.unwrap().status(), 200);
    assert_eq!(login("anna").await.unwrap().status(), 200);
    assert_problem(login("anna").await.unwrap(), 429, "rate-limited").await;
}
