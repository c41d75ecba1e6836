package sharing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// The sources cleared pulls products from (S1): a partner's TAXII 2.1 collection or MISP feed, polled from a
// cursor, what it brings registered by the source's registrar as its authority (Import), exactly as if he had
// imported it by hand. The registrar is whoever records the source, holding that authority (A5.1); his rights
// are checked again at each product, so that a registrar who leaves his office stops the pull.

// NewSource is the input of PutSource.
type NewSource struct {
	Partner   cleared.OrganisationID `json:"partner"`
	Kind      cleared.SourceKind     `json:"kind"`
	URL       string                 `json:"url"`
	Authority cleared.AuthorityID    `json:"authority"`
	Dossier   cleared.DossierID      `json:"dossier,omitempty"`
	Paused    bool                   `json:"paused,omitempty"`
}

func (in NewSource) validate() error {
	if err := in.Partner.Validate(); err != nil {
		return cleared.Invalidf("partner: %s", cleared.Message(err))
	}
	if err := in.Kind.Validate(); err != nil {
		return err
	}
	if _, err := checkSourceURL(in.URL); err != nil {
		return err
	}
	if err := in.Authority.Validate(); err != nil {
		return cleared.Invalidf("authority: %s", cleared.Message(err))
	}
	if in.Dossier != "" {
		if err := in.Dossier.Validate(); err != nil {
			return cleared.Invalidf("dossier: %s", cleared.Message(err))
		}
	}
	return nil
}

// PutSource records a source (id empty: a new one) or changes source id: the actor, who must hold the authority
// given, becomes its registrar, from the terminal he acts at (S1, A5.1); an existing source is changed by its
// registrar or an NSA officer. The partner must be in the register. A source whose partner, kind or address
// changes starts again from nothing (its cursor is the old server's).
func (s *Service) PutSource(ctx context.Context, a cleared.Actor, id cleared.SourceID, in NewSource) (src cleared.Source, err error) {
	defer cleared.Wrap(&err, "record source")
	if id != "" {
		if err := id.Validate(); err != nil {
			return src, err
		}
	}
	if err := in.validate(); err != nil {
		return src, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.SourceRecord, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		var old cleared.Source
		exists := false
		if id != "" {
			if old, err = tx.Source(id); errors.Is(err, cleared.ErrNotFound) {
				return x.Hide(string(id))
			} else if err != nil {
				return err
			}
			exists = true
		}
		auth, err := tx.Authority(in.Authority)
		if err != nil && !errors.Is(err, cleared.ErrNotFound) {
			return err
		}
		held := err == nil && policy.HoldsAuthority(me.ID, auth, true).Allowed && auth.InOfficeAt(now)
		if d := policy.KeepSource(held, exists, old.Registrar.Person == me.ID, me.HasRole(cleared.RoleNSAOfficer)); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if _, err := tx.Partner(in.Partner); errors.Is(err, cleared.ErrNotFound) {
			return cleared.Invalidf("organisation %s is not in the register of partners: the NSA records the partner first (S1)", in.Partner)
		} else if err != nil {
			return err
		}
		if id == "" {
			id = cleared.NewSourceID()
		}
		src = cleared.Source{ID: id, Partner: in.Partner, Kind: in.Kind, URL: in.URL, Registrar: a, Authority: in.Authority,
			Dossier: in.Dossier, Paused: in.Paused, Recorded: now}
		if exists && old.Partner == in.Partner && old.Kind == in.Kind && old.URL == in.URL {
			src.Cursor, src.Polled, src.LastError, src.Succeeded = old.Cursor, old.Polled, old.LastError, old.Succeeded
		}
		src.Registrar.Person = me.ID
		x.Object, x.Payload = string(id), src
		return tx.PutSource(src)
	})
	return src, err
}

// Sources lists the sources to NSA officers and holders of a classifying authority in office (who read the
// register of partners, S1).
func (s *Service) Sources(ctx context.Context, a cleared.Actor, after string, limit int) (ss []cleared.Source, err error) {
	defer cleared.Wrap(&err, "list sources")
	err = s.run.Read(ctx, a, act.SourceList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := s.partnerReader(tx, x); err != nil {
			return err
		}
		ss, err = tx.Sources(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(ss)}
		return err
	})
	return ss, err
}

