//! Rule 17: a guardian acting for their child. The portal "for a guardian"
//! ([`ResidentPortal::for_guardian`]) takes the child as the resident of
//! every use case — so every rule is the child's: age, established contact,
//! the restricted selection, the booking cap — while the guardian is the
//! actor recorded on the booking and in the child's access log, and the
//! guardian's channels get the SMS and e-mail (the notice itself lands in
//! the child's inbox, which the guardian reads in the child's view).

use super::effects_for;
use super::resident::{PortalError, PortalResult, ResidentPortal};
use crate::guardians::{access_ends_on, may_act_for};
use crate::ids::*;
use crate::model::*;
use crate::notify::Composer;
use crate::pnr::PersonalIdentityNumber;
use crate::ports::PopulationRegister;
use crate::text::PersonName;
use crate::time::local_date;
use chrono::{DateTime, NaiveDate, Utc};
use std::sync::Arc;

/// One of a guardian's children as the portal lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildOfGuardian {
    /// The child's record (recorded when first listed).
    pub child: Resident,
    pub name: PersonName,
    pub birth_date: NaiveDate,
    /// The first day the guardian may no longer act for the child.
    pub access_ends_on: NaiveDate,
    /// Whether the guardian may act for the child today.
    pub may_act: bool,
}

impl ResidentPortal {
    /// The population register the portal asks about guardians. Without one
    /// nobody acts for anyone.
    pub fn with_register(self, register: Arc<dyn PopulationRegister>) -> Self {
        Self {
            register: Some(register),
            ..self
        }
    }

    /// The portal as `guardian` sees it while acting for a child: the child
    /// is the resident every use case is given.
    pub fn for_guardian(&self, guardian: Resident) -> Self {
        Self {
            guardian: Some(guardian),
            ..self.clone()
        }
    }

    /// The guardian acting, if this portal acts for a child.
    pub fn guardian(&self) -> Option<&Resident> {
        self.guardian.as_ref()
    }

    /// The children the register names `guardian` guardian of, youngest
    /// first, each with whether the guardian may act for them today (the
    /// ones who have reached the age limit are listed, so the guardian sees
    /// why). A child seen for the first time is recorded, so their id is
    /// stable.
    pub async fn children(&self, guardian: &PersonalIdentityNumber) -> PortalResult<Vec<ChildOfGuardian>> {
        let Some(register) = &self.register else {
            return Ok(Vec::new());
        };
        let now = self.clock.now();
        let today = local_date(now);
        let limit = self.store.effective_guardian_age_limit().await?;
        let mut out = Vec::new();
        for registered in register.children_of(guardian).await? {
            let child = match self.store.resident_by_pnr(&registered.pnr).await? {
                Some(child) => child,
                None => {
                    self.store
                        .ensure_resident(&registered.pnr, Some(&registered.name), now)
                        .await?
                }
            };
            out.push(ChildOfGuardian {
                birth_date: registered.pnr.birth_date(),
                access_ends_on: access_ends_on(&registered.pnr, limit),
                may_act: may_act_for(&registered.pnr, limit, today),
                name: registered.name,
                child,
            });
        }
        out.sort_by(|a, b| b.birth_date.cmp(&a.birth_date).then(a.child.id.cmp(&b.child.id)));
        Ok(out)
    }

    /// The child `child` for `guardian` to act for today. Anyone the
    /// register does not name as their child is not found (an id reveals
    /// nothing); their own child at or past the age limit is
    /// [`PortalError::GuardianAccessEnded`].
    pub async fn child_to_act_for(
        &self,
        guardian: &PersonalIdentityNumber,
        child: ResidentId,
    ) -> PortalResult<Resident> {
        let record = self.store.resident(child).await?.ok_or(PortalError::NotFound)?;
        match self.guardian_access(guardian, &record.pnr).await? {
            Access::NotTheirs => return Err(PortalError::NotFound),
            Access::Ended(on) => return Err(PortalError::GuardianAccessEnded(on)),
            Access::Acts => {}
        }
        Ok(record)
    }

