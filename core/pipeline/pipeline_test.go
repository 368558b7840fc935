package pipeline_test

import (
	"context"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// world is a small program: a manager of two partners, a second manager of
// a third, a distributor with a sub-partner, and an admin.
type world struct {
	svc                          *pipeline.Service
	events                       *recorder
	admin, mike, priya           sdk.Viewer
	sarah, carlos, dana, harbour sdk.Viewer
}

type recorder struct{ got []pipeline.Event }

func (r *recorder) Publish(_ context.Context, e pipeline.Event) { r.got = append(r.got, e) }

func newWorld(t testing.TB, db *bun.DB) *world {
	t.Helper()
	ctx := context.Background()
	d := directory.New(db)
	user := func(email string, role sdk.Role, partner *directory.Partner) sdk.Viewer {
		in := directory.UserInput{Email: email, Name: email, Role: role}
		if partner != nil {
			in.PartnerID = &partner.ID
		}
		u, err := d.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u.Viewer(partner)
	}
	partner := func(name, typ, tier string, manager sdk.Viewer, parent *int64) *directory.Partner {
		p, err := d.CreatePartner(ctx, directory.PartnerInput{Name: name, Type: typ, Tier: tier, Stage: "active", ManagerID: &manager.UserID, ParentID: parent})
		if err != nil {
			t.Fatal(err)
		}
		return &p
	}
	w := &world{events: &recorder{}}
	w.admin = user("admin@acme.example", sdk.RoleAdmin, nil)
	w.mike = user("mike@acme.example", sdk.RoleManager, nil)
	w.priya = user("priya@acme.example", sdk.RoleManager, nil)
	northwind := partner("Northwind", "referral", "silver", w.mike, nil)
	carlos := partner("Carlos & Co", "reseller", "gold", w.mike, nil)
	xyz := partner("XYZ", "distributor", "gold", w.priya, nil)
	harbour := partner("Harbour", "reseller", "silver", w.priya, &xyz.ID)
	w.sarah = user("sarah@northwind.example", sdk.RolePartnerAdmin, northwind)
	w.carlos = user("carlos@carlosco.example", sdk.RolePartnerAdmin, carlos)
	w.dana = user("dana@xyz.example", sdk.RolePartnerAdmin, xyz)
	w.harbour = user("hank@harbour.example", sdk.RolePartnerUser, harbour)
	w.svc = pipeline.New(db, d, pipeline.WithEvents(w.events))
	for _, r := range []pipeline.Rule{
		{PartnerType: "referral", FixedAmount: 50000, Currency: "USD"},
		{PartnerType: "reseller", BasisPoints: 1000, Currency: "USD"},
		{PartnerType: "reseller", Tier: "gold", BasisPoints: 1500, Currency: "USD"},
	} {
		if err := w.svc.SetRule(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func TestNormalisation(t *testing.T) {
	for in, want := range map[string]string{
		"https://WWW.Acme.com/about": "acme.com", "acme.com": "acme.com", "www.acme.com.": "acme.com", "localhost": "", "": "",
	} {
		if got := pipeline.DomainKey(in); got != want {
			t.Errorf("DomainKey(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Ann+crm@Acme.COM": "ann@acme.com", " bob@x.io ": "bob@x.io"} {
		if got := pipeline.EmailKey(in); got != want {
			t.Errorf("EmailKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMoney(t *testing.T) {
	for in, want := range map[string]int64{"1234.5": 123450, "$1,234.50": 123450, "25000": 2500000, "0.07": 7} {
		got, err := sp.ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "1.234", "abc", "-5", "1e5"} {
		if _, err := sp.ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
	if s := (sp.Money{Amount: 25000050, Currency: "USD"}).String(); s != "$250,000.50" {
		t.Errorf("format = %q", s)
	}
}

func TestLeadLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		// Field-level errors.
		_, err := w.svc.SubmitLead(ctx, w.sarah, sp.LeadInput{Company: " ", Email: "not-an-email", Website: "nope"})
		var fe *fail.Error
		if !asFail(err, &fe) || fe.Fields["company"] == "" || fe.Fields["email"] == "" || fe.Fields["contactName"] == "" || fe.Fields["website"] == "" {
			t.Fatalf("bad input: %v", err)
		}
		lead, err := w.svc.SubmitLead(ctx, w.sarah, sp.LeadInput{Company: "Globex", ContactName: "Hank", Email: "hank@globex.com", Website: "https://www.globex.com"})
		if err != nil {
			t.Fatal(err)
		}
		if lead.Status != sp.LeadNew || lead.ExpectedCommission.Amount != 50000 || lead.UnderReview {
			t.Fatalf("lead = %+v", lead)
		}
		// Partners cannot move leads; managers move them forward only.
		if _, err := w.svc.SetLeadStatus(ctx, w.sarah, sp.StatusChange{ID: lead.ID, Status: sp.LeadQualified}); fail.CodeOf(err) != fail.Forbidden {
			t.Errorf("partner moved a lead: %v", err)
		}
		if _, err := w.svc.SetLeadStatus(ctx, w.priya, sp.StatusChange{ID: lead.ID, Status: sp.LeadQualified}); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("other manager moved a lead: %v", err)
		}
		if _, err := w.svc.SetLeadStatus(ctx, w.mike, sp.StatusChange{ID: lead.ID, Status: sp.LeadDemo, Comment: "Demo booked"}); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.SetLeadStatus(ctx, w.mike, sp.StatusChange{ID: lead.ID, Status: sp.LeadNew})
		if fail.CodeOf(err) != fail.Invalid {
			t.Errorf("backwards move: %v", err)
		}
		if _, err := w.svc.SetLeadStatus(ctx, w.mike, sp.StatusChange{ID: lead.ID, Status: sp.LeadWon}); err != nil {
			t.Fatal(err)
		}
		d, err := w.svc.GetLead(ctx, w.sarah, lead.ID)
		if err != nil || len(d.History) != 3 || d.History[1].Comment != "Demo booked" || d.History[2].To != sp.LeadWon {
			t.Fatalf("history = %+v, %v", d.History, err)
		}
		// A referral lead closed won earns its fixed commission.
		cp, err := w.svc.ListCommissions(ctx, w.sarah, sp.CommissionQuery{})
		if err != nil || cp.Total != 1 || cp.Items[0].Amount.Amount != 50000 || cp.Items[0].Status != sp.CommissionPending {
			t.Fatalf("commissions = %+v, %v", cp, err)
		}
		if _, err := w.svc.SetCommissionStatus(ctx, w.mike, sp.CommissionChange{ID: cp.Items[0].ID, Status: sp.CommissionPaid}); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("paid before approval: %v", err)
		}
		if _, err := w.svc.SetCommissionStatus(ctx, w.mike, sp.CommissionChange{ID: cp.Items[0].ID, Status: sp.CommissionApproved}); err != nil {
			t.Fatal(err)
		}
		paid, err := w.svc.SetCommissionStatus(ctx, w.mike, sp.CommissionChange{ID: cp.Items[0].ID, Status: sp.CommissionPaid, Reference: "PAY-1", PayoutDate: "2026-12-01"})
		if err != nil || paid.Reference != "PAY-1" || paid.PayoutDate == nil {
			t.Fatalf("paid = %+v, %v", paid, err)
		}
		corr, err := w.svc.CorrectCommission(ctx, w.mike, sp.Correction{ID: paid.ID, Amount: sp.Money{Amount: -5000}, Reason: "discount"})
		if err != nil || corr.CorrectsID != paid.ID || corr.Amount.Amount != -5000 {
			t.Fatalf("correction = %+v, %v", corr, err)
		}
		ov, err := w.svc.Overview(ctx, w.sarah, sp.OverviewQuery{})
		if err != nil || ov.LeadsTotal != 1 || ov.CommissionPaid.Amount != 50000 || ov.CommissionPending.Amount != -5000 || len(ov.Activity) == 0 {
			t.Fatalf("overview = %+v, %v", ov, err)
		}
		if len(w.events.got) < 3 {
			t.Errorf("events = %v", w.events.got)
		}
	})
}

func asFail(err error, fe **fail.Error) bool {
	e, ok := err.(*fail.Error)
	*fe = e
	return ok
}

func TestConflictDetection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		first, err := w.svc.SubmitLead(ctx, w.sarah, sp.LeadInput{Company: "Initech", ContactName: "Bill", Email: "Bill+crm@Initech.com"})
		if err != nil {
			t.Fatal(err)
		}
		// The same partner resubmitting is not a conflict.
		if own, _ := w.svc.SubmitLead(ctx, w.sarah, sp.LeadInput{Company: "Initech", ContactName: "Bill", Email: "bill@initech.com"}); own.UnderReview {
			t.Error("own duplicate flagged as a conflict")
		}
		// The same company from another partner, by domain: flagged.
		second, err := w.svc.SubmitLead(ctx, w.carlos, sp.LeadInput{Company: "Initech Inc", ContactName: "Peter", Email: "peter@other.io", Website: "https://WWW.initech.com"})
		if err != nil || !second.UnderReview {
			t.Fatalf("second = %+v, %v", second, err)
		}
		// The partner sees only "under review"; the manager sees both.
		pd, err := w.svc.GetLead(ctx, w.carlos, second.ID)
		if err != nil || pd.Conflict != nil {
			t.Fatalf("partner view leaks conflict: %+v", pd.Conflict)
		}
		md, err := w.svc.GetLead(ctx, w.mike, second.ID)
		if err != nil || md.Conflict == nil || md.Conflict.ID != first.ID || !md.Conflict.FirstIsOther {
			t.Fatalf("manager view: %+v, %v", md.Conflict, err)
		}
		// A free-mail contact matches only by exact (normalised) address.
		a, _ := w.svc.SubmitLead(ctx, w.sarah, sp.LeadInput{Company: "Solo", ContactName: "Jo", Email: "jo@gmail.com"})
		b, _ := w.svc.SubmitLead(ctx, w.carlos, sp.LeadInput{Company: "Other", ContactName: "Al", Email: "al@gmail.com"})
		c, _ := w.svc.SubmitLead(ctx, w.carlos, sp.LeadInput{Company: "Solo", ContactName: "Jo", Email: "Jo+x@gmail.com"})
		if a.UnderReview || b.UnderReview || !c.UnderReview {
			t.Errorf("free mail: %v %v %v", a.UnderReview, b.UnderReview, c.UnderReview)
		}
		if err := w.svc.ResolveReview(ctx, w.mike, second.ID, "Carlos has the relationship"); err != nil {
			t.Fatal(err)
		}
		if d, _ := w.svc.GetLead(ctx, w.carlos, second.ID); d.Lead.UnderReview {
			t.Error("review not resolved")
		}
	})
}

// TestConflictLookupFails: a lead flagged against a deal whose lookup fails
// answers an error, never a lead that looks free of conflict.
func TestConflictLookupFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		if _, err := w.svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: "Umbrella rollout", Company: "Umbrella", Website: "umbrella.com",
			Value: sp.Money{Amount: 100}, ExpectedClose: "2026-12-31"}); err != nil {
			t.Fatal(err)
		}
		lead, err := w.svc.SubmitLead(ctx, w.sarah, sp.LeadInput{Company: "Umbrella", ContactName: "Al", Email: "al@umbrella.com"})
		if err != nil || !lead.UnderReview {
			t.Fatalf("lead = %+v, %v", lead, err)
		}
		if d, err := w.svc.GetLead(ctx, w.mike, lead.ID); err != nil || d.Conflict == nil || d.Conflict.Kind != "deal" {
			t.Fatalf("manager view: %+v, %v", d.Conflict, err)
		}
		if _, err := db.ExecContext(ctx, "ALTER TABLE pipeline_deals RENAME TO pipeline_deals_away"); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.GetLead(ctx, w.mike, lead.ID)
		if _, rerr := db.ExecContext(ctx, "ALTER TABLE pipeline_deals_away RENAME TO pipeline_deals"); rerr != nil {
			t.Fatal(rerr)
		}
		if err == nil {
			t.Fatal("the conflict lookup failed and the lead was shown without its conflict")
		}
	})
}

