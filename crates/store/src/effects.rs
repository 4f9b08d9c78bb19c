//! What a change writes beside itself, in its own transaction: the
//! resident's inbox message, its outbox rows (one per channel), the
//! access-log lines of the staff who made it (rule 10), and the reminders of
//! the booking it makes (rule 14).
//!
//! PostgreSQL's online booking writes the same rows from inside its one
//! statement (`booking/online.rs`); these are the statements every other
//! change, and SQLite's online booking, run.

use crate::query::{query, Tx};
use tidbok_domain::{AccessLogEntry, Effects};

const INSERT_INBOX: &str = "INSERT INTO inbox_messages \
     (id, resident_id, booking_id, kind, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const INSERT_OUTBOX: &str = "INSERT INTO outbox \
     (id, message_id, channel, recipient, subject, body, status, attempts, next_attempt_at, created_at, calendar) \
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $8)";
const INSERT_ACCESS: &str = "INSERT INTO access_log \
     (id, at, actor_id, actor_role, actor_name, unit_id, action, resident_id, booking_id) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Writes a change's effects inside its transaction.
pub(crate) async fn write_effects(tx: &mut Tx, effects: &Effects) -> sqlx::Result<()> {
    if let Some(notice) = &effects.notice {
        let m = &notice.message;
        query(INSERT_INBOX)
            .bind(m.id)
            .bind(m.resident_id.as_uuid())
            .bind(m.booking_id.map(|b| b.as_uuid()))
            .bind(m.kind.as_str())
            .bind(&m.subject)
            .bind(&m.body)
            .bind(m.created_at)
            .execute(&mut *tx)
            .await?;
        for d in &notice.deliveries {
            query(INSERT_OUTBOX)
                .bind(d.id)
                .bind(m.id)
                .bind(d.channel.as_str())
                .bind(&d.recipient)
                .bind(&d.subject)
                .bind(&d.body)
                .bind(m.created_at)
                .bind(&d.calendar)
                .execute(&mut *tx)
                .await?;
        }
    }
    for a in &effects.access {
        insert_access(tx, a).await?;
    }
    crate::outbox::insert_reminders(tx, &effects.reminders).await
}

/// Appends one access-log line.
pub(crate) async fn insert_access(tx: &mut Tx, a: &AccessLogEntry) -> sqlx::Result<()> {
    query(INSERT_ACCESS)
        .bind(a.id)
        .bind(a.at)
        .bind(a.actor_id)
        .bind(a.actor_role.as_str())
        .bind(&a.actor_name)
        .bind(a.unit_id.map(|u| u.as_uuid()))
        .bind(a.action.as_str())
        .bind(a.resident_id.as_uuid())
        .bind(a.booking_id.map(|b| b.as_uuid()))
        .execute(tx)
        .await?;
    Ok(())
}
