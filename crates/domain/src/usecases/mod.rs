//! The use cases: the resident's portal, the staff's desk (appointment book
//! and scheduling) and the administrators' console. Each checks the rules and
//! permissions and leaves races to the store.

pub mod admin;
pub mod earlier_time;
pub mod guardian;
pub mod invited;
pub mod resident;
pub mod staff;

pub use admin::*;
pub use guardian::ChildOfGuardian;
pub use resident::*;
pub use staff::*;

use crate::model::*;
use crate::notify::{may_notify_about, notice, Composer};
use crate::ports::{NewBooking, Rebooking};
use chrono::{DateTime, Utc};

/// A booking as it will be once `booking` commits, for composing its message
/// inside the same transaction.
pub(crate) fn provisional(booking: &NewBooking, slot: &SlotDetails) -> BookingDetails {
    BookingDetails {
        booking: Booking {
            id: booking.id,
            slot_id: booking.slot_id,
            resident_id: booking.resident_id,
            status: BookingStatus::Booked,
            booked_by: booking.booked_by,
            booked_at: booking.booked_at,
            reason_for_visit: booking.reason_for_visit.clone(),
            message: booking.message.clone(),
            hidden_in_portal: booking.hidden_in_portal,
            cancellation: None,
            rebooked_from: None,
            calendar_uid: booking.id.as_uuid(),
            calendar_sequence: 0,
        },
        slot: Slot {
            booking_id: Some(booking.id),
            ..slot.slot.clone()
        },
        appointment_type: slot.appointment_type.clone(),
        practitioner: slot.practitioner.clone(),
        unit: slot.unit.clone(),
    }
}

/// The new booking a rebooking will create.
pub(crate) fn rebooked(current: &BookingDetails, rebooking: &Rebooking, target: &SlotDetails) -> BookingDetails {
    BookingDetails {
        booking: Booking {
            id: rebooking.new_booking_id,
            slot_id: target.slot.id,
            status: BookingStatus::Booked,
            booked_by: rebooking.by,
            booked_at: rebooking.at,
            cancellation: None,
            rebooked_from: Some(current.booking.id),
            // Rule 18: the same calendar event, changed once more.
            calendar_sequence: current.booking.calendar_sequence + 1,
            ..current.booking.clone()
        },
        slot: Slot {
            booking_id: Some(rebooking.new_booking_id),
            ..target.slot.clone()
        },
        appointment_type: target.appointment_type.clone(),
        practitioner: target.practitioner.clone(),
        unit: target.unit.clone(),
    }
}

/// The effects of a change: the resident's notice of `kind`, the given
/// access-log lines, and the reminders of a booking it leaves booked (rule
/// 14). A booking the portal never shows gets no notice and no reminder
/// (rule 21).
pub(crate) fn effects_for(
    composer: &dyn Composer,
    kind: NotificationKind,
    resident: &Resident,
    after: &BookingDetails,
    now: DateTime<Utc>,
    access: Vec<AccessLogEntry>,
) -> Effects {
    let notice = may_notify_about(after).then(|| {
        let composed = composer.compose(kind, after);
        let calendar = || Some(composer.calendar_file(&crate::calendar::event(after), now));
        notice(kind, resident, Some(after.booking.id), composed, calendar, now)
    });
    Effects {
        notice,
        access,
        reminders: crate::reminders::for_booking(after, now),
    }
}
