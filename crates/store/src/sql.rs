//! The SQL of every port, written once and implemented for both backends by
//! [`impl_ports!`]. Placeholders are `$n`, which SQLite and PostgreSQL both
//! accept. Statements specific to one database carry its name.

macro_rules! unit_cols {
    () => {
        "u.id AS u_id, u.region_id AS u_region_id, u.name AS u_name, u.phone AS u_phone, u.address AS u_address"
    };
}
macro_rules! type_cols {
    () => {
        "t.id AS t_id, t.region_id AS t_region_id, t.name AS t_name, t.profession AS t_profession, t.mode AS t_mode, \
         t.default_length_minutes AS t_default_length_minutes, t.portal_policy AS t_portal_policy, \
         t.min_age_years AS t_min_age_years, t.established_contact_only AS t_established_contact_only, \
         t.instructions AS t_instructions, t.retired AS t_retired"
    };
}
macro_rules! practitioner_cols {
    () => {
        "p.id AS p_id, p.unit_id AS p_unit_id, p.name AS p_name, p.profession AS p_profession"
    };
}
macro_rules! slot_cols {
    () => {
        "s.id AS s_id, s.unit_id AS s_unit_id, s.practitioner_id AS s_practitioner_id, \
         s.appointment_type_id AS s_appointment_type_id, s.starts_at AS s_starts_at, s.ends_at AS s_ends_at, \
         s.booking_id AS s_booking_id, s.withdrawn_at AS s_withdrawn_at"
    };
}
macro_rules! booking_cols {
    () => {
        "b.id AS b_id, b.slot_id AS b_slot_id, b.resident_id AS b_resident_id, b.status AS b_status, \
         b.booked_by_kind AS b_booked_by_kind, b.booked_by_id AS b_booked_by_id, b.booked_at AS b_booked_at, \
         b.reason_for_visit AS b_reason_for_visit, b.message AS b_message, b.hidden_in_portal AS b_hidden_in_portal, \
         b.cancellation_reason AS b_cancellation_reason, b.cancelled_by_kind AS b_cancelled_by_kind, \
         b.cancelled_by_id AS b_cancelled_by_id, b.cancelled_at AS b_cancelled_at, b.rebooked_from AS b_rebooked_from"
    };
}
macro_rules! resident_cols {
    () => {
        "res.id AS res_id, res.pnr AS res_pnr, res.name AS res_name, res.phone AS res_phone, res.email AS res_email, \
         res.notify_sms AS res_notify_sms, res.notify_email AS res_notify_email"
    };
}
macro_rules! slot_details_from {
    () => {
        " FROM slots s \
          JOIN appointment_types t ON t.id = s.appointment_type_id \
          JOIN practitioners p ON p.id = s.practitioner_id \
          JOIN units u ON u.id = s.unit_id"
    };
}
macro_rules! slot_details_select {
    () => {
        concat!(
            "SELECT ",
            slot_cols!(),
            ", ",
            type_cols!(),
            ", ",
            practitioner_cols!(),
            ", ",
            unit_cols!()
        )
    };
}
macro_rules! booking_details_select {
    () => {
        concat!(
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
            " FROM bookings b JOIN slots s ON s.id = b.slot_id \
              JOIN appointment_types t ON t.id = s.appointment_type_id \
              JOIN practitioners p ON p.id = s.practitioner_id \
              JOIN units u ON u.id = s.unit_id"
        )
    };
}

/// Free slots per Stockholm date, for one type at one unit (the calendar).
pub const FREE_SLOT_COUNTS_BY_TYPE: &str = "SELECT s.local_date AS day, COUNT(*) AS n FROM slots s \
     WHERE s.unit_id = $1 AND s.appointment_type_id = $2 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND s.local_date >= $3 AND s.local_date <= $4 AND s.starts_at > $5 \
     GROUP BY s.local_date ORDER BY s.local_date";

/// Free slots per date of one practitioner, type and length (rebook targets).
pub const FREE_SLOT_COUNTS_BY_PRACTITIONER: &str = "SELECT s.local_date AS day, COUNT(*) AS n FROM slots s \
     WHERE s.practitioner_id = $1 AND s.appointment_type_id = $2 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND s.local_date >= $3 AND s.local_date <= $4 AND s.starts_at > $5 AND s.length_minutes = $6 \
     GROUP BY s.local_date ORDER BY s.local_date";

pub const FREE_SLOTS_BY_TYPE: &str = concat!(
    slot_details_select!(),
    slot_details_from!(),
    " WHERE s.unit_id = $1 AND s.appointment_type_id = $2 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND s.local_date >= $3 AND s.local_date <= $4 AND s.starts_at > $5 \
     ORDER BY s.starts_at, s.id LIMIT 2000"
);

pub const FREE_SLOTS_BY_PRACTITIONER: &str = concat!(
    slot_details_select!(),
    slot_details_from!(),
    " WHERE s.practitioner_id = $1 AND s.appointment_type_id = $2 AND s.booking_id IS NULL AND s.withdrawn_at IS NULL \
       AND s.local_date >= $3 AND s.local_date <= $4 AND s.starts_at > $5 AND s.length_minutes = $6 \
     ORDER BY s.starts_at, s.id LIMIT 2000"
);

/// The resident's bookings ("my bookings"), by start.
pub const RESIDENT_BOOKINGS: &str = concat!(
    booking_details_select!(),
    " WHERE b.resident_id = $1 AND s.ends_at > $2 ORDER BY b.starts_at, b.id"
);

pub const BOOKING_BY_ID: &str = concat!(booking_details_select!(), " WHERE b.id = $1");
pub const SLOT_BY_ID: &str = concat!(slot_details_select!(), slot_details_from!(), " WHERE s.id = $1");
pub const SLOT_WITH_SETTINGS: &str = concat!(
    slot_details_select!(),
    ", us.unit_id AS us_unit_id, us.service AS us_service, us.active AS us_active, \
     us.audience AS us_audience, us.terms_text AS us_terms_text, us.terms_html AS us_terms_html",
    slot_details_from!(),
    " LEFT JOIN unit_services us ON us.unit_id = s.unit_id WHERE s.id = $1 ORDER BY us.service"
);

