// Package account decides who is signed in, as pure functions the registry's sign-in services call: password
// hashes (argon2id, in PHC form), TOTP codes (RFC 6238, each used once), lock-out with back-off after failed
// attempts, and the lifetimes of sessions.
//
// No law article speaks of passwords; they guard every rule that does. A session is what lets a person reach
// pieces at all (A9.1), and it knows the terminal it was opened from, so that A8.2 (TOP SECRET only in a security
// zone) and A9.3 (nothing classified in a public place) hold for people as they do for API tokens. Every account
// needs a second factor: any person may come to hold a clearance, and an account without one would be the weak
// door the day he does.
//
// Like package policy, nothing here reads a clock or a database: time is an argument.
package account