    /// Who acts for `resident` here: the guardian, or the resident.
    pub(super) fn actor(&self, resident: &Resident) -> Actor {
        Actor::Resident(self.guardian.as_ref().map_or(resident.id, |g| g.id))
    }

    /// The access-log line of a guardian's act on their child's data; none
    /// when residents act for themselves.
    pub(super) fn guardian_line(
        &self,
        action: AccessAction,
        resident: &Resident,
        unit: Option<UnitId>,
        booking: Option<BookingId>,
        at: DateTime<Utc>,
    ) -> Vec<AccessLogEntry> {
        self.guardian
            .iter()
            .map(|g| AccessLogEntry {
                id: uuid::Uuid::new_v4(),
                at,
                actor_id: g.id.as_uuid(),
                actor_role: AccessRole::Guardian,
                actor_name: g.name.as_ref().map(|n| n.as_str().to_owned()),
                unit_id: unit,
                action,
                resident_id: resident.id,
                booking_id: booking,
            })
            .collect()
    }

    /// Writes a guardian's read of their child's data to the access log.
    pub(super) async fn log_guardian_read(
        &self,
        action: AccessAction,
        resident: &Resident,
        unit: Option<UnitId>,
        booking: Option<BookingId>,
    ) -> PortalResult<()> {
        let lines = self.guardian_line(action, resident, unit, booking, self.clock.now());
        if !lines.is_empty() {
            self.store.record_access(&lines).await?;
        }
        Ok(())
    }

    /// The effects of a resident's change to `after` (see [`effects_for`]):
    /// the notice in the resident's inbox, its SMS and e-mail to whoever
    /// acted (the guardian's channels when a guardian acts), and the
    /// guardian's access-log line.
    pub(super) fn effects(
        &self,
        kind: NotificationKind,
        action: AccessAction,
        resident: &Resident,
        after: &BookingDetails,
        now: DateTime<Utc>,
    ) -> Effects {
        let contact = self.guardian.as_ref().unwrap_or(resident);
        let access = self.guardian_line(action, resident, Some(after.unit.id), Some(after.booking.id), now);
        let mut effects = effects_for(
            self.composer.as_ref() as &dyn Composer,
            kind,
            contact,
            after,
            now,
            access,
        );
        if let Some(notice) = effects.notice.as_mut() {
            notice.message.resident_id = resident.id;
        }
        effects
    }

    /// Whom later messages about a booking (reminders, offers) go to: the
    /// guardian who booked it for the patient while the register still names
    /// them guardian and the child is under the age limit; else the patient.
    pub(super) async fn contact_for(&self, booked_by: Actor, patient: Resident) -> PortalResult<Resident> {
        let Actor::Resident(id) = booked_by else {
            return Ok(patient);
        };
        if id == patient.id {
            return Ok(patient);
        }
        let Some(guardian) = self.store.resident(id).await? else {
            return Ok(patient);
        };
        match self.guardian_access(&guardian.pnr, &patient.pnr).await? {
            Access::Acts => Ok(guardian),
            Access::NotTheirs | Access::Ended(_) => Ok(patient),
        }
    }

    /// Whether `guardian` may act for `child` today: the register names
    /// them (and they are not the same person), and the child is under the
    /// age limit.
    async fn guardian_access(
        &self,
        guardian: &PersonalIdentityNumber,
        child: &PersonalIdentityNumber,
    ) -> PortalResult<Access> {
        let Some(register) = &self.register else {
            return Ok(Access::NotTheirs);
        };
        if guardian == child || !register.children_of(guardian).await?.iter().any(|c| &c.pnr == child) {
            return Ok(Access::NotTheirs);
        }
        let limit = self.store.effective_guardian_age_limit().await?;
        if may_act_for(child, limit, local_date(self.clock.now())) {
            Ok(Access::Acts)
        } else {
            Ok(Access::Ended(access_ends_on(child, limit)))
        }
    }
}

/// What a guardian may do for a child today (rule 17).
enum Access {
    NotTheirs,
    Ended(NaiveDate),
    Acts,
}
