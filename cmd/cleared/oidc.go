package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/web"
)

// oidcOptions are serve's flags for signing in through the organisation's identity provider (OpenID Connect).
type oidcOptions struct {
	issuer, clientID, secretFile, name string
}

// oidcDiscoveryTimeout bounds the discovery at start: a server that cannot reach its provider says so, rather than
// wait, or serve a sign-in that cannot work.
const oidcDiscoveryTimeout = 30 * time.Second

func oidcFlags(fs *flag.FlagSet) *oidcOptions {
	o := &oidcOptions{}
	fs.StringVar(&o.issuer, "oidc-issuer", "", "issuer URL of the organisation's OpenID Connect identity provider: the accounts linked to an identity there (cleared user link-oidc) may sign in through it in place of their password; the second factor is still asked")
	fs.StringVar(&o.clientID, "oidc-client-id", "", "cleared's client ID at the identity provider (required with --oidc-issuer)")
	fs.StringVar(&o.secretFile, "oidc-client-secret-file", "", "file holding cleared's client secret at the identity provider; without it cleared is a public client, protected by PKCE alone")
	fs.StringVar(&o.name, "oidc-name", "", `the identity provider as people know it, on the sign-in page ("Sign in with …"); default: the issuer's host`)
	return o
}

// check refuses the provider's flags without the issuer they are for, and an issuer without a client ID.
func (o *oidcOptions) check() error {
	if o.issuer == "" {
		if o.clientID != "" || o.secretFile != "" || o.name != "" {
			return usagef("--oidc-client-id, --oidc-client-secret-file and --oidc-name go with --oidc-issuer")
		}
		return nil
	}
	if err := auth.CheckOIDCIssuer(o.issuer); err != nil {
		return usagef("--oidc-issuer: %s", cleared.Message(err))
	}
	if o.clientID == "" {
		return usagef("--oidc-issuer needs --oidc-client-id, the client ID the identity provider gave cleared")
	}
	return nil
}

// provider reads the client secret and discovers the provider; it returns nil, and no error, when no provider is
// configured. The redirection URL is publicURL's: it must be registered at the provider as it is printed at start.
func (o *oidcOptions) provider(ctx context.Context, publicURL string) (*web.OIDC, error) {
	if o.issuer == "" {
		return nil, nil
	}
	var secret string
	if o.secretFile != "" {
		b, err := os.ReadFile(o.secretFile)
		if err != nil {
			return nil, fmt.Errorf("--oidc-client-secret-file: %w", err)
		}
		if secret = strings.TrimRight(string(b), "\r\n"); secret == "" {
			return nil, fmt.Errorf("--oidc-client-secret-file %s is empty", o.secretFile)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, oidcDiscoveryTimeout)
	defer cancel()
	idp, err := web.NewOIDC(ctx, web.OIDCConfig{Issuer: o.issuer, ClientID: o.clientID, ClientSecret: secret, Name: o.name,
		RedirectURL: strings.TrimSuffix(publicURL, "/") + web.OIDCCallbackPath})
	if err != nil {
		return nil, fmt.Errorf("--oidc-issuer: %w (is the provider reachable from this server, and is the URL its issuer exactly?)", err)
	}
	return idp, nil
}