func TestDeals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		if _, err := w.svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: "", Company: "Umbrella", ExpectedClose: "31/12/2026"}); fail.CodeOf(err) != fail.Invalid {
			t.Fatalf("bad deal accepted: %v", err)
		}
		d, err := w.svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: "Umbrella rollout", Company: "Umbrella", Value: sp.Money{Amount: 10000000}, ExpectedClose: "2026-12-31", Notes: "Met at the expo"})
		if err != nil || d.Registration != sp.RegistrationPending || d.ExpectedCommission.Amount != 1500000 {
			t.Fatalf("deal = %+v, %v", d, err)
		}
		if _, err := w.svc.SetDealStage(ctx, w.mike, sp.StageChange{ID: d.ID, Stage: "negotiation"}); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("moved before approval: %v", err)
		}
		if _, err := w.svc.ReviewDeal(ctx, w.mike, sp.Review{ID: d.ID}); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("rejected without reason: %v", err)
		}
		ap, err := w.svc.ReviewDeal(ctx, w.mike, sp.Review{ID: d.ID, Approve: true})
		if err != nil || ap.ProtectedUntil == nil {
			t.Fatalf("approve: %+v, %v", ap, err)
		}
		if _, err := w.svc.AddDealNote(ctx, w.carlos, sp.NoteInput{DealID: d.ID, Body: "Legal is reviewing"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.AddDealNote(ctx, w.sarah, sp.NoteInput{DealID: d.ID, Body: "x"}); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("other partner added a note: %v", err)
		}
		if _, err := w.svc.SetDealStage(ctx, w.mike, sp.StageChange{ID: d.ID, Stage: sp.StageWon}); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("won without reason: %v", err)
		}
		if _, err := w.svc.SetDealStage(ctx, w.mike, sp.StageChange{ID: d.ID, Stage: sp.StageWon, Reason: "Best fit"}); err != nil {
			t.Fatal(err)
		}
		cp, _ := w.svc.ListCommissions(ctx, w.carlos, sp.CommissionQuery{})
		if cp.Total != 1 || cp.Items[0].Amount.Amount != 1500000 {
			t.Fatalf("commission = %+v", cp)
		}
		det, err := w.svc.GetDeal(ctx, w.carlos, d.ID)
		if err != nil || len(det.Notes) != 2 || len(det.History) != 3 {
			t.Fatalf("detail = %+v, %v", det, err)
		}
		// Converting a lead makes an approved deal and moves the lead.
		lead, _ := w.svc.SubmitLead(ctx, w.carlos, sp.LeadInput{Company: "Hooli", ContactName: "Gavin", Email: "gavin@hooli.com"})
		deal, err := w.svc.ConvertLead(ctx, w.mike, sp.Convert{ID: lead.ID, Value: sp.Money{Amount: 5000000}})
		if err != nil || deal.LeadID != lead.ID {
			t.Fatalf("convert: %+v, %v", deal, err)
		}
		if ld, _ := w.svc.GetLead(ctx, w.carlos, lead.ID); ld.Lead.Status != sp.LeadProposal || ld.Lead.DealID != deal.ID {
			t.Errorf("lead after convert: %+v", ld.Lead)
		}
		page, err := w.svc.ListDeals(ctx, w.carlos, sp.DealQuery{Open: true})
		if err != nil || page.Total != 1 {
			t.Fatalf("open deals: %+v, %v", page, err)
		}
	})
}

