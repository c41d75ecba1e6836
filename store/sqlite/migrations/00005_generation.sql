-- The data generation (issue 5, performance): one counter that every committed change other than a pure audit
-- append raises, in the same transaction. A server keeps what the access decision reads (a terminal's
-- certificate, a session, a person's clearances and grants, a piece) in memory only while the counter has not
-- moved, and reads the counter a few times a second, so that a change made by another process (a command run
-- beside the server, another server on the same PostgreSQL) also ends what the first one kept.

-- +goose Up
CREATE TABLE generation (
	id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
	n  BIGINT  NOT NULL
);
INSERT INTO generation (id, n) VALUES (1, 0);

-- +goose Down
DROP TABLE generation;
