package vetting

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// The person's rights (Art. 28; A28.1, A27.4): a person whose case closed refused or withdrawn asks the commission
// in writing to see his file; the request is recorded with its date and reaches the agenda of the NSA, the
// commission's secretariat. He then reads his questionnaire, the investigation report and every item of the
// investigation but those revealing sources, whose written summary he reads instead; never the commission's
// opinion (A27.4), which is not part of what file returns. The commission reads the whole file through the same
// function (A27.4).

// maxRequest bounds the text of the person's request.
const maxRequest = 4000

// NewFileRequest is the person's written request to the commission to see his file.
type NewFileRequest struct {
	Text string `json:"text"`
}

// FileRequest is the request as recorded.
type FileRequest struct {
	Text  string    `json:"text"`
	Filed time.Time `json:"filed"`
}

// CaseFile is the file of a case: its record, the questionnaire's sections, the investigation's items, the
// requests with foreign services (to the commission only), and the report once filed. The person's view
// (ForPerson) holds, for each item revealing sources, its category, dates and written summary only (A28.1).
type CaseFile struct {
	Case          cleared.VettingCase         `json:"case"`
	ForPerson     bool                        `json:"for_person"`
	Questionnaire map[Section]json.RawMessage `json:"questionnaire"`
	Items         []Item                      `json:"items"`
	Cooperation   []Cooperation               `json:"cooperation,omitempty"`
	Report        *Report                     `json:"report,omitempty"`
	Request       *FileRequest                `json:"request,omitempty"`
}

// file returns the decrypted file of case c (A27.4, A28.1): whole for the commission; for the person (forPerson)
// with each item revealing sources replaced by its summary, without the requests exchanged with foreign services
// nor the names of the officers who wrote it. Neither ever holds the commission's opinion. The caller has decided
// that its reader may read it, within the audited action tx belongs to.
func (s *Service) file(tx store.Tx, c cleared.VettingCase, forPerson bool) (CaseFile, error) {
	f := CaseFile{Case: c, ForPerson: forPerson}
	var err error
	if f.Questionnaire, _, err = s.answers(tx, c.ID); err != nil {
		return f, err
	}
	o, err := s.opener(tx, c.ID)
	if err != nil {
		return f, err
	}
	if f.Items, err = items(tx, o, c.ID); err != nil {
		return f, err
	}
	if f.Report, err = report(tx, o, c.ID); err != nil {
		return f, err
	}
	if f.Request, err = fileRequest(tx, o, c.ID); err != nil {
		return f, err
	}
	if !forPerson {
		f.Cooperation, err = cooperation(tx, o, c.ID)
		return f, err
	}
	for i, it := range f.Items {
		it.AddedBy = ""
		if it.RevealsSource {
			it = Item{ID: it.ID, Withheld: true, Added: it.Added, NewItem: NewItem{Category: it.Category, Collected: it.Collected,
				Period: it.Period, From: it.From, Until: it.Until, RevealsSource: true, Summary: it.Summary}}
		}
		f.Items[i] = it
	}
	if f.Report != nil {
		f.Report.FiledBy = ""
	}
	return f, nil
}

func fileRequest(tx store.Tx, o sealer, id cleared.VettingCaseID) (*FileRequest, error) {
	r, err := tx.FileRequest(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := &FileRequest{Filed: r.Written}
	return out, o.open(slotFileRequest, r.Ciphertext, out)
}

// RequestFile records the person's written request to the commission to see his file on case id (A28.1): only
// the person, on a case closed refused or withdrawn, once; ErrNotFound for anyone else. The request is sealed
// under the case's key; the audit entry names the case only.
func (s *Service) RequestFile(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, data []byte) (r FileRequest, err error) {
	defer cleared.Wrap(&err, "request to see the file")
	if err := id.Validate(); err != nil {
		return r, err
	}
	var in NewFileRequest
	if err := strict(data, &in, "request"); err != nil {
		return r, err
	}
	if err := long("text", in.Text, true, maxRequest); err != nil {
		return r, cleared.Invalidf("request: %s (A28.1: a written request)", err.Error())
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.VettingFileRequest, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, _, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		o, err := s.opener(tx, id)
		if err != nil {
			return err
		}
		prev, err := fileRequest(tx, o, id)
		if err != nil {
			return err
		}
		if d := policy.RequestFile(w.me.ID, c, prev != nil); !d.Allowed {
			return x.Deny(string(id), d)
		}
		r = FileRequest{Text: in.Text, Filed: now}
		sealed, err := o.seal(slotFileRequest, r)
		if err != nil {
			return err
		}
		x.Payload = map[string]any{"case": id}
		return tx.AddFileRequest(store.SealedRecord{Case: id, Ciphertext: sealed, Written: now, By: w.me.ID})
	})
	return r, err
}

// File reads the person's file on case id (A28.1): to the person only, on a case closed refused or withdrawn,
// after his request; the items revealing sources replaced by their summary; never the commission's opinion
// (A27.4). ErrNotFound for anyone else; the read is audited.
func (s *Service) File(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (f CaseFile, err error) {
	defer cleared.Wrap(&err, "read the file")
	if err := id.Validate(); err != nil {
		return f, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingFileRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, _, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		if c.PersonID != w.me.ID {
			return x.Hide(string(id)) // the file is the person's to ask for: for others it is not there (A28.1)
		}
		o, err := s.opener(tx, id)
		if err != nil {
			return err
		}
		req, err := fileRequest(tx, o, id)
		if err != nil {
			return err
		}
		if d := policy.SeeFile(w.me.ID, c, req != nil); !d.Allowed {
			return x.Deny(string(id), d)
		}
		f, err = s.file(tx, c, true)
		return err
	})
	return f, err
}
