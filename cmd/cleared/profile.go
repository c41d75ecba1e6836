package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
)

// profileUsage is the synopsis of cleared profile's and cleared law's subcommands.
const profileUsage = `Usage:
  cleared profile add FILE --as PERSON   record a version of a rule profile (A1.1), a JSON document
  cleared profile list --as PERSON       list the rule profiles, the latest version of each
  cleared law add FILE --as PERSON       record a version of the law's parameters (A17.1), with its date of entry into force
PERSON is the NSA officer who records (his ID, per_…); a profile that would relax the law is refused (A1.1).`

// runProfile runs the NSA's acts on rule profiles from the data folder, as an operator scripts them.
func runProfile(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runRulesAdd(ctx, a, "profile add", args[1:])
		case "list":
			return runProfileList(ctx, a, args[1:])
		case "-h", "--help", "help":
			fmt.Fprintln(a.stderr, profileUsage)
			return nil
		}
	}
	return usagef("want one of:\n%s", profileUsage)
}

// runLaw runs cleared law add.
func runLaw(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runRulesAdd(ctx, a, "law add", args[1:])
		case "-h", "--help", "help":
			fmt.Fprintln(a.stderr, profileUsage)
			return nil
		}
	}
	return usagef("want one of:\n%s", profileUsage)
}

// lawFile is the document of cleared law add: a version without its number, which the service gives.
type lawFile struct {
	ValidFrom              time.Time                            `json:"valid_from"`
	Note                   string                               `json:"note"`
	ClearanceValidityYears map[cleared.Level]int                `json:"clearance_validity_years"`
	Levels                 map[cleared.Level]cleared.LevelNames `json:"levels"`
}

// runRulesAdd records the document FILE names: a rule profile (profile add) or the law's parameters (law add).
func runRulesAdd(ctx context.Context, a *app, name string, args []string) error {
	fs := a.newFlags(name, "FILE --as PERSON [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	as := fs.String("as", "", "ID of the NSA officer who records it (required)")
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	if file == "" || *as == "" {
		return usagef("want 'cleared %s FILE --as PERSON'", name)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	actor := cleared.Actor{Person: cleared.PersonID(*as)}
	if name == "law add" {
		var in lawFile
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return fmt.Errorf("%s: %v", file, err)
		}
		l, err := sv.reg.SetLaw(ctx, actor, cleared.LawParameters{ValidFrom: in.ValidFrom, Note: in.Note,
			ClearanceValidityYears: in.ClearanceValidityYears, Levels: in.Levels})
		if err != nil {
			return fmt.Errorf("%s", errText(err))
		}
		fmt.Fprintf(a.stdout, "Law parameters version %d recorded, in force from %s.\n", l.Version, l.ValidFrom.Format(time.RFC3339))
		return nil
	}
	doc, err := policy.ParseProfile(b)
	if err != nil {
		return fmt.Errorf("%s: %s", file, errText(err))
	}
	p, err := sv.reg.RecordProfile(ctx, actor, doc)
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	fmt.Fprintf(a.stdout, "Profile %s version %d recorded, in force from %s.\n", p.Name, p.Version, p.EffectiveFrom.Format(time.RFC3339))
	return nil
}

// runProfileList prints the profiles, one line each.
func runProfileList(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("profile list", "--as PERSON [flags]")
	var st storage
	st.flags(fs, "cleared-data")
	as := fs.String("as", "", "ID of the person who reads them (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	st.env(a)
	if *as == "" {
		return usagef("want 'cleared profile list --as PERSON'")
	}
	log, _ := newLogger(a, "text", "warn")
	sv, err := st.open(ctx, a, serviceConfig{log: log})
	if err != nil {
		return err
	}
	defer sv.db.Close()
	ps, err := sv.reg.Profiles(ctx, cleared.Actor{Person: cleared.PersonID(*as)})
	if err != nil {
		return fmt.Errorf("%s", errText(err))
	}
	for _, p := range ps {
		state := "in force"
		if !p.InForce {
			state = "waiting"
		}
		fmt.Fprintf(a.stdout, "%s\tversion %d\tfrom %s\t%s\t%d rules\n", p.Name, p.Version, p.EffectiveFrom.Format(time.DateOnly), state, len(p.Rules))
	}
	return nil
}
