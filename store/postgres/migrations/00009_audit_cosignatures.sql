-- The witnesses' cosignatures of the audit log's checkpoints (issue 17, package witness). The server sends each
-- checkpoint to the witnesses it is configured with and keeps what they answer, so that it can send each witness
-- a consistency proof from the size it last acknowledged and serve the checkpoint with their cosignatures.
--
--   audit_cosignatures  one per witness and checkpoint size: the witness's verifier key, the size, the log's signed
--                       note it cosigned, its signature line(s), when it was received (Unix nanoseconds)

-- +goose Up
CREATE TABLE audit_cosignatures (
	witness    TEXT COLLATE "C" NOT NULL,
	size       BIGINT  NOT NULL CHECK (size >= 0),
	note       BYTEA   NOT NULL,
	signature  BYTEA   NOT NULL,
	created_ns BIGINT  NOT NULL,
	PRIMARY KEY (witness, size)
);
CREATE INDEX audit_cosignatures_size ON audit_cosignatures (size);

-- +goose Down
DROP TABLE audit_cosignatures;
