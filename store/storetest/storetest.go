// Package storetest is the one test suite every implementation of [store.Store] must pass (architecture,
// principle 7: same tests, every backend). store/sqlite runs it always; store/postgres runs it when
// CLEARED_TEST_POSTGRES names a database.
//
// Each test opens a fresh, empty store. Round trips compare whole structs, times included to the nanosecond and in
// UTC; errors are checked by kind (errors.Is), never by message. Tests of a rule of the law carry its ID in their
// name: A9.1 for the list of visible pieces, A10.1 for destruction, A6.1 for the equivalence table, A23.2 for the
// erasure of an audit payload.
package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// opener returns a fresh, empty store for one test, and arranges (with t.Cleanup) for it to be closed.
type opener func(t *testing.T) store.Store

// Run runs the suite, one subtest per group of methods of [store.Tx] and one per case within it
// ("Piece/ErrNotFound", "VisiblePieces/A9.1_dossier_grant_covers_parts"). The groups run in parallel (up to
// go test's -parallel), so open must be safe to call from several goroutines.
func Run(t *testing.T, openStore func(t *testing.T) store.Store) {
	open := func(t *testing.T) store.Store { return Signed(t, openStore(t)) }
	groups := []struct {
		name string
		run  func(t *testing.T, open opener)
	}{
		// One block per chapter of the contract (store.Tx), in the order it embeds them, each tested in the file
		// of the same name.
		{"Organisation", testOrganisation},
		{"Person", testPerson},
		{"SecurityOfficer", testSecurityOfficer},

		{"Clearance", testClearance},
		{"ExpiringClearances", testExpiringClearances},

		{"Authority", testAuthority},
		{"Delegation", testDelegation},

		{"Dossier", testDossier},
		{"Piece", testPiece},
		{"Content", testContent},
		{"VisiblePieces", testVisiblePieces},
		{"ReviewsDue", testReviewsDue},

		{"Grant", testGrant},

		{"Place", testPlace},
		{"Places", testPlaces},
		{"Terminal", testTerminal},
		{"Terminals", testTerminals},
		{"TerminalCertificate", testTerminalCertificate},
		{"RevokeTerminal", testRevokeTerminal},
		{"Channel", testChannel},

		{"Account", testAccount},
		{"LockedAccounts", testLockedAccounts},
		{"Session", testSession},
		{"WebAuthnCredential", testWebAuthnCredential},
		{"Ceremony", testCeremony},
		{"Token", testToken},
		{"TokenByID", testTokenByID},
		{"PersonTokens", testPersonTokens},

		{"Equivalence", testEquivalence},

		{"Profiles", testProfiles},
		{"Law", testLaw},

		{"Meta", testMeta},

		{"Audit", testAudit},

		{"Cosignature", testCosignature},

		// Issue 18: copies (A9.4) and inventories (A13.1).
		{"CopyRequest", testCopyRequest},
		{"Copy", testCopy},
		{"Inventory", testInventory},
		{"PieceMarking", testPieceMarking},
		{"SetPieceMarking", testSetPieceMarking},
		{"RewrapContentKey", testRewrapContentKey},
		{"SigningCertificate", testSigningCertificate},
		{"SigningCA", testSigningCA},
		{"Destruction", testDestruction},
		{"DestructionSignature", testDestructionSignature},
		{"RegisterReads", testRegisterReads}, // issue 18
		{"Delivery", testDelivery},           // issue 19
		{"Webhook", testWebhook},
		// Issue 19: transmissions (A11.1, A11.2, S2).
		{"CryptoProduct", testCryptoProduct},
		{"Addressee", testAddressee},
		{"Transmission", testTransmission},
		// Issue 19: judicial orders (A9.5).
		{"JudicialOrder", testJudicialOrder},
		{"Posts", testPosts},                       // issue 20: posts, contracts and exemptions (A14.1, A16.1)
		{"Incident", testIncident},                 // issue 19
		{"VettingCases", testVettingCases},         // issue 20: vetting cases and questionnaires (A25.1, A26.1)
		{"Investigations", testInvestigations},     // issue 20: investigations and the person's file (A15.2, A21.1, A24.1, A25.3, A28.1)
		{"FacilityCases", testFacilityCases},       // issue 20: facility clearances (A15.1, A21.2)
		{"RenewalReminders", testRenewalReminders}, // issue 20: renewal reminders (A17.1)
		{"Opinions", testOpinions},                 // issue 20: the commission's opinions (A27.2)
		{"Commission", testCommission},             // issue 20: the commission (A27.2 to A27.4)

		{"VettingRetentions", testVettingRetentions}, // issue 20 §9: retention and purge (A23.2)
		{"Decisions", testDecisions},                 // issue 20: decisions, appeals, suspensions (A27.1, A29.1)
		{"Briefings", testBriefings},                 // issue 20: briefings and circumstances (A18.1)
		{"Sharing", testSharing},                     // issue 21: partners, releases and deliveries (S1, A11.2)
		{"Receipts", testReceipts},                   // issue 21: sources pulled and products received (S1, A6.1)
		{"SharingInbox", testSharingInbox},           // issue 21 §3: what partners send (S1, A5.1)

		// The transactions themselves (tx.go, commit.go, generation.go).
		{"Time", testTime},
		{"Update", testUpdate},
		{"GroupCommit", testGroupCommit},
		{"View", testView},
		{"Generation", testGeneration},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			g.run(t, open)
		})
	}
}

