//! The catalogue: regions, units, practitioners, appointment types and the
//! units' online services, as the resident's side reads them, and the writes
//! that create them (the demo seed, the benchmark's region, tests).

use crate::columns::{self, Columns};
use crate::error::{db_error, unique_name_taken};
use crate::query::{query, Query};
use crate::SqlStore;
use tidbok_domain::ports::{CatalogueAdmin, CatalogueRepository, StoreResult};
use tidbok_domain::*;

const UNITS: &str = concat!("SELECT ", unit_cols!(), " FROM units u ORDER BY u.name, u.id");
const UNIT_BY_ID: &str = concat!("SELECT ", unit_cols!(), " FROM units u WHERE u.id = $1");
const REGION_BY_ID: &str = concat!("SELECT ", region_cols!(), " FROM regions r WHERE r.id = $1");
const TYPE_BY_ID: &str = concat!("SELECT ", type_cols!(), " FROM appointment_types t WHERE t.id = $1");
const UNIT_TYPES: &str = concat!(
    "SELECT ",
    type_cols!(),
    " FROM unit_appointment_types ut JOIN appointment_types t ON t.id = ut.appointment_type_id \
     WHERE ut.unit_id = $1 ORDER BY t.name, t.id"
);
const PRACTITIONER_BY_ID: &str = concat!("SELECT ", practitioner_cols!(), " FROM practitioners p WHERE p.id = $1");
const SERVICE_SETTINGS: &str = concat!(
    "SELECT ",
    service_cols!(),
    " FROM unit_services us WHERE us.unit_id = $1 ORDER BY us.service"
);
/// One row per service the unit has set up (or one row of nulls on the
/// right), each with the type's columns (nulls when there is no such type).
const UNIT_SETTINGS_AND_TYPE: &str = concat!(
    "SELECT u.id AS u_id, ",
    type_cols!(),
    ", ",
    service_cols!(),
    " FROM units u LEFT JOIN appointment_types t ON t.id = $2 LEFT JOIN unit_services us ON us.unit_id = u.id \
     WHERE u.id = $1 ORDER BY us.service"
);
const IN_SELECTION: &str =
    "SELECT COUNT(*) AS n FROM service_selection WHERE unit_id = $1 AND service = $2 AND pnr = $3";

const INSERT_REGION: &str =
    "INSERT INTO regions (id, name, notify_on_staff_cancel, reminder_policy) VALUES ($1, $2, $3, $4)";
/// A new unit follows its region's reminders (rule 14).
const INSERT_UNIT: &str = "INSERT INTO units (id, region_id, name, phone, address, reminder_policy) \
     SELECT $1, $2, $3, $4, $5, r.reminder_policy FROM regions r WHERE r.id = $2";
const INSERT_PRACTITIONER: &str = "INSERT INTO practitioners (id, unit_id, name, profession) VALUES ($1, $2, $3, $4)";
const LINK_PRACTITIONER_TO_STAFF: &str = "UPDATE practitioners SET staff_id = $2 WHERE id = $1";
const INSERT_TYPE: &str = "INSERT INTO appointment_types \
     (id, region_id, name, profession, mode, default_length_minutes, portal_policy, min_age_years, \
      established_contact_only, instructions, retired) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

/// The type's fields after its id (and region), in the order [`INSERT_TYPE`]
/// and `admin::UPDATE_TYPE` take them.
pub(crate) fn bind_type_fields<'q>(q: Query<'q>, t: &'q AppointmentType) -> Query<'q> {
    q.bind(&t.name)
        .bind(&t.profession)
        .bind(t.mode.as_str())
        .bind(i32::from(t.default_length_minutes))
        .bind(t.policy.as_str())
        .bind(t.eligibility.min_age_years.map(i32::from))
        .bind(t.eligibility.established_contact_only)
        .bind(&t.instructions)
        .bind(t.retired)
}

const PUT_SERVICE: &str = "INSERT INTO unit_services (unit_id, service, active, audience, terms_text, terms_html) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_id, service) DO UPDATE \
     SET active = excluded.active, audience = excluded.audience, terms_text = excluded.terms_text, \
         terms_html = excluded.terms_html";
const ADD_TO_SELECTION: &str =
    "INSERT INTO service_selection (unit_id, service, pnr) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

#[async_trait::async_trait]
impl CatalogueRepository for SqlStore {
    async fn units(&self) -> StoreResult<Vec<Unit>> {
        query(UNITS).all(&self.db, columns::unit).await
    }

    async fn unit(&self, id: UnitId) -> StoreResult<Option<Unit>> {
        query(UNIT_BY_ID)
            .bind(id.as_uuid())
            .optional(&self.db, columns::unit)
            .await
    }

