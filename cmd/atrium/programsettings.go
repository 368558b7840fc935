package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/program"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

// programSettingsCmds are "program rules" and "program pipeline": the
// commission rules, deal stages and lead fields an admin otherwise sets at
// /admin/program, with the same checks.
func programSettingsCmds(g *globals) []*cobra.Command {
	rules := &cobra.Command{Use: "rules", Short: "List, set and remove commission rules"}
	rules.AddCommand(rulesListCmd(g), rulesSetCmd(g), rulesDeleteCmd(g))
	pipe := &cobra.Command{Use: "pipeline", Short: "Show or apply the deal stages, lead fields and commission rules as a YAML file",
		Long: `A pipeline file holds the program's deal stages, lead fields and commission rules:

  apiVersion: atrium/v1
  kind: Pipeline
  dealStages:
    - { key: proposal, label: Proposal }
    - { key: closed_won, label: Closed won }
    - { key: closed_lost, label: Closed lost }
  leadFields:
    - { name: budget, label: Budget, required: true, options: [Small, Large] }
  commissionRules:
    - { partnerType: reseller, tier: gold, percent: "15" }
    - { partnerType: referral, amount: "500.00" }

Applying checks the whole file first and changes nothing when any part is
wrong; applying the same file twice changes nothing.`}
	pipe.AddCommand(pipelineShowCmd(g), pipelineApplyCmd(g))
	return []*cobra.Command{rules, pipe}
}

// pipelineFile is the YAML shape of the pipeline settings.
type pipelineFile struct {
	APIVersion string         `yaml:"apiVersion"`
	Kind       string         `yaml:"kind"`
	DealStages []sp.Stage     `yaml:"dealStages"`
	LeadFields []sp.LeadField `yaml:"leadFields,omitempty"`
	Rules      []fileRule     `yaml:"commissionRules,omitempty"`
}

// fileRule is a commission rule as people write it: a percentage or an
// amount in the currency's units, both as exact decimal strings.
type fileRule struct {
	PartnerType string `yaml:"partnerType"`
	Tier        string `yaml:"tier,omitempty"`
	Percent     string `yaml:"percent,omitempty"`
	Amount      string `yaml:"amount,omitempty"`
	Currency    string `yaml:"currency,omitempty"`
}

func (r fileRule) rule() (pipeline.Rule, map[string]string) {
	out := pipeline.Rule{PartnerType: r.PartnerType, Tier: r.Tier, Currency: r.Currency}
	errs := map[string]string{}
	switch {
	case r.Percent == "" && r.Amount == "":
		errs["percent"] = "give a percent of the deal's value, or an amount per lead won"
	case r.Percent != "" && r.Amount != "":
		errs["percent"] = "give a percent or an amount, not both"
	case r.Percent != "":
		bp, err := pipeline.ParseBasisPoints(r.Percent)
		if err != nil {
			errs["percent"] = err.Error()
		}
		out.BasisPoints = bp
	default:
		a, err := sp.ParseMoney(r.Amount)
		if err != nil {
			errs["amount"] = err.Error()
		}
		out.FixedAmount = a
	}
	return out, errs
}

func toFileRule(r pipeline.Rule) fileRule {
	fr := fileRule{PartnerType: r.PartnerType, Tier: r.Tier, Currency: r.Currency}
	if r.BasisPoints > 0 {
		fr.Percent = strings.TrimSuffix(pipeline.FormatBasisPoints(r.BasisPoints), "%")
	} else {
		fr.Amount = fmt.Sprintf("%d.%02d", r.FixedAmount/100, r.FixedAmount%100)
	}
	return fr
}

// settingsApp opens the database with the pipeline service and the
// program's vocabulary.
func settingsApp(cmd *cobra.Command, g *globals) (*app, *pipeline.Service, pipeline.Vocabulary, error) {
	a, err := open(cmd.Context(), g)
	if err != nil {
		return nil, nil, pipeline.Vocabulary{}, err
	}
	p, err := program.Load(cmd.Context(), a.db)
	if err != nil {
		a.Close()
		return nil, nil, pipeline.Vocabulary{}, err
	}
	return a, pipeline.New(a.db, a.dir), pipeline.Vocabulary{PartnerTypes: p.PartnerTypes, Tiers: p.Tiers}, nil
}

