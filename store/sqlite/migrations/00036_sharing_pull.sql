-- Products received from partners and the sources cleared pulls them from (issue 21, S1, A6.1). A receipt is one
-- product of a partner, by the partner's UUID and version (Unix nanoseconds, 0 when the format has none), and the
-- piece it became (none when the partner withdrew it): the piece's foreign originator, and the reason a product
-- received twice is registered once. A source is a partner's TAXII collection or MISP feed, polled from a cursor,
-- its products classified by its registrar as its authority. Both are sealed (mac). Times are Unix nanoseconds.

-- +goose Up
CREATE TABLE sources (
	id           TEXT    NOT NULL PRIMARY KEY,
	partner      TEXT    NOT NULL REFERENCES partners (organisation_id),
	kind         TEXT    NOT NULL CHECK (kind IN ('taxii', 'misp_feed')),
	url          TEXT    NOT NULL,
	registrar    TEXT    NOT NULL REFERENCES persons (id),
	terminal     TEXT REFERENCES terminals (id),
	authority_id TEXT    NOT NULL REFERENCES authorities (id),
	dossier_id   TEXT REFERENCES dossiers (id),
	paused       INTEGER NOT NULL CHECK (paused IN (0, 1)),
	recorded     INTEGER NOT NULL,
	cursor       TEXT    NOT NULL,
	polled       INTEGER,
	last_error   TEXT    NOT NULL,
	succeeded    INTEGER,
	mac          BLOB
) STRICT;
CREATE INDEX sources_partner ON sources (partner);

CREATE TABLE receipts (
	partner     TEXT    NOT NULL REFERENCES partners (organisation_id),
	uuid        TEXT    NOT NULL,
	version     INTEGER NOT NULL,
	format      TEXT    NOT NULL CHECK (format IN ('stix', 'misp')),
	marking     TEXT    NOT NULL,
	piece_id    TEXT REFERENCES pieces (id),
	revoked     INTEGER NOT NULL CHECK (revoked IN (0, 1)),
	source_id   TEXT REFERENCES sources (id),
	received    INTEGER NOT NULL,
	received_by TEXT    NOT NULL REFERENCES persons (id),
	mac         BLOB,
	PRIMARY KEY (partner, uuid, version)
) STRICT;
CREATE UNIQUE INDEX receipts_piece ON receipts (piece_id) WHERE piece_id IS NOT NULL;

-- +goose Down
DROP TABLE receipts;
DROP TABLE sources;
