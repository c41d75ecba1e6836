-- The deciding authority's decisions (issue 20, Chapter 4's decisions: Art. 27, 29; A27.1, A27.2, A29.1): one per
-- case, its outcome, the clearances it created or withdrew, its reasons sealed under the case's data key, its
-- signature, and its notification by the security officer; the appeals against it; and the suspensions of
-- clearances, their reasons sealed under each suspension's own key. Decisions and suspensions are sealed. Times are
-- Unix nanoseconds.

-- +goose Up
CREATE TABLE vetting_decisions (
	case_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	outcome     TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('grant', 'refuse', 'withdraw')),
	level       SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 4),
	clearances  TEXT COLLATE "C" NOT NULL,
	by_person   TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	decided     BIGINT NOT NULL,
	reasons     BYTEA NOT NULL,
	certificate TEXT COLLATE "C" NOT NULL CHECK (certificate <> ''),
	cms         BYTEA NOT NULL,
	digest      TEXT COLLATE "C" NOT NULL,
	notified    BIGINT,
	notified_by TEXT COLLATE "C" REFERENCES persons (id),
	mac         BYTEA
);
CREATE INDEX vetting_decisions_unnotified ON vetting_decisions (decided) WHERE notified IS NULL;

CREATE TABLE vetting_appeals (
	case_id     TEXT COLLATE "C" NOT NULL REFERENCES vetting_decisions (case_id),
	number      INTEGER NOT NULL,
	lodged      BIGINT NOT NULL,
	court       TEXT COLLATE "C" NOT NULL,
	reference   TEXT COLLATE "C" NOT NULL,
	recorded_by TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	outcome     TEXT COLLATE "C" NOT NULL DEFAULT '' CHECK (outcome IN ('', 'upheld', 'annulled', 'dismissed')),
	ruled       BIGINT,
	ruled_by    TEXT COLLATE "C" REFERENCES persons (id),
	PRIMARY KEY (case_id, number)
);

CREATE TABLE clearance_suspensions (
	clearance_id TEXT COLLATE "C" NOT NULL REFERENCES clearances (id),
	number       INTEGER NOT NULL,
	previous     TEXT COLLATE "C" NOT NULL,
	by_person    TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	suspended    BIGINT NOT NULL,
	reasons      BYTEA NOT NULL,
	key_kek      TEXT COLLATE "C" NOT NULL,
	wrapped_key  BYTEA NOT NULL,
	lifted       BIGINT,
	lifted_by    TEXT COLLATE "C" REFERENCES persons (id),
	lift_reasons BYTEA,
	mac          BYTEA,
	PRIMARY KEY (clearance_id, number)
);

-- +goose Down
DROP TABLE clearance_suspensions;
DROP TABLE vetting_appeals;
DROP TABLE vetting_decisions;
