// Package demo loads a realistic demonstration data set through the services (registry, auth), exactly as users would
// build it: the NSA registers organisations, persons, clearances and authorities; security officers register their
// places and terminals; authorities classify; originators grant need-to-know. It serves `cleared serve --demo` and
// is the fixture of the registry's tests, so what the README shows is what the tests check.
package demo

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/vetting"
)

// Account is a demo person with a ready API token.
type Account struct {
	Key      string // short handle, e.g. "sophie"
	Person   cleared.Person
	Role     string // what the account shows, in a few words
	Token    string // bearer token secret
	Terminal cleared.TerminalID
}

// Login is a demo person's account for the web UI: a login, a password, and a TOTP secret whose current code
// `cleared demo code <login>` prints (or any authenticator app, given the secret).
type Login struct {
	Login      string
	Person     cleared.Person
	Role       string
	Password   string
	TOTPSecret string
}

// World is what Load created, for tests and for the README tour.
type World struct {
	NSA, Ministry, SRE, Company cleared.Organisation

	Helene, Minister, Director, Paul, Anne, Luc, Sophie, Tom, Lea, Max, Nina, Jo cleared.Person
	// Chapter 4's deciding authority and commission (Art. 27): Premier, the Prime Minister's delegate who decides
	// (role decider, a member of the Government: no clearance, A14.1); Claire, Bruno and Nadia, the officials the
	// Prime Minister, Foreign Affairs and Justice designate to the commission, TRES SECRET holders (A27.3).
	Premier, Claire, Bruno, Nadia cleared.Person

	MinisterAuth, DirectorAuth, PaulAuth cleared.ClassifyingAuthority
	Delegation                           cleared.Delegation

	Zone, Office, Reading, Lobby                cleared.Place
	ZoneTerm, OfficeTerm, MinistryTerm, Kiosk   cleared.Terminal
	TopSecret, Secret, Confidential, Restricted cleared.Piece
	NATO, PartA, PartB, Archive                 cleared.Piece
	Dossier                                     cleared.Dossier
	Accounts                                    []Account
	Logins                                      []Login
	// Ada administers accounts and sees nothing classified.
	Ada cleared.Person
	// Shredded is a SECRET piece Tom destroyed and Luc countersigned (A10.2): its report, Destruction, is signed
	// twice and verifies offline; its content is gone.
	Shredded    cleared.Piece
	Destruction cleared.Destruction
	// Issue 19 (transmissions.go): a cryptographic product the NSA approved, a SECRET channel it protects and a
	// CONFIDENTIEL one (A11.1); the national recipients of S2; Paul's specification sent by Sophie to the OCEIT, its receipt
	// not yet confirmed (A11.2).
	Product                            cleared.CryptoProduct
	SecretChannel, ConfidentialChannel cleared.Channel
	Parquet, ExportControl, Customs    cleared.Organisation
	Sent                               cleared.Transmission
	// Issue 19 (A9.5): Kremer, investigating judge at the Tribunal d'arrondissement, with no clearance and no grant, is named by
	// Order on the CONFIDENTIEL contract specifications, which he reads at the SRE's office terminal.
	Court  cleared.Organisation
	Kremer cleared.Person
	Order  cleared.JudicialOrder
	// Chapter 4 (vetting.go): Paul on the SRE's SECRET analyst post; the ministry's CONFIDENTIEL contract with
	// Luxdefence, Léa on it covered and Nina flagged without a clearance (A14.1); the Government's exemption
	// category with the minister as member.
	AnalystPost            cleared.Post
	Contract               cleared.Contract
	PaulOnPost, NinaOnDeal cleared.Assignment
	JoCase                 cleared.VettingCase // at the questionnaire stage (A25.1)
	Government             cleared.ExemptionCategory
	MinisterMember         cleared.ExemptionMembership
	// Chapter 4, the investigation (vetting_investigation.go): Eva Lenz, a new analyst of the SRE without an
	// account, whose case Hélène investigates (A21.1, A24.1, A25.3).
	Eva     cleared.Person
	EvaCase cleared.VettingCase

	// Retention (issue 20 §9, vetting_retention.go): Nina's case from abroad, closed for non-cooperation, its data
	// held by the NSA for a year (A23.2).
	NinaCase cleared.VettingCase

	// Incident is the suspected compromise of the SECRET note Tom reported (A13.1): open, its warnings to Luc, the
	// NSA and the minister written to the outbox, Luc's acknowledged.
	Incident cleared.Incident
	// Briefings (vetting_briefings.go, A18.1): the Direction de la Défense and its security officer Claude Reuter;
	// Marie Kayser, her SECRET clearance granted and pending her briefing and declaration; Marc Weis, his
	// re-briefing overdue, who reported a journey abroad, taken up by the NSA. None has an account.
	Defence                        cleared.Organisation
	Reuter, Kayser, Weis           cleared.Person
	KayserClearance, WeisClearance cleared.Clearance
	WeisReport                     cleared.CircumstanceReport
	// The later stages (vetting_procedure.go): the Defence's SECRET post; Iris Muller's case reported, waiting for
	// the deciding authority (A15.2, A27.1); Oscar Braun's granted and notified, his clearance pending its briefing
	// (A27.1, A18.1).
	DefencePost         cleared.Post
	Iris, Oscar         cleared.Person
	IrisCase, OscarCase cleared.VettingCase
	// Chapter 4, facility clearances (vetting_facility.go): Luxdefence's case for the ministry's contract, Léa
	// director and running the contract, Max its security officer lacking CONFIDENTIEL (A15.1, A21.2).
	FacilityCase cleared.VettingCase

	// Sharing (sharing.go, issue 21): three partners, three products and their releases.
	NATOPartner, EUPartner, CERTPartner             cleared.Partner
	SecretProduct, ConfidentialProduct, OpenProduct cleared.Piece
	SecretRelease, ConfidentialRelease, OpenRelease cleared.Release
}

