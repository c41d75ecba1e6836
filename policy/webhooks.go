package policy

import "github.com/cleared/cleared"

// Webhooks (A13.1): an organisation's endpoint receives the warnings of its incidents (a security officer's desk, a
// SIEM). Where a warning goes is the security officer's to say for his organisation (Art. 2 point 8: he answers for
// its security), and the NSA's for anyone's, as it keeps the registers (A20.1).

// ManageWebhook decides whether one who is security officer in office of officerOf, or an NSA officer (nsa), may
// register, list or disable the webhook endpoints of organisation org (A13.1).
func ManageWebhook(officerOf []cleared.OrganisationID, nsa bool, org cleared.OrganisationID) Decision {
	if nsa || isOfficer(officerOf, org) {
		return Allow
	}
	return deny("A13.1", "only the organisation's security officer, or the NSA, registers where its incident warnings are sent")
}

// OfferWebhooks: the page of endpoints is offered to a security officer in office of some organisation, and to an
// NSA officer (A13.1).
func OfferWebhooks(o Offer) Decision {
	if len(o.OfficerOf) == 0 && !o.Person.HasRole(cleared.RoleNSAOfficer) {
		return deny("A13.1", "only a security officer, or the NSA, registers where incident warnings are sent")
	}
	return Allow
}
