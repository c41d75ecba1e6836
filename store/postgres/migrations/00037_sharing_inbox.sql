-- The staging inbox of products partners send (issue 21 §3, S1, A5.1). A partner's system posts a TAXII 2.1
-- envelope; only a person who holds a classifying authority may register what it holds as pieces, so the envelope
-- waits here until one imports it or refuses it. The row is sealed (mac): its partner, state and pieces decide who
-- reads its status and what was registered from it. The envelope itself is classified content: encrypted under a
-- data key of the item (kek, wrapped_key, ciphertext; keyring.SealRecord bound to the item's ID), outside the MAC,
-- which the encryption's own authentication covers. uuid is the TAXII status resource's identifier, derived from
-- the ID (so not sealed: checked against the ID when read by it). Times are Unix nanoseconds.

-- +goose Up
CREATE TABLE inbox_items (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	partner     TEXT COLLATE "C" NOT NULL REFERENCES partners (organisation_id),
	received    BIGINT  NOT NULL,
	size        BIGINT  NOT NULL CHECK (size >= 0),
	reports     INTEGER NOT NULL CHECK (reports >= 0),
	objects     TEXT    NOT NULL,
	state       TEXT    NOT NULL CHECK (state IN ('pending', 'imported', 'refused')),
	decided_by  TEXT COLLATE "C" REFERENCES persons (id),
	decided     BIGINT,
	reason      TEXT    NOT NULL,
	pieces      TEXT    NOT NULL,
	mac         BYTEA,
	uuid        TEXT COLLATE "C" NOT NULL UNIQUE,
	kek         TEXT    NOT NULL,
	wrapped_key BYTEA,
	ciphertext  BYTEA   NOT NULL
);
-- The inbox a person reads: one state's items, by ID.
CREATE INDEX inbox_items_state ON inbox_items (state, id);

-- +goose Down
DROP TABLE inbox_items;
