-- The commission's opinions (issue 20, Chapter 4's commission: Art. 27; A27.2, A27.4): one per case, what it
-- advises, the members who gave it, and its reasons sealed under the case's data key (personal data, erased with
-- the case's data, A23.2). Sealed: a refusal or withdrawal is recorded only on it. Times are Unix nanoseconds.

-- +goose Up
CREATE TABLE opinions (
	case_id    TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	advice     TEXT COLLATE "C" NOT NULL CHECK (advice IN ('grant', 'refuse', 'withdraw')),
	members    TEXT COLLATE "C" NOT NULL CHECK (members <> ''),
	by_person  TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	given      BIGINT NOT NULL,
	reasons    BYTEA NOT NULL,
	mac        BYTEA
);

-- +goose Down
DROP TABLE opinions;
