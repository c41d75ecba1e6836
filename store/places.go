package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Places holds the security zones, the terminals accredited in them and their certificates (A8.1, A8.2, A9.3),
// and the accredited transmission channels (A11.1).
type Places interface {
	CreatePlace(p cleared.Place) error
	Place(id cleared.PlaceID) (cleared.Place, error)
	Places(p Page) ([]cleared.Place, error)
	CreateTerminal(t cleared.Terminal) error
	Terminal(id cleared.TerminalID) (cleared.Terminal, error)
	// Terminals lists terminals by ID, revoked ones included.
	Terminals(p Page) ([]cleared.Terminal, error)
	// RevokeTerminal ends a terminal and every certificate issued to it; ErrConflict if it is already revoked.
	RevokeTerminal(id cleared.TerminalID, at time.Time) error
	// CreateTerminalCertificate records a client certificate issued to a terminal.
	CreateTerminalCertificate(c cleared.TerminalCertificate) error
	// TerminalCertificate finds a certificate by the SHA-256 of its DER.
	TerminalCertificate(fingerprint []byte) (cleared.TerminalCertificate, error)
	TerminalCertificates(id cleared.TerminalID) ([]cleared.TerminalCertificate, error)
	CreateChannel(c cleared.Channel) error
	Channel(id cleared.ChannelID) (cleared.Channel, error)
	Channels(p Page) ([]cleared.Channel, error)
}
