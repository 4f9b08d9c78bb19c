//! `AdminConsole`: the regional admin's catalogue, service set-up and region
//! setting; the unit admin's terms texts, activation, restricted selection
//! and access log.

use crate::support::*;
use chrono::Duration;
use tidbok_domain::ports::AccessLogFilter;
use tidbok_domain::usecases::*;
use tidbok_domain::*;
use tidbok_store::testing::fixture::adult_pnr;

/// A new type for the catalogue, as a regional admin writes it.
fn new_type(name: &str) -> AppointmentType {
    AppointmentType {
        id: AppointmentTypeId::generate(),
        region_id: RegionId::generate(),
        name: name.into(),
        profession: "Fysioterapeut".into(),
        mode: Mode::Video,
        default_length_minutes: 30,
        policy: PortalPolicy::SelfService,
        eligibility: Eligibility::default(),
        instructions: None,
        retired: true,
    }
}

/// Numbered lines of an import, from 1.
fn lines<S: ToString>(texts: &[S]) -> Vec<(usize, String)> {
    (1..).zip(texts.iter().map(S::to_string)).collect()
}

// --- the catalogue ---

#[tokio::test]
async fn a_regional_admin_lists_the_regions_catalogue_retired_types_included() {
    let env = Env::new().await;
    env.elsewhere().await;
    let retired = AppointmentType {
        retired: true,
        ..env.world.visible.clone()
    };
    env.store().update_appointment_type(&retired).await.expect("retire");

    let types = env
        .console()
        .appointment_types(&env.regional_admin())
        .await
        .expect("types");

    let mut ids: Vec<_> = types.iter().map(|t| t.id).collect();
    ids.sort();
    let mut expected: Vec<_> = env.world.types().iter().map(|t| t.id).collect();
    expected.sort();
    assert_eq!(ids, expected, "another region's types are not listed");
}

#[tokio::test]
async fn the_catalogue_is_the_regional_admins_alone() {
    let env = Env::new().await;
    let region = Some(env.world.region.id);

    for who in [
        env.staff(),
        env.unit_admin(),
        member(StaffRole::UnitAdmin, vec![env.world.unit.id], region),
        member(StaffRole::RegionalAdmin, Vec::new(), None),
    ] {
        let listed = env.console().appointment_types(&who).await;
        let created = env.console().create_appointment_type(&who, new_type("Ny")).await;

        assert_matches!(listed, Err(DeskError::Forbidden), "{who:?}");
        assert_matches!(created, Err(DeskError::Forbidden), "{who:?}");
    }
}

#[tokio::test]
async fn a_new_type_belongs_to_the_admins_region_and_starts_in_use() {
    let env = Env::new().await;

    let created = env
        .console()
        .create_appointment_type(&env.regional_admin(), new_type("Fysioterapi video 1177"))
        .await
        .expect("created");

    assert_eq!((created.region_id, created.retired), (env.world.region.id, false));
    assert_eq!(
        env.store().appointment_type(created.id).await.expect("read"),
        Some(created)
    );
}

#[tokio::test]
async fn a_type_name_is_unique_within_the_region() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let their_admin = member(StaffRole::RegionalAdmin, Vec::new(), Some(other.region.id));
    let console = env.console();
    let name = "Fysioterapi video 1177";
    console
        .create_appointment_type(&env.regional_admin(), new_type(name))
        .await
        .expect("the first of its name");

    let here = console
        .create_appointment_type(&env.regional_admin(), new_type(name))
        .await;
    let there = console.create_appointment_type(&their_admin, new_type(name)).await;

    assert_matches!(here, Err(DeskError::DuplicateName), "{name}");
    assert!(there.is_ok(), "another region may use the name: {there:?}");
}

#[tokio::test]
async fn a_regional_admin_edits_and_retires_a_type_of_their_region() {
    let env = Env::new().await;
    let changed = AppointmentType {
        name: "Provtagning 1177 (vuxna)".into(),
        retired: true,
        region_id: RegionId::generate(),
        ..env.world.self_service.clone()
    };

    let saved = env
        .console()
        .update_appointment_type(&env.regional_admin(), changed)
        .await
        .expect("saved");

    assert_eq!(saved.region_id, env.world.region.id, "a type never changes region");
    assert!(saved.retired);
    assert_eq!(env.store().appointment_type(saved.id).await.expect("read"), Some(saved));
}

#[tokio::test]
async fn another_regions_type_or_an_unknown_one_is_not_found_and_a_taken_name_is_refused() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let admin = env.regional_admin();
    let console = env.console();

    let theirs = console
        .update_appointment_type(&admin, other.self_service.clone())
        .await;
    let unknown = console.update_appointment_type(&admin, new_type("Okänd")).await;
    let renamed = AppointmentType {
        name: env.world.cancelable.name.clone(),
        ..env.world.self_service.clone()
    };
    let duplicate = console.update_appointment_type(&admin, renamed).await;

    assert_matches!(theirs, Err(DeskError::NotFound));
    assert_matches!(unknown, Err(DeskError::NotFound));
    assert_matches!(duplicate, Err(DeskError::DuplicateName));
}

