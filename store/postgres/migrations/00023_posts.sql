-- Posts, classified contracts and exemptions (issue 20, Chapter 4's first step: Art. 14, Art. 16; A14.1, A16.1).
-- A post (a function of an organisation) and a classified contract record the level they require; persons are
-- assigned to them for a period; a person assigned without a valid clearance at that level, and not exempt, is
-- flagged to the security officer; a clearance is not recorded above the level the person's posts require. The
-- categories exempt from clearance (members of the Government, of the parliamentary oversight committee) are data,
-- with dated memberships. Every row is sealed (mac). Times are Unix nanoseconds; valid_until NULL is open-ended.
--
--   posts                  one per post: organisation, title, required level, period
--   contracts              one per contract: reference, contracting organisation, contractor, level, period
--   assignments            a person on a post or a contract (exactly one), for a period
--   exemption_categories   one per category of Art. 14 (name unique, legal basis)
--   exemption_memberships  a person's membership of a category, for a period

-- +goose Up
CREATE TABLE posts (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	title           TEXT COLLATE "C" NOT NULL,
	level           SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 4),
	valid_from      BIGINT NOT NULL,
	valid_until     BIGINT,
	created_by      TEXT COLLATE "C" NOT NULL,
	created         BIGINT NOT NULL,
	mac             BYTEA
);
CREATE INDEX posts_organisation ON posts (organisation_id, title);

CREATE TABLE contracts (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	reference       TEXT COLLATE "C" NOT NULL,
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	contractor_id   TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	level           SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 4),
	valid_from      BIGINT NOT NULL,
	valid_until     BIGINT,
	created_by      TEXT COLLATE "C" NOT NULL,
	created         BIGINT NOT NULL,
	mac             BYTEA
);
CREATE INDEX contracts_organisation ON contracts (organisation_id);
CREATE INDEX contracts_contractor ON contracts (contractor_id);

CREATE TABLE assignments (
	id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	person_id       TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	post_id         TEXT COLLATE "C" REFERENCES posts (id),
	contract_id     TEXT COLLATE "C" REFERENCES contracts (id),
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	valid_from      BIGINT NOT NULL,
	valid_until     BIGINT,
	created_by      TEXT COLLATE "C" NOT NULL,
	created         BIGINT NOT NULL,
	mac             BYTEA,
	CHECK ((post_id IS NULL) <> (contract_id IS NULL))
);
CREATE INDEX assignments_person ON assignments (person_id, valid_from);
CREATE INDEX assignments_post ON assignments (post_id);
CREATE INDEX assignments_contract ON assignments (contract_id);
CREATE INDEX assignments_organisation ON assignments (organisation_id, valid_from);

CREATE TABLE exemption_categories (
	id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	name       TEXT COLLATE "C" NOT NULL UNIQUE,
	basis      TEXT    NOT NULL,
	government SMALLINT NOT NULL CHECK (government IN (0, 1)),
	created_by TEXT COLLATE "C" NOT NULL,
	created    BIGINT NOT NULL,
	mac        BYTEA
);

CREATE TABLE exemption_memberships (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	category_id TEXT COLLATE "C" NOT NULL REFERENCES exemption_categories (id),
	person_id   TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	reference   TEXT COLLATE "C" NOT NULL,
	valid_from  BIGINT NOT NULL,
	valid_until BIGINT,
	created_by  TEXT COLLATE "C" NOT NULL,
	created     BIGINT NOT NULL,
	mac         BYTEA
);
CREATE INDEX exemption_memberships_person ON exemption_memberships (person_id, valid_from);
CREATE INDEX exemption_memberships_category ON exemption_memberships (category_id, valid_from);

-- +goose Down
DROP TABLE exemption_memberships;
DROP TABLE exemption_categories;
DROP TABLE assignments;
DROP TABLE contracts;
DROP TABLE posts;
