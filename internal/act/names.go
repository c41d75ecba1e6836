package act

// Name is the name of an audited action: the "action" line of an audit entry and the action label of the
// decisions metric. Every name is declared here and described in docs/audit.md, which a test holds to this list.
type Name string

// The actions, by the register or function they act on.
const (
	AccountCreate      Name = "account.create"
	AccountLinkOIDC    Name = "account.link_oidc"
	AccountList        Name = "account.list"
	AccountPassword    Name = "account.password"
	AccountSecurityKey Name = "account.security_key"
	AccountUnlock      Name = "account.unlock"

	AgendaRead Name = "agenda.read"

	AuditCheckpoint       Name = "audit.checkpoint"
	AuditErasePayload     Name = "audit.erase_payload"
	AuditProofConsistency Name = "audit.proof_consistency"
	AuditProofInclusion   Name = "audit.proof_inclusion"

	AuthorityList     Name = "authority.list"
	AuthorityRegister Name = "authority.register"

	ChannelList     Name = "channel.list"
	ChannelRegister Name = "channel.register"

	ClearanceRecord Name = "clearance.record"

	DelegationRegister Name = "delegation.register"

	DossierCreate Name = "dossier.create"

	EquivalenceRead Name = "equivalence.read"
	EquivalenceSet  Name = "equivalence.set"

	GrantCreate Name = "grant.create"

	OfficerDesignate Name = "officer.designate"

	OrganisationList     Name = "organisation.list"
	OrganisationRead     Name = "organisation.read"
	OrganisationRegister Name = "organisation.register"

	PersonList     Name = "person.list"
	PersonRead     Name = "person.read"
	PersonRegister Name = "person.register"

	PieceClassify    Name = "piece.classify"
	PieceList        Name = "piece.list"
	PieceRead        Name = "piece.read"
	PieceReadContent Name = "piece.read_content"

	PlaceList     Name = "place.list"
	PlaceRegister Name = "place.register"

	RegisterSeal     Name = "register.seal"
	RegisterTampered Name = "register.tampered"

	SecurityKeyRemove Name = "security_key.remove"

	SessionLogin        Name = "session.login"
	SessionLogout       Name = "session.logout"
	SessionRevoke       Name = "session.revoke"
	SessionSecondFactor Name = "session.second_factor"

	SystemBootstrap Name = "system.bootstrap"

	TerminalCertificate      Name = "terminal.certificate"
	TerminalCertificateIssue Name = "terminal.certificate.issue"
	TerminalList             Name = "terminal.list"
	TerminalRegister         Name = "terminal.register"
	TerminalRevoke           Name = "terminal.revoke"

	TokenCreate Name = "token.create"
	TokenRevoke Name = "token.revoke"
	TokenUse    Name = "token.use"
)

// Markings on every rendering (A7.1): an organisation's choice for files that cannot be stamped, and a delivery
// refused for want of it.
const (
	OrganisationOtherFormats Name = "organisation.other_formats"
	PieceRender              Name = "piece.render"
)

// Names lists every action, in the order of docs/audit.md.
func Names() []Name {
	return []Name{
		AccountCreate, AccountLinkOIDC, AccountList, AccountPassword, AccountSecurityKey, AccountUnlock,
		AgendaRead,
		AuditCheckpoint, AuditErasePayload, AuditProofConsistency, AuditProofInclusion,
		AuthorityList, AuthorityRegister,
		ChannelList, ChannelRegister,
		ClearanceRecord,
		DelegationRegister,
		DossierCreate,
		EquivalenceRead, EquivalenceSet,
		GrantCreate,
		OfficerDesignate,
		OrganisationList, OrganisationOtherFormats, OrganisationRead, OrganisationRegister,
		PersonList, PersonRead, PersonRegister,
		PieceClassify, PieceList, PieceRead, PieceReadContent, PieceRender,
		PlaceList, PlaceRegister,
		RegisterSeal, RegisterTampered,
		SecurityKeyRemove,
		SessionLogin, SessionLogout, SessionRevoke, SessionSecondFactor,
		SystemBootstrap,
		TerminalCertificate, TerminalCertificateIssue, TerminalList, TerminalRegister, TerminalRevoke,
		TokenCreate, TokenRevoke, TokenUse,
	}
}
