//! The entities of the appointment book and the online services, as plain
//! values. Swedish names are given once, here; code uses the English words.

use crate::ids::*;
use crate::pnr::PersonalIdentityNumber;
use crate::reminders::ReminderPolicy;
use crate::text::{BookingMessage, CancellationReason, PersonName, ReasonForVisit};
use chrono::{DateTime, Utc};
use std::fmt;
use std::str::FromStr;

/// Declares a closed set of words stored and sent as snake_case text.
macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownWord { kind: stringify!($name), word: s.to_owned() }),
                }
            }
        }
    };
}

/// A stored word that is not one of its enum's values (a corrupt row).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{word}' is not a {kind}")]
pub struct UnknownWord {
    pub kind: &'static str,
    pub word: String,
}

word_enum!(
    /// How the appointment is held.
    Mode {
        /// Besök at the unit.
        Visit = "visit",
        /// Telefontid, du blir uppringd: staff call the resident.
        PhoneCallBack = "phone_call_back",
        Video = "video",
        /// Hembesök.
        HomeVisit = "home_visit",
    }
);

word_enum!(
    /// Portal policy: what the resident portal may do with slots and bookings of
    /// a type (rule 7).
    PortalPolicy {
        /// Never shown to residents (e.g. "Administration internt").
        Hidden = "hidden",
        /// Bookings shown, no online action.
        Visible = "visible",
        /// Shown and cancelable online, not rebookable online.
        Cancelable = "cancelable",
        /// Bookable, cancelable and rebookable online (the "… 1177" types).
        SelfService = "self_service",
    }
);

word_enum!(
    /// Booking status.
    BookingStatus {
        /// Bokad.
        Booked = "booked",
        /// Kommit: staff marked the resident as arrived.
        Arrived = "arrived",
        /// Avbokad, with a reason (rule 4).
        Cancelled = "cancelled",
        /// Moved to another slot; the new booking links back to this one.
        Rebooked = "rebooked",
        /// Makulerad: a booking made by mistake, kept rather than erased.
        EnteredInError = "entered_in_error",
    }
);

word_enum!(
    /// The two online services a unit offers (ärendetyper).
    OnlineService {
        /// 1. Boka tid online.
        BookOnline = "book_online",
        /// 2. Av-/omboka tid online.
        CancelRebookOnline = "cancel_rebook_online",
    }
);

word_enum!(
    /// Who an activated service is for.
    Audience {
        /// Alla invånare.
        AllResidents = "all_residents",
        /// Begränsat urval: a list of personal identity numbers.
        RestrictedSelection = "restricted_selection",
    }
);

impl BookingStatus {
    /// Whether the booking holds its slot.
    pub fn is_active(&self) -> bool {
        matches!(self, BookingStatus::Booked | BookingStatus::Arrived)
    }
}

/// Region: the care provider, owner of units and of the type catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub id: RegionId,
    pub name: String,
    /// Rule 10: whether staff cancellations notify the resident.
    pub notify_on_staff_cancel: bool,
    /// Rule 14: the reminders before each visit, unless a unit has its own.
    pub reminders: ReminderPolicy,
}

/// Unit (vårdenhet, mottagning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: UnitId,
    pub region_id: RegionId,
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Rule 14: the reminders before each visit here: the unit's own, or
    /// its region's (a new unit follows its region).
    pub reminders: ReminderPolicy,
}

/// Practitioner (vårdgivare, resurs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practitioner {
    pub id: PractitionerId,
    pub unit_id: UnitId,
    pub name: String,
    pub profession: String,
}

/// Eligibility of a type (rule 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Eligibility {
    /// Minimum age in completed years on the day of booking.
    pub min_age_years: Option<u8>,
    /// Only for residents with an established contact (return visits).
    pub established_contact_only: bool,
}

/// Appointment type (tidbokstyp).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentType {
    pub id: AppointmentTypeId,
    pub region_id: RegionId,
    pub name: String,
    pub profession: String,
    pub mode: Mode,
    pub default_length_minutes: u16,
    pub policy: PortalPolicy,
    pub eligibility: Eligibility,
    /// Instructions shown with a booking ("Kom fastande").
    pub instructions: Option<String>,
    pub retired: bool,
}

/// Slot (tid): one bookable interval in one practitioner's book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub id: SlotId,
    pub unit_id: UnitId,
    pub practitioner_id: PractitionerId,
    pub appointment_type_id: AppointmentTypeId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The active booking holding the slot, if any.
    pub booking_id: Option<BookingId>,
    /// Set when the schedule took the (free) slot away.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl Slot {
    pub fn length_minutes(&self) -> i64 {
        (self.ends_at - self.starts_at).num_minutes()
    }

    /// Free to book: not held by a booking and not withdrawn.
    pub fn is_free(&self) -> bool {
        self.booking_id.is_none() && self.withdrawn_at.is_none()
    }
}

