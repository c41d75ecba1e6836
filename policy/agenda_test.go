package policy

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// agendaFixture is an actor and the world around him: a SECRET holder of the ministry who holds a classifying
// authority, a piece he classified, another authority's piece, a dossier, a colleague and a stranger.
type agendaFixture struct {
	me, colleague, stranger cleared.Person
	org, other              cleared.OrganisationID
	auth, otherAuth         cleared.AuthorityID
	mine, theirs, topSecret cleared.Piece
	dossier                 cleared.Dossier
	inDossier               cleared.Piece
	zone, office            cleared.TerminalID
	names                   map[string]string // object ID → the name the tables use
}

func newAgendaFixture() *agendaFixture {
	f := &agendaFixture{org: cleared.NewOrganisationID(), other: cleared.NewOrganisationID(), auth: cleared.NewAuthorityID(),
		otherAuth: cleared.NewAuthorityID(), zone: cleared.NewTerminalID(), office: cleared.NewTerminalID(), names: map[string]string{}}
	f.me = cleared.Person{ID: cleared.NewPersonID(), OrganisationID: f.org, Name: "Paul"}
	f.colleague = cleared.Person{ID: cleared.NewPersonID(), OrganisationID: f.org, Name: "Tom"}
	f.stranger = cleared.Person{ID: cleared.NewPersonID(), OrganisationID: f.other, Name: "Léa"}
	piece := func(name string, l cleared.Level, originator cleared.AuthorityID, review time.Time) cleared.Piece {
		p := cleared.Piece{ID: cleared.NewPieceID(), Title: name, Level: l, Originator: originator, ReviewOn: review,
			Created: now.AddDate(-1, 0, 0)}
		f.names[string(p.ID)] = name
		return p
	}
	f.mine = piece("mine", cleared.Secret, f.auth, now.Add(days(20)))
	f.theirs = piece("theirs", cleared.Confidential, f.otherAuth, now.Add(days(20)))
	f.topSecret = piece("topSecret", cleared.TopSecret, f.auth, now.Add(days(20)))
	f.dossier = cleared.Dossier{ID: cleared.NewDossierID(), Title: "dossier", Level: cleared.Secret, Originator: f.otherAuth}
	f.names[string(f.dossier.ID)] = "dossier"
	f.inDossier = piece("inDossier", cleared.Confidential, f.auth, now.Add(days(20)))
	f.inDossier.Dossier = f.dossier.ID
	return f
}

// name registers an object's name for the tables and returns its ID.
func (f *agendaFixture) name(id, name string) string { f.names[id] = name; return id }

// clearance is a clearance of p named name.
func (f *agendaFixture) clearance(name string, p cleared.Person, l cleared.Level, issued time.Time) cleared.Clearance {
	c := clearance(p.ID, l, issued)
	f.name(string(c.ID), name)
	return c
}

// grant is a grant of the actor on a piece or a dossier from a year ago until until.
func (f *agendaFixture) grant(on any, until time.Time) cleared.Grant {
	g := cleared.Grant{ID: cleared.NewGrantID(), PersonID: f.me.ID, From: now.AddDate(-1, 0, 0), Until: until}
	switch on := on.(type) {
	case cleared.Piece:
		g.Piece = on.ID
	case cleared.Dossier:
		g.Dossier = on.ID
	}
	return g
}

// facts are the actor's facts: SECRET since two years, the authority in office, grants on his piece and the other
// authority's until next year, at the office terminal.
func (f *agendaFixture) facts(grants ...cleared.Grant) AgendaFacts {
	if grants == nil {
		grants = []cleared.Grant{f.grant(f.mine, now.AddDate(1, 0, 0)), f.grant(f.theirs, now.AddDate(1, 0, 0))}
	}
	sub := &Subject{Person: f.me.ID, Clearances: []cleared.Clearance{clearance(f.me.ID, cleared.Secret, now.AddDate(-2, 0, 0))},
		Grants: NewGrantSet(grants), Terminal: &cleared.Terminal{ID: f.office, AccreditedLevel: cleared.Secret}}
	return AgendaFacts{Person: f.me, Subject: sub, Terminal: f.office, Authorities: []cleared.AuthorityID{f.auth}}
}

