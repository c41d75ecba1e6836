package sqlite

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlstore"
	"github.com/cleared/cleared/store/storetest"
)

// TestMigration_00031_rebuilds_vetting_cases (A15.1): SQLite cannot drop the NOT NULL of vetting_cases.person_id, so
// 00031 rebuilds the table. A person's case, its answers and their references survive the rebuild down and up, and
// its seal still holds (the holder is sealed only on a facility case).
func TestMigration_00031_rebuilds_vetting_cases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cleared.db")
	openSealed := func() *sqlstore.Store {
		t.Helper()
		s, err := Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetSealKey(storetest.SealKey); err != nil {
			t.Fatal(err)
		}
		return s
	}
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	org := cleared.Organisation{ID: cleared.NewOrganisationID(), Name: "Luxdefence", Kind: cleared.Company, Country: "LU", Created: t0}
	p := cleared.Person{ID: cleared.NewPersonID(), OrganisationID: org.ID, Name: "Léa Braun", Created: t0}
	ct := cleared.Contract{ID: cleared.NewContractID(), Reference: "MP-1", OrganisationID: org.ID, Contractor: org.ID,
		Level: cleared.Confidential, Period: cleared.Period{From: t0}, CreatedBy: p.ID, Created: t0}
	c := cleared.VettingCase{ID: cleared.NewVettingCaseID(), PersonID: p.ID, OrganisationID: org.ID, Contract: ct.ID,
		Level: cleared.Confidential, Origin: cleared.OriginNational, Kind: cleared.KindInitial, Stage: cleared.StageQuestionnaire,
		Deadline: t0.AddDate(0, 1, 0), OpenedBy: p.ID, Opened: t0, Updated: t0}
	fac := cleared.VettingCase{ID: cleared.NewVettingCaseID(), Holder: cleared.HolderFacility, OrganisationID: org.ID, Contract: ct.ID,
		Level: cleared.Confidential, Origin: cleared.OriginNational, Kind: cleared.KindInitial, Stage: cleared.StageSigned,
		Deadline: t0, OpenedBy: p.ID, Opened: t0, Updated: t0}
	key := store.CaseKey{KEK: "kek", Wrapped: []byte("wrapped")}
	answers := store.VettingAnswers{Case: c.ID, Section: "civil_status", Ciphertext: []byte("sealed"), Updated: t0}

	s := openSealed()
	if err := s.Update(t.Context(), func(tx store.Tx) error {
		for _, f := range []func() error{
			func() error { return tx.CreateOrganisation(org) }, func() error { return tx.CreatePerson(p) },
			func() error { return tx.CreateContract(ct) }, func() error { return tx.CreateVettingCase(c, key) },
			func() error { return tx.CreateVettingCase(fac, key) }, func() error { return tx.PutVettingAnswers(answers) },
		} {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Down to 00030 (the facility case goes, the person's stays), then up again by opening the store.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	fsys, _ := fs.Sub(migrations, "migrations")
	prov, err := goose.NewProvider(goose.DialectSQLite3, db, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prov.DownTo(t.Context(), 30); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM vetting_cases`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after 00031's down: %d cases, %v; want the person's alone", n, err)
	}
	db.Close()

	s = openSealed()
	defer s.Close()
	if err := s.View(t.Context(), func(tx store.Tx) error {
		got, err := tx.VettingCase(c.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("case after the rebuild:\n got %+v\nwant %+v", got, c)
		}
		as, err := tx.VettingAnswers(c.ID)
		if err != nil || len(as) != 1 {
			t.Errorf("answers after the rebuild: %v, %v", as, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateVettingCase(fac, key) }); err != nil {
		t.Fatalf("a facility case after the rebuild: %v", err)
	}
}
