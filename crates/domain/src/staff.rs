//! Who may do what on the staff side. Staff and unit admins act only within
//! their own units; regional admins across their region, but never in the
//! appointment book (they keep the catalogue, not patients: least privilege).

use crate::ids::{RegionId, StaffId, UnitId};
use crate::model::{StaffRole, Unit};

/// A member of staff or an administrator, as the identity provider states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: StaffId,
    pub role: StaffRole,
    pub units: Vec<UnitId>,
    pub region: Option<RegionId>,
    /// For the access log, so residents see who looked.
    pub name: Option<String>,
}

/// What a staff-side request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read and change the appointment book and bookings (patient data).
    KeepBook,
    /// Templates, publishing, one-day changes, empty days.
    Schedule,
    /// The horizon report (no patient data).
    ViewHorizon,
    /// Terms texts, activation and audience of the unit's services.
    AdministerUnit,
    /// The unit's access log.
    ReadAccessLog,
    /// The type catalogue, service set-up and region settings.
    AdministerRegion,
}

impl StaffMember {
    fn in_unit(&self, unit: &Unit) -> bool {
        self.units.contains(&unit.id)
    }

    fn in_region_of(&self, unit: &Unit) -> bool {
        self.region == Some(unit.region_id)
    }

    /// Whether this person may do `what` at `unit`.
    pub fn may(&self, what: Permission, unit: &Unit) -> bool {
        use Permission::*;
        use StaffRole::*;
        match (self.role, what) {
            (Staff | UnitAdmin, KeepBook | Schedule | ViewHorizon) => self.in_unit(unit),
            (UnitAdmin, AdministerUnit | ReadAccessLog) => self.in_unit(unit),
            (RegionalAdmin, ViewHorizon | AdministerRegion) => self.in_region_of(unit),
            _ => false,
        }
    }

    /// Whether this person may administer the region's catalogue.
    pub fn administers_region(&self, region: RegionId) -> bool {
        self.role == StaffRole::RegionalAdmin && self.region == Some(region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    fn unit(region: RegionId) -> Unit {
        Unit {
            id: UnitId::generate(),
            region_id: region,
            name: "U".into(),
            phone: None,
            address: None,
            reminders: Default::default(),
        }
    }

    fn member(role: StaffRole, units: Vec<UnitId>, region: Option<RegionId>) -> StaffMember {
        StaffMember {
            id: StaffId::generate(),
            role,
            units,
            region,
            name: None,
        }
    }

    #[test]
    fn staff_keep_only_their_own_units_book() {
        let region = RegionId::generate();
        let (own, other) = (unit(region), unit(region));
        let staff = member(StaffRole::Staff, vec![own.id], None);
        assert!(staff.may(KeepBook, &own) && staff.may(Schedule, &own) && staff.may(ViewHorizon, &own));
        assert!(!staff.may(KeepBook, &other));
        assert!(
            !staff.may(AdministerUnit, &own) && !staff.may(ReadAccessLog, &own) && !staff.may(AdministerRegion, &own)
        );
    }

    #[test]
    fn unit_admins_administer_their_unit() {
        let region = RegionId::generate();
        let (own, other) = (unit(region), unit(region));
        let admin = member(StaffRole::UnitAdmin, vec![own.id], None);
        for p in [KeepBook, Schedule, ViewHorizon, AdministerUnit, ReadAccessLog] {
            assert!(admin.may(p, &own), "{p:?}");
            assert!(!admin.may(p, &other), "{p:?} elsewhere");
        }
        assert!(!admin.may(AdministerRegion, &own));
    }

    #[test]
    fn regional_admins_see_no_patients() {
        let region = RegionId::generate();
        let (own, foreign) = (unit(region), unit(RegionId::generate()));
        let admin = member(StaffRole::RegionalAdmin, vec![], Some(region));
        assert!(admin.may(AdministerRegion, &own) && admin.may(ViewHorizon, &own));
        assert!(!admin.may(AdministerRegion, &foreign));
        for p in [KeepBook, Schedule, AdministerUnit, ReadAccessLog] {
            assert!(!admin.may(p, &own), "{p:?}");
        }
        assert!(admin.administers_region(region) && !admin.administers_region(RegionId::generate()));
    }
}
