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
--  * The same file exists for SQLite in migrations/sqlite; keep them in step
--    (tests/store: both_migration_sets_leave_the_same_schema).
ALTER TABLE outbox
    ALTER COLUMN message_id DROP NOT NULL,
    ALTER COLUMN recipient DROP NOT NULL,
    ALTER COLUMN subject DROP NOT NULL,
    ALTER COLUMN body DROP NOT NULL,
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'notice' CHECK (kind IN ('notice', 'reminder')),
    ADD COLUMN booking_id UUID REFERENCES bookings (id),
    ADD COLUMN visit_starts_at TIMESTAMPTZ,
    DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox
    ADD CONSTRAINT outbox_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'dead', 'cancelled', 'skipped')),
    ADD CONSTRAINT outbox_kind_shape CHECK (
        (kind = 'notice' AND message_id IS NOT NULL AND recipient IS NOT NULL
         AND subject IS NOT NULL AND body IS NOT NULL)
        OR (kind = 'reminder' AND booking_id IS NOT NULL AND visit_starts_at IS NOT NULL));
DROP INDEX outbox_due_idx;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_booking_idx ON outbox (booking_id) WHERE booking_id IS NOT NULL;

ALTER TABLE regions ADD COLUMN reminder_policy TEXT NOT NULL DEFAULT '168/240,48';
ALTER TABLE units
    ADD COLUMN reminder_policy TEXT NOT NULL DEFAULT '168/240,48',
    ADD COLUMN reminder_policy_own BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE residents
    ADD COLUMN remind_sms BOOLEAN NOT NULL DEFAULT TRUE,
    ADD COLUMN remind_email BOOLEAN NOT NULL DEFAULT TRUE;