// review is the review fact of p, its originator alone acting for it.
func (f *agendaFixture) review(p cleared.Piece) ReviewFact {
	tg := TargetOf(p, cleared.Dossier{})
	if p.Dossier == f.dossier.ID {
		tg = TargetOf(p, f.dossier)
	}
	return ReviewFact{Piece: p, Target: tg, ActsFor: []cleared.AuthorityID{p.Originator}}
}

// grantFact is the grant fact of g on its piece or dossier.
func (f *agendaFixture) grantFact(g cleared.Grant) GrantFact {
	for _, p := range []cleared.Piece{f.mine, f.theirs, f.topSecret, f.inDossier} {
		if p.ID == g.Piece {
			tg := TargetOf(p, cleared.Dossier{})
			if p.Dossier == f.dossier.ID {
				tg = TargetOf(p, f.dossier)
			}
			return GrantFact{Grant: g, Target: tg, Piece: &p}
		}
	}
	d := f.dossier
	return GrantFact{Grant: g, Target: Target{Dossier: d.ID, Level: d.Level, DossierLevel: d.Level}, Dossier: &d}
}

// describe writes an item as the tables expect it: kind:object@days-from-now, with ! when overdue.
func (f *agendaFixture) describe(it AgendaItem) string {
	name := f.names[it.object()]
	if name == "" {
		name = "?" + it.object()
	}
	s := fmt.Sprintf("%s:%s@%d", it.Kind, name, int(it.Due.Sub(now).Round(time.Hour).Hours()/24))
	if it.Overdue {
		s += "!"
	}
	if it.Article != agendaArticle[it.Kind] || it.Article == "" {
		s += " (article " + it.Article + ")"
	}
	return s
}

