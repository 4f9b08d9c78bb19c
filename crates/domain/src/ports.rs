//! Port traits: what the use cases need from storage, one small trait per
//! capability. The store crate implements them for SQLite and PostgreSQL; a
//! race between two writers is settled inside the implementation (conditional
//! update or named unique constraint) and comes back as [`Conflict`].

use crate::guardians::{Guardianship, RegisteredChild};
use crate::ids::*;
use crate::invitations::{Invitation, InvitationDetails};
use crate::model::*;
use crate::pnr::PersonalIdentityNumber;
use crate::reminders::ReminderPolicy;
use crate::schedule::{ExistingSlot, PlannedSlot, Publication, ScheduleBlock};
use crate::text::{BookingMessage, PersonName, ReasonForVisit};
use crate::waitlist::{EarlierTimeWish, Offer, WaitlistCount, WaitlistEntry};
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
    #[error("the time collides with another booking of the practitioner")]
    Overlap,
    #[error("the resident already holds the most bookings of this type allowed")]
    BookingLimitReached,
    /// The offer was accepted, declined or has run out, or its slot has gone.
    #[error("the offer is no longer open")]
    OfferGone,
    /// The invitation was used by another booking, or its window has ended.
    #[error("the invitation is used or has expired")]
    InvitationUsed,
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
    /// The booking-rush cap: refuse (`Conflict::BookingLimitReached`) when the
    /// resident already holds this many booked future slots of the same type.
    pub max_active_of_type: Option<u32>,
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
    /// The unit's service settings and an appointment type, read together
    /// (one round trip where the store can), for the resident's calendar.
    /// `None` when the unit does not exist; the type is `None` when it does
    /// not exist.
    async fn unit_settings_and_type(
        &self,
        unit: UnitId,
        ty: AppointmentTypeId,
    ) -> StoreResult<Option<(Vec<ServiceSetting>, Option<AppointmentType>)>>;
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
    /// Makes a practitioner's book the given member of staff's own.
    async fn link_practitioner_to_staff(&self, practitioner: PractitionerId, staff: StaffId) -> StoreResult<()>;
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
    /// The slot and its unit's service settings, read together (one round
    /// trip where the store can), for booking.
    async fn slot_with_settings(&self, id: SlotId) -> StoreResult<Option<(SlotDetails, Vec<ServiceSetting>)>>;
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
    async fn ensure_resident(
        &self,
        pnr: &PersonalIdentityNumber,
        name: Option<&PersonName>,
        at: DateTime<Utc>,
    ) -> StoreResult<Resident>;
    /// The resident with this number, if one is recorded (never creates one).
    async fn resident_by_pnr(&self, pnr: &PersonalIdentityNumber) -> StoreResult<Option<Resident>>;
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

/// A booking at a time of staff's choosing: the slot is created with it.
#[derive(Debug, Clone)]
pub struct AdHocBooking {
    pub slot_id: SlotId,
    pub slot: PlannedSlot,
    /// `slot_id` must be the slot above.
    pub booking: NewBooking,
}

/// A status change by staff: arrived (kommit) or entered in error (makulerad).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub booking: BookingId,
    pub to: BookingStatus,
    pub by: Actor,
    pub at: DateTime<Utc>,
}

