-- Sealed registers (issue 17, architecture principle 9: the database is not trusted with access). Every row an
-- access decision or a register relies on carries mac, an HMAC-SHA-256 of its canonical encoding (a version tag,
-- the table, the primary key, every other column) under a key of the sealed key ring, never stored here. The store
-- checks it on every read (store/sqlstore/seal.go); a row that fails is unavailable and raised as a possible
-- compromise (A13.1). Rows of a database made before this migration have mac NULL until the server, finding no
-- seal key in its key ring, creates one and seals every row once (docs/operations.md); from then on a row without
-- a mac is a row altered outside cleared.

-- +goose Up
ALTER TABLE organisations ADD COLUMN mac BYTEA;
ALTER TABLE persons ADD COLUMN mac BYTEA;
ALTER TABLE security_officers ADD COLUMN mac BYTEA;
ALTER TABLE clearances ADD COLUMN mac BYTEA;
ALTER TABLE authorities ADD COLUMN mac BYTEA;
ALTER TABLE delegations ADD COLUMN mac BYTEA;
ALTER TABLE dossiers ADD COLUMN mac BYTEA;
ALTER TABLE places ADD COLUMN mac BYTEA;
ALTER TABLE pieces ADD COLUMN mac BYTEA;
ALTER TABLE grants ADD COLUMN mac BYTEA;
ALTER TABLE terminals ADD COLUMN mac BYTEA;
ALTER TABLE channels ADD COLUMN mac BYTEA;
ALTER TABLE tokens ADD COLUMN mac BYTEA;
ALTER TABLE equivalence_tables ADD COLUMN mac BYTEA;
ALTER TABLE accounts ADD COLUMN mac BYTEA;
ALTER TABLE sessions ADD COLUMN mac BYTEA;
ALTER TABLE webauthn_credentials ADD COLUMN mac BYTEA;
ALTER TABLE terminal_certificates ADD COLUMN mac BYTEA;

-- +goose Down
ALTER TABLE terminal_certificates DROP COLUMN mac;
ALTER TABLE webauthn_credentials DROP COLUMN mac;
ALTER TABLE sessions DROP COLUMN mac;
ALTER TABLE accounts DROP COLUMN mac;
ALTER TABLE equivalence_tables DROP COLUMN mac;
ALTER TABLE tokens DROP COLUMN mac;
ALTER TABLE channels DROP COLUMN mac;
ALTER TABLE terminals DROP COLUMN mac;
ALTER TABLE grants DROP COLUMN mac;
ALTER TABLE pieces DROP COLUMN mac;
ALTER TABLE places DROP COLUMN mac;
ALTER TABLE dossiers DROP COLUMN mac;
ALTER TABLE delegations DROP COLUMN mac;
ALTER TABLE authorities DROP COLUMN mac;
ALTER TABLE clearances DROP COLUMN mac;
ALTER TABLE security_officers DROP COLUMN mac;
ALTER TABLE persons DROP COLUMN mac;
ALTER TABLE organisations DROP COLUMN mac;
