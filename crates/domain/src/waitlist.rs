//! An earlier time (återbudslista, rule 15) and holds (rule 16).
//!
//! A resident who may rebook a booking online can ask for an earlier time for
//! it, optionally only on some weekdays and not before a time of day. A slot
//! that becomes free (a cancellation, a rebooking, a new publication) and
//! that rule 5 would let the booking move to — same unit, practitioner, type
//! and length — is offered to the waiting residents one at a time, first
//! asked first offered, with a hold: for the region's hold length (default
//! 15 minutes) nobody else can book it online. Accepting moves the booking
//! (an atomic rebooking); declining, or letting the hold run out, passes the
//! slot on to the next resident waiting, or frees it.
//!
//! Offers are made only between 08:00 and 21:00 Stockholm time (as
//! reminders are sent): a slot freed at night stays free for anyone, and is
//! offered in the morning if nobody has taken it.

use crate::ids::*;
use crate::model::SlotDetails;
use crate::reminders::{SEND_FROM_HOUR, SEND_UNTIL_HOUR};
use crate::time::{local_date, online_change_cutoff, Horizon, ZONE};
use chrono::{DateTime, Datelike, NaiveTime, Timelike, Utc, Weekday};
use std::ops::RangeInclusive;

/// How long an offer holds its slot unless the region says otherwise.
pub const DEFAULT_OFFER_HOLD_MINUTES: u32 = 15;
/// What a region may set: long enough to read an SMS and answer, short
/// enough that a slot nobody answers for still reaches someone.
pub const OFFER_HOLD_MINUTES: RangeInclusive<u32> = 5..=120;

/// The weekdays a resident will come on, a bit per ISO weekday (Monday = bit 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Weekdays(u8);

/// A wish the resident cannot make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WishError {
    #[error("weekdays are numbered 1 (Monday) to 7 (Sunday)")]
    Weekday,
    #[error("at least one weekday is needed")]
    NoWeekday,
}

impl Weekdays {
    pub const ALL: Weekdays = Weekdays(0b111_1111);

    /// From ISO weekday numbers (1 = Monday … 7 = Sunday); repeats are fine.
    pub fn from_iso(days: &[u32]) -> Result<Self, WishError> {
        let mut bits = 0u8;
        for &d in days {
            if !(1..=7).contains(&d) {
                return Err(WishError::Weekday);
            }
            bits |= 1 << (d - 1);
        }
        if bits == 0 {
            return Err(WishError::NoWeekday);
        }
        Ok(Weekdays(bits))
    }

    /// As stored: 1..=127.
    pub fn from_bits(bits: i64) -> Option<Self> {
        (1..=127).contains(&bits).then_some(Weekdays(bits as u8))
    }

    pub fn bits(&self) -> i64 {
        i64::from(self.0)
    }

    pub fn contains(&self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    /// ISO numbers, Monday first.
    pub fn iso(&self) -> Vec<u32> {
        (1..=7u32).filter(|d| self.0 & (1 << (d - 1)) != 0).collect()
    }
}

/// What the resident will take instead of their booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlierTimeWish {
    pub weekdays: Weekdays,
    /// Not before this local (Stockholm) time of day.
    pub not_before: Option<NaiveTime>,
}

impl Default for EarlierTimeWish {
    fn default() -> Self {
        Self {
            weekdays: Weekdays::ALL,
            not_before: None,
        }
    }
}

impl EarlierTimeWish {
    /// Whether a slot starting at `start` suits the wish (local weekday and time).
    pub fn accepts(&self, start: DateTime<Utc>) -> bool {
        let local = start.with_timezone(&ZONE);
        self.weekdays.contains(local.weekday()) && self.not_before.is_none_or(|t| local.time() >= t)
    }

    /// The time of day as stored: minutes after midnight.
    pub fn not_before_minute(&self) -> Option<i64> {
        self.not_before.map(|t| i64::from(t.hour() * 60 + t.minute()))
    }

    pub fn from_stored(weekdays: i64, not_before_minute: Option<i64>) -> Option<Self> {
        let not_before = match not_before_minute {
            None => None,
            Some(m) if (0..1440).contains(&m) => NaiveTime::from_hms_opt((m / 60) as u32, (m % 60) as u32, 0),
            Some(_) => return None,
        };
        Some(Self {
            weekdays: Weekdays::from_bits(weekdays)?,
            not_before,
        })
    }
}

