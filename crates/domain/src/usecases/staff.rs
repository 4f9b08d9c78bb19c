//! The staff's desk: the unit's appointment book (day and week views, staff
//! bookings, arrival, cancellation, rebooking, entered in error, summons, the
//! cancellation feed) and its scheduling (templates, publishing, one-day
//! changes, empty days, the horizon report). Every read or change of a
//! resident's data leaves a line in the access log.

use super::{effects_for, provisional, rebooked};
use crate::ids::*;
use crate::model::*;
use crate::notify::{notifies, Composer};
use crate::pnr::{PersonalIdentityNumber, PnrError};
use crate::ports::*;
use crate::reminders;
use crate::schedule::{plan_dates, plan_publication, BlockError, PlannedSlot, ScheduleBlock};
use crate::staff::{Permission, StaffMember};
use crate::text::{BookingMessage, CancellationReason, ReasonForVisit};
use crate::time::{local_date, Horizon, ZONE};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Why a staff-side request was refused.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("not found")]
    NotFound,
    #[error("not allowed for this role or unit")]
    Forbidden,
    #[error("the slot is not free")]
    SlotTaken,
    #[error("the booking is no longer active")]
    BookingNotActive,
    #[error("the time collides with another booking of the practitioner")]
    Overlap,
    #[error("blocks {first} and {second} overlap")]
    TemplateOverlap { first: usize, second: usize },
    #[error("block {index}: {error}")]
    InvalidBlock { index: usize, error: BlockError },
    #[error("the date range is not allowed: {0}")]
    InvalidRange(&'static str),
    /// A range whose last date lies before its first.
    #[error("the end date lies before the start date")]
    EndBeforeStart,
    /// Rule 20: staff cannot book into a time that has already started.
    #[error("the time has already started")]
    StartsInPast,
    /// A visit recorded after the fact must be of a time that has started.
    #[error("a visit recorded after the fact must have started")]
    NotAfterTheFact,
    #[error("the appointment type cannot be used here")]
    TypeNotUsable,
    #[error("another appointment type of the region has that name")]
    DuplicateName,
    #[error("the service is not set up for the unit")]
    ServiceNotSetUp,
    #[error("{} lines are not valid personal identity numbers", .0.len())]
    InvalidSelection(Vec<(usize, PnrError)>),
    /// Lines of a register file that do not read (rule 17).
    #[error("{} lines of the register file do not read", .0.len())]
    InvalidRegister(Vec<(usize, crate::guardians::RegisterLineError)>),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(Conflict::SlotTaken) => DeskError::SlotTaken,
            StoreError::Conflict(Conflict::BookingNotActive) => DeskError::BookingNotActive,
            StoreError::Conflict(Conflict::Overlap) => DeskError::Overlap,
            StoreError::Conflict(Conflict::Duplicate) => DeskError::DuplicateName,
            other => DeskError::Store(other),
        }
    }
}

pub type DeskResult<T> = Result<T, DeskError>;

/// The longest book view, in days.
pub const MAX_BOOK_VIEW_DAYS: i64 = 31;
/// The longest publication, in days.
pub const MAX_PUBLISH_DAYS: i64 = 400;

/// Where staff book a resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffBookingTarget {
    /// A free slot of the unit.
    Slot(SlotId),
    /// An ad-hoc time: the slot is made for the booking.
    AdHoc {
        practitioner: PractitionerId,
        appointment_type: AppointmentTypeId,
        starts_at: DateTime<Utc>,
        length_minutes: u16,
    },
}

#[derive(Debug, Clone)]
pub struct StaffBooking {
    pub pnr: PersonalIdentityNumber,
    pub target: StaffBookingTarget,
    pub reason_for_visit: Option<ReasonForVisit>,
    pub message: Option<BookingMessage>,
    pub hidden_in_portal: bool,
    /// Rule 20: records a visit whose time has already started — an explicit
    /// act, logged as such, that notifies no one. Without it a time that has
    /// started is refused.
    pub record_after_the_fact: bool,
}

/// Whether staff may book a time starting at `starts_at` now (rule 20): a
/// time that has started only as a visit recorded after the fact, and a
/// visit recorded after the fact only for a time that has started.
pub fn staff_booking_time_allowed(
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
    record_after_the_fact: bool,
) -> Result<(), DeskError> {
    match (starts_at <= now, record_after_the_fact) {
        (true, false) => Err(DeskError::StartsInPast),
        (false, true) => Err(DeskError::NotAfterTheFact),
        _ => Ok(()),
    }
}

