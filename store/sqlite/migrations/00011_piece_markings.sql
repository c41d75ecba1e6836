-- The markings a piece carried (issue 18, Art. 7 al. 2, A7.2): a downgrade or a declassification changes the
-- piece's level and marking, and the history of its markings is kept. Sealed like every register row (mac).
--
--   piece_markings  one per marking a piece carried, in order (seq 1: the classification): its level, the marking
--                   text, from when (Unix nanoseconds), the authority that set it and the person acting as it, why
--                   (authority and set_by are evidence, without foreign key, as created_by is), and the reference of
--                   the foreign originator's consent where a rule profile asks for one (A1.1), NULL otherwise

-- +goose Up
CREATE TABLE piece_markings (
	piece_id   TEXT    NOT NULL REFERENCES pieces (id),
	seq        INTEGER NOT NULL CHECK (seq >= 1),
	level      INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
	marking    TEXT    NOT NULL,
	valid_from INTEGER NOT NULL,
	authority  TEXT    NOT NULL,
	set_by     TEXT    NOT NULL,
	reason     TEXT    NOT NULL,
	consent    TEXT,
	mac        BLOB,
	PRIMARY KEY (piece_id, seq)
) STRICT;

-- +goose Down
DROP TABLE piece_markings;
