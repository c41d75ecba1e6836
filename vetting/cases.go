package vetting

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/sign"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Intake (Art. 20, 25, 26): the security officer of the person's organisation opens a case for a post or a
// contract, at its level (A16.1, A25.1); a case a foreign NSA or an international organisation asks for is opened
// by the NSA with its origin recorded (A20.1). The person fills in the questionnaire section by section, each saved
// as a draft sealed under the case's own data key (A23.1), pre-filled from his earlier case; he signs it and the
// consent (A25.1, A25.2; a follow-up of a holder needs no consent but cites its trigger). The security officer sees
// the stage, never the answers. A person who refuses, or lets the deadline pass, closes the case refused for
// non-cooperation, and his organisation's security officers are told that the procedure ends (A26.1).

// DefaultCaseDeadline is how long the person has for the questionnaire and consent when the opening sets none.
const DefaultCaseDeadline = 30 * 24 * time.Hour

// maxOverdue bounds the cases one CloseOverdue closes; the next run takes the rest.
const maxOverdue = 200

// NewCase is the input of OpenCase: a person, exactly one of a post and a contract, the origin (national unless
// said; a foreign one names the requesting body and its reference), the kind (initial unless said; a follow-up
// cites its trigger) and the deadline (DefaultCaseDeadline from now if zero).
type NewCase struct {
	PersonID         cleared.PersonID   `json:"person_id"`
	Post             cleared.PostID     `json:"post,omitempty"`
	Contract         cleared.ContractID `json:"contract,omitempty"`
	Origin           cleared.CaseOrigin `json:"origin,omitempty"`
	ForeignBody      string             `json:"foreign_body,omitempty"`
	ForeignReference string             `json:"foreign_reference,omitempty"`
	Kind             cleared.CaseKind   `json:"kind,omitempty"`
	Trigger          string             `json:"trigger,omitempty"`
	Deadline         time.Time          `json:"deadline,omitzero"`
}

func (in *NewCase) validate(now time.Time) error {
	if err := in.PersonID.Validate(); err != nil {
		return err
	}
	switch {
	case (in.Post == "") == (in.Contract == ""):
		return cleared.Invalidf("a case names exactly one of post and contract (A16.1: the level comes from it)")
	case in.Post != "":
		if err := in.Post.Validate(); err != nil {
			return err
		}
	default:
		if err := in.Contract.Validate(); err != nil {
			return err
		}
	}
	if in.Origin == "" {
		in.Origin = cleared.OriginNational
	}
	if in.Kind == "" {
		in.Kind = cleared.KindInitial
	}
	if !in.Origin.Valid() {
		return cleared.Invalidf("origin is one of national, foreign_nsa, international (A20.1)")
	}
	if !in.Kind.Valid() {
		return cleared.Invalidf("kind is one of initial, renewal, follow_up")
	}
	if in.Origin.Foreign() {
		if err := cleared.CheckLine("foreign_body", in.ForeignBody, 1, maxName); err != nil {
			return err
		}
		if err := cleared.CheckLine("foreign_reference", in.ForeignReference, 1, maxName); err != nil {
			return err
		}
	} else if in.ForeignBody != "" || in.ForeignReference != "" {
		return cleared.Invalidf("a national case names no foreign body or reference (A20.1)")
	}
	if in.Kind == cleared.KindFollowUp {
		if err := cleared.CheckText("trigger", in.Trigger, 1, maxAnswer); err != nil {
			return fmt.Errorf("%w (A25.2: a follow-up cites the information that triggered it)", err)
		}
	} else if in.Trigger != "" {
		return cleared.Invalidf("only a follow-up investigation cites a trigger (A25.2)")
	}
	if in.Deadline.IsZero() {
		in.Deadline = now.Add(DefaultCaseDeadline)
	}
	in.Deadline = in.Deadline.UTC().Truncate(time.Microsecond)
	return nil
}

