package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// authorities of the tables: a minister (member of the Government, no clearance), the SRE director, a delegate of
// the director with a SECRET clearance, and variations.
type authorityFixture struct {
	minister, director, delegate, successor cleared.ClassifyingAuthority
	delegation                              cleared.Delegation
	all                                     map[cleared.AuthorityID]cleared.ClassifyingAuthority
}

func newAuthorities() authorityFixture {
	var f authorityFixture
	f.minister = cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), PersonID: cleared.NewPersonID(), Kind: cleared.AuthorityGovernmentMember,
		Title: "Ministre des Affaires étrangères", From: now.AddDate(-2, 0, 0)}
	f.director = cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), PersonID: cleared.NewPersonID(), Kind: cleared.AuthoritySREDirector,
		Title: "Directeur du SRE", From: now.AddDate(-4, 0, 0)}
	f.delegate = cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), PersonID: cleared.NewPersonID(), Kind: cleared.AuthorityDelegate,
		Title: "Chef de division, SRE", From: now.AddDate(-1, 0, 0)}
	f.successor = cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), PersonID: cleared.NewPersonID(), Kind: cleared.AuthoritySREDirector,
		Title: "Directeur du SRE", From: now.Add(-days(10))}
	f.delegation = cleared.Delegation{ID: cleared.NewDelegationID(), Delegate: f.delegate.ID, Principal: f.director.ID,
		From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	f.all = map[cleared.AuthorityID]cleared.ClassifyingAuthority{
		f.minister.ID: f.minister, f.director.ID: f.director, f.delegate.ID: f.delegate, f.successor.ID: f.successor,
	}
	return f
}

func (f authorityFixture) ministerFacts() Authority {
	return Authority{Office: f.minister, Person: cleared.Person{ID: f.minister.PersonID, GovernmentMember: true}}
}

func (f authorityFixture) directorFacts() Authority {
	return Authority{Office: f.director, Person: cleared.Person{ID: f.director.PersonID},
		Clearances: []cleared.Clearance{clearance(f.director.PersonID, cleared.TopSecret, now.AddDate(-1, 0, 0))}}
}

func (f authorityFixture) delegateFacts(ds ...cleared.Delegation) Authority {
	return Authority{Office: f.delegate, Person: cleared.Person{ID: f.delegate.PersonID},
		Clearances:  []cleared.Clearance{clearance(f.delegate.PersonID, cleared.Secret, now.AddDate(-1, 0, 0))},
		Delegations: ds, Principals: f.all}
}

