-- The deciding authority's decisions (issue 20, Chapter 4's decisions: Art. 27, 29; A27.1, A27.2, A29.1): one per
-- case, its outcome, the clearances it created or withdrew, its reasons sealed under the case's data key, its
-- signature, and its notification by the security officer; the appeals against it; and the suspensions of
-- clearances, their reasons sealed under each suspension's own key. Decisions and suspensions are sealed. Times are
-- Unix nanoseconds.

-- +goose Up
CREATE TABLE vetting_decisions (
	case_id     TEXT    NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	outcome     TEXT    NOT NULL CHECK (outcome IN ('grant', 'refuse', 'withdraw')),
	level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
	clearances  TEXT    NOT NULL,
	by_person   TEXT    NOT NULL REFERENCES persons (id),
	decided     INTEGER NOT NULL,
	reasons     BLOB    NOT NULL,
	certificate TEXT    NOT NULL CHECK (certificate <> ''),
	cms         BLOB    NOT NULL,
	digest      TEXT    NOT NULL,
	notified    INTEGER,
	notified_by TEXT REFERENCES persons (id),
	mac         BLOB
) STRICT;
CREATE INDEX vetting_decisions_unnotified ON vetting_decisions (decided) WHERE notified IS NULL;

CREATE TABLE vetting_appeals (
	case_id     TEXT    NOT NULL REFERENCES vetting_decisions (case_id),
	number      INTEGER NOT NULL,
	lodged      INTEGER NOT NULL,
	court       TEXT    NOT NULL,
	reference   TEXT    NOT NULL,
	recorded_by TEXT    NOT NULL REFERENCES persons (id),
	outcome     TEXT    NOT NULL DEFAULT '' CHECK (outcome IN ('', 'upheld', 'annulled', 'dismissed')),
	ruled       INTEGER,
	ruled_by    TEXT REFERENCES persons (id),
	PRIMARY KEY (case_id, number)
) STRICT;

CREATE TABLE clearance_suspensions (
	clearance_id TEXT    NOT NULL REFERENCES clearances (id),
	number       INTEGER NOT NULL,
	previous     TEXT    NOT NULL,
	by_person    TEXT    NOT NULL REFERENCES persons (id),
	suspended    INTEGER NOT NULL,
	reasons      BLOB    NOT NULL,
	key_kek      TEXT    NOT NULL,
	wrapped_key  BLOB    NOT NULL,
	lifted       INTEGER,
	lifted_by    TEXT REFERENCES persons (id),
	lift_reasons BLOB,
	mac          BLOB,
	PRIMARY KEY (clearance_id, number)
) STRICT;

-- +goose Down
DROP TABLE clearance_suspensions;
DROP TABLE vetting_appeals;
DROP TABLE vetting_decisions;
