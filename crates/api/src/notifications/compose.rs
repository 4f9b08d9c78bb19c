//! The texts of the resident's messages, from templates in
//! `crates/api/templates/notifications/<language>/<kind>.txt`. A template
//! holds the subject on its first line, then `=== body ===` and the inbox and
//! e-mail text, then `=== sms ===` and the short SMS text.

use chrono::{DateTime, Locale, Utc};
use minijinja::{context, Environment};
use tidbok_domain::notify::{Composed, Composer};
use tidbok_domain::time::ZONE;
use tidbok_domain::{BookingDetails, BookingId, NotificationKind, PortalPolicy, SlotDetails};

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
    /// Where residents reach the web app, for links in messages.
    public_url: String,
    /// The address messages come from: the calendar files' organizer.
    organizer: String,
}

impl TemplateComposer {
    /// `public_url`: where residents reach the web app (links in reminders).
    pub fn swedish(public_url: &str) -> Self {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        for (name, source) in swedish!(
            "booked_online",
            "rebooked_online",
            "cancelled_online",
            "booked_by_staff",
            "rebooked_by_staff",
            "cancelled_by_staff",
            "voided_by_staff",
            "reminder",
            "offer",
            "invited"
        ) {
            env.add_template(name, source).expect("the built-in templates parse");
        }
        Self {
            env,
            public_url: public_url.trim_end_matches('/').to_owned(),
            organizer: "no-reply@tidbok.invalid".into(),
        }
    }

    /// The sender of e-mail (`Name <address>` or an address) as the calendar
    /// files' organizer.
    pub fn with_sender(mut self, mail_from: &str) -> Self {
        if let Ok(mailbox) = mail_from.parse::<lettre::message::Mailbox>() {
            self.organizer = mailbox.email.to_string();
        }
        self
    }

    fn render_reminder(
        &self,
        booking: &BookingDetails,
        cancel_online_until: Option<DateTime<Utc>>,
    ) -> Result<Composed, minijinja::Error> {
        let local = booking.slot.starts_at.with_timezone(&ZONE);
        // Deliberately no reason for visit and no message: a reminder may be
        // read on a lock screen (rule 14).
        let text = self.env.get_template("reminder")?.render(context! {
            unit => booking.unit.name,
            phone => booking.unit.phone,
            address => booking.unit.address,
            type => booking.appointment_type.name,
            date => local.format_localized("%A %-d %B %Y", Locale::sv_SE).to_string(),
            time => local.format("%H:%M").to_string(),
            minutes => booking.slot.length_minutes(),
            cancel_until => cancel_online_until.map(|t| {
                let t = t.with_timezone(&ZONE);
                t.format_localized("%A %-d %B kl. %H:%M", Locale::sv_SE).to_string()
            }),
            link => booking_link(&self.public_url, booking.booking.id),
        })?;
        Ok(split(&text))
    }

    fn render_offer(
        &self,
        slot: &SlotDetails,
        booking: BookingId,
        expires_at: DateTime<Utc>,
    ) -> Result<Composed, minijinja::Error> {
        let local = slot.slot.starts_at.with_timezone(&ZONE);
        // As a reminder: nothing of the booking's reason or message.
        let text = self.env.get_template("offer")?.render(context! {
            unit => slot.unit.name,
            address => slot.unit.address,
            type => slot.appointment_type.name,
            date => local.format_localized("%A %-d %B", Locale::sv_SE).to_string(),
            time => local.format("%H:%M").to_string(),
            minutes => slot.slot.length_minutes(),
            until => expires_at.with_timezone(&ZONE).format("%H:%M").to_string(),
            link => booking_link(&self.public_url, booking),
        })?;
        Ok(split(&text))
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
        Ok(split(&text))
    }
}

/// Where a resident finds one of their bookings in the web app (reminders
/// and calendar files link to it).
pub fn booking_link(public_url: &str, booking: tidbok_domain::BookingId) -> String {
    format!("{}/bookings?booking={booking}", public_url.trim_end_matches('/'))
}

/// A rendered template's subject, body and SMS.
fn split(text: &str) -> Composed {
    let (subject, rest) = text.split_once(BODY).unwrap_or((text, ""));
    let (body, sms) = rest.split_once(SMS).unwrap_or((rest, ""));
    Composed {
        subject: subject.trim().to_owned(),
        body: body.trim().to_owned() + "\n",
        sms: sms.trim().to_owned(),
    }
}

/// The plain line sent when a template fails (it never should).
fn fallback(booking: &BookingDetails) -> Composed {
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
}

impl Composer for TemplateComposer {
    fn compose(&self, kind: NotificationKind, booking: &BookingDetails) -> Composed {
        self.render(kind, booking).unwrap_or_else(|e| {
            tracing::error!(kind = kind.as_str(), error = %e, "a message template failed; sending a plain text");
            fallback(booking)
        })
    }

    fn calendar_file(&self, event: &tidbok_domain::calendar::CalendarEvent, stamp: DateTime<Utc>) -> String {
        super::calendar::ics(event, stamp, &self.public_url, &self.organizer)
    }

