//! The resident's inbox (inkorg) and how it reaches them: their messages,
//! reading one, whether a booking was ever told of, and the contact details
//! and notification choices the outbox sends to.

use crate::columns::{self, Columns};
use crate::error::db_error;
use crate::query::query;
use crate::SqlStore;
use chrono::{DateTime, Utc};
use tidbok_domain::ports::{InboxRepository, StoreResult};
use tidbok_domain::*;

macro_rules! message_cols {
    () => {
        "m.id AS m_id, m.resident_id AS m_resident_id, m.booking_id AS m_booking_id, m.kind AS m_kind, \
         m.subject AS m_subject, m.body AS m_body, m.created_at AS m_created_at, m.read_at AS m_read_at"
    };
}

/// The resident's messages, leaving out those about bookings the portal no
/// longer shows (hidden in the portal after the message went out; rule 21).
const INBOX: &str = concat!(
    "SELECT ",
    message_cols!(),
    " FROM inbox_messages m WHERE m.resident_id = $1 \
       AND NOT EXISTS (SELECT 1 FROM bookings hb \
                         JOIN slots hs ON hs.id = hb.slot_id \
                         JOIN appointment_types ht ON ht.id = hs.appointment_type_id \
                        WHERE hb.id = m.booking_id \
                          AND (hb.hidden_in_portal OR ht.portal_policy = 'hidden')) \
     ORDER BY m.created_at DESC, m.id LIMIT 200"
);
const INBOX_MESSAGE: &str = concat!("SELECT ", message_cols!(), " FROM inbox_messages m WHERE m.id = $1");
const MARK_READ: &str = "UPDATE inbox_messages SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND resident_id = $2";
const WAS_NOTIFIED: &str = "SELECT COUNT(*) AS n FROM inbox_messages WHERE booking_id = $1";
const UPDATE_CONTACT: &str = "UPDATE residents SET phone = $2, email = $3, notify_sms = $4, notify_email = $5, \
     remind_sms = $6, remind_email = $7 WHERE id = $1";

#[async_trait::async_trait]
impl InboxRepository for SqlStore {
    async fn inbox(&self, resident: ResidentId) -> StoreResult<Vec<InboxMessage>> {
        query(INBOX)
            .bind(resident.as_uuid())
            .all(&self.db, columns::inbox_message)
            .await
    }

    async fn inbox_message(&self, id: uuid::Uuid) -> StoreResult<Option<InboxMessage>> {
        query(INBOX_MESSAGE)
            .bind(id)
            .optional(&self.db, columns::inbox_message)
            .await
    }

    async fn mark_read(&self, id: uuid::Uuid, resident: ResidentId, at: DateTime<Utc>) -> StoreResult<bool> {
        let changed = query(MARK_READ)
            .bind(id)
            .bind(resident.as_uuid())
            .bind(at)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(changed > 0)
    }

    async fn was_notified(&self, booking: BookingId) -> StoreResult<bool> {
        let row = query(WAS_NOTIFIED)
            .bind(booking.as_uuid())
            .fetch_one(&self.db)
            .await
            .map_err(db_error)?;
        Ok(row.count("n").map_err(db_error)? > 0)
    }

    async fn update_contact(
        &self,
        resident: ResidentId,
        phone: Option<&str>,
        email: Option<&str>,
        notifications: NotificationChoices,
        reminders: NotificationChoices,
    ) -> StoreResult<()> {
        query(UPDATE_CONTACT)
            .bind(resident.as_uuid())
            .bind(phone)
            .bind(email)
            .bind(notifications.sms)
            .bind(notifications.email)
            .bind(reminders.sms)
            .bind(reminders.email)
            .execute(&self.db)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