// t0 is the suite's "now": a time with nanoseconds, so that a store rounding to microseconds fails.
var t0 = time.Date(2025, time.March, 14, 9, 26, 53, 589793238, time.UTC)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

// update runs fn in s.Update and fails the test if it returns an error.
func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in s.View and fails the test if it returns an error.
func view(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// create stores objects in one transaction through the Create method of each one's kind.
func create(t *testing.T, s store.Store, objects ...any) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, o := range objects {
			if err := createOne(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
}

func createOne(tx store.Tx, o any) error {
	switch o := o.(type) {
	case cleared.Organisation:
		return tx.CreateOrganisation(o)
	case cleared.Person:
		return tx.CreatePerson(o)
	case cleared.SecurityOfficer:
		return tx.CreateSecurityOfficer(o)
	case cleared.Clearance:
		return tx.CreateClearance(o)
	case cleared.ClassifyingAuthority:
		return tx.CreateAuthority(o)
	case cleared.Delegation:
		return tx.CreateDelegation(o)
	case cleared.Dossier:
		return tx.CreateDossier(o)
	case cleared.Piece:
		return tx.CreatePiece(o)
	case cleared.Grant:
		return tx.CreateGrant(o)
	case cleared.Place:
		return tx.CreatePlace(o)
	case cleared.Terminal:
		return tx.CreateTerminal(o)
	case cleared.Channel:
		return tx.CreateChannel(o)
	case cleared.Token:
		return tx.CreateToken(o)
	case cleared.TerminalCertificate:
		return tx.CreateTerminalCertificate(o)
	case cleared.Account:
		return tx.CreateAccount(o)
	case cleared.Session:
		return tx.CreateSession(o)
	case cleared.WebAuthnCredential:
		return tx.CreateWebAuthnCredential(o)
	case store.Content:
		return tx.PutContent(o)
	case cleared.PieceMarking:
		return tx.AddPieceMarking(o)
	case cleared.SigningCA:
		return tx.CreateSigningCA(o)
	case cleared.SigningCertificate:
		return tx.CreateSigningCertificate(o)
	case cleared.Destruction:
		return tx.CreateDestruction(o)
	case cleared.Signature:
		return tx.AddDestructionSignature(o)
	case cleared.Delivery:
		return tx.EnqueueDelivery(o)
	case cleared.Webhook:
		return tx.CreateWebhook(o)
	}
	panic("storetest: cannot create a " + reflect.TypeOf(o).String())
}

// same fails the test if got and want differ.
func same[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// wantKind fails the test unless err is of kind.
func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: got error %v, want kind %q", what, err, kind)
	}
}

// world is what most tests need: an organisation, a person in it, and a classifying authority that person holds.
type world struct {
	org    cleared.Organisation
	person cleared.Person
	auth   cleared.ClassifyingAuthority
}

func newWorld(t *testing.T, s store.Store) world {
	t.Helper()
	w := world{org: newOrganisation()}
	w.person = newPerson(w.org.ID)
	w.auth = newAuthority(w.person.ID, w.org.ID)
	create(t, s, w.org, w.person, w.auth)
	return w
}

func newOrganisation() cleared.Organisation {
	return cleared.Organisation{
		ID:      cleared.NewOrganisationID(),
		Name:    "Ministère des Affaires étrangères",
		Kind:    cleared.PublicBody,
		Country: "LU",
		Created: day(-400),
	}
}

func newPerson(org cleared.OrganisationID) cleared.Person {
	return cleared.Person{
		ID:             cleared.NewPersonID(),
		OrganisationID: org,
		Name:           "Anne Muller",
		Email:          "anne.muller@example.lu",
		Created:        day(-300),
	}
}

func newAuthority(person cleared.PersonID, org cleared.OrganisationID) cleared.ClassifyingAuthority {
	return cleared.ClassifyingAuthority{
		ID:        cleared.NewAuthorityID(),
		PersonID:  person,
		Kind:      cleared.AuthorityGovernmentMember,
		Title:     "Ministre des Affaires étrangères",
		From:      day(-200),
		Created:   day(-200),
		CreatedBy: person,
		OrgID:     org,
	}
}

func (w world) piece(level cleared.Level, created time.Time) cleared.Piece {
	return cleared.Piece{
		ID:             cleared.NewPieceID(),
		Kind:           cleared.Electronic,
		Title:          "Note on the " + level.English() + " matter",
		Level:          level,
		Reason:         []cleared.Reason{cleared.ReasonSecurity},
		ReviewOn:       created.AddDate(5, 0, 0),
		Originator:     w.auth.ID,
		OrganisationID: w.org.ID,
		ContentType:    "application/pdf",
		ContentSize:    1234,
		Created:        created,
		CreatedBy:      w.person.ID,
	}
}

func (w world) dossier(level cleared.Level) cleared.Dossier {
	return cleared.Dossier{
		ID:             cleared.NewDossierID(),
		Title:          "Dossier " + level.English(),
		Level:          level,
		Originator:     w.auth.ID,
		OrganisationID: w.org.ID,
		Created:        day(-100),
		CreatedBy:      w.person.ID,
	}
}

// grant gives person a need-to-know on a piece or a dossier from day -30 to day 30.
func (w world) grant(person cleared.PersonID, on any) cleared.Grant {
	g := cleared.Grant{
		ID:        cleared.NewGrantID(),
		PersonID:  person,
		From:      day(-30),
		Until:     day(30),
		Reason:    "desk officer",
		GrantedBy: w.person.ID,
		Created:   day(-30),
	}
	switch on := on.(type) {
	case cleared.PieceID:
		g.Piece = on
	case cleared.DossierID:
		g.Dossier = on
	default:
		panic("storetest: a grant is on a piece or a dossier")
	}
	return g
}

// pageThrough reads a list page by page, limit items at a time, and returns every item read.
func pageThrough[T any](t *testing.T, s store.Store, limit int, id func(T) string, read func(tx store.Tx, p store.Page) ([]T, error)) []T {
	t.Helper()
	var all []T
	p := store.Page{Limit: limit}
	for range 100 {
		var page []T
		view(t, s, func(tx store.Tx) error {
			var err error
			page, err = read(tx, p)
			return err
		})
		if len(page) > limit {
			t.Fatalf("page of %d items, limit %d", len(page), limit)
		}
		all = append(all, page...)
		if len(page) < limit {
			return all
		}
		p.After = id(page[len(page)-1])
	}
	t.Fatal("more than 100 pages")
	return nil
}

// SealKey is the key the suite's stores seal their register rows with (sqlstore.Store.SetSealKey); a test key,
// 32 bytes, never one of an installation.
var SealKey = []byte("storetest seal key, 32 bytes....")