// fieldProblems prints a refusal's field errors one per line, prefixed.
func fieldProblems(g *globals, prefix string, err error) error {
	e := fail.As(err)
	if e.Code != fail.Invalid || len(e.Fields) == 0 {
		return err
	}
	return errors.New(fieldLines(g, prefix, e.Fields))
}

func fieldLines(g *globals, prefix string, fields map[string]string) string {
	var b strings.Builder
	b.WriteString(g.loc.T("cli.program.nothing-changed"))
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		fmt.Fprintf(&b, "\n  %s%s: %s", prefix, k, fields[k])
	}
	return b.String()
}

func rulesListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the commission rules",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, svc, _, err := settingsApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			rules, err := svc.Rules(cmd.Context())
			if err != nil {
				return err
			}
			if len(rules) == 0 {
				g.say(g.stdout, "cli.rules.none")
				return nil
			}
			w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, g.loc.T("cli.rules.list-head"))
			for _, r := range rules {
				pays := g.loc.T("cli.rules.pays-share", "Rate", g.loc.Number(float64(r.BasisPoints)/100, 2))
				if r.BasisPoints == 0 {
					pays = g.loc.T("cli.rules.pays-fixed", "Amount", g.loc.Money(r.FixedAmount, r.Currency))
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", r.ID, r.PartnerType, or(r.Tier, g.loc.T("cli.rules.any")), pays)
			}
			return w.Flush()
		},
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func rulesSetCmd(g *globals) *cobra.Command {
	var fr fileRule
	cmd := &cobra.Command{
		Use:     "set --type TYPE [--tier TIER] (--percent P | --amount A) [--currency CUR]",
		Short:   "Create or replace the rule for a partner type and tier",
		Example: "  atrium program rules set --type reseller --tier gold --percent 12.5\n  atrium program rules set --type referral --amount 500",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, errs := fr.rule()
			if len(errs) > 0 {
				return errors.New(fieldLines(g, "--", errs))
			}
			a, svc, vocab, err := settingsApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			saved, err := svc.SaveRule(cmd.Context(), r, vocab)
			if err != nil {
				return fieldProblems(g, "", err)
			}
			g.say(g.stdout, "cli.rules.saved", "ID", saved.ID, "PartnerType", saved.PartnerType, "Tier", or(saved.Tier, g.loc.T("cli.rules.any-tier")))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&fr.PartnerType, "type", "", "partner type")
	f.StringVar(&fr.Tier, "tier", "", "tier (empty: any tier of the type)")
	f.StringVar(&fr.Percent, "percent", "", "percentage of a won deal's value, up to two decimals")
	f.StringVar(&fr.Amount, "amount", "", "fixed amount per lead closed won, such as 500 or 499.99")
	f.StringVar(&fr.Currency, "currency", "", "currency (default: the program's)")
	return cmd
}

func rulesDeleteCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID",
		Short: "Remove a commission rule (the ledger keeps its entries)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return g.loc.Errorf("cli.rules.bad-id", "Arg", fmt.Sprintf("%q", args[0]))
			}
			a, svc, _, err := settingsApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			if err := svc.DeleteRule(cmd.Context(), id); err != nil {
				return err
			}
			g.say(g.stdout, "cli.rules.deleted", "Rule", id)
			return nil
		},
	}
}

func pipelineShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Print the pipeline settings as a pipeline file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, svc, _, err := settingsApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			cfg, err := svc.Config(cmd.Context())
			if err != nil {
				return err
			}
			rules, err := svc.Rules(cmd.Context())
			if err != nil {
				return err
			}
			f := pipelineFile{APIVersion: "atrium/v1", Kind: "Pipeline", DealStages: cfg.DealStages, LeadFields: cfg.LeadFields}
			for _, r := range rules {
				f.Rules = append(f.Rules, toFileRule(r))
			}
			enc := yaml.NewEncoder(g.stdout)
			enc.SetIndent(2)
			if err := enc.Encode(f); err != nil {
				return err
			}
			return enc.Close()
		},
	}
}

