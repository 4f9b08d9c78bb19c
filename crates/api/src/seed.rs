//! The demo data of `make run` (and `tidbok seed-demo`): Region Skåne with
//! Vårdcentralen Påarp-Mörarp and Vårdcentralen Nöbbelöv, the appointment
//! types of the source slides with fitting portal policies, both online
//! services active with Swedish terms texts, nine weeks of Monday–Friday
//! slots from today, and the personas of the dev login.
//!
//! Ids are fixed so the dev login can name units without a lookup. The
//! personal identity numbers are made up (valid check digits, no real people).

use chrono::{DateTime, Duration, DurationRound, NaiveTime, Utc, Weekday};
use std::sync::Arc;
use tidbok_domain::ports::{NewBooking, Store, StoreError};
use tidbok_domain::schedule::{plan_dates, ScheduleBlock};
use tidbok_domain::time::local_date;
use tidbok_domain::*;
use uuid::Uuid;

const fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x7157_b0c0_0000_4000_8000_0000_0000_0000 | n)
}

pub const REGION_SKANE: Uuid = id(0x1);
pub const PAARP_MORARP: Uuid = id(0x11);
pub const NOBBELOV: Uuid = id(0x12);

/// Who the dev login can be.
#[derive(Debug, Clone, Copy)]
pub struct Persona {
    pub id: &'static str,
    pub name: &'static str,
    pub role: crate::auth::Role,
    /// Residents only.
    pub pnr: Option<&'static str>,
    /// Staff and admins: their id.
    pub staff_id: Option<Uuid>,
    pub units: &'static [Uuid],
    pub region: Option<Uuid>,
    pub description: &'static str,
}

use crate::auth::Role;

impl Persona {
    const fn resident(id: &'static str, name: &'static str, pnr: &'static str, description: &'static str) -> Self {
        Self {
            id,
            name,
            role: Role::Resident,
            pnr: Some(pnr),
            staff_id: None,
            units: &[],
            region: None,
            description,
        }
    }

    const fn staff(
        id: &'static str,
        name: &'static str,
        role: Role,
        staff_id: Uuid,
        units: &'static [Uuid],
        region: Option<Uuid>,
        description: &'static str,
    ) -> Self {
        Self {
            id,
            name,
            role,
            pnr: None,
            staff_id: Some(staff_id),
            units,
            region,
            description,
        }
    }
}

pub const PERSONAS: &[Persona] = &[
    Persona::resident("anna", "Anna Svensson", "198503142385", "Invånare, 41 år. Har en tid inom 24 timmar, en mottagningstid bokad av personal och kontakt med diabetessköterskan. Vårdnadshavare för Elsa, 6 år (kan bokas för), och Oskar, 14 år (bokar själv)."),
    Persona::resident("nora", "Nora Lind", "200906022389", "Invånare, 17 år: kan inte boka sjukgymnast nybesök (18 år och äldre)."),
    Persona::resident("erik", "Erik Nilsson", "194107309173", "Invånare, 85 år, inga bokningar ännu."),
    Persona::staff("sara", "Sara Ek", Role::Staff, id(0x201), &[PAARP_MORARP], None, "Personal (receptionen) på Vårdcentralen Påarp-Mörarp."),
    Persona::staff("teodora", "Teodora Tuomainen", Role::Staff, id(0x202), &[NOBBELOV], None, "Läkare på Vårdcentralen Nöbbelöv."),
    Persona::staff("ulla", "Ulla Åberg", Role::UnitAdmin, id(0x203), &[PAARP_MORARP], None, "Administratör på Vårdcentralen Påarp-Mörarp."),
    Persona::staff("rolf", "Rolf Holm", Role::RegionalAdmin, id(0x204), &[], Some(REGION_SKANE), "Administratör med regional behörighet, Region Skåne."),
];

pub fn persona(id: &str) -> Option<&'static Persona> {
    PERSONAS.iter().find(|p| p.id == id)
}

