package registry

import (
	"context"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Form is an act the UI offers through a form (issue 18 §0: only to someone the policy would let do it).
type Form string

// The forms, each named after what it records.
const (
	FormOrganisation Form = "organisation"
	FormPerson       Form = "person"
	FormOfficer      Form = "officer"
	FormClearance    Form = "clearance"
	FormAuthority    Form = "authority"
	FormChannel      Form = "channel"
	FormEquivalence  Form = "equivalence"
	FormPlace        Form = "place"
	FormTerminal     Form = "terminal"
	FormClassify     Form = "classify"
	FormDossier      Form = "dossier"
	FormGrant        Form = "grant"
	FormDelegation   Form = "delegation"
	FormAccount      Form = "account"
	// Issue 19: a judicial order, recorded by the NSA (A9.5).
	FormJudicialOrder Form = "judicial_order"
	FormWebhook       Form = "webhook" // issue 19 §2 (A13.1)
)

// formActs are the actions under which a form's refusal is recorded: the act it would have done.
var formActs = map[Form]act.Name{
	FormOrganisation: act.OrganisationRegister, FormPerson: act.PersonRegister, FormOfficer: act.OfficerDesignate,
	FormClearance: act.ClearanceRecord, FormAuthority: act.AuthorityRegister, FormChannel: act.ChannelRegister,
	FormEquivalence: act.EquivalenceSet, FormPlace: act.PlaceRegister, FormTerminal: act.TerminalRegister,
	FormClassify: act.PieceClassify, FormDossier: act.DossierCreate, FormGrant: act.GrantCreate,
	FormDelegation: act.DelegationRegister, FormAccount: act.AccountCreate,
	FormJudicialOrder: act.JudicialOrderRecord,
	FormWebhook:       act.WebhookRegister,
}

// Forms decides, for each form, whether the policy would let the actor attempt its act (policy.Offer*). It
// records nothing: the UI asks it to hide what it would refuse.
func (s *Service) Forms(ctx context.Context, a cleared.Actor) (map[Form]policy.Decision, error) {
	now := s.clock()
	var o policy.Offer
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		if o.Person, err = facts.ActorPerson(tx, a); err != nil {
			return err
		}
		if o.Clearances, err = tx.PersonClearances(o.Person.ID); err != nil {
			return err
		}
		if o.OfficerOf, err = facts.OfficerOf(tx, o.Person.ID, now); err != nil {
			return err
		}
		o.Authorities, err = tx.PersonAuthorities(o.Person.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	nsa := policy.OfferRegister(o, now)
	return map[Form]policy.Decision{
		FormOrganisation: nsa, FormPerson: nsa, FormOfficer: nsa, FormClearance: nsa, FormAuthority: nsa, FormChannel: nsa,
		FormEquivalence: nsa, FormPlace: policy.OfferPlaces(o), FormTerminal: policy.OfferPlaces(o),
		FormClassify: policy.OfferClassify(o, now), FormDossier: policy.OfferClassify(o, now), FormGrant: policy.OfferGrant(o, now),
		FormDelegation: policy.OfferDelegate(o, now), FormAccount: policy.OfferAccounts(o),
		FormJudicialOrder: policy.OfferJudicialOrder(o, now),
		FormWebhook:       policy.OfferWebhooks(o),
	}, nil
}

// OfferForm answers nil when the policy would let the actor attempt the form's act; else it records the refusal,
// under that act, and returns it (a 403 naming its rule and audit entry).
func (s *Service) OfferForm(ctx context.Context, a cleared.Actor, f Form) error {
	ds, err := s.Forms(ctx, a)
	if err != nil {
		return err
	}
	d, ok := ds[f]
	if !ok || d.Allowed {
		return nil
	}
	x := s.run.Act(a, formActs[f], s.clock())
	return x.Record(ctx, d, d.Err())
}
