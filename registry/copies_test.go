package registry_test

import (
	"errors"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
)

// onAgenda reports whether a's agenda holds an item of kind k.
func onAgenda(t *testing.T, e *env, a cleared.Actor, k policy.AgendaKind) bool {
	t.Helper()
	ag, err := e.svc.Agenda(e.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range ag.Items {
		if it.Kind == k {
			return true
		}
	}
	return false
}

func copyNumbers(cs []registry.NumberedCopy) [][2]int {
	var out [][2]int
	for _, c := range cs {
		out = append(out, [2]int{c.Number, c.Of})
	}
	return out
}

func sameNumbers(t *testing.T, what string, got []registry.NumberedCopy, want ...[2]int) {
	t.Helper()
	g := copyNumbers(got)
	if len(g) != len(want) {
		t.Fatalf("%s: copies %v, want %v", what, g, want)
	}
	for i := range g {
		if g[i] != want[i] {
			t.Fatalf("%s: copies %v, want %v", what, g, want)
		}
	}
}

// The "done when": a TOP SECRET copy is refused without the originator's consent (A9.4), audited, nothing
// made; numbered after it; the consent covers its copies and is used up.
func TestCopyTopSecretWaitsForConsent(t *testing.T) {
	e := newEnv(t)
	sophie, director := e.as("sophie_zone"), e.as("director")
	ts := e.w.TopSecret.ID

	_, err := e.svc.MakeCopies(e.ctx, sophie, ts, registry.NewCopies{Copies: 1, Reason: "briefing"})
	wantRule(t, err, "A9.4") // A9.4: no consent, no copy
	last := e.Last(t, 1)[0]
	if last.Entry.Action != "copy.make" || last.Entry.Allowed || last.Entry.Rule != "A9.4" {
		t.Fatalf("last audit entry %+v, want copy.make refused by A9.4", last.Entry)
	}
	if cs, err := e.svc.PieceCopies(e.ctx, director, ts); err != nil || len(cs) != 0 {
		t.Fatalf("copies after the refusal: %v, %v; want none", cs, err)
	}

	req, err := e.svc.RequestCopies(e.ctx, sophie, ts, registry.NewCopyRequest{Copies: 2, Reason: "briefing of the minister"})
	if err != nil {
		t.Fatal(err)
	}
	// A9.4, A5.2: the security officer, who knows the piece but holds no authority, may not consent.
	_, err = e.svc.ApproveCopyRequest(e.ctx, e.as("anne"), req.ID, registry.CopyDecision{})
	wantRule(t, err, "A9.4")
	// A pending request is no consent.
	_, err = e.svc.MakeCopies(e.ctx, sophie, ts, registry.NewCopies{Copies: 1, Reason: "briefing"})
	wantRule(t, err, "A9.4")
	// The originator sees the request waiting for him, on his agenda too.
	if !onAgenda(t, e, director, policy.AgendaCopyRequest) {
		t.Error("the pending request is not on the originator's agenda")
	}
	if onAgenda(t, e, sophie, policy.AgendaCopyRequest) {
		t.Error("the requester has the request on his agenda as if he decided it")
	}
	pending, err := e.svc.CopyRequests(e.ctx, director, true)
	if err != nil || len(pending) != 1 || pending[0].ID != req.ID {
		t.Fatalf("pending requests of the originator: %v, %v; want %s", pending, err, req.ID)
	}
	approved, err := e.svc.ApproveCopyRequest(e.ctx, director, req.ID, registry.CopyDecision{Note: "for the minister only"})
	if err != nil {
		t.Fatal(err)
	}
	if approved.Status != cleared.CopyRequestApproved || approved.DecidedAs != e.w.DirectorAuth.ID {
		t.Fatalf("approved request %+v", approved)
	}
	_, err = e.svc.RefuseCopyRequest(e.ctx, director, req.ID, registry.CopyDecision{})
	if !errors.Is(err, cleared.ErrConflict) {
		t.Fatalf("deciding a decided request: %v, want a conflict", err)
	}
	// A9.4: the consent is given to Sophie, not to another reader of the piece.
	_, err = e.svc.MakeCopies(e.ctx, e.as("anne"), ts, registry.NewCopies{Copies: 1, Reason: "archive"})
	wantRule(t, err, "A9.4")
	// More than the consent covers is refused whole.
	_, err = e.svc.MakeCopies(e.ctx, sophie, ts, registry.NewCopies{Copies: 3, Reason: "briefing"})
	wantRule(t, err, "A9.4")

	first, err := e.svc.MakeCopies(e.ctx, sophie, ts, registry.NewCopies{Copies: 1, Reason: "briefing"})
	if err != nil {
		t.Fatal(err)
	}
	sameNumbers(t, "first copy", first, [2]int{1, 1})
	if first[0].Request != req.ID || first[0].Holder != e.w.Sophie.ID || first[0].Marking != e.w.TopSecret.Marking() {
		t.Fatalf("copy %+v", first[0])
	}
	second, err := e.svc.MakeCopies(e.ctx, sophie, ts, registry.NewCopies{Copies: 1, Reason: "briefing"})
	if err != nil {
		t.Fatal(err)
	}
	sameNumbers(t, "second copy", second, [2]int{2, 2})
	_, err = e.svc.MakeCopies(e.ctx, sophie, ts, registry.NewCopies{Copies: 1, Reason: "briefing"})
	wantRule(t, err, "A9.4") // used up

	// The originator sees every copy, numbered n of m.
	all, err := e.svc.PieceCopies(e.ctx, director, ts)
	if err != nil {
		t.Fatal(err)
	}
	sameNumbers(t, "copies listed to the originator", all, [2]int{1, 2}, [2]int{2, 2})
	// The content of an electronic copy is the piece's.
	_, _, content, err := e.svc.ReadCopyContent(e.ctx, sophie, first[0].ID)
	if err != nil || len(content) == 0 {
		t.Fatalf("content of the copy: %q, %v", content, err)
	}
	// A8.2: not outside a security zone.
	_, _, _, err = e.svc.ReadCopyContent(e.ctx, e.as("sophie_office"), first[0].ID)
	wantRule(t, err, "A8.2")
	// A10.2: a TOP SECRET copy's destruction writes a signed report; the copy stays until it is countersigned.
	pendingCopy, err := e.svc.DestroyCopy(e.ctx, sophie, first[0].ID, registry.NewDestruction{})
	if err != nil || pendingCopy.Destruction == "" || !pendingCopy.Destroyed.IsZero() {
		t.Fatalf("a TOP SECRET copy destroyed on one signature: %+v, %v", pendingCopy, err)
	}
}

func TestCopyRefusedRequest(t *testing.T) {
	e := newEnv(t)
	sophie, director := e.as("sophie_zone"), e.as("director")
	req, err := e.svc.RequestCopies(e.ctx, sophie, e.w.TopSecret.ID, registry.NewCopyRequest{Copies: 1, Reason: "archive"})
	if err != nil {
		t.Fatal(err)
	}
	// A9.1: one who may not know the piece does not learn the request exists.
	_, err = e.svc.CopyRequest(e.ctx, e.as("paul"), req.ID)
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("a stranger reads the request: %v, want not found", err)
	}
	refused, err := e.svc.RefuseCopyRequest(e.ctx, director, req.ID, registry.CopyDecision{Note: "not needed"})
	if err != nil || refused.Status != cleared.CopyRequestRefused {
		t.Fatalf("refuse: %+v, %v", refused, err)
	}
	_, err = e.svc.MakeCopies(e.ctx, sophie, e.w.TopSecret.ID, registry.NewCopies{Copies: 1, Reason: "archive"})
	wantRule(t, err, "A9.4") // A9.4: a refusal is no consent
	got, err := e.svc.CopyRequest(e.ctx, sophie, req.ID)
	if err != nil || got.Status != cleared.CopyRequestRefused {
		t.Fatalf("the requester reads his request: %+v, %v", got, err)
	}
}

