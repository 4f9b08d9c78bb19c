-- Guardians acting for their children (ombud; rule 17 in docs/domain.md).
--
-- Why it looks like this:
--  * guardianships is the table behind the shipped population-register
--    adapter: one row per guardian and child, by canonical personal identity
--    numbers (children need not have used Tidbok yet), with the child's name
--    as the register gives it. A regional admin replaces the whole table from
--    a CSV file in one transaction; loaded_at says when. A lookup in the real
--    register can replace the adapter without this table.
--  * regions.guardian_age_limit: a guardian acts for a child until the
--    child's birthday at this age (13 in 1177 today; a setting because the
--    limits may change, Ds 2023:26).
--  * Who acted and who the patient is were already apart: a booking's
--    resident_id is the patient and booked_by_id the guardian; the access log
--    gains the actor role 'guardian' (actor_id is then the guardian's
--    resident id).
--  * The same file exists for PostgreSQL in migrations/postgres; keep them in step.
CREATE TABLE guardianships (
    guardian_pnr TEXT NOT NULL,
    child_pnr TEXT NOT NULL,
    child_name TEXT NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (guardian_pnr, child_pnr),
    CONSTRAINT guardianships_not_self CHECK (guardian_pnr <> child_pnr)
);
CREATE INDEX guardianships_child_idx ON guardianships (child_pnr);

ALTER TABLE regions ADD COLUMN guardian_age_limit INTEGER NOT NULL DEFAULT 13
    CONSTRAINT regions_guardian_age_limit CHECK (guardian_age_limit BETWEEN 1 AND 18);