/// Every write below brings its [`Effects`] (inbox message, outbox rows,
/// access-log lines) and commits them in the same transaction, or none.
#[async_trait]
pub trait BookingRepository: Send + Sync {
    /// Claims the slot and writes the booking in one transaction.
    /// `Conflict::SlotTaken` when the slot is no longer free.
    async fn book(
        &self,
        booking: &NewBooking,
        key: Option<&IdempotencyKey>,
        effects: &Effects,
    ) -> StoreResult<Committed<BookingId>>;
    /// Creates a slot and books it, unless the time overlaps an active
    /// booking of the practitioner (`Conflict::Overlap`). Free slots it
    /// overlaps are withdrawn.
    async fn book_ad_hoc(&self, booking: &AdHocBooking, effects: &Effects) -> StoreResult<BookingId>;
    /// Moves a booking (see [`Rebooking`]).
    async fn rebook(
        &self,
        rebooking: &Rebooking,
        key: Option<&IdempotencyKey>,
        effects: &Effects,
    ) -> StoreResult<Committed<BookingId>>;
    /// Cancels a booked booking and frees its slot in one transaction.
    /// `Conflict::BookingNotActive` when it is no longer booked.
    async fn cancel(&self, id: BookingId, cancellation: &Cancellation, effects: &Effects) -> StoreResult<()>;
    /// Booked → arrived (keeps the slot) or booked/arrived → entered in error
    /// (frees it). `Conflict::BookingNotActive` otherwise.
    async fn change_status(&self, change: &StatusChange, effects: &Effects) -> StoreResult<()>;
    /// Sets the hide-in-portal flag ("Dölj i 1177").
    async fn set_hidden_in_portal(
        &self,
        id: BookingId,
        hidden: bool,
        at: DateTime<Utc>,
        effects: &Effects,
    ) -> StoreResult<()>;
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

/// A slot of the appointment book with every booking it has had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentBookSlot {
    pub slot: SlotDetails,
    /// Held for an offer until then (rule 16); may already have run out.
    pub held_until: Option<DateTime<Utc>>,
    /// Oldest first; at most one of them active.
    pub bookings: Vec<(Booking, Resident)>,
}

/// A resident's cancellation or rebooking, for the unit's feed (rule 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub booking: BookingDetails,
    pub resident: Resident,
    pub at: DateTime<Utc>,
    /// For a rebooking: the new booking.
    pub rebooked_to: Option<BookingDetails>,
}

/// The staff's view of the book.
#[async_trait]
pub trait AppointmentBookRepository: Send + Sync {
    /// Every slot (free, booked, withdrawn with history) of the unit on
    /// `from ..= to`, optionally of one practitioner, by start.
    async fn appointment_book_slots(
        &self,
        unit: UnitId,
        from: NaiveDate,
        to: NaiveDate,
        practitioner: Option<PractitionerId>,
    ) -> StoreResult<Vec<AppointmentBookSlot>>;
    async fn booking_with_resident(&self, id: BookingId) -> StoreResult<Option<(BookingDetails, Resident)>>;
    /// Residents' own cancellations and rebookings at the unit after `since`,
    /// oldest first, at most `limit`.
    async fn cancellation_feed(&self, unit: UnitId, since: DateTime<Utc>, limit: u32) -> StoreResult<Vec<FeedEntry>>;
    /// For each practitioner and type of the unit, the last date with live slots.
    async fn published_until(&self, unit: UnitId) -> StoreResult<Vec<(PractitionerId, AppointmentTypeId, NaiveDate)>>;
    async fn practitioners(&self, unit: UnitId) -> StoreResult<Vec<Practitioner>>;
}

/// What publishing did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    pub created: u64,
    pub withdrawn: u64,
    /// Booked slots that no longer fit, including any booked while publishing.
    pub conflicts: Vec<SlotId>,
    /// Public holidays the template was not published on (rule 22).
    pub skipped_holidays: Vec<(NaiveDate, crate::holidays::Holiday)>,
}

