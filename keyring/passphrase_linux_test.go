package keyring_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/cleared/cleared/keyring"
)

// openPTY returns both ends of a fresh pseudo-terminal: what is written to master is typed at slave, a real terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

func TestPassphraseTerminal(t *testing.T) {
	for name, tt := range map[string]struct {
		confirm bool
		typed   string
		want    string // passphrase, or "error: " and part of the message
	}{
		"once":       {false, "typed at the terminal\n", "typed at the terminal"},
		"confirmed":  {true, "twice\ntwice\n", "twice"},
		"mismatch":   {true, "twice\ntwise\n", "error: the two passphrases differ"},
		"empty line": {false, "\n", "error: empty passphrase"},
	} {
		master, slave := openPTY(t)
		if _, err := master.WriteString(tt.typed); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		src := keyring.PassphraseSource{Env: "CLEARED_PASSPHRASE", Getenv: env(nil), Stdin: slave, Stderr: &stderr, Confirm: tt.confirm}
		got, err := src.Passphrase()
		if want, ok := strings.CutPrefix(tt.want, "error: "); ok {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: Passphrase = %q, %v; want an error saying %q", name, got, err, want)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: Passphrase = %q, %v; want %q", name, got, err, tt.want)
		}
		if !strings.HasPrefix(stderr.String(), "Key ring passphrase: ") {
			t.Errorf("%s: prompt = %q", name, stderr.String())
		}
	}
}
