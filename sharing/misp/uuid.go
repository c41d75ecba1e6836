package misp

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// uuidURL is RFC 9562's namespace for URLs; namespace is cleared's own, derived from it, so that the UUIDs cleared
// derives (an organisation's, an attribute's) never collide with another tool's.
var (
	uuidURL   = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	namespace = mustParseUUID(uuid5(uuidURL, "urn:cleared:sharing:misp:v1"))
)

// uuid5 returns the name-based UUID (version 5, SHA-1) of name in namespace ns (RFC 9562 §5.5): the same product
// renders the same event, attribute and organisation UUIDs every time, so that MISP updates rather than duplicates.
func uuid5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	s := h.Sum(nil)[:16]
	s[6] = s[6]&0x0f | 0x50
	s[8] = s[8]&0x3f | 0x80
	return formatUUID(s)
}

func formatUUID(b []byte) string {
	x := hex.EncodeToString(b)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// parseUUID reads the canonical textual form (8-4-4-4-12 hexadecimal digits) of a UUID, in either case.
func parseUUID(s string) ([16]byte, bool) {
	var u [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		return u, false
	}
	copy(u[:], b)
	return u, true
}

func mustParseUUID(s string) [16]byte {
	u, ok := parseUUID(s)
	if !ok {
		panic("misp: bad UUID " + s)
	}
	return u
}
