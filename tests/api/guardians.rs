//! Rule 17 end to end: a regional admin loads the population register; a
//! guardian lists their children, books, rebooks and cancels for the one
//! under the age limit with every rule the child's; who acted and who the
//! patient is are apart on the booking and in the access log; the guardian's
//! channels get the messages and the reminder; the access ends on the 13th
//! birthday (Stockholm); bad input.

use crate::helpers::*;
use crate::reminders::{drain, subscribe, worker, Captured};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};
use std::sync::Arc;

crate::on_both_kinds!(
    a_guardian_books_rebooks_and_cancels_for_their_child_under_the_childs_rules,
    access_ends_on_the_thirteenth_birthday_in_stockholm,
    the_register_and_the_age_limit_refuse_bad_input
);

const ACTING_FOR: &str = "tidbok-acting-for";

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn born(y: i32, m: u32, d: u32, serial: u32) -> String {
    pnr_born(NaiveDate::from_ymd_opt(y, m, d).unwrap(), serial)
}

/// Tuesday 8 December 2026, 10:00 in Stockholm.
fn t0() -> DateTime<Utc> {
    utc(2026, 12, 8, 9, 0)
}

async fn load_register(app: &TestApp, token: &str, csv: String) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/region/population-register"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap()
}

async fn children(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.get("/api/v1/me/children", token).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn child_id<'a>(list: &'a [Value], name: &str) -> &'a str {
    list.iter().find(|c| c["name"] == name).unwrap()["id"].as_str().unwrap()
}

/// A request made while acting for `child`.
async fn acting(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    child: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let request = match method {
        "GET" => app.client.get(app.url(path)),
        "PUT" => app.client.put(app.url(path)),
        "DELETE" => app.client.delete(app.url(path)),
        _ => app.client.post(app.url(path)),
    };
    let request = request.bearer_auth(token).header(ACTING_FOR, child);
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    request.send().await.unwrap()
}