const BOOK_TERMS: &str = "Här kan du själv boka vissa tider till oss.\n\n\
**Viktigt**\n\n\
- Om du vill ändra en tid kan du göra det fram till 24 timmar innan besöket. Använd då tjänsten Av-/omboka tid online. **Bekräftelse** på din bokning ser du i inkorgen.\n\
- **Provtagning** – tid för provtagning, till exempel blodprov som din läkare har beställt.\n\
- **Sköterska besök** – för enklare besvär, såromläggning och stygn som ska tas.\n\
- **Sjukgymnast, nybesök** – vid nack-, rygg-, axel-, höft-, knä- eller fotbesvär om du är över 18 år. Ring till mottagningen för att boka tid till någon under 18 år.\n\
- **Astma/KOL-sköterska** – återbesök för dig som redan har en etablerad kontakt med vår astma/KOL-sköterska.\n\
- **Diabetessköterska** – återbesök för dig som redan har en etablerad kontakt med vår diabetessköterska.\n\
- **Telefontid kurator** – för dig som redan har en etablerad kontakt med vår kurator. Skriv ditt telefonnummer i meddelanderutan så ringer kuratorn upp dig. Tiden är ungefärlig.\n";

const CHANGE_TERMS: &str = "Här kan du avboka eller omboka tider du har hos oss.\n\n\
- Du kan avboka och omboka fram till 24 timmar innan besöket. Därefter behöver du ringa mottagningen.\n\
- När du avbokar ber vi dig skriva orsaken, så att vi kan planera våra tider.\n\
- Du kan bara omboka till en tid av samma slag, med samma längd och hos samma vårdgivare.\n\
- Vissa tider kan bara avbokas här, inte ombokas. Ring oss i så fall för att få en ny tid.\n";

struct TypeSpec {
    key: &'static str,
    name: &'static str,
    profession: &'static str,
    mode: Mode,
    minutes: u16,
    policy: PortalPolicy,
    min_age: Option<u8>,
    established: bool,
    instructions: Option<&'static str>,
}

