//! The set-up every use-case test shares: a fresh SQLite store holding the
//! fixture world, a clock that stands still at a chosen instant until a test
//! moves it, plain message texts, the people who act, and readers of the
//! effects a use case leaves (inbox, outbox, access log).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc, Weekday};
use std::sync::{Arc, Mutex};
use tidbok_domain::notify::{Composed, Composer};
use tidbok_domain::ports::{Clock, IdempotencyKey, Store};
use tidbok_domain::schedule::ScheduleBlock;
use tidbok_domain::staff::StaffMember;
use tidbok_domain::time::ZONE;
use tidbok_domain::usecases::*;
use tidbok_domain::*;
use tidbok_store::testing::fixture::{adult_pnr, World};
use tidbok_store::testing::TestDb;

/// The day every test starts on: Monday 2 March 2026. No public holiday
/// falls in its first four weeks; Easter (3–6 April) lies inside its
/// eight-week horizon, and summer time begins on 29 March.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date")
}

/// The date `n` days after [`today`].
pub fn day(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

/// The instant of a Stockholm wall-clock time.
pub fn at(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = date.and_hms_opt(hour, minute, 0).expect("a time of day");
    ZONE.from_local_datetime(&local)
        .single()
        .unwrap_or_else(|| panic!("{local} is one instant in Stockholm"))
        .with_timezone(&Utc)
}

/// When every test starts: 09:00 on [`today`].
pub fn now() -> DateTime<Utc> {
    at(today(), 9, 0)
}

/// A clock that says what the test last set it to.
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn set(&self, instant: DateTime<Utc>) {
        *self.0.lock().expect("clock") = instant;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

/// Message texts that name the kind of message and the booked start, so a
/// test can tell one message from another.
pub struct Texts;

impl Composer for Texts {
    fn compose(&self, kind: NotificationKind, booking: &BookingDetails) -> Composed {
        Composed {
            subject: kind.to_string(),
            body: format!(
                "{kind}: {} at {}",
                booking.appointment_type.name, booking.slot.starts_at
            ),
            sms: format!("{kind} {}", booking.slot.starts_at),
        }
    }

    fn calendar_file(&self, event: &tidbok_domain::calendar::CalendarEvent, stamp: DateTime<Utc>) -> String {
        format!(
            "{:?} {} {} {} at {}",
            event.method, event.uid, event.sequence, event.starts_at, stamp
        )
    }

    fn invitation(&self, invitation: &tidbok_domain::invitations::InvitationDetails) -> Composed {
        let name = &invitation.appointment_type.name;
        Composed {
            subject: format!("invited {name}"),
            body: format!("invited {name} until {}", invitation.invitation.valid_until),
            sms: format!("invited sms {name}"),
        }
    }

    fn offer(&self, slot: &SlotDetails, booking: BookingId, expires_at: DateTime<Utc>) -> Composed {
        Composed {
            subject: format!("offer {}", slot.slot.starts_at),
            body: format!("offer {} for {booking} until {expires_at}", slot.slot.starts_at),
            sms: format!("offer sms {} until {expires_at}", slot.slot.starts_at),
        }
    }

    fn reminder(&self, booking: &BookingDetails, cancel_online_until: Option<DateTime<Utc>>) -> Composed {
        let until = cancel_online_until.map_or("call".to_owned(), |t| t.to_string());
        Composed {
            subject: format!("reminder {}", booking.slot.starts_at),
            body: format!("reminder {} until {until}", booking.slot.starts_at),
            sms: format!("reminder sms {} until {until}", booking.slot.starts_at),
        }
    }
}

/// One test's world: its own database, the fixture of
/// `tidbok_store::testing::fixture` and the clock, at [`now`].
pub struct Env {
    pub world: World,
    pub clock: Arc<TestClock>,
    // Dropped last: removes the database.
    _db: TestDb,
}

impl Env {
    pub async fn new() -> Env {
        let db = TestDb::sqlite().await;
        let world = World::create(db.backend.store()).await;
        Env {
            world,
            clock: Arc::new(TestClock(Mutex::new(now()))),
            _db: db,
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.world.store
    }

    pub fn portal(&self) -> ResidentPortal {
        ResidentPortal::new(self.store().clone(), self.clock.clone(), Arc::new(Texts))
    }

    pub fn desk(&self) -> StaffDesk {
        StaffDesk::new(self.store().clone(), self.clock.clone(), Arc::new(Texts))
    }

    pub fn console(&self) -> AdminConsole {
        AdminConsole::new(self.store().clone(), self.clock.clone())
    }

    /// Another region with a unit of its own, in the same database.
    pub async fn elsewhere(&self) -> World {
        World::create(self.store().clone()).await
    }

    /// A unit of the fixture's region that has set up no online service.
    pub async fn bare_unit(&self) -> Unit {
        let unit = Unit {
            id: UnitId::generate(),
            region_id: self.world.region.id,
            name: "Vårdcentralen Utan Tjänster".into(),
            phone: None,
            address: None,
            reminders: Default::default(),
        };
        self.store().insert_unit(&unit).await.expect("unit");
        unit
    }

    /// A second practitioner of the fixture's unit.
    pub async fn colleague(&self) -> Practitioner {
        let practitioner = Practitioner {
            id: PractitionerId::generate(),
            unit_id: self.world.unit.id,
            name: "Per Persson".into(),
            profession: "Sjuksköterska".into(),
        };
        self.store()
            .insert_practitioner(&practitioner)
            .await
            .expect("practitioner");
        practitioner
    }

    /// An adult resident (born in 1980), recorded now.
    pub async fn resident(&self, n: u32) -> Resident {
        self.resident_numbered(&adult_pnr(n)).await
    }

    /// The resident with this personal identity number, recorded now.
    pub async fn resident_numbered(&self, pnr: &str) -> Resident {
        self.store()
            .ensure_resident(&pnr_of(pnr), None, self.clock.now())
            .await
            .expect("resident")
    }

    /// A free 15-minute slot of `ty` with the fixture's practitioner.
    pub async fn slot(&self, ty: &AppointmentType, starts_at: DateTime<Utc>) -> SlotId {
        self.world.slots(ty, &[starts_at], 15).await[0]
    }

    /// A self-service slot at `starts_at`, booked online by `resident`.
    pub async fn booked_online(&self, resident: &Resident, starts_at: DateTime<Utc>) -> BookingId {
        self.booked_online_at(&self.world, resident, starts_at).await
    }

    /// A self-service slot of `world`'s unit at `starts_at`, booked online by
    /// `resident`.
    pub async fn booked_online_at(&self, world: &World, resident: &Resident, starts_at: DateTime<Utc>) -> BookingId {
        let slot = world.slots(&world.self_service, &[starts_at], 15).await[0];
        let booked = self.portal().book(resident, online(slot), None).await;
        booked
            .unwrap_or_else(|e| panic!("booking a free slot at {starts_at} online: {e:?}"))
            .value()
            .details
            .booking
            .id
    }

    /// A slot of `ty` at `starts_at`, booked for `resident` by staff.
    pub async fn booked_by_staff(
        &self,
        resident: &Resident,
        ty: &AppointmentType,
        starts_at: DateTime<Utc>,
    ) -> BookingId {
        let slot = self.slot(ty, starts_at).await;
        let booked = self
            .staff_book(by_staff(&resident.pnr, StaffBookingTarget::Slot(slot)))
            .await;
        booked
            .unwrap_or_else(|e| panic!("staff booking a free {} slot at {starts_at}: {e:?}", ty.name))
            .0
            .booking
            .id
    }

    /// Staff of the fixture's unit book there as `request` asks.
    pub async fn staff_book(&self, request: StaffBooking) -> DeskResult<(BookingDetails, Resident)> {
        self.desk()
            .book_resident(&self.staff(), self.world.unit.id, request)
            .await
    }

    /// Anna (resident 1) and a cancelable booking staff made for her two
    /// days ahead, which she was told about (rule 10).
    pub async fn anna_booked_by_staff(&self) -> (Resident, BookingId) {
        let anna = self.resident(1).await;
        let booking = self
            .booked_by_staff(&anna, &self.world.cancelable, at(day(2), 10, 0))
            .await;
        (anna, booking)
    }

    /// Anna (resident 1) and a self-service booking she made online two days
    /// ahead.
    pub async fn anna_booked_online(&self) -> (Resident, BookingId) {
        let anna = self.resident(1).await;
        let booking = self.booked_online(&anna, at(day(2), 10, 0)).await;
        (anna, booking)
    }

    /// The resident cancels the booking online, with a reason.
    pub async fn cancelled_online(&self, resident: &Resident, booking: BookingId) {
        let cancelled = self
            .portal()
            .cancel(resident, booking, reason("Jag är frisk igen"))
            .await;
        cancelled.unwrap_or_else(|e| panic!("cancelling {booking} online: {e:?}"));
    }

    /// Staff cancel the booking, with a reason.
    pub async fn cancelled_by_staff(&self, booking: BookingId) {
        let cancelled = self
            .desk()
            .cancel(&self.staff(), booking, reason("Sjuk personal"))
            .await;
        cancelled.unwrap_or_else(|e| panic!("staff cancelling {booking}: {e:?}"));
    }

    /// Staff mark the resident arrived.
    pub async fn arrived(&self, booking: BookingId) {
        let arrived = self.desk().mark_arrived(&self.staff(), booking).await;
        arrived.unwrap_or_else(|e| panic!("marking {booking} arrived: {e:?}"));
    }

    /// Staff mark the booking entered in error.
    pub async fn voided(&self, booking: BookingId) {
        let voided = self.desk().mark_entered_in_error(&self.staff(), booking).await;
        voided.unwrap_or_else(|e| panic!("voiding {booking}: {e:?}"));
    }

    /// Staff hide the booking in the portal ("Dölj i 1177").
    pub async fn hide(&self, booking: BookingId) {
        let hidden = self.desk().set_hidden_in_portal(&self.staff(), booking, true).await;
        hidden.unwrap_or_else(|e| panic!("hiding {booking}: {e:?}"));
    }

    pub async fn booking(&self, id: BookingId) -> BookingDetails {
        self.store()
            .booking(id)
            .await
            .expect("read")
            .expect("the booking exists")
    }

    /// Staff of the fixture's unit.
    pub fn staff(&self) -> StaffMember {
        member(StaffRole::Staff, vec![self.world.unit.id], None)
    }

    /// The unit admin of the fixture's unit.
    pub fn unit_admin(&self) -> StaffMember {
        member(StaffRole::UnitAdmin, vec![self.world.unit.id], None)
    }

    /// The regional admin of the fixture's region.
    pub fn regional_admin(&self) -> StaffMember {
        member(StaffRole::RegionalAdmin, Vec::new(), Some(self.world.region.id))
    }

    /// The kinds of message the resident's inbox holds, in a stable order
    /// (messages written at one instant have no order of their own).
    pub async fn inbox(&self, resident: &Resident) -> Vec<NotificationKind> {
        let messages = self.store().inbox(resident.id).await.expect("inbox");
        let mut kinds: Vec<_> = messages.into_iter().map(|m| m.kind).collect();
        kinds.sort_by_key(|k| k.as_str());
        kinds
    }

    /// The access-log lines about a resident, as (action, booking), in a
    /// stable order (lines written at one instant have no order of their own).
    pub async fn logged(&self, resident: &Resident) -> Vec<(AccessAction, Option<BookingId>)> {
        let lines = self.store().resident_access_log(resident.id, 500).await.expect("log");
        let mut lines: Vec<_> = lines.into_iter().map(|(l, _)| (l.action, l.booking_id)).collect();
        lines.sort_by_key(|(action, booking)| (action.as_str(), *booking));
        lines
    }

    /// Every access-log line of the fixture's unit.
    pub async fn unit_log(&self) -> Vec<AccessLogEntry> {
        let filter = tidbok_domain::ports::AccessLogFilter {
            limit: 500,
            ..Default::default()
        };
        let lines = self.store().unit_access_log(self.world.unit.id, &filter).await;
        lines.expect("unit log").into_iter().map(|(l, _)| l).collect()
    }

    /// Whether the slot is free to book again.
    pub async fn is_free(&self, slot: SlotId) -> bool {
        let slot = self.store().slot(slot).await.expect("read").expect("the slot exists");
        slot.slot.is_free()
    }

    /// The fixture's region with staff-cancellation notices on or off.
    pub async fn notify_on_staff_cancel(&self, on: bool) {
        let region = Region {
            notify_on_staff_cancel: on,
            ..self.world.region.clone()
        };
        self.store().update_region(&region).await.expect("region");
    }
}

pub fn member(role: StaffRole, units: Vec<UnitId>, region: Option<RegionId>) -> StaffMember {
    StaffMember {
        id: StaffId::generate(),
        role,
        units,
        region,
        name: Some("Sara Ek".into()),
    }
}

/// Staff of a unit that is not the fixture's.
pub fn staff_elsewhere() -> StaffMember {
    member(StaffRole::Staff, vec![UnitId::generate()], None)
}

pub fn pnr_of(pnr: &str) -> PersonalIdentityNumber {
    PersonalIdentityNumber::parse(pnr, today()).unwrap_or_else(|e| panic!("{pnr} is a valid number: {e:?}"))
}

/// A resident's request to book `slot`, terms confirmed.
pub fn online(slot: SlotId) -> BookOnline {
    BookOnline {
        slot_id: slot,
        reason_for_visit: ReasonForVisit::parse("Provtagning inför diabetesbesök").expect("reason"),
        message: None,
        terms_accepted: true,
    }
}

/// Staff's request to book the resident with this number at `target`,
/// notifying them.
pub fn by_staff(pnr: &PersonalIdentityNumber, target: StaffBookingTarget) -> StaffBooking {
    StaffBooking {
        pnr: pnr.clone(),
        target,
        reason_for_visit: Some(ReasonForVisit::parse("Kontroll av blodtryck").expect("reason")),
        message: None,
        hidden_in_portal: false,
        record_after_the_fact: false,
    }
}

/// Staff's request to record a visit to `slot` after the fact (rule 20).
pub fn after_the_fact(pnr: &PersonalIdentityNumber, slot: SlotId) -> StaffBooking {
    StaffBooking {
        record_after_the_fact: true,
        ..by_staff(pnr, StaffBookingTarget::Slot(slot))
    }
}

pub fn key(key: &str, body: &str) -> IdempotencyKey {
    IdempotencyKey {
        key: key.into(),
        fingerprint: body.into(),
    }
}

pub fn reason(text: &str) -> CancellationReason {
    CancellationReason::parse(text).expect("reason")
}

/// A template block of `count` 15-minute slots of `ty` from `hour:00`.
pub fn block(weekday: Weekday, ty: &AppointmentType, hour: u32, count: u16) -> ScheduleBlock {
    let start = chrono::NaiveTime::from_hms_opt(hour, 0, 0).expect("a time");
    ScheduleBlock::new(weekday, ty.id, start, 15, count).expect("a valid block")
}
