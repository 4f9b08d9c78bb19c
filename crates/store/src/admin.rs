//! Administration: regions and their appointment types, and each unit's
//! online services (set up, terms, activation, the restricted selection).

use crate::catalogue::bind_type_fields;
use crate::columns::{self, Columns};
use crate::error::{db_error, unique_name_taken};
use crate::query::query;
use crate::SqlStore;
use tidbok_domain::ports::{AdminRepository, StoreResult};
use tidbok_domain::reminders::ReminderPolicy;
use tidbok_domain::*;

const REGIONS: &str = concat!("SELECT ", region_cols!(), " FROM regions r ORDER BY r.name, r.id");
const UPDATE_REGION: &str = "UPDATE regions SET name = $2, notify_on_staff_cancel = $3 WHERE id = $1";
const REGION_TYPES: &str = concat!(
    "SELECT ",
    type_cols!(),
    " FROM appointment_types t WHERE t.region_id = $1 ORDER BY t.name, t.id"
);
/// The type's fields as `catalogue::bind_type_fields` binds them, after its id.
const UPDATE_TYPE: &str = "UPDATE appointment_types SET name = $2, profession = $3, mode = $4, \
     default_length_minutes = $5, portal_policy = $6, min_age_years = $7, established_contact_only = $8, \
     instructions = $9, retired = $10 WHERE id = $1";
const SET_UP_SERVICE: &str =
    "INSERT INTO unit_services (unit_id, service) VALUES ($1, $2) ON CONFLICT (unit_id, service) DO NOTHING";
const UPDATE_TERMS: &str =
    "UPDATE unit_services SET terms_text = $3, terms_html = $4 WHERE unit_id = $1 AND service = $2";
const SET_ACTIVATION: &str = "UPDATE unit_services SET active = $3, audience = $4 WHERE unit_id = $1 AND service = $2";
const CLEAR_SELECTION: &str = "DELETE FROM service_selection WHERE unit_id = $1 AND service = $2";
const SET_REGION_REMINDERS: &str = "UPDATE regions SET reminder_policy = $2 WHERE id = $1";
/// The units that follow their region take its new reminders along.
const FOLLOW_REGION_REMINDERS: &str =
    "UPDATE units SET reminder_policy = $2 WHERE region_id = $1 AND NOT reminder_policy_own";
const SET_OWN_REMINDERS: &str = "UPDATE units SET reminder_policy = $2, reminder_policy_own = TRUE WHERE id = $1";
/// Takes the region's row lock, so a region update running meanwhile cannot
/// leave this unit with the policy it replaced.
const LOCK_REGION_OF_UNIT: &str = "UPDATE regions SET reminder_policy = reminder_policy \
     WHERE id = (SELECT region_id FROM units WHERE id = $1)";
const FOLLOW_OWN_REGION: &str = "UPDATE units SET reminder_policy = \
     (SELECT r.reminder_policy FROM regions r WHERE r.id = units.region_id), reminder_policy_own = FALSE WHERE id = $1";
const HAS_OWN_REMINDERS: &str = "SELECT reminder_policy_own AS own FROM units WHERE id = $1";
const SELECTION_SIZE: &str = "SELECT COUNT(*) AS n FROM service_selection WHERE unit_id = $1 AND service = $2";

#[async_trait::async_trait]
impl AdminRepository for SqlStore {
    async fn regions(&self) -> StoreResult<Vec<Region>> {
        query(REGIONS).all(&self.db, columns::region).await
    }

