package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// The boundaries of time are law: a period in force is [from, until), so its first instant counts and its end does
// not, and a notice period shows what falls due strictly before its horizon. Each row below puts an instant exactly
// on a boundary, or one nanosecond beside it. Gremlins does not mutate t.Before or t.After, so these rows are what
// holds those comparisons (docs/testing.md, "time-boundary mutants").

func TestCopyConsentTimeBoundaries(t *testing.T) {
	f := newAccess()
	originator := cleared.NewAuthorityID()
	consent := func(given, until time.Time) *cleared.CopyConsent {
		return &cleared.CopyConsent{Piece: f.topSecret.ID, By: originator, To: f.person, Copies: 1, Given: given, Until: until}
	}
	week := now.Add(days(7))
	tests := []struct {
		name    string
		consent *cleared.CopyConsent
		want    Decision
	}{
		{"A9.4 consent given exactly now is in force", consent(now, week), allow()},
		{"A9.4 consent given a nanosecond from now is not prior", consent(now.Add(time.Nanosecond), week), refuse("A9.4")},
		{"A9.4 consent ending exactly now is no longer in force", consent(now.AddDate(0, 0, -7), now), refuse("A9.4")},
		{"A9.4 consent ending a nanosecond from now is still in force", consent(now.AddDate(0, 0, -7), now.Add(time.Nanosecond)), allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Copy(f.subject(cleared.TopSecret, f.zone), TargetOf(f.topSecret, f.dossier), tt.consent, []cleared.AuthorityID{originator}, 0, now)
			checkDecision(t, d, tt.want)
		})
	}
}

func TestCommissionMayActTimeBoundaries(t *testing.T) {
	p := cleared.NewPersonID()
	ts := []cleared.Clearance{clearance(p, cleared.TopSecret, now.AddDate(-1, 0, 0))}
	member := func(from, presidentFrom time.Time, president bool) cleared.CommissionMember {
		return cleared.CommissionMember{Person: p, Designator: "Ministre de la Justice", From: from, Until: now.AddDate(2, 0, 0),
			President: president, PresidentFrom: presidentFrom}
	}
	year := now.AddDate(-1, 0, 0)
	tests := []struct {
		name        string
		m           cleared.CommissionMember
		asPresident bool
		want        Decision
	}{
		{"A27.3 a member whose term starts exactly now acts", member(now, time.Time{}, false), false, allow()},
		{"A27.3 a member whose term starts a nanosecond from now cannot act yet", member(now.Add(time.Nanosecond), time.Time{}, false), false, refuse("A27.3")},
		{"A27.3 a president elected exactly now acts as president", member(year, now, true), true, allow()},
		{"A27.3 a president elected a nanosecond from now cannot act as president yet", member(year, now.Add(time.Nanosecond), true), true, refuse("A27.3")},
		{"A27.3 a president elected three years ago less a nanosecond still acts as president", member(year, now.AddDate(-3, 0, 0).Add(time.Nanosecond), true), true, allow()},
		{"A27.3 a president elected exactly three years ago no longer acts as president", member(year, now.AddDate(-3, 0, 0), true), true, refuse("A27.3")},
		{"A27.3 a member who is not president cannot act as president", member(year, year, false), true, refuse("A27.3")},
		{"A27.3 a member who is not president still acts as a member", member(year, year, false), false, allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, CommissionMayAct(tt.m, ts, tt.asPresident, now), tt.want) })
	}
}