/// A row of the horizon report (rule 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HorizonRow {
    pub practitioner: Practitioner,
    pub appointment_type: AppointmentType,
    pub last_date: NaiveDate,
    pub reaches_horizon: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HorizonReport {
    pub unit: Unit,
    /// The date the schedule must reach: eight weeks from today.
    pub required_until: NaiveDate,
    pub rows: Vec<HorizonRow>,
    /// Practitioners with no live slots at all in the future.
    pub unscheduled: Vec<Practitioner>,
    /// True when some practitioner or type falls short of eight weeks.
    pub short: bool,
}

#[derive(Clone)]
pub struct StaffDesk {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    composer: Arc<dyn Composer>,
}

impl StaffDesk {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, composer: Arc<dyn Composer>) -> Self {
        Self { store, clock, composer }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The unit, if `staff` may do `what` there.
    pub async fn unit_for(&self, staff: &StaffMember, unit: UnitId, what: Permission) -> DeskResult<Unit> {
        let unit = self.store.unit(unit).await?.ok_or(DeskError::NotFound)?;
        if staff.may(what, &unit) {
            Ok(unit)
        } else {
            Err(DeskError::Forbidden)
        }
    }

    async fn practitioner_for(
        &self,
        staff: &StaffMember,
        id: PractitionerId,
        what: Permission,
    ) -> DeskResult<(Practitioner, Unit)> {
        let practitioner = self.store.practitioner(id).await?.ok_or(DeskError::NotFound)?;
        let unit = self.unit_for(staff, practitioner.unit_id, what).await?;
        Ok((practitioner, unit))
    }

    /// A booking of one of the staff's units, with its resident. Others' are
    /// "not found", like a resident's view of other residents' bookings.
    async fn booking_for(&self, staff: &StaffMember, id: BookingId) -> DeskResult<(BookingDetails, Resident)> {
        let (details, resident) = self.store.booking_with_resident(id).await?.ok_or(DeskError::NotFound)?;
        if !staff.may(Permission::KeepBook, &details.unit) {
            return Err(DeskError::NotFound);
        }
        Ok((details, resident))
    }

    fn access(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        action: AccessAction,
        resident: ResidentId,
        booking: Option<BookingId>,
    ) -> AccessLogEntry {
        AccessLogEntry {
            id: uuid::Uuid::new_v4(),
            at: self.clock.now(),
            actor_id: staff.id.as_uuid(),
            actor_role: staff.role.into(),
            actor_name: staff.name.clone(),
            unit_id: Some(unit),
            action,
            resident_id: resident,
            booking_id: booking,
        }
    }

    async fn region_of(&self, unit: &Unit) -> DeskResult<Region> {
        self.store.region(unit.region_id).await?.ok_or(DeskError::NotFound)
    }

    /// The appointment book of `from ..= to` (day or week view), every slot
    /// with every booking it has had, cancelled ones included (rule 11).
    pub async fn appointment_book(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        from: NaiveDate,
        to: NaiveDate,
        practitioner: Option<PractitionerId>,
    ) -> DeskResult<Vec<AppointmentBookSlot>> {
        let unit = self.unit_for(staff, unit, Permission::KeepBook).await?;
        if to < from {
            return Err(DeskError::EndBeforeStart);
        }
        if (to - from).num_days() >= MAX_BOOK_VIEW_DAYS {
            return Err(DeskError::InvalidRange("a view covers 1 to 31 days"));
        }
        let now = self.clock.now();
        let mut slots = self
            .store
            .appointment_book_slots(unit.id, from, to, practitioner)
            .await?;
        // A hold that has run out no longer holds (rule 16), swept or not.
        for s in &mut slots {
            s.held_until = s.held_until.filter(|until| *until > now && s.slot.slot.is_free());
        }
        let seen: BTreeSet<ResidentId> = slots
            .iter()
            .flat_map(|s| s.bookings.iter().map(|(_, r)| r.id))
            .collect();
        let lines: Vec<_> = seen
            .into_iter()
            .map(|r| self.access(staff, unit.id, AccessAction::ViewBook, r, None))
            .collect();
        self.store.record_access(&lines).await?;
        Ok(slots)
    }

    /// Rule 15: how many residents wait for an earlier time, per type and
    /// practitioner, and how many hold an offer now (no patient data).
    pub async fn waitlist(&self, staff: &StaffMember, unit: UnitId) -> DeskResult<Vec<crate::waitlist::WaitlistCount>> {
        let unit = self.unit_for(staff, unit, Permission::ViewHorizon).await?;
        Ok(self.store.waitlist_counts(unit.id, self.clock.now()).await?)
    }

