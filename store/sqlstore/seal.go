package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"reflect"
	"sync"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Sealed registers (architecture, principle 9: the database is not trusted with access). Every row an access
// decision or a register relies on carries a MAC, HMAC-SHA-256 under a key of the sealed key ring that the
// database never holds, over this encoding of the row, byte for byte:
//
//	"cleared-row/v1" 0x00
//	text(table) text(key) uvarint(number of columns)
//	each column, in the table's order: 'n' (NULL) | 'i' int64 big-endian (8 bytes) | 's' text | 'b' bytes
//
// where text and bytes are uvarint(length) || the bytes. The table and the primary key are in it, so a MAC moved to
// another row, or a value moved between rows or tables, fails; every column is in it, so a changed level, a
// lengthened grant or clearance, an added role fails. Lengths make the encoding unambiguous.
//
// The store checks the MAC on every read. A single-row read of a row that fails answers a *store.TamperedError
// (kind cleared.ErrUnavailable); a list leaves the row out. Both call the tamper hook (SetTamperHook), which the
// server turns into an error log line, a metric and an audit entry (A13.1). A store without a key refuses to read
// or write sealed rows (cleared.ErrUnavailable).
const sealTag = "cleared-row/v1\x00"

// SealKeySize is the size of the key SetSealKey takes: 32 bytes, the HMAC-SHA-256 block's recommended minimum.
const SealKeySize = 32

// sealer is the store's key and hook, set once after Open and read by every statement that touches a sealed row.
type sealer struct {
	mu   sync.RWMutex
	key  []byte
	hook func(table, key string)
	pool sync.Pool // of *macState under key, so that a MAC costs no allocation of its own
}

// macState is an HMAC under the store's key and a buffer for the encoding of a row.
type macState struct {
	h   hash.Hash
	buf []byte
}

// SetSealKey gives the store the key that seals its register rows (keyring.RegisterKey of the key ring). Until it
// is set, every read or write of a sealed row fails with cleared.ErrUnavailable. ErrInvalid if key is not
// SealKeySize bytes.
func (s *Store) SetSealKey(key []byte) error {
	if len(key) != SealKeySize {
		return cleared.Invalidf("sqlstore: a seal key is %d bytes, not %d", SealKeySize, len(key))
	}
	k := append([]byte(nil), key...)
	s.seal.mu.Lock()
	defer s.seal.mu.Unlock()
	s.seal.key = k
	s.seal.pool = sync.Pool{New: func() any { return &macState{h: hmac.New(sha256.New, k)} }}
	return nil
}

// SetTamperHook sets the function the store calls, with the table and the row's key, for every sealed row that
// fails its check, before the read answers. It may be called from inside a transaction, the writer's included, so
// it must not wait for the store (start an Update from another goroutine).
func (s *Store) SetTamperHook(f func(table, key string)) {
	s.seal.mu.Lock()
	defer s.seal.mu.Unlock()
	s.seal.hook = f
}

var errNoSealKey = cleared.Unavailablef("sqlstore: the store has no seal key: register rows can be neither read nor written")

// mac returns the MAC of a row: values are its columns as stored (nil, string, int64, []byte, or a kind of them).
func (s *Store) mac(table, key string, values []any) ([]byte, error) {
	return s.appendMAC(nil, table, key, values)
}

// appendMAC appends the MAC of a row to dst.
func (s *Store) appendMAC(dst []byte, table, key string, values []any) ([]byte, error) {
	s.seal.mu.RLock()
	defer s.seal.mu.RUnlock()
	if s.seal.key == nil {
		return nil, errNoSealKey
	}
	m := s.seal.pool.Get().(*macState)
	defer s.seal.pool.Put(m)
	b := append(m.buf[:0], sealTag...)
	b = appendText(b, table)
	b = appendText(b, key)
	b = binary.AppendUvarint(b, uint64(len(values)))
	for _, v := range values {
		var err error
		if b, err = appendValue(b, v); err != nil {
			return nil, fmt.Errorf("sqlstore: seal %s %s: %w", table, key, err)
		}
	}
	m.buf = b
	m.h.Reset()
	m.h.Write(b)
	return m.h.Sum(dst), nil
}

