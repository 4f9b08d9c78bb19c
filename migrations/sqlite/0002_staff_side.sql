-- The staff and admin side: schedule templates and one-day changes, the
-- resident's inbox and the notification outbox, and the access log.
--
-- Why it looks like this:
--  * Templates are rows of blocks per practitioner (weekday, type, start,
--    length, count); a one-day change (ändra mall tillfälligt, tom dag) is a
--    day_overrides row with its own blocks, none for an empty day.
--  * Notifications use a transactional outbox: the inbox message and one
--    outbox row per channel are written in the transaction that changes the
--    booking, so nothing is lost if the process dies before delivery. Workers
--    claim due rows with a lease (claimed_until) and a token (claimed_by), so
--    two workers never send the same row at once.
--  * access_log is append-only (a trigger refuses UPDATE and DELETE): who
--    read or changed which resident's data, when, as which role, at which unit.
--  * SQLite twin of migrations/postgres (BLOB ids, TEXT instants); keep them in step.

CREATE TABLE schedule_blocks (
    id BLOB PRIMARY KEY,
    practitioner_id BLOB NOT NULL REFERENCES practitioners (id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    appointment_type_id BLOB NOT NULL REFERENCES appointment_types (id),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    slot_length_minutes INTEGER NOT NULL CHECK (slot_length_minutes BETWEEN 5 AND 480),
    slot_count INTEGER NOT NULL CHECK (slot_count BETWEEN 1 AND 96)
);
CREATE INDEX schedule_blocks_practitioner_idx ON schedule_blocks (practitioner_id);

CREATE TABLE day_overrides (
    practitioner_id BLOB NOT NULL REFERENCES practitioners (id),
    day TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (practitioner_id, day)
);

CREATE TABLE day_override_blocks (
    id BLOB PRIMARY KEY,
    practitioner_id BLOB NOT NULL,
    day TEXT NOT NULL,
    appointment_type_id BLOB NOT NULL REFERENCES appointment_types (id),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    slot_length_minutes INTEGER NOT NULL CHECK (slot_length_minutes BETWEEN 5 AND 480),
    slot_count INTEGER NOT NULL CHECK (slot_count BETWEEN 1 AND 96),
    FOREIGN KEY (practitioner_id, day) REFERENCES day_overrides (practitioner_id, day) ON DELETE CASCADE
);
CREATE INDEX day_override_blocks_day_idx ON day_override_blocks (practitioner_id, day);

-- The terms text as the unit admin wrote it (Markdown) is terms_text; this is
-- it rendered and sanitised, as residents see it.
ALTER TABLE unit_services ADD COLUMN terms_html TEXT NOT NULL DEFAULT '';

-- The cancellation feed shows where a rebooked booking went.
CREATE INDEX bookings_rebooked_from_idx ON bookings (rebooked_from);

CREATE TABLE inbox_messages (
    id BLOB PRIMARY KEY,
    resident_id BLOB NOT NULL REFERENCES residents (id),
    booking_id BLOB REFERENCES bookings (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX inbox_messages_resident_idx ON inbox_messages (resident_id, created_at);

CREATE TABLE outbox (
    id BLOB PRIMARY KEY,
    message_id BLOB NOT NULL REFERENCES inbox_messages (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by BLOB,
    claimed_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_message_idx ON outbox (message_id);

CREATE TABLE access_log (
    id BLOB PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id BLOB NOT NULL,
    actor_role TEXT NOT NULL,
    actor_name TEXT,
    unit_id BLOB,
    action TEXT NOT NULL,
    resident_id BLOB NOT NULL REFERENCES residents (id),
    booking_id BLOB
);
CREATE INDEX access_log_resident_idx ON access_log (resident_id, at);
CREATE INDEX access_log_unit_idx ON access_log (unit_id, at);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
