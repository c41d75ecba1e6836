package web

import (
	"net/url"

	"github.com/cleared/cleared"
)

// Registers are shown as tables and single records as lists of details, both by generic templates (table.html,
// details.html) over typed cells: a cell is data, a catalogue key, a link, a level, or a button that posts.

// cell is one value of a table or a details list.
type cell struct {
	Text string // data, shown as it is
	Key  string // a catalogue key, shown translated (in place of Text, or as the text of a link or button)
	Href string // a link
	ID   string // the element's id, for links and buttons
	Code bool   // an identifier, in <code>
	Pre  bool   // preformatted text (a signed note, proof hashes)
	// Level shows LevelValue by its name in the reader's language, with the level's colour; Text then holds the
	// marking, if it says more than the level (a foreign marking).
	Level      bool
	LevelValue cleared.Level
	// Post makes the cell a button that posts the session's CSRF token to this URL (revoke, unlock).
	Post string
	CSRF string
}

func textCell(s string) cell { return cell{Text: s} }
func keyCell(k string) cell  { return cell{Key: k} }
func codeCell(s string) cell { return cell{Text: s, Code: true} }
func linkCell(text, href string) cell {
	return cell{Text: text, Href: href}
}
func levelCell(l cleared.Level) cell { return cell{Level: true, LevelValue: l} }

func yesNo(b bool) cell {
	if b {
		return keyCell("common.yes")
	}
	return keyCell("common.no")
}

type row struct {
	ID    string
	Cells []cell
}

// tablePage is a register's page: a table (first column the row's header), or a sentence when it is empty, and
// a link to the next page.
type tablePage struct {
	Page
	Intro   string // key
	Caption string // key
	Columns []string
	Rows    []row
	Empty   string // key
	Next    string
	Actions []link
}

func (*tablePage) viewName() string { return "table" }

// nextHref is the link to a register's next page ordered by ID: present when the page is full.
func nextHref(base string, q url.Values, n, limit int, last string) string {
	if n < limit || last == "" {
		return ""
	}
	v := url.Values{}
	for k, vs := range q {
		if k != "cursor" && k != "ok" {
			v[k] = vs
		}
	}
	v.Set("cursor", last)
	return base + "?" + v.Encode()
}

// detailsPage shows one record.
type detailsPage struct {
	Page
	Intro   string
	Items   []detail
	Actions []link
}

func (*detailsPage) viewName() string { return "details" }

type detail struct {
	Label string // key
	Value cell
	ID    string
}
