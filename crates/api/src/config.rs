//! Configuration: command-line flags, each also readable from an environment
//! variable, with defaults that run on a laptop. `tidbok serve --help` lists
//! them all; the README has the table.

use std::time::Duration;
use tidbok_store::StoreConfig;

#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "TIDBOK_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "TIDBOK_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Worker threads serving HTTP (default: one per core).
    #[arg(long, env = "TIDBOK_WORKERS")]
    pub workers: Option<usize>,
    #[command(flatten)]
    pub database: DatabaseSettings,
    /// Issuer (`iss`) every access token must carry.
    #[arg(long, env = "TIDBOK_JWT_ISSUER", default_value = "tidbok-dev")]
    pub jwt_issuer: String,
    /// Audience (`aud`) every access token must carry.
    #[arg(long, env = "TIDBOK_JWT_AUDIENCE", default_value = "tidbok")]
    pub jwt_audience: String,
    /// The identity provider's public key (RSA for RS256 or P-256 for ES256), PEM.
    #[arg(long, env = "TIDBOK_JWT_PUBLIC_KEY_FILE")]
    pub jwt_public_key_file: Option<String>,
    /// The key id (`kid`) of that PEM key. Tokens naming another key id are
    /// refused; without it, the PEM key verifies only tokens that name none.
    #[arg(long, env = "TIDBOK_JWT_PUBLIC_KEY_KID")]
    pub jwt_public_key_kid: Option<String>,
    /// The identity provider's keys as a JWKS document (keys chosen by `kid`).
    #[arg(long, env = "TIDBOK_JWT_JWKS_FILE")]
    pub jwt_jwks_file: Option<String>,
    /// Enable the dev login, which hands out tokens for the demo personas.
    /// Never in production.
    #[arg(long, env = "TIDBOK_DEV_LOGIN", default_value_t = false, action = clap::ArgAction::Set)]
    pub dev_login: bool,
    /// Load the demo data when the database is empty.
    #[arg(long, env = "TIDBOK_SEED_DEMO", default_value_t = false, action = clap::ArgAction::Set)]
    pub seed_demo: bool,
    /// Dev-login attempts per client IP and minute.
    #[arg(long, env = "TIDBOK_LOGIN_PER_MINUTE", default_value_t = 30)]
    pub login_per_minute: u32,
    /// Bookings and rebookings per resident and minute.
    #[arg(long, env = "TIDBOK_BOOKINGS_PER_MINUTE", default_value_t = 10)]
    pub bookings_per_minute: u32,
    /// Bookings and rebookings per client address and minute (all residents behind it).
    #[arg(long, env = "TIDBOK_BOOKINGS_PER_CLIENT_PER_MINUTE", default_value_t = 120)]
    pub bookings_per_client_per_minute: u32,
    /// Booked future slots of one appointment type a resident may hold at once
    /// (the booking-rush cap; 0 turns it off). Staff bookings do not count against it.
    #[arg(long, env = "TIDBOK_MAX_ACTIVE_BOOKINGS_PER_TYPE", default_value_t = 3)]
    pub max_active_bookings_per_type: u32,
    #[command(flatten)]
    pub delivery: DeliverySettings,
    /// Folder of the built web app, served at `/` (what `make run` sets to
    /// `frontend/dist`). Unset: the server serves the API only.
    #[arg(long, env = "TIDBOK_STATIC_DIR")]
    pub static_dir: Option<String>,
    /// The service is reached over HTTPS only (a proxy in front terminates
    /// TLS): responses carry Strict-Transport-Security.
    #[arg(long, env = "TIDBOK_HSTS", default_value_t = false, action = clap::ArgAction::Set)]
    pub hsts: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseSettings {
    /// `sqlite:<file>` (created if missing) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:data/tidbok.db")]
    pub database_url: String,
    /// Database connections in the pool.
    #[arg(long, env = "TIDBOK_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,
    /// How long a request waits for a database connection, in milliseconds.
    #[arg(long, env = "TIDBOK_DB_ACQUIRE_TIMEOUT_MS", default_value_t = 3000)]
    pub db_acquire_timeout_ms: u64,
    /// Statement timeout (PostgreSQL) or busy timeout (SQLite), in milliseconds.
    #[arg(long, env = "TIDBOK_DB_STATEMENT_TIMEOUT_MS", default_value_t = 10000)]
    pub db_statement_timeout_ms: u64,
}

