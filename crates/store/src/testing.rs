//! Throwaway databases for tests: each test gets its own, so tests run in
//! parallel and never see each other's rows.
//!
//! PostgreSQL comes from `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). When it cannot be reached, a
//! test prints a loud SKIPPED line and passes, except with `CI=true`, where it
//! fails: CI must prove both backends.

use crate::{Backend, StoreConfig};
use std::path::PathBuf;
use std::time::Duration;

pub mod ceiling;

/// The SQL the store runs, for tests that `EXPLAIN` it and for the
/// benchmark's search ceiling. (The booking's ceiling runs the store's own
/// code or statements: see [`ceiling`].)
pub mod sql {
    pub use crate::booking::RESIDENT_BOOKINGS;
    pub use crate::calendar::{FREE_SLOTS_BY_TYPE, FREE_SLOT_COUNTS_BY_TYPE};
}

pub const DEFAULT_TEST_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A fresh, migrated database that is removed when dropped.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Folder(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh database of `kind`, or `None` (after printing SKIPPED) when
    /// PostgreSQL is out of reach outside CI.
    pub async fn new(kind: Kind) -> Option<TestDb> {
        match kind {
            Kind::Sqlite => Some(Self::sqlite().await),
            Kind::Postgres => Self::postgres().await,
        }
    }

    pub async fn sqlite() -> TestDb {
        let folder = std::env::temp_dir().join(format!("tidbok-test-{}", uuid::Uuid::new_v4().simple()));
        let url = format!("sqlite:{}", folder.join("test.db").display());
        let backend = Backend::connect(&config(&url))
            .await
            .expect("open SQLite test database");
        backend.migrate().await.expect("migrate SQLite test database");
        TestDb {
            backend,
            url,
            cleanup: Cleanup::Folder(folder),
        }
    }

    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_TEST_DATABASE_URL.to_owned());
        let admin = match tokio::time::timeout(Duration::from_secs(5), connect_admin(&admin_url)).await {
            Ok(Ok(admin)) => admin,
            Ok(Err(e)) => return unreachable_postgres(&admin_url, &e.to_string()),
            Err(_) => return unreachable_postgres(&admin_url, "timed out"),
        };
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create test database");
        admin.close().await;
        let url = replace_database(&admin_url, &name);
        let backend = Backend::connect(&config(&url)).await.expect("connect to test database");
        backend.migrate().await.expect("migrate PostgreSQL test database");
        Some(TestDb {
            backend,
            url,
            cleanup: Cleanup::Database { admin_url, name },
        })
    }

    pub fn kind(&self) -> Kind {
        match self.backend {
            Backend::Sqlite(_) => Kind::Sqlite,
            Backend::Postgres(_) => Kind::Postgres,
        }
    }

    /// The plan the database chooses for `sql` with `binds` bound, as text
    /// (PostgreSQL's `EXPLAIN`, SQLite's `EXPLAIN QUERY PLAN`).
    pub async fn explain(&self, sql: &str, binds: &[Bind]) -> String {
        match &self.backend {
            Backend::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
                let text = format!("EXPLAIN {sql}");
                let mut q = sqlx::query_scalar::<_, String>(&text);
                for b in binds {
                    q = match b {
                        Bind::Uuid(u) => q.bind(*u),
                        Bind::Date(d) => q.bind(*d),
                        Bind::Instant(t) => q.bind(*t),
                        Bind::Int(i) => q.bind(*i),
                    };
                }
                q.fetch_all(pool).await.expect("explain").join("\n")
            }
            Backend::Sqlite(pool) => {
                sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
                let text = format!("EXPLAIN QUERY PLAN {sql}");
                let mut q = sqlx::query_as::<_, (i64, i64, i64, String)>(&text);
                for b in binds {
                    q = match b {
                        Bind::Uuid(u) => q.bind(*u),
                        Bind::Date(d) => q.bind(*d),
                        Bind::Instant(t) => q.bind(*t),
                        Bind::Int(i) => q.bind(*i),
                    };
                }
                q.fetch_all(pool)
                    .await
                    .expect("explain")
                    .into_iter()
                    .map(|r| r.3)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    }
}

impl TestDb {
    /// One count, for tests that check an invariant across tables.
    pub async fn count(&self, sql: &str) -> i64 {
        match &self.backend {
            Backend::Postgres(pool) => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.expect("count"),
            Backend::Sqlite(pool) => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.expect("count"),
        }
    }

