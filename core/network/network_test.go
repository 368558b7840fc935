package network_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/network"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/core/tasks"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// onboarding is the checklist the tests' program tracks.
var onboarding = []sn.Task{{ID: "agreement", Title: "Sign the partner agreement"}, {ID: "meet-manager", Title: "Meet your partner manager"},
	{ID: "fundamentals", Title: "Complete Fundamentals"}, {ID: "first-deal", Title: "Register your first opportunity"}}

// world is XYZ Distribution (Dana, its admin, and Sam, a user), managed by
// Mike, with two resellers; Other Distribution (Olga), managed by Nina,
// with one of its own.
type world struct {
	db     *bun.DB
	svc    *network.Service
	auth   *auth.Service
	notify *notify.Service
	dir    *directory.Directory
	tasks  *tasks.Service

	admin, mike, nina, dana, sam, olga, rita sdk.Viewer
	xyz, other, alpha, beta, omega           directory.Partner
}

func newWorld(t *testing.T, db *bun.DB) *world {
	t.Helper()
	ctx := context.Background()
	dir := directory.New(db)
	user := func(email, name string, role sdk.Role, p *directory.Partner) sdk.Viewer {
		in := directory.UserInput{Email: email, Name: name, Role: role}
		if p != nil {
			in.PartnerID = &p.ID
		}
		u, err := dir.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u.Viewer(p)
	}
	partner := func(name, typ, stage string, manager int64, parent *int64) directory.Partner {
		p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: name, Type: typ, Tier: "silver", Stage: stage, ManagerID: &manager, ParentID: parent})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w := &world{db: db, dir: dir}
	w.admin = user("admin@vendor.test", "Ada Admin", sdk.RoleAdmin, nil)
	w.mike = user("mike@vendor.test", "Mike Chen", sdk.RoleManager, nil)
	w.nina = user("nina@vendor.test", "Nina Park", sdk.RoleManager, nil)
	w.xyz = partner("XYZ Distribution", "distributor", "strategic", w.mike.UserID, nil)
	w.other = partner("Other Distribution", "distributor", "active", w.nina.UserID, nil)
	w.alpha = partner("Alpha Resellers", "reseller", "getting-started", w.mike.UserID, &w.xyz.ID)
	w.beta = partner("Beta Systems", "referral", "active", w.mike.UserID, &w.xyz.ID)
	w.omega = partner("Omega Partners", "reseller", "training", w.nina.UserID, &w.other.ID)
	w.dana = user("dana@xyz.test", "Dana Scott", sdk.RolePartnerAdmin, &w.xyz)
	w.sam = user("sam@xyz.test", "Sam Hill", sdk.RolePartnerUser, &w.xyz)
	w.olga = user("olga@other.test", "Olga Berg", sdk.RolePartnerAdmin, &w.other)
	w.rita = user("rita@alpha.test", "Rita Alpha", sdk.RolePartnerAdmin, &w.alpha)
	user("omar@omega.test", "Omar Omega", sdk.RolePartnerAdmin, &w.omega)
	// Managers work their distributors' networks in this program.
	prog := program.Default()
	prog.Network = &program.Network{ParentTypes: []string{"distributor"}, ManagersReachSubPartners: true}
	if err := program.Save(ctx, db, prog); err != nil {
		t.Fatal(err)
	}
	w.auth = auth.New(db, dir, auth.Config{})
	w.notify = notify.New(db)
	w.tasks = tasks.New(db, dir)
	w.svc = network.New(db, dir, reach.New(db), network.Options{
		Revenue: revenue.NewReports(db, revenue.Options{}), Invite: w.auth, Notify: w.notify,
		Checklist: func(_ context.Context, key string) ([]sn.Task, error) {
			if key != program.DefaultOnboarding {
				t.Errorf("checklist %q, want the default", key)
			}
			return onboarding, nil
		}})
	return w
}

func names(page sn.DirectoryPage) []string {
	out := []string{}
	for _, p := range page.SubPartners {
		out = append(out, p.Name)
	}
	return out
}

func fieldOf(err error) string {
	var keys []string
	if fe, ok := err.(*fail.Error); ok {
		for k := range fe.Fields {
			keys = append(keys, k)
		}
	}
	return strings.Join(keys, ",")
}

