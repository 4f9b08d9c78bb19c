//! The API's request and response bodies. Requests convert into domain values
//! (parse, don't validate); responses are built from domain values. Field
//! limits are declared twice on purpose: `#[validate]` enforces them and
//! `#[schema]` puts them in the contract, and a test checks they agree.

use crate::problem::{ineligibility_code, ApiError, FieldCode, FieldError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tidbok_domain::rules::OnlineRefusal;
use tidbok_domain::time::ZONE;
use tidbok_domain::usecases::{AvailableDates, BookOnline, ResidentBooking, TypeOffer, UnitOffer};
use tidbok_domain::*;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidationErrors};

/// The online services of a unit (ärendetyper).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OnlineServiceName {
    /// 1. Boka tid online.
    BookOnline,
    /// 2. Av-/omboka tid online.
    CancelRebookOnline,
}

impl From<OnlineService> for OnlineServiceName {
    fn from(s: OnlineService) -> Self {
        match s {
            OnlineService::BookOnline => Self::BookOnline,
            OnlineService::CancelRebookOnline => Self::CancelRebookOnline,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PortalPolicyName {
    Hidden,
    Visible,
    Cancelable,
    SelfService,
}

impl From<PortalPolicy> for PortalPolicyName {
    fn from(p: PortalPolicy) -> Self {
        match p {
            PortalPolicy::Hidden => Self::Hidden,
            PortalPolicy::Visible => Self::Visible,
            PortalPolicy::Cancelable => Self::Cancelable,
            PortalPolicy::SelfService => Self::SelfService,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeName {
    Visit,
    PhoneCallBack,
    Video,
    HomeVisit,
}

impl From<Mode> for ModeName {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Visit => Self::Visit,
            Mode::PhoneCallBack => Self::PhoneCallBack,
            Mode::Video => Self::Video,
            Mode::HomeVisit => Self::HomeVisit,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatusName {
    Booked,
    Arrived,
    Cancelled,
    Rebooked,
    EnteredInError,
}

impl From<BookingStatus> for BookingStatusName {
    fn from(s: BookingStatus) -> Self {
        match s {
            BookingStatus::Booked => Self::Booked,
            BookingStatus::Arrived => Self::Arrived,
            BookingStatus::Cancelled => Self::Cancelled,
            BookingStatus::Rebooked => Self::Rebooked,
            BookingStatus::EnteredInError => Self::EnteredInError,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorKindName {
    /// The patient themself.
    Resident,
    Staff,
    /// A guardian acting for the patient, their child (rule 17).
    Guardian,
}

impl ActorKindName {
    /// Who acted on `patient`'s booking: a resident other than the patient
    /// is their guardian.
    pub fn of(actor: Actor, patient: ResidentId) -> Self {
        match actor {
            Actor::Resident(id) if id == patient => Self::Resident,
            Actor::Resident(_) => Self::Guardian,
            Actor::Staff(_) => Self::Staff,
        }
    }
}

/// Why an online action on a booking is not offered.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// Cancelled, rebooked, arrived or entered in error.
    BookingNotActive,
    /// The type's policy is `visible`: only the unit can cancel.
    NotCancelableOnline,
    /// The unit does not allow online rebooking of this booking.
    NotRebookableOnline,
    /// The unit's cancel/rebook service is not active for this resident.
    ServiceNotActive,
    /// Less than 24 hours remain: call the unit.
    CancellationWindowClosed,
}

impl From<OnlineRefusal> for RefusalReason {
    fn from(r: OnlineRefusal) -> Self {
        match r {
            OnlineRefusal::BookingNotActive => Self::BookingNotActive,
            OnlineRefusal::NotCancelableOnline => Self::NotCancelableOnline,
            OnlineRefusal::NotRebookableOnline => Self::NotRebookableOnline,
            OnlineRefusal::ServiceNotActive => Self::ServiceNotActive,
            OnlineRefusal::CancellationWindowClosed => Self::CancellationWindowClosed,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceResponse {
    pub service: OnlineServiceName,
    /// Set up, activated and open to you (rule 8).
    pub available: bool,
    /// The unit's terms text for the service (villkorstext), as sanitised
    /// HTML (paragraphs, bold, italic, lists and links only).
    pub terms_html: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0b9e8f5e-2d53-4c57-9a8e-0f3c1d2e4a10",
    "name": "Vårdcentralen Påarp-Mörarp",
    "phone": "042-10 20 30",
    "address": "Storgatan 1, Påarp",
    "services": [{"service": "book_online", "available": true, "terms_html": "<p>Här kan du själv boka vissa tider till oss.</p>"}]
}))]
pub struct UnitResponse {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The services a regional admin has set up for the unit.
    pub services: Vec<ServiceResponse>,
}

impl From<UnitOffer> for UnitResponse {
    fn from(o: UnitOffer) -> Self {
        Self {
            id: o.unit.id.as_uuid(),
            name: o.unit.name,
            phone: o.unit.phone,
            address: o.unit.address,
            services: o
                .services
                .into_iter()
                .map(|s| ServiceResponse {
                    service: s.service.into(),
                    available: s.available,
                    terms_html: s.terms_html,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EligibilityResponse {
    pub min_age_years: Option<u8>,
    pub established_contact_only: bool,
}

/// Why you may not book a type (rule 13).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IneligibilityReason {
    BelowMinimumAge,
    EstablishedContactRequired,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentTypeResponse {
    pub id: Uuid,
    pub name: String,
    pub profession: String,
    pub mode: ModeName,
    pub default_length_minutes: u16,
    pub portal_policy: PortalPolicyName,
    pub instructions: Option<String>,
    pub eligibility: EligibilityResponse,
    /// Whether you may book this type online.
    pub bookable: bool,
    /// When `bookable` is false: why.
    pub not_bookable_reason: Option<IneligibilityReason>,
}

impl From<TypeOffer> for AppointmentTypeResponse {
    fn from(o: TypeOffer) -> Self {
        let t = o.appointment_type;
        let reason = o.eligibility.err().map(|i| match ineligibility_code(&i) {
            "below_minimum_age" => IneligibilityReason::BelowMinimumAge,
            _ => IneligibilityReason::EstablishedContactRequired,
        });
        Self {
            id: t.id.as_uuid(),
            name: t.name,
            profession: t.profession,
            mode: t.mode.into(),
            default_length_minutes: t.default_length_minutes,
            portal_policy: t.policy.into(),
            instructions: t.instructions,
            eligibility: EligibilityResponse {
                min_age_years: t.eligibility.min_age_years,
                established_contact_only: t.eligibility.established_contact_only,
            },
            bookable: reason.is_none(),
            not_bookable_reason: reason,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DateCountResponse {
    pub date: NaiveDate,
    pub free_slots: u32,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "horizon_first": "2026-11-26", "horizon_last": "2027-01-21",
    "from": "2026-11-26", "to": "2027-01-21",
    "first_free_date": "2026-11-30",
    "dates": [{"date": "2026-11-30", "free_slots": 4}, {"date": "2026-12-01", "free_slots": 12}]
}))]
pub struct AvailableDatesResponse {
    /// Today in Stockholm.
    pub horizon_first: NaiveDate,
    /// The last date residents may book (eight weeks ahead, rule 6).
    pub horizon_last: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Preselected in the calendar (rule 12); null when no date has free slots.
    pub first_free_date: Option<NaiveDate>,
    /// Dates with at least one free slot; dates not listed have none.
    pub dates: Vec<DateCountResponse>,
}

impl From<AvailableDates> for AvailableDatesResponse {
    fn from(a: AvailableDates) -> Self {
        Self {
            horizon_first: a.horizon.first,
            horizon_last: a.horizon.last,
            from: a.from,
            to: a.to,
            first_free_date: a.first_free_date,
            dates: a
                .dates
                .into_iter()
                .map(|(date, free_slots)| DateCountResponse { date, free_slots })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedRef {
    pub id: Uuid,
    pub name: String,
}

/// Local (Europe/Stockholm) date and wall-clock time of an instant.
fn local(t: DateTime<Utc>) -> (NaiveDate, String) {
    let l = t.with_timezone(&ZONE);
    (l.date_naive(), l.format("%H:%M").to_string())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SlotResponse {
    pub id: Uuid,
    /// UTC.
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The Stockholm date and time residents see.
    pub local_date: NaiveDate,
    #[schema(example = "08:30")]
    pub local_start_time: String,
    pub length_minutes: i64,
    pub unit: NamedRef,
    pub practitioner: NamedRef,
    pub appointment_type: NamedRef,
}

impl From<SlotDetails> for SlotResponse {
    fn from(d: SlotDetails) -> Self {
        let (local_date, local_start_time) = local(d.slot.starts_at);
        Self {
            id: d.slot.id.as_uuid(),
            starts_at: d.slot.starts_at,
            ends_at: d.slot.ends_at,
            local_date,
            local_start_time,
            length_minutes: d.slot.length_minutes(),
            unit: NamedRef {
                id: d.unit.id.as_uuid(),
                name: d.unit.name,
            },
            practitioner: NamedRef {
                id: d.practitioner.id.as_uuid(),
                name: d.practitioner.name,
            },
            appointment_type: NamedRef {
                id: d.appointment_type.id.as_uuid(),
                name: d.appointment_type.name,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingUnit {
    pub id: Uuid,
    pub name: String,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingType {
    pub id: Uuid,
    pub name: String,
    pub mode: ModeName,
    pub portal_policy: PortalPolicyName,
    pub instructions: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CancellationResponse {
    pub reason: String,
    pub by: ActorKindName,
    pub at: DateTime<Utc>,
}

/// A booking as its resident sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingResponse {
    pub id: Uuid,
    pub status: BookingStatusName,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    #[schema(example = "08:30")]
    pub local_start_time: String,
    pub length_minutes: i64,
    pub unit: BookingUnit,
    pub appointment_type: BookingType,
    pub practitioner: NamedRef,
    pub reason_for_visit: Option<String>,
    pub message: Option<String>,
    pub booked_by: ActorKindName,
    pub booked_at: DateTime<Utc>,
    pub cancellation: Option<CancellationResponse>,
    /// The booking this one was moved from.
    pub rebooked_from: Option<Uuid>,
    pub can_cancel: bool,
    /// When `can_cancel` is false: why.
    pub cannot_cancel_reason: Option<RefusalReason>,
    pub can_rebook: bool,
    /// When `can_rebook` is false: why.
    pub cannot_rebook_reason: Option<RefusalReason>,
}

impl From<ResidentBooking> for BookingResponse {
    fn from(r: ResidentBooking) -> Self {
        let d = r.details;
        let (local_date, local_start_time) = local(d.slot.starts_at);
        Self {
            id: d.booking.id.as_uuid(),
            status: d.booking.status.into(),
            starts_at: d.slot.starts_at,
            ends_at: d.slot.ends_at,
            local_date,
            local_start_time,
            length_minutes: d.slot.length_minutes(),
            unit: BookingUnit {
                id: d.unit.id.as_uuid(),
                name: d.unit.name,
                phone: d.unit.phone,
            },
            appointment_type: BookingType {
                id: d.appointment_type.id.as_uuid(),
                name: d.appointment_type.name,
                mode: d.appointment_type.mode.into(),
                portal_policy: d.appointment_type.policy.into(),
                instructions: d.appointment_type.instructions,
            },
            practitioner: NamedRef {
                id: d.practitioner.id.as_uuid(),
                name: d.practitioner.name,
            },
            reason_for_visit: d.booking.reason_for_visit.map(|r| r.as_str().to_owned()),
            message: d.booking.message.map(|m| m.as_str().to_owned()),
            booked_by: ActorKindName::of(d.booking.booked_by, d.booking.resident_id),
            booked_at: d.booking.booked_at,
            cancellation: d.booking.cancellation.map(|c| CancellationResponse {
                reason: c.reason.as_str().to_owned(),
                by: ActorKindName::of(c.by, d.booking.resident_id),
                at: c.at,
            }),
            rebooked_from: d.booking.rebooked_from.map(|b| b.as_uuid()),
            can_cancel: r.can_cancel.is_ok(),
            cannot_cancel_reason: r.can_cancel.err().map(Into::into),
            can_rebook: r.can_rebook.is_ok(),
            cannot_rebook_reason: r.can_rebook.err().map(Into::into),
        }
    }
}

/// Book a free slot online.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slot_id": "5f0c6a8e-3c1b-4f7a-9d2e-6b8a1c0d9e21",
    "reason_for_visit": "Provtagning inför årskontroll av diabetes",
    "message": "Jag nås bäst efter 15.",
    "terms_accepted": true
}))]
pub struct BookRequest {
    pub slot_id: Uuid,
    /// Sökorsak, shown to staff.
    #[validate(length(min = 1, max = 500))]
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub reason_for_visit: String,
    /// An optional message to the unit.
    #[validate(length(max = 1000))]
    #[schema(
        max_length = 1000,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub message: Option<String>,
    /// You have read the unit's terms text for booking (rule 9).
    pub terms_accepted: bool,
}

impl BookRequest {
    /// The checked request (field errors for a bad reason or message).
    pub fn to_domain(&self) -> Result<BookOnline, ApiError> {
        validate(self)?;
        Ok(BookOnline {
            slot_id: SlotId::from_uuid(self.slot_id),
            reason_for_visit: text_field("reason_for_visit", ReasonForVisit::parse(&self.reason_for_visit))?,
            message: self
                .message
                .as_deref()
                .map(|m| text_field("message", BookingMessage::parse(m)))
                .transpose()?,
            terms_accepted: self.terms_accepted,
        })
    }
}

/// Cancel a booking online; the reason is required (rule 4).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Jag är frisk igen."}))]
pub struct CancelRequest {
    #[validate(length(min = 1, max = 500))]
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub reason: String,
}

/// Move a booking to another free slot of the same type, length and practitioner.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RebookRequest {
    pub slot_id: Uuid,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DateRangeQuery {
    /// First date (Stockholm), default today.
    pub from: Option<NaiveDate>,
    /// Last date (Stockholm), default eight weeks ahead.
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DateQuery {
    /// The date (Stockholm).
    pub date: NaiveDate,
}

/// Checks `#[validate]` limits and reports every failing field.
pub fn validate(body: &impl Validate) -> Result<(), ApiError> {
    body.validate().map_err(|e| ApiError::field_errors(field_errors(&e)))
}

fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

/// Flattens nested errors into paths such as `blocks[2].count`.
fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(errs) => out.extend(errs.iter().map(|e| FieldError {
                field: path.clone(),
                code: FieldCode::of_validator(e.code.as_ref()),
                message: match (e.params.get("min"), e.params.get("max"), e.code.as_ref()) {
                    (Some(min), Some(max), "range") => format!("must be between {min} and {max}"),
                    (None, Some(max), "range") => format!("must be at most {max}"),
                    (Some(min), Some(max), _) => format!("must be between {min} and {max} characters"),
                    (None, Some(max), _) => format!("must be at most {max} characters"),
                    _ => "is invalid".to_owned(),
                },
            })),
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

/// Turns a domain text error into a field error.
pub fn text_field<T>(field: &str, parsed: Result<T, TextError>) -> Result<T, ApiError> {
    parsed.map_err(|e| {
        let code = match e {
            TextError::Empty => FieldCode::Blank,
            TextError::TooLong { .. } => FieldCode::Length,
            TextError::ControlCharacter => FieldCode::ControlCharacter,
        };
        ApiError::field(field, code, e.to_string())
    })
}
