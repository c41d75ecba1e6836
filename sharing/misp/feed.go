package misp

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"

	"github.com/cleared/cleared"
)

// manifestEntry is an event's line of a feed's manifest.json: what MISP's feed fetcher compares with the events it
// holds to fetch only those whose timestamp changed.
type manifestEntry struct {
	Orgc          org    `json:"Orgc"`
	Tag           []tag  `json:"Tag"`
	Info          string `json:"info"`
	Date          string `json:"date"`
	Analysis      string `json:"analysis"`
	ThreatLevelID string `json:"threat_level_id"`
	Timestamp     string `json:"timestamp"`
}

// Manifest renders the manifest.json of a feed of ps: an object from each event's UUID to its summary, as MISP's
// feed generator writes it. Two products with one UUID are [cleared.ErrInvalid].
func Manifest(ps []cleared.SharedProduct, o Options) (_ []byte, err error) {
	defer cleared.Wrap(&err, "misp.Manifest")
	m := make(map[string]manifestEntry, len(ps))
	for _, p := range ps {
		e, err := render(p, o)
		if err != nil {
			return nil, err
		}
		if _, dup := m[e.UUID]; dup {
			return nil, cleared.Invalidf("product %s appears twice in the feed", e.UUID)
		}
		m[e.UUID] = manifestEntry{
			Orgc: e.Orgc, Tag: e.Tag, Info: e.Info, Date: e.Date,
			Analysis: e.Analysis, ThreatLevelID: e.ThreatLevelID, Timestamp: e.Timestamp,
		}
	}
	return json.Marshal(m) // encoding/json sorts a map's keys: the same feed renders the same bytes
}

// Hashes renders the hashes.csv of a feed of ps: a line "<md5 of the value>,<event uuid>" for each attribute of each
// event, as MISP's feed generator writes it, which MISP uses to correlate a feed's values without fetching it.
func Hashes(ps []cleared.SharedProduct) (_ []byte, err error) {
	defer cleared.Wrap(&err, "misp.Hashes")
	var b bytes.Buffer
	for _, p := range ps {
		// The producer's name does not change the attributes; a placeholder spares the caller passing it.
		e, err := render(p, Options{Producer: "-"})
		if err != nil {
			return nil, err
		}
		for _, a := range e.Attribute {
			h := md5.Sum([]byte(a.Value))
			b.WriteString(hex.EncodeToString(h[:]))
			b.WriteByte(',')
			b.WriteString(e.UUID)
			b.WriteByte('\n')
		}
	}
	return b.Bytes(), nil
}
