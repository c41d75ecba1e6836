package keyring

import "github.com/cleared/cleared"

// SealV1ForTest seals content as cleared did before issue 17: the wrapped key bound to the piece ID alone.
func SealV1ForTest(r *Ring, id cleared.PieceID, plaintext []byte) Sealed {
	kekID, k := r.currentKEK()
	dataKey := make([]byte, keySize)
	for i := range dataKey {
		dataKey[i] = byte(i)
	}
	ct := newAEAD(dataKey).Seal(nil, nil, plaintext, ad(contentAD, id))
	return Sealed{KEK: kekID, WrappedKey: k.aead.Seal(nil, nil, dataKey, ad(wrapADv1, id)), Ciphertext: ct}
}
