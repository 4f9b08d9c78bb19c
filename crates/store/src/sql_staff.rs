//! The SQL of the staff and admin side, written once for both backends like
//! [`crate::sql`]: the appointment book, scheduling, administration, inbox,
//! outbox and access log.

macro_rules! message_cols {
    () => {
        "m.id AS m_id, m.resident_id AS m_resident_id, m.booking_id AS m_booking_id, m.kind AS m_kind, \
         m.subject AS m_subject, m.body AS m_body, m.created_at AS m_created_at, m.read_at AS m_read_at"
    };
}
macro_rules! access_cols {
    () => {
        "a.id AS a_id, a.at AS a_at, a.actor_id AS a_actor_id, a.actor_role AS a_actor_role, \
         a.actor_name AS a_actor_name, a.unit_id AS a_unit_id, a.action AS a_action, \
         a.resident_id AS a_resident_id, a.booking_id AS a_booking_id"
    };
}
macro_rules! block_cols {
    () => {
        "sb.weekday AS sb_weekday, sb.appointment_type_id AS sb_appointment_type_id, \
         sb.start_minute AS sb_start_minute, sb.slot_length_minutes AS sb_slot_length_minutes, \
         sb.slot_count AS sb_slot_count"
    };
}

/// Every slot of a unit on some dates that is live or has had a booking.
pub const BOOK_SLOTS: &str = concat!(
    slot_details_select!(),
    slot_details_from!(),
    " WHERE s.unit_id = $1 AND s.local_date >= $2 AND s.local_date <= $3 \
       AND (s.withdrawn_at IS NULL OR EXISTS (SELECT 1 FROM bookings bx WHERE bx.slot_id = s.id)) \
     ORDER BY s.starts_at, p.name, s.id"
);
pub const BOOK_SLOTS_OF_PRACTITIONER: &str = concat!(
    slot_details_select!(),
    slot_details_from!(),
    " WHERE s.unit_id = $1 AND s.local_date >= $2 AND s.local_date <= $3 AND s.practitioner_id = $4 \
       AND (s.withdrawn_at IS NULL OR EXISTS (SELECT 1 FROM bookings bx WHERE bx.slot_id = s.id)) \
     ORDER BY s.starts_at, p.name, s.id"
);
/// The bookings of those slots, with their residents.
pub const BOOK_BOOKINGS: &str = concat!(
    "SELECT ",
    booking_cols!(),
    ", ",
    resident_cols!(),
    " FROM bookings b JOIN residents res ON res.id = b.resident_id JOIN slots s ON s.id = b.slot_id \
     WHERE s.unit_id = $1 AND s.local_date >= $2 AND s.local_date <= $3 \
     ORDER BY b.booked_at, b.id"
);
pub const BOOKING_WITH_RESIDENT: &str = concat!(
    "SELECT ",
    booking_cols!(),
    ", ",
    slot_cols!(),
    ", ",
    type_cols!(),
    ", ",
    practitioner_cols!(),
    ", ",
    unit_cols!(),
    ", ",
    resident_cols!(),
    " FROM bookings b JOIN slots s ON s.id = b.slot_id \
      JOIN appointment_types t ON t.id = s.appointment_type_id \
      JOIN practitioners p ON p.id = s.practitioner_id \
      JOIN units u ON u.id = s.unit_id \
      JOIN residents res ON res.id = b.resident_id \
     WHERE b.id = $1"
);
pub const CANCELLATION_FEED: &str = concat!(
    "SELECT ",
    booking_cols!(),
    ", ",
    slot_cols!(),
    ", ",
    type_cols!(),
    ", ",
    practitioner_cols!(),
    ", ",
    unit_cols!(),
    ", ",
    resident_cols!(),
    " FROM bookings b JOIN slots s ON s.id = b.slot_id \
      JOIN appointment_types t ON t.id = s.appointment_type_id \
      JOIN practitioners p ON p.id = s.practitioner_id \
      JOIN units u ON u.id = s.unit_id \
      JOIN residents res ON res.id = b.resident_id \
     WHERE b.unit_id = $1 AND b.cancelled_at > $2 AND b.cancelled_by_kind = 'resident' \
       AND b.status IN ('cancelled', 'rebooked') \
     ORDER BY b.cancelled_at, b.id LIMIT $3"
);
pub const REBOOKED_TO: &str = concat!(booking_details_select!(), " WHERE b.rebooked_from = $1");
pub const PUBLISHED_UNTIL: &str = "SELECT practitioner_id AS p, appointment_type_id AS t, MAX(local_date) AS last_day \
     FROM slots WHERE unit_id = $1 AND withdrawn_at IS NULL GROUP BY practitioner_id, appointment_type_id";
