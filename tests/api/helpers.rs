//! `spawn_app` and friends: a running Tidbok on a fresh database, tokens
//! signed by a stand-in identity provider, and request helpers.

use chrono::{DateTime, Duration, DurationRound, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::io::Write;
use std::sync::{Arc, Mutex, Once, OnceLock};
use tidbok_api::config::Settings;
use tidbok_api::startup::Application;
use tidbok_domain::*;
use tidbok_store::testing::fixture::World;
pub use tidbok_store::testing::fixture::{adult_pnr, pnr_born};
pub use tidbok_store::testing::{Kind, TestDb};

pub const ISSUER: &str = "https://idp.region.test";
pub const AUDIENCE: &str = "tidbok-test";

pub fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Generates `mod name { sqlite(), postgres() }` for each API test.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = $crate::helpers::spawn($crate::helpers::Kind::Sqlite).await {
                        super::$name(app).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::spawn($crate::helpers::Kind::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )+
    };
}

/// Generates `mod name { sqlite(), postgres() }` for tests that start their
/// own application (they take the database kind).
#[macro_export]
macro_rules! on_both_kinds {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Kind::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Kind::Postgres).await
                }
            }
        )+
    };
}

/// Everything the application logged during this test binary's run.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn logs() -> &'static Logs {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    static INIT: Once = Once::new();
    let logs = LOGS.get_or_init(Logs::default);
    INIT.call_once(|| {
        let writer = logs.clone();
        tidbok_api::telemetry::init("info,sqlx=warn", move || writer.clone());
    });
    logs
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub world: World,
    pub db: TestDb,
}

pub async fn spawn(kind: Kind) -> Option<TestApp> {
    spawn_with(kind, |_| {}).await
}

/// A clock the test sets and moves by hand (the server's `Clock` port).
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn at(t: DateTime<Utc>) -> Arc<Self> {
        Arc::new(Self(Mutex::new(t)))
    }

    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap() = t;
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl tidbok_domain::ports::Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Starts the application on `clock` instead of the system's.
pub async fn spawn_at(kind: Kind, clock: Arc<TestClock>) -> Option<TestApp> {
    start(kind, |_| {}, Some(clock)).await
}

/// Starts the application with test settings changed by `tweak`.
pub async fn spawn_with(kind: Kind, tweak: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    start(kind, tweak, None).await
}

async fn start(kind: Kind, tweak: impl FnOnce(&mut Settings), clock: Option<Arc<TestClock>>) -> Option<TestApp> {
    logs();
    let db = TestDb::new(kind).await?;
    let mut settings = Settings::for_database(&db.url);
    settings.jwt_issuer = ISSUER.into();
    settings.jwt_audience = AUDIENCE.into();
    settings.jwt_public_key_file = Some(fixture("idp-rs256.pub.pem"));
    settings.database.db_max_connections = 5;
    settings.bookings_per_minute = 1000;
    settings.bookings_per_client_per_minute = 100_000;
    settings.login_per_minute = 1000;
    // Tests book many slots of one type for one resident; the cap has its own test.
    settings.max_active_bookings_per_type = 0;
    tweak(&mut settings);
    let app = match clock {
        Some(clock) => Application::build_with_clock(&settings, clock).await,
        None => Application::build(&settings).await,
    }
    .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let world = World::create(db.backend.store()).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Some(TestApp {
        address,
        client,
        world,
        db,
    })
}

pub fn now() -> DateTime<Utc> {
    Utc::now().duration_trunc(Duration::seconds(1)).unwrap()
}

/// Whole hours from now.
pub fn in_hours(h: i64) -> DateTime<Utc> {
    now().duration_trunc(Duration::hours(1)).unwrap() + Duration::hours(h)
}

pub fn sign(claims: &Value, alg: Algorithm, key_pem: &str, kid: Option<&str>) -> String {
    let pem = std::fs::read(fixture(key_pem)).expect("key");
    let key = match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem).unwrap(),
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem).unwrap(),
        other => panic!("no test key for {other:?}"),
    };
    let mut header = Header::new(alg);
    header.kid = kid.map(Into::into);
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// Claims a stand-in identity provider would issue, valid for ten minutes.
pub fn claims(role: &str) -> Value {
    let now = Utc::now().timestamp();
    json!({"iss": ISSUER, "aud": AUDIENCE, "sub": uuid::Uuid::new_v4().to_string(), "exp": now + 600, "nbf": now - 5, "iat": now, "role": role})
}

pub fn token(claims: &Value) -> String {
    sign(claims, Algorithm::RS256, "idp-rs256.key.pem", None)
}

pub fn resident_token(pnr: &str) -> String {
    let mut c = claims("resident");
    c["pnr"] = json!(pnr);
    c["name"] = json!("Testa Testsson");
    token(&c)
}

pub fn staff_token(role: &str, units: &[UnitId]) -> String {
    let region = (role == "regional_admin").then(RegionId::generate);
    staff_token_full(role, units, region, "Sara Ek")
}

/// A staff-side token with every claim chosen.
pub fn staff_token_full(role: &str, units: &[UnitId], region: Option<RegionId>, name: &str) -> String {
    let mut c = claims(role);
    c["units"] = json!(units.iter().map(|u| u.to_string()).collect::<Vec<_>>());
    if let Some(region) = region {
        c["region"] = json!(region.to_string());
    }
    c["name"] = json!(name);
    token(&c)
}

