-- The booking core: the catalogue (regions, units, practitioners, appointment
-- types, the units' online services), residents, slots and bookings.
--
-- Why it looks like this:
--  * UUID keys and no sequences, advisory locks or EXCLUDE constraints, so the
--    schema runs unchanged on PostgreSQL-compatible distributed engines.
--  * slots.booking_id is the claim. Booking is one conditional
--    `UPDATE slots ... WHERE booking_id IS NULL`; the partial unique index
--    bookings_one_active_per_slot backs it up, so two active bookings of one
--    slot cannot exist whatever the code does.
--  * slots.local_date is the Stockholm date of the start, stored so that the
--    calendar counts free slots per date from an index instead of converting
--    time zones row by row.
--  * bookings repeats unit_id and starts_at from its slot (they never change
--    once booked) so "my bookings" and the unit's book are index range scans.
--  * SQLite twin of migrations/postgres: UUIDs are 16-byte BLOBs (as sqlx
--    writes them), instants are TEXT in UTC, booleans INTEGER. Keep them in step.

CREATE TABLE regions (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    notify_on_staff_cancel INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE units (
    id BLOB PRIMARY KEY,
    region_id BLOB NOT NULL REFERENCES regions (id),
    name TEXT NOT NULL,
    phone TEXT,
    address TEXT
);
CREATE INDEX units_region_idx ON units (region_id);

CREATE TABLE practitioners (
    id BLOB PRIMARY KEY,
    unit_id BLOB NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    profession TEXT NOT NULL,
    -- Bumped by every ad-hoc booking, which so takes a row lock that
    -- serializes overlap checks of one practitioner's book.
    book_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX practitioners_unit_idx ON practitioners (unit_id);

CREATE TABLE appointment_types (
    id BLOB PRIMARY KEY,
    region_id BLOB NOT NULL REFERENCES regions (id),
    name TEXT NOT NULL,
    profession TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('visit', 'phone_call_back', 'video', 'home_visit')),
    default_length_minutes INTEGER NOT NULL CHECK (default_length_minutes BETWEEN 5 AND 480),
    portal_policy TEXT NOT NULL CHECK (portal_policy IN ('hidden', 'visible', 'cancelable', 'self_service')),
    min_age_years INTEGER CHECK (min_age_years BETWEEN 0 AND 130),
    established_contact_only INTEGER NOT NULL DEFAULT 0,
    instructions TEXT,
    retired INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT appointment_types_region_name_key UNIQUE (region_id, name)
);

-- A row exists once a regional admin has set the service up for the unit.
CREATE TABLE unit_services (
    unit_id BLOB NOT NULL REFERENCES units (id),
    service TEXT NOT NULL CHECK (service IN ('book_online', 'cancel_rebook_online')),
    active INTEGER NOT NULL DEFAULT 0,
    audience TEXT NOT NULL DEFAULT 'all_residents' CHECK (audience IN ('all_residents', 'restricted_selection')),
    terms_text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, service)
);

-- The restricted selection of a service, by canonical personal identity number.
CREATE TABLE service_selection (
    unit_id BLOB NOT NULL,
    service TEXT NOT NULL,
    pnr TEXT NOT NULL,
    PRIMARY KEY (unit_id, service, pnr),
    FOREIGN KEY (unit_id, service) REFERENCES unit_services (unit_id, service) ON DELETE CASCADE
);

CREATE TABLE residents (
    id BLOB PRIMARY KEY,
    pnr TEXT NOT NULL CONSTRAINT residents_pnr_key UNIQUE,
    name TEXT,
    phone TEXT,
    email TEXT,
    notify_sms INTEGER NOT NULL DEFAULT 0,
    notify_email INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    -- Bumped by every online booking of the resident, which so takes a row
    -- lock: the cap on active bookings per type is checked one at a time.
    booking_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE slots (
    id BLOB PRIMARY KEY,
    unit_id BLOB NOT NULL REFERENCES units (id),
    practitioner_id BLOB NOT NULL REFERENCES practitioners (id),
    appointment_type_id BLOB NOT NULL REFERENCES appointment_types (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    local_date TEXT NOT NULL,
    length_minutes INTEGER NOT NULL,
    booking_id BLOB,
    -- Set when a republished template, a temporary change or an empty day
    -- takes a free slot away. Kept, not deleted: cancelled bookings of the
    -- slot still point at it.
    withdrawn_at TEXT,
    CONSTRAINT slots_end_after_start CHECK (ends_at > starts_at),
    CONSTRAINT slots_withdrawn_is_free CHECK (withdrawn_at IS NULL OR booking_id IS NULL)
);
-- One live slot per practitioner and start; withdrawn slots step aside.
CREATE UNIQUE INDEX slots_practitioner_start_key ON slots (practitioner_id, starts_at) WHERE withdrawn_at IS NULL;
-- The resident's calendar: free slots of one type at one unit, by date.
CREATE INDEX slots_free_search_idx ON slots (unit_id, appointment_type_id, local_date, starts_at)
    WHERE booking_id IS NULL AND withdrawn_at IS NULL;
-- Rebook targets: free slots of one practitioner and type.
CREATE INDEX slots_free_practitioner_idx ON slots (practitioner_id, appointment_type_id, starts_at)
    WHERE booking_id IS NULL AND withdrawn_at IS NULL;
-- The appointment book: every slot of a unit by date.
CREATE INDEX slots_unit_date_idx ON slots (unit_id, local_date, starts_at);

-- Which types a unit has scheduled, kept as slots are created.
CREATE TABLE unit_appointment_types (
    unit_id BLOB NOT NULL REFERENCES units (id),
    appointment_type_id BLOB NOT NULL REFERENCES appointment_types (id),
    PRIMARY KEY (unit_id, appointment_type_id)
);

CREATE TABLE bookings (
    id BLOB PRIMARY KEY,
    slot_id BLOB NOT NULL REFERENCES slots (id),
    resident_id BLOB NOT NULL REFERENCES residents (id),
    unit_id BLOB NOT NULL REFERENCES units (id),
    starts_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('booked', 'arrived', 'cancelled', 'rebooked', 'entered_in_error')),
    booked_by_kind TEXT NOT NULL CHECK (booked_by_kind IN ('resident', 'staff')),
    booked_by_id BLOB NOT NULL,
    booked_at TEXT NOT NULL,
    reason_for_visit TEXT,
    message TEXT,
    hidden_in_portal INTEGER NOT NULL DEFAULT 0,
    cancellation_reason TEXT,
    cancelled_by_kind TEXT CHECK (cancelled_by_kind IN ('resident', 'staff')),
    cancelled_by_id BLOB,
    cancelled_at TEXT,
    rebooked_from BLOB REFERENCES bookings (id),
    CONSTRAINT bookings_cancelled_has_reason CHECK (status <> 'cancelled' OR cancellation_reason IS NOT NULL)
);
CREATE UNIQUE INDEX bookings_one_active_per_slot ON bookings (slot_id) WHERE status IN ('booked', 'arrived');
CREATE INDEX bookings_resident_idx ON bookings (resident_id, starts_at);
CREATE INDEX bookings_unit_start_idx ON bookings (unit_id, starts_at);
-- The unit's cancellation feed.
CREATE INDEX bookings_unit_cancelled_idx ON bookings (unit_id, cancelled_at);
CREATE INDEX bookings_slot_idx ON bookings (slot_id);

-- Idempotency keys of booking and rebooking requests, per principal.
CREATE TABLE idempotency_keys (
    principal_id BLOB NOT NULL,
    operation TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    booking_id BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (principal_id, operation, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