/// Rule 15: whether a free slot starting at `slot_start` may be offered for a
/// booking starting at `booked_start` (rule 5's sameness is matched by the
/// store): earlier than the booking, more than 24 hours away, inside the
/// horizon, to the resident's wish, and while the booking itself may still
/// be moved online.
pub fn offer_qualifies(
    wish: &EarlierTimeWish,
    booked_start: DateTime<Utc>,
    slot_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let cutoff = now + online_change_cutoff();
    slot_start < booked_start
        && slot_start > cutoff
        && booked_start > cutoff
        && Horizon::from_now(now).contains(local_date(slot_start))
        && wish.accepts(slot_start)
}

/// The local hours in which offers are made: by default 08:00–21:00, as
/// reminders are sent (an installation may widen or narrow it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferWindow {
    pub from_hour: u32,
    pub until_hour: u32,
}

impl Default for OfferWindow {
    fn default() -> Self {
        Self {
            from_hour: SEND_FROM_HOUR,
            until_hour: SEND_UNTIL_HOUR,
        }
    }
}

impl OfferWindow {
    /// From `"8-21"`: whole hours, `0 <= from < until <= 24`.
    pub fn parse(text: &str) -> Option<Self> {
        let (from, until) = text.split_once('-')?;
        let (from_hour, until_hour) = (from.trim().parse().ok()?, until.trim().parse().ok()?);
        (from_hour < until_hour && until_hour <= 24).then_some(Self { from_hour, until_hour })
    }

    pub fn open_at(&self, now: DateTime<Utc>) -> bool {
        (self.from_hour..self.until_hour).contains(&now.with_timezone(&ZONE).hour())
    }
}

/// Where a wish stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStatus {
    Waiting,
    /// An offer was accepted.
    Fulfilled,
    /// The resident took the wish back.
    Withdrawn,
    /// Its booking was cancelled, moved or otherwise ended.
    Ended,
}

impl EntryStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntryStatus::Waiting => "waiting",
            EntryStatus::Fulfilled => "fulfilled",
            EntryStatus::Withdrawn => "withdrawn",
            EntryStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "waiting" => EntryStatus::Waiting,
            "fulfilled" => EntryStatus::Fulfilled,
            "withdrawn" => EntryStatus::Withdrawn,
            "ended" => EntryStatus::Ended,
            _ => return None,
        })
    }
}

/// A resident's wish for an earlier time for one booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistEntry {
    pub id: WaitlistEntryId,
    pub booking_id: BookingId,
    pub resident_id: ResidentId,
    pub wish: EarlierTimeWish,
    pub asked_at: DateTime<Utc>,
    pub status: EntryStatus,
}

/// Where a hold stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldStatus {
    Held,
    Accepted,
    Declined,
    Expired,
    /// Given up because the wish or its booking ended.
    Released,
}

impl HoldStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            HoldStatus::Held => "held",
            HoldStatus::Accepted => "accepted",
            HoldStatus::Declined => "declined",
            HoldStatus::Expired => "expired",
            HoldStatus::Released => "released",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "held" => HoldStatus::Held,
            "accepted" => HoldStatus::Accepted,
            "declined" => HoldStatus::Declined,
            "expired" => HoldStatus::Expired,
            "released" => HoldStatus::Released,
            _ => return None,
        })
    }
}

/// An offer of an earlier time: a slot held for one waiting resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: HoldId,
    pub entry_id: WaitlistEntryId,
    pub resident_id: ResidentId,
    /// The booking the offer would move.
    pub booking_id: BookingId,
    pub slot: SlotDetails,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub status: HoldStatus,
}

impl Offer {
    /// Still open to accept at `now`.
    pub fn open_at(&self, now: DateTime<Utc>) -> bool {
        self.status == HoldStatus::Held && self.expires_at > now
    }
}

