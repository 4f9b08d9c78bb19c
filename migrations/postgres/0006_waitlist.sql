-- An earlier time (återbudslista) and holds (rules 15 and 16 in docs/domain.md).
--
-- Why it looks like this:
--  * waitlist_entries: a resident's wish to move one booking earlier, with
--    what qualifies copied from the booking's slot (unit, practitioner, type,
--    length) and the optional filters: weekdays (a bit per ISO weekday,
--    Monday = 1) and the earliest local time of day (minutes after
--    midnight). Queue order is asked_at, then id. One waiting entry per
--    booking (waitlist_one_waiting_per_booking). An entry whose booking has
--    left 'booked' is simply never matched again, and is marked 'ended' by
--    the change that ended its booking.
--  * holds: a slot kept for one party until the hold is settled or runs out.
--    Today the only holder is an offer to a waiting entry; an integrator's
--    hold (FHIR $hold) is the same row without an entry. The slot row itself
--    carries the live hold (slots.hold_id, slots.held_until), so every claim
--    of the slot is one conditional update on one row that also sees the
--    hold: a held slot is claimed only by its holder, an expired hold stops
--    counting at held_until by itself (no worker needed for that), and the
--    workers settle expired holds and pass the slot on.
--    holds_one_live_per_slot and holds_one_live_per_entry: never two live
--    holds of one slot, never two live offers to one entry;
--    holds_offered_once: a slot is offered to an entry at most once (a
--    declined or expired offer is not made again).
--  * regions.offer_hold_minutes: how long an offer holds its slot.
--  * outbox rows of kind 'offer' name their hold and are written when sent.
--  * The same file exists for SQLite in migrations/sqlite; keep them in step.
CREATE TABLE waitlist_entries (
    id UUID PRIMARY KEY,
    booking_id UUID NOT NULL REFERENCES bookings (id),
    resident_id UUID NOT NULL REFERENCES residents (id),
    unit_id UUID NOT NULL REFERENCES units (id),
    practitioner_id UUID NOT NULL REFERENCES practitioners (id),
    appointment_type_id UUID NOT NULL REFERENCES appointment_types (id),
    length_minutes INTEGER NOT NULL,
    weekdays INTEGER NOT NULL DEFAULT 127,
    not_before_minute INTEGER,
    asked_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'fulfilled', 'withdrawn', 'ended')),
    ended_at TIMESTAMPTZ,
    CONSTRAINT waitlist_weekdays_range CHECK (weekdays BETWEEN 1 AND 127),
    CONSTRAINT waitlist_not_before_range CHECK (not_before_minute IS NULL OR not_before_minute BETWEEN 0 AND 1439)
);
CREATE UNIQUE INDEX waitlist_one_waiting_per_booking ON waitlist_entries (booking_id) WHERE status = 'waiting';
CREATE INDEX waitlist_queue_idx ON waitlist_entries (practitioner_id, appointment_type_id, asked_at)
    WHERE status = 'waiting';
CREATE INDEX waitlist_resident_idx ON waitlist_entries (resident_id);

CREATE TABLE holds (
    id UUID PRIMARY KEY,
    slot_id UUID NOT NULL REFERENCES slots (id),
    entry_id UUID REFERENCES waitlist_entries (id),
    resident_id UUID REFERENCES residents (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('held', 'accepted', 'declined', 'expired', 'released')),
    settled_at TIMESTAMPTZ,
    booking_id UUID REFERENCES bookings (id),
    CONSTRAINT holds_expire_after_start CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX holds_one_live_per_slot ON holds (slot_id) WHERE status = 'held';
CREATE UNIQUE INDEX holds_one_live_per_entry ON holds (entry_id) WHERE status = 'held';
CREATE UNIQUE INDEX holds_offered_once ON holds (entry_id, slot_id);
CREATE INDEX holds_expiry_idx ON holds (expires_at) WHERE status = 'held';

ALTER TABLE slots
    ADD COLUMN hold_id UUID,
    ADD COLUMN held_until TIMESTAMPTZ;
-- The resident's calendar reads held_until from the free-slot indexes (a held
-- slot is not offered), so they carry it as their last column.
DROP INDEX slots_free_search_idx;
CREATE INDEX slots_free_search_idx ON slots (unit_id, appointment_type_id, local_date, starts_at, held_until)
    WHERE booking_id IS NULL AND withdrawn_at IS NULL;
DROP INDEX slots_free_practitioner_idx;
CREATE INDEX slots_free_practitioner_idx ON slots (practitioner_id, appointment_type_id, starts_at, held_until)
    WHERE booking_id IS NULL AND withdrawn_at IS NULL;
ALTER TABLE regions ADD COLUMN offer_hold_minutes INTEGER NOT NULL DEFAULT 15;

ALTER TABLE outbox
    ADD COLUMN hold_id UUID REFERENCES holds (id),
    DROP CONSTRAINT outbox_kind_check,
    DROP CONSTRAINT outbox_kind_shape;
ALTER TABLE outbox
    ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('notice', 'reminder', 'offer')),
    ADD CONSTRAINT outbox_kind_shape CHECK (
        (kind = 'notice' AND message_id IS NOT NULL AND recipient IS NOT NULL
         AND subject IS NOT NULL AND body IS NOT NULL)
        OR (kind = 'reminder' AND booking_id IS NOT NULL AND visit_starts_at IS NOT NULL)
        OR (kind = 'offer' AND hold_id IS NOT NULL));
CREATE INDEX outbox_hold_idx ON outbox (hold_id) WHERE hold_id IS NOT NULL;
