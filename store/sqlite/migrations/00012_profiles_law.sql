-- Rule profiles (A1.1) and the law's own parameters (A17.1, A4.1) as dated, versioned data (issue 18, §2). Each
-- version is a row: its document as the JSON text that was checked, the date it takes effect, who recorded it and
-- when. Rows are sealed (mac, as in 00007): the rules an act must follow are read from them, so a row changed
-- outside cleared must not be applied.

-- +goose Up
CREATE TABLE rule_profiles (
	name           TEXT    NOT NULL,
	version        INTEGER NOT NULL CHECK (version >= 1),
	effective_from INTEGER NOT NULL,
	document       TEXT    NOT NULL,
	created_by     TEXT    NOT NULL,
	created        INTEGER NOT NULL,
	mac            BLOB,
	PRIMARY KEY (name, version)
) STRICT;

CREATE TABLE law_parameters (
	version    INTEGER NOT NULL PRIMARY KEY CHECK (version >= 1),
	valid_from INTEGER NOT NULL,
	document   TEXT    NOT NULL,
	created_by TEXT    NOT NULL,
	created    INTEGER NOT NULL,
	mac        BLOB
) STRICT;

-- +goose Down
DROP TABLE law_parameters;
DROP TABLE rule_profiles;
