package act

import "slices"

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

	ClearanceLiftSuspension Name = "clearance.lift_suspension"
	ClearanceRecord         Name = "clearance.record"
	ClearanceSuspend        Name = "clearance.suspend"

	CopyDestroy     Name = "copy.destroy"
	CopyList        Name = "copy.list"
	CopyMake        Name = "copy.make"
	CopyRead        Name = "copy.read"
	CopyReadContent Name = "copy.read_content"

	CopyRequestApprove Name = "copy_request.approve"
	CopyRequestCreate  Name = "copy_request.create"
	CopyRequestList    Name = "copy_request.list"
	CopyRequestRead    Name = "copy_request.read"
	CopyRequestRefuse  Name = "copy_request.refuse"

	DelegationRegister Name = "delegation.register"

	DossierCreate Name = "dossier.create"

	EquivalenceRead Name = "equivalence.read"
	EquivalenceSet  Name = "equivalence.set"

	GrantCreate Name = "grant.create"

	IncidentAcknowledge Name = "incident.acknowledge"
	IncidentClose       Name = "incident.close"
	IncidentDetect      Name = "incident.detect"
	IncidentEscalate    Name = "incident.escalate"
	IncidentFindings    Name = "incident.findings"
	IncidentHeadNotice  Name = "incident.head_notice"
	IncidentList        Name = "incident.list"
	IncidentNote        Name = "incident.note"
	IncidentRead        Name = "incident.read"
	IncidentReport      Name = "incident.report"

	InventoryCheck   Name = "inventory.check"
	InventoryClose   Name = "inventory.close"
	InventoryList    Name = "inventory.list"
	InventoryMissing Name = "inventory.missing"
	InventoryOpen    Name = "inventory.open"
	InventoryRead    Name = "inventory.read"

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

	// Downgrade and declassification, and the history of a piece's markings (issue 18).
	PieceDeclassify Name = "piece.declassify"
	PieceDowngrade  Name = "piece.downgrade"
	PieceMarkings   Name = "piece.markings"

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

	// Rule profiles and the law's parameters, a level's equivalent for a partner (issue 18, §2).
	EquivalenceForeign Name = "equivalence.foreign"
	LawRead            Name = "law.read"
	LawSet             Name = "law.set"
	ProfileList        Name = "profile.list"
	ProfileObligations Name = "profile.obligations"
	ProfileRead        Name = "profile.read"
	ProfileRecord      Name = "profile.record"
)

// Issue 18: destruction with signed reports (A10.1, A10.2) and the signing certificates (E2).
const (
	DestructionCountersign Name = "destruction.countersign"
	DestructionRead        Name = "destruction.read"
	DestructionRecord      Name = "destruction.record"

	SigningCAImport          Name = "signing.ca_import"
	SigningCertificateImport Name = "signing.certificate_import"
	SigningCertificateIssue  Name = "signing.certificate_issue"
	SigningCertificateList   Name = "signing.certificate_list"
	SigningCertificateRevoke Name = "signing.certificate_revoke"
)

// The reads of the registers and the level of a dossier (issue 18 §0).
const (
	AuthorityRead   Name = "authority.read"
	ClearanceList   Name = "clearance.list"
	ClearanceRead   Name = "clearance.read"
	ChannelRead     Name = "channel.read"
	DelegationList  Name = "delegation.list"
	DelegationRead  Name = "delegation.read"
	DossierList     Name = "dossier.list"
	DossierRead     Name = "dossier.read"
	DossierSetLevel Name = "dossier.set_level"
	GrantList       Name = "grant.list"
	GrantRead       Name = "grant.read"
	PlaceRead       Name = "place.read"
	TerminalRead    Name = "terminal.read"
)

// Transmissions (issue 19, A11.1, A11.2, S2): approved cryptographic products, addressees, the register of
// transmissions and their receipts.
const (
	AddresseeList          Name = "addressee.list"
	AddresseeRecord        Name = "addressee.record"
	CryptoProductList      Name = "crypto_product.list"
	CryptoProductRead      Name = "crypto_product.read"
	CryptoProductRegister  Name = "crypto_product.register"
	TransmissionRead       Name = "transmission.read"
	TransmissionReceipt    Name = "transmission.receipt"
	TransmissionRecipients Name = "transmission.recipients"
	TransmissionSend       Name = "transmission.send"
)

