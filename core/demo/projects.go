package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// SeedProjects gives the demo its projects, unless some exist already:
// ABC Corp and Mike run Riverside Health's rollout (60 % done, the data
// migration late, two deliverables waiting for Mike) and have finished
// Stark Industries' first phase; Carlos & Co runs one project of its own.
// Dates count from today in the program's zone, so the story holds on any
// day.
func SeedProjects(ctx context.Context, db *bun.DB, dir *directory.Directory, fs *files.Service, loc *time.Location) error {
	n, err := db.NewSelect().Table("projects").Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	if loc == nil {
		loc = time.UTC
	}
	at := time.Now().UTC().Truncate(time.Minute)
	svc := projects.New(db, dir, reach.New(db), projects.Options{Files: fs, Location: loc, Now: func() time.Time { return at }})
	local := time.Now().In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
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
	jennifer, err := viewer("jennifer@abccorp.example")
	if err != nil {
		return err
	}
	mike, err := viewer("mike@acme.example")
	if err != nil {
		return err
	}
	carlos, err := viewer("carlos@carlosco.example")
	if err != nil {
		return err
	}
	if err := seedRiverside(ctx, svc, fs, jennifer, mike, date); err != nil {
		return fmt.Errorf("demo project Riverside Health rollout: %w", err)
	}
	if err := seedFinished(ctx, svc, jennifer, mike, date); err != nil {
		return fmt.Errorf("demo project Stark Industries: %w", err)
	}
	if err := seedCarlos(ctx, svc, carlos, date); err != nil {
		return fmt.Errorf("demo project of Carlos & Co: %w", err)
	}
	return nil
}

func ptrTo[T any](v T) *T { return &v }

// seedRiverside lays out the rollout Jennifer and Mike run together.
func seedRiverside(ctx context.Context, svc *projects.Service, fs *files.Service, jennifer, mike sdk.Viewer, date func(int) string) error {
	d, err := svc.Create(ctx, jennifer, sp.NewProject{Name: "Riverside Health rollout", Customer: "Riverside Health",
		Description: "Roll the scheduling platform out to Riverside Health's **four clinics**, with their patient data migrated and staff trained before go-live.",
		Start:       date(-60), Target: date(45), Status: sp.Active, VendorOwner: mike.UserID})
	if err != nil {
		return err
	}
	pid := d.Project.ID
	type task struct {
		title  string
		who    sdk.Viewer
		due    int
		status string
		check  []sp.CheckItem
	}
	steps := []struct {
		title      string
		start, due int
		tasks      []task
	}{
		{"Kickoff", -60, -53, []task{
			{"Hold the kickoff meeting", mike, -58, sp.TaskDone, nil},
			{"Agree on scope, team and schedule", jennifer, -53, sp.TaskDone, nil},
		}},
		{"Discovery", -53, -39, []task{
			{"Map the clinics' current scheduling", jennifer, -46, sp.TaskDone, nil},
			{"Write the solution design", jennifer, -39, sp.TaskDone, nil},
		}},
		{"Configuration", -39, -15, []task{
			{"Set up the environment", mike, -32, sp.TaskDone, nil},
			{"Configure workflows and roles", jennifer, -20, sp.TaskDone, nil},
			{"Review the configuration with Riverside", jennifer, -15, sp.TaskDone, nil},
		}},
		{"Data migration", -20, -5, []task{
			{"Map the data fields", jennifer, -16, sp.TaskDone, nil},
			{"Export the patient scheduling data", jennifer, -12, sp.TaskDone, nil},
			{"Import and check a test load", mike, -5, sp.InProgress, []sp.CheckItem{{Text: "Counts match", Done: true}, {Text: "Spot-check ten records"}, {Text: "Fix encoding issues"}}},
			{"Run the final migration", jennifer, 3, sp.ToDo, nil},
		}},
		{"Training", -5, 10, []task{
			{"Train the administrators", mike, 5, sp.ToDo, nil},
			{"Train the front-desk staff", jennifer, 9, sp.ToDo, []sp.CheckItem{{Text: "Book the rooms"}, {Text: "Send the invitations"}}},
		}},
		{"Go-live", 10, 17, []task{
			{"Confirm go-live readiness", jennifer, 14, sp.Blocked, nil},
			{"Go live", mike, 17, sp.ToDo, nil},
		}},
		{"Hypercare", 17, 45, nil},
	}
	ids := map[string]int64{}
	milestones := map[string]int64{}
	for _, st := range steps {
		m, err := svc.ChangeMilestone(ctx, jennifer, sp.MilestoneChange{ProjectID: pid, Title: ptrTo(st.title), Start: ptrTo(date(st.start)), Due: ptrTo(date(st.due))})
		if err != nil {
			return err
		}
		milestones[st.title] = m.ID
		for _, t := range st.tasks {
			ch := sp.TaskChange{ProjectID: pid, MilestoneID: ptrTo(m.ID), Title: ptrTo(t.title), Due: ptrTo(date(t.due)),
				Assignee: ptrTo(t.who.UserID), Status: ptrTo(t.status)}
			if t.check != nil {
				ch.Checklist = &t.check
			}
			created, err := svc.ChangeTask(ctx, jennifer, ch)
			if err != nil {
				return err
			}
			ids[t.title] = created.ID
		}
	}
	deliver := func(who sdk.Viewer, name, line string, on sp.Deliver) (sp.Deliverable, error) {
		tok, _, err := fs.Stage(ctx, who.UserID, files.Upload{Name: name, Body: bytes.NewReader(PDF(name, "Riverside Health", line))})
		if err != nil {
			return sp.Deliverable{}, err
		}
		on.Upload = tok
		return svc.Submit(ctx, who, on)
	}
	design, err := deliver(jennifer, "Solution design.pdf", "Scheduling across four clinics", sp.Deliver{TaskID: ids["Write the solution design"]})
	if err != nil {
		return err
	}
	if _, err := svc.Review(ctx, mike, sp.Review{FileID: design.FileID, Status: sp.Approved, Comment: "Clear and complete — approved."}); err != nil {
		return err
	}
	if _, err := deliver(jennifer, "Test load report.pdf", "1,240 records loaded; 3 with encoding issues", sp.Deliver{TaskID: ids["Import and check a test load"]}); err != nil {
		return err
	}
	if _, err := deliver(jennifer, "Training plan.pdf", "Two sessions per clinic", sp.Deliver{MilestoneID: milestones["Training"]}); err != nil {
		return err
	}
	for _, c := range []struct {
		who  sdk.Viewer
		task string
		body string
	}{
		{jennifer, "Import and check a test load", "@Mike the test load is in: 3 records had encoding issues, the details are in the report."},
		{mike, "Import and check a test load", "Thanks @Jennifer — I'll fix the encoding on our side and run the check again tomorrow."},
		{jennifer, "Confirm go-live readiness", "Blocked until the final migration is signed off by Riverside's IT lead."},
		{mike, "Write the solution design", "Approved the design. Nice work on the clinic-by-clinic rollout plan."},
	} {
		if _, err := svc.AddComment(ctx, c.who, sp.NewComment{TaskID: ids[c.task], Body: c.body}); err != nil {
			return err
		}
	}
	return nil
}

