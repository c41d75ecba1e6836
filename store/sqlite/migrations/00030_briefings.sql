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
	clearance_id TEXT    NOT NULL REFERENCES clearances (id),
	number       INTEGER NOT NULL CHECK (number >= 1),
	holder       TEXT    NOT NULL REFERENCES persons (id),
	briefed_on   INTEGER NOT NULL,
	briefed_by   TEXT    NOT NULL,
	instructions TEXT    NOT NULL,
	recorded_by  TEXT    NOT NULL,
	recorded     INTEGER NOT NULL,
	declared     INTEGER,
	certificate  TEXT    NOT NULL,
	cms          BLOB,
	digest       TEXT    NOT NULL,
	mac          BLOB,
	PRIMARY KEY (clearance_id, number)
) STRICT;
CREATE INDEX clearance_briefings_holder ON clearance_briefings (holder);

CREATE TABLE circumstance_reports (
	id              TEXT    NOT NULL PRIMARY KEY,
	person_id       TEXT    NOT NULL REFERENCES persons (id),
	organisation_id TEXT    NOT NULL REFERENCES organisations (id),
	reported        INTEGER NOT NULL,
	taken_up_by     TEXT,
	taken_up        INTEGER,
	key_kek         TEXT    NOT NULL,
	wrapped_key     BLOB,
	ciphertext      BLOB    NOT NULL,
	mac             BLOB
) STRICT;
CREATE INDEX circumstance_reports_person ON circumstance_reports (person_id, reported);
CREATE INDEX circumstance_reports_open ON circumstance_reports (taken_up, reported);

-- +goose Down
DROP TABLE circumstance_reports;
DROP TABLE clearance_briefings;
