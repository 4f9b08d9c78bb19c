//! Rule 14 in the use cases: what a booking change plans, what a due
//! reminder becomes, and who may set the lists.

use crate::support::*;
use tidbok_domain::ports::*;
use tidbok_domain::reminders::{ReminderOffset, ReminderPolicy};
use tidbok_domain::usecases::{DeskError, DueReminder};
use tidbok_domain::*;

async fn dues(env: &Env, booking: BookingId) -> Vec<(Channel, chrono::DateTime<chrono::Utc>)> {
    env.store()
        .reminders(booking)
        .await
        .expect("reminders")
        .into_iter()
        .filter(|r| r.status == OutboxStatus::Pending)
        .map(|r| (r.channel, r.due))
        .collect()
}

async fn subscribed(env: &Env, n: u32, reminders: NotificationChoices) -> Resident {
    let resident = env.resident(n).await;
    env.store()
        .update_contact(
            resident.id,
            Some("+46701234567"),
            Some("anna@example.se"),
            NotificationChoices { sms: true, email: true },
            reminders,
        )
        .await
        .expect("contact");
    env.store()
        .resident(resident.id)
        .await
        .expect("read")
        .expect("resident")
}

const BOTH: NotificationChoices = NotificationChoices { sms: true, email: true };

#[tokio::test]
async fn booking_online_plans_the_units_reminders_by_both_channels() {
    let env = Env::new().await;
    let anna = subscribed(&env, 1, BOTH).await;
    // Booked on Monday 2 March for Friday 6 March 10:00: four days ahead,
    // so only the 48-hour reminder (Wednesday 10:00).
    let start = at(day(4), 10, 0);
    let id = env.booked_online(&anna, start).await;
    let wednesday = at(day(2), 10, 0);
    assert_eq!(
        dues(&env, id).await,
        [(Channel::Email, wednesday), (Channel::Sms, wednesday)]
    );
    // Booked 16 days ahead: 7 days before too.
    let far = at(day(16), 10, 0);
    let id = env.booked_online(&anna, far).await;
    let planned: Vec<_> = dues(&env, id).await.into_iter().map(|d| d.1).collect();
    assert_eq!(
        planned,
        [
            at(day(9), 10, 0),
            at(day(9), 10, 0),
            at(day(14), 10, 0),
            at(day(14), 10, 0)
        ]
    );
}

#[tokio::test]
async fn rebooking_plans_anew_and_cancelling_leaves_none() {
    let env = Env::new().await;
    let anna = subscribed(&env, 1, BOTH).await;
    let id = env.booked_online(&anna, at(day(4), 10, 0)).await;
    let target = env.slot(&env.world.self_service, at(day(5), 14, 0)).await;
    let moved = env
        .portal()
        .rebook(&anna, id, target, None)
        .await
        .expect("rebook")
        .value()
        .details
        .booking
        .id;
    assert!(dues(&env, id).await.is_empty(), "the old time's are cancelled");
    assert_eq!(dues(&env, moved).await.len(), 2);
    assert!(dues(&env, moved).await.iter().all(|d| d.1 == at(day(3), 14, 0)));
    env.cancelled_online(&anna, moved).await;
    assert!(dues(&env, moved).await.is_empty());
}

#[tokio::test]
async fn staff_bookings_plan_reminders_unless_hidden_and_showing_one_again_plans_them() {
    let env = Env::new().await;
    let anna = subscribed(&env, 1, BOTH).await;
    let visible = env
        .booked_by_staff(&anna, &env.world.cancelable, at(day(4), 10, 0))
        .await;
    assert_eq!(dues(&env, visible).await.len(), 2);
    let hidden_type = env.booked_by_staff(&anna, &env.world.hidden, at(day(4), 11, 0)).await;
    assert!(dues(&env, hidden_type).await.is_empty(), "rule 21: a hidden type");
    env.hide(visible).await;
    assert!(dues(&env, visible).await.is_empty(), "hidden in the portal: cancelled");
    env.desk()
        .set_hidden_in_portal(&env.staff(), visible, false)
        .await
        .expect("shown again");
    assert_eq!(dues(&env, visible).await.len(), 2, "shown again: planned from now");
    env.arrived(visible).await;
    assert!(dues(&env, visible).await.is_empty(), "arrived: none left");
}

