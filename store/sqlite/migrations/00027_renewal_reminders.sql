-- The renewal reminders sent (issue 20, Chapter 4's renewal: Art. 17; A17.1): that the holder of a clearance and
-- his security officers were told it expires within 12, 6 or 3 months, once per threshold. Sealed: whether a
-- reminder is sent again relies on it. Times are Unix nanoseconds.

-- +goose Up
CREATE TABLE renewal_reminders (
	clearance_id TEXT    NOT NULL REFERENCES clearances (id),
	months       INTEGER NOT NULL CHECK (months IN (12, 6, 3)),
	sent         INTEGER NOT NULL,
	mac          BLOB,
	PRIMARY KEY (clearance_id, months)
) STRICT;

-- +goose Down
DROP TABLE renewal_reminders;
