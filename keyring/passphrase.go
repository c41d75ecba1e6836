package keyring

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// PassphraseSource says where the key ring's passphrase comes from. [PassphraseSource.Passphrase] looks, in order,
// at the variable Env, at the file named by the variable Env+"_FILE" (the form secret managers and container
// orchestrators mount), and at the terminal.
type PassphraseSource struct {
	// Env names the variable holding the passphrase, for example "CLEARED_PASSPHRASE".
	Env string
	// Getenv reads the environment; nil means os.Getenv. An empty value counts as unset.
	Getenv func(string) string
	// Stdin is where a person types the passphrase, without echo, if it is a terminal; nil never prompts.
	Stdin *os.File
	// Stderr shows the prompt; nil means os.Stderr.
	Stderr io.Writer
	// Confirm asks twice at the terminal and refuses a mismatch: set it when the passphrase seals a new ring, where
	// a typing mistake would lock the ring for good.
	Confirm bool
}

// Passphrase returns the passphrase from the first place of s that has one. The caller clears it after use. It
// refuses an empty passphrase, both Env and Env+"_FILE" set at once, and, with neither set and no terminal, says
// what to set.
func (s PassphraseSource) Passphrase() ([]byte, error) {
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	fileEnv := s.Env + "_FILE"
	value, file := getenv(s.Env), getenv(fileEnv)
	switch {
	case value != "" && file != "":
		return nil, fmt.Errorf("keyring: both %s and %s are set: set only one", s.Env, fileEnv)
	case value != "":
		return []byte(value), nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("keyring: passphrase file (%s): %w", fileEnv, err)
		}
		// Editors and `echo` end the file with a newline that is not part of the passphrase.
		b = bytes.TrimRight(b, "\r\n")
		if len(b) == 0 {
			return nil, fmt.Errorf("keyring: passphrase file %s (%s) is empty", file, fileEnv)
		}
		return b, nil
	}
	if s.Stdin == nil || !term.IsTerminal(int(s.Stdin.Fd())) {
		return nil, fmt.Errorf("keyring: no passphrase: set %s or %s, or run from a terminal", s.Env, fileEnv)
	}
	stderr := s.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	pass, err := s.prompt(stderr, "Key ring passphrase: ")
	if err != nil || !s.Confirm {
		return pass, err
	}
	again, err := s.prompt(stderr, "Repeat the passphrase: ")
	defer clear(again)
	if err != nil {
		clear(pass)
		return nil, err
	}
	if !bytes.Equal(pass, again) {
		clear(pass)
		return nil, errors.New("keyring: the two passphrases differ")
	}
	return pass, nil
}

func (s PassphraseSource) prompt(stderr io.Writer, text string) ([]byte, error) {
	fmt.Fprint(stderr, text)
	pass, err := term.ReadPassword(int(s.Stdin.Fd()))
	fmt.Fprintln(stderr) // the typed newline was not echoed
	if err != nil {
		return nil, fmt.Errorf("keyring: read passphrase: %w", err)
	}
	if len(pass) == 0 {
		return nil, errors.New("keyring: empty passphrase")
	}
	return pass, nil
}
