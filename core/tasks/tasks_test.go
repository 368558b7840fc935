package tasks_test

import (
	"context"
	"errors"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/core/tasks"
	"github.com/atriumhq/atrium/sdk"
	sdktasks "github.com/atriumhq/atrium/sdk/tasks"
	"github.com/uptrace/bun"
)

func TestCompletionPerPartnerAndPerUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := directory.New(db)
		mk := func(in directory.UserInput) directory.User {
			u, err := d.CreateUser(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		mike := mk(directory.UserInput{Email: "mike@acme.example", Name: "Mike", Role: sdk.RoleManager})
		priya := mk(directory.UserInput{Email: "priya@acme.example", Name: "Priya", Role: sdk.RoleManager})
		admin := mk(directory.UserInput{Email: "admin@acme.example", Name: "Alex", Role: sdk.RoleAdmin})
		carlos, _ := d.CreatePartner(ctx, directory.PartnerInput{Name: "Carlos & Co", Type: "reseller", Tier: "gold", Stage: "active", ManagerID: &mike.ID})
		north, _ := d.CreatePartner(ctx, directory.PartnerInput{Name: "Northwind", Type: "referral", Tier: "silver", Stage: "active", ManagerID: &priya.ID})
		lisa := mk(directory.UserInput{Email: "lisa@c.example", Name: "Lisa", Role: sdk.RolePartnerUser, PartnerID: &carlos.ID})
		ana := mk(directory.UserInput{Email: "ana@c.example", Name: "Ana", Role: sdk.RolePartnerUser, PartnerID: &carlos.ID})
		sarah := mk(directory.UserInput{Email: "sarah@n.example", Name: "Sarah", Role: sdk.RolePartnerAdmin, PartnerID: &north.ID})

		f := host.New(nil)
		tasks.New(db, d).Register(f)
		as := func(u directory.User, p *directory.Partner) sdk.Host { return f.For(u.Viewer(p)) }
		set := func(h sdk.Host, perUser bool, id string, done bool) error {
			_, err := sdktasks.SetCompletion.Call(ctx, h, sdktasks.CompletionChange{BlockKey: "onboarding/steps", PerUser: perUser, TaskID: id, Done: done})
			return err
		}
		done := func(h sdk.Host, perUser bool) int {
			c, err := sdktasks.ListCompletion.Call(ctx, h, sdktasks.CompletionQuery{BlockKey: "onboarding/steps", PerUser: perUser})
			if err != nil {
				t.Fatal(err)
			}
			return len(c.Done)
		}
		for _, step := range []struct {
			h       sdk.Host
			perUser bool
			id      string
			done    bool
		}{
			{as(lisa, &carlos), false, "agreement", true},
			{as(lisa, &carlos), false, "agreement", true}, // twice keeps one row
			{as(ana, &carlos), false, "course", true},
			{as(lisa, &carlos), true, "profile", true},
			{as(sarah, &north), false, "agreement", true},
			{as(sarah, &north), false, "agreement", false},
			{as(sarah, &north), false, "course", true},
		} {
			if err := set(step.h, step.perUser, step.id, step.done); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			name    string
			h       sdk.Host
			perUser bool
			want    int
		}{
			{"carlos shared", as(ana, &carlos), false, 2},
			{"lisa's own", as(lisa, &carlos), true, 1},
			{"ana's own", as(ana, &carlos), true, 0},
			{"northwind shared", as(sarah, &north), false, 1},
			{"staff see none", as(mike, nil), false, 0},
		} {
			if got := done(tc.h, tc.perUser); got != tc.want {
				t.Errorf("%s: %d done, want %d", tc.name, got, tc.want)
			}
		}
		if err := set(as(mike, nil), false, "agreement", true); !errors.Is(err, sdk.ErrPermission) {
			t.Errorf("staff ticks a task: %v", err)
		}
		if err := set(as(lisa, &carlos), false, "", true); err == nil {
			t.Error("an empty task id was accepted")
		}
		report := func(u directory.User, p ...*directory.Partner) map[string]sdktasks.ReportRow {
			r, err := sdktasks.CompletionReport.Call(ctx, as(u, append(p, nil)[0]), sdktasks.ReportQuery{BlockKey: "onboarding/steps"})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]sdktasks.ReportRow{}
			for _, row := range r.Rows {
				out[row.Partner] = row
			}
			return out
		}
		all := report(admin)
		if c := all["Carlos & Co"]; len(all) != 2 || c.Tasks != 3 || c.People != 2 || c.Last.IsZero() {
			t.Errorf("admin's report: %+v", all)
		}
		if m := report(mike); len(m) != 1 || m["Carlos & Co"].Tasks != 3 {
			t.Errorf("mike's report: %+v", m)
		}
		if own := report(lisa, &carlos); len(own) != 1 || own["Carlos & Co"].Tasks != 3 {
			t.Errorf("a partner's report, which holds their own partner only: %+v", own)
		}
	})
}
