//! The appointment book through the API: views, staff bookings and actions,
//! the summons and the cancellation feed.

use crate::helpers::*;
use chrono::Duration;
use serde_json::{json, Value};
use tidbok_domain::time::local_date;
use tidbok_domain::*;

crate::on_both_backends!(
    the_day_view_shows_every_booking_with_its_resident_and_keeps_cancelled_ones,
    staff_book_a_resident_by_number_who_then_sees_it,
    an_ad_hoc_booking_may_not_collide_with_another_booking,
    hide_in_portal_keeps_a_booking_out_of_the_portal,
    staff_rebook_cancel_mark_arrived_and_entered_in_error,
    the_summons_is_a_printable_escaped_page,
    the_cancellation_feed_lists_residents_cancellations_and_rebookings,
    staff_booking_refuses_bad_input,
);

fn bookings(app: &TestApp) -> String {
    format!("/api/v1/units/{}/bookings", app.world.unit.id)
}

async fn the_day_view_shows_every_booking_with_its_resident_and_keeps_cancelled_ones(app: TestApp) {
    let t = in_hours(50);
    let slots = app
        .slots(&app.world.self_service, &[t, t + Duration::minutes(15)], 15)
        .await;
    let anna = resident_token(&adult_pnr(1));
    let booking = app.booked(&anna, slots[0]).await;
    let id = booking["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/me/bookings/{id}/cancel"),
        &anna,
        &json!({"reason": "Bortrest hela veckan"}),
    )
    .await;
    let bo = resident_token(&adult_pnr(2));
    app.booked(&bo, slots[0]).await;

    let day = local_date(t);
    let view: Value = app
        .get(
            &format!("/api/v1/units/{}/book?from={day}", app.world.unit.id),
            &app.staff(),
        )
        .await
        .json()
        .await
        .unwrap();

    let slots_json = view["slots"].as_array().unwrap();
    assert_eq!(slots_json.len(), 2);
    assert_eq!(slots_json[0]["state"], "booked");
    assert_eq!(slots_json[1]["state"], "free");
    let history = slots_json[0]["bookings"].as_array().unwrap();
    assert_eq!(history.len(), 2, "the cancelled booking stays in the book");
    assert_eq!(history[0]["status"], "cancelled");
    assert_eq!(history[0]["cancellation"]["reason"], "Bortrest hela veckan");
    assert_eq!(history[0]["cancellation"]["by"]["kind"], "resident");
    assert!(history[0]["cancellation"]["at"].is_string());
    assert_eq!(
        history[0]["resident"]["personal_identity_number"],
        format!("{}-{}", &adult_pnr(1)[..8], &adult_pnr(1)[8..])
    );
    assert_eq!(history[0]["resident"]["name"], "Testa Testsson");
    assert_eq!(history[1]["status"], "booked");
    assert_eq!(
        history[1]["reason_for_visit"], "Kontroll av blodtryck",
        "staff see the reason for visit"
    );
    assert_eq!(history[1]["booked_by"]["kind"], "resident");

    let week: Value = app
        .get(
            &format!(
                "/api/v1/units/{}/book?from={day}&to={}&practitioner_id={}",
                app.world.unit.id,
                day + Duration::days(6),
                app.world.practitioner.id
            ),
            &app.staff(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(week["slots"].as_array().unwrap().len(), 2);
    let other: Value = app
        .get(
            &format!(
                "/api/v1/units/{}/book?from={day}&practitioner_id={}",
                app.world.unit.id,
                uuid::Uuid::new_v4()
            ),
            &app.staff(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["slots"], json!([]));
}

async fn staff_book_a_resident_by_number_who_then_sees_it(app: TestApp) {
    let [slot] = app.slots(&app.world.cancelable, &[in_hours(80)], 15).await[..] else {
        unreachable!()
    };
    let pnr = adult_pnr(3);
    let formatted = format!("{}-{}", &pnr[..8], &pnr[8..]);

    let response = app
        .post(&bookings(&app), &app.staff(), &json!({"personal_identity_number": formatted, "slot_id": slot.to_string(), "reason_for_visit": "Uppföljning", "message": "Ta med medicinlista"}))
        .await;

    assert_eq!(response.status(), 201);
    let booked: Value = response.json().await.unwrap();
    assert_eq!(booked["booked_by"]["kind"], "staff");
    assert_eq!(booked["resident"]["personal_identity_number"], formatted);
    let token = resident_token(&pnr);
    let mine: Value = app.get("/api/v1/me/bookings", &token).await.json().await.unwrap();
    assert_eq!(mine[0]["id"], booked["id"]);
    assert_eq!(
        (mine[0]["can_cancel"].clone(), mine[0]["can_rebook"].clone()),
        (json!(true), json!(false))
    );
    let inbox: Value = app.get("/api/v1/me/inbox", &token).await.json().await.unwrap();
    assert_eq!(inbox[0]["kind"], "booked_by_staff");
    assert_eq!(inbox[0]["booking_id"], booked["id"]);
    assert!(
        inbox[0]["subject"].as_str().unwrap().contains("Du har fått en tid"),
        "{inbox}"
    );
    let again = app
        .post(
            &bookings(&app),
            &app.staff(),
            &json!({"personal_identity_number": formatted, "slot_id": slot.to_string()}),
        )
        .await;
    assert_problem(again, 409, "slot-already-booked").await;
}

async fn an_ad_hoc_booking_may_not_collide_with_another_booking(app: TestApp) {
    let t = in_hours(90);
    let [slot] = app.slots(&app.world.self_service, &[t], 30).await[..] else {
        unreachable!()
    };
    app.booked(&resident_token(&adult_pnr(1)), slot).await;
    let ad_hoc = |start: chrono::DateTime<chrono::Utc>| json!({"personal_identity_number": adult_pnr(4), "ad_hoc": {"practitioner_id": app.world.practitioner.id.to_string(), "appointment_type_id": app.world.cancelable.id.to_string(), "starts_at": start.to_rfc3339(), "length_minutes": 20}});

    let clash = app
        .post(&bookings(&app), &app.staff(), &ad_hoc(t + Duration::minutes(20)))
        .await;
    assert_problem(clash, 409, "time-collides").await;
    let fits = app
        .post(&bookings(&app), &app.staff(), &ad_hoc(t + Duration::minutes(30)))
        .await;
    assert_eq!(fits.status(), 201);
    let fits: Value = fits.json().await.unwrap();
    assert_eq!(fits["length_minutes"], 20);
    assert_eq!(fits["appointment_type"]["name"], "Mottagningstid");
    let (other, _) = app.other_unit().await;
    let mut elsewhere = ad_hoc(t + Duration::hours(3));
    elsewhere["ad_hoc"]["practitioner_id"] = json!(app.world.practitioner.id.to_string());
    let wrong_unit = app
        .post(
            &format!("/api/v1/units/{}/bookings", other.id),
            &staff_token_full("staff", &[other.id], None, "Olle"),
            &elsewhere,
        )
        .await;
    assert_problem(wrong_unit, 404, "not-found").await;
}

async fn hide_in_portal_keeps_a_booking_out_of_the_portal(app: TestApp) {
    let [slot] = app.slots(&app.world.cancelable, &[in_hours(80)], 15).await[..] else {
        unreachable!()
    };
    let pnr = adult_pnr(5);
    let booked: Value = app
        .post(
            &bookings(&app),
            &app.staff(),
            &json!({"personal_identity_number": pnr, "slot_id": slot.to_string(), "hidden_in_portal": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(booked["hidden_in_portal"], true);
    let token = resident_token(&pnr);
    let mine: Value = app.get("/api/v1/me/bookings", &token).await.json().await.unwrap();
    assert_eq!(mine, json!([]));

    let id = booked["id"].as_str().unwrap();
    let shown: Value = app
        .put(
            &format!("/api/v1/bookings/{id}/hidden-in-portal"),
            &app.staff(),
            &json!({"hidden_in_portal": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["hidden_in_portal"], false);
    let mine: Value = app.get("/api/v1/me/bookings", &token).await.json().await.unwrap();
    assert_eq!(mine[0]["id"], booked["id"]);
}

async fn staff_rebook_cancel_mark_arrived_and_entered_in_error(app: TestApp) {
    let slots = app
        .slots(&app.world.cancelable, &[in_hours(80), in_hours(81), in_hours(82)], 15)
        .await;
    let pnr = adult_pnr(6);
    let token = resident_token(&pnr);
    let staff = app.staff();
    let first: Value = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": slots[0].to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = first["id"].as_str().unwrap();

    let moved = app
        .post(
            &format!("/api/v1/bookings/{id}/rebook"),
            &staff,
            &json!({"slot_id": slots[1].to_string()}),
        )
        .await;
    assert_eq!(moved.status(), 201);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["rebooked_from"], first["id"]);
    let new_id = moved["id"].as_str().unwrap();
    let arrived: Value = app
        .post(&format!("/api/v1/bookings/{new_id}/arrived"), &staff, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(arrived["status"], "arrived");
    assert_problem(
        app.post(&format!("/api/v1/bookings/{new_id}/arrived"), &staff, &json!({}))
            .await,
        409,
        "booking-not-active",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/bookings/{new_id}/cancel"),
            &staff,
            &json!({"reason": "x"}),
        )
        .await,
        409,
        "booking-not-active",
    )
    .await;
    let error: Value = app
        .post(
            &format!("/api/v1/bookings/{new_id}/entered-in-error"),
            &staff,
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(error["status"], "entered_in_error");
    assert!(
        app.world.store.slot(slots[1]).await.unwrap().unwrap().slot.is_free(),
        "the mistaken booking freed its slot"
    );

    let third: Value = app
        .post(
            &bookings(&app),
            &staff,
            &json!({"personal_identity_number": pnr, "slot_id": slots[2].to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let third_id = third["id"].as_str().unwrap();
    let cancelled: Value = app
        .post(
            &format!("/api/v1/bookings/{third_id}/cancel"),
            &staff,
            &json!({"reason": "Läkaren är sjuk"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["cancellation"]["by"]["kind"], "staff");
    assert_eq!(cancelled["cancellation"]["reason"], "Läkaren är sjuk");
    let kinds: Vec<_> = {
        let inbox: Value = app.get("/api/v1/me/inbox", &token).await.json().await.unwrap();
        inbox
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    for kind in ["booked_by_staff", "rebooked_by_staff", "cancelled_by_staff"] {
        assert!(kinds.contains(&kind.to_owned()), "{kind} in {kinds:?}");
    }
}

async fn the_summons_is_a_printable_escaped_page(app: TestApp) {
    let [slot] = app.slots(&app.world.cancelable, &[in_hours(80)], 15).await[..] else {
        unreachable!()
    };
    let pnr = adult_pnr(7);
    let mut claims = claims("resident");
    claims["pnr"] = json!(pnr);
    claims["name"] = json!("<script>alert(1)</script> Svensson");
    // The resident is recorded at their first write, with the name from the token.
    let settings = json!({"email": null, "phone": null, "email_enabled": false, "sms_enabled": false});
    assert_eq!(
        app.put("/api/v1/me/notification-settings", &token(&claims), &settings)
            .await
            .status(),
        200
    );
    let booked: Value = app
        .post(
            &bookings(&app),
            &app.staff(),
            &json!({"personal_identity_number": pnr, "slot_id": slot.to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();

    let page = app
        .get(
            &format!("/api/v1/bookings/{}/summons", booked["id"].as_str().unwrap()),
            &app.staff(),
        )
        .await;

    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("Kallelse") && html.contains("Vårdcentralen Test") && html.contains("Ingela Ransnäs"));
    assert!(html.contains("@media print"), "print CSS");
    assert!(
        html.contains("&lt;script&gt;") && !html.contains("<script>alert"),
        "names are escaped"
    );
    assert!(html.contains("Kom tio minuter före."), "the type's instructions");
}

async fn the_cancellation_feed_lists_residents_cancellations_and_rebookings(app: TestApp) {
    let since = now() - Duration::seconds(5);
    let slots = app
        .slots(
            &app.world.self_service,
            &[in_hours(80), in_hours(81), in_hours(82), in_hours(83)],
            15,
        )
        .await;
    let anna = resident_token(&adult_pnr(1));
    let a = app.booked(&anna, slots[0]).await;
    let b = app.booked(&anna, slots[1]).await;
    app.post(
        &format!("/api/v1/me/bookings/{}/cancel", a["id"].as_str().unwrap()),
        &anna,
        &json!({"reason": "Frisk"}),
    )
    .await;
    app.post(
        &format!("/api/v1/me/bookings/{}/rebook", b["id"].as_str().unwrap()),
        &anna,
        &json!({"slot_id": slots[2].to_string()}),
    )
    .await;
    let staffs: Value = app
        .post(
            &bookings(&app),
            &app.staff(),
            &json!({"personal_identity_number": adult_pnr(9), "slot_id": slots[3].to_string()}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post(
        &format!("/api/v1/bookings/{}/cancel", staffs["id"].as_str().unwrap()),
        &app.staff(),
        &json!({"reason": "Personalens egen"}),
    )
    .await;

    let feed: Value = app
        .get(
            &format!(
                "/api/v1/units/{}/cancellations?since={}",
                app.world.unit.id,
                since.to_rfc3339().replace('+', "%2B")
            ),
            &app.staff(),
        )
        .await
        .json()
        .await
        .unwrap();

    let entries = feed["entries"].as_array().unwrap();
    let kinds: Vec<_> = entries.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["cancelled", "rebooked"],
        "staff's own cancellation is not in the feed: {feed}"
    );
    assert_eq!(entries[0]["booking"]["cancellation"]["reason"], "Frisk");
    assert_eq!(entries[1]["rebooked_to"]["slot_id"], slots[2].to_string());
    let next = feed["next_since"].as_str().unwrap().replace('+', "%2B");
    let empty: Value = app
        .get(
            &format!("/api/v1/units/{}/cancellations?since={next}", app.world.unit.id),
            &app.staff(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["entries"], json!([]), "the cursor moves past what was seen");
}

async fn staff_booking_refuses_bad_input(app: TestApp) {
    let [slot] = app.slots(&app.world.cancelable, &[in_hours(80)], 15).await[..] else {
        unreachable!()
    };
    let staff = app.staff();
    let path = bookings(&app);
    let invalid = app
        .post(
            &path,
            &staff,
            &json!({"personal_identity_number": "19121212-1213", "slot_id": slot.to_string()}),
        )
        .await;
    let problem = assert_problem(invalid, 422, "validation-failed").await;
    assert_eq!(problem["errors"][0]["field"], "personal_identity_number");
    let both = json!({"personal_identity_number": adult_pnr(1), "slot_id": slot.to_string(), "ad_hoc": {"practitioner_id": app.world.practitioner.id.to_string(), "appointment_type_id": app.world.cancelable.id.to_string(), "starts_at": in_hours(90).to_rfc3339(), "length_minutes": 15}});
    assert_problem(app.post(&path, &staff, &both).await, 422, "validation-failed").await;
    assert_problem(
        app.post(&path, &staff, &json!({"personal_identity_number": adult_pnr(1)}))
            .await,
        422,
        "validation-failed",
    )
    .await;
    let short = json!({"personal_identity_number": adult_pnr(1), "ad_hoc": {"practitioner_id": app.world.practitioner.id.to_string(), "appointment_type_id": app.world.cancelable.id.to_string(), "starts_at": in_hours(90).to_rfc3339(), "length_minutes": 3}});
    let problem = assert_problem(app.post(&path, &staff, &short).await, 422, "validation-failed").await;
    assert_eq!(problem["errors"][0]["field"], "ad_hoc.length_minutes");
    let unknown = app
        .post(
            &path,
            &staff,
            &json!({"personal_identity_number": adult_pnr(1), "slot_id": uuid::Uuid::new_v4().to_string()}),
        )
        .await;
    assert_problem(unknown, 404, "not-found").await;
    let retired = AppointmentType {
        retired: true,
        ..app.world.visible.clone()
    };
    app.world.store.update_appointment_type(&retired).await.unwrap();
    let with_retired = json!({"personal_identity_number": adult_pnr(1), "ad_hoc": {"practitioner_id": app.world.practitioner.id.to_string(), "appointment_type_id": retired.id.to_string(), "starts_at": in_hours(90).to_rfc3339(), "length_minutes": 15}});
    assert_problem(
        app.post(&path, &staff, &with_retired).await,
        422,
        "appointment-type-not-usable",
    )
    .await;
    let empty_reason = app
        .post(
            "/api/v1/bookings/00000000-0000-0000-0000-000000000000/cancel",
            &staff,
            &json!({"reason": " "}),
        )
        .await;
    assert_problem(empty_reason, 422, "validation-failed").await;
    assert_eq!(
        app.world.store.slot(slot).await.unwrap().unwrap().slot.booking_id,
        None,
        "nothing was booked"
    );
}
