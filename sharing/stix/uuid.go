package stix

import (
	"crypto/sha1"
	"encoding/hex"
)

// namespace is the UUIDv5 namespace of the identifiers cleared gives STIX objects, itself the UUIDv5 of a fixed
// URL in the RFC 4122 URL namespace, so that the same product always renders with the same identifiers.
var namespace = uuid5([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8},
	"urn:cleared:stix:v1")

// uuid5 returns the name-based (SHA-1) UUID of name in namespace ns (RFC 9562 §5.5).
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

// id returns the STIX identifier "<typ>--<uuid>" derived from name.
func id(typ, name string) string {
	return typ + "--" + formatUUID(uuid5(namespace, typ+"\x00"+name))
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
