package policy

import (
	"mime"
	"strings"

	"github.com/cleared/cleared"
)

// Rendering is how a piece's content is delivered so that it carries its marking (A7.1).
type Rendering int

// The renderings.
const (
	// Stamped: a PDF, every page stamped top and bottom.
	Stamped Rendering = iota + 1
	// RenderedText: a text, set on pages stamped top and bottom, its bytes attached.
	RenderedText
	// Wrapped: any other file, attached to a PDF whose stamped cover page says what it carries.
	Wrapped
)

// String names the rendering, for the audit log and the Rendering header.
func (r Rendering) String() string {
	switch r {
	case Stamped:
		return "stamped"
	case RenderedText:
		return "rendered-text"
	case Wrapped:
		return "wrapped"
	}
	return "none"
}

// Render decides how content of mediaType is delivered by an organisation that chose other (A7.1: every rendering
// of a classified piece carries its marking). A PDF is stamped and plain text rendered on stamped pages; any other
// format is wrapped if the organisation chose so, and refused otherwise (the default, and any choice not
// understood: fail closed). A declassified piece is marked too (A7.2): its marks say it is no longer classified.
func Render(mediaType string, other cleared.OtherFormats) (Rendering, Decision) {
	mt, _, err := mime.ParseMediaType(mediaType)
	mt = strings.ToLower(mt)
	switch {
	case err != nil:
	case mt == "application/pdf":
		return Stamped, Allow
	case mt == "text/plain":
		return RenderedText, Allow
	}
	if other == cleared.OtherFormatsWrap {
		return Wrapped, Allow
	}
	return 0, deny("A7.1", "this piece's format cannot be stamped with its marking, and its organisation delivers such files only inside a marked wrapper, which it has not chosen: ask its security officer")
}

// ChooseOtherFormats decides whether a security officer of officerOf may choose how organisation org delivers
// files that cannot be stamped (A7.1): only its own security officer, who answers for its pieces' marking.
func ChooseOtherFormats(officerOf []cleared.OrganisationID, org cleared.OrganisationID) Decision {
	for _, o := range officerOf {
		if o == org {
			return Allow
		}
	}
	return deny("A7.1", "only the organisation's security officer chooses how its files that cannot be stamped are delivered")
}

// Delivered is the decision on a delivery once the rule profiles judged it as a read (A1.1): their refusal, or a
// refusal if they bind it with any duty, since a delivery performs none (fail closed); else allowed.
func Delivered(o Outcome) Decision {
	if !o.Decision.Allowed || len(o.Obligations) == 0 {
		return o.Decision
	}
	ob := o.Obligations[0]
	return deny(ob.Rule, "a rule profile ("+ob.Profile+") binds the delivery of this piece with a duty that is not performed on delivery: "+string(ob.Duty))
}
