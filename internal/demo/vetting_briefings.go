package demo

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// loadBriefings: Chapter 4's briefings (Art. 18, A18.1), with two new holders of the SRE, whose security officer is
// Anne. Marie Kayser's SECRET clearance was granted two weeks ago and is pending: she has not been briefed yet, so
// it grants nothing, and it is on her agenda and on Anne's. Marc Weis, cleared SECRET three years ago, was briefed
// fourteen months ago and signed his declaration: his yearly re-briefing is two months overdue, on his agenda and
// on Anne's; he reported a journey abroad, which waits on the NSA's agenda. No existing person's clearance changes.
func loadBriefings(l *loader, w *World) {
	ctx, s, v, now := l.ctx, l.sv.Registry, l.sv.Vetting, l.now
	nsa := cleared.Actor{Person: w.Helene.ID}
	person := func(name, email string) cleared.Person {
		return do(l, "person "+name, func() (cleared.Person, error) {
			return s.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.SRE.ID, Name: name, Email: email})
		})
	}
	w.Kayser = person("Marie Kayser", "marie.kayser@sre.example.lu")
	w.Weis = person("Marc Weis", "marc.weis@sre.example.lu")

	// The deciding authority's grant (A27.1) creates the clearance pending its briefing; the demo records it as the
	// decision does, in one audited action.
	issued := now.AddDate(0, 0, -14).UTC().Truncate(time.Microsecond)
	w.KayserClearance = do(l, "Kayser's pending clearance", func() (cleared.Clearance, error) {
		c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.Kayser.ID,
			Level: cleared.Secret, Issued: issued, Expires: policy.ClearanceExpiry(cleared.Secret, issued),
			Status: cleared.ClearancePending, Source: cleared.SourceVetting, RecordedBy: w.Helene.ID, Recorded: issued}
		err := l.sv.Run.Do(ctx, nsa, act.ClearanceRecord, now.UTC().Truncate(time.Microsecond), func(tx store.Tx, x *act.Act) error {
			x.Object, x.Payload = string(c.ID), c
			return tx.CreateClearance(c)
		})
		return c, err
	})

	w.WeisClearance = do(l, "Weis's clearance", func() (cleared.Clearance, error) {
		return s.RecordClearance(ctx, nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Weis.ID,
			Level: cleared.Secret, Issued: l.years(3), Reference: "ANS-PSC-2023-0612"})
	})
	do(l, "Weis's briefing", func() (vetting.BriefingsView, error) {
		return v.RecordBriefing(ctx, cleared.Actor{Person: w.Anne.ID}, w.WeisClearance.ID, vetting.NewBriefing{
			BriefedOn: now.AddDate(0, -14, 0), BriefedBy: "Anne Muller", Instructions: "Instructions de sécurité du SRE, v2"})
	})
	weis := cleared.Actor{Person: w.Weis.ID}
	do(l, "Weis's declaration", func() (vetting.BriefingsView, error) { return v.SignDeclaration(ctx, weis, w.WeisClearance.ID) })
	r := do(l, "Weis's report", func() (vetting.CircumstanceView, error) {
		return v.ReportCircumstance(ctx, weis, vetting.NewCircumstance{Kind: cleared.CircumstanceTravel,
			Details: "Voyage privé en Chine, Shanghai, du 2 au 16 février, avec mon épouse."})
	})
	w.WeisReport = r.CircumstanceReport
}
