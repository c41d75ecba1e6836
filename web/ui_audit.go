package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/cleared/cleared"
)

// uiAudit serves GET /ui/audit: CosignedCheckpoint, the signed note (with the witnesses' cosignatures, if any) an
// auditor keeps to prove later that the log only grew (auditors and NSA officers only).
func (s *server) uiAudit(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	p := &detailsPage{Page: Page{Title: "audit.title", Nav: "audit"}, Intro: "audit.intro", Actions: []link{
		{Href: "/ui/audit/inclusion", Key: "audit.inclusion.title"},
		{Href: "/ui/audit/consistency", Key: "audit.consistency.title"},
		{Href: "/ui/audit/erase", Key: "audit.erase.title"},
	}}
	cp, err := s.reg.CosignedCheckpoint(r.Context(), u.Actor)
	switch {
	case errors.Is(err, cleared.ErrNotFound):
		p.Items = []detail{{Label: "audit.checkpoint", Value: keyCell("audit.none"), ID: "checkpoint-none"}}
	case err != nil:
		return err
	default:
		p.Items = []detail{
			{Label: "audit.size", Value: textCell(strconv.FormatUint(cp.Size, 10)), ID: "checkpoint-size"},
			{Label: "audit.created", Value: textCell(formatTime(cp.Created))},
			{Label: "audit.note", Value: cell{Text: string(cp.Note), Pre: true}, ID: "checkpoint-note"},
		}
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func proofForm(title, intro, action string, fields ...field) *formPage {
	return &formPage{Page: Page{Title: title, Nav: "audit"}, Intro: intro, Action: action, Get: true, Submit: "audit.prove",
		Links: []link{{Href: "/ui/audit", Key: "audit.title"}}, Fields: fields}
}

func hashes(proof [][]byte) string {
	lines := make([]string, 0, len(proof))
	for _, h := range proof {
		lines = append(lines, base64.StdEncoding.EncodeToString(h))
	}
	return strings.Join(lines, "\n")
}

// uiAuditInclusion serves GET /ui/audit/inclusion?seq=&size=: the form, then InclusionProof.
func (s *server) uiAuditInclusion(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	f := proofForm("audit.inclusion.title", "audit.inclusion.intro", "/ui/audit/inclusion",
		field{Name: "seq", Label: "audit.seq", Kind: "number", Required: true, Mode: "numeric"},
		field{Name: "size", Label: "audit.size", Help: "audit.size.help", Kind: "number", Required: true, Mode: "numeric"})
	q := r.URL.Query()
	if !q.Has("seq") {
		return s.render(w, r, u, http.StatusOK, f)
	}
	seq, err := formUint(q, "seq", "audit.seq")
	var size uint64
	if err == nil {
		size, err = formUint(q, "size", "audit.size")
	}
	if err == nil {
		p, perr := s.reg.InclusionProof(r.Context(), u.Actor, seq, size)
		if err = perr; err == nil {
			e := p.Record.Entry
			allowed := "audit.allowed"
			if !e.Allowed {
				allowed = "audit.refused"
			}
			return s.render(w, r, u, http.StatusOK, &detailsPage{Page: Page{Title: "audit.inclusion.title", Nav: "audit"}, Intro: "audit.inclusion.done",
				Actions: []link{{Href: "/ui/audit", Key: "audit.title"}}, Items: []detail{
					{Label: "audit.seq", Value: textCell(strconv.FormatUint(e.Seq, 10)), ID: "entry-seq"},
					{Label: "audit.time", Value: textCell(formatTime(e.Time))},
					{Label: "audit.action", Value: codeCell(e.Action), ID: "entry-action"},
					{Label: "audit.actor", Value: codeCell(string(e.Actor))},
					{Label: "audit.terminal", Value: codeCell(string(e.Terminal))},
					{Label: "audit.object", Value: codeCell(e.Object)},
					{Label: "audit.decision", Value: keyCell(allowed)},
					{Label: "audit.rule", Value: textCell(e.Rule)},
					{Label: "audit.leaf_hash", Value: codeCell(base64.StdEncoding.EncodeToString(p.Record.LeafHash))},
					{Label: "audit.size", Value: textCell(strconv.FormatUint(p.Size, 10))},
					{Label: "audit.proof", Value: cell{Text: hashes(p.Proof), Pre: true}, ID: "proof"},
				}})
		}
	}
	r.PostForm = q // formFail shows the form again with what was typed
	return s.formFail(w, r, u, f, err)
}

// uiAuditConsistency serves GET /ui/audit/consistency?from=&to=: the form, then ConsistencyProof.
func (s *server) uiAuditConsistency(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	f := proofForm("audit.consistency.title", "audit.consistency.intro", "/ui/audit/consistency",
		field{Name: "from", Label: "audit.from", Kind: "number", Required: true, Mode: "numeric"},
		field{Name: "to", Label: "audit.to", Kind: "number", Required: true, Mode: "numeric"})
	q := r.URL.Query()
	if !q.Has("from") {
		return s.render(w, r, u, http.StatusOK, f)
	}
	from, err := formUint(q, "from", "audit.from")
	var to uint64
	if err == nil {
		to, err = formUint(q, "to", "audit.to")
	}
	if err == nil {
		p, perr := s.reg.ConsistencyProof(r.Context(), u.Actor, from, to)
		if err = perr; err == nil {
			return s.render(w, r, u, http.StatusOK, &detailsPage{Page: Page{Title: "audit.consistency.title", Nav: "audit"},
				Intro: "audit.consistency.done", Actions: []link{{Href: "/ui/audit", Key: "audit.title"}}, Items: []detail{
					{Label: "audit.from", Value: textCell(strconv.FormatUint(p.From, 10))},
					{Label: "audit.to", Value: textCell(strconv.FormatUint(p.To, 10))},
					{Label: "audit.proof", Value: cell{Text: hashes(p.Proof), Pre: true}, ID: "proof"},
				}})
		}
	}
	r.PostForm = q
	return s.formFail(w, r, u, f, err)
}