    /// Runs a statement as is (for tests that prove what the schema refuses).
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match &self.backend {
            Backend::Postgres(pool) => Ok(sqlx::query(sql).execute(pool).await?.rows_affected()),
            Backend::Sqlite(pool) => Ok(sqlx::query(sql).execute(pool).await?.rows_affected()),
        }
    }
}

/// A database's schema as its own catalogue states it, in terms both backends
/// share, so the two migration sets can be held to each other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Table → columns, each with whether it may be NULL, by name.
    pub tables: std::collections::BTreeMap<String, std::collections::BTreeMap<String, bool>>,
    /// Index name → its table and columns in order, and whether it is
    /// partial or unique (indexes that back a unique constraint are listed as
    /// the constraint).
    pub indexes: std::collections::BTreeMap<String, (String, Vec<String>, bool, bool)>,
    /// Named constraints (UNIQUE and CHECK) → table.
    pub constraints: std::collections::BTreeMap<String, String>,
}

impl TestDb {
    /// The schema migrations left, read from the database's catalogue
    /// (`sqlite_master` and pragmas; `information_schema` and `pg_catalog`).
    pub async fn schema(&self) -> Schema {
        let mut schema = Schema::default();
        match &self.backend {
            Backend::Sqlite(pool) => {
                let tables: Vec<(String, String)> = sqlx::query_as(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await
                .expect("tables");
                for (table, sql) in tables {
                    let columns: Vec<(String, i64, i64)> =
                        sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
                            .bind(&table)
                            .fetch_all(pool)
                            .await
                            .expect("columns");
                    // A primary key column is never NULL in PostgreSQL; SQLite
                    // only enforces that for INTEGER keys, so it is read as such.
                    schema.tables.insert(
                        table.clone(),
                        columns
                            .into_iter()
                            .map(|(name, not_null, pk)| (name, not_null == 0 && pk == 0))
                            .collect(),
                    );
                    for name in named_constraints(&sql) {
                        schema.constraints.insert(name, table.clone());
                    }
                    let indexes: Vec<(String, i64, String, i64)> =
                        sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                            .bind(&table)
                            .fetch_all(pool)
                            .await
                            .expect("indexes");
                    for (index, unique, origin, partial) in indexes {
                        if origin != "c" {
                            continue; // the primary key's, or a UNIQUE constraint's
                        }
                        let columns: Vec<(String,)> =
                            sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                                .bind(&index)
                                .fetch_all(pool)
                                .await
                                .expect("index columns");
                        schema.indexes.insert(
                            index,
                            (
                                table.clone(),
                                columns.into_iter().map(|c| c.0).collect(),
                                unique == 1,
                                partial == 1,
                            ),
                        );
                    }
                }
            }
            Backend::Postgres(pool) => {
                let columns: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
                     WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx%'",
                )
                .fetch_all(pool)
                .await
                .expect("columns");
                for (table, column, nullable) in columns {
                    schema
                        .tables
                        .entry(table)
                        .or_default()
                        .insert(column, nullable == "YES");
                }
                let indexes: Vec<(String, String, Vec<String>, bool, bool)> = sqlx::query_as(
                    "SELECT i.relname::text, t.relname::text, \
                            array_agg(a.attname::text ORDER BY k.ord), x.indisunique, x.indpred IS NOT NULL \
                       FROM pg_index x \
                       JOIN pg_class i ON i.oid = x.indexrelid \
                       JOIN pg_class t ON t.oid = x.indrelid \
                       JOIN pg_namespace n ON n.oid = t.relnamespace \
                       CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) \
                       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                      WHERE n.nspname = 'public' AND t.relname NOT LIKE '\\_sqlx%' \
                        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) \
                      GROUP BY i.relname, t.relname, x.indisunique, x.indpred",
                )
                .fetch_all(pool)
                .await
                .expect("indexes");
                for (index, table, columns, unique, partial) in indexes {
                    schema.indexes.insert(index, (table, columns, unique, partial));
                }
                // Named constraints: UNIQUE ones, and CHECKs other than those
                // PostgreSQL names itself after a column (`<table>_<column>_check`).
                let constraints: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT c.conname::text, t.relname::text, c.contype::text FROM pg_constraint c \
                       JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
                      WHERE n.nspname = 'public' AND c.contype IN ('u', 'c')",
                )
                .fetch_all(pool)
                .await
                .expect("constraints");
                for (name, table, kind) in constraints {
                    if kind == "c" && name.ends_with("_check") {
                        continue;
                    }
                    schema.constraints.insert(name, table);
                }
            }
        }
        schema
    }
}

