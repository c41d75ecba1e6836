package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

const inventoryUsage = `Usage:
  cleared inventory open  --as PERSON (--organisation ID | --holder ID) [--note TEXT]
  cleared inventory close --as PERSON --id INVENTORY [--present 1,2,…] [--missing 3,…] [--note TEXT]
An inventory lists the pieces and numbered copies an organisation or a holder holds (A1.1); at closing, every item
not confirmed present is reported missing, a possible compromise (A13.1). PERSON is the security officer (or an NSA
officer) who takes it.`

// runInventory opens or closes an inventory as a security officer, through the registry (the same checks, the same
// audit entries as the API).
func runInventory(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || (args[0] != "open" && args[0] != "close") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(a.stderr, inventoryUsage)
			return nil
		}
		return usagef("want 'cleared inventory open|close' (cleared inventory --help)")
	}
	verb := args[0]
	fs := a.newFlags("inventory "+verb, "--as PERSON [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	as := fs.String("as", "", "ID of the person who takes the inventory: the organisation's security officer or an NSA officer (required)")
	org := fs.String("organisation", "", "open: ID of the organisation whose pieces and copies are counted")
	holder := fs.String("holder", "", "open: ID of the person whose physical pieces and copies are counted")
	id := fs.String("id", "", "close: ID of the inventory")
	present := fs.String("present", "", "close: numbers of the items confirmed present, comma-separated")
	missing := fs.String("missing", "", "close: numbers of the items found missing, comma-separated")
	note := fs.String("note", "", "a note on the inventory")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st.env(a)
	if *as == "" {
		return usagef("--as is required")
	}
	checks := map[int]bool{}
	for _, l := range []struct {
		list  string
		found bool
	}{{*present, true}, {*missing, false}} {
		for f := range strings.SplitSeq(l.list, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 {
				return usagef("item %q: want an item's number, from 1", f)
			}
			checks[n] = l.found
		}
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	actor := cleared.Actor{Person: cleared.PersonID(*as)}
	var v registry.InventoryView
	if verb == "open" {
		v, err = sv.reg.OpenInventory(ctx, actor, registry.NewInventory{OrganisationID: cleared.OrganisationID(*org),
			Holder: cleared.PersonID(*holder), Note: *note})
	} else {
		if *id == "" {
			return usagef("--id is required")
		}
		for n, found := range checks {
			if _, err := sv.reg.CheckInventoryItem(ctx, actor, cleared.InventoryID(*id), n, registry.ItemCheck{Present: &found}); err != nil {
				return fmt.Errorf("item %d: %s", n, errText(err))
			}
		}
		v, err = sv.reg.CloseInventory(ctx, actor, cleared.InventoryID(*id), registry.CloseNote{Note: *note})
	}
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	fmt.Fprintln(a.stdout, v.ID)
	for _, it := range v.Items {
		state := "unchecked"
		if it.Present != nil {
			state = map[bool]string{true: "present", false: "missing"}[*it.Present]
		}
		copyNo := "-"
		if it.Copy != "" {
			copyNo = string(it.Copy) + " (copy " + strconv.Itoa(it.CopyNumber) + ")"
		}
		fmt.Fprintf(a.stdout, "%d\t%s\t%s\t%s\t%s\n", it.Number, it.Piece, copyNo, it.Marking, state)
	}
	if verb == "close" {
		fmt.Fprintf(a.stderr, "Inventory %s closed: %d item(s) missing, each recorded as a possible compromise (A13.1).\n", v.ID, v.Missing)
	} else {
		fmt.Fprintf(a.stderr, "Inventory %s opened with %d item(s).\n", v.ID, len(v.Items))
	}
	return nil
}
