//! Slots: the resident's calendar (free slots per date, free slots of a
//! date; a slot held for an offer is not free to others, rule 16), reading one slot, and creating slots (the one batch insert that
//! publishing uses too).

use crate::columns::{self, Columns};
use crate::error::db_error;
use crate::query::{query, On, Query};
use crate::SqlStore;
use chrono::NaiveDate;
use tidbok_domain::ports::{FreeSlotQuery, SlotRepository, StoreResult};
use tidbok_domain::schedule::PlannedSlot;
use tidbok_domain::*;

/// Free slots per Stockholm date, for one type at one unit (the calendar).
pub const FREE_SLOT_COUNTS_BY_TYPE: &str = "SELECT s.local_date AS day, COUNT(*) AS n FROM slots s \
     WHERE s.unit_id = $1 AND s.appointment_type_id = $2 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND s.local_date >= $3 AND s.local_date <= $4 AND s.starts_at > $5 AND (s.held_until IS NULL OR s.held_until <= $5) \
     GROUP BY s.local_date ORDER BY s.local_date";

/// Free slots per date of one practitioner, type and length (rebook targets).
const FREE_SLOT_COUNTS_BY_PRACTITIONER: &str = "SELECT s.local_date AS day, COUNT(*) AS n FROM slots s \
     WHERE s.practitioner_id = $1 AND s.appointment_type_id = $2 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND s.local_date >= $3 AND s.local_date <= $4 AND s.starts_at > $5 AND (s.held_until IS NULL OR s.held_until <= $5) AND s.length_minutes = $6 \
     GROUP BY s.local_date ORDER BY s.local_date";

pub const FREE_SLOTS_BY_TYPE: &str = concat!(
    slot_details_select!(),
    slot_details_from!(),
    " WHERE s.unit_id = $1 AND s.appointment_type_id = $2 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND s.local_date >= $3 AND s.local_date <= $4 AND s.starts_at > $5 AND (s.held_until IS NULL OR s.held_until <= $5) \
     ORDER BY s.starts_at, s.id LIMIT 2000"
);

const FREE_SLOTS_BY_PRACTITIONER: &str = concat!(
    slot_details_select!(),
    slot_details_from!(),
    " WHERE s.practitioner_id = $1 AND s.appointment_type_id = $2 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND s.local_date >= $3 AND s.local_date <= $4 AND s.starts_at > $5 AND (s.held_until IS NULL OR s.held_until <= $5) AND s.length_minutes = $6 \
     ORDER BY s.starts_at, s.id LIMIT 2000"
);

const SLOT_BY_ID: &str = concat!(slot_details_select!(), slot_details_from!(), " WHERE s.id = $1");

/// One row per service the unit has set up (none: one row of nulls on the
/// right).
pub(crate) const SLOT_WITH_SETTINGS: &str = concat!(
    slot_details_select!(),
    ", ",
    service_cols!(),
    slot_details_from!(),
    " LEFT JOIN unit_services us ON us.unit_id = s.unit_id WHERE s.id = $1 ORDER BY us.service"
);

/// Rows per multi-row INSERT of slots: 8 binds each stays far below both
/// backends' limit on bind parameters.
pub(crate) const SLOT_BATCH: usize = 500;

/// A unit offers the types it has had slots of (`unit_appointment_types`).
const OFFER_TYPES: &str = "INSERT INTO unit_appointment_types (unit_id, appointment_type_id)";

#[async_trait::async_trait]
impl SlotRepository for SqlStore {
    async fn slot(&self, id: SlotId) -> StoreResult<Option<SlotDetails>> {
        query(SLOT_BY_ID)
            .bind(id.as_uuid())
            .optional(&self.db, columns::slot_details)
            .await
    }

    async fn slot_with_settings(&self, id: SlotId) -> StoreResult<Option<(SlotDetails, Vec<ServiceSetting>)>> {
        let rows = query(SLOT_WITH_SETTINGS)
            .bind(id.as_uuid())
            .fetch_all(&self.db)
            .await
            .map_err(db_error)?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let slot = columns::slot_details(first).map_err(db_error)?;
        let settings = columns::joined_settings(&rows).map_err(db_error)?;
        Ok(Some((slot, settings)))
    }

