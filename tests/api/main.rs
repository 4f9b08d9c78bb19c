//! API tests: each starts the real application on port 0 with a fresh
//! database, once on SQLite and once on PostgreSQL, and talks HTTP to it.

mod helpers;
mod sinks;

mod access;
mod admin;
mod auth;
mod authorization;
mod booking;
mod calendar;
mod contract;
mod earlier_time;
mod finished_flows;
mod fixed_time;
mod guardians;
mod http;
mod inputs;
mod invitations;
mod logs;
mod notifications;
mod operations;
mod reminders;
mod scheduling;
mod staff;
