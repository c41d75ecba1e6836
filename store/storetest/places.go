package storetest

import (
	"crypto/sha256"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func newPlace(w world) cleared.Place {
	return cleared.Place{
		ID: cleared.NewPlaceID(), OrganisationID: w.org.ID, Name: "Salle forte B-12", AccreditedLevel: cleared.TopSecret,
		SecurityZone: true, Officer: w.person.ID, Created: day(-50),
	}
}

func testPlace(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		zone := newPlace(w)
		lobby := newPlace(w)
		lobby.Name, lobby.AccreditedLevel, lobby.SecurityZone, lobby.Public = "Hall d'accueil", cleared.Unclassified, false, true
		create(t, s, zone, lobby)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Place{zone, lobby} {
				got, err := tx.Place(want.ID)
				if err != nil {
					return err
				}
				same(t, "Place", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Place(cleared.NewPlaceID())
			wantKind(t, "Place of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := newPlace(w)
		create(t, s, p)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreatePlace(p) })
		wantKind(t, "CreatePlace with an existing ID", err, cleared.ErrConflict)
	})
}

func testTerminal(t *testing.T, open opener) {
	newTerminal := func(w world, place cleared.PlaceID) cleared.Terminal {
		return cleared.Terminal{
			ID: cleared.NewTerminalID(), Name: "Poste 12", Place: place, AccreditedLevel: cleared.Secret,
			SecurityZone: true, RegisteredBy: w.person.ID, Created: day(-10),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		place := newPlace(w)
		inZone := newTerminal(w, place.ID)
		roaming := newTerminal(w, "")
		roaming.SecurityZone, roaming.Public, roaming.Revoked = false, true, day(-1)
		create(t, s, place, inZone, roaming)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Terminal{inZone, roaming} {
				got, err := tx.Terminal(want.ID)
				if err != nil {
					return err
				}
				same(t, "Terminal", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Terminal(cleared.NewTerminalID())
			wantKind(t, "Terminal of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm := newTerminal(w, "")
		create(t, s, tm)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateTerminal(tm) })
		wantKind(t, "CreateTerminal with an existing ID", err, cleared.ErrConflict)
	})
}

func testChannel(t *testing.T, open opener) {
	newChannel := func() cleared.Channel {
		return cleared.Channel{
			ID: cleared.NewChannelID(), Name: "Réseau gouvernemental", MaxLevel: cleared.Secret,
			CryptoProduct: "TCE 621", ApprovedBy: cleared.NewPersonID(), From: day(-100), Until: day(265),
			Created: day(-101),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		want := newChannel()
		create(t, s, want)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Channel(want.ID)
			same(t, "Channel", got, want)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Channel(cleared.NewChannelID())
			wantKind(t, "Channel of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		c := newChannel()
		create(t, s, c)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateChannel(c) })
		wantKind(t, "CreateChannel with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("Page", func(t *testing.T) {
		s := open(t)
		var want []cleared.Channel
		for range 5 {
			c := newChannel()
			create(t, s, c)
			want = append(want, c)
		}
		slices.SortFunc(want, func(a, b cleared.Channel) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 5, func(c cleared.Channel) string { return string(c.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Channel, error) { return tx.Channels(p) })
		same(t, "Channels, by ID, five at a time", got, want)
	})
}

// newRoamingTerminal returns a terminal in no place.
func newRoamingTerminal(w world) cleared.Terminal {
	return cleared.Terminal{
		ID: cleared.NewTerminalID(), Name: "Portable 7", AccreditedLevel: cleared.Confidential,
		RegisteredBy: w.person.ID, Created: day(-30),
	}
}

// newCertificate returns a certificate of terminal issued at issued, valid a year; its fingerprint is the SHA-256
// of its serial.
func newCertificate(w world, terminal cleared.TerminalID, serial string, issued time.Time) cleared.TerminalCertificate {
	f := sha256.Sum256([]byte("certificate " + serial))
	return cleared.TerminalCertificate{
		Fingerprint: f[:], Terminal: terminal, Serial: serial, NotAfter: issued.AddDate(1, 0, 0),
		IssuedBy: w.person.ID, Issued: issued,
	}
}

func testTerminalCertificate(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm, other, bare := newRoamingTerminal(w), newRoamingTerminal(w), newRoamingTerminal(w)
		newer := newCertificate(w, tm.ID, "0a1b2c", day(-2))
		older := newCertificate(w, tm.ID, "0a1b2b", day(-20))
		older.Revoked = day(-2)
		others := newCertificate(w, other.ID, "0a1b2d", day(-5))
		create(t, s, tm, other, bare, newer, older, others)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.TerminalCertificate{newer, older, others} {
				got, err := tx.TerminalCertificate(want.Fingerprint)
				if err != nil {
					return err
				}
				same(t, "TerminalCertificate", got, want)
			}
			got, err := tx.TerminalCertificates(tm.ID)
			if err != nil {
				return err
			}
			same(t, "TerminalCertificates, oldest first", got, []cleared.TerminalCertificate{older, newer})
			got, err = tx.TerminalCertificates(bare.ID)
			if len(got) != 0 {
				t.Errorf("TerminalCertificates of a terminal without any: %v", got)
			}
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm := newRoamingTerminal(w)
		create(t, s, tm, newCertificate(w, tm.ID, "01", day(-1)))
		view(t, s, func(tx store.Tx) error {
			_, err := tx.TerminalCertificate(newCertificate(w, tm.ID, "02", day(-1)).Fingerprint)
			wantKind(t, "TerminalCertificate of an unknown fingerprint", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm := newRoamingTerminal(w)
		c := newCertificate(w, tm.ID, "01", day(-1))
		create(t, s, tm, c)
		sameFingerprint := newCertificate(w, tm.ID, "02", day(0))
		sameFingerprint.Fingerprint = c.Fingerprint
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateTerminalCertificate(sameFingerprint) })
		wantKind(t, "CreateTerminalCertificate with an existing fingerprint", err, cleared.ErrConflict)
		sameSerial := newCertificate(w, tm.ID, "02", day(0))
		sameSerial.Serial = c.Serial
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateTerminalCertificate(sameSerial) })
		wantKind(t, "CreateTerminalCertificate with an existing serial", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm := newRoamingTerminal(w)
		create(t, s, tm)
		unknown := newCertificate(w, cleared.NewTerminalID(), "01", day(-1))
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateTerminalCertificate(unknown) })
		wantKind(t, "CreateTerminalCertificate of an unknown terminal", err, cleared.ErrInvalid)
		short := newCertificate(w, tm.ID, "02", day(-1))
		short.Fingerprint = short.Fingerprint[:20] // SHA-1, not SHA-256
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateTerminalCertificate(short) })
		wantKind(t, "CreateTerminalCertificate with a 20-byte fingerprint", err, cleared.ErrInvalid)
	})
}

