//! The earlier-time waitlist and its holds (rules 15 and 16 in
//! docs/domain.md; the schema's reasons are in migration 0006).
//!
//! The slot row carries its live hold (`hold_id`, `held_until`), so every
//! claim of a slot — an ordinary booking, a rebooking, an accepted offer — is
//! one conditional update that also sees the hold, and a hold that has run
//! out stops counting at `held_until` with no worker involved. Offers are
//! made by [`offer_freed`] inside the transaction that frees a slot (or that
//! settles the hold before), so the first resident waiting gets it before
//! anyone else can book it; the workers' sweeps settle expired holds and
//! offer slots that became free by publication. Named unique indexes settle
//! the rest: one live hold per slot and per entry, one offer per slot and
//! entry, one waiting entry per booking.

use crate::columns::{self, Columns};
use crate::error::{db_error, Failure};
use crate::query::{query, Row, Tx};
use crate::retry::retrying;
use crate::SqlStore;
use chrono::{DateTime, Duration, Utc};
use tidbok_domain::ports::{Conflict, Rebooking, StoreResult, WaitlistRepository};
use tidbok_domain::time::{online_change_cutoff, Horizon};
use tidbok_domain::waitlist::*;
use tidbok_domain::*;
use uuid::Uuid;

/// The residents waiting for a slot that is free and not held, first asked
/// first: same unit, practitioner, type and length (rule 5), booked later
/// than the slot, not yet offered this slot, not holding another offer.
/// $1 slot, $2 now, $3 now + 24 hours.
const CANDIDATES: &str = "SELECT e.id AS e_id, e.resident_id AS e_resident_id, e.weekdays AS e_weekdays, \
       e.not_before_minute AS e_not_before_minute, b.starts_at AS booked_starts_at, \
       s.starts_at AS slot_starts_at, r.offer_hold_minutes AS hold_minutes \
     FROM slots s \
     JOIN waitlist_entries e ON e.practitioner_id = s.practitioner_id \
       AND e.appointment_type_id = s.appointment_type_id AND e.length_minutes = s.length_minutes \
       AND e.unit_id = s.unit_id AND e.status = 'waiting' \
     JOIN bookings b ON b.id = e.booking_id AND b.status = 'booked' AND b.starts_at > s.starts_at \
       AND NOT b.hidden_in_portal \
     JOIN units u ON u.id = s.unit_id JOIN regions r ON r.id = u.region_id \
     WHERE s.id = $1 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND (s.held_until IS NULL OR s.held_until <= $2) AND s.starts_at > $3 \
       AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.entry_id = e.id \
         AND ((h.status = 'held' AND h.expires_at > $2) OR h.slot_id = s.id)) \
     ORDER BY e.asked_at, e.id LIMIT 50";
/// Locks a candidate's entry while it is still waiting: a concurrent
/// acceptance or end of the wish (which update the row) either comes first
/// and the candidate is skipped, or waits for this offer.
const LOCK_WAITING_ENTRY: &str = "UPDATE waitlist_entries SET status = 'waiting' WHERE id = $1 AND status = 'waiting'";
/// Holds the slot if it is still free and not held (the row lock settles
/// two offers of one slot).
const HOLD_SLOT: &str = "UPDATE slots SET hold_id = $1, held_until = $2 \
     WHERE id = $3 AND booking_id IS NULL AND withdrawn_at IS NULL AND (held_until IS NULL OR held_until <= $4)";
const UNHOLD_SLOT: &str = "UPDATE slots SET hold_id = NULL, held_until = NULL WHERE id = $1 AND hold_id = $2";
/// Holds of the slot that ran out without being settled yet (taken before
/// the slot, the order the workers' settling takes them in).
const EXPIRE_STALE_HOLDS_OF_SLOT: &str = "UPDATE holds SET status = 'expired', settled_at = $2 \
     WHERE slot_id = $1 AND status = 'held' AND expires_at <= $2";
/// An offer of the entry that ran out without being settled yet: it no
/// longer counts (a hold stops at its time, worker or not), so it is
/// settled here before the entry's next offer; its slot no longer points at it.
const EXPIRE_STALE_HOLD_OF_ENTRY: &str = "UPDATE holds SET status = 'expired', settled_at = $2 \
     WHERE entry_id = $1 AND status = 'held' AND expires_at <= $2 RETURNING id, slot_id";
