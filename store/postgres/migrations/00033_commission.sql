-- The commission of Art. 27 (issue 20, Chapter 4's commission: A27.2, A27.3, A27.4). Times are Unix nanoseconds;
-- NULL is not yet.
--
--   commission_seats     the register the NSA keeps from the designation acts: one seat per act, the person, the
--                        designating authority, the term, the act's reference, and the presidency recorded from the
--                        commission's minutes; sealed (who may act on the commission decides on it, A27.3)
--   commission_referrals one per case referred by the NSA; sealed (the members see the case because of it, A27.4)
--   commission_requests  the commission's requests for the whole file and for more information, with the NSA's
--                        answer; question and answer sealed under the case's data key (personal data, A23.1)
--   commission_hearings  the hearings of an NSA member or of the person; summary and observations sealed under the
--                        case's data key

-- +goose Up
CREATE TABLE commission_seats (
	id                  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	person_id           TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	designator          TEXT COLLATE "C" NOT NULL CHECK (designator IN ('prime_minister', 'foreign_affairs', 'justice')),
	term_from           BIGINT NOT NULL,
	term_until          BIGINT NOT NULL,
	reference           TEXT COLLATE "C" NOT NULL CHECK (reference <> ''),
	president_from      BIGINT,
	president_reference TEXT COLLATE "C" NOT NULL,
	recorded_by         TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	recorded            BIGINT NOT NULL,
	mac                 BYTEA,
	CHECK (term_until > term_from)
);
CREATE INDEX commission_seats_person ON commission_seats (person_id, term_from);

CREATE TABLE commission_referrals (
	case_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES vetting_cases (id),
	referred_by TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	referred    BIGINT NOT NULL,
	mac         BYTEA
);

CREATE TABLE commission_requests (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	case_id     TEXT COLLATE "C" NOT NULL REFERENCES vetting_cases (id),
	kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('file', 'information')),
	by_person   TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	made        BIGINT NOT NULL,
	question    BYTEA,
	answered_by TEXT COLLATE "C" REFERENCES persons (id),
	answered    BIGINT,
	answer      BYTEA
);
CREATE INDEX commission_requests_case ON commission_requests (case_id, made);
CREATE INDEX commission_requests_open ON commission_requests (kind, answered);

CREATE TABLE commission_hearings (
	id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	case_id      TEXT COLLATE "C" NOT NULL REFERENCES vetting_cases (id),
	heard        TEXT COLLATE "C" NOT NULL CHECK (heard IN ('nsa', 'person')),
	person_id    TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	held         BIGINT NOT NULL,
	recorded_by  TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
	recorded     BIGINT NOT NULL,
	summary      BYTEA NOT NULL,
	observations BYTEA
);
CREATE INDEX commission_hearings_case ON commission_hearings (case_id, held);

-- +goose Down
DROP TABLE commission_hearings;
DROP TABLE commission_requests;
DROP TABLE commission_referrals;
DROP TABLE commission_seats;
