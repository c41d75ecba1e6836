// Package auditclient checks what a cleared server answers about its audit log without trusting the server: the
// latest signed checkpoint, a consistency proof from a checkpoint an auditor kept, an inclusion proof of one
// entry. It is how an auditor, a partner authority or the NSA holds the server to the record that answers who saw,
// received or destroyed a piece (A10.2, A11.2, A13.1), from outside the system (architecture, principle 5).
//
// It trusts two things only: the log's verifier key, and a checkpoint the auditor kept. Every size and root it
// checks against comes from a checkpoint whose signature it verified itself, never from the answer that carries a
// proof; every entry is hashed again from the fields the server returns, so the server cannot show other fields
// than those its leaf commits to. This is the lesson of immudb's GHSA-672p-m5jq-mrh8, where the client SDK checked
// only the ends of what the server sent and accepted a forged history in between.
//
// What it cannot tell on its own: that the latest checkpoint the server serves is truly its latest (a server may
// show an old one, or show each auditor a different fork), which witnesses' cosignatures and checkpoints compared
// between auditors answer.
package auditclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
)

// ErrRejected is the kind of error for an answer of the server that does not prove what it must: a checkpoint
// not signed by the log's key, a proof that does not verify against the roots the client holds, an entry whose
// fields are not those of its leaf, an answer about other sizes than those asked. The server, or someone between
// it and the client, is lying or the log was tampered with.
var ErrRejected = errors.New("rejected")

// rejection is an error of kind ErrRejected that reads as the sentence saying why, and keeps the kinds of the
// error it was made from.
type rejection struct {
	msg string
	err error
}

func (r *rejection) Error() string        { return r.msg }
func (r *rejection) Is(target error) bool { return target == ErrRejected }
func (r *rejection) Unwrap() error        { return r.err }

// rejectf returns an error of kind ErrRejected.
func rejectf(format string, args ...any) error {
	return &rejection{msg: fmt.Sprintf(format, args...)}
}

// reject makes err, a check that failed, an error of kind ErrRejected too.
func reject(err error) error {
	return &rejection{msg: err.Error(), err: err}
}

// maxAnswer bounds what is read of an answer: a proof holds at most 128 hashes of 44 base64 characters, and an
// entry a few hundred bytes.
const maxAnswer = 64 << 10

// Client asks one server for its checkpoint and proofs and checks each answer.
type Client struct {
	base  *url.URL
	token string
	key   string
	http  *http.Client
}

