//! The online booking — the busiest write — once per backend, side by side.
//!
//! Both run the same steps in one transaction, under the same contract (the
//! store suite runs every test on both):
//!
//! 1. claim the idempotency key (a retry replays the first result);
//! 2. with a per-type cap, take the resident's row lock ([`LOCK_RESIDENT`]),
//!    so their concurrent bookings take turns, and count what they hold of
//!    the slot's type ([`ACTIVE_OF_SLOT_TYPE`], the cap's one count);
//! 3. claim the slot if it is free, and refuse it if it starts too soon;
//! 4. insert the booking, record it as the key's result, write the effects
//!    (notice, access log, reminders).
//!
//! SQLite runs in-process, where a statement costs no round trip, so it runs
//! the steps statement by statement ([`statement_by_statement`]). On
//! PostgreSQL every statement is a round trip, which costs both processes
//! more than the work it carries, so the key and the lock are one statement,
//! and the count with steps 3–4 one data-modifying CTE
//! ([`in_two_statements`]): four round trips (with BEGIN and COMMIT) instead
//! of nine. [`postgres_statements`] gives those two
//! statements with their parameters in bind order; the benchmark's ceiling
//! runs exactly them (`testing::ceiling`).

use super::{claim_key, claim_key_query, claim_slot, insert_claimed, key_result, set_key_result, BookingRow};
use crate::backend::Backend;
use crate::columns::Columns;
use crate::effects::write_effects;
use crate::error::{is_unique_violation, Failure};
use crate::query::{query, Query, Tx};
use tidbok_domain::ports::{Committed, Conflict, IdempotencyKey, IdempotentOperation, NewBooking};
use tidbok_domain::{BookingId, Effects};

/// Takes the resident's row lock: their bookings take turns, so the count
/// below cannot be raced past the cap.
const LOCK_RESIDENT: &str = "UPDATE residents SET booking_version = booking_version + 1 WHERE id = $1";

/// The per-type cap's count: the resident's ($1) booked slots starting after
/// $3 of the type of slot $2. Text, so PostgreSQL's CTE embeds the very same
/// words (with the same three parameters first).
macro_rules! active_of_slot_type {
    () => {
        "SELECT COUNT(*) AS n FROM bookings b \
         JOIN slots s ON s.id = b.slot_id JOIN slots target ON target.id = $2 \
         WHERE b.resident_id = $1 AND b.status = 'booked' AND b.starts_at > $3 \
           AND s.appointment_type_id = target.appointment_type_id"
    };
}
const ACTIVE_OF_SLOT_TYPE: &str = active_of_slot_type!();

/// PostgreSQL, steps 1–2 up to the count: claims the idempotency key and,
/// only if it was new, takes the resident's row lock. No row updated: the key was there.
/// $1–$5 as `CLAIM_IDEMPOTENCY_KEY`, $6 the resident.
const CLAIM_KEY_AND_LOCK_RESIDENT_POSTGRES: &str = concat!(
    "WITH claimed AS (",
    claim_idempotency_key!(),
    " RETURNING 1) \
     UPDATE residents SET booking_version = booking_version + 1 \
     WHERE id = $6 AND EXISTS (SELECT 1 FROM claimed)"
);

