-- Sharing with partners (issue 21, S1, A6.1, A11.1, A11.2). A partner is an organisation that receives products:
-- its scheme, highest level, groups, accredited channels and client certificates (JSON arrays of text), its
-- agreement's period. A release shares a piece with the audience of its releasability sets; every change of a
-- release seen by partners (its release, its revocation) takes the next number of sharing_seq, which orders what a
-- partner pulls. Partners and releases are sealed (mac); partner_certificates and release_audience are indexes the
-- store checks against the sealed rows before it believes them. Times are Unix nanoseconds.
--
--   partners             one per partner organisation
--   partner_certificates fingerprint (SHA-256, hex) -> partner, to find the partner of a client certificate
--   releases             one per release: piece, level, sets and audience (JSON), markings, state, seq; its
--                        external UUID (derived from its ID, so not sealed: checked against the ID when read by it)
--   release_audience     one per partner a released or revoked release reaches, at the release's last seq
--   sharing_seq          the one counter of release changes (a row, locked by its writers: see sqlstore)
--   partner_deliveries   the first time a release reached a partner by a route, and its transmission

-- +goose Up
CREATE TABLE partners (
	organisation_id  TEXT    NOT NULL PRIMARY KEY REFERENCES organisations (id),
	name             TEXT    NOT NULL,
	scheme           TEXT    NOT NULL,
	max_level        INTEGER NOT NULL CHECK (max_level BETWEEN 0 AND 4),
	partner_groups   TEXT    NOT NULL,
	channels         TEXT    NOT NULL,
	certificates     TEXT    NOT NULL,
	acs              INTEGER NOT NULL CHECK (acs IN (0, 1)),
	accredited_from  INTEGER NOT NULL,
	accredited_until INTEGER,
	suspended        INTEGER NOT NULL CHECK (suspended IN (0, 1)),
	recorded_by      TEXT    NOT NULL REFERENCES persons (id),
	recorded         INTEGER NOT NULL,
	mac              BLOB
) STRICT;

CREATE TABLE partner_certificates (
	fingerprint     TEXT NOT NULL PRIMARY KEY,
	organisation_id TEXT NOT NULL REFERENCES partners (organisation_id)
) STRICT;
CREATE INDEX partner_certificates_partner ON partner_certificates (organisation_id);

CREATE TABLE releases (
	id          TEXT    NOT NULL PRIMARY KEY,
	piece_id    TEXT    NOT NULL REFERENCES pieces (id),
	level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
	sets        TEXT    NOT NULL,
	tlp         TEXT    NOT NULL,
	pap         TEXT    NOT NULL,
	state       TEXT    NOT NULL CHECK (state IN ('proposed', 'released', 'revoked')),
	proposed_by TEXT    NOT NULL REFERENCES persons (id),
	proposed    INTEGER NOT NULL,
	approved_by TEXT REFERENCES persons (id),
	released    INTEGER,
	revoked_by  TEXT REFERENCES persons (id),
	revoked     INTEGER,
	reason      TEXT    NOT NULL,
	audience    TEXT    NOT NULL,
	seq         INTEGER UNIQUE,
	mac         BLOB,
	uuid        TEXT    NOT NULL UNIQUE
) STRICT;
CREATE INDEX releases_piece ON releases (piece_id, proposed);

CREATE TABLE release_audience (
	release_id TEXT    NOT NULL REFERENCES releases (id),
	partner    TEXT    NOT NULL,
	seq        INTEGER NOT NULL,
	level      INTEGER NOT NULL,
	PRIMARY KEY (release_id, partner)
) STRICT;
-- ReleasedTo's range scan: one partner's changes after a number, the level read from the index.
CREATE INDEX release_audience_partner ON release_audience (partner, seq, level);

CREATE TABLE sharing_seq (
	id  INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL
) STRICT;
INSERT INTO sharing_seq (id, seq) VALUES (1, 0);

CREATE TABLE partner_deliveries (
	release_id      TEXT    NOT NULL REFERENCES releases (id),
	partner         TEXT    NOT NULL REFERENCES partners (organisation_id),
	route           TEXT    NOT NULL,
	transmission_id TEXT    NOT NULL REFERENCES transmissions (id),
	delivered       INTEGER NOT NULL,
	PRIMARY KEY (release_id, partner, route)
) STRICT;

-- +goose Down
DROP TABLE partner_deliveries;
DROP TABLE sharing_seq;
DROP TABLE release_audience;
DROP TABLE releases;
DROP TABLE partner_certificates;
DROP TABLE partners;
