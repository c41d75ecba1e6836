package web

import (
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// destructionJSON is a destruction record as the API shows it: the record, its state, its signatures each with
// where to download it, and where to download the report.
type destructionJSON struct {
	registry.DestructionView
	DocumentURL string          `json:"document_url,omitempty"`
	Signatures  []signatureJSON `json:"signatures"`
}

type signatureJSON struct {
	registry.SignatureView
	URL string `json:"url"`
}

func destructionOut(v registry.DestructionView) destructionJSON {
	base := "/api/destructions/" + string(v.ID)
	out := destructionJSON{DestructionView: v, Signatures: []signatureJSON{}}
	if v.Report {
		out.DocumentURL = base + "/document"
	}
	for _, g := range v.Signatures {
		out.Signatures = append(out.Signatures, signatureJSON{SignatureView: g, URL: base + "/signatures/" + strconv.Itoa(g.N)})
	}
	return out
}

// pieceDestroy serves POST /api/pieces/{id}/destruction: Destroy. A destruction done at once (below SECRET) and one
// awaiting its countersignature are both 201, their state telling which.
func (s *server) pieceDestroy(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.PieceID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	var in registry.NewDestruction
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.reg.Destroy(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	v, err := s.reg.Destruction(r.Context(), a, d.ID)
	if err != nil {
		return err
	}
	return created(w, "/api/destructions/"+string(d.ID), destructionOut(v))
}

// destructionRead serves GET /api/destructions/{id}: Destruction, the record and its verified signatures.
func (s *server) destructionRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.DestructionID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	v, err := s.reg.Destruction(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, destructionOut(v))
}

// countersignIn is the body of POST /api/destructions/{id}/countersign: an optional signature made outside
// cleared, base64 in JSON.
type countersignIn struct {
	Signature []byte `json:"signature,omitempty"`
}

// destructionCountersign serves POST /api/destructions/{id}/countersign: Countersign.
func (s *server) destructionCountersign(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.DestructionID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	var in countersignIn
	if err := decodeOptional(r, &in); err != nil { // without a signature handed in, cleared signs as the officer
		return err
	}
	if _, err := s.reg.Countersign(r.Context(), a, id, registry.Countersignature{Signature: in.Signature}); err != nil {
		return err
	}
	v, err := s.reg.Destruction(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, destructionOut(v))
}

// destructionDocument serves GET /api/destructions/{id}/document: the report's exact bytes, what each signature
// is over.
func (s *server) destructionDocument(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.DestructionID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	doc, err := s.reg.DestructionDocument(r.Context(), a, id)
	if err != nil {
		return err
	}
	return attachment(w, "text/plain; charset=utf-8", string(id)+".txt", doc)
}

// destructionSignature serves GET /api/destructions/{id}/signatures/{n}: one detached CMS signature, DER.
func (s *server) destructionSignature(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.DestructionID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > 99 {
		return cleared.Invalidf("a signature's number is 1, 2…")
	}
	cms, err := s.reg.DestructionSignature(r.Context(), a, id, n)
	if err != nil {
		return err
	}
	return attachment(w, "application/pkcs7-signature", string(id)+"-"+strconv.Itoa(n)+".p7s", cms)
}

// signingCA serves GET /api/ca: the certificate of cleared's signing CA, PEM, to verify signatures offline. It is
// public: a certificate is no secret, and a verifier needs no account.
func (s *server) signingCA(w http.ResponseWriter, r *http.Request) {
	pem, err := s.reg.SigningCA()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	attachment(w, "application/x-pem-file", "cleared-signing-ca.pem", pem) //nolint:errcheck // the client may be gone
}

func attachment(w http.ResponseWriter, contentType, name string, b []byte) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b) //nolint:errcheck // the client may be gone; nothing more can be said to it
	return nil
}

// certificateIn is the body of POST /api/signing/certificates: issue a certificate to a person from cleared's CA,
// or, with certificate (PEM), import one from the organisation's PKI.
type certificateIn struct {
	Person      cleared.PersonID `json:"person"`
	Certificate string           `json:"certificate,omitempty"`
}

// certificateCreate serves POST /api/signing/certificates: IssueCertificate or ImportCertificate.
func (s *server) certificateCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in certificateIn
	if err := decode(r, &in); err != nil {
		return err
	}
	var c cleared.SigningCertificate
	var err error
	if in.Certificate == "" {
		c, err = s.reg.IssueCertificate(r.Context(), a, in.Person)
	} else {
		c, err = s.reg.ImportCertificate(r.Context(), a, in.Person, []byte(in.Certificate))
	}
	if err != nil {
		return err
	}
	return created(w, "/api/signing/certificates?person="+string(c.Person), c)
}

// certificateList serves GET /api/signing/certificates?person=: PersonCertificates.
func (s *server) certificateList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	q := r.URL.Query()
	if err := checkSingle(q, "person"); err != nil {
		return err
	}
	cs, err := s.reg.PersonCertificates(r.Context(), a, cleared.PersonID(q.Get("person")))
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []cleared.SigningCertificate{}
	}
	return ok(w, map[string]any{"items": cs})
}

// certificateRevoke serves POST /api/signing/certificates/{fingerprint}/revoke: RevokeCertificate.
func (s *server) certificateRevoke(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	c, err := s.reg.RevokeCertificate(r.Context(), a, r.PathValue("fingerprint"))
	if err != nil {
		return err
	}
	return ok(w, c)
}

// caIn is the body of POST /api/signing/authorities.
type caIn struct {
	OrganisationID cleared.OrganisationID `json:"organisation_id"`
	Certificate    string                 `json:"certificate"`
}

// caImport serves POST /api/signing/authorities: ImportCA.
func (s *server) caImport(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in caIn
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.reg.ImportCA(r.Context(), a, in.OrganisationID, []byte(in.Certificate))
	if err != nil {
		return err
	}
	return created(w, "/api/ca", c)
}
