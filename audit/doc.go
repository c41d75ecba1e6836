// Package audit is the tamper-evident log of every action in cleared, allowed or refused: an append-only Merkle
// tree (RFC 6962 hashing) whose leaves commit to each entry and to the hash of its payload, with checkpoints signed
// in the note format of Go's checksum database, inclusion and consistency proofs, and full verification.
//
// It lets the NSA answer, and prove, who saw a piece, who received it and who destroyed it (Art. 10 al. 2, Art. 11
// al. 2, Art. 13: A10.2, A11.2, A13.1), keeps investigation data's access logged (A24.1), and lets a payload of
// personal data be erased at its retention deadline without breaking any proof (A23.2).
//
// The package does no I/O of its own: it reads and writes through small interfaces ([AppendTx], [TreeReader],
// [Source]) that a storage transaction satisfies, so an action's change and its entry commit together.
//
// # Entries
//
// An [Entry] is encoded canonically by [Entry.MarshalLeaf]; its leaf hash is SHA-256(0x00 || encoding). The
// encoding holds the SHA-256 of the payload, not the payload, so the payload can be erased (A23.2), leaving a
// [Payload] marker that says when and why, and every hash and proof stays valid.
//
// # Tree
//
// Entry n is leaf n of the tree. An interior node is SHA-256(0x01 || left || right); the root of an imperfect tree
// is built as RFC 6962 says (§2.1), and the root of the empty tree is SHA-256 of the empty string. The store keeps
// the hash of every perfect subtree the log has completed, as [Node]s identified by level and index: level 0 holds
// the leaf hashes, node (k, i) covers leaves [i·2^k, (i+1)·2^k). [Append] therefore reads at most one node per
// level, and [Root], [InclusionProof] and [ConsistencyProof] at most two per level, for any size the log has had.
// How the store keeps them is its own affair (store/sqlstore keeps the leaves in the entries and the nodes of every
// fourth level, and hashes the others when asked); a [StoredTree] says which levels it keeps, for [Verify].
// Proofs are RFC 6962 audit paths and consistency proofs, checked by [VerifyInclusion] and [VerifyConsistency]
// with a size and roots the caller holds from verified checkpoints; package auditclient checks a server's proofs so.
//
// # Checkpoints and signed heads
//
// A [Checkpoint] commits to the log at a size. It is written as three lines, and a fourth for a signed head:
//
//	<origin>
//	<size in decimal>
//	<root hash in standard base64>
//	prev <size of the previous signed head> <base64 SHA-256 of its body>
//
// and signed with the log's Ed25519 key as a note of golang.org/x/mod/sumdb/note: the lines, a blank line, and
// "— <origin> <base64 signature>". The origin is the key's name, so a checkpoint says which log it commits to.
// [NewKey] makes the key pair, [Sign] signs, [OpenCheckpoint] verifies and parses, [VerifierKey] derives the
// verifier key from the signer key. The store signs the head of every group commit that appends, linked by
// [Checkpoint.Link] to the head before it, so that a deleted head breaks the chain. An auditor who keeps a signed
// checkpoint outside the system can later prove that the log only grew since.
//
// # Verification
//
// [Verify] recomputes the whole tree from the stored entries, checks every payload against its hash and every
// erasure against the entry that records it ([ActionErasePayload]), every signed head's signature, root and link
// to the one before, that the latest covers every entry, and every stored tree node and the head against the
// entries, and, given an auditor's checkpoint, that today's log extends it. It names the first entry concerned by
// a problem, and says why.
package audit