/// PostgreSQL, the cap's count and steps 3–4 in one statement, after the
/// resident's lock (a statement of its own, so the count here sees every
/// booking committed before the lock was granted). Each part runs only if
/// the one before it wrote; `held` is a scalar subquery under a one-time
/// filter, so without a cap the count is not run at all:
///
/// | part | does | parameters |
/// |---|---|---|
/// | `held` | the cap's count, only when there is a cap | $1 resident, $2 slot, $3 booked at; $10 cap (NULL: none) |
/// | `claimed` | claims the slot if free, not held (rule 16) and under the cap; returns its unit and start | $4 booking, $2, $3 |
/// | `booking` | inserts the booking on the claimed slot | $1–$9 ($5–$6 booked by: kind, id; $7 reason; $8 message; $9 hidden) |
/// | `key_result` | records the booking as the key's result | $11 principal, $12 operation, $13 key (NULL: none) |
/// | `message` | the inbox message | $14 id (NULL: none), $15 resident, $16 booking, $17 kind, $18 subject, $19 body, $20 created at |
/// | `deliveries` | its outbox rows, from parallel arrays | $21 ids, $22 channels, $23 recipients, $24 subjects, $25 bodies, $38 calendar files |
/// | `access` | access-log lines, from parallel arrays | $26 ids, $27 at, $28 actors, $29 roles, $30 names, $31 units, $32 actions, $33 residents, $34 bookings |
/// | `reminders` | the visit's reminders (rule 14), from parallel arrays, at the claimed start | $35 ids, $36 channels, $37 due |
///
/// It returns what the caller checks: `held` (NULL without a cap),
/// `claimed_starts_at` (NULL when nothing was claimed; the cut-off is checked
/// from it, as with `CLAIM_SLOT`), and how many rows `booked`, `keyed`,
/// `delivered`, `logged` and `reminded` wrote. A refusal rolls the whole lot back with
/// the transaction. The parameters are bound by [`postgres_statements`].
const BOOK_WITH_EFFECTS_POSTGRES: &str = concat!(
    "WITH held AS (SELECT (",
    active_of_slot_type!(),
    ") AS n WHERE $10::int4 IS NOT NULL), \
   claimed AS (\
     UPDATE slots SET booking_id = $4, hold_id = NULL, held_until = NULL \
     WHERE id = $2 AND booking_id IS NULL AND withdrawn_at IS NULL \
       AND (held_until IS NULL OR held_until <= $3) \
       AND ($10::int4 IS NULL OR (SELECT n FROM held) < $10::int4) \
     RETURNING unit_id, starts_at), \
   booking AS (\
     INSERT INTO bookings \
     (id, slot_id, resident_id, unit_id, starts_at, status, booked_by_kind, booked_by_id, booked_at, \
      reason_for_visit, message, hidden_in_portal, rebooked_from) \
     SELECT $4, $2, $1, c.unit_id, c.starts_at, 'booked', $5, $6, $3, $7, $8, $9, NULL \
     FROM claimed c \
     RETURNING id), \
   key_result AS (\
     UPDATE idempotency_keys SET booking_id = $4 \
     WHERE principal_id = $11 AND operation = $12 AND key = $13 AND EXISTS (SELECT 1 FROM booking) \
     RETURNING 1), \
   message AS (\
     INSERT INTO inbox_messages (id, resident_id, booking_id, kind, subject, body, created_at) \
     SELECT $14::uuid, $15::uuid, $16::uuid, $17, $18, $19, $20 FROM booking WHERE $14::uuid IS NOT NULL \
     RETURNING id), \
   deliveries AS (\
     INSERT INTO outbox \
     (id, message_id, channel, recipient, subject, body, status, attempts, next_attempt_at, created_at, calendar) \
     SELECT d.id, m.id, d.channel, d.recipient, d.subject, d.body, 'pending', 0, $20, $20, d.calendar \
     FROM message m CROSS JOIN unnest($21::uuid[], $22::text[], $23::text[], $24::text[], $25::text[], $38::text[]) \
       AS d (id, channel, recipient, subject, body, calendar) \
     RETURNING 1), \
   access AS (\
     INSERT INTO access_log \
     (id, at, actor_id, actor_role, actor_name, unit_id, action, resident_id, booking_id) \
     SELECT a.* FROM unnest($26::uuid[], $27::timestamptz[], $28::uuid[], $29::text[], $30::text[], \
       $31::uuid[], $32::text[], $33::uuid[], $34::uuid[]) \
       AS a (id, at, actor_id, actor_role, actor_name, unit_id, action, resident_id, booking_id) \
     WHERE EXISTS (SELECT 1 FROM booking) \
     RETURNING 1), \
   reminders AS (\
     INSERT INTO outbox \
     (id, kind, booking_id, visit_starts_at, channel, status, attempts, next_attempt_at, created_at) \
     SELECT r.id, 'reminder', $4, c.starts_at, r.channel, 'pending', 0, r.due, $3 \
     FROM claimed c CROSS JOIN unnest($35::uuid[], $36::text[], $37::timestamptz[]) AS r (id, channel, due) \
     WHERE EXISTS (SELECT 1 FROM booking) \
     RETURNING 1) \
   SELECT (SELECT n FROM held) AS held, (SELECT starts_at FROM claimed) AS claimed_starts_at, \
     (SELECT COUNT(*) FROM booking) AS booked, (SELECT COUNT(*) FROM key_result) AS keyed, \
     (SELECT COUNT(*) FROM deliveries) AS delivered, (SELECT COUNT(*) FROM access) AS logged, \
     (SELECT COUNT(*) FROM reminders) AS reminded"
);

