//! Schedule templates (mall) and their expansion into slots.
//!
//! A template block says "on Mondays, from 08:00, six 10-minute slots of type
//! X". Times are Stockholm wall-clock times: a block at 08:00 starts at 08:00
//! local time in winter and in summer alike, so its UTC instant moves by an
//! hour across a daylight-saving change. On the spring-forward night a local
//! time that does not exist yields no slot; on the fall-back night a local time
//! that occurs twice yields one slot, at its first occurrence.

use crate::ids::{AppointmentTypeId, PractitionerId, UnitId};
use crate::time::ZONE;
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};

/// Shortest and longest slot a block may have, in minutes.
pub const SLOT_LENGTH_RANGE: std::ops::RangeInclusive<u16> = 5..=480;
/// Most slots one block may hold.
pub const MAX_SLOTS_PER_BLOCK: u16 = 96;

/// One block of a template: `count` slots of `slot_length_minutes` from `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleBlock {
    pub weekday: Weekday,
    pub appointment_type_id: AppointmentTypeId,
    pub start: NaiveTime,
    pub slot_length_minutes: u16,
    pub count: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BlockError {
    #[error("slot length must be between 5 and 480 minutes")]
    SlotLength,
    #[error("a block holds between 1 and 96 slots")]
    Count,
    #[error("the block must end by midnight")]
    PastMidnight,
}

impl ScheduleBlock {
    pub fn new(
        weekday: Weekday,
        appointment_type_id: AppointmentTypeId,
        start: NaiveTime,
        slot_length_minutes: u16,
        count: u16,
    ) -> Result<Self, BlockError> {
        if !SLOT_LENGTH_RANGE.contains(&slot_length_minutes) {
            return Err(BlockError::SlotLength);
        }
        if count == 0 || count > MAX_SLOTS_PER_BLOCK {
            return Err(BlockError::Count);
        }
        let block = Self {
            weekday,
            appointment_type_id,
            start,
            slot_length_minutes,
            count,
        };
        let minutes_from_midnight = i64::from(start.num_seconds_from_midnight()) / 60;
        if minutes_from_midnight + block.total_minutes() > 24 * 60 {
            return Err(BlockError::PastMidnight);
        }
        Ok(block)
    }

    fn total_minutes(&self) -> i64 {
        i64::from(self.slot_length_minutes) * i64::from(self.count)
    }

    /// The wall-clock end of the block (00:00 when it ends at midnight).
    pub fn end(&self) -> NaiveTime {
        self.start + Duration::minutes(self.total_minutes())
    }

    /// Whether two blocks of one practitioner share any minute on the same weekday.
    pub fn overlaps(&self, other: &ScheduleBlock) -> bool {
        if self.weekday != other.weekday {
            return false;
        }
        let (a0, a1) = self.minutes();
        let (b0, b1) = other.minutes();
        a0 < b1 && b0 < a1
    }

    fn minutes(&self) -> (i64, i64) {
        let start = i64::from(self.start.num_seconds_from_midnight()) / 60;
        (start, start + self.total_minutes())
    }
}

/// A slot to be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSlot {
    pub unit_id: UnitId,
    pub practitioner_id: PractitionerId,
    pub appointment_type_id: AppointmentTypeId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The Stockholm date the slot starts on.
    pub local_date: NaiveDate,
}

/// Expands template blocks over `from ..= to` (Stockholm dates) into slots,
/// ordered by start.
pub fn expand(
    unit_id: UnitId,
    practitioner_id: PractitionerId,
    blocks: &[ScheduleBlock],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<PlannedSlot> {
    let mut slots = Vec::new();
    for date in from.iter_days().take_while(|d| *d <= to) {
        for block in blocks.iter().filter(|b| b.weekday == date.weekday()) {
            slots.extend(expand_block_on(unit_id, practitioner_id, block, date));
        }
    }
    slots.sort_by_key(|s| (s.starts_at, s.appointment_type_id));
    slots
}

/// The slots of one block on one date (used for temporary changes too).
pub fn expand_block_on(
    unit_id: UnitId,
    practitioner_id: PractitionerId,
    block: &ScheduleBlock,
    date: NaiveDate,
) -> Vec<PlannedSlot> {
    let length = Duration::minutes(i64::from(block.slot_length_minutes));
    (0..i32::from(block.count))
        .filter_map(|i| {
            let local = date.and_time(block.start) + length * i;
            let starts_at = match ZONE.from_local_datetime(&local) {
                LocalResult::Single(t) => t,
                LocalResult::Ambiguous(first, _) => first,
                LocalResult::None => return None,
            }
            .with_timezone(&Utc);
            Some(PlannedSlot {
                unit_id,
                practitioner_id,
                appointment_type_id: block.appointment_type_id,
                starts_at,
                ends_at: starts_at + length,
                local_date: date,
            })
        })
        .collect()
}

/// The slots a practitioner's template and one-day changes want on
/// `from ..= to`, and the public holidays the template was not published on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlannedDates {
    pub slots: Vec<PlannedSlot>,
    /// Holidays (rule 22) on which the template has blocks but nothing was
    /// planned, in date order.
    pub skipped_holidays: Vec<(NaiveDate, crate::holidays::Holiday)>,
}

