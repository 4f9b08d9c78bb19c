//! Tidbok's domain: the values of the appointment book, the booking rules of
//! `docs/domain.md` as pure functions, the resident use cases, and the port traits
//! the store implements.
//!
//! Nothing in this crate performs I/O or knows about HTTP or SQL; time comes in
//! as an argument (`now`) or through the [`ports::Clock`] port, so every rule can
//! be tested at an exact instant.
#![forbid(unsafe_code)]

pub mod calendar;
pub mod guardians;
pub mod holidays;
pub mod ids;
pub mod invitations;
pub mod model;
pub mod notify;
pub mod pnr;
pub mod ports;
pub mod reminders;
pub mod rules;
pub mod schedule;
pub mod staff;
pub mod text;
pub mod time;
pub mod usecases;
pub mod waitlist;

pub use ids::*;
pub use model::*;
pub use pnr::{PersonalIdentityNumber, PnrError};
pub use text::*;
