package vetting_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// bench is a commission of three members holding TRES SECRET (created here: the demo has none), and Eva's case,
// set to reported through the store (the investigation's part files the report for real).
type bench struct {
	intake
	members [3]cleared.Person
	seats   [3]cleared.CommissionMember
	as      [3]cleared.Actor
	c       cleared.VettingCase
}

// secret are the opinion's reasons, which must never reach the person (A27.4).
const secret = "Liens financiers non déclarés avec une société écran (motif confidentiel 7731)"

func newBench(t *testing.T) *bench {
	in := newIntake(t)
	b := &bench{intake: in}
	now := in.Clock.Now()
	for i, d := range cleared.Designators {
		p := in.person(t, in.World.SRE.ID, "Membre "+d)
		b.topSecret(t, p.ID, now.AddDate(-1, 0, 0))
		b.members[i], b.as[i] = p, cleared.Actor{Person: p.ID}
		b.seats[i] = must(in.Vet.RecordSeat(in.Ctx, in.nsa, vetting.NewSeat{Person: p.ID, Designator: d,
			From: now.AddDate(0, -6, 0), Until: now.AddDate(3, 0, 0), Reference: "Arrêté " + d}))
	}
	b.c = b.reported(t)
	return b
}

// topSecret records a TRES SECRET clearance of p issued at issued, through the store (the registry caps a
// clearance at the level of the holder's posts, A16.1, which the test has no use for).
func (b *bench) topSecret(t *testing.T, p cleared.PersonID, issued time.Time) {
	t.Helper()
	c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: p, Level: cleared.TopSecret,
		Issued: issued, Expires: policy.ClearanceExpiry(cleared.TopSecret, issued), Status: cleared.ClearanceActive,
		Reference: "ANS-TEST", RecordedBy: b.World.Helene.ID, Recorded: issued}
	if err := b.Store.Update(b.Ctx, func(tx store.Tx) error { return tx.CreateClearance(c) }); err != nil {
		t.Fatal(err)
	}
}

// reported opens a case of a new person and sets it to reported through the store.
func (b *bench) reported(t *testing.T) cleared.VettingCase {
	t.Helper()
	p := b.person(t, b.World.SRE.ID, "Personne "+string(cleared.NewPersonID())[4:10])
	c := must(b.Vet.OpenCase(b.Ctx, b.anne, vetting.NewCase{PersonID: p.ID, Post: b.post.ID}))
	b.setStage(t, c.ID, cleared.StageReported)
	c.Stage = cleared.StageReported
	return c
}

