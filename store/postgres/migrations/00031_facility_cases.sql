-- Facility clearances (issue 20, Chapter 4's cases of legal entities: Art. 15, Art. 21 al. 2; A15.1, A21.2). A
-- vetting case is now of a person (holder 'person', person_id set, as every case before) or of a company (holder
-- 'facility', person_id NULL, for a classified contract). The seal of a person's case is unchanged.
--
--   facility_organs  the company's organs listed on its case (A21.2), each with his clearance or own case; sealed
--   facility_means   the company's material and technical means (A15.1), one JSON document per case; sealed

-- +goose Up
ALTER TABLE vetting_cases ADD COLUMN holder TEXT COLLATE "C" NOT NULL DEFAULT 'person' CHECK (holder IN ('person', 'facility'));
ALTER TABLE vetting_cases ALTER COLUMN person_id DROP NOT NULL;
ALTER TABLE vetting_cases ADD CONSTRAINT vetting_cases_holder_person CHECK ((holder = 'person') = (person_id IS NOT NULL));
ALTER TABLE vetting_cases ADD CONSTRAINT vetting_cases_facility_contract CHECK (holder = 'person' OR contract_id IS NOT NULL);
CREATE INDEX vetting_cases_contract ON vetting_cases (contract_id, opened);

CREATE TABLE facility_organs (
	id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	case_id      TEXT COLLATE "C" NOT NULL REFERENCES vetting_cases (id),
	person_id    TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	role         TEXT COLLATE "C" NOT NULL CHECK (role IN ('director', 'manager', 'auditor', 'contract_runner', 'security_officer')),
	clearance_id TEXT COLLATE "C" REFERENCES clearances (id),
	own_case_id  TEXT COLLATE "C" REFERENCES vetting_cases (id),
	added_by     TEXT COLLATE "C" NOT NULL,
	added        BIGINT NOT NULL,
	mac          BYTEA,
	UNIQUE (case_id, person_id, role),
	CHECK ((clearance_id IS NULL) <> (own_case_id IS NULL))
);

CREATE TABLE facility_means (
	case_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	body        TEXT COLLATE "C" NOT NULL,
	recorded_by TEXT COLLATE "C" NOT NULL,
	recorded    BIGINT NOT NULL,
	mac         BYTEA
);

-- +goose Down
DROP TABLE facility_means;
DROP TABLE facility_organs;
DELETE FROM vetting_cases WHERE holder = 'facility';
DROP INDEX vetting_cases_contract;
ALTER TABLE vetting_cases DROP CONSTRAINT vetting_cases_facility_contract;
ALTER TABLE vetting_cases DROP CONSTRAINT vetting_cases_holder_person;
ALTER TABLE vetting_cases ALTER COLUMN person_id SET NOT NULL;
ALTER TABLE vetting_cases DROP COLUMN holder;