// PollResult is what one poll of a source did.
type PollResult struct {
	Source     cleared.SourceID `json:"source"`
	Registered int              `json:"registered"` // products registered as pieces
	Known      int              `json:"known"`      // products received before at their version
	Withdrawn  int              `json:"withdrawn"`  // products the partner withdrew
	// Unclassified: products with no classification, passed over (cleared registers classified pieces, A4.1).
	Unclassified int    `json:"unclassified"`
	Pending      bool   `json:"pending"` // stopped at a limit; the next poll goes on
	Cursor       string `json:"cursor,omitempty"`
}

// Poll asks source id's server what is new since its cursor, registers it as the source's registrar, and moves the
// cursor past it; with nothing new it costs one round trip. Each poll is recorded (source.poll) as the registrar's
// action, with what it registered or why it failed; the cursor moves only once every product it read is
// registered, so that a failure loses nothing (the next poll reads again, and what was registered is known).
func (s *Service) Poll(ctx context.Context, id cleared.SourceID) (res PollResult, err error) {
	defer cleared.Wrap(&err, "poll source %s", id)
	res.Source = id
	var src cleared.Source
	var partner *cleared.Partner
	err = s.store.View(ctx, func(tx store.Tx) error {
		if src, err = tx.Source(id); err != nil {
			return err
		}
		p, err := tx.Partner(src.Partner)
		if err == nil {
			partner = &p
		} else if !errors.Is(err, cleared.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if d := policy.PollSource(src, partner, s.clock()); !d.Allowed {
		return res, s.polled(ctx, src, res, &d, nil)
	}
	got, err := s.pull(ctx, src)
	if err != nil {
		return res, s.polled(ctx, src, res, nil, err)
	}
	for _, doc := range got.docs {
		items, err := s.Import(ctx, src.Registrar, Import{Format: formatOf(src.Kind), Data: doc, Partner: src.Partner,
			Authority: src.Authority, Dossier: src.Dossier, Source: src.ID, SkipUnclassified: true})
		if err != nil {
			return res, s.polled(ctx, src, res, nil, &importFailure{err})
		}
		for _, it := range items {
			switch {
			case it.Known:
				res.Known++
			case it.Revoked:
				res.Withdrawn++
			case it.Unclassified:
				res.Unclassified++
			default:
				res.Registered++
			}
		}
	}
	res.Pending, res.Cursor = got.pending, got.cursor
	return res, s.polled(ctx, src, res, nil, nil)
}

// formatOf is the format of what a source of kind k brings.
func formatOf(k cleared.SourceKind) cleared.ImportFormat {
	if k == cleared.SourceMISPFeed {
		return cleared.FormatMISP
	}
	return cleared.FormatSTIX
}

// pull asks src's server what is new since its cursor.
func (s *Service) pull(ctx context.Context, src cleared.Source) (pulled, error) {
	base, err := checkSourceURL(src.URL)
	if err != nil {
		return pulled{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, pullTimeout)
	defer cancel()
	f := fetcher{client: s.pullClient, max: MaxImportBytes}
	if src.Kind == cleared.SourceMISPFeed {
		return pullMISP(ctx, f, base, src.Cursor, func(uuid string, version time.Time) (bool, error) {
			known := false
			err := s.store.View(ctx, func(tx store.Tx) error {
				rs, err := tx.Received(src.Partner, uuid)
				// Latest first: the manifest's version is known if one received is as recent.
				known = len(rs) > 0 && !rs[0].Version.Before(version)
				return err
			})
			return known, err
		})
	}
	return pullTAXII(ctx, f, base, src.Cursor)
}

// polled records the poll of src as its registrar's action, with its result, and writes the source's state: the
// cursor moved (a poll that succeeded), or the error it ended with. A poll the policy refused (denial) is
// recorded as refused.
func (s *Service) polled(ctx context.Context, src cleared.Source, res PollResult, denial *policy.Decision, failure error) error {
	now := s.clock()
	err := s.run.Commit(ctx, src.Registrar, act.SourcePoll, now, func(tx store.Tx, x *act.Act) error {
		cur, err := tx.Source(src.ID)
		if err != nil {
			return err
		}
		if cur.URL != src.URL || cur.Kind != src.Kind || cur.Partner != src.Partner {
			return cleared.Conflictf("source %s was changed while it was polled: the next poll reads the new server", src.ID)
		}
		cur.Polled = now
		x.Object = string(src.ID)
		switch {
		case denial != nil:
			cur.LastError = denial.Reason
			x.Payload = map[string]string{"partner": string(src.Partner)}
			if err := tx.PutSource(cur); err != nil {
				return err
			}
			return x.Refuse(*denial, denial.Err())
		case failure != nil:
			cur.LastError = lastError(failure)
			x.Payload = map[string]any{"partner": src.Partner, "registered": res.Registered, "error": short(failure.Error(), 2000)}
		default:
			cur.Cursor, cur.LastError, cur.Succeeded = res.Cursor, "", now
			x.Payload = res
		}
		return tx.PutSource(cur)
	})
	if err != nil {
		return err
	}
	if failure != nil {
		return &PollError{Source: src.ID, Err: failure}
	}
	return nil
}

// importFailure is a document a poll brought that Import refused.
type importFailure struct{ err error }

func (f *importFailure) Error() string { return f.err.Error() }
func (f *importFailure) Unwrap() error { return f.err }

// lastError is what a source keeps of its poll's failure, which everyone who reads the sources reads: what the
// server answered, but of a document refused only the rule or kind, never a product's words (its title is the
// partner's classified information; the audit entry keeps the whole error).
func lastError(err error) string {
	var imp *importFailure
	if !errors.As(err, &imp) {
		return short(err.Error(), 500)
	}
	var f *cleared.ErrForbidden
	switch {
	case errors.As(err, &f):
		return "a product was refused (" + f.Rule + "): nothing more was registered; see the audit log (source.poll)"
	case errors.Is(err, cleared.ErrInvalid):
		return "the partner's document was refused as invalid (a marking with no national equivalent, A6.1, or a malformed " +
			"document): see the audit log (source.poll)"
	}
	return "the partner's document could not be registered: see the audit log (source.poll)"
}

// PollError is a poll that ran and failed: the partner's server could not be reached or read, or what it sent
// could not be registered. It is recorded (source.poll) and kept as the source's last error; nothing was lost, the
// cursor did not move.
type PollError struct {
	Source cleared.SourceID
	Err    error
}

func (e *PollError) Error() string { return "source " + string(e.Source) + ": " + e.Err.Error() }

func (e *PollError) Unwrap() error { return e.Err }

// PollAll polls every source that is not paused, one after the other, and logs what each did; a source that fails
// does not stop the others. It returns how many were polled.
func (s *Service) PollAll(ctx context.Context) (int, error) {
	n, after := 0, ""
	for {
		var batch []cleared.Source
		err := s.store.View(ctx, func(tx store.Tx) (err error) {
			batch, err = tx.Sources(store.Page{After: after, Limit: maxListLimit})
			return err
		})
		if err != nil {
			return n, fmt.Errorf("poll sources: %w", err)
		}
		for _, src := range batch {
			after = string(src.ID)
			if src.Paused {
				continue
			}
			res, err := s.Poll(ctx, src.ID)
			n++
			if err != nil {
				s.log.Warn("a source's poll failed", "source", src.ID, "partner", src.Partner, "error", err)
				continue
			}
			if res.Registered+res.Withdrawn > 0 {
				s.log.Info("products received", "source", src.ID, "partner", src.Partner, "registered", res.Registered,
					"withdrawn", res.Withdrawn, "known", res.Known)
			}
		}
		if len(batch) < maxListLimit || ctx.Err() != nil {
			return n, ctx.Err()
		}
	}
}

// defaultPullClient is the client of a service configured without one: the system's roots, no client
// certificate, no redirects (a partner's server that moves is recorded anew, not followed).
func defaultPullClient() *http.Client {
	return &http.Client{Timeout: pullTimeout, CheckRedirect: noRedirect}
}

// noRedirect refuses to follow a redirect.
func noRedirect(req *http.Request, via []*http.Request) error {
	return fmt.Errorf("the partner's server redirects to %s: record the source at its new address", req.URL.Redacted())
}

// PollNow polls source id at once, for its registrar or an NSA officer (S1); to one who may not read the
// register of partners the source does not exist.
func (s *Service) PollNow(ctx context.Context, a cleared.Actor, id cleared.SourceID) (PollResult, error) {
	if err := id.Validate(); err != nil {
		return PollResult{}, err
	}
	err := s.run.Read(ctx, a, act.SourceList, s.clock(), func(tx store.Tx, x *act.Act) error {
		me, err := s.partnerReader(tx, x)
		var refused *cleared.ErrForbidden
		if errors.As(err, &refused) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		src, err := tx.Source(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		x.Object = string(id)
		if d := policy.PollNow(src.Registrar.Person == me.ID, me.HasRole(cleared.RoleNSAOfficer)); !d.Allowed {
			return x.Deny(string(id), d)
		}
		return nil
	})
	if err != nil {
		return PollResult{}, fmt.Errorf("poll source %s: %w", id, err)
	}
	return s.Poll(ctx, id)
}
