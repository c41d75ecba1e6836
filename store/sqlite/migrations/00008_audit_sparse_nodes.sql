-- The audit log's tree keeps fewer rows (issue 17, §5): the leaves are the entries' leaf hashes, and only the
-- nodes of levels 4, 8, 12… are rows of audit_nodes; a node of another level is hashed, when a proof needs it, from
-- the at most 8 stored nodes under it (store/sqlstore, nodeStride). The rows the earlier versions wrote at the
-- other levels are read no more: they go. The signed heads, one per group commit, are rows of audit_checkpoints,
-- whose schema does not change.

-- +goose Up
DELETE FROM audit_nodes WHERE level = 0 OR level % 4 <> 0;

-- +goose Down
-- The rows removed can be recomputed from the entries, but not by a migration; the tree is read as the Up part
-- left it by the version that wrote it.
