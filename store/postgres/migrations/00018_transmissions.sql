-- The register of transmissions (issue 19, A11.2): a piece, or one of its numbered copies, sent by a person to a
-- person or to an organisation, over a channel, at a time, and its receipt once confirmed. The originator and the
-- NSA list every recipient of a piece from it, so every row is sealed (mac). Times are Unix nanoseconds.

-- +goose Up
CREATE TABLE transmissions (
	id                     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	piece_id               TEXT COLLATE "C"    NOT NULL REFERENCES pieces (id),
	copy_id                TEXT COLLATE "C" REFERENCES copies (id),
	copy_number            INTEGER NOT NULL CHECK (copy_number >= 0),
	level                  SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 4),
	sender                 TEXT COLLATE "C"    NOT NULL REFERENCES persons (id),
	sender_organisation    TEXT COLLATE "C"    NOT NULL REFERENCES organisations (id),
	recipient_person       TEXT COLLATE "C" REFERENCES persons (id),
	recipient_organisation TEXT COLLATE "C" REFERENCES organisations (id),
	channel_id             TEXT COLLATE "C"    NOT NULL REFERENCES channels (id),
	purpose                TEXT    NOT NULL,
	originator_consent     TEXT    NOT NULL,
	note                   TEXT    NOT NULL,
	sent                   BIGINT  NOT NULL,
	received_by            TEXT COLLATE "C" REFERENCES persons (id),
	received               BIGINT,
	mac                    BYTEA,
	CHECK ((recipient_person IS NULL) <> (recipient_organisation IS NULL))
);
CREATE INDEX transmissions_piece ON transmissions (piece_id, sent);
CREATE INDEX transmissions_sender ON transmissions (sender, sent) WHERE received IS NULL;
CREATE INDEX transmissions_person ON transmissions (recipient_person, sent) WHERE received IS NULL;
CREATE INDEX transmissions_organisation ON transmissions (recipient_organisation, sent) WHERE received IS NULL;

-- +goose Down
DROP TABLE transmissions;
