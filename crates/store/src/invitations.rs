//! Invitations to book (rule 19 in docs/domain.md; the schema's reasons are
//! in migration 0007). A booking with an invitation claims it first, by one
//! conditional update (unused, the resident's, its window not ended), then
//! books as any online booking does, in the same transaction.

use crate::booking::online::statement_by_statement;
use crate::columns::{self, Columns};
use crate::effects::write_effects;
use crate::error::Failure;
use crate::query::{query, Row};
use crate::retry::retrying;
use crate::SqlStore;
use chrono::NaiveDate;
use tidbok_domain::invitations::{Invitation, InvitationDetails};
use tidbok_domain::ports::{Conflict, InvitationRepository, NewBooking, StoreResult};
use tidbok_domain::*;

const INSERT_INVITATION: &str = "INSERT INTO invitations \
     (id, unit_id, appointment_type_id, resident_id, valid_from, valid_until, created_by_id, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

macro_rules! invitation_select {
    () => {
        concat!(
            "SELECT i.id AS i_id, i.unit_id AS i_unit_id, i.appointment_type_id AS i_appointment_type_id, \
               i.resident_id AS i_resident_id, i.valid_from AS i_valid_from, i.valid_until AS i_valid_until, \
               i.created_by_id AS i_created_by_id, i.created_at AS i_created_at, i.used_at AS i_used_at, \
               i.booking_id AS i_booking_id, ",
            unit_cols!(),
            ", ",
            type_cols!(),
            ", ",
            resident_cols!(),
            " FROM invitations i JOIN units u ON u.id = i.unit_id \
               JOIN appointment_types t ON t.id = i.appointment_type_id \
               JOIN residents res ON res.id = i.resident_id"
        )
    };
}
const INVITATION_BY_ID: &str = concat!(invitation_select!(), " WHERE i.id = $1");
const RESIDENT_INVITATIONS: &str = concat!(
    invitation_select!(),
    " WHERE i.resident_id = $1 AND i.used_at IS NULL AND i.valid_until >= $2 ORDER BY i.valid_until, i.id"
);
const UNIT_INVITATIONS: &str = concat!(
    invitation_select!(),
    " WHERE i.unit_id = $1 ORDER BY i.created_at DESC, i.id LIMIT $2"
);
/// The claim: only an unused invitation of this resident whose window has
/// not ended; two bookings with one invitation take turns on its row.
const CLAIM_INVITATION: &str = "UPDATE invitations SET used_at = $2 \
     WHERE id = $1 AND resident_id = $3 AND used_at IS NULL AND valid_until >= $4";
/// The booking it made, once it exists (a foreign key).
const SET_INVITATION_BOOKING: &str = "UPDATE invitations SET booking_id = $2 WHERE id = $1";

#[async_trait::async_trait]
impl InvitationRepository for SqlStore {
    async fn create_invitation(&self, i: &Invitation, effects: &Effects) -> StoreResult<()> {
        Ok(retrying("create_invitation", || async {
            let mut tx = self.db.begin().await?;
            query(INSERT_INVITATION)
                .bind(i.id.as_uuid())
                .bind(i.unit_id.as_uuid())
                .bind(i.appointment_type_id.as_uuid())
                .bind(i.resident_id.as_uuid())
                .bind(i.valid_from)
                .bind(i.valid_until)
                .bind(i.created_by.as_uuid())
                .bind(i.created_at)
                .execute(&mut tx)
                .await?;
            write_effects(&mut tx, effects).await?;
            tx.commit().await?;
            Ok(())
        })
        .await?)
    }

    async fn invitation(&self, id: InvitationId) -> StoreResult<Option<InvitationDetails>> {
        query(INVITATION_BY_ID)
            .bind(id.as_uuid())
            .optional(&self.db, details)
            .await
    }

    async fn resident_invitations(
        &self,
        resident: ResidentId,
        today: NaiveDate,
    ) -> StoreResult<Vec<InvitationDetails>> {
        query(RESIDENT_INVITATIONS)
            .bind(resident.as_uuid())
            .bind(today)
            .all(&self.db, details)
            .await
    }

    async fn unit_invitations(&self, unit: UnitId, limit: u32) -> StoreResult<Vec<InvitationDetails>> {
        query(UNIT_INVITATIONS)
            .bind(unit.as_uuid())
            .bind(i64::from(limit))
            .all(&self.db, details)
            .await
    }

    async fn book_invited(
        &self,
        b: &NewBooking,
        invitation: InvitationId,
        today: NaiveDate,
        effects: &Effects,
    ) -> StoreResult<BookingId> {
        Ok(retrying("book_invited", || async {
            let mut tx = self.db.begin().await?;
            let claimed = query(CLAIM_INVITATION)
                .bind(invitation.as_uuid())
                .bind(b.booked_at)
                .bind(b.resident_id.as_uuid())
                .bind(today)
                .execute(&mut tx)
                .await?;
            if claimed == 0 {
                return Err(Failure::from(Conflict::InvitationUsed));
            }
            let id = *statement_by_statement(&mut tx, b, None, effects).await?.value();
            query(SET_INVITATION_BOOKING)
                .bind(invitation.as_uuid())
                .bind(id.as_uuid())
                .execute(&mut tx)
                .await?;
            tx.commit().await?;
            Ok(id)
        })
        .await?)
    }
}

fn details(r: &Row) -> sqlx::Result<InvitationDetails> {
    Ok(InvitationDetails {
        invitation: Invitation {
            id: r.uuid("i_id")?.into(),
            unit_id: r.uuid("i_unit_id")?.into(),
            appointment_type_id: r.uuid("i_appointment_type_id")?.into(),
            resident_id: r.uuid("i_resident_id")?.into(),
            valid_from: r.date("i_valid_from")?,
            valid_until: r.date("i_valid_until")?,
            created_by: r.uuid("i_created_by_id")?.into(),
            created_at: r.instant("i_created_at")?,
            used_at: r.opt_instant("i_used_at")?,
            booking_id: r.opt_uuid("i_booking_id")?.map(Into::into),
        },
        unit: columns::unit(r)?,
        appointment_type: columns::appointment_type(r)?,
        resident: columns::resident(r)?,
    })
}