// TestRecruitStory: Dana invites a reseller; Mike, who manages XYZ,
// approves; the new admin accepts the link and the reseller shows in
// XYZ's directory, in onboarding, with its checklist progress.
func TestRecruitStory(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		in := sn.Recruit{Company: "Contoso Resale", Type: "reseller", AdminName: "Carla Diaz", AdminEmail: "Carla@Contoso.test"}

		if _, err := w.svc.Recruit(ctx, w.sam, in); fail.CodeOf(err) != fail.Forbidden {
			t.Fatalf("a partner user recruits: %v, want forbidden", err)
		}
		if _, err := w.svc.Recruit(ctx, w.rita, in); fail.CodeOf(err) != fail.NotFound {
			t.Fatalf("a sub-partner's admin recruits: %v, want not found (it has no network)", err)
		}
		if _, err := w.svc.Recruit(ctx, w.mike, in); fail.CodeOf(err) != fail.Forbidden {
			t.Fatalf("staff recruit: %v, want forbidden", err)
		}
		sent, err := w.svc.Recruit(ctx, w.dana, in)
		if err != nil {
			t.Fatal(err)
		}
		inv := sent.Invitation
		if inv.Status != sn.Pending || sent.Link != "" || inv.AdminEmail != "carla@contoso.test" || inv.InvitedBy != "Dana Scott" {
			t.Fatalf("recruit = %+v, link %q; want pending, no link yet", inv, sent.Link)
		}
		if _, err := w.svc.Recruit(ctx, w.dana, in); fieldOf(err) != "adminEmail" {
			t.Fatalf("the same recruit twice: %v, want refused on adminEmail", err)
		}
		// Mike hears of it; Nina, who manages another network, does not.
		heard := func(v sdk.Viewer) int {
			p, err := w.notify.List(ctx, v.UserID, notify.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, it := range p.Items {
				if it.Kind == network.KindRecruitRequested {
					n++
				}
			}
			return n
		}
		if heard(w.mike) != 1 || heard(w.nina) != 0 {
			t.Fatalf("notified: mike %d, nina %d; want 1 and 0", heard(w.mike), heard(w.nina))
		}
		// The queue: Mike sees it, Nina does not; Olga's network does not.
		for _, c := range []struct {
			name string
			v    sdk.Viewer
			want int
		}{{"mike", w.mike, 1}, {"nina", w.nina, 0}, {"admin", w.admin, 1}, {"dana", w.dana, 1}, {"sam", w.sam, 1}, {"olga", w.olga, 0}} {
			page, err := w.svc.Invitations(ctx, c.v, sn.InvitationQuery{Status: sn.Pending})
			if err != nil || page.Total != c.want {
				t.Errorf("%s sees %d pending (%v), want %d", c.name, page.Total, err, c.want)
			}
		}
		for _, v := range []sdk.Viewer{w.nina, w.dana, w.olga} {
			if _, err := w.svc.Decide(ctx, v, sn.Decision{ID: inv.ID, Approve: true}); fail.CodeOf(err) != fail.NotFound {
				t.Errorf("%s approves: %v, want not found", v.Name, err)
			}
		}
		approved, err := w.svc.Decide(ctx, w.mike, sn.Decision{ID: inv.ID, Approve: true})
		if err != nil {
			t.Fatal(err)
		}
		if approved.Invitation.Status != sn.Invited || !strings.HasPrefix(approved.Link, "/invite/") || approved.Invitation.PartnerID == 0 {
			t.Fatalf("approved = %+v, link %q", approved.Invitation, approved.Link)
		}
		if _, err := w.svc.Decide(ctx, w.mike, sn.Decision{ID: inv.ID, Approve: true}); fail.CodeOf(err) != fail.Conflict {
			t.Fatalf("approving twice: %v, want conflict", err)
		}
		p, err := w.dir.Partner(ctx, approved.Invitation.PartnerID)
		if err != nil {
			t.Fatal(err)
		}
		if p.ParentID == nil || *p.ParentID != w.xyz.ID || p.Stage != "getting-started" || p.Tier != "bronze" || p.ManagerID == nil || *p.ManagerID != w.mike.UserID {
			t.Fatalf("new partner = %+v; want XYZ's, first stage and tier, Mike managing", p)
		}
		// Dana may fetch a new link to pass on; Olga may not. With the
		// portal's public address known, the link is whole, ready to send.
		if s, err := w.svc.NewLink(ctx, w.dana, inv.ID); err != nil || s.Link == "" || s.Link == approved.Link {
			t.Fatalf("a new link: %q, %v", s.Link, err)
		}
		public := network.New(db, w.dir, reach.New(db), network.Options{Invite: w.auth, PublicURL: "https://partners.example.com/"})
		if s, err := public.NewLink(ctx, w.dana, inv.ID); err != nil || !strings.HasPrefix(s.Link, "https://partners.example.com/invite/") {
			t.Fatalf("a new link with the public address: %q, %v", s.Link, err)
		}
		if _, err := w.svc.NewLink(ctx, w.olga, inv.ID); fail.CodeOf(err) != fail.NotFound {
			t.Fatalf("olga's new link: %v, want not found", err)
		}
		if _, err := w.svc.NewLink(ctx, w.sam, inv.ID); fail.CodeOf(err) != fail.NotFound {
			t.Fatalf("a partner user's new link: %v, want not found", err)
		}
		last, err := w.svc.NewLink(ctx, w.dana, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		carla, err := w.auth.AcceptInvitation(ctx, strings.TrimPrefix(last.Link, "/invite/"), "correct horse battery staple 42")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.NewLink(ctx, w.dana, inv.ID); fail.CodeOf(err) != fail.Conflict {
			t.Fatalf("a link after joining: %v, want conflict", err)
		}
		if page, _ := w.svc.Invitations(ctx, w.dana, sn.InvitationQuery{Status: sn.Joined}); page.Total != 1 {
			t.Fatalf("joined invitations = %d, want 1", page.Total)
		}
		// Carla ticks two onboarding tasks; Dana sees 2 of 4.
		for _, id := range []string{"agreement", "meet-manager"} {
			if err := w.tasks.Set(ctx, tasks.Scope{PartnerID: p.ID}, carla.ID, program.DefaultOnboarding, id, true); err != nil {
				t.Fatal(err)
			}
		}
		page, err := w.svc.List(ctx, w.dana, sn.DirectoryQuery{Stage: "getting-started"})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(names(page), ","); got != "Alpha Resellers,Contoso Resale" {
			t.Fatalf("in onboarding: %s", got)
		}
		c := page.SubPartners[1]
		if c.Onboarding != (sn.Onboarding{Done: 2, Total: 4, Percent: 50}) || c.Admin == nil || c.Admin.Email != "carla@contoso.test" || c.Compliance != nil {
			t.Fatalf("Contoso = %+v", c)
		}
		d, err := w.svc.Get(ctx, w.dana, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Checklist) != 4 || d.Checklist[0].DoneAt == nil || d.Checklist[2].DoneAt != nil || len(d.Users) != 1 || !d.Users[0].Joined {
			t.Fatalf("detail = %+v", d)
		}
	})
}

