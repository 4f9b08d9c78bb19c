//! Reading rows into domain values, the same way for both backends.
//!
//! Every query selects its columns under fixed aliases (`u_name`, `t_mode`,
//! `s_starts_at` ...) given by the `*_cols!` macros below, so one reader per
//! entity serves every query that joins it. [`Columns`] is the small set of
//! typed getters a row provides (see `query.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use tidbok_domain::*;
use uuid::Uuid;

macro_rules! unit_cols {
    () => {
        "u.id AS u_id, u.region_id AS u_region_id, u.name AS u_name, u.phone AS u_phone, u.address AS u_address, \
         u.reminder_policy AS u_reminder_policy"
    };
}
macro_rules! type_cols {
    () => {
        "t.id AS t_id, t.region_id AS t_region_id, t.name AS t_name, t.profession AS t_profession, t.mode AS t_mode, \
         t.default_length_minutes AS t_default_length_minutes, t.portal_policy AS t_portal_policy, \
         t.min_age_years AS t_min_age_years, t.established_contact_only AS t_established_contact_only, \
         t.instructions AS t_instructions, t.retired AS t_retired"
    };
}
macro_rules! practitioner_cols {
    () => {
        "p.id AS p_id, p.unit_id AS p_unit_id, p.name AS p_name, p.profession AS p_profession"
    };
}
macro_rules! region_cols {
    () => {
        "r.id AS r_id, r.name AS r_name, r.notify_on_staff_cancel AS r_notify_on_staff_cancel, \
         r.reminder_policy AS r_reminder_policy"
    };
}
macro_rules! slot_cols {
    () => {
        "s.id AS s_id, s.unit_id AS s_unit_id, s.practitioner_id AS s_practitioner_id, \
         s.appointment_type_id AS s_appointment_type_id, s.starts_at AS s_starts_at, s.ends_at AS s_ends_at, \
         s.booking_id AS s_booking_id, s.withdrawn_at AS s_withdrawn_at"
    };
}
macro_rules! booking_cols {
    () => {
        "b.id AS b_id, b.slot_id AS b_slot_id, b.resident_id AS b_resident_id, b.status AS b_status, \
         b.booked_by_kind AS b_booked_by_kind, b.booked_by_id AS b_booked_by_id, b.booked_at AS b_booked_at, \
         b.reason_for_visit AS b_reason_for_visit, b.message AS b_message, b.hidden_in_portal AS b_hidden_in_portal, \
         b.cancellation_reason AS b_cancellation_reason, b.cancelled_by_kind AS b_cancelled_by_kind, \
         b.cancelled_by_id AS b_cancelled_by_id, b.cancelled_at AS b_cancelled_at, b.rebooked_from AS b_rebooked_from, \
         COALESCE(b.calendar_uid, b.id) AS b_calendar_uid, b.calendar_sequence AS b_calendar_sequence"
    };
}
macro_rules! resident_cols {
    () => {
        "res.id AS res_id, res.pnr AS res_pnr, res.name AS res_name, res.phone AS res_phone, res.email AS res_email, \
         res.notify_sms AS res_notify_sms, res.notify_email AS res_notify_email, \
         res.remind_sms AS res_remind_sms, res.remind_email AS res_remind_email"
    };
}
macro_rules! service_cols {
    () => {
        "us.unit_id AS us_unit_id, us.service AS us_service, us.active AS us_active, \
         us.audience AS us_audience, us.terms_text AS us_terms_text, us.terms_html AS us_terms_html"
    };
}
/// A slot with its type, practitioner and unit ([`slot_details`]): the
/// select list, then the joins.
macro_rules! slot_details_select {
    () => {
        concat!(
            "SELECT ",
            slot_cols!(),
            ", ",
            type_cols!(),
            ", ",
            practitioner_cols!(),
            ", ",
            unit_cols!()
        )
    };
}
macro_rules! slot_details_from {
    () => {
        " FROM slots s \
          JOIN appointment_types t ON t.id = s.appointment_type_id \
          JOIN practitioners p ON p.id = s.practitioner_id \
          JOIN units u ON u.id = s.unit_id"
    };
}
/// A booking with its slot's details ([`booking_details`]); `_select!` adds
/// nothing after the joins, so a query may join the resident too.
macro_rules! booking_details_cols {
    () => {
        concat!(
            booking_cols!(),
            ", ",
            slot_cols!(),
            ", ",
            type_cols!(),
            ", ",
            practitioner_cols!(),
            ", ",
            unit_cols!()
        )
    };
}
macro_rules! booking_details_from {
    () => {
        " FROM bookings b JOIN slots s ON s.id = b.slot_id \
          JOIN appointment_types t ON t.id = s.appointment_type_id \
          JOIN practitioners p ON p.id = s.practitioner_id \
          JOIN units u ON u.id = s.unit_id"
    };
}
macro_rules! booking_details_select {
    () => {
        concat!("SELECT ", booking_details_cols!(), booking_details_from!())
    };
}

