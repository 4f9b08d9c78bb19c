//! Scheduling: a practitioner's weekly template, one-day changes, the live
//! slots a publication is planned against, applying a publication, the
//! unit's holiday setting, and whose book a member of staff's is.

use crate::backend::Backend;
use crate::calendar::{insert_slot_batch, offer_types, SLOT_BATCH};
use crate::columns::{self, Columns};
use crate::error::{db_error, Failure};
use crate::query::{query, Query, Tx};
use crate::retry::retrying;
use crate::SqlStore;
use chrono::{DateTime, NaiveDate, Utc};
use tidbok_domain::ports::{Published, ScheduleRepository, StoreResult};
use tidbok_domain::schedule::{ExistingSlot, PlannedSlot, Publication, ScheduleBlock};
use tidbok_domain::*;

const LOCK_PRACTITIONER: &str = "UPDATE practitioners SET book_version = book_version + 1 WHERE id = $1";
const TEMPLATE: &str = "SELECT sb.weekday AS sb_weekday, sb.appointment_type_id AS sb_appointment_type_id, \
     sb.start_minute AS sb_start_minute, sb.slot_length_minutes AS sb_slot_length_minutes, \
     sb.slot_count AS sb_slot_count \
     FROM schedule_blocks sb WHERE sb.practitioner_id = $1 ORDER BY sb.weekday, sb.start_minute";
const DELETE_TEMPLATE: &str = "DELETE FROM schedule_blocks WHERE practitioner_id = $1";
const INSERT_TEMPLATE_BLOCK: &str = "INSERT INTO schedule_blocks \
     (id, practitioner_id, weekday, appointment_type_id, start_minute, slot_length_minutes, slot_count) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
const DAY_OVERRIDES: &str = "SELECT o.day AS day, sb.id AS sb_id, sb.appointment_type_id AS sb_appointment_type_id, \
     sb.start_minute AS sb_start_minute, sb.slot_length_minutes AS sb_slot_length_minutes, \
     sb.slot_count AS sb_slot_count \
     FROM day_overrides o LEFT JOIN day_override_blocks sb ON sb.practitioner_id = o.practitioner_id AND sb.day = o.day \
     WHERE o.practitioner_id = $1 AND o.day >= $2 AND o.day <= $3 ORDER BY o.day, sb.start_minute";
const DELETE_DAY_OVERRIDE: &str = "DELETE FROM day_overrides WHERE practitioner_id = $1 AND day = $2";
const DELETE_DAY_OVERRIDE_BLOCKS: &str = "DELETE FROM day_override_blocks WHERE practitioner_id = $1 AND day = $2";
const INSERT_DAY_OVERRIDE: &str = "INSERT INTO day_overrides (practitioner_id, day, created_at) VALUES ($1, $2, $3)";
const INSERT_DAY_OVERRIDE_BLOCK: &str = "INSERT INTO day_override_blocks \
     (id, practitioner_id, day, appointment_type_id, start_minute, slot_length_minutes, slot_count) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
const LIVE_SLOTS: &str = "SELECT id, appointment_type_id, starts_at, ends_at, booking_id FROM slots \
     WHERE practitioner_id = $1 AND withdrawn_at IS NULL AND local_date >= $2 AND local_date <= $3 \
     ORDER BY starts_at";
/// A free slot leaves the schedule; an offer holding it is void with it
/// (rule 16: staff changed the schedule; the resident keeps waiting).
const WITHDRAW_FREE_SLOT: &str = "UPDATE slots SET withdrawn_at = $2, hold_id = NULL, held_until = NULL \
     WHERE id = $1 AND booking_id IS NULL AND withdrawn_at IS NULL";
const RELEASE_HOLDS_OF_SLOT: &str =
    "UPDATE holds SET status = 'released', settled_at = $2 WHERE slot_id = $1 AND status = 'held'";
const SLOT_HOLDER: &str = "SELECT booking_id FROM slots WHERE id = $1";
const BOOKED_BETWEEN: &str = "SELECT starts_at, ends_at FROM slots \
     WHERE practitioner_id = $1 AND booking_id IS NOT NULL AND withdrawn_at IS NULL AND starts_at < $3 AND ends_at > $2";
const PUBLISHES_ON_HOLIDAYS: &str = "SELECT publish_on_holidays AS on_holidays FROM units WHERE id = $1";
const SET_PUBLISHES_ON_HOLIDAYS: &str = "UPDATE units SET publish_on_holidays = $2 WHERE id = $1";
const PRACTITIONER_OF_STAFF: &str = concat!(
    "SELECT ",
    practitioner_cols!(),
    " FROM practitioners p WHERE p.staff_id = $1"
);

