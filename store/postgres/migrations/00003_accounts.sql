-- Sign-in (issue 5): accounts with a password and a second factor, sessions, security keys, terminals' client
-- certificates, and scopes on API tokens. Same representations as 00001_init.sql.
--
--   accounts               one per person who signs in to the web UI; the TOTP secret is sealed by the key ring
--   sessions               one per signed-in browser; only the SHA-256 of the cookie's secret is kept
--   webauthn_credentials   security keys (public keys and sign counters only)
--   terminal_certificates  client certificates issued to terminals, found by the SHA-256 of their DER

-- +goose Up
CREATE TABLE accounts (
	id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	person_id      TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES persons (id),
	login          TEXT NOT NULL UNIQUE,
	password_hash  TEXT NOT NULL,
	totp           BYTEA,
	totp_kek       TEXT,
	totp_last_step BIGINT NOT NULL,
	failures       BIGINT NOT NULL CHECK (failures >= 0),
	locked_until   BIGINT,
	oidc_subject   TEXT UNIQUE,
	created        BIGINT NOT NULL,
	created_by     TEXT NOT NULL,
	disabled       BIGINT
);

CREATE TABLE sessions (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
	person_id   TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	hash        BYTEA NOT NULL UNIQUE,
	terminal_id TEXT COLLATE "C" REFERENCES terminals (id),
	stage       TEXT NOT NULL CHECK (stage IN ('second_factor', 'active')),
	method      TEXT NOT NULL,
	remote      TEXT NOT NULL,
	created     BIGINT NOT NULL,
	last_seen   BIGINT NOT NULL,
	expires     BIGINT NOT NULL,
	revoked     BIGINT
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE webauthn_credentials (
	id         BYTEA NOT NULL PRIMARY KEY,
	account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
	name       TEXT NOT NULL,
	data       BYTEA NOT NULL,
	created    BIGINT NOT NULL,
	last_used  BIGINT
);
CREATE INDEX webauthn_credentials_account ON webauthn_credentials (account_id);

CREATE TABLE terminal_certificates (
	fingerprint BYTEA NOT NULL PRIMARY KEY CHECK (octet_length(fingerprint) = 32),
	terminal_id TEXT COLLATE "C" NOT NULL REFERENCES terminals (id),
	serial      TEXT NOT NULL UNIQUE,
	not_after   BIGINT NOT NULL,
	issued_by   TEXT NOT NULL,
	issued      BIGINT NOT NULL,
	revoked     BIGINT
);
CREATE INDEX terminal_certificates_terminal ON terminal_certificates (terminal_id);

-- Scopes of an API token, comma-separated: read (GET), write (everything else). Tokens made before had both.
ALTER TABLE tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,write';

-- +goose Down
ALTER TABLE tokens DROP COLUMN scopes;
DROP TABLE terminal_certificates;
DROP TABLE webauthn_credentials;
DROP TABLE sessions;
DROP TABLE accounts;
