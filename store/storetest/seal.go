package storetest

import (
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Sealed is a store that seals its register rows (architecture, principle 9), as sqlstore.Store does.
type Sealed interface {
	store.Store
	SetSealKey(key []byte) error
	SetTamperHook(func(table, key string))
}

// TamperOpener returns a fresh, empty store with SealKey set, and a separate connection to the same database
// through which the test edits rows behind the store's back, as a database administrator would.
type TamperOpener func(t *testing.T) (Sealed, *sql.DB)

// sealWorld is one row in each sealed table.
type sealWorld struct {
	world
	officer   cleared.SecurityOfficer
	clearance cleared.Clearance
	deleg     cleared.Delegation
	dossier   cleared.Dossier
	place     cleared.Place
	piece     cleared.Piece
	grant     cleared.Grant
	terminal  cleared.Terminal
	channel   cleared.Channel
	token     cleared.Token
	account   cleared.Account
	session   cleared.Session
	key       cleared.WebAuthnCredential
	cert      cleared.TerminalCertificate
	// Issue 18: copies and inventories.
	copyRequest cleared.CopyRequest
	copy        cleared.Copy
	inventory   cleared.Inventory
	marking     cleared.PieceMarking
	signCA      cleared.SigningCA
	signCert    cleared.SigningCertificate
	destroyed   cleared.Destruction
	signature   cleared.Signature
	level       cleared.DossierLevelChange // issue 18
	delivery    cleared.Delivery           // issue 19
	webhook     cleared.Webhook
	// Issue 19: transmissions.
	product      cleared.CryptoProduct
	addressee    cleared.Addressee
	transmission cleared.Transmission
	// Issue 19: judicial orders (A9.5).
	order cleared.JudicialOrder
	// Issue 20: posts, contracts, assignments and exemptions.
	post       cleared.Post
	contract   cleared.Contract
	assignment cleared.Assignment
	category   cleared.ExemptionCategory
	membership cleared.ExemptionMembership
	incident   cleared.Incident    // issue 19
	vetCase    cleared.VettingCase // issue 20: a vetting case (A25.1, A26.1)
	// Issue 20: a facility case of the world's organisation, its organ and its means (A15.1, A21.2).
	facCase   cleared.VettingCase
	organ     cleared.FacilityOrgan
	means     cleared.FacilityMeans
	briefing  cleared.Briefing // issue 20: a declared briefing (A18.1)
	report    cleared.CircumstanceReport
	officerOn store.Investigator // issue 20: an NSA officer's past assignment to it (A24.1)

	seat cleared.CommissionMember // issue 20: a seat on the commission (A27.3); vetCase is referred to it
	// Issue 21: the world's organisation as a partner, and piece released to it.
	partner cleared.Partner
	release cleared.Release
	source  cleared.Source
	receipt cleared.Receipt
	inbox   cleared.InboxItem // issue 21 §3: an envelope the partner posted
}

func newSealWorld(t *testing.T, s store.Store) sealWorld {
	t.Helper()
	w := sealWorld{world: newWorld(t, s)}
	w.officer = cleared.SecurityOfficer{OrganisationID: w.org.ID, PersonID: w.person.ID, Since: day(-90), DesignatedBy: "arrêté ministériel"}
	w.clearance = cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
		Level: cleared.Confidential, Issued: day(-100), Expires: day(100), Status: cleared.ClearanceActive,
		Source: cleared.SourcePaperRegister, Reference: "ANS-PSC-1", RecordedBy: w.person.ID, Recorded: day(-100)}
	principal := newAuthority(w.person.ID, w.org.ID)
	w.deleg = cleared.Delegation{ID: cleared.NewDelegationID(), Delegate: w.auth.ID, Principal: principal.ID,
		From: day(-10), Until: day(10), Reference: "arrêté 1", GrantedBy: w.person.ID, Created: day(-10)}
	w.dossier = w.world.dossier(cleared.Secret)
	w.place = newPlace(w.world)
	w.piece = w.world.piece(cleared.TopSecret, day(-5))
	w.grant = cleared.Grant{ID: cleared.NewGrantID(), PersonID: w.person.ID, Piece: w.piece.ID, From: day(-30),
		Until: day(30), Reason: "desk", GrantedBy: w.person.ID, Created: day(-30)}
	w.terminal = newRoamingTerminal(w.world)
	w.channel = cleared.Channel{ID: cleared.NewChannelID(), Name: "Réseau R", MaxLevel: cleared.Secret,
		CryptoProduct: "Chiffreur X", ApprovedBy: w.person.ID, From: day(-10), Until: day(300), Created: day(-10)}
	w.token = newScopedToken(w.person.ID, "secret of the token", day(-1), cleared.ScopeRead)
	w.account = newAccount(w.world, w.person.ID, "anne")
	w.session = newSession(w.account, "secret of the session", day(-1))
	w.key = cleared.WebAuthnCredential{ID: []byte("credential 1"), AccountID: w.account.ID, Name: "clé",
		Data: []byte(`{"public_key":"…"}`), Created: day(-3)}
	w.cert = newCertificate(w.world, w.terminal.ID, "01", day(-2))
	w.marking = newMarking(w.world, w.piece, 1)
	w.signCA = newSigningCA(w.world, "ministry CA")
	w.signCert = newSigningCertificate(w.world, w.person.ID, "01", day(-20))
	w.destroyed = newDestruction(w.world, w.piece, day(-1))
	w.signature = newSignature(w.destroyed, 1, w.signCert, day(-1))
	create(t, s, w.officer, w.clearance, principal, w.deleg, w.dossier, w.place, w.piece, w.grant, w.terminal,
		w.channel, w.token, w.account, w.session, w.key, w.cert, w.marking, w.signCA, w.signCert, w.destroyed, w.signature)
	update(t, s, func(tx store.Tx) error {
		return tx.PutEquivalence(cleared.EquivalenceTable{Version: 1, ValidFrom: day(-400), Note: "v1"}, w.person.ID, day(-400))
	})
	w.copyRequest, w.copy, w.inventory = w.world.copyRequest(w.piece.ID, 1), w.world.copyOf(w.piece.ID, 1), w.world.inventory()
	createCopies(t, s, []cleared.CopyRequest{w.copyRequest}, []cleared.Copy{w.copy})
	update(t, s, func(tx store.Tx) error {
		return tx.CreateInventory(w.inventory, []cleared.InventoryItem{{Piece: w.piece.ID, Copy: w.copy.ID}})
	})
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutProfile(profileDoc("MinDef", 1, day(-400), "SECRET"), w.person.ID, day(-400)); err != nil {
			return err
		}
		return tx.PutLaw(cleared.DefaultLaw(), w.person.ID, day(-400))
	})
	w.level = cleared.DossierLevelChange{Dossier: w.dossier.ID, Seq: 1, Cause: cleared.LevelCreated, To: cleared.Secret,
		Authority: w.auth.ID, By: w.person.ID, At: w.dossier.Created}
	update(t, s, func(tx store.Tx) error { return tx.AddDossierLevel(w.level) })
	w.delivery, w.webhook = newDelivery("inc_1", day(-1)), newWebhook(w.world, cleared.WebhookHMAC, day(-2))
	create(t, s, w.delivery, w.webhook)
	w.product = w.world.cryptoProduct()
	w.addressee = cleared.Addressee{Organisation: w.org.ID, Channels: []cleared.ChannelID{w.channel.ID}, RecordedBy: w.person.ID,
		Recorded: day(-1)}
	w.transmission = w.world.transmission(w.piece.ID, w.channel.ID, w.person.ID)
	createTransmission(t, s, w.product, w.addressee, w.transmission)
	w.order = w.world.judicialOrder("JI-1", []cleared.PersonID{w.person.ID}, []cleared.PieceID{w.piece.ID}, []cleared.DossierID{w.dossier.ID})
	update(t, s, func(tx store.Tx) error { return tx.CreateJudicialOrder(w.order) })
	w.post, w.contract = w.world.post("Analyste"), w.world.contract("MP-1", w.org.ID)
	w.assignment = w.world.assignment(w.person.ID, w.post.ID, "")
	w.category = w.world.exemptionCategory("Conseil de Gouvernement")
	w.membership = w.world.membership(w.category.ID, w.person.ID)
	createPosts(t, s, w.post, w.contract, w.assignment, w.category, w.membership)
	w.incident = newIncident(w.world, cleared.IncidentCompromise, -1)
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateIncident(w.incident); err != nil {
			return err
		}
		n := cleared.IncidentNotification{Incident: w.incident.ID, Number: 1, Recipient: w.person.ID, As: cleared.AsNSA, Created: day(-1)}
		if err := tx.AddIncidentNotification(n); err != nil {
			return err
		}
		return tx.AddIncidentNote(cleared.IncidentNote{Incident: w.incident.ID, Number: 1, Kind: cleared.NoteInvestigation,
			Text: "heard", By: w.person.ID, At: day(0)})
	})
	w.vetCase = w.world.vettingCase(w.person.ID, w.post.ID)
	update(t, s, func(tx store.Tx) error { return tx.CreateVettingCase(w.vetCase, caseKey) })
	w.officerOn = store.Investigator{Case: w.vetCase.ID, Person: w.person.ID, AssignedBy: w.person.ID, Assigned: day(-1)}
	update(t, s, func(tx store.Tx) error {
		if err := tx.AddInvestigator(w.officerOn); err != nil {
			return err
		}
		return tx.EndInvestigator(w.vetCase.ID, w.person.ID, day(0), w.person.ID)
	})
	update(t, s, func(tx store.Tx) error {
		return tx.AddRenewalReminder(store.RenewalReminder{Clearance: w.clearance.ID, Months: 6, Sent: day(0)})
	})
	w.facCase = w.world.facilityCase(w.org.ID, w.contract.ID)
	w.organ = w.world.organ(w.facCase.ID, w.person.ID, cleared.OrganSecurityOfficer, w.clearance.ID, "")
	w.means = w.world.means(w.facCase.ID, w.place.ID)
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateVettingCase(w.facCase, caseKey); err != nil {
			return err
		}
		if err := tx.AddFacilityOrgan(w.organ); err != nil {
			return err
		}
		return tx.PutFacilityMeans(w.means)
	})
	update(t, s, func(tx store.Tx) error {
		return tx.PutVettingHold(store.VettingRetention{Case: w.vetCase.ID, HoldReason: []byte("sealed reason"),
			HoldReview: day(200), HeldBy: w.person.ID, Held: day(1)})
	})
	w.briefing = briefing(w.clearance, 1, -1)
	w.report = cleared.CircumstanceReport{ID: cleared.NewCircumstanceID(), PersonID: w.person.ID, OrganisationID: w.org.ID, Reported: day(0)}
	update(t, s, func(tx store.Tx) error {
		if err := tx.AddBriefing(w.briefing); err != nil {
			return err
		}
		if err := tx.DeclareBriefing(declared(w.briefing, 0)); err != nil {
			return err
		}
		return tx.CreateCircumstance(store.SealedCircumstance{Report: w.report, Key: caseKey, Ciphertext: []byte("sealed")})
	})
	update(t, s, func(tx store.Tx) error { return tx.AddOpinion(opinion(w.vetCase.ID, w.person.ID)) })
	w.seat = commissionSeat(w.person.ID, cleared.DesignatorJustice)
	update(t, s, func(tx store.Tx) error {
		if err := tx.AddCommissionSeat(w.seat); err != nil {
			return err
		}
		return tx.AddReferral(store.Referral{Case: w.vetCase.ID, By: w.person.ID, Referred: day(2)})
	})
	update(t, s, func(tx store.Tx) error { return tx.AddDecision(decision(w.vetCase.ID, w.person.ID)) })
	update(t, s, func(tx store.Tx) error {
		_, err := tx.AddSuspension(suspension(w.clearance.ID, w.person.ID))
		return err
	})
	w.partner = w.world.newPartner(w.org.ID, fingerprint("partner"))
	w.release = w.world.newRelease(w.piece.ID, w.piece.Level, cleared.ReleaseReleased, w.org.ID)
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutPartner(w.partner); err != nil {
			return err
		}
		return tx.CreateRelease(&w.release)
	})
	w.source = w.world.newSource(w.org.ID)
	w.receipt = w.world.newReceipt(w.org.ID, w.piece.ID, w.source.ID)
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutSource(w.source); err != nil {
			return err
		}
		return tx.RecordReceipt(w.receipt)
	})
	var content store.InboxContent
	w.inbox, content = newInboxItem(w.org.ID, 1)
	update(t, s, func(tx store.Tx) error { return tx.CreateInboxItem(w.inbox, content) })
	return w
}

