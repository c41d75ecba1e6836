package pdf

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cleared/cleared"
)

// Wrap returns the marked wrapper of content, a file of a format that cannot be stamped (A7.1): a PDF whose
// cover page says what it carries and how it must be handled, every page stamped as by [Stamp], with content
// attached to it as the file name, untouched. The wrapper is what is marked; whoever saves the attachment out of
// it must mark what they save, and the cover page says so.
func Wrap(content []byte, mediaType, name string, m Marks) ([]byte, error) {
	cover := []string{
		m.Marking,
		"",
		"Classified piece " + m.Reference,
		"",
		"This PDF is the marked wrapper of the piece's content (A7.1). The content is attached to it, unchanged:",
		fmt.Sprintf("    %s (%s, %d bytes)", name, mediaType, len(content)),
		"",
		"It is classified " + m.Marking + ". Whoever saves the attachment out of this PDF must mark what they save " +
			m.Marking + " and handle it as such.",
	}
	return attached(cover, content, name, m)
}

// Render returns a text piece as a PDF: its lines on pages stamped as by [Stamp], and its bytes attached as the
// file name, so that nothing of it is lost to the standard font's character set (Latin-1, shown as "?" beyond).
// content must be UTF-8 text.
func Render(content []byte, name string, m Marks) ([]byte, error) {
	if !utf8.Valid(content) {
		return nil, cleared.Invalidf("the text is not UTF-8: it cannot be rendered with its marking")
	}
	lines := strings.Split(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, "\t", "    ")
	}
	return attached(lines, content, name, m)
}

// attached writes lines as a PDF with content attached as name, every page stamped with m (A7.1). The PDF is
// ours, so it is written with its stamps: nothing of the library's reading and stamping is needed.
func attached(lines []string, content []byte, name string, m Marks) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(content) > MaxSize {
		return nil, cleared.Invalidf("the content is %d bytes, over the %d bytes that can be wrapped", len(content), MaxSize)
	}
	return document(lines, &m, &attachment{name: name, desc: m.Marking + " " + m.Reference, content: content}), nil
}
