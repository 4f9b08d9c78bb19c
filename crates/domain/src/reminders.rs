//! Reminders before a visit (rule 14 of docs/domain.md): which go out and
//! when. Pure: the use cases turn the plan into outbox rows written in the
//! booking's own transaction.
//!
//! A reminder is due `hours_before` the start. Reminders go out only between
//! 08:00 and 21:00 Europe/Stockholm: one due in the evening part of the night
//! (21:00–24:00) goes at 21:00 that evening, still before its offset; one due
//! in the small hours (00:00–08:00) goes at 08:00 that morning, or at 21:00
//! the evening before when the visit starts before 08:00 (a reminder after the
//! visit would be no reminder). A reminder whose time has already passed when
//! the booking is made (a booking at short notice) is not sent: the booking's
//! own confirmation is the reminder.

use crate::model::{BookingDetails, BookingStatus, Channel, PlannedReminder};
use crate::time::ZONE;
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};

/// The first hour of the day a reminder may go out (local time).
pub const SEND_FROM_HOUR: u32 = 8;
/// From this hour on, no reminder goes out until the morning (local time).
pub const SEND_UNTIL_HOUR: u32 = 21;

/// Bounds of an offset, in hours: at least two hours before the visit, at
/// most four weeks.
pub const MIN_HOURS_BEFORE: u32 = 2;
pub const MAX_HOURS_BEFORE: u32 = 4 * 7 * 24;
/// At most this many reminders per visit.
pub const MAX_OFFSETS: usize = 3;

/// One reminder: how long before the start it is due, and optionally only
/// for bookings made at least this long ahead of the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReminderOffset {
    pub hours_before: u32,
    pub only_if_booked_hours_ahead: Option<u32>,
}

/// The reminders of a region, or of a unit that overrides its region's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPolicy {
    pub offsets: Vec<ReminderOffset>,
}

impl Default for ReminderPolicy {
    /// 48 hours before every visit, and a first one 7 days before for
    /// bookings made more than 10 days ahead.
    fn default() -> Self {
        Self {
            offsets: vec![
                ReminderOffset {
                    hours_before: 7 * 24,
                    only_if_booked_hours_ahead: Some(10 * 24),
                },
                ReminderOffset {
                    hours_before: 48,
                    only_if_booked_hours_ahead: None,
                },
            ],
        }
    }
}

/// What is wrong with a policy someone wants to save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidPolicy {
    #[error("too many reminders")]
    TooMany,
    #[error("an offset is outside 2 hours to 4 weeks")]
    OutOfRange,
    #[error("two reminders at the same offset")]
    Duplicate,
    #[error("a reminder cannot require a booking made less far ahead than its own offset")]
    AheadBelowOffset,
}

impl ReminderPolicy {
    /// A policy as saved: at most [`MAX_OFFSETS`] offsets, each in range and
    /// different, sorted earliest reminder first. No offsets at all means
    /// no reminders.
    pub fn new(mut offsets: Vec<ReminderOffset>) -> Result<Self, InvalidPolicy> {
        if offsets.len() > MAX_OFFSETS {
            return Err(InvalidPolicy::TooMany);
        }
        for o in &offsets {
            if !(MIN_HOURS_BEFORE..=MAX_HOURS_BEFORE).contains(&o.hours_before) {
                return Err(InvalidPolicy::OutOfRange);
            }
            if let Some(ahead) = o.only_if_booked_hours_ahead {
                if ahead > MAX_HOURS_BEFORE * 2 {
                    return Err(InvalidPolicy::OutOfRange);
                }
                if ahead < o.hours_before {
                    return Err(InvalidPolicy::AheadBelowOffset);
                }
            }
        }
        offsets.sort_by_key(|o| std::cmp::Reverse(o.hours_before));
        if offsets.windows(2).any(|w| w[0].hours_before == w[1].hours_before) {
            return Err(InvalidPolicy::Duplicate);
        }
        Ok(Self { offsets })
    }

    /// When each reminder of a visit starting at `start`, booked (or
    /// rebooked) at `booked_at`, goes out: the offset and the instant, in
    /// time order, one per instant.
    pub fn plan(&self, start: DateTime<Utc>, booked_at: DateTime<Utc>) -> Vec<(ReminderOffset, DateTime<Utc>)> {
        let mut planned: Vec<(ReminderOffset, DateTime<Utc>)> = self
            .offsets
            .iter()
            .filter(|o| {
                o.only_if_booked_hours_ahead
                    .is_none_or(|ahead| start - booked_at > Duration::hours(i64::from(ahead)))
            })
            .filter_map(|o| send_at(o.hours_before, start).map(|at| (*o, at)))
            .filter(|(_, at)| *at > booked_at && *at < start)
            .collect();
        planned.sort_by_key(|(_, at)| *at);
        planned.dedup_by_key(|(_, at)| *at);
        planned
    }
}

