package policy

import (
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// Sharing with partners (S1; A6.1, A11.1, A11.2): a product is a classified piece its originator releases to
// partners, in one or more releasability sets; above a level a second person approves the release (four eyes). A
// partner receives a release only while its agreement is in force, at or below the highest level it may receive,
// when the level has an equivalent in the scheme it reads (A6.1: no equivalent, no release), over one of its
// channels accredited for that level with an approved cryptographic product (A11.1), and when it is in one of the
// release's sets. Every delivery is a transmission (A11.2).

// FourEyesLevel is the level from which a release needs a second person, unless a rule profile lowers it.
const FourEyesLevel = cleared.Secret

// Releaser describes who releases a product: whether he acts for the piece's originator (A5.2), and whether he is
// an NSA officer.
type Releaser struct {
	Person     cleared.PersonID
	Originator bool
	NSA        bool
}

// ProposeRelease decides whether r may release the product at level l: only who acts for its originator (S1: a
// release is the originator's decision, as a transmission is, A11.2). The answer says whether a second person must
// approve: from level fourEyes up (FourEyesLevel unless a profile says otherwise; Unclassified means always).
func ProposeRelease(r Releaser, l cleared.Level, fourEyes cleared.Level) (d Decision, secondPerson bool) {
	if !r.Originator {
		return deny("S1", "only the originator of a product, or who acts for it, releases it to partners"), false
	}
	return Allow, l >= fourEyes
}

// ApproveRelease decides whether r may approve release rel, proposed by another (four eyes): he acts for the
// originator and is not who proposed it; the release must still be waiting.
func ApproveRelease(r Releaser, rel cleared.Release) Decision {
	switch {
	case rel.State != cleared.ReleaseProposed:
		return deny("S1", "the release is "+string(rel.State)+", not waiting for approval")
	case !r.Originator:
		return deny("S1", "only who acts for the product's originator approves its release")
	case r.Person == rel.ProposedBy:
		return deny("S1", "four eyes: the second person must not be who proposed the release")
	}
	return Allow
}

// RevokeRelease decides whether r may revoke rel: who acts for the originator, or an NSA officer (a compromise, a
// partner that breached its agreement); only a release that is proposed or released.
func RevokeRelease(r Releaser, rel cleared.Release) Decision {
	switch {
	case rel.State == cleared.ReleaseRevoked:
		return deny("S1", "the release was revoked already")
	case !r.Originator && !r.NSA:
		return deny("S1", "only the product's originator, or the NSA, revokes its release")
	}
	return Allow
}

// CheckSets validates the releasability sets of a release against the partners and groups of the register: at
// least one set, none empty, every partner named a partner, every group one some partner belongs to.
func CheckSets(sets []cleared.ReleasabilitySet, partners map[cleared.OrganisationID]cleared.Partner) error {
	if len(sets) == 0 {
		return cleared.Invalidf("a release needs at least one releasability set")
	}
	if len(sets) > 20 {
		return cleared.Invalidf("at most 20 releasability sets")
	}
	for i, s := range sets {
		if len(s.Partners)+len(s.Groups) == 0 {
			return cleared.Invalidf("releasability set %d is empty: name partners or groups", i+1)
		}
		if len(s.Partners)+len(s.Groups) > 500 {
			return cleared.Invalidf("releasability set %d: at most 500 members", i+1)
		}
		for _, p := range s.Partners {
			if _, ok := partners[p]; !ok {
				return cleared.Invalidf("releasability set %d: %s is not a partner of the register", i+1, p)
			}
		}
		for _, g := range s.Groups {
			if err := cleared.CheckGroup(g); err != nil {
				return err
			}
			if !slices.ContainsFunc(mapValues(partners), func(p cleared.Partner) bool { return p.InGroup(g) }) {
				return cleared.Invalidf("releasability set %d: no partner belongs to group %q", i+1, g)
			}
		}
	}
	return nil
}

func mapValues[K comparable, V any](m map[K]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Audience returns the partners a release made now reaches, by ID: those in any of its sets (by name, or by a
// group they belong to now). Who is in a group later does not receive it: the originator decided on these.
func Audience(sets []cleared.ReleasabilitySet, partners []cleared.Partner) []cleared.OrganisationID {
	var out []cleared.OrganisationID
	for _, p := range partners {
		if slices.ContainsFunc(sets, func(s cleared.ReleasabilitySet) bool { return s.Includes(p) }) {
			out = append(out, p.Organisation)
		}
	}
	slices.Sort(out)
	return out
}

// PartnerGate decides whether partner p may receive anything at level l at t, over channel ch with the product it
// names (A11.1, ChannelFit): its agreement in force and not suspended (S1), l at or below its highest level, an
// equivalent of l in its scheme in table eq (A6.1; a TLP partner receives unclassified products only), and ch one of
// its channels accredited for l. The TAXII server, the feeds and the live feed ask it for the partner's ceiling once
// per request; Deliver asks it per release.
func PartnerGate(p cleared.Partner, l cleared.Level, eq cleared.EquivalenceTable, ch *cleared.Channel, prod *cleared.CryptoProduct, t time.Time) Decision {
	switch {
	case p.Suspended:
		return deny("S1", "the partner is suspended: it receives nothing")
	case t.Before(p.AccreditedFrom):
		return deny("S1", "the partner's agreement is not yet in force: it starts on "+p.AccreditedFrom.Format(time.DateOnly))
	case !p.AccreditedUntil.IsZero() && !t.Before(p.AccreditedUntil):
		return deny("S1", "the partner's agreement lapsed on "+p.AccreditedUntil.Format(time.DateOnly))
	case l > p.MaxLevel:
		return deny("S1", "the partner may receive up to "+p.MaxLevel.String()+", not "+l.String())
	}
	if _, ok := ForeignMarking(p.Scheme, l, eq); !ok {
		return deny("A6.1", "level "+l.String()+" has no equivalent in the partner's scheme "+string(p.Scheme)+": it cannot be released to it")
	}
	if ch == nil || !slices.Contains(p.Channels, ch.ID) {
		return deny("A11.1", "the channel is not one accredited to reach this partner")
	}
	return ChannelFit(l, ch, prod, t)
}

// ForeignMarking returns the marking of level l in scheme s: the national marking for SchemeNational, the table's
// for NATO, EU and bilateral schemes (A6.1), "TLP" for an unclassified product to a TLP partner; false when l has no
// equivalent there.
func ForeignMarking(s cleared.Scheme, l cleared.Level, eq cleared.EquivalenceTable) (string, bool) {
	switch {
	case s == cleared.SchemeNational:
		return l.Marking(), true
	case !l.Classified():
		return "", true
	case s == cleared.SchemeTLP:
		return "", false
	}
	return eq.Foreign(s, l)
}

// Deliverable decides whether release rel reaches partner p: released and not revoked, p in its audience (computed
// when it was released), and the partner's gate at the release's level (PartnerGate).
func Deliverable(p cleared.Partner, rel cleared.Release, audience bool, eq cleared.EquivalenceTable, ch *cleared.Channel, prod *cleared.CryptoProduct, t time.Time) Decision {
	switch {
	case rel.State != cleared.ReleaseReleased:
		return hidden("S1", "the product is not released")
	case !audience:
		return hidden("S1", "the product is not released to this partner")
	}
	return PartnerGate(p, rel.Level, eq, ch, prod, t)
}

// ReadPartners decides whether a person reads the register of partners: NSA officers, who keep it, and holders of
// a classifying authority in office, who release products and name partners in their sets (S1).
func ReadPartners(nsa, authority bool) Decision {
	if nsa || authority {
		return Allow
	}
	return deny("S1", "the register of partners is kept by the NSA and read by originators")
}

// PartnerCertificate decides whether partner p, found by the client certificate of fingerprint fp (nil when none
// was found), may be served at t: the certificate must be in its sealed record (the index that found it is not
// believed), and its agreement in force (S1).
func PartnerCertificate(p *cleared.Partner, fp string, t time.Time) Decision {
	switch {
	case p == nil:
		return deny("S1", "unknown client certificate "+fp)
	case !slices.Contains(p.Certificates, fp):
		return deny("S1", "the record of partner "+string(p.Organisation)+" does not hold the certificate "+fp)
	case !p.AccreditedAt(t):
		return deny("S1", "the agreement of partner "+string(p.Organisation)+" is not in force, or the partner is suspended")
	}
	return Allow
}

// ExportRelease decides whether r may export release rel for a partner, to send it by other means (S1, A11.2): who
// acts for the originator, a release in force, the partner in its audience. Whether the partner may receive it now
// is PartnerGate's. Unlike Deliverable, which a partner asks, the refusal names the reason: the originator knows the
// release.
func ExportRelease(r Releaser, rel cleared.Release, audience bool) Decision {
	switch {
	case !r.Originator:
		return deny("S1", "only who acts for the product's originator exports it for a partner")
	case rel.State != cleared.ReleaseReleased:
		return deny("S1", "the release is "+string(rel.State)+": only a release in force is exported")
	case !audience:
		return deny("S1", "the partner is not among those this release reaches: release the product to it first")
	}
	return Allow
}

// ListReleases decides whether r lists a product's releases, with their sets and audiences: who acts for its
// originator, and NSA officers (A11.2: they say who received what).
func ListReleases(r Releaser) Decision {
	if !r.Originator && !r.NSA {
		return deny("S1", "only the product's originator, or the NSA, lists its releases and their partners")
	}
	return Allow
}

// PollSource decides whether source s, a server of partner p (nil when the partner is not in the register), may be
// polled at t: a source paused by its registrar is not, nor one whose partner is no longer recorded, suspended or
// out of its agreement: what it would bring could not be received from a partner (S1). Whether the registrar may
// register what it brings is decided again at each product (A5.1, A8.1).
func PollSource(s cleared.Source, p *cleared.Partner, t time.Time) Decision {
	switch {
	case s.Paused:
		return deny("S1", "source "+string(s.ID)+" is paused")
	case p == nil || p.Organisation != s.Partner:
		return deny("S1", "the partner of source "+string(s.ID)+" is not in the register of partners")
	case !p.AccreditedAt(t):
		return deny("S1", "the agreement of partner "+string(p.Organisation)+" is not in force, or the partner is suspended: "+
			"nothing is received from it")
	}
	return Allow
}

// KeepSource decides whether a person records or changes a source: a holder of the classifying authority its
// products are registered as, in office (held), who becomes its registrar (S1, A5.1); and, when the source exists,
// its registrar or an NSA officer.
func KeepSource(held, exists, registrar, nsa bool) Decision {
	switch {
	case !held:
		return deny("A5.1", "a source's products are registered by a holder of the classifying authority they are classified as")
	case exists && !registrar && !nsa:
		return deny("S1", "a source is changed by its registrar or the NSA")
	}
	return Allow
}

// PollNow decides whether a person asks for a source's poll at once, rather than at the server's next round: its
// registrar, as whom the poll registers, or an NSA officer (S1).
func PollNow(registrar, nsa bool) Decision {
	if !registrar && !nsa {
		return deny("S1", "a source is polled on demand by its registrar or the NSA")
	}
	return Allow
}

// ReadInbox decides whether a person reads the staging inbox of what partners sent and decides on its items
// (issue 21 §3): holders of a classifying authority in office, who alone register what it holds as pieces (A5.1),
// and NSA officers, who keep the register of partners and refuse what a partner should not have sent (S1). The
// service answers anyone else a refusal for the inbox and not found for an item.
func ReadInbox(nsa, authority bool) Decision {
	if nsa || authority {
		return Allow
	}
	return deny("A5.1", "what partners send waits for a classifying authority, who alone registers it, or the NSA")
}