/// Nothing inserted: the entry holds another offer or was offered the slot
/// before (holds_one_live_per_entry, holds_offered_once).
const INSERT_HOLD: &str = "INSERT INTO holds (id, slot_id, entry_id, resident_id, created_at, expires_at, status) \
     VALUES ($1, $2, $3, $4, $5, $6, 'held') ON CONFLICT DO NOTHING";
/// The offer's deliveries, one per channel, written when sent.
const INSERT_OFFER_DELIVERIES: &str = "INSERT INTO outbox \
     (id, kind, hold_id, channel, status, attempts, next_attempt_at, created_at) \
     VALUES ($1, 'offer', $3, 'email', 'pending', 0, $4, $4), ($2, 'offer', $3, 'sms', 'pending', 0, $4, $4)";

const END_ENTRY: &str = "UPDATE waitlist_entries SET status = $3, ended_at = $2 \
     WHERE booking_id = $1 AND status = 'waiting' RETURNING id";
const RELEASE_ENTRY_HOLD: &str = "UPDATE holds SET status = 'released', settled_at = $2 \
     WHERE entry_id = $1 AND status = 'held' RETURNING id, slot_id";

const ACCEPT_HOLD: &str = "UPDATE holds SET status = 'accepted', settled_at = $2 \
     WHERE id = $1 AND status = 'held' AND expires_at > $2 RETURNING slot_id, entry_id";
/// The booking an accepted offer made (once it exists: a foreign key).
const SET_HOLD_BOOKING: &str = "UPDATE holds SET booking_id = $2 WHERE id = $1";
const CLAIM_HELD_SLOT: &str = "UPDATE slots SET booking_id = $1, hold_id = NULL, held_until = NULL \
     WHERE id = $2 AND booking_id IS NULL AND withdrawn_at IS NULL AND hold_id = $3 RETURNING unit_id, starts_at";
const FULFIL_ENTRY: &str =
    "UPDATE waitlist_entries SET status = 'fulfilled', ended_at = $2 WHERE id = $1 AND status = 'waiting'";
const DECLINE_HOLD: &str = "UPDATE holds SET status = 'declined', settled_at = $2 \
     WHERE id = $1 AND status = 'held' AND expires_at > $2 RETURNING slot_id";
const EXPIRE_HOLD: &str =
    "UPDATE holds SET status = 'expired', settled_at = $2 WHERE id = $1 AND status = 'held' RETURNING slot_id";
const EXPIRED_HOLDS: &str =
    "SELECT id FROM holds WHERE status = 'held' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2";
/// Free, unheld slots someone waits for and has not been offered: $1 now,
/// $2 now + 24 hours, $3 the horizon's last date, $4 how many.
const WAITED_FOR_SLOTS: &str = "SELECT DISTINCT s.id AS id, s.starts_at AS starts_at FROM waitlist_entries e \
     JOIN bookings b ON b.id = e.booking_id AND b.status = 'booked' AND NOT b.hidden_in_portal \
     JOIN slots s ON s.practitioner_id = e.practitioner_id AND s.appointment_type_id = e.appointment_type_id \
       AND s.booking_id IS NULL AND s.withdrawn_at IS NULL AND s.length_minutes = e.length_minutes \
       AND s.unit_id = e.unit_id AND s.starts_at > $2 AND s.starts_at < b.starts_at AND s.local_date <= $3 \
       AND (s.held_until IS NULL OR s.held_until <= $1) \
     WHERE e.status = 'waiting' AND b.starts_at > $2 \
       AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.entry_id = e.id \
         AND ((h.status = 'held' AND h.expires_at > $1) OR h.slot_id = s.id)) \
     ORDER BY s.starts_at, s.id LIMIT $4";

macro_rules! entry_cols {
    () => {
        "e.id AS e_id, e.booking_id AS e_booking_id, e.resident_id AS e_resident_id, e.weekdays AS e_weekdays, \
         e.not_before_minute AS e_not_before_minute, e.asked_at AS e_asked_at, e.status AS e_status"
    };
}
const WAITING_ENTRY: &str = concat!(
    "SELECT ",
    entry_cols!(),
    " FROM waitlist_entries e WHERE e.booking_id = $1 AND e.status = 'waiting'"
);
const RESIDENT_WAITING: &str = concat!(
    "SELECT ",
    entry_cols!(),
    " FROM waitlist_entries e WHERE e.resident_id = $1 AND e.status = 'waiting' ORDER BY e.asked_at, e.id"
);
const LOCK_BOOKED: &str =
    "UPDATE bookings SET status = status WHERE id = $1 AND status = 'booked' AND NOT hidden_in_portal";
