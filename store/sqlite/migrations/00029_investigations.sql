-- The investigation of vetting cases and the person's file (issue 20, Chapter 4: Art. 21, 23, 24, 25, 28; A15.2,
-- A21.1, A23.1, A24.1, A25.3, A28.1). The NSA officers on a case are its assignments (sealed: they alone read the
-- investigation). Items, requests to and from foreign services, the report and the person's request to see his
-- file hold their content only as ciphertext sealed under the case's data key (keyring.SealRecord): the database
-- sees an ID, the case, when and by whom, never what. Times are Unix nanoseconds; NULL is not yet.
--
--   vetting_investigators  one per assignment of an NSA officer to a case
--   vetting_items          one per item of an investigation (A21.1's categories, inside the ciphertext)
--   vetting_cooperation    one per request to or from a foreign service (A25.3), its answer inside
--   vetting_reports        one per case: the investigation report (A15.2)
--   vetting_file_requests  one per case: the person's written request to see his file (A28.1)

-- +goose Up
CREATE TABLE vetting_investigators (
	case_id     TEXT    NOT NULL REFERENCES vetting_cases (id),
	person_id   TEXT    NOT NULL REFERENCES persons (id),
	assigned_by TEXT    NOT NULL,
	assigned    INTEGER NOT NULL,
	ended       INTEGER,
	ended_by    TEXT    NOT NULL,
	mac         BLOB,
	PRIMARY KEY (case_id, person_id, assigned)
) STRICT;
CREATE UNIQUE INDEX vetting_investigators_current ON vetting_investigators (case_id, person_id) WHERE ended IS NULL;

CREATE TABLE vetting_items (
	id         TEXT    NOT NULL PRIMARY KEY,
	case_id    TEXT    NOT NULL REFERENCES vetting_cases (id),
	ciphertext BLOB    NOT NULL,
	written    INTEGER NOT NULL,
	written_by TEXT    NOT NULL
) STRICT;
CREATE INDEX vetting_items_case ON vetting_items (case_id, written);

CREATE TABLE vetting_cooperation (
	id         TEXT    NOT NULL PRIMARY KEY,
	case_id    TEXT    NOT NULL REFERENCES vetting_cases (id),
	ciphertext BLOB    NOT NULL,
	created    INTEGER NOT NULL,
	written    INTEGER NOT NULL,
	written_by TEXT    NOT NULL
) STRICT;
CREATE INDEX vetting_cooperation_case ON vetting_cooperation (case_id, created);

CREATE TABLE vetting_reports (
	case_id    TEXT    NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	ciphertext BLOB    NOT NULL,
	written    INTEGER NOT NULL,
	written_by TEXT    NOT NULL
) STRICT;

CREATE TABLE vetting_file_requests (
	case_id    TEXT    NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	ciphertext BLOB    NOT NULL,
	written    INTEGER NOT NULL,
	written_by TEXT    NOT NULL
) STRICT;
CREATE INDEX vetting_file_requests_written ON vetting_file_requests (written);

-- +goose Down
DROP TABLE vetting_file_requests;
DROP TABLE vetting_reports;
DROP TABLE vetting_cooperation;
DROP TABLE vetting_items;
DROP TABLE vetting_investigators;
