-- The audit log (package audit): an append-only Merkle tree with RFC 6962 hashing (architecture, principle 5).
-- An entry's leaf hash commits to the SHA-256 of its payload, not to the payload, so the payload lives in a table of
-- its own and can be erased at its retention deadline (A23.2) while the entry, its leaf hash and every node stay.
--
--   audit_entries      one row per entry, seq 0, 1, 2… without gaps; hashes are 32 bytes (SHA-256)
--   audit_payloads     one row per entry; data is NULL once erased, and then erased_ns and erasure_reason say
--                      when and why (secure_delete, set on every connection, zeroes the erased bytes in the file)
--   audit_nodes        the hash of each perfect subtree the log has completed: (level, index), level 0 the leaves
--   audit_checkpoints  the signed checkpoints (tree size + root in the note format of Go's checksum database)
--   audit_head         one row: the size of the log and its root. Appending moves it from size n to n+1 with the
--                      entry of seq n, so two entries can never share a seq nor one size have two roots. It starts
--                      at size 0 with the RFC 6962 root of the empty tree, the SHA-256 of the empty string.

-- +goose Up
CREATE TABLE audit_entries (
	seq          INTEGER NOT NULL PRIMARY KEY CHECK (seq >= 0),
	time_ns      INTEGER NOT NULL,
	actor        TEXT,
	terminal     TEXT,
	action       TEXT    NOT NULL,
	object       TEXT,
	allowed      INTEGER NOT NULL CHECK (allowed IN (0, 1)),
	rule         TEXT,
	payload_hash BLOB    NOT NULL CHECK (length(payload_hash) = 32),
	leaf_hash    BLOB    NOT NULL CHECK (length(leaf_hash) = 32)
) STRICT;

CREATE TABLE audit_payloads (
	seq            INTEGER NOT NULL PRIMARY KEY REFERENCES audit_entries (seq),
	data           BLOB,
	erased_ns      INTEGER,
	erasure_reason TEXT,
	CHECK ((data IS NULL) = (erased_ns IS NOT NULL)),
	CHECK ((erased_ns IS NULL) = (erasure_reason IS NULL))
) STRICT;

CREATE TABLE audit_nodes (
	level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),
	idx   INTEGER NOT NULL CHECK (idx >= 0),
	hash  BLOB    NOT NULL CHECK (length(hash) = 32),
	PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_checkpoints (
	size       INTEGER NOT NULL PRIMARY KEY CHECK (size >= 0),
	note       BLOB    NOT NULL,
	created_ns INTEGER NOT NULL
) STRICT;

CREATE TABLE audit_head (
	id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
	size INTEGER NOT NULL CHECK (size >= 0),
	root BLOB    NOT NULL CHECK (length(root) = 32)
) STRICT;
INSERT INTO audit_head (id, size, root)
VALUES (1, 0, X'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_checkpoints;
DROP TABLE audit_nodes;
DROP TABLE audit_payloads;
DROP TABLE audit_entries;