// Markings on every rendering (A7.1): an organisation's choice for files that cannot be stamped, and a delivery
// refused for want of it.
const (
	OrganisationOtherFormats Name = "organisation.other_formats"
	PieceRender              Name = "piece.render"
)

// Issue 21, package sharing (S1, S2, A6.1, A11.2): partners, releases of products, and their deliveries.
const (
	PartnerList    Name = "partner.list"
	PartnerRead    Name = "partner.read"
	PartnerRecord  Name = "partner.record"
	PartnerRefused Name = "partner.refused"
	ReleaseApprove Name = "release.approve"
	ReleaseList    Name = "release.list"
	ReleasePropose Name = "release.propose"
	ReleaseRevoke  Name = "release.revoke"
	SharingDeliver Name = "sharing.deliver"
	SharingExport  Name = "sharing.export"
	// Products received (A6.1): a withdrawal recorded, a source recorded, listed, polled.
	SharingWithdrawn Name = "sharing.withdrawn"
	SourceList       Name = "source.list"
	SourcePoll       Name = "source.poll"
	SourceRecord     Name = "source.record"
)

// Issue 21 §3: the staging inbox of what partners send (S1, A5.1).
const (
	InboxImport  Name = "inbox.import"
	InboxList    Name = "inbox.list"
	InboxRead    Name = "inbox.read"
	InboxReceive Name = "inbox.receive"
	InboxRefuse  Name = "inbox.refuse"
	InboxStatus  Name = "inbox.status"
)

// Issue 19: judicial access (A9.5).
const (
	JudicialOrderEnd    Name = "judicial_order.end"
	JudicialOrderList   Name = "judicial_order.list"
	JudicialOrderRead   Name = "judicial_order.read"
	JudicialOrderRecord Name = "judicial_order.record"
)

// Issue 20, package vetting: posts, classified contracts, assignments and the exemptions from clearance (A14.1,
// A16.1).
const (
	AssignmentCreate  Name = "assignment.create"
	AssignmentEnd     Name = "assignment.end"
	AssignmentList    Name = "assignment.list"
	ContractList      Name = "contract.list"
	ContractRead      Name = "contract.read"
	ContractRecord    Name = "contract.record"
	ExemptionList     Name = "exemption.list"
	ExemptionCategory Name = "exemption.category"
	ExemptionMember   Name = "exemption.member"
	PostList          Name = "post.list"
	PostRead          Name = "post.read"
	PostRecord        Name = "post.record"
	PostRequiredLevel Name = "post.required_level"
)

// Issue 20 §2: the intake of vetting cases (A20.1, A25.1, A25.2, A26.1).
const (
	VettingCaseCloseOverdue Name = "vetting_case.close_overdue"
	VettingCaseConsent      Name = "vetting_case.consent"
	VettingCaseList         Name = "vetting_case.list"
	VettingCaseOpen         Name = "vetting_case.open"
	VettingCaseRead         Name = "vetting_case.read"
	VettingCaseRefuse       Name = "vetting_case.refuse"
	VettingCaseSection      Name = "vetting_case.section"
	VettingCaseSign         Name = "vetting_case.sign"
)

