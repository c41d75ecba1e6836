package registry

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring/sign"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// NewDestruction is the input of Destroy.
type NewDestruction struct {
	// Method says how the piece was destroyed ("shredded", "incinerated"); for an electronic piece it defaults to
	// the erasure of its data key, which is what cleared does.
	Method string `json:"method,omitempty"`
	// Copy names a numbered copy; it is destroyed through its own route (DestroyCopy), where it may be repeated.
	Copy string `json:"copy,omitempty"`
}

// methodCryptoShred is the method of an electronic piece's destruction in cleared.
const methodCryptoShred = "data key erased (crypto-shredding): the content is unrecoverable"

// Destroy records the destruction of a piece by its holder (Art. 10 al. 1, A10.1): one who may use it, or the
// custodian of a physical piece (policy.Destroy); a stranger learns nothing (not found). Below SECRET the piece is
// destroyed at once: marked destroyed, its data key erased (crypto-shredding). From SECRET, or lower where a rule
// profile imposes a report (A1.1), a report (procès-verbal) is written and signed by the actor (A10.2, E2): the
// piece counts as destroyed only when a security officer of the holding organisation countersigns it
// (Countersign). A piece destroyed already, or whose destruction awaits its countersignature, is refused with
// cleared.ErrConflict, audited.
func (s *Service) Destroy(ctx context.Context, a cleared.Actor, id cleared.PieceID, in NewDestruction) (d cleared.Destruction, err error) {
	defer cleared.Wrap(&err, "destroy %s", id)
	if err := id.Validate(); err != nil {
		return d, err
	}
	if in.Copy != "" {
		return d, cleared.Invalidf("a numbered copy is destroyed through POST /api/copies/{id}/destruction; this route destroys the piece")
	}
	if in.Method != "" {
		if err := cleared.CheckLine("method", in.Method, 1, maxName); err != nil {
			return d, err
		}
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.DestructionRecord, now, func(tx store.Tx, x *act.Act) error {
		d = cleared.Destruction{}
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		p, tg, err := s.piece(tx, x, id)
		var tampered *store.TamperedError
		if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
			return x.Hide(string(id))
		}
		if err != nil {
			return err
		}
		custodian := p.Kind == cleared.Physical && p.Custodian == me.ID
		pending, err := pendingOf(tx, id, "")
		if err != nil {
			return err
		}
		dec := policy.Destroy(sub, tg, custodian, !p.Destroyed.IsZero(), pending != nil, now)
		if !dec.Allowed && !dec.Hidden && (dec.Rule == "A10.1" || dec.Rule == "A10.2") {
			// A state, not a standing: 409 as for any object in the wrong state, the refusal audited all the same.
			_ = x.Deny(string(id), dec)
			return cleared.Conflictf("%s (%s)", dec.Reason, dec.Rule)
		}
		if !dec.Allowed {
			return x.Deny(string(id), dec)
		}
		out, err := s.outcome(tx, dec, policy.ActionDestroy, p, me.OrganisationID, now)
		if err != nil {
			return err
		}
		if !out.Allowed {
			return x.Deny(string(id), out.Decision)
		}
		if dec := policy.DestroyDuties(out); !dec.Allowed {
			return x.Deny(string(id), dec)
		}
		d = cleared.Destruction{ID: cleared.NewDestructionID(), Piece: p.ID, OrganisationID: p.OrganisationID,
			Level: p.Level, Marking: p.Marking(), Method: in.Method, DestroyedBy: me.ID, Created: now,
			Report: policy.ReportNeeded(p.Level, has(out, policy.DutyDestructionReport))}
		if d.Method == "" {
			if p.Kind != cleared.Electronic {
				return cleared.Invalidf("say how the physical piece was destroyed (method)")
			}
			d.Method = methodCryptoShred
		}
		x.Object = string(id)
		if !d.Report {
			d.Completed = now
			x.Payload = d
			if err := tx.CreateDestruction(d); err != nil {
				return err
			}
			return shred(tx, p, now)
		}
		return s.writeReport(tx, x, &d, p, me)
	})
	return d, err
}

