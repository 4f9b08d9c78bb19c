//! The administrators' console. Regional admins keep the appointment-type
//! catalogue, set the two online services up for units and choose whether
//! staff cancellations notify residents. Unit admins write the terms texts,
//! activate the services for all residents or a restricted selection, and
//! read their unit's access log.

use super::staff::{DeskError, DeskResult};
use crate::ids::*;
use crate::model::*;
use crate::pnr::PersonalIdentityNumber;
use crate::ports::*;
use crate::reminders::ReminderPolicy;
use crate::staff::{Permission, StaffMember};
use crate::time::local_date;
use std::sync::Arc;

/// The most numbers one selection may hold.
pub const MAX_SELECTION: usize = 100_000;
/// The most lines one register file may hold.
pub const MAX_REGISTER_LINES: usize = 1_000_000;

#[derive(Clone)]
pub struct AdminConsole {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl AdminConsole {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    async fn unit_for(&self, staff: &StaffMember, unit: UnitId, what: Permission) -> DeskResult<Unit> {
        let unit = self.store.unit(unit).await?.ok_or(DeskError::NotFound)?;
        if staff.may(what, &unit) {
            Ok(unit)
        } else {
            Err(DeskError::Forbidden)
        }
    }

    fn region_for(&self, staff: &StaffMember) -> DeskResult<RegionId> {
        staff
            .region
            .filter(|r| staff.administers_region(*r))
            .ok_or(DeskError::Forbidden)
    }

    /// The region's catalogue, retired types included.
    pub async fn appointment_types(&self, staff: &StaffMember) -> DeskResult<Vec<AppointmentType>> {
        let region = self.region_for(staff)?;
        Ok(self.store.appointment_types(region).await?)
    }

    /// Adds a type to the region's catalogue (names are unique per region).
    pub async fn create_appointment_type(
        &self,
        staff: &StaffMember,
        ty: AppointmentType,
    ) -> DeskResult<AppointmentType> {
        let region = self.region_for(staff)?;
        let ty = AppointmentType {
            region_id: region,
            retired: false,
            ..ty
        };
        self.store.insert_appointment_type(&ty).await?;
        Ok(ty)
    }

    /// Changes a type of the region's catalogue (or retires it).
    pub async fn update_appointment_type(
        &self,
        staff: &StaffMember,
        ty: AppointmentType,
    ) -> DeskResult<AppointmentType> {
        let region = self.region_for(staff)?;
        let current = self.store.appointment_type(ty.id).await?.ok_or(DeskError::NotFound)?;
        if current.region_id != region {
            return Err(DeskError::NotFound);
        }
        let ty = AppointmentType {
            region_id: region,
            ..ty
        };
        self.store.update_appointment_type(&ty).await?;
        Ok(ty)
    }

    pub async fn region(&self, staff: &StaffMember) -> DeskResult<Region> {
        let region = self.region_for(staff)?;
        self.store.region(region).await?.ok_or(DeskError::NotFound)
    }

    /// Rule 10's switch: whether staff cancellations notify residents.
    pub async fn set_notify_on_staff_cancel(&self, staff: &StaffMember, notify: bool) -> DeskResult<Region> {
        let region = self.region(staff).await?;
        let region = Region {
            notify_on_staff_cancel: notify,
            ..region
        };
        self.store.update_region(&region).await?;
        Ok(region)
    }

    /// Rule 14: the region's reminders (regional admins); every unit that
    /// follows its region takes them along.
    pub async fn set_region_reminders(&self, staff: &StaffMember, policy: ReminderPolicy) -> DeskResult<Region> {
        let region = self.region_for(staff)?;
        self.store.set_region_reminders(region, &policy).await?;
        self.store.region(region).await?.ok_or(DeskError::NotFound)
    }

    /// The regional admin's region, which must exist here.
    async fn known_region(&self, staff: &StaffMember) -> DeskResult<RegionId> {
        let region = self.region_for(staff)?;
        self.store.region(region).await?.ok_or(DeskError::NotFound)?;
        Ok(region)
    }

    /// Rule 17: the age until which guardians act for their children.
    pub async fn guardian_age_limit(&self, staff: &StaffMember) -> DeskResult<u32> {
        let region = self.region_for(staff)?;
        self.store.guardian_age_limit(region).await?.ok_or(DeskError::NotFound)
    }

