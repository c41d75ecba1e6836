package policy

import (
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// accessFixture: pieces at every level, a dossier, terminals of every kind.
type accessFixture struct {
	person                        cleared.PersonID
	restricted, secret, topSecret cleared.Piece
	inDossier, otherPiece         cleared.Piece
	dossier                       cleared.Dossier
	zone, office, public, lowTerm *cleared.Terminal
	revoked                       *cleared.Terminal
	grants                        []cleared.Grant
}

func newAccess() accessFixture {
	var f accessFixture
	f.person = cleared.NewPersonID()
	piece := func(l cleared.Level) cleared.Piece { return cleared.Piece{ID: cleared.NewPieceID(), Level: l} }
	f.restricted, f.secret, f.topSecret, f.otherPiece = piece(cleared.Restricted), piece(cleared.Secret), piece(cleared.TopSecret), piece(cleared.Secret)
	f.dossier = cleared.Dossier{ID: cleared.NewDossierID(), Level: cleared.TopSecret}
	f.inDossier = piece(cleared.Confidential)
	f.inDossier.Dossier = f.dossier.ID
	f.zone = &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret, SecurityZone: true}
	f.office = &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret}
	f.public = &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret, SecurityZone: true, Public: true}
	f.lowTerm = &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.Confidential}
	f.revoked = &cleared.Terminal{ID: cleared.NewTerminalID(), AccreditedLevel: cleared.TopSecret, SecurityZone: true, Revoked: now.Add(-time.Hour)}
	g := func(p cleared.PieceID, d cleared.DossierID, from, until time.Time) cleared.Grant {
		return cleared.Grant{ID: cleared.NewGrantID(), PersonID: f.person, Piece: p, Dossier: d, From: from, Until: until}
	}
	year := now.AddDate(1, 0, 0)
	f.grants = []cleared.Grant{
		g(f.restricted.ID, "", now.AddDate(-1, 0, 0), year),
		g(f.secret.ID, "", now.AddDate(-1, 0, 0), year),
		g(f.topSecret.ID, "", now.AddDate(-1, 0, 0), year),
		g("", f.dossier.ID, now.AddDate(-1, 0, 0), year),
	}
	return f
}

func (f accessFixture) subject(l cleared.Level, term *cleared.Terminal) *Subject {
	s := &Subject{Person: f.person, Grants: NewGrantSet(f.grants), Terminal: term}
	if l.Classified() {
		s.Clearances = []cleared.Clearance{clearance(f.person, l, now.AddDate(-1, 0, 0))}
	}
	return s
}

