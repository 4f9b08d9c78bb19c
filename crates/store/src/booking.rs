//! Bookings: reading them, and every write of one — the online booking
//! ([`online`], once per backend), rebooking, staff's ad-hoc booking, status
//! changes, hiding and cancelling. Each write is one transaction with its
//! effects ([`crate::effects`]), retried whole on a serialization failure.
//!
//! A slot is claimed by a conditional update (free and not withdrawn), backed
//! by the partial unique index on a slot's active booking; idempotency keys
//! are claimed first, so a concurrent retry of a request waits for the first
//! and then replays its result.

use crate::backend::Backend;
use crate::calendar::offer_types;
use crate::columns::{self, Columns};
use crate::effects::write_effects;
use crate::error::{db_error, is_unique_violation, Failure};
use crate::outbox::cancel_reminders;
use crate::query::{query, Query, Tx};
use crate::retry::retrying;
use crate::schedule::lock_practitioner;
use crate::waitlist::{end_entry, offer_freed};
use crate::SqlStore;
use chrono::{DateTime, Utc};
use tidbok_domain::ports::*;
use tidbok_domain::waitlist::{EntryStatus, OfferWindow};
use tidbok_domain::*;
use uuid::Uuid;

/// The resident's bookings ("my bookings"), by start.
pub const RESIDENT_BOOKINGS: &str = concat!(
    booking_details_select!(),
    " WHERE b.resident_id = $1 AND s.ends_at > $2 ORDER BY b.starts_at, b.id"
);
const BOOKING_BY_ID: &str = concat!(booking_details_select!(), " WHERE b.id = $1");

/// The claim. The start is checked by the caller from RETURNING, not in the
/// WHERE: a range condition there tempts PostgreSQL's generic plan into a
/// scan of a partial index instead of the primary key.
/// A slot held for an offer (rule 16) is not claimed until its hold runs
/// out at `held_until` ($3: now); claiming it clears a hold that has.
const CLAIM_SLOT: &str = "UPDATE slots SET booking_id = $1, hold_id = NULL, held_until = NULL \
     WHERE id = $2 AND booking_id IS NULL AND withdrawn_at IS NULL AND (held_until IS NULL OR held_until <= $3) \
     RETURNING unit_id, starts_at";
const RELEASE_SLOT: &str = "UPDATE slots SET booking_id = NULL WHERE id = $1 AND booking_id = $2";
const INSERT_BOOKING: &str = "INSERT INTO bookings \
     (id, slot_id, resident_id, unit_id, starts_at, status, booked_by_kind, booked_by_id, booked_at, \
      reason_for_visit, message, hidden_in_portal, rebooked_from, calendar_uid, calendar_sequence) \
     VALUES ($1, $2, $3, $4, $5, 'booked', $6, $7, $8, $9, $10, $11, $12, $13, $14)";
/// A cancellation raises the calendar event's sequence (rule 18).
const CANCEL_BOOKING: &str = "UPDATE bookings SET status = 'cancelled', cancellation_reason = $2, \
     cancelled_by_kind = $3, cancelled_by_id = $4, cancelled_at = $5, calendar_sequence = calendar_sequence + 1 \
     WHERE id = $1 AND status = 'booked' RETURNING slot_id";
/// The old booking hands its calendar event on to the new one (rule 18).
const MARK_REBOOKED: &str = "UPDATE bookings SET status = 'rebooked', \
     cancelled_by_kind = $2, cancelled_by_id = $3, cancelled_at = $4 \
     WHERE id = $1 AND status = 'booked' \
     RETURNING slot_id, resident_id, reason_for_visit, message, hidden_in_portal, \
       COALESCE(calendar_uid, id) AS calendar_uid, calendar_sequence";
const LOCK_BOOKED: &str = "UPDATE bookings SET status = status WHERE id = $1 AND status = 'booked'";
const MARK_ARRIVED: &str =
    "UPDATE bookings SET status = 'arrived' WHERE id = $1 AND status = 'booked' RETURNING slot_id";
