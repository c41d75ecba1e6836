// Package witness lets a partner authority keep cleared's audit log honest without trusting cleared: it is a
// witness as the C2SP tlog-witness specification defines it (https://c2sp.org/tlog-witness), the client that
// cleared's server uses to ask witnesses for cosignatures, and the check that `cleared audit verify --witness`
// makes of a log against what the witnesses cosigned.
//
// The audit log is the evidence that the NSA's answers on who saw, received or destroyed a piece (Art. 10 al. 2,
// Art. 11 al. 2, Art. 13: A10.2, A11.2, A13.1) rest on a record nobody altered. Its checkpoints are signed by the
// server's key, which is enough against a database administrator, but not against whoever holds the key: he could
// truncate the log, rewrite it and sign again (a fork), or sign a new log with a new key. A witness remembers, for
// each log it is configured for, the latest checkpoint it cosigned, and cosigns a new one only if a consistency
// proof shows that it extends it. Once k witnesses run by others have cosigned a checkpoint, a log that does not
// extend it is seen by anyone who asks them.
//
// # Protocol
//
// add-checkpoint (POST <prefix>/add-checkpoint) takes, each line ending in a newline:
//
//	old <size the witness last cosigned, 0 the first time>
//	<consistency proof hashes from that size, one per line in base64, at most 63>
//	<empty line>
//	<the log's signed checkpoint note>
//
// and answers with the witness's cosignature line(s) (200), or 400 for a malformed request or an old size above the
// checkpoint's, 403 if no signature verifies with a key configured for the log, 404 for a log it does not witness,
// 409 (Content-Type text/x.tlog.size, the size it knows) if old is not the size it last cosigned or if the root
// differs at that size, 413 for a request over 64 KiB, 422 if the consistency proof does not verify. The new state
// is saved, in a transaction that compares and swaps the size, before the answer is sent.
//
// A cosignature is a note signature in the C2SP tlog-cosignature/v1 form (https://c2sp.org/tlog-cosignature):
// Ed25519 over
//
//	cosignature/v1
//	time <POSIX seconds>
//	<the checkpoint's whole note body, extension lines included>
//
// with key ID SHA-256(<name> || "\n" || 0x04 || public key)[:4] and signature timestamp (8 bytes, big-endian) ||
// Ed25519 signature. The encoding is github.com/transparency-dev/formats/note's.
//
// Besides the specification's call, a witness answers one read-only call of ours: GET <prefix>/checkpoint?origin=
// returns the latest checkpoint it cosigned for that log, the log's signature and its own cosignature, so that a
// verifier can ask a witness directly what it has seen, without going through the log.
package witness
