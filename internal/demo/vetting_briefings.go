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

// loadBriefings: Chapter 4's briefings (Art. 18, A18.1), in an organisation of their own so that no existing
// account's agenda changes: the Direction de la Défense, whose security officer is Claude Reuter. Marie Kayser's
// SECRET clearance was granted two weeks ago and is pending: she has not been briefed yet, so it grants nothing,
// and it is on her agenda and on Reuter's. Marc Weis, cleared SECRET three years ago, was briefed fourteen months
// ago and signed his declaration: his yearly re-briefing is two months overdue, on his agenda and on Reuter's; he
// reported a journey abroad, which Hélène (the NSA) took up. None of them has an account.
func loadBriefings(l *loader, w *World) {
	ctx, s, v, now := l.ctx, l.sv.Registry, l.sv.Vetting, l.now
	nsa := cleared.Actor{Person: w.Helene.ID}
	w.Defence = do(l, "organisation Direction de la Défense", func() (cleared.Organisation, error) {
		return s.RegisterOrganisation(ctx, nsa, registry.NewOrganisation{Name: "Direction de la Défense", Kind: cleared.PublicBody, Country: "LU"})
	})
	person := func(name, email string) cleared.Person {
		return do(l, "person "+name, func() (cleared.Person, error) {
			return s.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.Defence.ID, Name: name, Email: email})
		})
	}
	w.Reuter = person("Claude Reuter", "claude.reuter@defense.example.lu")
	w.Kayser = person("Marie Kayser", "marie.kayser@defense.example.lu")
	w.Weis = person("Marc Weis", "marc.weis@defense.example.lu")
	do(l, "Reuter's clearance", func() (cleared.Clearance, error) {
		return s.RecordClearance(ctx, nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Reuter.ID,
			Level: cleared.Secret, Issued: l.years(2), Reference: "ANS-PSC-2024-0418"})
	})
	do(l, "officer Reuter", func() (cleared.SecurityOfficer, error) {
		return s.DesignateOfficer(ctx, nsa, registry.NewOfficer{OrganisationID: w.Defence.ID, PersonID: w.Reuter.ID,
			DesignatedBy: "Ministre de la Défense", Since: l.years(1)})
	})
	officer := cleared.Actor{Person: w.Reuter.ID}

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
		return v.RecordBriefing(ctx, officer, w.WeisClearance.ID, vetting.NewBriefing{
			BriefedOn: now.AddDate(0, -14, 0), BriefedBy: "Claude Reuter", Instructions: "Instructions de sécurité de la Défense, v2"})
	})
	weis := cleared.Actor{Person: w.Weis.ID}
	do(l, "Weis's declaration", func() (vetting.BriefingsView, error) { return v.SignDeclaration(ctx, weis, w.WeisClearance.ID) })
	r := do(l, "Weis's report", func() (vetting.CircumstanceView, error) {
		return v.ReportCircumstance(ctx, weis, vetting.NewCircumstance{Kind: cleared.CircumstanceTravel,
			Details: "Voyage privé en Chine, Shanghai, du 2 au 16 février, avec mon épouse."})
	})
	w.WeisReport = do(l, "Weis's report taken up", func() (cleared.CircumstanceReport, error) {
		v, err := v.TakeUpCircumstance(ctx, nsa, r.ID)
		return v.CircumstanceReport, err
	})
}
