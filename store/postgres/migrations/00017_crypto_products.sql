-- Cryptographic products and addressees (issue 19, A11.1, S2). The NSA approves cryptographic products for a
-- period; a channel may name one, and is then usable for classified pieces only while its approval is in force. An
-- organisation receives transmissions over the channels it accepts; a national recipient (the State Prosecutor,
-- the Office for Export Controls, Customs) has a type, a legal basis and the purposes it receives for. Every row
-- is sealed (mac). Times are Unix nanoseconds.
--
--   crypto_products  one per approved product: name, the NSA's act, approval from/until
--   channels.product the product of the register that protects a channel (NULL for one recorded by name only)
--   addressees       one per organisation that receives: type, basis, scope and channels (JSON arrays of text)

-- +goose Up
CREATE TABLE crypto_products (
	id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	name           TEXT   NOT NULL,
	reference      TEXT   NOT NULL,
	approved_from  BIGINT NOT NULL,
	approved_until BIGINT NOT NULL,
	approved_by    TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	created        BIGINT NOT NULL,
	mac            BYTEA
);

ALTER TABLE channels ADD COLUMN product TEXT COLLATE "C" REFERENCES crypto_products (id);

CREATE TABLE addressees (
	organisation_id TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES organisations (id),
	type            TEXT   NOT NULL,
	basis           TEXT   NOT NULL,
	scope           TEXT   NOT NULL,
	channels        TEXT   NOT NULL,
	recorded_by     TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	recorded        BIGINT NOT NULL,
	mac             BYTEA
);

-- +goose Down
DROP TABLE addressees;
ALTER TABLE channels DROP COLUMN product;
DROP TABLE crypto_products;