/// The names of a CREATE TABLE statement's `CONSTRAINT <name>` clauses.
fn named_constraints(create_table: &str) -> Vec<String> {
    let words: Vec<&str> = create_table
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter(|w| w[0].eq_ignore_ascii_case("CONSTRAINT"))
        .map(|w| w[1].to_owned())
        .collect()
}

/// A value bound to an explained query.
#[derive(Debug, Clone, Copy)]
pub enum Bind {
    Uuid(uuid::Uuid),
    Date(chrono::NaiveDate),
    Instant(chrono::DateTime<chrono::Utc>),
    Int(i32),
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Folder(folder) => {
                let _ = std::fs::remove_dir_all(folder);
            }
            Cleanup::Database { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; a thread with its own
                // runtime can block on the DROP without upsetting it.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    rt.block_on(async {
                        if let Ok(admin) = connect_admin(&admin_url).await {
                            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&admin)
                                .await;
                            admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

fn config(url: &str) -> StoreConfig {
    let mut config = StoreConfig::new(url);
    config.max_connections = 8;
    config.acquire_timeout = Duration::from_secs(30);
    config
}

async fn connect_admin(url: &str) -> Result<sqlx::PgPool, sqlx::Error> {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

fn unreachable_postgres(url: &str, why: &str) -> Option<TestDb> {
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("PostgreSQL at {url} is required with CI=true but unreachable: {why}");
    }
    eprintln!(
        "\n*** SKIPPED: PostgreSQL at {url} is unreachable ({why}); the PostgreSQL half of this test did not run ***\n"
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_replaces_the_path_of_the_url() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/test", "t_1"),
            "postgres://postgres@127.0.0.1:5432/t_1"
        );
        assert_eq!(
            replace_database("postgres://u@h/test?sslmode=disable", "t_1"),
            "postgres://u@h/t_1?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h", "t_1"), "postgres://u@h/t_1");
    }
}

/// A small world to test against: one region, one unit with both services
/// active for all residents, one practitioner, and one appointment type per
/// portal policy and eligibility rule.
pub mod fixture {
    use chrono::{DateTime, Duration, Utc};
    use std::sync::Arc;
    use tidbok_domain::ports::Store;
    use tidbok_domain::schedule::PlannedSlot;
    use tidbok_domain::time::local_date;
    use tidbok_domain::*;

    pub struct World {
        pub store: Arc<dyn Store>,
        pub region: Region,
        pub unit: Unit,
        pub practitioner: Practitioner,
        pub self_service: AppointmentType,
        pub cancelable: AppointmentType,
        pub visible: AppointmentType,
        pub hidden: AppointmentType,
        pub adults_only: AppointmentType,
        pub return_visit: AppointmentType,
    }

    impl World {
        pub async fn create(store: Arc<dyn Store>) -> World {
            let region = Region {
                id: RegionId::generate(),
                name: "Region Test".into(),
                notify_on_staff_cancel: true,
                reminders: Default::default(),
            };
            store.insert_region(&region).await.expect("region");
            let unit = Unit {
                id: UnitId::generate(),
                region_id: region.id,
                name: "Vårdcentralen Test".into(),
                phone: Some("040-123 45".into()),
                address: None,
                reminders: Default::default(),
            };
            store.insert_unit(&unit).await.expect("unit");
            let practitioner = Practitioner {
                id: PractitionerId::generate(),
                unit_id: unit.id,
                name: "Ingela Ransnäs".into(),
                profession: "Sjuksköterska".into(),
            };
            store.insert_practitioner(&practitioner).await.expect("practitioner");
            let ty = |name: &str, policy, eligibility| AppointmentType {
                id: AppointmentTypeId::generate(),
                region_id: region.id,
                name: name.into(),
                profession: "Sjuksköterska".into(),
                mode: Mode::Visit,
                default_length_minutes: 15,
                policy,
                eligibility,
                instructions: Some("Kom tio minuter före.".into()),
                retired: false,
            };
            let none = Eligibility::default();
            let world = World {
                self_service: ty("Provtagning 1177", PortalPolicy::SelfService, none),
                cancelable: ty("Mottagningstid", PortalPolicy::Cancelable, none),
                visible: ty("Nybesök vårdgaranti", PortalPolicy::Visible, none),
                hidden: ty("Administration internt", PortalPolicy::Hidden, none),
                adults_only: ty(
                    "Sjukgymnast Nybesök 1177",
                    PortalPolicy::SelfService,
                    Eligibility {
                        min_age_years: Some(18),
                        established_contact_only: false,
                    },
                ),
                return_visit: ty(
                    "Diabetessköterska Återbesök 1177",
                    PortalPolicy::SelfService,
                    Eligibility {
                        min_age_years: None,
                        established_contact_only: true,
                    },
                ),
                store,
                region,
                unit,
                practitioner,
            };
            for t in world.types() {
                world.store.insert_appointment_type(t).await.expect("type");
            }
            for service in OnlineService::ALL {
                world.set_service(*service, true, Audience::AllResidents).await;
            }
            world
        }

