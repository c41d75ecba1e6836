package stix

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/cleared/cleared"
)

// Received is a TAXII 2.1 envelope a partner posted (add-objects), read: the reports it holds, each object's id
// and version for TAXII's status resource, and the envelope rewritten as the STIX bundle Parse reads, which is
// what cleared stores and later imports.
type Received struct {
	Bundle  []byte
	Reports []Imported
	Objects []cleared.InboxObject
}

// ParseEnvelope reads the body of a TAXII 2.1 add-objects request: {"objects": [...]} (with "more" and "next",
// which a client has no reason to send, tolerated). The envelope is held to what Parse asks of a bundle (all or
// nothing: size, UTF-8, duplicate keys, nesting, markings, products), it must hold at least one report (what
// cleared registers is a report: a product), and no other property is allowed at its top. An object without
// modified or created (a cyber-observable) is versioned at received, as TAXII says. Errors are
// [cleared.ErrInvalid], naming the object.
func ParseEnvelope(data []byte, received time.Time) (_ Received, err error) {
	defer cleared.Wrap(&err, "stix.ParseEnvelope")
	if len(data) > MaxBundleBytes {
		return Received{}, cleared.Invalidf("envelope of %d bytes: at most %d", len(data), MaxBundleBytes)
	}
	if !utf8.Valid(data) {
		return Received{}, cleared.Invalidf("envelope is not valid UTF-8")
	}
	if err := checkJSON(data); err != nil {
		return Received{}, err
	}
	// A map, not a struct: encoding/json matches a struct's fields without regard to case, so "OBJECTS" would be
	// read as objects. Property names are exact here.
	var env map[string]json.RawMessage
	if err := json.Unmarshal(data, &env); err != nil || env == nil {
		return Received{}, cleared.Invalidf("not a TAXII envelope: want a JSON object {\"objects\": [...]}")
	}
	for k := range env {
		if k != "objects" && k != "more" && k != "next" {
			return Received{}, cleared.Invalidf("envelope: unknown property %q: an envelope holds objects", trunc(k))
		}
	}
	var objs []json.RawMessage
	if err := strictUnmarshal(env["objects"], &objs); err != nil {
		return Received{}, cleared.Invalidf("envelope: objects: %s", jsonMessage(err))
	}
	if len(objs) == 0 {
		return Received{}, cleared.Invalidf("envelope: no objects")
	}
	if len(objs) > MaxBundleObjects {
		return Received{}, cleared.Invalidf("envelope of %d objects: at most %d", len(objs), MaxBundleObjects)
	}
	out := Received{Objects: make([]cleared.InboxObject, 0, len(objs))}
	for i, o := range objs {
		var v struct {
			ID       string `json:"id"`
			Created  string `json:"created"`
			Modified string `json:"modified"`
		}
		if err := json.Unmarshal(o, &v); err != nil {
			return Received{}, cleared.Invalidf("object %d: %s", i, jsonMessage(err))
		}
		version := v.Modified
		if version == "" {
			version = v.Created
		}
		if version == "" {
			version = received.UTC().Format(timestamp)
		} else if _, err := readTime(v.ID, "version", version); err != nil {
			return Received{}, err
		}
		out.Objects = append(out.Objects, cleared.InboxObject{ID: v.ID, Version: version})
	}
	var u [16]byte
	rand.Read(u[:])
	u[6], u[8] = u[6]&0x0f|0x40, u[8]&0x3f|0x80
	var b bytes.Buffer
	b.WriteString(`{"type":"bundle","id":"bundle--` + formatUUID(u) + `","objects":`)
	b.Write(env["objects"])
	b.WriteString("}")
	out.Bundle = b.Bytes()
	if out.Reports, err = Parse(out.Bundle); err != nil {
		return Received{}, err
	}
	if len(out.Reports) == 0 {
		return Received{}, cleared.Invalidf("envelope: no report: cleared receives products, each a STIX report with the objects it refers to")
	}
	return out, nil
}
