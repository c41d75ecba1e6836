-- +goose NO TRANSACTION
-- Facility clearances (issue 20, Chapter 4's cases of legal entities: Art. 15, Art. 21 al. 2; A15.1, A21.2). A
-- vetting case is now of a person (holder 'person', person_id set, as every case before) or of a company (holder
-- 'facility', person_id NULL, for a classified contract): SQLite cannot drop a NOT NULL, so vetting_cases is
-- rebuilt (foreign keys off while it is, checked before the commit). The seal of a person's case is unchanged.
--
--   facility_organs  the company's organs listed on its case (A21.2), each with his clearance or own case; sealed
--   facility_means   the company's material and technical means (A15.1), one JSON document per case; sealed

-- +goose Up
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE vetting_cases_new (
	id                TEXT    NOT NULL PRIMARY KEY,
	holder            TEXT    NOT NULL DEFAULT 'person' CHECK (holder IN ('person', 'facility')),
	person_id         TEXT REFERENCES persons (id),
	organisation_id   TEXT    NOT NULL REFERENCES organisations (id),
	post_id           TEXT REFERENCES posts (id),
	contract_id       TEXT REFERENCES contracts (id),
	level             INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
	origin            TEXT    NOT NULL CHECK (origin IN ('national', 'foreign_nsa', 'international')),
	foreign_body      TEXT    NOT NULL,
	foreign_reference TEXT    NOT NULL,
	kind              TEXT    NOT NULL CHECK (kind IN ('initial', 'renewal', 'follow_up')),
	trigger_text      TEXT    NOT NULL,
	stage             TEXT    NOT NULL,
	deadline          INTEGER NOT NULL,
	opened_by         TEXT    NOT NULL,
	opened            INTEGER NOT NULL,
	updated           INTEGER NOT NULL,
	signed            INTEGER,
	consented         INTEGER,
	closed            INTEGER,
	close_cause       TEXT    NOT NULL,
	key_kek           TEXT    NOT NULL,
	wrapped_key       BLOB,
	mac               BLOB,
	CHECK ((post_id IS NULL) <> (contract_id IS NULL)),
	CHECK ((holder = 'person') = (person_id IS NOT NULL)),
	CHECK (holder = 'person' OR contract_id IS NOT NULL)
) STRICT;
INSERT INTO vetting_cases_new (id, holder, person_id, organisation_id, post_id, contract_id, level, origin,
	foreign_body, foreign_reference, kind, trigger_text, stage, deadline, opened_by, opened, updated, signed,
	consented, closed, close_cause, key_kek, wrapped_key, mac)
SELECT id, 'person', person_id, organisation_id, post_id, contract_id, level, origin, foreign_body,
	foreign_reference, kind, trigger_text, stage, deadline, opened_by, opened, updated, signed, consented, closed,
	close_cause, key_kek, wrapped_key, mac FROM vetting_cases;
DROP TABLE vetting_cases;
ALTER TABLE vetting_cases_new RENAME TO vetting_cases;
CREATE INDEX vetting_cases_person ON vetting_cases (person_id, opened);
CREATE INDEX vetting_cases_organisation ON vetting_cases (organisation_id, opened);
CREATE INDEX vetting_cases_deadline ON vetting_cases (stage, deadline);
CREATE INDEX vetting_cases_contract ON vetting_cases (contract_id, opened);

CREATE TABLE facility_organs (
	id           TEXT    NOT NULL PRIMARY KEY,
	case_id      TEXT    NOT NULL REFERENCES vetting_cases (id),
	person_id    TEXT    NOT NULL REFERENCES persons (id),
	role         TEXT    NOT NULL CHECK (role IN ('director', 'manager', 'auditor', 'contract_runner', 'security_officer')),
	clearance_id TEXT REFERENCES clearances (id),
	own_case_id  TEXT REFERENCES vetting_cases (id),
	added_by     TEXT    NOT NULL,
	added        INTEGER NOT NULL,
	mac          BLOB,
	UNIQUE (case_id, person_id, role),
	CHECK ((clearance_id IS NULL) <> (own_case_id IS NULL))
) STRICT;

CREATE TABLE facility_means (
	case_id     TEXT    NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	body        TEXT    NOT NULL,
	recorded_by TEXT    NOT NULL,
	recorded    INTEGER NOT NULL,
	mac         BLOB
) STRICT;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE facility_means;
DROP TABLE facility_organs;
DELETE FROM vetting_cases WHERE holder = 'facility';
CREATE TABLE vetting_cases_old (
	id                TEXT    NOT NULL PRIMARY KEY,
	person_id         TEXT    NOT NULL REFERENCES persons (id),
	organisation_id   TEXT    NOT NULL REFERENCES organisations (id),
	post_id           TEXT REFERENCES posts (id),
	contract_id       TEXT REFERENCES contracts (id),
	level             INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
	origin            TEXT    NOT NULL CHECK (origin IN ('national', 'foreign_nsa', 'international')),
	foreign_body      TEXT    NOT NULL,
	foreign_reference TEXT    NOT NULL,
	kind              TEXT    NOT NULL CHECK (kind IN ('initial', 'renewal', 'follow_up')),
	trigger_text      TEXT    NOT NULL,
	stage             TEXT    NOT NULL,
	deadline          INTEGER NOT NULL,
	opened_by         TEXT    NOT NULL,
	opened            INTEGER NOT NULL,
	updated           INTEGER NOT NULL,
	signed            INTEGER,
	consented         INTEGER,
	closed            INTEGER,
	close_cause       TEXT    NOT NULL,
	key_kek           TEXT    NOT NULL,
	wrapped_key       BLOB,
	mac               BLOB,
	CHECK ((post_id IS NULL) <> (contract_id IS NULL))
) STRICT;
INSERT INTO vetting_cases_old SELECT id, person_id, organisation_id, post_id, contract_id, level, origin,
	foreign_body, foreign_reference, kind, trigger_text, stage, deadline, opened_by, opened, updated, signed,
	consented, closed, close_cause, key_kek, wrapped_key, mac FROM vetting_cases;
DROP TABLE vetting_cases;
ALTER TABLE vetting_cases_old RENAME TO vetting_cases;
CREATE INDEX vetting_cases_person ON vetting_cases (person_id, opened);
CREATE INDEX vetting_cases_organisation ON vetting_cases (organisation_id, opened);
CREATE INDEX vetting_cases_deadline ON vetting_cases (stage, deadline);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