pub const PUBLISHES_ON_HOLIDAYS: &str = "SELECT publish_on_holidays AS on_holidays FROM units WHERE id = $1";
pub const SET_PUBLISHES_ON_HOLIDAYS: &str = "UPDATE units SET publish_on_holidays = $2 WHERE id = $1";
pub const PRACTITIONER_OF_STAFF: &str = concat!(
    "SELECT ",
    practitioner_cols!(),
    " FROM practitioners p WHERE p.staff_id = $1"
);
pub const LINK_PRACTITIONER_TO_STAFF: &str = "UPDATE practitioners SET staff_id = $2 WHERE id = $1";
pub const PRACTITIONERS: &str = concat!(
    "SELECT ",
    practitioner_cols!(),
    " FROM practitioners p WHERE p.unit_id = $1 ORDER BY p.name, p.id"
);

pub const TEMPLATE: &str = concat!(
    "SELECT ",
    block_cols!(),
    " FROM schedule_blocks sb WHERE sb.practitioner_id = $1 ORDER BY sb.weekday, sb.start_minute"
);
pub const DELETE_TEMPLATE: &str = "DELETE FROM schedule_blocks WHERE practitioner_id = $1";
pub const INSERT_TEMPLATE_BLOCK: &str = "INSERT INTO schedule_blocks \
     (id, practitioner_id, weekday, appointment_type_id, start_minute, slot_length_minutes, slot_count) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub const DAY_OVERRIDES: &str = concat!(
    "SELECT o.day AS day, sb.id AS sb_id, sb.appointment_type_id AS sb_appointment_type_id, \
     sb.start_minute AS sb_start_minute, sb.slot_length_minutes AS sb_slot_length_minutes, \
     sb.slot_count AS sb_slot_count",
    " FROM day_overrides o LEFT JOIN day_override_blocks sb ON sb.practitioner_id = o.practitioner_id AND sb.day = o.day \
     WHERE o.practitioner_id = $1 AND o.day >= $2 AND o.day <= $3 ORDER BY o.day, sb.start_minute"
);
pub const DELETE_DAY_OVERRIDE: &str = "DELETE FROM day_overrides WHERE practitioner_id = $1 AND day = $2";
pub const DELETE_DAY_OVERRIDE_BLOCKS: &str = "DELETE FROM day_override_blocks WHERE practitioner_id = $1 AND day = $2";
pub const INSERT_DAY_OVERRIDE: &str =
    "INSERT INTO day_overrides (practitioner_id, day, created_at) VALUES ($1, $2, $3)";
pub const INSERT_DAY_OVERRIDE_BLOCK: &str = "INSERT INTO day_override_blocks \
     (id, practitioner_id, day, appointment_type_id, start_minute, slot_length_minutes, slot_count) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub const LIVE_SLOTS: &str = "SELECT id, appointment_type_id, starts_at, ends_at, booking_id FROM slots \
     WHERE practitioner_id = $1 AND withdrawn_at IS NULL AND local_date >= $2 AND local_date <= $3 \
     ORDER BY starts_at";
pub const WITHDRAW_FREE_SLOT: &str =
    "UPDATE slots SET withdrawn_at = $2 WHERE id = $1 AND booking_id IS NULL AND withdrawn_at IS NULL";
pub const SLOT_HOLDER: &str = "SELECT booking_id FROM slots WHERE id = $1";
pub const BOOKED_BETWEEN: &str = "SELECT starts_at, ends_at FROM slots \
     WHERE practitioner_id = $1 AND booking_id IS NOT NULL AND withdrawn_at IS NULL AND starts_at < $3 AND ends_at > $2";

pub const REGIONS: &str =
    "SELECT r.id AS r_id, r.name AS r_name, r.notify_on_staff_cancel AS r_notify_on_staff_cancel \
     FROM regions r ORDER BY r.name, r.id";
pub const UPDATE_REGION: &str = "UPDATE regions SET name = $2, notify_on_staff_cancel = $3 WHERE id = $1";
pub const REGION_TYPES: &str = concat!(
    "SELECT ",
    type_cols!(),
    " FROM appointment_types t WHERE t.region_id = $1 ORDER BY t.name, t.id"
);
pub const UPDATE_TYPE: &str = "UPDATE appointment_types SET name = $2, profession = $3, mode = $4, \
     default_length_minutes = $5, portal_policy = $6, min_age_years = $7, established_contact_only = $8, \
     instructions = $9, retired = $10 WHERE id = $1";
