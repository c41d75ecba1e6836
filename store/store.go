// Package store declares what the services need from a database, and holds the test suite every database
// (store/sqlite, store/postgres) must pass, in store/storetest.
//
// The contract is written in chapters, one interface per group of tables, each in a file of its own here, in
// store/sqlstore (the SQL both databases run) and in store/storetest (its tests): Registers (Art. 2, 4, 20),
// Clearances (Art. 16, 17), Authorities (Art. 5), Pieces (Art. 3, 4, 10), Grants (Art. 9), Places (Art. 8, 9, 11),
// Credentials (sign-in), EquivalenceTables (Art. 6), Settings, AuditTx (Art. 11) and Cosignatures (the witnesses'
// cosignatures of the audit log's checkpoints). Tx is all of them; a later
// chapter (vetting, sharing) adds one interface in one file. contract_test.go holds each to at most 40 methods.
//
// A service action runs in one transaction: Update loads what the policy needs, the service decides, and the same
// transaction applies the change (architecture, principle 2). If the function returns an error, nothing is
// committed. Update may run the function more than once (PostgreSQL retries serialization failures), so the
// function must have no effect outside the transaction.
//
// Methods that look up one object return an error of kind cleared.ErrNotFound when there is none, never a zero
// value with a nil error; creating an object whose ID or unique key exists returns cleared.ErrConflict; a database
// that cannot be reached returns cleared.ErrUnavailable.
//
// The database is not trusted with access (architecture, principle 9): every register row carries a MAC under a key
// the database never holds (SealedTables), checked on every read. A method that looks up one object whose row fails
// returns a *TamperedError (kind cleared.ErrUnavailable); a list leaves such a row out.
package store

import (
	"context"
	"time"
)

// Store opens transactions.
type Store interface {
	// Update runs fn in one read-write transaction and commits if fn returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction (a consistent snapshot).
	View(ctx context.Context, fn func(Tx) error) error
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Generation is a number that changes whenever what a View could read may have changed: once a committed
	// Update that was not marked AppendOnly has returned to its caller when this process made it, and within
	// GenerationLag when another process (a command run beside the server, another server) made it. A cache keyed
	// by the generation it was filled in is never older than that. While the database cannot be read, it keeps
	// changing, so that nothing cached is trusted.
	Generation() uint64
	Close() error
}

// GenerationLag bounds how late Generation sees a change committed by another process.
const GenerationLag = 250 * time.Millisecond

type appendOnlyKey struct{}

// AppendOnly marks ctx for an Update whose function only appends to the audit log (the entry of a read, of a
// refusal): it leaves Generation as it is, so that what is cached for access decisions outlives the reads it
// serves. An Update so marked that changes anything else breaks that promise; a mark forgotten only costs speed.
func AppendOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, appendOnlyKey{}, true)
}

// IsAppendOnly reports whether ctx was marked by AppendOnly.
func IsAppendOnly(ctx context.Context) bool { v, _ := ctx.Value(appendOnlyKey{}).(bool); return v }

// Page selects a slice of a list ordered by ID: items after After (exclusive; empty for the first page), at most
// Limit of them.
type Page struct {
	After string
	Limit int
}

// Tx is one transaction: the storage contract in chapters, one interface per group of tables, each in a file of
// its own here, in store/sqlstore and in store/storetest. A service helper takes the narrowest of them it uses.
// Its methods use the values of the context Update or View was given; inside Update, not its cancellation: once a
// function has started in a group commit, it runs to the commit.
type Tx interface {
	Registers
	Clearances
	Authorities
	Pieces
	Grants
	Places
	Credentials
	EquivalenceTables
	Profiles
	Laws
	Settings
	AuditTx
	Cosignatures
	// Issue 18: copies (A9.4) and inventories (A1.1, A13.1).
	Copies
	Inventories
	Markings
	// Issue 18, destruction with signed reports.
	Signatures
	Destructions
	RegisterReads // issue 18: the registers read whole, and dossiers' level history
	Outbox        // issue 19: notifications by e-mail and webhook (A13.1)
	Transmissions // issue 19: transmissions and their receipts (A11.1, A11.2, S2)
	// Issue 19: judicial orders (A9.5).
	JudicialOrders
	Posts            // issue 20: posts, contracts, assignments and exemptions (A14.1, A16.1)
	Incidents        // issue 19: security incidents (A13.1 to A13.3)
	VettingCases     // issue 20: vetting cases and their questionnaires (A20.1, A25.1, A25.2, A26.1)
	FacilityCases    // issue 20: facility cases' organs and means (A15.1, A21.2)
	RenewalReminders // issue 20: renewal reminders sent (A17.1)
	Opinions         // issue 20: the commission's opinions (A27.2, A27.4)
	Investigations   // issue 20: the investigation of a case and the person's file (A15.2, A21.1, A24.1, A25.3, A28.1)

	VettingRetentions // issue 20 §9: retention, holds and purge of cases' personal data (A23.2)
	Commission        // issue 20: the commission's register, referrals, requests and hearings (A27.2 to A27.4)
	Decisions         // issue 20: the deciding authority's decisions, appeals, suspensions (A27.1, A29.1)
	Briefings         // issue 20: briefings, declarations and changes of circumstances (A18.1)
	Sharing           // issue 21: partners, releases and deliveries (S1, A11.2)
}