/// A slot with what the resident sees about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotDetails {
    pub slot: Slot,
    pub appointment_type: AppointmentType,
    pub practitioner: Practitioner,
    pub unit: Unit,
}

/// Who did something to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Resident(ResidentId),
    Staff(StaffId),
}

impl Actor {
    pub fn kind(&self) -> ActorKind {
        match self {
            Actor::Resident(_) => ActorKind::Resident,
            Actor::Staff(_) => ActorKind::Staff,
        }
    }

    pub fn uuid(&self) -> uuid::Uuid {
        match self {
            Actor::Resident(id) => id.as_uuid(),
            Actor::Staff(id) => id.as_uuid(),
        }
    }
}

word_enum!(
    /// Whether a resident or staff acted.
    ActorKind {
        Resident = "resident",
        Staff = "staff",
    }
);

impl ActorKind {
    pub fn with_id(self, id: uuid::Uuid) -> Actor {
        match self {
            ActorKind::Resident => Actor::Resident(ResidentId::from_uuid(id)),
            ActorKind::Staff => Actor::Staff(StaffId::from_uuid(id)),
        }
    }
}

/// A cancellation (avbokning): reason, by whom, when (rules 4 and 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub reason: CancellationReason,
    pub by: Actor,
    pub at: DateTime<Utc>,
}

/// Booking (bokning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: BookingId,
    pub slot_id: SlotId,
    pub resident_id: ResidentId,
    pub status: BookingStatus,
    pub booked_by: Actor,
    pub booked_at: DateTime<Utc>,
    /// Sökorsak. Residents must give one; staff may leave it out.
    pub reason_for_visit: Option<ReasonForVisit>,
    pub message: Option<BookingMessage>,
    /// "Dölj i 1177": keeps the booking out of the portal (rule 1).
    pub hidden_in_portal: bool,
    pub cancellation: Option<Cancellation>,
    /// The booking this one was rebooked from.
    pub rebooked_from: Option<BookingId>,
    /// Rule 18: the calendar event this booking is — the id of the first
    /// booking of its line of rebookings — and how often it has changed
    /// (raised by each rebooking, and by a cancellation or voiding).
    pub calendar_uid: uuid::Uuid,
    pub calendar_sequence: u32,
}

/// A booking with its slot, type, practitioner and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingDetails {
    pub booking: Booking,
    pub slot: Slot,
    pub appointment_type: AppointmentType,
    pub practitioner: Practitioner,
    pub unit: Unit,
}

/// The resident's choice of notification channels (avisering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NotificationChoices {
    pub sms: bool,
    pub email: bool,
}

/// Resident (invånare). `Debug` hides every personal field.
#[derive(Clone, PartialEq, Eq)]
pub struct Resident {
    pub id: ResidentId,
    pub pnr: PersonalIdentityNumber,
    pub name: Option<PersonName>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notifications: NotificationChoices,
    /// Rule 14: the channels (of those chosen above) reminders may use; the
    /// resident can switch them off per channel.
    pub reminders: NotificationChoices,
}

impl fmt::Debug for Resident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resident").field("id", &self.id).finish_non_exhaustive()
    }
}

/// How a unit has set up one of its online services (rule 8).
///
/// A row exists once a regional admin has set the service up; the unit admin
/// then activates it and chooses the audience, and writes the terms text
/// (villkorstext) residents confirm (rule 9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSetting {
    pub unit_id: UnitId,
    pub service: OnlineService,
    pub active: bool,
    pub audience: Audience,
    /// As the unit admin wrote it (Markdown).
    pub terms_text: String,
    /// Rendered and sanitised, as residents see it.
    pub terms_html: String,
}

word_enum!(
    /// The roles of people who are not residents.
    StaffRole {
        /// Personal: keeps the unit's appointment book.
        Staff = "staff",
        /// Administratör på enheten: terms texts and activation of the services.
        UnitAdmin = "unit_admin",
        /// Administratör med regional behörighet: the type catalogue and service set-up.
        RegionalAdmin = "regional_admin",
    }
);

word_enum!(
    /// A notification channel (avisering).
    Channel {
        Email = "email",
        Sms = "sms",
    }
);

word_enum!(
    /// Why a message goes to a resident's inbox (rule 10 and confirmations).
    NotificationKind {
        /// Bekräftelse: the resident booked online.
        BookedOnline = "booked_online",
        /// The resident rebooked online.
        RebookedOnline = "rebooked_online",
        /// The resident cancelled online.
        CancelledOnline = "cancelled_online",
        /// Staff booked the resident.
        BookedByStaff = "booked_by_staff",
        /// Staff moved the resident's booking.
        RebookedByStaff = "rebooked_by_staff",
        /// Staff cancelled the resident's booking.
        CancelledByStaff = "cancelled_by_staff",
        /// Staff marked a booking the resident had been told about as entered
        /// in error (makulerad): it is void (rule 21).
        VoidedByStaff = "voided_by_staff",
        /// Staff invited the resident to book a type (rule 19).
        Invited = "invited",
    }
);