// CaseView is a case as its reader may see it: the record, and for the person under vetting only the sections he
// saved, those offered from his earlier case (Prefill), and those still missing. For a security officer or the NSA
// (Full false) the three are empty: the answers are not theirs to read (A25.1, A23.1).
type CaseView struct {
	cleared.VettingCase
	Full    bool                        `json:"full"`
	Answers map[Section]json.RawMessage `json:"answers,omitempty"`
	Prefill map[Section]json.RawMessage `json:"prefill,omitempty"`
	Missing []Section                   `json:"missing,omitempty"`
	Saved   map[Section]time.Time       `json:"saved,omitempty"`
}

// OpenCase opens a vetting case (A25.1, A20.1, A25.2, A16.1): by the security officer in office of the person's
// organisation for a national case, by the NSA for a foreign one; at the level of the post or contract, which must
// be in force and of the person's organisation; ErrNotFound for a person, post or contract the actor may not know.
func (s *Service) OpenCase(ctx context.Context, a cleared.Actor, in NewCase) (c cleared.VettingCase, err error) {
	defer cleared.Wrap(&err, "open vetting case")
	now := s.clock()
	if err := in.validate(now); err != nil {
		return c, err
	}
	id := cleared.NewVettingCaseID()
	key, err := s.ring.NewDataKey(string(id))
	if err != nil {
		return c, err
	}
	err = s.run.Do(ctx, a, act.VettingCaseOpen, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		p, err := tx.Person(in.PersonID)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(in.PersonID))
		} else if err != nil {
			return err
		}
		if !w.nsa && p.ID != w.me.ID && !policy.SeePosts(w.officerOf, false, p.OrganisationID).Allowed {
			return x.Hide(string(in.PersonID)) // another organisation's staff is not the officer's to know
		}
		tg, object, err := target(tx, w, NewAssignment{Post: in.Post, Contract: in.Contract})
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(object)
		} else if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(p.ID)
		if err != nil {
			return err
		}
		open, err := tx.VettingCases(store.VettingCaseQuery{Person: p.ID, Open: true, Limit: 1})
		if err != nil {
			return err
		}
		r := policy.CaseRequest{Person: p, Target: tg, Origin: in.Origin, Kind: in.Kind, Trigger: in.Trigger,
			Clearances: cs, Open: len(open), Deadline: in.Deadline}
		if d := policy.OpenCase(w.officerOf, w.nsa, r, now); !d.Allowed {
			return x.Deny(string(p.ID), d)
		}
		c = cleared.VettingCase{ID: id, PersonID: p.ID, OrganisationID: p.OrganisationID, Post: in.Post,
			Contract: in.Contract, Level: tg.Level, Origin: in.Origin, ForeignBody: in.ForeignBody,
			ForeignReference: in.ForeignReference, Kind: in.Kind, Trigger: in.Trigger, Stage: cleared.StageOpened,
			Deadline: in.Deadline, OpenedBy: w.me.ID, Opened: now, Updated: now}
		x.Object, x.Payload = string(c.ID), c
		return tx.CreateVettingCase(c, store.CaseKey{KEK: key.KEK, Wrapped: key.Wrapped})
	})
	return c, err
}

// loadCase reads case id with what the actor may see of it, hiding it (ErrNotFound) from who may not know it.
func loadCase(tx store.Tx, x *act.Act, w who, id cleared.VettingCaseID) (cleared.VettingCase, policy.CaseSight, error) {
	c, err := tx.VettingCase(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return c, policy.SightNone, x.Hide(string(id))
	} else if err != nil {
		return c, policy.SightNone, err
	}
	sight, d := policy.SeeCase(w.me.ID, w.officerOf, w.nsa, c)
	if !d.Allowed {
		return c, sight, x.Deny(string(id), d)
	}
	x.Object = string(id)
	return c, sight, nil
}

// Case reads case id: everything, answers included, for the person under vetting; the record and its stage for
// his organisation's security officer and the NSA (A25.1); ErrNotFound for anyone else.
func (s *Service) Case(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (v CaseView, err error) {
	defer cleared.Wrap(&err, "read vetting case")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingCaseRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, sight, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		if c, err = untold(tx, w.me.ID, c); err != nil { // issue 20 §6: a decision is told him once notified (A27.1)
			return err
		}
		v, err = s.view(tx, c, sight)
		return err
	})
	return v, err
}

