//! Port traits: what the use cases need from storage, one small trait per
//! capability. The store crate implements them for SQLite and PostgreSQL; a
//! race between two writers is settled inside the implementation (conditional
//! update or named unique constraint) and comes back as [`Conflict`].

use crate::ids::*;
use crate::model::*;
use crate::pnr::PersonalIdentityNumber;
use crate::schedule::PlannedSlot;
use crate::text::{BookingMessage, PersonName, ReasonForVisit};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

pub use crate::time::{Clock, FixedClock, SystemClock};

pub type StoreResult<T> = Result<T, StoreError>;
type Cause = Box<dyn std::error::Error + Send + Sync>;

/// What can go wrong in a store. No database types leak through: the cause
/// chain is kept for the logs only.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Conflict(#[from] Conflict),
    /// The database cannot be reached or is shutting down; worth retrying later.
    #[error("the database is unavailable")]
    Unavailable(#[source] Cause),
    /// Anything else: a bug or a corrupt row.
    #[error("the store failed")]
    Other(#[source] Cause),
}

/// A change the database refused because another one got there first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    #[error("the slot is already booked")]
    SlotTaken,
    #[error("the booking is no longer booked")]
    BookingNotActive,
    #[error("the idempotency key was already used for another request")]
    IdempotencyKeyReused,
    #[error("a record with the same key exists")]
    Duplicate,
}

/// A client-chosen key that makes a retried request return the first result.
/// `fingerprint` identifies the request body, so a key reused for another
/// request is refused instead of replayed. Keys are scoped to the actor who
/// books (`booked_by`, `by`) and the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub fingerprint: String,
}

/// The result of a write that may have been a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committed<T> {
    Created(T),
    Replayed(T),
}

impl<T> Committed<T> {
    pub fn value(&self) -> &T {
        match self {
            Committed::Created(v) | Committed::Replayed(v) => v,
        }
    }

    pub fn is_replay(&self) -> bool {
        matches!(self, Committed::Replayed(_))
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Committed<U> {
        match self {
            Committed::Created(v) => Committed::Created(f(v)),
            Committed::Replayed(v) => Committed::Replayed(f(v)),
        }
    }
}

/// Operations an idempotency key is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdempotentOperation {
    Book,
    Rebook,
}

impl IdempotentOperation {
    pub fn as_str(&self) -> &'static str {
        match self {
            IdempotentOperation::Book => "book",
            IdempotentOperation::Rebook => "rebook",
        }
    }
}

/// A booking to write. The slot is claimed only if it is still free and
/// starts after `slot_must_start_after`.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub id: BookingId,
    pub slot_id: SlotId,
    pub resident_id: ResidentId,
    pub booked_by: Actor,
    pub booked_at: DateTime<Utc>,
    pub reason_for_visit: Option<ReasonForVisit>,
    pub message: Option<BookingMessage>,
    pub hidden_in_portal: bool,
    pub slot_must_start_after: DateTime<Utc>,
}

/// Move `from` to `to_slot` as one transaction: the new slot is claimed first
/// and the old booking released only if that succeeded.
#[derive(Debug, Clone)]
pub struct Rebooking {
    pub from: BookingId,
    pub new_booking_id: BookingId,
    pub to_slot: SlotId,
    pub by: Actor,
    pub at: DateTime<Utc>,
    pub slot_must_start_after: DateTime<Utc>,
}

/// Free slots of one type at one unit, by Stockholm date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeSlotQuery {
    pub unit_id: UnitId,
    pub appointment_type_id: AppointmentTypeId,
    pub practitioner_id: Option<PractitionerId>,
    pub length_minutes: Option<i64>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub starting_after: DateTime<Utc>,
}

#[async_trait]
pub trait CatalogueRepository: Send + Sync {
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    async fn unit(&self, id: UnitId) -> StoreResult<Option<Unit>>;
    async fn region(&self, id: RegionId) -> StoreResult<Option<Region>>;
    async fn appointment_type(&self, id: AppointmentTypeId) -> StoreResult<Option<AppointmentType>>;
    /// The types a unit has scheduled slots of, by name.
    async fn unit_appointment_types(&self, unit: UnitId) -> StoreResult<Vec<AppointmentType>>;
    async fn practitioner(&self, id: PractitionerId) -> StoreResult<Option<Practitioner>>;
    /// The unit's services that a regional admin has set up.
    async fn service_settings(&self, unit: UnitId) -> StoreResult<Vec<ServiceSetting>>;
    /// Whether a resident is in a service's restricted selection.
    async fn in_selection(
        &self,
        unit: UnitId,
        service: OnlineService,
        pnr: &PersonalIdentityNumber,
    ) -> StoreResult<bool>;
}