const MARK_ENTERED_IN_ERROR: &str = "UPDATE bookings SET status = 'entered_in_error', \
     cancelled_by_kind = $2, cancelled_by_id = $3, cancelled_at = $4, calendar_sequence = calendar_sequence + 1 \
     WHERE id = $1 AND status IN ('booked', 'arrived') RETURNING slot_id";
const SET_HIDDEN: &str = "UPDATE bookings SET hidden_in_portal = $2 WHERE id = $1";

/// Text, not a `const`: PostgreSQL's online booking claims the key inside a
/// statement of its own (`online.rs`).
macro_rules! claim_idempotency_key {
    () => {
        "INSERT INTO idempotency_keys (principal_id, operation, key, fingerprint, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
    };
}
const CLAIM_IDEMPOTENCY_KEY: &str = claim_idempotency_key!();
const IDEMPOTENCY_RESULT: &str = "SELECT fingerprint, booking_id FROM idempotency_keys \
     WHERE principal_id = $1 AND operation = $2 AND key = $3";
const SET_IDEMPOTENCY_RESULT: &str =
    "UPDATE idempotency_keys SET booking_id = $4 WHERE principal_id = $1 AND operation = $2 AND key = $3";

/// Free slots in the way of a staff booking step aside; held ones (rule 16)
/// stay and count as taken.
const WITHDRAW_OVERLAPPING_FREE: &str = "UPDATE slots SET withdrawn_at = $4 \
     WHERE practitioner_id = $1 AND booking_id IS NULL AND withdrawn_at IS NULL AND starts_at < $3 AND ends_at > $2 \
       AND (held_until IS NULL OR held_until <= $4)";
const OVERLAPPING_BOOKED: &str = "SELECT COUNT(*) AS n FROM slots \
     WHERE practitioner_id = $1 AND withdrawn_at IS NULL AND starts_at < $3 AND ends_at > $2 \
       AND (booking_id IS NOT NULL OR held_until > $4)";
const INSERT_BOOKED_SLOT: &str = "INSERT INTO slots \
     (id, unit_id, practitioner_id, appointment_type_id, starts_at, ends_at, local_date, length_minutes, booking_id) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

// After the SQL: the online booking builds on its text macros.
pub(crate) mod online;

#[async_trait::async_trait]
impl BookingRepository for SqlStore {
    async fn book(
        &self,
        b: &NewBooking,
        key: Option<&IdempotencyKey>,
        effects: &Effects,
    ) -> StoreResult<Committed<BookingId>> {
        Ok(retrying("book", || online::book(&self.db, b, key, effects)).await?)
    }

    async fn book_ad_hoc(&self, b: &AdHocBooking, effects: &Effects) -> StoreResult<BookingId> {
        Ok(retrying("book_ad_hoc", || book_ad_hoc(&self.db, b, effects)).await?)
    }

    async fn rebook(
        &self,
        r: &Rebooking,
        key: Option<&IdempotencyKey>,
        effects: &Effects,
    ) -> StoreResult<Committed<BookingId>> {
        Ok(retrying("rebook", || rebook(&self.db, r, key, effects, self.offers)).await?)
    }

    async fn cancel(&self, id: BookingId, c: &Cancellation, effects: &Effects) -> StoreResult<()> {
        Ok(retrying("cancel", || cancel(&self.db, id, c, effects, self.offers)).await?)
    }

    async fn change_status(&self, change: &StatusChange, effects: &Effects) -> StoreResult<()> {
        Ok(retrying("change_status", || {
            change_status(&self.db, change, effects, self.offers)
        })
        .await?)
    }

    async fn set_hidden_in_portal(
        &self,
        id: BookingId,
        hidden: bool,
        at: DateTime<Utc>,
        effects: &Effects,
    ) -> StoreResult<()> {
        Ok(retrying("set_hidden", || {
            set_hidden(&self.db, id, hidden, at, effects, self.offers)
        })
        .await?)
    }

