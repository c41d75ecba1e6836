package web

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// Response types that add, to every object that carries a level, its marking as it must be displayed (A7.1,
// design/api.md). Each embeds the domain type, so the rest of the object is as the domain defines it.

type pieceJSON struct {
	cleared.Piece
	Marking string `json:"marking"` // "SECRET LUX", or "NATO SECRET / SECRET LUX" for a piece of foreign origin
}

func pieceOut(p cleared.Piece) pieceJSON { return pieceJSON{Piece: p, Marking: p.Marking()} }

type dossierJSON struct {
	cleared.Dossier
	Marking string `json:"marking"`
}

type clearanceJSON struct {
	cleared.Clearance
	Marking string `json:"marking"` // the national marking of the clearance's level
}

func clearanceOut(c cleared.Clearance) clearanceJSON {
	return clearanceJSON{Clearance: c, Marking: c.Level.Marking()}
}

// personFileJSON is a person's file, its clearances with their markings: the outer Clearances field takes the
// place of the embedded one in JSON.
type personFileJSON struct {
	registry.PersonFile
	Clearances []clearanceJSON `json:"clearances"`
}

// personFileOut renders a file with its lists as [] when empty, as every list of the API.
func personFileOut(f registry.PersonFile) personFileJSON {
	if f.Officer == nil {
		f.Officer = []cleared.SecurityOfficer{}
	}
	if f.Authority == nil {
		f.Authority = []cleared.ClassifyingAuthority{}
	}
	return personFileJSON{PersonFile: f, Clearances: mapItems(f.Clearances, clearanceOut)}
}

// list is the answer of every list route.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"` // absent on the last page
}

// mapItems applies f to each item; it returns an empty slice, never nil, so that JSON shows [] rather than null.
func mapItems[T, U any](ts []T, f func(T) U) []U {
	us := make([]U, 0, len(ts))
	for _, t := range ts {
		us = append(us, f(t))
	}
	return us
}
