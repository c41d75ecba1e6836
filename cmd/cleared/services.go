package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// services are the services of one process, over one store and one runner, so that every audit entry goes through
// the same writer and counts towards the same checkpoints.
type services struct {
	reg   *registry.Service
	auth  *auth.Service
	vet   *vetting.Service // Chapter 4 (issue 20)
	share *sharing.Service // sharing with partners (issue 21)
	run   *act.Runner      // the demo's pending clearance is granted through it (internal/demo/vetting_briefings.go)
	db    store.Store
	ring  *keyring.Ring // the notifications' dispatcher opens webhook secrets with it (notify.go)
}

// serviceConfig is what a command gives its services: where they log, who counts their decisions (the server's
// metrics), and the security keys the server accepts; the zero value is a quiet command with none.
type serviceConfig struct {
	log      *slog.Logger
	observe  act.Observer
	webauthn *webauthn.WebAuthn
	// tampered counts a register row that failed its seal check (the server's metric); nil for none.
	tampered func(table string)
	// escalation is how long a warning of an incident waits for its acknowledgement (registry.DefaultEscalation if
	// zero).
	escalation time.Duration
	// wake is called after a commit that wrote notifications (the server's dispatcher, notify.go); nil for none.
	wake func()
	// webhookLoopbackHTTP accepts http:// webhook endpoints to a loopback host (--webhook-allow-http-loopback).
	webhookLoopbackHTTP bool
	// pullClient polls partners' servers (--pull-cert, --pull-ca); nil for the sharing service's default.
	pullClient *http.Client
}

// auditSigned is a store that signs the audit log's heads (sqlstore.Store): without its signer key it refuses every
// append.
type auditSigned interface {
	SetAuditSigner(signerKey string) error
}

// newServices builds the services over db, sealing with ring; signer, if set, is the audit log's signer key, which
// db signs every batch's new head with. Without it, or with a key db refuses (logged), db writes nothing to the
// log, so no action can succeed: fail closed.
func newServices(db store.Store, ring *keyring.Ring, signer string, c serviceConfig) services {
	if a, ok := db.(auditSigned); ok && signer != "" {
		if err := a.SetAuditSigner(signer); err != nil && c.log != nil {
			c.log.Error("the audit signing key is refused: nothing can be written", "error", err)
		}
	}
	run := act.New(db, c.log, c.observe)
	au := auth.New(run, ring, auth.Config{Log: c.log, WebAuthn: c.webauthn})
	vet := vetting.New(run, ring, vetting.Config{Log: c.log})
	reg := registry.New(run, ring, registry.Config{Log: c.log, AuditSigner: signer, Agenda: []facts.AgendaSource{au, vet},
		IncidentEscalation: c.escalation, Wake: c.wake, WebhookLoopbackHTTP: c.webhookLoopbackHTTP})
	vet.UseSigner(reg) // the questionnaire and the consent are signed by the registry's signing service (A25.1)
	share := sharing.New(run, ring, sharing.Config{Log: c.log, Wake: c.wake, Registry: reg, PullClient: c.pullClient})
	return services{db: db, auth: au, vet: vet, share: share, run: run, ring: ring, reg: reg}
}

// demo is what the demo data set is loaded through.
func (s services) demo() demo.Services {
	return demo.Services{Registry: s.reg, Auth: s.auth, Vetting: s.vet, Sharing: s.share, Run: s.run}
}