func TestDelegateTimeBoundaries(t *testing.T) {
	f := newAuthorities()
	tests := []struct {
		name        string
		from, until time.Time
		want        Decision
	}{
		{"A5.1 a delegation that ends the instant it starts is refused", now, now, refuse("A5.1")},
		{"A5.1 a delegation of one nanosecond is a delegation", now, now.Add(time.Nanosecond), allow()},
		{"A5.1 a delegation starting the instant the principal takes office is allowed", f.director.From, now, allow()},
		{"A5.1 a delegation starting before the principal takes office is refused", f.director.From.Add(-time.Nanosecond), now, refuse("A5.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, Delegate(f.director, f.delegate, tt.from, tt.until), tt.want) })
	}
}

func TestGrantNeedToKnowTimeBoundaries(t *testing.T) {
	f := newAccess()
	originator := cleared.NewAuthorityID()
	granter := Granter{Subject: f.subject(cleared.TopSecret, f.zone), Authorities: []cleared.AuthorityID{originator}}
	p := cleared.NewPersonID()
	grantee := &Subject{Person: p, Clearances: []cleared.Clearance{clearance(p, cleared.Secret, now.AddDate(-1, 0, 0))}}
	tomorrow := now.Add(days(1))
	tests := []struct {
		name        string
		from, until time.Time
		want        Decision
	}{
		{"A9.1 a grant that ends the instant it starts is refused", tomorrow, tomorrow, refuse("A9.1")},
		{"A9.1 a grant that ends exactly now is refused", now.AddDate(0, 0, -7), now, refuse("A9.1")},
		{"A9.1 a grant that ends a nanosecond from now is given", now.AddDate(0, 0, -7), now.Add(time.Nanosecond), allow()},
		{"A9.1 a grant that starts exactly now is given", now, tomorrow, allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := GrantNeedToKnow(granter, []cleared.AuthorityID{originator}, "", grantee, TargetOf(f.secret, f.dossier), tt.from, tt.until, now)
			checkDecision(t, d, tt.want)
		})
	}
}

func TestTerminalCertificateTimeBoundaries(t *testing.T) {
	term := cleared.Terminal{ID: cleared.NewTerminalID(), SecurityZone: true, AccreditedLevel: cleared.TopSecret}
	cert := func(revoked, notAfter time.Time) *cleared.TerminalCertificate {
		return &cleared.TerminalCertificate{Terminal: term.ID, Issued: now.AddDate(0, -1, 0), NotAfter: notAfter, Revoked: revoked}
	}
	revokedAt := func(at time.Time) *cleared.Terminal { t := term; t.Revoked = at; return &t }
	month := now.AddDate(0, 1, 0)
	tests := []struct {
		name string
		c    *cleared.TerminalCertificate
		term *cleared.Terminal
		want Decision
	}{
		{"A9.3 a certificate revoked exactly now is no terminal", cert(now, month), &term, refuse("A9.3")},
		{"A9.3 a certificate revoked a nanosecond from now still speaks for its terminal", cert(now.Add(time.Nanosecond), month), &term, allow()},
		{"A9.3 a certificate expiring exactly now is no terminal", cert(time.Time{}, now), &term, refuse("A9.3")},
		{"A9.3 a certificate expiring a nanosecond from now still speaks for its terminal", cert(time.Time{}, now.Add(time.Nanosecond)), &term, allow()},
		{"A9.3 the certificate of a terminal revoked exactly now is no terminal", cert(time.Time{}, month), revokedAt(now), refuse("A9.3")},
		{"A9.3 the certificate of a terminal revoked a nanosecond from now still speaks for it", cert(time.Time{}, month), revokedAt(now.Add(time.Nanosecond)), allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, TerminalCertificate(tt.c, tt.term, now), tt.want) })
	}
}

