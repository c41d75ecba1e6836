package pdf

import "strings"

// Register writes a register as a PDF: its title, the header and one line per row, each page stamped at its top
// and bottom with m (A7.1). m.Marking is the highest marking the register contains, chosen by the caller, and
// m.Reference names the register and its moment.
func Register(title string, m Marks, header []string, rows [][]string) ([]byte, error) {
	lines := make([]string, 0, len(rows)+3)
	lines = append(lines, title, "", strings.Join(header, " | "))
	for _, r := range rows {
		lines = append(lines, strings.Join(r, " | "))
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return document(lines, &m, nil), nil
}
