//! The outbox: deliveries (e-mail, SMS) claimed by a worker for a lease,
//! settled only by the worker that holds the claim. Two kinds of row: a
//! notice carries its text and recipient; a reminder (rule 14) names its
//! booking and the start it reminds of, and is written when due; an offer
//! of an earlier time (rule 15) names its hold, and is written when sent.
//!
//! A row goes `pending` → (claimed) → `sending` → `sent`, or back to
//! `pending` for a retry, or `dead`. `sending` is entered by one conditional
//! update just before the transport is called ([`BEGIN_SEND`]); a booking
//! change cancels only `pending` reminders, so a row is never both sent and
//! cancelled. A worker that dies while `sending` lets its lease run out and
//! the row is claimed again (at least once; the row id goes along as the
//! receiver's deduplication key).

use crate::backend::Backend;
use crate::columns::{self, Columns};
use crate::error::db_error;
use crate::query::{query, Row, Tx};
use crate::retry::retrying;
use crate::SqlStore;
use chrono::{DateTime, Utc};
use tidbok_domain::ports::{OutboxEntry, OutboxRepository, OutboxStatus, ReminderRow, StoreResult};
use tidbok_domain::{BookingId, Channel, PlannedReminder};

/// Due rows, claimed in one statement. The backends differ in one clause:
/// PostgreSQL skips rows another worker's transaction holds (`SKIP
/// LOCKED`); SQLite has one writer at a time and no such clause.
const CLAIM_DUE_POSTGRES: &str = "UPDATE outbox SET claimed_by = $1, claimed_until = $3, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= $2 \
                  AND (claimed_until IS NULL OR claimed_until < $2) \
                  ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
     RETURNING id, kind, message_id, channel, recipient, subject, body, attempts, booking_id, visit_starts_at, calendar, hold_id";
const CLAIM_DUE_SQLITE: &str = "UPDATE outbox SET claimed_by = $1, claimed_until = $3, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= $2 \
                  AND (claimed_until IS NULL OR claimed_until < $2) \
                  ORDER BY next_attempt_at LIMIT $4) \
     RETURNING id, kind, message_id, channel, recipient, subject, body, attempts, booking_id, visit_starts_at, calendar, hold_id";
/// The last word before a transport is called: a reminder goes out only
/// while its booking is still booked at the start it reminds of, an offer
/// only while its hold is live.
const BEGIN_SEND: &str = "UPDATE outbox SET status = 'sending' \
     WHERE id = $1 AND claimed_by = $2 AND status IN ('pending', 'sending') \
       AND (kind = 'notice' \
         OR (kind = 'reminder' AND EXISTS (SELECT 1 FROM bookings b WHERE b.id = outbox.booking_id \
            AND b.status = 'booked' AND b.starts_at = outbox.visit_starts_at AND NOT b.hidden_in_portal)) \
         OR (kind = 'offer' AND EXISTS (SELECT 1 FROM holds h WHERE h.id = outbox.hold_id AND h.status = 'held')))";
const CANCEL_CLAIMED: &str = "UPDATE outbox SET status = 'cancelled', claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status IN ('pending', 'sending')";
const MARK_SKIPPED: &str = "UPDATE outbox SET status = 'skipped', sent_at = $3, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status IN ('pending', 'sending')";
const MARK_SENT: &str = "UPDATE outbox SET status = 'sent', sent_at = $3, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status IN ('pending', 'sending')";
const MARK_RETRY: &str =
    "UPDATE outbox SET status = 'pending', last_error = $3, next_attempt_at = $4, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status IN ('pending', 'sending')";
const MARK_DEAD: &str = "UPDATE outbox SET status = 'dead', last_error = $3, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status IN ('pending', 'sending')";
/// A booking change cancels the booking's reminders not yet being sent.
pub(crate) const CANCEL_REMINDERS: &str = "UPDATE outbox SET status = 'cancelled', claimed_until = NULL \
     WHERE booking_id = $1 AND kind = 'reminder' AND status = 'pending'";
const INSERT_REMINDER: &str = "INSERT INTO outbox \
     (id, kind, booking_id, visit_starts_at, channel, status, attempts, next_attempt_at, created_at) \
     VALUES ($1, 'reminder', $2, $3, $4, 'pending', 0, $5, $6)";
const REMINDERS: &str = "SELECT id, channel, next_attempt_at, visit_starts_at, status, sent_at FROM outbox \
     WHERE booking_id = $1 AND kind = 'reminder' ORDER BY next_attempt_at, channel";
const DELIVERIES: &str = "SELECT channel, status, attempts FROM outbox WHERE message_id = $1 ORDER BY channel";