// TestReach: every role of one partner tries another partner's records by
// id, by listing, by search and by action; nothing leaks and the answer is
// the same as for a record that does not exist.
func TestReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		lead, _ := w.svc.SubmitLead(ctx, w.carlos, sp.LeadInput{Company: "Secret Corp", ContactName: "S", Email: "s@secret.com"})
		deal, _ := w.svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: "Secret deal", Company: "Secret Corp", Value: sp.Money{Amount: 100}})
		sub, _ := w.svc.SubmitLead(ctx, w.harbour, sp.LeadInput{Company: "Sub lead", ContactName: "S", Email: "s@sub.com"})
		cases := []struct {
			name   string
			v      sdk.Viewer
			id     int64
			reads  bool
			writes bool
		}{
			{"other partner", w.sarah, lead.ID, false, false},
			{"distributor, unrelated partner", w.dana, lead.ID, false, false},
			{"other manager", w.priya, lead.ID, false, false},
			{"sub-partner up to distributor", w.harbour, lead.ID, false, false},
			{"distributor reads its sub-partner", w.dana, sub.ID, true, false},
			{"manager", w.mike, lead.ID, true, true},
			{"admin", w.admin, lead.ID, true, true},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := w.svc.GetLead(ctx, c.v, c.id)
				if (err == nil) != c.reads || (err != nil && fail.CodeOf(err) != fail.NotFound) {
					t.Errorf("get lead: %v", err)
				}
				page, err := w.svc.ListLeads(ctx, c.v, sp.LeadQuery{Search: "Secret"})
				if err != nil {
					t.Fatal(err)
				}
				if found := page.Total > 0; found != (c.reads && c.id == lead.ID) {
					t.Errorf("search found %d", page.Total)
				}
				if !c.reads {
					if _, err := w.svc.GetDeal(ctx, c.v, deal.ID); fail.CodeOf(err) != fail.NotFound {
						t.Errorf("get deal: %v", err)
					}
					if _, err := w.svc.AddDealNote(ctx, c.v, sp.NoteInput{DealID: deal.ID, Body: "x"}); fail.CodeOf(err) != fail.NotFound {
						t.Errorf("note: %v", err)
					}
					if _, err := w.svc.SetLeadStatus(ctx, c.v, sp.StatusChange{ID: c.id, Status: sp.LeadQualified}); fail.CodeOf(err) != fail.NotFound {
						t.Errorf("status: %v", err)
					}
					if _, err := w.svc.Overview(ctx, c.v, sp.OverviewQuery{PartnerID: lead.PartnerID}); err != nil {
						t.Error(err)
					}
				}
				if !c.writes {
					if _, err := w.svc.ReviewDeal(ctx, c.v, sp.Review{ID: deal.ID, Reason: "no"}); err == nil {
						t.Error("review allowed")
					}
				}
			})
		}
		if _, err := w.svc.ReviewDeal(ctx, w.mike, sp.Review{ID: deal.ID, Reason: "no"}); err != nil {
			t.Errorf("manager review: %v", err)
		}
		// The other manager's Overview of a partner they do not manage is empty.
		ov, _ := w.svc.Overview(ctx, w.priya, sp.OverviewQuery{PartnerID: lead.PartnerID})
		if ov.LeadsTotal != 0 {
			t.Errorf("other manager overview: %+v", ov)
		}
	})
}

