//! Identifiers: UUID newtypes, one per entity, so a unit id can never be passed
//! where a slot id is expected. UUID keys (not sequences) keep the schema
//! portable to distributed PostgreSQL-compatible engines.

use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random (v4) identifier.
            pub fn generate() -> Self {
                Self(Uuid::new_v4())
            }
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

id_type!(
    /// Region (region): the care provider.
    RegionId
);
id_type!(
    /// Unit (vårdenhet, mottagning).
    UnitId
);
id_type!(
    /// Practitioner (vårdgivare, resurs): whose book a slot belongs to.
    PractitionerId
);
id_type!(
    /// Appointment type (tidbokstyp).
    AppointmentTypeId
);
id_type!(
    /// Slot (tid).
    SlotId
);
id_type!(
    /// Booking (bokning).
    BookingId
);
id_type!(
    /// Resident (invånare).
    ResidentId
);
id_type!(
    /// A member of staff or an administrator, as named by the identity provider.
    StaffId
);
id_type!(
    /// A resident's wish for an earlier time for one booking (återbudslista).
    WaitlistEntryId
);
id_type!(
    /// A hold on a slot: an offer to a waiting resident (rule 16).
    HoldId
);
id_type!(
    /// An invitation to book (öppen kallelse, rule 19).
    InvitationId
);