const TYPES: &[TypeSpec] = &[
    TypeSpec {
        key: "provtagning",
        name: "Provtagning 1177",
        profession: "Biomedicinsk analytiker",
        mode: Mode::Visit,
        minutes: 10,
        policy: PortalPolicy::SelfService,
        min_age: None,
        established: false,
        instructions: Some("Kom fastande om din läkare har sagt det. Ta med legitimation."),
    },
    TypeSpec {
        key: "skoterska",
        name: "Sköterska Besök 1177",
        profession: "Sjuksköterska",
        mode: Mode::Visit,
        minutes: 15,
        policy: PortalPolicy::SelfService,
        min_age: None,
        established: false,
        instructions: Some("Anmäl dig i receptionen när du kommer."),
    },
    TypeSpec {
        key: "sjukgymnast",
        name: "Sjukgymnast Nybesök 1177",
        profession: "Fysioterapeut",
        mode: Mode::Visit,
        minutes: 45,
        policy: PortalPolicy::SelfService,
        min_age: Some(18),
        established: false,
        instructions: Some("Ta med bekväma kläder."),
    },
    TypeSpec {
        key: "kurator",
        name: "Kurator Telefontid, du blir uppringd 1177",
        profession: "Kurator",
        mode: Mode::PhoneCallBack,
        minutes: 30,
        policy: PortalPolicy::SelfService,
        min_age: None,
        established: true,
        instructions: Some("Kuratorn ringer upp dig. Skriv ditt telefonnummer i meddelandet. Tiden är ungefärlig."),
    },
    TypeSpec {
        key: "astma",
        name: "Astma/KOL-sköterska Återbesök 1177",
        profession: "Astma/KOL-sköterska",
        mode: Mode::Visit,
        minutes: 30,
        policy: PortalPolicy::SelfService,
        min_age: None,
        established: true,
        instructions: None,
    },
    TypeSpec {
        key: "diabetes",
        name: "Diabetessköterska Återbesök 1177",
        profession: "Diabetessköterska",
        mode: Mode::Visit,
        minutes: 30,
        policy: PortalPolicy::SelfService,
        min_age: None,
        established: true,
        instructions: Some("Ta med ditt blodsockervärde från de senaste veckorna."),
    },
    TypeSpec {
        key: "lakare_telefon",
        name: "Läkare Telefontid, du blir uppringd 1177",
        profession: "Läkare",
        mode: Mode::PhoneCallBack,
        minutes: 10,
        policy: PortalPolicy::SelfService,
        min_age: None,
        established: false,
        instructions: Some("Läkaren ringer upp dig på det nummer du skriver i meddelandet."),
    },
    TypeSpec {
        key: "mottagningstid",
        name: "Mottagningstid",
        profession: "Läkare",
        mode: Mode::Visit,
        minutes: 15,
        policy: PortalPolicy::Cancelable,
        min_age: None,
        established: false,
        instructions: Some("Du får även ett brev med information inför ditt besök."),
    },
    TypeSpec {
        key: "hembesok",
        name: "Hembesök",
        profession: "Sjuksköterska",
        mode: Mode::HomeVisit,
        minutes: 45,
        policy: PortalPolicy::Visible,
        min_age: None,
        established: false,
        instructions: Some("Vi kommer hem till dig."),
    },
    TypeSpec {
        key: "vardgaranti",
        name: "Nybesök vårdgaranti",
        profession: "Läkare",
        mode: Mode::Visit,
        minutes: 30,
        policy: PortalPolicy::Visible,
        min_age: None,
        established: false,
        instructions: None,
    },
    TypeSpec {
        key: "administration",
        name: "Administration internt",
        profession: "Sjuksköterska",
        mode: Mode::Visit,
        minutes: 15,
        policy: PortalPolicy::Hidden,
        min_age: None,
        established: false,
        instructions: None,
    },
];

fn type_id(key: &str) -> AppointmentTypeId {
    let index = TYPES.iter().position(|t| t.key == key).expect("known type key");
    AppointmentTypeId::from_uuid(id(0x100 + index as u128))
}

/// (practitioner id, unit, name, profession, weekdays, blocks as (type key, start, minutes, count))
type Plan = (
    u128,
    Uuid,
    &'static str,
    &'static str,
    &'static [Weekday],
    &'static [(&'static str, (u32, u32), u16, u16)],
);

