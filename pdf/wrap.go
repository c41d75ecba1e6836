package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/cleared/cleared"
)

// Wrap returns the marked wrapper of content, a file of a format that cannot be stamped (A7.1): a PDF whose
// cover page says what it carries and how it must be handled, every page stamped as by [Stamp], with content
// attached to it as the file name, untouched. The wrapper is what is marked; whoever saves the attachment out of
// it must mark what they save, and the cover page says so.
func Wrap(content []byte, mediaType, name string, m Marks) (out []byte, err error) {
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
func Render(content []byte, name string, m Marks) (out []byte, err error) {
	if !utf8.Valid(content) {
		return nil, cleared.Invalidf("the text is not UTF-8: it cannot be rendered with its marking")
	}
	lines := strings.Split(strings.ReplaceAll(string(content), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, "\t", "    ")
	}
	return attached(lines, content, name, m)
}

// attached writes lines as a PDF, attaches content as name, and stamps every page with m.
func attached(lines []string, content []byte, name string, m Marks) (out []byte, err error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(content) > MaxSize {
		return nil, cleared.Invalidf("the content is %d bytes, over the %d bytes that can be wrapped", len(content), MaxSize)
	}
	defer recoverInvalid(&out, &err)
	ctx, err := read(Text(lines))
	if err != nil {
		return nil, fmt.Errorf("pdf: read our own page: %w", err)
	}
	a := model.Attachment{Reader: bytes.NewReader(content), ID: name, FileName: name, Desc: m.Marking + " " + m.Reference}
	if err := ctx.AddAttachment(a, false); err != nil {
		return nil, fmt.Errorf("pdf: attach the content: %w", err)
	}
	return stamp(ctx, m)
}
