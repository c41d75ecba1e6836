package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
)

// Files partner issue writes.
const (
	partnerCertFile = "partner.crt"
	partnerKeyFile  = "partner.key"
)

const partnerUsage = `Usage:
  cleared partner issue --partner ORG --by PERSON --out DIR [--ttl 8760h]   a client certificate for a partner's systems
  cleared partner list [--json] --by PERSON                                 the register of partners
Each takes --data DIR and --db URL. A partner's TAXII client, MISP feed fetcher and live-feed subscriber present
this certificate (cleared serve --tls); the NSA officer named by --by records its fingerprint in the partner's
record, which must exist (PUT /api/partners/{id}). See docs/sharing.md.
`

func runPartner(ctx context.Context, a *app, args []string) error {
	sub := map[string]func(context.Context, *app, []string) error{"issue": runPartnerIssue, "list": runPartnerList}
	if len(args) > 0 {
		if f, ok := sub[args[0]]; ok {
			return f(ctx, a, args[1:])
		}
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(a.stderr, partnerUsage)
			return nil
		}
	}
	return usagef("want one of: issue, list\n\n%s", partnerUsage)
}

func runPartnerIssue(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("partner issue", "--partner ORG --by PERSON --out DIR [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	partner := fs.String("partner", "", "organisation ID of the partner (org_…), recorded as a partner (required)")
	by := fs.String("by", "", "ID of the NSA officer who issues it and records its fingerprint (required)")
	out := fs.String("out", "", "folder to write partner.crt, partner.key and ca.crt to (required; created 0700)")
	ttl := fs.Duration("ttl", 365*24*time.Hour, "how long the certificate lives (at most 8784h)")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	switch {
	case *partner == "":
		return usagef("--partner is required")
	case *by == "":
		return usagef("--by is required: the NSA officer who records the certificate")
	case *out == "":
		return usagef("--out is required: the folder to write the certificate and its key to")
	case *ttl <= 0 || *ttl > 8784*time.Hour:
		return usagef("--ttl must be more than zero and at most 8784h")
	}
	for _, f := range []string{partnerCertFile, partnerKeyFile} {
		if _, err := os.Stat(filepath.Join(*out, f)); err == nil {
			return fmt.Errorf("%s already holds %s: choose another --out", *out, f)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	ca, err := sv.reg.TerminalCA()
	if err != nil {
		return noCA(err, st.data)
	}
	me := cleared.Actor{Person: cleared.PersonID(*by)}
	org := cleared.OrganisationID(*partner)
	// The record is read first: an unknown partner, or a person who may not change the register, gets no key.
	p, err := sv.share.Partner(ctx, me, org)
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	certPEM, keyPEM, serial, fp, err := ca.IssuePartner(org, time.Now(), *ttl)
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	defer clear(keyPEM)
	in := sharing.NewPartner{Scheme: p.Scheme, MaxLevel: p.MaxLevel, Groups: p.Groups, Channels: p.Channels,
		Certificates: append(slices.Clone(p.Certificates), hex.EncodeToString(fp)), ACS: p.ACS,
		AccreditedFrom: p.AccreditedFrom, AccreditedUntil: p.AccreditedUntil, Suspended: p.Suspended}
	if _, err := sv.share.RecordPartner(ctx, me, org, in); err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}
	crt, key, caPath := filepath.Join(*out, partnerCertFile), filepath.Join(*out, partnerKeyFile), filepath.Join(*out, caFile)
	if err := writeNew(key, keyPEM, 0o600); err != nil {
		return err
	}
	if err := writeNew(crt, certPEM, 0o644); err != nil {
		return err
	}
	if err := writeCACert(ca, caPath); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, `Issued a client certificate to partner %s (%s), and recorded it.
  serial       %s
  fingerprint  SHA-256 %s
  files        %s, %s (private key, 0600), %s (the CA to trust)

Hand them to the partner over an accredited channel. Its TAXII client or MISP then reads, for example:
  curl --cert %s --key %s --cacert %s -H 'Accept: application/taxii+json;version=2.1' https://HOST/taxii2/
(docs/sharing.md). To withdraw it, record the partner again without this fingerprint, or suspend the partner.
`, org, p.Name, serial, hex.EncodeToString(fp), crt, key, caPath, shellQuote(crt), shellQuote(key), shellQuote(caPath))
	return nil
}

func runPartnerList(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("partner list", "--by PERSON [--json] [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	by := fs.String("by", "", "ID of the person who reads the register: an NSA officer or a classifying authority (required)")
	asJSON := fs.Bool("json", false, "print JSON, one partner per line")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	if *by == "" {
		return usagef("--by is required: reading the register of partners is recorded in the audit log")
	}
	sv, err := st.open(ctx, a, serviceConfig{log: quiet})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	me := cleared.Actor{Person: cleared.PersonID(*by)}
	enc := json.NewEncoder(a.stdout)
	now := time.Now()
	after := ""
	for {
		ps, err := sv.share.Partners(ctx, me, after, 500)
		if err != nil {
			return fmt.Errorf("%s", errText(err))
		}
		for _, p := range ps {
			if *asJSON {
				if err := enc.Encode(p); err != nil {
					return err
				}
				continue
			}
			state := "in force"
			if !p.AccreditedAt(now) {
				state = "NOT IN FORCE"
			}
			fmt.Fprintf(a.stdout, "%s  %-40q  %s up to %s  channels %s  groups %s  %d certificate(s)  %s\n", p.Organisation, p.Name,
				p.Scheme, p.MaxLevel, joinIDs(p.Channels), strings.Join(p.Groups, ","), len(p.Certificates), state)
		}
		if len(ps) < 500 {
			return nil
		}
		after = string(ps[len(ps)-1].Organisation)
	}
}

func joinIDs[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ",")
}
