-- Electronic signatures (E2) and the destruction of pieces (Art. 10, A10.1, A10.2), issue 18. Every row is sealed
-- (mac): a certificate's revocation and a destruction's completion decide what a signature proves and whether a
-- piece is destroyed, so a database administrator must not be able to change them unseen.
--
--   signing_cas             organisations' own certificate authorities, imported so that their certificates sign
--   signing_certificates    persons' signing certificates (DER), issued by cleared's CA (private key sealed by the
--                           key ring: kek, sealed_key) or imported from the organisation's PKI (no key), revocation
--   destructions            one per destruction of a piece (or, later, of a numbered copy: copy_ref), with its
--                           report (procès-verbal) as the exact bytes that are signed, and when it was completed
--   destruction_signatures  detached CMS signatures of a destruction's report, numbered from 1 in signing order

-- +goose Up
CREATE TABLE signing_cas (
	fingerprint     TEXT    NOT NULL PRIMARY KEY CHECK (length(fingerprint) = 64),
	organisation_id TEXT    NOT NULL REFERENCES organisations (id),
	subject         TEXT    NOT NULL,
	der             BLOB    NOT NULL,
	imported        INTEGER NOT NULL,
	imported_by     TEXT    NOT NULL,
	mac             BLOB
) STRICT;
CREATE INDEX signing_cas_organisation ON signing_cas (organisation_id);

CREATE TABLE signing_certificates (
	fingerprint     TEXT    NOT NULL PRIMARY KEY CHECK (length(fingerprint) = 64),
	person_id       TEXT    NOT NULL REFERENCES persons (id),
	organisation_id TEXT    NOT NULL,
	issuer          TEXT    NOT NULL,
	serial          TEXT    NOT NULL,
	not_before      INTEGER NOT NULL,
	not_after       INTEGER NOT NULL,
	der             BLOB    NOT NULL,
	kek             TEXT,
	sealed_key      BLOB,
	issued          INTEGER NOT NULL,
	issued_by       TEXT    NOT NULL,
	revoked         INTEGER,
	revoked_by      TEXT,
	mac             BLOB,
	UNIQUE (issuer, serial)
) STRICT;
CREATE INDEX signing_certificates_person ON signing_certificates (person_id);

CREATE TABLE destructions (
	id              TEXT    NOT NULL PRIMARY KEY,
	piece_id        TEXT    NOT NULL REFERENCES pieces (id),
	copy_ref        TEXT,
	organisation_id TEXT    NOT NULL,
	level           INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
	marking         TEXT    NOT NULL,
	method          TEXT    NOT NULL,
	destroyed_by    TEXT    NOT NULL REFERENCES persons (id),
	created         INTEGER NOT NULL,
	report          INTEGER NOT NULL CHECK (report IN (0, 1)),
	document        BLOB,
	completed       INTEGER,
	mac             BLOB
) STRICT;
CREATE INDEX destructions_piece ON destructions (piece_id);
CREATE INDEX destructions_pending ON destructions (organisation_id, completed);

CREATE TABLE destruction_signatures (
	destruction_id TEXT    NOT NULL REFERENCES destructions (id),
	n              INTEGER NOT NULL CHECK (n >= 1),
	role           TEXT    NOT NULL,
	signer         TEXT    NOT NULL REFERENCES persons (id),
	certificate    TEXT    NOT NULL REFERENCES signing_certificates (fingerprint),
	cms            BLOB    NOT NULL,
	signed         INTEGER NOT NULL,
	mac            BLOB,
	PRIMARY KEY (destruction_id, n),
	UNIQUE (destruction_id, signer)
) STRICT;

-- +goose Down
DROP TABLE destruction_signatures;
DROP TABLE destructions;
DROP TABLE signing_certificates;
DROP TABLE signing_cas;