const WEEKDAYS: &[Weekday] = &[Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

const PLANS: &[Plan] = &[
    (
        0x301,
        PAARP_MORARP,
        "Ingela Ransnäs",
        "Sjuksköterska",
        WEEKDAYS,
        &[
            ("skoterska", (8, 0), 15, 8),
            ("administration", (10, 0), 15, 2),
            ("hembesok", (13, 0), 45, 1),
            ("skoterska", (14, 0), 15, 4),
        ],
    ),
    (
        0x302,
        PAARP_MORARP,
        "Karin Berg",
        "Biomedicinsk analytiker",
        WEEKDAYS,
        &[("provtagning", (7, 30), 10, 12), ("provtagning", (13, 0), 10, 6)],
    ),
    (
        0x303,
        PAARP_MORARP,
        "Johan Ek",
        "Fysioterapeut",
        &[Weekday::Mon, Weekday::Wed, Weekday::Fri],
        &[("sjukgymnast", (8, 0), 45, 4)],
    ),
    (
        0x304,
        PAARP_MORARP,
        "Maria Holm",
        "Kurator",
        &[Weekday::Tue, Weekday::Thu],
        &[("kurator", (9, 0), 30, 4)],
    ),
    (
        0x305,
        PAARP_MORARP,
        "Lena Åkesson",
        "Astma/KOL-sköterska",
        &[Weekday::Mon, Weekday::Wed],
        &[("astma", (8, 30), 30, 4)],
    ),
    (
        0x306,
        PAARP_MORARP,
        "Per Nilsson",
        "Diabetessköterska",
        &[Weekday::Tue, Weekday::Thu],
        &[("diabetes", (13, 0), 30, 4)],
    ),
    (
        0x307,
        PAARP_MORARP,
        "Ahmed Karimi",
        "Läkare",
        WEEKDAYS,
        &[
            ("mottagningstid", (8, 0), 15, 8),
            ("lakare_telefon", (13, 0), 10, 6),
            ("vardgaranti", (15, 0), 30, 2),
        ],
    ),
    (
        0x311,
        NOBBELOV,
        "Teodora Tuomainen",
        "Läkare",
        WEEKDAYS,
        &[("mottagningstid", (8, 0), 15, 12), ("lakare_telefon", (13, 0), 10, 6)],
    ),
    (
        0x312,
        NOBBELOV,
        "Erik Sandberg",
        "Sjuksköterska",
        WEEKDAYS,
        &[
            ("skoterska", (8, 0), 15, 8),
            ("provtagning", (13, 0), 10, 8),
            ("hembesok", (15, 0), 45, 1),
        ],
    ),
    (
        0x313,
        NOBBELOV,
        "Sofia Wallin",
        "Diabetessköterska",
        &[Weekday::Mon, Weekday::Wed],
        &[("diabetes", (9, 0), 30, 6)],
    ),
];

/// Loads the demo data unless the database already has a region.
/// Returns whether it did.
pub async fn seed_if_empty(store: &Arc<dyn Store>, now: DateTime<Utc>) -> Result<bool, StoreError> {
    if store.region(RegionId::from_uuid(REGION_SKANE)).await?.is_some() || !store.units().await?.is_empty() {
        return Ok(false);
    }
    seed(store, now).await?;
    Ok(true)
}

async fn seed(store: &Arc<dyn Store>, now: DateTime<Utc>) -> Result<(), StoreError> {
    let region = RegionId::from_uuid(REGION_SKANE);
    store
        .insert_region(&Region {
            id: region,
            name: "Region Skåne".into(),
            notify_on_staff_cancel: true,
            reminders: Default::default(),
        })
        .await?;
    for (uid, name, phone, address) in [
        (
            PAARP_MORARP,
            "Vårdcentralen Påarp-Mörarp",
            "042-10 20 30",
            "Storgatan 12, 260 36 Påarp",
        ),
        (
            NOBBELOV,
            "Vårdcentralen Nöbbelöv",
            "046-15 25 35",
            "Nöbbelövs torg 3, 226 52 Lund",
        ),
    ] {
        store
            .insert_unit(&Unit {
                id: UnitId::from_uuid(uid),
                region_id: region,
                name: name.into(),
                phone: Some(phone.into()),
                address: Some(address.into()),
                reminders: Default::default(),
            })
            .await?;
        for (service, terms) in [
            (OnlineService::BookOnline, BOOK_TERMS),
            (OnlineService::CancelRebookOnline, CHANGE_TERMS),
        ] {
            store
                .put_service_setting(&ServiceSetting {
                    unit_id: UnitId::from_uuid(uid),
                    service,
                    active: true,
                    audience: Audience::AllResidents,
                    terms_text: terms.into(),
                    terms_html: crate::terms::render(terms),
                })
                .await?;
        }
    }
    for t in TYPES {
        store
            .insert_appointment_type(&AppointmentType {
                id: type_id(t.key),
                region_id: region,
                name: t.name.into(),
                profession: t.profession.into(),
                mode: t.mode,
                default_length_minutes: t.minutes,
                policy: t.policy,
                eligibility: Eligibility {
                    min_age_years: t.min_age,
                    established_contact_only: t.established,
                },
                instructions: t.instructions.map(Into::into),
                retired: false,
            })
            .await?;
    }
    let today = local_date(now);
    let last = today + Duration::weeks(9);
    for (pid, unit, name, profession, days, blocks) in PLANS {
        let practitioner = PractitionerId::from_uuid(id(*pid));
        store
            .insert_practitioner(&Practitioner {
                id: practitioner,
                unit_id: UnitId::from_uuid(*unit),
                name: (*name).into(),
                profession: (*profession).into(),
            })
            .await?;
        let template: Vec<_> = days
            .iter()
            .flat_map(|day| {
                blocks.iter().filter_map(move |(ty, (h, m), minutes, count)| {
                    ScheduleBlock::new(*day, type_id(ty), NaiveTime::from_hms_opt(*h, *m, 0)?, *minutes, *count).ok()
                })
            })
            .collect();
        // A persona who is this practitioner opens the book on their own.
        if let Some(staff) = PERSONAS.iter().find(|p| p.name == *name).and_then(|p| p.staff_id) {
            store
                .link_practitioner_to_staff(practitioner, StaffId::from_uuid(staff))
                .await?;
        }
        // The template is kept as the practitioner's, so staff see and edit it.
        store.replace_template(practitioner, &template).await?;
        // Published as staff would: public holidays skipped (rule 22).
        let plan = plan_dates(
            UnitId::from_uuid(*unit),
            practitioner,
            &template,
            &Default::default(),
            today,
            last,
            false,
        );
        store.insert_slots(&plan.slots).await?;
    }
    seed_bookings(store, now).await
}

async fn seed_bookings(store: &Arc<dyn Store>, now: DateTime<Utc>) -> Result<(), StoreError> {
    let anna_persona = persona("anna").expect("anna");
    let anna_pnr = PersonalIdentityNumber::parse(anna_persona.pnr.unwrap_or_default(), local_date(now))
        .map_err(|e| StoreError::Other(e.into()))?;
    let anna = store
        .ensure_resident(&anna_pnr, PersonName::parse(anna_persona.name).ok().as_ref(), now)
        .await?;
    for p in PERSONAS.iter().filter(|p| p.pnr.is_some() && p.id != "anna") {
        let pnr = PersonalIdentityNumber::parse(p.pnr.unwrap_or_default(), local_date(now))
            .map_err(|e| StoreError::Other(e.into()))?;
        store
            .ensure_resident(&pnr, PersonName::parse(p.name).ok().as_ref(), now)
            .await?;
    }
    let staff = Actor::Staff(StaffId::from_uuid(
        persona("sara").and_then(|p| p.staff_id).unwrap_or_default(),
    ));

    // Rule 17: Anna's family in the register table — Elsa, 6, whom she
    // books for (a nurse's visit she booked is on Elsa's list), and Oskar,
    // 14, who books for himself.
    let today = local_date(now);
    let elsa_pnr = demo_child(today, 6, 130, 238);
    let oskar_pnr = demo_child(today, 14, 200, 257);
    let family = [(&elsa_pnr, "Elsa Svensson"), (&oskar_pnr, "Oskar Svensson")]
        .into_iter()
        .filter_map(|(child, name)| {
            Some(tidbok_domain::guardians::Guardianship {
                guardian: anna_pnr.clone(),
                child: child.clone(),
                child_name: PersonName::parse(name).ok()?,
            })
        })
        .collect::<Vec<_>>();
    store.replace_guardianships(&family, now).await?;
    let elsa = store
        .ensure_resident(&elsa_pnr, PersonName::parse("Elsa Svensson").ok().as_ref(), now)
        .await?;
    book_first(
        store,
        &elsa,
        Actor::Resident(anna.id),
        PAARP_MORARP,
        "skoterska",
        None,
        now + Duration::days(5),
        now + Duration::days(25),
        "Kontroll av eksem",
        now,
    )
    .await?;

    // A self-booked sample test starting within 24 hours: too late to change
    // online. Taken from the template when one is free in time, else made.
    let karin = PractitionerId::from_uuid(id(0x302));
    let soon = now + Duration::hours(1);
    let booked = book_first(
        store,
        &anna,
        Actor::Resident(anna.id),
        PAARP_MORARP,
        "provtagning",
        Some(karin),
        soon,
        now + Duration::hours(23),
        "Blodprov inför årskontroll",
        now,
    )
    .await?;
    if !booked {
        let start = (now + Duration::hours(20))
            .duration_trunc(Duration::minutes(15))
            .unwrap_or(now + Duration::hours(20));
        store
            .insert_slots(&[tidbok_domain::schedule::PlannedSlot {
                unit_id: UnitId::from_uuid(PAARP_MORARP),
                practitioner_id: karin,
                appointment_type_id: type_id("provtagning"),
                starts_at: start,
                ends_at: start + Duration::minutes(10),
                local_date: local_date(start),
            }])
            .await?;
        book_first(
            store,
            &anna,
            Actor::Resident(anna.id),
            PAARP_MORARP,
            "provtagning",
            Some(karin),
            start,
            start,
            "Blodprov inför årskontroll",
            now,
        )
        .await?;
    }
    // Booked by staff: a cancelable reception time at Nöbbelöv (as in the slides) ...
    book_first(
        store,
        &anna,
        staff,
        NOBBELOV,
        "mottagningstid",
        None,
        now + Duration::days(9),
        now + Duration::days(30),
        "Uppföljning av blodtryck",
        now,
    )
    .await?;
    // ... and a diabetes return visit, which is also her established contact.
    book_first(
        store,
        &anna,
        staff,
        PAARP_MORARP,
        "diabetes",
        None,
        now + Duration::days(14),
        now + Duration::days(40),
        "Årskontroll diabetes",
        now,
    )
    .await?;
    Ok(())
}

/// A demo child's personal identity number: `years` and `days` old today,
/// with the given birth serial (three digits) and its check digit.
fn demo_child(today: chrono::NaiveDate, years: u32, days: i64, serial: u32) -> PersonalIdentityNumber {
    let birth = today
        .checked_sub_months(chrono::Months::new(12 * years))
        .unwrap_or(today)
        - Duration::days(days);
    let nine = format!("{}{serial:03}", birth.format("%y%m%d"));
    let digits = format!(
        "{}{nine}{}",
        birth.format("%C"),
        tidbok_domain::pnr::luhn_check_digit(&nine)
    );
    PersonalIdentityNumber::parse(&digits, today).expect("a demo child's number is valid")
}

#[allow(clippy::too_many_arguments)]
async fn book_first(
    store: &Arc<dyn Store>,
    resident: &Resident,
    by: Actor,
    unit: Uuid,
    ty: &str,
    practitioner: Option<PractitionerId>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query = tidbok_domain::ports::FreeSlotQuery {
        unit_id: UnitId::from_uuid(unit),
        appointment_type_id: type_id(ty),
        practitioner_id: None,
        length_minutes: None,
        from: local_date(from),
        to: local_date(to),
        starting_after: from - Duration::seconds(1),
    };
    let free = store.free_slots(&query).await?;
    let Some(slot) = free
        .into_iter()
        .find(|s| s.slot.starts_at <= to && practitioner.is_none_or(|p| s.practitioner.id == p))
    else {
        return Ok(false);
    };
    store
        .book(
            &NewBooking {
                id: BookingId::generate(),
                slot_id: slot.slot.id,
                resident_id: resident.id,
                booked_by: by,
                booked_at: now,
                reason_for_visit: ReasonForVisit::parse(reason).ok(),
                message: None,
                hidden_in_portal: false,
                slot_must_start_after: now,
                max_active_of_type: None,
            },
            None,
            &tidbok_domain::Effects::default(),
        )
        .await?;
    Ok(true)
}
