-- A leaner audit log (issue 17, §5): an entry is one row.
--
--   audit_entries      gains the payload (payload; NULL once erased, and then erased_ns and erasure_reason say
--                      when and why), moved here from audit_payloads, which is left empty and is no longer used
--   audit_nodes        keeps only the nodes of levels 4, 8, 12…: the leaves are the entries' leaf hashes, and a node
--                      of another level is hashed, when a proof needs it, from the at most 8 stored nodes under it
--                      (store/sqlstore, nodeStride); the rows of the other levels go
--   audit_checkpoints  holds the signed head of every group commit, each naming the one before it (package audit);
--                      its schema does not change
--
-- The rules the CHECK constraints of audit_payloads held (data NULL exactly when erased, a reason exactly when
-- erased) are kept by the store and checked by cleared audit verify: SQLite cannot add a constraint to a table.

-- +goose Up
ALTER TABLE audit_entries ADD COLUMN payload BLOB;
ALTER TABLE audit_entries ADD COLUMN erased_ns INTEGER;
ALTER TABLE audit_entries ADD COLUMN erasure_reason TEXT;
UPDATE audit_entries SET
	payload = (SELECT p.data FROM audit_payloads p WHERE p.seq = audit_entries.seq),
	erased_ns = (SELECT p.erased_ns FROM audit_payloads p WHERE p.seq = audit_entries.seq),
	erasure_reason = (SELECT p.erasure_reason FROM audit_payloads p WHERE p.seq = audit_entries.seq);
DELETE FROM audit_payloads;
DELETE FROM audit_nodes WHERE level = 0 OR level % 4 <> 0;

-- +goose Down
INSERT INTO audit_payloads (seq, data, erased_ns, erasure_reason)
SELECT seq, payload, erased_ns, erasure_reason FROM audit_entries;
ALTER TABLE audit_entries DROP COLUMN erasure_reason;
ALTER TABLE audit_entries DROP COLUMN erased_ns;
ALTER TABLE audit_entries DROP COLUMN payload;
