package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/pipeline"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

func TestParseRuleForm(t *testing.T) {
	for _, tt := range []struct {
		name   string
		in     map[string]string
		bp, fx int64
		bad    string
	}{
		{"percentage", map[string]string{"partnerType": "reseller", "kind": "percent", "percent": "12.5"}, 1250, 0, ""},
		{"fixed with separators", map[string]string{"partnerType": "referral", "kind": "fixed", "amount": "$1,234.56"}, 0, 123456, ""},
		{"three decimals", map[string]string{"partnerType": "reseller", "kind": "percent", "percent": "1.234"}, 0, 0, "percent"},
		{"zero amount", map[string]string{"partnerType": "referral", "kind": "fixed", "amount": "0"}, 0, 0, "amount"},
		{"no kind", map[string]string{"partnerType": "referral"}, 0, 0, "kind"},
		{"no type", map[string]string{"kind": "percent", "percent": "5"}, 500, 0, "partnerType"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, errs := ParseRuleForm(i18n.Locale("en"), tt.in)
			if tt.bad == "" && len(errs) > 0 || tt.bad != "" && errs[tt.bad] == "" {
				t.Fatalf("errors %v, want one for %q", errs, tt.bad)
			}
			if tt.bad == "" && (r.BasisPoints != tt.bp || r.FixedAmount != tt.fx) {
				t.Errorf("rule %+v, want %d bp, %d fixed", r, tt.bp, tt.fx)
			}
		})
	}
}

func TestParseStagesForm(t *testing.T) {
	cur := pipeline.DefaultConfig()
	form := func(kv ...string) url.Values {
		f := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	keys := func(c sp.Config) string {
		var out []string
		for _, s := range c.DealStages {
			out = append(out, s.Key+"="+s.Label)
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct {
		name string
		f    url.Values
		want string
		bad  bool
	}{
		{"rename and reorder", form("stage.0.label", "Proposal", "stage.0.order", "30", "stage.1.label", "Talks", "stage.1.order", "10",
			"stage.2.label", "Contract review", "stage.2.order", "20", "stage.3.label", "Won", "stage.4.label", "Lost"),
			"negotiation=Talks,contract_review=Contract review,proposal=Proposal,closed_won=Won,closed_lost=Lost", false},
		{"a new stage without a place goes last of the open ones", form("stage.0.label", "Proposal", "stage.0.order", "10",
			"stage.1.label", "Negotiation", "stage.1.order", "20", "stage.2.label", "Contract review", "stage.2.order", "30",
			"stage.3.label", "Closed won", "stage.4.label", "Closed lost", "stage.5.label", "Legal review"),
			"proposal=Proposal,negotiation=Negotiation,contract_review=Contract review,legal_review=Legal review,closed_won=Closed won,closed_lost=Closed lost", false},
		{"an open stage removed, with its order ignored", form("stage.0.label", "Proposal", "stage.0.order", "10",
			"stage.1.label", "Negotiation", "stage.1.order", "x", "stage.1.remove", "true", "stage.2.label", "Contract review", "stage.2.order", "30",
			"stage.3.label", "Closed won", "stage.4.label", "Closed lost"),
			"proposal=Proposal,contract_review=Contract review,closed_won=Closed won,closed_lost=Closed lost", false},
		{"a closing stage stays", form("stage.0.label", "Proposal", "stage.0.order", "10",
			"stage.1.label", "Negotiation", "stage.1.order", "20", "stage.2.label", "Contract review", "stage.2.order", "30",
			"stage.3.label", "Closed won", "stage.3.remove", "true", "stage.4.label", "Closed lost"),
			"proposal=Proposal,negotiation=Negotiation,contract_review=Contract review,closed_won=Closed won,closed_lost=Closed lost", false},
		{"a bad order", form("stage.0.label", "Proposal", "stage.0.order", "first", "stage.1.label", "N", "stage.1.order", "2",
			"stage.2.label", "C", "stage.2.order", "3", "stage.3.label", "W", "stage.4.label", "L"), "", true},
		{"an empty name", form("stage.0.label", "", "stage.0.order", "1", "stage.1.label", "N", "stage.1.order", "2",
			"stage.2.label", "C", "stage.2.order", "3", "stage.3.label", "W", "stage.4.label", "L"), "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rows, next, bad := ParseStagesForm(i18n.Locale("en"), tt.f, cur)
			if bad != tt.bad {
				t.Fatalf("bad = %v, want %v (rows %+v)", bad, tt.bad, rows)
			}
			if !bad && keys(next) != tt.want {
				t.Errorf("stages %s\nwant %s", keys(next), tt.want)
			}
		})
	}
}