func appendText(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, 'n'), nil
	case string:
		return appendText(append(b, 's'), x), nil
	case int64:
		return binary.BigEndian.AppendUint64(append(b, 'i'), uint64(x)), nil
	case int:
		return binary.BigEndian.AppendUint64(append(b, 'i'), uint64(int64(x))), nil
	case []byte:
		if x == nil { // as stored: an absent blob is NULL (blob())
			return append(b, 'n'), nil
		}
		return append(binary.AppendUvarint(append(b, 'b'), uint64(len(x))), x...), nil
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.String:
		return appendText(append(b, 's'), r.String()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.BigEndian.AppendUint64(append(b, 'i'), uint64(r.Int())), nil
	}
	return b, fmt.Errorf("cannot encode a %T", v)
}

// codec says how one table's rows are sealed: the row's key for messages and the MAC, and its columns as stored,
// in the order of the table's SELECT and INSERT column lists (without mac).
type codec[T any] struct {
	table string
	key   func(T) string
	row   func(T) ([]any, error)
}

// sealRow returns the columns of v as stored followed by their MAC, the arguments of an INSERT whose last column
// is mac.
func sealRow[T any](tx *Tx, c codec[T], v T) ([]any, error) {
	vals, err := c.row(v)
	if err != nil {
		return nil, err
	}
	mac, err := tx.s.mac(c.table, c.key(v), vals)
	if err != nil {
		return nil, err
	}
	return append(vals, mac), nil
}

// macOf returns the MAC of v, for an UPDATE that rewrites a row.
func macOf[T any](tx *Tx, c codec[T], v T) ([]byte, error) {
	vals, err := c.row(v)
	if err != nil {
		return nil, err
	}
	return tx.s.mac(c.table, c.key(v), vals)
}

// macScanner scans a row whose last column is mac: the caller's columns, then the MAC.
type macScanner struct {
	s   scanner
	mac *[]byte
}

func (m macScanner) Scan(dest ...any) error { return m.s.Scan(append(dest, m.mac)...) }

// verify reports whether mac seals v; an error only when the store cannot say (no key, a value it cannot encode).
func verify[T any](s *Store, c codec[T], v T, mac []byte) (bool, error) {
	vals, err := c.row(v)
	if err != nil {
		return false, err
	}
	var buf [sha256.Size]byte
	want, err := s.appendMAC(buf[:0], c.table, c.key(v), vals)
	if err != nil {
		return false, err
	}
	return len(mac) > 0 && hmac.Equal(mac, want), nil
}

// checked wraps scan, which reads a row of c's table without its MAC, into a scan of the row and its MAC (the
// query's last column) that answers a *store.TamperedError, after calling the tamper hook, for a row that fails.
// get returns that error; list leaves the row out.
func checked[T any](tx *Tx, c codec[T], scan func(scanner) (T, error)) func(scanner) (T, error) {
	return func(s scanner) (T, error) {
		var mac []byte
		v, err := scan(macScanner{s, &mac})
		if err != nil {
			return v, err
		}
		ok, err := verify(tx.s, c, v, mac)
		if err != nil {
			var zero T
			return zero, err
		}
		if !ok {
			var zero T
			return zero, tx.s.tampered(c.table, c.key(v))
		}
		return v, nil
	}
}

// tampered raises a row that failed its check and returns the error that names it.
func (s *Store) tampered(table, key string) error {
	s.seal.mu.RLock()
	hook := s.seal.hook
	s.seal.mu.RUnlock()
	if hook != nil {
		hook(table, key)
	}
	return &store.TamperedError{Table: table, Key: key}
}

// isTampered reports whether err is a row that failed its check: not a failed statement, so it leaves the
// transaction usable, and a list goes on without the row.
func isTampered(err error) bool {
	var t *store.TamperedError
	return errors.As(err, &t)
}

// sealedTable is what VerifyRegisters and SealRegisters need of one sealed table.
type sealedTable struct {
	name string
	// each reads every row of the table, calling fn with its key, whether its MAC seals it, and what rewrites its
	// MAC (the UPDATE's query and arguments, the MAC last).
	each func(tx *Tx, fn func(key string, ok bool, reseal func() error) error) error
}