#[async_trait::async_trait]
impl ScheduleRepository for SqlStore {
    async fn template(&self, practitioner: PractitionerId) -> StoreResult<Vec<ScheduleBlock>> {
        query(TEMPLATE)
            .bind(practitioner.as_uuid())
            .all(&self.db, columns::schedule_block)
            .await
    }

    async fn replace_template(&self, practitioner: PractitionerId, blocks: &[ScheduleBlock]) -> StoreResult<()> {
        Ok(retrying("replace_template", || replace_template(&self.db, practitioner, blocks)).await?)
    }

    async fn day_overrides(
        &self,
        practitioner: PractitionerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<(NaiveDate, Vec<ScheduleBlock>)>> {
        let rows = query(DAY_OVERRIDES)
            .bind(practitioner.as_uuid())
            .bind(from)
            .bind(to)
            .fetch_all(&self.db)
            .await
            .map_err(db_error)?;
        let mut out: Vec<(NaiveDate, Vec<ScheduleBlock>)> = Vec::new();
        for row in &rows {
            let day = row.date("day").map_err(db_error)?;
            if out.last().map(|(d, _)| *d) != Some(day) {
                out.push((day, Vec::new()));
            }
            if row.opt_uuid("sb_id").map_err(db_error)?.is_some() {
                let block = columns::block_on(row, chrono::Datelike::weekday(&day)).map_err(db_error)?;
                if let Some((_, blocks)) = out.last_mut() {
                    blocks.push(block);
                }
            }
        }
        Ok(out)
    }

    async fn put_day_override(
        &self,
        practitioner: PractitionerId,
        day: NaiveDate,
        blocks: &[ScheduleBlock],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        Ok(retrying("put_day_override", || {
            put_day_override(&self.db, practitioner, day, blocks, at)
        })
        .await?)
    }

    async fn delete_day_override(&self, practitioner: PractitionerId, day: NaiveDate) -> StoreResult<bool> {
        let mut tx = self.db.begin().await.map_err(db_error)?;
        let deleted = delete_day_override(&mut tx, practitioner, day)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(deleted > 0)
    }

    async fn live_slots(
        &self,
        practitioner: PractitionerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ExistingSlot>> {
        query(LIVE_SLOTS)
            .bind(practitioner.as_uuid())
            .bind(from)
            .bind(to)
            .all(&self.db, |r| {
                Ok(ExistingSlot {
                    id: r.uuid("id")?.into(),
                    appointment_type_id: r.uuid("appointment_type_id")?.into(),
                    starts_at: r.instant("starts_at")?,
                    ends_at: r.instant("ends_at")?,
                    booked: r.opt_uuid("booking_id")?.is_some(),
                })
            })
            .await
    }

    async fn publishes_on_holidays(&self, unit: UnitId) -> StoreResult<bool> {
        let on = query(PUBLISHES_ON_HOLIDAYS)
            .bind(unit.as_uuid())
            .optional(&self.db, |r| r.flag("on_holidays"))
            .await?;
        Ok(on.unwrap_or(false))
    }

    async fn set_publishes_on_holidays(&self, unit: UnitId, on: bool) -> StoreResult<()> {
        query(SET_PUBLISHES_ON_HOLIDAYS)
            .bind(unit.as_uuid())
            .bind(on)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn practitioner_of_staff(&self, staff: StaffId) -> StoreResult<Option<Practitioner>> {
        query(PRACTITIONER_OF_STAFF)
            .bind(staff.as_uuid())
            .optional(&self.db, columns::practitioner)
            .await
    }

    async fn apply_publication(&self, publication: &Publication, at: DateTime<Utc>) -> StoreResult<Published> {
        Ok(retrying("apply_publication", || apply_publication(&self.db, publication, at)).await?)
    }
}

/// Takes the practitioner's row lock, so overlap checks of one book run one
/// at a time (no EXCLUDE constraint needed), and so do changes of their
/// schedule.
pub(crate) async fn lock_practitioner(tx: &mut Tx, practitioner: PractitionerId) -> Result<(), Failure> {
    let locked = query(LOCK_PRACTITIONER)
        .bind(practitioner.as_uuid())
        .execute(tx)
        .await?;
    if locked == 0 {
        return Err(Failure::Corrupt("no such practitioner".into()));
    }
    Ok(())
}

/// A block's start, length and count after its leading columns, in the
/// order both block tables take them.
fn bind_block<'q>(q: Query<'q>, b: &ScheduleBlock) -> Query<'q> {
    q.bind(b.appointment_type_id.as_uuid())
        .bind((chrono::Timelike::num_seconds_from_midnight(&b.start) / 60) as i32)
        .bind(i32::from(b.slot_length_minutes))
        .bind(i32::from(b.count))
}

async fn replace_template(db: &Backend, practitioner: PractitionerId, blocks: &[ScheduleBlock]) -> Result<(), Failure> {
    let mut tx = db.begin().await?;
    // The row lock makes concurrent replacements take turns instead of
    // merging their blocks.
    lock_practitioner(&mut tx, practitioner).await?;
    query(DELETE_TEMPLATE)
        .bind(practitioner.as_uuid())
        .execute(&mut tx)
        .await?;
    for b in blocks {
        let insert = query(INSERT_TEMPLATE_BLOCK)
            .bind(uuid::Uuid::new_v4())
            .bind(practitioner.as_uuid())
            .bind(b.weekday.number_from_monday() as i32);
        bind_block(insert, b).execute(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn delete_day_override(tx: &mut Tx, practitioner: PractitionerId, day: NaiveDate) -> sqlx::Result<u64> {
    query(DELETE_DAY_OVERRIDE_BLOCKS)
        .bind(practitioner.as_uuid())
        .bind(day)
        .execute(&mut *tx)
        .await?;
    query(DELETE_DAY_OVERRIDE)
        .bind(practitioner.as_uuid())
        .bind(day)
        .execute(tx)
        .await
}

async fn put_day_override(
    db: &Backend,
    practitioner: PractitionerId,
    day: NaiveDate,
    blocks: &[ScheduleBlock],
    at: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut tx = db.begin().await?;
    lock_practitioner(&mut tx, practitioner).await?;
    delete_day_override(&mut tx, practitioner, day).await?;
    query(INSERT_DAY_OVERRIDE)
        .bind(practitioner.as_uuid())
        .bind(day)
        .bind(at)
        .execute(&mut tx)
        .await?;
    for b in blocks {
        let insert = query(INSERT_DAY_OVERRIDE_BLOCK)
            .bind(uuid::Uuid::new_v4())
            .bind(practitioner.as_uuid())
            .bind(day);
        bind_block(insert, b).execute(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn apply_publication(db: &Backend, p: &Publication, at: DateTime<Utc>) -> Result<Published, Failure> {
    let mut tx = db.begin().await?;
    let mut published = Published {
        conflicts: p.conflicts.clone(),
        ..Published::default()
    };
    for id in &p.withdraw {
        let withdrawn = query(WITHDRAW_FREE_SLOT)
            .bind(id.as_uuid())
            .bind(at)
            .execute(&mut tx)
            .await?;
        if withdrawn == 1 {
            query(RELEASE_HOLDS_OF_SLOT)
                .bind(id.as_uuid())
                .bind(at)
                .execute(&mut tx)
                .await?;
            published.withdrawn += 1;
            continue;
        }
        // Booked while we planned: it stays, and staff hear of it.
        let holder = query(SLOT_HOLDER).bind(id.as_uuid()).fetch_optional(&mut tx).await?;
        if let Some(row) = holder {
            if row.opt_uuid("booking_id")?.is_some() {
                published.conflicts.push(*id);
            }
        }
    }
    // A slot booked after the publication was planned must not get a new
    // slot on top of it: drop planned slots that overlap any booking as it
    // stands now, inside this transaction.
    let mut create: Vec<&PlannedSlot> = p.create.iter().collect();
    if let (Some(first), Some(from), Some(to)) = (
        p.create.first(),
        p.create.iter().map(|s| s.starts_at).min(),
        p.create.iter().map(|s| s.ends_at).max(),
    ) {
        let booked = query(BOOKED_BETWEEN)
            .bind(first.practitioner_id.as_uuid())
            .bind(from)
            .bind(to)
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| Ok((r.instant("starts_at")?, r.instant("ends_at")?)))
            .collect::<sqlx::Result<Vec<_>>>()?;
        create.retain(|s| !booked.iter().any(|(b0, b1)| *b0 < s.ends_at && s.starts_at < *b1));
    }
    for chunk in create.chunks(SLOT_BATCH) {
        published.created += insert_slot_batch(&mut tx, chunk.iter().copied()).await?;
    }
    let mut pairs: Vec<_> = p.create.iter().map(|s| (s.unit_id, s.appointment_type_id)).collect();
    pairs.sort();
    pairs.dedup();
    offer_types(&mut tx, &pairs).await?;
    tx.commit().await?;
    Ok(published)
}
