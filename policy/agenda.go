package policy

import (
	"cmp"
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// The agenda (issue 5, item 4) is what needs a person's action, computed from what the registers already record:
// no reminder is stored, so none can be forgotten or go stale. Each item is due at a date and names the article
// that makes it due. An item says no more than its reader may know: an item about a piece appears only to a
// person who may know the piece exists (Know, A9.1); an item about another person's clearance only to who may
// read that person's file, the security officers of his organisation and the NSA (A23.1); a locked account only
// to administrators.

// AgendaKind says what an agenda item asks for.
type AgendaKind string

// Kinds of agenda item.
const (
	// AgendaClearance: one's own clearance expires within six months, or has expired and was not renewed (A17.1:
	// five years for TRES SECRET, ten for the others, counted from issue; renewal needs a new investigation).
	AgendaClearance AgendaKind = "clearance"
	// AgendaReview: a piece one classified, or whose originator one acts for (A5.2), is due for review within
	// ReviewNotice or overdue (A3.2: classified only for the time necessary).
	AgendaReview AgendaKind = "review"
	// AgendaGrant: one's need-to-know of a piece or a dossier ends within GrantNotice (A9.1).
	AgendaGrant AgendaKind = "grant"
	// AgendaToken: one's API token expires within TokenNotice (docs/accounts.md).
	AgendaToken AgendaKind = "token"
	// AgendaSession: one's account is signed in at another terminal: a security hint, to end that session if it
	// is not one's own (docs/accounts.md).
	AgendaSession AgendaKind = "session"
	// AgendaLockedAccount: an account is locked out after failed sign-ins (administrators, docs/accounts.md).
	AgendaLockedAccount AgendaKind = "locked_account"
	// AgendaHolderClearance: the clearance of a person one answers for expires within six months (A17.1): the
	// staff of the organisations one is security officer of, who requests the renewal's investigation (A25.1), or
	// anyone for an NSA officer, who keeps the register (A20.1).
	AgendaHolderClearance AgendaKind = "holder_clearance"
	// Issue 18 (agenda_copies.go). AgendaCopyRequest: a request for one's consent to copy a piece one classified, or
	// whose originator one acts for, waits (A9.4, A5.2). AgendaInventoryMissing: an inventory of an organisation
	// one answers for found pieces or copies missing, a possible compromise (A13.1).
	AgendaCopyRequest      AgendaKind = "copy_request"
	AgendaInventoryMissing AgendaKind = "inventory_missing"
	// AgendaDestruction: a destruction report of one's organisation awaits one's countersignature as security
	// officer (A10.2): the piece is not destroyed until one signs.
	AgendaDestruction AgendaKind = "destruction"
	// Issue 19 (agenda_transmissions.go). AgendaReceipt: a piece sent to one (or to an organisation one is security
	// officer of) waits for one to confirm its receipt (A11.2). AgendaReceiptPending: a piece one sent has had no
	// confirmed receipt for the delay the service sets (A11.2).
	AgendaReceipt        AgendaKind = "receipt"
	AgendaReceiptPending AgendaKind = "receipt_pending"
	// AgendaUncleared: a person of an organisation one answers for is assigned to a post or a classified contract
	// without a valid clearance at the level it requires, and is not exempt (A14.1, package vetting).
	AgendaUncleared AgendaKind = "uncleared"
	// AgendaIncident: one was warned of a security incident and has not acknowledged it (A13.1, A13.2).
	AgendaIncident AgendaKind = "incident"
	// AgendaVettingClosed: a vetting case of a person of an organisation one is security officer of closed refused
	// for non-cooperation: the procedure it was opened for ends (A26.1, package vetting).
	AgendaVettingClosed AgendaKind = "vetting_closed"
	// AgendaVettingQuestionnaire: one's own vetting case waits for one's questionnaire and consent, due at its
	// deadline (A25.1, A26.1).
	AgendaVettingQuestionnaire AgendaKind = "vetting_questionnaire"
	// AgendaVettingDecision: the decision on a vetting case of a person of an organisation one is security officer
	// of waits to be notified to him (A27.1, package vetting, decisions.go).
	AgendaVettingDecision AgendaKind = "vetting_decision"
	// AgendaVettingDecide: a vetting case waits for the deciding authority's decision, its investigation completed
	// (A27.1, A15.2; package vetting, decisions.go).
	AgendaVettingDecide AgendaKind = "vetting_decide"
	// AgendaRenewal: the clearance of a person of an organisation one is security officer of has reached 12, 6 or
	// 3 months before its expiry and no renewal case of his is open: one opens it (A17.1, A25.1; renewal.go).
	AgendaRenewal AgendaKind = "renewal"
	// AgendaVettingFileRequest: a person refused or withdrawn asked the commission in writing to see his file; the
	// NSA, the commission's secretariat, prepares it (A28.1; investigation.go).
	AgendaVettingFileRequest AgendaKind = "vetting_file_request"
	// Issue 20, the commission (A27.4, commission.go): a case referred to the commission waits for its opinion (its
	// members); a request of the commission for information waits for the NSA's answer (NSA officers); the
	// commission's opinion on a case waits for the decision (the deciding authority, A27.1).
	AgendaCommissionCase    AgendaKind = "commission_case"
	AgendaCommissionRequest AgendaKind = "commission_request"
	AgendaCommissionOpinion AgendaKind = "commission_opinion"
	// Briefings (A18.1; briefing.go). AgendaBriefing: a clearance of a person of an organisation one is security
	// officer of awaits its first briefing and declaration, or its re-briefing is overdue: one records the briefing.
	// AgendaDeclaration: one's own clearance awaits one's briefing or one's signed declaration, or one's re-briefing
	// is overdue. AgendaCircumstance: for an NSA officer, a holder's report of a change of his circumstances that no
	// one at the NSA took up yet.
	AgendaBriefing     AgendaKind = "briefing"
	AgendaDeclaration  AgendaKind = "declaration"
	AgendaCircumstance AgendaKind = "circumstance"
)

// Notice periods: how long before its due date an item appears. Clearances appear six calendar months ahead (see
// AgendaHorizon).
const (
	ReviewNotice = 30 * 24 * time.Hour
	GrantNotice  = 14 * 24 * time.Hour
	TokenNotice  = 14 * 24 * time.Hour
)

// The articles behind each kind of item. Items of the accounts have no article of the law: they name the rule of
// the accounts (see docs/accounts.md), AUTH.* as the sign-in's refusals do.
var agendaArticle = map[AgendaKind]string{
	AgendaClearance:       "A17.1",
	AgendaReview:          "A3.2",
	AgendaGrant:           "A9.1",
	AgendaToken:           "AUTH.TOKEN",
	AgendaSession:         "AUTH.SESSION",
	AgendaLockedAccount:   "AUTH.LOCKOUT",
	AgendaHolderClearance: "A17.1",
	// Issue 18.
	AgendaCopyRequest:      "A9.4",
	AgendaInventoryMissing: "A13.1",
	AgendaDestruction:      "A10.2",
	// Issue 19.
	AgendaReceipt:              "A11.2",
	AgendaReceiptPending:       "A11.2",
	AgendaUncleared:            "A14.1",
	AgendaIncident:             "A13.1",
	AgendaVettingClosed:        "A26.1",
	AgendaVettingQuestionnaire: "A25.1",
	AgendaVettingDecision:      "A27.1",
	AgendaVettingDecide:        "A27.1",
	AgendaRenewal:              "A17.1",
	AgendaVettingFileRequest:   "A28.1",
	AgendaCommissionCase:       "A27.4",
	AgendaCommissionRequest:    "A27.4",
	AgendaCommissionOpinion:    "A27.2",
	AgendaBriefing:             "A18.1",
	AgendaDeclaration:          "A18.1",
	AgendaCircumstance:         "A18.1",
}

// AgendaHorizon returns the end of the notice period of kind k seen from t: an item of that kind appears when it
// is due before the horizon. Sessions and locks are shown while they last: their horizon is t.
func AgendaHorizon(k AgendaKind, t time.Time) time.Time {
	switch k {
	case AgendaClearance, AgendaHolderClearance:
		return t.AddDate(0, 6, 0)
	case AgendaReview:
		return t.Add(ReviewNotice)
	case AgendaGrant:
		return t.Add(GrantNotice)
	case AgendaToken:
		return t.Add(TokenNotice)
	}
	return t
}

// AgendaItem is one thing that needs the person's action: its kind, the article behind it, when it is due, and
// what it is about (the fields its kind names; the others are nil).
type AgendaItem struct {
	Kind AgendaKind
	// Article is the requirement ID that makes the item due ("A17.1", "A3.2", "A9.1"), or for an item of the
	// accounts the rule of the accounts ("AUTH.TOKEN", "AUTH.SESSION", "AUTH.LOCKOUT"), which is no article of the law.
	Article string
	// Due is when the clearance expires, the review falls due, the need-to-know ends, the token or the session
	// ends, the lock is lifted.
	Due time.Time
	// Overdue is set when Due has passed: an expired clearance, a review date gone by.
	Overdue bool

	Clearance *cleared.Clearance // AgendaClearance, AgendaHolderClearance
	Person    *cleared.Person    // AgendaHolderClearance: the holder
	Piece     *cleared.Piece     // AgendaReview; AgendaGrant on a piece
	Dossier   *cleared.Dossier   // AgendaGrant on a dossier
	Token     *cleared.Token     // AgendaToken
	Session   *cleared.Session   // AgendaSession
	Account   *cleared.Account   // AgendaLockedAccount
	// Issue 18: AgendaCopyRequest (with its Piece), AgendaInventoryMissing.
	CopyRequest *cleared.CopyRequest
	Inventory   *cleared.Inventory
	// Destruction is the destruction awaiting the countersignature (AgendaDestruction).
	Destruction *cleared.Destruction
	// Transmission is the transmission whose receipt is awaited (AgendaReceipt, AgendaReceiptPending; issue 19).
	Transmission *cleared.Transmission
	// Assignment is the assignment of Person that lacks its clearance (AgendaUncleared).
	Assignment *cleared.Assignment
	// Incident is the incident one was warned of (AgendaIncident); Article is its kind's rule.
	Incident *cleared.Incident
	// VettingCase is the case closed for non-cooperation (AgendaVettingClosed): its record, never its answers.
	VettingCase *cleared.VettingCase
	// Briefing is the briefing of Clearance that waits for the holder's declaration (AgendaBriefing,
	// AgendaDeclaration), nil if none is recorded yet; Circumstance the report to take up (AgendaCircumstance),
	// its record, never what changed.
	Briefing     *cleared.Briefing
	Circumstance *cleared.CircumstanceReport
}

// object is the ID of what the item is about, which orders items due at the same time.
func (it AgendaItem) object() string {
	switch {
	case it.CopyRequest != nil:
		return string(it.CopyRequest.ID)
	case it.Inventory != nil:
		return string(it.Inventory.ID)
	case it.Piece != nil:
		return string(it.Piece.ID)
	case it.Dossier != nil:
		return string(it.Dossier.ID)
	case it.Clearance != nil:
		return string(it.Clearance.ID)
	case it.Token != nil:
		return string(it.Token.ID)
	case it.Session != nil:
		return string(it.Session.ID)
	case it.Account != nil:
		return string(it.Account.ID)
	case it.Destruction != nil:
		return string(it.Destruction.ID)
	case it.Transmission != nil:
		return string(it.Transmission.ID)
	case it.Assignment != nil:
		return string(it.Assignment.ID)
	case it.Incident != nil:
		return string(it.Incident.ID)
	case it.Circumstance != nil:
		return string(it.Circumstance.ID)
	}
	return ""
}

// DestructionItems are the destructions awaiting the reader's countersignature (A10.2), due since they were
// recorded: the caller has decided with Countersigner that he may countersign each.
func DestructionItems(ds []cleared.Destruction) []AgendaItem {
	var out []AgendaItem
	for i := range ds {
		out = append(out, AgendaItem{Kind: AgendaDestruction, Article: agendaArticle[AgendaDestruction], Due: ds[i].Created,
			Destruction: &ds[i]})
	}
	return out
}

// IncidentItems are the incidents the reader was warned of and has not acknowledged, due since the warning (A13.1,
// A13.2): the caller loaded them with his warnings (warned[i] is when incidents[i]'s first unacknowledged one was
// given).
func IncidentItems(incidents []cleared.Incident, warned []time.Time) []AgendaItem {
	var out []AgendaItem
	for i := range incidents {
		out = append(out, AgendaItem{Kind: AgendaIncident, Article: incidents[i].Kind.Rule(), Due: warned[i], Overdue: true,
			Incident: &incidents[i]})
	}
	return out
}

// AgendaFacts is what the agenda is computed from. The service loads it in one read transaction; candidates may
// be wider than what is due (Agenda decides), never narrower.
type AgendaFacts struct {
	// Person is the actor; Subject the same person as access decisions see him: his clearances (every one,
	// whatever its status), his grants in force, his terminal.
	Person  cleared.Person
	Subject *Subject
	// Terminal is the terminal the actor acts from ("" for none), which tells his other sessions apart.
	Terminal cleared.TerminalID
	// Authorities are the classifying authorities the actor holds in office.
	Authorities []cleared.AuthorityID
	// Reviews are pieces whose review may be due, each with who may act for its originator.
	Reviews []ReviewFact
	// Grants are the actor's grants that may end soon, each with what it is on.
	Grants []GrantFact
	// Tokens are the actor's API tokens.
	Tokens []cleared.Token
	// Sessions are the sessions of the actor's account that are open (account.SessionOpen at their own terminal).
	Sessions []cleared.Session
	// Accounts are accounts that may be locked out, for an administrator.
	Accounts []cleared.Account
	// OfficerOf lists the organisations the actor is security officer of at the time of the agenda.
	OfficerOf []cleared.OrganisationID
	// Holders are persons whose clearances may be expiring, each with every clearance he holds or held.
	Holders []Holder
}

// ReviewFact is a piece whose review may be due: the piece, its access target (with its dossier), and the
// authorities that may act for its originator (ActsFor, A5.2).
type ReviewFact struct {
	Piece   cleared.Piece
	Target  Target
	ActsFor []cleared.AuthorityID
}

// GrantFact is a grant of the actor with what it is on: a piece (and the target of the piece in its dossier) or a
// dossier (whose target is the dossier at its level).
type GrantFact struct {
	Grant   cleared.Grant
	Target  Target
	Piece   *cleared.Piece
	Dossier *cleared.Dossier
}

// Holder is a person with his clearances.
type Holder struct {
	Person     cleared.Person
	Clearances []cleared.Clearance
}

// AgendaReader is who reads the agenda, as every source of it sees him: the person, his subject (every clearance
// whatever its status, his grants in force, his terminal) and the terminal he acts from ("" for none).
type AgendaReader struct {
	Person   cleared.Person
	Subject  *Subject
	Terminal cleared.TerminalID
}

// subject is the reader's subject, an empty one if none was loaded (no clearance, no grant).
func (r AgendaReader) subject() *Subject {
	if r.Subject == nil {
		return &Subject{Person: r.Person.ID}
	}
	return r.Subject
}

// agendaItem completes it as every item is: the article of its kind, and overdue once its due date is not after t.
func agendaItem(it AgendaItem, t time.Time) AgendaItem {
	it.Article = agendaArticle[it.Kind]
	it.Overdue = it.Overdue || !it.Due.After(t)
	return it
}

// Agenda returns what needs the actor's action at t, soonest due first, so overdue items come first; items due
// at the same time are ordered by kind and object. It is the items of every source (ClearanceItems, PieceItems,
// AccountItems, LockedAccountItems, HolderItems), each of which a service computes from the facts it keeps; a
// service assembles them in one read, the way this function does from facts loaded at once.
//
// Facts that do not match what they claim (a grant of another person, a target of another piece) give no item.
func Agenda(f AgendaFacts, t time.Time) []AgendaItem {
	r := AgendaReader{Person: f.Person, Subject: f.Subject, Terminal: f.Terminal}
	items := ClearanceItems(r, t)
	items = append(items, PieceItems(r, f.Authorities, f.Reviews, f.Grants, t)...)
	items = append(items, AccountItems(r, f.Tokens, f.Sessions, t)...)
	items = append(items, LockedAccountItems(r, f.Accounts, t)...)
	items = append(items, HolderItems(r, f.OfficerOf, f.Holders, t)...)
	SortAgenda(items)
	return items
}

// SortAgenda orders items soonest due first; items due at the same time by kind, then by what they are about.
func SortAgenda(items []AgendaItem) {
	slices.SortStableFunc(items, func(a, b AgendaItem) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.object(), b.object()))
	})
}

