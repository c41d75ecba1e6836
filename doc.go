// Package cleared holds the nouns of the law of 15 June 2004 on the classification of pieces and security
// clearances, shared by every other package: classification levels (Art. 4, Art. 16), the equivalence table with
// NATO and EU levels (Art. 6), organisations, persons and their security officers (Art. 2), clearances (Art. 14–17),
// classifying authorities and their delegations (Art. 5), pieces and dossiers (Art. 2, Art. 4), need-to-know
// grants (Art. 9), places, terminals and accredited channels (Art. 8, Art. 11), and the error kinds every service
// returns.
//
// The package imports no database, HTTP or template package: rules that decide anything live in package policy,
// services that change state live in package registry, and adapters (store, web, cmd) import these types.
//
// # Errors
//
// Services return errors of a few kinds, tested with errors.Is and errors.As, never by message text:
// [ErrNotFound] (also for what the caller may not know exists), [ErrForbidden] (a refusal naming the rule of the
// law), [ErrInvalid] (bad input), [ErrConflict] (the state forbids it), [ErrUnauthenticated] and [ErrUnavailable]
// (a part the answer depends on, such as the key ring, cannot be reached: fail closed).
package cleared