const UPDATE_WISH: &str = "UPDATE waitlist_entries SET weekdays = $2, not_before_minute = $3 \
     WHERE booking_id = $1 AND status = 'waiting'";
const INSERT_ENTRY: &str = "INSERT INTO waitlist_entries \
     (id, booking_id, resident_id, unit_id, practitioner_id, appointment_type_id, length_minutes, \
      weekdays, not_before_minute, asked_at, status) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'waiting') ON CONFLICT DO NOTHING";

macro_rules! offer_select {
    () => {
        concat!(
            slot_details_select!(),
            ", h.id AS h_id, h.entry_id AS h_entry_id, h.resident_id AS h_resident_id, h.created_at AS h_created_at, \
             h.expires_at AS h_expires_at, h.status AS h_status, e.booking_id AS e_booking_id",
            slot_details_from!(),
            " JOIN holds h ON h.slot_id = s.id JOIN waitlist_entries e ON e.id = h.entry_id"
        )
    };
}
const OFFER_BY_ID: &str = concat!(offer_select!(), " WHERE h.id = $1");
const RESIDENT_OFFERS: &str = concat!(
    offer_select!(),
    " WHERE h.resident_id = $1 AND h.status = 'held' AND h.expires_at > $2 AND s.withdrawn_at IS NULL \
     ORDER BY h.expires_at, h.id"
);
const COUNTS: &str = "SELECT e.appointment_type_id AS t, e.practitioner_id AS p, COUNT(*) AS n, \
       COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM holds h WHERE h.entry_id = e.id AND h.status = 'held' \
         AND h.expires_at > $2) THEN 1 ELSE 0 END), 0) AS offered \
     FROM waitlist_entries e JOIN bookings b ON b.id = e.booking_id AND b.status = 'booked' AND b.starts_at > $2 \
     WHERE e.unit_id = $1 AND e.status = 'waiting' \
     GROUP BY e.appointment_type_id, e.practitioner_id ORDER BY e.appointment_type_id, e.practitioner_id";
const HOLD_MINUTES: &str = "SELECT offer_hold_minutes AS m FROM regions WHERE id = $1";
const SET_HOLD_MINUTES: &str = "UPDATE regions SET offer_hold_minutes = $2 WHERE id = $1";

#[async_trait::async_trait]
impl WaitlistRepository for SqlStore {
    async fn put_waitlist_entry(
        &self,
        booking: &BookingDetails,
        wish: &EarlierTimeWish,
        now: DateTime<Utc>,
    ) -> StoreResult<WaitlistEntry> {
        let id = booking.booking.id;
        retrying("put_waitlist_entry", || async {
            let mut tx = self.db.begin().await?;
            // The booking still booked and shown, and locked: a cancel (which
            // ends the booking's wish) waits for this wish or sees it.
            if query(LOCK_BOOKED).bind(id.as_uuid()).execute(&mut tx).await? == 0 {
                return Err(Failure::from(Conflict::BookingNotActive));
            }
            let changed = query(UPDATE_WISH)
                .bind(id.as_uuid())
                .bind(wish.weekdays.bits() as i32)
                .bind(wish.not_before_minute().map(|m| m as i32))
                .execute(&mut tx)
                .await?;
            if changed == 0 {
                let slot = &booking.slot;
                query(INSERT_ENTRY)
                    .bind(Uuid::new_v4())
                    .bind(id.as_uuid())
                    .bind(booking.booking.resident_id.as_uuid())
                    .bind(slot.unit_id.as_uuid())
                    .bind(slot.practitioner_id.as_uuid())
                    .bind(slot.appointment_type_id.as_uuid())
                    .bind(slot.length_minutes() as i32)
                    .bind(wish.weekdays.bits() as i32)
                    .bind(wish.not_before_minute().map(|m| m as i32))
                    .bind(now)
                    .execute(&mut tx)
                    .await?;
                // Nothing inserted: a concurrent request made the entry;
                // this one's wish wins, as if it came second.
                query(UPDATE_WISH)
                    .bind(id.as_uuid())
                    .bind(wish.weekdays.bits() as i32)
                    .bind(wish.not_before_minute().map(|m| m as i32))
                    .execute(&mut tx)
                    .await?;
            }
            let entry = query(WAITING_ENTRY)
                .bind(id.as_uuid())
                .fetch_one(&mut tx)
                .await
                .and_then(|r| entry(&r))?;
            tx.commit().await?;
            Ok(entry)
        })
        .await
        .map_err(Into::into)
    }