// ClearanceItems are the reader's own clearances that expire before six months from t or have expired, unless a
// later clearance replaced them (A17.1); a withdrawn or suspended clearance is a decision (A27.1), not a renewal
// to prepare.
func ClearanceItems(r AgendaReader, t time.Time) []AgendaItem {
	sub, me := r.subject(), r.Person.ID
	by := AgendaHorizon(AgendaClearance, t)
	var items []AgendaItem
	for _, c := range sub.Clearances {
		if c.HolderKind != cleared.HolderPerson || c.PersonID != me || superseded(c, sub.Clearances) {
			continue
		}
		if c.Status != cleared.ClearanceActive && c.Status != cleared.ClearanceExpired || !c.Level.Classified() {
			continue
		}
		e := expiry(c)
		if e.Before(by) || c.Status == cleared.ClearanceExpired {
			c.Status = ClearanceStatus(c, t)
			items = append(items, agendaItem(AgendaItem{Kind: AgendaClearance, Due: e, Overdue: c.Status == cleared.ClearanceExpired, Clearance: &c}, t))
		}
	}
	return items
}

// PieceItems are the pieces due for review before ReviewNotice from t, or overdue, whose originator is one of
// authorities (those the reader holds in office) or one they act for (A3.2, A5.2), still classified, not
// destroyed, and that he may know exist (A9.1); and the pieces and dossiers whose need-to-know he loses before
// GrantNotice from t, following his grants from one to the next (A9.1), that he may know, unless the piece is
// already listed for review.
func PieceItems(r AgendaReader, authorities []cleared.AuthorityID, reviews []ReviewFact, grants []GrantFact, t time.Time) []AgendaItem {
	sub, me := r.subject(), r.Person.ID
	var items []AgendaItem
	by := AgendaHorizon(AgendaReview, t)
	reviewed := map[cleared.PieceID]bool{}
	for _, rv := range reviews {
		p := rv.Piece
		switch {
		case reviewed[p.ID], rv.Target.Piece != p.ID, !p.Destroyed.IsZero(), !p.Level.Classified(), !p.ReviewOn.Before(by):
			// A declassified piece has no classification left to review (A3.2, A7.2).
			continue
		case !slices.ContainsFunc(authorities, func(a cleared.AuthorityID) bool { return actingFor(a, rv.ActsFor) }):
			continue
		}
		shown, withhold := Describe(sub, rv.Target, t)
		if !shown.Allowed {
			continue
		}
		if withhold {
			p = p.WithholdTitle()
		}
		reviewed[p.ID] = true
		items = append(items, agendaItem(AgendaItem{Kind: AgendaReview, Due: p.ReviewOn, Piece: &p}, t))
	}

	by = AgendaHorizon(AgendaGrant, t)
	ending := map[string]bool{}
	for _, g := range grants {
		gr := g.Grant
		switch {
		case gr.PersonID != me || !gr.ActiveAt(t):
			continue
		case gr.Piece != "" && (g.Piece == nil || g.Piece.ID != gr.Piece || g.Target.Piece != gr.Piece || !g.Piece.Destroyed.IsZero()):
			continue
		case gr.Dossier != "" && (g.Dossier == nil || g.Dossier.ID != gr.Dossier || g.Target.Piece != "" || g.Target.Dossier != gr.Dossier):
			continue
		case gr.Piece == "" && gr.Dossier == "", ending[string(gr.Piece)+string(gr.Dossier)], reviewed[gr.Piece]:
			continue
		}
		shown, withhold := Describe(sub, g.Target, t)
		if !shown.Allowed {
			continue
		}
		end := sub.Grants.needUntil(g.Target, t)
		if !end.Before(by) {
			continue
		}
		ending[string(gr.Piece)+string(gr.Dossier)] = true
		it := AgendaItem{Kind: AgendaGrant, Due: end, Piece: g.Piece, Dossier: g.Dossier}
		if withhold && it.Piece != nil {
			p := it.Piece.WithholdTitle()
			it.Piece = &p
		}
		items = append(items, agendaItem(it, t))
	}
	return items
}

