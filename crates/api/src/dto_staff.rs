//! Request and response bodies of the staff and admin endpoints, and of the
//! resident's inbox, notification settings and access log.

use crate::dto::*;
use crate::problem::{ApiError, FieldCode};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};
use tidbok_domain::holidays::Holiday;
use tidbok_domain::ports::{AppointmentBookSlot, FeedEntry};
use tidbok_domain::reminders::{
    InvalidPolicy, ReminderOffset, ReminderPolicy, MAX_HOURS_BEFORE, MAX_OFFSETS, MIN_HOURS_BEFORE,
};
use tidbok_domain::schedule::ScheduleBlock;
use tidbok_domain::time::ZONE;
use tidbok_domain::usecases::{HorizonReport, HorizonRow, UnitReminders};
use tidbok_domain::*;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

fn local(t: DateTime<Utc>) -> (NaiveDate, String) {
    let l = t.with_timezone(&ZONE);
    (l.date_naive(), l.format("%H:%M").to_string())
}

/// The resident as staff see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentRef {
    pub id: Uuid,
    pub name: Option<String>,
    /// Personnummer, `YYYYMMDD-NNNN`.
    #[schema(example = "19121212-1212")]
    pub personal_identity_number: String,
}

impl From<&Resident> for ResidentRef {
    fn from(r: &Resident) -> Self {
        Self {
            id: r.id.as_uuid(),
            name: r.name.as_ref().map(|n| n.as_str().to_owned()),
            personal_identity_number: r.pnr.formatted(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActorRef {
    pub kind: ActorKindName,
    pub id: Uuid,
}

impl ActorRef {
    /// Who acted on `patient`'s booking (a guardian when a resident other
    /// than the patient did, rule 17).
    pub fn of(a: Actor, patient: ResidentId) -> Self {
        Self {
            kind: ActorKindName::of(a, patient),
            id: a.uuid(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffCancellation {
    pub reason: String,
    pub by: ActorRef,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TypeRef {
    pub id: Uuid,
    pub name: String,
    pub mode: ModeName,
    pub portal_policy: PortalPolicyName,
}

impl From<&AppointmentType> for TypeRef {
    fn from(t: &AppointmentType) -> Self {
        Self {
            id: t.id.as_uuid(),
            name: t.name.clone(),
            mode: t.mode.into(),
            portal_policy: t.policy.into(),
        }
    }
}

/// A booking as staff see it: with the resident, who booked, and what happened.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffBookingResponse {
    pub id: Uuid,
    pub status: BookingStatusName,
    pub slot_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub local_start_time: String,
    pub length_minutes: i64,
    pub unit: NamedRef,
    pub practitioner: NamedRef,
    pub appointment_type: TypeRef,
    pub resident: ResidentRef,
    pub reason_for_visit: Option<String>,
    pub message: Option<String>,
    pub booked_by: ActorRef,
    pub booked_at: DateTime<Utc>,
    /// "Dölj i 1177".
    pub hidden_in_portal: bool,
    pub cancellation: Option<StaffCancellation>,
    pub rebooked_from: Option<Uuid>,
}

impl StaffBookingResponse {
    pub fn new(d: &BookingDetails, r: &Resident) -> Self {
        let (local_date, local_start_time) = local(d.slot.starts_at);
        Self {
            id: d.booking.id.as_uuid(),
            status: d.booking.status.into(),
            slot_id: d.slot.id.as_uuid(),
            starts_at: d.slot.starts_at,
            ends_at: d.slot.ends_at,
            local_date,
            local_start_time,
            length_minutes: d.slot.length_minutes(),
            unit: NamedRef {
                id: d.unit.id.as_uuid(),
                name: d.unit.name.clone(),
            },
            practitioner: NamedRef {
                id: d.practitioner.id.as_uuid(),
                name: d.practitioner.name.clone(),
            },
            appointment_type: (&d.appointment_type).into(),
            resident: r.into(),
            reason_for_visit: d.booking.reason_for_visit.as_ref().map(|x| x.as_str().to_owned()),
            message: d.booking.message.as_ref().map(|x| x.as_str().to_owned()),
            booked_by: ActorRef::of(d.booking.booked_by, d.booking.resident_id),
            booked_at: d.booking.booked_at,
            hidden_in_portal: d.booking.hidden_in_portal,
            cancellation: d.booking.cancellation.as_ref().map(|c| StaffCancellation {
                reason: c.reason.as_str().to_owned(),
                by: ActorRef::of(c.by, d.booking.resident_id),
                at: c.at,
            }),
            rebooked_from: d.booking.rebooked_from.map(|b| b.as_uuid()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SlotState {
    Free,
    Booked,
    /// Free but held for a resident's offer of an earlier time until
    /// `held_until` (rule 16): it cannot be booked before then.
    Held,
    /// Taken away by the schedule; shown only with its past bookings.
    Withdrawn,
}

/// A slot of the appointment book with every booking it has had, oldest first
/// (cancelled ones stay, rule 11).
#[derive(Debug, Serialize, ToSchema)]
pub struct BookSlotResponse {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub local_start_time: String,
    pub length_minutes: i64,
    pub practitioner: NamedRef,
    pub appointment_type: TypeRef,
    pub state: SlotState,
    /// For a `held` slot: when the hold runs out.
    pub held_until: Option<DateTime<Utc>>,
    pub bookings: Vec<StaffBookingResponse>,
}

impl From<&AppointmentBookSlot> for BookSlotResponse {
    fn from(s: &AppointmentBookSlot) -> Self {
        let slot = &s.slot.slot;
        let (local_date, local_start_time) = local(slot.starts_at);
        let state = if slot.booking_id.is_some() {
            SlotState::Booked
        } else if slot.withdrawn_at.is_some() {
            SlotState::Withdrawn
        } else if s.held_until.is_some() {
            SlotState::Held
        } else {
            SlotState::Free
        };
        Self {
            id: slot.id.as_uuid(),
            starts_at: slot.starts_at,
            ends_at: slot.ends_at,
            local_date,
            local_start_time,
            length_minutes: slot.length_minutes(),
            practitioner: NamedRef {
                id: s.slot.practitioner.id.as_uuid(),
                name: s.slot.practitioner.name.clone(),
            },
            appointment_type: (&s.slot.appointment_type).into(),
            state,
            held_until: s.held_until.filter(|_| state == SlotState::Held),
            bookings: s
                .bookings
                .iter()
                .map(|(b, r)| {
                    let details = BookingDetails {
                        booking: b.clone(),
                        slot: slot.clone(),
                        appointment_type: s.slot.appointment_type.clone(),
                        practitioner: s.slot.practitioner.clone(),
                        unit: s.slot.unit.clone(),
                    };
                    StaffBookingResponse::new(&details, r)
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookResponse {
    pub unit: NamedRef,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub slots: Vec<BookSlotResponse>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BookQuery {
    /// First date (Stockholm).
    pub from: NaiveDate,
    /// Last date; default `from` (a day view). At most 31 days.
    pub to: Option<NaiveDate>,
    /// Only this practitioner's book.
    pub practitioner_id: Option<Uuid>,
}

/// A time of staff's choosing (the slot is made for the booking).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdHocTime {
    pub practitioner_id: Uuid,
    pub appointment_type_id: Uuid,
    pub starts_at: DateTime<Utc>,
    #[validate(range(min = 5, max = 480))]
    #[schema(minimum = 5, maximum = 480)]
    pub length_minutes: u16,
}

/// Book a resident: into a free slot (`slot_id`) or at an ad-hoc time (`ad_hoc`).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"personal_identity_number": "19121212-1212", "slot_id": "5f0c6a8e-3c1b-4f7a-9d2e-6b8a1c0d9e21", "reason_for_visit": "Uppföljning", "hidden_in_portal": false}))]
pub struct StaffBookRequest {
    #[validate(length(min = 10, max = 13))]
    #[schema(min_length = 10, max_length = 13, example = "19121212-1212")]
    pub personal_identity_number: String,
    pub slot_id: Option<Uuid>,
    #[validate(nested)]
    pub ad_hoc: Option<AdHocTime>,
    #[validate(length(max = 500))]
    #[schema(
        max_length = 500,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub reason_for_visit: Option<String>,
    #[validate(length(max = 1000))]
    #[schema(
        max_length = 1000,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub message: Option<String>,
    #[serde(default)]
    pub hidden_in_portal: bool,
    /// Records a visit whose time has already started (rule 20): without it
    /// such a time is refused with `starts-in-past`; with it the resident is
    /// not notified and the access log says so. Only for times that have
    /// started (`validation-failed`, code `not_started`, otherwise).
    #[serde(default)]
    pub record_after_the_fact: bool,
}

/// Look a resident up by personal identity number before booking them (the
/// number goes in the body, never in a URL).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"personal_identity_number": "19121212-1212"}))]
pub struct ResidentLookupRequest {
    #[validate(length(min = 10, max = 13))]
    #[schema(min_length = 10, max_length = 13, example = "19121212-1212")]
    pub personal_identity_number: String,
}

/// Whom the number belongs to: `resident` is null when no resident with it is
/// recorded yet (booking them records one).
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentLookupResponse {
    pub resident: Option<ResidentRef>,
}

/// How a unit's templates are published.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Whether templates publish on Swedish public holidays and the eves units
    /// close on (rule 22). Off by default; one-day changes publish regardless.
    pub publish_on_holidays: bool,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HiddenRequest {
    pub hidden_in_portal: bool,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffRebookRequest {
    pub slot_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    Cancelled,
    Rebooked,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedEntryResponse {
    pub at: DateTime<Utc>,
    pub kind: FeedKind,
    pub booking: StaffBookingResponse,
    /// For a rebooking: the new booking.
    pub rebooked_to: Option<StaffBookingResponse>,
}

impl From<&FeedEntry> for FeedEntryResponse {
    fn from(e: &FeedEntry) -> Self {
        Self {
            at: e.at,
            kind: if e.booking.booking.status == BookingStatus::Rebooked {
                FeedKind::Rebooked
            } else {
                FeedKind::Cancelled
            },
            booking: StaffBookingResponse::new(&e.booking, &e.resident),
            rebooked_to: e
                .rebooked_to
                .as_ref()
                .map(|n| StaffBookingResponse::new(n, &e.resident)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedResponse {
    pub entries: Vec<FeedEntryResponse>,
    /// Pass as `since` to get what happened after these.
    pub next_since: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Only what happened after this instant.
    pub since: DateTime<Utc>,
    /// At most this many (default 100).
    #[validate(range(min = 1, max = 500))]
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// A weekday of a template block.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WeekdayName {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<WeekdayName> for Weekday {
    fn from(w: WeekdayName) -> Self {
        match w {
            WeekdayName::Monday => Weekday::Mon,
            WeekdayName::Tuesday => Weekday::Tue,
            WeekdayName::Wednesday => Weekday::Wed,
            WeekdayName::Thursday => Weekday::Thu,
            WeekdayName::Friday => Weekday::Fri,
            WeekdayName::Saturday => Weekday::Sat,
            WeekdayName::Sunday => Weekday::Sun,
        }
    }
}

impl From<Weekday> for WeekdayName {
    fn from(w: Weekday) -> Self {
        match w {
            Weekday::Mon => Self::Monday,
            Weekday::Tue => Self::Tuesday,
            Weekday::Wed => Self::Wednesday,
            Weekday::Thu => Self::Thursday,
            Weekday::Fri => Self::Friday,
            Weekday::Sat => Self::Saturday,
            Weekday::Sun => Self::Sunday,
        }
    }
}

/// One block: `count` slots of `slot_length_minutes` of a type from `start`.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"weekday": "monday", "appointment_type_id": "7157b0c0-0000-4000-8000-000000000107", "start": "09:15", "slot_length_minutes": 15, "count": 4}))]
pub struct BlockRequest {
    /// Ignored (taken from the date) in a one-day change.
    pub weekday: Option<WeekdayName>,
    pub appointment_type_id: Uuid,
    /// Stockholm wall-clock time, `HH:MM`.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "09:15")]
    pub start: String,
    #[validate(range(min = 5, max = 480))]
    #[schema(minimum = 5, maximum = 480)]
    pub slot_length_minutes: u16,
    #[validate(range(min = 1, max = 96))]
    #[schema(minimum = 1, maximum = 96)]
    pub count: u16,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateRequest {
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub blocks: Vec<BlockRequest>,
}

impl BlockRequest {
    /// The domain block; `weekday` overrides the request's (one-day changes).
    pub fn to_block(&self, index: usize, weekday: Option<Weekday>) -> Result<ScheduleBlock, ApiError> {
        let field = |name: &str| format!("blocks[{index}].{name}");
        let start = NaiveTime::parse_from_str(&self.start, "%H:%M")
            .map_err(|_| ApiError::field(&field("start"), FieldCode::TimeFormat, "must be HH:MM"))?;
        let weekday = weekday.or(self.weekday.map(Into::into)).ok_or_else(|| {
            ApiError::field(
                &field("weekday"),
                FieldCode::Required,
                "a template block needs its weekday",
            )
        })?;
        ScheduleBlock::new(
            weekday,
            AppointmentTypeId::from_uuid(self.appointment_type_id),
            start,
            self.slot_length_minutes,
            self.count,
        )
        .map_err(|e| ApiError::field(&format!("blocks[{index}]"), e.into(), e.to_string()))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockResponse {
    pub weekday: WeekdayName,
    pub appointment_type_id: Uuid,
    #[schema(example = "09:15")]
    pub start: String,
    pub slot_length_minutes: u16,
    pub count: u16,
    /// Computed: start + length × count.
    #[schema(example = "10:15")]
    pub end: String,
}

impl From<&ScheduleBlock> for BlockResponse {
    fn from(b: &ScheduleBlock) -> Self {
        Self {
            weekday: b.weekday.into(),
            appointment_type_id: b.appointment_type_id.as_uuid(),
            start: b.start.format("%H:%M").to_string(),
            slot_length_minutes: b.slot_length_minutes,
            count: b.count,
            end: b.end().format("%H:%M").to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateResponse {
    pub practitioner_id: Uuid,
    pub blocks: Vec<BlockResponse>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    pub from: NaiveDate,
    /// Last date, not before `from` (`validation-failed`, code `before_from`).
    pub to: NaiveDate,
    /// Only report what publishing would create, withdraw and leave in
    /// conflict; change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A booked slot the new schedule no longer has: it stays; staff resolve it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictResponse {
    pub slot_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub local_start_time: String,
    pub appointment_type: NamedRef,
    pub booking_id: Option<Uuid>,
}

impl From<&SlotDetails> for ConflictResponse {
    fn from(d: &SlotDetails) -> Self {
        let (local_date, local_start_time) = local(d.slot.starts_at);
        Self {
            slot_id: d.slot.id.as_uuid(),
            starts_at: d.slot.starts_at,
            local_date,
            local_start_time,
            appointment_type: NamedRef {
                id: d.appointment_type.id.as_uuid(),
                name: d.appointment_type.name.clone(),
            },
            booking_id: d.slot.booking_id.map(|b| b.as_uuid()),
        }
    }
}

/// A public holiday publishing left out (rule 22).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"date": "2026-12-24", "holiday": "christmas_eve"}))]
pub struct SkippedHoliday {
    pub date: NaiveDate,
    pub holiday: HolidayName,
}

/// Which holiday: the statutory ones and the eves units close on, by the
/// domain's stable code (`christmas_eve`).
#[derive(Debug, Clone, Copy)]
pub struct HolidayName(pub Holiday);

impl Serialize for HolidayName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.code())
    }
}

/// The contract lists every code: each holiday occurs once a year.
impl utoipa::PartialSchema for HolidayName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let codes = tidbok_domain::holidays::holidays(2026)
            .into_iter()
            .map(|(_, h)| h.code());
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("Which public holiday (or eve units close on), as a stable code."))
            .enum_values(Some(codes))
            .into()
    }
}

impl ToSchema for HolidayName {
    fn name() -> std::borrow::Cow<'static, str> {
        "HolidayName".into()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishResponse {
    /// Slots created (in a dry run: that would be).
    pub created: u64,
    /// Free slots withdrawn (in a dry run: that would be).
    pub withdrawn: u64,
    pub conflicts: Vec<ConflictResponse>,
    /// Public holidays in the range the template was not published on (rule 22).
    pub skipped_holidays: Vec<SkippedHoliday>,
    /// True when nothing was changed.
    pub dry_run: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HorizonRowResponse {
    pub practitioner: NamedRef,
    pub appointment_type: NamedRef,
    pub last_date: NaiveDate,
    pub reaches_horizon: bool,
}

impl From<&HorizonRow> for HorizonRowResponse {
    fn from(r: &HorizonRow) -> Self {
        Self {
            practitioner: NamedRef {
                id: r.practitioner.id.as_uuid(),
                name: r.practitioner.name.clone(),
            },
            appointment_type: NamedRef {
                id: r.appointment_type.id.as_uuid(),
                name: r.appointment_type.name.clone(),
            },
            last_date: r.last_date,
            reaches_horizon: r.reaches_horizon,
        }
    }
}

/// Rule 6: how far the unit has scheduled, against the eight weeks residents see.
#[derive(Debug, Serialize, ToSchema)]
pub struct HorizonResponse {
    pub unit: NamedRef,
    pub required_until: NaiveDate,
    /// Some practitioner or type is short of eight weeks.
    pub short: bool,
    pub rows: Vec<HorizonRowResponse>,
    /// Practitioners with no future slots at all.
    pub unscheduled: Vec<NamedRef>,
}

impl From<&HorizonReport> for HorizonResponse {
    fn from(r: &HorizonReport) -> Self {
        Self {
            unit: NamedRef {
                id: r.unit.id.as_uuid(),
                name: r.unit.name.clone(),
            },
            required_until: r.required_until,
            short: r.short,
            rows: r.rows.iter().map(Into::into).collect(),
            unscheduled: r
                .unscheduled
                .iter()
                .map(|p| NamedRef {
                    id: p.id.as_uuid(),
                    name: p.name.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PractitionerResponse {
    pub id: Uuid,
    pub name: String,
    pub profession: String,
}

impl From<&Practitioner> for PractitionerResponse {
    fn from(p: &Practitioner) -> Self {
        Self {
            id: p.id.as_uuid(),
            name: p.name.clone(),
            profession: p.profession.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum StaffRoleName {
    Staff,
    UnitAdmin,
    RegionalAdmin,
}

impl From<StaffRole> for StaffRoleName {
    fn from(r: StaffRole) -> Self {
        match r {
            StaffRole::Staff => Self::Staff,
            StaffRole::UnitAdmin => Self::UnitAdmin,
            StaffRole::RegionalAdmin => Self::RegionalAdmin,
        }
    }
}

/// Who acted in a line of the access log: a member of staff by role, or a
/// guardian acting for their child (rule 17).
#[derive(Debug, Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum AccessRoleName {
    Staff,
    UnitAdmin,
    RegionalAdmin,
    Guardian,
}

impl From<AccessRole> for AccessRoleName {
    fn from(r: AccessRole) -> Self {
        match r {
            AccessRole::Staff => Self::Staff,
            AccessRole::UnitAdmin => Self::UnitAdmin,
            AccessRole::RegionalAdmin => Self::RegionalAdmin,
            AccessRole::Guardian => Self::Guardian,
        }
    }
}

/// Who is logged in on the staff side, with the units they may work in.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffMeResponse {
    pub id: Uuid,
    pub role: StaffRoleName,
    pub name: Option<String>,
    pub units: Vec<NamedRef>,
    pub region: Option<Uuid>,
    /// The practitioner whose appointment book is the caller's own, if any.
    pub practitioner_id: Option<Uuid>,
}

// ----- administration -----

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeInput {
    Visit,
    PhoneCallBack,
    Video,
    HomeVisit,
}

impl From<ModeInput> for Mode {
    fn from(m: ModeInput) -> Self {
        match m {
            ModeInput::Visit => Mode::Visit,
            ModeInput::PhoneCallBack => Mode::PhoneCallBack,
            ModeInput::Video => Mode::Video,
            ModeInput::HomeVisit => Mode::HomeVisit,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyInput {
    Hidden,
    Visible,
    Cancelable,
    SelfService,
}

impl From<PolicyInput> for PortalPolicy {
    fn from(p: PolicyInput) -> Self {
        match p {
            PolicyInput::Hidden => PortalPolicy::Hidden,
            PolicyInput::Visible => PortalPolicy::Visible,
            PolicyInput::Cancelable => PortalPolicy::Cancelable,
            PolicyInput::SelfService => PortalPolicy::SelfService,
        }
    }
}

/// An appointment type of the region's catalogue.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Provtagning 1177", "profession": "Biomedicinsk analytiker", "mode": "visit", "default_length_minutes": 10, "portal_policy": "self_service", "min_age_years": null, "established_contact_only": false, "instructions": "Kom fastande."}))]
pub struct AppointmentTypeRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub profession: String,
    pub mode: ModeInput,
    #[validate(range(min = 5, max = 480))]
    #[schema(minimum = 5, maximum = 480)]
    pub default_length_minutes: u16,
    pub portal_policy: PolicyInput,
    #[validate(range(max = 130))]
    #[schema(maximum = 130)]
    pub min_age_years: Option<u8>,
    #[serde(default)]
    pub established_contact_only: bool,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub instructions: Option<String>,
    /// Retired types are kept for history but cannot be scheduled or booked.
    #[serde(default)]
    pub retired: bool,
}

impl AppointmentTypeRequest {
    pub fn to_type(&self, id: AppointmentTypeId, region: RegionId) -> Result<AppointmentType, ApiError> {
        let blank = |f: &str| ApiError::field(f, FieldCode::Blank, "must not be blank");
        if self.name.trim().is_empty() {
            return Err(blank("name"));
        }
        if self.profession.trim().is_empty() {
            return Err(blank("profession"));
        }
        Ok(AppointmentType {
            id,
            region_id: region,
            name: self.name.trim().to_owned(),
            profession: self.profession.trim().to_owned(),
            mode: self.mode.into(),
            default_length_minutes: self.default_length_minutes,
            policy: self.portal_policy.into(),
            eligibility: Eligibility {
                min_age_years: self.min_age_years,
                established_contact_only: self.established_contact_only,
            },
            instructions: self
                .instructions
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Into::into),
            retired: self.retired,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueTypeResponse {
    pub id: Uuid,
    pub name: String,
    pub profession: String,
    pub mode: ModeName,
    pub default_length_minutes: u16,
    pub portal_policy: PortalPolicyName,
    pub min_age_years: Option<u8>,
    pub established_contact_only: bool,
    pub instructions: Option<String>,
    pub retired: bool,
}

impl From<&AppointmentType> for CatalogueTypeResponse {
    fn from(t: &AppointmentType) -> Self {
        Self {
            id: t.id.as_uuid(),
            name: t.name.clone(),
            profession: t.profession.clone(),
            mode: t.mode.into(),
            default_length_minutes: t.default_length_minutes,
            portal_policy: t.policy.into(),
            min_age_years: t.eligibility.min_age_years,
            established_contact_only: t.eligibility.established_contact_only,
            instructions: t.instructions.clone(),
            retired: t.retired,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionResponse {
    pub id: Uuid,
    pub name: String,
    /// Rule 10: staff cancellations notify the resident.
    pub notify_on_staff_cancel: bool,
    /// Rule 14: the reminders before each visit, earliest first, at every
    /// unit that has none of its own.
    pub reminders: Vec<ReminderOffsetDto>,
}

impl From<&Region> for RegionResponse {
    fn from(r: &Region) -> Self {
        Self {
            id: r.id.as_uuid(),
            name: r.name.clone(),
            notify_on_staff_cancel: r.notify_on_staff_cancel,
            reminders: offsets(&r.reminders),
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionSettingsRequest {
    pub notify_on_staff_cancel: bool,
}

/// One reminder before a visit (rule 14): due `hours_before` the start,
/// moved out of the night (21:00–08:00 Stockholm time); with
/// `only_if_booked_hours_ahead`, only for bookings made at least that long
/// before the start.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hours_before": 168, "only_if_booked_hours_ahead": 240}))]
pub struct ReminderOffsetDto {
    /// 2 to 672 (four weeks).
    #[schema(minimum = 2, maximum = 672)]
    pub hours_before: u32,
    #[serde(default)]
    #[schema(minimum = 2, maximum = 1344)]
    pub only_if_booked_hours_ahead: Option<u32>,
}

pub fn offsets(policy: &ReminderPolicy) -> Vec<ReminderOffsetDto> {
    policy
        .offsets
        .iter()
        .map(|o| ReminderOffsetDto {
            hours_before: o.hours_before,
            only_if_booked_hours_ahead: o.only_if_booked_hours_ahead,
        })
        .collect()
}

/// A list of reminders as a policy, or the field error that says why not.
pub fn policy(field: &str, offsets: &[ReminderOffsetDto]) -> Result<ReminderPolicy, ApiError> {
    ReminderPolicy::new(
        offsets
            .iter()
            .map(|o| ReminderOffset {
                hours_before: o.hours_before,
                only_if_booked_hours_ahead: o.only_if_booked_hours_ahead,
            })
            .collect(),
    )
    .map_err(|e| {
        let code = match e {
            InvalidPolicy::TooMany | InvalidPolicy::OutOfRange => FieldCode::Range,
            InvalidPolicy::Duplicate => FieldCode::Duplicate,
            InvalidPolicy::AheadBelowOffset => FieldCode::ReminderAhead,
        };
        let message = match e {
            InvalidPolicy::TooMany => format!("at most {MAX_OFFSETS} reminders"),
            InvalidPolicy::OutOfRange => {
                format!("each reminder {MIN_HOURS_BEFORE} to {MAX_HOURS_BEFORE} hours before the visit")
            }
            other => other.to_string(),
        };
        ApiError::field(field, code, message)
    })
}

/// The region's reminders (rule 14); an empty list sends none.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reminders": [{"hours_before": 168, "only_if_booked_hours_ahead": 240}, {"hours_before": 48}]}))]
pub struct RegionRemindersRequest {
    pub reminders: Vec<ReminderOffsetDto>,
}

/// A unit's reminders (rule 14): its own, or its region's.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitReminderSettings {
    /// Whether the unit has reminders of its own; otherwise it follows its
    /// region's, including later changes.
    pub own: bool,
    /// What applies at the unit, earliest first.
    pub reminders: Vec<ReminderOffsetDto>,
    /// The region's.
    pub region_reminders: Vec<ReminderOffsetDto>,
}

impl From<&UnitReminders> for UnitReminderSettings {
    fn from(r: &UnitReminders) -> Self {
        Self {
            own: r.own,
            reminders: offsets(&r.policy),
            region_reminders: offsets(&r.region),
        }
    }
}

/// Give the unit its own reminders (`own` with `reminders`), or let it
/// follow its region's again (`own: false`, no `reminders`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"own": true, "reminders": [{"hours_before": 24}]}))]
pub struct UnitRemindersRequest {
    pub own: bool,
    #[serde(default)]
    pub reminders: Option<Vec<ReminderOffsetDto>>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AudienceName {
    /// Alla invånare.
    AllResidents,
    /// Begränsat urval.
    RestrictedSelection,
}

impl From<Audience> for AudienceName {
    fn from(a: Audience) -> Self {
        match a {
            Audience::AllResidents => Self::AllResidents,
            Audience::RestrictedSelection => Self::RestrictedSelection,
        }
    }
}

impl From<AudienceName> for Audience {
    fn from(a: AudienceName) -> Self {
        match a {
            AudienceName::AllResidents => Audience::AllResidents,
            AudienceName::RestrictedSelection => Audience::RestrictedSelection,
        }
    }
}

/// A service as administrators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminServiceResponse {
    pub service: OnlineServiceName,
    pub active: bool,
    pub audience: AudienceName,
    /// As written.
    pub terms_markdown: String,
    /// As residents see it (sanitised).
    pub terms_html: String,
    /// Numbers in the restricted selection.
    pub selection_size: u64,
}

impl AdminServiceResponse {
    pub fn new(s: &ServiceSetting, selection_size: u64) -> Self {
        Self {
            service: s.service.into(),
            active: s.active,
            audience: s.audience.into(),
            terms_markdown: s.terms_text.clone(),
            terms_html: s.terms_html.clone(),
            selection_size,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"terms_markdown": "Här kan du själv boka vissa tider till oss.\n\n- **Provtagning** – tid för provtagning."}))]
pub struct TermsRequest {
    /// Markdown: **bold**, *italic*, `-` bullet lists and links.
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub terms_markdown: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermsPreview {
    pub terms_html: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivationRequest {
    pub active: bool,
    pub audience: AudienceName,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SelectionResponse {
    pub size: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum AccessActionName {
    ViewBook,
    ViewBooking,
    ViewCancellationFeed,
    PrintSummons,
    Book,
    Rebook,
    Cancel,
    MarkArrived,
    MarkEnteredInError,
    SetHiddenInPortal,
    RecordAfterTheFact,
    LookUpResident,
    Invite,
    ViewInvitations,
    /// A guardian listed their child's bookings.
    ViewBookings,
    /// A guardian asked for, or withdrew, an earlier time for their child.
    EarlierTime,
    /// A guardian read their child's inbox or one of its messages.
    ViewInbox,
}

impl From<AccessAction> for AccessActionName {
    fn from(a: AccessAction) -> Self {
        match a {
            AccessAction::ViewBook => Self::ViewBook,
            AccessAction::ViewBooking => Self::ViewBooking,
            AccessAction::ViewCancellationFeed => Self::ViewCancellationFeed,
            AccessAction::PrintSummons => Self::PrintSummons,
            AccessAction::Book => Self::Book,
            AccessAction::Rebook => Self::Rebook,
            AccessAction::Cancel => Self::Cancel,
            AccessAction::MarkArrived => Self::MarkArrived,
            AccessAction::MarkEnteredInError => Self::MarkEnteredInError,
            AccessAction::SetHiddenInPortal => Self::SetHiddenInPortal,
            AccessAction::RecordAfterTheFact => Self::RecordAfterTheFact,
            AccessAction::LookUpResident => Self::LookUpResident,
            AccessAction::Invite => Self::Invite,
            AccessAction::ViewInvitations => Self::ViewInvitations,
            AccessAction::ViewBookings => Self::ViewBookings,
            AccessAction::EarlierTime => Self::EarlierTime,
            AccessAction::ViewInbox => Self::ViewInbox,
        }
    }
}

impl From<AccessActionName> for AccessAction {
    fn from(a: AccessActionName) -> Self {
        match a {
            AccessActionName::ViewBook => Self::ViewBook,
            AccessActionName::ViewBooking => Self::ViewBooking,
            AccessActionName::ViewCancellationFeed => Self::ViewCancellationFeed,
            AccessActionName::PrintSummons => Self::PrintSummons,
            AccessActionName::Book => Self::Book,
            AccessActionName::Rebook => Self::Rebook,
            AccessActionName::Cancel => Self::Cancel,
            AccessActionName::MarkArrived => Self::MarkArrived,
            AccessActionName::MarkEnteredInError => Self::MarkEnteredInError,
            AccessActionName::SetHiddenInPortal => Self::SetHiddenInPortal,
            AccessActionName::RecordAfterTheFact => Self::RecordAfterTheFact,
            AccessActionName::LookUpResident => Self::LookUpResident,
            AccessActionName::Invite => Self::Invite,
            AccessActionName::ViewInvitations => Self::ViewInvitations,
            AccessActionName::ViewBookings => Self::ViewBookings,
            AccessActionName::EarlierTime => Self::EarlierTime,
            AccessActionName::ViewInbox => Self::ViewInbox,
        }
    }
}

/// One line of a unit's access log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogEntryResponse {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The member of staff's id, or the guardian's resident id.
    pub actor_id: Uuid,
    pub actor_role: AccessRoleName,
    pub actor_name: Option<String>,
    pub unit_id: Option<Uuid>,
    pub action: AccessActionName,
    pub resident_id: Uuid,
    /// Whose data was read or changed.
    pub resident: ResidentRef,
    pub booking_id: Option<Uuid>,
}

impl From<&(AccessLogEntry, Resident)> for AccessLogEntryResponse {
    fn from((a, resident): &(AccessLogEntry, Resident)) -> Self {
        Self {
            id: a.id,
            at: a.at,
            actor_id: a.actor_id,
            actor_role: a.actor_role.into(),
            actor_name: a.actor_name.clone(),
            unit_id: a.unit_id.map(|u| u.as_uuid()),
            action: a.action.into(),
            resident_id: a.resident_id.as_uuid(),
            resident: resident.into(),
            booking_id: a.booking_id.map(|b| b.as_uuid()),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccessLogQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Only this member of staff (or guardian).
    pub actor_id: Option<Uuid>,
    /// Only this resident (by id, never by personal identity number in a URL).
    pub resident_id: Option<Uuid>,
    /// Only this kind of access.
    pub action: Option<AccessActionName>,
    /// At most this many (default 200).
    #[validate(range(min = 1, max = 1000))]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

// ----- the resident's inbox, settings and log -----

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxMessageResponse {
    pub id: Uuid,
    #[schema(example = "booked_by_staff")]
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub booking_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl From<&InboxMessage> for InboxMessageResponse {
    fn from(m: &InboxMessage) -> Self {
        Self {
            id: m.id,
            kind: m.kind.as_str().to_owned(),
            subject: m.subject.clone(),
            body: m.body.clone(),
            booking_id: m.booking_id.map(|b| b.as_uuid()),
            created_at: m.created_at,
            read: m.read_at.is_some(),
        }
    }
}

/// Avisering: where and how you want to hear about your bookings.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "anna@example.se", "phone": "+46701234567", "email_enabled": true, "sms_enabled": true,
    "email_reminders": true, "sms_reminders": false}))]
pub struct NotificationSettings {
    #[validate(length(max = 254))]
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// Mobile number; Swedish numbers may be written 070-123 45 67.
    #[validate(length(max = 20))]
    #[schema(max_length = 20)]
    pub phone: Option<String>,
    pub email_enabled: bool,
    pub sms_enabled: bool,
    /// Reminders before each visit by e-mail, when e-mail is on (rule 14;
    /// on unless switched off). Always given in answers; left out of a
    /// change, it stays as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_reminders: Option<bool>,
    /// Reminders before each visit by SMS, when SMS is on; as above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_reminders: Option<bool>,
}

impl From<&Resident> for NotificationSettings {
    fn from(r: &Resident) -> Self {
        Self {
            email: r.email.clone(),
            phone: r.phone.clone(),
            email_enabled: r.notifications.email,
            sms_enabled: r.notifications.sms,
            email_reminders: Some(r.reminders.email),
            sms_reminders: Some(r.reminders.sms),
        }
    }
}

/// Loggutdrag: one time someone at a unit read or changed your data.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyAccessLogEntry {
    pub at: DateTime<Utc>,
    pub unit: Option<String>,
    pub who: Option<String>,
    pub role: AccessRoleName,
    pub action: AccessActionName,
    pub booking_id: Option<Uuid>,
}