    async fn booking(&self, id: BookingId) -> StoreResult<Option<BookingDetails>> {
        query(BOOKING_BY_ID)
            .bind(id.as_uuid())
            .optional(&self.db, columns::booking_details)
            .await
    }

    async fn resident_bookings(
        &self,
        resident: ResidentId,
        ending_after: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingDetails>> {
        query(RESIDENT_BOOKINGS)
            .bind(resident.as_uuid())
            .bind(ending_after)
            .all(&self.db, columns::booking_details)
            .await
    }

    async fn idempotent_result(
        &self,
        principal: Uuid,
        operation: IdempotentOperation,
        key: &str,
    ) -> StoreResult<Option<(String, BookingId)>> {
        let row = query(IDEMPOTENCY_RESULT)
            .bind(principal)
            .bind(operation.as_str())
            .bind(key)
            .fetch_optional(&self.db)
            .await
            .map_err(db_error)?;
        let Some(row) = row else { return Ok(None) };
        let fingerprint = row.text("fingerprint").map_err(db_error)?;
        Ok(row
            .opt_uuid("booking_id")
            .map_err(db_error)?
            .map(|b| (fingerprint, b.into())))
    }
}

/// A `bookings` row to insert ([`INSERT_BOOKING`]), on a slot already
/// claimed: its unit and start come from the claim.
struct BookingRow<'a> {
    id: BookingId,
    slot_id: SlotId,
    resident_id: Uuid,
    unit_id: Uuid,
    starts_at: DateTime<Utc>,
    booked_by: Actor,
    booked_at: DateTime<Utc>,
    reason_for_visit: Option<&'a str>,
    message: Option<&'a str>,
    hidden_in_portal: bool,
    rebooked_from: Option<BookingId>,
    /// The calendar event carried over from the booking rebooked from.
    calendar: Option<(Uuid, i32)>,
}

impl<'a> BookingRow<'a> {
    fn new(b: &'a NewBooking, unit_id: Uuid, starts_at: DateTime<Utc>) -> Self {
        BookingRow {
            id: b.id,
            slot_id: b.slot_id,
            resident_id: b.resident_id.as_uuid(),
            unit_id,
            starts_at,
            booked_by: b.booked_by,
            booked_at: b.booked_at,
            reason_for_visit: b.reason_for_visit.as_ref().map(|r| r.as_str()),
            message: b.message.as_ref().map(|m| m.as_str()),
            hidden_in_portal: b.hidden_in_portal,
            rebooked_from: None,
            calendar: None,
        }
    }

    fn insert(&self) -> Query<'a> {
        query(INSERT_BOOKING)
            .bind(self.id.as_uuid())
            .bind(self.slot_id.as_uuid())
            .bind(self.resident_id)
            .bind(self.unit_id)
            .bind(self.starts_at)
            .bind(self.booked_by.kind().as_str())
            .bind(self.booked_by.uuid())
            .bind(self.booked_at)
            .bind(self.reason_for_visit)
            .bind(self.message)
            .bind(self.hidden_in_portal)
            .bind(self.rebooked_from.map(|id| id.as_uuid()))
            .bind(self.calendar.map(|(uid, _)| uid))
            .bind(self.calendar.map_or(0, |(_, sequence)| sequence))
    }
}

/// Claims the idempotency key for this request: `CLAIM_IDEMPOTENCY_KEY`
/// with its parameters.
fn claim_key_query<'q>(
    principal: Uuid,
    operation: IdempotentOperation,
    key: &'q IdempotencyKey,
    now: DateTime<Utc>,
) -> Query<'q> {
    query(CLAIM_IDEMPOTENCY_KEY)
        .bind(principal)
        .bind(operation.as_str())
        .bind(&key.key)
        .bind(&key.fingerprint)
        .bind(now)
}

