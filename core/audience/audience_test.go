package audience

import (
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/sdk"
)

func partner(typ, tier, stage, role, slug string) sdk.Viewer {
	return sdk.Viewer{Role: sdk.RolePartnerUser, ContactRole: role,
		Partner: &sdk.Partner{ID: 1, Slug: slug, Type: typ, Tier: tier, Stage: stage}}
}

func TestAdmits(t *testing.T) {
	p := program.Default()
	sarah := partner("referral", "silver", "active", "sales", "northwind")
	tom := partner("referral", "bronze", "getting-started", "marketing", "bluebird")
	staff := sdk.Viewer{Role: sdk.RoleManager}
	previewing := sdk.Viewer{Role: sdk.RoleAdmin, Preview: true, Partner: &sdk.Partner{Type: "reseller", Tier: "gold", Stage: "active"}}
	orphan := sdk.Viewer{Role: sdk.RolePartnerUser}

	tests := []struct {
		name string
		a    sdk.Audience
		v    sdk.Viewer
		want bool
	}{
		{"empty admits everyone", sdk.Audience{}, tom, true},
		{"minTier met", sdk.Audience{MinTier: "silver"}, sarah, true},
		{"minTier equal is enough", sdk.Audience{MinTier: "silver"}, sarah, true},
		{"minTier not met", sdk.Audience{MinTier: "silver"}, tom, false},
		{"tiers any-of", sdk.Audience{Tiers: []string{"bronze", "gold"}}, tom, true},
		{"tiers miss", sdk.Audience{Tiers: []string{"gold"}}, tom, false},
		{"stages", sdk.Audience{Stages: []string{"training", "active"}}, sarah, true},
		{"minStage", sdk.Audience{MinStage: "training"}, tom, false},
		{"roles", sdk.Audience{Roles: []string{"sales", "technical"}}, sarah, true},
		{"roles miss", sdk.Audience{Roles: []string{"sales"}}, tom, false},
		{"all conditions must hold", sdk.Audience{MinTier: "silver", Roles: []string{"marketing"}}, sarah, false},
		{"named partner", sdk.Audience{Partners: []string{"northwind"}}, sarah, true},
		{"named partner excludes others", sdk.Audience{Partners: []string{"northwind"}}, tom, false},
		{"exclude partner", sdk.Audience{ExcludePartners: []string{"northwind"}}, sarah, false},
		{"partner types", sdk.Audience{PartnerTypes: []string{"reseller"}}, sarah, false},
		{"unknown tier never qualifies", sdk.Audience{MinTier: "silver"}, partner("referral", "diamond", "active", "sales", "x"), false},
		{"staff see everything", sdk.Audience{Partners: []string{"nobody"}}, staff, true},
		{"previewing staff are filtered", sdk.Audience{MinTier: "platinum"}, previewing, false},
		{"previewing staff admitted", sdk.Audience{MinTier: "gold"}, previewing, true},
		{"no partner, conditions", sdk.Audience{MinTier: "bronze"}, orphan, false},
		{"no partner, empty audience", sdk.Audience{}, orphan, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Admits(tt.a, tt.v, p); got != tt.want {
				t.Errorf("Admits(%+v) = %v, want %v", tt.a, got, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	p := program.Default()
	exists := func(s string) bool { return s == "northwind" }
	tests := []struct {
		name string
		a    sdk.Audience
		want []string
	}{
		{"valid", sdk.Audience{MinTier: "silver", Stages: []string{"active"}, Roles: []string{"sales"}, Partners: []string{"northwind"}}, nil},
		{"unknown tier", sdk.Audience{MinTier: "gould"}, []string{`minTier: unknown tier "gould"`}},
		{"unknown stage in list", sdk.Audience{Stages: []string{"active", "sleeping"}}, []string{`stages[1]: unknown stage "sleeping"`}},
		{"unknown role", sdk.Audience{Roles: []string{"ceo"}}, []string{`roles[0]: unknown contact role "ceo"`}},
		{"unknown partner", sdk.Audience{ExcludePartners: []string{"ghost"}}, []string{`excludePartners[0]: unknown partner "ghost"`}},
		{"both tiers and minTier", sdk.Audience{Tiers: []string{"gold"}, MinTier: "silver"}, []string{"either tiers or minTier"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.a, p, exists)
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("unexpected error %v", err)
				}
				return
			}
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to contain %q", err, w)
				}
			}
		})
	}
}