func testRevokeTerminal(t *testing.T, open opener) {
	t.Run("OK_revokes_its_certificates", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm, other := newRoamingTerminal(w), newRoamingTerminal(w)
		current := newCertificate(w, tm.ID, "01", day(-2))
		replaced := newCertificate(w, tm.ID, "02", day(-20))
		replaced.Revoked = day(-2) // revoked before: keeps its own revocation time
		others := newCertificate(w, other.ID, "03", day(-2))
		create(t, s, tm, other, current, replaced, others)
		update(t, s, func(tx store.Tx) error { return tx.RevokeTerminal(tm.ID, t0) })
		tm.Revoked, current.Revoked = t0, t0
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Terminal(tm.ID)
			if err != nil {
				return err
			}
			same(t, "Terminal after RevokeTerminal", got, tm)
			certs, err := tx.TerminalCertificates(tm.ID)
			if err != nil {
				return err
			}
			same(t, "TerminalCertificates after RevokeTerminal", certs, []cleared.TerminalCertificate{replaced, current})
			c, err := tx.TerminalCertificate(current.Fingerprint)
			if err != nil {
				return err
			}
			same(t, "TerminalCertificate after RevokeTerminal", c, current)
			got, err = tx.Terminal(other.ID)
			if err != nil {
				return err
			}
			same(t, "another terminal after RevokeTerminal", got, other)
			c, err = tx.TerminalCertificate(others.Fingerprint)
			same(t, "another terminal's certificate after RevokeTerminal", c, others)
			return err
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		tm, revokedAtCreation := newRoamingTerminal(w), newRoamingTerminal(w)
		revokedAtCreation.Revoked = day(-1)
		c := newCertificate(w, tm.ID, "01", day(-2))
		create(t, s, tm, revokedAtCreation, c)
		update(t, s, func(tx store.Tx) error { return tx.RevokeTerminal(tm.ID, t0) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeTerminal(tm.ID, day(1)) })
		wantKind(t, "RevokeTerminal of a revoked terminal", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeTerminal(revokedAtCreation.ID, t0) })
		wantKind(t, "RevokeTerminal of a terminal created revoked", err, cleared.ErrConflict)
		tm.Revoked, c.Revoked = t0, t0
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Terminal(tm.ID)
			if err != nil {
				return err
			}
			same(t, "Terminal after a second RevokeTerminal", got, tm)
			certs, err := tx.TerminalCertificates(tm.ID)
			same(t, "TerminalCertificates after a second RevokeTerminal", certs, []cleared.TerminalCertificate{c})
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeTerminal(cleared.NewTerminalID(), t0) })
		wantKind(t, "RevokeTerminal of an unknown ID", err, cleared.ErrNotFound)
	})
}

func testPlaces(t *testing.T, open opener) {
	t.Run("Page", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		var want []cleared.Place
		for range 5 {
			p := newPlace(w)
			create(t, s, p)
			want = append(want, p)
		}
		slices.SortFunc(want, func(a, b cleared.Place) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 2, func(p cleared.Place) string { return string(p.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Place, error) { return tx.Places(p) })
		same(t, "Places, by ID, two at a time", got, want)
	})
	t.Run("ErrInvalid_page_limit", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Places(store.Page{})
			wantKind(t, "Places with limit 0", err, cleared.ErrInvalid)
			return nil
		})
	})
}

func testTerminals(t *testing.T, open opener) {
	t.Run("Page_revoked_included", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		place := newPlace(w)
		create(t, s, place)
		var want []cleared.Terminal
		for i := range 5 {
			tm := newRoamingTerminal(w)
			if i%2 == 0 {
				tm.Place = place.ID
			}
			if i == 1 {
				tm.Revoked = day(-1)
			}
			create(t, s, tm)
			want = append(want, tm)
		}
		revoked := newRoamingTerminal(w)
		create(t, s, revoked)
		update(t, s, func(tx store.Tx) error { return tx.RevokeTerminal(revoked.ID, t0) })
		revoked.Revoked = t0
		want = append(want, revoked)
		slices.SortFunc(want, func(a, b cleared.Terminal) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 2, func(tm cleared.Terminal) string { return string(tm.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Terminal, error) { return tx.Terminals(p) })
		same(t, "Terminals, by ID, two at a time", got, want)
	})
	t.Run("ErrInvalid_page_limit", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Terminals(store.Page{})
			wantKind(t, "Terminals with limit 0", err, cleared.ErrInvalid)
			return nil
		})
	})
}