// writeReport writes the report of destruction d of piece p (or of its copy d.Copy) by me, naming d's holding
// organisation, and records d, awaiting its countersignature, with me's signature over the report (A10.2, E2).
func (s *Service) writeReport(tx store.Tx, x *act.Act, d *cleared.Destruction, p cleared.Piece, me cleared.Person) error {
	org, err := tx.Organisation(d.OrganisationID)
	if err != nil {
		return err
	}
	d.Document = ReportDocument(*d, p, org, me)
	x.Payload = *d
	if err := tx.CreateDestruction(*d); err != nil {
		return err
	}
	c, cms, err := s.signAs(tx, x, me, d.Document)
	if err != nil {
		return err
	}
	return tx.AddDestructionSignature(cleared.Signature{Destruction: d.ID, N: 1, Role: cleared.SignerDestroyer,
		Signer: me.ID, Certificate: c.Fingerprint, CMS: cms, Signed: x.Now})
}

// signers lists who signed.
func signers(sigs []cleared.Signature) []cleared.PersonID {
	out := make([]cleared.PersonID, len(sigs))
	for i, g := range sigs {
		out[i] = g.Signer
	}
	return out
}

// pendingOf returns the destruction of a piece (copy empty), or of one of its numbered copies, that awaits its
// countersignature, or nil.
func pendingOf(tx store.Destructions, id cleared.PieceID, copy cleared.CopyID) (*cleared.Destruction, error) {
	ds, err := tx.PieceDestructions(id)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if !d.Done() && d.Copy == string(copy) {
			return &d, nil
		}
	}
	return nil, nil
}

// shred completes a piece's destruction: marked destroyed and, for an electronic piece, its data key erased for
// good (A10.1), so that its ciphertext, here and in every backup, opens for no one. Its metadata stays.
func shred(tx store.Pieces, p cleared.Piece, now time.Time) error {
	if err := tx.MarkPieceDestroyed(p.ID, now); err != nil {
		return err
	}
	if p.Kind != cleared.Electronic {
		return nil
	}
	return tx.DestroyContentKey(p.ID)
}

// ReportFormat opens every destruction report: its version, so that a reader knows the layout of what follows.
const ReportFormat = "cleared destruction report v1"

// ReportDocument writes the report (procès-verbal) of destruction d of piece p, held by org, destroyed by who:
// UTF-8 text, one "name: value" line each, in this order, LF line ends. It is the exact bytes every signature is
// over; it never changes once written.
//
//	cleared destruction report v1
//	Procès-verbal de destruction (loi du 15 juin 2004, art. 10)
//	destruction: dst_…
//	piece: pce_…
//	title: …
//	marking: SECRET LUX
//	kind: electronic
//	organisation: org_… (name)
//	destroyed-by: per_… (name)
//	destroyed-at: 2026-11-23T10:01:00Z
//	method: …
//	countersignature: the security officer of the organisation (A10.2)
func ReportDocument(d cleared.Destruction, p cleared.Piece, org cleared.Organisation, who cleared.Person) []byte {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, oneLine(v)) }
	b.WriteString(ReportFormat + "\n")
	b.WriteString("Procès-verbal de destruction (loi du 15 juin 2004, art. 10)\n")
	line("destruction", string(d.ID))
	line("piece", string(p.ID))
	if d.Copy != "" {
		line("copy", d.Copy)
	}
	line("title", p.Title)
	line("marking", d.Marking)
	line("kind", string(p.Kind))
	line("organisation", string(org.ID)+" ("+org.Name+")")
	line("destroyed-by", string(who.ID)+" ("+who.Name+")")
	line("destroyed-at", d.Created.UTC().Format(time.RFC3339Nano))
	line("method", d.Method)
	line("countersignature", "the security officer of the organisation (A10.2)")
	return []byte(b.String())
}

// oneLine keeps a value on its line: the register's texts are single lines already; this is the report's own
// guarantee.
func oneLine(s string) string { return strings.NewReplacer("\n", " ", "\r", " ").Replace(s) }

// Countersignature is the input of Countersign.
type Countersignature struct {
	// Signature is a detached CMS signature (DER) of the report made outside cleared with a certificate of the
	// organisation's PKI registered to the signer; empty to sign with the certificate cleared holds for him.
	Signature []byte `json:"signature,omitempty"`
}

