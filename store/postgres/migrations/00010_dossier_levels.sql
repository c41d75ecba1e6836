-- The history of a dossier's level (issue 18, Art. 4 al. 2, A4.2): its level when opened, each raise by a higher
-- part added, each level set by its originating authority or who acts for it (A5.2). Sealed like every register
-- row (00007): a forged history could hide a raise. Dossiers made before this migration start their history at
-- their next change.
--
--   dossier_levels  one per change: the dossier, its number (1 for the creation), why, the levels before and
--                   after, the part that raised it, the authority that set it, the reason given, who, when

-- +goose Up
CREATE TABLE dossier_levels (
	dossier_id   TEXT COLLATE "C" NOT NULL REFERENCES dossiers (id),
	seq          BIGINT NOT NULL CHECK (seq >= 1),
	cause        TEXT NOT NULL CHECK (cause IN ('created', 'raised', 'set')),
	from_level   BIGINT NOT NULL CHECK (from_level BETWEEN 0 AND 4),
	to_level     BIGINT NOT NULL CHECK (to_level BETWEEN 0 AND 4),
	piece_id     TEXT COLLATE "C" REFERENCES pieces (id),
	authority_id TEXT COLLATE "C" REFERENCES authorities (id),
	reason       TEXT NOT NULL,
	by_person    TEXT NOT NULL,
	at           BIGINT NOT NULL,
	mac          BYTEA,
	PRIMARY KEY (dossier_id, seq)
);

-- +goose Down
DROP TABLE dossier_levels;