/// One row per service the unit has set up (or one row of nulls on the
/// right), each with the type's columns (nulls when there is no such type).
pub const UNIT_SETTINGS_AND_TYPE: &str = concat!(
    "SELECT u.id AS u_id, ",
    type_cols!(),
    ", us.unit_id AS us_unit_id, us.service AS us_service, us.active AS us_active, \
     us.audience AS us_audience, us.terms_text AS us_terms_text, us.terms_html AS us_terms_html \
     FROM units u LEFT JOIN appointment_types t ON t.id = $2 LEFT JOIN unit_services us ON us.unit_id = u.id \
     WHERE u.id = $1 ORDER BY us.service"
);

pub const UNITS: &str = concat!("SELECT ", unit_cols!(), " FROM units u ORDER BY u.name, u.id");
pub const UNIT_BY_ID: &str = concat!("SELECT ", unit_cols!(), " FROM units u WHERE u.id = $1");
pub const REGION_BY_ID: &str =
    "SELECT r.id AS r_id, r.name AS r_name, r.notify_on_staff_cancel AS r_notify_on_staff_cancel \
     FROM regions r WHERE r.id = $1";
pub const TYPE_BY_ID: &str = concat!("SELECT ", type_cols!(), " FROM appointment_types t WHERE t.id = $1");
pub const UNIT_TYPES: &str = concat!(
    "SELECT ",
    type_cols!(),
    " FROM unit_appointment_types ut JOIN appointment_types t ON t.id = ut.appointment_type_id \
     WHERE ut.unit_id = $1 ORDER BY t.name, t.id"
);
pub const PRACTITIONER_BY_ID: &str = concat!("SELECT ", practitioner_cols!(), " FROM practitioners p WHERE p.id = $1");
pub const SERVICE_SETTINGS: &str =
    "SELECT us.unit_id AS us_unit_id, us.service AS us_service, us.active AS us_active, \
     us.audience AS us_audience, us.terms_text AS us_terms_text, us.terms_html AS us_terms_html FROM unit_services us \
     WHERE us.unit_id = $1 ORDER BY us.service";
pub const IN_SELECTION: &str =
    "SELECT COUNT(*) AS n FROM service_selection WHERE unit_id = $1 AND service = $2 AND pnr = $3";

pub const RESIDENT_BY_ID: &str = concat!("SELECT ", resident_cols!(), " FROM residents res WHERE res.id = $1");
pub const RESIDENT_BY_PNR: &str = concat!("SELECT ", resident_cols!(), " FROM residents res WHERE res.pnr = $1");
pub const ESTABLISHED_CONTACT: &str = "SELECT COUNT(*) AS n FROM bookings b \
     JOIN slots s ON s.id = b.slot_id JOIN appointment_types t ON t.id = s.appointment_type_id \
     WHERE b.resident_id = $1 AND b.unit_id = $2 AND t.profession = $3 \
       AND b.status IN ('booked', 'arrived') AND b.starts_at > $4";

/// The claim. The start is checked by the caller from RETURNING, not in the
/// WHERE: a range condition there tempts PostgreSQL's generic plan into a
/// scan of a partial index instead of the primary key.
pub const CLAIM_SLOT: &str = "UPDATE slots SET booking_id = $1 \
     WHERE id = $2 AND booking_id IS NULL AND withdrawn_at IS NULL RETURNING unit_id, starts_at";
pub const RELEASE_SLOT: &str = "UPDATE slots SET booking_id = NULL WHERE id = $1 AND booking_id = $2";
pub const INSERT_BOOKING: &str = "INSERT INTO bookings \
     (id, slot_id, resident_id, unit_id, starts_at, status, booked_by_kind, booked_by_id, booked_at, \
      reason_for_visit, message, hidden_in_portal, rebooked_from) \
     VALUES ($1, $2, $3, $4, $5, 'booked', $6, $7, $8, $9, $10, $11, $12)";
pub const CANCEL_BOOKING: &str = "UPDATE bookings SET status = 'cancelled', cancellation_reason = $2, \
     cancelled_by_kind = $3, cancelled_by_id = $4, cancelled_at = $5 \
     WHERE id = $1 AND status = 'booked' RETURNING slot_id";
pub const MARK_REBOOKED: &str = "UPDATE bookings SET status = 'rebooked', \
     cancelled_by_kind = $2, cancelled_by_id = $3, cancelled_at = $4 \
     WHERE id = $1 AND status = 'booked' \
     RETURNING slot_id, resident_id, reason_for_visit, message, hidden_in_portal";

pub const CLAIM_IDEMPOTENCY_KEY: &str = "INSERT INTO idempotency_keys \
     (principal_id, operation, key, fingerprint, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
pub const IDEMPOTENCY_RESULT: &str = "SELECT fingerprint, booking_id FROM idempotency_keys \
     WHERE principal_id = $1 AND operation = $2 AND key = $3";
pub const SET_IDEMPOTENCY_RESULT: &str =
    "UPDATE idempotency_keys SET booking_id = $4 WHERE principal_id = $1 AND operation = $2 AND key = $3";

pub const INSERT_REGION: &str = "INSERT INTO regions (id, name, notify_on_staff_cancel) VALUES ($1, $2, $3)";
pub const INSERT_UNIT: &str = "INSERT INTO units (id, region_id, name, phone, address) VALUES ($1, $2, $3, $4, $5)";
pub const INSERT_PRACTITIONER: &str =
    "INSERT INTO practitioners (id, unit_id, name, profession) VALUES ($1, $2, $3, $4)";