// Countersign countersigns a destruction report as the security officer of the organisation that holds the piece
// (Art. 10 al. 2, A10.2), with the actor's own signature (E2); the destruction is then complete: the piece marked
// destroyed and its data key erased (A10.1), the record and the report kept. Refused (E2, A10.2, each audited,
// nothing changed): one who is not an officer of that organisation, the one who destroyed the piece, a
// certificate revoked or expired, a signature by another person or over other bytes. One who may not see the
// destruction gets not-found; a destruction complete already is cleared.ErrConflict.
func (s *Service) Countersign(ctx context.Context, a cleared.Actor, id cleared.DestructionID, in Countersignature) (d cleared.Destruction, err error) {
	defer cleared.Wrap(&err, "countersign %s", id)
	if err := id.Validate(); err != nil {
		return d, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.DestructionCountersign, now, func(tx store.Tx, x *act.Act) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		if d, err = s.visibleDestruction(tx, x, sub, me, id); err != nil {
			return err
		}
		officers, err := tx.SecurityOfficers(d.OrganisationID)
		if err != nil {
			return err
		}
		sigs, err := tx.DestructionSignatures(id)
		if err != nil {
			return err
		}
		if d.Report && (len(sigs) == 0 || sigs[0].Signer != d.DestroyedBy) {
			return cleared.Unavailablef("the report's first signature is missing: possible tampering (A13.1)")
		}
		dec := policy.Countersigner(me.ID, d.DestroyedBy, d.OrganisationID, officers, signers(sigs), d.Done() || !d.Report, now)
		if !dec.Allowed && (d.Done() || !d.Report) {
			_ = x.Deny(string(id), dec)
			return cleared.Conflictf("%s (A10.2)", dec.Reason)
		}
		if !dec.Allowed {
			return x.Deny(string(id), dec)
		}
		var c cleared.SigningCertificate
		cms := in.Signature
		if len(cms) > 0 {
			c, err = s.acceptSignature(tx, x, me, d.Document, cms)
		} else {
			c, cms, err = s.signAs(tx, x, me, d.Document)
		}
		if err != nil {
			return err
		}
		rec := cleared.DestructionRecord{Piece: d.Piece, DestroyedBy: d.DestroyedBy, DestroyerSig: sigs[0].CMS,
			Countersigner: me.ID, CountersignSig: cms, Written: d.Created}
		// A10.2: the law's test of completeness, on the signatures as they now stand (the level as destroyed; a
		// report owed under a profile below SECRET is complete on the same two signatures).
		if dec := policy.Destruction(max(d.Level, cleared.Secret), rec, d.OrganisationID, officers, now); !dec.Allowed {
			return x.Deny(string(id), dec)
		}
		if err := tx.AddDestructionSignature(cleared.Signature{Destruction: id, N: len(sigs) + 1, Role: cleared.SignerSecurityOfficer,
			Signer: me.ID, Certificate: c.Fingerprint, CMS: cms, Signed: now}); err != nil {
			return err
		}
		if err := tx.CompleteDestruction(id, now); err != nil {
			return err
		}
		d.Completed = now
		x.Object, x.Payload = string(id), map[string]any{"piece": d.Piece, "copy": d.Copy, "completed": now, "certificate": c.Fingerprint}
		if d.Copy != "" {
			// A copy's destruction: the copy is destroyed, the piece and its key are not (A10.1).
			return tx.MarkCopyDestroyed(cleared.CopyID(d.Copy), now, d.DestroyedBy)
		}
		p, err := tx.Piece(d.Piece)
		if err != nil {
			return err
		}
		return shred(tx, p, now)
	})
	return d, err
}

// visibleDestruction loads a destruction the actor may see (policy.SeeDestruction), or refuses as not found.
func (s *Service) visibleDestruction(tx store.Tx, x *act.Act, sub *policy.Subject, me cleared.Person, id cleared.DestructionID) (cleared.Destruction, error) {
	d, err := tx.Destruction(id)
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return d, x.Hide(string(id))
	}
	if err != nil {
		return d, err
	}
	officerOf, err := facts.OfficerOf(tx, me.ID, x.Now)
	if err != nil {
		return d, err
	}
	oversight := me.HasRole(cleared.RoleAuditor) || policy.NSARegister(me, sub.Clearances, x.Now).Allowed
	knows := false
	if _, tg, err := s.piece(tx, x, d.Piece); err == nil {
		knows = policy.Know(sub, tg, x.Now).Allowed
	}
	if dec := policy.SeeDestruction(me.ID, d, officerOf, oversight, knows); !dec.Allowed {
		return cleared.Destruction{}, x.Deny(string(id), dec)
	}
	x.Object = string(id)
	return d, nil
}

