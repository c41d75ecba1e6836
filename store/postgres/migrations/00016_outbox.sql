-- The outbox of notifications (Art. 13, A13.1), issue 19: every e-mail and signed webhook call is written in the
-- transaction of the action that causes it, then sent by a dispatcher that retries with back-off, so that none is
-- lost across an outage or a restart. Rows are sealed (mac): a database administrator must not redirect or silence a
-- warning unseen.
--
--   deliveries   one message: medium, address (e-mail or webhook ID), the exact body, attempts and outcome
--   webhooks     organisations' endpoints, with their signing scheme and (HMAC) the secret sealed by the key ring

-- +goose Up
CREATE TABLE deliveries (
	id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	medium TEXT NOT NULL CHECK (medium IN ('email', 'webhook')),
	recipient TEXT COLLATE "C",
	address TEXT NOT NULL,
	subject TEXT NOT NULL,
	body BYTEA NOT NULL,
	cause TEXT COLLATE "C" NOT NULL,
	created BIGINT NOT NULL,
	attempts INTEGER NOT NULL CHECK (attempts >= 0),
	next_attempt BIGINT,
	delivered BIGINT,
	last_error TEXT NOT NULL,
	mac BYTEA
);
CREATE INDEX deliveries_due ON deliveries (next_attempt) WHERE delivered IS NULL;
CREATE INDEX deliveries_cause ON deliveries (cause);

CREATE TABLE webhooks (
	id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	organisation_id TEXT COLLATE "C" NOT NULL REFERENCES organisations (id),
	url TEXT NOT NULL,
	scheme TEXT NOT NULL CHECK (scheme IN ('ed25519', 'hmac-sha256')),
	kek TEXT,
	secret BYTEA,
	created_by TEXT COLLATE "C" NOT NULL,
	created BIGINT NOT NULL,
	disabled BIGINT,
	mac BYTEA
);
CREATE INDEX webhooks_organisation ON webhooks (organisation_id);

-- +goose Down
DROP TABLE webhooks;
DROP TABLE deliveries;