    pub async fn practitioners(&self, staff: &StaffMember, unit: UnitId) -> DeskResult<Vec<Practitioner>> {
        let unit = self.unit_for(staff, unit, Permission::ViewHorizon).await?;
        Ok(self.store.practitioners(unit.id).await?)
    }

    /// The region's appointment types a unit can schedule and book (not retired).
    pub async fn unit_catalogue(&self, staff: &StaffMember, unit: UnitId) -> DeskResult<Vec<AppointmentType>> {
        let unit = self.unit_for(staff, unit, Permission::Schedule).await?;
        let mut types = self.store.appointment_types(unit.region_id).await?;
        types.retain(|t| !t.retired);
        Ok(types)
    }

    /// One booking with its resident.
    pub async fn booking(&self, staff: &StaffMember, id: BookingId) -> DeskResult<(BookingDetails, Resident)> {
        let (details, resident) = self.booking_for(staff, id).await?;
        let line = self.access(staff, details.unit.id, AccessAction::ViewBooking, resident.id, Some(id));
        self.store.record_access(&[line]).await?;
        Ok((details, resident))
    }

    /// The data of a summons (kallelse).
    pub async fn summons(&self, staff: &StaffMember, id: BookingId) -> DeskResult<(BookingDetails, Resident)> {
        let (details, resident) = self.booking_for(staff, id).await?;
        let line = self.access(
            staff,
            details.unit.id,
            AccessAction::PrintSummons,
            resident.id,
            Some(id),
        );
        self.store.record_access(&[line]).await?;
        Ok((details, resident))
    }

    /// Books a resident (found or recorded by personal identity number) into
    /// a free slot or at an ad-hoc time; the resident is notified (rule 10).
    /// A time that has started is refused unless the visit is explicitly
    /// recorded after the fact, which notifies no one (rule 20).
    pub async fn book_resident(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        request: StaffBooking,
    ) -> DeskResult<(BookingDetails, Resident)> {
        let unit = self.unit_for(staff, unit, Permission::KeepBook).await?;
        let now = self.clock.now();
        let after_the_fact = request.record_after_the_fact;
        let (slot, ad_hoc) = match request.target {
            StaffBookingTarget::Slot(slot_id) => {
                let slot = self.store.slot(slot_id).await?.ok_or(DeskError::NotFound)?;
                if slot.unit.id != unit.id {
                    return Err(DeskError::NotFound);
                }
                if !slot.slot.is_free() {
                    return Err(DeskError::SlotTaken);
                }
                (slot, None)
            }
            StaffBookingTarget::AdHoc {
                practitioner,
                appointment_type,
                starts_at,
                length_minutes,
            } => {
                // The unit's permission is checked; a practitioner of another
                // unit is simply not found here.
                let practitioner = self
                    .store
                    .practitioner(practitioner)
                    .await?
                    .ok_or(DeskError::NotFound)?;
                if practitioner.unit_id != unit.id {
                    return Err(DeskError::NotFound);
                }
                let ty = self.usable_type(&unit, appointment_type).await?;
                if !crate::schedule::SLOT_LENGTH_RANGE.contains(&length_minutes) {
                    return Err(DeskError::InvalidBlock {
                        index: 0,
                        error: BlockError::SlotLength,
                    });
                }
                let planned = PlannedSlot {
                    unit_id: unit.id,
                    practitioner_id: practitioner.id,
                    appointment_type_id: ty.id,
                    starts_at,
                    ends_at: starts_at + Duration::minutes(i64::from(length_minutes)),
                    local_date: local_date(starts_at),
                };
                let slot = SlotDetails {
                    slot: Slot {
                        id: SlotId::generate(),
                        unit_id: unit.id,
                        practitioner_id: practitioner.id,
                        appointment_type_id: ty.id,
                        starts_at: planned.starts_at,
                        ends_at: planned.ends_at,
                        booking_id: None,
                        withdrawn_at: None,
                    },
                    appointment_type: ty,
                    practitioner,
                    unit: unit.clone(),
                };
                (slot, Some(planned))
            }
        };
        staff_booking_time_allowed(slot.slot.starts_at, now, after_the_fact)?;
        let resident = self.store.ensure_resident(&request.pnr, None, now).await?;
        let id = BookingId::generate();
        let booking = NewBooking {
            id,
            slot_id: slot.slot.id,
            resident_id: resident.id,
            booked_by: Actor::Staff(staff.id),
            booked_at: now,
            reason_for_visit: request.reason_for_visit.clone(),
            message: request.message.clone().filter(|m| !m.as_str().is_empty()),
            hidden_in_portal: request.hidden_in_portal,
            // The database refuses a slot that has started by the time it
            // is claimed; a visit recorded after the fact has, by definition.
            slot_must_start_after: if after_the_fact { DateTime::<Utc>::MIN_UTC } else { now },
            // Staff may book as many as care needs.
            max_active_of_type: None,
        };
        let effects = if after_the_fact {
            Effects {
                notice: None,
                access: vec![self.access(staff, unit.id, AccessAction::RecordAfterTheFact, resident.id, Some(id))],
                reminders: Vec::new(),
            }
        } else {
            effects_for(
                self.composer.as_ref(),
                NotificationKind::BookedByStaff,
                &resident,
                &provisional(&booking, &slot),
                now,
                vec![self.access(staff, unit.id, AccessAction::Book, resident.id, Some(id))],
            )
        };
        match ad_hoc {
            None => {
                self.store.book(&booking, None, &effects).await?;
            }
            Some(planned) => {
                self.store
                    .book_ad_hoc(
                        &AdHocBooking {
                            slot_id: slot.slot.id,
                            slot: planned,
                            booking,
                        },
                        &effects,
                    )
                    .await?;
            }
        }
        let (details, resident) = self.store.booking_with_resident(id).await?.ok_or(DeskError::NotFound)?;
        Ok((details, resident))
    }

