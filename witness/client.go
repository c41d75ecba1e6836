package witness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
)

// maxAnswer bounds what a client reads of a witness's answer: a few signature lines, or a note.
const maxAnswer = 64 << 10

// Client talks to one witness: it submits checkpoints and reads what the witness cosigned.
type Client struct {
	prefix string
	key    string
	v      note.Verifier
	hc     *http.Client
}

// NewClient returns a client of the witness at prefix (its submission and monitoring prefix, e.g.
// "https://witness.ans.example") whose verifier key is verifierKey. A nil hc is http.DefaultClient. A malformed
// URL or key is [cleared.ErrInvalid].
func NewClient(prefix, verifierKey string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(prefix)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, cleared.Invalidf("witness URL %.80q: want http(s)://host[:port][/prefix]", prefix)
	}
	v, err := NewVerifier(verifierKey)
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{prefix: strings.TrimSuffix(prefix, "/"), key: verifierKey, v: v, hc: hc}, nil
}

// Key is the witness's verifier key: what its cosignatures are kept under.
func (c *Client) Key() string { return c.key }

// URL is the witness's prefix.
func (c *Client) URL() string { return c.prefix }

// ConflictError is a witness's 409: it last cosigned a checkpoint of size Known, not the old size the request
// started from (or, at that size, another root).
type ConflictError struct{ Known uint64 }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("the witness last cosigned size %d", e.Known)
}

// RefusedError is a witness's refusal other than a conflict: 400, 403, 404, 413 or 422, with its text.
type RefusedError struct {
	Status int
	Text   string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the witness refused (%d %s): %s", e.Status, http.StatusText(e.Status), e.Text)
}

// AddCheckpoint asks the witness to cosign signed, the log's checkpoint note, from old, the size the caller
// believes the witness last cosigned (0 if it does not know). prove(from) returns the consistency proof from size
// from to the checkpoint's size (empty for 0). On a 409 it retries once from the size the witness says it knows.
// It returns the witness's cosignature line(s), checked with the witness's key, and the old size that worked.
//
// Errors: [*ConflictError] if the witness still disagrees, [*RefusedError], an error of prove (the witness knows
// a size the log cannot prove, e.g. beyond it: the log was truncated), [cleared.ErrUnavailable] if the witness
// cannot be reached or answers 5xx, [cleared.ErrInvalid] if its cosignature does not verify.
func (c *Client) AddCheckpoint(ctx context.Context, signed []byte, old uint64, prove func(from uint64) ([][]byte, error)) (cosig []byte, from uint64, err error) {
	defer cleared.Wrap(&err, "witness %s", c.prefix)
	for try := 0; ; try++ {
		p, err := prove(old)
		if err != nil {
			return nil, old, err
		}
		cosig, err = c.add(ctx, Request{Old: old, Proof: p, Note: signed})
		var conflict *ConflictError
		if try == 0 && errors.As(err, &conflict) && conflict.Known != old {
			old = conflict.Known
			continue
		}
		return cosig, old, err
	}
}

func (c *Client) add(ctx context.Context, req Request) ([]byte, error) {
	status, body, header, err := c.do(ctx, http.MethodPost, c.prefix+"/add-checkpoint", req.Marshal())
	if err != nil {
		return nil, err
	}
	switch {
	case status == http.StatusOK:
	case status == http.StatusConflict && strings.HasPrefix(header.Get("Content-Type"), "text/x.tlog.size"):
		known, err := parseSize(strings.TrimSuffix(string(body), "\n"))
		if err != nil || !bytes.HasSuffix(body, []byte("\n")) {
			return nil, cleared.Invalidf("a 409 answer without a size: %.60q", body)
		}
		return nil, &ConflictError{Known: known}
	case status >= 500:
		return nil, cleared.Unavailablef("the witness answered %d %s", status, http.StatusText(status))
	default:
		return nil, &RefusedError{Status: status, Text: strings.TrimSpace(string(body))}
	}
	// The answer is signature lines: appended to the note, they must verify with the witness's key.
	n, err := note.Open(append(bytes.Clone(req.Note), body...), note.VerifierList(c.v))
	if err != nil {
		return nil, cleared.Invalidf("the witness's answer holds no valid cosignature by its key: %v", err)
	}
	var lines []byte
	for _, s := range n.Sigs {
		lines = fmt.Appendf(lines, "— %s %s\n", s.Name, s.Base64)
	}
	return lines, nil
}

// Latest asks the witness (GET /checkpoint, an endpoint of ours beside the specification's) for the latest
// checkpoint it cosigned of the log origin: a note with the log's signature and the witness's cosignature.
// [cleared.ErrNotFound] if it never cosigned one; [cleared.ErrUnavailable] if it cannot be reached.
func (c *Client) Latest(ctx context.Context, origin string) (n []byte, err error) {
	defer cleared.Wrap(&err, "witness %s", c.prefix)
	status, body, _, err := c.do(ctx, http.MethodGet, c.prefix+"/checkpoint?origin="+url.QueryEscape(origin), nil)
	switch {
	case err != nil:
		return nil, err
	case status == http.StatusOK:
		return body, nil
	case status == http.StatusNotFound:
		return nil, cleared.NotFoundf("the witness has cosigned no checkpoint of log %s", origin)
	}
	return nil, cleared.Unavailablef("the witness answered %d %s", status, http.StatusText(status))
}

func (c *Client) do(ctx context.Context, method, u string, body []byte) (int, []byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, cleared.Invalidf("witness request: %v", err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, cleared.Unavailablef("the witness cannot be reached: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return 0, nil, nil, cleared.Unavailablef("reading the witness's answer: %v", err)
	}
	if len(b) > maxAnswer {
		return 0, nil, nil, cleared.Invalidf("the witness's answer is over %d bytes", maxAnswer)
	}
	return resp.StatusCode, b, resp.Header, nil
}
