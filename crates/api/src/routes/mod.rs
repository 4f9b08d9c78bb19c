//! The routes, registered through utoipa-actix-web so the contract is built
//! from the real handlers.

pub mod admin;
pub mod dev;
pub mod earlier_time;
pub mod fallback;
pub mod guardians;
pub mod health;
pub mod invitations;
pub mod me;
pub mod resident;
pub mod staff;

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
            .service(resident::my_booking_calendar)
            .service(resident::cancel)
            .service(resident::rebook_targets)
            .service(resident::rebook_dates)
            .service(resident::rebook)
            .service(earlier_time::my_earlier_times)
            .service(earlier_time::get_earlier_time)
            .service(earlier_time::put_earlier_time)
            .service(earlier_time::delete_earlier_time)
            .service(earlier_time::my_offers)
            .service(earlier_time::accept_offer)
            .service(earlier_time::decline_offer)
            .service(invitations::my_invitations)
            .service(invitations::my_invitation)
            .service(invitations::invitation_dates)
            .service(invitations::invitation_slots)
            .service(invitations::book_invited)
            .service(me::inbox)
            .service(me::message)
            .service(me::mark_read)
            .service(me::settings)
            .service(me::update_settings)
            .service(me::access_log)
            .service(guardians::my_children)
            .service(guardians::get_age_limit)
            .service(guardians::put_age_limit)
            .service(guardians::get_register)
            .service(guardians::import_register)
            .service(staff::me)
            .service(staff::practitioners)
            .service(staff::unit_catalogue)
            .service(staff::appointment_book)
            .service(staff::book_resident)
            .service(staff::look_up_resident)
            .service(staff::get_booking)
            .service(staff::set_hidden)
            .service(staff::rebook)
            .service(staff::cancel)
            .service(staff::arrived)
            .service(staff::entered_in_error)
            .service(staff::summons)
            .service(staff::cancellations)
            .service(staff::get_template)
            .service(staff::put_template)
            .service(staff::publish)
            .service(staff::change_day)
            .service(staff::empty_day)
            .service(staff::restore_day)
            .service(staff::schedule_settings)
            .service(staff::put_schedule_settings)
            .service(earlier_time::unit_waitlist)
            .service(invitations::invite)
            .service(invitations::unit_invitations)
            .service(staff::horizon)
            .service(staff::region_horizon)
            .service(admin::list_types)
            .service(admin::create_type)
            .service(admin::update_type)
            .service(admin::get_region)
            .service(admin::update_region)
            .service(admin::update_region_reminders)
            .service(earlier_time::get_offer_hold)
            .service(earlier_time::put_offer_hold)
            .service(admin::unit_reminders)
            .service(admin::put_unit_reminders)
            .service(admin::services)
            .service(admin::set_up_service)
            .service(admin::update_terms)
            .service(admin::preview_terms)
            .service(admin::set_activation)
            .service(admin::import_selection)
            .service(admin::access_log)
            .service(dev::personas)
            .service(dev::login),
    );
}
