//! Notifications: the message texts (templates) and the outbox worker that
//! delivers them by e-mail and SMS.

pub mod compose;
pub mod deliver;
pub mod worker;