    async fn waitlist_entry(&self, booking: BookingId) -> StoreResult<Option<WaitlistEntry>> {
        query(WAITING_ENTRY)
            .bind(booking.as_uuid())
            .optional(&self.db, entry)
            .await
    }

    async fn resident_waitlist(&self, resident: ResidentId) -> StoreResult<Vec<WaitlistEntry>> {
        query(RESIDENT_WAITING)
            .bind(resident.as_uuid())
            .all(&self.db, entry)
            .await
    }

    async fn withdraw_waitlist_entry(&self, booking: BookingId, now: DateTime<Utc>) -> StoreResult<bool> {
        Ok(retrying("withdraw_waitlist_entry", || async {
            let mut tx = self.db.begin().await?;
            let ended = end_entry(&mut tx, booking, now, EntryStatus::Withdrawn, self.offers).await?;
            tx.commit().await?;
            Ok(ended)
        })
        .await?)
    }

    async fn offer(&self, id: HoldId) -> StoreResult<Option<Offer>> {
        query(OFFER_BY_ID).bind(id.as_uuid()).optional(&self.db, offer).await
    }

    async fn resident_offers(&self, resident: ResidentId, now: DateTime<Utc>) -> StoreResult<Vec<Offer>> {
        query(RESIDENT_OFFERS)
            .bind(resident.as_uuid())
            .bind(now)
            .all(&self.db, offer)
            .await
    }

    async fn accept_offer(&self, id: HoldId, r: &Rebooking, effects: &Effects) -> StoreResult<BookingId> {
        Ok(retrying("accept_offer", || async {
            let mut tx = self.db.begin().await?;
            // The booking first (the order of every booking change); one no
            // longer booked has no open offer either: its wish ended with it.
            crate::booking::lock_booked(&mut tx, r.from)
                .await
                .map_err(|e| match e {
                    Failure::Conflict(Conflict::BookingNotActive) => Failure::from(Conflict::OfferGone),
                    other => other,
                })?;
            let hold = query(ACCEPT_HOLD)
                .bind(id.as_uuid())
                .bind(r.at)
                .fetch_optional(&mut tx)
                .await?
                .ok_or(Conflict::OfferGone)?;
            if hold.uuid("slot_id")? != r.to_slot.as_uuid() {
                return Err(Conflict::OfferGone.into());
            }
            let claimed = query(CLAIM_HELD_SLOT)
                .bind(r.new_booking_id.as_uuid())
                .bind(r.to_slot.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&mut tx)
                .await?
                .ok_or(Conflict::OfferGone)?;
            if let Some(entry) = hold.opt_uuid("entry_id")? {
                query(FULFIL_ENTRY).bind(entry).bind(r.at).execute(&mut tx).await?;
            }
            let (unit_id, starts_at) = (claimed.uuid("unit_id")?, claimed.instant("starts_at")?);
            crate::booking::move_booking(&mut tx, r, unit_id, starts_at, self.offers).await?;
            query(SET_HOLD_BOOKING)
                .bind(id.as_uuid())
                .bind(r.new_booking_id.as_uuid())
                .execute(&mut tx)
                .await?;
            crate::effects::write_effects(&mut tx, effects).await?;
            tx.commit().await?;
            Ok(r.new_booking_id)
        })
        .await?)
    }