// TestRecruitRules: what a recruit must say, and declining.
func TestRecruitRules(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		ok := sn.Recruit{Company: "Gamma Ltd", Type: "reseller", AdminName: "Gil", AdminEmail: "gil@gamma.test"}
		for _, c := range []struct {
			name  string
			edit  func(*sn.Recruit)
			field string
		}{
			{"no company", func(r *sn.Recruit) { r.Company = "  " }, "company"},
			{"a company already in the program", func(r *sn.Recruit) { r.Company = "beta systems" }, "company"},
			{"a distributor under a distributor", func(r *sn.Recruit) { r.Type = "distributor" }, "type"},
			{"an unknown type", func(r *sn.Recruit) { r.Type = "wizard" }, "type"},
			{"no admin name", func(r *sn.Recruit) { r.AdminName = "" }, "adminName"},
			{"a bad email", func(r *sn.Recruit) { r.AdminEmail = "gil at gamma" }, "adminEmail"},
			{"someone with an account", func(r *sn.Recruit) { r.AdminEmail = "OLGA@other.test" }, "adminEmail"},
			{"a very long name", func(r *sn.Recruit) { r.Company = strings.Repeat("x", 201) }, "company"},
		} {
			in := ok
			c.edit(&in)
			if _, err := w.svc.Recruit(ctx, w.dana, in); fieldOf(err) != c.field {
				t.Errorf("%s: %v (fields %q), want refused on %s", c.name, err, fieldOf(err), c.field)
			}
		}
		sent, err := w.svc.Recruit(ctx, w.dana, ok)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Decide(ctx, w.mike, sn.Decision{ID: sent.Invitation.ID}); fieldOf(err) != "reason" {
			t.Fatalf("declining without a reason: %v", err)
		}
		no, err := w.svc.Decide(ctx, w.mike, sn.Decision{ID: sent.Invitation.ID, Reason: "Gamma already resells through North."})
		if err != nil || no.Invitation.Status != sn.Declined || no.Invitation.Reason == "" || no.Link != "" {
			t.Fatalf("declined = %+v, %v", no, err)
		}
		if _, err := w.svc.NewLink(ctx, w.dana, sent.Invitation.ID); fail.CodeOf(err) != fail.Conflict {
			t.Fatalf("a link for a declined recruit: %v, want conflict", err)
		}
		// Once declined, the same person may be invited again.
		if _, err := w.svc.Recruit(ctx, w.dana, ok); err != nil {
			t.Fatalf("inviting again after a decline: %v", err)
		}
		// Without approval, the sub-partner and its link come at once.
		prog, _ := program.Load(ctx, db)
		prog.Network.RecruitsWithoutApproval = true
		if err := program.Save(ctx, db, prog); err != nil {
			t.Fatal(err)
		}
		direct, err := w.svc.Recruit(ctx, w.dana, sn.Recruit{Company: "Delta Co", Type: "referral", AdminName: "Dee", AdminEmail: "dee@delta.test"})
		if err != nil || direct.Invitation.Status != sn.Invited || direct.Link == "" {
			t.Fatalf("direct recruit = %+v, %v", direct, err)
		}
	})
}

