package cleared

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The checks of text that people type and others read: what the registers hold as names, titles and markings is
// shown on pages, stamped on PDFs, sent to partners and written to logs, so it must read the same to everyone who
// sees it. One place, here, used by every service and adapter:
//   - CheckText: free text (a reason, a note): no control character but newline and tab, and no bidirectional
//     control (U+202A–U+202E, U+2066–U+2069), which reorders what follows it on screen (a title that shows one
//     thing and sorts, searches and compares as another: "Trojan Source", CVE-2021-42574);
//   - CheckLine: a name or a title, one line: CheckText without newline or tab;
//   - CheckName: a level or a marking, compared with the known ones: CheckLine, and exact after Unicode
//     normalisation (NFC): no space at either end, single spaces between words, no invisible character.

// isBidiControl reports whether r is one of the bidirectional embedding, override and isolate controls.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// isControl reports whether r is a C0 or C1 control, DEL, or the replacement character that invalid UTF-8 decodes to.
func isControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r <= 0x9f || r == unicode.ReplacementChar
}

// CheckText validates a free-text field: required when min > 0, at most max bytes, no control characters other
// than newline and tab, no bidirectional control characters. It returns [ErrInvalid] naming the field.
func CheckText(field, s string, min, max int) error {
	return checkText(field, s, min, max, false)
}

// CheckLine validates a name or a title: as [CheckText], on one line (no newline, tab or line separator).
func CheckLine(field, s string, min, max int) error {
	return checkText(field, s, min, max, true)
}

func checkText(field, s string, min, max int, line bool) error {
	if len(strings.TrimSpace(s)) < min {
		return Invalidf("%s is required", field)
	}
	if len(s) > max {
		return Invalidf("%s is too long: %d bytes, at most %d", field, len(s), max)
	}
	for _, r := range s {
		switch {
		case isBidiControl(r):
			return Invalidf("%s contains a bidirectional control character (U+%04X), which would show it in another order than it is stored", field, r)
		case line && (r == '\n' || r == '\t' || r == '\u2028' || r == '\u2029'):
			return Invalidf("%s must be on one line, without tabs", field)
		case isControl(r) && r != '\n' && r != '\t':
			return Invalidf("%s contains a control character or invalid UTF-8", field)
		}
	}
	return nil
}

// CheckName validates the name of a level or a marking as written: [CheckLine], and nothing that two readers could
// take for different names, or a reader for the name of another: after Unicode normalisation (NFC) no space at
// either end, single plain spaces between words, no other white space and no invisible (format) character. So
// " SECRET", "CONFIDENTIAL\n" and "NATO  SECRET" are refused, not read as SECRET, CONFIDENTIAL and NATO SECRET.
func CheckName(field, s string, max int) error {
	if err := CheckLine(field, s, 1, max); err != nil {
		return err
	}
	return nameForm(field, norm.NFC.String(s))
}

// nameForm checks the spacing and characters of a name already normalised (NFC).
func nameForm(field, s string) error {
	if s != strings.TrimSpace(s) {
		return Invalidf("%s %q begins or ends with a space; write the name exactly", field, truncate(s, 40))
	}
	if strings.Contains(s, "  ") {
		return Invalidf("%s %q has two spaces in a row; write the name with single spaces", field, truncate(s, 40))
	}
	for _, r := range s {
		switch {
		case isControl(r) || isBidiControl(r):
			return Invalidf("%s contains a control character", field)
		case r != ' ' && unicode.IsSpace(r):
			return Invalidf("%s %q contains white space other than a plain space (U+%04X)", field, truncate(s, 40), r)
		case unicode.Is(unicode.Cf, r):
			return Invalidf("%s %q contains an invisible character (U+%04X)", field, truncate(s, 40), r)
		}
	}
	return nil
}

// foldName is the key two spellings of one name share: NFC, then letter case and accents set aside
// ("Très Secret" and "TRES SECRET"). Spacing is not folded: CheckName requires it exact.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return norm.NFC.String(b.String())
}