// Login returns the demo web login with the given name.
func (w *World) Login(login string) Login {
	for _, l := range w.Logins {
		if l.Login == login {
			return l
		}
	}
	panic("demo: no login " + login)
}

// Password is a demo login's password: well known, like everything in the demo.
func Password(login string) string { return login + "-demo-password" }

var (
	hashesOnce sync.Once
	hashes     = map[string]string{}
)

// passwordHash returns the hash of a demo login's password. The demo is loaded by many tests in one process; the
// hashes are made once, in parallel.
func passwordHash(login string) string {
	hashesOnce.Do(func() {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, wl := range WebLogins {
			l := wl.Login
			wg.Go(func() {
				h, err := account.HashPasswordCheaply(Password(l))
				if err != nil {
					panic("demo: " + err.Error()) // the demo's passwords follow the rules
				}
				mu.Lock()
				hashes[l] = h
				mu.Unlock()
			})
		}
		wg.Wait()
	})
	return hashes[login]
}

// APITokens are the demo's API tokens: the secret is TokenPrefix + "demo_" + Key; requests with one count as
// coming from the terminal its role names.
var APITokens = []struct{ Key, Role string }{
	{"helene", "NSA officer (TRES SECRET)"},
	{"sophie_zone", "analyst, TRES SECRET, in the security zone"},
	{"sophie_office", "analyst, TRES SECRET, at an office terminal outside the zone"},
	{"sophie_kiosk", "analyst, TRES SECRET, at the public kiosk"},
	{"director", "SRE director, classifying authority (TRES SECRET)"},
	{"paul", "delegated classifying authority (SECRET)"},
	{"minister", "minister, classifying authority without clearance"},
	{"anne", "SRE security officer (TRES SECRET)"},
	{"luc", "ministry security officer (SECRET)"},
	{"tom", "ministry adviser, SECRET"},
	{"lea", "contractor engineer, CONFIDENTIEL"},
	{"max", "contractor, RESTREINT"},
	{"nina", "contractor without clearance"},
	{"jo", "former analyst whose TRES SECRET clearance expired"},
	{"premier", "deciding authority (Art. 27), member of the Government"},
	{"claire", "commission member designated by the Prime Minister (TRES SECRET)"},
	{"bruno", "commission member designated by Foreign Affairs (TRES SECRET)"},
	{"nadia", "commission member designated by Justice (TRES SECRET)"},
}

