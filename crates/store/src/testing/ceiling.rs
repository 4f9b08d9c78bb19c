//! The benchmark's ceiling for the online booking: the database alone doing
//! what the server asks of it for one booking, with no HTTP, no use case and
//! no JSON. It must run the store's very statements, so nothing here writes
//! SQL of its own:
//!
//! - On SQLite the benchmark calls the store itself with [`booking`] (the
//!   same port calls the server makes, minus everything above the store).
//! - On PostgreSQL pgbench needs SQL text: [`pgbench_statements`] renders the
//!   store's own statements with the store's own parameters
//!   (`booking::online::postgres_statements`) for a booking whose
//!   per-transaction values are pgbench variables ([`VARIABLES`]).
//!
//! The store suite runs [`pgbench_statements`] for one planned booking and
//! holds the rows it writes to those the store writes for the same booking.

use crate::booking::online::postgres_statements;
use crate::calendar::SLOT_WITH_SETTINGS;
use crate::query::{query, Arg, Query};
use crate::residents::RESIDENT_BY_PNR;
use chrono::{DateTime, Utc};
use tidbok_domain::ports::{IdempotencyKey, NewBooking};
use tidbok_domain::*;
use uuid::Uuid;

/// The pgbench variables [`pgbench_statements`] use; the benchmark's script
/// sets them, by these names, from its plan before each transaction.
pub const VARIABLES: [&str; 12] = [
    "slot",
    "resident",
    "pnr",
    "booking",
    "message",
    "delivery",
    "idem",
    "now",
    "reminder1",
    "reminder2",
    "reminder3",
    "reminder4",
];

/// What varies from one booking of the ceiling to the next.
#[derive(Clone)]
pub struct Planned {
    pub slot: Uuid,
    pub resident: Uuid,
    /// The resident's personal identity number, canonical.
    pub pnr: String,
    pub booking: Uuid,
    pub message: Uuid,
    pub delivery: Uuid,
    /// The idempotency key.
    pub idem: String,
    pub now: DateTime<Utc>,
    /// The reminder rows' ids: a booking made more than ten days ahead gets
    /// two reminders by two channels under the default policy (rule 14).
    pub reminders: [Uuid; 4],
}

impl Planned {
    /// The values of [`VARIABLES`] for this booking, by name.
    pub fn variables(&self) -> Vec<(&'static str, String)> {
        let values = [
            self.slot.to_string(),
            self.resident.to_string(),
            self.pnr.clone(),
            self.booking.to_string(),
            self.message.to_string(),
            self.delivery.to_string(),
            self.idem.clone(),
            self.now.to_rfc3339(),
            self.reminders[0].to_string(),
            self.reminders[1].to_string(),
            self.reminders[2].to_string(),
            self.reminders[3].to_string(),
        ];
        VARIABLES.into_iter().zip(values).collect()
    }
}

const FINGERPRINT: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const SUBJECT: &str = "Bokningsbekräftelse";
const BODY: &str = "Hej! Du har bokat Provtagning hos Vårdcentralen 01 torsdag 3 december 2026 kl. 08:30. \
     Avboka senast 24 timmar före besöket på 1177. Ta med legitimation. Välkommen!";

/// A text of the size of the calendar file the server attaches to the
/// confirmation (~700 bytes). Not the file itself: its `NAME:value` lines
/// would read as pgbench variables.
const CALENDAR: &str = "BEGIN VCALENDAR / PRODID -//Tidbok//Tidbok//SV / VERSION 2.0 / CALSCALE GREGORIAN / \
     METHOD REQUEST / BEGIN VEVENT / UID 00000000-0000-0000-0000-000000000000@tidbok / SEQUENCE 0 / \
     DTSTAMP 20261201T120000Z / DTSTART 20261203T073000Z / DTEND 20261203T074000Z / \
     SUMMARY Besök hos Vårdcentralen 01 / LOCATION Vårdcentralen 01 / \
     DESCRIPTION Typ av tid Provtagning, Telefon 042-10 20 30, Avboka eller boka om i e-tjänsterna \
     senast 2026-12-02 08.30, Din bokning http//127.0.0.1.8080/bookings?booking=00000000-0000-0000-0000-000000000000 / \
     STATUS CONFIRMED / ORGANIZER;CN=Vårdcentralen 01 mailto no-reply@tidbok.invalid / END VEVENT / END VCALENDAR";

