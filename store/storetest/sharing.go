package storetest

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Issue 21: partners, releases and deliveries (S1, A6.1, A11.1, A11.2).

// fingerprint is the SHA-256 fingerprint, in lower-case hex, of a made-up certificate named name.
func fingerprint(name string) string {
	h := sha256.Sum256([]byte(name))
	return hex.EncodeToString(h[:])
}

// newPartner returns the partner record of org, reading NATO markings, up to SECRET, presenting certs.
func (w world) newPartner(org cleared.OrganisationID, certs ...string) cleared.Partner {
	return cleared.Partner{Organisation: org, Name: "Service partenaire", Scheme: "NATO", MaxLevel: cleared.Secret,
		Groups: []string{"nato", "eu"}, Channels: []cleared.ChannelID{cleared.NewChannelID()}, Certificates: certs,
		ACS: true, AccreditedFrom: day(-100), AccreditedUntil: day(265), RecordedBy: w.person.ID, Recorded: day(-100)}
}

// newRelease returns a release of piece at level to audience, in state (released: approved and dated).
func (w world) newRelease(piece cleared.PieceID, level cleared.Level, state cleared.ReleaseState, audience ...cleared.OrganisationID) cleared.Release {
	r := cleared.Release{ID: cleared.NewReleaseID(), Piece: piece, Level: level,
		Sets: []cleared.ReleasabilitySet{{Partners: audience}, {Groups: []string{"nato"}}},
		TLP:  cleared.TLPAmber, PAP: cleared.PAPGreen, State: state, ProposedBy: w.person.ID, Proposed: day(-3),
		Audience: audience}
	if state == cleared.ReleaseReleased {
		r.ApprovedBy, r.Released = w.person.ID, day(-2)
	}
	return r
}

// sharingWorld is a world with two partner organisations and a piece to release.
type sharingWorld struct {
	world
	a, b  cleared.Partner
	piece cleared.Piece
}

func newSharingWorld(t *testing.T, s store.Store) sharingWorld {
	t.Helper()
	w := sharingWorld{world: newWorld(t, s)}
	orgA, orgB := newOrganisation(), newOrganisation()
	w.a, w.b = w.newPartner(orgA.ID, fingerprint("a1")), w.newPartner(orgB.ID, fingerprint("b1"))
	w.b.Groups, w.b.ACS, w.b.AccreditedUntil = nil, false, time.Time{}
	w.piece = w.world.piece(cleared.Secret, day(-5))
	create(t, s, orgA, orgB, w.piece)
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutPartner(w.a); err != nil {
			return err
		}
		return tx.PutPartner(w.b)
	})
	return w
}

// createReleases stores rs in one transaction, writing back the numbers the store gives.
func createReleases(t *testing.T, s store.Store, rs ...*cleared.Release) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, r := range rs {
			if err := tx.CreateRelease(r); err != nil {
				return err
			}
		}
		return nil
	})
}

func releasedTo(t *testing.T, s store.Store, q store.ReleaseQuery) []cleared.ReleaseID {
	t.Helper()
	var ids []cleared.ReleaseID
	view(t, s, func(tx store.Tx) error {
		rs, err := tx.ReleasedTo(q)
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		return err
	})
	return ids
}