func pipelineApplyCmd(g *globals) *cobra.Command {
	var file string
	var prune bool
	cmd := &cobra.Command{
		Use:   "apply -f FILE [--prune]",
		Short: "Apply a pipeline file (all or nothing; idempotent)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				return g.loc.Errorf("cli.pipeline.file-needed")
			}
			raw, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			var f pipelineFile
			dec := yaml.NewDecoder(strings.NewReader(string(raw)))
			dec.KnownFields(true)
			if err := dec.Decode(&f); err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			if f.Kind != "Pipeline" {
				return g.loc.Errorf("cli.pipeline.kind", "File", file, "Kind", fmt.Sprintf("%q", f.Kind))
			}
			a, svc, vocab, err := settingsApp(cmd, g)
			if err != nil {
				return err
			}
			defer a.Close()
			ctx := cmd.Context()
			cur, err := svc.Config(ctx)
			if err != nil {
				return err
			}
			next := cur
			next.DealStages, next.LeadFields = f.DealStages, f.LeadFields
			// Everything is checked before anything is written.
			errs := pipeline.ConfigProblems(next)
			rules := make([]pipeline.Rule, len(f.Rules))
			for i, fr := range f.Rules {
				r, rerrs := fr.rule()
				maps.Copy(rerrs, pipeline.RuleProblems(r, vocab))
				if len(rerrs) > 0 && rerrs["basisPoints"] != "" && rerrs["percent"] != "" {
					delete(rerrs, "basisPoints")
				}
				for k, m := range rerrs {
					errs["commissionRules."+strconv.Itoa(i)+"."+k] = m
				}
				rules[i] = r
			}
			if len(errs) > 0 {
				return fmt.Errorf("%s: %s", file, fieldLines(g, "", errs))
			}
			changed := !slices.Equal(cur.DealStages, next.DealStages) || !slices.EqualFunc(cur.LeadFields, next.LeadFields, sameField)
			if changed {
				if _, err := svc.SaveConfig(ctx, next); err != nil {
					return fieldProblems(g, file+": ", err)
				}
			}
			g.say(g.stdout, map[bool]string{true: "cli.pipeline.changed", false: "cli.pipeline.unchanged"}[changed])
			existing, err := svc.Rules(ctx)
			if err != nil {
				return err
			}
			keep := map[string]bool{}
			for _, r := range rules {
				key := r.PartnerType + "/" + r.Tier
				keep[key] = true
				i := slices.IndexFunc(existing, func(e pipeline.Rule) bool { return e.PartnerType == r.PartnerType && e.Tier == r.Tier })
				if i >= 0 && existing[i].BasisPoints == r.BasisPoints && existing[i].FixedAmount == r.FixedAmount &&
					(r.Currency == "" || r.Currency == existing[i].Currency) {
					g.say(g.stdout, "cli.rules.unchanged", "Rule", key)
					continue
				}
				if _, err := svc.SaveRule(ctx, r, vocab); err != nil {
					return fieldProblems(g, file+": ", err)
				}
				g.say(g.stdout, map[bool]string{true: "cli.rules.changed", false: "cli.rules.created"}[i >= 0], "Rule", key)
			}
			if prune {
				for _, e := range existing {
					if key := e.PartnerType + "/" + e.Tier; !keep[key] {
						if err := svc.DeleteRule(ctx, e.ID); err != nil {
							return err
						}
						g.say(g.stdout, "cli.rules.deleted", "Rule", key)
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "pipeline file")
	cmd.Flags().BoolVar(&prune, "prune", false, "remove commission rules the file does not list")
	return cmd
}

func sameField(a, b sp.LeadField) bool {
	return a.Name == b.Name && a.Label == b.Label && a.Required == b.Required && slices.Equal(a.Options, b.Options)
}
