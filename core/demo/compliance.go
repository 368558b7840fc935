package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/compliance"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/uptrace/bun"
)

// SeedCompliance gives the demo its compliance program and XYZ
// Distribution's shares, unless requirements exist already. Resellers
// owe a signed reseller agreement (due ten days ago) and an insurance
// certificate (valid a year); Carlos & Co is in order. In XYZ's network, Harbor IT is in order but
// its insurance expires next month; Summit Systems' insurance waits for
// Dana's review; Lakeside Tech's agreement is overdue; Pine Ridge
// Networks is in order. Dana shared the new training deck with these four;
// Harbor IT and Summit Systems downloaded it. Dates count from today in
// the program's zone, so the story holds on any day.
func SeedCompliance(ctx context.Context, db *bun.DB, dir *directory.Directory, fs *files.Service, loc *time.Location) error {
	n, err := db.NewSelect().Table("compliance_requirements").Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	if loc == nil {
		loc = time.UTC
	}
	local := time.Now().In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
	at := time.Now().UTC().Truncate(time.Minute)
	clock := at
	svc := compliance.New(db, dir, reach.New(db), compliance.Options{Files: fs, Location: loc, Now: func() time.Time { return clock }})
	viewer := func(email string) (sdk.Viewer, error) {
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
	people := map[string]sdk.Viewer{}
	for _, e := range []string{"admin@acme.example", "mike@acme.example", "carlos@carlosco.example", "dana@xyzdist.example", "hank@harborit.example", "sue@summitsystems.example",
		"leo@lakesidetech.example", "paula@pineridge.example"} {
		v, err := viewer(e)
		if err != nil {
			return err
		}
		people[e] = v
	}
	admin, dana := people["admin@acme.example"], people["dana@xyzdist.example"]
	agreement, err := svc.SaveRequirement(ctx, admin, 0, compliance.RequirementInput{Name: "Signed reseller agreement", Kind: sc.Document,
		Description:  "The reseller agreement, signed on every page by someone who may sign for your company.",
		PartnerTypes: []string{"reseller"}, Due: date(-10)})
	if err != nil {
		return err
	}
	insurance, err := svc.SaveRequirement(ctx, admin, 0, compliance.RequirementInput{Name: "Insurance certificate", Kind: sc.Document,
		Description:  "A certificate of professional liability insurance of at least 1 million, naming your company.",
		PartnerTypes: []string{"reseller"}, ValidityMonths: 12, Due: date(20)})
	if err != nil {
		return err
	}
	hand := func(who string, req sc.Requirement, name, expires string, daysAgo int) (sc.Item, error) {
		clock = at.AddDate(0, 0, -daysAgo)
		tok, _, err := fs.Stage(ctx, people[who].UserID, files.Upload{Name: name, Body: bytes.NewReader(PDF(name))})
		if err != nil {
			return sc.Item{}, err
		}
		return svc.Submit(ctx, people[who], sc.Submission{RequirementID: req.ID, Upload: tok, Expires: expires})
	}
	accept := func(it sc.Item, daysAgo int) error {
		clock = at.AddDate(0, 0, -daysAgo)
		// Carlos & Co has no distributor: Mike, its manager, reviews.
		reviewer := dana
		if it.PartnerID == people["carlos@carlosco.example"].PartnerID() {
			reviewer = people["mike@acme.example"]
		}
		_, err := svc.Review(ctx, reviewer, sc.Review{ItemID: it.ID, Decision: sc.Accept})
		return err
	}
	steps := []struct {
		who     string
		req     sc.Requirement
		file    string
		expires string
		daysAgo int
		accept  bool
	}{
		{"carlos@carlosco.example", agreement, "Carlos & Co reseller agreement.pdf", "", 90, true},
		{"carlos@carlosco.example", insurance, "Carlos & Co insurance.pdf", date(200), 90, true},
		{"hank@harborit.example", agreement, "Harbor IT reseller agreement.pdf", "", 60, true},
		{"hank@harborit.example", insurance, "Harbor IT insurance 2026.pdf", date(25), 340, true},
		{"sue@summitsystems.example", agreement, "Summit Systems agreement signed.pdf", "", 30, true},
		{"sue@summitsystems.example", insurance, "Summit insurance certificate.pdf", date(365), 1, false},
		{"paula@pineridge.example", agreement, "Pine Ridge agreement.pdf", "", 45, true},
		{"paula@pineridge.example", insurance, "Pine Ridge liability cover.pdf", date(300), 40, true},
	}
	for _, s := range steps {
		it, err := hand(s.who, s.req, s.file, s.expires, s.daysAgo)
		if err != nil {
			return fmt.Errorf("demo evidence %s: %w", s.file, err)
		}
		if s.accept {
			if err := accept(it, s.daysAgo-1); err != nil {
				return fmt.Errorf("demo review of %s: %w", s.file, err)
			}
		}
	}
	// The new training deck, shared three days ago with the four
	// sub-partners whose compliance the story follows (the network has
	// more); Harbor IT and Summit Systems have downloaded it.
	clock = at.AddDate(0, 0, -3)
	tok, _, err := fs.Stage(ctx, dana.UserID, files.Upload{Name: "New training deck.pdf", Body: bytes.NewReader(PDF("New training deck"))})
	if err != nil {
		return err
	}
	var subs []int64
	if err := db.NewSelect().Table("partners").Column("id").Where("parent_id = ?", dana.PartnerID()).
		Where("slug IN (?)", bun.List([]string{"harbor-it", "lakeside-tech", "pine-ridge-networks", "summit-systems"})).OrderExpr("name").Scan(ctx, &subs); err != nil {
		return err
	}
	sh, err := svc.CreateShare(ctx, dana, sc.NewShare{Upload: tok, Title: "New training deck", PartnerIDs: subs,
		Note: "The Acme Cloud 5.0 deck for your sales team: use it in every first meeting from January."})
	if err != nil {
		return fmt.Errorf("demo share: %w", err)
	}
	for i, who := range []string{"hank@harborit.example", "sue@summitsystems.example"} {
		v := people[who]
		a := files.Access{FileID: sh.FileID, Version: 1, UserID: v.UserID, Action: "download", AtMS: at.Add(-time.Duration(30+i*20) * time.Hour).UnixMilli()}
		pid := v.PartnerID()
		a.PartnerID = &pid
		if _, err := db.NewInsert().Model(&a).Exec(ctx); err != nil {
			return fmt.Errorf("demo download: %w", err)
		}
	}
	return nil
}