pub(crate) trait Columns {
    fn uuid(&self, c: &str) -> sqlx::Result<Uuid>;
    fn opt_uuid(&self, c: &str) -> sqlx::Result<Option<Uuid>>;
    fn text(&self, c: &str) -> sqlx::Result<String>;
    fn opt_text(&self, c: &str) -> sqlx::Result<Option<String>>;
    fn int(&self, c: &str) -> sqlx::Result<i32>;
    fn opt_int(&self, c: &str) -> sqlx::Result<Option<i32>>;
    fn count(&self, c: &str) -> sqlx::Result<i64>;
    fn flag(&self, c: &str) -> sqlx::Result<bool>;
    fn instant(&self, c: &str) -> sqlx::Result<DateTime<Utc>>;
    fn opt_instant(&self, c: &str) -> sqlx::Result<Option<DateTime<Utc>>>;
    fn date(&self, c: &str) -> sqlx::Result<NaiveDate>;
}

fn corrupt(what: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("corrupt row: {what}").into())
}

fn word<T: std::str::FromStr<Err = UnknownWord>>(r: &impl Columns, c: &str) -> sqlx::Result<T> {
    r.text(c)?.parse().map_err(corrupt)
}

pub(crate) fn region(r: &impl Columns) -> sqlx::Result<Region> {
    Ok(Region {
        id: r.uuid("r_id")?.into(),
        name: r.text("r_name")?,
        notify_on_staff_cancel: r.flag("r_notify_on_staff_cancel")?,
        reminders: r.text("r_reminder_policy")?.parse().map_err(corrupt)?,
    })
}

pub(crate) fn unit(r: &impl Columns) -> sqlx::Result<Unit> {
    Ok(Unit {
        id: r.uuid("u_id")?.into(),
        region_id: r.uuid("u_region_id")?.into(),
        name: r.text("u_name")?,
        phone: r.opt_text("u_phone")?,
        address: r.opt_text("u_address")?,
        reminders: r.text("u_reminder_policy")?.parse().map_err(corrupt)?,
    })
}

pub(crate) fn practitioner(r: &impl Columns) -> sqlx::Result<Practitioner> {
    Ok(Practitioner {
        id: r.uuid("p_id")?.into(),
        unit_id: r.uuid("p_unit_id")?.into(),
        name: r.text("p_name")?,
        profession: r.text("p_profession")?,
    })
}

pub(crate) fn appointment_type(r: &impl Columns) -> sqlx::Result<AppointmentType> {
    let min_age = r
        .opt_int("t_min_age_years")?
        .map(|a| u8::try_from(a).map_err(corrupt))
        .transpose()?;
    Ok(AppointmentType {
        id: r.uuid("t_id")?.into(),
        region_id: r.uuid("t_region_id")?.into(),
        name: r.text("t_name")?,
        profession: r.text("t_profession")?,
        mode: word(r, "t_mode")?,
        default_length_minutes: u16::try_from(r.int("t_default_length_minutes")?).map_err(corrupt)?,
        policy: word(r, "t_portal_policy")?,
        eligibility: Eligibility {
            min_age_years: min_age,
            established_contact_only: r.flag("t_established_contact_only")?,
        },
        instructions: r.opt_text("t_instructions")?,
        retired: r.flag("t_retired")?,
    })
}