// SignatureView is a signature as a reader is shown it: who signed, as what, with which certificate, and whether
// it verifies now (E2): over the report's exact bytes, with a certificate that chains to cleared's CA or the
// organisation's and was neither revoked nor expired when it signed.
type SignatureView struct {
	cleared.Signature
	SignerName string `json:"signer_name"`
	Subject    string `json:"certificate_subject"`
	Valid      bool   `json:"valid"`
	Problem    string `json:"problem,omitempty"`
}

// DestructionView is a destruction record as a reader is shown it.
type DestructionView struct {
	cleared.Destruction
	// State is "completed" or "awaiting_countersignature".
	State           string          `json:"state"`
	PieceTitle      string          `json:"piece_title,omitempty"`
	DestroyedByName string          `json:"destroyed_by_name"`
	Signatures      []SignatureView `json:"signatures"`
	// CanCountersign tells the UI whether to offer the countersignature (the policy would let the actor).
	CanCountersign bool `json:"can_countersign"`
}

// Destruction returns a destruction record with its signatures, each verified (E2), to whoever may see it
// (policy.SeeDestruction); anyone else gets not-found.
func (s *Service) Destruction(ctx context.Context, a cleared.Actor, id cleared.DestructionID) (v DestructionView, err error) {
	defer cleared.Wrap(&err, "destruction %s", id)
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.DestructionRead, now, func(tx store.Tx, x *act.Act) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		d, err := s.visibleDestruction(tx, x, sub, me, id)
		if err != nil {
			return err
		}
		v, err = s.view(tx, d, me, now)
		return err
	})
	return v, err
}

// view completes d for a reader: names, state, verified signatures.
func (s *Service) view(tx store.Tx, d cleared.Destruction, me cleared.Person, now time.Time) (DestructionView, error) {
	v := DestructionView{Destruction: d, State: "awaiting_countersignature"}
	if d.Done() {
		v.State = "completed"
	}
	if who, err := tx.Person(d.DestroyedBy); err == nil {
		v.DestroyedByName = who.Name
	}
	if p, err := tx.Piece(d.Piece); err == nil {
		v.PieceTitle = p.Title
	}
	sigs, err := tx.DestructionSignatures(d.ID)
	if err != nil {
		return v, err
	}
	roots := map[cleared.OrganisationID]*x509.CertPool{}
	for _, g := range sigs {
		sv := SignatureView{Signature: g}
		if p, err := tx.Person(g.Signer); err == nil {
			sv.SignerName = p.Name
			pool, ok := roots[p.OrganisationID]
			if !ok {
				if pool, err = s.roots(tx, p.OrganisationID, now); err != nil {
					return v, err
				}
				roots[p.OrganisationID] = pool
			}
			sv.Subject, sv.Valid, sv.Problem = checkSignature(tx, g, d.Document, pool)
		} else {
			sv.Problem = "the signer is not in the register"
		}
		v.Signatures = append(v.Signatures, sv)
	}
	if !d.Done() && d.Report {
		officers, err := tx.SecurityOfficers(d.OrganisationID)
		if err != nil {
			return v, err
		}
		v.CanCountersign = policy.Countersigner(me.ID, d.DestroyedBy, d.OrganisationID, officers, signers(sigs), false, now).Allowed
	}
	return v, nil
}

// checkSignature verifies a stored signature as an offline verifier would, and against cleared's record of its
// certificate: signed by its signer, not revoked or expired at the time it was made (E2).
func checkSignature(tx store.Signatures, g cleared.Signature, doc []byte, roots *x509.CertPool) (subject string, ok bool, problem string) {
	signed, err := sign.Verify(g.CMS, doc, roots, g.Signed)
	if err != nil {
		return "", false, err.Error()
	}
	subject = signed.Certificate.Subject.CommonName
	c, err := tx.SigningCertificate(sign.Fingerprint(signed.Certificate.Raw))
	if err != nil || c.Fingerprint != g.Certificate {
		return subject, false, "the certificate is not the one cleared recorded for this signature"
	}
	if d := policy.SignWith(c, g.Signer, g.Signed); !d.Allowed {
		return subject, false, d.Reason
	}
	return subject, true, ""
}

// DestructionDocument returns the exact bytes of a destruction's report, to whoever may see the destruction.
func (s *Service) DestructionDocument(ctx context.Context, a cleared.Actor, id cleared.DestructionID) (doc []byte, err error) {
	defer cleared.Wrap(&err, "destruction report %s", id)
	err = s.destructionPart(ctx, a, id, "document", func(tx store.Tx, d cleared.Destruction) error {
		if !d.Report {
			return cleared.NotFoundf("the destruction of a piece below SECRET has no report")
		}
		doc = d.Document
		return nil
	})
	return doc, err
}