/// What the server hands the store for a resident's online booking of
/// `p`'s slot: a reason, an idempotency key, a confirmation in the inbox
/// sent by e-mail, four reminder rows (the default policy's two reminders
/// by e-mail and SMS), and a per-type cap (so its count runs) that the plan
/// never reaches.
pub fn booking(p: &Planned) -> (NewBooking, IdempotencyKey, Effects) {
    let resident = ResidentId::from(p.resident);
    let booking = NewBooking {
        id: p.booking.into(),
        slot_id: p.slot.into(),
        resident_id: resident,
        booked_by: Actor::Resident(resident),
        booked_at: p.now,
        reason_for_visit: Some(ReasonForVisit::parse("Provtagning").expect("a valid reason")),
        message: None,
        hidden_in_portal: false,
        slot_must_start_after: p.now,
        max_active_of_type: Some(1000),
    };
    let key = IdempotencyKey {
        key: p.idem.clone(),
        fingerprint: FINGERPRINT.into(),
    };
    let message = InboxMessage {
        id: p.message,
        resident_id: resident,
        booking_id: Some(booking.id),
        kind: NotificationKind::BookedOnline,
        subject: SUBJECT.into(),
        body: BODY.into(),
        created_at: p.now,
        read_at: None,
    };
    let delivery = Delivery {
        id: p.delivery,
        channel: Channel::Email,
        recipient: "bench@example.invalid".into(),
        subject: SUBJECT.into(),
        body: BODY.into(),
        calendar: Some(CALENDAR.into()),
    };
    let reminders = p
        .reminders
        .iter()
        .zip([Channel::Email, Channel::Sms, Channel::Email, Channel::Sms])
        .map(|(id, channel)| PlannedReminder {
            id: *id,
            booking_id: booking.id,
            channel,
            at: p.now,
            visit_starts_at: p.now,
            planned_at: p.now,
        })
        .collect();
    let effects = Effects {
        notice: Some(Notice {
            message,
            deliveries: vec![delivery],
        }),
        access: Vec::new(),
        reminders,
    };
    (booking, key, effects)
}

/// Every statement the server sends PostgreSQL for one online booking, as
/// pgbench script lines: the resident by number and the slot with its unit's
/// settings (read before the transaction), then the booking's transaction
/// as the store runs it. Per-booking values are the pgbench variables
/// [`VARIABLES`]; the rest are literals.
pub fn pgbench_statements() -> Vec<String> {
    let stand_in = stand_in();
    let (booking, key, effects) = booking(&stand_in);
    let statements = postgres_statements(&booking, Some(&key), &effects);
    let mut lines = vec![
        render(&query(RESIDENT_BY_PNR).bind(stand_in.pnr.as_str()), &stand_in),
        render(&query(SLOT_WITH_SETTINGS).bind(stand_in.slot), &stand_in),
        "BEGIN;".to_owned(),
    ];
    lines.extend(statements.first.iter().map(|q| render(q, &stand_in)));
    lines.push(render(&statements.rest, &stand_in));
    lines.push("COMMIT;".to_owned());
    lines
}

/// A booking whose values stand for the variables: each value rendered
/// where one of these stands becomes its variable.
fn stand_in() -> Planned {
    Planned {
        slot: Uuid::from_u128(1),
        resident: Uuid::from_u128(2),
        pnr: "pnr-variable".into(),
        booking: Uuid::from_u128(3),
        message: Uuid::from_u128(4),
        delivery: Uuid::from_u128(5),
        idem: "idem-variable".into(),
        now: DateTime::UNIX_EPOCH,
        reminders: [6, 7, 8, 9].map(Uuid::from_u128),
    }
}

/// `q` with each `$n` replaced by its value as SQL (highest first, so `$1`
/// does not eat `$12`), every value cast to its type.
fn render(q: &Query<'_>, stand_in: &Planned) -> String {
    let mut sql = q.sql().to_owned();
    for (i, arg) in q.args().iter().enumerate().rev() {
        sql = sql.replace(&format!("${}", i + 1), &value(arg, stand_in));
    }
    sql + ";"
}