/// Records the key first, so a concurrent retry of the same request waits
/// on it (PostgreSQL) or is serialized behind it (SQLite) and then replays
/// instead of racing for the slot.
async fn claim_key(
    tx: &mut Tx,
    principal: Uuid,
    operation: IdempotentOperation,
    key: Option<&IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<Option<Committed<BookingId>>, Failure> {
    let Some(key) = key else { return Ok(None) };
    let inserted = claim_key_query(principal, operation, key, now)
        .execute(&mut *tx)
        .await?;
    if inserted == 1 {
        return Ok(None);
    }
    key_result(tx, principal, operation, key).await.map(Some)
}

/// What an earlier request with this key did: its booking, or
/// `IdempotencyKeyReused` when that request asked for something else.
async fn key_result(
    tx: &mut Tx,
    principal: Uuid,
    operation: IdempotentOperation,
    key: &IdempotencyKey,
) -> Result<Committed<BookingId>, Failure> {
    let row = query(IDEMPOTENCY_RESULT)
        .bind(principal)
        .bind(operation.as_str())
        .bind(&key.key)
        .fetch_one(tx)
        .await?;
    if row.text("fingerprint")? != key.fingerprint {
        return Err(Conflict::IdempotencyKeyReused.into());
    }
    match row.opt_uuid("booking_id")? {
        Some(id) => Ok(Committed::Replayed(id.into())),
        None => Err(Failure::Corrupt("idempotency key without result".into())),
    }
}

async fn set_key_result(
    tx: &mut Tx,
    principal: Uuid,
    operation: IdempotentOperation,
    key: Option<&IdempotencyKey>,
    booking: BookingId,
) -> Result<(), Failure> {
    if let Some(key) = key {
        query(SET_IDEMPOTENCY_RESULT)
            .bind(principal)
            .bind(operation.as_str())
            .bind(&key.key)
            .bind(booking.as_uuid())
            .execute(tx)
            .await?;
    }
    Ok(())
}

/// Claims a free slot for `booking`: its unit and start, or `SlotTaken`
/// when it is not free (or held at `now`) or starts no later than
/// `must_start_after` (see [`CLAIM_SLOT`]).
async fn claim_slot(
    tx: &mut Tx,
    booking: BookingId,
    slot: SlotId,
    must_start_after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(Uuid, DateTime<Utc>), Failure> {
    let claimed = query(CLAIM_SLOT)
        .bind(booking.as_uuid())
        .bind(slot.as_uuid())
        .bind(now)
        .fetch_optional(tx)
        .await?
        .ok_or(Conflict::SlotTaken)?;
    let starts_at = claimed.instant("starts_at")?;
    if starts_at <= must_start_after {
        return Err(Conflict::SlotTaken.into());
    }
    Ok((claimed.uuid("unit_id")?, starts_at))
}

/// Inserts the booking of a claimed slot; another active booking of the slot
/// (its partial unique index) means the slot was taken.
async fn insert_claimed(tx: &mut Tx, row: BookingRow<'_>) -> Result<(), Failure> {
    match row.insert().execute(tx).await {
        Err(e) if is_unique_violation(&e) => Err(Conflict::SlotTaken.into()),
        other => Ok(other.map(drop)?),
    }
}

async fn rebook(
    db: &Backend,
    r: &Rebooking,
    key: Option<&IdempotencyKey>,
    effects: &Effects,
    window: OfferWindow,
) -> Result<Committed<BookingId>, Failure> {
    let principal = r.by.uuid();
    let mut tx = db.begin().await?;
    if let Some(replay) = claim_key(&mut tx, principal, IdempotentOperation::Rebook, key, r.at).await? {
        return Ok(replay);
    }
    lock_booked(&mut tx, r.from).await?;
    // The new slot first: the old booking is released only once it is ours.
    let (unit_id, starts_at) = claim_slot(&mut tx, r.new_booking_id, r.to_slot, r.slot_must_start_after, r.at).await?;
    end_entry(&mut tx, r.from, r.at, EntryStatus::Ended, window).await?;
    move_booking(&mut tx, r, unit_id, starts_at, window).await?;
    set_key_result(&mut tx, principal, IdempotentOperation::Rebook, key, r.new_booking_id).await?;
    write_effects(&mut tx, effects).await?;
    tx.commit().await?;
    Ok(Committed::Created(r.new_booking_id))
}

/// Locks a booking that is to change while it is booked, before anything
/// else: every change of a booking (cancel, rebook, accepting an offer)
/// takes its rows in the order booking, slot, wish, so two changes of one
/// booking queue instead of deadlocking.
pub(crate) async fn lock_booked(tx: &mut Tx, booking: BookingId) -> Result<(), Failure> {
    let locked = query(LOCK_BOOKED).bind(booking.as_uuid()).execute(tx).await?;
    if locked == 0 {
        return Err(Conflict::BookingNotActive.into());
    }
    Ok(())
}

/// The rest of a rebooking once the new slot (unit, start) is claimed: the
/// old booking marked rebooked and its slot released (and offered to whoever
/// waits for it, rule 15), its reminders cancelled, the new booking written
/// with the old one's reason, message and calendar event.
pub(crate) async fn move_booking(
    tx: &mut Tx,
    r: &Rebooking,
    unit_id: Uuid,
    starts_at: DateTime<Utc>,
    window: OfferWindow,
) -> Result<(), Failure> {
    let old = query(MARK_REBOOKED)
        .bind(r.from.as_uuid())
        .bind(r.by.kind().as_str())
        .bind(r.by.uuid())
        .bind(r.at)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Conflict::BookingNotActive)?;
    let old_slot = old.uuid("slot_id")?;
    release_slot(tx, old_slot, r.from).await?;
    cancel_reminders(tx, r.from).await?;
    let (reason, message) = (old.opt_text("reason_for_visit")?, old.opt_text("message")?);
    let row = BookingRow {
        id: r.new_booking_id,
        slot_id: r.to_slot,
        resident_id: old.uuid("resident_id")?,
        unit_id,
        starts_at,
        booked_by: r.by,
        booked_at: r.at,
        reason_for_visit: reason.as_deref(),
        message: message.as_deref(),
        hidden_in_portal: old.flag("hidden_in_portal")?,
        rebooked_from: Some(r.from),
        calendar: Some((old.uuid("calendar_uid")?, old.int("calendar_sequence")? + 1)),
    };
    insert_claimed(tx, row).await?;
    offer_freed(tx, old_slot, r.at, window).await?;
    Ok(())
}

async fn release_slot(tx: &mut Tx, slot: Uuid, booking: BookingId) -> sqlx::Result<()> {
    query(RELEASE_SLOT)
        .bind(slot)
        .bind(booking.as_uuid())
        .execute(tx)
        .await?;
    Ok(())
}

async fn book_ad_hoc(db: &Backend, a: &AdHocBooking, effects: &Effects) -> Result<BookingId, Failure> {
    let s = &a.slot;
    let b = &a.booking;
    let mut tx = db.begin().await?;
    lock_practitioner(&mut tx, s.practitioner_id).await?;
    // Free slots in the way step aside (only if still free) ...
    query(WITHDRAW_OVERLAPPING_FREE)
        .bind(s.practitioner_id.as_uuid())
        .bind(s.starts_at)
        .bind(s.ends_at)
        .bind(b.booked_at)
        .execute(&mut tx)
        .await?;
    // ... and any booking in the way, including one that got there first,
    // refuses the time.
    let clash = query(OVERLAPPING_BOOKED)
        .bind(s.practitioner_id.as_uuid())
        .bind(s.starts_at)
        .bind(s.ends_at)
        .bind(b.booked_at)
        .fetch_one(&mut tx)
        .await?
        .count("n")?;
    if clash > 0 {
        return Err(Conflict::Overlap.into());
    }
    let inserted = query(INSERT_BOOKED_SLOT)
        .bind(a.slot_id.as_uuid())
        .bind(s.unit_id.as_uuid())
        .bind(s.practitioner_id.as_uuid())
        .bind(s.appointment_type_id.as_uuid())
        .bind(s.starts_at)
        .bind(s.ends_at)
        .bind(s.local_date)
        .bind((s.ends_at - s.starts_at).num_minutes() as i32)
        .bind(b.id.as_uuid())
        .execute(&mut tx)
        .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(Conflict::Overlap.into()),
        other => other?,
    };
    offer_types(&mut tx, &[(s.unit_id, s.appointment_type_id)]).await?;
    BookingRow::new(b, s.unit_id.as_uuid(), s.starts_at)
        .insert()
        .execute(&mut tx)
        .await?;
    write_effects(&mut tx, effects).await?;
    tx.commit().await?;
    Ok(b.id)
}