#[tokio::test]
async fn a_unit_admin_cannot_edit_the_catalogue() {
    let env = Env::new().await;

    let result = env
        .console()
        .update_appointment_type(&env.unit_admin(), env.world.self_service.clone())
        .await;

    assert_matches!(result, Err(DeskError::Forbidden));
}

// --- the region ---

#[tokio::test]
async fn a_regional_admin_switches_staff_cancellation_notices_off() {
    let env = Env::new().await;
    let console = env.console();

    let before = console.region(&env.regional_admin()).await.expect("region");
    let after = console
        .set_notify_on_staff_cancel(&env.regional_admin(), false)
        .await
        .expect("switched");

    assert!(before.notify_on_staff_cancel);
    assert!(!after.notify_on_staff_cancel, "rule 10");
    let stored = env.store().region(env.world.region.id).await.expect("read");
    assert_eq!(stored, Some(after));
}

#[tokio::test]
async fn only_a_regional_admin_reads_or_changes_the_region() {
    let env = Env::new().await;
    let console = env.console();

    for who in [env.staff(), env.unit_admin()] {
        let read = console.region(&who).await;
        let switched = console.set_notify_on_staff_cancel(&who, false).await;

        assert_matches!(read, Err(DeskError::Forbidden), "{:?}", who.role);
        assert_matches!(switched, Err(DeskError::Forbidden), "{:?}", who.role);
    }
    let stored = env.store().region(env.world.region.id).await.expect("read");
    assert!(stored.is_some_and(|r| r.notify_on_staff_cancel));
}

// --- the units' services ---

#[tokio::test]
async fn the_unit_admin_and_the_regions_admin_see_the_units_services_others_do_not() {
    let env = Env::new().await;
    let console = env.console();
    let unit = env.world.unit.id;

    let by_unit_admin = console.services(&env.unit_admin(), unit).await.expect("services");
    let by_regional_admin = console.services(&env.regional_admin(), unit).await.expect("services");
    let by_staff = console.services(&env.staff(), unit).await;
    let foreign_admin = member(StaffRole::RegionalAdmin, Vec::new(), Some(RegionId::generate()));
    let by_foreign_admin = console.services(&foreign_admin, unit).await;
    let unknown = console.services(&env.unit_admin(), UnitId::generate()).await;

    assert_eq!(by_unit_admin.1.len(), 2);
    assert_eq!(by_unit_admin, by_regional_admin);
    assert_matches!(by_staff, Err(DeskError::Forbidden));
    assert_matches!(by_foreign_admin, Err(DeskError::Forbidden));
    assert_matches!(unknown, Err(DeskError::NotFound));
}

#[tokio::test]
async fn a_regional_admin_sets_a_service_up_inactive_with_no_terms() {
    let env = Env::new().await;
    let bare = env.bare_unit().await;

    let setting = env
        .console()
        .set_up_service(&env.regional_admin(), bare.id, OnlineService::BookOnline)
        .await
        .expect("set up");

    assert_eq!(
        (
            setting.unit_id,
            setting.service,
            setting.active,
            setting.terms_text.as_str()
        ),
        (bare.id, OnlineService::BookOnline, false, ""),
        "rule 8: the unit admin activates it"
    );
}

#[tokio::test]
async fn setting_a_service_up_again_leaves_it_as_the_unit_made_it() {
    let env = Env::new().await;
    let before = env
        .console()
        .services(&env.unit_admin(), env.world.unit.id)
        .await
        .expect("read");

    let again = env
        .console()
        .set_up_service(&env.regional_admin(), env.world.unit.id, OnlineService::BookOnline)
        .await
        .expect("set up");

    let book = before.1.iter().find(|s| s.service == OnlineService::BookOnline);
    assert_eq!(Some(&again), book);
}

#[tokio::test]
async fn services_are_set_up_by_the_regional_admin_of_the_units_region_only() {
    let env = Env::new().await;
    let bare = env.bare_unit().await;
    let other = env.elsewhere().await;
    let foreign_admin = member(StaffRole::RegionalAdmin, Vec::new(), Some(other.region.id));
    let unit_admin = member(StaffRole::UnitAdmin, vec![bare.id], None);

    for who in [foreign_admin, unit_admin] {
        let result = env
            .console()
            .set_up_service(&who, bare.id, OnlineService::BookOnline)
            .await;

        assert_matches!(result, Err(DeskError::Forbidden), "{:?}", who.role);
    }
    let unknown = env
        .console()
        .set_up_service(&env.regional_admin(), UnitId::generate(), OnlineService::BookOnline)
        .await;
    assert_matches!(unknown, Err(DeskError::NotFound));
}