/// A message in the resident's inbox (inkorg).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxMessage {
    pub id: uuid::Uuid,
    pub resident_id: ResidentId,
    pub booking_id: Option<BookingId>,
    pub kind: NotificationKind,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// One message to send by one channel (an outbox row to be).
#[derive(Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: uuid::Uuid,
    pub channel: Channel,
    /// E-mail address or mobile number at the time of the change.
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// An e-mail's calendar file (rule 18).
    pub calendar: Option<String>,
}

impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// An inbox message and its deliveries, written with the change that caused them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub message: InboxMessage,
    pub deliveries: Vec<Delivery>,
}

word_enum!(
    /// What a member of staff did with a resident's data (for the access log).
    AccessAction {
        ViewBook = "view_book",
        ViewBooking = "view_booking",
        ViewCancellationFeed = "view_cancellation_feed",
        PrintSummons = "print_summons",
        Book = "book",
        Rebook = "rebook",
        Cancel = "cancel",
        MarkArrived = "mark_arrived",
        MarkEnteredInError = "mark_entered_in_error",
        SetHiddenInPortal = "set_hidden_in_portal",
        /// A visit recorded after the fact: a booking of a time that had
        /// already started, made explicitly (rule 20).
        RecordAfterTheFact = "record_after_the_fact",
        /// Staff looked a resident up by personal identity number, to confirm
        /// whom they are about to book.
        LookUpResident = "look_up_resident",
        /// Invited a resident to book (rule 19).
        Invite = "invite",
        /// Listed the unit's invitations (names and numbers of residents).
        ViewInvitations = "view_invitations",
        /// A guardian listed their child's bookings (rule 17).
        ViewBookings = "view_bookings",
        /// A guardian asked for, or withdrew, an earlier time for their
        /// child's booking (rules 15 and 17).
        EarlierTime = "earlier_time",
        /// A guardian read their child's inbox or one of its messages.
        ViewInbox = "view_inbox",
    }
);

word_enum!(
    /// Who acted in a line of the access log: a member of staff (by role) or
    /// a guardian acting for their child (rule 17).
    AccessRole {
        Staff = "staff",
        UnitAdmin = "unit_admin",
        RegionalAdmin = "regional_admin",
        Guardian = "guardian",
    }
);

impl From<StaffRole> for AccessRole {
    fn from(role: StaffRole) -> Self {
        match role {
            StaffRole::Staff => AccessRole::Staff,
            StaffRole::UnitAdmin => AccessRole::UnitAdmin,
            StaffRole::RegionalAdmin => AccessRole::RegionalAdmin,
        }
    }
}

/// One line of the access log (loggning): who did what to whose data, where,
/// when. The actor is a member of staff (`actor_id` their staff id) or a
/// guardian (`actor_id` their resident id), never the patient themself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogEntry {
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: uuid::Uuid,
    pub actor_role: AccessRole,
    pub actor_name: Option<String>,
    pub unit_id: Option<UnitId>,
    pub action: AccessAction,
    pub resident_id: ResidentId,
    pub booking_id: Option<BookingId>,
}

/// Rule 14: one reminder before a visit, an outbox row written with the
/// change that books (or rebooks to) it, due `at`. Its text and recipient
/// are made when it is due, from the booking and the resident as they are
/// then; a booking that has left `booked` by then (or moved) gets none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedReminder {
    pub id: uuid::Uuid,
    pub booking_id: BookingId,
    pub channel: Channel,
    pub at: DateTime<Utc>,
    pub visit_starts_at: DateTime<Utc>,
    /// When the change that planned it was made.
    pub planned_at: DateTime<Utc>,
}

/// What a booking change brings along in its transaction: the resident's
/// notice (rule 10), the access-log lines of the staff who made it, and the
/// reminders of the booking it makes (rule 14). (The store itself cancels
/// the pending reminders of a booking that leaves `booked` or is hidden.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    pub notice: Option<Notice>,
    pub access: Vec<AccessLogEntry>,
    pub reminders: Vec<PlannedReminder>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_round_trips() {
        for p in PortalPolicy::ALL {
            assert_eq!(p.as_str().parse::<PortalPolicy>(), Ok(*p));
        }
        for s in BookingStatus::ALL {
            assert_eq!(s.as_str().parse::<BookingStatus>(), Ok(*s));
        }
        for m in Mode::ALL {
            assert_eq!(m.as_str().parse::<Mode>(), Ok(*m));
        }
        assert!("SelfService".parse::<PortalPolicy>().is_err());
    }

    #[test]
    fn only_booked_and_arrived_hold_the_slot() {
        let active: Vec<_> = BookingStatus::ALL.iter().filter(|s| s.is_active()).collect();
        assert_eq!(active, [&BookingStatus::Booked, &BookingStatus::Arrived]);
    }
}