/// Expands a template over `from ..= to`. A one-day change (temporary change
/// or empty day) replaces the template on its date, holiday or not; the
/// template itself skips public holidays unless `on_holidays` (rule 22).
pub fn plan_dates(
    unit_id: UnitId,
    practitioner_id: PractitionerId,
    template: &[ScheduleBlock],
    overrides: &std::collections::BTreeMap<NaiveDate, Vec<ScheduleBlock>>,
    from: NaiveDate,
    to: NaiveDate,
    on_holidays: bool,
) -> PlannedDates {
    let mut planned = PlannedDates::default();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let blocks: Vec<&ScheduleBlock> = match overrides.get(&day) {
            Some(blocks) => blocks.iter().collect(),
            None => {
                let blocks: Vec<_> = template.iter().filter(|b| b.weekday == day.weekday()).collect();
                if let Some(holiday) = crate::holidays::holiday_on(day).filter(|_| !on_holidays && !blocks.is_empty()) {
                    planned.skipped_holidays.push((day, holiday));
                    continue;
                }
                blocks
            }
        };
        for block in blocks {
            planned
                .slots
                .extend(expand_block_on(unit_id, practitioner_id, block, day));
        }
    }
    planned.slots.sort_by_key(|s| (s.starts_at, s.appointment_type_id));
    planned
}

/// A live slot already in a practitioner's book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingSlot {
    pub id: crate::ids::SlotId,
    pub appointment_type_id: AppointmentTypeId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub booked: bool,
}

/// What publishing a template over some dates changes in the book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Publication {
    /// Slots the template wants that the book lacks.
    pub create: Vec<PlannedSlot>,
    /// Free slots the template no longer has.
    pub withdraw: Vec<crate::ids::SlotId>,
    /// Booked slots the template no longer has: kept, for staff to resolve.
    pub conflicts: Vec<crate::ids::SlotId>,
}