#[tokio::test]
async fn the_unit_admin_writes_the_terms_that_residents_then_see() {
    let env = Env::new().await;
    let anna = env.resident(1).await;

    let setting = env
        .console()
        .update_terms(
            &env.unit_admin(),
            env.world.unit.id,
            OnlineService::BookOnline,
            "**Avboka** senast 24 timmar före.",
            "<p><strong>Avboka</strong> senast 24 timmar före.</p>",
        )
        .await
        .expect("terms");

    assert_eq!(setting.terms_text, "**Avboka** senast 24 timmar före.");
    let unit = env.portal().unit(&anna, env.world.unit.id).await.expect("unit");
    let terms = unit.services.iter().find(|s| s.service == OnlineService::BookOnline);
    assert_eq!(
        terms.map(|s| s.terms_html.as_str()),
        Some("<p><strong>Avboka</strong> senast 24 timmar före.</p>"),
        "rule 9"
    );
}

#[tokio::test]
async fn terms_and_activation_need_the_service_set_up_first() {
    let env = Env::new().await;
    let bare = env.bare_unit().await;
    let admin = member(StaffRole::UnitAdmin, vec![bare.id], None);
    let service = OnlineService::BookOnline;

    let terms = env
        .console()
        .update_terms(&admin, bare.id, service, "Villkor", "<p>Villkor</p>")
        .await;
    let activated = env
        .console()
        .set_activation(&admin, bare.id, service, true, Audience::AllResidents)
        .await;

    assert_matches!(terms, Err(DeskError::ServiceNotSetUp), "rule 8");
    assert_matches!(activated, Err(DeskError::ServiceNotSetUp), "rule 8");
}

#[tokio::test]
async fn terms_and_activation_are_the_unit_admins_alone() {
    let env = Env::new().await;
    let (unit, service) = (env.world.unit.id, OnlineService::BookOnline);

    for who in [env.staff(), env.regional_admin()] {
        let terms = env
            .console()
            .update_terms(&who, unit, service, "Villkor", "<p>Villkor</p>")
            .await;
        let activated = env
            .console()
            .set_activation(&who, unit, service, false, Audience::AllResidents)
            .await;

        assert_matches!(terms, Err(DeskError::Forbidden), "{:?}", who.role);
        assert_matches!(activated, Err(DeskError::Forbidden), "{:?}", who.role);
    }
}

#[tokio::test]
async fn a_service_the_unit_admin_deactivates_is_closed_to_residents() {
    let env = Env::new().await;
    let anna = env.resident(1).await;
    let slot = env.slot(&env.world.self_service, at(day(2), 10, 0)).await;

    let setting = env
        .console()
        .set_activation(
            &env.unit_admin(),
            env.world.unit.id,
            OnlineService::BookOnline,
            false,
            Audience::AllResidents,
        )
        .await
        .expect("deactivated");

    assert!(!setting.active);
    let result = env.portal().book(&anna, online(slot), None).await;
    assert_matches!(result, Err(PortalError::ServiceNotActive(_)), "rule 8");
}

// --- the restricted selection ---

#[tokio::test]
async fn an_imported_selection_opens_the_service_to_the_numbers_in_it() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let slots = env
        .world
        .slots(&env.world.self_service, &[at(day(2), 10, 0), at(day(2), 10, 15)], 15)
        .await;
    let (admin, unit, service) = (env.unit_admin(), env.world.unit.id, OnlineService::BookOnline);
    let console = env.console();
    console
        .set_activation(&admin, unit, service, true, Audience::RestrictedSelection)
        .await
        .expect("restricted");
    let anna_twice = [anna.pnr.canonical().to_owned(), anna.pnr.formatted(), adult_pnr(3)];

    let imported = console
        .import_selection(&admin, unit, service, &lines(&anna_twice))
        .await
        .expect("imported");

    assert_eq!(imported, 2, "one number twice counts once");
    assert_eq!(console.selection_size(&admin, unit, service).await.expect("size"), 2);
    let in_it = env.portal().book(&anna, online(slots[0]), None).await;
    let not_in_it = env.portal().book(&erik, online(slots[1]), None).await;
    assert!(in_it.is_ok(), "rule 8: {in_it:?}");
    assert_matches!(not_in_it, Err(PortalError::ServiceNotActive(_)), "rule 8");
}