/// The stored form: offsets in hours, earliest reminder first, separated by
/// commas; an offset for early bookings only carries `/` and the hours ahead
/// (`168/240,48` is the default). Empty: no reminders.
impl std::fmt::Display for ReminderPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, o) in self.offsets.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}", o.hours_before)?;
            if let Some(ahead) = o.only_if_booked_hours_ahead {
                write!(f, "/{ahead}")?;
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for ReminderPolicy {
    type Err = InvalidPolicy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let offsets = s
            .split(',')
            .filter(|part| !part.trim().is_empty())
            .map(|part| {
                let (before, ahead) = match part.split_once('/') {
                    Some((b, a)) => (b, Some(a)),
                    None => (part, None),
                };
                let hours = |t: &str| t.trim().parse::<u32>().map_err(|_| InvalidPolicy::OutOfRange);
                Ok(ReminderOffset {
                    hours_before: hours(before)?,
                    only_if_booked_hours_ahead: ahead.map(hours).transpose()?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(offsets)
    }
}

/// The reminders of a booking made (or rebooked to) at `now`: per planned
/// time one row per channel, whose use the resident's choices decide when
/// it is due. None for a booking that is not booked or that the portal
/// never shows (rule 21).
pub fn for_booking(after: &BookingDetails, now: DateTime<Utc>) -> Vec<PlannedReminder> {
    if after.booking.status != BookingStatus::Booked
        || !crate::rules::visible_to_resident(&after.booking, after.appointment_type.policy)
    {
        return Vec::new();
    }
    let start = after.slot.starts_at;
    after
        .unit
        .reminders
        .plan(start, now)
        .into_iter()
        .flat_map(|(_, at)| {
            [Channel::Email, Channel::Sms].map(|channel| PlannedReminder {
                id: uuid::Uuid::new_v4(),
                booking_id: after.booking.id,
                channel,
                at,
                visit_starts_at: start,
                planned_at: now,
            })
        })
        .collect()
}

/// When a reminder due `hours_before` a visit at `start` goes out, moved out
/// of the night as the module describes.
pub fn send_at(hours_before: u32, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let due = start - Duration::hours(i64::from(hours_before));
    let local = due.with_timezone(&ZONE);
    let date = local.date_naive();
    let hour = local.hour();
    if (SEND_FROM_HOUR..SEND_UNTIL_HOUR).contains(&hour) {
        return Some(due);
    }
    if hour >= SEND_UNTIL_HOUR {
        return at_local(date, SEND_UNTIL_HOUR);
    }
    let morning = at_local(date, SEND_FROM_HOUR)?;
    if morning < start {
        Some(morning)
    } else {
        at_local(date.pred_opt()?, SEND_UNTIL_HOUR)
    }
}

/// `hour`:00 on a local date, as an instant (08:00 and 21:00 exist on every
/// Swedish date, daylight-saving days included).
fn at_local(date: NaiveDate, hour: u32) -> Option<DateTime<Utc>> {
    let naive = date.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?);
    match ZONE.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An instant given in Stockholm local time.
    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        ZONE.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("unambiguous")
            .with_timezone(&Utc)
    }

    fn offset(hours_before: u32) -> ReminderOffset {
        ReminderOffset {
            hours_before,
            only_if_booked_hours_ahead: None,
        }
    }

    #[test]
    fn a_reminder_due_in_the_day_goes_at_its_offset() {
        let start = local(2026, 12, 10, 14, 30);
        assert_eq!(send_at(48, start), Some(local(2026, 12, 8, 14, 30)));
        assert_eq!(send_at(48, local(2026, 12, 10, 8, 0)), Some(local(2026, 12, 8, 8, 0)));
        assert_eq!(
            send_at(48, local(2026, 12, 10, 20, 59)),
            Some(local(2026, 12, 8, 20, 59))
        );
    }

    #[test]
    fn a_reminder_due_in_the_evening_goes_at_21_that_evening() {
        assert_eq!(send_at(48, local(2026, 12, 10, 21, 0)), Some(local(2026, 12, 8, 21, 0)));
        assert_eq!(
            send_at(48, local(2026, 12, 10, 23, 45)),
            Some(local(2026, 12, 8, 21, 0))
        );
    }

    #[test]
    fn a_reminder_due_in_the_small_hours_goes_at_08_or_the_evening_before_an_early_visit() {
        // Due 07:30 two days before: 08:00 that morning.
        assert_eq!(send_at(48, local(2026, 12, 10, 7, 30)), Some(local(2026, 12, 8, 8, 0)));
        // Due 00:10: 08:00 that morning.
        assert_eq!(send_at(48, local(2026, 12, 10, 0, 10)), Some(local(2026, 12, 8, 8, 0)));
        // A 07:30 visit reminded 2 hours before: 08:00 would be after the
        // visit, so 21:00 the evening before.
        assert_eq!(send_at(2, local(2026, 12, 10, 7, 30)), Some(local(2026, 12, 9, 21, 0)));
    }

    #[test]
    fn daylight_saving_nights_are_ordinary() {
        // 29 March 2026: 02:00 becomes 03:00. Offsets are real hours: 48
        // hours before 10:00 CEST on the 31st is 10:00 CEST on the 29th.
        assert_eq!(send_at(48, local(2026, 3, 31, 10, 0)), Some(local(2026, 3, 29, 10, 0)));
        // A visit at 09:00 on 30 March reminded 48 hours before: 08:00 CET on
        // the 28th (real hours: the lost hour makes it 08:00, not 09:00).
        assert_eq!(send_at(48, local(2026, 3, 30, 9, 0)), Some(local(2026, 3, 28, 8, 0)));
        // Due in the night of the change (02:30 does not exist): 08:00 CEST.
        let start = local(2026, 3, 31, 3, 30);
        assert_eq!(send_at(48, start), Some(local(2026, 3, 29, 8, 0)));
        // 25 October 2026: 03:00 becomes 02:00; 21:00 and 08:00 are single.
        assert_eq!(
            send_at(48, local(2026, 10, 27, 23, 0)),
            Some(local(2026, 10, 25, 21, 0))
        );
    }

    #[test]
    fn the_default_sends_a_week_ahead_only_for_bookings_made_more_than_ten_days_ahead() {
        let policy = ReminderPolicy::default();
        let start = local(2026, 12, 22, 10, 0);
        let far = policy.plan(start, local(2026, 12, 1, 12, 0));
        assert_eq!(
            far.iter().map(|(_, at)| *at).collect::<Vec<_>>(),
            [local(2026, 12, 15, 10, 0), local(2026, 12, 20, 10, 0)]
        );
        let near = policy.plan(start, local(2026, 12, 13, 12, 0));
        assert_eq!(near.iter().map(|(o, _)| o.hours_before).collect::<Vec<_>>(), [48]);
    }

    #[test]
    fn a_reminder_already_past_when_booked_is_not_sent() {
        let policy = ReminderPolicy::default();
        let start = local(2026, 12, 10, 10, 0);
        assert!(policy.plan(start, local(2026, 12, 9, 9, 0)).is_empty());
        // Booked at 09:59 two days before: the 10:00 reminder still goes.
        assert_eq!(policy.plan(start, local(2026, 12, 8, 9, 59)).len(), 1);
    }

    #[test]
    fn offsets_that_land_on_one_instant_send_one_reminder() {
        let policy = ReminderPolicy::new(vec![offset(3), offset(2)]).expect("valid");
        // A 23:30 visit: due 20:30 and 21:30, sent 20:30 and 21:00.
        let plan = policy.plan(local(2026, 12, 10, 23, 30), local(2026, 12, 1, 0, 0));
        assert_eq!(plan.len(), 2);
        let plan = policy.plan(local(2026, 12, 11, 1, 0), local(2026, 12, 1, 0, 0));
        // Due 22:00 and 23:00: both at 21:00, sent once.
        assert_eq!(plan.len(), 1);
    }

    #[test]
    fn the_stored_form_round_trips() {
        let default = ReminderPolicy::default();
        assert_eq!(default.to_string(), "168/240,48");
        assert_eq!("168/240,48".parse(), Ok(default));
        assert_eq!("".parse::<ReminderPolicy>().map(|p| p.offsets.len()), Ok(0));
        assert_eq!(
            " 24 , 72 ".parse::<ReminderPolicy>().map(|p| p.to_string()),
            Ok("72,24".into())
        );
        assert_eq!("x".parse::<ReminderPolicy>(), Err(InvalidPolicy::OutOfRange));
        assert_eq!("48/x".parse::<ReminderPolicy>(), Err(InvalidPolicy::OutOfRange));
    }

    #[test]
    fn policies_are_checked_and_sorted() {
        assert_eq!(ReminderPolicy::new(vec![offset(1)]), Err(InvalidPolicy::OutOfRange));
        assert_eq!(
            ReminderPolicy::new(vec![offset(MAX_HOURS_BEFORE + 1)]),
            Err(InvalidPolicy::OutOfRange)
        );
        assert_eq!(
            ReminderPolicy::new(vec![offset(48), offset(48)]),
            Err(InvalidPolicy::Duplicate)
        );
        assert_eq!(
            ReminderPolicy::new(vec![offset(2), offset(3), offset(4), offset(5)]),
            Err(InvalidPolicy::TooMany)
        );
        assert_eq!(
            ReminderPolicy::new(vec![ReminderOffset {
                hours_before: 48,
                only_if_booked_hours_ahead: Some(24)
            }]),
            Err(InvalidPolicy::AheadBelowOffset)
        );
        let sorted = ReminderPolicy::new(vec![offset(48), offset(168)]).expect("valid");
        assert_eq!(
            sorted.offsets.iter().map(|o| o.hours_before).collect::<Vec<_>>(),
            [168, 48]
        );
        assert!(ReminderPolicy::new(vec![])
            .expect("none")
            .plan(Utc::now() + Duration::days(5), Utc::now())
            .is_empty());
        assert_eq!(
            ReminderPolicy::new(ReminderPolicy::default().offsets),
            Ok(ReminderPolicy::default())
        );
    }
}
