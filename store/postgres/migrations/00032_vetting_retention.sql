-- Retention of vetting cases' personal data (issue 20, Chapter 4: Art. 23 al. 2; A23.2). One row per case the NSA
-- held or that was purged: the hold's reason (sealed under the case's own data key, so the purge's erasure of
-- that key erases it too), its review date, who recorded it and when; the purge's date. The row is sealed (mac).
-- A purge deletes the case's personal data rows, erases its wrapped data key and blanks what of it the case's
-- own row held in clear, and keeps the case with its stage and dates. Times are Unix nanoseconds; NULL is not
-- yet.
--
--   vetting_retention           one per case held or purged
--   vetting_cases_closed        the daily scan reads closed cases by stage and closing date
--   assignments_person_until    whether a person still holds an assignment after a date (activity in force)
--   audit_entries_object        the audit entries about one case, whose payloads a purge erases

-- +goose Up
CREATE TABLE vetting_retention (
	case_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	hold_reason BYTEA,
	hold_review BIGINT,
	held_by     TEXT COLLATE "C",
	held        BIGINT,
	purged      BIGINT,
	mac         BYTEA
);
CREATE INDEX vetting_retention_purged ON vetting_retention (purged);
CREATE INDEX vetting_cases_closed ON vetting_cases (stage, closed) WHERE closed IS NOT NULL;
CREATE INDEX assignments_person_until ON assignments (person_id, valid_until);
CREATE INDEX audit_entries_object ON audit_entries (object) WHERE object IS NOT NULL;

-- +goose Down
DROP INDEX audit_entries_object;
DROP INDEX assignments_person_until;
DROP INDEX vetting_cases_closed;
DROP TABLE vetting_retention;