    /// Whom staff are about to book: the resident with this personal
    /// identity number, if one is recorded. Looking up is itself a read of a
    /// resident's data, so it is logged; an unknown number writes nothing.
    pub async fn look_up_resident(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        pnr: &PersonalIdentityNumber,
    ) -> DeskResult<Option<Resident>> {
        let unit = self.unit_for(staff, unit, Permission::KeepBook).await?;
        let resident = self.store.resident_by_pnr(pnr).await?;
        if let Some(r) = &resident {
            let line = self.access(staff, unit.id, AccessAction::LookUpResident, r.id, None);
            self.store.record_access(&[line]).await?;
        }
        Ok(resident)
    }

    async fn usable_type(&self, unit: &Unit, id: AppointmentTypeId) -> DeskResult<AppointmentType> {
        let ty = self.store.appointment_type(id).await?.ok_or(DeskError::TypeNotUsable)?;
        if ty.region_id != unit.region_id || ty.retired {
            return Err(DeskError::TypeNotUsable);
        }
        Ok(ty)
    }

    /// Moves a booking to another free slot of the unit; the resident is
    /// notified. Staff are not bound by rule 5 (that is for the portal).
    pub async fn rebook(
        &self,
        staff: &StaffMember,
        id: BookingId,
        to_slot: SlotId,
    ) -> DeskResult<(BookingDetails, Resident)> {
        let (current, resident) = self.booking_for(staff, id).await?;
        let target = self.store.slot(to_slot).await?.ok_or(DeskError::NotFound)?;
        if target.unit.id != current.unit.id {
            return Err(DeskError::NotFound);
        }
        if !target.slot.is_free() {
            return Err(DeskError::SlotTaken);
        }
        let now = self.clock.now();
        // Rule 20: a booking is never moved into a time that has started.
        staff_booking_time_allowed(target.slot.starts_at, now, false)?;
        let rebooking = Rebooking {
            from: id,
            new_booking_id: BookingId::generate(),
            to_slot,
            by: Actor::Staff(staff.id),
            at: now,
            slot_must_start_after: now,
        };
        let after = rebooked(&current, &rebooking, &target);
        let access = vec![self.access(staff, current.unit.id, AccessAction::Rebook, resident.id, Some(id))];
        let effects = effects_for(
            self.composer.as_ref(),
            NotificationKind::RebookedByStaff,
            &resident,
            &after,
            now,
            access,
        );
        let new_id = *self.store.rebook(&rebooking, None, &effects).await?.value();
        self.store
            .booking_with_resident(new_id)
            .await?
            .ok_or(DeskError::NotFound)
    }

