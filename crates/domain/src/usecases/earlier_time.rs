//! The resident's side of an earlier time (rules 15 and 16): asking for one
//! on a booking, taking the wish back, the offers with their holds, accepting
//! (an atomic rebooking onto the held slot) and declining; and the offer's
//! message when the outbox sends it.

use super::rebooked;
use super::resident::{DueReminder, PortalError, PortalResult, ResidentBooking, ResidentPortal};
use crate::ids::*;
use crate::model::*;
use crate::ports::*;
use crate::rules;
use crate::waitlist::{EarlierTimeWish, Offer, WaitlistEntry};

impl ResidentPortal {
    /// The booking's wish for an earlier time, if one is waiting.
    pub async fn earlier_time(&self, resident: &Resident, booking: BookingId) -> PortalResult<Option<WaitlistEntry>> {
        let current = self.view(resident, booking).await?;
        self.log_guardian_read(
            AccessAction::ViewBooking,
            resident,
            Some(current.details.unit.id),
            Some(booking),
        )
        .await?;
        Ok(self.store.waitlist_entry(booking).await?)
    }

    /// The resident's waiting wishes (for the list of bookings).
    pub async fn earlier_times(&self, resident: &Resident) -> PortalResult<Vec<WaitlistEntry>> {
        self.log_guardian_read(AccessAction::ViewBookings, resident, None, None)
            .await?;
        Ok(self.store.resident_waitlist(resident.id).await?)
    }

    /// Asks for an earlier time for a booking the resident may rebook
    /// online (rule 15), or changes the wish, keeping its place in the queue.
    pub async fn ask_earlier_time(
        &self,
        resident: &Resident,
        booking: BookingId,
        wish: EarlierTimeWish,
    ) -> PortalResult<WaitlistEntry> {
        let now = self.clock.now();
        let current = self.view_at(resident, booking, now).await?;
        current.can_rebook?;
        // The log line first: an act that fails after it is still an access.
        self.log_guardian_read(
            AccessAction::EarlierTime,
            resident,
            Some(current.details.unit.id),
            Some(booking),
        )
        .await?;
        Ok(self.store.put_waitlist_entry(&current.details, &wish, now).await?)
    }

    /// Takes the wish back; an offer it holds goes to the next resident.
    pub async fn withdraw_earlier_time(&self, resident: &Resident, booking: BookingId) -> PortalResult<()> {
        let now = self.clock.now();
        let current = self.view_at(resident, booking, now).await?;
        self.log_guardian_read(
            AccessAction::EarlierTime,
            resident,
            Some(current.details.unit.id),
            Some(booking),
        )
        .await?;
        if self.store.withdraw_waitlist_entry(booking, now).await? {
            Ok(())
        } else {
            Err(PortalError::NotFound)
        }
    }

    /// The resident's open offers, soonest to run out first.
    pub async fn offers(&self, resident: &Resident) -> PortalResult<Vec<Offer>> {
        self.log_guardian_read(AccessAction::ViewBookings, resident, None, None)
            .await?;
        Ok(self.store.resident_offers(resident.id, self.clock.now()).await?)
    }

    /// One of the resident's offers, open or not; anyone else's is not found.
    pub async fn offer(&self, resident: &Resident, id: HoldId) -> PortalResult<Offer> {
        match self.store.offer(id).await? {
            Some(offer) if offer.resident_id == resident.id => Ok(offer),
            _ => Err(PortalError::NotFound),
        }
    }

    /// Accepts an offer: moves the booking to the held slot in one
    /// transaction (the old one is released only if the new one is taken),
    /// under every rule an online rebooking follows (rules 2, 5, 7, 8).
    pub async fn accept_offer(&self, resident: &Resident, id: HoldId) -> PortalResult<ResidentBooking> {
        let now = self.clock.now();
        let offer = self.offer(resident, id).await?;
        if !offer.open_at(now) {
            return Err(PortalError::OfferGone);
        }
        let current = self.view_at(resident, offer.booking_id, now).await?;
        current.can_rebook?;
        rules::rebook_target_fits(&current.details.slot, &offer.slot.slot)?;
        if !rules::within_online_horizon(offer.slot.slot.starts_at, now) {
            return Err(PortalError::OutsideHorizon);
        }
        let rebooking = Rebooking {
            from: offer.booking_id,
            new_booking_id: BookingId::generate(),
            to_slot: offer.slot.slot.id,
            by: self.actor(resident),
            at: now,
            slot_must_start_after: now,
        };
        let after = rebooked(&current.details, &rebooking, &offer.slot);
        let effects = self.effects(
            NotificationKind::RebookedOnline,
            AccessAction::Rebook,
            resident,
            &after,
            now,
        );
        let id = self.store.accept_offer(id, &rebooking, &effects).await?;
        self.view(resident, id).await
    }

    /// Declines an open offer; the slot goes to the next resident waiting.
    /// The wish keeps waiting for another time.
    pub async fn decline_offer(&self, resident: &Resident, id: HoldId) -> PortalResult<()> {
        let now = self.clock.now();
        let offer = self.offer(resident, id).await?;
        if !offer.open_at(now) {
            return Err(PortalError::OfferGone);
        }
        self.log_guardian_read(
            AccessAction::EarlierTime,
            resident,
            Some(offer.slot.unit.id),
            Some(offer.booking_id),
        )
        .await?;
        Ok(self.store.decline_offer(id, now).await?)
    }

    /// The offer's message on `channel`, when the outbox sends it: to the
    /// resident's current address if they get notices there; skipped once
    /// the offer has been answered or has run out (the store checks the
    /// hold again as it hands the message over).
    pub async fn due_offer(&self, id: uuid::Uuid, channel: Channel, hold: HoldId) -> PortalResult<DueReminder> {
        let now = self.clock.now();
        let Some(offer) = self.store.offer(hold).await? else {
            return Ok(DueReminder::Skip);
        };
        if !offer.open_at(now) {
            return Ok(DueReminder::Skip);
        }
        let Some(patient) = self.store.resident(offer.resident_id).await? else {
            return Ok(DueReminder::Skip);
        };
        // A guardian who booked for their child gets the child's offers.
        let booked_by = match self.store.booking(offer.booking_id).await? {
            Some(b) => b.booking.booked_by,
            None => return Ok(DueReminder::Skip),
        };
        let resident = self.contact_for(booked_by, patient).await?;
        let recipient = match channel {
            Channel::Email => resident.email.clone().filter(|_| resident.notifications.email),
            Channel::Sms => resident.phone.clone().filter(|_| resident.notifications.sms),
        };
        let Some(recipient) = recipient else {
            return Ok(DueReminder::Skip);
        };
        let composed = self.composer.offer(&offer.slot, offer.booking_id, offer.expires_at);
        Ok(DueReminder::Send(Outgoing::composed(id, channel, recipient, composed)))
    }

    /// The workers' round: settle holds that have run out (passing their
    /// slots on) and offer free slots someone waits for. How many holds were
    /// settled and offers made.
    pub async fn sweep_holds(&self, limit: u32) -> PortalResult<(u32, u32)> {
        let now = self.clock.now();
        let settled = self.store.settle_expired_holds(now, limit).await?;
        let offered = self.store.offer_free_slots(now, limit).await?;
        Ok((settled, offered))
    }
}