// WebLogins are the demo's web logins and what each shows, in the order `cleared demo accounts` lists them.
var WebLogins = []struct{ Login, Role string }{
	{"helene", "NSA officer (TRES SECRET)"},
	{"sophie", "analyst, TRES SECRET"},
	{"director", "SRE director, classifying authority (TRES SECRET)"},
	{"paul", "delegated classifying authority (SECRET)"},
	{"minister", "minister, classifying authority without clearance"},
	{"anne", "SRE security officer (TRES SECRET)"},
	{"luc", "ministry security officer (SECRET)"},
	{"tom", "ministry adviser, SECRET"},
	{"lea", "contractor engineer, CONFIDENTIEL"},
	{"max", "contractor, RESTREINT"},
	{"nina", "contractor without clearance"},
	{"jo", "former analyst whose TRES SECRET clearance expired"},
	{"premier", "deciding authority (Art. 27), member of the Government"},
	{"claire", "commission member designated by the Prime Minister (TRES SECRET)"},
	{"bruno", "commission member designated by Foreign Affairs (TRES SECRET)"},
	{"nadia", "commission member designated by Justice (TRES SECRET)"},
	{"ada", "account administrator, no clearance"},
}

// TOTPSecret is a demo login's TOTP secret, derived from the login so that anyone can compute its codes.
func TOTPSecret(login string) string {
	sum := sha256.Sum256([]byte("cleared demo totp " + login))
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20])
}

// Account returns the demo account with key k.
func (w *World) Account(k string) Account {
	for _, a := range w.Accounts {
		if a.Key == k {
			return a
		}
	}
	panic("demo: no account " + k)
}

// Token returns the secret of the demo token with key k.
func (w *World) Token(k string) string { return w.Account(k).Token }

// loader threads the first error through a sequence of service calls, so Load reads as the story it tells.
type loader struct {
	ctx context.Context
	sv  Services
	now time.Time
	err error
}

// years is the time n years before the load.
func (l *loader) years(n int) time.Time { return l.now.AddDate(-n, 0, 0) }

// Services are the services the demo world is loaded through, one per audience.
type Services struct {
	Registry *registry.Service
	Auth     *auth.Service
	Vetting  *vetting.Service // Chapter 4 (vetting.go)
	Sharing  *sharing.Service // issue 21 (sharing.go); nil: no partners in the demo
	// Run is the services' runner: the briefings chapter grants its pending clearance through it, as the deciding
	// authority's decision does (vetting_briefings.go).
	Run *act.Runner
}

// chapters load the world in parts, each standing on those before it, so that a new chapter (vetting, sharing)
// adds its part and leaves the ones the existing tests and grids rely on as they are.
var chapters = []struct {
	name string
	load func(*loader, *World)
}{
	{"registers", loadRegisters},                        // Chapter 2 and the registers of Chapter 3: organisations, persons, places
	{"pieces", loadPieces},                              // Chapter 3: classified pieces, a dossier, need-to-know
	{"accounts", loadAccounts},                          // who signs in: API tokens and web logins
	{"profiles", loadProfiles},                          // A1.1: a ministry's own rules beside the shipped EU and NATO profiles (profiles.go)
	{"destruction", loadDestruction},                    // Chapter 3, Art. 10: a SECRET piece destroyed with both signatures
	{"transmissions", loadTransmissions},                // Art. 11, S2: channels, an approved product, a piece sent (transmissions.go)
	{"judicial", loadJudicial},                          // Art. 9 al. 1, A9.5: an investigating judge named by an order (judicial.go)
	{"vetting", loadVetting},                            // Chapter 4: posts, a classified contract, exemptions (vetting.go)
	{"incidents", loadIncidents},                        // Chapter 3, Art. 13: an open incident and its warnings (incidents.go)
	{"vetting cases", loadVettingCases},                 // Chapter 4, Art. 25: a case at the questionnaire stage (vetting_cases.go)
	{"vetting investigation", loadVettingInvestigation}, // Chapter 4, Art. 21, 24, 25: a case under investigation (vetting_investigation.go)

	{"vetting retention", loadVettingRetention}, // Chapter 4, Art. 23: a refused case held by the NSA (vetting_retention.go)
	{"briefings", loadBriefings},                // Chapter 4, Art. 18: a clearance awaiting its briefing, a re-briefing overdue (vetting_briefings.go)
	{"vetting procedure", loadVettingProcedure}, // Chapter 4: a case reported, one granted and notified (vetting_procedure.go)
	{"facility", loadVettingFacility},           // Chapter 4, Art. 15, 21: a company's case, one organ uncleared (vetting_facility.go)
	{"sharing", loadSharing},                    // issue 21, S1: partners and three products released to them (sharing.go)
}

