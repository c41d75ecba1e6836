package web

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/cleared/cleared"
)

// The TAXII 2.1 server, write side (S1; issue 21 §3): a partner's system adds objects to the collection (an
// envelope, application/taxii+json;version=2.1, at most the API root's max_content_length) and is answered 202
// with a status resource. What it sends is not served back, to it or to anyone: the sharing service checks the
// envelope and stages it, sealed, in cleared's inbox, where a person who holds a classifying authority imports it
// or refuses it (A5.1). The status is complete once the envelope is staged, every object counted a success; it is
// read again at status/{id}/ by the partner that posted it only.

// taxiiStatusPattern is the form of a status identifier: a UUID.
var taxiiStatusPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// taxiiStatusDetail is one object of a status resource.
type taxiiStatusDetail struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Message string `json:"message,omitempty"`
}

// taxiiStatusResource is TAXII 2.1's status resource.
type taxiiStatusResource struct {
	ID               string              `json:"id"`
	Status           string              `json:"status"`
	RequestTimestamp string              `json:"request_timestamp"`
	TotalCount       int                 `json:"total_count"`
	SuccessCount     int                 `json:"success_count"`
	Successes        []taxiiStatusDetail `json:"successes"`
	FailureCount     int                 `json:"failure_count"`
	Failures         []taxiiStatusDetail `json:"failures"`
	PendingCount     int                 `json:"pending_count"`
	Pendings         []taxiiStatusDetail `json:"pendings"`
}

// taxiiInboxMessages tell the partner where its objects stand, never why: a refusal's reason is the person's.
var taxiiInboxMessages = map[cleared.InboxState]string{
	cleared.InboxPending:  "received: waiting for review by a classifying authority",
	cleared.InboxImported: "received and registered",
	cleared.InboxRefused:  "received and not registered",
}

// taxiiStatusOf is item it's status resource: every object received is a success; the envelope was checked whole
// before it was staged, so none failed and none is pending.
func taxiiStatusOf(it cleared.InboxItem) taxiiStatusResource {
	st := taxiiStatusResource{ID: it.ID.UUID(), Status: "complete", RequestTimestamp: taxiiTime(it.Received),
		TotalCount: len(it.Objects), SuccessCount: len(it.Objects), Successes: make([]taxiiStatusDetail, len(it.Objects)),
		Failures: []taxiiStatusDetail{}, Pendings: []taxiiStatusDetail{}}
	msg := taxiiInboxMessages[it.State]
	for i, o := range it.Objects {
		st.Successes[i] = taxiiStatusDetail{ID: o.ID, Version: o.Version, Message: msg}
	}
	return st
}

// taxiiAdd serves POST …/collections/{id}/objects/: the partner's envelope, staged (sharing.Service.Receive); 202
// with the status. A document the service refuses is a 400 naming what is wrong, and nothing is staged.
func (s *server) taxiiAdd(w http.ResponseWriter, r *http.Request, p cleared.Partner) error {
	if err := taxiiCollectionOf(r); err != nil {
		return err
	}
	if _, err := taxiiQuery(r); err != nil {
		return err
	}
	if err := checkTAXIIType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	body, err := io.ReadAll(r.Body)
	if isTooLarge(err) {
		return &statusError{status: http.StatusRequestEntityTooLarge,
			detail: fmt.Sprintf("The envelope is over the API root's max_content_length of %d bytes: send fewer objects at a time.", taxiiMaxContent)}
	} else if err != nil {
		return err
	}
	it, err := s.share.Receive(r.Context(), p, body)
	if err != nil {
		return err
	}
	return taxiiWriteStatus(w, http.StatusAccepted, taxiiStatusOf(it))
}

// taxiiStatus serves GET /taxii2/cleared/status/{status_id}/: the status of an envelope, to the partner that posted
// it; to any other it is not found, in the words of any missing resource.
func (s *server) taxiiStatus(w http.ResponseWriter, r *http.Request, p cleared.Partner) error {
	id := r.PathValue("status_id")
	if !taxiiStatusPattern.MatchString(id) {
		return cleared.ErrNotFound
	}
	if _, err := taxiiQuery(r); err != nil {
		return err
	}
	it, err := s.share.Status(r.Context(), p, id)
	if err != nil {
		return err
	}
	return taxiiWriteStatus(w, http.StatusOK, taxiiStatusOf(it))
}

// taxiiWriteStatus answers status code with st in TAXII's media type.
func taxiiWriteStatus(w http.ResponseWriter, code int, st taxiiStatusResource) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", taxiiMedia)
	w.WriteHeader(code)
	w.Write(append(b, '\n')) //nolint:errcheck // the client may be gone
	return nil
}

// checkTAXIIType accepts TAXII 2.1's media type for an envelope: application/taxii+json, of version 2.1 if it says,
// in UTF-8 if it says.
func checkTAXIIType(ct string) error {
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil && mt == "application/taxii+json" {
		v, hasVersion := params["version"]
		cs, hasCharset := params["charset"]
		if (!hasVersion || v == "2.1") && (!hasCharset || strings.EqualFold(cs, "utf-8")) {
			return nil
		}
	}
	return &statusError{status: http.StatusUnsupportedMediaType,
		detail: "An envelope is sent as " + taxiiMedia + "."}
}
