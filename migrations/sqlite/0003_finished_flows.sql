-- Finishing the flows a region would put in front of residents and staff.
--
-- Why it looks like this:
--  * units.publish_on_holidays: templates skip Swedish public holidays
--    (rule 22) unless the unit chooses otherwise; off by default, because a
--    care unit is closed on them far more often than not.
--  * practitioners.staff_id: the member of staff whose own book a
--    practitioner's is, so the appointment book opens on it. At most one
--    practitioner per member of staff (a named constraint settles races).
--  * inbox_messages_booking_idx: whether a resident was told about a booking
--    (voiding tells them it is void, rule 21) and hiding a booking's messages
--    once it is hidden in the portal are lookups by booking.
--  * SQLite twin of migrations/postgres (BLOB ids, INTEGER booleans); keep them in step.
ALTER TABLE units ADD COLUMN publish_on_holidays INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practitioners ADD COLUMN staff_id BLOB;
CREATE UNIQUE INDEX practitioners_staff_key ON practitioners (staff_id) WHERE staff_id IS NOT NULL;
CREATE INDEX inbox_messages_booking_idx ON inbox_messages (booking_id);