    async fn update_region(&self, region: &Region) -> StoreResult<()> {
        query(UPDATE_REGION)
            .bind(region.id.as_uuid())
            .bind(&region.name)
            .bind(region.notify_on_staff_cancel)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn appointment_types(&self, region: RegionId) -> StoreResult<Vec<AppointmentType>> {
        query(REGION_TYPES)
            .bind(region.as_uuid())
            .all(&self.db, columns::appointment_type)
            .await
    }

    async fn update_appointment_type(&self, t: &AppointmentType) -> StoreResult<()> {
        bind_type_fields(query(UPDATE_TYPE).bind(t.id.as_uuid()), t)
            .execute(&self.db)
            .await
            .map_err(unique_name_taken)?;
        Ok(())
    }

    async fn set_up_service(&self, unit: UnitId, service: OnlineService) -> StoreResult<()> {
        query(SET_UP_SERVICE)
            .bind(unit.as_uuid())
            .bind(service.as_str())
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn update_terms(
        &self,
        unit: UnitId,
        service: OnlineService,
        markdown: &str,
        html: &str,
    ) -> StoreResult<bool> {
        let changed = query(UPDATE_TERMS)
            .bind(unit.as_uuid())
            .bind(service.as_str())
            .bind(markdown)
            .bind(html)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(changed > 0)
    }

    async fn set_activation(
        &self,
        unit: UnitId,
        service: OnlineService,
        active: bool,
        audience: Audience,
    ) -> StoreResult<bool> {
        let changed = query(SET_ACTIVATION)
            .bind(unit.as_uuid())
            .bind(service.as_str())
            .bind(active)
            .bind(audience.as_str())
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(changed > 0)
    }

    async fn replace_selection(
        &self,
        unit: UnitId,
        service: OnlineService,
        pnrs: &[PersonalIdentityNumber],
    ) -> StoreResult<()> {
        let mut tx = self.db.begin().await.map_err(db_error)?;
        query(CLEAR_SELECTION)
            .bind(unit.as_uuid())
            .bind(service.as_str())
            .execute(&mut tx)
            .await
            .map_err(db_error)?;
        for chunk in pnrs.chunks(1000) {
            let mut insert = query("INSERT INTO service_selection (unit_id, service, pnr)");
            insert.push_values(chunk, |row, pnr| {
                row.push_bind(unit.as_uuid())
                    .push_bind(service.as_str())
                    .push_bind(pnr.canonical());
            });
            insert.push(" ON CONFLICT DO NOTHING");
            insert.execute(&mut tx).await.map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }

    async fn selection_size(&self, unit: UnitId, service: OnlineService) -> StoreResult<u64> {
        let row = query(SELECTION_SIZE)
            .bind(unit.as_uuid())
            .bind(service.as_str())
            .fetch_one(&self.db)
            .await
            .map_err(db_error)?;
        Ok(row.count("n").map_err(db_error)?.max(0) as u64)
    }

    async fn set_region_reminders(&self, region: RegionId, policy: &ReminderPolicy) -> StoreResult<()> {
        let stored = policy.to_string();
        let mut tx = self.db.begin().await.map_err(db_error)?;
        for statement in [SET_REGION_REMINDERS, FOLLOW_REGION_REMINDERS] {
            query(statement)
                .bind(region.as_uuid())
                .bind(stored.as_str())
                .execute(&mut tx)
                .await
                .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)
    }

    async fn set_unit_reminders(&self, unit: UnitId, own: Option<&ReminderPolicy>) -> StoreResult<()> {
        match own {
            Some(policy) => {
                query(SET_OWN_REMINDERS)
                    .bind(unit.as_uuid())
                    .bind(policy.to_string())
                    .execute(&self.db)
                    .await
                    .map_err(db_error)?;
            }
            None => {
                let mut tx = self.db.begin().await.map_err(db_error)?;
                for statement in [LOCK_REGION_OF_UNIT, FOLLOW_OWN_REGION] {
                    query(statement)
                        .bind(unit.as_uuid())
                        .execute(&mut tx)
                        .await
                        .map_err(db_error)?;
                }
                tx.commit().await.map_err(db_error)?;
            }
        }
        Ok(())
    }

    async fn unit_has_own_reminders(&self, unit: UnitId) -> StoreResult<bool> {
        Ok(query(HAS_OWN_REMINDERS)
            .bind(unit.as_uuid())
            .optional(&self.db, |r| r.flag("own"))
            .await?
            .unwrap_or(false))
    }
}