#[async_trait]
pub trait ScheduleRepository: Send + Sync {
    async fn template(&self, practitioner: PractitionerId) -> StoreResult<Vec<ScheduleBlock>>;
    /// Replaces the practitioner's whole template.
    async fn replace_template(&self, practitioner: PractitionerId, blocks: &[ScheduleBlock]) -> StoreResult<()>;
    /// One-day changes on `from ..= to`: the date and its blocks (none: empty day).
    async fn day_overrides(
        &self,
        practitioner: PractitionerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<(NaiveDate, Vec<ScheduleBlock>)>>;
    async fn put_day_override(
        &self,
        practitioner: PractitionerId,
        day: NaiveDate,
        blocks: &[ScheduleBlock],
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Returns whether there was one.
    async fn delete_day_override(&self, practitioner: PractitionerId, day: NaiveDate) -> StoreResult<bool>;
    /// The practitioner's live (not withdrawn) slots on `from ..= to`.
    async fn live_slots(
        &self,
        practitioner: PractitionerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ExistingSlot>>;
    /// Applies a publication: creates, and withdraws only slots still free;
    /// one booked meanwhile becomes a conflict.
    async fn apply_publication(&self, publication: &Publication, at: DateTime<Utc>) -> StoreResult<Published>;
    /// Whether the unit's templates publish on public holidays (rule 22; off
    /// unless the unit chose it).
    async fn publishes_on_holidays(&self, unit: UnitId) -> StoreResult<bool>;
    async fn set_publishes_on_holidays(&self, unit: UnitId, on: bool) -> StoreResult<()>;
    /// The practitioner whose book belongs to this member of staff.
    async fn practitioner_of_staff(&self, staff: StaffId) -> StoreResult<Option<Practitioner>>;
}

/// Changes to the catalogue and the units' services beyond creation.
#[async_trait]
pub trait AdminRepository: Send + Sync {
    async fn regions(&self) -> StoreResult<Vec<Region>>;
    async fn update_region(&self, region: &Region) -> StoreResult<()>;
    async fn appointment_types(&self, region: RegionId) -> StoreResult<Vec<AppointmentType>>;
    /// `Conflict::Duplicate` when another type of the region has the name.
    async fn update_appointment_type(&self, ty: &AppointmentType) -> StoreResult<()>;
    /// Sets a service up for a unit (inactive, empty terms) unless it is.
    async fn set_up_service(&self, unit: UnitId, service: OnlineService) -> StoreResult<()>;
    /// The terms as written (Markdown) and as shown (sanitised HTML).
    /// Returns false when the service is not set up.
    async fn update_terms(&self, unit: UnitId, service: OnlineService, markdown: &str, html: &str)
        -> StoreResult<bool>;
    /// Returns false when the service is not set up.
    async fn set_activation(
        &self,
        unit: UnitId,
        service: OnlineService,
        active: bool,
        audience: Audience,
    ) -> StoreResult<bool>;
    /// Replaces the restricted selection, all or nothing.
    async fn replace_selection(
        &self,
        unit: UnitId,
        service: OnlineService,
        pnrs: &[PersonalIdentityNumber],
    ) -> StoreResult<()>;
    async fn selection_size(&self, unit: UnitId, service: OnlineService) -> StoreResult<u64>;
    /// Rule 14: the region's reminders; every unit that follows its region
    /// gets them in the same transaction.
    async fn set_region_reminders(&self, region: RegionId, policy: &ReminderPolicy) -> StoreResult<()>;
    /// Rule 14: a unit's own reminders, or (`None`) its region's again.
    async fn set_unit_reminders(&self, unit: UnitId, own: Option<&ReminderPolicy>) -> StoreResult<()>;
    /// Whether the unit has reminders of its own (else its region's).
    async fn unit_has_own_reminders(&self, unit: UnitId) -> StoreResult<bool>;
}

#[async_trait]
pub trait InboxRepository: Send + Sync {
    async fn inbox(&self, resident: ResidentId) -> StoreResult<Vec<InboxMessage>>;
    async fn inbox_message(&self, id: uuid::Uuid) -> StoreResult<Option<InboxMessage>>;
    /// Returns false when the message is not the resident's.
    async fn mark_read(&self, id: uuid::Uuid, resident: ResidentId, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Whether the resident was ever sent a message about this booking.
    async fn was_notified(&self, booking: BookingId) -> StoreResult<bool>;
    /// The resident's address, number, channels and reminder switches.
    async fn update_contact(
        &self,
        resident: ResidentId,
        phone: Option<&str>,
        email: Option<&str>,
        notifications: NotificationChoices,
        reminders: NotificationChoices,
    ) -> StoreResult<()>;
}

/// An outbox row claimed for delivery.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: uuid::Uuid,
    pub channel: Channel,
    /// Attempts so far, this one included.
    pub attempts: u32,
    pub payload: OutboxPayload,
}

/// What an outbox row sends.
#[derive(Clone, PartialEq, Eq)]
pub enum OutboxPayload {
    /// A notice of a change: its text and recipient were fixed with it.
    Notice(Outgoing),
    /// A reminder before a visit (rule 14): written when it is due, from
    /// the booking and the resident as they are then.
    Reminder {
        booking_id: BookingId,
        visit_starts_at: DateTime<Utc>,
    },
    /// An offer of an earlier time (rule 15): written when sent, from the
    /// hold as it is then; not sent once the hold is settled.
    Offer { hold_id: HoldId },
}

/// One message as a transport sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The outbox row's id: the same on every attempt, so a receiver can
    /// drop a resend.
    pub id: uuid::Uuid,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// The booking's calendar file, attached to an e-mail (rule 18).
    pub calendar: Option<String>,
}

impl std::fmt::Debug for OutboxEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxEntry")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl Outgoing {
    /// A composed message on `channel`: the body for e-mail, the short
    /// text for SMS; no calendar file.
    pub fn composed(id: uuid::Uuid, channel: Channel, recipient: String, composed: crate::notify::Composed) -> Self {
        Outgoing {
            id,
            channel,
            recipient,
            subject: composed.subject,
            body: match channel {
                Channel::Email => composed.body,
                Channel::Sms => composed.sms,
            },
            calendar: None,
        }
    }
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// Where an outbox row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    /// Handed to a transport (or about to be): never cancelled from here.
    Sending,
    Sent,
    Dead,
    /// A reminder of a booking that was cancelled, moved or hidden first.
    Cancelled,
    /// A reminder due on a channel the resident had switched off, or had
    /// no address for.
    Skipped,
}

#[async_trait]
pub trait OutboxRepository: Send + Sync {
    /// Claims up to `limit` due rows for `worker` until `now + lease`. Two
    /// workers never hold the same row: PostgreSQL skips rows another
    /// transaction has locked; SQLite runs one writer at a time.
    async fn claim_due(
        &self,
        worker: uuid::Uuid,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEntry>>;
    /// Just before a claimed row is handed to its transport: moves it to
    /// `sending`, for a reminder only if its booking is still booked at the
    /// start it reminds of. False: do not send (the row was cancelled, or
    /// its booking has moved on; it is then settled as cancelled).
    async fn begin_send(&self, id: uuid::Uuid, worker: uuid::Uuid) -> StoreResult<bool>;
    /// A due reminder that is not sent: the resident has switched the
    /// channel off or has no address for it.
    async fn mark_skipped(&self, id: uuid::Uuid, worker: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Only the worker holding the claim can settle it; false otherwise.
    async fn mark_sent(&self, id: uuid::Uuid, worker: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<bool>;
    /// A failed attempt: retry at `retry_at`, or dead when `None`.
    async fn mark_failed(
        &self,
        id: uuid::Uuid,
        worker: uuid::Uuid,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<bool>;
    /// The status and attempts of a message's deliveries (operations and tests).
    async fn deliveries(&self, message_id: uuid::Uuid) -> StoreResult<Vec<(Channel, OutboxStatus, u32)>>;
    /// A booking's reminders: when each is due, by which channel, and where
    /// it stands (the resident's booking view, staff and tests).
    async fn reminders(&self, booking: BookingId) -> StoreResult<Vec<ReminderRow>>;
}

/// One reminder row of a booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRow {
    pub id: uuid::Uuid,
    pub channel: Channel,
    pub due: DateTime<Utc>,
    pub visit_starts_at: DateTime<Utc>,
    pub status: OutboxStatus,
    pub sent_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait AccessLogRepository: Send + Sync {
    /// Appends lines (staff reads; changes append through [`Effects`]).
    async fn record_access(&self, entries: &[AccessLogEntry]) -> StoreResult<()>;
    /// Who accessed a resident's data (loggutdrag), newest first.
    async fn resident_access_log(
        &self,
        resident: ResidentId,
        limit: u32,
    ) -> StoreResult<Vec<(AccessLogEntry, Option<String>)>>;
    /// A unit's log, newest first, filtered, each line with its resident
    /// (whose data was accessed), for the unit's log review.
    async fn unit_access_log(
        &self,
        unit: UnitId,
        filter: &AccessLogFilter,
    ) -> StoreResult<Vec<(AccessLogEntry, Resident)>>;
}

/// Filters of the unit's access log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessLogFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub actor: Option<uuid::Uuid>,
    pub resident: Option<ResidentId>,
    pub action: Option<AccessAction>,
    pub limit: u32,
}

#[async_trait]
pub trait HealthCheck: Send + Sync {
    async fn ping(&self) -> StoreResult<()>;
}

/// The earlier-time waitlist and its holds (rules 15 and 16). Every offer is
/// made inside the store, in the transaction that frees the slot (a
/// cancellation, a rebooking, a voiding, a declined or expired offer) or by
/// the workers' sweep (new publications), so a freed slot reaches the first
/// resident waiting before anyone else can book it.
#[async_trait]
pub trait WaitlistRepository: Send + Sync {
    /// Asks for an earlier time for `booking` (whose slot says what
    /// qualifies), or changes the wish of the one already waiting, keeping
    /// its place in the queue. Returns the entry as stored.
    async fn put_waitlist_entry(
        &self,
        booking: &BookingDetails,
        wish: &EarlierTimeWish,
        now: DateTime<Utc>,
    ) -> StoreResult<WaitlistEntry>;
    /// The booking's waiting entry, if any.
    async fn waitlist_entry(&self, booking: BookingId) -> StoreResult<Option<WaitlistEntry>>;
    /// The resident's waiting entries, by booking.
    async fn resident_waitlist(&self, resident: ResidentId) -> StoreResult<Vec<WaitlistEntry>>;
    /// Takes the wish back; a slot held for it goes to the next resident.
    /// False: nothing was waiting.
    async fn withdraw_waitlist_entry(&self, booking: BookingId, now: DateTime<Utc>) -> StoreResult<bool>;
    /// One offer (any status).
    async fn offer(&self, id: HoldId) -> StoreResult<Option<Offer>>;
    /// The resident's offers still held at `now`.
    async fn resident_offers(&self, resident: ResidentId, now: DateTime<Utc>) -> StoreResult<Vec<Offer>>;
    /// Accepts an offer: the rebooking onto the held slot, in one
    /// transaction; `Conflict::OfferGone` when the hold is no longer live.
    async fn accept_offer(&self, offer: HoldId, rebooking: &Rebooking, effects: &Effects) -> StoreResult<BookingId>;
    /// Declines an open offer; the slot goes to the next resident waiting.
    async fn decline_offer(&self, offer: HoldId, now: DateTime<Utc>) -> StoreResult<()>;
    /// Settles holds that have run out (up to `limit`) and passes each slot
    /// on. How many were settled.
    async fn settle_expired_holds(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<u32>;
    /// Offers free slots that residents wait for and nobody has been offered
    /// yet (a new publication; anything freed at night). How many offers were made.
    async fn offer_free_slots(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<u32>;
    /// How many wait, per type and practitioner, at a unit.
    async fn waitlist_counts(&self, unit: UnitId, now: DateTime<Utc>) -> StoreResult<Vec<WaitlistCount>>;
    /// The region's hold length in minutes (None: no such region).
    async fn offer_hold_minutes(&self, region: RegionId) -> StoreResult<Option<u32>>;
    /// False: no such region.
    async fn set_offer_hold_minutes(&self, region: RegionId, minutes: u32) -> StoreResult<bool>;
}

/// Invitations to book (rule 19).
#[async_trait]
pub trait InvitationRepository: Send + Sync {
    /// Writes a new invitation with its effects (the resident's notice, the
    /// access log).
    async fn create_invitation(&self, invitation: &Invitation, effects: &Effects) -> StoreResult<()>;
    async fn invitation(&self, id: InvitationId) -> StoreResult<Option<InvitationDetails>>;
    /// The resident's invitations not used and whose window has not ended
    /// before `today`, soonest ending first.
    async fn resident_invitations(&self, resident: ResidentId, today: NaiveDate)
        -> StoreResult<Vec<InvitationDetails>>;
    /// A unit's invitations, newest first (open, used and expired).
    async fn unit_invitations(&self, unit: UnitId, limit: u32) -> StoreResult<Vec<InvitationDetails>>;
    /// Books with an invitation, which the booking uses up in the same
    /// transaction: `Conflict::InvitationUsed` when it is used or has ended
    /// before `today`; `SlotTaken` as any booking.
    async fn book_invited(
        &self,
        booking: &NewBooking,
        invitation: InvitationId,
        today: NaiveDate,
        effects: &Effects,
    ) -> StoreResult<BookingId>;
}

/// Rule 17: the population register (folkbokföringen) as far as guardians
/// go. The shipped adapter reads a table a regional admin loads from CSV
/// ([`GuardianRepository::replace_guardianships`]); a lookup in the real
/// register (Skatteverket's Navet) can take its place behind this trait.
#[async_trait]
pub trait PopulationRegister: Send + Sync {
    /// The children the register names this person guardian of, of any age.
    async fn children_of(&self, guardian: &PersonalIdentityNumber) -> StoreResult<Vec<RegisteredChild>>;
}

/// Rule 17: the register table behind the shipped [`PopulationRegister`]
/// adapter, and the region's age limit.
#[async_trait]
pub trait GuardianRepository: Send + Sync {
    /// Replaces the whole register table in one transaction; returns how
    /// many guardianships it holds.
    async fn replace_guardianships(&self, lines: &[Guardianship], at: DateTime<Utc>) -> StoreResult<u64>;
    /// How many guardianships and children the table holds, and when it was
    /// last loaded.
    async fn guardianships_summary(&self) -> StoreResult<RegisterSummary>;
    /// The region's age limit, if the region exists.
    async fn guardian_age_limit(&self, region: RegionId) -> StoreResult<Option<u32>>;
    async fn set_guardian_age_limit(&self, region: RegionId, limit: u32) -> StoreResult<bool>;
    /// The limit residents are held to: the lowest any region sets (the
    /// default when there is no region yet).
    async fn effective_guardian_age_limit(&self) -> StoreResult<u32>;
}

/// What the register table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegisterSummary {
    pub guardianships: u64,
    pub children: u64,
    pub loaded_at: Option<DateTime<Utc>>,
}

/// Everything the API needs from a store.
pub trait Store:
    CatalogueRepository
    + CatalogueAdmin
    + AdminRepository
    + SlotRepository
    + ResidentRepository
    + BookingRepository
    + AppointmentBookRepository
    + ScheduleRepository
    + InboxRepository
    + OutboxRepository
    + AccessLogRepository
    + WaitlistRepository
    + InvitationRepository
    + GuardianRepository
    + PopulationRegister
    + HealthCheck
{
}

impl<T> Store for T where
    T: CatalogueRepository
        + CatalogueAdmin
        + AdminRepository
        + SlotRepository
        + ResidentRepository
        + BookingRepository
        + AppointmentBookRepository
        + ScheduleRepository
        + InboxRepository
        + OutboxRepository
        + AccessLogRepository
        + WaitlistRepository
        + InvitationRepository
        + GuardianRepository
        + PopulationRegister
        + HealthCheck
{
}
