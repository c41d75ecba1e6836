package web

import (
	"os"
	"runtime/debug"
)

// ServerGCPercent is the garbage collector's target (GOGC) a server runs with unless the operator sets GOGC. Go's
// default, 100, collects whenever the heap doubles; a server's live heap is small (tens of MiB) while each request
// allocates its decrypted content and its TLS records, so it would collect several times a second. At 400 it
// collects a quarter as often, for a few more tens of MiB: measured, it halves the median latency of piece reads
// under load (docs/benchmarks.md).
const ServerGCPercent = 400

// TuneGC sets the garbage collector's target to ServerGCPercent, unless GOGC is set: the operator's word wins.
// It returns a function that restores the previous target.
func TuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(ServerGCPercent)
	return func() { debug.SetGCPercent(old) }
}
