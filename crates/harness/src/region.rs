//! A realistic region for the benchmark, written straight into the database
//! in bulk: units of different sizes, practitioners whose days mix two
//! appointment types, eight weeks of slots (weekdays, 08:00 on, Stockholm
//! time), residents with e-mail notifications, and a share of the slots
//! already booked. Built in stages so the same queries can be timed at
//! several table sizes.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Stockholm;
use tidbok_domain::*;
use tidbok_store::testing::fixture::pnr_born;
use tidbok_store::Backend;
use uuid::Uuid;

/// The shape of the region.
#[derive(Debug, Clone)]
pub struct Shape {
    pub units: usize,
    pub practitioners: usize,
    /// Practitioners of unit 0, the unit the scale probes look at; it is
    /// also the whole first stage.
    pub first_unit: usize,
    pub slots_per_practitioner: usize,
    pub residents: usize,
    pub types: usize,
    /// Every n-th slot is booked already.
    pub booked_every: usize,
}

impl Shape {
    /// ≥ 50 units, 500 practitioners, ≥ 1 M slots, 100 k residents.
    pub fn full() -> Self {
        Self {
            units: 50,
            practitioners: 500,
            first_unit: 5,
            slots_per_practitioner: 2000,
            residents: 100_000,
            types: 8,
            booked_every: 10,
        }
    }

    /// What `make bench-smoke` builds: the same code on a small region.
    pub fn smoke() -> Self {
        Self {
            units: 5,
            practitioners: 20,
            first_unit: 2,
            slots_per_practitioner: 1000,
            residents: 5_000,
            types: 8,
            booked_every: 10,
        }
    }

    pub fn slots(&self) -> usize {
        self.practitioners * self.slots_per_practitioner
    }
}

#[derive(Debug, Clone)]
pub struct Practitioner {
    pub id: Uuid,
    pub unit: usize,
    pub types: [usize; 2],
}

/// One slot as the generator knows it.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub id: Uuid,
    pub practitioner: u32,
    pub ty: u8,
    pub starts_at: DateTime<Utc>,
    /// The resident (index) holding it, if pre-booked.
    pub booked_by: Option<u32>,
}

pub struct Resident {
    pub id: Uuid,
    pub pnr: String,
}

pub struct Region {
    pub shape: Shape,
    pub region: Uuid,
    pub units: Vec<Uuid>,
    pub types: Vec<Uuid>,
    pub practitioners: Vec<Practitioner>,
    pub residents: Vec<Resident>,
    pub days: Vec<NaiveDate>,
    pub slots: Vec<Slot>,
    /// Practitioners whose slots are in the database so far.
    pub populated: usize,
    next_resident: usize,
}

/// Weekdays from the day after tomorrow through 55 days ahead: inside the
/// 24-hour cut-off and the eight-week online horizon.
fn bookable_days(today: NaiveDate) -> Vec<NaiveDate> {
    (2..=55)
        .map(|d| today + Duration::days(d))
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

fn stockholm(day: NaiveDate, minute: u32) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).expect("valid time"));
    Stockholm
        .from_local_datetime(&local)
        .earliest()
        .expect("08:00-17:00 exists every day")
        .with_timezone(&Utc)
}

macro_rules! on_pool {
    ($backend:expr, |$pool:ident| $body:expr) => {
        match $backend {
            Backend::Sqlite(s) => {
                let $pool = s;
                $body
            }
            Backend::Postgres(s) => {
                let $pool = s;
                $body
            }
        }
    };
}