fn value(arg: &Arg<'_>, v: &Planned) -> String {
    let variable = |name: &str| format!(":{name}");
    let uuid = |u: Uuid| match u {
        u if u == v.slot => variable("slot"),
        u if u == v.resident => variable("resident"),
        u if u == v.booking => variable("booking"),
        u if u == v.message => variable("message"),
        u if u == v.delivery => variable("delivery"),
        u if u == v.reminders[0] => variable("reminder1"),
        u if u == v.reminders[1] => variable("reminder2"),
        u if u == v.reminders[2] => variable("reminder3"),
        u if u == v.reminders[3] => variable("reminder4"),
        u => quoted(&u.to_string()),
    };
    let text = |t: &str| match t {
        t if t == v.pnr => variable("pnr"),
        t if t == v.idem => variable("idem"),
        t => quoted(t),
    };
    let instant = |t: DateTime<Utc>| match t {
        t if t == v.now => variable("now"),
        t => quoted(&t.to_rfc3339()),
    };
    let cast = |value: Option<String>, ty: &str| format!("({})::{ty}", value.as_deref().unwrap_or("NULL"));
    let array = |values: Vec<Option<String>>, ty: &str| {
        let values: Vec<_> = values.into_iter().map(|v| v.unwrap_or_else(|| "NULL".into())).collect();
        format!("ARRAY[{}]::{ty}[]", values.join(", "))
    };
    match arg {
        Arg::Uuid(u) => cast(u.map(uuid), "uuid"),
        Arg::Text(t) => cast(t.as_deref().map(text), "text"),
        Arg::Int(n) => cast(n.map(|n| n.to_string()), "int4"),
        Arg::BigInt(n) => cast(Some(n.to_string()), "int8"),
        Arg::Bool(b) => cast(Some(b.to_string()), "boolean"),
        Arg::Instant(t) => cast(t.map(instant), "timestamptz"),
        Arg::Date(d) => cast(Some(quoted(&d.to_string())), "date"),
        Arg::Uuids(us) => array(us.iter().map(|u| u.map(uuid)).collect(), "uuid"),
        Arg::Texts(ts) => array(ts.iter().map(|t| t.as_deref().map(text)).collect(), "text"),
        Arg::Instants(ts) => array(ts.iter().map(|t| Some(instant(*t))).collect(), "timestamptz"),
    }
}

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `statement` with its pgbench variables replaced by quoted values, as
/// pgbench would bind them: for tests that run the ceiling's statements
/// without pgbench. Like pgbench, a variable is `:` and a name, and `::`
/// is a cast.
pub fn with_values(statement: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(statement.len());
    let mut rest = statement;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let colons = rest.len() - rest.trim_start_matches(':').len();
        let name_len = variable_name_len(&rest[1..]);
        match values
            .iter()
            .find(|(name, _)| colons == 1 && name.len() == name_len && rest[1..].starts_with(name))
        {
            Some((name, value)) => {
                out.push_str(&quoted(value));
                rest = &rest[1 + name.len()..];
            }
            None => {
                out.push_str(&rest[..colons.max(1)]);
                rest = &rest[colons.max(1)..];
            }
        }
    }
    out + rest
}

/// The length of the pgbench variable name `s` starts with (0: none).
fn variable_name_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() || c == '_' || !c.is_ascii() => {}
        _ => return 0,
    }
    chars
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || !c.is_ascii()))
        .map_or(s.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statements_leave_no_placeholder_and_use_only_the_variables() {
        let script = pgbench_statements().join("\n");
        assert!(!script.contains('$'), "{script}");
        assert!(script.contains("INSERT INTO bookings") && script.contains("INSERT INTO outbox"));
        let values: Vec<_> = VARIABLES.iter().map(|v| (*v, "x".to_owned())).collect();
        let bound = with_values(&script, &values);
        for line in bound.lines() {
            let mut rest = line;
            while let Some(at) = rest.find(':') {
                rest = &rest[at..];
                let colons = rest.len() - rest.trim_start_matches(':').len();
                assert!(
                    colons > 1 || variable_name_len(&rest[1..]) == 0,
                    "a variable the plan does not set: {rest}"
                );
                rest = &rest[colons..];
            }
        }
    }

    #[test]
    fn variables_are_replaced_and_casts_left_alone() {
        let values = [
            ("now", "2026-01-01T00:00:00+00:00".to_owned()),
            ("idem", "it's".to_owned()),
        ];
        assert_eq!(
            with_values("SELECT (:now)::timestamptz, :idem, :nowhere, '08:30'", &values),
            "SELECT ('2026-01-01T00:00:00+00:00')::timestamptz, 'it''s', :nowhere, '08:30'"
        );
    }
}