    /// Rule 17: sets the region's age limit, within
    /// [`crate::guardians::GUARDIAN_AGE_LIMITS`]. It holds from the next
    /// request: a guardian whose child is now at or past it no longer acts
    /// for them.
    pub async fn set_guardian_age_limit(&self, staff: &StaffMember, years: u32) -> DeskResult<u32> {
        let region = self.region_for(staff)?;
        if !crate::guardians::GUARDIAN_AGE_LIMITS.contains(&years) {
            return Err(DeskError::InvalidRange("the age limit is 1 to 18 years"));
        }
        if self.store.set_guardian_age_limit(region, years).await? {
            Ok(years)
        } else {
            Err(DeskError::NotFound)
        }
    }

    /// Rule 17: what the register table holds (regional admins).
    pub async fn register_summary(&self, staff: &StaffMember) -> DeskResult<RegisterSummary> {
        self.known_region(staff).await?;
        Ok(self.store.guardianships_summary().await?)
    }

    /// Rule 17: replaces the register table from a file's lines (guardian's
    /// number, child's number, child's name). Any line that does not read
    /// refuses the whole file with every such line listed; nothing is
    /// half-loaded. A file without a single guardianship is refused (with no
    /// lines listed). A line repeated is loaded once.
    pub async fn import_register(
        &self,
        staff: &StaffMember,
        lines: &[(usize, [String; 3])],
    ) -> DeskResult<RegisterSummary> {
        self.known_region(staff).await?;
        let now = self.clock.now();
        let today = local_date(now);
        let mut rows = Vec::with_capacity(lines.len());
        let mut errors = Vec::new();
        for (line, [guardian, child, name]) in lines {
            match crate::guardians::register_line(guardian, child, name, today) {
                Ok(row) => rows.push(row),
                Err(e) => errors.push((*line, e)),
            }
        }
        // A file with no guardianship at all would empty the register: a
        // mistake far more often than a wish, refused like a bad line.
        if !errors.is_empty() || rows.is_empty() {
            return Err(DeskError::InvalidRegister(errors));
        }
        if rows.len() > MAX_REGISTER_LINES {
            return Err(DeskError::InvalidRange("at most 1 000 000 lines"));
        }
        self.store.replace_guardianships(&rows, now).await?;
        Ok(self.store.guardianships_summary().await?)
    }

    /// Rule 16: how long an offer of an earlier time holds its slot.
    pub async fn offer_hold_minutes(&self, staff: &StaffMember) -> DeskResult<u32> {
        let region = self.region_for(staff)?;
        self.store.offer_hold_minutes(region).await?.ok_or(DeskError::NotFound)
    }

    /// Rule 16: sets the hold's length, within
    /// [`crate::waitlist::OFFER_HOLD_MINUTES`]; holds already made keep theirs.
    pub async fn set_offer_hold_minutes(&self, staff: &StaffMember, minutes: u32) -> DeskResult<u32> {
        let region = self.region_for(staff)?;
        if !crate::waitlist::OFFER_HOLD_MINUTES.contains(&minutes) {
            return Err(DeskError::InvalidRange("a hold lasts 5 to 120 minutes"));
        }
        if self.store.set_offer_hold_minutes(region, minutes).await? {
            Ok(minutes)
        } else {
            Err(DeskError::NotFound)
        }
    }

    /// Rule 14: a unit's reminders: whether it has its own, what they are,
    /// and its region's (staff of the unit and the region's admins).
    pub async fn unit_reminders(&self, staff: &StaffMember, unit: UnitId) -> DeskResult<UnitReminders> {
        let unit = self.store.unit(unit).await?.ok_or(DeskError::NotFound)?;
        if !(staff.may(Permission::ViewHorizon, &unit)
            || staff.may(Permission::AdministerUnit, &unit)
            || staff.may(Permission::AdministerRegion, &unit))
        {
            return Err(DeskError::Forbidden);
        }
        let own = self.store.unit_has_own_reminders(unit.id).await?;
        let region = self.store.region(unit.region_id).await?.ok_or(DeskError::NotFound)?;
        Ok(UnitReminders {
            policy: unit.reminders.clone(),
            own,
            region: region.reminders,
            unit,
        })
    }

    /// Rule 14: gives a unit reminders of its own, or (`None`) its region's
    /// again (the unit's admins and the region's).
    pub async fn set_unit_reminders(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        own: Option<ReminderPolicy>,
    ) -> DeskResult<UnitReminders> {
        let found = self.store.unit(unit).await?.ok_or(DeskError::NotFound)?;
        if !(staff.may(Permission::AdministerUnit, &found) || staff.may(Permission::AdministerRegion, &found)) {
            return Err(DeskError::Forbidden);
        }
        self.store.set_unit_reminders(unit, own.as_ref()).await?;
        self.unit_reminders(staff, unit).await
    }

