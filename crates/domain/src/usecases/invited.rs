//! The resident's side of an invitation to book (rule 19): the open
//! invitations, the dates and times inside one's window, and the booking
//! that uses it up — under every rule of booking online except that the
//! type need not be bookable online.

use super::provisional;
use super::resident::{AvailableDates, BookOnline, PortalError, PortalResult, ResidentBooking, ResidentPortal};
use crate::ids::*;
use crate::invitations::{InvitationDetails, InvitationStatus};
use crate::model::*;
use crate::ports::*;
use crate::rules;
use crate::time::{local_date, Horizon};
use chrono::{DateTime, NaiveDate, Utc};

impl ResidentPortal {
    /// The resident's open invitations, soonest ending first.
    pub async fn invitations(&self, resident: &Resident) -> PortalResult<Vec<InvitationDetails>> {
        let today = local_date(self.clock.now());
        self.log_guardian_read(AccessAction::ViewInvitations, resident, None, None)
            .await?;
        Ok(self.store.resident_invitations(resident.id, today).await?)
    }

    /// One of the resident's invitations while it is open; anyone else's is
    /// not found.
    pub async fn invitation(&self, resident: &Resident, id: InvitationId) -> PortalResult<InvitationDetails> {
        let found = self.open_invitation(resident, id, self.clock.now()).await?;
        self.log_guardian_read(
            AccessAction::ViewInvitations,
            resident,
            Some(found.invitation.unit_id),
            None,
        )
        .await?;
        Ok(found)
    }

    async fn open_invitation(
        &self,
        resident: &Resident,
        id: InvitationId,
        now: DateTime<Utc>,
    ) -> PortalResult<InvitationDetails> {
        let found = self.store.invitation(id).await?.ok_or(PortalError::NotFound)?;
        if found.invitation.resident_id != resident.id {
            return Err(PortalError::NotFound);
        }
        match found.invitation.status(local_date(now)) {
            InvitationStatus::Open => Ok(found),
            _ => Err(PortalError::InvitationUsed),
        }
    }

    /// The query of free slots an invitation covers over `from ..= to`
    /// (default: the rest of its window).
    async fn invitation_query(
        &self,
        resident: &Resident,
        id: InvitationId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> PortalResult<(FreeSlotQuery, Horizon)> {
        let now = self.clock.now();
        let found = self.open_invitation(resident, id, now).await?;
        let i = &found.invitation;
        let window = Horizon {
            first: i.valid_from.max(local_date(now)),
            last: i.valid_until,
        };
        let (from, to) = (from.unwrap_or(window.first), to.unwrap_or(window.last));
        if from > to || !window.contains(from) || !window.contains(to) {
            return Err(PortalError::OutsideInvitation);
        }
        let query = FreeSlotQuery {
            unit_id: i.unit_id,
            appointment_type_id: i.appointment_type_id,
            practitioner_id: None,
            length_minutes: None,
            from,
            to,
            starting_after: now,
        };
        Ok((query, window))
    }

    /// The dates with free slots the invitation covers, and the first of them.
    pub async fn invitation_dates(
        &self,
        resident: &Resident,
        id: InvitationId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> PortalResult<AvailableDates> {
        let (query, window) = self.invitation_query(resident, id, from, to).await?;
        let dates = self.store.free_slot_counts(&query).await?;
        Ok(AvailableDates {
            horizon: window,
            from: query.from,
            to: query.to,
            first_free_date: rules::first_free_date(&dates),
            dates,
        })
    }

    /// The free slots of one date the invitation covers.
    pub async fn invitation_slots(
        &self,
        resident: &Resident,
        id: InvitationId,
        date: NaiveDate,
    ) -> PortalResult<Vec<SlotDetails>> {
        let (query, _) = self.invitation_query(resident, id, Some(date), Some(date)).await?;
        Ok(self.store.free_slots(&query).await?)
    }

    /// Books a slot the invitation covers, using it up in the same
    /// transaction (rules 8, 9, 13 and 19; the type need not be bookable
    /// online).
    pub async fn book_invited(
        &self,
        resident: &Resident,
        id: InvitationId,
        request: BookOnline,
    ) -> PortalResult<ResidentBooking> {
        let now = self.clock.now();
        let found = self.open_invitation(resident, id, now).await?;
        let i = &found.invitation;
        self.service_access(i.unit_id, OnlineService::BookOnline, resident)
            .await?
            .map_err(|_| PortalError::ServiceNotActive(OnlineService::BookOnline))?;
        rules::terms_confirmed(request.terms_accepted)?;
        let slot = self.store.slot(request.slot_id).await?.ok_or(PortalError::NotFound)?;
        if slot.slot.unit_id != i.unit_id
            || slot.slot.appointment_type_id != i.appointment_type_id
            || !i.covers(local_date(slot.slot.starts_at))
        {
            return Err(PortalError::OutsideInvitation);
        }
        if slot.appointment_type.retired {
            return Err(PortalError::NotBookableOnline);
        }
        self.eligibility(resident, i.unit_id, &slot.appointment_type, now)
            .await??;
        let booking = NewBooking {
            id: BookingId::generate(),
            slot_id: slot.slot.id,
            resident_id: resident.id,
            booked_by: self.actor(resident),
            booked_at: now,
            reason_for_visit: Some(request.reason_for_visit),
            message: request.message,
            hidden_in_portal: false,
            slot_must_start_after: now,
            max_active_of_type: self.max_active_of_type,
        };
        let effects = self.effects(
            NotificationKind::BookedOnline,
            AccessAction::Book,
            resident,
            &provisional(&booking, &slot),
            now,
        );
        let id = self
            .store
            .book_invited(&booking, id, local_date(now), &effects)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(Conflict::BookingLimitReached) => {
                    PortalError::BookingLimitReached(self.max_active_of_type.unwrap_or(0))
                }
                other => other.into(),
            })?;
        self.view(resident, id).await
    }
}
