//! The server on a clock the test sets: rules that turn on an instant are
//! tried at that very instant, including across a daylight-saving night.

use crate::helpers::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

crate::on_both_kinds!(
    online_changes_close_exactly_24_hours_before_the_start,
    the_cut_off_holds_across_the_spring_forward_night
);

/// Books `start` (self-service) at the clock's time and returns the booking's id.
async fn book_at(app: &TestApp, pnr: &str, start: DateTime<Utc>) -> String {
    let [slot] = app.slots(&app.world.self_service, &[start], 15).await[..] else {
        unreachable!()
    };
    app.booked(&resident_token(pnr), slot).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn can_cancel(app: &TestApp, pnr: &str, id: &str) -> bool {
    let mine: Value = app
        .get(&format!("/api/v1/me/bookings/{id}"), &resident_token(pnr))
        .await
        .json()
        .await
        .unwrap();
    mine["can_cancel"].as_bool().unwrap()
}

async fn online_changes_close_exactly_24_hours_before_the_start(kind: Kind) {
    let start = utc(2026, 12, 9, 8, 30);
    let clock = TestClock::at(start - Duration::days(3));
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let pnr = adult_pnr(101);
    let id = book_at(&app, &pnr, start).await;
    let [later] = app
        .slots(&app.world.self_service, &[start + Duration::days(1)], 15)
        .await[..]
    else {
        unreachable!()
    };

    clock.set(start - Duration::hours(24) - Duration::seconds(1));
    assert!(can_cancel(&app, &pnr, &id).await, "one second before the cut-off");

    clock.set(start - Duration::hours(24));
    assert!(
        !can_cancel(&app, &pnr, &id).await,
        "at exactly 24 hours before, it is closed"
    );
    let token = resident_token(&pnr);
    let cancel = app
        .post(
            &format!("/api/v1/me/bookings/{id}/cancel"),
            &token,
            &json!({"reason": "Förhinder"}),
        )
        .await;
    assert_problem(cancel, 422, "cancellation-window-closed").await;
    let rebook = app
        .post(
            &format!("/api/v1/me/bookings/{id}/rebook"),
            &token,
            &json!({"slot_id": later.to_string()}),
        )
        .await;
    assert_problem(rebook, 422, "cancellation-window-closed").await;
}

/// Sunday 28 March 2027: Stockholm moves from 02:00 CET to 03:00 CEST.
async fn the_cut_off_holds_across_the_spring_forward_night(kind: Kind) {
    // 00:30 local on the night of the change.
    let clock = TestClock::at(utc(2027, 3, 27, 23, 30));
    let Some(app) = spawn_at(kind, clock.clone()).await else {
        return;
    };
    let pnr = adult_pnr(102);
    // 03:30 local on the night itself (01:30 UTC), and Monday 08:00 local (06:00 UTC).
    let night = utc(2027, 3, 28, 1, 30);
    let monday = utc(2027, 3, 29, 6, 0);
    app.slots(&app.world.self_service, &[night], 15).await;
    let id = book_at(&app, &pnr, monday).await;

    let token = resident_token(&pnr);
    let unit = app.world.unit.id;
    let ty = app.world.self_service.id;
    let dates: Value = app
        .get(
            &format!("/api/v1/units/{unit}/appointment-types/{ty}/available-dates"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dates["horizon_first"], "2027-03-28", "today is the local date: {dates}");
    assert_eq!(dates["first_free_date"], "2027-03-28");
    let slots: Value = app
        .get(
            &format!("/api/v1/units/{unit}/appointment-types/{ty}/slots?date=2027-03-28"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(slots[0]["local_start_time"], "03:30", "{slots}");

    // The cut-off is 24 real hours before 08:00 CEST on Monday: 08:00 CEST
    // on Sunday, 23 hours of local clock time after Saturday's midnight.
    let cut_off = monday - Duration::hours(24);
    clock.set(cut_off - Duration::seconds(1));
    assert!(can_cancel(&app, &pnr, &id).await);
    clock.set(cut_off);
    assert!(!can_cancel(&app, &pnr, &id).await);
}
