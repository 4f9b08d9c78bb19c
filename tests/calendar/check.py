"""The calendar files' second parser: Python's icalendar reads the fixtures
the Rust renderer writes (tests/fixtures/calendar, checked against the
renderer by crates/api's calendar tests) and checks what a calendar program
relies on (rule 18 in docs/domain.md): one event, the same UID through the
line, SEQUENCE rising, METHOD and STATUS matching, times in UTC, an
organizer, and no reason for visit."""

import datetime
import pathlib
import sys

import icalendar

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "calendar"
EXPECTED = {
    "rebooked.ics": ("REQUEST", 1, "CONFIRMED"),
    "cancelled.ics": ("CANCEL", 2, "CANCELLED"),
}


def main() -> int:
    uids = set()
    for name, (method, sequence, status) in EXPECTED.items():
        calendar = icalendar.Calendar.from_ical((FIXTURES / name).read_bytes())
        events = calendar.walk("VEVENT")
        assert len(events) == 1, f"{name}: {len(events)} events"
        event = events[0]
        assert str(calendar["METHOD"]) == method, f"{name}: METHOD {calendar['METHOD']}"
        assert str(calendar["VERSION"]) == "2.0", name
        assert int(event["SEQUENCE"]) == sequence, f"{name}: SEQUENCE {event['SEQUENCE']}"
        assert str(event["STATUS"]) == status, f"{name}: STATUS {event['STATUS']}"
        start = event.decoded("DTSTART")
        assert start == datetime.datetime(2026, 12, 10, 7, 30, tzinfo=datetime.timezone.utc), f"{name}: {start}"
        assert event.decoded("DTEND") - start == datetime.timedelta(minutes=15), name
        assert str(event["ORGANIZER"]).startswith("mailto:"), name
        assert "DTSTAMP" in event, name
        text = " ".join(str(event[k]) for k in ("SUMMARY", "LOCATION", "DESCRIPTION"))
        assert "Vårdcentralen Påarp-Mörarp" in text, f"{name}: {text}"
        uids.add(str(event["UID"]))
    assert len(uids) == 1, f"one UID through the line: {uids}"
    print(f"calendar fixtures: {len(EXPECTED)} files read by icalendar {icalendar.__version__}, one UID")
    return 0


if __name__ == "__main__":
    sys.exit(main())
