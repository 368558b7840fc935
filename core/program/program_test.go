package program_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/revision"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *program.Program)
		want   string // substring of the error; empty means valid
	}{
		{"default", func(p *program.Program) {}, ""},
		{"no name", func(p *program.Program) { p.Name = " " }, "name: is required"},
		{"bad colour", func(p *program.Program) { p.PrimaryColor = "red" }, "primaryColor"},
		{"empty tiers", func(p *program.Program) { p.Tiers = nil }, "tiers: needs at least one value"},
		{"duplicate stage", func(p *program.Program) { p.Stages = append(p.Stages, "active") }, `stages[4]: "active" appears twice`},
		{"uppercase type", func(p *program.Program) { p.PartnerTypes = []string{"Referral"} }, "partnerTypes[0]"},
		{"bad embed host", func(p *program.Program) { p.EmbedHosts = []string{"https://x.com"} }, "embedHosts[0]"},
		{"wildcard embed host", func(p *program.Program) { p.EmbedHosts = []string{"*.typeform.com"} }, ""},
		{"network of a known type", func(p *program.Program) { p.Network = &program.Network{ParentTypes: []string{"reseller"}} }, ""},
		{"network of an unknown type", func(p *program.Program) { p.Network = &program.Network{ParentTypes: []string{"master-agent"}} },
			`network.parentTypes[0]: "master-agent" is not one of the program's partner types`},
		{"javascript logo", func(p *program.Program) { p.LogoURL = "javascript:alert(1)" }, "logoUrl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := program.Default()
			tt.change(&p)
			err := p.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestRanks(t *testing.T) {
	p := program.Default()
	if p.TierRank("gold") <= p.TierRank("silver") || p.TierRank("nope") != -1 {
		t.Error("tiers are not ordered lowest first")
	}
	if p.StageRank("getting-started") != 0 || p.StageRank("strategic") != 3 {
		t.Error("stages are not ordered earliest first")
	}
}

func TestSaveLoadBumpsRevision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		got, err := program.Load(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != program.Default().Name {
			t.Fatalf("empty database should load the default program, got %q", got.Name)
		}
		before, _ := revision.All(ctx, db)
		p := program.Default()
		p.Name = "Acme Cloud Partners"
		p.Tiers = []string{"registered", "silver", "gold"}
		p.EmbedHosts = []string{"www.figma.com"}
		for range 2 { // twice: the second save updates in place
			if err := program.Save(ctx, db, p); err != nil {
				t.Fatal(err)
			}
		}
		got, err = program.Load(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != p.Name || strings.Join(got.Tiers, ",") != "registered,silver,gold" || got.EmbedHosts[0] != "www.figma.com" {
			t.Errorf("loaded %+v, want %+v", got, p)
		}
		if got.Network != nil || !got.Networks().IsParentType("distributor") || got.Networks().ManagersReachSubPartners {
			t.Errorf("a program without a network rule should follow the default, got %+v", got.Network)
		}
		after, _ := revision.All(ctx, db)
		if after[revision.Program] != before[revision.Program]+2 {
			t.Errorf("program revision %d -> %d, want +2", before[revision.Program], after[revision.Program])
		}
		p.Network = &program.Network{ParentTypes: []string{"reseller"}, ManagersReachSubPartners: true}
		if err := program.Save(ctx, db, p); err != nil {
			t.Fatal(err)
		}
		if got, _ = program.Load(ctx, db); got.Networks().IsParentType("distributor") || !got.Networks().IsParentType("reseller") ||
			!got.Networks().ManagersReachSubPartners {
			t.Errorf("network rule not kept: %+v", got.Network)
		}
		bad := p
		bad.Tiers = nil
		if err := program.Save(ctx, db, bad); err == nil {
			t.Error("saved an invalid program")
		}
	})
}
