// Package policy decides, as pure functions, every rule of the law of 15 June 2004 that can be decided from data.
//
// Inputs are plain values (a subject with its clearances, grants and terminal; a piece with its level and
// dossier; an authority with its delegations; the time, always an argument). The output is a [Decision]: allow, or
// deny with the requirement ID of ../shared/design/requirements.md and a reason a user can act on. Nothing here
// reads a clock, a database or a global, so the same inputs always give the same answer and every rule is tested
// from a table whose rows carry the rule's ID.
//
// # Rules decided here
//
//   - Classification (Chapter 2): A3.1 reasons, A3.2 review date, A4.1 levels, A4.2 aggregates, A5.1 competent
//     authorities and delegations, A5.2 who downgrades or declassifies, A5.3 the classifier's own clearance.
//   - Protection (Chapter 3): A8.1 terminal accreditation, A8.2 TOP SECRET only in security zones, A9.1 clearance
//     and need-to-know, A9.3 nothing classified in public places, A9.4 reproduction of TOP SECRET, A10.2
//     destruction reports, A11.1 accredited channels.
//   - Clearances (Chapter 4): A14.1 members of the Government need none, A16.1 level set by the post, A17.1 validity
//     of 5 and 10 years, A27.3 commission members hold TOP SECRET.
//   - Registers: A2.2 security officers are cleared, A9.2 only the security officer establishes places and zones,
//     A20.1 only NSA officers keep the NSA's registers, A9.1 who may grant need-to-know.
//
// # Rule profiles (A1.1)
//
// A ministry may add rules of its own, and a treaty (NATO, the EU, a bilateral agreement) its handling rules for the
// pieces it covers, never less rigorous than the law's. Each is a [Profile]; [Decide] passes the base rules'
// decision on a [Request] through every profile that applies, in the order of their names. A profile's [Effect]
// can only refuse or add a [Duty], so a base refusal stays what it was, any refusal wins, and an allowance carries
// the [Obligation]s of every applicable profile. [NewProfiles] rejects a profile it could not name or evaluate,
// since dropping it would switch its rules off.
//
// Profiles are recorded as documents (cleared.RuleProfile): [CheckProfile] refuses, by A1.1, one that would relax a
// rule of the law, names an unknown kind, level or action, or skips a version; [CompileProfile] turns a document
// into a Profile; [ShippedProfiles] are the EU's and NATO's. The law's own figures (A17.1 validity, A4.1 names) are
// dated data too: [LawInForce] picks the version in force at a time, [ClearanceExpiryUnder] applies one. A6.1:
// [ForeignLevel] reads a foreign marking, [ForeignEquivalent] gives a level's marking for a partner, or refuses.
//
// Services (package registry) load the facts, call these functions in the transaction that applies the change,
// and turn a denial into cleared.ErrForbidden, or into cleared.ErrNotFound when [Decision.Hidden] says the subject
// may not even know the object exists (architecture, principle 4).
package policy