async fn a_guardian_books_rebooks_and_cancels_for_their_child_under_the_childs_rules(kind: Kind) {
    let clock = TestClock::at(t0());
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let roles = app.roles().await;
    let guardian_pnr = adult_pnr(901);
    let elsa_pnr = born(2020, 6, 7, 238);
    let oskar_pnr = born(2012, 3, 1, 257);
    let loaded = load_register(
        &app,
        &roles.regional_admin,
        format!("vårdnadshavare;barn;namn\n{guardian_pnr};{elsa_pnr};Elsa Test\n{guardian_pnr};{oskar_pnr};\"Oskar Test\"\n"),
    )
    .await;
    assert_eq!(loaded.status(), 200);
    let loaded: Value = loaded.json().await.unwrap();
    assert_eq!(
        (loaded["guardianships"].as_u64(), loaded["children"].as_u64()),
        (Some(2), Some(2))
    );

    let guardian = resident_token(&guardian_pnr);
    subscribe(&app, &guardian, json!({})).await;
    let own_settings: Value = app
        .get("/api/v1/me/notification-settings", &guardian)
        .await
        .json()
        .await
        .unwrap();

    // The children, youngest first: Elsa (6) may be acted for, Oskar (14) not.
    let list = children(&app, &guardian).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "Elsa Test");
    assert_eq!(
        (list[0]["age"].as_u64(), list[0]["may_act"].as_bool()),
        (Some(6), Some(true))
    );
    assert_eq!(list[0]["access_ends_on"], "2033-06-07");
    assert_eq!(
        (list[1]["age"].as_u64(), list[1]["may_act"].as_bool()),
        (Some(14), Some(false))
    );
    let elsa = child_id(&list, "Elsa Test").to_owned();
    let oskar = child_id(&list, "Oskar Test").to_owned();

    // Every rule is Elsa's: a type for adults refuses her though her
    // guardian is an adult.
    let adults = app.world.adults_only.id;
    let unit = app.world.unit.id;
    app.slots(&app.world.adults_only, &[utc(2026, 12, 14, 9, 0)], 30).await;
    let refused = acting(
        &app,
        "GET",
        &format!("/api/v1/units/{unit}/appointment-types/{adults}/available-dates"),
        &guardian,
        &elsa,
        None,
    )
    .await;
    assert_problem(refused, 422, "not-eligible").await;
    let types: Vec<Value> = acting(
        &app,
        "GET",
        &format!("/api/v1/units/{unit}/appointment-types"),
        &guardian,
        &elsa,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let adults_offer = types.iter().find(|t| t["id"] == adults.to_string()).unwrap();
    assert_eq!(adults_offer["bookable"], false, "{adults_offer}");
    assert_eq!(adults_offer["not_bookable_reason"], "below_minimum_age");

    // Book for Elsa.
    let slots = app
        .slots(
            &app.world.self_service,
            &[utc(2026, 12, 14, 8, 0), utc(2026, 12, 15, 8, 0)],
            15,
        )
        .await;
    let booked = acting(
        &app,
        "POST",
        "/api/v1/me/bookings",
        &guardian,
        &elsa,
        Some(book_body(slots[0])),
    )
    .await;
    assert_eq!(booked.status(), 201);
    let booked: Value = booked.json().await.unwrap();
    assert_eq!(booked["booked_by"], "guardian");
    let booking = booked["id"].as_str().unwrap().to_owned();

    // It is Elsa's, not the guardian's.
    let own: Vec<Value> = app.get("/api/v1/me/bookings", &guardian).await.json().await.unwrap();
    assert!(own.is_empty(), "{own:?}");
    let hers: Vec<Value> = acting(&app, "GET", "/api/v1/me/bookings", &guardian, &elsa, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hers.len(), 1);
    assert_eq!(hers[0]["id"], booking.as_str());
    assert_problem(
        app.get(&format!("/api/v1/me/bookings/{booking}"), &guardian).await,
        404,
        "not-found",
    )
    .await;

    // Staff see the patient and that a guardian booked.
    let seen: Value = app
        .get(&format!("/api/v1/bookings/{booking}"), &roles.staff)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["booked_by"]["kind"], "guardian");
    assert_eq!(
        seen["resident"]["personal_identity_number"],
        format!("{}-{}", &elsa_pnr[..8], &elsa_pnr[8..])
    );

    // The notice is in Elsa's inbox; the SMS and e-mail go to the guardian.
    let inbox: Vec<Value> = acting(&app, "GET", "/api/v1/me/inbox", &guardian, &elsa, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(inbox.len(), 1);
    let own_inbox: Vec<Value> = app.get("/api/v1/me/inbox", &guardian).await.json().await.unwrap();
    assert!(own_inbox.is_empty());
    let (email, sms) = (Arc::new(Captured::default()), Arc::new(Captured::default()));
    let w = worker(&app, clock.clone(), email.clone(), sms.clone());
    drain(&w).await;
    let (mails, texts) = (email.take(), sms.take());
    assert_eq!((mails.len(), texts.len()), (1, 1));
    assert_eq!(Some(mails[0].recipient.as_str()), own_settings["email"].as_str());
    assert_eq!(Some(texts[0].recipient.as_str()), own_settings["phone"].as_str());

    // Rebook for Elsa; the new booking was also made by the guardian. A
    // retry with the same Idempotency-Key gets the same answer, though the
    // old booking is no longer booked (the key is the guardian's).
    clock.set(t0() + Duration::minutes(10));
    let rebook = || {
        app.client
            .post(app.url(&format!("/api/v1/me/bookings/{booking}/rebook")))
            .bearer_auth(&guardian)
            .header(ACTING_FOR, &elsa)
            .header("Idempotency-Key", "rebook-elsa-1")
            .json(&json!({"slot_id": slots[1].to_string()}))
            .send()
    };
    let rebooked = rebook().await.unwrap();
    assert_eq!(rebooked.status(), 201);
    let rebooked: Value = rebooked.json().await.unwrap();
    let retried = rebook().await.unwrap();
    assert_eq!(retried.status(), 201, "the retry is answered as the first");
    let retried: Value = retried.json().await.unwrap();
    assert_eq!(retried["id"], rebooked["id"]);
    assert_eq!(rebooked["booked_by"], "guardian");
    let booking = rebooked["id"].as_str().unwrap().to_owned();
    drain(&w).await;
    assert_eq!(
        (email.take().len(), sms.take().len()),
        (1, 1),
        "the rebooking's messages"
    );

    // The reminder 48 hours before the visit goes to the guardian.
    clock.set(utc(2026, 12, 13, 8, 5));
    drain(&w).await;
    let texts = sms.take();
    assert_eq!(texts.len(), 1, "the reminder");
    assert_eq!(Some(texts[0].recipient.as_str()), own_settings["phone"].as_str());
    email.take();
    clock.set(t0() + Duration::hours(1));

    // Cancel for Elsa: the cancellation names the guardian as the one who acted.
    let cancelled = acting(
        &app,
        "POST",
        &format!("/api/v1/me/bookings/{booking}/cancel"),
        &guardian,
        &elsa,
        Some(json!({"reason": "Elsa är frisk igen"})),
    )
    .await;
    assert_eq!(cancelled.status(), 200);
    let cancelled: Value = cancelled.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellation"]["by"], "guardian");

    // The access log: the guardian's acts on Elsa's data, apart from her.
    let log: Vec<Value> = app
        .get(&format!("/api/v1/units/{unit}/access-log"), &roles.unit_admin)
        .await
        .json()
        .await
        .unwrap();
    let by_guardian: Vec<&str> = log
        .iter()
        .filter(|l| l["actor_role"] == "guardian")
        .map(|l| l["action"].as_str().unwrap())
        .collect();
    assert_eq!(by_guardian, ["cancel", "rebook", "book"], "newest first: {log:?}");
    assert!(log
        .iter()
        .filter(|l| l["actor_role"] == "guardian")
        .all(|l| l["resident"]["name"] == "Elsa Test" && l["actor_name"] == "Testa Testsson"));
    let extract: Vec<Value> = acting(&app, "GET", "/api/v1/me/access-log", &guardian, &elsa, None)
        .await
        .json()
        .await
        .unwrap();
    for action in ["view_bookings", "view_inbox", "book", "rebook", "cancel"] {
        assert!(
            extract.iter().any(|l| l["role"] == "guardian" && l["action"] == action),
            "{action} in {extract:?}"
        );
    }
    let own_extract: Vec<Value> = app.get("/api/v1/me/access-log", &guardian).await.json().await.unwrap();
    assert!(own_extract.is_empty(), "the guardian's own data was not touched");

    // Oskar is 14: his guardian no longer acts for him.
    let ended = acting(&app, "GET", "/api/v1/me/bookings", &guardian, &oskar, None).await;
    let ended = assert_problem(ended, 403, "guardian-access-ended").await;
    assert_eq!(ended["access_ended_on"], "2025-03-01");
    let ended = acting(
        &app,
        "POST",
        "/api/v1/me/bookings",
        &guardian,
        &oskar,
        Some(book_body(slots[0])),
    )
    .await;
    assert_problem(ended, 403, "guardian-access-ended").await;

    // Settings are each person's own.
    let settings = acting(&app, "GET", "/api/v1/me/notification-settings", &guardian, &elsa, None).await;
    assert_problem(settings, 403, "not-for-child").await;
    let settings = acting(
        &app,
        "PUT",
        "/api/v1/me/notification-settings",
        &guardian,
        &elsa,
        Some(json!({"email": null, "phone": null, "email_enabled": false, "sms_enabled": false})),
    )
    .await;
    assert_problem(settings, 403, "not-for-child").await;

    // Someone else, the guardian's own id, or a malformed id.
    let stranger = resident_token(&adult_pnr(902));
    assert!(children(&app, &stranger).await.is_empty());
    let other = acting(&app, "GET", "/api/v1/me/bookings", &stranger, &elsa, None).await;
    assert_problem(other, 404, "not-found").await;
    let other = acting(
        &app,
        "POST",
        "/api/v1/me/bookings",
        &stranger,
        &elsa,
        Some(book_body(slots[0])),
    )
    .await;
    assert_problem(other, 404, "not-found").await;
    let own_record = app.world.resident(&guardian_pnr).await.id.to_string();
    let own = acting(&app, "GET", "/api/v1/me/bookings", &guardian, &own_record, None).await;
    assert_problem(own, 404, "not-found").await;
    let malformed = acting(&app, "GET", "/api/v1/me/bookings", &guardian, "elsa", None).await;
    assert_problem(malformed, 400, "malformed-request").await;
    assert_eq!(
        app.db.count("SELECT COUNT(*) FROM bookings").await,
        2,
        "only Elsa's booking and its rebooking"
    );
}

