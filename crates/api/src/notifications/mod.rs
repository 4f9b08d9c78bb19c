//! Notifications: the message texts (templates) and the outbox worker that
//! delivers them by e-mail and SMS, kept running by its supervisor.

pub mod calendar;
pub mod compose;
pub mod deliver;
pub mod supervisor;
pub mod worker;
