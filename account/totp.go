package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP settings: the defaults every authenticator app understands (RFC 6238: SHA-1, 6 digits, 30 seconds).
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// totpSkew accepts the step before and after the current one, for clocks a little apart.
	totpSkew = 1
)

// NewTOTPSecret returns a fresh TOTP secret (160 random bits, base32 without padding).
func NewTOTPSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b), nil
}

// TOTPURI is the otpauth:// URI an authenticator app reads (as text or QR code) to enrol secret for login.
func TOTPURI(issuer, login, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("period", "30")
	v.Set("digits", "6")
	v.Set("algorithm", "SHA1")
	return "otpauth://totp/" + url.PathEscape(issuer) + ":" + url.PathEscape(login) + "?" + v.Encode()
}

// TOTPCode returns the code of secret at t (for tests, the demo, and enrolment checks).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
}

// CheckTOTP reports whether code is secret's code at now, give or take one step, and newer than lastStep, the
// step of the last code accepted: a code is used once, even within its own 30 seconds (no replay). It returns the
// step to store as the new last one.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.TrimSpace(code)
	if len(code) != int(totpDigits) {
		return 0, false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	current := now.Unix() / totpPeriod
	for s := current - totpSkew; s <= current+totpSkew; s++ {
		want, err := TOTPCode(secret, time.Unix(s*totpPeriod, 0))
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			if s <= lastStep {
				return 0, false // replayed
			}
			return s, true
		}
	}
	return 0, false
}