impl DatabaseSettings {
    pub fn store_config(&self) -> StoreConfig {
        StoreConfig {
            url: self.database_url.clone(),
            max_connections: self.db_max_connections,
            acquire_timeout: Duration::from_millis(self.db_acquire_timeout_ms),
            statement_timeout: Duration::from_millis(self.db_statement_timeout_ms),
        }
    }
}

impl Settings {
    /// Settings for tests and tools: everything at its default but the
    /// database, an ephemeral port and two workers.
    pub fn for_database(url: &str) -> Self {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Wrapper {
            #[command(flatten)]
            settings: Settings,
        }
        let mut s = Wrapper::parse_from(["tidbok"]).settings;
        s.database.database_url = url.to_owned();
        s.port = 0;
        s.workers = Some(2);
        s
    }
}

/// How notifications leave the building.
#[derive(Debug, Clone, clap::Args)]
pub struct DeliverySettings {
    /// Run the outbox worker in this process (any number of processes may).
    #[arg(long, env = "TIDBOK_OUTBOX_WORKER", default_value_t = true, action = clap::ArgAction::Set)]
    pub outbox_worker: bool,
    /// SMTP server for e-mail, e.g. `smtp://user:pass@mail.example:587?tls=required`.
    #[arg(long, env = "TIDBOK_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Sender of e-mail.
    #[arg(long, env = "TIDBOK_MAIL_FROM", default_value = "Tidbok <no-reply@tidbok.invalid>")]
    pub mail_from: String,
    /// SMS gateway endpoint (POST, JSON).
    #[arg(long, env = "TIDBOK_SMS_URL")]
    pub sms_url: Option<String>,
    /// Bearer key for the SMS gateway.
    #[arg(long, env = "TIDBOK_SMS_KEY", default_value = "", hide_env_values = true)]
    pub sms_key: String,
    /// Sender name or number of SMS.
    #[arg(long, env = "TIDBOK_SMS_SENDER", default_value = "Tidbok")]
    pub sms_sender: String,
    /// How long a worker holds a claimed delivery before another may take it
    /// over (a worker that died mid-send is noticed after this).
    #[arg(long, env = "TIDBOK_OUTBOX_LEASE_SECONDS", default_value_t = 60)]
    pub lease_seconds: u32,
    /// Where residents reach the web app: the links in reminders point there.
    #[arg(long, env = "TIDBOK_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
    /// Write messages of channels without SMTP or SMS gateway as files here
    /// (what `make run` does, into `data/outbox`).
    #[arg(long, env = "TIDBOK_OUTBOX_DIR")]
    pub outbox_dir: Option<String>,
    /// Attempts before a delivery is given up (dead).
    #[arg(long, env = "TIDBOK_DELIVERY_MAX_ATTEMPTS", default_value_t = 8)]
    pub max_attempts: u32,
    /// How often an idle worker looks for due deliveries, in milliseconds.
    #[arg(long, env = "TIDBOK_OUTBOX_POLL_MS", default_value_t = 1000)]
    pub poll_ms: u64,
    /// The local (Stockholm) hours in which offers of an earlier time are
    /// made, `FROM-UNTIL` in whole hours (rule 15); a slot freed outside them
    /// is offered when they open, if still free.
    #[arg(long, env = "TIDBOK_OFFER_HOURS", default_value = "8-21", value_parser = parse_offer_hours)]
    pub offer_hours: tidbok_domain::waitlist::OfferWindow,
}

fn parse_offer_hours(text: &str) -> Result<tidbok_domain::waitlist::OfferWindow, String> {
    tidbok_domain::waitlist::OfferWindow::parse(text)
        .ok_or_else(|| "whole hours FROM-UNTIL with 0 <= FROM < UNTIL <= 24, e.g. 8-21".to_owned())
}
