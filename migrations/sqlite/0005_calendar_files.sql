-- Calendar files (rule 18 in docs/domain.md).
--
-- Why it looks like this:
--  * A booking and every booking it is rebooked to are one calendar event:
--    bookings.calendar_uid names it (NULL: the booking's own id, the first of
--    its line), and calendar_sequence counts its changes: a rebooking carries
--    the uid over with the sequence raised by one, a cancellation or voiding
--    raises it by one, so calendar programs replace or remove the event
--    instead of adding a second.
--  * outbox.calendar: the iCalendar file an e-mail notice carries (REQUEST for
--    a booking or rebooking, CANCEL for a cancellation), written with it.
--  * The same file exists for PostgreSQL in migrations/postgres; keep them in step.
ALTER TABLE bookings ADD COLUMN calendar_uid BLOB;
ALTER TABLE bookings ADD COLUMN calendar_sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN calendar TEXT;
