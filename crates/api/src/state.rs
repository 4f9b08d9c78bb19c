//! What every handler shares: the store, the use cases, the clock, the
//! authenticator, the dev login and the rate limits.

use crate::auth::{Authenticator, DevSigner, VerificationKey};
use crate::config::Settings;
use crate::problem::{ApiError, ProblemType};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use tidbok_domain::notify::Composer;
use tidbok_domain::ports::{Clock, Store, SystemClock};
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
}

impl AppState {
    pub fn build(settings: &Settings, store: Arc<dyn Store>) -> anyhow::Result<Self> {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let mut keys = Vec::new();
        if let Some(path) = &settings.jwt_public_key_file {
            keys.push(VerificationKey::from_pem_file(path)?);
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
        let composer: Arc<dyn Composer> = Arc::new(crate::notifications::compose::TemplateComposer::swedish());
        Ok(Self {
            portal: ResidentPortal::new(store.clone(), clock.clone(), composer.clone()),
            desk: StaffDesk::new(store.clone(), clock.clone(), composer),
            admin: AdminConsole::new(store.clone(), clock.clone()),
            store,
            clock,
            auth,
            dev_login,
            limits: Limits::new(settings.login_per_minute, settings.bookings_per_minute),
        })
    }
}

/// Per-client rate limits (token buckets, refilled per minute).
pub struct Limits {
    login: DefaultKeyedRateLimiter<IpAddr>,
    booking: DefaultKeyedRateLimiter<ResidentId>,
}

impl Limits {
    pub fn new(login_per_minute: u32, bookings_per_minute: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            login: RateLimiter::keyed(quota(login_per_minute)),
            booking: RateLimiter::keyed(quota(bookings_per_minute)),
        }
    }

    pub fn login(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.login
            .check_key(&ip)
            .map_err(|wait| limited(wait.wait_time_from(DefaultClock::default().now())))
    }

    pub fn booking(&self, resident: ResidentId) -> Result<(), ApiError> {
        self.booking
            .check_key(&resident)
            .map_err(|wait| limited(wait.wait_time_from(DefaultClock::default().now())))
    }
}

fn limited(wait: std::time::Duration) -> ApiError {
    ApiError::new(ProblemType::RateLimited)
        .detail("Too many requests. Wait a moment and try again.")
        .retry_after(wait.as_secs() + 1)
}