// AccountItems are the reader's API tokens that expire before TokenNotice from t, and his sessions open at
// another terminal than the one he reads from.
func AccountItems(r AgendaReader, tokens []cleared.Token, sessions []cleared.Session, t time.Time) []AgendaItem {
	me := r.Person.ID
	by := AgendaHorizon(AgendaToken, t)
	var items []AgendaItem
	for _, k := range tokens {
		if k.PersonID == me && (k.Revoked.IsZero() || t.Before(k.Revoked)) && k.Expires.After(t) && k.Expires.Before(by) {
			items = append(items, agendaItem(AgendaItem{Kind: AgendaToken, Due: k.Expires, Token: &k}, t))
		}
	}
	for _, x := range sessions {
		if x.PersonID == me && x.Stage == cleared.StageActive && x.Terminal != r.Terminal &&
			(x.Revoked.IsZero() || t.Before(x.Revoked)) && x.Expires.After(t) {
			items = append(items, agendaItem(AgendaItem{Kind: AgendaSession, Due: x.Expires, Session: &x}, t))
		}
	}
	return items
}

// LockedAccountItems are, for an administrator, the accounts locked out at t and not disabled; nothing for anyone
// else.
func LockedAccountItems(r AgendaReader, accounts []cleared.Account, t time.Time) []AgendaItem {
	if !r.Person.HasRole(cleared.RoleAdmin) {
		return nil
	}
	var items []AgendaItem
	for _, a := range accounts {
		if t.Before(a.LockedUntil) && (a.Disabled.IsZero() || t.Before(a.Disabled)) {
			items = append(items, agendaItem(AgendaItem{Kind: AgendaLockedAccount, Due: a.LockedUntil, Account: &a}, t))
		}
	}
	return items
}