// Issue 20 §4 and §10: the investigation of a case and the person's file (A15.2, A21.1, A24.1, A25.3, A28.1).
const (
	VettingFileRead                   Name = "vetting_file.read"
	VettingFileRequest                Name = "vetting_file.request"
	VettingInvestigationAnswer        Name = "vetting_investigation.answer"
	VettingInvestigationAssign        Name = "vetting_investigation.assign"
	VettingInvestigationCooperation   Name = "vetting_investigation.cooperation"
	VettingInvestigationEndAssignment Name = "vetting_investigation.end_assignment"
	VettingInvestigationItem          Name = "vetting_investigation.item"
	VettingInvestigationOpen          Name = "vetting_investigation.open"
	VettingInvestigationRead          Name = "vetting_investigation.read"
	VettingInvestigationReport        Name = "vetting_investigation.report"
	// Issue 20 §5: the commission (A27.2, A27.3, A27.4).
	CommissionAnswer      Name = "commission.answer"
	CommissionHearing     Name = "commission.hearing"
	CommissionOpinion     Name = "commission.opinion"
	CommissionOpinionRead Name = "commission.opinion_read"
	CommissionPresident   Name = "commission.president"
	CommissionRefer       Name = "commission.refer"
	CommissionRegister    Name = "commission.register"
	CommissionRequest     Name = "commission.request"
	CommissionSeatEnd     Name = "commission.seat_end"
	CommissionSeatRecord  Name = "commission.seat_record"
	CommissionWorkspace   Name = "commission.workspace"
	// Issue 20 §3: facility clearances, the cases of legal entities (A15.1, A21.2).
	FacilityCaseList        Name = "facility_case.list"
	FacilityCaseMeans       Name = "facility_case.means"
	FacilityCaseOpen        Name = "facility_case.open"
	FacilityCaseOrganAdd    Name = "facility_case.organ_add"
	FacilityCaseOrganRemove Name = "facility_case.organ_remove"
	FacilityCaseRead        Name = "facility_case.read"
)

// Issue 20 §8: renewal reminders (A17.1).
const (
	VettingRenewalRemind Name = "vetting_renewal.remind"

	VettingAppealLodge    Name = "vetting_appeal.lodge"
	VettingAppealRule     Name = "vetting_appeal.rule"
	VettingDecide         Name = "vetting_decision.decide"
	VettingDecisionList   Name = "vetting_decision.list"
	VettingDecisionNotify Name = "vetting_decision.notify"
	VettingDecisionRead   Name = "vetting_decision.read"
)

// Issue 20 §9: retention and purge of vetting cases' personal data (A23.2).
const (
	VettingRetentionHold  Name = "vetting_retention.hold"
	VettingRetentionList  Name = "vetting_retention.list"
	VettingRetentionPurge Name = "vetting_retention.purge"
)

// Issue 20 §7: briefings, declarations and changes of circumstances (A18.1).
const (
	BriefingDeclare    Name = "briefing.declare"
	BriefingRead       Name = "briefing.read"
	BriefingRecord     Name = "briefing.record"
	CircumstanceList   Name = "circumstance.list"
	CircumstanceRead   Name = "circumstance.read"
	CircumstanceReport Name = "circumstance.report"
	CircumstanceTakeUp Name = "circumstance.take_up"
)

// Issue 19 §2: where incident warnings are sent (A13.1).
const (
	WebhookDisable  Name = "webhook.disable"
	WebhookList     Name = "webhook.list"
	WebhookRegister Name = "webhook.register"
)

