package registry

import (
	"context"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// FirstOfficer is the input of Bootstrap: the first NSA officer, whose own clearance is taken from the paper
// register.
type FirstOfficer struct {
	Name               string        `json:"name"`
	Email              string        `json:"email"`
	ClearanceLevel     cleared.Level `json:"clearance_level"`
	ClearanceIssued    time.Time     `json:"clearance_issued"`
	ClearanceReference string        `json:"clearance_reference"`
}

// NSAName is the name of the National Security Authority's organisation created by Bootstrap.
const NSAName = "Autorité nationale de Sécurité"

// Bootstrap sets up an empty database: the National Security Authority as an organisation (Art. 2 point 1), its
// first officer with the nsa_officer role and his clearance, the shipped equivalence table (A6.1), the shipped rule
// profiles (A1.1), the law's parameters (A17.1) and the national recipients of S2 (NationalRecipients). It refuses a
// database that already has persons, so it cannot be used to add an officer behind the registers' back.
func (s *Service) Bootstrap(ctx context.Context, in FirstOfficer) (p cleared.Person, err error) {
	defer cleared.Wrap(&err, "bootstrap")
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return p, err
	}
	if err := cleared.CheckLine("email", in.Email, 0, maxName); err != nil {
		return p, err
	}
	if err := cleared.CheckLine("clearance reference", in.ClearanceReference, 1, maxName); err != nil {
		return p, err
	}
	if !in.ClearanceLevel.Classified() {
		return p, cleared.Invalidf("the first officer's clearance needs a classified level")
	}
	now := s.clock()
	issued := in.ClearanceIssued.UTC().Truncate(time.Microsecond)
	if issued.IsZero() || issued.After(now) {
		return p, cleared.Invalidf("the clearance's issue date must be in the past")
	}
	if !now.Before(policy.ClearanceExpiry(in.ClearanceLevel, issued)) {
		return p, cleared.Invalidf("that clearance has expired (A17.1): the first officer needs a valid one")
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		n, err := tx.CountPersons()
		if err != nil {
			return err
		}
		if n > 0 {
			return cleared.Conflictf("the database already has %d persons: bootstrap is for an empty database", n)
		}
		org := cleared.Organisation{ID: cleared.NewOrganisationID(), Name: NSAName, Kind: cleared.PublicBody, Country: "LU", Created: now}
		if err := tx.CreateOrganisation(org); err != nil {
			return err
		}
		p = cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org.ID, Name: in.Name, Email: in.Email,
			Roles: []cleared.Role{cleared.RoleNSAOfficer}, Created: now}
		if err := tx.CreatePerson(p); err != nil {
			return err
		}
		c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: p.ID, Level: in.ClearanceLevel,
			Issued: issued, Expires: policy.ClearanceExpiry(in.ClearanceLevel, issued), Status: cleared.ClearanceActive,
			Source: cleared.SourcePaperRegister, Reference: in.ClearanceReference, RecordedBy: p.ID, Recorded: now}
		if err := tx.CreateClearance(c); err != nil {
			return err
		}
		if err := tx.PutEquivalence(cleared.DefaultEquivalence(), p.ID, now); err != nil {
			return err
		}
		// A1.1, A17.1: the shipped EU and NATO profiles, and the law of 2004's parameters.
		if err := recordShipped(tx, p.ID, now); err != nil {
			return err
		}
		// S2: the national recipients the law names, as organisations with their type and scope; the NSA records
		// the channels each accepts (RecordAddressee).
		recipients, err := recordNationalRecipients(tx, p.ID, now)
		if err != nil {
			return err
		}
		// The log's first entry: who set the installation up, with which clearance.
		x := s.run.Act(cleared.Actor{Person: p.ID}, act.SystemBootstrap, now)
		x.Object, x.Payload = string(p.ID), map[string]any{"organisation": org, "officer": p, "clearance": c,
			"national_recipients": recipients}
		_, err = x.Append(tx, policy.Allow)
		return err
	})
	return p, err
}

// NationalRecipient is a national body the law has communications go to (S2), as Bootstrap registers it: an
// organisation with its addressee record (type, basis, scope), without channels until the NSA records those it
// accepts. It is data: a body's handling is its scope and channels, never a code path of its own.
type NationalRecipient struct {
	Name  string
	Type  cleared.RecipientType
	Basis string
	Scope []string
}

// NationalRecipients are the bodies S2 names: the State Prosecutor (intelligence on crimes, Art. 23(2) of the code
// of criminal procedure), the Office for Export Controls (export-control risk assessments) and Customs.
var NationalRecipients = []NationalRecipient{
	{Name: "Parquet — Procureur d'État", Type: cleared.StateProsecutor,
		Basis: "Art. 23(2) du Code de procédure pénale", Scope: []string{"crime"}},
	{Name: "Office du contrôle des exportations, importations et du transit (OCEIT)", Type: cleared.ExportControlOffice,
		Basis: "Contrôle des exportations : évaluations de risque (S2)", Scope: []string{"export_control"}},
	{Name: "Administration des douanes et accises", Type: cleared.Customs,
		Basis: "Informations aux douanes (S2)", Scope: []string{"customs"}},
}

// recordNationalRecipients registers NationalRecipients in tx, recorded by the first officer.
func recordNationalRecipients(tx store.Tx, by cleared.PersonID, now time.Time) ([]cleared.Addressee, error) {
	var out []cleared.Addressee
	for _, r := range NationalRecipients {
		o := cleared.Organisation{ID: cleared.NewOrganisationID(), Name: r.Name, Kind: cleared.PublicBody, Country: "LU", Created: now}
		if err := tx.CreateOrganisation(o); err != nil {
			return nil, err
		}
		a := cleared.Addressee{Organisation: o.ID, Type: r.Type, Basis: r.Basis, Scope: r.Scope, RecordedBy: by, Recorded: now}
		if err := tx.PutAddressee(a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
