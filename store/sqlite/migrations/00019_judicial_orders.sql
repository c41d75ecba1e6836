-- Judicial orders (issue 19, Art. 9 al. 1, A9.5). A judicial authority's order, served on the NSA and recorded by
-- it, gives the persons it names a read of the pieces and dossiers it covers during its period, without clearance
-- or need-to-know. The row is sealed (mac): access relies on it. Its lists (persons, pieces, dossiers) are IDs
-- separated by commas, inside the seal. judicial_order_persons only finds a person's orders quickly: it is not
-- sealed, and what it finds is decided on the sealed row (an order whose persons do not name him gives nothing).
-- Times are Unix nanoseconds.

-- +goose Up
CREATE TABLE judicial_orders (
	id          TEXT    NOT NULL PRIMARY KEY,
	court       TEXT    NOT NULL,
	reference   TEXT    NOT NULL,
	issued      INTEGER NOT NULL,
	persons     TEXT    NOT NULL,
	pieces      TEXT    NOT NULL,
	dossiers    TEXT    NOT NULL,
	valid_from  INTEGER NOT NULL,
	valid_until INTEGER NOT NULL,
	recorded_by TEXT    NOT NULL REFERENCES persons (id),
	recorded    INTEGER NOT NULL,
	ended       INTEGER,
	ended_by    TEXT REFERENCES persons (id),
	end_reason  TEXT    NOT NULL,
	mac         BLOB,
	UNIQUE (court, reference)
) STRICT;

CREATE TABLE judicial_order_persons (
	person_id TEXT NOT NULL REFERENCES persons (id),
	order_id  TEXT NOT NULL REFERENCES judicial_orders (id),
	PRIMARY KEY (person_id, order_id)
) STRICT;

-- +goose Down
DROP TABLE judicial_order_persons;
DROP TABLE judicial_orders;
