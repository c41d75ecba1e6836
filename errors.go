package cleared

import (
	"errors"
	"fmt"
)

// Error kinds. Wrap them with context; callers test them with errors.Is.
var (
	// ErrNotFound: the object does not exist, or the caller may not know that it exists (the two are
	// indistinguishable on purpose).
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input is malformed or breaks a constraint that does not depend on who asks.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict: the object's current state forbids the action (already destroyed, already exists).
	ErrConflict = errors.New("conflict")
	// ErrUnauthenticated: no valid credentials.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrUnavailable: a part the answer depends on (database, key ring, audit log) cannot be reached; nothing
	// happened.
	ErrUnavailable = errors.New("unavailable")
)

// ErrForbidden is a refusal by a rule of the law. Rule is the requirement ID (for example "A9.4"), Reason a
// sentence a user can act on. It matches errors.Is(err, &ErrForbidden{}) for any rule.
type ErrForbidden struct {
	Rule   string
	Reason string
	// AuditSeq is the sequence number of the audit entry that records the refusal, once it is recorded (0 before:
	// entry 0 is always the installation's bootstrap, never a refusal).
	AuditSeq uint64
}

func (e *ErrForbidden) Error() string {
	return fmt.Sprintf("forbidden by %s: %s", e.Rule, e.Reason)
}

// Is reports whether target is an *ErrForbidden, so errors.Is(err, &ErrForbidden{}) tests the kind.
func (e *ErrForbidden) Is(target error) bool {
	_, ok := target.(*ErrForbidden)
	return ok
}

// Invalidf returns an error of kind [ErrInvalid] whose message says what is wrong.
func Invalidf(format string, args ...any) error {
	return &kindError{kind: ErrInvalid, msg: fmt.Sprintf(format, args...)}
}

// Conflictf returns an error of kind [ErrConflict].
func Conflictf(format string, args ...any) error {
	return &kindError{kind: ErrConflict, msg: fmt.Sprintf(format, args...)}
}

// NotFoundf returns an error of kind [ErrNotFound]. Use it only where the caller may know the object could exist
// (its own records); for pieces, return the bare [ErrNotFound] so nothing is revealed.
func NotFoundf(format string, args ...any) error {
	return &kindError{kind: ErrNotFound, msg: fmt.Sprintf(format, args...)}
}

// Unavailablef returns an error of kind [ErrUnavailable].
func Unavailablef(format string, args ...any) error {
	return &kindError{kind: ErrUnavailable, msg: fmt.Sprintf(format, args...)}
}

// Message returns the sentence of the first error in err's chain made by Invalidf, Conflictf, NotFoundf or
// Unavailablef: text written for the user who caused it. It returns "" for an error of any other origin (a
// database driver's text names tables and constraints, and is for the log, not for the user).
func Message(err error) string {
	var k *kindError
	if errors.As(err, &k) {
		return k.msg
	}
	return ""
}

// kindError carries a message for a user and the kind it belongs to.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// Wrap adds context to *err if it is not nil, in the form "context: err". Exported methods defer it once:
//
//	defer cleared.Wrap(&err, "registry.Read %s", id)
func Wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *err)
	}
}
