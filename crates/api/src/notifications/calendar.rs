//! A booking's calendar file (rule 18): the event the domain describes
//! (`tidbok_domain::calendar`) as iCalendar text (RFC 5545, with the iTIP
//! method of RFC 5546: `REQUEST` to add or move it, `CANCEL` to remove it),
//! built with the `icalendar` crate. Times are UTC; the texts follow the
//! reminder rule (no reason for visit, no message).

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};
use tidbok_domain::calendar::{CalendarEvent, CalendarMethod};
use tidbok_domain::time::ZONE;

/// The file, stamped `stamp`; `public_url` for the link to the booking,
/// `organizer` the address the unit's messages come from.
pub fn ics(e: &CalendarEvent, stamp: DateTime<Utc>, public_url: &str, organizer: &str) -> String {
    let cancel = e.method == CalendarMethod::Cancel;
    let link = super::compose::booking_link(public_url, e.booking_id);
    let location = match &e.address {
        Some(address) => format!("{}, {address}", e.unit),
        None => e.unit.clone(),
    };
    let mut lines = vec![format!("Typ av tid: {}", e.appointment_type)];
    if let Some(phone) = &e.phone {
        lines.push(format!("Telefon: {phone}"));
    }
    lines.push(match (cancel, e.cancel_online_until) {
        (true, _) => "Tiden är avbokad.".to_owned(),
        (false, Some(until)) => format!(
            "Avboka eller boka om i e-tjänsterna senast {}.",
            until.with_timezone(&ZONE).format("%Y-%m-%d %H:%M")
        ),
        (false, None) => "Kan du inte komma? Ring mottagningen.".to_owned(),
    });
    lines.push(format!("Din bokning: {link}"));

    let mut event = Event::new();
    event
        .uid(&e.uid)
        .sequence(e.sequence)
        .timestamp(stamp)
        .starts(e.starts_at)
        .ends(e.ends_at)
        .summary(&format!("Besök hos {}", e.unit))
        .location(&location)
        .description(&lines.join("\n"))
        .url(&link)
        .status(if cancel {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        })
        .append_property(
            Property::new("ORGANIZER", format!("mailto:{organizer}"))
                .add_parameter("CN", &e.unit)
                .done(),
        );
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("PRODID", "-//Tidbok//Tidbok//SV"))
        .append_property(("VERSION", "2.0"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", if cancel { "CANCEL" } else { "REQUEST" }))
        .push(event.done());
    calendar.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use tidbok_domain::BookingId;

    /// The calendar files of one booking line, fixed: committed under
    /// tests/fixtures/calendar/, where tests/calendar/check.py reads them
    /// with a second parser (Python's icalendar).
    fn fixtures() -> Vec<(&'static str, String)> {
        let start = Utc.with_ymd_and_hms(2026, 12, 10, 7, 30, 0).unwrap();
        let booked = CalendarEvent {
            method: CalendarMethod::Request,
            uid: "3f2b8e1c-8d7a-4c55-9a61-0b6a2f0e4d11@tidbok".into(),
            sequence: 1,
            starts_at: start,
            ends_at: start + chrono::Duration::minutes(15),
            unit: "Vårdcentralen Påarp-Mörarp".into(),
            address: Some("Påarpsvägen 10, 260 33 Påarp".into()),
            phone: Some("042-10 20 30".into()),
            appointment_type: "Provtagning 1177".into(),
            cancel_online_until: Some(start - chrono::Duration::hours(24)),
            booking_id: BookingId::from_uuid(uuid::uuid!("9a0c5b7e-1f2d-4e3a-8b6c-7d5e4f3a2b1c")),
        };
        let cancelled = CalendarEvent {
            method: CalendarMethod::Cancel,
            sequence: 2,
            cancel_online_until: None,
            ..booked.clone()
        };
        let stamp = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let url = "https://tidbok.example.se";
        vec![
            ("rebooked.ics", ics(&booked, stamp, url, "no-reply@region.example.se")),
            (
                "cancelled.ics",
                ics(
                    &cancelled,
                    stamp + chrono::Duration::hours(1),
                    url,
                    "no-reply@region.example.se",
                ),
            ),
        ]
    }

    fn fixture_path(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/calendar")
            .join(name)
    }

    #[test]
    fn the_committed_fixtures_are_what_the_renderer_writes() {
        for (name, text) in fixtures() {
            let path = fixture_path(name);
            if std::env::var_os("TIDBOK_WRITE_FIXTURES").is_some() {
                std::fs::write(&path, &text).expect("fixture written");
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                committed, text,
                "{name} differs from what the renderer writes; TIDBOK_WRITE_FIXTURES=1 cargo test rewrites it"
            );
        }
    }

    #[test]
    fn the_files_parse_back_with_their_method_uid_sequence_and_status() {
        for (name, text) in fixtures() {
            let calendar: icalendar::Calendar = text.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
            let event = calendar.events().next().expect("one event");
            assert_eq!(event.get_uid(), Some("3f2b8e1c-8d7a-4c55-9a61-0b6a2f0e4d11@tidbok"));
            let (method, sequence, status) = match name {
                "rebooked.ics" => ("REQUEST", 1, EventStatus::Confirmed),
                _ => ("CANCEL", 2, EventStatus::Cancelled),
            };
            assert_eq!(calendar.property_value("METHOD"), Some(method), "{name}");
            assert_eq!(event.get_sequence(), Some(sequence), "{name}");
            assert_eq!(event.get_status(), Some(status), "{name}");
            assert_eq!(
                event.get_start(),
                Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(
                    Utc.with_ymd_and_hms(2026, 12, 10, 7, 30, 0).unwrap()
                )))
            );
            assert!(event
                .property_value("ORGANIZER")
                .is_some_and(|o| o.starts_with("mailto:")));
            let description = event.get_description().expect("a description");
            assert!(description.contains("042-10 20 30"), "{description}");
        }
    }
}
