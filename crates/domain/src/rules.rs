//! The booking rules of docs/domain.md as pure functions. Each names the rule it
//! enforces; time is always passed in.
//!
//! Rule 3 (cancel and rebook any number of times) is the absence of a counter:
//! nothing here or in the store limits repeats, and the use-case tests rebook a
//! rebooked booking. Rule 4 (a cancellation needs a reason) is the type
//! [`crate::text::CancellationReason`], which cannot be blank. Rules 10 and 11
//! belong to the staff side.

use crate::model::*;
use crate::pnr::PersonalIdentityNumber;
use crate::time::{local_date, online_change_cutoff, Horizon};
use chrono::{DateTime, NaiveDate, Utc};

/// Rules 1 and 7: whether a booking may appear in the resident's portal at
/// all. `hidden` types and bookings flagged hide-in-portal never do.
pub fn visible_to_resident(booking: &Booking, policy: PortalPolicy) -> bool {
    policy != PortalPolicy::Hidden && !booking.hidden_in_portal
}

/// Rule 2: online cancel and rebook are open until 24 hours before the start;
/// at exactly 24 hours before, they are already closed. Instants are absolute,
/// so a daylight-saving change in between changes nothing.
pub fn online_change_window_open(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < starts_at - online_change_cutoff()
}

/// Rule 7: only `self_service` types are bookable (and rebookable) online.
pub fn bookable_online(policy: PortalPolicy) -> bool {
    policy == PortalPolicy::SelfService
}

/// Rule 7: `cancelable` and `self_service` bookings may be cancelled online.
pub fn cancelable_online(policy: PortalPolicy) -> bool {
    matches!(policy, PortalPolicy::Cancelable | PortalPolicy::SelfService)
}

/// Why an online action on a booking is not offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OnlineRefusal {
    #[error("the booking is no longer booked")]
    BookingNotActive,
    #[error("the type's portal policy does not allow online cancellation")]
    NotCancelableOnline,
    #[error("the type's portal policy does not allow online rebooking")]
    NotRebookableOnline,
    #[error("the unit's cancel/rebook service is not active for this resident")]
    ServiceNotActive,
    #[error("less than 24 hours remain before the booked start")]
    CancellationWindowClosed,
}

/// Rules 2, 7 and 8: whether the resident may cancel this booking online now.
pub fn online_cancel_allowed(
    booking: &Booking,
    starts_at: DateTime<Utc>,
    policy: PortalPolicy,
    service: Result<(), ServiceNotActive>,
    now: DateTime<Utc>,
) -> Result<(), OnlineRefusal> {
    let policy = cancelable_online(policy)
        .then_some(())
        .ok_or(OnlineRefusal::NotCancelableOnline);
    online_change_allowed(booking, starts_at, policy, service, now)
}

/// Rules 2, 7 and 8: whether the resident may rebook this booking online now.
pub fn online_rebook_allowed(
    booking: &Booking,
    starts_at: DateTime<Utc>,
    policy: PortalPolicy,
    service: Result<(), ServiceNotActive>,
    now: DateTime<Utc>,
) -> Result<(), OnlineRefusal> {
    let policy = bookable_online(policy)
        .then_some(())
        .ok_or(OnlineRefusal::NotRebookableOnline);
    online_change_allowed(booking, starts_at, policy, service, now)
}

/// The checks an online change makes, in the order the resident is told:
/// the booking is still booked, its type's policy allows the change (rule 7),
/// the unit's service is open to them (rule 8), the window is open (rule 2).
fn online_change_allowed(
    booking: &Booking,
    starts_at: DateTime<Utc>,
    policy: Result<(), OnlineRefusal>,
    service: Result<(), ServiceNotActive>,
    now: DateTime<Utc>,
) -> Result<(), OnlineRefusal> {
    if booking.status != BookingStatus::Booked {
        return Err(OnlineRefusal::BookingNotActive);
    }
    policy?;
    service.map_err(|_| OnlineRefusal::ServiceNotActive)?;
    if !online_change_window_open(starts_at, now) {
        return Err(OnlineRefusal::CancellationWindowClosed);
    }
    Ok(())
}