/// Tokens for every role, in and out of the fixture's unit and region.
pub struct Roles {
    pub staff: String,
    pub staff_elsewhere: String,
    pub unit_admin: String,
    pub unit_admin_elsewhere: String,
    pub regional_admin: String,
    pub regional_admin_elsewhere: String,
}

impl TestApp {
    /// A second unit of the same region, with a practitioner.
    pub async fn other_unit(&self) -> (Unit, Practitioner) {
        let unit = Unit {
            id: UnitId::generate(),
            region_id: self.world.region.id,
            name: "Vårdcentralen Annanstans".into(),
            phone: None,
            address: None,
            reminders: Default::default(),
        };
        self.world.store.insert_unit(&unit).await.unwrap();
        let practitioner = Practitioner {
            id: PractitionerId::generate(),
            unit_id: unit.id,
            name: "Per Annan".into(),
            profession: "Läkare".into(),
        };
        self.world.store.insert_practitioner(&practitioner).await.unwrap();
        (unit, practitioner)
    }

    pub async fn roles(&self) -> Roles {
        let (other, _) = self.other_unit().await;
        let unit = self.world.unit.id;
        Roles {
            staff: staff_token_full("staff", &[unit], None, "Sara Ek"),
            staff_elsewhere: staff_token_full("staff", &[other.id], None, "Olle Annan"),
            unit_admin: staff_token_full("unit_admin", &[unit], None, "Ulla Åberg"),
            unit_admin_elsewhere: staff_token_full("unit_admin", &[other.id], None, "Ada Annan"),
            regional_admin: staff_token_full("regional_admin", &[], Some(self.world.region.id), "Rolf Holm"),
            regional_admin_elsewhere: staff_token_full("regional_admin", &[], Some(RegionId::generate()), "Ruth Annan"),
        }
    }

    /// Staff of the fixture's unit.
    pub fn staff(&self) -> String {
        staff_token_full("staff", &[self.world.unit.id], None, "Sara Ek")
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Slots of the fixture's self-service type at the given starts.
    pub async fn slots(&self, ty: &AppointmentType, starts: &[DateTime<Utc>], minutes: i64) -> Vec<SlotId> {
        self.world.slots(ty, starts, minutes).await
    }

    pub async fn book(&self, token: &str, slot: SlotId) -> reqwest::Response {
        self.post("/api/v1/me/bookings", token, &book_body(slot)).await
    }

    /// Books and returns the booking's JSON, failing the test otherwise.
    pub async fn booked(&self, token: &str, slot: SlotId) -> Value {
        let response = self.book(token, slot).await;
        assert_eq!(
            response.status(),
            201,
            "booking {slot}: {}",
            response.text().await.unwrap_or_default()
        );
        response.json().await.unwrap()
    }

    /// A booking made by staff directly in the store (the staff API comes later).
    pub async fn staff_books(&self, resident: &Resident, slot: SlotId, hidden_in_portal: bool) -> BookingId {
        use tidbok_domain::ports::NewBooking;
        let booking = NewBooking {
            id: BookingId::generate(),
            slot_id: slot,
            resident_id: resident.id,
            booked_by: Actor::Staff(StaffId::generate()),
            booked_at: now(),
            reason_for_visit: None,
            message: None,
            hidden_in_portal,
            slot_must_start_after: now(),
            max_active_of_type: None,
        };
        *self
            .world
            .store
            .book(&booking, None, &Effects::default())
            .await
            .expect("staff booking")
            .value()
    }
}

pub fn book_body(slot: SlotId) -> Value {
    json!({"slot_id": slot.to_string(), "reason_for_visit": "Kontroll av blodtryck", "terms_accepted": true})
}

/// Asserts a problem response of `status` and `slug`; returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16, slug: &str) -> Value {
    let actual = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap_or_default();
    assert_eq!(actual, status, "expected {status} {slug}, got {actual}: {text}");
    assert_eq!(
        content_type.as_deref(),
        Some("application/problem+json"),
        "content type of {text}"
    );
    let body: Value = serde_json::from_str(&text).expect("problem body is JSON");
    assert_eq!(body["type"], format!("https://tidbok.se/problems/{slug}"), "{text}");
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string());
    body
}

/// A free local port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The `tidbok` binary serving `db` on `port` with the test keys, a quick
/// outbox poll and `env` on top; its output is dropped.
pub fn start_binary(db: &TestDb, port: u16, env: &[(&str, &str)]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_tidbok"))
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("TIDBOK_PORT", port.to_string())
        .env("TIDBOK_WORKERS", "1")
        .env("TIDBOK_JWT_ISSUER", ISSUER)
        .env("TIDBOK_JWT_AUDIENCE", AUDIENCE)
        .env("TIDBOK_JWT_PUBLIC_KEY_FILE", fixture("idp-rs256.pub.pem"))
        .env("TIDBOK_OUTBOX_POLL_MS", "50")
        .env("TIDBOK_DB_MAX_CONNECTIONS", "4")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the tidbok binary starts")
}
