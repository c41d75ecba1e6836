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
	organisation_id  TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES organisations (id),
	name             TEXT    NOT NULL,
	scheme           TEXT    NOT NULL,
	max_level        SMALLINT NOT NULL CHECK (max_level BETWEEN 0 AND 4),
	partner_groups   TEXT    NOT NULL,
	channels         TEXT    NOT NULL,
	certificates     TEXT    NOT NULL,
	acs              SMALLINT NOT NULL CHECK (acs IN (0, 1)),
	accredited_from  BIGINT  NOT NULL,
	accredited_until BIGINT,
	suspended        SMALLINT NOT NULL CHECK (suspended IN (0, 1)),
	recorded_by      TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	recorded         BIGINT  NOT NULL,
	mac              BYTEA
);

CREATE TABLE partner_certificates (
	fingerprint     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES partners (organisation_id)
);
CREATE INDEX partner_certificates_partner ON partner_certificates (organisation_id);

CREATE TABLE releases (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	piece_id    TEXT COLLATE "C" NOT NULL REFERENCES pieces (id),
	level       SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 4),
	sets        TEXT    NOT NULL,
	tlp         TEXT    NOT NULL,
	pap         TEXT    NOT NULL,
	state       TEXT    NOT NULL CHECK (state IN ('proposed', 'released', 'revoked')),
	proposed_by TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	proposed    BIGINT  NOT NULL,
	approved_by TEXT COLLATE "C" REFERENCES persons (id),
	released    BIGINT,
	revoked_by  TEXT COLLATE "C" REFERENCES persons (id),
	revoked     BIGINT,
	reason      TEXT    NOT NULL,
	audience    TEXT    NOT NULL,
	seq         BIGINT  UNIQUE,
	mac         BYTEA,
	uuid        TEXT COLLATE "C" NOT NULL UNIQUE
);
CREATE INDEX releases_piece ON releases (piece_id, proposed);

CREATE TABLE release_audience (
	release_id TEXT COLLATE "C" NOT NULL REFERENCES releases (id),
	partner    TEXT COLLATE "C" NOT NULL,
	seq        BIGINT  NOT NULL,
	level      SMALLINT NOT NULL,
	PRIMARY KEY (release_id, partner)
);
-- ReleasedTo's range scan: one partner's changes after a number, the level read from the index.
CREATE INDEX release_audience_partner ON release_audience (partner, seq, level);

CREATE TABLE sharing_seq (
	id  INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
	seq BIGINT  NOT NULL
);
INSERT INTO sharing_seq (id, seq) VALUES (1, 0);

CREATE TABLE partner_deliveries (
	release_id      TEXT COLLATE "C" NOT NULL REFERENCES releases (id),
	partner         TEXT COLLATE "C" NOT NULL REFERENCES partners (organisation_id),
	route           TEXT    NOT NULL,
	transmission_id TEXT COLLATE "C" NOT NULL REFERENCES transmissions (id),
	delivered       BIGINT  NOT NULL,
	PRIMARY KEY (release_id, partner, route)
);

-- +goose Down
DROP TABLE partner_deliveries;
DROP TABLE sharing_seq;
DROP TABLE release_audience;
DROP TABLE releases;
DROP TABLE partner_certificates;
DROP TABLE partners;