// seedFinished is a project ABC Corp and Mike finished last quarter.
func seedFinished(ctx context.Context, svc *projects.Service, jennifer, mike sdk.Viewer, date func(int) string) error {
	refs, err := svc.Templates(ctx, mike)
	if err != nil || len(refs) == 0 {
		return err
	}
	d, err := svc.Create(ctx, mike, sp.NewProject{PartnerID: jennifer.Partner.ID, Name: "Stark Industries, phase 1", Customer: "Stark Industries",
		Start: date(-200), Target: date(-90), Status: sp.Active, TemplateID: refs[0].ID, PartnerOwner: jennifer.UserID})
	if err != nil {
		return err
	}
	page, err := svc.ListTasks(ctx, mike, sp.TaskQuery{ProjectID: d.Project.ID, PerPage: 500})
	if err != nil {
		return err
	}
	for _, t := range page.Tasks {
		if _, err := svc.ChangeTask(ctx, mike, sp.TaskChange{ID: t.ID, Status: ptrTo(sp.TaskDone)}); err != nil {
			return err
		}
	}
	_, err = svc.Update(ctx, mike, sp.ProjectChange{ID: d.Project.ID, Status: ptrTo(sp.Done)})
	return err
}

// seedCarlos is Carlos & Co's own project, just started and on track.
func seedCarlos(ctx context.Context, svc *projects.Service, carlos sdk.Viewer, date func(int) string) error {
	refs, err := svc.Templates(ctx, carlos)
	if err != nil || len(refs) == 0 {
		return err
	}
	d, err := svc.Create(ctx, carlos, sp.NewProject{Name: "Contoso Retail onboarding", Customer: "Contoso Retail",
		Start: date(-10), Target: date(95), Status: sp.Active, TemplateID: refs[0].ID})
	if err != nil {
		return err
	}
	page, err := svc.ListTasks(ctx, carlos, sp.TaskQuery{ProjectID: d.Project.ID, PerPage: 500})
	if err != nil {
		return err
	}
	for _, t := range page.Tasks {
		if t.Due != "" && t.Due < date(0) {
			if _, err := svc.ChangeTask(ctx, carlos, sp.TaskChange{ID: t.ID, Status: ptrTo(sp.TaskDone)}); err != nil {
				return err
			}
		}
	}
	return nil
}