impl Region {
    /// The catalogue and the residents; no slots yet.
    pub async fn create(backend: &Backend, shape: Shape) -> anyhow::Result<Self> {
        let store = backend.store();
        let region = RegionId::generate();
        store
            .insert_region(&tidbok_domain::Region {
                id: region,
                name: "Region Benchmark".into(),
                notify_on_staff_cancel: true,
                reminders: Default::default(),
            })
            .await?;
        let mut units = Vec::new();
        for u in 0..shape.units {
            let unit = Unit {
                id: UnitId::generate(),
                region_id: region,
                name: format!("Vårdcentralen {u:02}"),
                phone: Some("010-100 00 00".into()),
                address: None,
                reminders: Default::default(),
            };
            store.insert_unit(&unit).await?;
            for service in OnlineService::ALL {
                store
                    .put_service_setting(&ServiceSetting {
                        unit_id: unit.id,
                        service: *service,
                        active: true,
                        audience: Audience::AllResidents,
                        terms_text: "Villkor.".into(),
                        terms_html: "<p>Villkor.</p>".into(),
                    })
                    .await?;
            }
            units.push(unit.id.as_uuid());
        }
        let mut types = Vec::new();
        for t in 0..shape.types {
            let ty = AppointmentType {
                id: AppointmentTypeId::generate(),
                region_id: region,
                name: format!("Besökstyp {t} 1177"),
                profession: "Sjuksköterska".into(),
                mode: Mode::Visit,
                default_length_minutes: 10,
                policy: PortalPolicy::SelfService,
                eligibility: Eligibility::default(),
                instructions: None,
                retired: false,
            };
            store.insert_appointment_type(&ty).await?;
            types.push(ty.id.as_uuid());
        }
        // Unit 0 has `first_unit` practitioners; the rest spread over the others.
        let mut practitioners = Vec::new();
        let rest = shape.practitioners - shape.first_unit;
        for p in 0..shape.practitioners {
            let unit = if p < shape.first_unit {
                0
            } else {
                1 + (p - shape.first_unit) * (shape.units - 1) / rest
            };
            let id = PractitionerId::generate();
            store
                .insert_practitioner(&tidbok_domain::Practitioner {
                    id,
                    unit_id: UnitId::from_uuid(units[unit]),
                    name: format!("Behandlare {p}"),
                    profession: "Sjuksköterska".into(),
                })
                .await?;
            practitioners.push(Practitioner {
                id: id.as_uuid(),
                unit,
                types: [p % shape.types, (p + 3) % shape.types],
            });
        }
        let today = tidbok_domain::time::local_date(Utc::now());
        let born = NaiveDate::from_ymd_opt(1940, 1, 1).expect("date");
        let residents: Vec<Resident> = (0..shape.residents)
            .map(|i| Resident {
                id: Uuid::new_v4(),
                pnr: pnr_born(born + Duration::days((i / 900) as i64), (i % 900) as u32 + 1),
            })
            .collect();
        let now = tidbok_domain::time::truncate_micros(Utc::now());
        for chunk in residents.chunks(2000) {
            on_pool!(backend, |pool| {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO residents (id, pnr, email, notify_email, notify_sms, created_at) ",
                );
                q.push_values(chunk, |mut row, r| {
                    row.push_bind(r.id)
                        .push_bind(&r.pnr)
                        .push_bind(format!("{}@example.invalid", r.pnr))
                        .push_bind(true)
                        .push_bind(false)
                        .push_bind(now);
                });
                q.build().execute(pool).await?;
            });
        }
        Ok(Self {
            shape,
            region: region.as_uuid(),
            units,
            types,
            practitioners,
            residents,
            days: bookable_days(today),
            slots: Vec::new(),
            populated: 0,
            next_resident: 0,
        })
    }

    /// Writes the slots (and the pre-booked share) of practitioners up to
    /// `upto`, then refreshes the planner's statistics.
    pub async fn populate(&mut self, backend: &Backend, upto: usize) -> anyhow::Result<()> {
        let per_day = self.shape.slots_per_practitioner.div_ceil(self.days.len());
        let first_new = self.slots.len();
        for p in self.populated..upto {
            let mut made = 0;
            'days: for day in &self.days {
                for i in 0..per_day {
                    if made == self.shape.slots_per_practitioner {
                        break 'days;
                    }
                    let ty = self.practitioners[p].types[i % 2];
                    let booked = self.slots.len().is_multiple_of(self.shape.booked_every).then(|| {
                        let r = self.next_resident % self.residents.len();
                        self.next_resident += 1;
                        r as u32
                    });
                    self.slots.push(Slot {
                        id: Uuid::new_v4(),
                        practitioner: p as u32,
                        ty: ty as u8,
                        starts_at: stockholm(*day, 8 * 60 + 10 * i as u32),
                        booked_by: booked,
                    });
                    made += 1;
                }
            }
        }
        let new = &self.slots[first_new..];
        let booking_id = |s: &Slot| Uuid::from_u128(s.id.as_u128() ^ 0x5a5a);
        let booked_at = tidbok_domain::time::truncate_micros(Utc::now());
        for chunk in new.chunks(2000) {
            on_pool!(backend, |pool| {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO slots (id, unit_id, practitioner_id, appointment_type_id, starts_at, ends_at, \
                     local_date, length_minutes, booking_id) ",
                );
                q.push_values(chunk, |mut row, s| {
                    let p = &self.practitioners[s.practitioner as usize];
                    row.push_bind(s.id)
                        .push_bind(self.units[p.unit])
                        .push_bind(p.id)
                        .push_bind(self.types[s.ty as usize])
                        .push_bind(s.starts_at)
                        .push_bind(s.starts_at + Duration::minutes(10))
                        .push_bind(tidbok_domain::time::local_date(s.starts_at))
                        .push_bind(10i32)
                        .push_bind(s.booked_by.map(|_| booking_id(s)));
                });
                q.build().execute(pool).await?;
            });
            let booked: Vec<&Slot> = chunk.iter().filter(|s| s.booked_by.is_some()).collect();
            if booked.is_empty() {
                continue;
            }
            on_pool!(backend, |pool| {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO bookings (id, slot_id, resident_id, unit_id, starts_at, status, booked_by_kind, \
                     booked_by_id, booked_at, reason_for_visit) ",
                );
                q.push_values(booked, |mut row, s| {
                    let p = &self.practitioners[s.practitioner as usize];
                    let r = self.residents[s.booked_by.expect("booked") as usize].id;
                    row.push_bind(booking_id(s))
                        .push_bind(s.id)
                        .push_bind(r)
                        .push_bind(self.units[p.unit])
                        .push_bind(s.starts_at)
                        .push_bind("booked")
                        .push_bind("resident")
                        .push_bind(r)
                        .push_bind(booked_at)
                        .push_bind("Kontroll");
                });
                q.build().execute(pool).await?;
            });
        }
        let offered: std::collections::BTreeSet<(usize, usize)> = self.practitioners[self.populated..upto]
            .iter()
            .flat_map(|p| p.types.iter().map(move |t| (p.unit, *t)))
            .collect();
        for (unit, ty) in offered {
            on_pool!(backend, |pool| {
                sqlx::query(
                    "INSERT INTO unit_appointment_types (unit_id, appointment_type_id) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(self.units[unit])
                .bind(self.types[ty])
                .execute(pool)
                .await?;
            });
        }
        self.populated = upto;
        on_pool!(backend, |pool| {
            sqlx::query("ANALYZE").execute(pool).await?;
        });
        Ok(())
    }

    /// The (unit, type) pairs with slots so far.
    pub fn offered(&self, units: std::ops::Range<usize>) -> Vec<(Uuid, Uuid)> {
        let set: std::collections::BTreeSet<(usize, usize)> = self.practitioners[..self.populated]
            .iter()
            .filter(|p| units.contains(&p.unit))
            .flat_map(|p| p.types.iter().map(move |t| (p.unit, *t)))
            .collect();
        set.into_iter().map(|(u, t)| (self.units[u], self.types[t])).collect()
    }
}
