-- Sign-in through an organisation's identity provider (OpenID Connect, issue 5). The identity an account is linked
-- to is accounts.oidc_subject ("issuer|subject", unique), made by 00003_accounts.sql; this adds what makes an ID
-- token good for one sign-in only.
--
--   oidc_nonces   the SHA-256 of each nonce an accepted ID token carried, kept as long as a token carrying it
--                 could still be accepted (expires, Unix nanoseconds), so that a replayed token or callback is
--                 refused by every server on the database, not only the one that saw it first

-- +goose Up
CREATE TABLE oidc_nonces (
	hash    BYTEA  NOT NULL PRIMARY KEY CHECK (octet_length(hash) = 32),
	expires BIGINT NOT NULL
);
CREATE INDEX oidc_nonces_expires ON oidc_nonces (expires);

-- +goose Down
DROP TABLE oidc_nonces;