func testSharing(t *testing.T, open opener) {
	t.Run("S1_partner_put_get_replace", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Partner(w.a.Organisation)
			if err != nil {
				return err
			}
			same(t, "Partner", got, w.a)
			byCert, err := tx.PartnerByCertificate(fingerprint("a1"))
			if err != nil {
				return err
			}
			same(t, "PartnerByCertificate", byCert, w.a)
			all, err := tx.Partners(store.Page{Limit: 10})
			if err != nil {
				return err
			}
			want := []cleared.Partner{w.a, w.b}
			slices.SortFunc(want, func(x, y cleared.Partner) int { return strings.Compare(string(x.Organisation), string(y.Organisation)) })
			same(t, "Partners by organisation", all, want)
			first, err := tx.Partners(store.Page{Limit: 1})
			if err != nil {
				return err
			}
			rest, err := tx.Partners(store.Page{After: string(first[0].Organisation), Limit: 10})
			same(t, "Partners, second page", rest, want[1:])
			return err
		})
		// Replaced: a certificate renewed, the level lowered, suspended, the agreement open-ended.
		w.a.Certificates = []string{fingerprint("a2"), fingerprint("a3")}
		w.a.MaxLevel, w.a.Suspended, w.a.AccreditedUntil, w.a.Recorded = cleared.Confidential, true, time.Time{}, day(-1)
		update(t, s, func(tx store.Tx) error { return tx.PutPartner(w.a) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Partner(w.a.Organisation)
			if err != nil {
				return err
			}
			same(t, "Partner replaced", got, w.a)
			_, err = tx.PartnerByCertificate(fingerprint("a1"))
			wantKind(t, "PartnerByCertificate of the certificate replaced", err, cleared.ErrNotFound)
			got, err = tx.PartnerByCertificate(fingerprint("a3"))
			same(t, "PartnerByCertificate of a new certificate", got, w.a)
			return err
		})
	})
	t.Run("S1_certificate_of_another_partner_ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		w.b.Certificates = append(w.b.Certificates, fingerprint("a1"))
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutPartner(w.b) })
		wantKind(t, "PutPartner with another partner's certificate", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.PartnerByCertificate(fingerprint("a1"))
			same(t, "the certificate's partner after the refusal", got.Organisation, w.a.Organisation)
			return err
		})
		twice := w.newPartner(w.b.Organisation, fingerprint("b9"), fingerprint("b9"))
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutPartner(twice) })
		wantKind(t, "PutPartner with a certificate given twice", err, cleared.ErrInvalid)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Partner(w.org.ID)
			wantKind(t, "Partner of an organisation that is none", err, cleared.ErrNotFound)
			_, err = tx.PartnerByCertificate(fingerprint("unknown"))
			wantKind(t, "PartnerByCertificate of an unknown certificate", err, cleared.ErrNotFound)
			_, err = tx.Release(cleared.NewReleaseID())
			wantKind(t, "Release of an unknown ID", err, cleared.ErrNotFound)
			_, err = tx.ReleaseByUUID(cleared.NewReleaseID().UUID())
			wantKind(t, "ReleaseByUUID of an unknown UUID", err, cleared.ErrNotFound)
			return nil
		})
		r := w.newRelease(w.piece.ID, cleared.Secret, cleared.ReleaseReleased, w.a.Organisation)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateRelease(&r) })
		wantKind(t, "UpdateRelease of an unknown release", err, cleared.ErrNotFound)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		p := w.newPartner(cleared.NewOrganisationID())
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutPartner(p) })
		wantKind(t, "PutPartner of an unknown organisation", err, cleared.ErrInvalid)
		r := w.newRelease(cleared.NewPieceID(), cleared.Secret, cleared.ReleaseReleased, w.a.Organisation)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateRelease(&r) })
		wantKind(t, "CreateRelease of an unknown piece", err, cleared.ErrInvalid)
		view(t, s, func(tx store.Tx) error {
			n, err := tx.LastReleaseSeq()
			same(t, "LastReleaseSeq after the refused release", n, int64(0))
			return err
		})
		p = w.a
		p.AccreditedFrom = day(0).AddDate(300, 0, 0)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutPartner(p) })
		wantKind(t, "PutPartner with a time the database cannot hold", err, cleared.ErrInvalid)
		_, err = recordDelivery(t, s, cleared.PartnerDelivery{Release: r.ID, Partner: w.a.Organisation, Route: "mail", At: day(0)})
		wantKind(t, "RecordDelivery by an unknown route", err, cleared.ErrInvalid)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.ReleasedTo(store.ReleaseQuery{Partner: w.a.Organisation, MaxLevel: cleared.TopSecret})
			wantKind(t, "ReleasedTo without a limit", err, cleared.ErrInvalid)
			return nil
		})
	})
	t.Run("S1_release_sequence_is_monotonic_across_creates_and_updates", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		proposed := w.newRelease(w.piece.ID, cleared.Secret, cleared.ReleaseProposed, w.a.Organisation)
		released := w.newRelease(w.piece.ID, cleared.Confidential, cleared.ReleaseReleased, w.a.Organisation, w.b.Organisation)
		released.Proposed = day(-2)
		createReleases(t, s, &proposed, &released)
		same(t, "seq of a proposed release", proposed.Seq, int64(0))
		same(t, "seq of the first released", released.Seq, int64(1))
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Release(released.ID)
			if err != nil {
				return err
			}
			same(t, "Release", got, released)
			got, err = tx.Release(proposed.ID)
			same(t, "Release proposed", got, proposed)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateRelease(&released) })
		wantKind(t, "CreateRelease twice", err, cleared.ErrConflict)

		// Approved by a second person: released, the next number.
		proposed.State, proposed.ApprovedBy, proposed.Released = cleared.ReleaseReleased, w.person.ID, day(-1)
		update(t, s, func(tx store.Tx) error { return tx.UpdateRelease(&proposed) })
		same(t, "seq of the approved release", proposed.Seq, int64(2))
		// Revoked: the next number again.
		released.State, released.RevokedBy, released.Revoked, released.Reason = cleared.ReleaseRevoked, w.person.ID, day(0), "source at risk"
		update(t, s, func(tx store.Tx) error { return tx.UpdateRelease(&released) })
		same(t, "seq of the revoked release", released.Seq, int64(3))
		view(t, s, func(tx store.Tx) error {
			n, err := tx.LastReleaseSeq()
			if err != nil {
				return err
			}
			same(t, "LastReleaseSeq", n, int64(3))
			got, err := tx.Release(released.ID)
			if err != nil {
				return err
			}
			same(t, "Release revoked", got, released)
			ofPiece, err := tx.PieceReleases(w.piece.ID)
			if err != nil {
				return err
			}
			same(t, "PieceReleases, oldest first", ofPiece, []cleared.Release{proposed, released})
			all, err := tx.Releases(store.Page{Limit: 10})
			same(t, "Releases", len(all), 2)
			return err
		})
		back := proposed
		back.State = cleared.ReleaseProposed
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateRelease(&back) })
		wantKind(t, "UpdateRelease back to proposed", err, cleared.ErrInvalid)
	})
	t.Run("S1_released_to_filters_partner_level_after_limit", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		a, b := w.a.Organisation, w.b.Organisation
		r1 := w.newRelease(w.piece.ID, cleared.Restricted, cleared.ReleaseReleased, a)
		r2 := w.newRelease(w.piece.ID, cleared.Secret, cleared.ReleaseReleased, a, b)
		r3 := w.newRelease(w.piece.ID, cleared.Restricted, cleared.ReleaseReleased, b)
		r4 := w.newRelease(w.piece.ID, cleared.Restricted, cleared.ReleaseProposed, a)
		createReleases(t, s, &r1, &r2, &r3, &r4)
		all := store.ReleaseQuery{Partner: a, MaxLevel: cleared.TopSecret, Limit: 10}
		same(t, "released to A", releasedTo(t, s, all), []cleared.ReleaseID{r1.ID, r2.ID})
		same(t, "released to B", releasedTo(t, s, store.ReleaseQuery{Partner: b, MaxLevel: cleared.TopSecret, Limit: 10}),
			[]cleared.ReleaseID{r2.ID, r3.ID})
		low := all
		low.MaxLevel = cleared.Confidential
		same(t, "released to A up to CONFIDENTIAL", releasedTo(t, s, low), []cleared.ReleaseID{r1.ID})
		after := all
		after.After = r1.Seq
		same(t, "released to A after r1", releasedTo(t, s, after), []cleared.ReleaseID{r2.ID})
		one := all
		one.Limit = 1
		same(t, "released to A, one", releasedTo(t, s, one), []cleared.ReleaseID{r1.ID})

		// r1 revoked: listed again, at its new number, after r2; r4 approved later comes after it.
		r1.State, r1.RevokedBy, r1.Revoked = cleared.ReleaseRevoked, w.person.ID, day(0)
		update(t, s, func(tx store.Tx) error { return tx.UpdateRelease(&r1) })
		var got []cleared.Release
		view(t, s, func(tx store.Tx) (err error) {
			got, err = tx.ReleasedTo(all)
			return err
		})
		same(t, "released to A after the revocation", got, []cleared.Release{r2, r1})
		after.After = r2.Seq
		same(t, "released to A after r2", releasedTo(t, s, after), []cleared.ReleaseID{r1.ID})
		r4.State, r4.ApprovedBy, r4.Released = cleared.ReleaseReleased, w.person.ID, day(0)
		update(t, s, func(tx store.Tx) error { return tx.UpdateRelease(&r4) })
		same(t, "released to A after the approval", releasedTo(t, s, all), []cleared.ReleaseID{r2.ID, r1.ID, r4.ID})
		// TAXII's added_after: the last change (the revocation of r1, the release of r4) after the time, strictly.
		since := all
		since.ChangedAfter = day(-1)
		same(t, "released to A, changed after day -1", releasedTo(t, s, since), []cleared.ReleaseID{r1.ID, r4.ID})
		since.ChangedAfter = day(0)
		same(t, "released to A, changed after exactly day 0", releasedTo(t, s, since), []cleared.ReleaseID(nil))
		since.ChangedAfter = day(-2).Add(-time.Nanosecond)
		same(t, "released to A, changed after just before day -2", releasedTo(t, s, since), []cleared.ReleaseID{r2.ID, r1.ID, r4.ID})
		same(t, "released to the NSA's own organisation", releasedTo(t, s, store.ReleaseQuery{Partner: w.org.ID,
			MaxLevel: cleared.TopSecret, Limit: 10}), []cleared.ReleaseID(nil))
	})
	t.Run("A11.2_record_delivery_once", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		r := w.newRelease(w.piece.ID, cleared.Secret, cleared.ReleaseReleased, w.a.Organisation, w.b.Organisation)
		createReleases(t, s, &r)
		pr := w.cryptoProduct()
		ch := w.productChannel(pr)
		toA, toB := w.transmission(w.piece.ID, ch.ID, ""), w.transmission(w.piece.ID, ch.ID, "")
		toA.RecipientPerson, toA.RecipientOrganisation = "", w.a.Organisation
		toB.RecipientPerson, toB.RecipientOrganisation = "", w.b.Organisation
		createTransmission(t, s, pr, ch, toA, toB)
		late := cleared.PartnerDelivery{Release: r.ID, Partner: w.a.Organisation, Route: cleared.RouteMISPFeed, Transmission: toA.ID, At: day(1)}
		first := cleared.PartnerDelivery{Release: r.ID, Partner: w.b.Organisation, Route: cleared.RouteTAXII, Transmission: toB.ID, At: day(0)}
		taxii := late
		taxii.Route, taxii.At = cleared.RouteTAXII, day(0)
		for _, d := range []cleared.PartnerDelivery{late, first, taxii} {
			added, err := recordDelivery(t, s, d)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "RecordDelivery the first time", added, true)
		}
		again := taxii
		again.At = day(2)
		added, err := recordDelivery(t, s, again)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "RecordDelivery again by the same route", added, false)
		view(t, s, func(tx store.Tx) error {
			ds, err := tx.Deliveries(r.ID, "")
			want := []cleared.PartnerDelivery{taxii, first, late}
			if w.a.Organisation > w.b.Organisation {
				want = []cleared.PartnerDelivery{first, taxii, late}
			}
			same(t, "Deliveries, oldest first", ds, want)
			toA, errA := tx.Deliveries(r.ID, w.a.Organisation)
			same(t, "Deliveries to one partner", toA, []cleared.PartnerDelivery{taxii, late})
			if err == nil {
				err = errA
			}
			none, err2 := tx.Deliveries(cleared.NewReleaseID(), "")
			same(t, "Deliveries of an unknown release", len(none), 0)
			if err == nil {
				err = err2
			}
			return err
		})
		unknown := first
		unknown.Transmission = cleared.NewTransmissionID()
		unknown.Route = cleared.RoutePush
		_, err = recordDelivery(t, s, unknown)
		wantKind(t, "RecordDelivery of an unknown transmission", err, cleared.ErrInvalid)
	})
}

