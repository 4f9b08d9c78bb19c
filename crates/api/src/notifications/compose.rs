//! The texts of the resident's messages, from templates in
//! `crates/api/templates/notifications/<language>/<kind>.txt`. A template
//! holds the subject on its first line, then `=== body ===` and the inbox and
//! e-mail text, then `=== sms ===` and the short SMS text.

use chrono::Locale;
use minijinja::{context, Environment};
use tidbok_domain::notify::{Composed, Composer};
use tidbok_domain::time::ZONE;
use tidbok_domain::{BookingDetails, NotificationKind, PortalPolicy};

const BODY: &str = "\n=== body ===\n";
const SMS: &str = "\n=== sms ===\n";

macro_rules! swedish {
    ($($kind:literal),+) => {
        [$(($kind, include_str!(concat!("../../templates/notifications/sv/", $kind, ".txt")))),+]
    };
}

/// Swedish message texts.
pub struct TemplateComposer {
    env: Environment<'static>,
}

impl TemplateComposer {
    pub fn swedish() -> Self {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        for (name, source) in swedish!(
            "booked_online",
            "rebooked_online",
            "cancelled_online",
            "booked_by_staff",
            "rebooked_by_staff",
            "cancelled_by_staff",
            "voided_by_staff"
        ) {
            env.add_template(name, source).expect("the built-in templates parse");
        }
        Self { env }
    }

    fn render(&self, kind: NotificationKind, booking: &BookingDetails) -> Result<Composed, minijinja::Error> {
        let local = booking.slot.starts_at.with_timezone(&ZONE);
        let policy = booking.appointment_type.policy;
        let text = self.env.get_template(kind.as_str())?.render(context! {
            unit => booking.unit.name,
            phone => booking.unit.phone,
            address => booking.unit.address,
            type => booking.appointment_type.name,
            instructions => booking.appointment_type.instructions,
            practitioner => booking.practitioner.name,
            date => local.format_localized("%A %-d %B %Y", Locale::sv_SE).to_string(),
            time => local.format("%H:%M").to_string(),
            minutes => booking.slot.length_minutes(),
            cancelable => matches!(policy, PortalPolicy::Cancelable | PortalPolicy::SelfService),
        })?;
        let (subject, rest) = text.split_once(BODY).unwrap_or((&text, ""));
        let (body, sms) = rest.split_once(SMS).unwrap_or((rest, ""));
        Ok(Composed {
            subject: subject.trim().to_owned(),
            body: body.trim().to_owned() + "\n",
            sms: sms.trim().to_owned(),
        })
    }
}

impl Composer for TemplateComposer {
    fn compose(&self, kind: NotificationKind, booking: &BookingDetails) -> Composed {
        self.render(kind, booking).unwrap_or_else(|e| {
            tracing::error!(kind = kind.as_str(), error = %e, "a message template failed; sending a plain text");
            let local = booking.slot.starts_at.with_timezone(&ZONE);
            let line = format!(
                "{}: {} {}",
                booking.unit.name,
                booking.appointment_type.name,
                local.format("%Y-%m-%d %H:%M")
            );
            Composed {
                subject: line.clone(),
                body: line.clone(),
                sms: line,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use tidbok_domain::*;

    fn booking(policy: PortalPolicy) -> BookingDetails {
        let region = RegionId::generate();
        let start = Utc.with_ymd_and_hms(2026, 6, 2, 6, 30, 0).unwrap();
        BookingDetails {
            booking: Booking {
                id: BookingId::generate(),
                slot_id: SlotId::generate(),
                resident_id: ResidentId::generate(),
                status: BookingStatus::Booked,
                booked_by: Actor::Staff(StaffId::generate()),
                booked_at: start,
                reason_for_visit: None,
                message: None,
                hidden_in_portal: false,
                cancellation: None,
                rebooked_from: None,
            },
            slot: Slot {
                id: SlotId::generate(),
                unit_id: UnitId::generate(),
                practitioner_id: PractitionerId::generate(),
                appointment_type_id: AppointmentTypeId::generate(),
                starts_at: start,
                ends_at: start + chrono::Duration::minutes(15),
                booking_id: None,
                withdrawn_at: None,
            },
            appointment_type: AppointmentType {
                id: AppointmentTypeId::generate(),
                region_id: region,
                name: "Mottagningstid".into(),
                profession: "Läkare".into(),
                mode: Mode::Visit,
                default_length_minutes: 15,
                policy,
                eligibility: Eligibility::default(),
                instructions: Some("Ta med legitimation.".into()),
                retired: false,
            },
            practitioner: Practitioner {
                id: PractitionerId::generate(),
                unit_id: UnitId::generate(),
                name: "Teodora Tuomainen".into(),
                profession: "Läkare".into(),
            },
            unit: Unit {
                id: UnitId::generate(),
                region_id: region,
                name: "Vårdcentralen Nöbbelöv".into(),
                phone: Some("046-15 25 35".into()),
                address: None,
            },
        }
    }

    #[test]
    fn every_kind_renders_a_subject_body_and_sms_in_swedish() {
        let composer = TemplateComposer::swedish();
        for kind in NotificationKind::ALL {
            let m = composer
                .render(*kind, &booking(PortalPolicy::Cancelable))
                .unwrap_or_else(|e| panic!("{kind}: {e:#}"));
            assert!(
                m.subject.contains("tisdag 2 juni 2026") && m.subject.contains("08:30"),
                "{kind}: {}",
                m.subject
            );
            assert!(m.body.contains("Vårdcentralen Nöbbelöv"), "{kind}: {}", m.body);
            assert!(!m.sms.is_empty() && m.sms.len() < 200, "{kind}: {}", m.sms);
            assert!(!m.body.contains("=== "), "{kind}: markers left in the body");
        }
    }

    #[test]
    fn a_staff_booking_says_whether_it_can_be_cancelled_online() {
        let composer = TemplateComposer::swedish();
        let cancelable = composer
            .render(NotificationKind::BookedByStaff, &booking(PortalPolicy::Cancelable))
            .unwrap();
        let visible = composer
            .render(NotificationKind::BookedByStaff, &booking(PortalPolicy::Visible))
            .unwrap();
        assert!(cancelable.body.contains("avboka tiden här i e-tjänsterna"));
        assert!(!visible.body.contains("avboka tiden här"));
        assert!(cancelable.body.contains("Ta med legitimation."));
    }
}
