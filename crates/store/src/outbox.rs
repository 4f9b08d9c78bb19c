//! The outbox: deliveries (e-mail, SMS) claimed by a worker for a lease,
//! settled only by the worker that holds the claim.

use crate::backend::Backend;
use crate::columns::{self, Columns};
use crate::error::db_error;
use crate::query::query;
use crate::retry::retrying;
use crate::SqlStore;
use chrono::{DateTime, Utc};
use tidbok_domain::ports::{OutboxEntry, OutboxRepository, OutboxStatus, StoreResult};
use tidbok_domain::Channel;

/// Due rows, claimed in one statement. The backends differ in one clause:
/// PostgreSQL skips rows another worker's transaction holds (`SKIP
/// LOCKED`); SQLite has one writer at a time and no such clause.
const CLAIM_DUE_POSTGRES: &str = "UPDATE outbox SET claimed_by = $1, claimed_until = $3, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                  AND (claimed_until IS NULL OR claimed_until < $2) \
                  ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
     RETURNING id, message_id, channel, recipient, subject, body, attempts";
const CLAIM_DUE_SQLITE: &str = "UPDATE outbox SET claimed_by = $1, claimed_until = $3, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                  AND (claimed_until IS NULL OR claimed_until < $2) \
                  ORDER BY next_attempt_at LIMIT $4) \
     RETURNING id, message_id, channel, recipient, subject, body, attempts";
const MARK_SENT: &str = "UPDATE outbox SET status = 'sent', sent_at = $3, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status = 'pending'";
const MARK_RETRY: &str = "UPDATE outbox SET last_error = $3, next_attempt_at = $4, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status = 'pending'";
const MARK_DEAD: &str = "UPDATE outbox SET status = 'dead', last_error = $3, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status = 'pending'";
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

    async fn mark_sent(&self, id: uuid::Uuid, worker: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
        let changed = query(MARK_SENT)
            .bind(id)
            .bind(worker)
            .bind(at)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(changed > 0)
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
                let status = match r.text("status")?.as_str() {
                    "pending" => OutboxStatus::Pending,
                    "sent" => OutboxStatus::Sent,
                    _ => OutboxStatus::Dead,
                };
                let channel: Channel = r
                    .text("channel")?
                    .parse()
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                Ok((channel, status, r.int("attempts")?.max(0) as u32))
            })
            .await
    }
}
