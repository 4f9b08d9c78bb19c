-- Reminders before a visit (rule 14 in docs/domain.md).
--
-- Why it looks like this:
--  * A reminder is an outbox row of kind 'reminder', written in the
--    transaction that books (or rebooks to) the visit: one per planned time
--    and channel, due (next_attempt_at) when it should go out. It names the
--    booking and the visit's start instead of carrying a text and a
--    recipient: the worker writes it when it is due, from the booking as it
--    is then and the resident's address and choices as they are then.
--  * A booking that leaves 'booked' (cancelled, rebooked, arrived, void) or is
--    hidden in the portal has its pending reminders cancelled in the same
--    transaction. Just before handing a row to a transport, the worker moves
--    it from 'pending' to 'sending' in one conditional update that also
--    requires the booking still booked at that start: a reminder goes out
--    only for a time the resident still has, and a row being sent is never
--    marked cancelled. 'skipped': due, but the resident has switched that
--    channel off or has no address for it.
--  * regions.reminder_policy: offsets in hours, earliest first ("168/240,48":
--    7 days before for bookings made more than 10 days ahead, and 48 hours).
--    units.reminder_policy holds the unit's effective policy, its own when
--    reminder_policy_own, else a copy of its region's that the region's
--    update rewrites in the same transaction.
--  * residents.remind_sms / remind_email: the resident's switch per channel.
--  * SQLite cannot change a column's nullability or a CHECK in place, so the
--    outbox is rebuilt and its rows copied. The same file exists for
--    PostgreSQL in migrations/postgres; keep them in step
--    (tests/store: both_migration_sets_leave_the_same_schema).
CREATE TABLE outbox_next (
    id BLOB PRIMARY KEY,
    message_id BLOB REFERENCES inbox_messages (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT,
    subject TEXT,
    body TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead', 'cancelled', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by BLOB,
    claimed_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    kind TEXT NOT NULL DEFAULT 'notice' CHECK (kind IN ('notice', 'reminder')),
    booking_id BLOB REFERENCES bookings (id),
    visit_starts_at TEXT,
    CONSTRAINT outbox_kind_shape CHECK (
        (kind = 'notice' AND message_id IS NOT NULL AND recipient IS NOT NULL
         AND subject IS NOT NULL AND body IS NOT NULL)
        OR (kind = 'reminder' AND booking_id IS NOT NULL AND visit_starts_at IS NOT NULL))
);
INSERT INTO outbox_next (id, message_id, channel, recipient, subject, body, status, attempts,
                         next_attempt_at, claimed_by, claimed_until, last_error, created_at, sent_at)
SELECT id, message_id, channel, recipient, subject, body, status, attempts,
       next_attempt_at, claimed_by, claimed_until, last_error, created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_message_idx ON outbox (message_id);
CREATE INDEX outbox_booking_idx ON outbox (booking_id) WHERE booking_id IS NOT NULL;

ALTER TABLE regions ADD COLUMN reminder_policy TEXT NOT NULL DEFAULT '168/240,48';
ALTER TABLE units ADD COLUMN reminder_policy TEXT NOT NULL DEFAULT '168/240,48';
ALTER TABLE units ADD COLUMN reminder_policy_own INTEGER NOT NULL DEFAULT 0;
ALTER TABLE residents ADD COLUMN remind_sms INTEGER NOT NULL DEFAULT 1;
ALTER TABLE residents ADD COLUMN remind_email INTEGER NOT NULL DEFAULT 1;
