//! The appointment book, the staff's view: a unit's slots with every booking
//! they have had and its resident, one booking with its resident, the
//! residents' cancellations (the feed), how far the schedule is published,
//! and the unit's practitioners.

use crate::columns::{self, Columns};
use crate::query::query;
use crate::SqlStore;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use tidbok_domain::ports::{AppointmentBookRepository, AppointmentBookSlot, FeedEntry, StoreResult};
use tidbok_domain::*;

/// Every slot of a unit on some dates that is live or has had a booking.
const BOOK_SLOTS: &str = concat!(
    slot_details_select!(),
    ", s.held_until AS s_held_until",
    slot_details_from!(),
    " WHERE s.unit_id = $1 AND s.local_date >= $2 AND s.local_date <= $3 \
       AND (s.withdrawn_at IS NULL OR EXISTS (SELECT 1 FROM bookings bx WHERE bx.slot_id = s.id)) \
     ORDER BY s.starts_at, p.name, s.id"
);
const BOOK_SLOTS_OF_PRACTITIONER: &str = concat!(
    slot_details_select!(),
    ", s.held_until AS s_held_until",
    slot_details_from!(),
    " WHERE s.unit_id = $1 AND s.local_date >= $2 AND s.local_date <= $3 AND s.practitioner_id = $4 \
       AND (s.withdrawn_at IS NULL OR EXISTS (SELECT 1 FROM bookings bx WHERE bx.slot_id = s.id)) \
     ORDER BY s.starts_at, p.name, s.id"
);
/// The bookings of those slots, with their residents.
const BOOK_BOOKINGS: &str = concat!(
    "SELECT ",
    booking_cols!(),
    ", ",
    resident_cols!(),
    " FROM bookings b JOIN residents res ON res.id = b.resident_id JOIN slots s ON s.id = b.slot_id \
     WHERE s.unit_id = $1 AND s.local_date >= $2 AND s.local_date <= $3 \
     ORDER BY b.booked_at, b.id"
);
/// A booking's details and its resident (`booking_details_select!` and the
/// resident).
macro_rules! booking_with_resident_select {
    () => {
        concat!(
            "SELECT ",
            booking_details_cols!(),
            ", ",
            resident_cols!(),
            booking_details_from!(),
            " JOIN residents res ON res.id = b.resident_id"
        )
    };
}
const BOOKING_WITH_RESIDENT: &str = concat!(booking_with_resident_select!(), " WHERE b.id = $1");
const CANCELLATION_FEED: &str = concat!(
    booking_with_resident_select!(),
    " WHERE b.unit_id = $1 AND b.cancelled_at > $2 AND b.cancelled_by_kind = 'resident' \
       AND b.status IN ('cancelled', 'rebooked') \
     ORDER BY b.cancelled_at, b.id LIMIT $3"
);
const REBOOKED_TO: &str = concat!(booking_details_select!(), " WHERE b.rebooked_from = $1");
const PUBLISHED_UNTIL: &str = "SELECT practitioner_id AS p, appointment_type_id AS t, MAX(local_date) AS last_day \
     FROM slots WHERE unit_id = $1 AND withdrawn_at IS NULL GROUP BY practitioner_id, appointment_type_id";
const PRACTITIONERS: &str = concat!(
    "SELECT ",
    practitioner_cols!(),
    " FROM practitioners p WHERE p.unit_id = $1 ORDER BY p.name, p.id"
);

#[async_trait::async_trait]
impl AppointmentBookRepository for SqlStore {
    async fn appointment_book_slots(
        &self,
        unit: UnitId,
        from: NaiveDate,
        to: NaiveDate,
        practitioner: Option<PractitionerId>,
    ) -> StoreResult<Vec<AppointmentBookSlot>> {
        let slots = match practitioner {
            None => query(BOOK_SLOTS),
            Some(_) => query(BOOK_SLOTS_OF_PRACTITIONER),
        }
        .bind(unit.as_uuid())
        .bind(from)
        .bind(to);
        let slots = match practitioner {
            None => slots,
            Some(p) => slots.bind(p.as_uuid()),
        };
        let slots = slots
            .all(&self.db, |r| {
                Ok((columns::slot_details(r)?, r.opt_instant("s_held_until")?))
            })
            .await?;
        let bookings = query(BOOK_BOOKINGS)
            .bind(unit.as_uuid())
            .bind(from)
            .bind(to)
            .all(&self.db, |r| Ok((columns::booking(r)?, columns::resident(r)?)))
            .await?;
        let mut by_slot: HashMap<SlotId, Vec<(Booking, Resident)>> = HashMap::new();
        for (booking, resident) in bookings {
            by_slot.entry(booking.slot_id).or_default().push((booking, resident));
        }
        Ok(slots
            .into_iter()
            .map(|(slot, held_until)| {
                let bookings = by_slot.remove(&slot.slot.id).unwrap_or_default();
                AppointmentBookSlot {
                    slot,
                    held_until,
                    bookings,
                }
            })
            .collect())
    }

    async fn booking_with_resident(&self, id: BookingId) -> StoreResult<Option<(BookingDetails, Resident)>> {
        query(BOOKING_WITH_RESIDENT)
            .bind(id.as_uuid())
            .optional(&self.db, |r| Ok((columns::booking_details(r)?, columns::resident(r)?)))
            .await
    }

    async fn cancellation_feed(&self, unit: UnitId, since: DateTime<Utc>, limit: u32) -> StoreResult<Vec<FeedEntry>> {
        let cancelled = query(CANCELLATION_FEED)
            .bind(unit.as_uuid())
            .bind(since)
            .bind(i64::from(limit))
            .all(&self.db, |r| {
                Ok((
                    columns::booking_details(r)?,
                    columns::resident(r)?,
                    r.instant("b_cancelled_at")?,
                ))
            })
            .await?;
        let mut out = Vec::with_capacity(cancelled.len());
        for (booking, resident, at) in cancelled {
            let rebooked_to = if booking.booking.status == BookingStatus::Rebooked {
                query(REBOOKED_TO)
                    .bind(booking.booking.id.as_uuid())
                    .optional(&self.db, columns::booking_details)
                    .await?
            } else {
                None
            };
            out.push(FeedEntry {
                booking,
                resident,
                at,
                rebooked_to,
            });
        }
        Ok(out)
    }

    async fn published_until(&self, unit: UnitId) -> StoreResult<Vec<(PractitionerId, AppointmentTypeId, NaiveDate)>> {
        query(PUBLISHED_UNTIL)
            .bind(unit.as_uuid())
            .all(&self.db, |r| {
                Ok((r.uuid("p")?.into(), r.uuid("t")?.into(), r.date("last_day")?))
            })
            .await
    }

    async fn practitioners(&self, unit: UnitId) -> StoreResult<Vec<Practitioner>> {
        query(PRACTITIONERS)
            .bind(unit.as_uuid())
            .all(&self.db, columns::practitioner)
            .await
    }
}
