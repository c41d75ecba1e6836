-- Security-key ceremonies waiting for their answer (issue 5). A ceremony has two steps, a challenge and the
-- browser's answer; keeping the challenge in the database rather than in the memory of the server that gave it
-- lets any server of the installation take the answer.
--
--   webauthn_ceremonies   one per challenge waiting (ceremony: "register:" or "login:" and the session's SHA-256), the
--                         library's session data as JSON, and when it expires (Unix nanoseconds); taken once

-- +goose Up
CREATE TABLE webauthn_ceremonies (
	ceremony TEXT    NOT NULL PRIMARY KEY,
	data     BYTEA   NOT NULL,
	expires  BIGINT  NOT NULL
);
CREATE INDEX webauthn_ceremonies_expires ON webauthn_ceremonies (expires);

-- +goose Down
DROP TABLE webauthn_ceremonies;
