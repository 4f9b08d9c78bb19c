//! Personal identity numbers (personnummer) and coordination numbers
//! (samordningsnummer), parsed once into a value that is always valid.
//!
//! Accepted forms: `YYYYMMDDNNNN`, `YYYYMMDD-NNNN`, `YYMMDD-NNNN`, `YYMMDDNNNN`
//! and `YYMMDD+NNNN`. In the 10-digit forms the century is the one that makes the
//! person younger than 100 on the reference date; `+` means 100 years or older.
//! A 12-digit form may carry `+` only for someone who is 100 or older. The last
//! digit is a Luhn check digit over the ten digits `YYMMDDNNN`. A coordination
//! number has 60 added to the day of birth.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A valid Swedish personal identity number or coordination number.
///
/// Stored in the 12-digit canonical form. `Debug` never shows the number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonalIdentityNumber {
    canonical: String,
    birth_date: NaiveDate,
    coordination: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PnrError {
    #[error("a personal identity number has 10 or 12 digits, optionally with '-' or '+' before the last four")]
    Format,
    #[error("the date of birth is not a calendar date")]
    Date,
    #[error("the check digit does not match")]
    CheckDigit,
    #[error("the date of birth lies after the reference date")]
    BornInFuture,
    #[error("'+' is used only for people who are 100 years or older")]
    Separator,
}

impl PersonalIdentityNumber {
    /// Parses `input` as of `today` (needed to place a 10-digit number in its
    /// century and to refuse a birth date in the future).
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, PnrError> {
        let input = input.trim();
        let (digits, separator) = split_separator(input)?;
        let (century_given, yy_mmdd_serial) = match digits.len() {
            12 => (
                Some(digits[0..2].parse::<i32>().map_err(|_| PnrError::Format)?),
                &digits[2..],
            ),
            10 => (None, &digits[..]),
            _ => return Err(PnrError::Format),
        };
        let yy: i32 = yy_mmdd_serial[0..2].parse().map_err(|_| PnrError::Format)?;
        let month: u32 = yy_mmdd_serial[2..4].parse().map_err(|_| PnrError::Format)?;
        let raw_day: u32 = yy_mmdd_serial[4..6].parse().map_err(|_| PnrError::Format)?;
        let (day, coordination) = if raw_day > 60 {
            (raw_day - 60, true)
        } else {
            (raw_day, false)
        };

        if luhn_check_digit(&yy_mmdd_serial[0..9]) != digit(yy_mmdd_serial.as_bytes()[9]) {
            return Err(PnrError::CheckDigit);
        }

        let birth_date = match century_given {
            Some(cc) => {
                let date = NaiveDate::from_ymd_opt(cc * 100 + yy, month, day).ok_or(PnrError::Date)?;
                if date > today {
                    return Err(PnrError::BornInFuture);
                }
                if separator == Some('+') && age_on(date, today) < 100 {
                    return Err(PnrError::Separator);
                }
                date
            }
            None => {
                let hundred_plus = separator == Some('+');
                century_for(yy, month, day, today, hundred_plus)?
            }
        };

        let canonical = format!("{:04}{}", birth_date.year(), &yy_mmdd_serial[2..]);
        Ok(Self {
            canonical,
            birth_date,
            coordination,
        })
    }

    /// Reads a number this system stored in canonical form.
    pub fn from_stored(canonical: &str) -> Result<Self, PnrError> {
        if canonical.len() != 12 {
            return Err(PnrError::Format);
        }
        Self::parse(canonical, NaiveDate::MAX)
    }

    /// The 12 digits, `YYYYMMDDNNNN`.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The display form `YYYYMMDD-NNNN`.
    pub fn formatted(&self) -> String {
        format!("{}-{}", &self.canonical[..8], &self.canonical[8..])
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// A coordination number (samordningsnummer), whose day has 60 added.
    pub fn is_coordination_number(&self) -> bool {
        self.coordination
    }

    /// Completed years of age on `date`.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        age_on(self.birth_date, date)
    }
}