pub const INSERT_TYPE: &str = "INSERT INTO appointment_types \
     (id, region_id, name, profession, mode, default_length_minutes, portal_policy, min_age_years, \
      established_contact_only, instructions, retired) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
pub const PUT_SERVICE: &str = "INSERT INTO unit_services (unit_id, service, active, audience, terms_text, terms_html) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_id, service) DO UPDATE \
     SET active = excluded.active, audience = excluded.audience, terms_text = excluded.terms_text, \
         terms_html = excluded.terms_html";
pub const ADD_TO_SELECTION: &str =
    "INSERT INTO service_selection (unit_id, service, pnr) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
pub const INSERT_RESIDENT: &str = "INSERT INTO residents (id, pnr, name, created_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (pnr) DO NOTHING";

pub const INSERT_INBOX: &str = "INSERT INTO inbox_messages \
     (id, resident_id, booking_id, kind, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub const INSERT_OUTBOX: &str = "INSERT INTO outbox \
     (id, message_id, channel, recipient, subject, body, status, attempts, next_attempt_at, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)";
pub const INSERT_ACCESS: &str = "INSERT INTO access_log \
     (id, at, actor_id, actor_role, actor_name, unit_id, action, resident_id, booking_id) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub const LOCK_RESIDENT: &str = "UPDATE residents SET booking_version = booking_version + 1 WHERE id = $1";
/// The resident's booked future slots of the type of slot $2.
pub const ACTIVE_OF_SLOT_TYPE: &str = "SELECT COUNT(*) AS n FROM bookings b \
     JOIN slots s ON s.id = b.slot_id JOIN slots target ON target.id = $2 \
     WHERE b.resident_id = $1 AND b.status = 'booked' AND b.starts_at > $3 \
       AND s.appointment_type_id = target.appointment_type_id";
pub const LOCK_PRACTITIONER: &str = "UPDATE practitioners SET book_version = book_version + 1 WHERE id = $1";
pub const WITHDRAW_OVERLAPPING_FREE: &str = "UPDATE slots SET withdrawn_at = $4 \
     WHERE practitioner_id = $1 AND booking_id IS NULL AND withdrawn_at IS NULL AND starts_at < $3 AND ends_at > $2";
pub const OVERLAPPING_BOOKED: &str = "SELECT COUNT(*) AS n FROM slots \
     WHERE practitioner_id = $1 AND booking_id IS NOT NULL AND withdrawn_at IS NULL AND starts_at < $3 AND ends_at > $2";
pub const INSERT_BOOKED_SLOT: &str = "INSERT INTO slots \
     (id, unit_id, practitioner_id, appointment_type_id, starts_at, ends_at, local_date, length_minutes, booking_id) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub const OFFER_TYPE: &str =
    "INSERT INTO unit_appointment_types (unit_id, appointment_type_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
pub const MARK_ARRIVED: &str =
    "UPDATE bookings SET status = 'arrived' WHERE id = $1 AND status = 'booked' RETURNING slot_id";
pub const MARK_ENTERED_IN_ERROR: &str = "UPDATE bookings SET status = 'entered_in_error', \
     cancelled_by_kind = $2, cancelled_by_id = $3, cancelled_at = $4 \
     WHERE id = $1 AND status IN ('booked', 'arrived') RETURNING slot_id";
pub const SET_HIDDEN: &str = "UPDATE bookings SET hidden_in_portal = $2 WHERE id = $1";

// ------------------------------------------------- PostgreSQL only --
// The online booking, the busiest write, in two statements instead of eight:
// every statement is a round trip, and on PostgreSQL a round trip costs both
// processes more than the work it carries. SQLite runs in-process and keeps
// the statement-by-statement transaction above (it has no data-modifying
// CTEs). The two are held to the same contract by the store suite.

/// Claims the idempotency key and, only if it was new, takes the resident's
/// row lock (the cap's turn-taking). No row updated: the key was there.
pub const CLAIM_KEY_AND_LOCK_RESIDENT_POSTGRES: &str = "WITH claimed AS (\
     INSERT INTO idempotency_keys (principal_id, operation, key, fingerprint, created_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1) \
     UPDATE residents SET booking_version = booking_version + 1 \
     WHERE id = $6 AND EXISTS (SELECT 1 FROM claimed)";

