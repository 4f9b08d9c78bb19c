//! The outbox worker: claims due deliveries, sends them, and settles each as
//! sent, retried later (exponential backoff) or dead after the last attempt.
//! Claims are leases, so any number of workers in any number of server
//! processes can run at once without sending a row twice; a worker that dies
//! mid-send lets its lease expire and another picks the row up.

use super::deliver::{DeliveryError, Transport};
use chrono::Duration;
use std::sync::Arc;
use tidbok_domain::notify::retry_delay;
use tidbok_domain::ports::{Clock, OutboxEntry, Store};
use tidbok_domain::Channel;

pub struct OutboxWorker {
    pub id: uuid::Uuid,
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub email: Option<Arc<dyn Transport>>,
    pub sms: Option<Arc<dyn Transport>>,
    pub max_attempts: u32,
    pub lease: Duration,
    pub batch: u32,
    pub poll: std::time::Duration,
}

impl OutboxWorker {
    /// Runs until the process ends.
    pub async fn run(self) {
        tracing::info!(worker = %self.id, "outbox worker started");
        loop {
            match self.tick().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox worker could not claim; will retry"),
            }
            tokio::time::sleep(self.poll).await;
        }
    }

    /// One round: claim a batch and deliver it. Returns how many were claimed.
    pub async fn tick(&self) -> Result<usize, tidbok_domain::ports::StoreError> {
        let now = self.clock.now();
        let entries = self.store.claim_due(self.id, now, self.lease, self.batch).await?;
        for entry in &entries {
            self.deliver(entry).await;
        }
        Ok(entries.len())
    }

    async fn deliver(&self, entry: &OutboxEntry) {
        let transport = match entry.channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
        };
        let outcome = match transport {
            Some(t) => t.send(entry).await,
            None => Err(DeliveryError::Temporary(format!(
                "no {} transport configured",
                entry.channel
            ))),
        };
        let now = self.clock.now();
        let settled = match &outcome {
            Ok(()) => self.store.mark_sent(entry.id, self.id, now).await,
            Err(e) => {
                let retry_at = match e {
                    DeliveryError::Temporary(_) if entry.attempts < self.max_attempts => {
                        Some(now + retry_delay(entry.attempts))
                    }
                    _ => None,
                };
                self.store
                    .mark_failed(entry.id, self.id, &e.to_string(), retry_at)
                    .await
            }
        };
        match (&outcome, settled) {
            (Ok(()), Ok(true)) => tracing::info!(delivery = %entry.id, channel = %entry.channel, "delivered"),
            (Err(e), Ok(true)) => {
                tracing::warn!(delivery = %entry.id, channel = %entry.channel, attempt = entry.attempts, error = %e, "delivery failed")
            }
            (_, Ok(false)) => tracing::warn!(delivery = %entry.id, "lost the claim before settling (lease expired)"),
            (_, Err(e)) => tracing::error!(delivery = %entry.id, error = %e, "could not record the delivery outcome"),
        }
    }
}
