//! Invitations to book (öppen kallelse, rule 19): staff invite one resident
//! to book one appointment type at their unit, at a time inside a window of
//! dates — even a type residents cannot otherwise book online. The resident
//! is told, sees the invitation, and books a free slot of that type in the
//! window under every other rule (terms, eligibility, the unit's service);
//! the booking uses the invitation up, and it expires after the window's
//! last day.

use crate::ids::*;
use crate::model::{AppointmentType, PortalPolicy, Resident, Unit};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// How far ahead a window may end.
pub const MAX_WINDOW_DAYS: i64 = 400;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: InvitationId,
    pub unit_id: UnitId,
    pub appointment_type_id: AppointmentTypeId,
    pub resident_id: ResidentId,
    /// The Stockholm dates the booked time must lie in, both included.
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub created_by: StaffId,
    pub created_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub booking_id: Option<BookingId>,
}

/// Where an invitation stands on a (Stockholm) date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationStatus {
    Open,
    Used,
    Expired,
}

impl InvitationStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            InvitationStatus::Open => "open",
            InvitationStatus::Used => "used",
            InvitationStatus::Expired => "expired",
        }
    }
}

impl Invitation {
    pub fn status(&self, today: NaiveDate) -> InvitationStatus {
        if self.used_at.is_some() {
            InvitationStatus::Used
        } else if today > self.valid_until {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Open
        }
    }

    /// Whether a time on `date` may be booked with it.
    pub fn covers(&self, date: NaiveDate) -> bool {
        (self.valid_from..=self.valid_until).contains(&date)
    }
}

/// An invitation with what it names, as residents and staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationDetails {
    pub invitation: Invitation,
    pub unit: Unit,
    pub appointment_type: AppointmentType,
    pub resident: Resident,
}

/// Why staff cannot send an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvitationError {
    #[error("the window ends before it starts")]
    EndBeforeStart,
    #[error("the window has already ended")]
    Past,
    #[error("the window ends more than {MAX_WINDOW_DAYS} days ahead")]
    TooFar,
    #[error("residents never see this type")]
    HiddenType,
}

/// Checks a window (and the type) staff invite to, on `today`.
pub fn check_invitation(
    ty: &AppointmentType,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> Result<(), InvitationError> {
    if ty.policy == PortalPolicy::Hidden {
        Err(InvitationError::HiddenType)
    } else if valid_until < valid_from {
        Err(InvitationError::EndBeforeStart)
    } else if valid_until < today {
        Err(InvitationError::Past)
    } else if valid_until > today + Duration::days(MAX_WINDOW_DAYS) {
        Err(InvitationError::TooFar)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn invitation(used: bool) -> Invitation {
        Invitation {
            id: InvitationId::generate(),
            unit_id: UnitId::generate(),
            appointment_type_id: AppointmentTypeId::generate(),
            resident_id: ResidentId::generate(),
            valid_from: date(7),
            valid_until: date(18),
            created_by: StaffId::generate(),
            created_at: Utc::now(),
            used_at: used.then(Utc::now),
            booking_id: None,
        }
    }

    #[test]
    fn open_until_the_last_day_then_expired_and_used_once_booked() {
        let i = invitation(false);
        assert_eq!(i.status(date(1)), InvitationStatus::Open);
        assert_eq!(i.status(date(18)), InvitationStatus::Open);
        assert_eq!(i.status(date(19)), InvitationStatus::Expired);
        assert_eq!(invitation(true).status(date(1)), InvitationStatus::Used);
        assert!(!i.covers(date(6)) && i.covers(date(7)) && i.covers(date(18)) && !i.covers(date(19)));
    }
}