/// The rest of the booking in one statement, after the resident's lock (a
/// statement of its own, so the count here sees every booking committed
/// before the lock was granted): the cap's count, the claim, the booking, the
/// key's result, the inbox message, its deliveries and the access-log lines.
/// Each step runs only if the one before it succeeded; what the caller
/// refuses afterwards is rolled back with the transaction.
///
/// The claimed slot's start comes back for the caller to check against the
/// cut-off, as with [`CLAIM_SLOT`] (a refusal rolls the whole lot back).
///
/// $1 booking, $2 slot, $3 resident, $4 booked-by kind, $5 booked-by id,
/// $6 booked at, $7 reason, $8 message, $9 hidden, $10 cap (NULL: none),
/// $11–$13 the key (principal, operation, key; NULL key: none), $14–$20 the
/// inbox message (NULL id: none), $21–$25 its deliveries as arrays, $26–$34
/// the access-log lines as arrays.
pub const BOOK_WITH_EFFECTS_POSTGRES: &str = "WITH held AS (\
     SELECT COUNT(*) AS n FROM bookings b \
     JOIN slots s ON s.id = b.slot_id JOIN slots target ON target.id = $2 \
     WHERE $10::int4 IS NOT NULL AND b.resident_id = $3 AND b.status = 'booked' AND b.starts_at > $6 \
       AND s.appointment_type_id = target.appointment_type_id), \
   claimed AS (\
     UPDATE slots SET booking_id = $1 \
     WHERE id = $2 AND booking_id IS NULL AND withdrawn_at IS NULL \
       AND ($10::int4 IS NULL OR (SELECT n FROM held) < $10::int4) \
     RETURNING unit_id, starts_at), \
   booking AS (\
     INSERT INTO bookings \
     (id, slot_id, resident_id, unit_id, starts_at, status, booked_by_kind, booked_by_id, booked_at, \
      reason_for_visit, message, hidden_in_portal, rebooked_from) \
     SELECT $1, $2, $3, c.unit_id, c.starts_at, 'booked', $4, $5, $6, $7, $8, $9, NULL \
     FROM claimed c \
     RETURNING id), \
   key_result AS (\
     UPDATE idempotency_keys SET booking_id = $1 \
     WHERE principal_id = $11 AND operation = $12 AND key = $13 AND EXISTS (SELECT 1 FROM booking) \
     RETURNING 1), \
   message AS (\
     INSERT INTO inbox_messages (id, resident_id, booking_id, kind, subject, body, created_at) \
     SELECT $14::uuid, $15::uuid, $16::uuid, $17, $18, $19, $20 FROM booking WHERE $14::uuid IS NOT NULL \
     RETURNING id), \
   deliveries AS (\
     INSERT INTO outbox \
     (id, message_id, channel, recipient, subject, body, status, attempts, next_attempt_at, created_at) \
     SELECT d.id, m.id, d.channel, d.recipient, d.subject, d.body, 'pending', 0, $20, $20 \
     FROM message m CROSS JOIN unnest($21::uuid[], $22::text[], $23::text[], $24::text[], $25::text[]) \
       AS d (id, channel, recipient, subject, body) \
     RETURNING 1), \
   access AS (\
     INSERT INTO access_log \
     (id, at, actor_id, actor_role, actor_name, unit_id, action, resident_id, booking_id) \
     SELECT a.* FROM unnest($26::uuid[], $27::timestamptz[], $28::uuid[], $29::text[], $30::text[], \
       $31::uuid[], $32::text[], $33::uuid[], $34::uuid[]) \
       AS a (id, at, actor_id, actor_role, actor_name, unit_id, action, resident_id, booking_id) \
     WHERE EXISTS (SELECT 1 FROM booking) \
     RETURNING 1) \
   SELECT (SELECT n FROM held) AS held, (SELECT starts_at FROM claimed) AS claimed_starts_at, \
     (SELECT COUNT(*) FROM booking) AS booked, (SELECT COUNT(*) FROM key_result) AS keyed, \
     (SELECT COUNT(*) FROM deliveries) AS delivered, (SELECT COUNT(*) FROM access) AS logged";

/// Rows per multi-row INSERT of slots: 8 binds each stays far below both
/// backends' limit on bind parameters.
pub const SLOT_BATCH: usize = 500;

