// Package audit is the tamper-evident log of every action in cleared, allowed or refused: an append-only Merkle
// tree (RFC 6962 hashing) whose leaves commit to each entry and to the hash of its payload, with checkpoints signed
// in the note format of Go's checksum database, inclusion and consistency proofs, and full verification.
//
// It lets the NSA answer, and prove, who saw a piece, who received it and who destroyed it (Art. 10 al. 2, Art. 11
// al. 2, Art. 13: A10.2, A11.2, A13.1), keeps investigation data's access logged (A24.1), and lets a payload of
// personal data be erased at its retention deadline without breaking any proof (A23.2).
package audit
