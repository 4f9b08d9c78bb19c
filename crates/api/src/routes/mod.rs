//! The routes, registered through utoipa-actix-web so the contract is built
//! from the real handlers.

pub mod dev;
pub mod fallback;
pub mod health;
pub mod resident;

use utoipa_actix_web::service_config::ServiceConfig;

/// Every documented route. Used by the server and by `tidbok openapi`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(
        utoipa_actix_web::scope("/api/v1")
            .service(resident::list_units)
            .service(resident::get_unit)
            .service(resident::list_appointment_types)
            .service(resident::available_dates)
            .service(resident::free_slots)
            .service(resident::book)
            .service(resident::my_bookings)
            .service(resident::my_booking)
            .service(resident::cancel)
            .service(resident::rebook_targets)
            .service(resident::rebook)
            .service(dev::personas)
            .service(dev::login),
    );
}
