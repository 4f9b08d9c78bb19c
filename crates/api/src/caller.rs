//! Who is calling: the extractors that turn a bearer token into a resident
//! or a member of staff for the handlers. Tokens are verified by
//! [`crate::auth`]; these only read, so a request that only reads writes
//! nothing.

use crate::auth::{AuthError, Principal, Role};
use crate::problem::{ApiError, ProblemType};
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;
use tidbok_domain::time::local_date;
use tidbok_domain::{NotificationChoices, PersonName, PersonalIdentityNumber, Resident, ResidentId};

fn bearer(req: &HttpRequest) -> Result<&str, AuthError> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or(AuthError::Missing)?;
    let value = value.to_str().map_err(|_| AuthError::Missing)?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthError::Missing)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AuthError::Missing);
    }
    Ok(token.trim())
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no state")))
}

fn authenticate(req: &HttpRequest) -> Result<Principal, ApiError> {
    let state = state(req)?;
    let token = bearer(req)?;
    let today = local_date(state.clock.now());
    Ok(state.auth.verify(token, today)?)
}

/// The header a guardian sends to act for their child (rule 17): the
/// child's id from `GET /me/children`.
pub const ACTING_FOR: &str = "tidbok-acting-for";

/// A resident, as the token names them: their record when Tidbok has one.
/// Any other role gets 403. Reading needs no record (someone never seen has
/// no bookings, messages or log lines); the first write records them
/// ([`ResidentCaller::recorded`]), so reads never write.
///
/// With the [`ACTING_FOR`] header a guardian acts for their child (rule 17):
/// [`Self::resident`] is then the child (every rule is the child's) and
/// [`Self::portal`] records the guardian as the one who acted. A child who
/// is not theirs is 404; their own child from the age limit on is 403
/// `guardian-access-ended`.
pub struct ResidentCaller {
    pub pnr: PersonalIdentityNumber,
    pub name: Option<PersonName>,
    record: Option<Resident>,
    child: Option<Resident>,
}

impl ResidentCaller {
    /// Whether the caller acts for a child.
    pub fn acts_for_child(&self) -> bool {
        self.child.is_some()
    }

    /// The portal for this caller: as a guardian for their child, or the
    /// resident's own.
    pub fn portal(&self, state: &AppState) -> tidbok_domain::usecases::ResidentPortal {
        match (&self.child, &self.record) {
            (Some(_), Some(guardian)) => state.portal.for_guardian(guardian.clone()),
            _ => state.portal.clone(),
        }
    }

    /// The resident for reading — the child a guardian acts for, or the
    /// caller's own record, or (before their first write) one with no data,
    /// under an id no row has.
    pub fn resident(&self) -> Resident {
        if let Some(child) = &self.child {
            return child.clone();
        }
        self.record.clone().unwrap_or_else(|| Resident {
            id: ResidentId::generate(),
            pnr: self.pnr.clone(),
            name: self.name.clone(),
            phone: None,
            email: None,
            notifications: NotificationChoices::default(),
            reminders: NotificationChoices { sms: true, email: true },
        })
    }

    /// The resident for writing: recorded now if this is their first write.
    pub async fn recorded(&self, state: &AppState) -> Result<Resident, ApiError> {
        if let Some(child) = &self.child {
            return Ok(child.clone());
        }
        match &self.record {
            Some(resident) => Ok(resident.clone()),
            None => Ok(state
                .store
                .ensure_resident(&self.pnr, self.name.as_ref(), state.clock.now())
                .await?),
        }
    }
}

impl FromRequest for ResidentCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let principal = authenticate(req);
        let state = state(req);
        let acting_for = acting_for(req);
        Box::pin(async move {
            let (pnr, name) = match principal? {
                Principal::Resident { pnr, name } => (pnr, name),
                Principal::Staff { .. } => {
                    return Err(ApiError::new(ProblemType::Forbidden).detail("This endpoint is for residents."))
                }
            };
            let state = state?;
            let mut record = state.store.resident_by_pnr(&pnr).await?;
            let child = match acting_for? {
                None => None,
                Some(child) => {
                    let child = state.portal.child_to_act_for(&pnr, child).await?;
                    // The guardian is the actor on the child's bookings and
                    // in their access log: recorded from their first act.
                    if record.is_none() {
                        let now = state.clock.now();
                        record = Some(state.store.ensure_resident(&pnr, name.as_ref(), now).await?);
                    }
                    Some(child)
                }
            };
            Ok(ResidentCaller {
                pnr,
                name,
                record,
                child,
            })
        })
    }
}

/// The child's id in the [`ACTING_FOR`] header, if one is sent.
fn acting_for(req: &HttpRequest) -> Result<Option<ResidentId>, ApiError> {
    let Some(value) = req.headers().get(ACTING_FOR) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| uuid::Uuid::parse_str(v.trim()).ok())
        .map(|id| Some(ResidentId::from_uuid(id)))
        .ok_or_else(|| {
            ApiError::new(ProblemType::MalformedRequest)
                .detail("The Tidbok-Acting-For header must be a child's id from GET /me/children.")
        })
}

/// A member of staff or an administrator (any role but resident; residents
/// get 403). What they may do is decided per request by the use cases.
pub struct StaffCaller(pub tidbok_domain::staff::StaffMember);

impl FromRequest for StaffCaller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        use tidbok_domain::StaffRole;
        std::future::ready(authenticate(req).and_then(|principal| match principal {
            Principal::Staff {
                id,
                role,
                units,
                region,
                name,
            } => {
                let role = match role {
                    Role::Staff => StaffRole::Staff,
                    Role::UnitAdmin => StaffRole::UnitAdmin,
                    Role::RegionalAdmin => StaffRole::RegionalAdmin,
                    Role::Resident => return Err(ApiError::new(ProblemType::Forbidden)),
                };
                Ok(StaffCaller(tidbok_domain::staff::StaffMember {
                    id,
                    role,
                    units,
                    region,
                    name,
                }))
            }
            Principal::Resident { .. } => {
                Err(ApiError::new(ProblemType::Forbidden).detail("This endpoint is for staff and administrators."))
            }
        }))
    }
}