// TestConfig: the program renames and adds deal stages and requires a lead
// field of its own; the closing stages must stay last.
func TestConfig(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		cfg := pipeline.DefaultConfig()
		if err := w.svc.SetConfig(ctx, sp.Config{DealStages: cfg.DealStages[:3]}); err == nil {
			t.Error("stages without the closing two accepted")
		}
		cfg.DealStages = append([]sp.Stage{{Key: "discovery", Label: "Discovery call"}}, cfg.DealStages...)
		cfg.LeadFields = []sp.LeadField{{Name: "region", Label: "Region", Required: true, Options: []string{"EMEA", "AMER"}}}
		if err := w.svc.SetConfig(ctx, cfg); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.SubmitLead(ctx, w.sarah, sp.LeadInput{Company: "A", ContactName: "B", Email: "b@a.example", Extra: map[string]string{"region": "Mars"}})
		if fe, ok := err.(*fail.Error); !ok || fe.Fields["region"] == "" {
			t.Fatalf("bad option: %v", err)
		}
		l, err := w.svc.SubmitLead(ctx, w.sarah, sp.LeadInput{Company: "A", ContactName: "B", Email: "b@a.example", Extra: map[string]string{"region": "EMEA"}})
		if err != nil || l.Extra["region"] != "EMEA" {
			t.Fatalf("lead %+v, %v", l, err)
		}
		d, err := w.svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: "N", Company: "C", Value: sp.Money{Amount: 100}})
		if err != nil || d.Stage != "discovery" {
			t.Fatalf("deal %+v, %v", d, err)
		}
	})
}
