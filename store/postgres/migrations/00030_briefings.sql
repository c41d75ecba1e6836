-- Briefings and changes of circumstances (issue 20, Chapter 4's briefings: Art. 18; A18.1).
--
--   clearance_briefings      one per security briefing of the holder of a clearance, numbered from 1, with the
--                            declaration he signed after it (NULL until then). Sealed: whether a clearance becomes
--                            active, and when its next briefing falls due, rely on it.
--   circumstance_reports     one per change of circumstances a holder reported; what changed is sealed under the
--                            report's own data key (wrapped by the key ring's KEK, not part of the row's seal). The
--                            row is sealed: who may read the report relies on its person and organisation.
--
-- Times are Unix nanoseconds; NULL is not yet.

-- +goose Up
CREATE TABLE clearance_briefings (
	clearance_id TEXT COLLATE "C" NOT NULL REFERENCES clearances (id),
	number       INTEGER NOT NULL CHECK (number >= 1),
	holder       TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	briefed_on   BIGINT NOT NULL,
	briefed_by   TEXT COLLATE "C" NOT NULL,
	instructions TEXT COLLATE "C" NOT NULL,
	recorded_by  TEXT COLLATE "C" NOT NULL,
	recorded     BIGINT NOT NULL,
	declared     BIGINT,
	certificate  TEXT COLLATE "C" NOT NULL,
	cms          BYTEA,
	digest       TEXT COLLATE "C" NOT NULL,
	mac          BYTEA,
	PRIMARY KEY (clearance_id, number)
);
CREATE INDEX clearance_briefings_holder ON clearance_briefings (holder);

CREATE TABLE circumstance_reports (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	person_id       TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	reported        BIGINT NOT NULL,
	taken_up_by     TEXT COLLATE "C",
	taken_up        BIGINT,
	key_kek         TEXT COLLATE "C" NOT NULL,
	wrapped_key     BYTEA,
	ciphertext      BYTEA NOT NULL,
	mac             BYTEA
);
CREATE INDEX circumstance_reports_person ON circumstance_reports (person_id, reported);
CREATE INDEX circumstance_reports_open ON circumstance_reports (taken_up, reported);

-- +goose Down
DROP TABLE circumstance_reports;
DROP TABLE clearance_briefings;
