//! Request and response bodies of rule 17: a guardian's children, the
//! region's age limit and the register file's summary.

use crate::problem::{ApiError, FieldCode};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tidbok_domain::guardians::GUARDIAN_AGE_LIMITS;
use tidbok_domain::ports::RegisterSummary;
use tidbok_domain::usecases::ChildOfGuardian;
use utoipa::ToSchema;
use uuid::Uuid;

/// One of your children as the population register names them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "6f1c1a52-4a7e-4c39-9d5f-0d8e8d1f5a10", "name": "Elsa Svensson", "birth_date": "2020-06-07", "age": 6, "access_ends_on": "2033-06-07", "may_act": true}))]
pub struct ChildResponse {
    /// Send it as the `Tidbok-Acting-For` header to act for the child.
    pub id: Uuid,
    pub name: String,
    pub birth_date: NaiveDate,
    /// Completed years today (Europe/Stockholm).
    pub age: u32,
    /// The child's birthday at the region's age limit: from that day the
    /// child books with their own e-ID.
    pub access_ends_on: NaiveDate,
    /// Whether you may act for the child today.
    pub may_act: bool,
}

impl ChildResponse {
    pub fn new(c: ChildOfGuardian, today: NaiveDate) -> Self {
        Self {
            id: c.child.id.as_uuid(),
            age: c.child.pnr.age_on(today),
            name: c.name.as_str().to_owned(),
            birth_date: c.birth_date,
            access_ends_on: c.access_ends_on,
            may_act: c.may_act,
        }
    }
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"years": 13}))]
pub struct GuardianAgeLimit {
    /// A guardian acts for a child until the child's birthday at this age:
    /// 1 to 18; 13 unless the region sets it.
    #[schema(minimum = 1, maximum = 18)]
    pub years: u32,
}

impl GuardianAgeLimit {
    pub fn checked(&self) -> Result<u32, ApiError> {
        if GUARDIAN_AGE_LIMITS.contains(&self.years) {
            Ok(self.years)
        } else {
            Err(ApiError::field("years", FieldCode::Range, "1 to 18 years"))
        }
    }
}

/// What the population-register table holds.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"guardianships": 2, "children": 2, "loaded_at": "2026-12-01T08:00:00Z"}))]
pub struct RegisterSummaryResponse {
    pub guardianships: u64,
    pub children: u64,
    /// When the file was last loaded; absent before the first.
    pub loaded_at: Option<DateTime<Utc>>,
}

impl From<RegisterSummary> for RegisterSummaryResponse {
    fn from(s: RegisterSummary) -> Self {
        Self {
            guardianships: s.guardianships,
            children: s.children,
            loaded_at: s.loaded_at,
        }
    }
}