/// Books online: one transaction, on either backend.
pub(super) async fn book(
    db: &Backend,
    b: &NewBooking,
    key: Option<&IdempotencyKey>,
    effects: &Effects,
) -> Result<Committed<BookingId>, Failure> {
    let mut tx = db.begin().await?;
    let done = match db {
        Backend::Sqlite(_) => statement_by_statement(&mut tx, b, key, effects).await?,
        Backend::Postgres(_) => in_two_statements(&mut tx, b, key, effects).await?,
    };
    // A replay wrote nothing: its transaction is simply dropped.
    if let Committed::Created(_) = done {
        tx.commit().await?;
    }
    Ok(done)
}

/// Whether a resident holding `held` bookings of a type may book one more.
fn within_cap(held: i64, cap: u32) -> bool {
    held < i64::from(cap)
}

/// SQLite: the steps one statement each.
pub(crate) async fn statement_by_statement(
    tx: &mut Tx,
    b: &NewBooking,
    key: Option<&IdempotencyKey>,
    effects: &Effects,
) -> Result<Committed<BookingId>, Failure> {
    let principal = b.booked_by.uuid();
    if let Some(replay) = claim_key(tx, principal, IdempotentOperation::Book, key, b.booked_at).await? {
        return Ok(replay);
    }
    if let Some(cap) = b.max_active_of_type {
        query(LOCK_RESIDENT)
            .bind(b.resident_id.as_uuid())
            .execute(&mut *tx)
            .await?;
        let held = query(ACTIVE_OF_SLOT_TYPE)
            .bind(b.resident_id.as_uuid())
            .bind(b.slot_id.as_uuid())
            .bind(b.booked_at)
            .fetch_one(&mut *tx)
            .await?
            .count("n")?;
        if !within_cap(held, cap) {
            return Err(Conflict::BookingLimitReached.into());
        }
    }
    let (unit_id, starts_at) = claim_slot(tx, b.id, b.slot_id, b.slot_must_start_after, b.booked_at).await?;
    insert_claimed(tx, BookingRow::new(b, unit_id, starts_at)).await?;
    set_key_result(tx, principal, IdempotentOperation::Book, key, b.id).await?;
    write_effects(tx, effects).await?;
    Ok(Committed::Created(b.id))
}

/// PostgreSQL's online booking as statements with their parameters bound.
pub(crate) struct PostgresBooking<'a> {
    /// Claims the key and takes the resident's lock, whichever of the two
    /// the booking needs; `None` when it has neither key nor cap. With a key,
    /// no row written means the key was there: the request is a retry.
    pub(crate) first: Option<Query<'a>>,
    /// [`BOOK_WITH_EFFECTS_POSTGRES`].
    pub(crate) rest: Query<'a>,
}