// HolderItems are, for a security officer, the clearances of the staff of officerOf (the organisations he is
// security officer of at t), and for an NSA officer entitled to keep the register (NSARegister), those of anyone,
// that expire between t and six months from t, unless replaced (A17.1): only those of persons whose file he may
// read (A23.1).
func HolderItems(r AgendaReader, officerOf []cleared.OrganisationID, holders []Holder, t time.Time) []AgendaItem {
	sub, me := r.subject(), r.Person.ID
	by := AgendaHorizon(AgendaHolderClearance, t)
	nsa := NSARegister(r.Person, sub.Clearances, t).Allowed
	var items []AgendaItem
	for _, h := range holders {
		p := h.Person
		if p.ID == me || !nsa && !slices.Contains(officerOf, p.OrganisationID) {
			continue
		}
		for _, c := range h.Clearances {
			if c.HolderKind != cleared.HolderPerson || c.PersonID != p.ID || c.Status != cleared.ClearanceActive ||
				!c.Level.Classified() || superseded(c, h.Clearances) {
				continue
			}
			if e := expiry(c); !e.Before(t) && e.Before(by) {
				items = append(items, agendaItem(AgendaItem{Kind: AgendaHolderClearance, Due: e, Clearance: &c, Person: &p}, t))
			}
		}
	}
	return items
}