// tamperCase is one table: the edit a hostile administrator makes (its $1 is the row's key), the single-row read
// that must refuse the row, and the list that must leave it out (nil where the chapter has no list of it).
type tamperCase struct {
	table, edit string
	key         func(w sealWorld) (string, any)
	read        func(tx store.Tx, w sealWorld) error
	list        func(tx store.Tx, w sealWorld) (int, error)
}

func count[T any](xs []T, err error) (int, error) { return len(xs), err }

var tamperCases = []tamperCase{
	{table: "organisations", edit: `UPDATE organisations SET country = 'XX' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.org.ID), w.org.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Organisation(w.org.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Organisations(store.Page{Limit: 10})) }},
	{table: "persons", edit: `UPDATE persons SET roles = 'nsa_officer' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.person.ID), w.person.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Person(w.person.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Persons(store.Page{Limit: 10})) }},
	{table: "security_officers", edit: `UPDATE security_officers SET until = NULL, since = since - 1 WHERE person_id = $1`,
		key: func(w sealWorld) (string, any) {
			return string(w.org.ID) + "/" + string(w.person.ID) + "/" + w.officer.Since.Add(-1).Format(time.RFC3339Nano), w.person.ID
		},
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.OfficerDesignations(w.person.ID)) }},
	{table: "clearances", edit: `UPDATE clearances SET level = 4, expires = expires + 315360000000000000 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.clearance.ID), w.clearance.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Clearance(w.clearance.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PersonClearances(w.person.ID)) }},
	{table: "authorities", edit: `UPDATE authorities SET valid_until = NULL, title = 'Premier ministre' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.auth.ID), w.auth.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Authority(w.auth.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			as, err := tx.PersonAuthorities(w.person.ID)
			return len(as) - 1, err // the principal stays
		}},
	{table: "delegations", edit: `UPDATE delegations SET valid_until = valid_until + 315360000000000000 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.deleg.ID), w.deleg.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Delegation(w.deleg.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Delegations(w.auth.ID)) }},
	{table: "dossiers", edit: `UPDATE dossiers SET level = 1 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.dossier.ID), w.dossier.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Dossier(w.dossier.ID); return err }},
	{table: "places", edit: `UPDATE places SET public = 1, accredited_level = 0 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.place.ID), w.place.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Place(w.place.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Places(store.Page{Limit: 10})) }},
	{table: "pieces", edit: `UPDATE pieces SET level = 0 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.piece.ID), w.piece.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Piece(w.piece.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.VisiblePieces(store.VisibleQuery{Person: w.person.ID, MaxLevel: cleared.TopSecret, At: t0, Limit: 10}))
		}},
	{table: "grants", edit: `UPDATE grants SET valid_until = valid_until + 315360000000000000 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.grant.ID), w.grant.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Grant(w.grant.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PersonGrants(w.person.ID, t0)) }},
	{table: "terminals", edit: `UPDATE terminals SET accredited_level = 4, security_zone = 1 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.terminal.ID), w.terminal.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Terminal(w.terminal.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Terminals(store.Page{Limit: 10})) }},
	{table: "channels", edit: `UPDATE channels SET max_level = 4 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.channel.ID), w.channel.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Channel(w.channel.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Channels(store.Page{Limit: 10})) }},
	{table: "tokens", edit: `UPDATE tokens SET scopes = 'read,write', expires = expires + 315360000000000000 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.token.ID), w.token.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.TokenByHash(w.token.Hash); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PersonTokens(w.person.ID)) }},
	{table: "equivalence_tables", edit: `UPDATE equivalence_tables SET note = 'forged' WHERE version = $1`,
		key:  func(w sealWorld) (string, any) { return "1", 1 },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Equivalence(t0); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.EquivalenceVersions()) }},
	{table: "accounts", edit: `UPDATE accounts SET password_hash = 'known', totp = NULL WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.account.ID), w.account.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.AccountByLogin("anne"); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Accounts(store.Page{Limit: 10})) }},
	{table: "sessions", edit: `UPDATE sessions SET expires = expires + 315360000000000000, stage = 'active' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.session.ID), w.session.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.SessionByHash(w.session.Hash); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.AccountSessions(w.account.ID, w.session.Created))
		}},
	{table: "webauthn_credentials", edit: `UPDATE webauthn_credentials SET account_id = account_id, name = 'clé volée' WHERE id = $1`,
		key: func(w sealWorld) (string, any) { return hex.EncodeToString(w.key.ID), w.key.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.WebAuthnCredentials(w.account.ID))
		}},
	{table: "terminal_certificates", edit: `UPDATE terminal_certificates SET not_after = not_after + 315360000000000000 WHERE fingerprint = $1`,
		key:  func(w sealWorld) (string, any) { return hex.EncodeToString(w.cert.Fingerprint), w.cert.Fingerprint },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.TerminalCertificate(w.cert.Fingerprint); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.TerminalCertificates(w.terminal.ID)) }},
	// Issue 18: copies (A9.4) and inventories (A13.1).
	{table: "copy_requests", edit: `UPDATE copy_requests SET status = 'approved', copies = 99 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.copyRequest.ID), w.copyRequest.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.CopyRequest(w.copyRequest.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.CopyRequests(store.CopyRequestQuery{Piece: w.piece.ID, Limit: 10}))
		}},
	{table: "copies", edit: `UPDATE copies SET holder = holder, number = 7 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.copy.ID), w.copy.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Copy(w.copy.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PieceCopies(w.piece.ID)) }},
	{table: "inventories", edit: `UPDATE inventories SET missing = 0, closed = 1 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.inventory.ID), w.inventory.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Inventory(w.inventory.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Inventories(w.org.ID, 10)) }},
	{table: "inventory_items", edit: `UPDATE inventory_items SET present = 1 WHERE inventory_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.inventory.ID) + "/1", w.inventory.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.InventoryItems(w.inventory.ID)) }},
	{table: "piece_markings", edit: `UPDATE piece_markings SET level = 0, marking = 'DECLASSIFIE' WHERE piece_id = $1 AND seq = 1`,
		key:  func(w sealWorld) (string, any) { return string(w.piece.ID) + "/1", w.piece.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PieceMarkings(w.piece.ID)) }},
	// A1.1: a profile whose destruction reports were moved to TRES SECRET, or a law whose validity was lengthened,
	// is not applied; the reads that decide fail rather than go on without the row.
	{table: "rule_profiles", edit: `UPDATE rule_profiles SET document = replace(document, 'SECRET', 'TOP_SECRET') WHERE name = $1`,
		key:  func(w sealWorld) (string, any) { return "MinDef/1", "MinDef" },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.ProfilesInForce(t0); return err }},
	{table: "law_parameters", edit: `UPDATE law_parameters SET document = replace(document, '"TOP_SECRET":5', '"TOP_SECRET":20') WHERE version = $1`,
		key:  func(w sealWorld) (string, any) { return "1", 1 },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Law(t0); return err }},
	{table: "signing_cas", edit: `UPDATE signing_cas SET organisation_id = organisation_id, subject = 'CN=forged' WHERE fingerprint = $1`,
		key:  func(w sealWorld) (string, any) { return w.signCA.Fingerprint, w.signCA.Fingerprint },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.SigningCAs(w.org.ID)) }},
	{table: "signing_certificates", edit: `UPDATE signing_certificates SET revoked = NULL, not_after = not_after + 315360000000000000 WHERE fingerprint = $1`,
		key: func(w sealWorld) (string, any) { return w.signCert.Fingerprint, w.signCert.Fingerprint },
		read: func(tx store.Tx, w sealWorld) error {
			_, err := tx.SigningCertificate(w.signCert.Fingerprint)
			return err
		},
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PersonCertificates(w.person.ID)) }},
	{table: "destructions", edit: `UPDATE destructions SET completed = created WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.destroyed.ID), w.destroyed.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Destruction(w.destroyed.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PieceDestructions(w.piece.ID)) }},
	{table: "destruction_signatures", edit: `UPDATE destruction_signatures SET role = 'security_officer' WHERE destruction_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.destroyed.ID) + "/1", w.destroyed.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.DestructionSignatures(w.destroyed.ID)) }},
	{table: "dossier_levels", edit: `UPDATE dossier_levels SET to_level = 0 WHERE dossier_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.dossier.ID) + "/1", w.dossier.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.DossierLevels(w.dossier.ID)) }},
	// Issue 19: a warning redirected, or marked as sent when it never left, is refused (A13.1).
	{table: "deliveries", edit: `UPDATE deliveries SET address = 'attacker@example.org' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.delivery.ID), w.delivery.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Delivery(w.delivery.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.DeliveriesOf("inc_1")) }},
	{table: "webhooks", edit: `UPDATE webhooks SET url = 'https://attacker.example.org/' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.webhook.ID), w.webhook.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Webhook(w.webhook.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.WebhooksOf(w.org.ID)) }},
	// Issue 19: a lapsed approval lengthened, a channel added to what an organisation accepts, a recipient changed.
	{table: "crypto_products", edit: `UPDATE crypto_products SET approved_until = approved_until + 315360000000000000 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.product.ID), w.product.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.CryptoProduct(w.product.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.CryptoProducts(store.Page{Limit: 10})) }},
	{table: "addressees", edit: `UPDATE addressees SET channels = '[]' WHERE organisation_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.org.ID), w.org.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Addressee(w.org.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Addressees(store.Page{Limit: 10})) }},
	{table: "transmissions", edit: `UPDATE transmissions SET recipient_person = sender, purpose = 'other' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.transmission.ID), w.transmission.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Transmission(w.transmission.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PieceTransmissions(w.piece.ID)) }},
	// Issue 19: an order lengthened, or made to cover another piece, gives no access (A9.5).
	{table: "judicial_orders", edit: `UPDATE judicial_orders SET valid_until = valid_until + 315360000000000000 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.order.ID), w.order.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.JudicialOrder(w.order.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PersonJudicialOrders(w.person.ID)) }},
	// Issue 20: a post's level lowered, an assignment moved, a membership stretched would silence a flag or lift a
	// clearance's ceiling (A14.1, A16.1).
	{table: "posts", edit: `UPDATE posts SET level = 1 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.post.ID), w.post.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Post(w.post.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.PostsOf(w.org.ID, 10)) }},
	{table: "contracts", edit: `UPDATE contracts SET level = 4 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.contract.ID), w.contract.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Contract(w.contract.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.ContractsOf(w.org.ID, 10)) }},
	{table: "assignments", edit: `UPDATE assignments SET valid_until = valid_from + 1 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.assignment.ID), w.assignment.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Assignment(w.assignment.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.Assignments(store.AssignmentQuery{Person: w.person.ID, Limit: 10}))
		}},
	{table: "exemption_categories", edit: `UPDATE exemption_categories SET name = 'Amis du ministre' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.category.ID), w.category.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.ExemptionCategory(w.category.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.ExemptionCategories()) }},
	{table: "exemption_memberships", edit: `UPDATE exemption_memberships SET valid_until = NULL WHERE id = $1`,
		key: func(w sealWorld) (string, any) { return string(w.membership.ID), w.membership.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.ExemptionMemberships("", w.person.ID))
		}},
	// Issue 19: a case moved to another organisation, a warning marked acknowledged, a note rewritten are refused
	// (A13.1, A13.3).
	{table: "incidents", edit: `UPDATE incidents SET organisation_id = NULL WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.incident.ID), w.incident.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Incident(w.incident.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.ListIncidents(store.IncidentQuery{All: true, Limit: 10}))
		}},
	{table: "incident_notifications", edit: `UPDATE incident_notifications SET acknowledged = created WHERE incident_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.incident.ID) + "/1", w.incident.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.IncidentNotifications(w.incident.ID)) }},
	{table: "incident_notes", edit: `UPDATE incident_notes SET text = 'nothing found' WHERE incident_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.incident.ID) + "/1", w.incident.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.IncidentNotes(w.incident.ID)) }},
	// Issue 20: a case moved to another organisation would show its stage to another security officer, a deadline
	// pushed back would keep it from closing for non-cooperation (A25.1, A26.1).
	{table: "vetting_cases", edit: `UPDATE vetting_cases SET deadline = deadline + 315360000000000000 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.vetCase.ID), w.vetCase.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.VettingCase(w.vetCase.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.VettingCases(store.VettingCaseQuery{Person: w.person.ID, Limit: 10}))
		}},
	// Issue 20: a reminder removed or moved to another clearance would be sent again, or kept from being sent (A17.1).
	{table: "renewal_reminders", edit: `UPDATE renewal_reminders SET sent = sent + 1 WHERE clearance_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.clearance.ID) + "/6", w.clearance.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.RenewalReminders(w.clearance.ID)) }},
	// Issue 20: an opinion's advice turned from grant to refuse would let a refusal through (A27.2).
	{table: "opinions", edit: `UPDATE opinions SET advice = 'refuse' WHERE case_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.vetCase.ID), w.vetCase.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.CaseOpinion(w.vetCase.ID); return err }},
	// Issue 20: an ended assignment reopened would open the case's investigation to an officer no longer on it
	// (A23.1, A24.1).
	{table: "vetting_investigators", edit: `UPDATE vetting_investigators SET ended = NULL WHERE case_id = $1`,
		key: func(w sealWorld) (string, any) {
			return string(w.vetCase.ID) + "/" + string(w.person.ID) + "/" + day(-1).UTC().Format(time.RFC3339Nano), w.vetCase.ID
		},
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Investigators(w.vetCase.ID)) }},
	// Issue 20: a seat lengthened would let a member act past his term (A27.3); a referral moved would open another
	// case to the members (A27.4).
	{table: "commission_seats", edit: `UPDATE commission_seats SET term_until = term_until + 315360000000000000 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.seat.ID), w.seat.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.CommissionSeat(w.seat.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.CommissionSeats()) }},
	{table: "commission_referrals", edit: `UPDATE commission_referrals SET referred = referred + 1 WHERE case_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.vetCase.ID), w.vetCase.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Referral(w.vetCase.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.OpenReferrals(10)) }},
	// Issue 20: a refusal turned into a grant, or a notification dated by hand, would tell the person another
	// decision (A27.1); a suspension's previous status changed would restore more than it took (A27.1).
	{table: "vetting_decisions", edit: `UPDATE vetting_decisions SET outcome = 'grant' WHERE case_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.vetCase.ID), w.vetCase.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.CaseDecision(w.vetCase.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.Decisions(store.DecisionQuery{Organisations: []cleared.OrganisationID{w.org.ID}, Limit: 10}))
		}},
	{table: "clearance_suspensions", edit: `UPDATE clearance_suspensions SET previous = 'active' WHERE clearance_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.clearance.ID) + "/1", w.clearance.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.ClearanceSuspensions(w.clearance.ID)) }},
	// Issue 20: a declaration moved back would put off the next briefing; a report moved to another person would
	// show it to another (A18.1).
	{table: "clearance_briefings", edit: `UPDATE clearance_briefings SET briefed_on = briefed_on + 1 WHERE clearance_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.clearance.ID) + "/1", w.clearance.ID },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Briefings(w.clearance.ID)) }},
	{table: "circumstance_reports", edit: `UPDATE circumstance_reports SET reported = reported + 1 WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.report.ID), w.report.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Circumstance(w.report.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.Circumstances(store.CircumstanceQuery{Person: w.person.ID, Limit: 10}))
		}},
	// Issue 20: an organ moved to another role, or his clearance swapped, would let a facility clearance be granted
	// on guarantees it lacks (A21.2); means raised to a higher level would hide what the company lacks (A15.1).
	{table: "facility_organs", edit: `UPDATE facility_organs SET role = 'auditor' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.organ.ID), w.organ.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.FacilityOrgans(w.facCase.ID); return err }},
	{table: "facility_means", edit: `UPDATE facility_means SET body = replace(body, '"CONFIDENTIAL"', '"TOP_SECRET"') WHERE case_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.facCase.ID), w.facCase.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.FacilityMeans(w.facCase.ID); return err }},
	// Issue 20: a hold's review date pushed back would keep a case's data beyond its time (A23.2).
	{table: "vetting_retention", edit: `UPDATE vetting_retention SET hold_review = hold_review + 1 WHERE case_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.vetCase.ID), w.vetCase.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.VettingRetention(w.vetCase.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.VettingRetentions(false, 10)) }},
	// Issue 21: a partner's level raised would release to it what it may not receive; an audience widened would
	// deliver a release to a partner it was not released to (S1).
	{table: "partners", edit: `UPDATE partners SET max_level = 4 WHERE organisation_id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.org.ID), w.org.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Partner(w.org.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Partners(store.Page{Limit: 10})) }},
	{table: "releases", edit: `UPDATE releases SET audience = '["org_forged"]' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.release.ID), w.release.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Release(w.release.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.ReleasedTo(store.ReleaseQuery{Partner: w.org.ID, MaxLevel: cleared.TopSecret, Limit: 10}))
		}},
	// A source's address changed would register an attacker's products as the partner's; a receipt's partner
	// changed would name another foreign originator of the piece, whose consent a downgrade asks (A6.1, A1.1).
	{table: "sources", edit: `UPDATE sources SET url = 'https://attacker.example/taxii2/' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.source.ID), w.source.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.Source(w.source.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.Sources(store.Page{Limit: 10})) }},
	{table: "receipts", edit: `UPDATE receipts SET marking = 'NATO UNCLASSIFIED' WHERE piece_id = $1`,
		key: func(w sealWorld) (string, any) {
			return string(w.receipt.Partner) + " " + w.receipt.UUID + " " + w.receipt.Version.Format(time.RFC3339Nano), w.piece.ID
		},
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.PieceReceipt(w.piece.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) {
			return count(tx.Received(w.receipt.Partner, w.receipt.UUID))
		}},
	// Issue 21 §3: an item moved to another partner would show it another's status; one marked imported would
	// leave the inbox unread (S1, A5.1).
	{table: "inbox_items", edit: `UPDATE inbox_items SET state = 'imported' WHERE id = $1`,
		key:  func(w sealWorld) (string, any) { return string(w.inbox.ID), w.inbox.ID },
		read: func(tx store.Tx, w sealWorld) error { _, err := tx.InboxItem(w.inbox.ID); return err },
		list: func(tx store.Tx, w sealWorld) (int, error) { return count(tx.InboxItems(store.Page{Limit: 10}, "")) }},
}

// hooked records what the tamper hook raised.
type hooked struct {
	mu   sync.Mutex
	rows []string
}

func (h *hooked) raise(table, key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rows = append(h.rows, table+" "+key)
}

func (h *hooked) raised() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.rows)
}

// RunTampering is the suite of sealed registers (issue 17): a row changed behind the store's back, in each sealed
// table, is refused by its single-row read (a *store.TamperedError of kind cleared.ErrUnavailable naming table and
// key, never its values), left out of its list, and raised through the tamper hook; a MAC moved to another row
// fails; a row without a MAC fails; a store without a key reads and writes no sealed row.
func RunTampering(t *testing.T, open TamperOpener) {
	t.Run("every_sealed_table_has_a_case", func(t *testing.T) {
		var tables []string
		for _, c := range tamperCases {
			tables = append(tables, c.table)
		}
		same(t, "tables with a tampering case", tables, store.SealedTables)
	})
	for _, c := range tamperCases {
		t.Run("A13.1_"+c.table+"_edited_is_refused", func(t *testing.T) {
			t.Parallel()
			s, db := open(t)
			var h hooked
			s.SetTamperHook(h.raise)
			w := newSealWorld(t, s)
			before := -1
			if c.list != nil {
				view(t, s, func(tx store.Tx) error {
					var err error
					before, err = c.list(tx, w)
					return err
				})
			}
			key, arg := c.key(w)
			if _, err := db.ExecContext(t.Context(), c.edit, arg); err != nil {
				t.Fatalf("edit %s: %v", c.table, err)
			}
			if c.read != nil {
				err := s.View(t.Context(), func(tx store.Tx) error { return c.read(tx, w) })
				wantTampered(t, err, c.table, key)
			}
			if c.list != nil {
				var after int
				view(t, s, func(tx store.Tx) error {
					var err error
					after, err = c.list(tx, w)
					return err
				})
				if after != before-1 {
					t.Errorf("the list holds %d rows after the edit, %d before: want the edited row left out", after, before)
				}
			}
			want := c.table + " " + key
			if got := h.raised(); len(got) == 0 || !slices.Contains(got, want) {
				t.Errorf("tamper hook raised %q, want %q", got, want)
			}
		})
	}
	runTamperingMoves(t, open)
	runTamperingSharing(t, open) // issue 21
	runTamperingInbox(t, open)   // issue 21 §3
}

// runTamperingMoves holds the MAC to its table and key: a MAC copied onto another row, a value swapped between two
// rows, a MAC erased, a row written without the key.
func runTamperingMoves(t *testing.T, open TamperOpener) {
	t.Run("A13.1_mac_moved_to_another_row_is_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		w := newSealWorld(t, s)
		other := w.world.piece(cleared.Restricted, day(-4))
		create(t, s, other)
		if _, err := db.ExecContext(t.Context(), `UPDATE pieces SET mac = (SELECT mac FROM pieces WHERE id = $1) WHERE id = $2`,
			w.piece.ID, other.ID); err != nil {
			t.Fatal(err)
		}
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Piece(other.ID); return err })
		wantTampered(t, err, "pieces", string(other.ID))
	})
	t.Run("A13.1_values_swapped_between_rows_are_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		w := newSealWorld(t, s)
		other := w.world.piece(cleared.Restricted, day(-4))
		create(t, s, other)
		// Each row takes the other's level and MAC: a whole sealed row moved under another key.
		if _, err := db.ExecContext(t.Context(), `UPDATE pieces SET level = 0, mac = (SELECT mac FROM pieces WHERE id = $1) WHERE id = $2`,
			other.ID, w.piece.ID); err != nil {
			t.Fatal(err)
		}
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Piece(w.piece.ID); return err })
		wantTampered(t, err, "pieces", string(w.piece.ID))
	})
	t.Run("A13.1_row_without_mac_is_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		w := newSealWorld(t, s)
		if _, err := db.ExecContext(t.Context(), `UPDATE grants SET mac = NULL WHERE id = $1`, w.grant.ID); err != nil {
			t.Fatal(err)
		}
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Grant(w.grant.ID); return err })
		wantTampered(t, err, "grants", string(w.grant.ID))
	})
	t.Run("A13.1_update_of_a_tampered_row_is_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		w := newSealWorld(t, s)
		if _, err := db.ExecContext(t.Context(), `UPDATE grants SET valid_until = valid_until + 1 WHERE id = $1`, w.grant.ID); err != nil {
			t.Fatal(err)
		}
		// Revoking must not reseal, and so launder, the edited row.
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.RevokeGrant(w.grant.ID, t0) })
		wantTampered(t, err, "grants", string(w.grant.ID))
	})
	t.Run("A6.1_newer_equivalence_table_hidden_does_not_bring_back_the_older", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		w := newSealWorld(t, s)
		update(t, s, func(tx store.Tx) error {
			return tx.PutEquivalence(cleared.EquivalenceTable{Version: 2, ValidFrom: day(-10), Note: "v2"}, w.person.ID, day(-10))
		})
		// Version 2's start moved after t0: the query for t0 no longer selects it, and version 1 would apply.
		if _, err := db.ExecContext(t.Context(), `UPDATE equivalence_tables SET valid_from = valid_from + 31536000000000000 WHERE version = 2`); err != nil {
			t.Fatal(err)
		}
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Equivalence(t0); return err })
		wantTampered(t, err, "equivalence_tables", "2")
	})
	t.Run("A9.1_a_failing_piece_does_not_shorten_a_page", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		w := newSealWorld(t, s)
		var ps []cleared.Piece
		for i := range 3 {
			p := w.world.piece(cleared.Secret, day(-3+i))
			ps = append(ps, p)
			create(t, s, p, cleared.Grant{ID: cleared.NewGrantID(), PersonID: w.person.ID, Piece: p.ID, From: day(-30),
				Until: day(30), Reason: "desk", GrantedBy: w.person.ID, Created: day(-30)})
		}
		if _, err := db.ExecContext(t.Context(), `UPDATE pieces SET title = 'x' WHERE id = $1`, ps[2].ID); err != nil {
			t.Fatal(err)
		}
		// Newest first: ps[2] (left out), ps[1], ps[0], then the world's own piece.
		got := visible(t, s, store.VisibleQuery{Person: w.person.ID, MaxLevel: cleared.Secret, At: t0, Limit: 2})
		same(t, "first page with the newest piece failing", got, []cleared.PieceID{ps[1].ID, ps[0].ID})
	})
	t.Run("ErrUnavailable_without_a_key", func(t *testing.T) {
		t.Parallel()
		s, _ := open(t)
		w := newSealWorld(t, s)
		if err := s.SetSealKey(nil); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("SetSealKey(nil): %v, want kind %q", err, cleared.ErrInvalid)
		}
		keyless, ok := s.(interface{ DropSealKey() })
		if !ok {
			t.Skip("the store cannot drop its key")
		}
		keyless.DropSealKey()
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.Piece(w.piece.ID); return err })
		wantKind(t, "Piece without a key", err, cleared.ErrUnavailable)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateOrganisation(newOrganisation()) })
		wantKind(t, "CreateOrganisation without a key", err, cleared.ErrUnavailable)
	})
}

func wantTampered(t *testing.T, err error, table, key string) {
	t.Helper()
	var te *store.TamperedError
	if !errors.As(err, &te) {
		t.Fatalf("read of the edited %s row: %v, want a *store.TamperedError", table, err)
	}
	if te.Table != table || te.Key != key {
		t.Errorf("TamperedError names %s %s, want %s %s", te.Table, te.Key, table, key)
	}
	if !errors.Is(err, cleared.ErrUnavailable) {
		t.Errorf("TamperedError %v is not of kind %q", err, cleared.ErrUnavailable)
	}
}
