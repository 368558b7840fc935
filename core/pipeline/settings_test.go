package pipeline_test

import (
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/pipeline"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

func TestParseBasisPoints(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"15", 1500, false}, {"12.5", 1250, false}, {"0.25%", 25, false}, {" 100 ", 10000, false}, {".5", 50, false},
		{"0.01", 1, false}, {"12.345", 0, true}, {"0", 0, true}, {"100.01", 0, true}, {"-5", 0, true}, {"abc", 0, true}, {"", 0, true},
	} {
		got, err := pipeline.ParseBasisPoints(tt.in)
		if (err != nil) != tt.err || got != tt.want && !tt.err {
			t.Errorf("ParseBasisPoints(%q) = %d, %v; want %d (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
	for bp, want := range map[int64]string{1500: "15%", 1250: "12.5%", 25: "0.25%", 1: "0.01%", 10000: "100%"} {
		if got := pipeline.FormatBasisPoints(bp); got != want {
			t.Errorf("FormatBasisPoints(%d) = %s, want %s", bp, got, want)
		}
	}
}

func TestRuleProblems(t *testing.T) {
	vocab := pipeline.Vocabulary{PartnerTypes: []string{"referral", "reseller"}, Tiers: []string{"silver", "gold"}}
	for _, tt := range []struct {
		name string
		rule pipeline.Rule
		bad  string // the field at fault, "" for none
	}{
		{"percentage", pipeline.Rule{PartnerType: "reseller", Tier: "gold", BasisPoints: 1500}, ""},
		{"fixed", pipeline.Rule{PartnerType: "referral", FixedAmount: 50000, Currency: "EUR"}, ""},
		{"no type", pipeline.Rule{BasisPoints: 1500}, "partnerType"},
		{"unknown type", pipeline.Rule{PartnerType: "astronaut", BasisPoints: 1500}, "partnerType"},
		{"unknown tier", pipeline.Rule{PartnerType: "reseller", Tier: "platinum", BasisPoints: 1500}, "tier"},
		{"neither", pipeline.Rule{PartnerType: "reseller"}, "basisPoints"},
		{"both", pipeline.Rule{PartnerType: "reseller", BasisPoints: 10, FixedAmount: 10}, "fixedAmount"},
		{"over 100%", pipeline.Rule{PartnerType: "reseller", BasisPoints: 10001}, "basisPoints"},
		{"bad currency", pipeline.Rule{PartnerType: "reseller", BasisPoints: 100, Currency: "dollars"}, "currency"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			errs := pipeline.RuleProblems(tt.rule, vocab)
			if tt.bad == "" && len(errs) > 0 || tt.bad != "" && (len(errs) != 1 || errs[tt.bad] == "") {
				t.Errorf("got %v, want a problem with %q only", errs, tt.bad)
			}
		})
	}
}

func TestConfigProblems(t *testing.T) {
	base := func() sp.Config { return pipeline.DefaultConfig() }
	for _, tt := range []struct {
		name string
		edit func(*sp.Config)
		bad  string
	}{
		{"default", func(*sp.Config) {}, ""},
		{"renamed and added", func(c *sp.Config) {
			c.DealStages = append([]sp.Stage{{Key: "discovery", Label: "Discovery"}}, c.DealStages...)
			c.DealStages[1].Label = "Proposal sent"
		}, ""},
		{"closing not last", func(c *sp.Config) { c.DealStages[0], c.DealStages[3] = c.DealStages[3], c.DealStages[0] }, "dealStages"},
		{"no open stage", func(c *sp.Config) { c.DealStages = c.DealStages[3:] }, "dealStages"},
		{"duplicate key", func(c *sp.Config) { c.DealStages[1].Key = "proposal" }, "dealStages.1.key"},
		{"bad key", func(c *sp.Config) { c.DealStages[0].Key = "Big Deal" }, "dealStages.0.key"},
		{"empty label", func(c *sp.Config) { c.DealStages[2].Label = " " }, "dealStages.2.label"},
		{"field like a standard one", func(c *sp.Config) { c.LeadFields = []sp.LeadField{{Name: "email", Label: "Email"}} }, "leadFields.0.name"},
		{"field twice", func(c *sp.Config) {
			c.LeadFields = []sp.LeadField{{Name: "budget", Label: "Budget"}, {Name: "budget", Label: "Budget again"}}
		}, "leadFields.1.name"},
		{"field without label", func(c *sp.Config) { c.LeadFields = []sp.LeadField{{Name: "budget"}} }, "leadFields.0.label"},
		{"empty choice", func(c *sp.Config) {
			c.LeadFields = []sp.LeadField{{Name: "size", Label: "Size", Options: []string{"S", ""}}}
		}, "leadFields.0.options"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(&c)
			errs := pipeline.ConfigProblems(c)
			if tt.bad == "" && len(errs) > 0 || tt.bad != "" && errs[tt.bad] == "" {
				t.Errorf("got %v, want a problem with %q", errs, tt.bad)
			}
			for k := range errs {
				if tt.bad != "" && !strings.HasPrefix(k, strings.SplitN(tt.bad, ".", 2)[0]) {
					t.Errorf("unexpected problem %s: %s", k, errs[k])
				}
			}
		})
	}
}
