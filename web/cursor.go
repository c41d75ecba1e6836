package web

import (
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// List sizes (design/api.md).
const (
	defaultLimit = 50
	maxLimit     = 500
)

// pageQuery is a list request's ?limit= and ?cursor=.
type pageQuery struct {
	limit  int
	cursor string
}

// parsePageQuery reads ?limit= (1 to 500, 50 when absent or empty) and ?cursor= (empty for the first page), each
// at most once; what the cursor means is the route's to check.
func parsePageQuery(r *http.Request) (pageQuery, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return pageQuery{}, cleared.Invalidf("malformed query string: %v", err)
	}
	if len(q["limit"]) > 1 || len(q["cursor"]) > 1 {
		return pageQuery{}, cleared.Invalidf("give limit and cursor at most once each")
	}
	pq := pageQuery{limit: defaultLimit, cursor: q.Get("cursor")}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return pageQuery{}, cleared.Invalidf("limit %q: want a whole number from 1 to %d", truncate(s, 20), maxLimit)
		}
		pq.limit = n
	}
	return pq, nil
}

// idType is an ID of the root package: a string that validates itself.
type idType interface {
	~string
	Validate() error
}

// idPage reads the page of a register ordered by ID, whose cursor is the last ID of the previous page: an ID of
// that register's type, or the request is malformed.
func idPage[ID idType](r *http.Request) (pageQuery, error) {
	pq, err := parsePageQuery(r)
	if err != nil {
		return pq, err
	}
	if pq.cursor != "" {
		if err := ID(pq.cursor).Validate(); err != nil {
			return pq, cleared.Invalidf("cursor: %v", err)
		}
	}
	return pq, nil
}

// idList answers a page of a register ordered by ID. A full page has a next cursor, the ID of its last item (the
// next page may then be empty).
func idList[T any, ID idType](w http.ResponseWriter, items []T, limit int, id func(T) ID) error {
	out := list[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(items) >= limit {
		out.NextCursor = string(id(items[len(items)-1]))
	}
	return ok(w, out)
}

var cursorEncoding = base64.RawURLEncoding.Strict()

// encodePieceCursor writes a position in the list of pieces, newest first, as an opaque cursor: base64url without
// padding of the piece's creation time in Unix nanoseconds (8 bytes, big-endian) followed by its ID.
func encodePieceCursor(c store.PieceCursor) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(c.Created.UnixNano()))
	return cursorEncoding.EncodeToString(append(b, c.ID...))
}

// parsePieceCursor reads a cursor written by encodePieceCursor, and nothing else: the same bytes re-encoded must
// give the same text (base64 decoders skip line breaks), the time must be after 1970 and the ID well formed.
// Anything else is cleared.ErrInvalid.
func parsePieceCursor(s string) (*store.PieceCursor, error) {
	bad := cleared.Invalidf("malformed cursor: pass next_cursor from the previous page as it is")
	if len(s) > 100 {
		return nil, bad
	}
	b, err := cursorEncoding.DecodeString(s)
	if err != nil || len(b) <= 8 || cursorEncoding.EncodeToString(b) != s {
		return nil, bad
	}
	n := int64(binary.BigEndian.Uint64(b))
	id := cleared.PieceID(b[8:])
	if n <= 0 || id.Validate() != nil {
		return nil, bad
	}
	return &store.PieceCursor{Created: time.Unix(0, n).UTC(), ID: id}, nil
}

// truncate shortens input quoted back in a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