#[async_trait::async_trait]
impl OutboxRepository for SqlStore {
    async fn claim_due(
        &self,
        worker: uuid::Uuid,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: u32,
    ) -> StoreResult<Vec<OutboxEntry>> {
        let claim_due = match self.db {
            Backend::Sqlite(_) => CLAIM_DUE_SQLITE,
            Backend::Postgres(_) => CLAIM_DUE_POSTGRES,
        };
        let rows = retrying("claim_due", || async {
            Ok(query(claim_due)
                .bind(worker)
                .bind(now)
                .bind(now + lease)
                .bind(i64::from(limit))
                .fetch_all(&self.db)
                .await?)
        })
        .await?;
        rows.iter()
            .map(|r| columns::outbox_entry(r).map_err(db_error))
            .collect()
    }

    async fn begin_send(&self, id: uuid::Uuid, worker: uuid::Uuid) -> StoreResult<bool> {
        let began = query(BEGIN_SEND)
            .bind(id)
            .bind(worker)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        if began == 0 {
            query(CANCEL_CLAIMED)
                .bind(id)
                .bind(worker)
                .execute(&self.db)
                .await
                .map_err(db_error)?;
        }
        Ok(began > 0)
    }

    async fn mark_skipped(&self, id: uuid::Uuid, worker: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
        self.settle_at(MARK_SKIPPED, id, worker, at).await
    }

    async fn mark_sent(&self, id: uuid::Uuid, worker: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
        self.settle_at(MARK_SENT, id, worker, at).await
    }

    async fn mark_failed(
        &self,
        id: uuid::Uuid,
        worker: uuid::Uuid,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<bool> {
        let settle = match retry_at {
            Some(at) => query(MARK_RETRY).bind(id).bind(worker).bind(error).bind(at),
            None => query(MARK_DEAD).bind(id).bind(worker).bind(error),
        };
        let changed = settle.execute(&self.db).await.map_err(db_error)?;
        Ok(changed > 0)
    }

    async fn deliveries(&self, message_id: uuid::Uuid) -> StoreResult<Vec<(Channel, OutboxStatus, u32)>> {
        query(DELIVERIES)
            .bind(message_id)
            .all(&self.db, |r| {
                Ok((channel(r)?, status(r)?, r.int("attempts")?.max(0) as u32))
            })
            .await
    }

    async fn reminders(&self, booking: BookingId) -> StoreResult<Vec<ReminderRow>> {
        query(REMINDERS)
            .bind(booking.as_uuid())
            .all(&self.db, |r| {
                Ok(ReminderRow {
                    id: r.uuid("id")?,
                    channel: channel(r)?,
                    due: r.instant("next_attempt_at")?,
                    visit_starts_at: r.instant("visit_starts_at")?,
                    status: status(r)?,
                    sent_at: r.opt_instant("sent_at")?,
                })
            })
            .await
    }
}

impl SqlStore {
    /// Settles a claimed row with one of the statements taking (id, worker,
    /// at); false when the claim was lost.
    async fn settle_at(
        &self,
        statement: &str,
        id: uuid::Uuid,
        worker: uuid::Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let changed = query(statement)
            .bind(id)
            .bind(worker)
            .bind(at)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(changed > 0)
    }
}

/// Plans reminders inside a booking change's transaction.
pub(crate) async fn insert_reminders(tx: &mut Tx, reminders: &[PlannedReminder]) -> sqlx::Result<()> {
    for r in reminders {
        query(INSERT_REMINDER)
            .bind(r.id)
            .bind(r.booking_id.as_uuid())
            .bind(r.visit_starts_at)
            .bind(r.channel.as_str())
            .bind(r.at)
            .bind(r.planned_at)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Cancels a booking's pending reminders inside its change's transaction.
pub(crate) async fn cancel_reminders(tx: &mut Tx, booking: BookingId) -> sqlx::Result<()> {
    query(CANCEL_REMINDERS).bind(booking.as_uuid()).execute(tx).await?;
    Ok(())
}

fn channel(r: &Row) -> sqlx::Result<Channel> {
    r.text("channel")?.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn status(r: &Row) -> sqlx::Result<OutboxStatus> {
    Ok(match r.text("status")?.as_str() {
        "pending" => OutboxStatus::Pending,
        "sending" => OutboxStatus::Sending,
        "sent" => OutboxStatus::Sent,
        "cancelled" => OutboxStatus::Cancelled,
        "skipped" => OutboxStatus::Skipped,
        _ => OutboxStatus::Dead,
    })
}