    fn reminder(&self, booking: &BookingDetails, cancel_online_until: Option<DateTime<Utc>>) -> Composed {
        self.render_reminder(booking, cancel_online_until).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the reminder template failed; sending a plain text");
            fallback(booking)
        })
    }

    fn invitation(&self, invitation: &tidbok_domain::invitations::InvitationDetails) -> Composed {
        let date = |d: chrono::NaiveDate| d.format_localized("%-d %B", Locale::sv_SE).to_string();
        let i = &invitation.invitation;
        let link = format!("{}/invitations/{}", self.public_url, i.id);
        self.env
            .get_template("invited")
            .and_then(|t| {
                t.render(context! {
                    unit => invitation.unit.name,
                    phone => invitation.unit.phone,
                    type => invitation.appointment_type.name,
                    from => date(i.valid_from),
                    until => date(i.valid_until),
                    link => link,
                })
            })
            .map(|text| split(&text))
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "the invitation template failed; sending a plain text");
                let line = format!(
                    "{}: {} ({link})",
                    invitation.unit.name, invitation.appointment_type.name
                );
                Composed {
                    subject: line.clone(),
                    body: line.clone(),
                    sms: line,
                }
            })
    }

    fn offer(&self, slot: &SlotDetails, booking: BookingId, expires_at: DateTime<Utc>) -> Composed {
        self.render_offer(slot, booking, expires_at).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the offer template failed; sending a plain text");
            let local = slot.slot.starts_at.with_timezone(&ZONE);
            let line = format!(
                "{}: {} {} ({})",
                slot.unit.name,
                slot.appointment_type.name,
                local.format("%Y-%m-%d %H:%M"),
                booking_link(&self.public_url, booking)
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
                calendar_uid: uuid::Uuid::nil(),
                calendar_sequence: 0,
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
                reminders: Default::default(),
            },
        }
    }

    #[test]
    fn an_invitation_names_type_unit_window_and_link_and_an_offer_its_hold() {
        let composer = TemplateComposer::swedish("https://tidbok.example.se/");
        let b = booking(PortalPolicy::Visible);
        let invitation = tidbok_domain::invitations::InvitationDetails {
            invitation: tidbok_domain::invitations::Invitation {
                id: InvitationId::generate(),
                unit_id: b.unit.id,
                appointment_type_id: b.appointment_type.id,
                resident_id: b.booking.resident_id,
                valid_from: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
                valid_until: chrono::NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(),
                created_by: StaffId::generate(),
                created_at: Utc::now(),
                used_at: None,
                booking_id: None,
            },
            unit: b.unit.clone(),
            appointment_type: b.appointment_type.clone(),
            resident: Resident {
                id: b.booking.resident_id,
                pnr: tidbok_domain::PersonalIdentityNumber::parse(
                    "191212121212",
                    chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                )
                .unwrap(),
                name: None,
                phone: None,
                email: None,
                notifications: Default::default(),
                reminders: Default::default(),
            },
        };
        let m = composer.invitation(&invitation);
        let link = format!("https://tidbok.example.se/invitations/{}", invitation.invitation.id);
        for text in [&m.body, &m.sms] {
            assert!(
                text.contains("Mottagningstid") && text.contains("Vårdcentralen Nöbbelöv"),
                "{text}"
            );
            assert!(
                text.contains("7 december") && text.contains("18 december") && text.contains(&link),
                "{text}"
            );
        }
        let slot = SlotDetails {
            slot: b.slot.clone(),
            appointment_type: b.appointment_type.clone(),
            practitioner: b.practitioner.clone(),
            unit: b.unit.clone(),
        };
        let until = Utc.with_ymd_and_hms(2026, 6, 1, 9, 15, 0).unwrap();
        let m = composer.offer(&slot, b.booking.id, until);
        for text in [&m.body, &m.sms] {
            assert!(
                text.contains("tisdag 2 juni") && text.contains("08:30") && text.contains("11:15"),
                "{text}"
            );
            assert!(text.contains(&format!("/bookings?booking={}", b.booking.id)), "{text}");
        }
    }

    #[test]
    fn every_kind_renders_a_subject_body_and_sms_in_swedish() {
        let composer = TemplateComposer::swedish("https://tidbok.example.se/");
        // An invitation is about no booking yet: its own test below.
        for kind in NotificationKind::ALL
            .iter()
            .filter(|k| **k != NotificationKind::Invited)
        {
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
        let composer = TemplateComposer::swedish("https://tidbok.example.se/");
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

    #[test]
    fn a_reminder_names_time_place_and_phone_and_never_the_reason_or_message() {
        let composer = TemplateComposer::swedish("https://tidbok.example.se/");
        let mut b = booking(PortalPolicy::SelfService);
        b.booking.reason_for_visit = Some(ReasonForVisit::parse("Ont i magen sedan i fredags").unwrap());
        b.booking.message = Some(BookingMessage::parse("Jag är rädd för sprutor").unwrap());
        b.unit.address = Some("Storgatan 1, Lund".into());
        let until = b.slot.starts_at - chrono::Duration::hours(24);
        let m = composer.render_reminder(&b, Some(until)).unwrap();
        let link = format!("https://tidbok.example.se/bookings?booking={}", b.booking.id);
        for text in [&m.subject, &m.body, &m.sms] {
            assert!(!text.contains("Ont i magen") && !text.contains("sprutor"), "{text}");
        }
        assert!(
            m.subject.contains("tisdag 2 juni 2026") && m.subject.contains("08:30"),
            "{}",
            m.subject
        );
        for text in [&m.body, &m.sms] {
            assert!(
                text.contains("Vårdcentralen Nöbbelöv") && text.contains("Storgatan 1, Lund"),
                "{text}"
            );
            assert!(text.contains("måndag 1 juni kl. 08:30"), "until when: {text}");
            assert!(text.contains(&link), "{text}");
        }
        assert!(m.body.contains("046-15 25 35"));
        assert!(m.sms.chars().count() <= 320, "two SMS at most: {}", m.sms);
        let phone_only = composer.render_reminder(&b, None).unwrap();
        assert!(!phone_only.body.contains("Avboka eller boka om"), "{}", phone_only.body);
        assert!(phone_only.sms.contains("Ring 046-15 25 35"), "{}", phone_only.sms);
    }
}
