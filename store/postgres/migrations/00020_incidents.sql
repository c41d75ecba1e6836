-- Security incidents (Art. 13), issue 19: a compromise or a suspected one warns the security officer, the NSA and
-- the originator at once (A13.1); a threat or an attempt the security officer (A13.2); the security officer
-- investigates and informs the head of the body (A13.3). Every row is sealed (mac): who was warned, who acknowledged
-- and what the investigation found are what accountability relies on. Times are Unix nanoseconds.
--
--   incidents               one per case: kind, object, organisation concerned, report, findings, head notice, closure
--   incident_notifications  one per person warned: why, when, acknowledged, escalated
--   incident_notes          the case's record: investigation notes, escalations

-- +goose Up
CREATE TABLE incidents (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	kind            TEXT    NOT NULL,
	object_kind     TEXT    NOT NULL,
	object          TEXT    NOT NULL,
	organisation_id TEXT COLLATE "C" REFERENCES organisations (id),
	originator      TEXT,
	description     TEXT    NOT NULL,
	source          TEXT    NOT NULL,
	reported_by     TEXT COLLATE "C",
	reported        BIGINT NOT NULL,
	findings        TEXT    NOT NULL,
	head_name       TEXT    NOT NULL,
	head_how        TEXT    NOT NULL,
	head_at         BIGINT,
	closed          BIGINT,
	closed_by       TEXT,
	mac             BYTEA
);
CREATE INDEX incidents_object ON incidents (object_kind, object);
CREATE INDEX incidents_organisation ON incidents (organisation_id, reported);
CREATE INDEX incidents_reporter ON incidents (reported_by);

CREATE TABLE incident_notifications (
	incident_id TEXT COLLATE "C" NOT NULL REFERENCES incidents (id),
	number       INTEGER NOT NULL CHECK (number > 0),
	recipient    TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	notified_as  TEXT    NOT NULL,
	created      BIGINT NOT NULL,
	acknowledged BIGINT,
	escalated    BIGINT,
	mac          BYTEA,
	PRIMARY KEY (incident_id, number)
);
CREATE INDEX incident_notifications_recipient ON incident_notifications (recipient);
CREATE INDEX incident_notifications_pending ON incident_notifications (created) WHERE acknowledged IS NULL AND escalated IS NULL;

CREATE TABLE incident_notes (
	incident_id TEXT COLLATE "C" NOT NULL REFERENCES incidents (id),
	number      INTEGER NOT NULL CHECK (number > 0),
	kind        TEXT    NOT NULL,
	text        TEXT    NOT NULL,
	by_person   TEXT,
	at          BIGINT NOT NULL,
	mac         BYTEA,
	PRIMARY KEY (incident_id, number)
);

-- +goose Down
DROP TABLE incident_notes;
DROP TABLE incident_notifications;
DROP TABLE incidents;