/// The statements PostgreSQL runs for this booking, and their parameters in
/// bind order: the one description of that order, for the store and for the
/// benchmark's ceiling.
pub(crate) fn postgres_statements<'a>(
    b: &'a NewBooking,
    key: Option<&'a IdempotencyKey>,
    effects: &'a Effects,
) -> PostgresBooking<'a> {
    let principal = b.booked_by.uuid();
    let operation = IdempotentOperation::Book;
    let resident = b.resident_id.as_uuid();
    let first = match (key, b.max_active_of_type) {
        (Some(k), Some(_)) => Some(
            query(CLAIM_KEY_AND_LOCK_RESIDENT_POSTGRES)
                .bind(principal)
                .bind(operation.as_str())
                .bind(&k.key)
                .bind(&k.fingerprint)
                .bind(b.booked_at)
                .bind(resident),
        ),
        (Some(k), None) => Some(claim_key_query(principal, operation, k, b.booked_at)),
        (None, Some(_)) => Some(query(LOCK_RESIDENT).bind(resident)),
        (None, None) => None,
    };
    let message = effects.notice.as_ref().map(|n| &n.message);
    let deliveries = effects.notice.as_ref().map_or(&[][..], |n| n.deliveries.as_slice());
    let access = &effects.access;
    let reminders = &effects.reminders;
    let rest = query(BOOK_WITH_EFFECTS_POSTGRES)
        .bind(resident)
        .bind(b.slot_id.as_uuid())
        .bind(b.booked_at)
        .bind(b.id.as_uuid())
        .bind(b.booked_by.kind().as_str())
        .bind(principal)
        .bind(b.reason_for_visit.as_ref().map(|r| r.as_str()))
        .bind(b.message.as_ref().map(|m| m.as_str()))
        .bind(b.hidden_in_portal)
        .bind(b.max_active_of_type.map(|cap| i32::try_from(cap).unwrap_or(i32::MAX)))
        .bind(principal)
        .bind(operation.as_str())
        .bind(key.map(|k| k.key.as_str()))
        .bind(message.map(|m| m.id))
        .bind(message.map(|m| m.resident_id.as_uuid()))
        .bind(message.and_then(|m| m.booking_id.map(|id| id.as_uuid())))
        .bind(message.map(|m| m.kind.as_str()))
        .bind(message.map(|m| m.subject.as_str()))
        .bind(message.map(|m| m.body.as_str()))
        .bind(message.map(|m| m.created_at))
        .bind(deliveries.iter().map(|d| d.id).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.channel.as_str()).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.recipient.as_str()).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.subject.as_str()).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.body.as_str()).collect::<Vec<_>>())
        .bind(access.iter().map(|a| a.id).collect::<Vec<_>>())
        .bind(access.iter().map(|a| a.at).collect::<Vec<_>>())
        .bind(access.iter().map(|a| a.actor_id).collect::<Vec<_>>())
        .bind(access.iter().map(|a| a.actor_role.as_str()).collect::<Vec<_>>())
        .bind(access.iter().map(|a| a.actor_name.as_deref()).collect::<Vec<_>>())
        .bind(
            access
                .iter()
                .map(|a| a.unit_id.map(|u| u.as_uuid()))
                .collect::<Vec<_>>(),
        )
        .bind(access.iter().map(|a| a.action.as_str()).collect::<Vec<_>>())
        .bind(access.iter().map(|a| a.resident_id.as_uuid()).collect::<Vec<_>>())
        .bind(
            access
                .iter()
                .map(|a| a.booking_id.map(|id| id.as_uuid()))
                .collect::<Vec<_>>(),
        )
        .bind(reminders.iter().map(|r| r.id).collect::<Vec<_>>())
        .bind(reminders.iter().map(|r| r.channel.as_str()).collect::<Vec<_>>())
        .bind(reminders.iter().map(|r| r.at).collect::<Vec<_>>())
        .bind(deliveries.iter().map(|d| d.calendar.as_deref()).collect::<Vec<_>>());
    PostgresBooking { first, rest }
}

/// PostgreSQL: [`postgres_statements`], then the checks of what they wrote.
async fn in_two_statements(
    tx: &mut Tx,
    b: &NewBooking,
    key: Option<&IdempotencyKey>,
    effects: &Effects,
) -> Result<Committed<BookingId>, Failure> {
    let statements = postgres_statements(b, key, effects);
    if let Some(first) = statements.first {
        let fresh = first.execute(&mut *tx).await?;
        if let (Some(k), 0) = (key, fresh) {
            return key_result(tx, b.booked_by.uuid(), IdempotentOperation::Book, k).await;
        }
    }
    let row = match statements.rest.fetch_one(&mut *tx).await {
        // Another active booking of the slot (its partial unique index).
        Err(e) if is_unique_violation(&e) => return Err(Conflict::SlotTaken.into()),
        other => other?,
    };
    let started_in_time = match row.opt_instant("claimed_starts_at")? {
        Some(starts_at) => starts_at > b.slot_must_start_after,
        None => true,
    };
    if !started_in_time {
        return Err(Conflict::SlotTaken.into());
    }
    if row.count("booked")? == 0 {
        return Err(match b.max_active_of_type {
            Some(cap) if !within_cap(row.count("held")?, cap) => Conflict::BookingLimitReached,
            _ => Conflict::SlotTaken,
        }
        .into());
    }
    let expected = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let deliveries = effects.notice.as_ref().map_or(0, |n| n.deliveries.len());
    if row.count("keyed")? != expected(usize::from(key.is_some()))
        || row.count("delivered")? != expected(deliveries)
        || row.count("logged")? != expected(effects.access.len())
        || row.count("reminded")? != expected(effects.reminders.len())
    {
        return Err(Failure::Corrupt("a booking's effects were not all written".into()));
    }
    Ok(Committed::Created(b.id))
}
