-- The audit log (package audit): an append-only Merkle tree with RFC 6962 hashing (architecture, principle 5).
-- An entry's leaf hash commits to the SHA-256 of its payload, not to the payload, so the payload lives in a table of
-- its own and can be erased at its retention deadline (A23.2) while the entry, its leaf hash and every node stay.
--
--   audit_entries      one row per entry, seq 0, 1, 2… without gaps; hashes are 32 bytes (SHA-256)
--   audit_payloads     one row per entry; data is NULL once erased, and then erased_ns and erasure_reason say
--                      when and why
--   audit_nodes        the hash of each perfect subtree the log has completed: (level, index), level 0 the leaves
--   audit_checkpoints  the signed checkpoints (tree size + root in the note format of Go's checksum database)
--   audit_head         one row: the size of the log and its root. Appending moves it from size n to n+1 with the
--                      entry of seq n, so two entries can never share a seq nor one size have two roots; appenders
--                      in several server processes lock this row (SELECT … FOR UPDATE) and so take turns. It starts
--                      at size 0 with the RFC 6962 root of the empty tree, the SHA-256 of the empty string.

-- +goose Up
CREATE TABLE audit_entries (
	seq          BIGINT   NOT NULL PRIMARY KEY CHECK (seq >= 0),
	time_ns      BIGINT   NOT NULL,
	actor        TEXT COLLATE "C",
	terminal     TEXT COLLATE "C",
	action       TEXT     NOT NULL,
	object       TEXT COLLATE "C",
	allowed      SMALLINT NOT NULL CHECK (allowed IN (0, 1)),
	rule         TEXT,
	payload_hash BYTEA    NOT NULL CHECK (octet_length(payload_hash) = 32),
	leaf_hash    BYTEA    NOT NULL CHECK (octet_length(leaf_hash) = 32)
);

CREATE TABLE audit_payloads (
	seq            BIGINT NOT NULL PRIMARY KEY REFERENCES audit_entries (seq),
	data           BYTEA,
	erased_ns      BIGINT,
	erasure_reason TEXT,
	CHECK ((data IS NULL) = (erased_ns IS NOT NULL)),
	CHECK ((erased_ns IS NULL) = (erasure_reason IS NULL))
);

CREATE TABLE audit_nodes (
	level SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 63),
	idx   BIGINT   NOT NULL CHECK (idx >= 0),
	hash  BYTEA    NOT NULL CHECK (octet_length(hash) = 32),
	PRIMARY KEY (level, idx)
);

CREATE TABLE audit_checkpoints (
	size       BIGINT NOT NULL PRIMARY KEY CHECK (size >= 0),
	note       BYTEA  NOT NULL,
	created_ns BIGINT NOT NULL
);

CREATE TABLE audit_head (
	id   SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
	size BIGINT   NOT NULL CHECK (size >= 0),
	root BYTEA    NOT NULL CHECK (octet_length(root) = 32)
);
INSERT INTO audit_head (id, size, root)
VALUES (1, 0, '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'::bytea);

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_checkpoints;
DROP TABLE audit_nodes;
DROP TABLE audit_payloads;
DROP TABLE audit_entries;
