-- Copies and inventories (issue 18, A9.4, A1.1, A13.1). Every copy of a classified piece is numbered (copy n of m,
-- n from 1 in the order made, m the number made so far), registered and tracked like a piece; a copy of a TOP
-- SECRET piece (or of a lower one where a rule profile says so) waits for its originator's prior express consent,
-- asked by a copy request. An inventory lists the pieces and copies an organisation or a holder holds; each item
-- is confirmed present or not, and what is missing at closing is a possible compromise. Every row is sealed (mac).
-- Times are Unix nanoseconds.
--
--   copy_requests    a request for the originator's consent, its decision, and how many copies used it
--   copies           one per copy: its number for the piece (unique), holder, place, destruction
--   inventories      one per inventory: whose pieces (an organisation, or a holder of it), opening, closing
--   inventory_items  one per piece or copy listed: present (1), missing (0) or not yet checked (NULL)

-- +goose Up
CREATE TABLE copy_requests (
	id           TEXT    NOT NULL PRIMARY KEY,
	piece_id     TEXT    NOT NULL REFERENCES pieces (id),
	copies       INTEGER NOT NULL CHECK (copies > 0),
	reason       TEXT    NOT NULL,
	requested_by TEXT    NOT NULL REFERENCES persons (id),
	created      INTEGER NOT NULL,
	status       TEXT    NOT NULL,
	decided_by   TEXT REFERENCES persons (id),
	decided_as   TEXT REFERENCES authorities (id),
	decided      INTEGER,
	note         TEXT    NOT NULL,
	valid_until  INTEGER,
	used         INTEGER NOT NULL CHECK (used >= 0),
	mac          BLOB
) STRICT;
CREATE INDEX copy_requests_piece ON copy_requests (piece_id, created);
CREATE INDEX copy_requests_status ON copy_requests (status, created);

CREATE TABLE copies (
	id              TEXT    NOT NULL PRIMARY KEY,
	piece_id        TEXT    NOT NULL REFERENCES pieces (id),
	number          INTEGER NOT NULL CHECK (number > 0),
	kind            TEXT    NOT NULL,
	holder          TEXT    NOT NULL REFERENCES persons (id),
	organisation_id TEXT    NOT NULL REFERENCES organisations (id),
	location        TEXT REFERENCES places (id),
	reason          TEXT    NOT NULL,
	request_id      TEXT REFERENCES copy_requests (id),
	created         INTEGER NOT NULL,
	created_by      TEXT    NOT NULL,
	destroyed       INTEGER,
	destroyed_by    TEXT,
	mac             BLOB,
	UNIQUE (piece_id, number)
) STRICT;
CREATE INDEX copies_holder ON copies (holder);
CREATE INDEX copies_organisation ON copies (organisation_id);

CREATE TABLE inventories (
	id              TEXT    NOT NULL PRIMARY KEY,
	organisation_id TEXT    NOT NULL REFERENCES organisations (id),
	holder          TEXT REFERENCES persons (id),
	opened_by       TEXT    NOT NULL,
	opened          INTEGER NOT NULL,
	closed_by       TEXT,
	closed          INTEGER,
	missing         INTEGER NOT NULL CHECK (missing >= 0),
	note            TEXT    NOT NULL,
	mac             BLOB
) STRICT;
CREATE INDEX inventories_organisation ON inventories (organisation_id, opened);

CREATE TABLE inventory_items (
	inventory_id TEXT    NOT NULL REFERENCES inventories (id),
	number       INTEGER NOT NULL CHECK (number > 0),
	piece_id     TEXT    NOT NULL REFERENCES pieces (id),
	copy_id      TEXT REFERENCES copies (id),
	present      INTEGER CHECK (present IN (0, 1)),
	note         TEXT    NOT NULL,
	checked_by   TEXT,
	checked      INTEGER,
	mac          BLOB,
	PRIMARY KEY (inventory_id, number)
) STRICT;

-- +goose Down
DROP TABLE inventory_items;
DROP TABLE inventories;
DROP TABLE copies;
DROP TABLE copy_requests;