#[tokio::test]
async fn a_due_reminder_is_written_for_a_wanted_channel_and_skipped_otherwise() {
    let env = Env::new().await;
    let anna = subscribed(
        &env,
        1,
        NotificationChoices {
            sms: false,
            email: true,
        },
    )
    .await;
    let start = at(day(4), 10, 0);
    let id = env.booked_online(&anna, start).await;
    let row = uuid::Uuid::new_v4();
    let email = env.portal().due_reminder(row, Channel::Email, id).await.expect("email");
    let DueReminder::Send(message) = email else {
        panic!("expected a reminder by e-mail, got {email:?}")
    };
    assert_eq!((message.id, message.recipient.as_str()), (row, "anna@example.se"));
    let until = start - chrono::Duration::hours(24);
    assert_eq!(
        message.body,
        format!("reminder {start} until {until}"),
        "cancellable online until 24 h before"
    );
    assert_eq!(
        env.portal().due_reminder(row, Channel::Sms, id).await.expect("sms"),
        DueReminder::Skip,
        "SMS reminders switched off"
    );
    // A type the resident cannot cancel online: the reminder says to call.
    let visible = env.booked_by_staff(&anna, &env.world.visible, at(day(4), 11, 0)).await;
    let DueReminder::Send(call) = env
        .portal()
        .due_reminder(row, Channel::Email, visible)
        .await
        .expect("email")
    else {
        panic!("expected a reminder")
    };
    assert!(call.body.ends_with("until call"), "{}", call.body);
    // Within 24 hours it can no longer be cancelled online either.
    env.clock.set(start - chrono::Duration::hours(23));
    let DueReminder::Send(late) = env.portal().due_reminder(row, Channel::Email, id).await.expect("email") else {
        panic!("expected a reminder")
    };
    assert!(late.body.ends_with("until call"), "{}", late.body);
    // No e-mail address any more: skipped.
    env.store()
        .update_contact(
            anna.id,
            Some("+46701234567"),
            None,
            NotificationChoices {
                sms: true,
                email: false,
            },
            BOTH,
        )
        .await
        .expect("contact");
    assert_eq!(
        env.portal().due_reminder(row, Channel::Email, id).await.expect("email"),
        DueReminder::Skip
    );
}

fn list(hours: &[u32]) -> ReminderPolicy {
    ReminderPolicy::new(
        hours
            .iter()
            .map(|h| ReminderOffset {
                hours_before: *h,
                only_if_booked_hours_ahead: None,
            })
            .collect(),
    )
    .expect("a valid list")
}

#[tokio::test]
async fn regional_admins_set_the_regions_list_and_units_follow_unless_they_have_their_own() {
    let env = Env::new().await;
    let console = env.console();
    let region = console
        .set_region_reminders(&env.regional_admin(), list(&[24]))
        .await
        .expect("region");
    assert_eq!(region.reminders, list(&[24]));
    let unit = console
        .unit_reminders(&env.staff(), env.world.unit.id)
        .await
        .expect("read");
    assert_eq!((unit.policy.clone(), unit.own), (list(&[24]), false));

    let own = console
        .set_unit_reminders(&env.unit_admin(), env.world.unit.id, Some(list(&[72, 2])))
        .await
        .expect("own");
    assert_eq!((own.policy.clone(), own.own), (list(&[72, 2]), true));
    console
        .set_region_reminders(&env.regional_admin(), list(&[]))
        .await
        .expect("none");
    let kept = console
        .unit_reminders(&env.unit_admin(), env.world.unit.id)
        .await
        .expect("read");
    assert_eq!((kept.policy, kept.region), (list(&[72, 2]), list(&[])));
    let back = console
        .set_unit_reminders(&env.regional_admin(), env.world.unit.id, None)
        .await
        .expect("back");
    assert_eq!((back.policy, back.own), (list(&[]), false));
    // A new unit follows its region.
    let fresh = env.bare_unit().await;
    let read = env.store().unit(fresh.id).await.expect("read").expect("unit");
    assert_eq!(read.reminders, list(&[]));
}

#[tokio::test]
async fn only_admins_change_reminders_and_only_their_own_units_or_region() {
    let env = Env::new().await;
    let console = env.console();
    let unit = env.world.unit.id;
    assert!(matches!(
        console.set_region_reminders(&env.unit_admin(), list(&[24])).await,
        Err(DeskError::Forbidden)
    ));
    assert!(matches!(
        console.set_unit_reminders(&env.staff(), unit, Some(list(&[24]))).await,
        Err(DeskError::Forbidden)
    ));
    let elsewhere = env.elsewhere().await;
    let outsider = member(StaffRole::UnitAdmin, vec![elsewhere.unit.id], None);
    assert!(matches!(
        console.set_unit_reminders(&outsider, unit, None).await,
        Err(DeskError::Forbidden)
    ));
    assert!(matches!(
        console.unit_reminders(&outsider, unit).await,
        Err(DeskError::Forbidden)
    ));
    assert!(matches!(
        console.unit_reminders(&env.staff(), UnitId::generate()).await,
        Err(DeskError::NotFound)
    ));
    assert!(
        !env.store().unit_has_own_reminders(unit).await.expect("read"),
        "nothing changed"
    );
}
