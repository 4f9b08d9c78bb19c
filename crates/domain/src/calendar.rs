//! Calendar files (rule 18 of docs/domain.md): what the iCalendar file of a
//! booking says. Pure: the API renders it as RFC 5545 text.
//!
//! One event per line of rebookings: its uid is the first booking's id and
//! stays through every rebooking, its sequence rises with each rebooking and
//! with the cancellation or voiding that ends it, so calendar programs move
//! or remove the event they already have. A booking that is booked (or
//! visited) is a `REQUEST` with status confirmed; one cancelled, rebooked
//! away from or voided is a `CANCEL` with status cancelled. The texts follow
//! the reminder rule: the time, the unit, its address and phone, whether it
//! can be cancelled online — never the reason for visit or the message.

use crate::model::{BookingDetails, BookingStatus, PortalPolicy};
use chrono::{DateTime, Utc};

/// What a calendar file asks of the calendar program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarMethod {
    /// Add the event, or replace the one with the same uid and a lower
    /// sequence.
    Request,
    /// Remove the event with this uid.
    Cancel,
}

/// One booking's calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    pub method: CalendarMethod,
    /// Stable through rebookings: `<uuid>@tidbok`.
    pub uid: String,
    pub sequence: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub unit: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub appointment_type: String,
    /// Until when the booking can be cancelled or rebooked online, when its
    /// type allows that (24 hours before the start); `None`: by phone only.
    pub cancel_online_until: Option<DateTime<Utc>>,
    /// The booking this file is of (for the link to it).
    pub booking_id: crate::ids::BookingId,
}

/// The calendar event of `details` as the booking stands.
pub fn event(details: &BookingDetails) -> CalendarEvent {
    let booking = &details.booking;
    let method = match booking.status {
        BookingStatus::Booked | BookingStatus::Arrived => CalendarMethod::Request,
        BookingStatus::Cancelled | BookingStatus::Rebooked | BookingStatus::EnteredInError => CalendarMethod::Cancel,
    };
    let cancelable = matches!(
        details.appointment_type.policy,
        PortalPolicy::Cancelable | PortalPolicy::SelfService
    );
    CalendarEvent {
        method,
        uid: format!("{}@tidbok", booking.calendar_uid),
        sequence: booking.calendar_sequence,
        starts_at: details.slot.starts_at,
        ends_at: details.slot.ends_at,
        unit: details.unit.name.clone(),
        address: details.unit.address.clone(),
        phone: details.unit.phone.clone(),
        appointment_type: details.appointment_type.name.clone(),
        cancel_online_until: (cancelable && method == CalendarMethod::Request)
            .then(|| details.slot.starts_at - crate::time::online_change_cutoff()),
        booking_id: booking.id,
    }
}