// tableOf builds the sealedTable of c: query selects every row, its columns then mac; update sets mac = $1 where
// the primary key equals pk's values ($2…).
func tableOf[T any](c codec[T], scan func(scanner) (T, error), query, update string, pk func(T) []any) sealedTable {
	return sealedTable{name: c.table, each: func(tx *Tx, fn func(string, bool, func() error) error) error {
		type read struct {
			v   T
			mac []byte
		}
		rows, err := list(tx, func(s scanner) (read, error) {
			var r read
			var err error
			r.v, err = scan(macScanner{s, &r.mac})
			return r, err
		}, query)
		if err != nil {
			return tx.errorf(err, "read %s", c.table)
		}
		for _, r := range rows {
			ok, err := verify(tx.s, c, r.v, r.mac)
			if err != nil {
				return err
			}
			v := r.v
			reseal := func() error {
				mac, err := macOf(tx, c, v)
				if err == nil {
					_, err = tx.exec(update, append([]any{mac}, pk(v)...)...)
				}
				if err != nil {
					return tx.errorf(err, "seal %s %s", c.table, c.key(v))
				}
				return nil
			}
			if err := fn(c.key(r.v), ok, reseal); err != nil {
				return err
			}
		}
		return nil
	}}
}

// BadRow is a sealed row that failed its check.
type BadRow struct{ Table, Key string }

