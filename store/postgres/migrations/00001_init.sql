-- The schema of cleared, PostgreSQL dialect. store/sqlite/migrations holds the same schema for SQLite; the two
-- are read and written by the same SQL (store/sqlstore), so they use the same representations:
--
--   IDs        TEXT COLLATE "C" (byte order, as in SQLite, so "ordered by ID" means the same everywhere)
--   times      BIGINT, Unix nanoseconds UTC: one representation, exact ordering; NULL for an unset optional time
--   levels     SMALLINT 0 (unclassified) to 4 (top secret), compared with <= for "at most"
--   booleans   SMALLINT 0/1, not BOOLEAN, because SQLite has none and the code reading both is one
--   lists      TEXT, comma-separated (persons.roles, pieces.reasons), checked on write
--   documents  TEXT holding JSON (equivalence_tables.schemes)
--
-- Columns that record who did something (created_by, granted_by…) carry no foreign key: they are evidence, and the
-- audit log is the record.

-- +goose Up
CREATE TABLE organisations (
	id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	name    TEXT   NOT NULL,
	kind    TEXT   NOT NULL,
	country TEXT   NOT NULL,
	created BIGINT NOT NULL
);

CREATE TABLE persons (
	id                TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	organisation_id   TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	name              TEXT     NOT NULL,
	email             TEXT     NOT NULL,
	government_member SMALLINT NOT NULL CHECK (government_member IN (0, 1)),
	roles             TEXT     NOT NULL,
	created           BIGINT   NOT NULL
);
CREATE INDEX persons_organisation ON persons (organisation_id);

CREATE TABLE security_officers (
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	person_id       TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	since           BIGINT NOT NULL,
	until           BIGINT,
	designated_by   TEXT   NOT NULL,
	PRIMARY KEY (organisation_id, person_id, since)
);
CREATE INDEX security_officers_person ON security_officers (person_id);

CREATE TABLE clearances (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	holder_kind     TEXT     NOT NULL,
	person_id       TEXT COLLATE "C" REFERENCES persons (id),
	organisation_id TEXT COLLATE "C" REFERENCES organisations (id),
	level           SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 4),
	issued          BIGINT   NOT NULL,
	expires         BIGINT   NOT NULL,
	status          TEXT     NOT NULL,
	source          TEXT     NOT NULL,
	reference       TEXT     NOT NULL,
	recorded_by     TEXT     NOT NULL,
	recorded        BIGINT   NOT NULL,
	CHECK (person_id IS NOT NULL OR organisation_id IS NOT NULL)
);
CREATE INDEX clearances_person ON clearances (person_id);
CREATE INDEX clearances_organisation ON clearances (organisation_id);

CREATE TABLE authorities (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	person_id       TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	kind            TEXT   NOT NULL,
	title           TEXT   NOT NULL,
	valid_from      BIGINT NOT NULL,
	valid_until     BIGINT,
	successor       TEXT COLLATE "C" REFERENCES authorities (id),
	created         BIGINT NOT NULL,
	created_by      TEXT   NOT NULL,
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id)
);
CREATE INDEX authorities_person ON authorities (person_id);

CREATE TABLE delegations (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	delegate    TEXT COLLATE "C" NOT NULL REFERENCES authorities (id),
	principal   TEXT COLLATE "C" NOT NULL REFERENCES authorities (id),
	valid_from  BIGINT NOT NULL,
	valid_until BIGINT NOT NULL,
	reference   TEXT   NOT NULL,
	granted_by  TEXT   NOT NULL,
	created     BIGINT NOT NULL
);
CREATE INDEX delegations_delegate ON delegations (delegate);

CREATE TABLE dossiers (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	title           TEXT     NOT NULL,
	level           SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 4),
	originator      TEXT COLLATE "C" NOT NULL REFERENCES authorities (id),
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	created         BIGINT   NOT NULL,
	created_by      TEXT     NOT NULL
);

CREATE TABLE places (
	id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	organisation_id  TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	name             TEXT     NOT NULL,
	accredited_level SMALLINT NOT NULL CHECK (accredited_level BETWEEN 0 AND 4),
	security_zone    SMALLINT NOT NULL CHECK (security_zone IN (0, 1)),
	public           SMALLINT NOT NULL CHECK (public IN (0, 1)),
	officer          TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	created          BIGINT   NOT NULL
);

