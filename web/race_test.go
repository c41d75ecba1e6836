//go:build race

package web_test

// raceEnabled lets slow tests that exercise no concurrency skip under the race detector.
const raceEnabled = true