// New returns a client of the server at baseURL (for example https://cleared.example), authenticated with an API
// token of an auditor or NSA officer, that checks every answer with verifierKey ("<name>+<hash>+<key>", the
// content of the log's audit.vkey). A URL that is not https is refused unless its host is a loopback address: the
// token would travel in clear. A malformed URL or key is [cleared.ErrInvalid]; the token never appears in an error.
func New(baseURL, token, verifierKey string) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, cleared.Invalidf("server URL %.100q: want https://host[:port][/path]", baseURL)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	case u.Scheme == "http":
		return nil, cleared.Invalidf("server URL %.100q: want https, the API token would travel in clear", baseURL)
	default:
		return nil, cleared.Invalidf("server URL %.100q: want https://host[:port][/path]", baseURL)
	}
	if token == "" || strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, cleared.Invalidf("an API token is needed, without spaces or control characters")
	}
	if _, err := note.NewVerifier(verifierKey); err != nil {
		return nil, cleared.Invalidf("malformed verifier key: want <name>+<hash>+<key>")
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return &Client{base: u, token: token, key: verifierKey, http: &http.Client{
		Timeout: time.Minute,
		// A redirect could carry the token elsewhere, and a proof's answer is never one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}, nil
}

// WithHTTPClient makes c use hc (its transport, for example one that trusts a test server's certificate). Its
// redirect policy is replaced: the client never follows a redirect.
func (c *Client) WithHTTPClient(hc *http.Client) *Client {
	h := *hc
	h.CheckRedirect = c.http.CheckRedirect
	c.http = &h
	return c
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Checkpoint fetches the server's latest checkpoint (GET /api/audit/checkpoint, Accept: text/plain) and returns it
// once its signature by the log's key is verified (see [OpenCheckpoint]). A checkpoint not signed by the key, or
// malformed, is [ErrRejected].
func (c *Client) Checkpoint(ctx context.Context) (cp Checkpoint, err error) {
	defer cleared.Wrap(&err, "the server's latest checkpoint")
	signed, err := c.get(ctx, "/api/audit/checkpoint", nil, "text/plain")
	if err != nil {
		return Checkpoint{}, err
	}
	cp, err = OpenCheckpoint(signed, c.key)
	if err != nil {
		return Checkpoint{}, reject(err)
	}
	return cp, nil
}

// verified refuses checkpoints that this client's key did not verify.
func (c *Client) verified(cps ...Checkpoint) error {
	for _, cp := range cps {
		if cp.key != c.key {
			return cleared.Invalidf("a checkpoint not verified with this log's key: open it with OpenCheckpoint first")
		}
	}
	return nil
}

// consistencyAnswer is the API's Consistency object (web/openapi.json). Unknown fields are refused.
type consistencyAnswer struct {
	From  *uint64  `json:"from"`
	To    *uint64  `json:"to"`
	Proof [][]byte `json:"proof"`
}

// Extends checks that the checkpoint cur extends old: every entry old covers is in cur, unchanged. Both must have
// been verified with the client's key ([OpenCheckpoint], [Client.Checkpoint]), or the error is [cleared.ErrInvalid];
// the proof is asked of the server
// (GET /api/audit/proof/consistency) and verified with their sizes and roots, never with sizes or roots the server
// sends. A cur older than old, two roots for one size, or a proof that does not verify is [ErrRejected].
func (c *Client) Extends(ctx context.Context, oldCp, curCp Checkpoint) (err error) {
	old, cur := oldCp.c, curCp.c
	defer cleared.Wrap(&err, "consistency from the kept checkpoint of size %d to the checkpoint of size %d", old.Size, cur.Size)
	if err := c.verified(oldCp, curCp); err != nil {
		return err
	}
	switch {
	case old.Origin != cur.Origin:
		return rejectf("the checkpoints are of two logs, %q and %q", old.Origin, cur.Origin)
	case old.Size > cur.Size:
		return rejectf("the server's checkpoint has %d entries, fewer than the %d of the checkpoint kept: the log was truncated, or the server shows an old checkpoint", cur.Size, old.Size)
	case old.Size == cur.Size && !bytes.Equal(old.Root, cur.Root):
		return rejectf("two checkpoints of %d entries with different roots are both signed by the log's key: the log was forked or rewritten", cur.Size)
	case old.Size == cur.Size || old.Size == 0:
		// Nothing to ask: equal trees, or the empty tree, which every tree extends (its root still checked).
		if err := audit.VerifyConsistency(old.Size, cur.Size, nil, old.Root, cur.Root); err != nil {
			return reject(err)
		}
		return nil
	}
	q := url.Values{"from": {strconv.FormatUint(old.Size, 10)}, "to": {strconv.FormatUint(cur.Size, 10)}}
	var ans consistencyAnswer
	if err := c.getJSON(ctx, "/api/audit/proof/consistency", q, &ans); err != nil {
		return err
	}
	switch {
	case ans.From == nil || ans.To == nil:
		return rejectf("the answer does not say between which sizes it proves")
	case *ans.From != old.Size || *ans.To != cur.Size:
		return rejectf("asked for a proof from %d to %d entries, the server answered one from %d to %d", old.Size, cur.Size, *ans.From, *ans.To)
	}
	if err := audit.VerifyConsistency(old.Size, cur.Size, ans.Proof, old.Root, cur.Root); err != nil {
		return reject(err)
	}
	return nil
}

// inclusionAnswer is the API's Inclusion object (web/openapi.json). Unknown fields are refused, in it and in its
// record: every field of the record shown must be one the leaf hash commits to.
type inclusionAnswer struct {
	Record *audit.Record `json:"record"`
	Size   *uint64       `json:"size"`
	Proof  [][]byte      `json:"proof"`
	// Root is not in the API's answer today; if a server sends one, it must be the checkpoint's.
	Root []byte `json:"root"`
}

// Included checks that entry seq is in the tree of checkpoint cp, verified with the client's key, and returns the entry, as the
// server returned it and as its leaf commits to it. The proof is asked of the server (GET
// /api/audit/proof/inclusion?seq=&size=cp.Size) and verified against cp's root with the leaf hash recomputed from
// the entry's fields: the leaf hash the server sends must be that one too. A seq beyond cp, or cp not
// verified with the client's key, is [cleared.ErrInvalid]; an answer about another entry or size, an entry whose fields are not its leaf's, or a proof
// that does not verify is [ErrRejected].
func (c *Client) Included(ctx context.Context, verifiedCp Checkpoint, seq uint64) (e audit.Entry, err error) {
	cp := verifiedCp.c
	defer cleared.Wrap(&err, "inclusion of entry %d in the checkpoint of size %d", seq, cp.Size)
	if err := c.verified(verifiedCp); err != nil {
		return audit.Entry{}, err
	}
	if seq >= cp.Size {
		return audit.Entry{}, cleared.Invalidf("entry %d is not in a log of %d entries", seq, cp.Size)
	}
	q := url.Values{"seq": {strconv.FormatUint(seq, 10)}, "size": {strconv.FormatUint(cp.Size, 10)}}
	var ans inclusionAnswer
	if err := c.getJSON(ctx, "/api/audit/proof/inclusion", q, &ans); err != nil {
		return audit.Entry{}, err
	}
	switch {
	case ans.Record == nil || ans.Size == nil:
		return audit.Entry{}, rejectf("the answer lacks the record or the size")
	case *ans.Size != cp.Size:
		return audit.Entry{}, rejectf("asked for a proof in the tree of %d entries, the server answered one in the tree of %d", cp.Size, *ans.Size)
	case ans.Record.Seq != seq:
		return audit.Entry{}, rejectf("asked for entry %d, the server answered with entry %d", seq, ans.Record.Seq)
	case ans.Root != nil && !bytes.Equal(ans.Root, cp.Root):
		return audit.Entry{}, rejectf("the answer names a root that is not the signed checkpoint's")
	}
	leaf, err := ans.Record.Entry.LeafHash()
	if err != nil {
		return audit.Entry{}, rejectf("the entry cannot be encoded, so no leaf commits to it: %s", cleared.Message(err))
	}
	if !bytes.Equal(leaf, ans.Record.LeafHash) {
		return audit.Entry{}, rejectf("the entry's fields do not hash to the leaf hash sent with them: the fields shown are not those the log commits to")
	}
	if err := audit.VerifyInclusion(seq, cp.Size, leaf, ans.Proof, cp.Root); err != nil {
		return audit.Entry{}, reject(err)
	}
	return ans.Record.Entry, nil
}

// getJSON asks for path?q as JSON and decodes the answer strictly into v: one JSON value, no unknown field.
func (c *Client) getJSON(ctx context.Context, path string, q url.Values, v any) error {
	body, err := c.get(ctx, path, q, "application/json")
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return rejectf("the answer is not the API's JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return rejectf("the answer holds more than one JSON value")
	}
	return nil
}

// get asks for path?q, accepting only the media type accept, and returns the body of a 200 answer. Any other
// status is an error carrying the problem's detail, if the server sent one.
func (c *Client) get(ctx context.Context, path string, q url.Values, accept string) ([]byte, error) {
	u := *c.base
	u.Path += path
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", accept)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, redactErr(err, c.token))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var p struct {
			Detail string `json:"detail"`
			Rule   string `json:"rule"`
		}
		_ = json.Unmarshal(body, &p)
		msg := fmt.Sprintf("GET %s: the server answered %s", path, resp.Status)
		if p.Rule != "" {
			msg += " (" + p.Rule + ")"
		}
		if p.Detail != "" {
			msg += fmt.Sprintf(": %.300s", p.Detail)
		}
		return nil, errors.New(msg)
	}
	if len(body) > maxAnswer {
		return nil, rejectf("GET %s: the answer is longer than %d bytes", path, maxAnswer)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != accept {
		return nil, rejectf("GET %s: the answer is of type %.60q, not %s", path, resp.Header.Get("Content-Type"), accept)
	}
	return body, nil
}

// redactErr removes the token from a transport error, should one ever quote the request.
func redactErr(err error, token string) error {
	if s := err.Error(); strings.Contains(s, token) {
		return errors.New(strings.ReplaceAll(s, token, "<token>"))
	}
	return err
}
