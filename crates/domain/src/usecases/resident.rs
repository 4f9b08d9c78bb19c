//! The resident's use cases (the portal side of Webbtidbok): find units,
//! types, dates and slots; book, list, cancel and rebook. Each checks the rules
//! in [`crate::rules`] and leaves races to the store.

use super::{provisional, rebooked};
use crate::ids::*;
use crate::model::*;
use crate::notify::{may_notify_about, Composer};
use crate::ports::*;
use crate::rules::{self, Ineligibility, OnlineRefusal, RebookMismatch, ServiceNotActive};
use crate::text::{BookingMessage, CancellationReason, EmailAddress, PhoneNumber, ReasonForVisit};
use crate::time::{local_date, Horizon};
use chrono::{DateTime, Months, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// Why a resident's request was refused. No HTTP words: the API maps these.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("not found")]
    NotFound,
    #[error("the date or slot lies outside the eight-week horizon")]
    OutsideHorizon,
    #[error("the slot is already booked")]
    SlotTaken,
    #[error("the type cannot be booked online")]
    NotBookableOnline,
    #[error(transparent)]
    Refused(#[from] OnlineRefusal),
    #[error("the unit's service {0} is not active for this resident")]
    ServiceNotActive(OnlineService),
    #[error(transparent)]
    TermsNotAccepted(#[from] rules::TermsNotAccepted),
    #[error(transparent)]
    NotEligible(#[from] Ineligibility),
    #[error(transparent)]
    RebookMismatch(#[from] RebookMismatch),
    #[error("the booking is no longer booked")]
    BookingNotActive,
    #[error("the idempotency key was used for another request")]
    IdempotencyKeyReused,
    #[error("turning {0} notifications on needs an address for them")]
    ContactRequired(Channel),
    #[error("you already hold {0} bookings of this type")]
    BookingLimitReached(u32),
    /// The offer of an earlier time was accepted, declined or has run out.
    #[error("the offer is no longer open")]
    OfferGone,
    /// The invitation was used, or its window has ended (rule 19).
    #[error("the invitation is used or has expired")]
    InvitationUsed,
    /// The slot is not of the invitation's unit and type, or not in its window.
    #[error("the slot is not one the invitation covers")]
    OutsideInvitation,
    /// The child has reached the region's age limit (rule 17): from that
    /// date the guardian no longer acts for them.
    #[error("a guardian acts for a child only until {0}")]
    GuardianAccessEnded(NaiveDate),
    /// Something a guardian does not do for a child (their own settings).
    #[error("this is not done for a child")]
    NotForChild,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for PortalError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(Conflict::SlotTaken) => PortalError::SlotTaken,
            StoreError::Conflict(Conflict::BookingNotActive) => PortalError::BookingNotActive,
            StoreError::Conflict(Conflict::IdempotencyKeyReused) => PortalError::IdempotencyKeyReused,
            StoreError::Conflict(Conflict::OfferGone) => PortalError::OfferGone,
            StoreError::Conflict(Conflict::InvitationUsed) => PortalError::InvitationUsed,
            other => PortalError::Store(other),
        }
    }
}

pub type PortalResult<T> = Result<T, PortalError>;

/// One of a unit's services as this resident sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceOffer {
    pub service: OnlineService,
    /// Set up, activated and open to this resident (rule 8).
    pub available: bool,
    /// The terms text as residents see it: sanitised HTML.
    pub terms_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitOffer {
    pub unit: Unit,
    pub services: Vec<ServiceOffer>,
}

/// A type bookable online at a unit, with whether this resident may book it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeOffer {
    pub appointment_type: AppointmentType,
    pub eligibility: Result<(), Ineligibility>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailableDates {
    pub horizon: Horizon,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Rule 12: preselected in the calendar.
    pub first_free_date: Option<NaiveDate>,
    /// Dates with at least one free slot, with how many.
    pub dates: Vec<(NaiveDate, u32)>,
}

/// A resident's booking request.
#[derive(Debug, Clone)]
pub struct BookOnline {
    pub slot_id: SlotId,
    pub reason_for_visit: ReasonForVisit,
    pub message: Option<BookingMessage>,
    pub terms_accepted: bool,
}

/// A booking as the resident sees it, with what they may do online.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentBooking {
    pub details: BookingDetails,
    pub can_cancel: Result<(), OnlineRefusal>,
    pub can_rebook: Result<(), OnlineRefusal>,
}

/// The resident-facing use cases over a store, a clock and the message texts.
#[derive(Clone)]
pub struct ResidentPortal {
    pub(super) store: Arc<dyn Store>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) composer: Arc<dyn Composer>,
    /// How many booked future slots of one type a resident may hold (None: no cap).
    pub(super) max_active_of_type: Option<u32>,
    /// Rule 17: who is whose guardian ([`Self::with_register`]).
    pub(super) register: Option<Arc<dyn PopulationRegister>>,
    /// Rule 17: the guardian acting for the resident the use cases are
    /// given ([`Self::for_guardian`]).
    pub(super) guardian: Option<Resident>,
}

