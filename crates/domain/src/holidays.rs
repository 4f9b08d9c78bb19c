//! Swedish public holidays (röda dagar) and the eves units close on (rule 22):
//! templates do not publish on them unless the unit chooses to; a temporary
//! change of one date still can.
//!
//! The statutory holidays are those of the Public Holidays Act (lag
//! (1989:253) om allmänna helgdagar); Midsummer Eve, Christmas Eve and New
//! Year's Eve are not statutory but are closed like Sundays, so they count.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A day units do not publish on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holiday {
    /// Nyårsdagen, 1 January.
    NewYearsDay,
    /// Trettondedag jul, 6 January.
    Epiphany,
    /// Långfredagen.
    GoodFriday,
    /// Påskdagen.
    EasterSunday,
    /// Annandag påsk.
    EasterMonday,
    /// Första maj.
    MayDay,
    /// Kristi himmelsfärdsdag: the sixth Thursday after Easter.
    AscensionDay,
    /// Pingstdagen: the seventh Sunday after Easter.
    WhitSunday,
    /// Sveriges nationaldag, 6 June.
    NationalDay,
    /// Midsommarafton: the Friday between 19 and 25 June.
    MidsummerEve,
    /// Midsommardagen: the Saturday between 20 and 26 June.
    MidsummerDay,
    /// Alla helgons dag: the Saturday between 31 October and 6 November.
    AllSaintsDay,
    /// Julafton, 24 December.
    ChristmasEve,
    /// Juldagen, 25 December.
    ChristmasDay,
    /// Annandag jul, 26 December.
    BoxingDay,
    /// Nyårsafton, 31 December.
    NewYearsEve,
}

impl Holiday {
    /// A stable code (`christmas_eve`), for clients to name it in their own words.
    pub fn code(&self) -> &'static str {
        match self {
            Holiday::NewYearsDay => "new_years_day",
            Holiday::Epiphany => "epiphany",
            Holiday::GoodFriday => "good_friday",
            Holiday::EasterSunday => "easter_sunday",
            Holiday::EasterMonday => "easter_monday",
            Holiday::MayDay => "may_day",
            Holiday::AscensionDay => "ascension_day",
            Holiday::WhitSunday => "whit_sunday",
            Holiday::NationalDay => "national_day",
            Holiday::MidsummerEve => "midsummer_eve",
            Holiday::MidsummerDay => "midsummer_day",
            Holiday::AllSaintsDay => "all_saints_day",
            Holiday::ChristmasEve => "christmas_eve",
            Holiday::ChristmasDay => "christmas_day",
            Holiday::BoxingDay => "boxing_day",
            Holiday::NewYearsEve => "new_years_eve",
        }
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous
/// Gregorian algorithm, also known as Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as u32, day as u32)
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    // Every caller passes a calendar date; the fallback is never taken.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// The first `weekday` on or after `from`.
fn first_on_or_after(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Duration::days(i64::from(ahead))
}

/// The holidays of `year`, by date.
pub fn holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let easter = easter_sunday(year);
    let midsummer_eve = first_on_or_after(date(year, 6, 19), Weekday::Fri);
    let mut days = vec![
        (date(year, 1, 1), Holiday::NewYearsDay),
        (date(year, 1, 6), Holiday::Epiphany),
        (easter - Duration::days(2), Holiday::GoodFriday),
        (easter, Holiday::EasterSunday),
        (easter + Duration::days(1), Holiday::EasterMonday),
        (date(year, 5, 1), Holiday::MayDay),
        (easter + Duration::days(39), Holiday::AscensionDay),
        (easter + Duration::days(49), Holiday::WhitSunday),
        (date(year, 6, 6), Holiday::NationalDay),
        (midsummer_eve, Holiday::MidsummerEve),
        (midsummer_eve + Duration::days(1), Holiday::MidsummerDay),
        (
            first_on_or_after(date(year, 10, 31), Weekday::Sat),
            Holiday::AllSaintsDay,
        ),
        (date(year, 12, 24), Holiday::ChristmasEve),
        (date(year, 12, 25), Holiday::ChristmasDay),
        (date(year, 12, 26), Holiday::BoxingDay),
        (date(year, 12, 31), Holiday::NewYearsEve),
    ];
    days.sort();
    days
}