pub(crate) fn slot(r: &impl Columns) -> sqlx::Result<Slot> {
    Ok(Slot {
        id: r.uuid("s_id")?.into(),
        unit_id: r.uuid("s_unit_id")?.into(),
        practitioner_id: r.uuid("s_practitioner_id")?.into(),
        appointment_type_id: r.uuid("s_appointment_type_id")?.into(),
        starts_at: r.instant("s_starts_at")?,
        ends_at: r.instant("s_ends_at")?,
        booking_id: r.opt_uuid("s_booking_id")?.map(Into::into),
        withdrawn_at: r.opt_instant("s_withdrawn_at")?,
    })
}

pub(crate) fn slot_details(r: &impl Columns) -> sqlx::Result<SlotDetails> {
    Ok(SlotDetails {
        slot: slot(r)?,
        appointment_type: appointment_type(r)?,
        practitioner: practitioner(r)?,
        unit: unit(r)?,
    })
}

fn actor(r: &impl Columns, kind: &str, id: &str) -> sqlx::Result<Actor> {
    let kind: ActorKind = word(r, kind)?;
    Ok(kind.with_id(r.uuid(id)?))
}

fn parse_text<T>(value: Option<String>, parse: impl Fn(&str) -> Result<T, TextError>) -> sqlx::Result<Option<T>> {
    value.map(|v| parse(&v).map_err(corrupt)).transpose()
}

pub(crate) fn booking(r: &impl Columns) -> sqlx::Result<Booking> {
    let status: BookingStatus = word(r, "b_status")?;
    let cancellation = if status == BookingStatus::Cancelled {
        let reason = parse_text(r.opt_text("b_cancellation_reason")?, CancellationReason::parse)?
            .ok_or_else(|| corrupt("cancelled without reason"))?;
        let at = r
            .opt_instant("b_cancelled_at")?
            .ok_or_else(|| corrupt("cancelled without time"))?;
        Some(Cancellation {
            reason,
            by: actor(r, "b_cancelled_by_kind", "b_cancelled_by_id")?,
            at,
        })
    } else {
        None
    };
    Ok(Booking {
        id: r.uuid("b_id")?.into(),
        slot_id: r.uuid("b_slot_id")?.into(),
        resident_id: r.uuid("b_resident_id")?.into(),
        status,
        booked_by: actor(r, "b_booked_by_kind", "b_booked_by_id")?,
        booked_at: r.instant("b_booked_at")?,
        reason_for_visit: parse_text(r.opt_text("b_reason_for_visit")?, ReasonForVisit::parse)?,
        message: parse_text(r.opt_text("b_message")?, BookingMessage::parse)?,
        hidden_in_portal: r.flag("b_hidden_in_portal")?,
        cancellation,
        rebooked_from: r.opt_uuid("b_rebooked_from")?.map(Into::into),
        calendar_uid: r.uuid("b_calendar_uid")?,
        calendar_sequence: u32::try_from(r.int("b_calendar_sequence")?).map_err(corrupt)?,
    })
}

pub(crate) fn booking_details(r: &impl Columns) -> sqlx::Result<BookingDetails> {
    Ok(BookingDetails {
        booking: booking(r)?,
        slot: slot(r)?,
        appointment_type: appointment_type(r)?,
        practitioner: practitioner(r)?,
        unit: unit(r)?,
    })
}

pub(crate) fn resident(r: &impl Columns) -> sqlx::Result<Resident> {
    Ok(Resident {
        id: r.uuid("res_id")?.into(),
        pnr: PersonalIdentityNumber::from_stored(&r.text("res_pnr")?).map_err(corrupt)?,
        name: parse_text(r.opt_text("res_name")?, PersonName::parse)?,
        phone: r.opt_text("res_phone")?,
        email: r.opt_text("res_email")?,
        notifications: NotificationChoices {
            sms: r.flag("res_notify_sms")?,
            email: r.flag("res_notify_email")?,
        },
        reminders: NotificationChoices {
            sms: r.flag("res_remind_sms")?,
            email: r.flag("res_remind_email")?,
        },
    })
}

/// The unit's service settings carried on the right of joined rows (one row
/// of nulls there when the unit has set up none).
pub(crate) fn joined_settings<R: Columns>(rows: &[R]) -> sqlx::Result<Vec<ServiceSetting>> {
    let mut settings = Vec::with_capacity(rows.len());
    for r in rows {
        if r.opt_uuid("us_unit_id")?.is_some() {
            settings.push(service_setting(r)?);
        }
    }
    Ok(settings)
}