func TestReasons(t *testing.T) {
	tests := []struct {
		name string
		rs   []cleared.Reason
		want Decision
	}{
		{"A3.1 security of Luxembourg and its allies (a)", []cleared.Reason{"a"}, allow()},
		{"A3.1 international relations and economic potential (b, c)", []cleared.Reason{"b", "c"}, allow()},
		{"A3.1 all three interests", []cleared.Reason{"a", "b", "c"}, allow()},
		{"A3.1 no interest named is refused", nil, refuse("A3.1")},
		{"A3.1 an interest outside Art. 3 is refused", []cleared.Reason{"d"}, refuse("A3.1")},
		{"A3.1 an upper-case code is not an Art. 3 interest", []cleared.Reason{"A"}, refuse("A3.1")},
		{"A3.1 an empty code is refused", []cleared.Reason{""}, refuse("A3.1")},
		{"A3.1 the same interest twice is refused", []cleared.Reason{"a", "a"}, refuse("A3.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Reasons(tt.rs), tt.want) })
	}
}

func TestReviewDate(t *testing.T) {
	tests := []struct {
		name   string
		review time.Time
		want   Decision
	}{
		{"A3.2 review in two years", now.AddDate(2, 0, 0), allow()},
		{"A3.2 review in exactly ten years", now.AddDate(10, 0, 0), allow()},
		{"A3.2 no review date is refused", time.Time{}, refuse("A3.2")},
		{"A3.2 review date now is refused", now, refuse("A3.2")},
		{"A3.2 review date in the past is refused", now.Add(-days(1)), refuse("A3.2")},
		{"A3.2 review date beyond ten years is refused", now.AddDate(10, 0, 1), refuse("A3.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, ReviewDate(tt.review, now), tt.want) })
	}
}

func TestCompetent(t *testing.T) {
	f := newAuthorities()
	endedYesterday := f.delegation
	endedYesterday.Until = now.Add(-days(1))
	endsNow := f.delegation
	endsNow.Until = now
	notYet := f.delegation
	notYet.From = now.Add(days(1))
	otherDelegate := f.delegation
	otherDelegate.Delegate = cleared.NewAuthorityID()
	fromDelegate := f.delegation
	fromDelegate.Principal = f.delegate.ID
	unknownPrincipal := f.delegation
	unknownPrincipal.Principal = cleared.NewAuthorityID()

	formerDirector := f.director
	formerDirector.Until = now.Add(-days(10))
	fWithFormer := f
	fWithFormer.all = map[cleared.AuthorityID]cleared.ClassifyingAuthority{formerDirector.ID: formerDirector, f.delegate.ID: f.delegate}

	leftOffice := f.ministerFacts()
	leftOffice.Office.Until = now
	notStarted := f.directorFacts()
	notStarted.Office.From = now.Add(time.Hour)
	unknownKind := f.directorFacts()
	unknownKind.Office.Kind = "ambassador"

	tests := []struct {
		name string
		a    Authority
		want Decision
	}{
		{"A5.1 member of the Government in office", f.ministerFacts(), allow()},
		{"A5.1 SRE director in office", f.directorFacts(), allow()},
		{"A5.1 chief of staff in office", Authority{Office: cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), Kind: cleared.AuthorityChiefOfStaff, From: now.AddDate(-1, 0, 0)}}, allow()},
		{"A5.1 delegate with a delegation in force", f.delegateFacts(f.delegation), allow()},
		{"A5.1 delegate with a lapsed delegation and one in force", f.delegateFacts(endedYesterday, f.delegation), allow()},
		{"A5.1 delegate whose delegation ends at this instant is refused", f.delegateFacts(endsNow), refuse("A5.1")},
		{"A5.1 delegate whose delegation ended yesterday is refused", f.delegateFacts(endedYesterday), refuse("A5.1")},
		{"A5.1 delegate whose delegation starts tomorrow is refused", f.delegateFacts(notYet), refuse("A5.1")},
		{"A5.1 delegate without delegation is refused", f.delegateFacts(), refuse("A5.1")},
		{"A5.1 a delegation to someone else does not count", f.delegateFacts(otherDelegate), refuse("A5.1")},
		{"A5.1 a delegation from a delegate does not count", f.delegateFacts(fromDelegate), refuse("A5.1")},
		{"A5.1 a delegation from an unknown principal does not count", f.delegateFacts(unknownPrincipal), refuse("A5.1")},
		{"A5.1 a delegation from a principal who left office lapses", fWithFormer.delegateFacts(f.delegation), refuse("A5.1")},
		{"A5.1 minister who left office is refused", leftOffice, refuse("A5.1")},
		{"A5.1 director before taking office is refused", notStarted, refuse("A5.1")},
		{"A5.1 an office not listed in Art. 5 is refused", unknownKind, refuse("A5.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Competent(tt.a, now), tt.want) })
	}
}

func TestClassifierClearance(t *testing.T) {
	f := newAuthorities()
	expiredToday := f.directorFacts()
	expiredToday.Clearances = []cleared.Clearance{clearance(f.director.PersonID, cleared.TopSecret, now.AddDate(-5, 0, 0))}
	withdrawn := f.directorFacts()
	withdrawn.Clearances = []cleared.Clearance{withStatus(clearance(f.director.PersonID, cleared.TopSecret, now.AddDate(-1, 0, 0)), cleared.ClearanceWithdrawn)}
	noClearance := f.delegateFacts(f.delegation)
	noClearance.Clearances = nil
	// A person flagged as member of the Government but acting as a delegate gets no exemption.
	memberAsDelegate := f.delegateFacts(f.delegation)
	memberAsDelegate.Person.GovernmentMember = true
	memberAsDelegate.Clearances = nil

	tests := []struct {
		name  string
		a     Authority
		level cleared.Level
		want  Decision
	}{
		{"A5.3 member of the Government classifies TRES SECRET without a clearance", f.ministerFacts(), cleared.TopSecret, allow()},
		{"A5.3 director cleared TRES SECRET classifies TRES SECRET", f.directorFacts(), cleared.TopSecret, allow()},
		{"A5.3 delegate cleared SECRET classifies SECRET", f.delegateFacts(f.delegation), cleared.Secret, allow()},
		{"A5.3 delegate cleared SECRET classifies CONFIDENTIEL", f.delegateFacts(f.delegation), cleared.Confidential, allow()},
		{"A5.3 delegate cleared SECRET cannot classify TRES SECRET", f.delegateFacts(f.delegation), cleared.TopSecret, refuse("A5.3")},
		{"A5.3 authority without clearance is refused", noClearance, cleared.Restricted, refuse("A5.3")},
		{"A5.3 clearance expiring at the moment of classifying is refused", expiredToday, cleared.Secret, refuse("A5.3")},
		{"A5.3 withdrawn clearance is refused", withdrawn, cleared.Restricted, refuse("A5.3")},
		{"A5.3 the exemption is for members of the Government acting as such", memberAsDelegate, cleared.Restricted, refuse("A5.3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, ClassifierClearance(tt.a, tt.level, now), tt.want) })
	}
}

func TestClassify(t *testing.T) {
	f := newAuthorities()
	review := now.AddDate(3, 0, 0)
	ab := []cleared.Reason{"a", "b"}
	ended := f.delegation
	ended.Until = now.Add(-days(1))
	tests := []struct {
		name   string
		a      Authority
		level  cleared.Level
		rs     []cleared.Reason
		review time.Time
		want   Decision
	}{
		{"A5.1 A5.3 A3.1 A3.2 delegate classifies SECRET with reasons and review", f.delegateFacts(f.delegation), cleared.Secret, ab, review, allow()},
		{"A5.3 member of the Government classifies without clearance", f.ministerFacts(), cleared.TopSecret, ab, review, allow()},
		{"A4.1 unclassified is not a classification", f.directorFacts(), cleared.Unclassified, ab, review, refuse("A4.1")},
		{"A4.1 a level outside the four is refused", f.directorFacts(), cleared.Level(9), ab, review, refuse("A4.1")},
		{"A3.1 no reason is refused before anything else", f.delegateFacts(), cleared.Secret, nil, review, refuse("A3.1")},
		{"A3.2 no review date is refused", f.directorFacts(), cleared.Secret, ab, time.Time{}, refuse("A3.2")},
		{"A5.1 delegation that ended yesterday is refused", f.delegateFacts(ended), cleared.Restricted, ab, review, refuse("A5.1")},
		{"A5.3 classifier above his own clearance is refused", f.delegateFacts(f.delegation), cleared.TopSecret, ab, review, refuse("A5.3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Classify(tt.a, tt.level, tt.rs, tt.review, now), tt.want) })
	}
}

func TestDossierLevel(t *testing.T) {
	parts := []cleared.Level{cleared.Restricted, cleared.Confidential}
	tests := []struct {
		name  string
		level cleared.Level
		parts []cleared.Level
		want  Decision
	}{
		{"A4.2 dossier at its highest part", cleared.Confidential, parts, allow()},
		{"A4.2 aggregate raised above every part", cleared.Secret, parts, allow()},
		{"A4.2 aggregate raised to TRES SECRET", cleared.TopSecret, parts, allow()},
		{"A4.2 empty dossier at any level", cleared.Restricted, nil, allow()},
		{"A4.2 dossier below its highest part is refused", cleared.Restricted, parts, refuse("A4.2")},
		{"A4.1 dossier unclassified is refused", cleared.Unclassified, nil, refuse("A4.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, DossierLevel(tt.level, tt.parts), tt.want) })
	}
}

func TestAddPart(t *testing.T) {
	tests := []struct {
		name          string
		dossier, part cleared.Level
		want          cleared.Level
		raised        bool
	}{
		{"A4.2 part below the dossier leaves it", cleared.Secret, cleared.Restricted, cleared.Secret, false},
		{"A4.2 part at the dossier's level leaves it", cleared.Secret, cleared.Secret, cleared.Secret, false},
		{"A4.2 part added above its dossier raises the dossier", cleared.Confidential, cleared.TopSecret, cleared.TopSecret, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, raised := AddPart(tt.dossier, tt.part)
			if got != tt.want || raised != tt.raised {
				t.Fatalf("adding a %s part to a %s dossier gives %s (raised %v), want %s (raised %v)", tt.part, tt.dossier, got, raised, tt.want, tt.raised)
			}
		})
	}
}

func TestDowngrade(t *testing.T) {
	f := newAuthorities()
	classified := now.AddDate(0, -6, 0)
	// The director left office and named a successor.
	byDelegate := ActsFor(f.delegate, classified, []cleared.Delegation{f.delegation}, f.all)
	director := f.director
	director.Until = now.Add(-days(10))
	director.Successor = f.successor.ID
	afterChange := map[cleared.AuthorityID]cleared.ClassifyingAuthority{director.ID: director, f.successor.ID: f.successor}
	byDirector := ActsFor(director, classified, nil, afterChange)
	// The director handed over to his successor; the delegate classified while the director was in office.
	delegatedThenHandedOver := ActsFor(f.delegate, classified, []cleared.Delegation{f.delegation},
		map[cleared.AuthorityID]cleared.ClassifyingAuthority{director.ID: director, f.successor.ID: f.successor, f.delegate.ID: f.delegate})

	successorFacts := Authority{Office: f.successor}
	oldDirectorFacts := Authority{Office: director}
	minister := f.ministerFacts()
	lateDelegation := f.delegation
	lateDelegation.From = now.AddDate(0, -1, 0) // began after the piece was classified

	tests := []struct {
		name     string
		a        Authority
		actsFor  []cleared.AuthorityID
		from, to cleared.Level
		want     Decision
	}{
		{"A5.2 the delegate who classified downgrades", f.delegateFacts(f.delegation), byDelegate, cleared.Secret, cleared.Confidential, allow()},
		{"A5.2 the delegate who classified declassifies", f.delegateFacts(f.delegation), byDelegate, cleared.Secret, cleared.Unclassified, allow()},
		{"A5.2 the principal who delegated downgrades for the delegate", f.directorFacts(), byDelegate, cleared.Secret, cleared.Restricted, allow()},
		{"A5.2 the principal's successor downgrades for the delegate", successorFacts, delegatedThenHandedOver, cleared.Secret, cleared.Restricted, allow()},
		{"A5.2 the successor in office downgrades", successorFacts, byDirector, cleared.TopSecret, cleared.Secret, allow()},
		{"A5.2 another authority cannot downgrade", minister, byDirector, cleared.Secret, cleared.Confidential, refuse("A5.2")},
		{"A5.2 the predecessor out of office cannot downgrade", oldDirectorFacts, byDirector, cleared.Secret, cleared.Confidential, refuse("A5.1")},
		{"A5.2 raising the level is not a downgrade", f.delegateFacts(f.delegation), byDelegate, cleared.Secret, cleared.TopSecret, refuse("A5.2")},
		{"A5.2 the same level is not a downgrade", f.delegateFacts(f.delegation), byDelegate, cleared.Secret, cleared.Secret, refuse("A5.2")},
		{"A5.2 a principal whose delegation began after the classification cannot act for it", Authority{Office: f.minister},
			ActsFor(f.delegate, classified, []cleared.Delegation{{Delegate: f.delegate.ID, Principal: f.minister.ID, From: lateDelegation.From, Until: lateDelegation.Until}}, f.all),
			cleared.Secret, cleared.Confidential, refuse("A5.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Downgrade(tt.a, tt.actsFor, tt.from, tt.to, now), tt.want) })
	}
}

func TestActsForStopsAtAMissingSuccessorA5_2(t *testing.T) {
	a := cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), Kind: cleared.AuthoritySREDirector, Successor: cleared.NewAuthorityID()}
	got := ActsFor(a, now, nil, map[cleared.AuthorityID]cleared.ClassifyingAuthority{a.ID: a})
	if len(got) != 1 || got[0] != a.ID {
		t.Fatalf("A5.2 a successor missing from the records ends the chain at the originator: got %q", got)
	}
}

func TestActsForStopsOnSuccessorCycle(t *testing.T) {
	a := cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), Kind: cleared.AuthoritySREDirector}
	b := cleared.ClassifyingAuthority{ID: cleared.NewAuthorityID(), Kind: cleared.AuthoritySREDirector, Successor: a.ID}
	a.Successor = b.ID
	got := ActsFor(a, now, nil, map[cleared.AuthorityID]cleared.ClassifyingAuthority{a.ID: a, b.ID: b})
	if len(got) != 2 {
		t.Fatalf("A5.2 a successor cycle in the data must end: got %v", got)
	}
}

func TestForeignLevel(t *testing.T) {
	table := cleared.DefaultEquivalence()
	tests := []struct {
		name     string
		table    *cleared.EquivalenceTable
		marking  string
		declared cleared.Level
		want     Decision
		level    cleared.Level
	}{
		{"A6.1 a NATO marking gives its national level", &table, "NATO SECRET", cleared.Unclassified, allow(), cleared.Secret},
		{"A6.1 letter case and accents are ignored", &table, "nato confidential", cleared.Unclassified, allow(), cleared.Confidential},
		{"A6.1 spacing is not: a marking not written exactly has no equivalent", &table, "  nato   confidential ", cleared.Unclassified, refuse("A6.1"), 0},
		{"A6.1 the national level may be given beside its equivalent", &table, "COSMIC TOP SECRET", cleared.TopSecret, allow(), cleared.TopSecret},
		{"A6.1 an EU marking gives its national level", &table, "RESTREINT UE/EU RESTRICTED", cleared.Unclassified, allow(), cleared.Restricted},
		{"A6.1 a marking with no national equivalent is refused", &table, "SECRET DEFENSE", cleared.Unclassified, refuse("A6.1"), 0},
		{"A6.1 a level that contradicts the marking is refused", &table, "NATO SECRET", cleared.Restricted, refuse("A6.1"), 0},
		{"A6.1 a level above the marking's equivalent is refused", &table, "NATO RESTRICTED", cleared.TopSecret, refuse("A6.1"), 0},
		{"A6.1 no table in force: every marking is refused", nil, "NATO SECRET", cleared.Unclassified, refuse("A6.1"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, l, d := ForeignLevel(tt.table, tt.marking, tt.declared)
			checkDecision(t, d, tt.want)
			if d.Allowed && (l != tt.level || fm.Marking == "" || fm.Scheme == "") {
				t.Fatalf("got %v (%+v), want %v", l, fm, tt.level)
			}
		})
	}
}