CREATE TABLE pieces (
	id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	kind             TEXT     NOT NULL,
	title            TEXT     NOT NULL,
	level            SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 4),
	reasons          TEXT     NOT NULL,
	review_on        BIGINT   NOT NULL,
	originator       TEXT COLLATE "C" NOT NULL REFERENCES authorities (id),
	organisation_id  TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	dossier_id       TEXT COLLATE "C" REFERENCES dossiers (id),
	foreign_scheme   TEXT,
	foreign_marking  TEXT,
	custodian        TEXT COLLATE "C" REFERENCES persons (id),
	location         TEXT COLLATE "C" REFERENCES places (id),
	content_type     TEXT     NOT NULL,
	content_size     BIGINT   NOT NULL,
	created          BIGINT   NOT NULL,
	created_by       TEXT     NOT NULL,
	destroyed        BIGINT
);
-- DossierParts, and the dossier half of VisiblePieces (A9.1: a grant on a dossier covers its parts).
CREATE INDEX pieces_dossier ON pieces (dossier_id, created, id);

-- The wrapped data key and the ciphertext live apart, so that destroying the key (A10.1) is an update of one
-- small row and the ciphertext, which nobody can decrypt any more, stays as evidence.
CREATE TABLE piece_keys (
	piece_id    TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES pieces (id),
	kek         TEXT NOT NULL,
	wrapped_key BYTEA -- NULL once destroyed
);

CREATE TABLE piece_contents (
	piece_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES pieces (id),
	ciphertext BYTEA NOT NULL
);

-- A grant covers exactly one piece or one dossier.
CREATE TABLE grants (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	person_id   TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	piece_id    TEXT COLLATE "C" REFERENCES pieces (id),
	dossier_id  TEXT COLLATE "C" REFERENCES dossiers (id),
	valid_from  BIGINT NOT NULL,
	valid_until BIGINT NOT NULL,
	reason      TEXT   NOT NULL,
	granted_by  TEXT   NOT NULL,
	created     BIGINT NOT NULL,
	revoked     BIGINT,
	CHECK ((piece_id IS NULL) <> (dossier_id IS NULL))
);
-- VisiblePieces and PersonGrants start from the person's grants still running; the index covers the filter so
-- the table is read only for the grants that pass.
CREATE INDEX grants_person ON grants (person_id, valid_until, valid_from, revoked, piece_id, dossier_id);
CREATE INDEX grants_piece ON grants (piece_id);

CREATE TABLE terminals (
	id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	name             TEXT     NOT NULL,
	place_id         TEXT COLLATE "C" REFERENCES places (id),
	accredited_level SMALLINT NOT NULL CHECK (accredited_level BETWEEN 0 AND 4),
	security_zone    SMALLINT NOT NULL CHECK (security_zone IN (0, 1)),
	public           SMALLINT NOT NULL CHECK (public IN (0, 1)),
	registered_by    TEXT     NOT NULL,
	created          BIGINT   NOT NULL,
	revoked          BIGINT
);

CREATE TABLE channels (
	id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	name           TEXT     NOT NULL,
	max_level      SMALLINT NOT NULL CHECK (max_level BETWEEN 0 AND 4),
	crypto_product TEXT     NOT NULL,
	approved_by    TEXT     NOT NULL,
	valid_from     BIGINT   NOT NULL,
	valid_until    BIGINT   NOT NULL,
	created        BIGINT   NOT NULL
);

CREATE TABLE tokens (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	person_id   TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	terminal_id TEXT COLLATE "C" REFERENCES terminals (id),
	label       TEXT   NOT NULL,
	hash        BYTEA  NOT NULL UNIQUE,
	created     BIGINT NOT NULL,
	expires     BIGINT NOT NULL,
	revoked     BIGINT
);
CREATE INDEX tokens_person ON tokens (person_id);

-- A6.1: each edit of the equivalence table is a new version; schemes is the table as JSON.
CREATE TABLE equivalence_tables (
	version    BIGINT NOT NULL PRIMARY KEY CHECK (version >= 1),
	valid_from BIGINT NOT NULL,
	note       TEXT   NOT NULL,
	schemes    TEXT   NOT NULL,
	created_by TEXT   NOT NULL,
	created    BIGINT NOT NULL
);

CREATE TABLE meta (
	name  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	value TEXT NOT NULL
);

-- +goose Down
DROP TABLE meta;
DROP TABLE equivalence_tables;
DROP TABLE tokens;
DROP TABLE channels;
DROP TABLE terminals;
DROP TABLE grants;
DROP TABLE piece_contents;
DROP TABLE piece_keys;
DROP TABLE pieces;
DROP TABLE places;
DROP TABLE dossiers;
DROP TABLE delegations;
DROP TABLE authorities;
DROP TABLE clearances;
DROP TABLE security_officers;
DROP TABLE persons;
DROP TABLE organisations;