func do[T any](l *loader, what string, f func() (T, error)) T {
	var zero T
	if l.err != nil {
		return zero
	}
	v, err := f()
	if err != nil {
		l.err = fmt.Errorf("demo: %s: %w", what, err)
	}
	return v
}

// Load builds the demo world in an empty database, chapter by chapter. now is the services' clock at load time.
func Load(ctx context.Context, sv Services, now time.Time) (*World, error) {
	l := &loader{ctx: ctx, sv: sv, now: now}
	w := &World{}
	for _, c := range chapters {
		if c.load(l, w); l.err != nil {
			return nil, l.err
		}
	}
	return w, nil
}

// loadRegisters: the NSA registers organisations, persons, clearances and authorities; security officers register
// their places and terminals.
func loadRegisters(l *loader, w *World) {
	ctx, s, now, years := l.ctx, l.sv.Registry, l.now, l.years
	w.Helene = do(l, "bootstrap", func() (cleared.Person, error) {
		return s.Bootstrap(ctx, registry.FirstOfficer{Name: "Hélène Weber", Email: "helene.weber@ans.example.lu",
			ClearanceLevel: cleared.TopSecret, ClearanceIssued: years(2), ClearanceReference: "ANS-PSC-2024-0001"})
	})
	nsa := cleared.Actor{Person: w.Helene.ID}
	org := func(name string, kind cleared.OrganisationKind) cleared.Organisation {
		return do(l, "organisation "+name, func() (cleared.Organisation, error) {
			return s.RegisterOrganisation(ctx, nsa, registry.NewOrganisation{Name: name, Kind: kind, Country: "LU"})
		})
	}
	w.Ministry = org("Ministère des Affaires étrangères et européennes", cleared.PublicBody)
	w.SRE = org("Service de Renseignement de l'État", cleared.PublicBody)
	w.Company = org("Luxdefence Systems S.A.", cleared.Company)
	orgs := do(l, "list organisations", func() ([]cleared.Organisation, error) { return s.Organisations(ctx, nsa, "", 50) })
	for _, o := range orgs {
		if o.Name == registry.NSAName {
			w.NSA = o
		}
	}

	// Every person has an e-mail address at his organisation's domain, where warnings of incidents go (A13.1).
	domain := map[cleared.OrganisationID]string{w.Ministry.ID: "maee.example.lu", w.SRE.ID: "sre.example.lu",
		w.Company.ID: "luxdefence.example.lu"}
	person := func(o cleared.Organisation, name string, gov bool) cleared.Person {
		local := strings.ToLower(strings.NewReplacer(" ", ".", "é", "e", "è", "e").Replace(name))
		return do(l, "person "+name, func() (cleared.Person, error) {
			return s.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: o.ID, Name: name, GovernmentMember: gov,
				Email: local + "@" + domain[o.ID]})
		})
	}
	clear := func(p cleared.Person, lv cleared.Level, issued time.Time, ref string) {
		do(l, "clearance "+ref, func() (cleared.Clearance, error) {
			return s.RecordClearance(ctx, nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: p.ID, Level: lv, Issued: issued, Reference: ref})
		})
	}
	w.Minister = person(w.Ministry, "Marc Thill", true) // member of the Government: no clearance (Art. 5, Art. 14)
	w.Director = person(w.SRE, "Claire Schmit", false)
	w.Paul = person(w.SRE, "Paul Kieffer", false)
	w.Anne = person(w.SRE, "Anne Muller", false)
	w.Luc = person(w.Ministry, "Luc Reding", false)
	w.Sophie = person(w.SRE, "Sophie Wagner", false)
	w.Tom = person(w.Ministry, "Tom Hoffmann", false)
	w.Lea = person(w.Company, "Léa Braun", false)
	w.Max = person(w.Company, "Max Klein", false)
	w.Nina = person(w.Company, "Nina Frisch", false)
	w.Jo = person(w.SRE, "Jo Ferber", false)
	w.Premier = do(l, "person Premier", func() (cleared.Person, error) {
		return s.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.Ministry.ID, Name: "Pierre Lambert",
			GovernmentMember: true, Roles: []cleared.Role{cleared.RoleDecider}, Email: "pierre.lambert@maee.example.lu"})
	})
	w.Claire = person(w.SRE, "Claire Reuter", false)
	w.Bruno = person(w.Ministry, "Bruno Kayser", false)
	w.Nadia = person(w.Ministry, "Nadia Lentz", false)
	clear(w.Director, cleared.TopSecret, years(1), "ANS-PSC-2025-0102")
	clear(w.Paul, cleared.Secret, years(3), "ANS-PSC-2023-0417")
	clear(w.Anne, cleared.TopSecret, years(4), "ANS-PSC-2022-0033")
	clear(w.Luc, cleared.Secret, years(2), "ANS-PSC-2024-0250")
	clear(w.Sophie, cleared.TopSecret, years(2), "ANS-PSC-2024-0311")
	// A17.1: Tom's SECRET clearance, ten years old in three months, is on the agenda of Tom, of his security officer
	// and of the NSA.
	clear(w.Tom, cleared.Secret, now.AddDate(-10, 3, 0), "ANS-PSC-2017-0178")
	clear(w.Lea, cleared.Confidential, years(1), "ANS-PSC-2025-0520")
	clear(w.Max, cleared.Restricted, years(1), "ANS-PSC-2025-0521")
	clear(w.Jo, cleared.TopSecret, years(6), "ANS-PSC-2020-0007") // TRES SECRET lasts five years: expired (A17.1)
	clear(w.Claire, cleared.TopSecret, years(1), "ANS-PSC-2025-0601")
	clear(w.Bruno, cleared.TopSecret, years(1), "ANS-PSC-2025-0602")
	clear(w.Nadia, cleared.TopSecret, years(1), "ANS-PSC-2025-0603")
	do(l, "facility clearance", func() (cleared.Clearance, error) {
		return s.RecordClearance(ctx, nsa, registry.NewClearance{HolderKind: cleared.HolderFacility, OrganisationID: w.Company.ID,
			Level: cleared.Confidential, Issued: years(2), Reference: "ANS-FSC-2024-0009"})
	})

	officer := func(o cleared.Organisation, p cleared.Person, by string) {
		do(l, "officer "+p.Name, func() (cleared.SecurityOfficer, error) {
			return s.DesignateOfficer(ctx, nsa, registry.NewOfficer{OrganisationID: o.ID, PersonID: p.ID, DesignatedBy: by, Since: years(1)})
		})
	}
	officer(w.SRE, w.Anne, "Directeur du Service de Renseignement de l'État")
	officer(w.Ministry, w.Luc, "Ministre des Affaires étrangères et européennes")

	authority := func(p cleared.Person, kind cleared.AuthorityKind, title string) cleared.ClassifyingAuthority {
		return do(l, "authority "+title, func() (cleared.ClassifyingAuthority, error) {
			return s.RegisterAuthority(ctx, nsa, registry.NewAuthority{PersonID: p.ID, Kind: kind, Title: title, From: years(1)})
		})
	}
	w.MinisterAuth = authority(w.Minister, cleared.AuthorityGovernmentMember, "Ministre des Affaires étrangères et européennes")
	w.DirectorAuth = authority(w.Director, cleared.AuthoritySREDirector, "Directrice du Service de Renseignement de l'État")
	w.PaulAuth = authority(w.Paul, cleared.AuthorityDelegate, "Chef de la division Analyse, SRE")
	w.Delegation = do(l, "delegation", func() (cleared.Delegation, error) {
		return s.RegisterDelegation(ctx, cleared.Actor{Person: w.Director.ID}, registry.NewDelegation{Delegate: w.PaulAuth.ID,
			Principal: w.DirectorAuth.ID, From: years(1), Until: now.AddDate(1, 0, 0), Reference: "Décision SRE/DIR/2025-14"})
	})

	place := func(officer cleared.Person, o cleared.Organisation, name string, lv cleared.Level, zone, public bool) cleared.Place {
		return do(l, "place "+name, func() (cleared.Place, error) {
			return s.RegisterPlace(ctx, cleared.Actor{Person: officer.ID}, registry.NewPlace{OrganisationID: o.ID, Name: name,
				AccreditedLevel: lv, SecurityZone: zone, Public: public})
		})
	}
	terminal := func(officer cleared.Person, pl cleared.Place, name string, lv cleared.Level) cleared.Terminal {
		return do(l, "terminal "+name, func() (cleared.Terminal, error) {
			return s.RegisterTerminal(ctx, cleared.Actor{Person: officer.ID}, registry.NewTerminal{Place: pl.ID, Name: name, AccreditedLevel: lv})
		})
	}
	w.Zone = place(w.Anne, w.SRE, "Salle sécurisée B2 (zone de sécurité)", cleared.TopSecret, true, false)
	w.Office = place(w.Anne, w.SRE, "Bureau 3.14", cleared.Secret, false, false)
	w.Reading = place(w.Luc, w.Ministry, "Salle de lecture, 4e étage", cleared.Secret, false, false)
	w.Lobby = place(w.Luc, w.Ministry, "Hall d'accueil", cleared.Unclassified, false, true)
	w.ZoneTerm = terminal(w.Anne, w.Zone, "B2-WS01", cleared.TopSecret)
	w.OfficeTerm = terminal(w.Anne, w.Office, "314-WS02", cleared.Secret)
	w.MinistryTerm = terminal(w.Luc, w.Reading, "MAEE-LECT-01", cleared.Secret)
	w.Kiosk = terminal(w.Luc, w.Lobby, "Borne d'accueil", cleared.Unclassified)
}

