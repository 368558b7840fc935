package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// SeedPipeline gives the demo program a pipeline with history: commission
// rules, and leads, deals and commissions at every stage for the demo
// partners, made through the pipeline's own rules so the history reads
// true. It does nothing once the program has any lead.
func SeedPipeline(ctx context.Context, db *bun.DB) error {
	n, err := db.NewSelect().Table("pipeline_leads").Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	dir := directory.New(db)
	// A clock the story moves along, so history spans the last weeks.
	at := time.Now().UTC().AddDate(0, 0, -45)
	svc := pipeline.New(db, dir, pipeline.WithClock(func() time.Time { return at }))
	step := func(d time.Duration) { at = at.Add(d) }
	for _, r := range []pipeline.Rule{
		{PartnerType: "referral", FixedAmount: 50000, Currency: "USD"},
		{PartnerType: "reseller", BasisPoints: 1000, Currency: "USD"},
		{PartnerType: "reseller", Tier: "gold", BasisPoints: 1500, Currency: "USD"},
		{PartnerType: "distributor", BasisPoints: 800, Currency: "USD"},
		{PartnerType: "implementation", BasisPoints: 1200, Currency: "USD"},
	} {
		if err := svc.SetRule(ctx, r); err != nil {
			return fmt.Errorf("demo commission rule: %w", err)
		}
	}
	as := func(email string) (sdk.Viewer, error) {
		u, err := dir.UserByEmail(ctx, email)
		if err != nil {
			return sdk.Viewer{}, fmt.Errorf("demo user %s: %w", email, err)
		}
		if u.PartnerID == nil {
			return u.Viewer(nil), nil
		}
		p, err := dir.Partner(ctx, *u.PartnerID)
		if err != nil {
			return sdk.Viewer{}, err
		}
		return u.Viewer(&p), nil
	}
	var errs []error
	must := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	mike, err := as("mike@acme.example")
	if err != nil {
		return err
	}
	lead := func(v sdk.Viewer, company, contact, email, site string, path ...string) int64 {
		step(7 * time.Hour)
		l, err := svc.SubmitLead(ctx, v, sp.LeadInput{Company: company, ContactName: contact, Email: email, Website: site,
			Notes: "Met at the Acme Cloud roadshow."})
		must(err)
		for _, s := range path {
			step(26 * time.Hour)
			_, err := svc.SetLeadStatus(ctx, mike, sp.StatusChange{ID: l.ID, Status: s})
			must(err)
		}
		return l.ID
	}
	// Deals expected to close near today, so the Overview's next steps
	// have something to say: one that slipped past its date, one due soon.
	closeIn := map[string]int{"Soylent analytics": -6, "Wonka supply chain": 9, "Gringotts security review": 5}
	deal := func(v sdk.Viewer, name, company, site string, dollars int64, stages ...string) int64 {
		step(9 * time.Hour)
		closes := at.AddDate(0, 2, 0)
		if days, ok := closeIn[name]; ok {
			closes = time.Now().UTC().AddDate(0, 0, days)
		}
		d, err := svc.RegisterDeal(ctx, v, sp.DealInput{Name: name, Company: company, Website: site, Value: sp.Money{Amount: dollars * 100, Currency: "USD"},
			ExpectedClose: closes.Format("2006-01-02")})
		must(err)
		if len(stages) > 0 && stages[0] == "pending" {
			return d.ID
		}
		step(20 * time.Hour)
		_, err = svc.ReviewDeal(ctx, mike, sp.Review{ID: d.ID, Approve: true})
		must(err)
		for _, s := range stages {
			step(30 * time.Hour)
			reason := ""
			if s == sp.StageWon {
				reason = "Strong fit and a champion on the customer side."
			} else if s == sp.StageLost {
				reason = "Went with an incumbent vendor."
			}
			_, err := svc.SetDealStage(ctx, mike, sp.StageChange{ID: d.ID, Stage: s, Reason: reason})
			must(err)
		}
		return d.ID
	}

	sarah, err := as("sarah@northwind.example")
	if err != nil {
		return err
	}
	carlos, err := as("carlos@carlosco.example")
	if err != nil {
		return err
	}
	jennifer, _ := as("jennifer@abccorp.example")
	dana, _ := as("dana@xyzdist.example")
	tom, _ := as("tom@bluebird.example")
	harborUser := sdk.Viewer{}
	if p, err := dir.PartnerBySlug(ctx, "harbor-it"); err == nil {
		harborUser = sdk.Viewer{UserID: dana.UserID, Name: "Harbor IT", Role: sdk.RolePartnerUser, Partner: p.SDK()}
	}

	// Northwind (Sarah): two leads in demo, and one of each other status.
	lead(sarah, "Fabrikam Retail", "Nora Quinn", "nora@fabrikam.example", "", sp.LeadWon)
	lead(sarah, "Tailspin Toys", "Omar Haddad", "omar@tailspin.example", "tailspin.example", sp.LeadLost)
	lead(sarah, "Globex Corporation", "Hank Scorpio", "hank@globex.example", "https://www.globex.example", sp.LeadQualified, sp.LeadDemo)
	lead(sarah, "Initech", "Bill Lumbergh", "bill@initech.example", "initech.example", sp.LeadQualified, sp.LeadDemo)
	lead(sarah, "Wide World Importers", "Ana Souza", "ana@wideworld.example", "", sp.LeadQualified)
	lead(sarah, "Contoso Pharma", "Lee Park", "lee@contoso.example", "contoso.example")
	// Carlos submits a company Northwind registered first: a conflict Mike,
	// who manages both, sees side by side.
	lead(carlos, "Globex Corp", "Marge Bouvier", "marge+partners@globex.example", "globex.example")
	lead(tom, "Duff Brewing", "Sam Duff", "sam@duff.example", "duff.example")

	// Carlos & Co: five active deals worth $250,000, one in negotiation, and
	// a won deal whose commission was approved and paid.
	deal(carlos, "Umbrella data platform", "Umbrella Corp", "umbrella.example", 40000)
	deal(carlos, "Soylent analytics", "Soylent", "soylent.example", 35000)
	deal(carlos, "Hooli cloud migration", "Hooli", "hooli.example", 80000, "negotiation")
	deal(carlos, "Vandelay imports ERP", "Vandelay Industries", "vandelay.example", 55000, "negotiation", "contract_review")
	deal(carlos, "Wonka supply chain", "Wonka Industries", "wonka.example", 40000)
	won := deal(carlos, "Cyberdyne renewal", "Cyberdyne Systems", "cyberdyne.example", 60000, "negotiation", sp.StageWon)
	lead(carlos, "Oceanic Airlines", "Jack Shephard", "jack@oceanic.example", "oceanic.example", sp.LeadQualified)
	lead(carlos, "Massive Dynamic", "Nina Sharp", "nina@massive.example", "massive.example")
	_, err = svc.AddDealNote(ctx, carlos, sp.NoteInput{DealID: won, Body: "Signed! Thanks for the pricing support."})
	must(err)

	// ABC Corp: implementation deals won over time; commissions paid,
	// approved and pending, and one correction.
	d1 := deal(jennifer, "Stark rollout, phase 1", "Stark Industries", "stark.example", 120000, "negotiation", "contract_review", sp.StageWon)
	deal(jennifer, "Wayne Enterprises migration", "Wayne Enterprises", "wayne.example", 90000, "negotiation", sp.StageWon)
	deal(jennifer, "Acme Corp onboarding", "Acme Corp", "acmecorp.example", 45000, sp.StageWon)
	deal(jennifer, "Gringotts security review", "Gringotts", "gringotts.example", 70000, "negotiation")
	deal(jennifer, "Monsters Inc energy", "Monsters Inc", "monsters.example", 30000, "negotiation", sp.StageLost)
	page, err := svc.ListCommissions(ctx, mike, sp.CommissionQuery{PartnerID: jennifer.PartnerID()})
	must(err)
	for i, c := range page.Items {
		step(24 * time.Hour)
		switch i {
		case len(page.Items) - 1, len(page.Items) - 2: // the two oldest
			_, err = svc.SetCommissionStatus(ctx, mike, sp.CommissionChange{ID: c.ID, Status: sp.CommissionApproved})
			must(err)
			if c.DealID == d1 {
				_, err = svc.SetCommissionStatus(ctx, mike, sp.CommissionChange{ID: c.ID, Status: sp.CommissionPaid, Reference: "ACME-PAY-1042", PayoutDate: at.Format("2006-01-02")})
				must(err)
				_, err = svc.CorrectCommission(ctx, mike, sp.Correction{ID: c.ID, Amount: sp.Money{Amount: -60000, Currency: "USD"}, Reason: "Services discount agreed after signature"})
				must(err)
			}
		}
	}
	// Carlos's won deal: approved and paid.
	cp, err := svc.ListCommissions(ctx, mike, sp.CommissionQuery{PartnerID: carlos.PartnerID()})
	must(err)
	for _, c := range cp.Items {
		_, err = svc.SetCommissionStatus(ctx, mike, sp.CommissionChange{ID: c.ID, Status: sp.CommissionApproved})
		must(err)
		_, err = svc.SetCommissionStatus(ctx, mike, sp.CommissionChange{ID: c.ID, Status: sp.CommissionPaid, Reference: "ACME-PAY-1077", PayoutDate: at.Format("2006-01-02")})
		must(err)
	}

	// XYZ Distribution and its sub-partner Harbor IT: a deal each, and a
	// registration waiting for Mike.
	deal(dana, "Northern region licences", "Initrode", "initrode.example", 150000, "negotiation")
	if harborUser.Partner != nil {
		lead(harborUser, "Pied Piper", "Richard Hendricks", "richard@piedpiper.example", "piedpiper.example", sp.LeadQualified)
		deal(harborUser, "Pied Piper compression suite", "Pied Piper", "piedpiper.example", 28000, "pending")
	}
	if len(errs) > 0 {
		return fmt.Errorf("demo pipeline: %w (and %d more)", errs[0], len(errs)-1)
	}
	return nil
}
