package policy

import (
	"testing"

	"github.com/cleared/cleared"
)

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mediaType string
		other     cleared.OtherFormats
		want      Rendering
		decision  Decision
	}{
		{"A7.1 a PDF is stamped, whatever the organisation chose", "application/pdf", cleared.OtherFormatsRefuse, Stamped, allow()},
		{"A7.1 a PDF with parameters is stamped", "Application/PDF; name=x.pdf", "", Stamped, allow()},
		{"A7.1 plain text is rendered on stamped pages", "text/plain; charset=utf-8", cleared.OtherFormatsRefuse, RenderedText, allow()},
		{"A7.1 another format is wrapped where the organisation chose it", "application/octet-stream", cleared.OtherFormatsWrap, Wrapped, allow()},
		{"A7.1 another format is refused where the organisation chose so", "image/png", cleared.OtherFormatsRefuse, 0, refuse("A7.1")},
		{"A7.1 another format is refused where the organisation has not chosen", "text/html", "", 0, refuse("A7.1")},
		{"A7.1 a choice not understood refuses (fail closed)", "text/html", "maybe", 0, refuse("A7.1")},
		{"A7.1 a media type that does not parse is another format, refused by default", "pdf", "", 0, refuse("A7.1")},
		{"A7.1 a media type that does not parse is wrapped where chosen", ";;", cleared.OtherFormatsWrap, Wrapped, allow()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, d := Render(tc.mediaType, tc.other)
			checkDecision(t, d, tc.decision)
			if r != tc.want {
				t.Errorf("rendering %v, want %v", r, tc.want)
			}
		})
	}
}

func TestChooseOtherFormats(t *testing.T) {
	org := cleared.NewOrganisationID()
	checkDecision(t, ChooseOtherFormats([]cleared.OrganisationID{org}, org), allow())
	t.Run("A7.1 only the organisation's security officer chooses", func(t *testing.T) {
		checkDecision(t, ChooseOtherFormats([]cleared.OrganisationID{cleared.NewOrganisationID()}, org), refuse("A7.1"))
		checkDecision(t, ChooseOtherFormats(nil, org), refuse("A7.1"))
	})
}

func TestDelivered(t *testing.T) {
	checkDecision(t, Delivered(Outcome{Decision: Allow}), allow())
	t.Run("A7.1 a refusal of the base rules stays", func(t *testing.T) {
		checkDecision(t, Delivered(Outcome{Decision: deny("A7.1", "x")}), refuse("A7.1"))
	})
	t.Run("A1.1 a profile's duty on a delivery refuses it: none is performed there (fail closed)", func(t *testing.T) {
		o := Outcome{Decision: Allow, Obligations: []Obligation{{Duty: "some_duty", Rule: "A1.1", Profile: "NATO"}}}
		checkDecision(t, Delivered(o), refuse("A1.1"))
	})
}