pub(crate) fn service_setting(r: &impl Columns) -> sqlx::Result<ServiceSetting> {
    Ok(ServiceSetting {
        unit_id: r.uuid("us_unit_id")?.into(),
        service: word(r, "us_service")?,
        active: r.flag("us_active")?,
        audience: word(r, "us_audience")?,
        terms_text: r.text("us_terms_text")?,
        terms_html: r.text("us_terms_html")?,
    })
}

pub(crate) fn inbox_message(r: &impl Columns) -> sqlx::Result<InboxMessage> {
    Ok(InboxMessage {
        id: r.uuid("m_id")?,
        resident_id: r.uuid("m_resident_id")?.into(),
        booking_id: r.opt_uuid("m_booking_id")?.map(Into::into),
        kind: word(r, "m_kind")?,
        subject: r.text("m_subject")?,
        body: r.text("m_body")?,
        created_at: r.instant("m_created_at")?,
        read_at: r.opt_instant("m_read_at")?,
    })
}

pub(crate) fn access_entry(r: &impl Columns) -> sqlx::Result<AccessLogEntry> {
    Ok(AccessLogEntry {
        id: r.uuid("a_id")?,
        at: r.instant("a_at")?,
        actor_id: r.uuid("a_actor_id")?,
        actor_role: word(r, "a_actor_role")?,
        actor_name: r.opt_text("a_actor_name")?,
        unit_id: r.opt_uuid("a_unit_id")?.map(Into::into),
        action: word(r, "a_action")?,
        resident_id: r.uuid("a_resident_id")?.into(),
        booking_id: r.opt_uuid("a_booking_id")?.map(Into::into),
    })
}

/// A template block; `sb_weekday` is ISO (1 = Monday).
pub(crate) fn schedule_block(r: &impl Columns) -> sqlx::Result<tidbok_domain::schedule::ScheduleBlock> {
    let weekday = match r.int("sb_weekday")? {
        1 => chrono::Weekday::Mon,
        2 => chrono::Weekday::Tue,
        3 => chrono::Weekday::Wed,
        4 => chrono::Weekday::Thu,
        5 => chrono::Weekday::Fri,
        6 => chrono::Weekday::Sat,
        7 => chrono::Weekday::Sun,
        other => return Err(corrupt(format!("weekday {other}"))),
    };
    block_on(r, weekday)
}

/// A block of a one-day change, whose weekday is its date's.
pub(crate) fn block_on(
    r: &impl Columns,
    weekday: chrono::Weekday,
) -> sqlx::Result<tidbok_domain::schedule::ScheduleBlock> {
    let minute = u32::try_from(r.int("sb_start_minute")?).map_err(corrupt)?;
    let start = chrono::NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).ok_or_else(|| corrupt("start"))?;
    tidbok_domain::schedule::ScheduleBlock::new(
        weekday,
        r.uuid("sb_appointment_type_id")?.into(),
        start,
        u16::try_from(r.int("sb_slot_length_minutes")?).map_err(corrupt)?,
        u16::try_from(r.int("sb_slot_count")?).map_err(corrupt)?,
    )
    .map_err(corrupt)
}

pub(crate) fn outbox_entry(r: &impl Columns) -> sqlx::Result<tidbok_domain::ports::OutboxEntry> {
    use tidbok_domain::ports::{OutboxPayload, Outgoing};
    let id = r.uuid("id")?;
    let channel = word(r, "channel")?;
    let payload = match r.text("kind")?.as_str() {
        "reminder" => OutboxPayload::Reminder {
            booking_id: r.uuid("booking_id")?.into(),
            visit_starts_at: r.instant("visit_starts_at")?,
        },
        "offer" => OutboxPayload::Offer {
            hold_id: r.uuid("hold_id")?.into(),
        },
        _ => OutboxPayload::Notice(Outgoing {
            id,
            channel,
            recipient: r.text("recipient")?,
            subject: r.text("subject")?,
            body: r.text("body")?,
            calendar: r.opt_text("calendar")?,
        }),
    };
    Ok(tidbok_domain::ports::OutboxEntry {
        id,
        channel,
        attempts: u32::try_from(r.int("attempts")?).map_err(corrupt)?,
        payload,
    })
}