/// How many wait for an earlier time of one type with one practitioner, and
/// how many of them hold an offer right now (the unit's view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistCount {
    pub appointment_type_id: AppointmentTypeId,
    pub practitioner_id: PractitionerId,
    pub waiting: u32,
    pub offered: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        ZONE.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("unambiguous")
            .with_timezone(&Utc)
    }

    #[test]
    fn weekdays_are_iso_numbers_and_refuse_anything_else() {
        let w = Weekdays::from_iso(&[1, 3, 3]).unwrap();
        assert_eq!(w.iso(), vec![1, 3]);
        assert!(w.contains(Weekday::Mon) && w.contains(Weekday::Wed) && !w.contains(Weekday::Sun));
        assert_eq!(Weekdays::from_iso(&[0]), Err(WishError::Weekday));
        assert_eq!(Weekdays::from_iso(&[8]), Err(WishError::Weekday));
        assert_eq!(Weekdays::from_iso(&[]), Err(WishError::NoWeekday));
        assert_eq!(Weekdays::from_bits(Weekdays::ALL.bits()), Some(Weekdays::ALL));
        assert_eq!(Weekdays::from_bits(0), None);
    }

    #[test]
    fn a_wish_reads_weekday_and_time_in_stockholm() {
        // Tuesday 2027-03-30 07:30 Stockholm is 05:30 UTC (summer time).
        let wish = EarlierTimeWish {
            weekdays: Weekdays::from_iso(&[2]).unwrap(),
            not_before: NaiveTime::from_hms_opt(7, 30, 0),
        };
        assert!(wish.accepts(local(2027, 3, 30, 7, 30)));
        assert!(!wish.accepts(local(2027, 3, 30, 7, 29)));
        assert!(!wish.accepts(local(2027, 3, 31, 9, 0)), "Wednesday");
        // Monday 23:30 UTC is Tuesday 01:30 in Stockholm.
        let late = Utc.with_ymd_and_hms(2027, 3, 29, 23, 30, 0).unwrap();
        assert!(EarlierTimeWish {
            not_before: None,
            ..wish
        }
        .accepts(late));
        assert_eq!(wish.not_before_minute(), Some(450));
        assert_eq!(EarlierTimeWish::from_stored(2, Some(450)), Some(wish));
        assert_eq!(EarlierTimeWish::from_stored(2, Some(1440)), None);
    }

    #[test]
    fn only_earlier_slots_more_than_a_day_away_inside_the_horizon_qualify() {
        let now = local(2026, 12, 1, 10, 0);
        let booked = local(2026, 12, 20, 9, 0);
        let any = EarlierTimeWish::default();
        assert!(offer_qualifies(&any, booked, local(2026, 12, 3, 9, 0), now));
        assert!(!offer_qualifies(&any, booked, booked, now), "not earlier");
        assert!(
            !offer_qualifies(&any, booked, local(2026, 12, 2, 10, 0), now),
            "exactly 24 h away"
        );
        assert!(offer_qualifies(&any, booked, local(2026, 12, 2, 10, 1), now));
        // A booking already inside 24 hours cannot be moved online.
        let soon = local(2026, 12, 2, 9, 0);
        assert!(!offer_qualifies(&any, soon, local(2026, 12, 2, 8, 0), now));
        // The horizon: today + 8 weeks, by local date.
        let far = local(2027, 3, 1, 9, 0);
        assert!(offer_qualifies(&any, far, local(2027, 1, 26, 9, 0), now));
        assert!(!offer_qualifies(&any, far, local(2027, 1, 27, 9, 0), now));
    }

    fn offers_open_at(now: DateTime<Utc>) -> bool {
        OfferWindow::default().open_at(now)
    }

    #[test]
    fn offers_are_made_between_eight_and_nine_in_the_evening() {
        assert!(!offers_open_at(local(2026, 12, 1, 7, 59)));
        assert!(offers_open_at(local(2026, 12, 1, 8, 0)));
        assert!(offers_open_at(local(2026, 12, 1, 20, 59)));
        assert!(!offers_open_at(local(2026, 12, 1, 21, 0)));
        // The spring-forward night is a night like any other.
        assert!(!offers_open_at(Utc.with_ymd_and_hms(2027, 3, 28, 1, 30, 0).unwrap()));
        let always = OfferWindow::parse("0-24").unwrap();
        assert!(always.open_at(local(2026, 12, 1, 3, 0)));
        assert_eq!(OfferWindow::parse(" 8 - 21 "), Some(OfferWindow::default()));
        for bad in ["21-8", "8-25", "8", "a-b", "8-8"] {
            assert_eq!(OfferWindow::parse(bad), None, "{bad}");
        }
    }
}