    async fn decline_offer(&self, id: HoldId, now: DateTime<Utc>) -> StoreResult<()> {
        Ok(retrying("decline_offer", || async {
            let mut tx = self.db.begin().await?;
            let slot = query(DECLINE_HOLD)
                .bind(id.as_uuid())
                .bind(now)
                .fetch_optional(&mut tx)
                .await?
                .ok_or(Conflict::OfferGone)?
                .uuid("slot_id")?;
            pass_on(&mut tx, slot, id.as_uuid(), now, self.offers).await?;
            tx.commit().await?;
            Ok(())
        })
        .await?)
    }

    async fn settle_expired_holds(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<u32> {
        let due = query(EXPIRED_HOLDS)
            .bind(now)
            .bind(i64::from(limit))
            .all(&self.db, |r| r.uuid("id"))
            .await?;
        let mut settled = 0;
        for hold in due {
            let done = retrying("settle_expired_hold", || async {
                let mut tx = self.db.begin().await?;
                let Some(row) = query(EXPIRE_HOLD).bind(hold).bind(now).fetch_optional(&mut tx).await? else {
                    return Ok(false); // another worker settled it
                };
                pass_on(&mut tx, row.uuid("slot_id")?, hold, now, self.offers).await?;
                tx.commit().await?;
                Ok(true)
            })
            .await?;
            settled += u32::from(done);
        }
        Ok(settled)
    }

    async fn offer_free_slots(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<u32> {
        if !self.offers.open_at(now) {
            return Ok(0);
        }
        let slots = query(WAITED_FOR_SLOTS)
            .bind(now)
            .bind(now + online_change_cutoff())
            .bind(Horizon::from_now(now).last)
            .bind(i64::from(limit))
            .all(&self.db, |r| r.uuid("id"))
            .await?;
        let mut offered = 0;
        for slot in slots {
            let done = retrying("offer_free_slot", || async {
                let mut tx = self.db.begin().await?;
                let done = offer_freed(&mut tx, slot, now, self.offers).await?;
                tx.commit().await?;
                Ok(done)
            })
            .await?;
            offered += u32::from(done);
        }
        Ok(offered)
    }

    async fn waitlist_counts(&self, unit: UnitId, now: DateTime<Utc>) -> StoreResult<Vec<WaitlistCount>> {
        query(COUNTS)
            .bind(unit.as_uuid())
            .bind(now)
            .all(&self.db, |r| {
                Ok(WaitlistCount {
                    appointment_type_id: r.uuid("t")?.into(),
                    practitioner_id: r.uuid("p")?.into(),
                    waiting: u32::try_from(r.count("n")?).unwrap_or(u32::MAX),
                    offered: u32::try_from(r.count("offered")?).unwrap_or(u32::MAX),
                })
            })
            .await
    }

    async fn offer_hold_minutes(&self, region: RegionId) -> StoreResult<Option<u32>> {
        let m = query(HOLD_MINUTES)
            .bind(region.as_uuid())
            .optional(&self.db, |r| r.int("m"))
            .await?;
        Ok(m.map(|m| u32::try_from(m).unwrap_or(DEFAULT_OFFER_HOLD_MINUTES)))
    }

    async fn set_offer_hold_minutes(&self, region: RegionId, minutes: u32) -> StoreResult<bool> {
        let changed = query(SET_HOLD_MINUTES)
            .bind(region.as_uuid())
            .bind(minutes as i32)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(changed > 0)
    }
}

/// Offers a slot that has just become free (and is not held) to the first
/// resident waiting whose wish it suits, inside the caller's transaction:
/// holds it, records the hold and writes the offer's deliveries. False:
/// nobody was offered it (night, nobody waiting, or the slot is not free).
pub(crate) async fn offer_freed(
    tx: &mut Tx,
    slot: Uuid,
    now: DateTime<Utc>,
    window: OfferWindow,
) -> Result<bool, Failure> {
    if !window.open_at(now) {
        return Ok(false);
    }
    let candidates = query(CANDIDATES)
        .bind(slot)
        .bind(now)
        .bind(now + online_change_cutoff())
        .fetch_all(&mut *tx)
        .await?;
    if candidates.is_empty() {
        return Ok(false);
    }
    query(EXPIRE_STALE_HOLDS_OF_SLOT)
        .bind(slot)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    for c in &candidates {
        let wish = EarlierTimeWish::from_stored(
            i64::from(c.int("e_weekdays")?),
            c.opt_int("e_not_before_minute")?.map(i64::from),
        )
        .ok_or_else(|| Failure::Corrupt("waitlist wish".into()))?;
        if !offer_qualifies(&wish, c.instant("booked_starts_at")?, c.instant("slot_starts_at")?, now) {
            continue;
        }
        let entry = c.uuid("e_id")?;
        if query(LOCK_WAITING_ENTRY).bind(entry).execute(&mut *tx).await? == 0 {
            continue;
        }
        let stale = query(EXPIRE_STALE_HOLD_OF_ENTRY)
            .bind(entry)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(stale) = stale {
            query(UNHOLD_SLOT)
                .bind(stale.uuid("slot_id")?)
                .bind(stale.uuid("id")?)
                .execute(&mut *tx)
                .await?;
        }
        let hold = Uuid::new_v4();
        let minutes = i64::from(c.int("hold_minutes")?);
        let expires_at = now + Duration::minutes(minutes);
        let held = query(HOLD_SLOT)
            .bind(hold)
            .bind(expires_at)
            .bind(slot)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if held == 0 {
            return Ok(false);
        }
        let inserted = query(INSERT_HOLD)
            .bind(hold)
            .bind(slot)
            .bind(entry)
            .bind(c.uuid("e_resident_id")?)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        if inserted == 0 {
            // Another transaction offered this resident something first.
            query(UNHOLD_SLOT).bind(slot).bind(hold).execute(&mut *tx).await?;
            continue;
        }
        query(INSERT_OFFER_DELIVERIES)
            .bind(Uuid::new_v4())
            .bind(Uuid::new_v4())
            .bind(hold)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        return Ok(true);
    }
    Ok(false)
}

/// A hold settled (declined, expired, released): the slot is no longer held
/// by it and goes to the next resident waiting, or is free.
async fn pass_on(tx: &mut Tx, slot: Uuid, hold: Uuid, now: DateTime<Utc>, window: OfferWindow) -> Result<(), Failure> {
    query(UNHOLD_SLOT).bind(slot).bind(hold).execute(&mut *tx).await?;
    offer_freed(tx, slot, now, window).await?;
    Ok(())
}

/// Ends a booking's waiting entry, if any (`Ended` when the booking changed,
/// `Withdrawn` when the resident took it back), releasing an offer it held.
pub(crate) async fn end_entry(
    tx: &mut Tx,
    booking: BookingId,
    now: DateTime<Utc>,
    status: EntryStatus,
    window: OfferWindow,
) -> Result<bool, Failure> {
    let Some(row) = query(END_ENTRY)
        .bind(booking.as_uuid())
        .bind(now)
        .bind(status.as_str())
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(false);
    };
    let released = query(RELEASE_ENTRY_HOLD)
        .bind(row.uuid("id")?)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(hold) = released {
        pass_on(tx, hold.uuid("slot_id")?, hold.uuid("id")?, now, window).await?;
    }
    Ok(true)
}

fn entry(r: &Row) -> sqlx::Result<WaitlistEntry> {
    let corrupt = |what: &str| sqlx::Error::Decode(format!("waitlist entry {what}").into());
    Ok(WaitlistEntry {
        id: r.uuid("e_id")?.into(),
        booking_id: r.uuid("e_booking_id")?.into(),
        resident_id: r.uuid("e_resident_id")?.into(),
        wish: EarlierTimeWish::from_stored(
            i64::from(r.int("e_weekdays")?),
            r.opt_int("e_not_before_minute")?.map(i64::from),
        )
        .ok_or_else(|| corrupt("wish"))?,
        asked_at: r.instant("e_asked_at")?,
        status: EntryStatus::parse(&r.text("e_status")?).ok_or_else(|| corrupt("status"))?,
    })
}

fn offer(r: &Row) -> sqlx::Result<Offer> {
    Ok(Offer {
        id: r.uuid("h_id")?.into(),
        entry_id: r.uuid("h_entry_id")?.into(),
        resident_id: r.uuid("h_resident_id")?.into(),
        booking_id: r.uuid("e_booking_id")?.into(),
        slot: columns::slot_details(r)?,
        created_at: r.instant("h_created_at")?,
        expires_at: r.instant("h_expires_at")?,
        status: HoldStatus::parse(&r.text("h_status")?).ok_or_else(|| sqlx::Error::Decode("hold status".into()))?,
    })
}
