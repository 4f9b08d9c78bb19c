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
        ("GET", format!("/api/v1/me/bookings/{booking}/rebook-dates"), None, 200),
        ("GET", format!("/api/v1/me/bookings/{booking}/calendar"), None, 200),
        ("GET", "/api/v1/me/earlier-times".into(), None, 200),
        (
            "PUT",
            format!("/api/v1/me/bookings/{booking}/earlier-time"),
            Some(json!({"weekdays": [1, 2, 3], "not_before": "09:00"})),
            200,
        ),
        ("GET", format!("/api/v1/me/bookings/{booking}/earlier-time"), None, 200),
        (
            "DELETE",
            format!("/api/v1/me/bookings/{booking}/earlier-time"),
            None,
            204,
        ),
        ("GET", "/api/v1/me/offers".into(), None, 200),
        ("GET", "/api/v1/me/children".into(), None, 200),
        ("GET", "/api/v1/me/invitations".into(), None, 200),
        (
            "GET",
            format!("/api/v1/me/invitations/{}", uuid::Uuid::new_v4()),
            None,
            404,
        ),
        (
            "GET",
            format!("/api/v1/me/invitations/{}/available-dates", uuid::Uuid::new_v4()),
            None,
            404,
        ),
        (
            "GET",
            format!("/api/v1/me/invitations/{}/slots?date={day}", uuid::Uuid::new_v4()),
            None,
            404,
        ),
        (
            "POST",
            format!("/api/v1/me/invitations/{}/bookings", uuid::Uuid::new_v4()),
            Some(book_body(slots[2])),
            404,
        ),
        (
            "POST",
            format!("/api/v1/me/offers/{}/accept", uuid::Uuid::new_v4()),
            None,
            404,
        ),
        (
            "POST",
            format!("/api/v1/me/offers/{}/decline", uuid::Uuid::new_v4()),
            None,
            404,
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

    // Rule 17: a child the register does not name as the caller's is not
    // found on every resident endpoint — including another family's child
    // (Erik is their guardian, not Anna) — and changes nothing.
    let erik_pnr = adult_pnr(2);
    let child_pnr = pnr_born(chrono::NaiveDate::from_ymd_opt(2021, 4, 5).unwrap(), 31);
    app.world
        .store
        .replace_guardianships(
            &[tidbok_domain::guardians::Guardianship {
                guardian: tidbok_domain::PersonalIdentityNumber::parse(&erik_pnr, chrono::Utc::now().date_naive())
                    .unwrap(),
                child: tidbok_domain::PersonalIdentityNumber::parse(&child_pnr, chrono::Utc::now().date_naive())
                    .unwrap(),
                child_name: tidbok_domain::PersonName::parse("Lill-Erik").unwrap(),
            }],
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let erik = resident_token(&erik_pnr);
    let children: Vec<Value> = app.get("/api/v1/me/children", &erik).await.json().await.unwrap();
    let other_child = children[0]["id"].as_str().unwrap().to_owned();
    let strangers = [other_child, uuid::Uuid::new_v4().to_string()];

    for (method, path, body, resident_status) in &endpoints {
        let send_as = |token: Option<&str>, acting_for: Option<&str>| {
            let mut request = match *method {
                "GET" => app.client.get(app.url(path)),
                "DELETE" => app.client.delete(app.url(path)),
                "PUT" => app.client.put(app.url(path)).json(body.as_ref().unwrap_or(&json!({}))),
                _ => app.client.post(app.url(path)).json(body.as_ref().unwrap_or(&json!({}))),
            };
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(child) = acting_for {
                request = request.header("tidbok-acting-for", child);
            }
            request.send()
        };
        let send = |token: Option<&str>| send_as(token, None);
        for stranger in &strangers {
            let response = send_as(Some(&anna), Some(stranger)).await.unwrap();
            assert_eq!(response.status(), 404, "acting for a stranger on {method} {path}");
            assert_problem(response, 404, "not-found").await;
        }
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

crate::on_both_backends!(every_staff_and_admin_endpoint_admits_only_its_roles_and_units);

enum Body {
    None,
    Json(Value),
    Csv(&'static str),
}

struct Case {
    method: &'static str,
    path: String,
    body: Body,
    /// Roles that may call it (the first one is checked for a 2xx).
    allowed: &'static [&'static str],
    /// What other staff roles get (403, or 404 where an id names something
    /// they may not know exists).
    denied: u16,
    /// Roles with another answer.
    special: Vec<(&'static str, u16)>,
}

fn case(method: &'static str, path: String, body: Body, allowed: &'static [&'static str], denied: u16) -> Case {
    Case {
        method,
        path,
        body,
        allowed,
        denied,
        special: Vec::new(),
    }
}

const BOOK_KEEPERS: &[&str] = &["staff", "unit admin"];

async fn every_staff_and_admin_endpoint_admits_only_its_roles_and_units(app: TestApp) {
    let roles = app.roles().await;
    let starts: Vec<_> = (0..8)
        .map(|i| in_hours(60) + chrono::Duration::minutes(15 * i))
        .collect();
    let slots = app.slots(&app.world.cancelable, &starts, 15).await;
    let pnr = adult_pnr(61);
    let resident = resident_token(&pnr);
    let mut bookings = Vec::new();
    for slot in &slots[..4] {
        let b: Value = app
            .post(
                &format!("/api/v1/units/{}/bookings", app.world.unit.id),
                &roles.staff,
                &json!({"personal_identity_number": pnr, "slot_id": slot.to_string()}),
            )
            .await
            .json()
            .await
            .unwrap();
        bookings.push(b["id"].as_str().unwrap().to_owned());
    }
    let message = app
        .get("/api/v1/me/inbox", &resident)
        .await
        .json::<Value>()
        .await
        .unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (u, p, r) = (app.world.unit.id, app.world.practitioner.id, app.world.region.id);
    let day = tidbok_domain::time::local_date(now()) + chrono::Duration::days(20);
    let ty = app.world.visible.id;
    let new_type = json!({"name": "Ny typ", "profession": "Läkare", "mode": "visit", "default_length_minutes": 15, "portal_policy": "visible"});
    let same_type = json!({"name": "Nybesök vårdgaranti", "profession": "Sjuksköterska", "mode": "visit", "default_length_minutes": 15, "portal_policy": "visible"});
    let b = |i: usize| bookings[i].clone();
    let staff_roles: &[&str] = &[
        "staff",
        "unit admin",
        "regional admin",
        "staff elsewhere",
        "unit admin elsewhere",
        "regional admin elsewhere",
    ];

    let cases = vec![
        case("GET", "/api/v1/staff/me".into(), Body::None, staff_roles, 403),
        case(
            "GET",
            format!("/api/v1/units/{u}/practitioners"),
            Body::None,
            &["staff", "unit admin", "regional admin"],
            403,
        ),
        case(
            "GET",
            format!("/api/v1/units/{u}/book?from={day}"),
            Body::None,
            BOOK_KEEPERS,
            403,
        ),
        case(
            "POST",
            format!("/api/v1/units/{u}/bookings"),
            Body::Json(json!({"personal_identity_number": adult_pnr(62), "slot_id": slots[4].to_string()})),
            BOOK_KEEPERS,
            403,
        ),
        case(
            "POST",
            format!("/api/v1/units/{u}/resident-lookup"),
            Body::Json(json!({"personal_identity_number": pnr})),
            BOOK_KEEPERS,
            403,
        ),
        case(
            "GET",
            format!("/api/v1/units/{u}/schedule-settings"),
            Body::None,
            BOOK_KEEPERS,
            403,
        ),
        case(
            "PUT",
            format!("/api/v1/units/{u}/schedule-settings"),
            Body::Json(json!({"publish_on_holidays": false})),
            &["unit admin"],
            403,
        ),
        case(
            "GET",
            format!("/api/v1/bookings/{}", b(0)),
            Body::None,
            BOOK_KEEPERS,
            404,
        ),
        case(
            "PUT",
            format!("/api/v1/bookings/{}/hidden-in-portal", b(0)),
            Body::Json(json!({"hidden_in_portal": false})),
            BOOK_KEEPERS,
            404,
        ),
        case(
            "GET",
            format!("/api/v1/bookings/{}/summons", b(0)),
            Body::None,
            BOOK_KEEPERS,
            404,
        ),
        case(
            "POST",
            format!("/api/v1/bookings/{}/rebook", b(0)),
            Body::Json(json!({"slot_id": slots[5].to_string()})),
            BOOK_KEEPERS,
            404,
        ),
        case(
            "POST",
            format!("/api/v1/bookings/{}/arrived", b(1)),
            Body::None,
            BOOK_KEEPERS,
            404,
        ),
        case(
            "POST",
            format!("/api/v1/bookings/{}/entered-in-error", b(2)),
            Body::None,
            BOOK_KEEPERS,
            404,
        ),
        case(
            "POST",
            format!("/api/v1/bookings/{}/cancel", b(3)),
            Body::Json(json!({"reason": "Sjuk"})),
            BOOK_KEEPERS,
            404,
        ),
        case(
            "GET",
            format!("/api/v1/units/{u}/cancellations?since=2026-01-01T00:00:00Z"),
            Body::None,
            BOOK_KEEPERS,
            403,
        ),
        case(
            "GET",
            format!("/api/v1/practitioners/{p}/template"),
            Body::None,
            BOOK_KEEPERS,
            403,
        ),
        case(
            "PUT",
            format!("/api/v1/practitioners/{p}/template"),
            Body::Json(json!({"blocks": []})),
            BOOK_KEEPERS,
            403,
        ),
        case(
            "POST",
            format!("/api/v1/practitioners/{p}/publish"),
            Body::Json(json!({"from": day.to_string(), "to": day.to_string()})),
            BOOK_KEEPERS,
            403,
        ),
        case(
            "PUT",
            format!("/api/v1/practitioners/{p}/days/{day}"),
            Body::Json(json!({"blocks": []})),
            BOOK_KEEPERS,
            403,
        ),
        case(
            "POST",
            format!("/api/v1/practitioners/{p}/days/{day}/empty"),
            Body::None,
            BOOK_KEEPERS,
            403,
        ),
        case(
            "DELETE",
            format!("/api/v1/practitioners/{p}/days/{day}"),
            Body::None,
            BOOK_KEEPERS,
            403,
        ),
        case(
            "GET",
            format!("/api/v1/units/{u}/horizon"),
            Body::None,
            &["staff", "unit admin", "regional admin"],
            403,
        ),
        case(
            "GET",
            format!("/api/v1/regions/{r}/horizon"),
            Body::None,
            &["regional admin"],
            403,
        ),
        case(
            "GET",
            "/api/v1/appointment-types".into(),
            Body::None,
            &["regional admin", "regional admin elsewhere"],
            403,
        ),
        case(
            "POST",
            "/api/v1/appointment-types".into(),
            Body::Json(new_type),
            &["regional admin", "regional admin elsewhere"],
            403,
        ),
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "PUT",
                format!("/api/v1/appointment-types/{ty}"),
                Body::Json(same_type),
                &["regional admin"],
                403,
            )
        },
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case("GET", "/api/v1/region".into(), Body::None, &["regional admin"], 403)
        },
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "PUT",
                "/api/v1/region".into(),
                Body::Json(json!({"notify_on_staff_cancel": true})),
                &["regional admin"],
                403,
            )
        },
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "PUT",
                "/api/v1/region/reminders".into(),
                Body::Json(
                    json!({"reminders": [{"hours_before": 168, "only_if_booked_hours_ahead": 240}, {"hours_before": 48}]}),
                ),
                &["regional admin"],
                403,
            )
        },
        case(
            "POST",
            format!("/api/v1/units/{u}/invitations"),
            Body::Json(
                json!({"personal_identity_number": adult_pnr(63), "appointment_type_id": ty.to_string(), "valid_from": day.to_string(), "valid_until": (day + chrono::Duration::days(7)).to_string()}),
            ),
            BOOK_KEEPERS,
            403,
        ),
        case(
            "GET",
            format!("/api/v1/units/{u}/invitations"),
            Body::None,
            BOOK_KEEPERS,
            403,
        ),
        case(
            "GET",
            format!("/api/v1/units/{u}/waitlist"),
            Body::None,
            &["staff", "unit admin", "regional admin"],
            403,
        ),
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "GET",
                "/api/v1/region/offer-hold".into(),
                Body::None,
                &["regional admin"],
                403,
            )
        },
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "PUT",
                "/api/v1/region/offer-hold".into(),
                Body::Json(json!({"minutes": 20})),
                &["regional admin"],
                403,
            )
        },
        case(
            "GET",
            format!("/api/v1/units/{u}/reminder-settings"),
            Body::None,
            &["staff", "unit admin", "regional admin"],
            403,
        ),
        case(
            "PUT",
            format!("/api/v1/units/{u}/reminder-settings"),
            Body::Json(json!({"own": false})),
            &["unit admin", "regional admin"],
            403,
        ),
        case(
            "GET",
            format!("/api/v1/units/{u}/services"),
            Body::None,
            &["unit admin", "regional admin"],
            403,
        ),
        case(
            "PUT",
            format!("/api/v1/units/{u}/services/book_online"),
            Body::None,
            &["regional admin"],
            403,
        ),
        case(
            "PUT",
            format!("/api/v1/units/{u}/services/book_online/terms"),
            Body::Json(json!({"terms_markdown": "Villkor"})),
            &["unit admin"],
            403,
        ),
        case(
            "PUT",
            format!("/api/v1/units/{u}/services/book_online/activation"),
            Body::Json(json!({"active": true, "audience": "all_residents"})),
            &["unit admin"],
            403,
        ),
        case(
            "PUT",
            format!("/api/v1/units/{u}/services/book_online/selection"),
            Body::Csv("191212121212\n"),
            &["unit admin"],
            403,
        ),
        case(
            "GET",
            format!("/api/v1/units/{u}/access-log"),
            Body::None,
            &["unit admin"],
            403,
        ),
        case("GET", "/api/v1/me/inbox".into(), Body::None, &["resident"], 403),
        case(
            "GET",
            format!("/api/v1/me/inbox/{message}"),
            Body::None,
            &["resident"],
            403,
        ),
        case(
            "POST",
            format!("/api/v1/me/inbox/{message}/read"),
            Body::None,
            &["resident"],
            403,
        ),
        case(
            "GET",
            "/api/v1/me/notification-settings".into(),
            Body::None,
            &["resident"],
            403,
        ),
        case(
            "PUT",
            "/api/v1/me/notification-settings".into(),
            Body::Json(json!({"email": null, "phone": null, "email_enabled": false, "sms_enabled": false})),
            &["resident"],
            403,
        ),
        case("GET", "/api/v1/me/access-log".into(), Body::None, &["resident"], 403),
        case("GET", "/api/v1/me/children".into(), Body::None, &["resident"], 403),
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "GET",
                "/api/v1/region/guardian-age-limit".into(),
                Body::None,
                &["regional admin"],
                403,
            )
        },
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "PUT",
                "/api/v1/region/guardian-age-limit".into(),
                Body::Json(json!({"years": 13})),
                &["regional admin"],
                403,
            )
        },
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "GET",
                "/api/v1/region/population-register".into(),
                Body::None,
                &["regional admin"],
                403,
            )
        },
        Case {
            special: vec![("regional admin elsewhere", 404)],
            ..case(
                "PUT",
                "/api/v1/region/population-register".into(),
                Body::Csv("198503142385;20200607-0003;Elsa\n"),
                &["regional admin"],
                403,
            )
        },
    ];
    let tokens: Vec<(&str, &str)> = vec![
        ("resident", &resident),
        ("staff", &roles.staff),
        ("unit admin", &roles.unit_admin),
        ("regional admin", &roles.regional_admin),
        ("staff elsewhere", &roles.staff_elsewhere),
        ("unit admin elsewhere", &roles.unit_admin_elsewhere),
        ("regional admin elsewhere", &roles.regional_admin_elsewhere),
    ];

    for c in &cases {
        let send = |token: Option<&str>| {
            let mut request = match c.method {
                "GET" => app.client.get(app.url(&c.path)),
                "POST" => app.client.post(app.url(&c.path)),
                "PUT" => app.client.put(app.url(&c.path)),
                _ => app.client.delete(app.url(&c.path)),
            };
            request = match &c.body {
                Body::None => request,
                Body::Json(v) => request.json(v),
                Body::Csv(text) => request.header("content-type", "text/csv").body(*text),
            };
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send()
        };
        let response = send(None).await.unwrap();
        assert_eq!(response.status(), 401, "no token on {} {}", c.method, c.path);
        // Those who may not, first: they must change nothing.
        for (who, token) in tokens.iter().filter(|(who, _)| !c.allowed.contains(who)) {
            let expected = match c.special.iter().find(|(w, _)| w == who) {
                Some((_, status)) => *status,
                None if *who == "resident" || c.allowed == ["resident"] => 403,
                None => c.denied,
            };
            let response = send(Some(token)).await.unwrap();
            let status = response.status().as_u16();
            assert_eq!(
                status,
                expected,
                "{who} on {} {}: {}",
                c.method,
                c.path,
                response.text().await.unwrap_or_default()
            );
        }
        for (i, who) in c.allowed.iter().enumerate() {
            let token = tokens.iter().find(|(w, _)| w == who).unwrap().1;
            let response = send(Some(token)).await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            if i == 0 {
                assert!(
                    (200..300).contains(&status),
                    "{who} on {} {}: {status} {text}",
                    c.method,
                    c.path
                );
            } else {
                assert!(
                    ![401, 403, c.denied].contains(&status) || (status == 404 && c.denied != 404),
                    "{who} may call {} {}: {status} {text}",
                    c.method,
                    c.path
                );
            }
        }
    }
}
