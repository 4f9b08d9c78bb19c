//! Rule 17 (docs/domain.md; the schema's reasons are in migration 0008): the
//! register table behind the shipped population-register adapter, and the
//! regions' age limit for guardians.

use crate::columns::Columns;
use crate::error::db_error;
use crate::query::query;
use crate::SqlStore;
use chrono::{DateTime, Utc};
use tidbok_domain::guardians::{Guardianship, RegisteredChild, DEFAULT_GUARDIAN_AGE_LIMIT};
use tidbok_domain::ports::{GuardianRepository, PopulationRegister, RegisterSummary, StoreResult};
use tidbok_domain::*;

const CHILDREN_OF: &str = "SELECT child_pnr, child_name FROM guardianships WHERE guardian_pnr = $1 ORDER BY child_pnr";
const CLEAR: &str = "DELETE FROM guardianships";
const SUMMARY: &str = "SELECT COUNT(*) AS n, COUNT(DISTINCT child_pnr) AS children, MAX(loaded_at) AS loaded_at \
     FROM guardianships";
const AGE_LIMIT: &str = "SELECT guardian_age_limit AS n FROM regions WHERE id = $1";
const SET_AGE_LIMIT: &str = "UPDATE regions SET guardian_age_limit = $2 WHERE id = $1";
const EFFECTIVE_AGE_LIMIT: &str = "SELECT MIN(guardian_age_limit) AS n FROM regions";

fn limit(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(DEFAULT_GUARDIAN_AGE_LIMIT)
}

#[async_trait::async_trait]
impl PopulationRegister for SqlStore {
    async fn children_of(&self, guardian: &PersonalIdentityNumber) -> StoreResult<Vec<RegisteredChild>> {
        let rows = query(CHILDREN_OF)
            .bind(guardian.canonical())
            .all(&self.db, |r| Ok((r.text("child_pnr")?, r.text("child_name")?)))
            .await?;
        // Rows were checked when loaded; one that no longer reads is skipped
        // rather than failing the guardian's every request.
        Ok(rows
            .into_iter()
            .filter_map(|(pnr, name)| {
                Some(RegisteredChild {
                    pnr: PersonalIdentityNumber::from_stored(&pnr).ok()?,
                    name: PersonName::parse(&name).ok()?,
                })
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl GuardianRepository for SqlStore {
    async fn replace_guardianships(&self, lines: &[Guardianship], at: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.db.begin().await.map_err(db_error)?;
        // Two imports at once would each delete only the rows they can see
        // and leave the union of both files: the second waits for the first
        // (reads go on). SQLite has one writer at a time already.
        if matches!(self.db, crate::backend::Backend::Postgres(_)) {
            query("LOCK TABLE guardianships IN EXCLUSIVE MODE")
                .execute(&mut tx)
                .await
                .map_err(db_error)?;
        }
        query(CLEAR).execute(&mut tx).await.map_err(db_error)?;
        let mut loaded = 0;
        for chunk in lines.chunks(500) {
            let mut insert = query("INSERT INTO guardianships (guardian_pnr, child_pnr, child_name, loaded_at)");
            insert.push_values(chunk, |row, g| {
                row.push_bind(g.guardian.canonical())
                    .push_bind(g.child.canonical())
                    .push_bind(g.child_name.as_str())
                    .push_bind(at);
            });
            insert.push(" ON CONFLICT DO NOTHING");
            // The table was emptied first: what is inserted is what it holds.
            loaded += insert.execute(&mut tx).await.map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(loaded)
    }

    async fn guardianships_summary(&self) -> StoreResult<RegisterSummary> {
        let row = query(SUMMARY)
            .optional(&self.db, |r| {
                Ok(RegisterSummary {
                    guardianships: u64::try_from(r.count("n")?).unwrap_or_default(),
                    children: u64::try_from(r.count("children")?).unwrap_or_default(),
                    loaded_at: r.opt_instant("loaded_at")?,
                })
            })
            .await?;
        Ok(row.unwrap_or(RegisterSummary {
            guardianships: 0,
            children: 0,
            loaded_at: None,
        }))
    }

    async fn guardian_age_limit(&self, region: RegionId) -> StoreResult<Option<u32>> {
        let n = query(AGE_LIMIT)
            .bind(region.as_uuid())
            .optional(&self.db, |r| r.int("n"))
            .await?;
        Ok(n.map(limit))
    }

    async fn set_guardian_age_limit(&self, region: RegionId, years: u32) -> StoreResult<bool> {
        let changed = query(SET_AGE_LIMIT)
            .bind(region.as_uuid())
            .bind(i32::try_from(years).unwrap_or(i32::MAX))
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(changed > 0)
    }

    async fn effective_guardian_age_limit(&self) -> StoreResult<u32> {
        let n = query(EFFECTIVE_AGE_LIMIT)
            .optional(&self.db, |r| r.opt_int("n"))
            .await?;
        Ok(n.flatten().map_or(DEFAULT_GUARDIAN_AGE_LIMIT, limit))
    }
}
