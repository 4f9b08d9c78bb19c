//! Rule 17: the register table behind the shipped population-register
//! adapter is replaced whole or not at all and names each guardian's
//! children; the regions' age limit; a guardian's booking and access-log
//! line keep the actor and the patient apart.

use super::*;
use tidbok_domain::guardians::Guardianship;

fn pnr(s: &str) -> PersonalIdentityNumber {
    PersonalIdentityNumber::parse(s, local_date(now())).unwrap()
}

fn born(y: i32, m: u32, d: u32, serial: u32) -> PersonalIdentityNumber {
    pnr(&tidbok_store::testing::fixture::pnr_born(
        NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        serial,
    ))
}

fn line(guardian: &PersonalIdentityNumber, child: &PersonalIdentityNumber, name: &str) -> Guardianship {
    Guardianship {
        guardian: guardian.clone(),
        child: child.clone(),
        child_name: PersonName::parse(name).unwrap(),
    }
}

async fn names(store: &Arc<dyn Store>, guardian: &PersonalIdentityNumber) -> Vec<String> {
    store
        .children_of(guardian)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name.as_str().to_owned())
        .collect()
}

pub async fn the_register_is_replaced_whole_and_names_each_guardians_children(db: &TestDb) {
    let world = World::create(store(db)).await;
    let (anna, bo) = (pnr(&adult_pnr(1)), pnr(&adult_pnr(2)));
    let (elsa, oskar) = (born(2020, 6, 7, 238), born(2012, 3, 1, 257));
    let empty = world.store.guardianships_summary().await.unwrap();
    assert_eq!((empty.guardianships, empty.children, empty.loaded_at), (0, 0, None));

    // Two guardians share Elsa; a line repeated is kept once.
    let first = [
        line(&anna, &elsa, "Elsa"),
        line(&anna, &oskar, "Oskar"),
        line(&bo, &elsa, "Elsa"),
        line(&bo, &elsa, "Elsa igen"),
    ];
    assert_eq!(world.store.replace_guardianships(&first, now()).await.unwrap(), 3);
    assert_eq!(names(&world.store, &anna).await, ["Oskar", "Elsa"], "by number");
    assert_eq!(names(&world.store, &bo).await, ["Elsa"]);
    assert!(
        names(&world.store, &elsa).await.is_empty(),
        "a child is no one's guardian"
    );
    let summary = world.store.guardianships_summary().await.unwrap();
    assert_eq!((summary.guardianships, summary.children), (3, 2));
    assert_eq!(summary.loaded_at, Some(now()));

    // A file that fails part-way changes nothing (the table's own check
    // refuses a guardian of themself, after the old rows were deleted).
    let failing = [line(&bo, &oskar, "Oskar"), line(&anna, &anna, "Anna")];
    assert!(world.store.replace_guardianships(&failing, now()).await.is_err());
    assert_eq!(names(&world.store, &anna).await, ["Oskar", "Elsa"]);
    assert_eq!(world.store.guardianships_summary().await.unwrap().guardianships, 3);

    // A new file replaces the old one whole.
    let later = now() + Duration::days(1);
    let second = [line(&bo, &oskar, "Oskar")];
    assert_eq!(world.store.replace_guardianships(&second, later).await.unwrap(), 1);
    assert!(names(&world.store, &anna).await.is_empty());
    assert_eq!(names(&world.store, &bo).await, ["Oskar"]);
    assert_eq!(
        world.store.guardianships_summary().await.unwrap().loaded_at,
        Some(later)
    );
}

pub async fn concurrent_register_loads_leave_one_file_never_both(db: &TestDb) {
    let world = World::create(store(db)).await;
    let files: Vec<Vec<Guardianship>> = (0..4u32)
        .map(|f| {
            (0..50u32)
                .map(|i| {
                    line(
                        &pnr(&adult_pnr(1000 * (f + 1) + i)),
                        &born(2020, 1, 1 + (i % 28), 100 + f),
                        "Barn",
                    )
                })
                .collect()
        })
        .collect();
    for _ in 0..3 {
        let loads: Vec<_> = files
            .iter()
            .cloned()
            .map(|file| {
                let store = world.store.clone();
                tokio::spawn(async move { store.replace_guardianships(&file, now()).await })
            })
            .collect();
        for load in loads {
            load.await.unwrap().unwrap();
        }
        let summary = world.store.guardianships_summary().await.unwrap();
        assert_eq!(summary.guardianships, 50, "one file, not a union of several");
        let mut loaded = Vec::new();
        for f in 0..4u32 {
            if world
                .store
                .children_of(&pnr(&adult_pnr(1000 * (f + 1))))
                .await
                .unwrap()
                .len()
                == 1
            {
                loaded.push(f);
            }
        }
        assert_eq!(loaded.len(), 1, "the lines of exactly one file: {loaded:?}");
    }
}

