package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func seat(d string, p cleared.PersonID, from, until time.Time) cleared.CommissionMember {
	return cleared.CommissionMember{ID: cleared.NewCommissionSeatID(), Person: p, Designator: d, From: from, Until: until}
}

func TestDesignateMember(t *testing.T) {
	from, until := now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0)
	pm := seat(cleared.DesignatorPrimeMinister, cleared.NewPersonID(), from, until)
	fa := seat(cleared.DesignatorForeignAffairs, cleared.NewPersonID(), from, until)
	ju := seat(cleared.DesignatorJustice, cleared.NewPersonID(), from, until)
	full := []cleared.CommissionMember{pm, fa, ju}
	endedPM := pm
	endedPM.Until = now
	tests := []struct {
		name  string
		nsa   Decision
		seats []cleared.CommissionMember
		m     cleared.CommissionMember
		want  Decision
	}{
		{"A27.2 the NSA records the third seat", Allow, full[:2], ju, allow()},
		{"A27.2 a successor's seat starts when the former one ends", Allow, []cleared.CommissionMember{endedPM, fa, ju},
			seat(cleared.DesignatorPrimeMinister, cleared.NewPersonID(), now, until), allow()},
		// The same boundary the other way round: a predecessor's seat recorded after its successor's, ending exactly
		// when the successor's starts, does not overlap it.
		{"A27.2 a predecessor's seat ends when the successor's starts", Allow,
			[]cleared.CommissionMember{seat(cleared.DesignatorPrimeMinister, cleared.NewPersonID(), now, until)},
			seat(cleared.DesignatorPrimeMinister, cleared.NewPersonID(), from, now), allow()},
		{"A27.2 only the NSA keeps the register", refuse("A20.1"), nil, pm, refuse("A27.2")},
		{"A27.2 a fourth seat is refused", Allow, full, seat(cleared.DesignatorJustice, cleared.NewPersonID(), now, until), refuse("A27.2")},
		// Three members, whatever the designator a fourth would name (the count, not only the designators, refuses).
		{"A27.2 a fourth seat of another designator is refused", Allow, full, seat("defence", cleared.NewPersonID(), now, until), refuse("A27.2")},
		{"A27.2 two seats of one designator are refused", Allow, full[:1],
			seat(cleared.DesignatorPrimeMinister, cleared.NewPersonID(), now.Add(-time.Nanosecond), until), refuse("A27.2")},
		{"A27.2 one person holds one seat at a time", Allow, full[:1], seat(cleared.DesignatorJustice, pm.Person, from, until), refuse("A27.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, DesignateMember(tt.nsa, tt.seats, tt.m), tt.want) })
	}
}

func TestEndSeatAndElectPresident(t *testing.T) {
	m := seat(cleared.DesignatorJustice, cleared.NewPersonID(), now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	tests := []struct {
		name string
		got  Decision
		want Decision
	}{
		{"A27.2 the NSA ends a seat now", EndSeat(Allow, m, now, now), allow()},
		{"A27.2 a seat ends at the end of its term at the latest", EndSeat(Allow, m, m.Until, now), allow()},
		{"A27.2 a seat does not end after its term", EndSeat(Allow, m, m.Until.Add(time.Nanosecond), now), refuse("A27.2")},
		{"A27.2 a seat does not end at its start", EndSeat(Allow, m, m.From, m.From.Add(-time.Hour)), refuse("A27.2")},
		{"A27.2 a seat does not end in the past", EndSeat(Allow, m, now.Add(-time.Nanosecond), now), refuse("A27.2")},
		{"A27.2 only the NSA ends a seat", EndSeat(refuse("A20.1"), m, now, now), refuse("A27.2")},
		{"A27.3 a member in office is elected president", ElectPresident(Allow, m, now), allow()},
		{"A27.3 a member elected at the start of his term", ElectPresident(Allow, m, m.From), allow()},
		{"A27.3 no election at the end of the term", ElectPresident(Allow, m, m.Until), refuse("A27.3")},
		{"A27.3 no election before the term", ElectPresident(Allow, m, m.From.Add(-time.Nanosecond)), refuse("A27.3")},
		{"A27.3 only the NSA records the election", ElectPresident(refuse("A20.1"), m, now), refuse("A27.3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, tt.got, tt.want) })
	}
}

// A27.3: a president's term is three years from his election, or less if his seat ends first.
func TestPresidentUntil(t *testing.T) {
	m := seat(cleared.DesignatorJustice, cleared.NewPersonID(), now.AddDate(-1, 0, 0), now.AddDate(5, 0, 0))
	if !m.PresidentUntil().IsZero() {
		t.Fatalf("a member never elected has a presidency until %s", m.PresidentUntil())
	}
	m.President, m.PresidentFrom = true, now
	if got := m.PresidentUntil(); !got.Equal(now.AddDate(3, 0, 0)) {
		t.Fatalf("presidency until %s, want three years after the election", got)
	}
	m.Until = now.AddDate(1, 0, 0)
	if got := m.PresidentUntil(); !got.Equal(m.Until) {
		t.Fatalf("presidency until %s, want the end of the seat %s", got, m.Until)
	}
}

// A27.3: the seat that decides is the one in office; without it, the latest, which CommissionMayAct refuses.
func TestCommissionSeatOf(t *testing.T) {
	p := cleared.NewPersonID()
	old := seat(cleared.DesignatorJustice, p, now.AddDate(-6, 0, 0), now.AddDate(-3, 0, 0))
	cur := seat(cleared.DesignatorJustice, p, now.AddDate(-3, 0, 0), now)
	other := seat(cleared.DesignatorPrimeMinister, cleared.NewPersonID(), now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	seats := []cleared.CommissionMember{old, cur, other}
	if s, ok := CommissionSeatOf(seats, p, now.Add(-time.Nanosecond)); !ok || s.ID != cur.ID {
		t.Fatalf("in office: got %v %v, want the current seat", s.ID, ok)
	}
	s, ok := CommissionSeatOf(seats, p, now)
	if !ok || s.ID != cur.ID {
		t.Fatalf("at the end of the term: got %v %v, want the latest seat", s.ID, ok)
	}
	ts := []cleared.Clearance{clearance(p, cleared.TopSecret, now.AddDate(-1, 0, 0))}
	checkDecision(t, CommissionMayAct(s, ts, false, now), refuse("A27.3"))
	if _, ok := CommissionSeatOf(seats, cleared.NewPersonID(), now); ok {
		t.Fatal("a person who never sat has a seat")
	}
}

func TestReferAndCommissionWork(t *testing.T) {
	c := cleared.VettingCase{ID: cleared.NewVettingCaseID(), Stage: cleared.StageReported}
	at := func(s cleared.CaseStage) cleared.VettingCase { c := c; c.Stage = s; return c }
	info := cleared.CommissionRequest{Kind: cleared.RequestInformation, Made: now}
	answered := info
	answered.Answered = now
	file := cleared.CommissionRequest{Kind: cleared.RequestFile, Made: now}
	tests := []struct {
		name string
		got  Decision
		want Decision
	}{
		{"A27.4 the NSA refers a reported case", ReferCase(Allow, c), allow()},
		{"A27.4 only the NSA refers a case", ReferCase(refuse("A20.1"), c), refuse("A27.4")},
		{"A27.4 a case under investigation is not referred", ReferCase(Allow, at(cleared.StageInvestigation)), refuse("A27.4")},
		{"A27.4 a case referred already is not referred again", ReferCase(Allow, at(cleared.StageCommission)), refuse("A27.4")},
		{"A27.4 the commission works on a referred case", CommissionWork(at(cleared.StageCommission), true), allow()},
		{"A27.4 not on a case not referred", CommissionWork(at(cleared.StageReported), false), refuse("A27.4")},
		{"A27.4 not on a decided case", CommissionWork(at(cleared.StageRefused), true), refuse("A27.4")},
		{"A27.4 the NSA answers a request for information", AnswerRequest(Allow, at(cleared.StageCommission), info), allow()},
		{"A27.4 only the NSA answers", AnswerRequest(refuse("A20.1"), at(cleared.StageCommission), info), refuse("A27.4")},
		{"A27.4 a request answered is not answered again", AnswerRequest(Allow, at(cleared.StageCommission), answered), refuse("A27.4")},
		{"A27.4 a request for the file needs no answer", AnswerRequest(Allow, at(cleared.StageCommission), file), refuse("A27.4")},
		{"A27.4 no answer once the case is decided", AnswerRequest(Allow, at(cleared.StageGranted), info), refuse("A27.4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, tt.got, tt.want) })
	}
}

func TestGiveOpinion(t *testing.T) {
	a, b := cleared.NewPersonID(), cleared.NewPersonID()
	seats := []cleared.CommissionMember{
		seat(cleared.DesignatorPrimeMinister, a, now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0)),
		seat(cleared.DesignatorJustice, b, now.AddDate(-3, 0, 0), now),
	}
	c := cleared.VettingCase{ID: cleared.NewVettingCaseID(), Stage: cleared.StageCommission}
	reported := c
	reported.Stage = cleared.StageReported
	tests := []struct {
		name string
		got  Decision
		want Decision
	}{
		{"A27.2 members in office give the opinion", GiveOpinion(c, true, false, []cleared.PersonID{a}, seats, now), allow()},
		{"A27.2 an opinion on a case not referred is refused", GiveOpinion(reported, false, false, []cleared.PersonID{a}, seats, now), refuse("A27.2")},
		{"A27.2 a second opinion is refused", GiveOpinion(c, true, true, []cleared.PersonID{a}, seats, now), refuse("A27.2")},
		{"A27.2 a member whose term ended now gives no opinion", GiveOpinion(c, true, false, []cleared.PersonID{a, b}, seats, now), refuse("A27.2")},
		{"A27.2 one who never sat gives no opinion", GiveOpinion(c, true, false, []cleared.PersonID{cleared.NewPersonID()}, seats, now), refuse("A27.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, tt.got, tt.want) })
	}
}

// A27.4: members see the referred cases awaiting the opinion, the NSA the requests awaiting its answer, the deciding
// authority the opinions awaiting its decision; no one else.
func TestCommissionAgendaItems(t *testing.T) {
	waiting := cleared.VettingCase{ID: cleared.NewVettingCaseID(), Stage: cleared.StageCommission}
	done := cleared.VettingCase{ID: cleared.NewVettingCaseID(), Stage: cleared.StageCommission}
	decided := cleared.VettingCase{ID: cleared.NewVettingCaseID(), Stage: cleared.StageGranted}
	cases := []cleared.VettingCase{waiting, done, decided}
	referred := map[cleared.VettingCaseID]time.Time{waiting.ID: now.Add(-time.Hour), done.ID: now, decided.ID: now}
	given := map[cleared.VettingCaseID]bool{done.ID: true}
	items := CommissionItems(true, cases, referred, given, now)
	if len(items) != 1 || items[0].VettingCase.ID != waiting.ID || items[0].Kind != AgendaCommissionCase ||
		items[0].Article != "A27.4" || !items[0].Overdue {
		t.Fatalf("member's items = %+v, want the waiting case", items)
	}
	if items := CommissionItems(false, cases, referred, given, now); len(items) != 0 {
		t.Fatalf("a non-member has %d commission items", len(items))
	}
	asked := now.Add(-time.Hour) // the open request for information, told apart from the file request by its time
	rs := []cleared.CommissionRequest{
		{Kind: cleared.RequestInformation, Made: asked},
		{Kind: cleared.RequestInformation, Made: now, Answered: now},
		{Kind: cleared.RequestFile, Made: now},
	}
	rc := []cleared.VettingCase{waiting, waiting, waiting}
	if items := InformationRequestItems(true, rs, rc, now); len(items) != 1 || items[0].Kind != AgendaCommissionRequest || !items[0].Due.Equal(asked) {
		t.Fatalf("NSA items = %+v, want the one open request for information (not the file request)", items)
	}
	if items := InformationRequestItems(false, rs, rc, now); len(items) != 0 {
		t.Fatalf("a non-NSA reader has %d request items", len(items))
	}
	// A27.4: a request on a case the commission no longer has (decided since) leaves the NSA's agenda.
	if items := InformationRequestItems(true, rs, []cleared.VettingCase{decided, decided, decided}, now); len(items) != 0 {
		t.Fatalf("NSA items on a decided case = %+v, want none", items)
	}
	if items := OpinionItems(true, []cleared.VettingCase{done, decided}, []time.Time{now, now}, now); len(items) != 1 ||
		items[0].VettingCase.ID != done.ID || items[0].Article != "A27.2" {
		t.Fatalf("decider's items = %+v, want the case with an opinion awaiting decision", items)
	}
	if items := OpinionItems(false, []cleared.VettingCase{done}, []time.Time{now}, now); len(items) != 0 {
		t.Fatalf("a reader who is not the deciding authority has %d opinion items", len(items))
	}
}

// A27.4: the opinion is read by the deciding authority and the members who may act, never by the person, even if he
// were the deciding authority or held a seat.
func TestSeeOpinion(t *testing.T) {
	member, person := cleared.NewPersonID(), cleared.NewPersonID()
	c := cleared.VettingCase{ID: cleared.NewVettingCaseID(), PersonID: person, Stage: cleared.StageCommission}
	m := seat(cleared.DesignatorJustice, member, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	ts := []cleared.Clearance{clearance(member, cleared.TopSecret, now.AddDate(-1, 0, 0))}
	ended := m
	ended.Until = now
	own := seat(cleared.DesignatorJustice, person, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	tests := []struct {
		name string
		got  Decision
		want Decision
	}{
		{"A27.2 the deciding authority reads the opinion", SeeOpinion(cleared.NewPersonID(), c, cleared.CommissionMember{}, false, nil, true, now), allow()},
		{"A27.3 a member who may act reads it", SeeOpinion(member, c, m, true, ts, false, now), allow()},
		{"A27.3 a member without TRES SECRET does not", SeeOpinion(member, c, m, true, nil, false, now), refuse("A27.3")},
		{"A27.3 a member whose term ended now does not", SeeOpinion(member, c, ended, true, ts, false, now), refuse("A27.3")},
		{"A27.4 the person never reads it", SeeOpinion(person, c, cleared.CommissionMember{}, false, nil, false, now), hide("A27.4")},
		{"A27.4 not even as deciding authority or member", SeeOpinion(person, c, own, true, ts, true, now), hide("A27.4")},
		{"A27.4 anyone else does not know it exists", SeeOpinion(cleared.NewPersonID(), c, cleared.CommissionMember{}, false, nil, false, now), hide("A27.4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, tt.got, tt.want) })
	}
}

func TestCommissionReads(t *testing.T) {
	tests := []struct {
		name string
		got  Decision
		want Decision
	}{
		{"A27.2 the NSA reads the register", SeeRegister(true, false), allow()},
		{"A27.2 a member reads the register", SeeRegister(false, true), allow()},
		{"A27.2 anyone else is refused the register", SeeRegister(false, false), refuse("A27.2")},
		{"A27.4 the person, his officer, the NSA do not work on the case", NotOnCommission(), refuse("A27.4")},
		{"A27.4 the NSA lists the cases before the commission", SeeCommissionCases(true, false, Decision{}), allow()},
		{"A27.3 a member who may act lists them", SeeCommissionCases(false, true, Allow), allow()},
		{"A27.3 a member who may not act does not", SeeCommissionCases(false, true, deny("A27.3", "no TRES SECRET")), refuse("A27.3")},
		{"A27.4 anyone else does not", SeeCommissionCases(false, false, Decision{}), refuse("A27.4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, tt.got, tt.want) })
	}
}
