package registry_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/registry"
)

func TestNSARegisters(t *testing.T) {
	e := newEnv(t)
	w := e.w
	orgs := func() int {
		os, err := e.svc.Organisations(e.ctx, e.as("helene"), "", 500)
		if err != nil {
			t.Fatal(err)
		}
		return len(os)
	}
	t.Run("A20.1 NSA officer registers an organisation", func(t *testing.T) {
		before := orgs()
		o, err := e.svc.RegisterOrganisation(e.ctx, e.as("helene"), registry.NewOrganisation{Name: "Douanes et Accises", Kind: cleared.PublicBody, Country: "LU"})
		if err != nil || o.ID.Validate() != nil || orgs() != before+1 {
			t.Fatalf("%v %v", o, err)
		}
	})
	t.Run("A20.1 a holder cannot register an organisation and nothing changes", func(t *testing.T) {
		before := orgs()
		_, err := e.svc.RegisterOrganisation(e.ctx, e.as("tom"), registry.NewOrganisation{Name: "X", Kind: cleared.Company, Country: "LU"})
		wantRule(t, err, "A20.1")
		if orgs() != before {
			t.Fatal("a refused registration changed the register")
		}
	})
	t.Run("A20.1 a security officer cannot record a clearance", func(t *testing.T) {
		_, err := e.svc.RecordClearance(e.ctx, e.as("anne"), registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Nina.ID,
			Level: cleared.Secret, Issued: e.clock.Now().AddDate(-1, 0, 0), Reference: "X"})
		wantRule(t, err, "A20.1")
	})
	t.Run("bad input is refused before anything", func(t *testing.T) {
		for _, in := range []registry.NewOrganisation{{Name: "", Kind: cleared.Company, Country: "LU"}, {Name: "X", Kind: "club", Country: "LU"},
			{Name: "X", Kind: cleared.Company, Country: "lux"}, {Name: "X\x00", Kind: cleared.Company, Country: "LU"}} {
			if _, err := e.svc.RegisterOrganisation(e.ctx, e.as("helene"), in); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("%+v: %v", in, err)
			}
		}
	})
	t.Run("A17.1 a clearance is recorded with its expiry", func(t *testing.T) {
		issued := e.clock.Now().AddDate(-1, 0, 0)
		c, err := e.svc.RecordClearance(e.ctx, e.as("helene"), registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Nina.ID,
			Level: cleared.TopSecret, Issued: issued, Reference: "ANS-PSC-2025-0999"})
		if err != nil {
			t.Fatal(err)
		}
		if !c.Expires.Equal(issued.AddDate(5, 0, 0)) || c.Status != cleared.ClearanceActive || c.Source != cleared.SourcePaperRegister {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("A17.1 an old clearance from the paper register is recorded expired", func(t *testing.T) {
		c, err := e.svc.RecordClearance(e.ctx, e.as("helene"), registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Nina.ID,
			Level: cleared.Secret, Issued: e.clock.Now().AddDate(-11, 0, 0), Reference: "ANS-PSC-2015-0001"})
		if err != nil || c.Status != cleared.ClearanceExpired {
			t.Fatalf("%+v %v", c, err)
		}
	})
	t.Run("A16.1 a clearance without level is invalid", func(t *testing.T) {
		_, err := e.svc.RecordClearance(e.ctx, e.as("helene"), registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Nina.ID,
			Issued: e.clock.Now().AddDate(-1, 0, 0), Reference: "X"})
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("A2.2 an officer must be cleared", func(t *testing.T) {
		_, err := e.svc.DesignateOfficer(e.ctx, e.as("helene"), registry.NewOfficer{OrganisationID: w.Company.ID, PersonID: w.Max.ID, DesignatedBy: "Conseil d'administration"})
		if err != nil {
			t.Fatalf("cleared officer: %v", err)
		}
		nobody, err := e.svc.RegisterPerson(e.ctx, e.as("helene"), registry.NewPerson{OrganisationID: w.Company.ID, Name: "Sans Habilitation"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.DesignateOfficer(e.ctx, e.as("helene"), registry.NewOfficer{OrganisationID: w.Company.ID, PersonID: nobody.ID, DesignatedBy: "Conseil"})
		wantRule(t, err, "A2.2")
	})
	t.Run("A2.2 an officer belongs to the organisation's staff", func(t *testing.T) {
		_, err := e.svc.DesignateOfficer(e.ctx, e.as("helene"), registry.NewOfficer{OrganisationID: w.Company.ID, PersonID: w.Tom.ID, DesignatedBy: "Conseil"})
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("A23.1 persons are visible to themselves, the NSA and their officers only", func(t *testing.T) {
		if _, err := e.svc.Person(e.ctx, e.as("tom"), w.Tom.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Person(e.ctx, e.as("luc"), w.Tom.ID); err != nil {
			t.Fatalf("his security officer: %v", err)
		}
		if _, err := e.svc.Person(e.ctx, e.as("lea"), w.Tom.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("another holder: %v", err)
		}
		if _, err := e.svc.Persons(e.ctx, e.as("tom"), "", 10); err == nil {
			t.Fatal("a holder listed persons")
		}
	})
}

func TestAuthorities(t *testing.T) {
	e := newEnv(t)
	w := e.w
	t.Run("A5.1 government_member authority needs a member of the Government", func(t *testing.T) {
		_, err := e.svc.RegisterAuthority(e.ctx, e.as("helene"), registry.NewAuthority{PersonID: w.Tom.ID, Kind: cleared.AuthorityGovernmentMember, Title: "Ministre"})
		wantRule(t, err, "A5.1")
	})
	t.Run("A5.1 a delegation is recorded by its principal", func(t *testing.T) {
		a, err := e.svc.RegisterAuthority(e.ctx, e.as("helene"), registry.NewAuthority{PersonID: w.Sophie.ID, Kind: cleared.AuthorityDelegate, Title: "Analyste principale"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.RegisterDelegation(e.ctx, e.as("director"), registry.NewDelegation{Delegate: a.ID, Principal: w.DirectorAuth.ID, Until: e.clock.Now().AddDate(0, 6, 0)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Classify(e.ctx, e.as("sophie_zone"), registry.NewPiece{Authority: a.ID, Kind: cleared.Electronic, Title: "Synthèse",
			Level: cleared.TopSecret, Reasons: []cleared.Reason{"a"}, ReviewOn: e.clock.Now().AddDate(1, 0, 0), Content: []byte("x")})
		if err != nil {
			t.Fatalf("delegate classifying: %v", err)
		}
	})
	t.Run("A5.1 a delegate cannot delegate further", func(t *testing.T) {
		a, err := e.svc.RegisterAuthority(e.ctx, e.as("helene"), registry.NewAuthority{PersonID: w.Tom.ID, Kind: cleared.AuthorityDelegate, Title: "Conseiller"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.RegisterDelegation(e.ctx, e.as("paul"), registry.NewDelegation{Delegate: a.ID, Principal: w.PaulAuth.ID, Until: e.clock.Now().AddDate(0, 6, 0)})
		wantRule(t, err, "A5.1") // Paul holds his authority only by delegation
		_, err = e.svc.RegisterDelegation(e.ctx, e.as("helene"), registry.NewDelegation{Delegate: a.ID, Principal: w.PaulAuth.ID, Until: e.clock.Now().AddDate(0, 6, 0)})
		wantRule(t, err, "A5.1")
	})
	t.Run("A5.2 a successor in office is recorded", func(t *testing.T) {
		next, err := e.svc.RegisterPerson(e.ctx, e.as("helene"), registry.NewPerson{OrganisationID: w.Ministry.ID, Name: "Nouvelle Ministre", GovernmentMember: true})
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.svc.RegisterAuthority(e.ctx, e.as("helene"), registry.NewAuthority{PersonID: next.ID, Kind: cleared.AuthorityGovernmentMember,
			Title: "Ministre des Affaires étrangères et européennes", Predecessor: w.MinisterAuth.ID})
		if err != nil {
			t.Fatal(err)
		}
		f, err := e.svc.Person(e.ctx, e.as("helene"), w.Minister.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f.Authority[0].Successor != a.ID || f.Authority[0].Until.IsZero() {
			t.Fatalf("predecessor not closed: %+v", f.Authority[0])
		}
		// The former minister no longer classifies.
		_, err = e.svc.Classify(e.ctx, e.as("minister"), registry.NewPiece{Authority: w.MinisterAuth.ID, Kind: cleared.Electronic, Title: "x",
			Level: cleared.Secret, Reasons: []cleared.Reason{"b"}, ReviewOn: e.clock.Now().AddDate(1, 0, 0), Content: []byte("x")})
		wantRule(t, err, "A5.1")
	})
}

func TestPlacesAndTerminals(t *testing.T) {
	e := newEnv(t)
	w := e.w
	t.Run("A9.2 only the organisation's security officer registers a place", func(t *testing.T) {
		_, err := e.svc.RegisterPlace(e.ctx, e.as("luc"), registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Salle", AccreditedLevel: cleared.Secret})
		wantRule(t, err, "A9.2")
		_, err = e.svc.RegisterPlace(e.ctx, e.as("helene"), registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Salle", AccreditedLevel: cleared.Secret})
		wantRule(t, err, "A9.2")
	})
	t.Run("A8.1 a terminal is accredited at most at its place's level", func(t *testing.T) {
		_, err := e.svc.RegisterTerminal(e.ctx, e.as("anne"), registry.NewTerminal{Place: w.Office.ID, Name: "WS", AccreditedLevel: cleared.TopSecret})
		wantRule(t, err, "A8.1")
	})
	t.Run("A9.3 a public place cannot be accredited", func(t *testing.T) {
		_, err := e.svc.RegisterPlace(e.ctx, e.as("luc"), registry.NewPlace{OrganisationID: w.Ministry.ID, Name: "Cafétéria", AccreditedLevel: cleared.Restricted, Public: true})
		wantRule(t, err, "A9.3")
	})
	t.Run("A8.2 a place accredited TRES SECRET must be a security zone", func(t *testing.T) {
		_, err := e.svc.RegisterPlace(e.ctx, e.as("anne"), registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Coffre du 2e", AccreditedLevel: cleared.TopSecret})
		wantRule(t, err, "A8.2")
	})
	t.Run("A11.1 the NSA accredits channels", func(t *testing.T) {
		_, err := e.svc.RegisterChannel(e.ctx, e.as("helene"), registry.NewChannel{Name: "Réseau interministériel", MaxLevel: cleared.Secret,
			CryptoProduct: "Chiffreur IP agréé v3", Until: e.clock.Now().AddDate(3, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.RegisterChannel(e.ctx, e.as("anne"), registry.NewChannel{Name: "X", MaxLevel: cleared.Secret, CryptoProduct: "Y", Until: e.clock.Now().AddDate(1, 0, 0)})
		wantRule(t, err, "A20.1")
	})
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	w := e.w
	secret, k, err := e.Auth.CreateToken(e.ctx, auth.NewToken{PersonID: w.Tom.ID, Terminal: w.MinistryTerm.ID, Label: "script", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := e.Auth.Authenticate(e.ctx, secret)
	if err != nil || a.Person != w.Tom.ID || a.Terminal != w.MinistryTerm.ID {
		t.Fatalf("%+v %v", a, err)
	}
	if len(k.Hash) != 32 || string(k.Hash) == secret {
		t.Fatal("the token's secret must be stored hashed")
	}
	other := "a" // one character of the secret changed: whatever it was, to another
	if secret[8] == 'a' {
		other = "b"
	}
	for _, bad := range []string{"", "cleared_", secret + "x", "Bearer " + secret, "cleared_" + other + secret[9:]} {
		if _, _, err := e.Auth.Authenticate(e.ctx, bad); !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	e.clock.Add(time.Hour)
	if _, _, err := e.Auth.Authenticate(e.ctx, secret); !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Fatalf("expired token: %v", err)
	}
	if _, _, err := e.Auth.CreateToken(e.ctx, auth.NewToken{PersonID: w.Tom.ID, Label: "x", TTL: 0}); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("zero TTL: %v", err)
	}
	if _, _, err := e.Auth.CreateToken(e.ctx, auth.NewToken{PersonID: cleared.NewPersonID(), Label: "x", TTL: time.Hour}); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
}

func TestBootstrapOnce(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.Bootstrap(e.ctx, registry.FirstOfficer{Name: "Intrus", ClearanceLevel: cleared.TopSecret, ClearanceIssued: e.clock.Now().AddDate(-1, 0, 0), ClearanceReference: "X"})
	if !errors.Is(err, cleared.ErrConflict) {
		t.Fatalf("second bootstrap: %v", err)
	}
}

func TestEquivalenceVersions(t *testing.T) {
	e := newEnv(t)
	tab, err := e.svc.Equivalence(e.ctx, e.as("tom"))
	if err != nil || tab.Version != 1 {
		t.Fatalf("A6.1 shipped table: %v %v", tab.Version, err)
	}
	next := cleared.DefaultEquivalence()
	next.Schemes["FR"] = map[cleared.Level]string{cleared.TopSecret: "TRES SECRET", cleared.Secret: "SECRET FR"}
	next.ValidFrom = time.Time{}
	// TRES SECRET collides with nothing foreign, but "TRES SECRET" as a French marking is legitimate data.
	v2, err := e.svc.SetEquivalence(e.ctx, e.as("helene"), next)
	if err != nil || v2.Version != 2 {
		t.Fatalf("A6.1 new version: %v %v", v2.Version, err)
	}
	if _, err := e.svc.SetEquivalence(e.ctx, e.as("tom"), next); err == nil {
		t.Fatal("A6.1 a holder edited the equivalence table")
	}
	e.clock.Add(time.Second)
	got, err := e.svc.Equivalence(e.ctx, e.as("tom"))
	if err != nil || got.Version != 2 {
		t.Fatalf("A6.1 table in force: %v %v", got.Version, err)
	}
	if _, ok := got.Foreign("FR", cleared.Restricted); ok {
		t.Fatal("A6.1 no French equivalent for RESTREINT in version 2")
	}
}
