//! Notifications (rule 10 and confirmations): what a resident is told about
//! a change of a booking, and by which channels. The texts come from a
//! [`Composer`] (templates in the API crate); this module decides who gets
//! what.

use crate::ids::*;
use crate::model::*;
use chrono::{DateTime, Utc};

/// The texts of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    /// For the inbox and e-mail.
    pub body: String,
    /// Short, for SMS.
    pub sms: String,
}

/// Renders messages from templates.
pub trait Composer: Send + Sync {
    /// The message about `booking` as it is after the change.
    fn compose(&self, kind: NotificationKind, booking: &BookingDetails) -> Composed;
    /// A reminder before the visit (rule 14): the time, unit, address and
    /// phone, until when it can be cancelled online (`None`: not online)
    /// and a link to it; never the reason for visit or the message.
    fn reminder(&self, booking: &BookingDetails, cancel_online_until: Option<DateTime<Utc>>) -> Composed;
    /// An offer of an earlier time (rule 15): the slot, until when it is
    /// held, and a link to the booking it would replace; never the reason
    /// for visit or the message.
    fn offer(&self, slot: &SlotDetails, booking: BookingId, expires_at: DateTime<Utc>) -> Composed;
    /// An invitation to book (rule 19): the type, the unit, the window and a
    /// link to book.
    fn invitation(&self, invitation: &crate::invitations::InvitationDetails) -> Composed;
    /// The iCalendar file (RFC 5545) of a booking's event (rule 18),
    /// stamped `stamp` (when it was made).
    fn calendar_file(&self, event: &crate::calendar::CalendarEvent, stamp: DateTime<Utc>) -> String;
}

/// Rule 10: staff booking and rebooking always notify; staff cancellation
/// and voiding (rule 21) notify unless the region has switched that off. A
/// resident's own actions are confirmed.
pub fn notifies(kind: NotificationKind, region: &Region) -> bool {
    match kind {
        NotificationKind::CancelledByStaff | NotificationKind::VoidedByStaff => region.notify_on_staff_cancel,
        _ => true,
    }
}

/// Rule 21: a booking the portal never shows (a `hidden` type, or flagged
/// hide-in-portal) never notifies the resident and never reaches the inbox.
pub fn may_notify_about(booking: &BookingDetails) -> bool {
    crate::rules::visible_to_resident(&booking.booking, booking.appointment_type.policy)
}

/// The inbox message and one delivery per channel the resident has chosen
/// (and given an address for); the e-mail carries `calendar`, the booking's
/// calendar file (rule 18), made only when there is an e-mail to carry it.
pub fn notice(
    kind: NotificationKind,
    resident: &Resident,
    booking: Option<BookingId>,
    composed: Composed,
    calendar: impl FnOnce() -> Option<String>,
    now: DateTime<Utc>,
) -> Notice {
    let mut deliveries = Vec::new();
    if let (true, Some(email)) = (resident.notifications.email, &resident.email) {
        deliveries.push(Delivery {
            id: uuid::Uuid::new_v4(),
            channel: Channel::Email,
            recipient: email.clone(),
            subject: composed.subject.clone(),
            body: composed.body.clone(),
            calendar: calendar(),
        });
    }
    if let (true, Some(phone)) = (resident.notifications.sms, &resident.phone) {
        deliveries.push(Delivery {
            id: uuid::Uuid::new_v4(),
            channel: Channel::Sms,
            recipient: phone.clone(),
            subject: composed.subject.clone(),
            body: composed.sms.clone(),
            calendar: None,
        });
    }
    Notice {
        message: InboxMessage {
            id: uuid::Uuid::new_v4(),
            resident_id: resident.id,
            booking_id: booking,
            kind,
            subject: composed.subject,
            body: composed.body,
            created_at: now,
            read_at: None,
        },
        deliveries,
    }
}

/// How long to wait before attempt `attempts + 1` of a delivery: 30 s,
/// doubling, at most six hours.
pub fn retry_delay(attempts: u32) -> chrono::Duration {
    let seconds = 30i64.saturating_mul(1i64 << attempts.saturating_sub(1).min(10));
    chrono::Duration::seconds(seconds.min(6 * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pnr::PersonalIdentityNumber;

    fn resident(sms: bool, email: bool) -> Resident {
        Resident {
            id: ResidentId::generate(),
            pnr: PersonalIdentityNumber::from_stored("191212121212").unwrap(),
            name: None,
            phone: Some("+46701234567".into()),
            email: Some("anna@example.se".into()),
            notifications: NotificationChoices { sms, email },
            reminders: NotificationChoices { sms: true, email: true },
        }
    }

    fn composed() -> Composed {
        Composed {
            subject: "Bokad tid".into(),
            body: "Lång text".into(),
            sms: "Kort".into(),
        }
    }

    #[test]
    fn staff_cancellation_notifies_only_where_the_region_wants_it() {
        let mut region = Region {
            id: RegionId::generate(),
            name: "R".into(),
            notify_on_staff_cancel: true,
            reminders: Default::default(),
        };
        assert!(notifies(NotificationKind::CancelledByStaff, &region));
        region.notify_on_staff_cancel = false;
        assert!(!notifies(NotificationKind::CancelledByStaff, &region));
        assert!(
            !notifies(NotificationKind::VoidedByStaff, &region),
            "voiding follows the same switch"
        );
        assert!(
            notifies(NotificationKind::BookedByStaff, &region) && notifies(NotificationKind::RebookedByStaff, &region)
        );
    }

    #[test]
    fn deliveries_follow_the_residents_choices() {
        let now = Utc::now();
        let both = notice(
            NotificationKind::BookedByStaff,
            &resident(true, true),
            None,
            composed(),
            || Some("BEGIN:VCALENDAR".into()),
            now,
        );
        let channels: Vec<_> = both.deliveries.iter().map(|d| (d.channel, d.body.as_str())).collect();
        assert_eq!(channels, [(Channel::Email, "Lång text"), (Channel::Sms, "Kort")]);
        let calendars: Vec<_> = both.deliveries.iter().map(|d| d.calendar.is_some()).collect();
        assert_eq!(calendars, [true, false], "the calendar file goes by e-mail only");
        let none = notice(
            NotificationKind::BookedByStaff,
            &resident(false, false),
            None,
            composed(),
            || Some("BEGIN:VCALENDAR".into()),
            now,
        );
        assert!(none.deliveries.is_empty(), "the inbox message alone");
        assert_eq!(none.message.subject, "Bokad tid");
        let mut no_address = resident(true, true);
        no_address.phone = None;
        assert_eq!(
            notice(
                NotificationKind::BookedOnline,
                &no_address,
                None,
                composed(),
                || None,
                now
            )
            .deliveries
            .len(),
            1
        );
    }

    #[test]
    fn retries_back_off_exponentially_up_to_six_hours() {
        let delays: Vec<_> = (1..=4).map(|a| retry_delay(a).num_seconds()).collect();
        assert_eq!(delays, [30, 60, 120, 240]);
        assert_eq!(retry_delay(30).num_seconds(), 6 * 3600);
    }
}