// view completes c for a reader who sees it as sight says.
func (s *Service) view(tx store.Tx, c cleared.VettingCase, sight policy.CaseSight) (CaseView, error) {
	v := CaseView{VettingCase: c}
	if sight != policy.SightFull {
		return v, nil
	}
	v.Full = true
	answers, saved, err := s.answers(tx, c.ID)
	if err != nil {
		return v, err
	}
	v.Answers, v.Saved = answers, saved
	for _, sec := range Sections {
		if _, ok := answers[sec]; !ok {
			v.Missing = append(v.Missing, sec)
		}
	}
	if len(v.Missing) > 0 && c.Signed.IsZero() {
		v.Prefill, err = s.prefill(tx, c, v.Missing)
	}
	return v, err
}

// answers opens the saved sections of case id.
func (s *Service) answers(tx store.Tx, id cleared.VettingCaseID) (map[Section]json.RawMessage, map[Section]time.Time, error) {
	as, err := tx.VettingAnswers(id)
	if err != nil || len(as) == 0 {
		return map[Section]json.RawMessage{}, map[Section]time.Time{}, err
	}
	k, err := tx.VettingCaseKey(id)
	if err != nil {
		return nil, nil, err
	}
	out, saved := map[Section]json.RawMessage{}, map[Section]time.Time{}
	for _, a := range as {
		pt, err := s.ring.OpenRecord(string(id), keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}, a.Section, a.Ciphertext)
		if err != nil {
			return nil, nil, err
		}
		out[Section(a.Section)], saved[Section(a.Section)] = pt, a.Updated
	}
	return out, saved, nil
}