    /// Cancels with a reason; notifies the resident unless the region has
    /// switched staff-cancellation notices off (rule 10).
    pub async fn cancel(
        &self,
        staff: &StaffMember,
        id: BookingId,
        reason: CancellationReason,
    ) -> DeskResult<(BookingDetails, Resident)> {
        let (current, resident) = self.booking_for(staff, id).await?;
        let now = self.clock.now();
        let cancellation = Cancellation {
            reason,
            by: Actor::Staff(staff.id),
            at: now,
        };
        let access = vec![self.access(staff, current.unit.id, AccessAction::Cancel, resident.id, Some(id))];
        let region = self.region_of(&current.unit).await?;
        let effects = if notifies(NotificationKind::CancelledByStaff, &region) {
            let mut after = current.clone();
            after.booking.status = BookingStatus::Cancelled;
            after.booking.calendar_sequence += 1;
            after.booking.cancellation = Some(cancellation.clone());
            effects_for(
                self.composer.as_ref(),
                NotificationKind::CancelledByStaff,
                &resident,
                &after,
                now,
                access,
            )
        } else {
            Effects {
                notice: None,
                access,
                reminders: Vec::new(),
            }
        };
        self.store.cancel(id, &cancellation, &effects).await?;
        self.store.booking_with_resident(id).await?.ok_or(DeskError::NotFound)
    }

    /// Kommit: the resident has arrived.
    pub async fn mark_arrived(&self, staff: &StaffMember, id: BookingId) -> DeskResult<(BookingDetails, Resident)> {
        let (current, resident) = self.booking_for(staff, id).await?;
        let effects = Effects {
            notice: None,
            access: vec![self.access(staff, current.unit.id, AccessAction::MarkArrived, resident.id, Some(id))],
            reminders: Vec::new(),
        };
        self.change_status(id, BookingStatus::Arrived, staff, &effects).await
    }

    /// A booking made by mistake: kept, marked, and its slot freed. A
    /// resident who was told about the booking is told it is void, unless
    /// the region has switched staff-cancellation notices off (rule 21).
    pub async fn mark_entered_in_error(
        &self,
        staff: &StaffMember,
        id: BookingId,
    ) -> DeskResult<(BookingDetails, Resident)> {
        let (current, resident) = self.booking_for(staff, id).await?;
        let now = self.clock.now();
        let access = vec![self.access(
            staff,
            current.unit.id,
            AccessAction::MarkEnteredInError,
            resident.id,
            Some(id),
        )];
        let region = self.region_of(&current.unit).await?;
        let told = notifies(NotificationKind::VoidedByStaff, &region) && self.store.was_notified(id).await?;
        let effects = if told {
            let mut after = current.clone();
            after.booking.status = BookingStatus::EnteredInError;
            after.booking.calendar_sequence += 1;
            effects_for(
                self.composer.as_ref(),
                NotificationKind::VoidedByStaff,
                &resident,
                &after,
                now,
                access,
            )
        } else {
            Effects {
                notice: None,
                access,
                reminders: Vec::new(),
            }
        };
        self.change_status(id, BookingStatus::EnteredInError, staff, &effects)
            .await
    }

    async fn change_status(
        &self,
        id: BookingId,
        to: BookingStatus,
        staff: &StaffMember,
        effects: &Effects,
    ) -> DeskResult<(BookingDetails, Resident)> {
        self.store
            .change_status(
                &StatusChange {
                    booking: id,
                    to,
                    by: Actor::Staff(staff.id),
                    at: self.clock.now(),
                },
                effects,
            )
            .await?;
        self.store.booking_with_resident(id).await?.ok_or(DeskError::NotFound)
    }

    /// "Dölj i 1177".
    pub async fn set_hidden_in_portal(
        &self,
        staff: &StaffMember,
        id: BookingId,
        hidden: bool,
    ) -> DeskResult<(BookingDetails, Resident)> {
        let (current, resident) = self.booking_for(staff, id).await?;
        // Shown again: the visit gets its reminders from now on (hiding it
        // cancels them, in the store). Already shown: it has them.
        let reminders = if current.booking.hidden_in_portal && !hidden {
            let mut after = current.clone();
            after.booking.hidden_in_portal = false;
            reminders::for_booking(&after, self.clock.now())
        } else {
            Vec::new()
        };
        let effects = Effects {
            notice: None,
            access: vec![self.access(
                staff,
                current.unit.id,
                AccessAction::SetHiddenInPortal,
                resident.id,
                Some(id),
            )],
            reminders,
        };
        self.store
            .set_hidden_in_portal(id, hidden, self.clock.now(), &effects)
            .await?;
        self.store.booking_with_resident(id).await?.ok_or(DeskError::NotFound)
    }