func TestKnowAndUse(t *testing.T) {
	f := newAccess()
	expiredGrant := f
	expiredGrant.grants = []cleared.Grant{{PersonID: f.person, Piece: f.secret.ID, From: now.AddDate(-1, 0, 0), Until: now}}
	revokedGrant := f
	revokedGrant.grants = []cleared.Grant{{PersonID: f.person, Piece: f.secret.ID, From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0), Revoked: now.Add(-time.Minute)}}
	startsNow := f
	startsNow.grants = []cleared.Grant{{PersonID: f.person, Piece: f.secret.ID, From: now, Until: now.AddDate(1, 0, 0)}}
	futureGrant := f
	futureGrant.grants = []cleared.Grant{{PersonID: f.person, Piece: f.secret.ID, From: now.Add(time.Minute), Until: now.AddDate(1, 0, 0)}}
	expiringClearance := f.subject(cleared.TopSecret, f.zone)
	expiringClearance.Clearances = []cleared.Clearance{clearance(f.person, cleared.TopSecret, now.AddDate(-5, 0, 0))}
	withdrawnClearance := f.subject(cleared.Secret, f.office)
	withdrawnClearance.Clearances = []cleared.Clearance{withStatus(clearance(f.person, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceWithdrawn)}
	expiredGrantAndClearance := expiredGrant.subject(cleared.Secret, f.office)
	expiredGrantAndClearance.Clearances = expiringClearance.Clearances
	minister := f.subject(cleared.Unclassified, f.zone)
	minister.ClearanceExempt = true
	ministerNoGrant := &Subject{Person: f.person, ClearanceExempt: true, Grants: NewGrantSet(nil), Terminal: f.zone}
	noGrants := &Subject{Person: f.person, Clearances: f.subject(cleared.TopSecret, nil).Clearances, Terminal: f.zone}
	dossierOnlySecret := f.subject(cleared.Secret, f.zone) // reaches the CONFIDENTIEL part through a TRES SECRET dossier
	unclassified := cleared.Piece{ID: cleared.NewPieceID()}
	inOtherDossier := cleared.Piece{ID: cleared.NewPieceID(), Level: cleared.Secret, Dossier: cleared.NewDossierID()}

	tests := []struct {
		name  string
		s     *Subject
		piece cleared.Piece
		know  Decision // may he know it exists
		use   Decision // may he read its content here
	}{
		{"A9.1 SECRET holder with a grant reads a SECRET piece", f.subject(cleared.Secret, f.office), f.secret, allow(), allow()},
		{"A9.1 TRES SECRET holder with a grant reads a RESTREINT piece", f.subject(cleared.TopSecret, f.office), f.restricted, allow(), allow()},
		{"A9.1 SECRET holder without grant is refused and the piece hidden", f.subject(cleared.Secret, f.office), f.otherPiece, hide("A9.1"), hide("A9.1")},
		{"A9.1 CONFIDENTIEL holder is refused a SECRET piece and it is hidden", f.subject(cleared.Confidential, f.office), f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.1 person without clearance is refused though granted", f.subject(cleared.Unclassified, f.office), f.restricted, hide("A9.1"), hide("A9.1")},
		{"A17.1 clearance expiring now refuses at expiry, and the grant holder is told why", expiringClearance, f.topSecret, refuse("A17.1"), refuse("A17.1")},
		{"A17.1 withdrawn clearance with a grant in force is refused, not hidden", withdrawnClearance, f.secret, refuse("A17.1"), refuse("A17.1")},
		{"A9.1 expired clearance without a grant on the piece keeps it hidden", expiringClearance, f.otherPiece, hide("A9.1"), hide("A9.1")},
		{"A9.1 expired clearance and a grant that ended keeps it hidden", expiredGrantAndClearance, f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.1 grant that ended is refused", expiredGrant.subject(cleared.Secret, f.office), f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.1 revoked grant is refused", revokedGrant.subject(cleared.Secret, f.office), f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.1 grant not yet in force is refused", futureGrant.subject(cleared.Secret, f.office), f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.1 grant that starts exactly now is in force", startsNow.subject(cleared.Secret, f.office), f.secret, allow(), allow()},
		{"A17.1 withdrawn clearance with a grant on the dossier in force is refused, not hidden", withdrawnClearance, f.inDossier, refuse("A17.1"), refuse("A17.1")},
		{"A9.1 no grants at all is refused", noGrants, f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.1 expired clearance and no grants loaded keeps it hidden", &Subject{Person: f.person, Clearances: expiringClearance.Clearances, Terminal: f.zone}, f.secret, hide("A9.1"), hide("A9.1")},
		{"A9.1 dossier grant covers its parts", f.subject(cleared.TopSecret, f.zone), f.inDossier, allow(), allow()},
		{"A9.1 a piece in a dossier, with a grant on neither, is hidden", f.subject(cleared.TopSecret, f.zone), inOtherDossier, hide("A9.1"), hide("A9.1")},
		{"A9.1 A4.2 dossier grant needs a clearance at the dossier's level", dossierOnlySecret, f.inDossier, hide("A9.1"), hide("A9.1")},
		{"A14.1 member of the Government reads with a grant and no clearance", minister, f.topSecret, allow(), allow()},
		{"A14.1 member of the Government still needs a need-to-know", ministerNoGrant, f.topSecret, hide("A9.1"), hide("A9.1")},
		{"A9.1 unclassified piece needs neither", &Subject{Person: f.person}, unclassified, allow(), allow()},
		{"A9.3 no registered terminal shows no classified content", f.subject(cleared.Secret, nil), f.secret, allow(), refuse("A9.3")},
		{"A9.3 public terminal shows no classified content", f.subject(cleared.Secret, f.public), f.restricted, allow(), refuse("A9.3")},
		{"A9.3 revoked terminal counts as unregistered", f.subject(cleared.Secret, f.revoked), f.secret, allow(), refuse("A9.3")},
		{"A8.1 terminal accredited below the piece's level is refused", f.subject(cleared.Secret, f.lowTerm), f.secret, allow(), refuse("A8.1")},
		{"A8.1 terminal accredited at CONFIDENTIEL reads RESTREINT", f.subject(cleared.Secret, f.lowTerm), f.restricted, allow(), allow()},
		{"A8.2 TRES SECRET outside a security zone is refused", f.subject(cleared.TopSecret, f.office), f.topSecret, allow(), refuse("A8.2")},
		{"A8.2 TRES SECRET inside a security zone is read", f.subject(cleared.TopSecret, f.zone), f.topSecret, allow(), allow()},
		{"A8.2 TRES SECRET on a low terminal outside a zone is refused by A8.2 first", f.subject(cleared.TopSecret, f.lowTerm), f.topSecret, allow(), refuse("A8.2")},
		{"A8.2 SECRET needs no security zone", f.subject(cleared.TopSecret, f.office), f.secret, allow(), allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := TargetOf(tt.piece, f.dossier)
			t.Run("know", func(t *testing.T) { checkDecision(t, Know(tt.s, tg, now), tt.know) })
			t.Run("use", func(t *testing.T) { checkDecision(t, Use(tt.s, tg, now), tt.use) })
		})
	}
}

func TestCopy(t *testing.T) {
	f := newAccess()
	originator := cleared.NewAuthorityID()
	actsFor := []cleared.AuthorityID{originator}
	consent := &cleared.CopyConsent{Piece: f.topSecret.ID, By: originator, To: f.person, Copies: 2, Given: now.Add(-time.Hour), Until: now.Add(days(7))}
	otherPiece := *consent
	otherPiece.Piece = f.secret.ID
	byStranger := *consent
	byStranger.By = cleared.NewAuthorityID()
	lapsed := *consent
	lapsed.Until = now
	later := *consent
	later.Given = now.Add(time.Minute)
	toAnother := *consent
	toAnother.To = cleared.NewPersonID()
	zone := f.subject(cleared.TopSecret, f.zone)

	tests := []struct {
		name    string
		s       *Subject
		piece   cleared.Piece
		consent *cleared.CopyConsent
		made    int
		want    Decision
	}{
		{"A9.4 SECRET piece is copied without consent", f.subject(cleared.Secret, f.office), f.secret, nil, 0, allow()},
		{"A9.4 TRES SECRET copy with the originator's prior consent", zone, f.topSecret, consent, 0, allow()},
		{"A9.4 TRES SECRET second copy within the consent", zone, f.topSecret, consent, 1, allow()},
		{"A9.4 TRES SECRET copy without consent is refused", zone, f.topSecret, nil, 0, refuse("A9.4")},
		{"A9.4 consent for another piece does not count", zone, f.topSecret, &otherPiece, 0, refuse("A9.4")},
		{"A9.4 consent by someone other than the originator does not count", zone, f.topSecret, &byStranger, 0, refuse("A9.4")},
		{"A9.4 consent that lapsed is refused", zone, f.topSecret, &lapsed, 0, refuse("A9.4")},
		{"A9.4 consent must be prior", zone, f.topSecret, &later, 0, refuse("A9.4")},
		{"A9.4 copies beyond the consent are refused", zone, f.topSecret, consent, 2, refuse("A9.4")},
		{"A9.4 consent given to another person does not count", zone, f.topSecret, &toAnother, 0, refuse("A9.4")},
		{"A8.2 TRES SECRET copy outside a security zone is refused", f.subject(cleared.TopSecret, f.office), f.topSecret, consent, 0, refuse("A8.2")},
		{"A9.1 copy of a piece one may not know is hidden", f.subject(cleared.Secret, f.office), f.otherPiece, nil, 0, hide("A9.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, Copy(tt.s, TargetOf(tt.piece, f.dossier), tt.consent, actsFor, tt.made, now), tt.want)
		})
	}
}

func TestDestruction(t *testing.T) {
	org := cleared.NewOrganisationID()
	holder, officer := cleared.NewPersonID(), cleared.NewPersonID()
	officers := []cleared.SecurityOfficer{{OrganisationID: org, PersonID: officer, Since: now.AddDate(-1, 0, 0)}}
	formerOfficers := []cleared.SecurityOfficer{{OrganisationID: org, PersonID: officer, Since: now.AddDate(-2, 0, 0), Until: now.Add(-days(1))}}
	otherOrg := []cleared.SecurityOfficer{{OrganisationID: cleared.NewOrganisationID(), PersonID: officer, Since: now.AddDate(-1, 0, 0)}}
	sig := []byte("verified signature")
	full := cleared.DestructionRecord{DestroyedBy: holder, DestroyerSig: sig, Countersigner: officer, CountersignSig: sig}
	unsigned := full
	unsigned.DestroyerSig = nil
	noCounter := cleared.DestructionRecord{DestroyedBy: holder, DestroyerSig: sig}
	counterUnsigned := full
	counterUnsigned.CountersignSig = nil
	self := cleared.DestructionRecord{DestroyedBy: officer, DestroyerSig: sig, Countersigner: officer, CountersignSig: sig}
	selfOfficers := append(officers, cleared.SecurityOfficer{OrganisationID: org, PersonID: holder, Since: now.AddDate(-1, 0, 0)})
	byHolderCountersigned := full
	byHolderCountersigned.Countersigner = holder

	tests := []struct {
		name     string
		level    cleared.Level
		r        cleared.DestructionRecord
		officers []cleared.SecurityOfficer
		want     Decision
	}{
		{"A10.2 SECRET destruction signed and countersigned by the officer", cleared.Secret, full, officers, allow()},
		{"A10.2 TRES SECRET destruction signed and countersigned by the officer", cleared.TopSecret, full, officers, allow()},
		{"A10.2 CONFIDENTIEL destruction needs no report", cleared.Confidential, cleared.DestructionRecord{}, nil, allow()},
		{"A10.2 unsigned report is refused", cleared.Secret, unsigned, officers, refuse("A10.2")},
		{"A10.2 report without countersignature is refused", cleared.TopSecret, noCounter, officers, refuse("A10.2")},
		{"A10.2 countersigner named but not signed is refused", cleared.Secret, counterUnsigned, officers, refuse("A10.2")},
		{"A10.2 the officer cannot countersign his own destruction", cleared.Secret, self, officers, refuse("A10.2")},
		{"A10.2 countersigner who is not a security officer is refused", cleared.Secret, byHolderCountersigned, officers, refuse("A10.2")},
		{"A10.2 an officer of another organisation is refused", cleared.Secret, full, otherOrg, refuse("A10.2")},
		{"A10.2 a former officer is refused", cleared.Secret, full, formerOfficers, refuse("A10.2")},
		{"A10.2 a second officer countersigns for another", cleared.Secret, cleared.DestructionRecord{DestroyedBy: officer, DestroyerSig: sig, Countersigner: holder, CountersignSig: sig}, selfOfficers, allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Destruction(tt.level, tt.r, org, tt.officers, now), tt.want) })
	}
}