async fn access_ends_on_the_thirteenth_birthday_in_stockholm(kind: Kind) {
    // The child turns 13 on Wednesday 9 December 2026.
    let clock = TestClock::at(t0());
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let roles = app.roles().await;
    let guardian_pnr = adult_pnr(911);
    let child_pnr = born(2013, 12, 9, 402);
    let loaded = load_register(
        &app,
        &roles.regional_admin,
        format!("{guardian_pnr},{child_pnr},Nils Test\n"),
    )
    .await;
    assert_eq!(loaded.status(), 200);
    let guardian = resident_token(&guardian_pnr);
    subscribe(&app, &guardian, json!({})).await;
    let list = children(&app, &guardian).await;
    assert_eq!(list[0]["access_ends_on"], "2026-12-09");
    let child = list[0]["id"].as_str().unwrap().to_owned();

    // A visit booked for him now, after his birthday: its reminder (48 hours
    // before, on the 12th) no longer goes to the guardian.
    let [slot] = app.slots(&app.world.self_service, &[utc(2026, 12, 14, 9, 0)], 15).await[..] else {
        unreachable!()
    };
    let booked = acting(
        &app,
        "POST",
        "/api/v1/me/bookings",
        &guardian,
        &child,
        Some(book_body(slot)),
    )
    .await;
    assert_eq!(booked.status(), 201);
    let (email, sms) = (Arc::new(Captured::default()), Arc::new(Captured::default()));
    let w = worker(&app, clock.clone(), email.clone(), sms.clone());
    drain(&w).await;
    assert_eq!(
        (email.take().len(), sms.take().len()),
        (1, 1),
        "the confirmation goes to the guardian"
    );
    clock.set(utc(2026, 12, 12, 9, 5));
    drain(&w).await;
    assert_eq!(
        (email.take().len(), sms.take().len()),
        (0, 0),
        "no reminder to a former guardian"
    );

    // 23:59 on the 8th in Stockholm (22:59 UTC): still twelve.
    clock.set(utc(2026, 12, 8, 22, 59));
    let still = acting(&app, "GET", "/api/v1/me/bookings", &guardian, &child, None).await;
    assert_eq!(still.status(), 200);
    assert_eq!(children(&app, &guardian).await[0]["may_act"], true);

    // Midnight in Stockholm, still the 8th in UTC: thirteen, access ended.
    clock.set(utc(2026, 12, 8, 23, 0));
    let ended = acting(&app, "GET", "/api/v1/me/bookings", &guardian, &child, None).await;
    let ended = assert_problem(ended, 403, "guardian-access-ended").await;
    assert_eq!(ended["access_ended_on"], "2026-12-09");
    let list = children(&app, &guardian).await;
    assert_eq!(
        (list[0]["age"].as_u64(), list[0]["may_act"].as_bool()),
        (Some(13), Some(false))
    );

    // A region that raises its limit to 14 gives the access back.
    let limit: Value = app
        .get("/api/v1/region/guardian-age-limit", &roles.regional_admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(limit["years"], 13);
    let raised = app
        .put(
            "/api/v1/region/guardian-age-limit",
            &roles.regional_admin,
            &json!({"years": 14}),
        )
        .await;
    assert_eq!(raised.status(), 200);
    let again = acting(&app, "GET", "/api/v1/me/bookings", &guardian, &child, None).await;
    assert_eq!(again.status(), 200);
    assert_eq!(children(&app, &guardian).await[0]["access_ends_on"], "2027-12-09");
}

async fn the_register_and_the_age_limit_refuse_bad_input(kind: Kind) {
    let clock = TestClock::at(t0());
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let roles = app.roles().await;
    let guardian = adult_pnr(921);
    let child = born(2019, 1, 2, 11);
    let good = load_register(&app, &roles.regional_admin, format!("{guardian};{child};Alva\n")).await;
    assert_eq!(good.status(), 200);

    // Every line that does not read is listed; nothing is loaded.
    let bad_check = format!("{}{}", &child[..11], (child[11..].parse::<u32>().unwrap() + 1) % 10);
    let csv = format!(
        "vårdnadshavare;barn;namn\n{guardian};{bad_check};Ada\n19850314-2386;{child};Ada\n{guardian};{child};\n{guardian};{guardian};Själv\n{guardian};{child};Alva igen\n"
    );
    let refused = load_register(&app, &roles.regional_admin, csv).await;
    let refused = assert_problem(refused, 422, "invalid-register").await;
    let lines: Vec<(u64, &str)> = refused["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [
            (2, "invalid_child_number"),
            (3, "invalid_guardian_number"),
            (4, "invalid_child_name"),
            (5, "same_person")
        ]
    );
    let summary: Value = app
        .get("/api/v1/region/population-register", &roles.regional_admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["guardianships"], 1, "the earlier file stands");
    assert!(summary["loaded_at"].is_string());

    // A file with no guardianship (only a header, or nothing) would empty
    // the register: refused, with no line to blame.
    for empty in ["vårdnadshavare;barn;namn\n", "", "{}"] {
        let refused = load_register(&app, &roles.regional_admin, empty.to_owned()).await;
        let refused = assert_problem(refused, 422, "invalid-register").await;
        assert_eq!(refused["lines"], json!([]), "{empty:?}");
    }
    let summary: Value = app
        .get("/api/v1/region/population-register", &roles.regional_admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["guardianships"], 1, "still the earlier file");

    // Not CSV; not UTF-8.
    let json_body = app
        .put("/api/v1/region/population-register", &roles.regional_admin, &json!({}))
        .await;
    assert_problem(json_body, 415, "unsupported-media-type").await;
    let latin1 = app
        .client
        .put(app.url("/api/v1/region/population-register"))
        .bearer_auth(&roles.regional_admin)
        .header("content-type", "text/csv")
        .body(vec![b'J', 0xf6, b'\n'])
        .send()
        .await
        .unwrap();
    assert_problem(latin1, 400, "malformed-request").await;

    // The age limit is 1 to 18 years, a whole number.
    for body in [json!({"years": 0}), json!({"years": 19})] {
        let response = app
            .put("/api/v1/region/guardian-age-limit", &roles.regional_admin, &body)
            .await;
        assert_problem(response, 422, "validation-failed").await;
    }
    for body in [json!({"years": "13"}), json!({"years": 13, "x": 1}), json!([13])] {
        let response = app
            .put("/api/v1/region/guardian-age-limit", &roles.regional_admin, &body)
            .await;
        assert_eq!(response.status(), 422, "{body}");
    }
    let limit: Value = app
        .get("/api/v1/region/guardian-age-limit", &roles.regional_admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(limit["years"], 13, "unchanged");
}