// loadPieces: authorities classify, at the terminal where the content could be read; originators grant
// need-to-know.
func loadPieces(l *loader, w *World) {
	ctx, s, now := l.ctx, l.sv.Registry, l.now
	review := now.AddDate(2, 0, 0)
	// The content of an electronic piece is typed at a terminal where it could be read (A8.1, A8.2, A9.3): each
	// classifier works at the terminal his API token is bound to below.
	desk := map[cleared.PersonID]cleared.TerminalID{w.Director.ID: w.ZoneTerm.ID, w.Paul.ID: w.OfficeTerm.ID,
		w.Minister.ID: w.MinistryTerm.ID}
	classify := func(by cleared.Person, auth cleared.ClassifyingAuthority, in registry.NewPiece) cleared.Piece {
		in.Authority, in.Kind = auth.ID, cleared.Electronic
		if in.ReviewOn.IsZero() {
			in.ReviewOn = review
		}
		if in.ContentType == "" {
			in.ContentType = "text/plain; charset=utf-8"
		}
		return do(l, "classify "+in.Title, func() (cleared.Piece, error) {
			return s.Classify(ctx, cleared.Actor{Person: by.ID, Terminal: desk[by.ID]}, in)
		})
	}
	ab := []cleared.Reason{cleared.ReasonSecurity, cleared.ReasonInternational}
	w.TopSecret = classify(w.Director, w.DirectorAuth, registry.NewPiece{Title: "Évaluation de la menace : réseau ORAGE", Level: cleared.TopSecret,
		Reasons: []cleared.Reason{cleared.ReasonSecurity}, Content: []byte("Évaluation TRES SECRET: sources humaines et techniques sur le réseau ORAGE.\n")})
	w.Secret = classify(w.Minister, w.MinisterAuth, registry.NewPiece{Title: "Note diplomatique : négociations bilatérales", Level: cleared.Secret,
		Reasons: []cleared.Reason{cleared.ReasonInternational}, Content: []byte("Note SECRET sur l'état des négociations.\n")})
	// A3.2: due for review in three weeks, on the agenda of Paul, who classified it.
	w.Confidential = classify(w.Paul, w.PaulAuth, registry.NewPiece{Title: "Cahier des charges du système de chiffrement", Level: cleared.Confidential,
		Reasons: []cleared.Reason{cleared.ReasonPotential}, ReviewOn: now.AddDate(0, 0, 21), Content: []byte("Spécifications CONFIDENTIEL du projet.\n")})
	w.Restricted = classify(w.Paul, w.PaulAuth, registry.NewPiece{Title: "Annuaire des officiers de sécurité", Level: cleared.Restricted,
		Reasons: []cleared.Reason{cleared.ReasonSecurity}, Content: []byte("Liste RESTREINT des officiers de sécurité.\n")})
	w.NATO = classify(w.Paul, w.PaulAuth, registry.NewPiece{Title: "NATO threat assessment (received)", ForeignMarking: "NATO SECRET",
		Reasons: ab, Content: []byte("NATO SECRET assessment, national equivalent SECRET LUX.\n")})
	w.Dossier = do(l, "dossier", func() (cleared.Dossier, error) {
		// A4.2: the aggregate is classified SECRET although each part is lower.
		return s.CreateDossier(ctx, cleared.Actor{Person: w.Paul.ID}, registry.NewDossier{Authority: w.PaulAuth.ID, Title: "Dossier BRUME", Level: cleared.Secret})
	})
	w.PartA = classify(w.Paul, w.PaulAuth, registry.NewPiece{Title: "BRUME : chronologie", Level: cleared.Confidential, Dossier: w.Dossier.ID,
		Reasons: ab, Content: []byte("Chronologie CONFIDENTIEL.\n")})
	w.PartB = classify(w.Paul, w.PaulAuth, registry.NewPiece{Title: "BRUME : liste des contacts", Level: cleared.Restricted, Dossier: w.Dossier.ID,
		Reasons: ab, Content: []byte("Contacts RESTREINT.\n")})

	grant := func(by cleared.Person, to cleared.Person, p cleared.PieceID, d cleared.DossierID, why string) {
		do(l, "grant to "+to.Name, func() (cleared.Grant, error) {
			return s.Grant(ctx, cleared.Actor{Person: by.ID}, registry.NewGrant{PersonID: to.ID, Piece: p, Dossier: d, Until: now.AddDate(1, 0, 0), Reason: why})
		})
	}
	grant(w.Director, w.Sophie, w.TopSecret.ID, "", "Analyste chargée du réseau ORAGE")
	grant(w.Director, w.Anne, w.TopSecret.ID, "", "Officier de sécurité du SRE")
	grant(w.Minister, w.Tom, w.Secret.ID, "", "Conseiller chargé des négociations")
	grant(w.Minister, w.Sophie, w.Secret.ID, "", "Appui analytique aux négociations")
	grant(w.Paul, w.Lea, w.Confidential.ID, "", "Ingénieure du contrat de chiffrement")
	grant(w.Paul, w.Sophie, w.Confidential.ID, "", "Suivi du contrat")
	grant(w.Paul, w.Max, w.Restricted.ID, "", "Correspondant sécurité du contractant")
	grant(w.Paul, w.Lea, w.Restricted.ID, "", "Correspondante du contrat")
	grant(w.Paul, w.Tom, w.Restricted.ID, "", "Diffusion au ministère")
	grant(w.Paul, w.Sophie, w.NATO.ID, "", "Analyse OTAN")
	grant(w.Paul, w.Sophie, "", w.Dossier.ID, "Analyste du dossier BRUME")
	if l.err == nil {
		// A9.1: Jo's clearance expired, so no need-to-know can be given to him; the demo would be wrong otherwise.
		if _, err := s.Grant(ctx, cleared.Actor{Person: w.Paul.ID}, registry.NewGrant{PersonID: w.Jo.ID, Piece: w.Restricted.ID,
			Until: now.AddDate(1, 0, 0), Reason: "Ancien correspondant"}); err == nil {
			l.err = fmt.Errorf("demo: a grant to a person whose clearance expired was accepted (A9.1)")
		}
	}
}

