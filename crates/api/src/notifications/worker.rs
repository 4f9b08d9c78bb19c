//! The outbox worker: claims due deliveries, sends them, and settles each as
//! sent, retried later (exponential backoff) or dead after the last attempt.
//! A reminder (rule 14) is written when it comes due, from the booking and
//! the resident as they are then, and is skipped when the resident has
//! switched its channel off; just before any row goes to its transport the
//! store moves it to `sending`, which a reminder passes only while its booking
//! is still booked at the time it reminds of.
//! Claims are leases, so any number of workers in any number of server
//! processes can run at once without sending a row twice; a worker that dies
//! mid-send lets its lease expire and another picks the row up.

use super::deliver::{DeliveryError, Transport};
use chrono::Duration;
use std::sync::Arc;
use tidbok_domain::notify::retry_delay;
use tidbok_domain::ports::{Clock, OutboxEntry, OutboxPayload, Outgoing, Store};
use tidbok_domain::usecases::resident::{DueReminder, ResidentPortal};
use tidbok_domain::Channel;

pub struct OutboxWorker {
    pub id: uuid::Uuid,
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// Writes reminders as they come due.
    pub portal: ResidentPortal,
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

    /// One round: settle holds that have run out and make the offers due
    /// (rules 15–16), then claim a batch and deliver it. Returns how many
    /// deliveries were claimed.
    pub async fn tick(&self) -> Result<usize, tidbok_domain::ports::StoreError> {
        match self.portal.sweep_holds(self.batch).await {
            Ok((0, 0)) => {}
            Ok((settled, offered)) => tracing::info!(settled, offered, "holds settled and offers made"),
            Err(e) => tracing::warn!(error = %e, "could not sweep the holds; will retry"),
        }
        let now = self.clock.now();
        let entries = self.store.claim_due(self.id, now, self.lease, self.batch).await?;
        for entry in &entries {
            self.deliver(entry).await;
        }
        Ok(entries.len())
    }

    async fn deliver(&self, entry: &OutboxEntry) {
        let message = match &entry.payload {
            OutboxPayload::Notice(message) => message.clone(),
            OutboxPayload::Reminder { .. } | OutboxPayload::Offer { .. } => {
                let due = match &entry.payload {
                    OutboxPayload::Reminder { booking_id, .. } => {
                        self.portal.due_reminder(entry.id, entry.channel, *booking_id).await
                    }
                    OutboxPayload::Offer { hold_id } => self.portal.due_offer(entry.id, entry.channel, *hold_id).await,
                    OutboxPayload::Notice(_) => unreachable!("matched above"),
                };
                match due {
                    Ok(DueReminder::Send(message)) => message,
                    Ok(DueReminder::Skip) => {
                        let settled = self.store.mark_skipped(entry.id, self.id, self.clock.now()).await;
                        log_settled(entry, "skipped (channel off, no address, or no longer due)", settled);
                        return;
                    }
                    Err(e) => {
                        let retry_at = Some(self.clock.now() + retry_delay(entry.attempts));
                        let settled = self
                            .store
                            .mark_failed(entry.id, self.id, "could not write the message", retry_at)
                            .await;
                        tracing::warn!(delivery = %entry.id, error = %e, "could not write a reminder; will retry");
                        log_settled(entry, "to be retried", settled);
                        return;
                    }
                }
            }
        };
        match self.store.begin_send(entry.id, self.id).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!(delivery = %entry.id, "not sent: cancelled, or its booking has changed");
                return;
            }
            Err(e) => {
                tracing::warn!(delivery = %entry.id, error = %e, "could not start a delivery; the lease will bring it back");
                return;
            }
        }
        self.send(entry, &message).await;
    }

    async fn send(&self, entry: &OutboxEntry, message: &Outgoing) {
        let transport = match entry.channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
        };
        let outcome = match transport {
            Some(t) => t.send(message).await,
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

fn log_settled(entry: &OutboxEntry, what: &str, settled: Result<bool, tidbok_domain::ports::StoreError>) {
    match settled {
        Ok(true) => tracing::info!(delivery = %entry.id, channel = %entry.channel, "reminder {what}"),
        Ok(false) => tracing::warn!(delivery = %entry.id, "lost the claim before settling (lease expired)"),
        Err(e) => tracing::error!(delivery = %entry.id, error = %e, "could not record the delivery outcome"),
    }
}