pub async fn the_age_limit_is_per_region_and_residents_are_held_to_the_lowest(db: &TestDb) {
    let world = World::create(store(db)).await;
    let region = world.region.id;
    assert_eq!(world.store.guardian_age_limit(region).await.unwrap(), Some(13));
    assert_eq!(world.store.effective_guardian_age_limit().await.unwrap(), 13);
    assert!(world.store.set_guardian_age_limit(region, 15).await.unwrap());
    assert_eq!(world.store.effective_guardian_age_limit().await.unwrap(), 15);

    let other = Region {
        id: RegionId::generate(),
        name: "Region Annan".into(),
        notify_on_staff_cancel: true,
        reminders: Default::default(),
    };
    world.store.insert_region(&other).await.unwrap();
    assert!(world.store.set_guardian_age_limit(other.id, 12).await.unwrap());
    assert_eq!(world.store.effective_guardian_age_limit().await.unwrap(), 12);

    // Out of range is refused by the table; an unknown region changes nothing.
    assert!(world.store.set_guardian_age_limit(region, 0).await.is_err());
    assert!(world.store.set_guardian_age_limit(region, 19).await.is_err());
    assert_eq!(world.store.guardian_age_limit(region).await.unwrap(), Some(15));
    assert!(!world
        .store
        .set_guardian_age_limit(RegionId::generate(), 14)
        .await
        .unwrap());
    assert_eq!(
        world.store.guardian_age_limit(RegionId::generate()).await.unwrap(),
        None
    );
}

pub async fn a_guardians_booking_and_log_line_keep_actor_and_patient_apart(db: &TestDb) {
    let world = World::create(store(db)).await;
    let [slot] = world.slots(&world.self_service, &[in_hours(72)], 15).await[..] else {
        unreachable!()
    };
    let anna = world.resident(&adult_pnr(1)).await;
    let elsa = world
        .resident(&tidbok_store::testing::fixture::pnr_born(
            NaiveDate::from_ymd_opt(2020, 6, 7).unwrap(),
            238,
        ))
        .await;
    let mut booking = new_booking(slot, &elsa);
    booking.booked_by = Actor::Resident(anna.id);
    let line = AccessLogEntry {
        id: uuid::Uuid::new_v4(),
        at: now(),
        actor_id: anna.id.as_uuid(),
        actor_role: AccessRole::Guardian,
        actor_name: Some("Anna".into()),
        unit_id: Some(world.unit.id),
        action: AccessAction::Book,
        resident_id: elsa.id,
        booking_id: Some(booking.id),
    };
    let effects = Effects {
        access: vec![line.clone()],
        ..Effects::default()
    };
    let id = *world.store.book(&booking, None, &effects).await.unwrap().value();

    let stored = world.store.booking(id).await.unwrap().unwrap();
    assert_eq!(stored.booking.resident_id, elsa.id);
    assert_eq!(stored.booking.booked_by, Actor::Resident(anna.id));
    assert_eq!(world.store.resident_bookings(elsa.id, now()).await.unwrap().len(), 1);
    assert!(world.store.resident_bookings(anna.id, now()).await.unwrap().is_empty());
    let log = world.store.resident_access_log(elsa.id, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].0, line);
    assert!(world.store.resident_access_log(anna.id, 10).await.unwrap().is_empty());
    let filter = AccessLogFilter {
        actor: Some(anna.id.as_uuid()),
        limit: 10,
        ..AccessLogFilter::default()
    };
    let unit_log = world.store.unit_access_log(world.unit.id, &filter).await.unwrap();
    assert_eq!(unit_log.len(), 1);
    assert_eq!(unit_log[0].1.id, elsa.id);
}