    async fn free_slot_counts(&self, q: &FreeSlotQuery) -> StoreResult<Vec<(NaiveDate, u32)>> {
        free_slot_query(FREE_SLOT_COUNTS_BY_TYPE, FREE_SLOT_COUNTS_BY_PRACTITIONER, q)
            .all(&self.db, |r| {
                Ok((r.date("day")?, u32::try_from(r.count("n")?).unwrap_or(u32::MAX)))
            })
            .await
    }

    async fn free_slots(&self, q: &FreeSlotQuery) -> StoreResult<Vec<SlotDetails>> {
        free_slot_query(FREE_SLOTS_BY_TYPE, FREE_SLOTS_BY_PRACTITIONER, q)
            .all(&self.db, columns::slot_details)
            .await
    }

    async fn insert_slots(&self, slots: &[PlannedSlot]) -> StoreResult<u64> {
        let mut created = 0;
        for chunk in slots.chunks(SLOT_BATCH) {
            let mut tx = self.db.begin().await.map_err(db_error)?;
            created += insert_slot_batch(&mut tx, chunk).await.map_err(db_error)?;
            let mut pairs: Vec<_> = chunk.iter().map(|s| (s.unit_id, s.appointment_type_id)).collect();
            pairs.sort();
            pairs.dedup();
            offer_types(&mut tx, &pairs).await.map_err(db_error)?;
            tx.commit().await.map_err(db_error)?;
        }
        Ok(created)
    }
}

/// A free-slot query of the unit and type, or of the practitioner, type and
/// length when the query names a practitioner (rebooking).
fn free_slot_query<'q>(by_type: &'q str, by_practitioner: &'q str, q: &FreeSlotQuery) -> Query<'q> {
    let query = match q.practitioner_id {
        None => query(by_type).bind(q.unit_id.as_uuid()),
        Some(p) => query(by_practitioner).bind(p.as_uuid()),
    }
    .bind(q.appointment_type_id.as_uuid())
    .bind(q.from)
    .bind(q.to)
    .bind(q.starting_after);
    match q.practitioner_id {
        None => query,
        Some(_) => query.bind(q.length_minutes.map(|l| l as i32)),
    }
}

/// Creates up to [`SLOT_BATCH`] free slots in one statement; a slot that is
/// live already (same practitioner and start) is left as it is. Returns how
/// many were created.
pub(crate) async fn insert_slot_batch<'s>(
    on: impl Into<On<'_>>,
    slots: impl IntoIterator<Item = &'s PlannedSlot>,
) -> sqlx::Result<u64> {
    let mut insert = query(
        "INSERT INTO slots (id, unit_id, practitioner_id, appointment_type_id, starts_at, ends_at, \
         local_date, length_minutes)",
    );
    insert.push_values(slots, |row, s| {
        row.push_bind(uuid::Uuid::new_v4())
            .push_bind(s.unit_id.as_uuid())
            .push_bind(s.practitioner_id.as_uuid())
            .push_bind(s.appointment_type_id.as_uuid())
            .push_bind(s.starts_at)
            .push_bind(s.ends_at)
            .push_bind(s.local_date)
            .push_bind((s.ends_at - s.starts_at).num_minutes() as i32);
    });
    insert.push(" ON CONFLICT (practitioner_id, starts_at) WHERE withdrawn_at IS NULL DO NOTHING");
    insert.execute(on).await
}

/// Records that the units offer these types (once each).
pub(crate) async fn offer_types(on: impl Into<On<'_>>, pairs: &[(UnitId, AppointmentTypeId)]) -> sqlx::Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let mut offer = query(OFFER_TYPES);
    offer.push_values(pairs, |row, (unit, ty)| {
        row.push_bind(unit.as_uuid()).push_bind(ty.as_uuid());
    });
    offer.push(" ON CONFLICT DO NOTHING");
    offer.execute(on).await?;
    Ok(())
}