func TestTransmit(t *testing.T) {
	secretNet := &cleared.Channel{ID: cleared.NewChannelID(), MaxLevel: cleared.Secret, CryptoProduct: "approved crypto v2", From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	noCrypto := *secretNet
	noCrypto.CryptoProduct = ""
	lapsed := *secretNet
	lapsed.Until = now
	tests := []struct {
		name  string
		level cleared.Level
		ch    *cleared.Channel
		want  Decision
	}{
		{"A11.1 SECRET over a channel accredited SECRET", cleared.Secret, secretNet, allow()},
		{"A11.1 CONFIDENTIEL over a channel accredited SECRET", cleared.Confidential, secretNet, allow()},
		{"A11.1 RESTREINT needs no accredited channel", cleared.Restricted, nil, allow()},
		{"A11.1 TRES SECRET over a channel accredited SECRET is refused", cleared.TopSecret, secretNet, refuse("A11.1")},
		{"A11.1 CONFIDENTIEL without a channel is refused", cleared.Confidential, nil, refuse("A11.1")},
		{"A11.1 channel without approved crypto is refused", cleared.Secret, &noCrypto, refuse("A11.1")},
		{"A11.1 channel whose accreditation lapsed is refused", cleared.Secret, &lapsed, refuse("A11.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Transmit(tt.level, tt.ch, now), tt.want) })
	}
}

func TestDescribe(t *testing.T) {
	f := newAccess()
	unclassified := cleared.Piece{ID: cleared.NewPieceID()}
	tests := []struct {
		name     string
		s        *Subject
		piece    cleared.Piece
		want     Decision
		withhold bool
	}{
		{"A9.1 a piece he may know is described in full at a terminal that may show it", f.subject(cleared.Secret, f.office), f.secret, allow(), false},
		{"A9.1 a piece he may not know stays hidden", f.subject(cleared.Secret, f.office), f.otherPiece, hide("A9.1"), false},
		{"A9.3 nothing classified is described at a public terminal", f.subject(cleared.Secret, f.public), f.restricted, refuse("A9.3"), false},
		{"A9.3 nothing classified is described without a registered terminal", f.subject(cleared.Secret, nil), f.secret, refuse("A9.3"), false},
		{"A9.3 nothing classified is described at a revoked terminal", f.subject(cleared.TopSecret, f.revoked), f.secret, refuse("A9.3"), false},
		{"A9.3 a piece he may not know stays hidden at a public terminal too", f.subject(cleared.Secret, f.public), f.otherPiece, hide("A9.1"), false},
		{"A8.1 below the terminal's accreditation the title is withheld", f.subject(cleared.Secret, f.lowTerm), f.secret, allow(), true},
		{"A8.1 within the terminal's accreditation the title is shown", f.subject(cleared.Secret, f.lowTerm), f.restricted, allow(), false},
		{"A8.2 TRES SECRET outside a security zone has its title withheld", f.subject(cleared.TopSecret, f.office), f.topSecret, allow(), true},
		{"A8.2 TRES SECRET in a security zone is described in full", f.subject(cleared.TopSecret, f.zone), f.topSecret, allow(), false},
		{"A9.3 an unclassified piece is described anywhere", &Subject{Person: f.person, Terminal: f.public}, unclassified, allow(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, withhold := Describe(tt.s, TargetOf(tt.piece, f.dossier), now)
			checkDecision(t, d, tt.want)
			if withhold != tt.withhold {
				t.Fatalf("title withheld %v, want %v", withhold, tt.withhold)
			}
		})
	}
}

func TestGrantSetLen(t *testing.T) {
	p := cleared.NewPersonID()
	piece, other, dossier := cleared.NewPieceID(), cleared.NewPieceID(), cleared.NewDossierID()
	g := func(pc cleared.PieceID, d cleared.DossierID) cleared.Grant {
		return cleared.Grant{PersonID: p, Piece: pc, Dossier: d, From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	}
	// A9.1: a piece granted twice is one object; a dossier is an object of its own.
	s := NewGrantSet([]cleared.Grant{g(piece, ""), g(piece, ""), g(other, ""), g("", dossier)})
	if got := s.Len(); got != 3 {
		t.Fatalf("A9.1 grants on two pieces (one twice) and a dossier cover %d objects, want 3", got)
	}
	if got := NewGrantSet(nil).Len(); got != 0 {
		t.Fatalf("A9.1 no grant covers %d objects, want 0", got)
	}
}