// loadAccounts: an API token per demo role, bound to a terminal, and a web login per person.
func loadAccounts(l *loader, w *World) {
	ctx, s, a := l.ctx, l.sv.Registry, l.sv.Auth
	nsa := cleared.Actor{Person: w.Helene.ID}
	account := func(key string, p cleared.Person, role string, t cleared.TerminalID) {
		secret := auth.TokenPrefix + "demo_" + key
		do(l, "token "+key, func() (cleared.Token, error) {
			_, k, err := a.CreateToken(ctx, auth.NewToken{PersonID: p.ID, Terminal: t, Label: "demo: " + role, TTL: auth.MaxTokenTTL, Secret: secret})
			return k, err
		})
		w.Accounts = append(w.Accounts, Account{Key: key, Person: p, Role: role, Token: secret, Terminal: t})
	}
	tokenOf := map[string]struct {
		p cleared.Person
		t cleared.TerminalID
	}{
		"helene":        {w.Helene, w.ZoneTerm.ID},
		"sophie_zone":   {w.Sophie, w.ZoneTerm.ID},
		"sophie_office": {w.Sophie, w.OfficeTerm.ID},
		"sophie_kiosk":  {w.Sophie, w.Kiosk.ID},
		"director":      {w.Director, w.ZoneTerm.ID},
		"paul":          {w.Paul, w.OfficeTerm.ID},
		"minister":      {w.Minister, w.MinistryTerm.ID},
		"anne":          {w.Anne, w.ZoneTerm.ID},
		"luc":           {w.Luc, w.MinistryTerm.ID},
		"tom":           {w.Tom, w.MinistryTerm.ID},
		"lea":           {w.Lea, w.OfficeTerm.ID},
		"max":           {w.Max, w.OfficeTerm.ID},
		"nina":          {w.Nina, w.OfficeTerm.ID},
		"jo":            {w.Jo, w.ZoneTerm.ID},
		"premier":       {w.Premier, w.MinistryTerm.ID},
		"claire":        {w.Claire, w.OfficeTerm.ID},
		"bruno":         {w.Bruno, w.MinistryTerm.ID},
		"nadia":         {w.Nadia, w.MinistryTerm.ID},
	}
	for _, tk := range APITokens {
		account(tk.Key, tokenOf[tk.Key].p, tk.Role, tokenOf[tk.Key].t)
	}

	// Web logins: one per person; the terminal is chosen when signing in.
	w.Ada = do(l, "person Ada", func() (cleared.Person, error) {
		return s.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.NSA.ID, Name: "Ada Weber", Roles: []cleared.Role{cleared.RoleAdmin}})
	})
	persons := map[string]cleared.Person{"helene": w.Helene, "sophie": w.Sophie, "director": w.Director, "paul": w.Paul,
		"minister": w.Minister, "anne": w.Anne, "luc": w.Luc, "tom": w.Tom, "lea": w.Lea, "max": w.Max, "nina": w.Nina,
		"jo": w.Jo, "ada": w.Ada, "premier": w.Premier, "claire": w.Claire, "bruno": w.Bruno, "nadia": w.Nadia}
	for _, wl := range WebLogins {
		name, p := wl.Login, persons[wl.Login]
		do(l, "login "+name, func() (auth.NewAccountResult, error) {
			return a.AddAccount(ctx, auth.NewAccount{PersonID: p.ID, Login: name, Password: Password(name),
				PasswordHash: passwordHash(name), TOTPSecret: TOTPSecret(name)})
		})
		w.Logins = append(w.Logins, Login{Login: name, Person: p, Role: wl.Role, Password: Password(name), TOTPSecret: TOTPSecret(name)})
	}
}

