//! The bodies of the earlier-time endpoints (rules 15 and 16): a resident's
//! wish, offers with their holds, the unit's waitlist counts and the
//! region's hold length.

use crate::dto::SlotResponse;
use crate::problem::{ApiError, FieldCode};
use chrono::{DateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use tidbok_domain::waitlist::{
    EarlierTimeWish, Offer, WaitlistCount, WaitlistEntry, Weekdays, WishError, OFFER_HOLD_MINUTES,
};
use utoipa::ToSchema;
use uuid::Uuid;

/// What you will take instead of your booking: any earlier time of the same
/// type, length and practitioner (rule 5), optionally only on some weekdays
/// and not before a time of day (Stockholm time).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"weekdays": [1, 2, 3, 4, 5], "not_before": "09:00"}))]
pub struct EarlierTimeRequest {
    /// ISO weekdays, 1 = Monday … 7 = Sunday; absent: any day.
    #[schema(min_items = 1, max_items = 7)]
    pub weekdays: Option<Vec<u32>>,
    /// Not before this time of day, `HH:MM`; absent: any time.
    #[schema(example = "09:00")]
    pub not_before: Option<String>,
}

impl EarlierTimeRequest {
    pub fn wish(&self) -> Result<EarlierTimeWish, ApiError> {
        let weekdays = match &self.weekdays {
            None => Weekdays::ALL,
            Some(days) if days.len() > 7 => {
                return Err(ApiError::field("weekdays", FieldCode::Length, "at most 7 weekdays"))
            }
            Some(days) => Weekdays::from_iso(days).map_err(|e| match e {
                WishError::Weekday => {
                    ApiError::field("weekdays", FieldCode::Range, "weekdays are 1 (Monday) to 7 (Sunday)")
                }
                WishError::NoWeekday => ApiError::field("weekdays", FieldCode::Required, "at least one weekday"),
            })?,
        };
        let not_before = match &self.not_before {
            None => None,
            Some(t) => Some(
                NaiveTime::parse_from_str(t, "%H:%M")
                    .map_err(|_| ApiError::field("not_before", FieldCode::TimeFormat, "must be HH:MM"))?,
            ),
        };
        Ok(EarlierTimeWish { weekdays, not_before })
    }
}

/// Your wish for an earlier time for one booking, waiting in the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct EarlierTimeResponse {
    pub booking_id: Uuid,
    /// ISO weekdays, Monday = 1.
    pub weekdays: Vec<u32>,
    #[schema(example = "09:00")]
    pub not_before: Option<String>,
    /// When you asked: your place in the queue (first asked, first offered).
    pub asked_at: DateTime<Utc>,
}

impl From<WaitlistEntry> for EarlierTimeResponse {
    fn from(e: WaitlistEntry) -> Self {
        Self {
            booking_id: e.booking_id.as_uuid(),
            weekdays: e.wish.weekdays.iso(),
            not_before: e.wish.not_before.map(|t| format!("{:02}:{:02}", t.hour(), t.minute())),
            asked_at: e.asked_at,
        }
    }
}

/// An offer of an earlier time: a slot held for you until `expires_at`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferResponse {
    pub id: Uuid,
    /// Your booking that accepting would move.
    pub booking_id: Uuid,
    pub slot: SlotResponse,
    pub expires_at: DateTime<Utc>,
}

impl From<Offer> for OfferResponse {
    fn from(o: Offer) -> Self {
        Self {
            id: o.id.as_uuid(),
            booking_id: o.booking_id.as_uuid(),
            slot: o.slot.into(),
            expires_at: o.expires_at,
        }
    }
}

/// How many residents wait for an earlier time of one type with one
/// practitioner, and how many of them hold an offer now.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitlistCountResponse {
    pub appointment_type_id: Uuid,
    pub practitioner_id: Uuid,
    pub waiting: u32,
    pub offered: u32,
}

impl From<WaitlistCount> for WaitlistCountResponse {
    fn from(c: WaitlistCount) -> Self {
        Self {
            appointment_type_id: c.appointment_type_id.as_uuid(),
            practitioner_id: c.practitioner_id.as_uuid(),
            waiting: c.waiting,
            offered: c.offered,
        }
    }
}

/// How long an offer of an earlier time holds its slot (rule 16).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"minutes": 15}))]
pub struct OfferHoldSettings {
    /// 5 to 120 minutes; 15 unless the region sets it.
    #[schema(minimum = 5, maximum = 120)]
    pub minutes: u32,
}

impl OfferHoldSettings {
    pub fn checked(&self) -> Result<u32, ApiError> {
        if OFFER_HOLD_MINUTES.contains(&self.minutes) {
            Ok(self.minutes)
        } else {
            Err(ApiError::field("minutes", FieldCode::Range, "5 to 120 minutes"))
        }
    }
}