// The "done when": a SECRET copy is numbered without consent (A9.4 asks it for TOP SECRET only); each holder
// sees his copies, the originator all of them.
func TestCopySecretNumberedWithoutConsent(t *testing.T) {
	e := newEnv(t)
	sec := e.w.Secret.ID
	cs, err := e.svc.MakeCopies(e.ctx, e.as("sophie_office"), sec, registry.NewCopies{Copies: 2, Reason: "analysis"})
	if err != nil {
		t.Fatal(err)
	}
	sameNumbers(t, "Sophie's copies", cs, [2]int{1, 2}, [2]int{2, 2})
	toms, err := e.svc.MakeCopies(e.ctx, e.as("tom"), sec, registry.NewCopies{Copies: 1, Reason: "negotiation file"})
	if err != nil {
		t.Fatal(err)
	}
	sameNumbers(t, "Tom's copy", toms, [2]int{3, 3})

	mine, err := e.svc.PieceCopies(e.ctx, e.as("tom"), sec)
	if err != nil {
		t.Fatal(err)
	}
	sameNumbers(t, "copies Tom sees", mine, [2]int{3, 3}) // A9.4: a holder sees his own
	all, err := e.svc.PieceCopies(e.ctx, e.as("minister"), sec)
	if err != nil {
		t.Fatal(err)
	}
	sameNumbers(t, "copies the originator sees", all, [2]int{1, 3}, [2]int{2, 3}, [2]int{3, 3})
	_, err = e.svc.Copy(e.ctx, e.as("tom"), cs[0].ID)
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("Tom reads Sophie's copy: %v, want not found", err)
	}
	// A9.1: one who may not know the piece cannot copy it, nor learn it exists.
	_, err = e.svc.MakeCopies(e.ctx, e.as("paul"), sec, registry.NewCopies{Copies: 1, Reason: "curiosity"})
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("a stranger copies the piece: %v, want not found", err)
	}
}