func TestAgenda(t *testing.T) {
	f := newAgendaFixture()
	monthsAgo := func(years, months int) time.Time { return now.AddDate(-years, months, 0) }
	tests := []struct {
		name  string
		facts func() AgendaFacts
		want  []string
	}{
		{"A17.1 nothing due gives an empty agenda", func() AgendaFacts { return f.facts() }, nil},
		{"A17.1 one's SECRET clearance expiring within six months is listed, ten years after issue", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{f.clearance("own", f.me, cleared.Secret, now.AddDate(-10, 0, 90))}
			return a
		}, []string{"clearance:own@90"}},
		{"A17.1 one's TRES SECRET clearance expires five years after issue", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{f.clearance("ts", f.me, cleared.TopSecret, now.AddDate(-5, 0, 30))}
			return a
		}, []string{"clearance:ts@30"}},
		{"A17.1 a clearance expiring in seven months is not listed yet", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{f.clearance("later", f.me, cleared.Secret, monthsAgo(10, 7))}
			return a
		}, nil},
		{"A17.1 an expired clearance is listed, overdue", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{f.clearance("expired", f.me, cleared.TopSecret, now.AddDate(-5, 0, -10))}
			return a
		}, []string{"clearance:expired@-10!"}},
		{"A17.1 a clearance recorded expired is overdue", func() AgendaFacts {
			a := f.facts()
			c := f.clearance("recorded", f.me, cleared.Secret, now.AddDate(-10, 0, 40))
			c.Status = cleared.ClearanceExpired
			a.Subject.Clearances = []cleared.Clearance{c}
			return a
		}, []string{"clearance:recorded@40!"}},
		{"A17.1 a recorded expiry beyond any law's validity does not put the reminder off", func() AgendaFacts {
			a := f.facts()
			c := f.clearance("long", f.me, cleared.TopSecret, now.AddDate(-cleared.MaxClearanceValidityYears, 0, 20))
			c.Expires = c.Issued.AddDate(30, 0, 0)
			a.Subject.Clearances = []cleared.Clearance{c}
			return a
		}, []string{"clearance:long@20"}},
		{"A17.1 a clearance renewed by a later one is not listed", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{f.clearance("old", f.me, cleared.TopSecret, now.AddDate(-6, 0, 0)),
				f.clearance("renewed", f.me, cleared.TopSecret, now.AddDate(-1, 0, 0))}
			return a
		}, nil},
		{"A17.1 an older clearance does not replace a later one", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{f.clearance("old", f.me, cleared.Confidential, now.AddDate(-12, 0, 0)),
				f.clearance("current", f.me, cleared.Secret, now.AddDate(-10, 0, 90))}
			return a
		}, []string{"clearance:current@90"}},
		{"A17.1 another person's clearance among one's own gives no item, and a later one of his does not replace one's own", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{f.clearance("tom", f.colleague, cleared.Secret, now.AddDate(-10, 0, 120)),
				f.clearance("own", f.me, cleared.Secret, now.AddDate(-10, 0, 90))}
			return a
		}, []string{"clearance:own@90"}},
		{"A27.1 a withdrawn clearance is skipped, not the ones after it", func() AgendaFacts {
			a := f.facts()
			issued := now.AddDate(-10, 0, 90)
			a.Subject.Clearances = []cleared.Clearance{withStatus(f.clearance("withdrawn", f.me, cleared.Secret, issued), cleared.ClearanceWithdrawn),
				f.clearance("active", f.me, cleared.Confidential, issued)}
			return a
		}, []string{"clearance:active@90"}},
		{"A27.1 a withdrawn clearance is a decision, not a renewal to prepare", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances = []cleared.Clearance{withStatus(f.clearance("withdrawn", f.me, cleared.Secret, now.AddDate(-10, 0, 10)), cleared.ClearanceWithdrawn)}
			return a
		}, nil},
		{"A14.1 a member of the Government holds none and is reminded of none", func() AgendaFacts {
			a := f.facts()
			a.Subject.Clearances, a.Subject.ClearanceExempt = nil, true
			return a
		}, nil},

		{"A3.2 a piece one classified, due for review within 30 days, is listed", func() AgendaFacts {
			a := f.facts()
			a.Reviews = []ReviewFact{f.review(f.mine)}
			return a
		}, []string{"review:mine@20"}},
		{"A3.2 A7.2 a declassified piece has no review left to list", func() AgendaFacts {
			a := f.facts()
			p := f.mine
			p.Level = cleared.Unclassified
			a.Reviews = []ReviewFact{f.review(p)}
			return a
		}, nil},
		{"A3.2 a review due in 31 days is not listed yet", func() AgendaFacts {
			a := f.facts()
			p := f.mine
			p.ReviewOn = now.Add(days(31))
			a.Reviews = []ReviewFact{f.review(p)}
			return a
		}, nil},
		{"A3.2 an overdue review is listed, overdue, while one still knows the piece", func() AgendaFacts {
			a := f.facts()
			p := f.mine
			p.ReviewOn = now.Add(-days(3))
			a.Reviews = []ReviewFact{f.review(p)}
			return a
		}, []string{"review:mine@-3!"}},
		{"A5.2 a piece of an authority one acts for (a delegate's, a predecessor's) is listed", func() AgendaFacts {
			a := f.facts()
			r := f.review(f.theirs)
			r.ActsFor = []cleared.AuthorityID{f.otherAuth, f.auth}
			a.Reviews = []ReviewFact{r}
			return a
		}, []string{"review:theirs@20"}},
		{"A5.2 another authority's piece is not one's to review, even known", func() AgendaFacts {
			a := f.facts()
			a.Reviews = []ReviewFact{f.review(f.theirs)}
			return a
		}, nil},
		{"A5.2 without an authority in office there is nothing to review", func() AgendaFacts {
			a := f.facts()
			a.Authorities = nil
			a.Reviews = []ReviewFact{f.review(f.mine)}
			return a
		}, nil},
		{"A9.1 a piece one acts for but has no need-to-know of is hidden", func() AgendaFacts {
			a := f.facts(f.grant(f.theirs, now.AddDate(1, 0, 0)))
			a.Reviews = []ReviewFact{f.review(f.mine)}
			return a
		}, nil},
		{"A9.1 a piece above one's clearance is hidden, granted or not", func() AgendaFacts {
			a := f.facts(f.grant(f.topSecret, now.AddDate(1, 0, 0)))
			a.Reviews = []ReviewFact{f.review(f.topSecret)}
			return a
		}, nil},
		{"A9.1 a part reached through a dossier grant is listed", func() AgendaFacts {
			a := f.facts(f.grant(f.dossier, now.AddDate(1, 0, 0)))
			a.Reviews = []ReviewFact{f.review(f.inDossier)}
			return a
		}, []string{"review:inDossier@20"}},
		{"A9.1 a part of a dossier raised above one's clearance is hidden (A4.2)", func() AgendaFacts {
			a := f.facts(f.grant(f.dossier, now.AddDate(1, 0, 0)))
			a.Subject.Clearances = []cleared.Clearance{clearance(f.me.ID, cleared.Confidential, now.AddDate(-1, 0, 0))}
			a.Reviews = []ReviewFact{f.review(f.inDossier)}
			return a
		}, nil},
		{"A9.1 a review fact whose target is another piece gives nothing", func() AgendaFacts {
			a := f.facts()
			r := f.review(f.mine)
			r.Target = TargetOf(f.theirs, cleared.Dossier{})
			a.Reviews = []ReviewFact{r}
			return a
		}, nil},
		{"A10.1 a destroyed piece is not reviewed", func() AgendaFacts {
			a := f.facts()
			p := f.mine
			p.Destroyed = now.Add(-time.Hour)
			a.Reviews = []ReviewFact{f.review(p)}
			return a
		}, nil},

		{"A9.1 need-to-know ending within 14 days is listed", func() AgendaFacts {
			g := f.grant(f.theirs, now.Add(days(10)))
			a := f.facts(g)
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, []string{"grant:theirs@10"}},
		{"A9.1 need-to-know ending in 15 days is not listed yet", func() AgendaFacts {
			g := f.grant(f.theirs, now.Add(days(15)))
			a := f.facts(g)
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, nil},
		{"A9.1 need-to-know carried on by a grant that follows is not ending", func() AgendaFacts {
			g, next := f.grant(f.theirs, now.Add(days(10))), f.grant(f.theirs, now.AddDate(1, 0, 0))
			next.From = now.Add(days(9))
			a := f.facts(g, next)
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, nil},
		{"A9.1 need-to-know carried on by following grants ends with the last", func() AgendaFacts {
			g, next := f.grant(f.theirs, now.Add(days(5))), f.grant(f.theirs, now.Add(days(12)))
			next.From = now.Add(days(5))
			a := f.facts(g, next)
			a.Grants = []GrantFact{f.grantFact(g), f.grantFact(next)}
			return a
		}, []string{"grant:theirs@12"}},
		{"A9.1 need-to-know of a piece carried on by a grant on its dossier is not ending", func() AgendaFacts {
			g := f.grant(f.inDossier, now.Add(days(10)))
			a := f.facts(g, f.grant(f.dossier, now.AddDate(1, 0, 0)))
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, nil},
		{"A9.1 need-to-know of a dossier ending is listed with the dossier", func() AgendaFacts {
			g := f.grant(f.dossier, now.Add(days(7)))
			a := f.facts(g)
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, []string{"grant:dossier@7"}},
		{"A9.1 a grant revoked from a later date ends then", func() AgendaFacts {
			g := f.grant(f.theirs, now.AddDate(1, 0, 0))
			g.Revoked = now.Add(days(3))
			a := f.facts(g)
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, []string{"grant:theirs@3"}},
		{"A9.1 an ending grant on a piece above one's clearance is hidden", func() AgendaFacts {
			g := f.grant(f.topSecret, now.Add(days(10)))
			a := f.facts(g)
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, nil},
		{"A9.1 an ending grant is hidden once one's clearance has expired", func() AgendaFacts {
			g := f.grant(f.theirs, now.Add(days(10)))
			a := f.facts(g)
			a.Subject.Clearances = []cleared.Clearance{f.clearance("lapsed", f.me, cleared.Secret, now.AddDate(-10, 0, -1))}
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, []string{"clearance:lapsed@-1!"}},
		{"A9.1 grant facts on a piece that do not match it give nothing: another piece, another target, a destroyed piece", func() AgendaFacts {
			g := f.grant(f.theirs, now.Add(days(10)))
			a := f.facts(g)
			other, otherTarget, destroyed := f.grantFact(g), f.grantFact(g), f.grantFact(g)
			other.Piece = &f.mine
			otherTarget.Target = TargetOf(f.mine, cleared.Dossier{})
			gone := f.theirs
			gone.Destroyed = now.Add(-time.Hour)
			destroyed.Piece = &gone
			a.Grants = []GrantFact{other, otherTarget, destroyed, {Grant: g, Target: f.grantFact(g).Target}}
			return a
		}, nil},
		{"A9.1 grant facts on a dossier that do not match it give nothing: another dossier, a piece's target, another dossier's target", func() AgendaFacts {
			g := f.grant(f.dossier, now.Add(days(7)))
			a := f.facts(g)
			otherDossier, pieceTarget, otherTarget := f.grantFact(g), f.grantFact(g), f.grantFact(g)
			d := cleared.Dossier{ID: cleared.NewDossierID(), Level: cleared.Secret}
			otherDossier.Dossier = &d
			pieceTarget.Target.Piece = f.inDossier.ID
			otherTarget.Target.Dossier = d.ID
			a.Grants = []GrantFact{otherDossier, pieceTarget, otherTarget, {Grant: g, Target: f.grantFact(g).Target}}
			return a
		}, nil},
		{"A9.1 a grant on nothing gives nothing", func() AgendaFacts {
			g := f.grant(nil, now.Add(days(7)))
			a := f.facts(f.grant(f.mine, now.AddDate(1, 0, 0)))
			a.Grants = []GrantFact{{Grant: g, Target: f.grantFact(f.grant(f.mine, now)).Target}}
			return a
		}, nil},
		{"A9.1 a reader whose clearances and grants were not loaded is shown no piece", func() AgendaFacts {
			g := f.grant(f.theirs, now.Add(days(10)))
			a := f.facts(g)
			a.Subject = nil
			a.Reviews = []ReviewFact{f.review(f.mine)}
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, nil},
		{"A9.1 a review hidden from the reader does not hide the next", func() AgendaFacts {
			a := f.facts()
			a.Reviews = []ReviewFact{f.review(f.topSecret), f.review(f.mine)}
			return a
		}, []string{"review:mine@20"}},
		{"A9.1 an ending grant hidden from the reader does not hide the next", func() AgendaFacts {
			hiddenGrant, g := f.grant(f.topSecret, now.Add(days(10))), f.grant(f.theirs, now.Add(days(10)))
			a := f.facts(hiddenGrant, g)
			a.Grants = []GrantFact{f.grantFact(hiddenGrant), f.grantFact(g)}
			return a
		}, []string{"grant:theirs@10"}},
		{"A9.1 a grant not ending soon does not hide the next", func() AgendaFacts {
			lasting, g := f.grant(f.mine, now.AddDate(1, 0, 0)), f.grant(f.theirs, now.Add(days(10)))
			a := f.facts(lasting, g)
			a.Grants = []GrantFact{f.grantFact(lasting), f.grantFact(g)}
			return a
		}, []string{"grant:theirs@10"}},
		{"A9.1 another person's grant gives nothing", func() AgendaFacts {
			g := f.grant(f.theirs, now.Add(days(10)))
			a := f.facts(g)
			g.PersonID = f.colleague.ID
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, nil},
		{"A3.2 the classifier's grant ending at the review date gives one item, the review", func() AgendaFacts {
			p := f.mine
			p.ReviewOn = now.Add(days(10))
			g := f.grant(p, p.ReviewOn)
			a := f.facts(g)
			a.Reviews = []ReviewFact{f.review(p)}
			a.Grants = []GrantFact{f.grantFact(g)}
			return a
		}, []string{"review:mine@10"}},

		{"AUTH.TOKEN a token expiring within 14 days is listed; a later, ended or revoked one, or another's, is not", func() AgendaFacts {
			a := f.facts()
			tok := func(name string, expires time.Time) cleared.Token {
				k := cleared.Token{ID: cleared.NewTokenID(), PersonID: f.me.ID, Label: name, Expires: expires}
				f.name(string(k.ID), name)
				return k
			}
			revoked, others := tok("revoked", now.Add(days(2))), tok("others", now.Add(days(2)))
			revoked.Revoked, others.PersonID = now.Add(-time.Hour), f.colleague.ID
			a.Tokens = []cleared.Token{tok("soon", now.Add(days(13))), tok("later", now.Add(days(15))), tok("ended", now.Add(-time.Hour)),
				revoked, others}
			return a
		}, []string{"token:soon@13"}},
		{"AUTH.SESSION a session open at another terminal is listed; one at this terminal or half signed in is not", func() AgendaFacts {
			a := f.facts()
			ses := func(name string, term cleared.TerminalID, stage cleared.SessionStage) cleared.Session {
				x := cleared.Session{ID: cleared.NewSessionID(), PersonID: f.me.ID, Terminal: term, Stage: stage, Expires: now.Add(6 * time.Hour)}
				f.name(string(x.ID), name)
				return x
			}
			a.Sessions = []cleared.Session{ses("zone", f.zone, cleared.StageActive), ses("here", f.office, cleared.StageActive),
				ses("no terminal", "", cleared.StageActive), ses("waiting", f.zone, cleared.StageSecondFactor)}
			a.Sessions[2].Expires = now.Add(5 * time.Hour)
			return a
		}, []string{"session:no terminal@0", "session:zone@0"}},
		{"AUTH.LOCKOUT an administrator sees the accounts locked out, not those whose lock ended", func() AgendaFacts {
			a := f.facts()
			a.Person.Roles = []cleared.Role{cleared.RoleAdmin}
			acc := func(name string, until time.Time) cleared.Account {
				x := cleared.Account{ID: cleared.NewAccountID(), Login: name, LockedUntil: until}
				f.name(string(x.ID), name)
				return x
			}
			a.Accounts = []cleared.Account{acc("locked", now.Add(time.Hour)), acc("unlocked", now.Add(-time.Minute)), acc("never", time.Time{})}
			return a
		}, []string{"locked_account:locked@0"}},
		{"AUTH.ADMIN only an administrator sees locked accounts", func() AgendaFacts {
			a := f.facts()
			a.Accounts = []cleared.Account{{ID: cleared.NewAccountID(), Login: "locked", LockedUntil: now.Add(time.Hour)}}
			return a
		}, nil},

		{"A17.1 a security officer sees his organisation's staff whose clearance expires within six months", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			a.Holders = []Holder{{Person: f.colleague, Clearances: []cleared.Clearance{f.clearance("tom", f.colleague, cleared.Secret, now.AddDate(-10, 0, 60))}}}
			return a
		}, []string{"holder_clearance:tom@60"}},
		{"A23.1 a security officer does not see another organisation's staff", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			a.Holders = []Holder{{Person: f.stranger, Clearances: []cleared.Clearance{f.clearance("lea", f.stranger, cleared.Secret, now.AddDate(-10, 0, 60))}}}
			return a
		}, nil},
		{"A23.1 a holder the officer does not answer for does not hide the next", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			a.Holders = []Holder{{Person: f.stranger, Clearances: []cleared.Clearance{f.clearance("lea", f.stranger, cleared.Secret, now.AddDate(-10, 0, 30))}},
				{Person: f.colleague, Clearances: []cleared.Clearance{f.clearance("tom", f.colleague, cleared.Secret, now.AddDate(-10, 0, 60))}}}
			return a
		}, []string{"holder_clearance:tom@60"}},
		{"A23.1 another person's clearance in a holder's list gives no item, and a later one does not replace his", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			a.Holders = []Holder{{Person: f.colleague, Clearances: []cleared.Clearance{f.clearance("lea", f.stranger, cleared.Secret, now.AddDate(-10, 0, 90)),
				f.clearance("tom", f.colleague, cleared.Secret, now.AddDate(-10, 0, 60))}}}
			return a
		}, []string{"holder_clearance:tom@60"}},
		{"A27.1 a holder's withdrawn clearance is skipped, not the ones after it", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			issued := now.AddDate(-10, 0, 60)
			a.Holders = []Holder{{Person: f.colleague, Clearances: []cleared.Clearance{
				withStatus(f.clearance("withdrawn", f.colleague, cleared.Secret, issued), cleared.ClearanceWithdrawn),
				f.clearance("tom", f.colleague, cleared.Confidential, issued)}}}
			return a
		}, []string{"holder_clearance:tom@60"}},
		{"A23.1 without a designation nobody else's clearance is shown", func() AgendaFacts {
			a := f.facts()
			a.Holders = []Holder{{Person: f.colleague, Clearances: []cleared.Clearance{f.clearance("tom", f.colleague, cleared.Secret, now.AddDate(-10, 0, 60))}}}
			return a
		}, nil},
		{"A20.1 an NSA officer sees anyone's", func() AgendaFacts {
			a := f.facts()
			a.Person.Roles = []cleared.Role{cleared.RoleNSAOfficer}
			a.Holders = []Holder{{Person: f.stranger, Clearances: []cleared.Clearance{f.clearance("lea", f.stranger, cleared.Confidential, now.AddDate(-10, 0, 60))}}}
			return a
		}, []string{"holder_clearance:lea@60"}},
		{"A20.1 an NSA officer without a valid clearance of his own does not", func() AgendaFacts {
			a := f.facts()
			a.Person.Roles = []cleared.Role{cleared.RoleNSAOfficer}
			a.Subject.Clearances = []cleared.Clearance{withStatus(clearance(f.me.ID, cleared.Secret, now.AddDate(-1, 0, 0)), cleared.ClearanceSuspended)}
			a.Holders = []Holder{{Person: f.stranger, Clearances: []cleared.Clearance{f.clearance("lea", f.stranger, cleared.Confidential, now.AddDate(-10, 0, 60))}}}
			return a
		}, nil},
		{"A17.1 the staff's clearances already expired, renewed, withdrawn or far off are not listed", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			other := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: f.org, Name: "Anne"}
			a.Holders = []Holder{
				{Person: f.colleague, Clearances: []cleared.Clearance{f.clearance("expired", f.colleague, cleared.Secret, now.AddDate(-10, 0, -1)),
					withStatus(f.clearance("withdrawn", f.colleague, cleared.Secret, now.AddDate(-10, 0, 30)), cleared.ClearanceWithdrawn)}},
				{Person: other, Clearances: []cleared.Clearance{f.clearance("old", other, cleared.TopSecret, now.AddDate(-5, 0, 30)),
					f.clearance("renewed", other, cleared.TopSecret, now.AddDate(0, -1, 0))}},
				{Person: f.stranger, Clearances: []cleared.Clearance{f.clearance("far", f.stranger, cleared.Secret, now.AddDate(-9, 0, 0))}},
			}
			return a
		}, nil},
		{"A17.1 one's own clearance is one's own item, not a holder's", func() AgendaFacts {
			a := f.facts()
			a.OfficerOf = []cleared.OrganisationID{f.org}
			own := f.clearance("own", f.me, cleared.Secret, now.AddDate(-10, 0, 60))
			a.Subject.Clearances = []cleared.Clearance{own}
			a.Holders = []Holder{{Person: f.me, Clearances: a.Subject.Clearances}}
			return a
		}, []string{"clearance:own@60"}},

		{"A3.2 overdue items come first, then the soonest due", func() AgendaFacts {
			p := f.mine
			p.ReviewOn = now.Add(-days(2))
			g := f.grant(f.theirs, now.Add(days(4)))
			a := f.facts(f.grant(f.mine, now.AddDate(1, 0, 0)), g)
			// SECRET for eight years, TRES SECRET since five years and 30 days: lapsed, while SECRET runs on.
			a.Subject.Clearances = []cleared.Clearance{f.clearance("secret", f.me, cleared.Secret, now.AddDate(-8, 0, 0)),
				f.clearance("expired", f.me, cleared.TopSecret, now.AddDate(-5, 0, -30))}
			a.Reviews = []ReviewFact{f.review(p)}
			a.Grants = []GrantFact{f.grantFact(g)}
			k := cleared.Token{ID: cleared.NewTokenID(), PersonID: f.me.ID, Expires: now.Add(days(1))}
			f.name(string(k.ID), "tok")
			a.Tokens = []cleared.Token{k}
			return a
		}, []string{"clearance:expired@-30!", "review:mine@-2!", "token:tok@1", "grant:theirs@4"}},
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

func TestAgendaHorizon(t *testing.T) {
	for _, tc := range []struct {
		k    AgendaKind
		want time.Time
	}{
		{AgendaClearance, time.Date(2027, 5, 23, 10, 0, 0, 0, time.UTC)},
		{AgendaHolderClearance, time.Date(2027, 5, 23, 10, 0, 0, 0, time.UTC)},
		{AgendaReview, now.Add(days(30))},
		{AgendaGrant, now.Add(days(14))},
		{AgendaToken, now.Add(days(14))},
		{AgendaSession, now},
	} {
		if got := AgendaHorizon(tc.k, now); !got.Equal(tc.want) {
			t.Errorf("%s: horizon %s, want %s", tc.k, got, tc.want)
		}
		if tc.k != AgendaSession && agendaArticle[tc.k] == "" {
			t.Errorf("%s has no article", tc.k)
		}
	}
}

// What the agenda says of a piece follows Describe: nothing of it at a public terminal (A9.3), no title where its
// content could not be shown (A8.1).
func TestAgendaAtTheTerminal(t *testing.T) {
	f := newAgendaFixture()
	at := func(term *cleared.Terminal) []AgendaItem {
		a := f.facts(f.grant(f.mine, now.AddDate(1, 0, 0)), f.grant(f.theirs, now.Add(days(5))))
		a.Subject.Terminal = term
		a.Reviews = []ReviewFact{f.review(f.mine)}
		a.Grants = []GrantFact{f.grantFact(f.grant(f.theirs, now.Add(days(5))))}
		return Agenda(a, now)
	}
	t.Run("A9.3 at a public terminal no piece is on the agenda", func(t *testing.T) {
		for _, it := range at(&cleared.Terminal{ID: f.office, AccreditedLevel: cleared.Secret, Public: true}) {
			if it.Piece != nil || it.Dossier != nil {
				t.Fatalf("listed %+v", it)
			}
		}
	})
	t.Run("A9.3 without a registered terminal no piece is on the agenda", func(t *testing.T) {
		for _, it := range at(nil) {
			if it.Piece != nil {
				t.Fatalf("listed %+v", it)
			}
		}
	})
	t.Run("A8.1 at a terminal accredited for the pieces the items show their titles", func(t *testing.T) {
		n := 0
		for _, it := range at(&cleared.Terminal{ID: f.office, AccreditedLevel: cleared.Secret}) {
			if it.Piece == nil {
				continue
			}
			n++
			if it.Piece.Title == "" || it.Piece.TitleWithheld {
				t.Fatalf("%s item withholds the title of a piece the terminal may show", it.Kind)
			}
		}
		if n != 2 {
			t.Fatalf("%d piece items, want the review and the grant", n)
		}
	})
	t.Run("A8.1 below the terminal's accreditation the items stay, their titles withheld", func(t *testing.T) {
		items := at(&cleared.Terminal{ID: f.office, AccreditedLevel: cleared.Restricted})
		n := 0
		for _, it := range items {
			if it.Piece == nil {
				continue
			}
			n++
			if it.Piece.Title != "" || !it.Piece.TitleWithheld {
				t.Fatalf("%s item shows %q", it.Kind, it.Piece.Title)
			}
		}
		if n != 2 {
			t.Fatalf("%d piece items, want the review and the grant", n)
		}
	})
}