    /// Residents' cancellations and rebookings since `since` (rule 11: the
    /// unit is told what 1177 never told it).
    pub async fn cancellation_feed(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        since: DateTime<Utc>,
        limit: u32,
    ) -> DeskResult<Vec<FeedEntry>> {
        let unit = self.unit_for(staff, unit, Permission::KeepBook).await?;
        let entries = self.store.cancellation_feed(unit.id, since, limit).await?;
        let lines: Vec<_> = entries
            .iter()
            .map(|e| {
                self.access(
                    staff,
                    unit.id,
                    AccessAction::ViewCancellationFeed,
                    e.resident.id,
                    Some(e.booking.booking.id),
                )
            })
            .collect();
        self.store.record_access(&lines).await?;
        Ok(entries)
    }

    pub async fn template(&self, staff: &StaffMember, practitioner: PractitionerId) -> DeskResult<Vec<ScheduleBlock>> {
        let (practitioner, _) = self.practitioner_for(staff, practitioner, Permission::Schedule).await?;
        Ok(self.store.template(practitioner.id).await?)
    }

    /// Replaces a practitioner's template. Overlapping blocks are refused,
    /// naming both.
    pub async fn put_template(
        &self,
        staff: &StaffMember,
        practitioner: PractitionerId,
        blocks: Vec<ScheduleBlock>,
    ) -> DeskResult<Vec<ScheduleBlock>> {
        let (practitioner, unit) = self.practitioner_for(staff, practitioner, Permission::Schedule).await?;
        self.check_blocks(&unit, &blocks).await?;
        self.store.replace_template(practitioner.id, &blocks).await?;
        Ok(blocks)
    }

    async fn check_blocks(&self, unit: &Unit, blocks: &[ScheduleBlock]) -> DeskResult<()> {
        for (i, a) in blocks.iter().enumerate() {
            if let Some(j) = blocks.iter().skip(i + 1).position(|b| a.overlaps(b)) {
                return Err(DeskError::TemplateOverlap {
                    first: i,
                    second: i + 1 + j,
                });
            }
        }
        let types: BTreeSet<_> = blocks.iter().map(|b| b.appointment_type_id).collect();
        for ty in types {
            self.usable_type(unit, ty).await?;
        }
        Ok(())
    }

    /// Generates the slots of `from ..= to` from the template (and the
    /// one-day changes). Idempotent; free slots that no longer fit are
    /// withdrawn; booked ones stay and come back as conflicts. Public holidays
    /// are skipped unless the unit publishes on them (rule 22). A dry run
    /// reports what publishing would do and changes nothing, so staff can be
    /// asked before thousands of slots are made.
    pub async fn publish(
        &self,
        staff: &StaffMember,
        practitioner: PractitionerId,
        from: NaiveDate,
        to: NaiveDate,
        dry_run: bool,
    ) -> DeskResult<Published> {
        let (practitioner, _) = self.practitioner_for(staff, practitioner, Permission::Schedule).await?;
        let today = local_date(self.clock.now());
        if to < from {
            return Err(DeskError::EndBeforeStart);
        }
        if from < today || (to - from).num_days() >= MAX_PUBLISH_DAYS {
            return Err(DeskError::InvalidRange("publish from today, at most 400 days"));
        }
        self.republish(&practitioner, from, to, dry_run).await
    }

    async fn republish(
        &self,
        practitioner: &Practitioner,
        from: NaiveDate,
        to: NaiveDate,
        dry_run: bool,
    ) -> DeskResult<Published> {
        let now = self.clock.now();
        let template = self.store.template(practitioner.id).await?;
        let overrides: BTreeMap<_, _> = self
            .store
            .day_overrides(practitioner.id, from, to)
            .await?
            .into_iter()
            .collect();
        let on_holidays = self.store.publishes_on_holidays(practitioner.unit_id).await?;
        let mut plan = plan_dates(
            practitioner.unit_id,
            practitioner.id,
            &template,
            &overrides,
            from,
            to,
            on_holidays,
        );
        // The past is history: slots that have started are neither created
        // nor withdrawn.
        plan.slots.retain(|p| p.starts_at > now);
        let mut existing = self.store.live_slots(practitioner.id, from, to).await?;
        existing.retain(|e| e.starts_at > now);
        let publication = plan_publication(&existing, &plan.slots);
        let published = if dry_run {
            Published {
                created: publication.create.len() as u64,
                withdrawn: publication.withdraw.len() as u64,
                conflicts: publication.conflicts.clone(),
                skipped_holidays: Vec::new(),
            }
        } else {
            self.store.apply_publication(&publication, now).await?
        };
        Ok(Published {
            skipped_holidays: plan.skipped_holidays,
            ..published
        })
    }