// DestructionSignature returns signature n (from 1) of a destruction's report, DER, to whoever may see the
// destruction.
func (s *Service) DestructionSignature(ctx context.Context, a cleared.Actor, id cleared.DestructionID, n int) (cms []byte, err error) {
	defer cleared.Wrap(&err, "signature %d of destruction %s", n, id)
	err = s.destructionPart(ctx, a, id, fmt.Sprintf("signature %d", n), func(tx store.Tx, d cleared.Destruction) error {
		sigs, err := tx.DestructionSignatures(id)
		if err != nil {
			return err
		}
		if n < 1 || n > len(sigs) {
			return cleared.NotFoundf("the report has %d signatures", len(sigs))
		}
		cms = sigs[n-1].CMS
		return nil
	})
	return cms, err
}

func (s *Service) destructionPart(ctx context.Context, a cleared.Actor, id cleared.DestructionID, part string, fn func(store.Tx, cleared.Destruction) error) error {
	if err := id.Validate(); err != nil {
		return err
	}
	now := s.clock()
	return s.run.Read(ctx, a, act.DestructionRead, now, func(tx store.Tx, x *act.Act) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		d, err := s.visibleDestruction(tx, x, sub, me, id)
		if err != nil {
			return err
		}
		x.Payload = map[string]string{"part": part}
		return fn(tx, d)
	})
}

// PieceDestructions lists the destructions of a piece the actor may know (A9.1, or read by a judicial order, A9.5), oldest first, and tells whether
// the actor may destroy it now (policy.Destroy), so that a page offers the act only to who may.
func (s *Service) PieceDestructions(ctx context.Context, a cleared.Actor, id cleared.PieceID) (ds []cleared.Destruction, canDestroy bool, err error) {
	defer cleared.Wrap(&err, "destructions of %s", id)
	if err := id.Validate(); err != nil {
		return nil, false, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.DestructionRead, now, func(tx store.Tx, x *act.Act) error {
		p, sub, tg, err := s.consultedPiece(tx, x, id) // a read: a judicial order in force allows it too (A9.5)
		if err != nil {
			return err
		}
		byOrder(x, p, policy.Consult(sub, tg, now))
		if ds, err = tx.PieceDestructions(id); err != nil {
			return err
		}
		pending := false
		for _, d := range ds {
			pending = pending || !d.Done()
		}
		canDestroy = policy.Destroy(sub, tg, p.Kind == cleared.Physical && p.Custodian == a.Person, !p.Destroyed.IsZero(), pending, now).Allowed
		return nil
	})
	return ds, canDestroy, err
}

// PendingCountersignatures lists the destructions awaiting the actor's countersignature as a security officer
// (A10.2), oldest first: the officer's agenda.
func (s *Service) PendingCountersignatures(ctx context.Context, a cleared.Actor) (ds []cleared.Destruction, err error) {
	defer cleared.Wrap(&err, "destructions to countersign")
	now := s.clock()
	err = s.run.Read(ctx, a, act.DestructionRead, now, func(tx store.Tx, x *act.Act) error {
		ds, err = pendingFor(tx, a.Person, now)
		x.Payload = map[string]int{"pending": len(ds)}
		return err
	})
	return ds, err
}

// pendingFor lists the destructions person may countersign at now.
func pendingFor(tx store.Tx, person cleared.PersonID, now time.Time) ([]cleared.Destruction, error) {
	officerOf, err := facts.OfficerOf(tx, person, now)
	if err != nil {
		return nil, err
	}
	var out []cleared.Destruction
	for _, org := range officerOf {
		officers, err := tx.SecurityOfficers(org)
		if err != nil {
			return nil, err
		}
		ps, err := tx.PendingDestructions(org)
		if err != nil {
			return nil, err
		}
		for _, d := range ps {
			if d.Report && policy.Countersigner(person, d.DestroyedBy, org, officers, nil, false, now).Allowed {
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// destructionAgenda is the agenda's source of the destructions awaiting the reader's countersignature (A10.2).
type destructionAgenda struct{}

func (destructionAgenda) AgendaItems(tx store.Tx, r policy.AgendaReader, now time.Time) ([]policy.AgendaItem, error) {
	ds, err := pendingFor(tx, r.Person.ID, now)
	if err != nil {
		return nil, err
	}
	return policy.DestructionItems(ds), nil
}
