package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/network"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/tasks"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// subSeed is one of XYZ Distribution's sub-partners: its admin, how far
// through the onboarding checklist it is, and its pipeline.
type subSeed struct {
	slug, admin, email string
	onboarded          int   // tasks of the onboarding checklist done
	leads              int   // leads submitted
	won                []int // deals won, in dollars
	open               []int // deals open, in dollars
}

var network12 = []subSeed{
	{"lakeside-tech", "Lena Ford", "lena@lakeside.example", 1, 1, nil, nil},
	{"riverbend-solutions", "Raj Patel", "raj@riverbend.example", 2, 0, nil, nil},
	{"kestrel-networks", "Kim Osei", "kim@kestrel.example", 0, 0, nil, nil},
	{"summit-systems", "Sofia Lind", "sofia@summit.example", 3, 3, nil, []int{18000}},
	{"copperline-it", "Colm Byrne", "colm@copperline.example", 3, 2, nil, []int{12000}},
	{"fjord-systems", "Freya Dahl", "freya@fjord.example", 4, 4, []int{9000}, []int{22000}},
	{"harbor-it", "Hana Ito", "hana@harborit.example", 4, 2, []int{31000}, nil},
	{"granite-cloud", "Greg Moss", "greg@granite.example", 4, 6, []int{42000, 15000}, []int{38000}},
	{"meadow-digital", "Maya Cruz", "maya@meadow.example", 4, 5, []int{12000}, []int{9000}},
	{"orbit-integrators", "Omar Aziz", "omar@orbit.example", 4, 8, []int{88000, 64000}, []int{120000}},
	{"pinecrest-tech", "Paula Reyes", "paula@pinecrest.example", 4, 7, []int{56000}, []int{47000, 25000}},
	{"tidewater-solutions", "Theo Grant", "theo@tidewater.example", 4, 9, []int{130000, 72000}, []int{95000}},
}

var demoCustomers = []string{"Acme Foods", "Bolt Logistics", "Cobalt Health", "Delta Dental", "Echo Media", "Falcon Air",
	"Gemini Labs", "Helix Bio", "Indigo Hotels", "Juniper Retail", "Kite Energy", "Lumen Schools"}

// SeedNetwork gives XYZ Distribution a real network: each of its dozen
// sub-partners gets an admin, its onboarding checklist ticked as far as its
// stage suggests, and leads and deals; and Dana has one recruit waiting
// for Mike's approval. It runs once: a portal with any recruit keeps what
// it has. The demo's program lets managers work their distributors'
// networks (program.yaml).
func SeedNetwork(ctx context.Context, db *bun.DB, invite network.Inviter) error {
	n, err := db.NewSelect().Table("network_invitations").Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	dir := directory.New(db)
	at := time.Now().UTC().AddDate(0, 0, -60)
	step := func(d time.Duration) { at = at.Add(d) }
	pipe := pipeline.New(db, dir, pipeline.WithClock(func() time.Time { return at }))
	checklists := tasks.New(db, dir)
	mikeU, err := dir.UserByEmail(ctx, "mike@acme.example")
	if err != nil {
		return fmt.Errorf("demo network: %w", err)
	}
	mike := mikeU.Viewer(nil)
	prog, err := program.Load(ctx, db)
	if err != nil {
		return err
	}
	key := prog.Networks().OnboardingChecklist()
	onboarding := []string{"agreement", "meet-manager", "fundamentals", "first-deal"}
	var errs []error
	must := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	c := 0
	for i, s := range network12 {
		p, err := dir.PartnerBySlug(ctx, s.slug)
		if err != nil {
			return fmt.Errorf("demo network: %s: %w", s.slug, err)
		}
		admin, err := dir.UserByEmail(ctx, s.email)
		if err != nil {
			if admin, err = dir.CreateUser(ctx, directory.UserInput{Email: s.email, Name: s.admin, Role: sdk.RolePartnerAdmin,
				ContactRole: "sales", PartnerID: &p.ID, Title: "Partner lead"}); err != nil {
				return fmt.Errorf("demo network: %s: %w", s.email, err)
			}
		}
		if _, err := db.NewUpdate().Table("partners").Set("created_at = ?", time.Now().UTC().AddDate(0, -2*(i+1), 0)).
			Where("id = ?", p.ID).Exec(ctx); err != nil {
			return err
		}
		for _, t := range onboarding[:s.onboarded] {
			must(checklists.Set(ctx, tasks.Scope{PartnerID: p.ID}, admin.ID, key, t, true))
		}
		v := admin.Viewer(&p)
		for j := 0; j < s.leads; j++ {
			step(5 * time.Hour)
			co := demoCustomers[c%len(demoCustomers)]
			c++
			l, err := pipe.SubmitLead(ctx, v, sp.LeadInput{Company: co + " " + strings.Split(p.Name, " ")[0], ContactName: "Alex Buyer",
				Email: fmt.Sprintf("buyer%d@%s.example", c, strings.ToLower(strings.Fields(co)[0]))})
			must(err)
			if err == nil && j%3 == 1 {
				_, err = pipe.SetLeadStatus(ctx, mike, sp.StatusChange{ID: l.ID, Status: sp.LeadQualified})
				must(err)
			}
		}
		deal := func(dollars int, won bool) {
			step(9 * time.Hour)
			co := demoCustomers[c%len(demoCustomers)]
			c++
			d, err := pipe.RegisterDeal(ctx, v, sp.DealInput{Name: co + " rollout", Company: co + " (" + p.Name + ")",
				Value: sp.Money{Amount: int64(dollars) * 100, Currency: "USD"}, ExpectedClose: at.AddDate(0, 2, 0).Format("2006-01-02")})
			must(err)
			if err != nil {
				return
			}
			step(12 * time.Hour)
			_, err = pipe.ReviewDeal(ctx, mike, sp.Review{ID: d.ID, Approve: true})
			must(err)
			if won {
				step(24 * time.Hour)
				_, err = pipe.SetDealStage(ctx, mike, sp.StageChange{ID: d.ID, Stage: sp.StageWon, Reason: "Strong fit."})
				must(err)
			}
		}
		for _, d := range s.won {
			deal(d, true)
		}
		for _, d := range s.open {
			deal(d, false)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("demo network: %w (and %d more)", errs[0], len(errs)-1)
	}
	dana, err := dir.UserByEmail(ctx, "dana@xyzdist.example")
	if err != nil {
		return err
	}
	xyz, err := dir.PartnerBySlug(ctx, "xyz-distribution")
	if err != nil {
		return err
	}
	svc := network.New(db, dir, reach.New(db), network.Options{Invite: invite})
	_, err = svc.Recruit(ctx, dana.Viewer(&xyz), sn.Recruit{Company: "Northgate Resellers", Type: "reseller", AdminName: "Nadia Stone",
		AdminEmail: "nadia@northgate.example"})
	if err != nil {
		return fmt.Errorf("demo network: the waiting recruit: %w", err)
	}
	return nil
}