/// The holiday on `day`, if it is one.
pub fn holiday_on(day: NaiveDate) -> Option<Holiday> {
    holidays(day.year())
        .into_iter()
        .find_map(|(d, h)| (d == day).then_some(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The official calendar (Swedish almanac) for 2026–2030, holiday by
    /// holiday, so the computed dates are checked against known ones.
    #[test]
    fn the_holidays_of_2026_to_2030_match_the_official_calendar() {
        use Holiday::*;
        let official: [(i32, [(u32, u32); 16]); 5] = [
            (
                2026,
                [
                    (1, 1),
                    (1, 6),
                    (4, 3),
                    (4, 5),
                    (4, 6),
                    (5, 1),
                    (5, 14),
                    (5, 24),
                    (6, 6),
                    (6, 19),
                    (6, 20),
                    (10, 31),
                    (12, 24),
                    (12, 25),
                    (12, 26),
                    (12, 31),
                ],
            ),
            (
                2027,
                [
                    (1, 1),
                    (1, 6),
                    (3, 26),
                    (3, 28),
                    (3, 29),
                    (5, 1),
                    (5, 6),
                    (5, 16),
                    (6, 6),
                    (6, 25),
                    (6, 26),
                    (11, 6),
                    (12, 24),
                    (12, 25),
                    (12, 26),
                    (12, 31),
                ],
            ),
            (
                2028,
                [
                    (1, 1),
                    (1, 6),
                    (4, 14),
                    (4, 16),
                    (4, 17),
                    (5, 1),
                    (5, 25),
                    (6, 4),
                    (6, 6),
                    (6, 23),
                    (6, 24),
                    (11, 4),
                    (12, 24),
                    (12, 25),
                    (12, 26),
                    (12, 31),
                ],
            ),
            (
                2029,
                [
                    (1, 1),
                    (1, 6),
                    (3, 30),
                    (4, 1),
                    (4, 2),
                    (5, 1),
                    (5, 10),
                    (5, 20),
                    (6, 6),
                    (6, 22),
                    (6, 23),
                    (11, 3),
                    (12, 24),
                    (12, 25),
                    (12, 26),
                    (12, 31),
                ],
            ),
            (
                2030,
                [
                    (1, 1),
                    (1, 6),
                    (4, 19),
                    (4, 21),
                    (4, 22),
                    (5, 1),
                    (5, 30),
                    (6, 9),
                    (6, 6),
                    (6, 21),
                    (6, 22),
                    (11, 2),
                    (12, 24),
                    (12, 25),
                    (12, 26),
                    (12, 31),
                ],
            ),
        ];
        for (year, dates) in official {
            let computed: Vec<NaiveDate> = holidays(year).into_iter().map(|(d, _)| d).collect();
            let expected: Vec<NaiveDate> = dates.iter().map(|(m, day)| d(year, *m, *day)).collect();
            let mut sorted = expected.clone();
            sorted.sort();
            assert_eq!(computed, sorted, "{year}");
        }
        // The moving ones, by name (2026: Easter on 5 April).
        for (day, holiday) in [
            (d(2026, 4, 3), GoodFriday),
            (d(2026, 4, 6), EasterMonday),
            (d(2026, 5, 14), AscensionDay),
            (d(2026, 5, 24), WhitSunday),
            (d(2026, 6, 19), MidsummerEve),
            (d(2026, 6, 20), MidsummerDay),
            (d(2026, 10, 31), AllSaintsDay),
        ] {
            assert_eq!(holiday_on(day), Some(holiday), "{day}");
        }
    }

    #[test]
    fn each_holiday_has_its_own_snake_case_code() {
        let codes: std::collections::BTreeSet<_> = holidays(2027).iter().map(|(_, h)| h.code()).collect();
        assert_eq!(codes.len(), 16);
        assert!(
            codes
                .iter()
                .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')),
            "{codes:?}"
        );
    }

    #[test]
    fn ordinary_days_are_not_holidays() {
        for day in [
            d(2026, 12, 23),
            d(2026, 12, 30),
            d(2027, 1, 7),
            d(2027, 6, 24),
            d(2026, 11, 1),
        ] {
            assert_eq!(holiday_on(day), None, "{day}");
        }
    }

    #[test]
    fn easter_falls_between_22_march_and_25_april_on_a_sunday() {
        for year in 1900..2200 {
            let easter = easter_sunday(year);
            assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
            assert!(d(year, 3, 22) <= easter && easter <= d(year, 4, 25), "{year}: {easter}");
        }
    }

    #[test]
    fn midsummer_and_all_saints_fall_on_their_weekdays_in_their_weeks() {
        for year in 2000..2100 {
            let list = holidays(year);
            let on = |h: Holiday| list.iter().find(|(_, x)| *x == h).map(|(d, _)| *d).unwrap();
            let eve = on(Holiday::MidsummerEve);
            assert_eq!(eve.weekday(), Weekday::Fri);
            assert!(d(year, 6, 19) <= eve && eve <= d(year, 6, 25));
            let saints = on(Holiday::AllSaintsDay);
            assert_eq!(saints.weekday(), Weekday::Sat);
            assert!(d(year, 10, 31) <= saints && saints <= d(year, 11, 6));
        }
    }
}