func TestAgendaTimeBoundaries(t *testing.T) {
	f := newAgendaFixture()
	year := now.AddDate(1, 0, 0)
	clearanceUntil := func(name string, p cleared.Person, expires time.Time) cleared.Clearance {
		c := f.clearance(name, p, cleared.Secret, now.AddDate(-1, 0, 0))
		c.Expires = expires
		return c
	}
	tests := []struct {
		name  string
		facts func() AgendaFacts
		want  []string
	}{
		{"A17.1 one's clearance expiring exactly six months from now is not listed yet", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{clearanceUntil("horizon", f.me, AgendaHorizon(AgendaClearance, now))}
			return a
		}, nil},
		{"A17.1 one's clearance expiring a nanosecond before six months from now is listed", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{clearanceUntil("before", f.me, AgendaHorizon(AgendaClearance, now).Add(-time.Nanosecond))}
			return a
		}, []string{"clearance:before@181"}},
		{"A17.1 two clearances issued at the same instant do not replace each other", func() AgendaFacts {
			a := f.facts()
			first, second := clearanceUntil("first", f.me, now.Add(days(60))), clearanceUntil("second", f.me, now.Add(days(90)))
			second.Issued = first.Issued
			a.Subject.Clearances = []cleared.Clearance{second, first}
			return a
		}, []string{"clearance:first@60", "clearance:second@90"}},

		{"A3.2 a review due exactly 30 days from now is not listed yet", func() AgendaFacts {
			a := f.facts()
			p := f.mine
			p.ReviewOn = now.Add(ReviewNotice)
			a.Reviews = []ReviewFact{f.review(p)}
			return a
		}, nil},
		{"A3.2 a review due exactly now is listed, overdue", func() AgendaFacts {
			a := f.facts()
			p := f.mine
			p.ReviewOn = now
			a.Reviews = []ReviewFact{f.review(p)}
			return a
		}, []string{"review:mine@0!"}},
		{"A3.2 a review due a nanosecond from now is listed, not overdue yet", func() AgendaFacts {
			a := f.facts()
			p := f.mine
			p.ReviewOn = now.Add(time.Nanosecond)
			a.Reviews = []ReviewFact{f.review(p)}
			return a
		}, []string{"review:mine@0"}},

		{"A9.1 a need-to-know ending exactly 14 days from now is not listed yet", func() AgendaFacts {
			g := f.grant(f.theirs, now.Add(GrantNotice))
			a := f.facts(f.grant(f.mine, year), g)
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, nil},
		{"A9.1 a need-to-know ending a nanosecond before 14 days from now is listed", func() AgendaFacts {
			g := f.grant(f.theirs, now.Add(GrantNotice-time.Nanosecond))
			a := f.facts(f.grant(f.mine, year), g)
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, []string{"grant:theirs@14"}},

		{"AUTH.TOKEN tokens expiring exactly now or exactly 14 days from now, or revoked exactly now, are not listed", func() AgendaFacts {
			a := f.facts()
			tok := func(name string, expires, revoked time.Time) cleared.Token {
				k := cleared.Token{ID: cleared.NewTokenID(), PersonID: f.me.ID, Label: name, Expires: expires, Revoked: revoked}
				f.name(string(k.ID), name)
				return k
			}
			a.Tokens = []cleared.Token{tok("ends now", now, time.Time{}), tok("horizon", now.Add(TokenNotice), time.Time{}),
				tok("revoked now", now.Add(days(2)), now), tok("revoked later", now.Add(days(2)), now.Add(time.Nanosecond))}
			return a
		}, []string{"token:revoked later@2"}},
		{"AUTH.SESSION sessions revoked exactly now or expiring exactly now are not listed", func() AgendaFacts {
			a := f.facts()
			ses := func(name string, expires, revoked time.Time) cleared.Session {
				x := cleared.Session{ID: cleared.NewSessionID(), PersonID: f.me.ID, Terminal: f.zone, Stage: cleared.StageActive,
					Expires: expires, Revoked: revoked}
				f.name(string(x.ID), name)
				return x
			}
			a.Sessions = []cleared.Session{ses("revoked now", now.Add(time.Hour), now), ses("ends now", now, time.Time{}),
				ses("open", now.Add(time.Nanosecond), now.Add(time.Nanosecond))}
			return a
		}, []string{"session:open@0"}},
		{"AUTH.LOCKOUT a lock ending exactly now, or an account disabled exactly now, is not listed", func() AgendaFacts {
			a := f.facts()
			a.Person.Roles = []cleared.Role{cleared.RoleAdmin}
			acc := func(name string, until, disabled time.Time) cleared.Account {
				x := cleared.Account{ID: cleared.NewAccountID(), Login: name, LockedUntil: until, Disabled: disabled}
				f.name(string(x.ID), name)
				return x
			}
			a.Accounts = []cleared.Account{acc("unlocked now", now, time.Time{}), acc("disabled now", now.Add(time.Hour), now),
				acc("locked", now.Add(time.Nanosecond), now.Add(time.Nanosecond))}
			return a
		}, []string{"locked_account:locked@0"}},

		{"A17.1 a security officer sees a staff clearance expiring exactly now, overdue", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			a.Holders = []Holder{{Person: f.colleague, Clearances: []cleared.Clearance{clearanceUntil("tom", f.colleague, now)}}}
			return a
		}, []string{"holder_clearance:tom@0!"}},
		{"A17.1 a security officer does not see yet a staff clearance expiring exactly six months from now", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			a.Holders = []Holder{{Person: f.colleague, Clearances: []cleared.Clearance{clearanceUntil("tom", f.colleague, AgendaHorizon(AgendaHolderClearance, now))}}}
			return a
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, it := range Agenda(tt.facts(), now) {
				got = append(got, f.describe(it))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("the agenda lists %q, want %q", got, tt.want)
			}
		})
	}
}
