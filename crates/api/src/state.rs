//! What every handler shares: the store, the use cases, the clock, the
//! authenticator, the dev login and the rate limits.

use crate::auth::{Authenticator, DevSigner, VerificationKey};
use crate::config::Settings;
use crate::notifications::supervisor::WorkerStatus;
use crate::problem::{ApiError, ProblemType};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use tidbok_domain::notify::Composer;
use tidbok_domain::ports::{Clock, Store};
use tidbok_domain::usecases::{AdminConsole, ResidentPortal, StaffDesk};
use tidbok_domain::ResidentId;

pub struct AppState {
    pub store: Arc<dyn Store>,
    pub portal: ResidentPortal,
    pub desk: StaffDesk,
    pub admin: AdminConsole,
    pub clock: Arc<dyn Clock>,
    pub auth: Authenticator,
    pub dev_login: Option<DevSigner>,
    pub limits: Limits,
    /// The supervised outbox worker of this process, if it runs one.
    pub outbox: Option<Arc<WorkerStatus>>,
}

impl AppState {
    pub fn build(
        settings: &Settings,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        outbox: Option<Arc<WorkerStatus>>,
    ) -> anyhow::Result<Self> {
        let mut keys = Vec::new();
        if let Some(path) = &settings.jwt_public_key_file {
            let mut key = VerificationKey::from_pem_file(path)?;
            key.kid = settings.jwt_public_key_kid.clone();
            keys.push(key);
        }
        if let Some(path) = &settings.jwt_jwks_file {
            keys.extend(VerificationKey::from_jwks_file(path)?);
        }
        let mut auth = Authenticator::new(&settings.jwt_issuer, &settings.jwt_audience, keys);
        let dev_login = if settings.dev_login {
            let (signer, key) = DevSigner::generate(&settings.jwt_issuer, &settings.jwt_audience)?;
            auth.add_key(key);
            tracing::warn!("dev login is ON: anyone can log in as a demo persona; never use this in production");
            Some(signer)
        } else {
            None
        };
        if !auth.has_keys() {
            tracing::warn!("no token keys configured (TIDBOK_JWT_PUBLIC_KEY_FILE, TIDBOK_JWT_JWKS_FILE): every request needing a login will get 401");
        }
        let composer: Arc<dyn Composer> = Arc::new(
            crate::notifications::compose::TemplateComposer::swedish(&settings.delivery.public_url)
                .with_sender(&settings.delivery.mail_from),
        );
        Ok(Self {
            portal: ResidentPortal::new(store.clone(), clock.clone(), composer.clone())
                .with_booking_cap(Some(settings.max_active_bookings_per_type).filter(|n| *n > 0))
                // Rule 17: the shipped adapter reads the register table.
                .with_register(store.clone()),
            desk: StaffDesk::new(store.clone(), clock.clone(), composer),
            admin: AdminConsole::new(store.clone(), clock.clone()),
            store,
            clock,
            auth,
            dev_login,
            outbox,
            limits: Limits::new(
                settings.login_per_minute,
                settings.bookings_per_minute,
                settings.bookings_per_client_per_minute,
            ),
        })
    }
}

/// Rate limits (token buckets, refilled per minute), per resident (or
/// persona) and per client address.
pub struct Limits {
    login_client: DefaultKeyedRateLimiter<IpAddr>,
    login_persona: DefaultKeyedRateLimiter<String>,
    booking_resident: DefaultKeyedRateLimiter<ResidentId>,
    booking_client: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

fn check<K: std::hash::Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>, key: &K) -> Result<(), ApiError> {
    limiter
        .check_key(key)
        .map_err(|wait| limited(wait.wait_time_from(DefaultClock::default().now())))
}

impl Limits {
    pub fn new(login_per_minute: u32, bookings_per_minute: u32, bookings_per_client_per_minute: u32) -> Self {
        Self {
            login_client: RateLimiter::keyed(quota(login_per_minute)),
            login_persona: RateLimiter::keyed(quota(login_per_minute)),
            booking_resident: RateLimiter::keyed(quota(bookings_per_minute)),
            booking_client: RateLimiter::keyed(quota(bookings_per_client_per_minute)),
        }
    }

    pub fn login(&self, client: Option<IpAddr>, persona: &str) -> Result<(), ApiError> {
        if let Some(ip) = client {
            check(&self.login_client, &ip)?;
        }
        check(&self.login_persona, &persona.to_owned())
    }

    pub fn booking(&self, client: Option<IpAddr>, resident: ResidentId) -> Result<(), ApiError> {
        if let Some(ip) = client {
            check(&self.booking_client, &ip)?;
        }
        check(&self.booking_resident, &resident)
    }
}

fn limited(wait: std::time::Duration) -> ApiError {
    ApiError::new(ProblemType::RateLimited)
        .detail("Too many requests. Wait a moment and try again.")
        .retry_after(wait.as_secs() + 1)
}