    /// The services of a unit as the admin sees them.
    pub async fn services(&self, staff: &StaffMember, unit: UnitId) -> DeskResult<(Unit, Vec<ServiceSetting>)> {
        let unit = self.store.unit(unit).await?.ok_or(DeskError::NotFound)?;
        if !(staff.may(Permission::AdministerUnit, &unit) || staff.may(Permission::AdministerRegion, &unit)) {
            return Err(DeskError::Forbidden);
        }
        let settings = self.store.service_settings(unit.id).await?;
        Ok((unit, settings))
    }

    /// Sets a service up for a unit (rule 8, the regional admin's half).
    pub async fn set_up_service(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        service: OnlineService,
    ) -> DeskResult<ServiceSetting> {
        let unit = self.unit_for(staff, unit, Permission::AdministerRegion).await?;
        self.store.set_up_service(unit.id, service).await?;
        self.setting(unit.id, service).await
    }

    async fn setting(&self, unit: UnitId, service: OnlineService) -> DeskResult<ServiceSetting> {
        let settings = self.store.service_settings(unit).await?;
        settings
            .into_iter()
            .find(|s| s.service == service)
            .ok_or(DeskError::ServiceNotSetUp)
    }

    /// The terms text (rule 9): Markdown as written and its sanitised HTML.
    pub async fn update_terms(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        service: OnlineService,
        markdown: &str,
        html: &str,
    ) -> DeskResult<ServiceSetting> {
        let unit = self.unit_for(staff, unit, Permission::AdministerUnit).await?;
        if !self.store.update_terms(unit.id, service, markdown, html).await? {
            return Err(DeskError::ServiceNotSetUp);
        }
        self.setting(unit.id, service).await
    }

    /// Activates or deactivates a service and chooses its audience (rule 8,
    /// the unit admin's half).
    pub async fn set_activation(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        service: OnlineService,
        active: bool,
        audience: Audience,
    ) -> DeskResult<ServiceSetting> {
        let unit = self.unit_for(staff, unit, Permission::AdministerUnit).await?;
        if !self.store.set_activation(unit.id, service, active, audience).await? {
            return Err(DeskError::ServiceNotSetUp);
        }
        self.setting(unit.id, service).await
    }

    /// Replaces a service's restricted selection with the numbers given, one
    /// per line (line numbers from 1). Any invalid line refuses the whole
    /// import, listing every invalid line; nothing is half-imported.
    pub async fn import_selection(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        service: OnlineService,
        lines: &[(usize, String)],
    ) -> DeskResult<u64> {
        let unit = self.unit_for(staff, unit, Permission::AdministerUnit).await?;
        self.setting(unit.id, service).await?;
        let today = local_date(self.clock.now());
        let mut numbers = Vec::with_capacity(lines.len());
        let mut errors = Vec::new();
        for (line, text) in lines {
            match PersonalIdentityNumber::parse(text, today) {
                Ok(pnr) => numbers.push(pnr),
                Err(e) => errors.push((*line, e)),
            }
        }
        if !errors.is_empty() {
            return Err(DeskError::InvalidSelection(errors));
        }
        if numbers.len() > MAX_SELECTION {
            return Err(DeskError::InvalidRange("at most 100 000 numbers"));
        }
        numbers.sort_by(|a, b| a.canonical().cmp(b.canonical()));
        numbers.dedup();
        self.store.replace_selection(unit.id, service, &numbers).await?;
        Ok(self.store.selection_size(unit.id, service).await?)
    }

    pub async fn selection_size(&self, staff: &StaffMember, unit: UnitId, service: OnlineService) -> DeskResult<u64> {
        let unit = self.unit_for(staff, unit, Permission::AdministerUnit).await?;
        Ok(self.store.selection_size(unit.id, service).await?)
    }

    /// The unit's access log, filtered.
    pub async fn access_log(
        &self,
        staff: &StaffMember,
        unit: UnitId,
        filter: &AccessLogFilter,
    ) -> DeskResult<Vec<(AccessLogEntry, Resident)>> {
        let unit = self.unit_for(staff, unit, Permission::ReadAccessLog).await?;
        Ok(self.store.unit_access_log(unit.id, filter).await?)
    }
}

/// A unit's reminders as its settings page shows them (rule 14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitReminders {
    pub unit: Unit,
    /// What applies at the unit.
    pub policy: ReminderPolicy,
    /// Whether that is the unit's own (else its region's).
    pub own: bool,
    /// The region's, which the unit follows unless it has its own.
    pub region: ReminderPolicy,
}
