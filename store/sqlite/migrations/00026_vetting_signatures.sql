-- The signatures of a vetting case (issue 20, Chapter 4's intake: Art. 25; A25.1, A25.2): the person's detached CMS
-- signature of his questionnaire and of his consent, once each, with the SHA-256 of the canonical document signed.
-- Not sealed: a signature verifies on its own against cleared's signing CA, over the document rebuilt from the
-- case's answers. Times are Unix nanoseconds.

-- +goose Up
CREATE TABLE vetting_signatures (
	case_id     TEXT    NOT NULL REFERENCES vetting_cases (id),
	what        TEXT    NOT NULL CHECK (what IN ('questionnaire', 'consent')),
	signer      TEXT    NOT NULL REFERENCES persons (id),
	certificate TEXT    NOT NULL,
	cms         BLOB    NOT NULL,
	digest      TEXT    NOT NULL,
	signed      INTEGER NOT NULL,
	PRIMARY KEY (case_id, what)
) STRICT;

-- +goose Down
DROP TABLE vetting_signatures;