/// Writes of the catalogue: used by the demo seed now and by the admin API.
#[async_trait]
pub trait CatalogueAdmin: Send + Sync {
    async fn insert_region(&self, region: &Region) -> StoreResult<()>;
    async fn insert_unit(&self, unit: &Unit) -> StoreResult<()>;
    async fn insert_practitioner(&self, practitioner: &Practitioner) -> StoreResult<()>;
    async fn insert_appointment_type(&self, ty: &AppointmentType) -> StoreResult<()>;
    async fn put_service_setting(&self, setting: &ServiceSetting) -> StoreResult<()>;
    async fn add_to_selection(
        &self,
        unit: UnitId,
        service: OnlineService,
        pnr: &PersonalIdentityNumber,
    ) -> StoreResult<()>;
}

#[async_trait]
pub trait SlotRepository: Send + Sync {
    async fn slot(&self, id: SlotId) -> StoreResult<Option<SlotDetails>>;
    /// Free slots per date in `from ..= to`, ordered by date; dates without
    /// free slots are left out.
    async fn free_slot_counts(&self, query: &FreeSlotQuery) -> StoreResult<Vec<(NaiveDate, u32)>>;
    /// Free slots, ordered by start.
    async fn free_slots(&self, query: &FreeSlotQuery) -> StoreResult<Vec<SlotDetails>>;
    /// Creates slots; a slot that exists already (same practitioner and
    /// start) is left as it is. Returns how many were created.
    async fn insert_slots(&self, slots: &[PlannedSlot]) -> StoreResult<u64>;
}

#[async_trait]
pub trait ResidentRepository: Send + Sync {
    async fn resident(&self, id: ResidentId) -> StoreResult<Option<Resident>>;
    /// Finds the resident with this number, creating the record the first
    /// time the number is seen (at first login or when staff book).
    async fn ensure_resident(&self, pnr: &PersonalIdentityNumber, name: Option<&PersonName>) -> StoreResult<Resident>;
    /// Whether the resident has an active or arrived booking at the unit with a
    /// practitioner of `profession` starting after `since` (rule 13).
    async fn has_established_contact(
        &self,
        resident: ResidentId,
        unit: UnitId,
        profession: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

#[async_trait]
pub trait BookingRepository: Send + Sync {
    /// Claims the slot and writes the booking in one transaction.
    /// `Conflict::SlotTaken` when the slot is no longer free.
    async fn book(&self, booking: &NewBooking, key: Option<&IdempotencyKey>) -> StoreResult<Committed<BookingId>>;
    /// Moves a booking (see [`Rebooking`]).
    async fn rebook(&self, rebooking: &Rebooking, key: Option<&IdempotencyKey>) -> StoreResult<Committed<BookingId>>;
    /// Cancels a booked booking and frees its slot in one transaction.
    /// `Conflict::BookingNotActive` when it is no longer booked.
    async fn cancel(&self, id: BookingId, cancellation: &Cancellation) -> StoreResult<()>;
    async fn booking(&self, id: BookingId) -> StoreResult<Option<BookingDetails>>;
    /// The resident's bookings that end after `ending_after`, by start.
    async fn resident_bookings(
        &self,
        resident: ResidentId,
        ending_after: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingDetails>>;
    /// What an idempotency key was used for: its fingerprint and the booking
    /// it produced.
    async fn idempotent_result(
        &self,
        principal: uuid::Uuid,
        operation: IdempotentOperation,
        key: &str,
    ) -> StoreResult<Option<(String, BookingId)>>;
}

#[async_trait]
pub trait HealthCheck: Send + Sync {
    async fn ping(&self) -> StoreResult<()>;
}

/// Everything the API needs from a store.
pub trait Store:
    CatalogueRepository + CatalogueAdmin + SlotRepository + ResidentRepository + BookingRepository + HealthCheck
{
}

impl<T> Store for T where
    T: CatalogueRepository + CatalogueAdmin + SlotRepository + ResidentRepository + BookingRepository + HealthCheck
{
}
