//! Tidbok's REST API: actix-web handlers over the domain's use cases, the
//! OpenAPI contract generated from them (utoipa), bearer-token auth, RFC 9457
//! problem responses, structured logs without personal data, and the demo
//! data of `make run`.
#![forbid(unsafe_code)]

pub mod auth;
pub mod caller;
pub mod config;
pub mod dto;
pub mod dto_guardians;
pub mod dto_invitations;
pub mod dto_staff;
pub mod dto_waitlist;
pub mod extract;
pub mod http;
pub mod idempotency;
pub mod notifications;
pub mod openapi;
pub mod problem;
pub mod routes;
pub mod seed;
pub mod selection;
pub mod startup;
pub mod state;
pub mod summons;
pub mod telemetry;
pub mod terms;
