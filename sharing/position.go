package sharing

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring"
)

// A partner resumes its stream (TAXII's next, the live feed's Last-Event-ID) from a position it was given. The
// position is the service's sequence number of release changes, which counts every partner's releases: handed out
// as it is, two positions would tell a partner how many products went to others between them, and when. So it is
// handed out sealed: one AES block holding the number, an index inside that change (the objects of a release
// already sent on a TAXII page) and a tag of the partner, under a key derived from the key ring's register key.
// A position is opaque, bound to its partner (another's is refused), and the same for the same point of the stream.

var positionEncoding = base64.RawURLEncoding

// positionCipher returns the block cipher of positions, from the key ring.
func (s *Service) positionCipher() (cipher.Block, error) {
	key, ok := s.ring.Secret(keyring.RegisterKey)
	if !ok {
		return nil, cleared.Unavailablef("the key ring holds no register key: positions cannot be sealed")
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("cleared/sharing/position/v1"))
	return aes.NewCipher(m.Sum(nil))
}

func partnerTag(org cleared.OrganisationID) []byte {
	h := sha256.Sum256([]byte("cleared/sharing/partner\x00" + org))
	return h[:4]
}

// Position seals the point of partner org's stream after change seq, index objects into it, as a token.
func (s *Service) Position(org cleared.OrganisationID, seq int64, index int) (string, error) {
	c, err := s.positionCipher()
	if err != nil {
		return "", err
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(seq))
	binary.BigEndian.PutUint32(b[8:12], uint32(index))
	copy(b[12:], partnerTag(org))
	c.Encrypt(b[:], b[:])
	return positionEncoding.EncodeToString(b[:]), nil
}

// ParsePosition opens a token of Position for partner org. "" is the start of the stream. A token altered, made
// up, or given to another partner is cleared.ErrInvalid.
func (s *Service) ParsePosition(org cleared.OrganisationID, tok string) (seq int64, index int, err error) {
	if tok == "" {
		return 0, 0, nil
	}
	bad := cleared.Invalidf("malformed position: pass the one the server gave, as it is")
	b, derr := positionEncoding.DecodeString(tok)
	if derr != nil || len(b) != 16 || positionEncoding.EncodeToString(b) != tok {
		return 0, 0, bad
	}
	c, err := s.positionCipher()
	if err != nil {
		return 0, 0, err
	}
	c.Decrypt(b, b)
	if subtle.ConstantTimeCompare(b[12:], partnerTag(org)) != 1 {
		return 0, 0, bad
	}
	u, i := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint32(b[8:12])
	if u > 1<<62 || i > 1<<24 {
		return 0, 0, bad
	}
	return int64(u), int(i), nil
}