impl fmt::Debug for PersonalIdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonalIdentityNumber(***)")
    }
}

fn split_separator(input: &str) -> Result<(String, Option<char>), PnrError> {
    let bytes = input.as_bytes();
    let mut separator = None;
    let mut digits = String::with_capacity(12);
    for (i, c) in input.char_indices() {
        match c {
            '0'..='9' => digits.push(c),
            '-' | '+' if separator.is_none() && i + 5 == bytes.len() && i >= 6 => separator = Some(c),
            _ => return Err(PnrError::Format),
        }
    }
    Ok((digits, separator))
}

fn digit(b: u8) -> u32 {
    u32::from(b - b'0')
}

/// The Luhn check digit over nine digits, doubling the first and every other.
pub fn luhn_check_digit(nine: &str) -> u32 {
    let sum: u32 = nine
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = digit(b) * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

fn century_for(yy: i32, month: u32, day: u32, today: NaiveDate, hundred_plus: bool) -> Result<NaiveDate, PnrError> {
    // The latest year ending in `yy` whose date is not after today, then back
    // another century for '+'. 29 February needs a leap year in the century
    // chosen, so the search allows for that.
    let mut year = today.year() - (today.year() - yy).rem_euclid(100);
    let mut any_valid = false;
    for _ in 0..3 {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            any_valid = true;
            if date <= today {
                let date = if hundred_plus {
                    NaiveDate::from_ymd_opt(year - 100, month, day).ok_or(PnrError::Date)?
                } else {
                    date
                };
                return Ok(date);
            }
        }
        year -= 100;
    }
    Err(if any_valid {
        PnrError::BornInFuture
    } else {
        PnrError::Date
    })
}

fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn with_check_digit(nine: &str) -> String {
        format!("{nine}{}", luhn_check_digit(nine))
    }

    #[test]
    fn the_skatteverket_test_number_parses_in_all_forms() {
        for form in ["191212121212", "19121212-1212", "121212+1212", " 19121212-1212 "] {
            let pnr = PersonalIdentityNumber::parse(form, today()).unwrap_or_else(|e| panic!("{form}: {e}"));
            assert_eq!(pnr.canonical(), "191212121212", "{form}");
            assert_eq!(pnr.birth_date(), NaiveDate::from_ymd_opt(1912, 12, 12).unwrap());
        }
    }

    #[test]
    fn a_ten_digit_number_with_a_dash_is_under_100() {
        let pnr = PersonalIdentityNumber::parse("121212-1212", today()).unwrap();
        assert_eq!(pnr.birth_date().year(), 2012);
        assert_eq!(pnr.age_on(today()), 13);
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        assert_eq!(
            PersonalIdentityNumber::parse("19121212-1213", today()),
            Err(PnrError::CheckDigit)
        );
    }

    #[test]
    fn a_coordination_number_has_sixty_added_to_the_day() {
        let number = with_check_digit("701063238");
        let pnr = PersonalIdentityNumber::parse(&format!("19{}-{}", &number[..6], &number[6..]), today()).unwrap();
        assert!(pnr.is_coordination_number());
        assert_eq!(pnr.birth_date(), NaiveDate::from_ymd_opt(1970, 10, 3).unwrap());
    }

    #[test]
    fn impossible_dates_are_refused() {
        let feb30 = with_check_digit("900230123");
        assert_eq!(
            PersonalIdentityNumber::parse(&format!("19{feb30}"), today()),
            Err(PnrError::Date)
        );
        let month13 = with_check_digit("901301123");
        assert_eq!(PersonalIdentityNumber::parse(&month13, today()), Err(PnrError::Date));
    }

    #[test]
    fn a_birth_date_after_today_is_refused() {
        let future = with_check_digit("271201123");
        assert_eq!(
            PersonalIdentityNumber::parse(&format!("20{future}"), today()),
            Err(PnrError::BornInFuture)
        );
    }

    #[test]
    fn a_plus_in_the_twelve_digit_form_needs_someone_over_100() {
        let young = with_check_digit("900101123");
        assert_eq!(
            PersonalIdentityNumber::parse(&format!("1990{}+{}", &young[2..6], &young[6..]), today()),
            Err(PnrError::Separator)
        );
        assert!(PersonalIdentityNumber::parse("19121212+1212", today()).is_ok());
    }

    #[test]
    fn letters_spaces_inside_and_wrong_lengths_are_refused() {
        for bad in [
            "",
            "abc",
            "1912121212",
            "19121212 1212",
            "19121212--1212",
            "1912-12121212",
            "1912121212123",
        ] {
            assert!(
                PersonalIdentityNumber::parse(bad, today()).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_number() {
        let pnr = PersonalIdentityNumber::parse("19121212-1212", today()).unwrap();
        assert!(!format!("{pnr:?}").contains("1212"));
    }

    #[test]
    fn a_leap_day_birth_is_placed_in_a_leap_century() {
        // 000229: 2000-02-29 is a date, so a 10-digit number resolves to 2000.
        let n = with_check_digit("000229123");
        let pnr = PersonalIdentityNumber::parse(&n, today()).unwrap();
        assert_eq!(pnr.birth_date(), NaiveDate::from_ymd_opt(2000, 2, 29).unwrap());
    }

    #[test]
    fn age_turns_on_the_birthday() {
        let n = with_check_digit("081127123"); // born 2008-11-27
        let pnr = PersonalIdentityNumber::parse(&n, today()).unwrap();
        assert_eq!(pnr.age_on(today()), 17);
        assert_eq!(pnr.age_on(today().succ_opt().unwrap()), 18);
    }

    fn arb_birth() -> impl Strategy<Value = NaiveDate> {
        (0i64..(125 * 365)).prop_map(|days| today() - chrono::Duration::days(days))
    }

    proptest! {
        #[test]
        fn every_valid_number_round_trips_through_every_form(birth in arb_birth(), serial in 0u32..1000, coordination: bool) {
            let day = birth.day() + if coordination { 60 } else { 0 };
            let nine = format!("{:02}{:02}{:02}{:03}", birth.year() % 100, birth.month(), day, serial);
            let ten = with_check_digit(&nine);
            let twelve = format!("{:02}{ten}", birth.year() / 100);
            let old = birth.checked_add_months(chrono::Months::new(1200)).is_none_or(|d| d <= today());
            let sep = if old { '+' } else { '-' };
            let short = format!("{}{sep}{}", &ten[..6], &ten[6..]);

            let forms = [twelve.clone(), format!("{}-{}", &twelve[..8], &twelve[8..]), short];
            for form in forms {
                let pnr = PersonalIdentityNumber::parse(&form, today()).map_err(|e| TestCaseError::fail(format!("{form}: {e}")))?;
                prop_assert_eq!(pnr.canonical(), twelve.as_str());
                prop_assert_eq!(pnr.birth_date(), birth);
                prop_assert_eq!(pnr.is_coordination_number(), coordination);
            }
        }

        #[test]
        fn changing_any_one_digit_breaks_the_check(birth in arb_birth(), serial in 0u32..1000, position in 0usize..10, delta in 1u32..10) {
            let nine = format!("{:02}{:02}{:02}{:03}", birth.year() % 100, birth.month(), birth.day(), serial);
            let ten = with_check_digit(&nine);
            let mut bytes = ten.into_bytes();
            bytes[position] = b'0' + ((u32::from(bytes[position] - b'0') + delta) % 10) as u8;
            let changed = String::from_utf8(bytes).unwrap();
            let twelve = format!("{:02}{changed}", birth.year() / 100);
            let result = PersonalIdentityNumber::parse(&twelve, today());
            prop_assert!(result.is_err(), "{} parsed", twelve);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,20}") {
            let _ = PersonalIdentityNumber::parse(&s, today());
        }
    }
}
