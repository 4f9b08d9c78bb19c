//! The access log (loggning): appending staff's reads, the resident's own
//! extract (loggutdrag) and the unit's filtered review.

use crate::columns;
use crate::effects::insert_access;
use crate::error::db_error;
use crate::query::query;
use crate::SqlStore;
use tidbok_domain::ports::{AccessLogFilter, AccessLogRepository, StoreResult};
use tidbok_domain::*;

macro_rules! access_cols {
    () => {
        "a.id AS a_id, a.at AS a_at, a.actor_id AS a_actor_id, a.actor_role AS a_actor_role, \
         a.actor_name AS a_actor_name, a.unit_id AS a_unit_id, a.action AS a_action, \
         a.resident_id AS a_resident_id, a.booking_id AS a_booking_id"
    };
}

const RESIDENT_ACCESS_LOG: &str = concat!(
    "SELECT ",
    access_cols!(),
    ", u.name AS unit_name FROM access_log a LEFT JOIN units u ON u.id = a.unit_id \
     WHERE a.resident_id = $1 ORDER BY a.at DESC, a.id LIMIT $2"
);
/// The unit's log, to be completed by the filters and the order.
const UNIT_ACCESS_LOG: &str = concat!(
    "SELECT ",
    access_cols!(),
    ", ",
    resident_cols!(),
    " FROM access_log a JOIN residents res ON res.id = a.resident_id WHERE a.unit_id = "
);

#[async_trait::async_trait]
impl AccessLogRepository for SqlStore {
    async fn record_access(&self, entries: &[AccessLogEntry]) -> StoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut tx = self.db.begin().await.map_err(db_error)?;
        for a in entries {
            insert_access(&mut tx, a).await.map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(())
    }

    async fn resident_access_log(
        &self,
        resident: ResidentId,
        limit: u32,
    ) -> StoreResult<Vec<(AccessLogEntry, Option<String>)>> {
        query(RESIDENT_ACCESS_LOG)
            .bind(resident.as_uuid())
            .bind(i64::from(limit))
            .all(&self.db, |r| {
                Ok((columns::access_entry(r)?, columns::Columns::opt_text(r, "unit_name")?))
            })
            .await
    }

    async fn unit_access_log(&self, unit: UnitId, f: &AccessLogFilter) -> StoreResult<Vec<(AccessLogEntry, Resident)>> {
        let mut q = query(UNIT_ACCESS_LOG);
        q.push_bind(unit.as_uuid());
        if let Some(from) = f.from {
            q.push(" AND a.at >= ").push_bind(from);
        }
        if let Some(to) = f.to {
            q.push(" AND a.at < ").push_bind(to);
        }
        if let Some(actor) = f.actor {
            q.push(" AND a.actor_id = ").push_bind(actor);
        }
        if let Some(resident) = f.resident {
            q.push(" AND a.resident_id = ").push_bind(resident.as_uuid());
        }
        if let Some(action) = f.action {
            q.push(" AND a.action = ").push_bind(action.as_str());
        }
        q.push(" ORDER BY a.at DESC, a.id LIMIT ")
            .push_bind(i64::from(f.limit.clamp(1, 1000)));
        q.all(&self.db, |r| Ok((columns::access_entry(r)?, columns::resident(r)?)))
            .await
    }
}