func recordDelivery(t *testing.T, s store.Store, d cleared.PartnerDelivery) (bool, error) {
	var added bool
	err := s.Update(t.Context(), func(tx store.Tx) (err error) {
		added, err = tx.RecordDelivery(d)
		return err
	})
	return added, err
}

// runTamperingSharing holds the indexes of sharing to the sealed rows they point to: a row the database's
// administrator adds to release_audience delivers nothing to the partner it names, and a certificate he points at
// another partner identifies no one; both are raised through the tamper hook.
func runTamperingSharing(t *testing.T, open TamperOpener) {
	t.Run("S1_audience_index_row_added_by_hand_delivers_nothing", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		var h hooked
		s.SetTamperHook(h.raise)
		w := newSharingWorld(t, s)
		toA := w.newRelease(w.piece.ID, cleared.Secret, cleared.ReleaseReleased, w.a.Organisation)
		proposed := w.newRelease(w.piece.ID, cleared.Secret, cleared.ReleaseProposed, w.a.Organisation)
		createReleases(t, s, &toA, &proposed)
		execRaw(t, db, `INSERT INTO release_audience (release_id, partner, seq, level) VALUES ($1, $2, $3, 0)`,
			string(toA.ID), string(w.b.Organisation), toA.Seq)
		execRaw(t, db, `INSERT INTO release_audience (release_id, partner, seq, level) VALUES ($1, $2, 99, 0)`,
			string(proposed.ID), string(w.a.Organisation))
		same(t, "released to B after the forged row", releasedTo(t, s, store.ReleaseQuery{Partner: w.b.Organisation,
			MaxLevel: cleared.TopSecret, Limit: 10}), []cleared.ReleaseID(nil))
		same(t, "released to A after the forged row", releasedTo(t, s, store.ReleaseQuery{Partner: w.a.Organisation,
			MaxLevel: cleared.TopSecret, Limit: 10}), []cleared.ReleaseID{toA.ID})
		raised := h.raised()
		for _, want := range []string{
			"release_audience " + string(toA.ID) + "/" + string(w.b.Organisation),
			"release_audience " + string(proposed.ID) + "/" + string(w.a.Organisation),
		} {
			if !slices.Contains(raised, want) {
				t.Errorf("tamper hook raised %q, want %q among them", raised, want)
			}
		}
	})
	t.Run("S1_audience_edited_in_the_sealed_row_is_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		var h hooked
		s.SetTamperHook(h.raise)
		w := newSharingWorld(t, s)
		toA := w.newRelease(w.piece.ID, cleared.Secret, cleared.ReleaseReleased, w.a.Organisation)
		createReleases(t, s, &toA)
		// Both the sealed audience and the index: the seal still refuses.
		execRaw(t, db, `UPDATE releases SET audience = $1 WHERE id = $2`,
			`["`+string(w.a.Organisation)+`","`+string(w.b.Organisation)+`"]`, string(toA.ID))
		execRaw(t, db, `INSERT INTO release_audience (release_id, partner, seq, level) VALUES ($1, $2, $3, 0)`,
			string(toA.ID), string(w.b.Organisation), toA.Seq)
		same(t, "released to B after the edit", releasedTo(t, s, store.ReleaseQuery{Partner: w.b.Organisation,
			MaxLevel: cleared.TopSecret, Limit: 10}), []cleared.ReleaseID(nil))
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Release(toA.ID); return err })
		wantTampered(t, err, "releases", string(toA.ID))
		if !slices.Contains(h.raised(), "releases "+string(toA.ID)) {
			t.Errorf("tamper hook raised %q, want releases %s", h.raised(), toA.ID)
		}
	})
	t.Run("S1_uuid_of_another_release_is_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		var h hooked
		s.SetTamperHook(h.raise)
		w := newSharingWorld(t, s)
		toA := w.newRelease(w.piece.ID, cleared.Secret, cleared.ReleaseReleased, w.a.Organisation)
		toB := w.newRelease(w.piece.ID, cleared.Restricted, cleared.ReleaseReleased, w.b.Organisation)
		createReleases(t, s, &toA, &toB)
		err := s.View(t.Context(), func(tx store.Tx) error {
			got, err := tx.ReleaseByUUID(toA.ID.UUID())
			same(t, "ReleaseByUUID", got.ID, toA.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The unsealed index pointed at another release: asking for B's UUID must not give A.
		execRaw(t, db, `UPDATE releases SET uuid = $1 WHERE id = $2`, "x", string(toB.ID))
		execRaw(t, db, `UPDATE releases SET uuid = $1 WHERE id = $2`, toB.ID.UUID(), string(toA.ID))
		err = s.View(t.Context(), func(tx store.Tx) error { _, err := tx.ReleaseByUUID(toB.ID.UUID()); return err })
		wantTampered(t, err, "releases", string(toA.ID))
	})
	t.Run("S1_certificate_pointed_at_another_partner_is_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		var h hooked
		s.SetTamperHook(h.raise)
		w := newSharingWorld(t, s)
		execRaw(t, db, `UPDATE partner_certificates SET organisation_id = $1 WHERE fingerprint = $2`,
			string(w.b.Organisation), fingerprint("a1"))
		execRaw(t, db, `INSERT INTO partner_certificates (fingerprint, organisation_id) VALUES ($1, $2)`,
			fingerprint("forged"), string(w.b.Organisation))
		for _, fp := range []string{fingerprint("a1"), fingerprint("forged")} {
			err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.PartnerByCertificate(fp); return err })
			wantTampered(t, err, "partner_certificates", fp)
		}
		if got := h.raised(); len(got) != 2 {
			t.Errorf("tamper hook raised %q, want the two certificates", got)
		}
	})
}

func execRaw(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