/// Implements every port for a store type with a `pool` field of database
/// `$db`. The body is backend-neutral: the store type and its database are
/// the only things that change.
macro_rules! impl_ports {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl tidbok_domain::ports::CatalogueRepository for $store {
            async fn units(&self) -> StoreResult<Vec<Unit>> {
                let rows = sqlx::query(sql::UNITS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::unit)
            }

            async fn unit(&self, id: UnitId) -> StoreResult<Option<Unit>> {
                let row = sqlx::query(sql::UNIT_BY_ID)
                    .bind(id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::unit(&r)).transpose().map_err(db_error)
            }

            async fn region(&self, id: RegionId) -> StoreResult<Option<Region>> {
                let row = sqlx::query(sql::REGION_BY_ID)
                    .bind(id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::region(&r)).transpose().map_err(db_error)
            }

            async fn appointment_type(&self, id: AppointmentTypeId) -> StoreResult<Option<AppointmentType>> {
                let row = sqlx::query(sql::TYPE_BY_ID)
                    .bind(id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::appointment_type(&r))
                    .transpose()
                    .map_err(db_error)
            }

            async fn unit_appointment_types(&self, unit: UnitId) -> StoreResult<Vec<AppointmentType>> {
                let rows = sqlx::query(sql::UNIT_TYPES)
                    .bind(unit.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::appointment_type)
            }

            async fn practitioner(&self, id: PractitionerId) -> StoreResult<Option<Practitioner>> {
                let row = sqlx::query(sql::PRACTITIONER_BY_ID)
                    .bind(id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::practitioner(&r))
                    .transpose()
                    .map_err(db_error)
            }

            async fn unit_settings_and_type(
                &self,
                unit: UnitId,
                ty: AppointmentTypeId,
            ) -> StoreResult<Option<(Vec<ServiceSetting>, Option<AppointmentType>)>> {
                let rows = sqlx::query(sql::UNIT_SETTINGS_AND_TYPE)
                    .bind(unit.as_uuid())
                    .bind(ty.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                let Some(first) = rows.first() else {
                    return Ok(None);
                };
                let ty = match first.opt_uuid("t_id").map_err(db_error)? {
                    Some(_) => Some(columns::appointment_type(first).map_err(db_error)?),
                    None => None,
                };
                let settings = columns::joined_settings(&rows).map_err(db_error)?;
                Ok(Some((settings, ty)))
            }

            async fn service_settings(&self, unit: UnitId) -> StoreResult<Vec<ServiceSetting>> {
                let rows = sqlx::query(sql::SERVICE_SETTINGS)
                    .bind(unit.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::service_setting)
            }

            async fn in_selection(
                &self,
                unit: UnitId,
                service: OnlineService,
                pnr: &PersonalIdentityNumber,
            ) -> StoreResult<bool> {
                let row = sqlx::query(sql::IN_SELECTION)
                    .bind(unit.as_uuid())
                    .bind(service.as_str())
                    .bind(pnr.canonical())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(row.count("n").map_err(db_error)? > 0)
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::CatalogueAdmin for $store {
            async fn insert_region(&self, region: &Region) -> StoreResult<()> {
                sqlx::query(sql::INSERT_REGION)
                    .bind(region.id.as_uuid())
                    .bind(&region.name)
                    .bind(region.notify_on_staff_cancel)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            async fn insert_unit(&self, unit: &Unit) -> StoreResult<()> {
                sqlx::query(sql::INSERT_UNIT)
                    .bind(unit.id.as_uuid())
                    .bind(unit.region_id.as_uuid())
                    .bind(&unit.name)
                    .bind(&unit.phone)
                    .bind(&unit.address)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            async fn insert_practitioner(&self, p: &Practitioner) -> StoreResult<()> {
                sqlx::query(sql::INSERT_PRACTITIONER)
                    .bind(p.id.as_uuid())
                    .bind(p.unit_id.as_uuid())
                    .bind(&p.name)
                    .bind(&p.profession)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            async fn link_practitioner_to_staff(
                &self,
                practitioner: PractitionerId,
                staff: StaffId,
            ) -> StoreResult<()> {
                sqlx::query(sql_staff::LINK_PRACTITIONER_TO_STAFF)
                    .bind(practitioner.as_uuid())
                    .bind(staff.as_uuid())
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            async fn insert_appointment_type(&self, t: &AppointmentType) -> StoreResult<()> {
                sqlx::query(sql::INSERT_TYPE)
                    .bind(t.id.as_uuid())
                    .bind(t.region_id.as_uuid())
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

            async fn put_service_setting(&self, s: &ServiceSetting) -> StoreResult<()> {
                sqlx::query(sql::PUT_SERVICE)
                    .bind(s.unit_id.as_uuid())
                    .bind(s.service.as_str())
                    .bind(s.active)
                    .bind(s.audience.as_str())
                    .bind(&s.terms_text)
                    .bind(&s.terms_html)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            async fn add_to_selection(
                &self,
                unit: UnitId,
                service: OnlineService,
                pnr: &PersonalIdentityNumber,
            ) -> StoreResult<()> {
                sqlx::query(sql::ADD_TO_SELECTION)
                    .bind(unit.as_uuid())
                    .bind(service.as_str())
                    .bind(pnr.canonical())
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::SlotRepository for $store {
            async fn slot(&self, id: SlotId) -> StoreResult<Option<SlotDetails>> {
                let row = sqlx::query(sql::SLOT_BY_ID)
                    .bind(id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::slot_details(&r))
                    .transpose()
                    .map_err(db_error)
            }

            async fn slot_with_settings(&self, id: SlotId) -> StoreResult<Option<(SlotDetails, Vec<ServiceSetting>)>> {
                // One row per service the unit has set up (none: one row of
                // nulls on the right).
                let rows = sqlx::query(sql::SLOT_WITH_SETTINGS)
                    .bind(id.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                let Some(first) = rows.first() else {
                    return Ok(None);
                };
                let slot = columns::slot_details(first).map_err(db_error)?;
                let settings = columns::joined_settings(&rows).map_err(db_error)?;
                Ok(Some((slot, settings)))
            }

            async fn free_slot_counts(&self, q: &FreeSlotQuery) -> StoreResult<Vec<(NaiveDate, u32)>> {
                let query = match q.practitioner_id {
                    None => sqlx::query(sql::FREE_SLOT_COUNTS_BY_TYPE).bind(q.unit_id.as_uuid()),
                    Some(p) => sqlx::query(sql::FREE_SLOT_COUNTS_BY_PRACTITIONER).bind(p.as_uuid()),
                };
                let query = query
                    .bind(q.appointment_type_id.as_uuid())
                    .bind(q.from)
                    .bind(q.to)
                    .bind(q.starting_after);
                let query = match q.practitioner_id {
                    None => query,
                    Some(_) => query.bind(q.length_minutes.map(|l| l as i32)),
                };
                let rows = query.fetch_all(&self.pool).await.map_err(db_error)?;
                columns::all(rows, |r| {
                    Ok((r.date("day")?, u32::try_from(r.count("n")?).unwrap_or(u32::MAX)))
                })
            }

            async fn free_slots(&self, q: &FreeSlotQuery) -> StoreResult<Vec<SlotDetails>> {
                let query = match q.practitioner_id {
                    None => sqlx::query(sql::FREE_SLOTS_BY_TYPE).bind(q.unit_id.as_uuid()),
                    Some(p) => sqlx::query(sql::FREE_SLOTS_BY_PRACTITIONER).bind(p.as_uuid()),
                };
                let query = query
                    .bind(q.appointment_type_id.as_uuid())
                    .bind(q.from)
                    .bind(q.to)
                    .bind(q.starting_after);
                let query = match q.practitioner_id {
                    None => query,
                    Some(_) => query.bind(q.length_minutes.map(|l| l as i32)),
                };
                let rows = query.fetch_all(&self.pool).await.map_err(db_error)?;
                columns::all(rows, columns::slot_details)
            }

            async fn insert_slots(&self, slots: &[PlannedSlot]) -> StoreResult<u64> {
                let mut created = 0;
                for chunk in slots.chunks(sql::SLOT_BATCH) {
                    let mut tx = self.pool.begin().await.map_err(db_error)?;
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
                    created += insert
                        .build()
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?
                        .rows_affected();

                    let mut pairs: Vec<_> = chunk.iter().map(|s| (s.unit_id, s.appointment_type_id)).collect();
                    pairs.sort();
                    pairs.dedup();
                    let mut offered =
                        sqlx::QueryBuilder::new("INSERT INTO unit_appointment_types (unit_id, appointment_type_id) ");
                    offered.push_values(&pairs, |mut row, (u, t)| {
                        row.push_bind(u.as_uuid()).push_bind(t.as_uuid());
                    });
                    offered.push(" ON CONFLICT DO NOTHING");
                    offered.build().execute(&mut *tx).await.map_err(db_error)?;
                    tx.commit().await.map_err(db_error)?;
                }
                Ok(created)
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::ResidentRepository for $store {
            async fn resident(&self, id: ResidentId) -> StoreResult<Option<Resident>> {
                let row = sqlx::query(sql::RESIDENT_BY_ID)
                    .bind(id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::resident(&r)).transpose().map_err(db_error)
            }

            async fn ensure_resident(
                &self,
                pnr: &PersonalIdentityNumber,
                name: Option<&PersonName>,
                at: DateTime<Utc>,
            ) -> StoreResult<Resident> {
                if let Some(row) = sqlx::query(sql::RESIDENT_BY_PNR)
                    .bind(pnr.canonical())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?
                {
                    return columns::resident(&row).map_err(db_error);
                }
                // Two first logins at once both insert; the unique constraint
                // keeps one and the other reads it back.
                sqlx::query(sql::INSERT_RESIDENT)
                    .bind(uuid::Uuid::new_v4())
                    .bind(pnr.canonical())
                    .bind(name.map(|n| n.as_str()))
                    .bind(at)
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                let row = sqlx::query(sql::RESIDENT_BY_PNR)
                    .bind(pnr.canonical())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::resident(&row).map_err(db_error)
            }

            async fn resident_by_pnr(&self, pnr: &PersonalIdentityNumber) -> StoreResult<Option<Resident>> {
                let row = sqlx::query(sql::RESIDENT_BY_PNR)
                    .bind(pnr.canonical())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::resident(&r)).transpose().map_err(db_error)
            }

            async fn has_established_contact(
                &self,
                resident: ResidentId,
                unit: UnitId,
                profession: &str,
                since: DateTime<Utc>,
            ) -> StoreResult<bool> {
                let row = sqlx::query(sql::ESTABLISHED_CONTACT)
                    .bind(resident.as_uuid())
                    .bind(unit.as_uuid())
                    .bind(profession)
                    .bind(since)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(row.count("n").map_err(db_error)? > 0)
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::BookingRepository for $store {
            async fn book(
                &self,
                b: &NewBooking,
                key: Option<&IdempotencyKey>,
                effects: &Effects,
            ) -> StoreResult<Committed<BookingId>> {
                // `try_book` is each backend's own (sqlite.rs, postgres.rs).
                Ok(retrying("book", || self.try_book(b, key, effects)).await?)
            }

            async fn book_ad_hoc(&self, b: &AdHocBooking, effects: &Effects) -> StoreResult<BookingId> {
                Ok(retrying("book_ad_hoc", || self.try_book_ad_hoc(b, effects)).await?)
            }

            async fn rebook(
                &self,
                r: &Rebooking,
                key: Option<&IdempotencyKey>,
                effects: &Effects,
            ) -> StoreResult<Committed<BookingId>> {
                Ok(retrying("rebook", || self.try_rebook(r, key, effects)).await?)
            }

            async fn cancel(&self, id: BookingId, c: &Cancellation, effects: &Effects) -> StoreResult<()> {
                Ok(retrying("cancel", || self.try_cancel(id, c, effects)).await?)
            }

            async fn change_status(&self, change: &StatusChange, effects: &Effects) -> StoreResult<()> {
                Ok(retrying("change_status", || self.try_change_status(change, effects)).await?)
            }

            async fn set_hidden_in_portal(&self, id: BookingId, hidden: bool, effects: &Effects) -> StoreResult<()> {
                Ok(retrying("set_hidden", || self.try_set_hidden(id, hidden, effects)).await?)
            }

            async fn booking(&self, id: BookingId) -> StoreResult<Option<BookingDetails>> {
                let row = sqlx::query(sql::BOOKING_BY_ID)
                    .bind(id.as_uuid())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                row.map(|r| columns::booking_details(&r))
                    .transpose()
                    .map_err(db_error)
            }

            async fn resident_bookings(
                &self,
                resident: ResidentId,
                ending_after: DateTime<Utc>,
            ) -> StoreResult<Vec<BookingDetails>> {
                let rows = sqlx::query(sql::RESIDENT_BOOKINGS)
                    .bind(resident.as_uuid())
                    .bind(ending_after)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                columns::all(rows, columns::booking_details)
            }

            async fn idempotent_result(
                &self,
                principal: uuid::Uuid,
                operation: IdempotentOperation,
                key: &str,
            ) -> StoreResult<Option<(String, BookingId)>> {
                let row = sqlx::query(sql::IDEMPOTENCY_RESULT)
                    .bind(principal)
                    .bind(operation.as_str())
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                let Some(row) = row else { return Ok(None) };
                let fingerprint = row.text("fingerprint").map_err(db_error)?;
                Ok(row
                    .opt_uuid("booking_id")
                    .map_err(db_error)?
                    .map(|b| (fingerprint, b.into())))
            }
        }

        #[async_trait::async_trait]
        impl tidbok_domain::ports::HealthCheck for $store {
            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1")
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }
        }

        impl $store {
            /// Records the key first, so a concurrent retry of the same request
            /// waits on it (PostgreSQL) or is serialized behind it (SQLite) and
            /// then replays instead of racing for the slot.
            async fn claim_key<'c>(
                tx: &mut sqlx::Transaction<'c, $db>,
                principal: uuid::Uuid,
                operation: IdempotentOperation,
                key: Option<&IdempotencyKey>,
                now: DateTime<Utc>,
            ) -> Result<Option<Committed<BookingId>>, Failure> {
                let Some(key) = key else { return Ok(None) };
                let inserted = sqlx::query(sql::CLAIM_IDEMPOTENCY_KEY)
                    .bind(principal)
                    .bind(operation.as_str())
                    .bind(&key.key)
                    .bind(&key.fingerprint)
                    .bind(now)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected();
                if inserted == 1 {
                    return Ok(None);
                }
                Self::key_result(tx, principal, operation, key).await.map(Some)
            }

            /// What an earlier request with this key did: its booking, or
            /// `IdempotencyKeyReused` when that request asked for something else.
            async fn key_result<'c>(
                tx: &mut sqlx::Transaction<'c, $db>,
                principal: uuid::Uuid,
                operation: IdempotentOperation,
                key: &IdempotencyKey,
            ) -> Result<Committed<BookingId>, Failure> {
                let row = sqlx::query(sql::IDEMPOTENCY_RESULT)
                    .bind(principal)
                    .bind(operation.as_str())
                    .bind(&key.key)
                    .fetch_one(&mut **tx)
                    .await?;
                if row.text("fingerprint")? != key.fingerprint {
                    return Err(Conflict::IdempotencyKeyReused.into());
                }
                match row.opt_uuid("booking_id")? {
                    Some(id) => Ok(Committed::Replayed(id.into())),
                    None => Err(Failure::Corrupt("idempotency key without result".into())),
                }
            }

            /// Claims a free slot for `booking`: its unit and start, or
            /// `SlotTaken` when it is not free or starts no later than
            /// `must_start_after` (see [`sql::CLAIM_SLOT`]).
            async fn claim_slot<'c>(
                tx: &mut sqlx::Transaction<'c, $db>,
                booking: BookingId,
                slot: SlotId,
                must_start_after: DateTime<Utc>,
            ) -> Result<(uuid::Uuid, DateTime<Utc>), Failure> {
                let claimed = sqlx::query(sql::CLAIM_SLOT)
                    .bind(booking.as_uuid())
                    .bind(slot.as_uuid())
                    .fetch_optional(&mut **tx)
                    .await?
                    .ok_or(Conflict::SlotTaken)?;
                let starts_at = claimed.instant("starts_at")?;
                if starts_at <= must_start_after {
                    return Err(Conflict::SlotTaken.into());
                }
                Ok((claimed.uuid("unit_id")?, starts_at))
            }

            async fn set_key_result<'c>(
                tx: &mut sqlx::Transaction<'c, $db>,
                principal: uuid::Uuid,
                operation: IdempotentOperation,
                key: Option<&IdempotencyKey>,
                booking: BookingId,
            ) -> Result<(), Failure> {
                if let Some(key) = key {
                    sqlx::query(sql::SET_IDEMPOTENCY_RESULT)
                        .bind(principal)
                        .bind(operation.as_str())
                        .bind(&key.key)
                        .bind(booking.as_uuid())
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            async fn try_rebook(
                &self,
                r: &Rebooking,
                key: Option<&IdempotencyKey>,
                effects: &Effects,
            ) -> Result<Committed<BookingId>, Failure> {
                let principal = r.by.uuid();
                let mut tx = self.pool.begin().await?;
                if let Some(replay) =
                    Self::claim_key(&mut tx, principal, IdempotentOperation::Rebook, key, r.at).await?
                {
                    return Ok(replay);
                }
                // The new slot first: the old booking is released only once it is ours.
                let (unit_id, starts_at) =
                    Self::claim_slot(&mut tx, r.new_booking_id, r.to_slot, r.slot_must_start_after).await?;
                let old = sqlx::query(sql::MARK_REBOOKED)
                    .bind(r.from.as_uuid())
                    .bind(r.by.kind().as_str())
                    .bind(r.by.uuid())
                    .bind(r.at)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(Conflict::BookingNotActive)?;
                sqlx::query(sql::RELEASE_SLOT)
                    .bind(old.uuid("slot_id")?)
                    .bind(r.from.as_uuid())
                    .execute(&mut *tx)
                    .await?;
                let insert = sqlx::query(sql::INSERT_BOOKING)
                    .bind(r.new_booking_id.as_uuid())
                    .bind(r.to_slot.as_uuid())
                    .bind(old.uuid("resident_id")?)
                    .bind(unit_id)
                    .bind(starts_at)
                    .bind(r.by.kind().as_str())
                    .bind(r.by.uuid())
                    .bind(r.at)
                    .bind(old.opt_text("reason_for_visit")?)
                    .bind(old.opt_text("message")?)
                    .bind(old.flag("hidden_in_portal")?)
                    .bind(Some(r.from.as_uuid()))
                    .execute(&mut *tx)
                    .await;
                match insert {
                    Err(e) if is_unique_violation(&e) => return Err(Conflict::SlotTaken.into()),
                    other => other?,
                };
                Self::set_key_result(
                    &mut tx,
                    principal,
                    IdempotentOperation::Rebook,
                    key,
                    r.new_booking_id,
                )
                .await?;
                Self::write_effects(&mut tx, effects).await?;
                tx.commit().await?;
                Ok(Committed::Created(r.new_booking_id))
            }

            /// Writes a change's inbox message, outbox rows and access-log
            /// lines inside its transaction.
            async fn write_effects<'c>(tx: &mut sqlx::Transaction<'c, $db>, effects: &Effects) -> Result<(), Failure> {
                if let Some(notice) = &effects.notice {
                    let m = &notice.message;
                    sqlx::query(sql::INSERT_INBOX)
                        .bind(m.id)
                        .bind(m.resident_id.as_uuid())
                        .bind(m.booking_id.map(|b| b.as_uuid()))
                        .bind(m.kind.as_str())
                        .bind(&m.subject)
                        .bind(&m.body)
                        .bind(m.created_at)
                        .execute(&mut **tx)
                        .await?;
                    for d in &notice.deliveries {
                        sqlx::query(sql::INSERT_OUTBOX)
                            .bind(d.id)
                            .bind(m.id)
                            .bind(d.channel.as_str())
                            .bind(&d.recipient)
                            .bind(&d.subject)
                            .bind(&d.body)
                            .bind(m.created_at)
                            .execute(&mut **tx)
                            .await?;
                    }
                }
                for a in &effects.access {
                    Self::insert_access(tx, a).await?;
                }
                Ok(())
            }

            async fn insert_access<'c>(tx: &mut sqlx::Transaction<'c, $db>, a: &AccessLogEntry) -> Result<(), Failure> {
                sqlx::query(sql::INSERT_ACCESS)
                    .bind(a.id)
                    .bind(a.at)
                    .bind(a.actor_id.as_uuid())
                    .bind(a.actor_role.as_str())
                    .bind(&a.actor_name)
                    .bind(a.unit_id.map(|u| u.as_uuid()))
                    .bind(a.action.as_str())
                    .bind(a.resident_id.as_uuid())
                    .bind(a.booking_id.map(|b| b.as_uuid()))
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            /// Takes the practitioner's row lock, so overlap checks of one
            /// book run one at a time (no EXCLUDE constraint needed).
            async fn lock_practitioner<'c>(
                tx: &mut sqlx::Transaction<'c, $db>,
                practitioner: PractitionerId,
            ) -> Result<(), Failure> {
                let locked = sqlx::query(sql::LOCK_PRACTITIONER)
                    .bind(practitioner.as_uuid())
                    .execute(&mut **tx)
                    .await?
                    .rows_affected();
                if locked == 0 {
                    return Err(Failure::Corrupt("no such practitioner".into()));
                }
                Ok(())
            }

            async fn try_book_ad_hoc(&self, a: &AdHocBooking, effects: &Effects) -> Result<BookingId, Failure> {
                let s = &a.slot;
                let b = &a.booking;
                let mut tx = self.pool.begin().await?;
                Self::lock_practitioner(&mut tx, s.practitioner_id).await?;
                // Free slots in the way step aside (only if still free) ...
                sqlx::query(sql::WITHDRAW_OVERLAPPING_FREE)
                    .bind(s.practitioner_id.as_uuid())
                    .bind(s.starts_at)
                    .bind(s.ends_at)
                    .bind(b.booked_at)
                    .execute(&mut *tx)
                    .await?;
                // ... and any booking in the way, including one that got
                // there first, refuses the time.
                let clash = sqlx::query(sql::OVERLAPPING_BOOKED)
                    .bind(s.practitioner_id.as_uuid())
                    .bind(s.starts_at)
                    .bind(s.ends_at)
                    .fetch_one(&mut *tx)
                    .await?
                    .count("n")?;
                if clash > 0 {
                    return Err(Conflict::Overlap.into());
                }
                let inserted = sqlx::query(sql::INSERT_BOOKED_SLOT)
                    .bind(a.slot_id.as_uuid())
                    .bind(s.unit_id.as_uuid())
                    .bind(s.practitioner_id.as_uuid())
                    .bind(s.appointment_type_id.as_uuid())
                    .bind(s.starts_at)
                    .bind(s.ends_at)
                    .bind(s.local_date)
                    .bind((s.ends_at - s.starts_at).num_minutes() as i32)
                    .bind(b.id.as_uuid())
                    .execute(&mut *tx)
                    .await;
                match inserted {
                    Err(e) if is_unique_violation(&e) => return Err(Conflict::Overlap.into()),
                    other => other?,
                };
                sqlx::query(sql::OFFER_TYPE)
                    .bind(s.unit_id.as_uuid())
                    .bind(s.appointment_type_id.as_uuid())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sql::INSERT_BOOKING)
                    .bind(b.id.as_uuid())
                    .bind(a.slot_id.as_uuid())
                    .bind(b.resident_id.as_uuid())
                    .bind(s.unit_id.as_uuid())
                    .bind(s.starts_at)
                    .bind(b.booked_by.kind().as_str())
                    .bind(b.booked_by.uuid())
                    .bind(b.booked_at)
                    .bind(b.reason_for_visit.as_ref().map(|r| r.as_str()))
                    .bind(b.message.as_ref().map(|m| m.as_str()))
                    .bind(b.hidden_in_portal)
                    .bind(None::<uuid::Uuid>)
                    .execute(&mut *tx)
                    .await?;
                Self::write_effects(&mut tx, effects).await?;
                tx.commit().await?;
                Ok(b.id)
            }

            async fn try_change_status(&self, c: &StatusChange, effects: &Effects) -> Result<(), Failure> {
                let mut tx = self.pool.begin().await?;
                match c.to {
                    BookingStatus::Arrived => {
                        sqlx::query(sql::MARK_ARRIVED)
                            .bind(c.booking.as_uuid())
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(Conflict::BookingNotActive)?;
                    }
                    BookingStatus::EnteredInError => {
                        let row = sqlx::query(sql::MARK_ENTERED_IN_ERROR)
                            .bind(c.booking.as_uuid())
                            .bind(c.by.kind().as_str())
                            .bind(c.by.uuid())
                            .bind(c.at)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(Conflict::BookingNotActive)?;
                        sqlx::query(sql::RELEASE_SLOT)
                            .bind(row.uuid("slot_id")?)
                            .bind(c.booking.as_uuid())
                            .execute(&mut *tx)
                            .await?;
                    }
                    other => return Err(Failure::Corrupt(format!("no status change to {other}"))),
                }
                Self::write_effects(&mut tx, effects).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn try_set_hidden(&self, id: BookingId, hidden: bool, effects: &Effects) -> Result<(), Failure> {
                let mut tx = self.pool.begin().await?;
                let changed = sqlx::query(sql::SET_HIDDEN)
                    .bind(id.as_uuid())
                    .bind(hidden)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if changed == 0 {
                    return Err(Conflict::BookingNotActive.into());
                }
                Self::write_effects(&mut tx, effects).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn try_cancel(&self, id: BookingId, c: &Cancellation, effects: &Effects) -> Result<(), Failure> {
                let mut tx = self.pool.begin().await?;
                let row = sqlx::query(sql::CANCEL_BOOKING)
                    .bind(id.as_uuid())
                    .bind(c.reason.as_str())
                    .bind(c.by.kind().as_str())
                    .bind(c.by.uuid())
                    .bind(c.at)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(Conflict::BookingNotActive)?;
                sqlx::query(sql::RELEASE_SLOT)
                    .bind(row.uuid("slot_id")?)
                    .bind(id.as_uuid())
                    .execute(&mut *tx)
                    .await?;
                Self::write_effects(&mut tx, effects).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
