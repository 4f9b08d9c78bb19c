//! Residents: found by id or personal identity number, recorded the first
//! time they write, and the established-contact rule's question.

use crate::columns::{self, Columns};
use crate::error::db_error;
use crate::query::query;
use crate::SqlStore;
use chrono::{DateTime, Utc};
use tidbok_domain::ports::{ResidentRepository, StoreResult};
use tidbok_domain::*;

const RESIDENT_BY_ID: &str = concat!("SELECT ", resident_cols!(), " FROM residents res WHERE res.id = $1");
pub(crate) const RESIDENT_BY_PNR: &str = concat!("SELECT ", resident_cols!(), " FROM residents res WHERE res.pnr = $1");
const INSERT_RESIDENT: &str = "INSERT INTO residents (id, pnr, name, created_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (pnr) DO NOTHING";
const ESTABLISHED_CONTACT: &str = "SELECT COUNT(*) AS n FROM bookings b \
     JOIN slots s ON s.id = b.slot_id JOIN appointment_types t ON t.id = s.appointment_type_id \
     WHERE b.resident_id = $1 AND b.unit_id = $2 AND t.profession = $3 \
       AND b.status IN ('booked', 'arrived') AND b.starts_at > $4";

#[async_trait::async_trait]
impl ResidentRepository for SqlStore {
    async fn resident(&self, id: ResidentId) -> StoreResult<Option<Resident>> {
        query(RESIDENT_BY_ID)
            .bind(id.as_uuid())
            .optional(&self.db, columns::resident)
            .await
    }

    async fn ensure_resident(
        &self,
        pnr: &PersonalIdentityNumber,
        name: Option<&PersonName>,
        at: DateTime<Utc>,
    ) -> StoreResult<Resident> {
        if let Some(found) = self.resident_by_pnr(pnr).await? {
            return Ok(found);
        }
        // Two first logins at once both insert; the unique constraint
        // keeps one and the other reads it back.
        query(INSERT_RESIDENT)
            .bind(uuid::Uuid::new_v4())
            .bind(pnr.canonical())
            .bind(name.map(|n| n.as_str()))
            .bind(at)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        let row = query(RESIDENT_BY_PNR)
            .bind(pnr.canonical())
            .fetch_one(&self.db)
            .await
            .map_err(db_error)?;
        columns::resident(&row).map_err(db_error)
    }

    async fn resident_by_pnr(&self, pnr: &PersonalIdentityNumber) -> StoreResult<Option<Resident>> {
        query(RESIDENT_BY_PNR)
            .bind(pnr.canonical())
            .optional(&self.db, columns::resident)
            .await
    }

    async fn has_established_contact(
        &self,
        resident: ResidentId,
        unit: UnitId,
        profession: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let row = query(ESTABLISHED_CONTACT)
            .bind(resident.as_uuid())
            .bind(unit.as_uuid())
            .bind(profession)
            .bind(since)
            .fetch_one(&self.db)
            .await
            .map_err(db_error)?;
        Ok(row.count("n").map_err(db_error)? > 0)
    }
}
