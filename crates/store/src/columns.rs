//! Reading rows into domain values, the same way for both backends.
//!
//! Every query selects its columns under fixed aliases (`u_name`, `t_policy`,
//! `s_starts_at` ...) given by the `*_cols!` macros, so one conversion per
//! entity serves every query that joins it. [`Columns`] is the small set of
//! typed getters both row types provide.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use tidbok_domain::ports::StoreResult;
use tidbok_domain::*;
use uuid::Uuid;

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

macro_rules! impl_columns {
    ($row:ty) => {
        impl Columns for $row {
            fn uuid(&self, c: &str) -> sqlx::Result<Uuid> {
                self.try_get(c)
            }
            fn opt_uuid(&self, c: &str) -> sqlx::Result<Option<Uuid>> {
                self.try_get(c)
            }
            fn text(&self, c: &str) -> sqlx::Result<String> {
                self.try_get(c)
            }
            fn opt_text(&self, c: &str) -> sqlx::Result<Option<String>> {
                self.try_get(c)
            }
            fn int(&self, c: &str) -> sqlx::Result<i32> {
                self.try_get(c)
            }
            fn opt_int(&self, c: &str) -> sqlx::Result<Option<i32>> {
                self.try_get(c)
            }
            fn count(&self, c: &str) -> sqlx::Result<i64> {
                self.try_get(c)
            }
            fn flag(&self, c: &str) -> sqlx::Result<bool> {
                self.try_get(c)
            }
            fn instant(&self, c: &str) -> sqlx::Result<DateTime<Utc>> {
                self.try_get(c)
            }
            fn opt_instant(&self, c: &str) -> sqlx::Result<Option<DateTime<Utc>>> {
                self.try_get(c)
            }
            fn date(&self, c: &str) -> sqlx::Result<NaiveDate> {
                self.try_get(c)
            }
        }
    };
}

impl_columns!(sqlx::sqlite::SqliteRow);
impl_columns!(sqlx::postgres::PgRow);

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
    })
}

pub(crate) fn unit(r: &impl Columns) -> sqlx::Result<Unit> {
    Ok(Unit {
        id: r.uuid("u_id")?.into(),
        region_id: r.uuid("u_region_id")?.into(),
        name: r.text("u_name")?,
        phone: r.opt_text("u_phone")?,
        address: r.opt_text("u_address")?,
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
        actor_id: r.uuid("a_actor_id")?.into(),
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
    Ok(tidbok_domain::ports::OutboxEntry {
        id: r.uuid("id")?,
        message_id: r.uuid("message_id")?,
        channel: word(r, "channel")?,
        recipient: r.text("recipient")?,
        subject: r.text("subject")?,
        body: r.text("body")?,
        attempts: u32::try_from(r.int("attempts")?).map_err(corrupt)?,
    })
}

/// Reads every row with `f`, turning a decode failure into a store error.
pub(crate) fn all<R, T>(rows: Vec<R>, f: impl Fn(&R) -> sqlx::Result<T>) -> StoreResult<Vec<T>> {
    rows.iter().map(|r| f(r).map_err(crate::error::db_error)).collect()
}
