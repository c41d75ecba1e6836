package web

import (
	"net/http"
)

// registersPage is the index of the registers: what each keeps, and who keeps it.
type registersPage struct {
	Page
	Groups []linkGroup
}

func (*registersPage) viewName() string { return "registers" }

type linkGroup struct {
	Title string // key
	Links []registerLink
}

type registerLink struct {
	Href  string
	Key   string // the link's text
	About string // key of a sentence on what it is
	ID    string
}

// uiRegisters serves GET /ui/registers. It calls no service: it is a list of links, and each register says
// itself who may read or change it.
func (s *server) uiRegisters(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.render(w, r, u, http.StatusOK, &registersPage{Page: Page{Title: "registers.title", Nav: "registers"}, Groups: []linkGroup{
		{Title: "registers.people", Links: []registerLink{
			{Href: "/ui/organisations", Key: "organisations.title", About: "registers.organisations", ID: "reg-organisations"},
			{Href: "/ui/persons", Key: "persons.title", About: "registers.persons", ID: "reg-persons"},
			{Href: "/ui/security-officers/new", Key: "officer.title", About: "registers.officers", ID: "reg-officers"},
			{Href: "/ui/clearances", Key: "clearances.title", About: "registers.clearances", ID: "reg-clearances"},
		}},
		{Title: "registers.classification", Links: []registerLink{
			{Href: "/ui/authorities", Key: "authorities.title", About: "registers.authorities", ID: "reg-authorities"},
			{Href: "/ui/delegations", Key: "delegations.title", About: "registers.delegations", ID: "reg-delegations"},
			{Href: "/ui/equivalence", Key: "equivalence.title", About: "registers.equivalence", ID: "reg-equivalence"},
			{Href: "/ui/profiles", Key: "profiles.title", About: "registers.profiles", ID: "reg-profiles"},
			{Href: "/ui/dossiers", Key: "dossiers.title", About: "registers.dossiers", ID: "reg-dossiers"},
			{Href: "/ui/grants", Key: "grants.title", About: "registers.grants", ID: "reg-grants"},
			{Href: "/ui/judicial-orders", Key: "judicial.title", About: "registers.judicial", ID: "reg-judicial-orders"},
		}},
		{Title: "registers.protection", Links: []registerLink{
			{Href: "/ui/places", Key: "places.title", About: "registers.places", ID: "reg-places"},
			{Href: "/ui/terminals", Key: "terminals.title", About: "registers.terminals", ID: "reg-terminals"},
			{Href: "/ui/channels", Key: "channels.title", About: "registers.channels", ID: "reg-channels"},
			{Href: "/ui/inventories", Key: "inventories.title", About: "registers.inventories", ID: "reg-inventories"},
			{Href: "/ui/incidents", Key: "incidents.title", About: "registers.incidents", ID: "reg-incidents"},
			{Href: "/ui/partners", Key: "partners.title", About: "registers.partners", ID: "reg-partners"}, // issue 21 (ui_sharing.go)
			{Href: "/ui/releases/pending", Key: "releases.pending.title", About: "registers.releases", ID: "reg-releases"},
			{Href: "/ui/sources", Key: "sources.title", About: "registers.sources", ID: "reg-sources"}, // ui_sources.go
		}},
		{Title: "registers.vetting", Links: []registerLink{ // issue 20, Chapter 4 (ui_posts.go)
			{Href: "/ui/posts", Key: "posts.title", About: "registers.posts", ID: "reg-posts"},
			{Href: "/ui/contracts", Key: "contracts.title", About: "registers.contracts", ID: "reg-contracts"},
			{Href: "/ui/assignments?flagged=true", Key: "assignments.flagged", About: "registers.flagged", ID: "reg-flagged"},
			{Href: "/ui/exemptions", Key: "exemptions.title", About: "registers.exemptions", ID: "reg-exemptions"},
			{Href: "/ui/vetting-cases", Key: "vetting.title", About: "registers.vetting_cases", ID: "reg-vetting-cases"},
			{Href: "/ui/commission", Key: "commission.title", About: "registers.commission", ID: "reg-commission"}, // A27.2 to A27.4
			{Href: "/ui/vetting-retention", Key: "retention.title", About: "registers.retention", ID: "reg-vetting-retention"},
			// Issue 20 §6: decisions (ui_vetting_decisions.go).
			{Href: "/ui/vetting-decisions", Key: "decision.title", About: "registers.vetting_decisions", ID: "reg-vetting-decisions"},
			{Href: "/ui/vetting-decisions/to-notify", Key: "decision.tonotify.title", About: "registers.vetting_to_notify", ID: "reg-vetting-to-notify"},
			{Href: "/ui/circumstances", Key: "circumstance.title", About: "circumstance.registers", ID: "reg-circumstances"}, // A18.1
			{Href: "/ui/facility-cases", Key: "facility.title", About: "registers.facility_cases", ID: "reg-facility-cases"},
		}},
		{Title: "registers.system", Links: []registerLink{
			{Href: "/ui/audit", Key: "audit.title", About: "registers.audit", ID: "reg-audit"},
			{Href: "/ui/accounts", Key: "accounts.title", About: "registers.accounts", ID: "reg-accounts"},
			{Href: "/ui/webhooks", Key: "webhooks.title", About: "registers.webhooks", ID: "reg-webhooks"},
		}},
	}})
}