// VerifyRegisters checks the MAC of every sealed row (cleared audit verify --registers), in one read-only
// transaction, without calling the tamper hook. It returns how many rows it checked and those that failed, by
// table in the order of store.SealedTables.
func (s *Store) VerifyRegisters(ctx context.Context) (checked int, bad []BadRow, err error) {
	err = s.View(ctx, func(st store.Tx) error {
		tx := st.(*Tx)
		for _, t := range sealedTables {
			err := t.each(tx, func(key string, ok bool, _ func() error) error {
				checked++
				if !ok {
					bad = append(bad, BadRow{Table: t.name, Key: key})
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return checked, bad, err
}

// SealRegisters computes the MAC of every sealed row again with the store's key and stores it, in tx. It is the
// one-time step that seals a database made before sealed registers, or sealed under a key that the ring never
// kept: the server runs it only when its key ring has no seal key yet (docs/operations.md). It returns the number
// of rows sealed.
func (tx *Tx) SealRegisters() (int, error) {
	n := 0
	for _, t := range sealedTables {
		err := t.each(tx, func(_ string, _ bool, reseal func() error) error {
			n++
			return reseal()
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// sealedTables are the sealed tables, in the order of store.SealedTables.
var sealedTables = []sealedTable{
	tableOf(organisationCodec, scanOrganisation, `SELECT `+organisationColumns+` FROM organisations ORDER BY id`,
		`UPDATE organisations SET mac = $1 WHERE id = $2`, func(o cleared.Organisation) []any { return []any{o.ID} }),
	tableOf(personCodec, scanPerson, `SELECT `+personColumns+` FROM persons ORDER BY id`,
		`UPDATE persons SET mac = $1 WHERE id = $2`, func(p cleared.Person) []any { return []any{p.ID} }),
	tableOf(officerCodec, scanOfficer, `SELECT `+officerColumns+` FROM security_officers ORDER BY organisation_id, person_id, since`,
		`UPDATE security_officers SET mac = $1 WHERE organisation_id = $2 AND person_id = $3 AND since = $4`,
		func(o cleared.SecurityOfficer) []any { return []any{o.OrganisationID, o.PersonID, ns(o.Since)} }),
	tableOf(clearanceCodec, scanClearance, `SELECT `+clearanceColumns+` FROM clearances ORDER BY id`,
		`UPDATE clearances SET mac = $1 WHERE id = $2`, func(c cleared.Clearance) []any { return []any{c.ID} }),
	tableOf(authorityCodec, scanAuthority, `SELECT `+authorityColumns+` FROM authorities ORDER BY id`,
		`UPDATE authorities SET mac = $1 WHERE id = $2`, func(a cleared.ClassifyingAuthority) []any { return []any{a.ID} }),
	tableOf(delegationCodec, scanDelegation, `SELECT `+delegationColumns+` FROM delegations ORDER BY id`,
		`UPDATE delegations SET mac = $1 WHERE id = $2`, func(d cleared.Delegation) []any { return []any{d.ID} }),
	tableOf(dossierCodec, scanDossier, `SELECT `+dossierColumns+`, mac FROM dossiers ORDER BY id`,
		`UPDATE dossiers SET mac = $1 WHERE id = $2`, func(d cleared.Dossier) []any { return []any{d.ID} }),
	tableOf(placeCodec, scanPlace, `SELECT `+placeColumns+` FROM places ORDER BY id`,
		`UPDATE places SET mac = $1 WHERE id = $2`, func(p cleared.Place) []any { return []any{p.ID} }),
	tableOf(pieceCodec, scanPiece, `SELECT `+pieceColumns+` FROM pieces p ORDER BY p.id`,
		`UPDATE pieces SET mac = $1 WHERE id = $2`, func(p cleared.Piece) []any { return []any{p.ID} }),
	tableOf(grantCodec, scanGrant, `SELECT `+grantColumns+` FROM grants ORDER BY id`,
		`UPDATE grants SET mac = $1 WHERE id = $2`, func(g cleared.Grant) []any { return []any{g.ID} }),
	tableOf(terminalCodec, scanTerminal, `SELECT `+terminalColumns+` FROM terminals ORDER BY id`,
		`UPDATE terminals SET mac = $1 WHERE id = $2`, func(t cleared.Terminal) []any { return []any{t.ID} }),
	tableOf(channelCodec, scanChannel, `SELECT `+channelColumns+` FROM channels ORDER BY id`,
		`UPDATE channels SET mac = $1 WHERE id = $2`, func(c cleared.Channel) []any { return []any{c.ID} }),
	tableOf(tokenCodec, scanToken, `SELECT `+tokenColumns+` FROM tokens ORDER BY id`,
		`UPDATE tokens SET mac = $1 WHERE id = $2`, func(k cleared.Token) []any { return []any{k.ID} }),
	tableOf(equivalenceCodec, scanEquivalenceRow, `SELECT `+equivalenceColumns+` FROM equivalence_tables ORDER BY version`,
		`UPDATE equivalence_tables SET mac = $1 WHERE version = $2`, func(r equivalenceRow) []any { return []any{r.t.Version} }),
	tableOf(accountCodec, scanAccount, `SELECT `+accountColumns+` FROM accounts ORDER BY id`,
		`UPDATE accounts SET mac = $1 WHERE id = $2`, func(a cleared.Account) []any { return []any{a.ID} }),
	tableOf(sessionCodec, scanSession, `SELECT `+sessionColumns+` FROM sessions ORDER BY id`,
		`UPDATE sessions SET mac = $1 WHERE id = $2`, func(x cleared.Session) []any { return []any{x.ID} }),
	tableOf(webAuthnCodec, scanWebAuthn, `SELECT `+webAuthnColumns+` FROM webauthn_credentials ORDER BY id`,
		`UPDATE webauthn_credentials SET mac = $1 WHERE id = $2`, func(c cleared.WebAuthnCredential) []any { return []any{c.ID} }),
	tableOf(terminalCertificateCodec, scanTerminalCertificate, `SELECT `+terminalCertificateColumns+` FROM terminal_certificates ORDER BY fingerprint`,
		`UPDATE terminal_certificates SET mac = $1 WHERE fingerprint = $2`, func(c cleared.TerminalCertificate) []any { return []any{c.Fingerprint} }),
	// Issue 18: copies (A9.4) and inventories (A13.1).
	tableOf(copyRequestCodec, scanCopyRequest, `SELECT `+copyRequestColumns+` FROM copy_requests ORDER BY id`,
		`UPDATE copy_requests SET mac = $1 WHERE id = $2`, func(r cleared.CopyRequest) []any { return []any{r.ID} }),
	tableOf(copyCodec, scanCopy, `SELECT `+copyColumns+` FROM copies ORDER BY id`,
		`UPDATE copies SET mac = $1 WHERE id = $2`, func(c cleared.Copy) []any { return []any{c.ID} }),
	tableOf(inventoryCodec, scanInventory, `SELECT `+inventoryColumns+` FROM inventories ORDER BY id`,
		`UPDATE inventories SET mac = $1 WHERE id = $2`, func(v cleared.Inventory) []any { return []any{v.ID} }),
	tableOf(inventoryItemCodec, scanInventoryItem, `SELECT `+inventoryItemColumns+` FROM inventory_items ORDER BY inventory_id, number`,
		`UPDATE inventory_items SET mac = $1 WHERE inventory_id = $2 AND number = $3`,
		func(it cleared.InventoryItem) []any { return []any{it.Inventory, it.Number} }),
	tableOf(markingCodec, scanMarking, `SELECT `+markingColumns+` FROM piece_markings ORDER BY piece_id, seq`,
		`UPDATE piece_markings SET mac = $1 WHERE piece_id = $2 AND seq = $3`,
		func(m cleared.PieceMarking) []any { return []any{m.Piece, m.Seq} }),
	tableOf(profileCodec, scanProfileRow, `SELECT `+profileColumns+` FROM rule_profiles ORDER BY name, version`,
		`UPDATE rule_profiles SET mac = $1 WHERE name = $2 AND version = $3`, func(r profileRow) []any { return []any{r.name, r.version} }),
	tableOf(lawCodec, scanLawRow, `SELECT `+lawColumns+` FROM law_parameters ORDER BY version`,
		`UPDATE law_parameters SET mac = $1 WHERE version = $2`, func(r lawRow) []any { return []any{r.version} }),
	// Issue 18: signatures and destructions.
	tableOf(signingCACodec, scanSigningCA, `SELECT `+signingCAColumns+` FROM signing_cas ORDER BY fingerprint`,
		`UPDATE signing_cas SET mac = $1 WHERE fingerprint = $2`, func(c cleared.SigningCA) []any { return []any{c.Fingerprint} }),
	tableOf(signingCertificateCodec, scanSigningCertificate, `SELECT `+signingCertificateColumns+` FROM signing_certificates ORDER BY fingerprint`,
		`UPDATE signing_certificates SET mac = $1 WHERE fingerprint = $2`, func(c cleared.SigningCertificate) []any { return []any{c.Fingerprint} }),
	tableOf(destructionCodec, scanDestruction, `SELECT `+destructionColumns+` FROM destructions ORDER BY id`,
		`UPDATE destructions SET mac = $1 WHERE id = $2`, func(d cleared.Destruction) []any { return []any{d.ID} }),
	tableOf(signatureCodec, scanSignature, `SELECT `+signatureColumns+` FROM destruction_signatures ORDER BY destruction_id, n`,
		`UPDATE destruction_signatures SET mac = $1 WHERE destruction_id = $2 AND n = $3`, func(s cleared.Signature) []any { return []any{s.Destruction, s.N} }),
	// Issue 18: the history of dossiers' levels (A4.2).
	tableOf(dossierLevelCodec, scanDossierLevel, `SELECT `+dossierLevelColumns+`, mac FROM dossier_levels ORDER BY dossier_id, seq`,
		`UPDATE dossier_levels SET mac = $1 WHERE dossier_id = $2 AND seq = $3`,
		func(c cleared.DossierLevelChange) []any { return []any{c.Dossier, int64(c.Seq)} }),
	// Issue 19: the outbox of notifications and the organisations' webhooks (A13.1).
	tableOf(deliveryCodec, scanDelivery, `SELECT `+deliveryColumns+` FROM deliveries ORDER BY id`,
		`UPDATE deliveries SET mac = $1 WHERE id = $2`, func(d cleared.Delivery) []any { return []any{d.ID} }),
	tableOf(webhookCodec, scanWebhook, `SELECT `+webhookColumns+` FROM webhooks ORDER BY id`,
		`UPDATE webhooks SET mac = $1 WHERE id = $2`, func(w cleared.Webhook) []any { return []any{w.ID} }),
	// Issue 19: transmissions (A11.1, A11.2, S2).
	tableOf(cryptoProductCodec, scanCryptoProduct, `SELECT `+cryptoProductColumns+` FROM crypto_products ORDER BY id`,
		`UPDATE crypto_products SET mac = $1 WHERE id = $2`, func(p cleared.CryptoProduct) []any { return []any{p.ID} }),
	tableOf(addresseeCodec, scanAddressee, `SELECT `+addresseeColumns+` FROM addressees ORDER BY organisation_id`,
		`UPDATE addressees SET mac = $1 WHERE organisation_id = $2`, func(a cleared.Addressee) []any { return []any{a.Organisation} }),
	tableOf(transmissionCodec, scanTransmission, `SELECT `+transmissionColumns+` FROM transmissions ORDER BY id`,
		`UPDATE transmissions SET mac = $1 WHERE id = $2`, func(t cleared.Transmission) []any { return []any{t.ID} }),
	// Issue 19: judicial orders (A9.5).
	tableOf(judicialOrderCodec, scanJudicialOrder, `SELECT `+judicialOrderColumns+` FROM judicial_orders o ORDER BY o.id`,
		`UPDATE judicial_orders SET mac = $1 WHERE id = $2`, func(o cleared.JudicialOrder) []any { return []any{o.ID} }),
	// Issue 20: posts, contracts, assignments and exemptions (A14.1, A16.1).
	tableOf(postCodec, scanPost, `SELECT `+postColumns+` FROM posts ORDER BY id`,
		`UPDATE posts SET mac = $1 WHERE id = $2`, func(p cleared.Post) []any { return []any{p.ID} }),
	tableOf(contractCodec, scanContract, `SELECT `+contractColumns+` FROM contracts ORDER BY id`,
		`UPDATE contracts SET mac = $1 WHERE id = $2`, func(c cleared.Contract) []any { return []any{c.ID} }),
	tableOf(assignmentCodec, scanAssignment, `SELECT `+assignmentColumns+` FROM assignments ORDER BY id`,
		`UPDATE assignments SET mac = $1 WHERE id = $2`, func(a cleared.Assignment) []any { return []any{a.ID} }),
	tableOf(exemptionCategoryCodec, scanExemptionCategory, `SELECT `+exemptionCategoryColumns+` FROM exemption_categories ORDER BY id`,
		`UPDATE exemption_categories SET mac = $1 WHERE id = $2`, func(c cleared.ExemptionCategory) []any { return []any{c.ID} }),
	tableOf(exemptionMembershipCodec, scanExemptionMembership, `SELECT `+exemptionMembershipColumns+` FROM exemption_memberships ORDER BY id`,
		`UPDATE exemption_memberships SET mac = $1 WHERE id = $2`, func(m cleared.ExemptionMembership) []any { return []any{m.ID} }),
	// Issue 19: security incidents (A13.1 to A13.3).
	tableOf(incidentCodec, scanIncident, `SELECT `+incidentColumns+` FROM incidents ORDER BY id`,
		`UPDATE incidents SET mac = $1 WHERE id = $2`, func(i cleared.Incident) []any { return []any{i.ID} }),
	tableOf(notificationCodec, scanNotification, `SELECT `+notificationColumns+` FROM incident_notifications ORDER BY incident_id, number`,
		`UPDATE incident_notifications SET mac = $1 WHERE incident_id = $2 AND number = $3`,
		func(n cleared.IncidentNotification) []any { return []any{n.Incident, n.Number} }),
	tableOf(noteCodec, scanNote, `SELECT `+noteColumns+` FROM incident_notes ORDER BY incident_id, number`,
		`UPDATE incident_notes SET mac = $1 WHERE incident_id = $2 AND number = $3`,
		func(n cleared.IncidentNote) []any { return []any{n.Incident, n.Number} }),
	// Issue 20: vetting cases (A25.1, A26.1).
	tableOf(vettingCaseCodec, scanVettingCase, `SELECT `+vettingCaseColumns+` FROM vetting_cases ORDER BY id`,
		`UPDATE vetting_cases SET mac = $1 WHERE id = $2`, func(c cleared.VettingCase) []any { return []any{c.ID} }),
	// Issue 20: renewal reminders sent (A17.1).
	tableOf(renewalReminderCodec, scanRenewalReminder, `SELECT `+renewalReminderColumns+` FROM renewal_reminders ORDER BY clearance_id, months`,
		`UPDATE renewal_reminders SET mac = $1 WHERE clearance_id = $2 AND months = $3`,
		func(r store.RenewalReminder) []any { return []any{r.Clearance, r.Months} }),
	// Issue 20: the commission's opinions (A27.2).
	tableOf(opinionCodec, scanOpinion, `SELECT `+opinionColumns+` FROM opinions ORDER BY case_id`,
		`UPDATE opinions SET mac = $1 WHERE case_id = $2`, func(o store.Opinion) []any { return []any{o.Case} }),
	// Issue 20: the NSA officers on a case (A24.1).
	tableOf(investigatorCodec, scanInvestigator, `SELECT `+investigatorColumns+` FROM vetting_investigators ORDER BY case_id, person_id, assigned`,
		`UPDATE vetting_investigators SET mac = $1 WHERE case_id = $2 AND person_id = $3 AND assigned = $4`,
		func(i store.Investigator) []any { return []any{string(i.Case), string(i.Person), ns(i.Assigned)} }),
	// Issue 20: the commission's register and referrals (A27.3, A27.4).
	tableOf(commissionSeatCodec, scanCommissionSeat, `SELECT `+commissionSeatColumns+` FROM commission_seats ORDER BY id`,
		`UPDATE commission_seats SET mac = $1 WHERE id = $2`, func(m cleared.CommissionMember) []any { return []any{m.ID} }),
	tableOf(referralCodec, scanReferral, `SELECT `+referralColumns+` FROM commission_referrals ORDER BY case_id`,
		`UPDATE commission_referrals SET mac = $1 WHERE case_id = $2`, func(r store.Referral) []any { return []any{r.Case} }),
	// Issue 20: the deciding authority's decisions and the suspensions of clearances (A27.1).
	tableOf(decisionCodec, scanDecision, `SELECT `+decisionColumns+` FROM vetting_decisions ORDER BY case_id`,
		`UPDATE vetting_decisions SET mac = $1 WHERE case_id = $2`, func(d store.Decision) []any { return []any{d.Case} }),
	tableOf(suspensionCodec, scanSuspension, `SELECT `+suspensionColumns+` FROM clearance_suspensions ORDER BY clearance_id, number`,
		`UPDATE clearance_suspensions SET mac = $1 WHERE clearance_id = $2 AND number = $3`,
		func(s store.Suspension) []any { return []any{s.Clearance, s.Number} }),
	// Issue 20: briefings and their declarations, reports of changes of circumstances (A18.1).
	tableOf(briefingCodec, scanBriefing, `SELECT `+briefingColumns+` FROM clearance_briefings ORDER BY clearance_id, number`,
		`UPDATE clearance_briefings SET mac = $1 WHERE clearance_id = $2 AND number = $3`,
		func(b cleared.Briefing) []any { return []any{b.Clearance, b.Number} }),
	tableOf(circumstanceCodec, scanCircumstance, `SELECT `+circumstanceColumns+` FROM circumstance_reports ORDER BY id`,
		`UPDATE circumstance_reports SET mac = $1 WHERE id = $2`, func(r cleared.CircumstanceReport) []any { return []any{r.ID} }),
	// Issue 20: facility clearances (A15.1, A21.2).
	tableOf(facilityOrganCodec, scanFacilityOrgan, `SELECT `+facilityOrganColumns+` FROM facility_organs ORDER BY id`,
		`UPDATE facility_organs SET mac = $1 WHERE id = $2`, func(o cleared.FacilityOrgan) []any { return []any{o.ID} }),
	tableOf(facilityMeansCodec, scanFacilityMeans, `SELECT `+facilityMeansColumns+` FROM facility_means ORDER BY case_id`,
		`UPDATE facility_means SET mac = $1 WHERE case_id = $2`, func(m cleared.FacilityMeans) []any { return []any{m.Case} }),
	// Issue 20: retention (A23.2).
	tableOf(vettingRetentionCodec, scanVettingRetention, `SELECT `+vettingRetentionColumns+` FROM vetting_retention ORDER BY case_id`,
		`UPDATE vetting_retention SET mac = $1 WHERE case_id = $2`, func(r store.VettingRetention) []any { return []any{r.Case} }),
	// Issue 21: partners and releases (S1, A11.2).
	tableOf(partnerCodec, scanPartner, `SELECT `+partnerColumns+` FROM partners p ORDER BY p.organisation_id`,
		`UPDATE partners SET mac = $1 WHERE organisation_id = $2`, func(p cleared.Partner) []any { return []any{string(p.Organisation)} }),
	tableOf(releaseCodec, scanRelease, `SELECT `+releaseColumns+` FROM releases r ORDER BY r.id`,
		`UPDATE releases SET mac = $1 WHERE id = $2`, func(r cleared.Release) []any { return []any{string(r.ID)} }),
	// Issue 21: the sources pulled and the products received (S1, A6.1).
	tableOf(sourceCodec, scanSource, `SELECT `+sourceColumns+` FROM sources s ORDER BY s.id`,
		`UPDATE sources SET mac = $1 WHERE id = $2`, func(s cleared.Source) []any { return []any{string(s.ID)} }),
	tableOf(receiptCodec, scanReceipt, `SELECT `+receiptColumns+` FROM receipts r ORDER BY r.partner, r.uuid, r.version`,
		`UPDATE receipts SET mac = $1 WHERE partner = $2 AND uuid = $3 AND version = $4`, func(r cleared.Receipt) []any {
			return []any{string(r.Partner), r.UUID, versionNS(r.Version)}
		}),
	// Issue 21 §3: the staging inbox (S1, A5.1).
	tableOf(inboxCodec, scanInbox, `SELECT `+inboxColumns+` FROM inbox_items i ORDER BY i.id`,
		`UPDATE inbox_items SET mac = $1 WHERE id = $2`, func(it cleared.InboxItem) []any { return []any{string(it.ID)} }),
}

// DropSealKey forgets the seal key, as a store that was never given one: for the tests that every read and write
// of a sealed row then fails.
func (s *Store) DropSealKey() {
	s.seal.mu.Lock()
	defer s.seal.mu.Unlock()
	s.seal.key = nil
}

// UpgradeContentKeys calls rewrap for each piece whose content key is not destroyed, with the piece (checked) and
// its wrapped key, and stores the key rewrap returns: the one-time step that binds the wrapped keys an older
// cleared made to their piece's level and originator (keyring.UpgradeWrap). It returns how many it rewrote.
func (tx *Tx) UpgradeContentKeys(rewrap func(p cleared.Piece, kek string, wrapped []byte) (string, []byte, error)) (int, error) {
	type row struct {
		p       cleared.Piece
		kek     string
		wrapped []byte
	}
	rows, err := list(tx, func(s scanner) (row, error) {
		var r row
		var mac []byte
		p, err := scanPiece(extraScanner{s, []any{&mac, &r.kek, &r.wrapped}})
		if err != nil {
			return r, err
		}
		ok, err := verify(tx.s, pieceCodec, p, mac)
		if err != nil {
			return r, err
		}
		if !ok { // left out: its key stays in the old form, which nothing opens any more
			return r, tx.s.tampered(pieceCodec.table, string(p.ID))
		}
		r.p = p
		return r, nil
	}, `SELECT `+pieceColumns+`, k.kek, k.wrapped_key FROM pieces p JOIN piece_keys k ON k.piece_id = p.id
		WHERE k.wrapped_key IS NOT NULL ORDER BY p.id`)
	if err != nil {
		return 0, tx.errorf(err, "read content keys")
	}
	for _, r := range rows {
		kek, wrapped, err := rewrap(r.p, r.kek, r.wrapped)
		if err != nil {
			return 0, err
		}
		if _, err := tx.exec(`UPDATE piece_keys SET kek = $2, wrapped_key = $3 WHERE piece_id = $1`,
			r.p.ID, kek, wrapped); err != nil {
			return 0, tx.errorf(err, "rewrap content key of %s", r.p.ID)
		}
	}
	return len(rows), nil
}

// extraScanner scans columns that follow those of the wrapped scan: the caller's, then extra.
type extraScanner struct {
	s     scanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.s.Scan(append(dest, e.extra...)...) }