/// Why a slot is not a valid rebooking target (rule 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RebookMismatch {
    #[error("the target is the booking's own slot")]
    SameSlot,
    #[error("the target slot belongs to another unit")]
    Unit,
    #[error("the target slot belongs to another practitioner")]
    Practitioner,
    #[error("the target slot is of another appointment type")]
    AppointmentType,
    #[error("the target slot has another length")]
    Length,
}

/// Rule 5: rebooking only to exactly the same type, length and practitioner
/// (and so the same unit).
pub fn rebook_target_fits(current: &Slot, target: &Slot) -> Result<(), RebookMismatch> {
    if current.id == target.id {
        Err(RebookMismatch::SameSlot)
    } else if current.unit_id != target.unit_id {
        Err(RebookMismatch::Unit)
    } else if current.practitioner_id != target.practitioner_id {
        Err(RebookMismatch::Practitioner)
    } else if current.appointment_type_id != target.appointment_type_id {
        Err(RebookMismatch::AppointmentType)
    } else if current.length_minutes() != target.length_minutes() {
        Err(RebookMismatch::Length)
    } else {
        Ok(())
    }
}

/// Rule 6 (and common sense): a slot can be booked online only if it starts
/// after `now` and on a date inside the eight-week horizon.
pub fn within_online_horizon(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    starts_at > now && Horizon::from_now(now).contains(local_date(starts_at))
}

/// The unit's service is not usable by this resident (rule 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the service is not active for this resident")]
pub struct ServiceNotActive;

/// Rule 8: a service works once set up (the setting exists), activated, and
/// only for its audience. `in_selection` is asked only for a restricted audience.
pub fn service_available(
    setting: Option<&ServiceSetting>,
    in_selection: impl FnOnce() -> bool,
) -> Result<(), ServiceNotActive> {
    match setting {
        Some(s) if s.active => match s.audience {
            Audience::AllResidents => Ok(()),
            Audience::RestrictedSelection if in_selection() => Ok(()),
            Audience::RestrictedSelection => Err(ServiceNotActive),
        },
        _ => Err(ServiceNotActive),
    }
}

/// The resident did not confirm the terms text (rule 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the terms text must be confirmed before booking")]
pub struct TermsNotAccepted;

/// Rule 9: the resident confirms the unit's terms text before booking.
pub fn terms_confirmed(accepted: bool) -> Result<(), TermsNotAccepted> {
    if accepted {
        Ok(())
    } else {
        Err(TermsNotAccepted)
    }
}

/// Rule 12: the first date with free slots, preselected in the calendar.
/// `counts` is ordered by date.
pub fn first_free_date(counts: &[(NaiveDate, u32)]) -> Option<NaiveDate> {
    counts.iter().find(|(_, n)| *n > 0).map(|(d, _)| *d)
}

/// Why a resident may not book a type online (rule 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Ineligibility {
    #[error("the type is for residents aged {min_age_years} or older")]
    BelowMinimumAge { min_age_years: u8 },
    #[error("the type is only for residents with an established contact")]
    EstablishedContactRequired,
}

/// Rule 13: minimum age (completed years on the day of booking) and
/// established contact.
pub fn check_eligibility(
    eligibility: &Eligibility,
    pnr: &PersonalIdentityNumber,
    has_established_contact: bool,
    today: NaiveDate,
) -> Result<(), Ineligibility> {
    if let Some(min) = eligibility.min_age_years {
        if pnr.age_on(today) < u32::from(min) {
            return Err(Ineligibility::BelowMinimumAge { min_age_years: min });
        }
    }
    if eligibility.established_contact_only && !has_established_contact {
        return Err(Ineligibility::EstablishedContactRequired);
    }
    Ok(())
}

