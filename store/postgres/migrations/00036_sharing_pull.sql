-- Products received from partners and the sources cleared pulls them from (issue 21, S1, A6.1). A receipt is one
-- product of a partner, by the partner's UUID and version (Unix nanoseconds, 0 when the format has none), and the
-- piece it became (none when the partner withdrew it): the piece's foreign originator, and the reason a product
-- received twice is registered once. A source is a partner's TAXII collection or MISP feed, polled from a cursor,
-- its products classified by its registrar as its authority. Both are sealed (mac). Times are Unix nanoseconds.

-- +goose Up
CREATE TABLE sources (
	id           TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
	partner      TEXT COLLATE "C"    NOT NULL REFERENCES partners (organisation_id),
	kind         TEXT    NOT NULL CHECK (kind IN ('taxii', 'misp_feed')),
	url          TEXT    NOT NULL,
	registrar    TEXT COLLATE "C"    NOT NULL REFERENCES persons (id),
	terminal     TEXT COLLATE "C" REFERENCES terminals (id),
	authority_id TEXT COLLATE "C"    NOT NULL REFERENCES authorities (id),
	dossier_id   TEXT COLLATE "C" REFERENCES dossiers (id),
	paused       SMALLINT NOT NULL CHECK (paused IN (0, 1)),
	recorded     BIGINT  NOT NULL,
	cursor       TEXT    NOT NULL,
	polled       BIGINT,
	last_error   TEXT    NOT NULL,
	succeeded    BIGINT,
	mac          BYTEA
);
CREATE INDEX sources_partner ON sources (partner);

CREATE TABLE receipts (
	partner     TEXT COLLATE "C"    NOT NULL REFERENCES partners (organisation_id),
	uuid        TEXT COLLATE "C"    NOT NULL,
	version     BIGINT  NOT NULL,
	format      TEXT    NOT NULL CHECK (format IN ('stix', 'misp')),
	marking     TEXT    NOT NULL,
	piece_id    TEXT COLLATE "C" REFERENCES pieces (id),
	revoked     SMALLINT NOT NULL CHECK (revoked IN (0, 1)),
	source_id   TEXT COLLATE "C" REFERENCES sources (id),
	received    BIGINT  NOT NULL,
	received_by TEXT COLLATE "C"    NOT NULL REFERENCES persons (id),
	mac         BYTEA,
	PRIMARY KEY (partner, uuid, version)
);
CREATE UNIQUE INDEX receipts_piece ON receipts (piece_id) WHERE piece_id IS NOT NULL;

-- +goose Down
DROP TABLE receipts;
DROP TABLE sources;
