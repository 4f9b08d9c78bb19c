-- Invitations to book (öppen kallelse; rule 19 in docs/domain.md).
--
-- Why it looks like this:
--  * An invitation names one resident, one appointment type and one unit,
--    and a window of Stockholm dates (valid_from ..= valid_until) in which
--    the booked time must lie; it may be booked from its creation until the
--    window's last day. Open: not used and the window's last day not past;
--    used: booking_id set; expired: the last day past.
--  * The booking uses it up in its own transaction: the conditional update
--    that sets used_at (only while unused) is the claim, so one invitation
--    makes at most one booking (invitations_one_booking backs it up).
--  * The same file exists for PostgreSQL in migrations/postgres; keep them in step.
CREATE TABLE invitations (
    id BLOB PRIMARY KEY,
    unit_id BLOB NOT NULL REFERENCES units (id),
    appointment_type_id BLOB NOT NULL REFERENCES appointment_types (id),
    resident_id BLOB NOT NULL REFERENCES residents (id),
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    created_by_id BLOB NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT,
    booking_id BLOB REFERENCES bookings (id),
    CONSTRAINT invitations_window CHECK (valid_until >= valid_from),
    CONSTRAINT invitations_used_with_booking CHECK (booking_id IS NULL OR used_at IS NOT NULL)
);
CREATE UNIQUE INDEX invitations_one_booking ON invitations (booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX invitations_resident_idx ON invitations (resident_id, valid_until);
CREATE INDEX invitations_unit_idx ON invitations (unit_id, created_at);