func TestCopyHolderAndPlace(t *testing.T) {
	e := newEnv(t)
	sophie, sec := e.as("sophie_office"), e.w.Secret.ID
	// A9.1: the holder must be cleared at the piece's level with need-to-know.
	_, err := e.svc.MakeCopies(e.ctx, sophie, sec, registry.NewCopies{Copies: 1, Reason: "contract", Holder: e.w.Lea.ID})
	wantRule(t, err, "A9.1")
	// A9.3: a printed copy is not kept in a public place; A8.1: nor in one accredited below its level.
	_, err = e.svc.MakeCopies(e.ctx, sophie, sec, registry.NewCopies{Copies: 1, Reason: "print", Location: e.w.Lobby.ID})
	wantRule(t, err, "A9.3")
	// Given to Tom, who holds need-to-know, and kept in the reading room accredited SECRET.
	cs, err := e.svc.MakeCopies(e.ctx, sophie, sec, registry.NewCopies{Copies: 1, Reason: "print", Holder: e.w.Tom.ID, Location: e.w.Reading.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c := cs[0]; c.Kind != cleared.Physical || c.Holder != e.w.Tom.ID || c.Location != e.w.Reading.ID || c.OrganisationID != e.w.Ministry.ID {
		t.Fatalf("printed copy %+v", c)
	}
	_, _, _, err = e.svc.ReadCopyContent(e.ctx, sophie, cs[0].ID)
	if !errors.Is(err, cleared.ErrConflict) {
		t.Fatalf("content of a printed copy: %v, want a conflict", err)
	}
	// A1.1: nothing was made by the refusals: the printed copy is number 1.
	sameNumbers(t, "printed copy", cs, [2]int{1, 1})
}

func TestDestroyCopy(t *testing.T) {
	e := newEnv(t)
	sophie := e.as("sophie_office")
	cs, err := e.svc.MakeCopies(e.ctx, sophie, e.w.Confidential.ID, registry.NewCopies{Copies: 1, Reason: "contract follow-up"})
	if err != nil {
		t.Fatal(err)
	}
	// A10.1: the originator sees the copy but neither holds it nor answers for Sophie's organisation.
	_, err = e.svc.DestroyCopy(e.ctx, e.as("paul"), cs[0].ID, registry.NewDestruction{})
	wantRule(t, err, "A10.1")
	gone, err := e.svc.DestroyCopy(e.ctx, sophie, cs[0].ID, registry.NewDestruction{})
	if err != nil {
		t.Fatal(err)
	}
	if gone.Destroyed.IsZero() || gone.DestroyedBy != e.w.Sophie.ID {
		t.Fatalf("destroyed copy %+v", gone)
	}
	_, _, _, err = e.svc.ReadCopyContent(e.ctx, sophie, cs[0].ID)
	if !errors.Is(err, cleared.ErrConflict) {
		t.Fatalf("content of a destroyed copy: %v, want a conflict", err)
	}
	sec, err := e.svc.MakeCopies(e.ctx, sophie, e.w.Secret.ID, registry.NewCopies{Copies: 1, Reason: "analysis"})
	if err != nil {
		t.Fatal(err)
	}
	// A10.2: a SECRET copy is destroyed on two signatures, the holder's and her security officer's; its piece is not.
	half, err := e.svc.DestroyCopy(e.ctx, sophie, sec[0].ID, registry.NewDestruction{})
	if err != nil || half.Destruction == "" || !half.Destroyed.IsZero() {
		t.Fatalf("a SECRET copy destroyed on one signature: %+v, %v", half, err)
	}
	if _, err := e.svc.DestroyCopy(e.ctx, sophie, sec[0].ID, registry.NewDestruction{}); !errors.Is(err, cleared.ErrConflict) {
		t.Fatalf("a second destruction while the report awaits its countersignature: %v, want a conflict", err)
	}
	_, err = e.svc.Countersign(e.ctx, sophie, half.Destruction, registry.Countersignature{})
	wantRule(t, err, "A10.2") // not by the one who destroyed it
	still, err := e.svc.Copy(e.ctx, sophie, sec[0].ID)
	if err != nil || !still.Destroyed.IsZero() {
		t.Fatalf("the copy after one signature: %+v, %v", still, err)
	}
	d, err := e.svc.Countersign(e.ctx, e.as("anne"), half.Destruction, registry.Countersignature{})
	if err != nil || d.Completed.IsZero() || d.Copy != string(sec[0].ID) {
		t.Fatalf("countersigned by the security officer: %+v, %v", d, err)
	}
	gone, err = e.svc.Copy(e.ctx, sophie, sec[0].ID)
	if err != nil || gone.Destroyed.IsZero() || gone.DestroyedBy != e.w.Sophie.ID {
		t.Fatalf("the copy after two signatures: %+v, %v", gone, err)
	}
	p, err := e.svc.Piece(e.ctx, sophie, e.w.Secret.ID)
	if err != nil || !p.Destroyed.IsZero() {
		t.Fatalf("the piece after its copy's destruction: %+v, %v", p, err)
	}
	if _, _, err := e.svc.ReadContent(e.ctx, e.as("sophie_zone"), e.w.Secret.ID); err != nil {
		t.Fatalf("the piece's content after its copy's destruction: %v", err)
	}
}

// The "done when": an inventory with a missing copy reports it (A13.1).
func TestInventoryReportsMissingCopy(t *testing.T) {
	e := newEnv(t)
	anne := e.as("anne") // security officer of the SRE
	cs, err := e.svc.MakeCopies(e.ctx, e.as("sophie_office"), e.w.Secret.ID, registry.NewCopies{Copies: 2, Reason: "analysis"})
	if err != nil {
		t.Fatal(err)
	}
	// A1.1: the security officer of another organisation may not take it.
	_, err = e.svc.OpenInventory(e.ctx, e.as("luc"), registry.NewInventory{OrganisationID: e.w.SRE.ID})
	wantRule(t, err, "A1.1")
	_, err = e.svc.OpenInventory(e.ctx, e.as("luc"), registry.NewInventory{Holder: e.w.Sophie.ID})
	wantRule(t, err, "A1.1") // nor of its staff
	_, err = e.svc.OpenInventory(e.ctx, e.as("luc"), registry.NewInventory{Holder: cleared.NewPersonID()})
	wantRule(t, err, "A1.1") // A23.1: a missing person answers as another's staff
	_, err = e.svc.OpenInventory(e.ctx, e.as("helene"), registry.NewInventory{Holder: cleared.NewPersonID()})
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("the NSA opens the inventory of a missing person: %v, want not found", err)
	}
	_, err = e.svc.OpenInventory(e.ctx, anne, registry.NewInventory{})
	if !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("an inventory of nobody: %v, want invalid", err)
	}
	inv, err := e.svc.OpenInventory(e.ctx, anne, registry.NewInventory{Holder: e.w.Sophie.ID, Note: "annual count"})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Items) != 2 || inv.Items[0].Copy != cs[0].ID || inv.Items[1].CopyNumber != 2 || inv.OrganisationID != e.w.SRE.ID {
		t.Fatalf("inventory of Sophie: %+v", inv)
	}
	yes, no := true, false
	if _, err := e.svc.CheckInventoryItem(e.ctx, anne, inv.ID, 1, registry.ItemCheck{Present: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CheckInventoryItem(e.ctx, anne, inv.ID, 2, registry.ItemCheck{Present: &no, Note: "not in the safe"}); err != nil {
		t.Fatal(err)
	}
	closed, err := e.svc.CloseInventory(e.ctx, anne, inv.ID, registry.CloseNote{})
	if err != nil {
		t.Fatal(err)
	}
	if closed.Missing != 1 || closed.Closed.IsZero() {
		t.Fatalf("closed inventory %+v, want one item missing", closed.Inventory)
	}
	var missing []string
	for _, r := range e.Last(t, 2) {
		if r.Entry.Action == "inventory.missing" {
			missing = append(missing, r.Entry.Object)
		}
	}
	if len(missing) != 1 || missing[0] != string(cs[1].ID) {
		t.Fatalf("inventory.missing entries for %v, want the second copy %s", missing, cs[1].ID)
	}
	if !onAgenda(t, e, anne, policy.AgendaInventoryMissing) {
		t.Error("A13.1: the missing copy is not on the security officer's agenda")
	}
	_, err = e.svc.CheckInventoryItem(e.ctx, anne, inv.ID, 1, registry.ItemCheck{Present: &yes})
	if !errors.Is(err, cleared.ErrConflict) {
		t.Fatalf("checking a closed inventory: %v, want a conflict", err)
	}
	list, err := e.svc.Inventories(e.ctx, anne)
	if err != nil || len(list) != 1 {
		t.Fatalf("inventories of the officer: %v, %v", list, err)
	}
	// A whole organisation's inventory lists its pieces and its copies.
	org, err := e.svc.OpenInventory(e.ctx, anne, registry.NewInventory{OrganisationID: e.w.SRE.ID})
	if err != nil {
		t.Fatal(err)
	}
	pieces, copies := 0, 0
	for _, it := range org.Items {
		if it.Copy == "" {
			pieces++
		} else {
			copies++
		}
	}
	if pieces == 0 || copies != 2 {
		t.Fatalf("organisation inventory: %d pieces, %d copies; want the SRE's pieces and 2 copies", pieces, copies)
	}
}

// A1.1: NATO's profile numbers copies of NATO SECRET (DutyCopyNumber): the copy is made, numbered, through the
// profiles' seam, without the originator's consent, which NATO does not ask for a copy.
func TestCopyNATOSecretNumbered(t *testing.T) {
	e := newEnv(t)
	cs, err := e.svc.MakeCopies(e.ctx, e.as("sophie_office"), e.w.NATO.ID, registry.NewCopies{Copies: 1, Reason: "analysis"})
	if err != nil {
		t.Fatal(err)
	}
	sameNumbers(t, "NATO SECRET copy", cs, [2]int{1, 1})
	if cs[0].Marking != e.w.NATO.Marking() {
		t.Errorf("marking %q, want %q", cs[0].Marking, e.w.NATO.Marking())
	}
}
