-- Vetting cases and their questionnaires (issue 20, Chapter 4's intake: Art. 20, 25, 26; A20.1, A25.1, A25.2,
-- A26.1). A case is opened for a person and a post or contract (exactly one), at the post's level, with its origin
-- (national, foreign NSA, international organisation) and kind (initial, renewal, follow-up with its trigger); it
-- goes opened -> questionnaire -> signed, or closes refused for non-cooperation. The row is sealed (mac); the data
-- key that encrypts the questionnaire is wrapped by the key ring's KEK and is not part of the seal (erasing it
-- erases the answers, A23.2). Times are Unix nanoseconds; NULL is not yet.
--
--   vetting_cases    one per case
--   vetting_answers  one per saved section of a case's questionnaire, sealed under the case's data key

-- +goose Up
CREATE TABLE vetting_cases (
	id                TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	person_id         TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	organisation_id   TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	post_id           TEXT COLLATE "C" REFERENCES posts (id),
	contract_id       TEXT COLLATE "C" REFERENCES contracts (id),
	level             SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 4),
	origin            TEXT COLLATE "C" NOT NULL CHECK (origin IN ('national', 'foreign_nsa', 'international')),
	foreign_body      TEXT COLLATE "C" NOT NULL,
	foreign_reference TEXT COLLATE "C" NOT NULL,
	kind              TEXT COLLATE "C" NOT NULL CHECK (kind IN ('initial', 'renewal', 'follow_up')),
	trigger_text      TEXT COLLATE "C" NOT NULL,
	stage             TEXT COLLATE "C" NOT NULL,
	deadline          BIGINT NOT NULL,
	opened_by         TEXT COLLATE "C" NOT NULL,
	opened            BIGINT NOT NULL,
	updated           BIGINT NOT NULL,
	signed            BIGINT,
	consented         BIGINT,
	closed            BIGINT,
	close_cause       TEXT COLLATE "C" NOT NULL,
	key_kek           TEXT COLLATE "C" NOT NULL,
	wrapped_key       BYTEA,
	mac               BYTEA,
	CHECK ((post_id IS NULL) <> (contract_id IS NULL))
);
CREATE INDEX vetting_cases_person ON vetting_cases (person_id, opened);
CREATE INDEX vetting_cases_organisation ON vetting_cases (organisation_id, opened);
CREATE INDEX vetting_cases_deadline ON vetting_cases (stage, deadline);

CREATE TABLE vetting_answers (
	case_id    TEXT COLLATE "C" NOT NULL REFERENCES vetting_cases (id),
	section    TEXT COLLATE "C" NOT NULL,
	ciphertext BYTEA NOT NULL,
	updated    BIGINT NOT NULL,
	PRIMARY KEY (case_id, section)
);

-- +goose Down
DROP TABLE vetting_answers;
DROP TABLE vetting_cases;