// TestReach plays every kind of viewer against two networks: what each
// lists, loads and may do. The rule is core/reach's; the network only
// applies it.
func TestReach(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		preview := w.dana
		preview.Preview = true
		gone := w.sam
		for _, c := range []struct {
			name   string
			v      sdk.Viewer
			dist   int64
			lists  string // the sub-partners listed; "-" when the network is not found
			loads  []int64
			denied []int64
		}{
			{"dana, XYZ's admin", w.dana, 0, "Alpha Resellers,Beta Systems", []int64{w.alpha.ID, w.beta.ID}, []int64{w.omega.ID, w.xyz.ID, w.other.ID}},
			{"sam, XYZ's user", w.sam, 0, "Alpha Resellers,Beta Systems", []int64{w.alpha.ID}, []int64{w.omega.ID}},
			{"dana naming another network", w.dana, w.other.ID, "-", nil, nil},
			{"olga, another network", w.olga, 0, "Omega Partners", []int64{w.omega.ID}, []int64{w.alpha.ID, w.beta.ID}},
			{"rita, a sub-partner", w.rita, 0, "-", nil, []int64{w.alpha.ID, w.beta.ID, w.omega.ID}},
			{"mike, XYZ's manager", w.mike, w.xyz.ID, "Alpha Resellers,Beta Systems", []int64{w.alpha.ID, w.beta.ID}, []int64{w.omega.ID}},
			{"mike naming a network he does not manage", w.mike, w.other.ID, "-", nil, nil},
			{"nina, the other manager", w.nina, w.xyz.ID, "-", []int64{w.omega.ID}, []int64{w.alpha.ID}},
			{"the admin", w.admin, w.other.ID, "Omega Partners", []int64{w.alpha.ID, w.omega.ID}, nil},
			{"a preview of dana", preview, 0, "-", nil, []int64{w.alpha.ID}},
			{"a distributor naming a sub-partner as network", w.dana, w.alpha.ID, "-", nil, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				page, err := w.svc.List(ctx, c.v, sn.DirectoryQuery{DistributorID: c.dist})
				got := strings.Join(names(page), ",")
				if err != nil {
					got = "-"
					if fail.CodeOf(err) != fail.NotFound {
						t.Fatalf("list: %v", err)
					}
				}
				if got != c.lists {
					t.Errorf("lists %q, want %q", got, c.lists)
				}
				if _, err := w.svc.Dashboard(ctx, c.v, sn.DashboardQuery{DistributorID: c.dist}); (err == nil) != (c.lists != "-") {
					t.Errorf("dashboard: %v, want it shown: %v", err, c.lists != "-")
				}
				for _, id := range c.loads {
					if _, err := w.svc.Get(ctx, c.v, id); err != nil {
						t.Errorf("load %d: %v", id, err)
					}
				}
				for _, id := range c.denied {
					if _, err := w.svc.Get(ctx, c.v, id); fail.CodeOf(err) != fail.NotFound {
						t.Errorf("load %d: %v, want not found", id, err)
					}
				}
			})
		}
		// A deactivated user of XYZ reads nothing at once.
		if err := w.dir.SetActive(ctx, gone.UserID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.List(ctx, gone, sn.DirectoryQuery{}); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("a deactivated user lists: %v, want not found", err)
		}
	})
}