func (b *bench) setStage(t *testing.T, id cleared.VettingCaseID, s cleared.CaseStage) {
	t.Helper()
	err := b.Store.Update(b.Ctx, func(tx store.Tx) error {
		c, err := tx.VettingCase(id)
		if err != nil {
			return err
		}
		c.Stage, c.Updated = s, b.Clock.Now()
		if s.Closed() {
			c.Closed = b.Clock.Now()
		}
		return tx.UpdateVettingCase(c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (b *bench) person0(t *testing.T) cleared.Actor {
	return cleared.Actor{Person: b.c.PersonID}
}

func (b *bench) opinion() vetting.NewOpinion {
	return vetting.NewOpinion{Advice: cleared.AdviceRefuse, Reasons: secret,
		Members: []cleared.PersonID{b.members[0].ID, b.members[1].ID, b.members[2].ID}}
}

func TestCommissionRegister(t *testing.T) {
	b := newBench(t)
	now := b.Clock.Now()
	t.Run("A27.2 the NSA records the three seats, one per designating authority", func(t *testing.T) {
		reg := must(b.Vet.CommissionRegister(b.Ctx, b.nsa))
		if len(reg) != 3 {
			t.Fatalf("register %+v", reg)
		}
		seen := map[string]bool{}
		for _, m := range reg {
			seen[m.Designator] = true
			if m.Reference == "" || m.RecordedBy != b.World.Helene.ID {
				t.Errorf("seat %+v", m)
			}
		}
		if len(seen) != 3 {
			t.Errorf("designators %v, want one seat each", seen)
		}
	})
	t.Run("A27.2 a member reads the register", func(t *testing.T) {
		if reg := must(b.Vet.CommissionRegister(b.Ctx, b.as[0])); len(reg) != 3 {
			t.Errorf("register %+v", reg)
		}
	})
	t.Run("A27.2 one who neither keeps nor sits on the commission is refused the register", func(t *testing.T) {
		_, err := b.Vet.CommissionRegister(b.Ctx, b.anne)
		testenv.WantRule(t, err, "A27.2")
	})
	extra := b.person(t, b.World.SRE.ID, "Quatrième")
	t.Run("A27.2 a fourth seat is refused, nothing stored", func(t *testing.T) {
		before := b.Size(t)
		// A seat of a designator whose member leaves later: three seats are in force over its term.
		_, err := b.Vet.RecordSeat(b.Ctx, b.nsa, vetting.NewSeat{Person: extra.ID, Designator: cleared.DesignatorJustice,
			From: now.AddDate(1, 0, 0), Until: now.AddDate(4, 0, 0), Reference: "Arrêté 4"})
		testenv.WantRule(t, err, "A27.2")
		if len(must(b.Vet.CommissionRegister(b.Ctx, b.nsa))) != 3 {
			t.Error("the fourth seat was stored")
		}
		if b.Size(t) != before+2 { // the refusal, and the register read
			t.Error("the refusal is not audited")
		}
	})
	t.Run("A27.2 two seats of one designator are refused", func(t *testing.T) {
		_, err := b.Vet.EndSeat(b.Ctx, b.nsa, b.seats[1].ID, now.AddDate(1, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		// Foreign Affairs' seat ends in a year: a seat of Justice over that year still has Justice's in force.
		_, err = b.Vet.RecordSeat(b.Ctx, b.nsa, vetting.NewSeat{Person: extra.ID, Designator: cleared.DesignatorJustice,
			From: now.AddDate(1, 0, 0).Add(-time.Hour), Until: now.AddDate(4, 0, 0), Reference: "Arrêté 5"})
		testenv.WantRule(t, err, "A27.2")
	})
	t.Run("A27.2 a successor's seat starts when the former one ends", func(t *testing.T) {
		m := must(b.Vet.RecordSeat(b.Ctx, b.nsa, vetting.NewSeat{Person: extra.ID, Designator: cleared.DesignatorForeignAffairs,
			From: now.AddDate(1, 0, 0), Until: now.AddDate(4, 0, 0), Reference: "Arrêté 6"}))
		if m.Designator != cleared.DesignatorForeignAffairs {
			t.Errorf("seat %+v", m)
		}
	})
	t.Run("A27.2 only the NSA records or ends a seat", func(t *testing.T) {
		_, err := b.Vet.RecordSeat(b.Ctx, b.anne, vetting.NewSeat{Person: extra.ID, Designator: cleared.DesignatorJustice,
			From: now.AddDate(5, 0, 0), Until: now.AddDate(6, 0, 0), Reference: "x"})
		testenv.WantRule(t, err, "A27.2")
		_, err = b.Vet.EndSeat(b.Ctx, b.as[0], b.seats[0].ID, time.Time{})
		testenv.WantRule(t, err, "A27.2")
	})
	t.Run("A27.2 a seat does not end after its term", func(t *testing.T) {
		_, err := b.Vet.EndSeat(b.Ctx, b.nsa, b.seats[0].ID, now.AddDate(10, 0, 0))
		testenv.WantRule(t, err, "A27.2")
	})
	t.Run("A27.2 bad input: unknown designator, no term, no reference, an unknown seat", func(t *testing.T) {
		for _, in := range []vetting.NewSeat{
			{Person: extra.ID, Designator: "interior", Until: now.AddDate(1, 0, 0), Reference: "x"},
			{Person: extra.ID, Designator: cleared.DesignatorJustice, Reference: "x"},
			{Person: extra.ID, Designator: cleared.DesignatorJustice, Until: now.AddDate(1, 0, 0)},
			{Person: extra.ID, Designator: cleared.DesignatorJustice, From: now, Until: now.Add(-time.Hour), Reference: "x"},
		} {
			_, err := b.Vet.RecordSeat(b.Ctx, b.nsa, in)
			wantKind(t, err, cleared.ErrInvalid)
		}
		_, err := b.Vet.EndSeat(b.Ctx, b.nsa, cleared.NewCommissionSeatID(), time.Time{})
		wantKind(t, err, cleared.ErrNotFound)
	})
}

func TestCommissionPresident(t *testing.T) {
	b := newBench(t)
	now := b.Clock.Now()
	b.Vet.Refer(b.Ctx, b.nsa, b.c.ID)
	t.Run("A27.3 the NSA records the election of a member in office, from the minutes", func(t *testing.T) {
		m := must(b.Vet.ElectPresident(b.Ctx, b.nsa, vetting.Election{Seat: b.seats[2].ID, Minutes: "PV 2026/1"}))
		if !m.President || m.PresidentReference != "PV 2026/1" || !m.PresidentUntil().Equal(m.PresidentFrom.AddDate(3, 0, 0)) {
			t.Errorf("president %+v", m)
		}
	})
	t.Run("A27.3 a new election ends the former presidency", func(t *testing.T) {
		must(b.Vet.ElectPresident(b.Ctx, b.nsa, vetting.Election{Seat: b.seats[0].ID, Minutes: "PV 2026/2"}))
		for _, m := range must(b.Vet.CommissionRegister(b.Ctx, b.nsa)) {
			if m.President != (m.ID == b.seats[0].ID) {
				t.Errorf("seat %s president=%v", m.ID, m.President)
			}
		}
	})
	t.Run("A27.3 one not in office at the election is not elected", func(t *testing.T) {
		_, err := b.Vet.ElectPresident(b.Ctx, b.nsa, vetting.Election{Seat: b.seats[1].ID, From: now.AddDate(5, 0, 0), Minutes: "PV"})
		testenv.WantRule(t, err, "A27.3")
	})
	t.Run("A27.3 only the NSA records the election", func(t *testing.T) {
		_, err := b.Vet.ElectPresident(b.Ctx, b.as[1], vetting.Election{Seat: b.seats[1].ID, Minutes: "PV"})
		testenv.WantRule(t, err, "A27.3")
	})
	t.Run("A27.3 the president acts as president within three years", func(t *testing.T) {
		in := b.opinion()
		in.AsPresident = true
		in.Members = []cleared.PersonID{b.members[0].ID}
		c := b.reported(t)
		must(b.Vet.Refer(b.Ctx, b.nsa, c.ID))
		must(b.Vet.GiveOpinion(b.Ctx, b.as[0], c.ID, in))
	})
	t.Run("A27.3 a member not elected does not act as president", func(t *testing.T) {
		in := b.opinion()
		in.AsPresident = true
		_, err := b.Vet.GiveOpinion(b.Ctx, b.as[1], b.c.ID, in)
		testenv.WantRule(t, err, "A27.3")
	})
	t.Run("A27.3 a president beyond three years does not act as president, exactly at the end", func(t *testing.T) {
		reg := must(b.Vet.CommissionRegister(b.Ctx, b.nsa))
		var from time.Time
		for _, m := range reg {
			if m.President {
				from = m.PresidentFrom
			}
		}
		// The seat runs until now+3y; his presidency ends exactly three years after the election, before that.
		b.Clock.Set(from.AddDate(3, 0, 0))
		defer b.Clock.Set(now)
		in := b.opinion()
		in.AsPresident, in.Members = true, []cleared.PersonID{b.members[0].ID}
		b.topSecret(t, b.members[0].ID, from.AddDate(2, 0, 0)) // his clearance is not what refuses
		_, err := b.Vet.GiveOpinion(b.Ctx, b.as[0], b.c.ID, in)
		testenv.WantRule(t, err, "A27.3")
	})
}

func TestRefer(t *testing.T) {
	b := newBench(t)
	t.Run("A27.4 the case is not on the members' agenda before its referral", func(t *testing.T) {
		if hasItem(t, b, b.as[0], policy.AgendaCommissionCase, b.c.ID) {
			t.Error("an unreferred case is on a member's agenda")
		}
		_, err := b.Vet.Workspace(b.Ctx, b.as[0], b.c.ID)
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A27.4 the security officer does not refer", func(t *testing.T) {
		_, err := b.Vet.Refer(b.Ctx, b.anne, b.c.ID)
		testenv.WantRule(t, err, "A27.4")
	})
	t.Run("A27.4 a member does not know a case not referred (404)", func(t *testing.T) {
		_, err := b.Vet.Refer(b.Ctx, b.as[0], b.c.ID)
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A27.4 the NSA refers a reported case: stage commission, on the members' agenda", func(t *testing.T) {
		c := must(b.Vet.Refer(b.Ctx, b.nsa, b.c.ID))
		if c.Stage != cleared.StageCommission {
			t.Errorf("stage %s", c.Stage)
		}
		if !hasItem(t, b, b.as[1], policy.AgendaCommissionCase, b.c.ID) {
			t.Error("the referred case is not on a member's agenda")
		}
		if cs := must(b.Vet.CommissionCases(b.Ctx, b.as[1])); len(cs) != 1 || cs[0].ID != b.c.ID {
			t.Errorf("commission's cases %+v", cs)
		}
	})
	t.Run("A27.4 a case is referred once", func(t *testing.T) {
		_, err := b.Vet.Refer(b.Ctx, b.nsa, b.c.ID)
		testenv.WantRule(t, err, "A27.4")
	})
	t.Run("A27.4 a case under investigation is not referred", func(t *testing.T) {
		c := b.reported(t)
		b.setStage(t, c.ID, cleared.StageInvestigation)
		_, err := b.Vet.Refer(b.Ctx, b.nsa, c.ID)
		testenv.WantRule(t, err, "A27.4")
	})
}

// hasItem reports whether a's agenda has an item of kind on case id.
func hasItem(t *testing.T, b *bench, a cleared.Actor, kind policy.AgendaKind, id cleared.VettingCaseID) bool {
	t.Helper()
	ag := must(b.Reg.Agenda(b.Ctx, a))
	for _, it := range ag.Items {
		if it.Kind == kind && it.VettingCase != nil && it.VettingCase.ID == id {
			return true
		}
	}
	return false
}

func TestCommissionWorkspace(t *testing.T) {
	b := newBench(t)
	must(b.Vet.Refer(b.Ctx, b.nsa, b.c.ID))
	var info cleared.CommissionRequest
	t.Run("A27.4 a member asks for the whole file: recorded, the workspace says so", func(t *testing.T) {
		must(b.Vet.Request(b.Ctx, b.as[0], b.c.ID, vetting.NewRequest{Kind: cleared.RequestFile}))
		v := must(b.Vet.Workspace(b.Ctx, b.as[1], b.c.ID))
		if !v.WholeFile || len(v.Requests) != 1 || v.Case.ID != b.c.ID || v.Referred.IsZero() {
			t.Errorf("workspace %+v", v)
		}
	})
	t.Run("A27.4 a request for information goes on the NSA's agenda", func(t *testing.T) {
		b.Clock.Add(time.Minute)
		info = must(b.Vet.Request(b.Ctx, b.as[0], b.c.ID, vetting.NewRequest{Kind: cleared.RequestInformation,
			Question: "Quelles sont les sources de revenus déclarées en 2024 ?"}))
		if !hasItem(t, b, b.nsa, policy.AgendaCommissionRequest, b.c.ID) {
			t.Error("the request is not on the NSA's agenda")
		}
		rs := must(b.Vet.Requests(b.Ctx, b.nsa, b.c.ID))
		if len(rs) != 2 || rs[1].Question == "" {
			t.Errorf("requests as the NSA reads them %+v", rs)
		}
	})
	t.Run("A27.4 a request for information without a question is bad input", func(t *testing.T) {
		_, err := b.Vet.Request(b.Ctx, b.as[0], b.c.ID, vetting.NewRequest{Kind: cleared.RequestInformation})
		wantKind(t, err, cleared.ErrInvalid)
	})
	t.Run("A27.4 a member does not answer in the NSA's stead", func(t *testing.T) {
		_, err := b.Vet.AnswerRequest(b.Ctx, b.as[1], b.c.ID, info.ID, "réponse")
		wantKind(t, err, cleared.ErrNotFound) // the member does not see the case as the NSA does
	})
	t.Run("A27.4 an NSA officer answers, the answer sealed, the item leaves the agenda", func(t *testing.T) {
		r := must(b.Vet.AnswerRequest(b.Ctx, b.nsa, b.c.ID, info.ID, "Salaire et loyers (deux appartements)."))
		if r.AnsweredBy != b.World.Helene.ID || r.Answer == "" {
			t.Errorf("answer %+v", r)
		}
		if hasItem(t, b, b.nsa, policy.AgendaCommissionRequest, b.c.ID) {
			t.Error("the answered request is still on the NSA's agenda")
		}
		v := must(b.Vet.Workspace(b.Ctx, b.as[2], b.c.ID))
		if v.Requests[1].Answer != "Salaire et loyers (deux appartements)." {
			t.Errorf("workspace's requests %+v", v.Requests)
		}
		var raw []byte
		b.Store.View(b.Ctx, func(tx store.Tx) error {
			s, err := tx.CommissionRequest(info.ID)
			raw = append(s.Question, s.Answer...)
			return err
		})
		if strings.Contains(string(raw), "loyers") || strings.Contains(string(raw), "revenus") {
			t.Error("the request is stored in clear")
		}
	})
	t.Run("A27.4 a request is answered once", func(t *testing.T) {
		_, err := b.Vet.AnswerRequest(b.Ctx, b.nsa, b.c.ID, info.ID, "encore")
		testenv.WantRule(t, err, "A27.4")
	})
	t.Run("A27.4 hearings of an NSA member and of the person, with his observations", func(t *testing.T) {
		now := b.Clock.Now()
		must(b.Vet.RecordHearing(b.Ctx, b.as[0], b.c.ID, vetting.NewHearing{Heard: cleared.HeardNSA, Person: b.World.Helene.ID,
			Held: now, Summary: "L'enquêtrice confirme les constatations du rapport."}))
		must(b.Vet.RecordHearing(b.Ctx, b.as[0], b.c.ID, vetting.NewHearing{Heard: cleared.HeardPerson, Held: now,
			Summary: "Entendu sur ses revenus.", Observations: "Je conteste le montant retenu."}))
		v := must(b.Vet.Workspace(b.Ctx, b.as[1], b.c.ID))
		var person *cleared.Hearing
		for i := range v.Hearings {
			if v.Hearings[i].Heard == cleared.HeardPerson {
				person = &v.Hearings[i]
			}
		}
		if len(v.Hearings) != 2 || person == nil || person.Person != b.c.PersonID || person.Observations != "Je conteste le montant retenu." {
			t.Errorf("hearings %+v", v.Hearings)
		}
	})
	t.Run("A27.4 bad hearings: in the future, an NSA member who is not, observations of the NSA", func(t *testing.T) {
		now := b.Clock.Now()
		for _, in := range []vetting.NewHearing{
			{Heard: cleared.HeardPerson, Held: now.Add(time.Hour), Summary: "x"},
			{Heard: cleared.HeardNSA, Person: b.World.Anne.ID, Held: now, Summary: "x"},
			{Heard: cleared.HeardNSA, Person: b.World.Helene.ID, Held: now, Summary: "x", Observations: "y"},
			{Heard: cleared.HeardPerson, Held: now},
			{Heard: "witness", Held: now, Summary: "x"},
		} {
			_, err := b.Vet.RecordHearing(b.Ctx, b.as[0], b.c.ID, in)
			wantKind(t, err, cleared.ErrInvalid)
		}
	})
	t.Run("A27.4 the NSA, the security officer and the person have no workspace", func(t *testing.T) {
		for _, a := range []cleared.Actor{b.nsa, b.anne, b.person0(t)} {
			_, err := b.Vet.Workspace(b.Ctx, a, b.c.ID)
			testenv.WantRule(t, err, "A27.4")
		}
		_, err := b.Vet.Workspace(b.Ctx, b.luc, b.c.ID)
		wantKind(t, err, cleared.ErrNotFound)
	})
}

func TestCommissionOpinion(t *testing.T) {
	b := newBench(t)
	must(b.Vet.Refer(b.Ctx, b.nsa, b.c.ID))
	decider := must(b.Reg.RegisterPerson(b.Ctx, b.nsa, registry.NewPerson{OrganisationID: b.World.SRE.ID,
		Name: "Cabinet du Premier ministre", Roles: []cleared.Role{cleared.RoleDecider}}))
	premier := cleared.Actor{Person: decider.ID}
	t.Run("A27.2 an opinion without reasons is bad input, nothing stored", func(t *testing.T) {
		in := b.opinion()
		in.Reasons = " "
		_, err := b.Vet.GiveOpinion(b.Ctx, b.as[0], b.c.ID, in)
		wantKind(t, err, cleared.ErrInvalid)
		_, err = b.Vet.Opinion(b.Ctx, premier, b.c.ID)
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A27.2 an opinion of members not in office is refused", func(t *testing.T) {
		in := b.opinion()
		in.Members = []cleared.PersonID{b.World.Helene.ID}
		_, err := b.Vet.GiveOpinion(b.Ctx, b.as[0], b.c.ID, in)
		testenv.WantRule(t, err, "A27.2")
	})
	t.Run("A27.2 a member acting for the commission records its reasoned opinion, for the deciding authority", func(t *testing.T) {
		o := must(b.Vet.GiveOpinion(b.Ctx, b.as[1], b.c.ID, b.opinion()))
		if o.Advice != cleared.AdviceRefuse || o.By != b.members[1].ID || len(o.Members) != 3 {
			t.Errorf("opinion %+v", o)
		}
		got := must(b.Vet.Opinion(b.Ctx, premier, b.c.ID))
		if got.Reasons != secret {
			t.Errorf("the deciding authority reads %+v", got)
		}
		if !hasItem(t, b, premier, policy.AgendaCommissionOpinion, b.c.ID) {
			t.Error("the opinion is not on the deciding authority's agenda")
		}
		if hasItem(t, b, b.as[0], policy.AgendaCommissionCase, b.c.ID) {
			t.Error("the case with its opinion is still on the members' agenda")
		}
	})
	t.Run("A27.2 a second opinion is refused", func(t *testing.T) {
		_, err := b.Vet.GiveOpinion(b.Ctx, b.as[2], b.c.ID, b.opinion())
		testenv.WantRule(t, err, "A27.2")
	})
	t.Run("A27.2 an opinion on a decided case is refused", func(t *testing.T) {
		c := b.reported(t)
		must(b.Vet.Refer(b.Ctx, b.nsa, c.ID))
		b.setStage(t, c.ID, cleared.StageGranted)
		_, err := b.Vet.GiveOpinion(b.Ctx, b.as[0], c.ID, b.opinion())
		testenv.WantRule(t, err, "A27.2")
	})
	t.Run("A27.2 an opinion on a case not referred: the members do not know it (404)", func(t *testing.T) {
		c := b.reported(t)
		_, err := b.Vet.GiveOpinion(b.Ctx, b.as[0], c.ID, b.opinion())
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A27.4 the person never sees the opinion", func(t *testing.T) {
		me := b.person0(t)
		v := must(b.Vet.Case(b.Ctx, me, b.c.ID))
		raw, _ := json.Marshal(v)
		if strings.Contains(string(raw), secret) || strings.Contains(string(raw), "refuse") {
			t.Errorf("the person's view of his case shows the opinion: %s", raw)
		}
		_, err := b.Vet.Opinion(b.Ctx, me, b.c.ID)
		wantKind(t, err, cleared.ErrNotFound)
		_, err = b.Vet.Workspace(b.Ctx, me, b.c.ID)
		testenv.WantRule(t, err, "A27.4")
		_, err = b.Vet.Requests(b.Ctx, me, b.c.ID)
		testenv.WantRule(t, err, "A27.4")
		for _, it := range must(b.Reg.Agenda(b.Ctx, me)).Items {
			if it.Kind == policy.AgendaCommissionOpinion || it.Kind == policy.AgendaCommissionCase {
				t.Errorf("the person's agenda has %s", it.Kind)
			}
		}
	})
	t.Run("A27.4 the security officer and the NSA do not know the opinion", func(t *testing.T) {
		for _, a := range []cleared.Actor{b.anne, b.nsa, b.luc} {
			_, err := b.Vet.Opinion(b.Ctx, a, b.c.ID)
			wantKind(t, err, cleared.ErrNotFound)
		}
	})
}

// A27.3: every act of the commission is refused to a member without a valid TRES SECRET clearance at the moment,
// exactly at the expiry of his clearance and exactly at the end of his term included.
func TestCommissionMemberMustHoldTopSecret(t *testing.T) {
	b := newBench(t)
	must(b.Vet.Refer(b.Ctx, b.nsa, b.c.ID))
	now := b.Clock.Now()
	// A fourth person, never cleared, in Justice's seat once it ends; and Justice's member, whose only clearance
	// expires in an hour.
	uncleared := b.person(t, b.World.SRE.ID, "Sans habilitation")
	must(b.Vet.EndSeat(b.Ctx, b.nsa, b.seats[2].ID, now.Add(time.Minute)))
	must(b.Vet.RecordSeat(b.Ctx, b.nsa, vetting.NewSeat{Person: uncleared.ID, Designator: cleared.DesignatorJustice,
		From: now.Add(time.Minute), Until: now.AddDate(3, 0, 0), Reference: "Arrêté J2"}))
	expiring := b.person(t, b.World.SRE.ID, "Habilitation expirante")
	b.topSecret(t, expiring.ID, now.AddDate(-5, 0, 0).Add(time.Hour))
	must(b.Vet.EndSeat(b.Ctx, b.nsa, b.seats[1].ID, now.Add(time.Minute)))
	must(b.Vet.RecordSeat(b.Ctx, b.nsa, vetting.NewSeat{Person: expiring.ID, Designator: cleared.DesignatorForeignAffairs,
		From: now.Add(time.Minute), Until: now.AddDate(3, 0, 0), Reference: "Arrêté AE2"}))
	acts := map[string]func(a cleared.Actor) error{
		"workspace": func(a cleared.Actor) error { _, err := b.Vet.Workspace(b.Ctx, a, b.c.ID); return err },
		"file request": func(a cleared.Actor) error {
			_, err := b.Vet.Request(b.Ctx, a, b.c.ID, vetting.NewRequest{Kind: cleared.RequestFile})
			return err
		},
		"hearing": func(a cleared.Actor) error {
			_, err := b.Vet.RecordHearing(b.Ctx, a, b.c.ID, vetting.NewHearing{Heard: cleared.HeardPerson, Held: b.Clock.Now(), Summary: "x"})
			return err
		},
		"opinion": func(a cleared.Actor) error {
			in := b.opinion()
			in.Members = []cleared.PersonID{a.Person}
			_, err := b.Vet.GiveOpinion(b.Ctx, a, b.c.ID, in)
			return err
		},
		"requests":     func(a cleared.Actor) error { _, err := b.Vet.Requests(b.Ctx, a, b.c.ID); return err },
		"opinion read": func(a cleared.Actor) error { _, err := b.Vet.Opinion(b.Ctx, a, b.c.ID); return err },
		"cases":        func(a cleared.Actor) error { _, err := b.Vet.CommissionCases(b.Ctx, a); return err },
	}
	b.Clock.Set(now.Add(time.Minute))
	for name, act := range acts {
		t.Run("A27.3 a member without a TRES SECRET clearance cannot act: "+name, func(t *testing.T) {
			before := b.Size(t)
			testenv.WantRule(t, act(cleared.Actor{Person: uncleared.ID}), "A27.3")
			if b.Size(t) != before+1 {
				t.Error("the refusal is not audited")
			}
		})
		t.Run("A27.3 a member whose term ended exactly now cannot act: "+name, func(t *testing.T) {
			testenv.WantRule(t, act(b.as[2]), "A27.3")
		})
	}
	t.Run("A27.3 a member acts an instant before his clearance expires", func(t *testing.T) {
		b.Clock.Set(now.Add(time.Hour - time.Microsecond))
		must(b.Vet.Workspace(b.Ctx, cleared.Actor{Person: expiring.ID}, b.c.ID))
	})
	b.Clock.Set(now.Add(time.Hour))
	for name, act := range acts {
		t.Run("A27.3 a member whose clearance expires exactly now cannot act: "+name, func(t *testing.T) {
			testenv.WantRule(t, act(cleared.Actor{Person: expiring.ID}), "A27.3")
		})
	}
	t.Run("A27.3 a member with his TRES SECRET acts", func(t *testing.T) {
		must(b.Vet.Request(b.Ctx, b.as[0], b.c.ID, vetting.NewRequest{Kind: cleared.RequestFile}))
	})
}
