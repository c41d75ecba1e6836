// Package keyring encrypts the content of electronic pieces and keeps the keys that do it.
//
// Each piece's content is sealed with its own fresh 256-bit data key (AES-256-GCM, the piece ID as associated
// data); the data key is wrapped by a key-encryption key (KEK) of the [Ring]. The store keeps the wrapped key apart
// from the ciphertext ([Sealed] maps onto store.Content), which serves two articles of the law:
//
//   - Art. 10 al. 1 (A10.1), destruction: destroying a piece erases its wrapped data key. The ciphertext may stay
//     where it is, in the database and in every backup taken afterwards: no key left anywhere opens it, and
//     [Ring.Open] answers [ErrKeyDestroyed] (crypto-shredding).
//   - A24.1, confidentiality at rest: the database, its dumps and its backups hold only ciphertext and wrapped keys;
//     the KEKs live in the key ring, which is itself sealed with a passphrase ([Save], [Load]).
//
// The ring also holds named secrets ([Ring.Secret], [Ring.SetSecret]), such as the audit log's signing key and the
// key that seals the register rows ([RegisterKey]: architecture, principle 9), so that one passphrase unlocks
// everything the server needs.
//
// The wrapped data key is bound to the piece's level and originator as well as its ID, so that a piece re-levelled
// in the database does not decrypt (A13.1); a legitimate change of either re-wraps the key ([Ring.Rewrap]).
//
// # Formats
//
// A [Sealed] value has three parts, each written as the store keeps it:
//
//	KEK         "kek-1"                                   the ID of the KEK that wrapped the data key
//	WrappedKey  nonce(12) || AES-256-GCM(KEK, data key)(32) || tag(16)           60 bytes
//	            associated data: "cleared/piece-key/v2\x00" || uvarint(len(ID)) || piece ID
//	                             || varint(level) || uvarint(len(originator)) || originator
//	            (v1, before issue 17, bound the piece ID alone; only UpgradeWrap reads it)
//	Ciphertext  nonce(12) || AES-256-GCM(data key, content) || tag(16)           len(content)+28 bytes
//	            associated data: "cleared/piece-content/v1\x00" || piece ID
//
// The key ring file, written by [Save] with mode 0600, is this JSON object (base64 is standard, padded):
//
//	{
//	  "format": "cleared-keyring/v1",
//	  "argon2id": {"time": 3, "memory_kib": 65536, "threads": 2},
//	  "salt": "<base64 of 16 random bytes>",
//	  "nonce": "<base64 of 12 random bytes>",
//	  "ciphertext": "<base64 of AES-256-GCM(key, contents) || tag(16)>"
//	}
//
// where key = argon2id(passphrase, salt, time, memory_kib, threads, 32 bytes), the associated data is the format
// string "cleared-keyring/v1", and contents is the JSON object
//
//	{"current": "kek-2", "keks": [{"id": "kek-1", "key": "<base64>"}, {"id": "kek-2", "key": "<base64>"}],
//	 "secrets": {"<name>": "<base64>"}}
//
// The argon2id parameters and the salt are not authenticated separately: changing any of them changes the derived
// key, so the file no longer opens.
//
// # Threat model
//
// Whoever obtains the database, its backups or the sealed key ring file, but not the passphrase, learns nothing
// of any piece's content beyond its length, and cannot alter content, swap it between pieces or substitute a key
// without [Ring.Open] refusing it. This package does not defend against an attacker who runs code on the server
// while the ring is open in memory, nor against one who holds both the passphrase (or an unsealed ring) and a copy
// of a wrapped data key taken before the piece was destroyed.
package keyring
