package sharing_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/store"
)

// TestPush_S1_doorbells_to_entitled_partners_only: a release writes, in its transaction, a signed call to the
// endpoints of each partner it reaches now, naming no product; a partner whose gate refuses the level is not called;
// a revocation calls only those that received the product.
func TestPush_S1_doorbells_to_entitled_partners_only(t *testing.T) {
	e, sw := world(t)
	nsa := cleared.Actor{Person: e.World.Helene.ID}
	hook := func(org cleared.OrganisationID) cleared.WebhookID {
		t.Helper()
		v, err := e.Reg.RegisterWebhook(e.Ctx, nsa, registry.NewWebhook{OrganisationID: org, URL: "https://" + string(org) + ".example/hook",
			Scheme: cleared.WebhookEd25519})
		if err != nil {
			t.Fatal(err)
		}
		return v.Webhook.ID
	}
	natoHook, euHook := hook(sw.NATO.Organisation), hook(sw.EU.Organisation)
	calls := func(r cleared.ReleaseID) map[string][]sharing.Doorbell {
		t.Helper()
		out := map[string][]sharing.Doorbell{}
		err := e.Store.View(e.Ctx, func(tx store.Tx) error {
			ds, err := tx.DeliveriesOf(string(r))
			for _, d := range ds {
				var b sharing.Doorbell
				dec := json.NewDecoder(strings.NewReader(string(d.Body)))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&b); err != nil {
					t.Fatalf("doorbell %s: %v", d.Body, err)
				}
				if d.Medium != cleared.MediumWebhook || b.Next == "" {
					t.Errorf("doorbell %+v", d)
				}
				out[d.Address] = append(out[d.Address], b)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// SECRET to the alliance, approved: NATO reads SECRET, the EU does not, so only NATO is called.
	r, err := e.Share.Release(e.Ctx, sw.Originator, sw.SecretPiece.ID, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"alliance"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := calls(r.ID); len(got) != 0 {
		t.Fatalf("a proposal rang %v", got)
	}
	if r, err = e.Share.Approve(e.Ctx, sw.Approver, r.ID); err != nil {
		t.Fatal(err)
	}
	got := calls(r.ID)
	if len(got[string(natoHook)]) != 1 || len(got[string(euHook)]) != 0 || got[string(natoHook)][0].Event != "release" {
		t.Fatalf("doorbells of a SECRET release to the alliance: %v, want NATO's alone", got)
	}
	for _, d := range got[string(natoHook)] {
		if b, _ := json.Marshal(d); strings.Contains(string(b), sw.SecretPiece.Title) || strings.Contains(string(b), "SECRET") {
			t.Errorf("a doorbell names the product: %s", b)
		}
	}
	// The doorbell's position reads the release in NATO's stream.
	seq, _, err := e.Share.ParsePosition(sw.NATO.Organisation, got[string(natoHook)][0].Next)
	if err != nil || seq != r.Seq {
		t.Fatalf("doorbell position: %d, %v; want %d", seq, err, r.Seq)
	}
	// Revoked before anyone read it: nobody had it, nobody is called.
	if _, err := e.Share.Revoke(e.Ctx, sw.Originator, r.ID, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	if got := calls(r.ID); len(got[string(natoHook)]) != 1 {
		t.Fatalf("a revocation of what nobody received rang: %v", got)
	}
	// Revoked after NATO read it: NATO is called again, revoke.
	if _, _, err := e.Share.Deliver(e.Ctx, sw.NATO, cleared.RouteTAXII, 0, 50); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Share.Revoke(e.Ctx, sw.Originator, sw.ConfidentialRelease.ID, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	got = calls(sw.ConfidentialRelease.ID)
	if n := len(got[string(natoHook)]); n != 1 || got[string(natoHook)][0].Event != "revoke" || len(got[string(euHook)]) != 0 {
		t.Fatalf("doorbells of the revocation: %v, want NATO's revoke alone", got)
	}
}