pub const SET_UP_SERVICE: &str =
    "INSERT INTO unit_services (unit_id, service) VALUES ($1, $2) ON CONFLICT (unit_id, service) DO NOTHING";
pub const UPDATE_TERMS: &str =
    "UPDATE unit_services SET terms_text = $3, terms_html = $4 WHERE unit_id = $1 AND service = $2";
pub const SET_ACTIVATION: &str =
    "UPDATE unit_services SET active = $3, audience = $4 WHERE unit_id = $1 AND service = $2";
pub const CLEAR_SELECTION: &str = "DELETE FROM service_selection WHERE unit_id = $1 AND service = $2";
pub const SELECTION_SIZE: &str = "SELECT COUNT(*) AS n FROM service_selection WHERE unit_id = $1 AND service = $2";

/// The resident's messages, leaving out those about bookings the portal no
/// longer shows (hidden in the portal after the message went out; rule 21).
pub const INBOX: &str = concat!(
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
pub const WAS_NOTIFIED: &str = "SELECT COUNT(*) AS n FROM inbox_messages WHERE booking_id = $1";
pub const INBOX_MESSAGE: &str = concat!("SELECT ", message_cols!(), " FROM inbox_messages m WHERE m.id = $1");
pub const MARK_READ: &str =
    "UPDATE inbox_messages SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND resident_id = $2";
pub const UPDATE_CONTACT: &str =
    "UPDATE residents SET phone = $2, email = $3, notify_sms = $4, notify_email = $5 WHERE id = $1";

/// Due rows, claimed in one statement. PostgreSQL skips rows another
/// worker's transaction holds; SQLite has one writer at a time.
pub const CLAIM_DUE_POSTGRES: &str = "UPDATE outbox SET claimed_by = $1, claimed_until = $3, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                  AND (claimed_until IS NULL OR claimed_until < $2) \
                  ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
     RETURNING id, message_id, channel, recipient, subject, body, attempts";
pub const CLAIM_DUE_SQLITE: &str = "UPDATE outbox SET claimed_by = $1, claimed_until = $3, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                  AND (claimed_until IS NULL OR claimed_until < $2) \
                  ORDER BY next_attempt_at LIMIT $4) \
     RETURNING id, message_id, channel, recipient, subject, body, attempts";
pub const MARK_SENT: &str = "UPDATE outbox SET status = 'sent', sent_at = $3, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status = 'pending'";
pub const MARK_RETRY: &str = "UPDATE outbox SET last_error = $3, next_attempt_at = $4, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status = 'pending'";
pub const MARK_DEAD: &str = "UPDATE outbox SET status = 'dead', last_error = $3, claimed_until = NULL \
     WHERE id = $1 AND claimed_by = $2 AND status = 'pending'";
pub const DELIVERIES: &str = "SELECT channel, status, attempts FROM outbox WHERE message_id = $1 ORDER BY channel";

pub const RESIDENT_ACCESS_LOG: &str = concat!(
    "SELECT ",
    access_cols!(),
    ", u.name AS unit_name FROM access_log a LEFT JOIN units u ON u.id = a.unit_id \
     WHERE a.resident_id = $1 ORDER BY a.at DESC, a.id LIMIT $2"
);
pub const UNIT_ACCESS_LOG: &str = concat!(
    "SELECT ",
    access_cols!(),
    ", ",
    resident_cols!(),
    " FROM access_log a JOIN residents res ON res.id = a.resident_id WHERE a.unit_id = "
);

/// The staff and admin ports for a store type, like `impl_ports!`.
macro_rules! impl_staff_ports {
    ($store:ty, $db:ty, $claim_due:expr) => {
        #[async_trait::async_trait]
        impl tidbok_domain::ports::BookRepository for $store {
            async fn book_slots(
                &self,
                unit: UnitId,
                from: NaiveDate,
                to: NaiveDate,
                practitioner: Option<PractitionerId>,
            ) -> StoreResult<Vec<BookSlot>> {
                let slots = match practitioner {
                    None => sqlx::query(sql_staff::BOOK_SLOTS),
                    Some(_) => sqlx::query(sql_staff::BOOK_SLOTS_OF_PRACTITIONER),
                }
                .bind(unit.as_uuid())
                .bind(from)
                .bind(to);
                let slots = match practitioner {
                    None => slots,
                    Some(p) => slots.bind(p.as_uuid()),
                };
                let slots = slots.fetch_all(&self.pool).await.map_err(db_error)?;
                let bookings = sqlx::query(sql_staff::BOOK_BOOKINGS)
                    .bind(unit.as_uuid())
                    .bind(from)
                    .bind(to)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                let mut by_slot: std::collections::HashMap<SlotId, Vec<(Booking, Resident)>> = Default::default();
                for row in &bookings {
                    let booking = columns::booking(row).map_err(db_error)?;
                    let resident = columns::resident(row).map_err(db_error)?;
                    by_slot
                        .entry(booking.slot_id)
                        .or_default()
                        .push((booking, resident));
                }
                let mut out = Vec::with_capacity(slots.len());
                for row in &slots {
                    let slot = columns::slot_details(row).map_err(db_error)?;
                    let bookings = by_slot.remove(&slot.slot.id).unwrap_or_default();
                    out.push(BookSlot { slot, bookings });
                }
                Ok(out)
            }

            async fn booking_with_resident(&self, id: BookingId) -> StoreResult<Option<(BookingDetails, Resident)>> {
                let row = sqlx::query(sql_staff::BOOKING_WITH_RESIDENT)
                    .bind(id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| Ok((columns::booking_details(&r)?, columns::resident(&r)?)))
                    .transpose()
                    .map_err(db_error)
            }

            async fn cancellation_feed(
                &self,
                unit: UnitId,
                since: DateTime<Utc>,
                limit: u32,
            ) -> StoreResult<Vec<FeedEntry>> {
                let rows = sqlx::query(sql_staff::CANCELLATION_FEED)
                    .bind(unit.as_uuid())
                    .bind(since)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in &rows {
                    let booking = columns::booking_details(row).map_err(db_error)?;
                    let resident = columns::resident(row).map_err(db_error)?;
                    let at = row.instant("b_cancelled_at").map_err(db_error)?;
                    let rebooked_to = if booking.booking.status == BookingStatus::Rebooked {
                        let next = sqlx::query(sql_staff::REBOOKED_TO)
                            .bind(booking.booking.id.as_uuid())
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(db_error)?;
                        next.map(|r| columns::booking_details(&r))
                            .transpose()
                            .map_err(db_error)?
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

            async fn published_until(
                &self,
                unit: UnitId,
            ) -> StoreResult<Vec<(PractitionerId, AppointmentTypeId, NaiveDate)>> {
                let rows = sqlx::query(sql_staff::PUBLISHED_UNTIL)
                    .bind(unit.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, |r| {
                    Ok((r.uuid("p")?.into(), r.uuid("t")?.into(), r.date("last_day")?))
                })
            }

            async fn practitioners(&self, unit: UnitId) -> StoreResult<Vec<Practitioner>> {
                let rows = sqlx::query(sql_staff::PRACTITIONERS)
                    .bind(unit.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::practitioner)
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::ScheduleRepository for $store {
            async fn template(&self, practitioner: PractitionerId) -> StoreResult<Vec<ScheduleBlock>> {
                let rows = sqlx::query(sql_staff::TEMPLATE)
                    .bind(practitioner.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::schedule_block)
            }

            async fn replace_template(
                &self,
                practitioner: PractitionerId,
                blocks: &[ScheduleBlock],
            ) -> StoreResult<()> {
                Ok(retrying("replace_template", || {
                    self.try_replace_template(practitioner, blocks)
                })
                .await?)
            }

            async fn day_overrides(
                &self,
                practitioner: PractitionerId,
                from: NaiveDate,
                to: NaiveDate,
            ) -> StoreResult<Vec<(NaiveDate, Vec<ScheduleBlock>)>> {
                let rows = sqlx::query(sql_staff::DAY_OVERRIDES)
                    .bind(practitioner.as_uuid())
                    .bind(from)
                    .bind(to)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                let mut out: Vec<(NaiveDate, Vec<ScheduleBlock>)> = Vec::new();
                for row in &rows {
                    let day = row.date("day").map_err(db_error)?;
                    if out.last().map(|(d, _)| *d) != Some(day) {
                        out.push((day, Vec::new()));
                    }
                    if row.opt_uuid("sb_id").map_err(db_error)?.is_some() {
                        let block = columns::block_on(row, chrono::Datelike::weekday(&day)).map_err(db_error)?;
                        if let Some((_, blocks)) = out.last_mut() {
                            blocks.push(block);
                        }
                    }
                }
                Ok(out)
            }

            async fn put_day_override(
                &self,
                practitioner: PractitionerId,
                day: NaiveDate,
                blocks: &[ScheduleBlock],
                at: DateTime<Utc>,
            ) -> StoreResult<()> {
                Ok(retrying("put_day_override", || {
                    self.try_put_day_override(practitioner, day, blocks, at)
                })
                .await?)
            }

            async fn delete_day_override(&self, practitioner: PractitionerId, day: NaiveDate) -> StoreResult<bool> {
                let mut tx = self.pool.begin().await.map_err(db_error)?;
                sqlx::query(sql_staff::DELETE_DAY_OVERRIDE_BLOCKS)
                    .bind(practitioner.as_uuid())
                    .bind(day)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                let deleted = sqlx::query(sql_staff::DELETE_DAY_OVERRIDE)
                    .bind(practitioner.as_uuid())
                    .bind(day)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
                tx.commit().await.map_err(db_error)?;
                Ok(deleted > 0)
            }

            async fn live_slots(
                &self,
                practitioner: PractitionerId,
                from: NaiveDate,
                to: NaiveDate,
            ) -> StoreResult<Vec<ExistingSlot>> {
                let rows = sqlx::query(sql_staff::LIVE_SLOTS)
                    .bind(practitioner.as_uuid())
                    .bind(from)
                    .bind(to)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, |r| {
                    Ok(ExistingSlot {
                        id: r.uuid("id")?.into(),
                        appointment_type_id: r.uuid("appointment_type_id")?.into(),
                        starts_at: r.instant("starts_at")?,
                        ends_at: r.instant("ends_at")?,
                        booked: r.opt_uuid("booking_id")?.is_some(),
                    })
                })
            }

            async fn publishes_on_holidays(&self, unit: UnitId) -> StoreResult<bool> {
                let row = sqlx::query(sql_staff::PUBLISHES_ON_HOLIDAYS)
                    .bind(unit.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                match row {
                    Some(row) => row.flag("on_holidays").map_err(db_error),
                    None => Ok(false),
                }
            }

            async fn set_publishes_on_holidays(&self, unit: UnitId, on: bool) -> StoreResult<()> {
                sqlx::query(sql_staff::SET_PUBLISHES_ON_HOLIDAYS)
                    .bind(unit.as_uuid())
                    .bind(on)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            async fn practitioner_of_staff(&self, staff: StaffId) -> StoreResult<Option<Practitioner>> {
                let row = sqlx::query(sql_staff::PRACTITIONER_OF_STAFF)
                    .bind(staff.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::practitioner(&r))
                    .transpose()
                    .map_err(db_error)
            }

            async fn apply_publication(&self, publication: &Publication, at: DateTime<Utc>) -> StoreResult<Published> {
                Ok(retrying("apply_publication", || {
                    self.try_apply_publication(publication, at)
                })
                .await?)
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::AdminRepository for $store {
            async fn regions(&self) -> StoreResult<Vec<Region>> {
                let rows = sqlx::query(sql_staff::REGIONS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::region)
            }

            async fn update_region(&self, region: &Region) -> StoreResult<()> {
                sqlx::query(sql_staff::UPDATE_REGION)
                    .bind(region.id.as_uuid())
                    .bind(&region.name)
                    .bind(region.notify_on_staff_cancel)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            async fn appointment_types(&self, region: RegionId) -> StoreResult<Vec<AppointmentType>> {
                let rows = sqlx::query(sql_staff::REGION_TYPES)
                    .bind(region.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::appointment_type)
            }

            async fn update_appointment_type(&self, t: &AppointmentType) -> StoreResult<()> {
                sqlx::query(sql_staff::UPDATE_TYPE)
                    .bind(t.id.as_uuid())
                    .bind(&t.name)
                    .bind(&t.profession)
                    .bind(t.mode.as_str())
                    .bind(i32::from(t.default_length_minutes))
                    .bind(t.policy.as_str())
                    .bind(t.eligibility.min_age_years.map(i32::from))
                    .bind(t.eligibility.established_contact_only)
                    .bind(&t.instructions)
                    .bind(t.retired)
                    .execute(&self.pool)
                    .await
                    .map_err(unique_name_taken)?;
                Ok(())
            }

            async fn set_up_service(&self, unit: UnitId, service: OnlineService) -> StoreResult<()> {
                sqlx::query(sql_staff::SET_UP_SERVICE)
                    .bind(unit.as_uuid())
                    .bind(service.as_str())
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            async fn update_terms(
                &self,
                unit: UnitId,
                service: OnlineService,
                markdown: &str,
                html: &str,
            ) -> StoreResult<bool> {
                let changed = sqlx::query(sql_staff::UPDATE_TERMS)
                    .bind(unit.as_uuid())
                    .bind(service.as_str())
                    .bind(markdown)
                    .bind(html)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
                Ok(changed > 0)
            }

            async fn set_activation(
                &self,
                unit: UnitId,
                service: OnlineService,
                active: bool,
                audience: Audience,
            ) -> StoreResult<bool> {
                let changed = sqlx::query(sql_staff::SET_ACTIVATION)
                    .bind(unit.as_uuid())
                    .bind(service.as_str())
                    .bind(active)
                    .bind(audience.as_str())
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
                Ok(changed > 0)
            }

            async fn replace_selection(
                &self,
                unit: UnitId,
                service: OnlineService,
                pnrs: &[PersonalIdentityNumber],
            ) -> StoreResult<()> {
                let mut tx = self.pool.begin().await.map_err(db_error)?;
                sqlx::query(sql_staff::CLEAR_SELECTION)
                    .bind(unit.as_uuid())
                    .bind(service.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                for chunk in pnrs.chunks(1000) {
                    let mut insert = sqlx::QueryBuilder::new("INSERT INTO service_selection (unit_id, service, pnr) ");
                    insert.push_values(chunk, |mut row, pnr| {
                        row.push_bind(unit.as_uuid())
                            .push_bind(service.as_str())
                            .push_bind(pnr.canonical().to_owned());
                    });
                    insert.push(" ON CONFLICT DO NOTHING");
                    insert.build().execute(&mut *tx).await.map_err(db_error)?;
                }
                tx.commit().await.map_err(db_error)?;
                Ok(())
            }

            async fn selection_size(&self, unit: UnitId, service: OnlineService) -> StoreResult<u64> {
                let row = sqlx::query(sql_staff::SELECTION_SIZE)
                    .bind(unit.as_uuid())
                    .bind(service.as_str())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(row.count("n").map_err(db_error)?.max(0) as u64)
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::InboxRepository for $store {
            async fn inbox(&self, resident: ResidentId) -> StoreResult<Vec<InboxMessage>> {
                let rows = sqlx::query(sql_staff::INBOX)
                    .bind(resident.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::inbox_message)
            }

            async fn inbox_message(&self, id: uuid::Uuid) -> StoreResult<Option<InboxMessage>> {
                let row = sqlx::query(sql_staff::INBOX_MESSAGE)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::inbox_message(&r))
                    .transpose()
                    .map_err(db_error)
            }

            async fn mark_read(&self, id: uuid::Uuid, resident: ResidentId, at: DateTime<Utc>) -> StoreResult<bool> {
                let changed = sqlx::query(sql_staff::MARK_READ)
                    .bind(id)
                    .bind(resident.as_uuid())
                    .bind(at)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
                Ok(changed > 0)
            }

            async fn was_notified(&self, booking: BookingId) -> StoreResult<bool> {
                let row = sqlx::query(sql_staff::WAS_NOTIFIED)
                    .bind(booking.as_uuid())
                    .fetch_one(&self.pool)
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
            ) -> StoreResult<()> {
                sqlx::query(sql_staff::UPDATE_CONTACT)
                    .bind(resident.as_uuid())
                    .bind(phone)
                    .bind(email)
                    .bind(notifications.sms)
                    .bind(notifications.email)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::OutboxRepository for $store {
            async fn claim_due(
                &self,
                worker: uuid::Uuid,
                now: DateTime<Utc>,
                lease: chrono::Duration,
                limit: u32,
            ) -> StoreResult<Vec<OutboxEntry>> {
                let rows = retrying("claim_due", || async {
                    Ok(sqlx::query($claim_due)
                        .bind(worker)
                        .bind(now)
                        .bind(now + lease)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?)
                })
                .await?;
                columns::all(rows, columns::outbox_entry)
            }

            async fn mark_sent(&self, id: uuid::Uuid, worker: uuid::Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
                let changed = sqlx::query(sql_staff::MARK_SENT)
                    .bind(id)
                    .bind(worker)
                    .bind(at)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
                Ok(changed > 0)
            }

            async fn mark_failed(
                &self,
                id: uuid::Uuid,
                worker: uuid::Uuid,
                error: &str,
                retry_at: Option<DateTime<Utc>>,
            ) -> StoreResult<bool> {
                let query = match retry_at {
                    Some(at) => sqlx::query(sql_staff::MARK_RETRY)
                        .bind(id)
                        .bind(worker)
                        .bind(error)
                        .bind(at),
                    None => sqlx::query(sql_staff::MARK_DEAD)
                        .bind(id)
                        .bind(worker)
                        .bind(error),
                };
                let changed = query.execute(&self.pool).await.map_err(db_error)?.rows_affected();
                Ok(changed > 0)
            }

            async fn deliveries(&self, message_id: uuid::Uuid) -> StoreResult<Vec<(Channel, OutboxStatus, u32)>> {
                let rows = sqlx::query(sql_staff::DELIVERIES)
                    .bind(message_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, |r| {
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
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::AccessLogRepository for $store {
            async fn record_access(&self, entries: &[AccessLogEntry]) -> StoreResult<()> {
                if entries.is_empty() {
                    return Ok(());
                }
                let mut tx = self.pool.begin().await.map_err(db_error)?;
                for a in entries {
                    Self::insert_access(&mut tx, a).await?;
                }
                tx.commit().await.map_err(db_error)?;
                Ok(())
            }

            async fn resident_access_log(
                &self,
                resident: ResidentId,
                limit: u32,
            ) -> StoreResult<Vec<(AccessLogEntry, Option<String>)>> {
                let rows = sqlx::query(sql_staff::RESIDENT_ACCESS_LOG)
                    .bind(resident.as_uuid())
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, |r| {
                    Ok((columns::access_entry(r)?, r.opt_text("unit_name")?))
                })
            }

            async fn unit_access_log(
                &self,
                unit: UnitId,
                f: &AccessLogFilter,
            ) -> StoreResult<Vec<(AccessLogEntry, Resident)>> {
                let mut q = sqlx::QueryBuilder::new(sql_staff::UNIT_ACCESS_LOG);
                q.push_bind(unit.as_uuid());
                if let Some(from) = f.from {
                    q.push(" AND a.at >= ").push_bind(from);
                }
                if let Some(to) = f.to {
                    q.push(" AND a.at < ").push_bind(to);
                }
                if let Some(actor) = f.actor {
                    q.push(" AND a.actor_id = ").push_bind(actor.as_uuid());
                }
                if let Some(resident) = f.resident {
                    q.push(" AND a.resident_id = ").push_bind(resident.as_uuid());
                }
                if let Some(action) = f.action {
                    q.push(" AND a.action = ").push_bind(action.as_str());
                }
                q.push(" ORDER BY a.at DESC, a.id LIMIT ")
                    .push_bind(i64::from(f.limit.clamp(1, 1000)));
                let rows = q.build().fetch_all(&self.pool).await.map_err(db_error)?;
                columns::all(rows, |r| Ok((columns::access_entry(r)?, columns::resident(r)?)))
            }
        }

        impl $store {
            async fn try_replace_template(
                &self,
                practitioner: PractitionerId,
                blocks: &[ScheduleBlock],
            ) -> Result<(), Failure> {
                let mut tx = self.pool.begin().await?;
                // The row lock makes concurrent replacements take turns
                // instead of merging their blocks.
                Self::lock_practitioner(&mut tx, practitioner).await?;
                sqlx::query(sql_staff::DELETE_TEMPLATE)
                    .bind(practitioner.as_uuid())
                    .execute(&mut *tx)
                    .await?;
                for b in blocks {
                    sqlx::query(sql_staff::INSERT_TEMPLATE_BLOCK)
                        .bind(uuid::Uuid::new_v4())
                        .bind(practitioner.as_uuid())
                        .bind(b.weekday.number_from_monday() as i32)
                        .bind(b.appointment_type_id.as_uuid())
                        .bind((chrono::Timelike::num_seconds_from_midnight(&b.start) / 60) as i32)
                        .bind(i32::from(b.slot_length_minutes))
                        .bind(i32::from(b.count))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn try_put_day_override(
                &self,
                practitioner: PractitionerId,
                day: NaiveDate,
                blocks: &[ScheduleBlock],
                at: DateTime<Utc>,
            ) -> Result<(), Failure> {
                let mut tx = self.pool.begin().await?;
                Self::lock_practitioner(&mut tx, practitioner).await?;
                sqlx::query(sql_staff::DELETE_DAY_OVERRIDE_BLOCKS)
                    .bind(practitioner.as_uuid())
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sql_staff::DELETE_DAY_OVERRIDE)
                    .bind(practitioner.as_uuid())
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sql_staff::INSERT_DAY_OVERRIDE)
                    .bind(practitioner.as_uuid())
                    .bind(day)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                for b in blocks {
                    sqlx::query(sql_staff::INSERT_DAY_OVERRIDE_BLOCK)
                        .bind(uuid::Uuid::new_v4())
                        .bind(practitioner.as_uuid())
                        .bind(day)
                        .bind(b.appointment_type_id.as_uuid())
                        .bind((chrono::Timelike::num_seconds_from_midnight(&b.start) / 60) as i32)
                        .bind(i32::from(b.slot_length_minutes))
                        .bind(i32::from(b.count))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn try_apply_publication(&self, p: &Publication, at: DateTime<Utc>) -> Result<Published, Failure> {
                let mut tx = self.pool.begin().await?;
                let mut published = Published {
                    conflicts: p.conflicts.clone(),
                    ..Published::default()
                };
                for id in &p.withdraw {
                    let withdrawn = sqlx::query(sql_staff::WITHDRAW_FREE_SLOT)
                        .bind(id.as_uuid())
                        .bind(at)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if withdrawn == 1 {
                        published.withdrawn += 1;
                        continue;
                    }
                    // Booked while we planned: it stays, and staff hear of it.
                    let holder = sqlx::query(sql_staff::SLOT_HOLDER)
                        .bind(id.as_uuid())
                        .fetch_optional(&mut *tx)
                        .await?;
                    if let Some(row) = holder {
                        if row.opt_uuid("booking_id")?.is_some() {
                            published.conflicts.push(*id);
                        }
                    }
                }
                // A slot booked after the publication was planned must not get a
                // new slot on top of it: drop planned slots that overlap any
                // booking as it stands now, inside this transaction.
                let mut create: Vec<&PlannedSlot> = p.create.iter().collect();
                if let (Some(first), Some(from), Some(to)) = (
                    p.create.first(),
                    p.create.iter().map(|s| s.starts_at).min(),
                    p.create.iter().map(|s| s.ends_at).max(),
                ) {
                    let booked: Vec<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query(sql_staff::BOOKED_BETWEEN)
                        .bind(first.practitioner_id.as_uuid())
                        .bind(from)
                        .bind(to)
                        .fetch_all(&mut *tx)
                        .await?
                        .iter()
                        .map(|r| Ok((r.instant("starts_at")?, r.instant("ends_at")?)))
                        .collect::<sqlx::Result<_>>()?;
                    create.retain(|s| !booked.iter().any(|(b0, b1)| *b0 < s.ends_at && s.starts_at < *b1));
                }
                for chunk in create.chunks(sql::SLOT_BATCH) {
                    let mut insert = sqlx::QueryBuilder::new(
                        "INSERT INTO slots (id, unit_id, practitioner_id, appointment_type_id, starts_at, ends_at, \
                         local_date, length_minutes) ",
                    );
                    insert.push_values(chunk, |mut row, s| {
                        row.push_bind(uuid::Uuid::new_v4())
                            .push_bind(s.unit_id.as_uuid())
                            .push_bind(s.practitioner_id.as_uuid())
                            .push_bind(s.appointment_type_id.as_uuid())
                            .push_bind(s.starts_at)
                            .push_bind(s.ends_at)
                            .push_bind(s.local_date)
                            .push_bind((s.ends_at - s.starts_at).num_minutes() as i32);
                    });
                    insert.push(" ON CONFLICT (practitioner_id, starts_at) WHERE withdrawn_at IS NULL DO NOTHING");
                    published.created += insert.build().execute(&mut *tx).await?.rows_affected();
                }
                let mut pairs: Vec<_> = p
                    .create
                    .iter()
                    .map(|s| (s.unit_id, s.appointment_type_id))
                    .collect();
                pairs.sort();
                pairs.dedup();
                for (unit, ty) in pairs {
                    sqlx::query(sql::OFFER_TYPE)
                        .bind(unit.as_uuid())
                        .bind(ty.as_uuid())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(published)
            }
        }
    };
}