#[tokio::test]
async fn an_import_with_invalid_lines_names_every_one_and_imports_nothing() {
    let env = Env::new().await;
    let (admin, unit, service) = (env.unit_admin(), env.world.unit.id, OnlineService::BookOnline);
    let console = env.console();
    console
        .import_selection(&admin, unit, service, &lines(&[&adult_pnr(1)]))
        .await
        .expect("a first selection");
    let mut wrong_check_digit = adult_pnr(2);
    let last = wrong_check_digit.pop().and_then(|c| c.to_digit(10)).expect("a digit");
    wrong_check_digit.push(char::from_digit((last + 1) % 10, 10).expect("a digit"));

    let result = console
        .import_selection(
            &admin,
            unit,
            service,
            &lines(&[
                adult_pnr(3),
                wrong_check_digit.clone(),
                "inte ett nummer".into(),
                adult_pnr(4),
            ]),
        )
        .await;

    let Err(DeskError::InvalidSelection(invalid)) = result else {
        panic!("{result:?}")
    };
    let lines: Vec<_> = invalid.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [2, 3], "{wrong_check_digit} and the text: {invalid:?}");
    assert_eq!(invalid[0].1, PnrError::CheckDigit);
    assert_eq!(
        console.selection_size(&admin, unit, service).await.expect("size"),
        1,
        "the first selection stands"
    );
}

#[tokio::test]
async fn a_selection_of_more_than_100_000_numbers_is_refused() {
    let env = Env::new().await;
    let numbers: Vec<_> = (1..=100_001u32).map(|n| (n as usize, adult_pnr(n))).collect();

    let result = env
        .console()
        .import_selection(
            &env.unit_admin(),
            env.world.unit.id,
            OnlineService::BookOnline,
            &numbers,
        )
        .await;

    assert_matches!(result, Err(DeskError::InvalidRange(_)));
}

#[tokio::test]
async fn a_selection_needs_the_service_set_up_and_is_the_unit_admins_alone() {
    let env = Env::new().await;
    let bare = env.bare_unit().await;
    let bare_admin = member(StaffRole::UnitAdmin, vec![bare.id], None);
    let service = OnlineService::BookOnline;
    let numbers = lines(&[&adult_pnr(1)]);
    let console = env.console();

    let not_set_up = console.import_selection(&bare_admin, bare.id, service, &numbers).await;
    let by_staff = console
        .import_selection(&env.staff(), env.world.unit.id, service, &numbers)
        .await;
    let size_by_staff = console.selection_size(&env.staff(), env.world.unit.id, service).await;

    assert_matches!(not_set_up, Err(DeskError::ServiceNotSetUp), "rule 8");
    assert_matches!(by_staff, Err(DeskError::Forbidden));
    assert_matches!(size_by_staff, Err(DeskError::Forbidden));
}

// --- the unit's access log ---

#[tokio::test]
async fn the_unit_admin_reads_the_units_access_log_filtered_each_line_naming_its_resident() {
    let env = Env::new().await;
    let (anna, erik) = (env.resident(1).await, env.resident(2).await);
    let annas = env.booked_online(&anna, at(day(2), 10, 0)).await;
    let eriks = env.booked_online(&erik, at(day(2), 11, 0)).await;
    let staff = env.staff();
    env.desk().booking(&staff, annas).await.expect("read");
    env.clock.set(now() + Duration::minutes(1));
    env.desk().summons(&staff, annas).await.expect("printed");
    env.desk().booking(&staff, eriks).await.expect("read");
    let console = env.console();
    let annas_lines = AccessLogFilter {
        resident: Some(anna.id),
        limit: 50,
        ..Default::default()
    };
    let views = AccessLogFilter {
        action: Some(AccessAction::ViewBooking),
        limit: 50,
        ..Default::default()
    };

    let anna_log = console
        .access_log(&env.unit_admin(), env.world.unit.id, &annas_lines)
        .await
        .expect("log");
    let view_log = console
        .access_log(&env.unit_admin(), env.world.unit.id, &views)
        .await
        .expect("log");

    let seen: Vec<_> = anna_log
        .iter()
        .map(|(l, r)| (l.action, StaffId::from_uuid(l.actor_id), r.id))
        .collect();
    assert_eq!(
        seen,
        [
            (AccessAction::PrintSummons, staff.id, anna.id),
            (AccessAction::ViewBooking, staff.id, anna.id),
        ],
        "newest first"
    );
    let residents: Vec<_> = view_log.iter().map(|(_, r)| r.id).collect();
    assert_eq!(residents, [erik.id, anna.id]);
}

#[tokio::test]
async fn the_units_access_log_is_closed_to_staff_and_to_other_units_admins() {
    let env = Env::new().await;
    let other = env.elsewhere().await;
    let filter = AccessLogFilter {
        limit: 50,
        ..Default::default()
    };

    for who in [
        env.staff(),
        env.regional_admin(),
        member(StaffRole::UnitAdmin, vec![other.unit.id], None),
    ] {
        let result = env.console().access_log(&who, env.world.unit.id, &filter).await;

        assert_matches!(result, Err(DeskError::Forbidden), "{:?}", who.role);
    }
}