impl ResidentPortal {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, composer: Arc<dyn Composer>) -> Self {
        Self {
            store,
            clock,
            composer,
            max_active_of_type: None,
            register: None,
            guardian: None,
        }
    }

    /// Caps a resident's booked future slots per appointment type.
    pub fn with_booking_cap(self, cap: Option<u32>) -> Self {
        Self {
            max_active_of_type: cap,
            ..self
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Units with at least one service set up, each with its services and terms.
    pub async fn units(&self, resident: &Resident) -> PortalResult<Vec<UnitOffer>> {
        let mut offers = Vec::new();
        for unit in self.store.units().await? {
            let settings = self.store.service_settings(unit.id).await?;
            if settings.is_empty() {
                continue;
            }
            let mut services = Vec::with_capacity(settings.len());
            for s in &settings {
                let available = self.access(&settings, unit.id, s.service, resident).await?.is_ok();
                services.push(ServiceOffer {
                    service: s.service,
                    available,
                    terms_html: s.terms_html.clone(),
                });
            }
            offers.push(UnitOffer { unit, services });
        }
        Ok(offers)
    }

    pub async fn unit(&self, resident: &Resident, unit_id: UnitId) -> PortalResult<UnitOffer> {
        let unit = self.store.unit(unit_id).await?.ok_or(PortalError::NotFound)?;
        let settings = self.store.service_settings(unit.id).await?;
        let mut services = Vec::with_capacity(settings.len());
        for s in &settings {
            let available = self.access(&settings, unit.id, s.service, resident).await?.is_ok();
            services.push(ServiceOffer {
                service: s.service,
                available,
                terms_html: s.terms_html.clone(),
            });
        }
        Ok(UnitOffer { unit, services })
    }

    /// The `self_service` types the unit offers, each with this resident's
    /// eligibility (rules 7, 8 and 13).
    pub async fn bookable_types(&self, resident: &Resident, unit_id: UnitId) -> PortalResult<Vec<TypeOffer>> {
        self.require_unit_service(unit_id, OnlineService::BookOnline, resident)
            .await?;
        let now = self.clock.now();
        let mut offers = Vec::new();
        for ty in self.store.unit_appointment_types(unit_id).await? {
            if ty.retired || !rules::bookable_online(ty.policy) {
                continue;
            }
            let eligibility = self.eligibility(resident, unit_id, &ty, now).await?;
            offers.push(TypeOffer {
                appointment_type: ty,
                eligibility,
            });
        }
        Ok(offers)
    }

    /// Dates with free slots in `from ..= to` (default: the whole horizon).
    pub async fn available_dates(
        &self,
        resident: &Resident,
        unit_id: UnitId,
        type_id: AppointmentTypeId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> PortalResult<AvailableDates> {
        let now = self.clock.now();
        self.require_bookable_type(resident, unit_id, type_id, now).await?;
        let horizon = Horizon::from_now(now);
        let (from, to) = (from.unwrap_or(horizon.first), to.unwrap_or(horizon.last));
        if from > to || !horizon.contains(from) || !horizon.contains(to) {
            return Err(PortalError::OutsideHorizon);
        }
        let query = FreeSlotQuery {
            unit_id,
            appointment_type_id: type_id,
            practitioner_id: None,
            length_minutes: None,
            from,
            to,
            starting_after: now,
        };
        let dates = self.store.free_slot_counts(&query).await?;
        Ok(AvailableDates {
            horizon,
            from,
            to,
            first_free_date: rules::first_free_date(&dates),
            dates,
        })
    }

    /// The free slots of one date.
    pub async fn free_slots(
        &self,
        resident: &Resident,
        unit_id: UnitId,
        type_id: AppointmentTypeId,
        date: NaiveDate,
    ) -> PortalResult<Vec<SlotDetails>> {
        let now = self.clock.now();
        self.require_bookable_type(resident, unit_id, type_id, now).await?;
        if !Horizon::from_now(now).contains(date) {
            return Err(PortalError::OutsideHorizon);
        }
        let query = FreeSlotQuery {
            unit_id,
            appointment_type_id: type_id,
            practitioner_id: None,
            length_minutes: None,
            from: date,
            to: date,
            starting_after: now,
        };
        Ok(self.store.free_slots(&query).await?)
    }

    /// Books a free slot online (rules 6, 7, 8, 9, 13).
    pub async fn book(
        &self,
        resident: &Resident,
        request: BookOnline,
        key: Option<&IdempotencyKey>,
    ) -> PortalResult<Committed<ResidentBooking>> {
        let result = self.try_book(resident, request, key).await;
        self.or_replay(resident, IdempotentOperation::Book, key, result).await
    }

    async fn try_book(
        &self,
        resident: &Resident,
        request: BookOnline,
        key: Option<&IdempotencyKey>,
    ) -> PortalResult<Committed<ResidentBooking>> {
        let now = self.clock.now();
        // The slot's details carry its unit; its settings come in the same
        // read and serve the check here and the booking's flags below.
        let (slot, settings) = self
            .store
            .slot_with_settings(request.slot_id)
            .await?
            .ok_or(PortalError::NotFound)?;
        if slot.appointment_type.policy == PortalPolicy::Hidden {
            return Err(PortalError::NotFound);
        }
        if !rules::bookable_online(slot.appointment_type.policy) || slot.appointment_type.retired {
            return Err(PortalError::NotBookableOnline);
        }
        if !rules::within_online_horizon(slot.slot.starts_at, now) {
            return Err(PortalError::OutsideHorizon);
        }
        self.access(&settings, slot.unit.id, OnlineService::BookOnline, resident)
            .await?
            .map_err(|_| PortalError::ServiceNotActive(OnlineService::BookOnline))?;
        rules::terms_confirmed(request.terms_accepted)?;
        self.eligibility(resident, slot.unit.id, &slot.appointment_type, now)
            .await??;

        let booking = NewBooking {
            id: BookingId::generate(),
            slot_id: slot.slot.id,
            resident_id: resident.id,
            booked_by: self.actor(resident),
            booked_at: now,
            reason_for_visit: Some(request.reason_for_visit),
            message: request.message.filter(|m| !m.as_str().is_empty()),
            hidden_in_portal: false,
            slot_must_start_after: now,
            max_active_of_type: self.max_active_of_type,
        };
        let details = provisional(&booking, &slot);
        let effects = self.effects(
            NotificationKind::BookedOnline,
            AccessAction::Book,
            resident,
            &details,
            now,
        );
        let committed = self.store.book(&booking, key, &effects).await.map_err(|e| match e {
            StoreError::Conflict(Conflict::BookingLimitReached) => {
                PortalError::BookingLimitReached(self.max_active_of_type.unwrap_or_default())
            }
            other => other.into(),
        })?;
        match committed {
            // What was written is what we hold: no need to read it back.
            Committed::Created(_) => {
                let service = self
                    .access(&settings, slot.unit.id, OnlineService::CancelRebookOnline, resident)
                    .await?;
                Ok(Committed::Created(flags(details, service, now)))
            }
            Committed::Replayed(id) => Ok(Committed::Replayed(self.view(resident, id).await?)),
        }
    }

    /// Rule 1: the resident's upcoming bookings from every unit, except hidden
    /// ones, with what may be done online.
    pub async fn my_bookings(&self, resident: &Resident) -> PortalResult<Vec<ResidentBooking>> {
        let now = self.clock.now();
        self.log_guardian_read(AccessAction::ViewBookings, resident, None, None)
            .await?;
        let mut access = HashMap::new();
        let mut out = Vec::new();
        for details in self.store.resident_bookings(resident.id, now).await? {
            if !details.booking.status.is_active()
                || !rules::visible_to_resident(&details.booking, details.appointment_type.policy)
            {
                continue;
            }
            let unit = details.unit.id;
            let service = match access.get(&unit) {
                Some(s) => *s,
                None => {
                    let s = self
                        .service_access(unit, OnlineService::CancelRebookOnline, resident)
                        .await?;
                    access.insert(unit, s);
                    s
                }
            };
            out.push(flags(details, service, now));
        }
        Ok(out)
    }

    /// One of the resident's own visible bookings, in any status.
    pub async fn my_booking(&self, resident: &Resident, id: BookingId) -> PortalResult<ResidentBooking> {
        let booking = self.view(resident, id).await?;
        self.log_guardian_read(
            AccessAction::ViewBooking,
            resident,
            Some(booking.details.unit.id),
            Some(id),
        )
        .await?;
        Ok(booking)
    }

    /// The booking's calendar file (rule 18), as it stands: an event to add
    /// or update, or, once cancelled or voided, its cancellation. Only of the
    /// resident's own bookings the portal shows, and not of one rebooked
    /// away from (the booking it moved to carries the event on).
    pub async fn calendar_file(&self, resident: &Resident, id: BookingId) -> PortalResult<String> {
        let booking = self.view(resident, id).await?;
        self.log_guardian_read(
            AccessAction::ViewBooking,
            resident,
            Some(booking.details.unit.id),
            Some(id),
        )
        .await?;
        // A booking moved from lives on as the one it was moved to: its
        // file would cancel the event they share.
        if booking.details.booking.status == BookingStatus::Rebooked {
            return Err(PortalError::NotFound);
        }
        let event = crate::calendar::event(&booking.details);
        Ok(self.composer.calendar_file(&event, self.clock.now()))
    }

    /// Cancels online with a reason (rules 2, 4, 7, 8).
    pub async fn cancel(
        &self,
        resident: &Resident,
        id: BookingId,
        reason: CancellationReason,
    ) -> PortalResult<ResidentBooking> {
        let now = self.clock.now();
        let current = self.view_at(resident, id, now).await?;
        current.can_cancel?;
        let cancellation = Cancellation {
            reason,
            by: self.actor(resident),
            at: now,
        };
        let mut after = current.details.clone();
        after.booking.status = BookingStatus::Cancelled;
        after.booking.calendar_sequence += 1;
        after.booking.cancellation = Some(cancellation.clone());
        let effects = self.effects(
            NotificationKind::CancelledOnline,
            AccessAction::Cancel,
            resident,
            &after,
            now,
        );
        self.store.cancel(id, &cancellation, &effects).await?;
        self.view(resident, id).await
    }

    /// The free slots a booking may be moved to (rules 2, 5, 7, 8) over
    /// `from ..= to` (default: the horizon): same type, length, practitioner
    /// and unit, not yet started.
    async fn rebook_query(
        &self,
        resident: &Resident,
        id: BookingId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> PortalResult<(FreeSlotQuery, Horizon)> {
        let now = self.clock.now();
        let current = self.view_at(resident, id, now).await?;
        current.can_rebook?;
        self.log_guardian_read(
            AccessAction::ViewBooking,
            resident,
            Some(current.details.unit.id),
            Some(id),
        )
        .await?;
        let horizon = Horizon::from_now(now);
        let (from, to) = (from.unwrap_or(horizon.first), to.unwrap_or(horizon.last));
        if from > to || !horizon.contains(from) || !horizon.contains(to) {
            return Err(PortalError::OutsideHorizon);
        }
        let slot = &current.details.slot;
        let query = FreeSlotQuery {
            unit_id: slot.unit_id,
            appointment_type_id: slot.appointment_type_id,
            practitioner_id: Some(slot.practitioner_id),
            length_minutes: Some(slot.length_minutes()),
            from,
            to,
            starting_after: now,
        };
        Ok((query, horizon))
    }

    /// Rebook targets (see [`Self::rebook_query`]); one date at a time for
    /// the calendar, or a range.
    pub async fn rebook_targets(
        &self,
        resident: &Resident,
        id: BookingId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> PortalResult<Vec<SlotDetails>> {
        let (query, _) = self.rebook_query(resident, id, from, to).await?;
        Ok(self.store.free_slots(&query).await?)
    }

    /// The dates with rebook targets and the first of them, for the same
    /// calendar the booking flow uses (rule 12).
    pub async fn rebook_dates(
        &self,
        resident: &Resident,
        id: BookingId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> PortalResult<AvailableDates> {
        let (query, horizon) = self.rebook_query(resident, id, from, to).await?;
        let dates = self.store.free_slot_counts(&query).await?;
        Ok(AvailableDates {
            horizon,
            from: query.from,
            to: query.to,
            first_free_date: rules::first_free_date(&dates),
            dates,
        })
    }

    /// Moves the booking to another slot in one transaction (rules 2, 5, 7, 8).
    pub async fn rebook(
        &self,
        resident: &Resident,
        id: BookingId,
        to_slot: SlotId,
        key: Option<&IdempotencyKey>,
    ) -> PortalResult<Committed<ResidentBooking>> {
        let result = self.try_rebook(resident, id, to_slot, key).await;
        self.or_replay(resident, IdempotentOperation::Rebook, key, result).await
    }

    async fn try_rebook(
        &self,
        resident: &Resident,
        id: BookingId,
        to_slot: SlotId,
        key: Option<&IdempotencyKey>,
    ) -> PortalResult<Committed<ResidentBooking>> {
        let now = self.clock.now();
        let current = self.view_at(resident, id, now).await?;
        current.can_rebook?;
        let target = self.store.slot(to_slot).await?.ok_or(PortalError::NotFound)?;
        rules::rebook_target_fits(&current.details.slot, &target.slot)?;
        if !rules::within_online_horizon(target.slot.starts_at, now) {
            return Err(PortalError::OutsideHorizon);
        }
        let rebooking = Rebooking {
            from: id,
            new_booking_id: BookingId::generate(),
            to_slot,
            by: self.actor(resident),
            at: now,
            slot_must_start_after: now,
        };
        let after = rebooked(&current.details, &rebooking, &target);
        let effects = self.effects(
            NotificationKind::RebookedOnline,
            AccessAction::Rebook,
            resident,
            &after,
            now,
        );
        let committed = self.store.rebook(&rebooking, key, &effects).await?;
        match committed {
            // The unit's cancel-and-rebook service let the current booking be
            // moved, so it covers the new one at the same unit too.
            Committed::Created(_) => Ok(Committed::Created(flags(after, Ok(()), now))),
            Committed::Replayed(id) => Ok(Committed::Replayed(self.view(resident, id).await?)),
        }
    }

    /// The resident's inbox, newest first.
    pub async fn inbox(&self, resident: &Resident) -> PortalResult<Vec<InboxMessage>> {
        self.log_guardian_read(AccessAction::ViewInbox, resident, None, None)
            .await?;
        Ok(self.store.inbox(resident.id).await?)
    }

    /// One of the resident's messages. A message about a booking the portal
    /// no longer shows (hidden in the portal since) is gone with the booking
    /// (rules 1 and 21), as it is from the inbox.
    pub async fn inbox_message(&self, resident: &Resident, id: uuid::Uuid) -> PortalResult<InboxMessage> {
        let message = self.own_message(resident, id).await?;
        self.log_guardian_read(AccessAction::ViewInbox, resident, None, message.booking_id)
            .await?;
        Ok(message)
    }

    async fn own_message(&self, resident: &Resident, id: uuid::Uuid) -> PortalResult<InboxMessage> {
        let message = self.store.inbox_message(id).await?.ok_or(PortalError::NotFound)?;
        if message.resident_id != resident.id {
            return Err(PortalError::NotFound);
        }
        if let Some(booking) = message.booking_id {
            let shown = self.store.booking(booking).await?.is_some_and(|b| may_notify_about(&b));
            if !shown {
                return Err(PortalError::NotFound);
            }
        }
        Ok(message)
    }

    pub async fn mark_read(&self, resident: &Resident, id: uuid::Uuid) -> PortalResult<InboxMessage> {
        // The same message the resident may read, and only that one.
        self.own_message(resident, id).await?;
        if !self.store.mark_read(id, resident.id, self.clock.now()).await? {
            return Err(PortalError::NotFound);
        }
        self.inbox_message(resident, id).await
    }

    /// Notification settings: a channel can be on only with an address for
    /// it; reminders (rule 14) go by the channels that are on, unless the
    /// resident switches them off per channel.
    pub async fn update_contact(
        &self,
        resident: &Resident,
        phone: Option<PhoneNumber>,
        email: Option<EmailAddress>,
        choices: NotificationChoices,
        reminders: NotificationChoices,
    ) -> PortalResult<Resident> {
        if self.guardian.is_some() {
            return Err(PortalError::NotForChild);
        }
        if choices.sms && phone.is_none() {
            return Err(PortalError::ContactRequired(Channel::Sms));
        }
        if choices.email && email.is_none() {
            return Err(PortalError::ContactRequired(Channel::Email));
        }
        self.store
            .update_contact(
                resident.id,
                phone.as_ref().map(|p| p.as_str()),
                email.as_ref().map(|e| e.as_str()),
                choices,
                reminders,
            )
            .await?;
        self.store.resident(resident.id).await?.ok_or(PortalError::NotFound)
    }

    /// A reminder that has come due (rule 14), written now: to the
    /// resident's current address for `channel`, if they still want
    /// reminders there, from the booking as it is now. Whether it may still
    /// go out (the booking still booked at that start) the store settles
    /// when it is handed over (`OutboxRepository::begin_send`).
    pub async fn due_reminder(
        &self,
        id: uuid::Uuid,
        channel: Channel,
        booking: BookingId,
    ) -> PortalResult<DueReminder> {
        let Some((details, patient)) = self.store.booking_with_resident(booking).await? else {
            return Ok(DueReminder::Skip);
        };
        // A guardian who booked for their child gets the child's reminders.
        let resident = self.contact_for(details.booking.booked_by, patient.clone()).await?;
        let wanted = match channel {
            Channel::Email => resident.notifications.email && resident.reminders.email,
            Channel::Sms => resident.notifications.sms && resident.reminders.sms,
        };
        let recipient = match channel {
            Channel::Email => resident.email.clone(),
            Channel::Sms => resident.phone.clone(),
        };
        let Some(recipient) = recipient.filter(|_| wanted) else {
            return Ok(DueReminder::Skip);
        };
        let now = self.clock.now();
        let service = self
            .service_access(details.unit.id, OnlineService::CancelRebookOnline, &patient)
            .await?;
        let starts_at = details.slot.starts_at;
        let cancel_until = rules::online_cancel_allowed(
            &details.booking,
            starts_at,
            details.appointment_type.policy,
            service,
            now,
        )
        .is_ok()
        .then(|| starts_at - crate::time::online_change_cutoff());
        let composed = self.composer.reminder(&details, cancel_until);
        Ok(DueReminder::Send(Outgoing::composed(id, channel, recipient, composed)))
    }

    /// Loggutdrag: who accessed the resident's data, newest first, with the
    /// unit's name.
    pub async fn access_log(&self, resident: &Resident) -> PortalResult<Vec<(AccessLogEntry, Option<String>)>> {
        Ok(self.store.resident_access_log(resident.id, 500).await?)
    }

    /// A retried request replays inside the store's transaction, where its
    /// key is claimed first. One refused before it got there may still be the
    /// retry of a request that succeeded (what that request changed is what
    /// made the checks refuse this one: the old booking is rebooked, the slot
    /// is now in the past), so a refusal looks its key up before it is
    /// answered. Refusals from the transaction itself had no stored result.
    async fn or_replay(
        &self,
        resident: &Resident,
        operation: IdempotentOperation,
        key: Option<&IdempotencyKey>,
        result: PortalResult<Committed<ResidentBooking>>,
    ) -> PortalResult<Committed<ResidentBooking>> {
        match result {
            Err(e)
                if key.is_some()
                    && !matches!(
                        e,
                        PortalError::Store(_)
                            | PortalError::SlotTaken
                            | PortalError::IdempotencyKeyReused
                            | PortalError::BookingLimitReached(_)
                    ) =>
            {
                match self.replay(resident, operation, key).await? {
                    Some(done) => Ok(Committed::Replayed(done)),
                    None => Err(e),
                }
            }
            other => other,
        }
    }

    async fn replay(
        &self,
        resident: &Resident,
        operation: IdempotentOperation,
        key: Option<&IdempotencyKey>,
    ) -> PortalResult<Option<ResidentBooking>> {
        let Some(key) = key else { return Ok(None) };
        // Keys are kept under whoever acted: the guardian for their child.
        match self
            .store
            .idempotent_result(self.actor(resident).uuid(), operation, &key.key)
            .await?
        {
            None => Ok(None),
            Some((fingerprint, _)) if fingerprint != key.fingerprint => Err(PortalError::IdempotencyKeyReused),
            Some((_, booking)) => Ok(Some(self.view(resident, booking).await?)),
        }
    }

    pub(super) async fn view(&self, resident: &Resident, id: BookingId) -> PortalResult<ResidentBooking> {
        self.view_at(resident, id, self.clock.now()).await
    }

    /// A resident only ever sees their own visible bookings: anything else is
    /// "not found", so ids of other residents' bookings reveal nothing.
    pub(super) async fn view_at(
        &self,
        resident: &Resident,
        id: BookingId,
        now: DateTime<Utc>,
    ) -> PortalResult<ResidentBooking> {
        let details = self.store.booking(id).await?.ok_or(PortalError::NotFound)?;
        if details.booking.resident_id != resident.id
            || !rules::visible_to_resident(&details.booking, details.appointment_type.policy)
        {
            return Err(PortalError::NotFound);
        }
        let service = self
            .service_access(details.unit.id, OnlineService::CancelRebookOnline, resident)
            .await?;
        Ok(flags(details, service, now))
    }

    pub(super) async fn eligibility(
        &self,
        resident: &Resident,
        unit_id: UnitId,
        ty: &AppointmentType,
        now: DateTime<Utc>,
    ) -> PortalResult<Result<(), Ineligibility>> {
        let contact = if ty.eligibility.established_contact_only {
            let since = now
                .checked_sub_months(Months::new(rules::ESTABLISHED_CONTACT_MONTHS))
                .unwrap_or(now);
            self.store
                .has_established_contact(resident.id, unit_id, &ty.profession, since)
                .await?
        } else {
            false
        };
        Ok(rules::check_eligibility(
            &ty.eligibility,
            &resident.pnr,
            contact,
            local_date(now),
        ))
    }

    async fn require_bookable_type(
        &self,
        resident: &Resident,
        unit_id: UnitId,
        type_id: AppointmentTypeId,
        now: DateTime<Utc>,
    ) -> PortalResult<AppointmentType> {
        // The unit's settings and the type in one read; checked in the order
        // unit, service, type.
        let (settings, ty) = self
            .store
            .unit_settings_and_type(unit_id, type_id)
            .await?
            .ok_or(PortalError::NotFound)?;
        self.access(&settings, unit_id, OnlineService::BookOnline, resident)
            .await?
            .map_err(|_| PortalError::ServiceNotActive(OnlineService::BookOnline))?;
        let ty = ty.ok_or(PortalError::NotFound)?;
        if ty.policy == PortalPolicy::Hidden {
            return Err(PortalError::NotFound);
        }
        if !rules::bookable_online(ty.policy) || ty.retired {
            return Err(PortalError::NotBookableOnline);
        }
        self.eligibility(resident, unit_id, &ty, now).await??;
        Ok(ty)
    }

    async fn require_unit_service(
        &self,
        unit_id: UnitId,
        service: OnlineService,
        resident: &Resident,
    ) -> PortalResult<()> {
        self.store.unit(unit_id).await?.ok_or(PortalError::NotFound)?;
        self.service_access(unit_id, service, resident)
            .await?
            .map_err(|_| PortalError::ServiceNotActive(service))
    }

    pub(super) async fn service_access(
        &self,
        unit_id: UnitId,
        service: OnlineService,
        resident: &Resident,
    ) -> PortalResult<Result<(), ServiceNotActive>> {
        let settings = self.store.service_settings(unit_id).await?;
        self.access(&settings, unit_id, service, resident).await
    }

    async fn access(
        &self,
        settings: &[ServiceSetting],
        unit_id: UnitId,
        service: OnlineService,
        resident: &Resident,
    ) -> PortalResult<Result<(), ServiceNotActive>> {
        let setting = settings.iter().find(|s| s.service == service);
        let restricted = setting.is_some_and(|s| s.active && s.audience == Audience::RestrictedSelection);
        let in_selection = restricted && self.store.in_selection(unit_id, service, &resident.pnr).await?;
        Ok(rules::service_available(setting, || in_selection))
    }
}

/// What becomes of a reminder that has come due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueReminder {
    /// Send this (if the store still agrees when it is handed over).
    Send(Outgoing),
    /// Not sent: the resident has switched the channel off or has no
    /// address for it.
    Skip,
}

fn flags(details: BookingDetails, service: Result<(), ServiceNotActive>, now: DateTime<Utc>) -> ResidentBooking {
    let policy = details.appointment_type.policy;
    let starts_at = details.slot.starts_at;
    let can_cancel = rules::online_cancel_allowed(&details.booking, starts_at, policy, service, now);
    let can_rebook = rules::online_rebook_allowed(&details.booking, starts_at, policy, service, now);
    ResidentBooking {
        details,
        can_cancel,
        can_rebook,
    }
}