// prefill offers, for each section missing, the answers of the person's latest earlier case that has them: he
// checks and saves them again (nothing is copied without him).
func (s *Service) prefill(tx store.Tx, c cleared.VettingCase, missing []Section) (map[Section]json.RawMessage, error) {
	earlier, err := tx.VettingCases(store.VettingCaseQuery{Person: c.PersonID, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	out := map[Section]json.RawMessage{}
	for i := len(earlier) - 1; i >= 0 && len(out) < len(missing); i-- {
		e := earlier[i]
		if e.ID == c.ID || e.Opened.After(c.Opened) {
			continue
		}
		as, _, err := s.answers(tx, e.ID)
		if errors.Is(err, keyring.ErrKeyDestroyed) {
			continue // erased (A23.2): nothing to offer
		} else if err != nil {
			return nil, err
		}
		for _, sec := range missing {
			if _, done := out[sec]; !done && as[sec] != nil {
				out[sec] = as[sec]
			}
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// CaseFilter selects the cases Cases lists: of one organisation the actor answers for (all of his if empty), only
// open ones if Open.
type CaseFilter struct {
	Organisation cleared.OrganisationID
	Open         bool
	Limit        int
}

// Cases lists the cases the actor may see: his own, those of the organisations he is security officer of (any
// for the NSA), each as a record with its stage, never the answers (A25.1).
func (s *Service) Cases(ctx context.Context, a cleared.Actor, f CaseFilter) (out []cleared.VettingCase, err error) {
	defer cleared.Wrap(&err, "list vetting cases")
	if f.Organisation != "" {
		if err := f.Organisation.Validate(); err != nil {
			return nil, err
		}
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingCaseList, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		out = []cleared.VettingCase{}
		seen := map[cleared.VettingCaseID]bool{}
		add := func(q store.VettingCaseQuery) error {
			q.Open, q.Limit, q.Holder = f.Open, page(f.Limit), cleared.HolderPerson // facility cases: FacilityCases
			l, err := tx.VettingCases(q)
			for _, c := range l {
				if !seen[c.ID] {
					seen[c.ID] = true
					if c, err = untold(tx, w.me.ID, c); err != nil { // issue 20 §6 (A27.1)
						return err
					}
					out = append(out, c)
				}
			}
			return err
		}
		if f.Organisation == "" {
			if err := add(store.VettingCaseQuery{Person: w.me.ID}); err != nil {
				return err
			}
		}
		for _, o := range scope(w, f.Organisation) {
			if err := add(store.VettingCaseQuery{Organisation: o}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// personStep runs one step of the person under vetting on case id, as the policy allows it (A25.1, A25.2,
// A26.1): fn changes the case (and may store), then the case is stored with its stage and returned as he sees it.
func (s *Service) personStep(ctx context.Context, a cleared.Actor, name act.Name, id cleared.VettingCaseID, step policy.CaseStep,
	fn func(tx store.Tx, x *act.Act, c *cleared.VettingCase, v CaseView, now time.Time) error) (v CaseView, err error) {
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, name, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, sight, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		cur, err := s.view(tx, c, sight)
		if err != nil {
			return err
		}
		if d := policy.PersonStep(w.me.ID, c, step, len(cur.Missing) == 0, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if err := fn(tx, x, &c, cur, now); err != nil {
			return err
		}
		c.Updated = now
		switch {
		case c.Stage.Closed():
		case policy.IntakeDone(c):
			c.Stage = cleared.StageSigned
		default:
			c.Stage = cleared.StageQuestionnaire
		}
		if err := tx.UpdateVettingCase(c); err != nil {
			return err
		}
		v, err = s.view(tx, c, policy.SightFull)
		return err
	})
	return v, err
}

// SaveSection saves a section of the questionnaire as a draft (A25.1): by the person under vetting, before the
// deadline and the signature; the answers checked strictly (the law's categories only, A21.1) and sealed under
// the case's key. The audit entry names the section, never the answers.
func (s *Service) SaveSection(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, sec Section, data []byte) (v CaseView, err error) {
	defer cleared.Wrap(&err, "save questionnaire section")
	canonical, err := parseSection(sec, data, s.clock())
	if err != nil {
		return v, err
	}
	return s.personStep(ctx, a, act.VettingCaseSection, id, policy.StepDraft, func(tx store.Tx, x *act.Act, c *cleared.VettingCase, _ CaseView, now time.Time) error {
		k, err := tx.VettingCaseKey(c.ID)
		if err != nil {
			return err
		}
		sealed, err := s.ring.SealRecord(string(c.ID), keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}, string(sec), canonical)
		if err != nil {
			return err
		}
		x.Payload = map[string]string{"case": string(c.ID), "section": string(sec)}
		return tx.PutVettingAnswers(store.VettingAnswers{Case: c.ID, Section: string(sec), Ciphertext: sealed, Updated: now})
	})
}

// QuestionnaireDocument is the canonical document of a questionnaire, the bytes the person signs (A25.1): the
// case, then each section's canonical answers in order.
func QuestionnaireDocument(c cleared.VettingCase, answers map[Section]json.RawMessage) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "cleared vetting questionnaire v1\ncase: %s\nperson: %s\nlevel: %s\n", c.ID, c.PersonID, c.Level)
	for _, sec := range Sections {
		fmt.Fprintf(&b, "%s: %s\n", sec, answers[sec])
	}
	return []byte(b.String())
}

// ConsentDocument is the canonical text of the consent the person signs (A25.2).
func ConsentDocument(c cleared.VettingCase) []byte {
	return []byte(fmt.Sprintf("cleared vetting consent v1\ncase: %s\nperson: %s\nlevel: %s\n"+
		"Je consens à l'enquête de sécurité prévue à l'article 25 de la loi du 15 juin 2004 pour l'habilitation "+
		"de sécurité au niveau demandé.\n", c.ID, c.PersonID, c.Level))
}

func digest(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// SignQuestionnaire records the person's signature of his complete questionnaire (A25.1): a detached CMS
// signature by his certificate (cleared's signing service, E2) over the canonical document of his answers
// (QuestionnaireDocument). The audit entry keeps the document's SHA-256, never the answers.
func (s *Service) SignQuestionnaire(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (v CaseView, err error) {
	defer cleared.Wrap(&err, "sign questionnaire")
	return s.personStep(ctx, a, act.VettingCaseSign, id, policy.StepSign, func(tx store.Tx, x *act.Act, c *cleared.VettingCase, cur CaseView, now time.Time) error {
		c.Signed = now
		return s.sign(tx, x, *c, "questionnaire", QuestionnaireDocument(*c, cur.Answers), now)
	})
}

// Consent records the person's signed consent to the investigation (A25.2), signed as the questionnaire is, over
// ConsentDocument; a follow-up needs none.
func (s *Service) Consent(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (v CaseView, err error) {
	defer cleared.Wrap(&err, "consent")
	return s.personStep(ctx, a, act.VettingCaseConsent, id, policy.StepConsent, func(tx store.Tx, x *act.Act, c *cleared.VettingCase, _ CaseView, now time.Time) error {
		c.Consented = now
		return s.sign(tx, x, *c, "consent", ConsentDocument(*c), now)
	})
}

// sign signs doc as the person of case c (the actor: PersonStep allowed only him) and stores the signature.
func (s *Service) sign(tx store.Tx, x *act.Act, c cleared.VettingCase, what string, doc []byte, now time.Time) error {
	if s.signer == nil {
		return cleared.Unavailablef("the signing service is not available")
	}
	p, err := tx.Person(c.PersonID)
	if err != nil {
		return err
	}
	fp, cms, err := s.signer.SignFor(tx, x, p, doc)
	if err != nil {
		return err
	}
	g := store.VettingSignature{Case: c.ID, What: what, Signer: p.ID, Certificate: fp, CMS: cms, Digest: digest(doc), Signed: now}
	x.Payload = map[string]string{"case": string(c.ID), "signed": what, "certificate": fp, "document_sha256": g.Digest}
	return tx.AddVettingSignature(g)
}

// Signatures returns the signatures of case id with the documents they were made over (the questionnaire's holds
// the answers): to the person under vetting only (A25.1, A23.1); ErrNotFound for others. A verifier checks each
// with keyring/sign (or openssl cms -verify) against cleared's signing CA.
func (s *Service) Signatures(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (out []SignedDocument, err error) {
	defer cleared.Wrap(&err, "read vetting case's signatures")
	if err := id.Validate(); err != nil {
		return nil, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingCaseRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, sight, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		if sight != policy.SightFull {
			return x.Hide(string(id))
		}
		gs, err := tx.VettingSignatures(id)
		if err != nil {
			return err
		}
		answers, _, err := s.answers(tx, id)
		if err != nil {
			return err
		}
		roots, err := s.signingRoots()
		if err != nil {
			return err
		}
		out = []SignedDocument{}
		for _, g := range gs {
			doc := ConsentDocument(c)
			if g.What == "questionnaire" {
				doc = QuestionnaireDocument(c, answers)
			}
			d := SignedDocument{What: g.What, Certificate: g.Certificate, Signed: g.Signed, Digest: g.Digest, Document: doc, CMS: g.CMS}
			// Verified as an offline verifier would, over the document rebuilt from the answers now stored: an answer
			// changed since the signature, or a signature by another than the person, does not verify (E2).
			signed, err := sign.Verify(g.CMS, doc, roots, g.Signed)
			switch {
			case err != nil:
				d.Problem = strings.TrimPrefix(err.Error(), sign.ErrBadSignature.Error()+": ")
			case signed.Certificate.Subject.SerialNumber != string(c.PersonID):
				d.Problem = "signed by another than the person under vetting"
			default:
				d.Valid = true
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// signingRoots is the pool of cleared's signing CA.
func (s *Service) signingRoots() (*x509.CertPool, error) {
	if s.signer == nil {
		return nil, cleared.Unavailablef("the signing service is not available")
	}
	caPEM, err := s.signer.SigningCA()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, cleared.Unavailablef("the signing CA's certificate cannot be read")
	}
	return pool, nil
}

// SignedDocument is a signature of a case with the document it was made over.
type SignedDocument struct {
	What        string    `json:"what"`
	Certificate string    `json:"certificate"`
	Signed      time.Time `json:"signed"`
	Digest      string    `json:"document_sha256"`
	Document    []byte    `json:"document"`
	CMS         []byte    `json:"cms"`
	Valid       bool      `json:"valid"`
	Problem     string    `json:"problem,omitempty"`
}

// Refuse records the person's refusal to cooperate (A26.1): the case closes refused for non-cooperation and his
// organisation is told that the procedure ends.
func (s *Service) Refuse(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (v CaseView, err error) {
	defer cleared.Wrap(&err, "refuse to cooperate")
	return s.personStep(ctx, a, act.VettingCaseRefuse, id, policy.StepRefuse, func(tx store.Tx, x *act.Act, c *cleared.VettingCase, _ CaseView, now time.Time) error {
		closeNonCooperation(c, cleared.NonCooperationRefused, now)
		x.Payload = *c
		return s.tellOrganisation(tx, *c, now)
	})
}

func closeNonCooperation(c *cleared.VettingCase, cause string, now time.Time) {
	c.Stage, c.Closed, c.CloseCause = cleared.StageClosedNonCooperation, now, cause
}

// CloseOverdue closes, refused for non-cooperation, the cases whose deadline has come without the signed
// questionnaire and consent (A26.1), and tells their organisations; it returns how many. The server runs it
// periodically, `cleared vetting close-overdue` on demand.
func (s *Service) CloseOverdue(ctx context.Context) (n int, err error) {
	defer cleared.Wrap(&err, "close overdue vetting cases")
	now := s.clock()
	// Read first: a periodic run with nothing due writes nothing, not even an audit entry.
	var due []cleared.VettingCase
	err = s.store.View(ctx, func(tx store.Tx) error {
		due, err = tx.VettingCases(store.VettingCaseQuery{Due: now, Limit: 1})
		return err
	})
	if err != nil || len(due) == 0 {
		return 0, err
	}
	err = s.run.Do(ctx, cleared.Actor{}, act.VettingCaseCloseOverdue, now, func(tx store.Tx, x *act.Act) error {
		n = 0
		due, err := tx.VettingCases(store.VettingCaseQuery{Due: now, Limit: maxOverdue})
		if err != nil {
			return err
		}
		var closed []cleared.VettingCaseID
		for _, c := range due {
			if !policy.Overdue(c, now) {
				continue
			}
			closeNonCooperation(&c, cleared.NonCooperationOverdue, now)
			c.Updated = now
			if err := tx.UpdateVettingCase(c); err != nil {
				return err
			}
			if err := s.tellOrganisation(tx, c, now); err != nil {
				return err
			}
			closed = append(closed, c.ID)
			n++
		}
		x.Payload = map[string]any{"closed": closed}
		return nil
	})
	return n, err
}

// tellOrganisation writes to the outbox, for each security officer in office of the case's organisation with an
// address, that the procedure ends (A26.1). The message names the case, the post and the cause, no answer.
func (s *Service) tellOrganisation(tx store.Tx, c cleared.VettingCase, now time.Time) error {
	sos, err := tx.SecurityOfficers(c.OrganisationID)
	if err != nil {
		return err
	}
	target := string(c.Post)
	if target == "" {
		target = string(c.Contract)
	}
	cause := "la personne a refusé de coopérer / the person refused to cooperate"
	if c.CloseCause == cleared.NonCooperationOverdue {
		cause = "le délai est passé sans questionnaire et consentement signés / the deadline passed without the signed questionnaire and consent"
	}
	body := fmt.Sprintf("Le dossier d'habilitation %s (%s) est clos : refus pour défaut de coopération (art. 26 de la loi du 15 juin 2004), %s.\n"+
		"La procédure de recrutement, de nomination ou de promotion à laquelle il se rapporte prend fin.\n\n"+
		"Vetting case %s (%s) is closed: refused for non-cooperation (Art. 26), %s. The recruitment, appointment or promotion procedure it was opened for ends.\n",
		c.ID, target, cause, c.ID, target, cause)
	for _, so := range sos {
		if !so.ActiveAt(now) {
			continue
		}
		p, err := tx.Person(so.PersonID)
		if err != nil {
			var tampered *store.TamperedError
			if errors.As(err, &tampered) {
				continue // an address that fails its seal is not written to
			}
			return err
		}
		if p.Email == "" {
			continue
		}
		d := cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumEmail, Recipient: p.ID, Address: p.Email,
			Subject: "Habilitation : procédure terminée (art. 26) / Vetting: procedure ended", Body: []byte(body),
			Cause: string(c.ID), Created: now, NextAttempt: now}
		if err := tx.EnqueueDelivery(d); err != nil {
			return err
		}
	}
	return nil
}
