package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/cleared/cleared"
)

// profileRow is a row of rule_profiles as stored: the document as the JSON text written, so that the MAC covers
// the very bytes the profile is read from.
type profileRow struct {
	name     string
	version  int
	from     time.Time
	document string
	by       cleared.PersonID
	at       time.Time
}

// profileCodec seals the rows of rule_profiles; their key is name/version.
var profileCodec = codec[profileRow]{table: "rule_profiles",
	key: func(r profileRow) string { return r.name + "/" + strconv.Itoa(r.version) },
	row: func(r profileRow) ([]any, error) {
		return []any{r.name, int64(r.version), ns(r.from), r.document, string(r.by), ns(r.at)}, nil
	}}

// profileColumns are the columns scanProfileRow reads, and the MAC.
const profileColumns = `name, version, effective_from, document, created_by, created, mac`

func scanProfileRow(s scanner) (profileRow, error) {
	var r profileRow
	err := s.Scan(&r.name, &r.version, ts(&r.from), &r.document, &r.by, ts(&r.at))
	return r, err
}

// decodeProfile reads the document of a checked row; its name, version and date are the row's.
func decodeProfile(r profileRow) (cleared.RuleProfile, error) {
	var p cleared.RuleProfile
	if err := json.Unmarshal([]byte(r.document), &p); err != nil {
		return p, fmt.Errorf("rule profile %s version %d: %w", r.name, r.version, err)
	}
	p.Name, p.Version, p.EffectiveFrom = r.name, r.version, r.from
	return p, nil
}

// PutProfile stores a version of a rule profile (A1.1); ErrConflict if the name has that version.
func (tx *Tx) PutProfile(p cleared.RuleProfile, by cleared.PersonID, at time.Time) error {
	p.EffectiveFrom = p.EffectiveFrom.UTC()
	doc, err := json.Marshal(p)
	if err == nil {
		err = checkTimes(p.EffectiveFrom, at)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, profileCodec, profileRow{name: p.Name, version: p.Version, from: p.EffectiveFrom, document: string(doc), by: by, at: at})
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO rule_profiles (`+profileColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "put rule profile %q version %d", p.Name, p.Version)
	}
	return nil
}

// profileRead is a row read for a decision: the profile, or why its row cannot be used.
type profileRead struct {
	p   cleared.RuleProfile
	err error
}

// readProfiles reads every row of query, keeping a row that fails its seal as an error, so that a caller deciding
// with them can stop at it rather than go on without it.
func (tx *Tx) readProfiles(query string, args ...any) ([]profileRead, error) {
	return list(tx, func(s scanner) (profileRead, error) {
		r, err := checked(tx, profileCodec, scanProfileRow)(s)
		if isTampered(err) {
			return profileRead{err: err}, nil
		}
		if err != nil {
			return profileRead{}, err
		}
		p, err := decodeProfile(r)
		return profileRead{p: p, err: err}, nil
	}, query, args...)
}

// ProfileVersions lists the versions of a profile, oldest first. A row that fails its seal fails the list: the
// next version is numbered from it.
func (tx *Tx) ProfileVersions(name string) ([]cleared.RuleProfile, error) {
	rows, err := tx.readProfiles(`SELECT `+profileColumns+` FROM rule_profiles WHERE name = $1 ORDER BY version`, name)
	return tx.profilesOf(rows, err, "list versions of rule profile %q", name)
}

// LatestProfiles lists the highest version of each name, by name. A row that fails its seal fails the list.
func (tx *Tx) LatestProfiles() ([]cleared.RuleProfile, error) {
	rows, err := tx.readProfiles(`SELECT ` + profileColumns + ` FROM rule_profiles ORDER BY name, version`)
	ps, err := tx.profilesOf(rows, err, "list rule profiles")
	if err != nil {
		return nil, err
	}
	var out []cleared.RuleProfile
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].Name == p.Name {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// ProfilesInForce lists, by name, each name's highest version whose EffectiveFrom is not after at (A1.1). Every
// row is read and checked: a row that fails its seal fails the read (store.TamperedError), since deciding without
// it could apply an older, looser version or none.
func (tx *Tx) ProfilesInForce(at time.Time) ([]cleared.RuleProfile, error) {
	if err := checkTimeSet("rule profiles", at); err != nil {
		return nil, tx.errorf(err, "read rule profiles")
	}
	rows, err := tx.readProfiles(`SELECT ` + profileColumns + ` FROM rule_profiles ORDER BY name, version`)
	ps, err := tx.profilesOf(rows, err, "read rule profiles in force")
	if err != nil {
		return nil, err
	}
	var out []cleared.RuleProfile
	for _, p := range ps {
		if p.EffectiveFrom.After(at) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Name == p.Name {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// profilesOf returns the profiles read, or the first row's error.
func (tx *Tx) profilesOf(rows []profileRead, err error, format string, args ...any) ([]cleared.RuleProfile, error) {
	if err != nil {
		return nil, tx.errorf(err, format, args...)
	}
	out := make([]cleared.RuleProfile, 0, len(rows))
	for _, r := range rows {
		if r.err != nil {
			return nil, tx.errorf(r.err, format, args...)
		}
		out = append(out, r.p)
	}
	return out, nil
}