/// Compares the slots a template wants (`planned`) with the live slots the
/// book has on the same dates (`existing`). A slot that matches exactly
/// (start, end, type) stays as it is, so publishing twice changes nothing.
/// A booked slot is never moved or removed; a planned slot that would overlap
/// it is not created.
pub fn plan_publication(existing: &[ExistingSlot], planned: &[PlannedSlot]) -> Publication {
    let same = |e: &ExistingSlot, p: &PlannedSlot| {
        e.starts_at == p.starts_at && e.ends_at == p.ends_at && e.appointment_type_id == p.appointment_type_id
    };
    let mut publication = Publication::default();
    let mut booked = Vec::new();
    for e in existing {
        let wanted = planned.iter().any(|p| same(e, p));
        match (wanted, e.booked) {
            (true, true) => booked.push(e),
            (true, false) => {}
            (false, true) => {
                booked.push(e);
                publication.conflicts.push(e.id);
            }
            (false, false) => publication.withdraw.push(e.id),
        }
    }
    for p in planned {
        let exists = existing.iter().any(|e| same(e, p));
        let clashes = booked
            .iter()
            .any(|b| !same(b, p) && b.starts_at < p.ends_at && p.starts_at < b.ends_at);
        if !exists && !clashes {
            publication.create.push(p.clone());
        }
    }
    publication
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(y: i32, mo: u32, day: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, day, h, mi, 0).unwrap()
    }

    fn ids() -> (UnitId, PractitionerId, AppointmentTypeId) {
        (
            UnitId::generate(),
            PractitionerId::generate(),
            AppointmentTypeId::generate(),
        )
    }

    #[test]
    fn the_seed_day_has_five_blocks_with_computed_ends() {
        // "Hembesök 1X45, Mottagningstid 4X15, Telefontid bokningsbar 6X10 ..."
        let ty = AppointmentTypeId::generate();
        let home = ScheduleBlock::new(Weekday::Mon, ty, t(8, 0), 45, 1).unwrap();
        let reception = ScheduleBlock::new(Weekday::Mon, ty, t(8, 45), 15, 4).unwrap();
        let phone = ScheduleBlock::new(Weekday::Mon, ty, t(9, 45), 10, 6).unwrap();
        assert_eq!(home.end(), t(8, 45));
        assert_eq!(reception.end(), t(9, 45));
        assert_eq!(phone.end(), t(10, 45));
        assert!(!home.overlaps(&reception), "touching blocks do not overlap");
        let clash = ScheduleBlock::new(Weekday::Mon, ty, t(9, 30), 15, 2).unwrap();
        assert!(reception.overlaps(&clash) && phone.overlaps(&clash));
        let other_day = ScheduleBlock::new(Weekday::Tue, ty, t(9, 30), 15, 2).unwrap();
        assert!(!reception.overlaps(&other_day));
    }

    #[test]
    fn blocks_outside_limits_are_refused() {
        let ty = AppointmentTypeId::generate();
        assert_eq!(
            ScheduleBlock::new(Weekday::Mon, ty, t(8, 0), 4, 1),
            Err(BlockError::SlotLength)
        );
        assert_eq!(
            ScheduleBlock::new(Weekday::Mon, ty, t(8, 0), 15, 0),
            Err(BlockError::Count)
        );
        assert_eq!(
            ScheduleBlock::new(Weekday::Mon, ty, t(23, 30), 15, 3),
            Err(BlockError::PastMidnight)
        );
        assert!(
            ScheduleBlock::new(Weekday::Mon, ty, t(23, 30), 15, 2).is_ok(),
            "ending at midnight is fine"
        );
    }

    #[test]
    fn the_template_skips_christmas_and_new_years_eve_but_a_one_day_change_still_publishes() {
        let (unit, prac, ty) = ids();
        let blocks: Vec<_> = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
            .into_iter()
            .map(|w| ScheduleBlock::new(w, ty, t(8, 0), 30, 2).unwrap())
            .collect();
        // Monday 21 December 2026 to Friday 1 January 2027.
        let (from, to) = (d(2026, 12, 21), d(2027, 1, 1));
        let none = std::collections::BTreeMap::new();
        let plan = plan_dates(unit, prac, &blocks, &none, from, to, false);
        use crate::holidays::Holiday::*;
        assert_eq!(
            plan.skipped_holidays,
            [
                (d(2026, 12, 24), ChristmasEve),
                (d(2026, 12, 25), ChristmasDay),
                (d(2026, 12, 31), NewYearsEve),
                (d(2027, 1, 1), NewYearsDay)
            ],
            "Boxing Day is a Saturday in 2026: no template blocks, so nothing was skipped"
        );
        let dates: std::collections::BTreeSet<_> = plan.slots.iter().map(|s| s.local_date).collect();
        assert_eq!(
            dates.into_iter().collect::<Vec<_>>(),
            [
                d(2026, 12, 21),
                d(2026, 12, 22),
                d(2026, 12, 23),
                d(2026, 12, 28),
                d(2026, 12, 29),
                d(2026, 12, 30)
            ]
        );

        let mut changed = std::collections::BTreeMap::new();
        changed.insert(
            d(2026, 12, 24),
            vec![ScheduleBlock::new(Weekday::Thu, ty, t(9, 0), 15, 1).unwrap()],
        );
        let plan = plan_dates(unit, prac, &blocks, &changed, from, to, false);
        assert!(!plan.skipped_holidays.iter().any(|(day, _)| *day == d(2026, 12, 24)));
        assert_eq!(
            plan.slots.iter().filter(|s| s.local_date == d(2026, 12, 24)).count(),
            1,
            "a temporary change of one date works on a holiday"
        );

        let plan = plan_dates(unit, prac, &blocks, &none, from, to, true);
        assert!(
            plan.skipped_holidays.is_empty(),
            "a unit may choose to publish on holidays"
        );
        assert_eq!(plan.slots.len(), 10 * 2);
    }

    #[test]
    fn a_week_template_expands_only_on_its_weekdays() {
        let (unit, prac, ty) = ids();
        let blocks = [
            ScheduleBlock::new(Weekday::Mon, ty, t(8, 0), 15, 4).unwrap(),
            ScheduleBlock::new(Weekday::Fri, ty, t(13, 0), 30, 2).unwrap(),
        ];
        // Monday 2026-11-30 to Sunday 2026-12-06.
        let slots = expand(unit, prac, &blocks, d(2026, 11, 30), d(2026, 12, 6));
        assert_eq!(slots.len(), 6);
        assert_eq!(slots[0].starts_at, utc(2026, 11, 30, 7, 0), "08:00 CET is 07:00 UTC");
        assert_eq!(slots[3].ends_at, utc(2026, 11, 30, 8, 0));
        assert_eq!(slots[4].local_date, d(2026, 12, 4));
        assert_eq!(slots[5].starts_at, utc(2026, 12, 4, 12, 30));
    }

    #[test]
    fn a_morning_block_keeps_its_wall_clock_time_across_spring_forward() {
        let (unit, prac, ty) = ids();
        let every_day: Vec<_> = [Weekday::Sat, Weekday::Sun, Weekday::Mon]
            .into_iter()
            .map(|w| ScheduleBlock::new(w, ty, t(8, 0), 15, 1).unwrap())
            .collect();
        // Summer time starts on Sunday 2027-03-28 at 02:00.
        let slots = expand(unit, prac, &every_day, d(2027, 3, 27), d(2027, 3, 29));
        let starts: Vec<_> = slots.iter().map(|s| s.starts_at).collect();
        assert_eq!(
            starts,
            [utc(2027, 3, 27, 7, 0), utc(2027, 3, 28, 6, 0), utc(2027, 3, 29, 6, 0)]
        );
    }

    #[test]
    fn the_missing_hour_of_spring_forward_yields_no_slots() {
        let (unit, prac, ty) = ids();
        let night = [ScheduleBlock::new(Weekday::Sun, ty, t(1, 30), 30, 4).unwrap()];
        let slots = expand(unit, prac, &night, d(2027, 3, 28), d(2027, 3, 28));
        // 01:30 CET exists, 02:00 and 02:30 do not, 03:00 CEST does.
        let starts: Vec<_> = slots.iter().map(|s| s.starts_at).collect();
        assert_eq!(starts, [utc(2027, 3, 28, 0, 30), utc(2027, 3, 28, 1, 0)]);
        assert!(slots.iter().all(|s| s.ends_at - s.starts_at == Duration::minutes(30)));
    }

    #[test]
    fn the_repeated_hour_of_fall_back_yields_one_slot_per_wall_clock_time() {
        let (unit, prac, ty) = ids();
        let night = [ScheduleBlock::new(Weekday::Sun, ty, t(2, 0), 30, 2).unwrap()];
        // Winter time starts on Sunday 2026-10-25 at 03:00 CEST -> 02:00 CET.
        let slots = expand(unit, prac, &night, d(2026, 10, 25), d(2026, 10, 25));
        let starts: Vec<_> = slots.iter().map(|s| s.starts_at).collect();
        assert_eq!(starts, [utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 0, 30)]);
    }

    #[test]
    fn a_day_block_lasts_as_many_real_minutes_on_a_dst_day() {
        let (unit, prac, ty) = ids();
        let day = [ScheduleBlock::new(Weekday::Sun, ty, t(8, 0), 10, 6).unwrap()];
        for date in [d(2026, 10, 25), d(2027, 3, 28)] {
            let slots = expand(unit, prac, &day, date, date);
            assert_eq!(slots.len(), 6, "{date}");
            assert_eq!(slots[5].ends_at - slots[0].starts_at, Duration::minutes(60), "{date}");
        }
    }

    fn existing(p: &PlannedSlot, booked: bool) -> ExistingSlot {
        ExistingSlot {
            id: crate::ids::SlotId::generate(),
            appointment_type_id: p.appointment_type_id,
            starts_at: p.starts_at,
            ends_at: p.ends_at,
            booked,
        }
    }

    #[test]
    fn publishing_the_same_template_again_changes_nothing() {
        let (unit, prac, ty) = ids();
        let blocks = [ScheduleBlock::new(Weekday::Mon, ty, t(8, 0), 15, 4).unwrap()];
        let planned = expand(unit, prac, &blocks, d(2026, 11, 30), d(2026, 11, 30));
        let book: Vec<_> = planned.iter().enumerate().map(|(i, p)| existing(p, i == 1)).collect();
        assert_eq!(plan_publication(&book, &planned), Publication::default());
        assert_eq!(
            plan_publication(&[], &planned).create,
            planned,
            "a first publication creates them all"
        );
    }

    #[test]
    fn a_changed_template_withdraws_free_slots_and_reports_booked_ones() {
        let (unit, prac, ty) = ids();
        let before = expand(
            unit,
            prac,
            &[ScheduleBlock::new(Weekday::Mon, ty, t(8, 0), 15, 4).unwrap()],
            d(2026, 11, 30),
            d(2026, 11, 30),
        );
        // 08:00, 08:15 (booked), 08:30, 08:45 become three 20-minute slots.
        let book: Vec<_> = before.iter().enumerate().map(|(i, p)| existing(p, i == 1)).collect();
        let after = expand(
            unit,
            prac,
            &[ScheduleBlock::new(Weekday::Mon, ty, t(8, 0), 20, 3).unwrap()],
            d(2026, 11, 30),
            d(2026, 11, 30),
        );

        let publication = plan_publication(&book, &after);

        assert_eq!(
            publication.conflicts,
            vec![book[1].id],
            "the booked 08:15 stays and is reported"
        );
        assert_eq!(publication.withdraw, vec![book[0].id, book[2].id, book[3].id]);
        // 08:00-08:20 and 08:20-08:40 overlap the booked 08:15-08:30; only 08:40 is created.
        let created: Vec<_> = publication.create.iter().map(|p| p.starts_at).collect();
        assert_eq!(created, vec![after[2].starts_at]);
    }
}