// loadDestruction: the minister classifies a SECRET note for Tom, who destroys it once used; the ministry's security
// officer Luc countersigns the report (A10.1, A10.2, E2).
func loadDestruction(l *loader, w *World) {
	ctx, s, now := l.ctx, l.sv.Registry, l.now
	w.Shredded = do(l, "classify the note to destroy", func() (cleared.Piece, error) {
		return s.Classify(ctx, cleared.Actor{Person: w.Minister.ID, Terminal: w.MinistryTerm.ID}, registry.NewPiece{
			Authority: w.MinisterAuth.ID, Kind: cleared.Electronic, Title: "Note de séance : conseil restreint", Level: cleared.Secret,
			Reasons: []cleared.Reason{cleared.ReasonInternational}, ReviewOn: now.AddDate(1, 0, 0), ContentType: "text/plain; charset=utf-8",
			Content: []byte("Note SECRET de la séance, à détruire après lecture.\n")})
	})
	do(l, "grant the note to Tom", func() (cleared.Grant, error) {
		return s.Grant(ctx, cleared.Actor{Person: w.Minister.ID}, registry.NewGrant{PersonID: w.Tom.ID, Piece: w.Shredded.ID,
			Until: now.AddDate(1, 0, 0), Reason: "Destinataire de la note"})
	})
	tom := cleared.Actor{Person: w.Tom.ID, Terminal: w.MinistryTerm.ID}
	w.Destruction = do(l, "Tom destroys the note", func() (cleared.Destruction, error) {
		return s.Destroy(ctx, tom, w.Shredded.ID, registry.NewDestruction{})
	})
	w.Destruction = do(l, "Luc countersigns", func() (cleared.Destruction, error) {
		return s.Countersign(ctx, cleared.Actor{Person: w.Luc.ID, Terminal: w.MinistryTerm.ID}, w.Destruction.ID, registry.Countersignature{})
	})
}