    /// Whether the unit's templates publish on public holidays (rule 22).
    pub async fn schedule_settings(&self, staff: &StaffMember, unit: UnitId) -> DeskResult<bool> {
        let unit = self.unit_for(staff, unit, Permission::Schedule).await?;
        Ok(self.store.publishes_on_holidays(unit.id).await?)
    }

    /// A unit admin chooses whether templates publish on public holidays.
    /// Slots already published stay as they are until the next publication.
    pub async fn set_schedule_settings(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        publish_on_holidays: bool,
    ) -> DeskResult<bool> {
        let unit = self.unit_for(staff, unit, Permission::AdministerUnit).await?;
        self.store
            .set_publishes_on_holidays(unit.id, publish_on_holidays)
            .await?;
        Ok(publish_on_holidays)
    }

    /// The practitioner whose appointment book is the signed-in member of
    /// staff's own, if they have one in their units.
    pub async fn own_practitioner(&self, staff: &StaffMember) -> DeskResult<Option<Practitioner>> {
        Ok(self
            .store
            .practitioner_of_staff(staff.id)
            .await?
            .filter(|p| staff.units.contains(&p.unit_id)))
    }

    /// Ändra mall tillfälligt: other blocks for one date only (their weekday
    /// is the date's). An empty list is an empty day (tom dag). The date is
    /// republished at once; booked slots that no longer fit are reported.
    pub async fn change_day(
        &self,
        staff: &StaffMember,
        practitioner: PractitionerId,
        day: NaiveDate,
        blocks: Vec<ScheduleBlock>,
    ) -> DeskResult<Published> {
        let (practitioner, unit) = self.practitioner_for(staff, practitioner, Permission::Schedule).await?;
        if day < local_date(self.clock.now()) {
            return Err(DeskError::InvalidRange("the date has passed"));
        }
        let blocks: Vec<_> = blocks
            .into_iter()
            .map(|b| ScheduleBlock {
                weekday: day.weekday(),
                ..b
            })
            .collect();
        self.check_blocks(&unit, &blocks).await?;
        self.store
            .put_day_override(practitioner.id, day, &blocks, self.clock.now())
            .await?;
        self.republish(&practitioner, day, day, false).await
    }

    /// Undoes a one-day change: the date follows the template again.
    pub async fn restore_day(
        &self,
        staff: &StaffMember,
        practitioner: PractitionerId,
        day: NaiveDate,
    ) -> DeskResult<Published> {
        let (practitioner, _) = self.practitioner_for(staff, practitioner, Permission::Schedule).await?;
        if day < local_date(self.clock.now()) {
            return Err(DeskError::InvalidRange("the date has passed"));
        }
        if !self.store.delete_day_override(practitioner.id, day).await? {
            return Err(DeskError::NotFound);
        }
        self.republish(&practitioner, day, day, false).await
    }

    /// Rule 6: how far each practitioner and type of the unit is scheduled.
    pub async fn horizon(&self, staff: &StaffMember, unit: UnitId) -> DeskResult<HorizonReport> {
        let unit = self.unit_for(staff, unit, Permission::ViewHorizon).await?;
        self.horizon_of(unit).await
    }

    /// The horizon report of every unit of the region (regional admins).
    pub async fn region_horizon(&self, staff: &StaffMember, region: RegionId) -> DeskResult<Vec<HorizonReport>> {
        if !staff.administers_region(region) {
            return Err(DeskError::Forbidden);
        }
        let mut reports = Vec::new();
        for unit in self.store.units().await?.into_iter().filter(|u| u.region_id == region) {
            reports.push(self.horizon_of(unit).await?);
        }
        Ok(reports)
    }

