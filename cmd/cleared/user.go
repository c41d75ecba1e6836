package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"os"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

// userUsage is the synopsis of cleared user's subcommands.
const userUsage = `Usage:
  cleared user add --person ID --login NAME [--password-file FILE]
  cleared user link-oidc LOGIN --issuer URL --subject SUB`

// runUser runs an operator's act on web accounts, on the server: giving a registered person an account, as for
// the first accounts of a new installation (afterwards an admin creates them in the UI), or linking an account to
// the person's identity at the organisation's identity provider.
func runUser(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runUserAdd(ctx, a, args[1:])
		case "link-oidc":
			return runUserLinkOIDC(ctx, a, args[1:])
		case "-h", "--help", "help":
			fmt.Fprintln(a.stderr, userUsage)
			return nil
		}
	}
	return usagef("want one of:\n%s", userUsage)
}

func runUserAdd(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("user add", "--person ID --login NAME [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	person := fs.String("person", "", "ID of the registered person the account is for (required)")
	login := fs.String("login", "", "login: 2 to 64 lower-case letters, digits, '.', '-', '_' (required)")
	pwFile := fs.String("password-file", "", "file holding the first password (at least 12 characters); without it a random one is made and printed")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	if *person == "" || *login == "" {
		return usagef("--person and --login are required")
	}
	pw, err := firstPassword(*pwFile)
	if err != nil {
		return err
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	r, err := sv.auth.AddAccount(ctx, auth.NewAccount{PersonID: cleared.PersonID(*person), Login: *login, Password: pw})
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	fmt.Fprintf(a.stderr, "Account %s for %s. Give the person, apart and once, what follows; the TOTP secret goes in an authenticator app.\n",
		r.Account.ID, r.Account.PersonID)
	fmt.Fprintf(a.stdout, "login:       %s\n", r.Account.Login)
	if *pwFile == "" {
		fmt.Fprintf(a.stdout, "password:    %s\n", pw)
	}
	fmt.Fprintf(a.stdout, "TOTP secret: %s\nTOTP URI:    %s\n", r.TOTPSecret, r.TOTPURI)
	return nil
}

// runUserLinkOIDC links an account to the person's identity at the identity provider (serve --oidc-issuer), as an
// admin does with POST /api/accounts/{id}/oidc: that identity then signs in to the account in place of the
// password, and the account's second factor is still asked.
func runUserLinkOIDC(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("user link-oidc", "LOGIN --issuer URL --subject SUB [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	issuer := fs.String("issuer", "", "the identity provider's issuer URL, exactly as serve --oidc-issuer gives it (required)")
	subject := fs.String("subject", "", `the person's subject at the provider: the "sub" of his ID tokens, never his e-mail address (required)`)
	// The login comes first, as the synopsis shows it; the flag package stops at the first argument that is not a
	// flag, so it is taken off before the flags are parsed.
	var login string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		login, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	if login == "" || *issuer == "" || *subject == "" {
		return usagef("want 'cleared user link-oidc LOGIN --issuer URL --subject SUB'")
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	acc, err := sv.auth.LinkOIDCAsOperator(ctx, login, auth.OIDCIdentity{Issuer: *issuer, Subject: *subject})
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	fmt.Fprintf(a.stdout, "Account %s (%s) is linked to subject %q of %s: that identity signs in to it, then the account's second factor is asked.\n",
		acc.ID, acc.Login, *subject, *issuer)
	return nil
}

// firstPassword reads the password file, or makes a random password.
func firstPassword(file string) (string, error) {
	if file == "" {
		var b [15]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		return strings.ToLower(base32.StdEncoding.EncodeToString(b[:])), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--password-file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}