    async fn region(&self, id: RegionId) -> StoreResult<Option<Region>> {
        query(REGION_BY_ID)
            .bind(id.as_uuid())
            .optional(&self.db, columns::region)
            .await
    }

    async fn appointment_type(&self, id: AppointmentTypeId) -> StoreResult<Option<AppointmentType>> {
        query(TYPE_BY_ID)
            .bind(id.as_uuid())
            .optional(&self.db, columns::appointment_type)
            .await
    }

    async fn unit_appointment_types(&self, unit: UnitId) -> StoreResult<Vec<AppointmentType>> {
        query(UNIT_TYPES)
            .bind(unit.as_uuid())
            .all(&self.db, columns::appointment_type)
            .await
    }

    async fn practitioner(&self, id: PractitionerId) -> StoreResult<Option<Practitioner>> {
        query(PRACTITIONER_BY_ID)
            .bind(id.as_uuid())
            .optional(&self.db, columns::practitioner)
            .await
    }

    async fn unit_settings_and_type(
        &self,
        unit: UnitId,
        ty: AppointmentTypeId,
    ) -> StoreResult<Option<(Vec<ServiceSetting>, Option<AppointmentType>)>> {
        let rows = query(UNIT_SETTINGS_AND_TYPE)
            .bind(unit.as_uuid())
            .bind(ty.as_uuid())
            .fetch_all(&self.db)
            .await
            .map_err(db_error)?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let read = || {
            let ty = match first.opt_uuid("t_id")? {
                Some(_) => Some(columns::appointment_type(first)?),
                None => None,
            };
            Ok((columns::joined_settings(&rows)?, ty))
        };
        read().map(Some).map_err(db_error)
    }

    async fn service_settings(&self, unit: UnitId) -> StoreResult<Vec<ServiceSetting>> {
        query(SERVICE_SETTINGS)
            .bind(unit.as_uuid())
            .all(&self.db, columns::service_setting)
            .await
    }

    async fn in_selection(
        &self,
        unit: UnitId,
        service: OnlineService,
        pnr: &PersonalIdentityNumber,
    ) -> StoreResult<bool> {
        let row = query(IN_SELECTION)
            .bind(unit.as_uuid())
            .bind(service.as_str())
            .bind(pnr.canonical())
            .fetch_one(&self.db)
            .await
            .map_err(db_error)?;
        Ok(row.count("n").map_err(db_error)? > 0)
    }
}

#[async_trait::async_trait]
impl CatalogueAdmin for SqlStore {
    async fn insert_region(&self, region: &Region) -> StoreResult<()> {
        query(INSERT_REGION)
            .bind(region.id.as_uuid())
            .bind(&region.name)
            .bind(region.notify_on_staff_cancel)
            .bind(region.reminders.to_string())
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn insert_unit(&self, unit: &Unit) -> StoreResult<()> {
        query(INSERT_UNIT)
            .bind(unit.id.as_uuid())
            .bind(unit.region_id.as_uuid())
            .bind(&unit.name)
            .bind(&unit.phone)
            .bind(&unit.address)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn insert_practitioner(&self, p: &Practitioner) -> StoreResult<()> {
        query(INSERT_PRACTITIONER)
            .bind(p.id.as_uuid())
            .bind(p.unit_id.as_uuid())
            .bind(&p.name)
            .bind(&p.profession)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn link_practitioner_to_staff(&self, practitioner: PractitionerId, staff: StaffId) -> StoreResult<()> {
        query(LINK_PRACTITIONER_TO_STAFF)
            .bind(practitioner.as_uuid())
            .bind(staff.as_uuid())
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn insert_appointment_type(&self, t: &AppointmentType) -> StoreResult<()> {
        let insert = query(INSERT_TYPE).bind(t.id.as_uuid()).bind(t.region_id.as_uuid());
        bind_type_fields(insert, t)
            .execute(&self.db)
            .await
            .map_err(unique_name_taken)?;
        Ok(())
    }

    async fn put_service_setting(&self, s: &ServiceSetting) -> StoreResult<()> {
        query(PUT_SERVICE)
            .bind(s.unit_id.as_uuid())
            .bind(s.service.as_str())
            .bind(s.active)
            .bind(s.audience.as_str())
            .bind(&s.terms_text)
            .bind(&s.terms_html)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn add_to_selection(
        &self,
        unit: UnitId,
        service: OnlineService,
        pnr: &PersonalIdentityNumber,
    ) -> StoreResult<()> {
        query(ADD_TO_SELECTION)
            .bind(unit.as_uuid())
            .bind(service.as_str())
            .bind(pnr.canonical())
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