// superseded reports whether a later clearance of the same holder, among all, replaced c: renewed, or decided
// otherwise since. The latest record is the one that answers for the holder.
func superseded(c cleared.Clearance, all []cleared.Clearance) bool {
	for _, o := range all {
		if o.ID != c.ID && o.HolderKind == c.HolderKind && o.PersonID == c.PersonID && o.OrganisationID == c.OrganisationID &&
			o.Issued.After(c.Issued) {
			return true
		}
	}
	return false
}

// needUntil returns when the need-to-know the set gives on target at t ends: the end of a grant in force at t on
// the piece or on its dossier, carried on by any grant that starts before the previous one ends. It is t if no
// grant covers the target at t. Whether the clearance reaches the target is Know's matter, not this one's.
func (s *GrantSet) needUntil(tg Target, t time.Time) time.Time {
	if s == nil {
		return t
	}
	var spans []span
	if tg.Piece != "" {
		spans = append(spans, s.pieces[tg.Piece]...)
	}
	if tg.Dossier != "" {
		spans = append(spans, s.dossiers[tg.Dossier]...)
	}
	end := t.UnixNano()
	if !covers(spans, end) {
		return t
	}
	for moved := true; moved; {
		moved = false
		for _, sp := range spans {
			if sp.from <= end && sp.until > end {
				end, moved = sp.until, true
			}
		}
	}
	return time.Unix(0, end).UTC()
}