        pub fn types(&self) -> [&AppointmentType; 6] {
            [
                &self.self_service,
                &self.cancelable,
                &self.visible,
                &self.hidden,
                &self.adults_only,
                &self.return_visit,
            ]
        }

        pub async fn set_service(&self, service: OnlineService, active: bool, audience: Audience) {
            let setting = ServiceSetting {
                unit_id: self.unit.id,
                service,
                active,
                audience,
                terms_text: format!("Villkor för {service}."),
                terms_html: format!("<p>Villkor för {service}.</p>"),
            };
            self.store.put_service_setting(&setting).await.expect("service");
        }

        /// Slots of `ty` with the fixture's practitioner at `starts`, each
        /// `minutes` long. Returns their ids in the order given.
        pub async fn slots(&self, ty: &AppointmentType, starts: &[DateTime<Utc>], minutes: i64) -> Vec<SlotId> {
            self.slots_for(self.practitioner.id, ty, starts, minutes).await
        }

        pub async fn slots_for(
            &self,
            practitioner: PractitionerId,
            ty: &AppointmentType,
            starts: &[DateTime<Utc>],
            minutes: i64,
        ) -> Vec<SlotId> {
            let planned: Vec<_> = starts
                .iter()
                .map(|&s| PlannedSlot {
                    unit_id: self.unit.id,
                    practitioner_id: practitioner,
                    appointment_type_id: ty.id,
                    starts_at: s,
                    ends_at: s + Duration::minutes(minutes),
                    local_date: local_date(s),
                })
                .collect();
            self.store.insert_slots(&planned).await.expect("slots");
            let mut ids = Vec::new();
            for s in starts {
                let query = tidbok_domain::ports::FreeSlotQuery {
                    unit_id: self.unit.id,
                    appointment_type_id: ty.id,
                    practitioner_id: Some(practitioner),
                    length_minutes: Some(minutes),
                    from: local_date(*s),
                    to: local_date(*s),
                    starting_after: *s - Duration::seconds(1),
                };
                let found = self.store.free_slots(&query).await.expect("find slot");
                let slot = found
                    .into_iter()
                    .find(|d| d.slot.starts_at == *s)
                    .expect("slot just created");
                ids.push(slot.slot.id);
            }
            ids
        }

        pub async fn resident(&self, pnr: &str) -> Resident {
            let pnr = PersonalIdentityNumber::parse(pnr, local_date(Utc::now())).expect("test pnr");
            self.store
                .ensure_resident(&pnr, None, tidbok_domain::time::truncate_micros(Utc::now()))
                .await
                .expect("resident")
        }
    }

    /// A valid personal identity number for a person born on `birth`, with
    /// serial `serial` (0..1000), in 12-digit form.
    pub fn pnr_born(birth: chrono::NaiveDate, serial: u32) -> String {
        use chrono::Datelike;
        let nine = format!(
            "{:02}{:02}{:02}{:03}",
            birth.year() % 100,
            birth.month(),
            birth.day(),
            serial % 1000
        );
        let check = tidbok_domain::pnr::luhn_check_digit(&nine);
        format!("{:02}{nine}{check}", birth.year() / 100)
    }

    /// Distinct adult test residents' numbers (born in 1980, serials `n`).
    pub fn adult_pnr(n: u32) -> String {
        let birth = chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + Duration::days(i64::from(n / 1000));
        pnr_born(birth, n % 1000)
    }
}