    async fn horizon_of(&self, unit: Unit) -> DeskResult<HorizonReport> {
        let required_until = Horizon::from_now(self.clock.now()).last;
        let practitioners = self.store.practitioners(unit.id).await?;
        let today = local_date(self.clock.now());
        let mut rows = Vec::new();
        let mut scheduled = BTreeSet::new();
        let mut templates: BTreeMap<PractitionerId, Vec<ScheduleBlock>> = BTreeMap::new();
        for (p, t, last) in self.store.published_until(unit.id).await? {
            if last < today {
                continue;
            }
            let (Some(practitioner), Some(ty)) = (
                practitioners.iter().find(|x| x.id == p),
                self.store.appointment_type(t).await?,
            ) else {
                continue;
            };
            // Rule 6 is about what the unit schedules for residents: a hidden
            // type, or a type the practitioner's template does not hold (an
            // ad-hoc booking, a one-day change), is no schedule to keep up.
            let template = match templates.entry(p) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(self.store.template(p).await?),
            };
            let planned = template.iter().any(|b: &ScheduleBlock| b.appointment_type_id == t);
            if ty.policy == PortalPolicy::Hidden || !planned {
                continue;
            }
            scheduled.insert(p);
            rows.push(HorizonRow {
                practitioner: practitioner.clone(),
                appointment_type: ty,
                last_date: last,
                reaches_horizon: last >= required_until,
            });
        }
        rows.sort_by(|a, b| {
            (&a.practitioner.name, &a.appointment_type.name).cmp(&(&b.practitioner.name, &b.appointment_type.name))
        });
        let unscheduled: Vec<_> = practitioners
            .into_iter()
            .filter(|p| !scheduled.contains(&p.id))
            .collect();
        let short = rows.iter().any(|r| !r.reaches_horizon) || !unscheduled.is_empty();
        Ok(HorizonReport {
            unit,
            required_until,
            rows,
            unscheduled,
            short,
        })
    }
}

/// The local wall-clock start of a slot, for texts.
pub fn local_start(t: DateTime<Utc>) -> chrono::DateTime<chrono_tz::Tz> {
    t.with_timezone(&ZONE)
}

impl StaffDesk {
    /// Rule 19: invites a resident to book one type at the unit within a
    /// window of dates (even a type not otherwise bookable online); the
    /// resident is told by their channels and in the inbox, and the
    /// invitation is written to the access log.
    pub async fn invite(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        request: InviteRequest,
    ) -> DeskResult<crate::invitations::InvitationDetails> {
        use crate::invitations::*;
        let unit = self.unit_for(staff, unit, Permission::KeepBook).await?;
        let ty = self.usable_type(&unit, request.appointment_type).await?;
        let now = self.clock.now();
        check_invitation(&ty, request.valid_from, request.valid_until, local_date(now)).map_err(|e| match e {
            InvitationError::HiddenType => DeskError::TypeNotUsable,
            InvitationError::EndBeforeStart => DeskError::EndBeforeStart,
            InvitationError::Past => DeskError::InvalidRange("an invitation's window must not have ended"),
            InvitationError::TooFar => DeskError::InvalidRange("an invitation's window ends at most 400 days ahead"),
        })?;
        let resident = self.store.ensure_resident(&request.pnr, None, now).await?;
        let invitation = Invitation {
            id: InvitationId::generate(),
            unit_id: unit.id,
            appointment_type_id: ty.id,
            resident_id: resident.id,
            valid_from: request.valid_from,
            valid_until: request.valid_until,
            created_by: staff.id,
            created_at: now,
            used_at: None,
            booking_id: None,
        };
        let details = InvitationDetails {
            invitation,
            unit: unit.clone(),
            appointment_type: ty,
            resident: resident.clone(),
        };
        let composed = self.composer.invitation(&details);
        let effects = Effects {
            notice: Some(crate::notify::notice(
                NotificationKind::Invited,
                &resident,
                None,
                composed,
                || None,
                now,
            )),
            access: vec![self.access(staff, unit.id, AccessAction::Invite, resident.id, None)],
            reminders: Vec::new(),
        };
        self.store.create_invitation(&details.invitation, &effects).await?;
        Ok(details)
    }

    /// Rule 19: the unit's invitations, newest first, open, used and
    /// expired; each resident shown is written to the access log.
    pub async fn invitations(
        &self,
        staff: &StaffMember,
        unit: UnitId,
    ) -> DeskResult<Vec<crate::invitations::InvitationDetails>> {
        let unit = self.unit_for(staff, unit, Permission::KeepBook).await?;
        let list = self.store.unit_invitations(unit.id, 500).await?;
        let seen: BTreeSet<ResidentId> = list.iter().map(|i| i.resident.id).collect();
        let lines: Vec<_> = seen
            .into_iter()
            .map(|r| self.access(staff, unit.id, AccessAction::ViewInvitations, r, None))
            .collect();
        self.store.record_access(&lines).await?;
        Ok(list)
    }
}

/// An invitation staff send (rule 19).
#[derive(Debug, Clone)]
pub struct InviteRequest {
    pub pnr: PersonalIdentityNumber,
    pub appointment_type: AppointmentTypeId,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}