// TestDirectoryAndDashboard checks the numbers against the pipeline's rows:
// generated leads and deals, moved into XYZ's network.
func TestDirectoryAndDashboard(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		res, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: 6, Leads: 600, Seed: 3, Currencies: []string{"USD", "EUR"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewUpdate().Table("partners").Set("parent_id = ?, type = 'reseller'", w.xyz.ID).
			Where("id IN (?)", bun.List(res.PartnerIDs)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		subs := append([]int64{w.alpha.ID, w.beta.ID}, res.PartnerIDs...)
		var openLeads []struct {
			PartnerID int64 `bun:"partner_id"`
			N         int64 `bun:"n"`
		}
		if err := db.NewSelect().Table("pipeline_leads").ColumnExpr("partner_id, count(*) AS n").Where("status NOT IN (?)", bun.List([]string{sp.LeadWon, sp.LeadLost})).
			Where("partner_id IN (?)", bun.List(subs)).GroupExpr("partner_id").Scan(ctx, &openLeads); err != nil {
			t.Fatal(err)
		}
		want := map[int64]int64{}
		for _, r := range openLeads {
			want[r.PartnerID] = r.N
		}
		page, err := w.svc.List(ctx, w.dana, sn.DirectoryQuery{Sort: sn.SortLeads, Desc: true, PerPage: 3})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 8 || len(page.SubPartners) != 3 {
			t.Fatalf("total %d, page %d; want 8 and 3", page.Total, len(page.SubPartners))
		}
		for i, p := range page.SubPartners {
			if p.Performance.OpenLeads != want[p.ID] {
				t.Errorf("%s: open leads %d, want %d", p.Name, p.Performance.OpenLeads, want[p.ID])
			}
			if i > 0 && p.Performance.OpenLeads > page.SubPartners[i-1].Performance.OpenLeads {
				t.Errorf("not sorted by open leads: %d after %d", p.Performance.OpenLeads, page.SubPartners[i-1].Performance.OpenLeads)
			}
		}
		for _, c := range []struct {
			q    sn.DirectoryQuery
			want string
		}{
			{sn.DirectoryQuery{Q: "ALPHA"}, "Alpha Resellers"},
			{sn.DirectoryQuery{Q: "rita@"}, "Alpha Resellers"},
			{sn.DirectoryQuery{Q: "%"}, ""},
			{sn.DirectoryQuery{Type: "referral"}, "Beta Systems"},
			{sn.DirectoryQuery{Stage: "active", Q: "beta"}, "Beta Systems"},
			{sn.DirectoryQuery{Q: "omega"}, ""},
		} {
			p, err := w.svc.List(ctx, w.dana, c.q)
			if got := strings.Join(names(p), ","); err != nil || got != c.want {
				t.Errorf("%+v: %q, %v; want %q", c.q, got, err, c.want)
			}
		}
		// The dashboard over ten years counts every lead of the network,
		// and nothing of Omega's.
		if _, err := db.NewUpdate().Table("pipeline_leads").Set("partner_id = ?", w.omega.ID).Where("partner_id = ?", res.PartnerIDs[0]).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		d, err := w.svc.Dashboard(ctx, w.dana, sn.DashboardQuery{From: now.AddDate(-9, 0, 0).Format("2006-01-02"), To: now.AddDate(0, 0, 2).Format("2006-01-02")})
		if err != nil {
			t.Fatal(err)
		}
		var total, inNetwork int64
		for _, c := range d.LeadsByStatus {
			total += c.N
		}
		if err := db.NewSelect().Table("pipeline_leads").ColumnExpr("count(*)").Where("partner_id IN (?)", bun.List(subs)).Scan(ctx, &inNetwork); err != nil {
			t.Fatal(err)
		}
		var perSub int64
		for _, r := range d.BySubPartner {
			perSub += r.Leads
		}
		if total != inNetwork || perSub != inNetwork || inNetwork == 0 || d.SubPartners != 8 || len(d.LeadsByStatus) != len(sp.LeadStatuses) {
			t.Fatalf("dashboard leads %d, per sub-partner %d, in the network %d; sub-partners %d", total, perSub, inNetwork, d.SubPartners)
		}
		if d.Currency != "USD" || len(d.Commissions) < 3 || d.DealsWon == 0 {
			t.Fatalf("dashboard: currency %q, commissions %v, won %d", d.Currency, d.Commissions, d.DealsWon)
		}
		var b bytes.Buffer
		if err := network.WriteCSV(&b, d); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil || len(rows) < 1+8 || rows[0][1] != "sub_partner" {
			t.Fatalf("csv: %d rows, %v", len(rows), err)
		}
		if _, err := w.svc.Dashboard(ctx, w.dana, sn.DashboardQuery{From: "2026-12-01", To: "2026-11-01"}); fieldOf(err) != "to" {
			t.Fatalf("a backwards range: %v", err)
		}
	})
}
