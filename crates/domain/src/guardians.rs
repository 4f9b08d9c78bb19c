//! Rule 17 (`docs/domain.md`): a guardian (ombud) acts for their child
//! until the child reaches the region's age limit (13 unless the region sets
//! another). Who is whose guardian comes from the population register
//! (folkbokföringen) through [`crate::ports::PopulationRegister`]; every rule
//! of a booking is then applied to the child.

use crate::pnr::PersonalIdentityNumber;
use crate::text::PersonName;
use chrono::{Datelike, NaiveDate};
use std::ops::RangeInclusive;

/// The age limit a region may set (Ds 2023:26 proposes changing 13).
pub const GUARDIAN_AGE_LIMITS: RangeInclusive<u32> = 1..=18;
/// 1177's limit today: from 13 a child logs in with their own e-ID.
pub const DEFAULT_GUARDIAN_AGE_LIMIT: u32 = 13;

/// A child as the register names them to one of their guardians.
#[derive(Clone, PartialEq, Eq)]
pub struct RegisteredChild {
    pub pnr: PersonalIdentityNumber,
    pub name: PersonName,
}

impl std::fmt::Debug for RegisteredChild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RegisteredChild(***)")
    }
}

/// One line of the register as the table adapter holds it.
#[derive(Clone, PartialEq, Eq)]
pub struct Guardianship {
    pub guardian: PersonalIdentityNumber,
    pub child: PersonalIdentityNumber,
    pub child_name: PersonName,
}

impl std::fmt::Debug for Guardianship {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Guardianship(***)")
    }
}

/// The first day (Europe/Stockholm) on which a guardian may no longer act for
/// the child: their birthday at `limit` years. A child born on 29 February
/// has it on 1 March in a common year, as [`PersonalIdentityNumber::age_on`]
/// counts.
pub fn access_ends_on(child: &PersonalIdentityNumber, limit: u32) -> NaiveDate {
    let birth = child.birth_date();
    let year = birth.year() + i32::try_from(limit).unwrap_or(i32::MAX / 2);
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether a guardian may act for the child on `today` (a Stockholm date).
pub fn may_act_for(child: &PersonalIdentityNumber, limit: u32, today: NaiveDate) -> bool {
    today < access_ends_on(child, limit)
}

/// Why a line of a register file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterLineError {
    #[error("the guardian's number: {0}")]
    Guardian(crate::pnr::PnrError),
    #[error("the child's number: {0}")]
    Child(crate::pnr::PnrError),
    #[error("the child's name is missing or longer than 200 characters")]
    ChildName,
    #[error("the guardian and the child are the same person")]
    SamePerson,
}

impl RegisterLineError {
    /// A stable code for the line, for the import's problem.
    pub fn code(&self) -> &'static str {
        match self {
            RegisterLineError::Guardian(_) => "invalid_guardian_number",
            RegisterLineError::Child(_) => "invalid_child_number",
            RegisterLineError::ChildName => "invalid_child_name",
            RegisterLineError::SamePerson => "same_person",
        }
    }
}

/// Reads one line of a register file: the guardian's number, the child's
/// number and the child's name.
pub fn register_line(
    guardian: &str,
    child: &str,
    child_name: &str,
    today: NaiveDate,
) -> Result<Guardianship, RegisterLineError> {
    let guardian = PersonalIdentityNumber::parse(guardian, today).map_err(RegisterLineError::Guardian)?;
    let child = PersonalIdentityNumber::parse(child, today).map_err(RegisterLineError::Child)?;
    let child_name = PersonName::parse(child_name).map_err(|_| RegisterLineError::ChildName)?;
    if guardian == child {
        return Err(RegisterLineError::SamePerson);
    }
    Ok(Guardianship {
        guardian,
        child,
        child_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pnr(s: &str) -> PersonalIdentityNumber {
        PersonalIdentityNumber::parse(s, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn access_ends_on_the_thirteenth_birthday() {
        let child = pnr("20140315-0004");
        assert_eq!(access_ends_on(&child, 13), day(2027, 3, 15));
        assert!(may_act_for(&child, 13, day(2027, 3, 14)));
        assert!(!may_act_for(&child, 13, day(2027, 3, 15)));
        // A region that raises the limit keeps the access longer.
        assert!(may_act_for(&child, 15, day(2027, 3, 15)));
    }

    #[test]
    fn a_leap_day_child_is_thirteen_on_the_first_of_march() {
        let child = pnr("20120229-0001");
        assert_eq!(access_ends_on(&child, 13), day(2025, 3, 1));
        assert_eq!(child.age_on(day(2025, 2, 28)), 12);
        assert_eq!(child.age_on(day(2025, 3, 1)), 13);
        assert_eq!(access_ends_on(&child, 12), day(2024, 2, 29));
    }

    #[test]
    fn the_age_and_the_end_of_access_agree_for_every_limit() {
        let child = pnr("20120229-0001");
        for limit in GUARDIAN_AGE_LIMITS {
            let end = access_ends_on(&child, limit);
            assert_eq!(child.age_on(end), limit);
            assert_eq!(child.age_on(end.pred_opt().unwrap()), limit - 1);
        }
    }

    #[test]
    fn register_lines_are_checked() {
        let today = day(2026, 12, 1);
        assert!(register_line("198503142385", "20200607-0003", "Elsa", today).is_ok());
        let bad = |g, c, n| register_line(g, c, n, today).unwrap_err().code();
        assert_eq!(bad("19850314-2386", "20200607-0003", "Elsa"), "invalid_guardian_number");
        assert_eq!(bad("198503142385", "2020", "Elsa"), "invalid_child_number");
        assert_eq!(bad("198503142385", "20200607-0003", " "), "invalid_child_name");
        assert_eq!(bad("198503142385", "198503142385", "Anna"), "same_person");
    }
}
