package cleared

// OtherFormats is an organisation's choice for the content of its pieces in a format that cannot be stamped with
// its marking (A7.1: every rendering carries the marking): a PDF is stamped on every page and a text rendered on
// stamped pages, whatever the choice; any other file is refused, or delivered inside a marked wrapper (a PDF
// whose stamped cover page carries the file as an attachment).
type OtherFormats string

// The choices. The default, for an organisation that has not chosen, is OtherFormatsRefuse.
const (
	OtherFormatsRefuse OtherFormats = "refuse"
	OtherFormatsWrap   OtherFormats = "wrap"
)

// Validate reports a choice other than refuse or wrap as [ErrInvalid].
func (o OtherFormats) Validate() error {
	switch o {
	case OtherFormatsRefuse, OtherFormatsWrap:
		return nil
	}
	return Invalidf("other_formats %q: want refuse or wrap", truncate(string(o), 20))
}