// Names lists every action in alphabetical order, the order of docs/audit.md.
func Names() []Name {
	ns := []Name{
		AccountCreate, AccountLinkOIDC, AccountList, AccountPassword, AccountSecurityKey, AccountUnlock,
		AgendaRead,
		AuditCheckpoint, AuditErasePayload, AuditProofConsistency, AuditProofInclusion,
		AuthorityList, AuthorityRegister,
		ChannelList, ChannelRegister,
		ClearanceRecord,
		CopyDestroy, CopyList, CopyMake, CopyRead, CopyReadContent,
		CopyRequestApprove, CopyRequestCreate, CopyRequestList, CopyRequestRead, CopyRequestRefuse,
		DelegationRegister,
		DestructionCountersign, DestructionRead, DestructionRecord,
		DossierCreate,
		EquivalenceRead, EquivalenceSet,
		GrantCreate,
		IncidentAcknowledge, IncidentClose, IncidentDetect, IncidentEscalate, IncidentFindings, IncidentHeadNotice,
		IncidentList, IncidentNote, IncidentRead, IncidentReport,
		InventoryCheck, InventoryClose, InventoryList, InventoryMissing, InventoryOpen, InventoryRead,
		OfficerDesignate,
		OrganisationList, OrganisationOtherFormats, OrganisationRead, OrganisationRegister,
		PersonList, PersonRead, PersonRegister,
		PieceClassify, PieceList, PieceRead, PieceReadContent, PieceRender,
		PieceDeclassify, PieceDowngrade, PieceMarkings,
		PlaceList, PlaceRegister,
		RegisterSeal, RegisterTampered,
		SecurityKeyRemove,
		SessionLogin, SessionLogout, SessionRevoke, SessionSecondFactor,
		SigningCAImport, SigningCertificateImport, SigningCertificateIssue, SigningCertificateList, SigningCertificateRevoke,
		SystemBootstrap,
		TerminalCertificate, TerminalCertificateIssue, TerminalList, TerminalRegister, TerminalRevoke,
		TokenCreate, TokenRevoke, TokenUse,
		EquivalenceForeign, LawRead, LawSet, ProfileList, ProfileObligations, ProfileRead, ProfileRecord,
		// issue 18 §0
		AuthorityRead, ChannelRead, ClearanceList, ClearanceRead, DelegationList, DelegationRead, DossierList, DossierRead, DossierSetLevel,
		GrantList, GrantRead, PlaceRead, TerminalRead,
		// issue 19
		AddresseeList, AddresseeRecord, CryptoProductList, CryptoProductRead, CryptoProductRegister,
		TransmissionRead, TransmissionReceipt, TransmissionRecipients, TransmissionSend,
		JudicialOrderEnd, JudicialOrderList, JudicialOrderRead, JudicialOrderRecord,
		// issue 20
		AssignmentCreate, AssignmentEnd, AssignmentList, ContractList, ContractRead, ContractRecord, ExemptionCategory, ExemptionList,
		ExemptionMember, PostList, PostRead, PostRecord, PostRequiredLevel,
		// issue 19 §2
		WebhookDisable, WebhookList, WebhookRegister,
		// issue 20 §2
		VettingCaseCloseOverdue, VettingCaseConsent, VettingCaseList, VettingCaseOpen, VettingCaseRead, VettingCaseRefuse,
		VettingCaseSection, VettingCaseSign,
		// issue 20 §5
		CommissionAnswer, CommissionHearing, CommissionOpinion, CommissionOpinionRead, CommissionPresident, CommissionRefer,
		CommissionRegister, CommissionRequest, CommissionSeatEnd, CommissionSeatRecord, CommissionWorkspace,
		// issue 20 §8
		VettingRenewalRemind,
		// issue 20 §4, §10
		VettingFileRead, VettingFileRequest, VettingInvestigationAnswer, VettingInvestigationAssign,
		VettingInvestigationCooperation, VettingInvestigationEndAssignment, VettingInvestigationItem,
		VettingInvestigationOpen, VettingInvestigationRead, VettingInvestigationReport,
		// issue 20 §9
		VettingRetentionHold, VettingRetentionList, VettingRetentionPurge,
		// issue 20 §6
		ClearanceLiftSuspension, ClearanceSuspend, VettingAppealLodge, VettingAppealRule, VettingDecide,
		VettingDecisionList, VettingDecisionNotify, VettingDecisionRead,
		// issue 20 §7
		BriefingDeclare, BriefingRead, BriefingRecord, CircumstanceList, CircumstanceRead, CircumstanceReport, CircumstanceTakeUp,
		// issue 20 §3
		FacilityCaseList, FacilityCaseMeans, FacilityCaseOpen, FacilityCaseOrganAdd, FacilityCaseOrganRemove, FacilityCaseRead,
		// issue 21
		PartnerList, PartnerRead, PartnerRecord, PartnerRefused, ReleaseApprove, ReleaseList, ReleasePropose, ReleaseRevoke,
		SharingDeliver, SharingExport, SharingWithdrawn, SourceList, SourcePoll, SourceRecord,
		// issue 21 §3
		InboxImport, InboxList, InboxRead, InboxReceive, InboxRefuse, InboxStatus,
	}
	slices.Sort(ns)
	return ns
}
