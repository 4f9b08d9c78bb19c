//! The bodies of invitations to book (rule 19).

use crate::dto::NamedRef;
use crate::dto_staff::{ResidentRef, TypeRef};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tidbok_domain::invitations::{InvitationDetails, InvitationStatus};
use utoipa::ToSchema;
use uuid::Uuid;

/// Invite a resident to book one type at the unit, at a time inside the
/// window (Stockholm dates, both included).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"personal_identity_number": "19121212-1212", "appointment_type_id": "5f0c6a8e-3c1b-4f7a-9d2e-6b8a1c0d9e21", "valid_from": "2026-12-07", "valid_until": "2026-12-18"}))]
pub struct InviteRequest {
    pub personal_identity_number: String,
    pub appointment_type_id: Uuid,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatusName {
    /// Not used; its window has not ended.
    Open,
    /// Used by a booking.
    Used,
    /// Its window ended unused.
    Expired,
}

impl From<InvitationStatus> for InvitationStatusName {
    fn from(s: InvitationStatus) -> Self {
        match s {
            InvitationStatus::Open => Self::Open,
            InvitationStatus::Used => Self::Used,
            InvitationStatus::Expired => Self::Expired,
        }
    }
}

/// An invitation to book, as its resident sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationResponse {
    pub id: Uuid,
    pub unit: NamedRef,
    pub appointment_type: NamedRef,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: InvitationStatusName,
}

impl InvitationResponse {
    pub fn new(d: &InvitationDetails, today: NaiveDate) -> Self {
        Self {
            id: d.invitation.id.as_uuid(),
            unit: NamedRef {
                id: d.unit.id.as_uuid(),
                name: d.unit.name.clone(),
            },
            appointment_type: NamedRef {
                id: d.appointment_type.id.as_uuid(),
                name: d.appointment_type.name.clone(),
            },
            valid_from: d.invitation.valid_from,
            valid_until: d.invitation.valid_until,
            status: d.invitation.status(today).into(),
        }
    }
}

/// An invitation as the unit's staff see it: to whom, what, when, and what
/// became of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffInvitationResponse {
    pub id: Uuid,
    pub resident: ResidentRef,
    pub appointment_type: TypeRef,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: InvitationStatusName,
    pub created_at: DateTime<Utc>,
    /// When it was used, and the booking it made.
    pub used_at: Option<DateTime<Utc>>,
    pub booking_id: Option<Uuid>,
}

impl StaffInvitationResponse {
    pub fn new(d: &InvitationDetails, today: NaiveDate) -> Self {
        Self {
            id: d.invitation.id.as_uuid(),
            resident: (&d.resident).into(),
            appointment_type: (&d.appointment_type).into(),
            valid_from: d.invitation.valid_from,
            valid_until: d.invitation.valid_until,
            status: d.invitation.status(today).into(),
            created_at: d.invitation.created_at,
            used_at: d.invitation.used_at,
            booking_id: d.invitation.booking_id.map(|b| b.as_uuid()),
        }
    }
}