async fn change_status(db: &Backend, c: &StatusChange, effects: &Effects, window: OfferWindow) -> Result<(), Failure> {
    let mut tx = db.begin().await?;
    match c.to {
        BookingStatus::Arrived => {
            query(MARK_ARRIVED)
                .bind(c.booking.as_uuid())
                .fetch_optional(&mut tx)
                .await?
                .ok_or(Conflict::BookingNotActive)?;
        }
        BookingStatus::EnteredInError => {
            let row = query(MARK_ENTERED_IN_ERROR)
                .bind(c.booking.as_uuid())
                .bind(c.by.kind().as_str())
                .bind(c.by.uuid())
                .bind(c.at)
                .fetch_optional(&mut tx)
                .await?
                .ok_or(Conflict::BookingNotActive)?;
            let slot = row.uuid("slot_id")?;
            release_slot(&mut tx, slot, c.booking).await?;
            end_entry(&mut tx, c.booking, c.at, EntryStatus::Ended, window).await?;
            offer_freed(&mut tx, slot, c.at, window).await?;
        }
        other => return Err(Failure::Corrupt(format!("no status change to {other}"))),
    }
    if c.to == BookingStatus::Arrived {
        end_entry(&mut tx, c.booking, c.at, EntryStatus::Ended, window).await?;
    }
    cancel_reminders(&mut tx, c.booking).await?;
    write_effects(&mut tx, effects).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_hidden(
    db: &Backend,
    id: BookingId,
    hidden: bool,
    at: DateTime<Utc>,
    effects: &Effects,
    window: OfferWindow,
) -> Result<(), Failure> {
    let mut tx = db.begin().await?;
    let changed = query(SET_HIDDEN)
        .bind(id.as_uuid())
        .bind(hidden)
        .execute(&mut tx)
        .await?;
    if changed == 0 {
        return Err(Conflict::BookingNotActive.into());
    }
    if hidden {
        cancel_reminders(&mut tx, id).await?;
        end_entry(&mut tx, id, at, EntryStatus::Ended, window).await?;
    }
    write_effects(&mut tx, effects).await?;
    tx.commit().await?;
    Ok(())
}

async fn cancel(
    db: &Backend,
    id: BookingId,
    c: &Cancellation,
    effects: &Effects,
    window: OfferWindow,
) -> Result<(), Failure> {
    let mut tx = db.begin().await?;
    let row = query(CANCEL_BOOKING)
        .bind(id.as_uuid())
        .bind(c.reason.as_str())
        .bind(c.by.kind().as_str())
        .bind(c.by.uuid())
        .bind(c.at)
        .fetch_optional(&mut tx)
        .await?
        .ok_or(Conflict::BookingNotActive)?;
    let slot = row.uuid("slot_id")?;
    release_slot(&mut tx, slot, id).await?;
    cancel_reminders(&mut tx, id).await?;
    // The resident's own wish ends first, so their freed slot is not offered
    // back to them; then whoever waits for the slot is offered it (rule 15).
    end_entry(&mut tx, id, c.at, EntryStatus::Ended, window).await?;
    offer_freed(&mut tx, slot, c.at, window).await?;
    write_effects(&mut tx, effects).await?;
    tx.commit().await?;
    Ok(())
}