/// How far back an earlier visit counts as an established contact (rule 13).
pub const ESTABLISHED_CONTACT_MONTHS: u32 = 24;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use chrono::{Duration, TimeZone};

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn booking(status: BookingStatus) -> Booking {
        Booking {
            id: BookingId::generate(),
            slot_id: SlotId::generate(),
            resident_id: ResidentId::generate(),
            status,
            booked_by: Actor::Staff(StaffId::generate()),
            booked_at: at(2026, 11, 1, 8, 0),
            reason_for_visit: None,
            message: None,
            hidden_in_portal: false,
            cancellation: None,
            rebooked_from: None,
            calendar_uid: uuid::Uuid::nil(),
            calendar_sequence: 0,
        }
    }

    fn slot(unit: UnitId, prac: PractitionerId, ty: AppointmentTypeId, start: DateTime<Utc>, minutes: i64) -> Slot {
        Slot {
            id: SlotId::generate(),
            unit_id: unit,
            practitioner_id: prac,
            appointment_type_id: ty,
            starts_at: start,
            ends_at: start + Duration::minutes(minutes),
            booking_id: None,
            withdrawn_at: None,
        }
    }

    const OPEN: Result<(), ServiceNotActive> = Ok(());

    // Rule 1
    #[test]
    fn hidden_types_and_hide_in_portal_bookings_never_reach_the_resident() {
        let b = booking(BookingStatus::Booked);
        assert!(!visible_to_resident(&b, PortalPolicy::Hidden));
        for policy in [
            PortalPolicy::Visible,
            PortalPolicy::Cancelable,
            PortalPolicy::SelfService,
        ] {
            assert!(visible_to_resident(&b, policy), "{policy}");
            let hidden = Booking {
                hidden_in_portal: true,
                ..b.clone()
            };
            assert!(!visible_to_resident(&hidden, policy), "hide-in-portal with {policy}");
        }
    }

    // Rule 2
    #[test]
    fn a_booking_starting_in_exactly_24_hours_cannot_be_cancelled_online() {
        let start = at(2026, 12, 2, 9, 0);
        let now = start - Duration::hours(24);
        let b = booking(BookingStatus::Booked);
        assert_eq!(
            online_cancel_allowed(&b, start, PortalPolicy::SelfService, OPEN, now),
            Err(OnlineRefusal::CancellationWindowClosed)
        );
        assert_eq!(
            online_rebook_allowed(&b, start, PortalPolicy::SelfService, OPEN, now),
            Err(OnlineRefusal::CancellationWindowClosed)
        );
    }

    #[test]
    fn a_booking_starting_in_24_hours_and_one_second_can_be_cancelled_online() {
        let start = at(2026, 12, 2, 9, 0);
        let now = start - Duration::hours(24) - Duration::seconds(1);
        let b = booking(BookingStatus::Booked);
        assert_eq!(
            online_cancel_allowed(&b, start, PortalPolicy::SelfService, OPEN, now),
            Ok(())
        );
        assert_eq!(
            online_rebook_allowed(&b, start, PortalPolicy::SelfService, OPEN, now),
            Ok(())
        );
    }

    #[test]
    fn a_booking_starting_in_23_hours_cannot_be_cancelled_online() {
        let start = at(2026, 12, 2, 9, 0);
        assert!(!online_change_window_open(start, start - Duration::hours(23)));
    }

    #[test]
    fn the_24_hour_cutoff_is_absolute_across_the_spring_forward_night() {
        // Sunday 2027-03-28 10:00 CEST = 08:00 UTC. 24 real hours earlier is
        // Saturday 08:00 UTC = 09:00 CET on the clock, not 10:00.
        let start = at(2027, 3, 28, 8, 0);
        let cutoff = at(2027, 3, 27, 8, 0);
        assert!(online_change_window_open(start, cutoff - Duration::seconds(1)));
        assert!(!online_change_window_open(start, cutoff));
        assert!(
            !online_change_window_open(start, cutoff + Duration::minutes(30)),
            "09:30 on Saturday's clock"
        );
    }

    #[test]
    fn the_24_hour_cutoff_is_absolute_across_the_fall_back_night() {
        // Sunday 2026-10-25 10:00 CET = 09:00 UTC. 24 real hours earlier is
        // Saturday 09:00 UTC = 11:00 CEST on the clock, not 10:00.
        let start = at(2026, 10, 25, 9, 0);
        let cutoff = at(2026, 10, 24, 9, 0);
        assert!(
            online_change_window_open(start, at(2026, 10, 24, 8, 30)),
            "10:30 on Saturday's clock"
        );
        assert!(online_change_window_open(start, cutoff - Duration::seconds(1)));
        assert!(!online_change_window_open(start, cutoff));
    }

    // Rule 3
    #[test]
    fn a_rebooked_booking_can_be_changed_again() {
        let start = at(2026, 12, 9, 9, 0);
        let now = at(2026, 12, 1, 9, 0);
        let again = Booking {
            rebooked_from: Some(BookingId::generate()),
            ..booking(BookingStatus::Booked)
        };
        assert_eq!(
            online_rebook_allowed(&again, start, PortalPolicy::SelfService, OPEN, now),
            Ok(())
        );
        assert_eq!(
            online_cancel_allowed(&again, start, PortalPolicy::SelfService, OPEN, now),
            Ok(())
        );
    }

    // Rule 5
    #[test]
    fn rebooking_to_another_length_type_or_practitioner_is_refused() {
        let (unit, prac, ty) = (
            UnitId::generate(),
            PractitionerId::generate(),
            AppointmentTypeId::generate(),
        );
        let start = at(2026, 12, 9, 8, 30);
        let current = slot(unit, prac, ty, start, 15);
        let later = start + Duration::days(1);
        assert_eq!(rebook_target_fits(&current, &slot(unit, prac, ty, later, 15)), Ok(()));
        assert_eq!(
            rebook_target_fits(&current, &slot(unit, prac, ty, later, 30)),
            Err(RebookMismatch::Length)
        );
        assert_eq!(
            rebook_target_fits(&current, &slot(unit, prac, AppointmentTypeId::generate(), later, 15)),
            Err(RebookMismatch::AppointmentType)
        );
        assert_eq!(
            rebook_target_fits(&current, &slot(unit, PractitionerId::generate(), ty, later, 15)),
            Err(RebookMismatch::Practitioner)
        );
        assert_eq!(
            rebook_target_fits(&current, &slot(UnitId::generate(), prac, ty, later, 15)),
            Err(RebookMismatch::Unit)
        );
        assert_eq!(
            rebook_target_fits(&current, &current.clone()),
            Err(RebookMismatch::SameSlot)
        );
    }

    // Rule 6
    #[test]
    fn slots_are_bookable_online_only_inside_the_eight_week_horizon() {
        let now = at(2026, 11, 26, 10, 0);
        assert!(within_online_horizon(now + Duration::minutes(1), now));
        assert!(!within_online_horizon(now, now), "a slot starting now is gone");
        assert!(
            within_online_horizon(at(2027, 1, 21, 15, 0), now),
            "the last date of the horizon"
        );
        assert!(
            !within_online_horizon(at(2027, 1, 22, 8, 0), now),
            "the day after the horizon"
        );
    }

    // Rule 7
    #[test]
    fn a_cancelable_booking_can_be_cancelled_but_not_rebooked_online() {
        let start = at(2026, 12, 9, 9, 0);
        let now = at(2026, 12, 1, 9, 0);
        let b = booking(BookingStatus::Booked);
        assert_eq!(
            online_cancel_allowed(&b, start, PortalPolicy::Cancelable, OPEN, now),
            Ok(())
        );
        assert_eq!(
            online_rebook_allowed(&b, start, PortalPolicy::Cancelable, OPEN, now),
            Err(OnlineRefusal::NotRebookableOnline)
        );
    }

    #[test]
    fn a_visible_booking_allows_no_online_action() {
        let start = at(2026, 12, 9, 9, 0);
        let now = at(2026, 12, 1, 9, 0);
        let b = booking(BookingStatus::Booked);
        assert_eq!(
            online_cancel_allowed(&b, start, PortalPolicy::Visible, OPEN, now),
            Err(OnlineRefusal::NotCancelableOnline)
        );
        assert_eq!(
            online_rebook_allowed(&b, start, PortalPolicy::Visible, OPEN, now),
            Err(OnlineRefusal::NotRebookableOnline)
        );
    }

    #[test]
    fn only_self_service_types_are_bookable_online() {
        let bookable: Vec<_> = PortalPolicy::ALL.iter().filter(|p| bookable_online(**p)).collect();
        assert_eq!(bookable, [&PortalPolicy::SelfService]);
    }

    #[test]
    fn a_cancelled_or_arrived_booking_cannot_be_changed_online() {
        let start = at(2026, 12, 9, 9, 0);
        let now = at(2026, 12, 1, 9, 0);
        for status in [
            BookingStatus::Cancelled,
            BookingStatus::Arrived,
            BookingStatus::Rebooked,
            BookingStatus::EnteredInError,
        ] {
            let b = booking(status);
            assert_eq!(
                online_cancel_allowed(&b, start, PortalPolicy::SelfService, OPEN, now),
                Err(OnlineRefusal::BookingNotActive),
                "{status}"
            );
        }
    }

    // Rule 8
    #[test]
    fn a_service_works_only_when_set_up_activated_and_for_its_audience() {
        let unit_id = UnitId::generate();
        let setting = |active, audience| ServiceSetting {
            unit_id,
            service: OnlineService::BookOnline,
            active,
            audience,
            terms_text: String::new(),
            terms_html: String::new(),
        };
        assert_eq!(service_available(None, || true), Err(ServiceNotActive), "not set up");
        assert_eq!(
            service_available(Some(&setting(false, Audience::AllResidents)), || true),
            Err(ServiceNotActive)
        );
        assert_eq!(
            service_available(Some(&setting(true, Audience::AllResidents)), || false),
            Ok(())
        );
        assert_eq!(
            service_available(Some(&setting(true, Audience::RestrictedSelection)), || true),
            Ok(())
        );
        assert_eq!(
            service_available(Some(&setting(true, Audience::RestrictedSelection)), || { false }),
            Err(ServiceNotActive)
        );
        let refused_before_the_list_is_read =
            service_available(Some(&setting(false, Audience::RestrictedSelection)), || {
                panic!("selection read for an inactive service")
            });
        assert_eq!(refused_before_the_list_is_read, Err(ServiceNotActive));
    }

    #[test]
    fn a_cancel_is_refused_when_the_cancel_service_is_off() {
        let start = at(2026, 12, 9, 9, 0);
        let now = at(2026, 12, 1, 9, 0);
        let b = booking(BookingStatus::Booked);
        assert_eq!(
            online_cancel_allowed(&b, start, PortalPolicy::SelfService, Err(ServiceNotActive), now),
            Err(OnlineRefusal::ServiceNotActive)
        );
    }

    // Rule 9
    #[test]
    fn booking_needs_the_terms_confirmed() {
        assert_eq!(terms_confirmed(false), Err(TermsNotAccepted));
        assert_eq!(terms_confirmed(true), Ok(()));
    }

    // Rule 12
    #[test]
    fn the_first_day_with_free_slots_is_preselected() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert_eq!(
            first_free_date(&[(d(1), 0), (d(2), 0), (d(3), 4), (d(4), 1)]),
            Some(d(3))
        );
        assert_eq!(first_free_date(&[(d(1), 0)]), None);
        assert_eq!(first_free_date(&[]), None);
    }

    // Rule 13
    #[test]
    fn a_17_year_old_cannot_book_an_18_plus_type() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let eighteen_plus = Eligibility {
            min_age_years: Some(18),
            established_contact_only: false,
        };
        // Born 2008-11-27: 17 today, 18 tomorrow.
        let nine = "081127123";
        let pnr =
            PersonalIdentityNumber::parse(&format!("{nine}{}", crate::pnr::luhn_check_digit(nine)), today).unwrap();
        assert_eq!(
            check_eligibility(&eighteen_plus, &pnr, false, today),
            Err(Ineligibility::BelowMinimumAge { min_age_years: 18 })
        );
        assert_eq!(
            check_eligibility(&eighteen_plus, &pnr, false, today.succ_opt().unwrap()),
            Ok(())
        );
    }

    #[test]
    fn a_return_visit_type_needs_an_established_contact() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let pnr = PersonalIdentityNumber::parse("19121212-1212", today).unwrap();
        let return_visit = Eligibility {
            min_age_years: None,
            established_contact_only: true,
        };
        assert_eq!(
            check_eligibility(&return_visit, &pnr, false, today),
            Err(Ineligibility::EstablishedContactRequired)
        );
        assert_eq!(check_eligibility(&return_visit, &pnr, true, today), Ok(()));
        assert_eq!(check_eligibility(&Eligibility::default(), &pnr, false, today), Ok(()));
    }
}
