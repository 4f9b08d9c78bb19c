//! Time: instants are UTC; calendars, templates and what people see are in
//! Europe/Stockholm. The online horizon (rule 6) is counted in local dates.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// The zone every calendar date and template time in Tidbok is read in.
pub const ZONE: Tz = chrono_tz::Europe::Stockholm;

/// Rule 6: the portal shows slots eight weeks ahead.
pub const HORIZON_WEEKS: i64 = 8;

/// Rule 2: online cancel and rebook close this long before the booked start.
pub fn online_change_cutoff() -> Duration {
    Duration::hours(24)
}

/// The local (Stockholm) calendar date of an instant.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&ZONE).date_naive()
}

/// Rule 6: the local dates a resident may look at, `today ..= today + 8 weeks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Horizon {
    pub fn from_now(now: DateTime<Utc>) -> Self {
        let first = local_date(now);
        Self {
            first,
            last: first + Duration::weeks(HORIZON_WEEKS),
        }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.first..=self.last).contains(&date)
    }
}

/// A clock port, so use cases can be run at a fixed instant in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock, truncated to microseconds (what PostgreSQL keeps).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate_micros(Utc::now())
    }
}

/// A clock that always says the same instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Drops sub-microsecond precision so an instant survives a round trip
/// through either database unchanged.
pub fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::{DurationRound, TimeDelta};
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_horizon_is_eight_weeks_of_local_dates() {
        // 23:30 UTC on 30 November is already 1 December in Stockholm.
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 23, 30, 0).unwrap();
        let horizon = Horizon::from_now(now);
        assert_eq!(horizon.first, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(horizon.last, NaiveDate::from_ymd_opt(2027, 1, 26).unwrap());
        assert!(horizon.contains(horizon.last));
        assert!(!horizon.contains(horizon.last.succ_opt().unwrap()));
        assert!(!horizon.contains(horizon.first.pred_opt().unwrap()));
    }
}
