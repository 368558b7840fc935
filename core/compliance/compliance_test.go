package compliance_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/compliance"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/uptrace/bun"
)

// world is a vendor with two distributor networks. Mike manages XYZ
// Distribution and its sub-partners Harbor IT, Summit Systems and Lakeside
// Tech; Nina manages Delta Supply and its sub-partner Dune Data. Dana
// administers XYZ, Hank Harbor IT (Hugo is a plain user there), Sue
// Summit Systems, Otto Delta Supply and Dora Dune Data.
type world struct {
	db     *bun.DB
	svc    *compliance.Service
	files  *files.Service
	notify *notify.Service
	dir    *directory.Directory
	clock  *time.Time

	admin, mike, nina, dana, hank, hugo, sue, otto, dora sdk.Viewer
	xyz, harbor, summit, lakeside, delta, dune           directory.Partner
}

func newWorld(t *testing.T, db *bun.DB) *world {
	t.Helper()
	ctx := context.Background()
	dir := directory.New(db)
	user := func(email, name string, role sdk.Role, p *directory.Partner) sdk.Viewer {
		in := directory.UserInput{Email: email, Name: name, Role: role}
		if p != nil {
			in.PartnerID = &p.ID
			in.ContactRole = "executive"
		}
		u, err := dir.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u.Viewer(p)
	}
	partner := func(name, typ string, manager int64, parent *directory.Partner) directory.Partner {
		in := directory.PartnerInput{Name: name, Type: typ, Tier: "gold", Stage: "active", ManagerID: &manager}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		p, err := dir.CreatePartner(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w := &world{db: db, dir: dir}
	w.admin = user("admin@vendor.test", "Ada Admin", sdk.RoleAdmin, nil)
	w.mike = user("mike@vendor.test", "Mike Chen", sdk.RoleManager, nil)
	w.nina = user("nina@vendor.test", "Nina Park", sdk.RoleManager, nil)
	w.xyz = partner("XYZ Distribution", "distributor", w.mike.UserID, nil)
	w.harbor = partner("Harbor IT", "reseller", w.mike.UserID, &w.xyz)
	w.summit = partner("Summit Systems", "reseller", w.mike.UserID, &w.xyz)
	w.lakeside = partner("Lakeside Tech", "reseller", w.mike.UserID, &w.xyz)
	w.delta = partner("Delta Supply", "distributor", w.nina.UserID, nil)
	w.dune = partner("Dune Data", "reseller", w.nina.UserID, &w.delta)
	w.dana = user("dana@xyz.test", "Dana Okafor", sdk.RolePartnerAdmin, &w.xyz)
	w.hank = user("hank@harbor.test", "Hank Hill", sdk.RolePartnerAdmin, &w.harbor)
	w.hugo = user("hugo@harbor.test", "Hugo Ruiz", sdk.RolePartnerUser, &w.harbor)
	w.sue = user("sue@summit.test", "Sue Storm", sdk.RolePartnerAdmin, &w.summit)
	w.otto = user("otto@delta.test", "Otto Berg", sdk.RolePartnerAdmin, &w.delta)
	w.dora = user("dora@dune.test", "Dora Diaz", sdk.RolePartnerAdmin, &w.dune)
	blobs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	w.clock = &now
	clock := func() time.Time { return *w.clock }
	w.files = files.New(db, blobs, files.Options{Now: clock})
	w.notify = notify.New(db, notify.WithClock(clock))
	w.svc = compliance.New(db, dir, reach.New(db), compliance.Options{Files: w.files, Notify: w.notify, Now: clock})
	return w
}

func code(err error) fail.Code { return fail.CodeOf(err) }

func field(err error, name string) string {
	if fe := fail.As(err); fe != nil {
		return fe.Fields[name]
	}
	return ""
}

func pdf(name string) files.Upload {
	return files.Upload{Name: name, Body: bytes.NewReader([]byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))}
}

// stage uploads a PDF as v and returns its token.
func (w *world) stage(t *testing.T, v sdk.Viewer, name string) string {
	t.Helper()
	tok, _, err := w.files.Stage(context.Background(), v.UserID, pdf(name))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// notes lists the kinds and titles of a person's notifications, newest first.
func (w *world) notes(t *testing.T, v sdk.Viewer) []string {
	t.Helper()
	page, err := w.notify.List(context.Background(), v.UserID, notify.ListOptions{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range page.Items {
		out = append(out, it.Kind+": "+it.Title)
	}
	return out
}

// requirements sets up the program's three requirements: a signed
// agreement due on 2026-12-31, an insurance certificate valid 12 months,
// and a certification held for 24 months, all for resellers.
func (w *world) requirements(t *testing.T) (agreement, insurance, cert sc.Requirement) {
	t.Helper()
	ctx := context.Background()
	save := func(in compliance.RequirementInput) sc.Requirement {
		r, err := w.svc.SaveRequirement(ctx, w.admin, 0, in)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	agreement = save(compliance.RequirementInput{Name: "Signed reseller agreement", Kind: sc.Document, PartnerTypes: []string{"reseller"}, Due: "2026-12-31"})
	insurance = save(compliance.RequirementInput{Name: "Insurance certificate", Kind: sc.Document, PartnerTypes: []string{"reseller"}, ValidityMonths: 12})
	cert = save(compliance.RequirementInput{Name: "Certified engineer", Kind: sc.Certification, PartnerTypes: []string{"reseller"},
		ValidityMonths: 24, CertBlockKey: "training/certification", CertTaskID: "exam"})
	return
}

func itemOf(t *testing.T, page sc.ItemPage, partnerID, reqID int64) sc.Item {
	t.Helper()
	for _, it := range page.Items {
		if it.PartnerID == partnerID && it.RequirementID == reqID {
			return it
		}
	}
	t.Fatalf("no item of partner %d for requirement %d in %+v", partnerID, reqID, page.Items)
	return sc.Item{}
}

// TestRequirementRules: only administrators set requirements, and what
// they give is checked field by field.
func TestRequirementRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		cases := []struct {
			name  string
			who   sdk.Viewer
			in    compliance.RequirementInput
			code  fail.Code
			field string
		}{
			{"a manager", w.mike, compliance.RequirementInput{Name: "NDA", Kind: sc.Document}, fail.Forbidden, ""},
			{"a partner", w.dana, compliance.RequirementInput{Name: "NDA", Kind: sc.Document}, fail.Forbidden, ""},
			{"no name", w.admin, compliance.RequirementInput{Name: "  ", Kind: sc.Document}, fail.Invalid, "name"},
			{"an unknown kind", w.admin, compliance.RequirementInput{Name: "NDA", Kind: "poem"}, fail.Invalid, "kind"},
			{"an unknown type", w.admin, compliance.RequirementInput{Name: "NDA", Kind: sc.Document, PartnerTypes: []string{"pirate"}}, fail.Invalid, "partnerTypes"},
			{"a bad date", w.admin, compliance.RequirementInput{Name: "NDA", Kind: sc.Document, Due: "31/12/2026"}, fail.Invalid, "due"},
			{"too long valid", w.admin, compliance.RequirementInput{Name: "NDA", Kind: sc.Document, ValidityMonths: 500}, fail.Invalid, "validityMonths"},
			{"a certification without task", w.admin, compliance.RequirementInput{Name: "Cert", Kind: sc.Certification, CertBlockKey: "a/b"}, fail.Invalid, "certTaskId"},
		}
		for _, c := range cases {
			_, err := w.svc.SaveRequirement(ctx, c.who, 0, c.in)
			if code(err) != c.code || (c.field != "" && field(err, c.field) == "") {
				t.Errorf("%s: err = %v, want %s on %q", c.name, err, c.code, c.field)
			}
		}
		r, err := w.svc.SaveRequirement(ctx, w.admin, 0, compliance.RequirementInput{Name: " NDA ", Kind: sc.Document, PartnerTypes: []string{"reseller", "reseller"}})
		if err != nil || r.Name != "NDA" || !slices.Equal(r.PartnerTypes, []string{"reseller"}) {
			t.Fatalf("saved %+v, %v", r, err)
		}
		if _, err := w.svc.SaveRequirement(ctx, w.admin, r.ID+100, compliance.RequirementInput{Name: "X", Kind: sc.Document}); code(err) != fail.NotFound {
			t.Errorf("unknown id: %v", err)
		}
		r, err = w.svc.SaveRequirement(ctx, w.admin, r.ID, compliance.RequirementInput{Name: "NDA", Kind: sc.Document, Archived: true})
		if err != nil || !r.Archived {
			t.Fatalf("archived %+v, %v", r, err)
		}
		page, err := w.svc.List(ctx, w.hank, sc.ItemQuery{})
		if err != nil || page.Total != 0 {
			t.Errorf("an archived requirement asks nothing: %+v, %v", page, err)
		}
	})
}

// TestEvidenceStory plays Hank handing in Harbor IT's agreement, Dana (its
// distributor) rejecting it with a reason, Hank uploading a new version and
// Dana accepting it; nobody outside the network sees or reviews it.
func TestEvidenceStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		agreement, insurance, cert := w.requirements(t)

		page, err := w.svc.List(ctx, w.hank, sc.ItemQuery{})
		if err != nil || page.Total != 3 {
			t.Fatalf("Hank's items = %+v, %v", page, err)
		}
		if it := itemOf(t, page, w.harbor.ID, agreement.ID); it.Status != sc.Missing || it.Due != "2026-12-31" || !it.CanSubmit || it.CanReview {
			t.Errorf("agreement before = %+v", it)
		}
		// Hugo is no administrator; Dana cannot hand in for Harbor IT; Sue
		// and Otto do not see Harbor IT at all.
		refusals := []struct {
			who  sdk.Viewer
			code fail.Code
		}{{w.hugo, fail.Forbidden}, {w.dana, fail.Forbidden}, {w.sue, fail.NotFound}, {w.otto, fail.NotFound}, {w.nina, fail.NotFound}}
		for _, r := range refusals {
			_, err := w.svc.Submit(ctx, r.who, sc.Submission{RequirementID: agreement.ID, PartnerID: w.harbor.ID, Upload: w.stage(t, r.who, "a.pdf")})
			if code(err) != r.code {
				t.Errorf("%s submits for Harbor IT: %v, want %s", r.who.Name, err, r.code)
			}
		}
		if _, err := w.svc.Submit(ctx, w.hank, sc.Submission{RequirementID: cert.ID, Upload: w.stage(t, w.hank, "c.pdf")}); code(err) != fail.Invalid {
			t.Errorf("uploading for a certification: %v", err)
		}
		if _, err := w.svc.Submit(ctx, w.hank, sc.Submission{RequirementID: agreement.ID}); field(err, "upload") == "" {
			t.Errorf("no file: %v", err)
		}
		it, err := w.svc.Submit(ctx, w.hank, sc.Submission{RequirementID: agreement.ID, Upload: w.stage(t, w.hank, "Agreement.pdf")})
		if err != nil || it.Status != sc.Submitted || it.Version != 1 || it.FileName != "Agreement.pdf" || it.SubmittedBy.Name != "Hank Hill" {
			t.Fatalf("submitted %+v, %v", it, err)
		}
		// Dana and Mike hear of it; Otto does not.
		if got := w.notes(t, w.dana); len(got) != 1 || got[0] != "compliance.submitted: To review: Signed reseller agreement of Harbor IT" {
			t.Errorf("Dana's notifications = %v", got)
		}
		if len(w.notes(t, w.mike)) != 1 || len(w.notes(t, w.otto)) != 0 {
			t.Errorf("Mike's %v, Otto's %v", w.notes(t, w.mike), w.notes(t, w.otto))
		}
		// Who downloads the evidence: Harbor IT's people, its distributor's,
		// the staff who reach it.
		for _, c := range []struct {
			who  sdk.Viewer
			want bool
		}{{w.hank, true}, {w.hugo, true}, {w.dana, true}, {w.mike, true}, {w.admin, true}, {w.sue, false}, {w.otto, false}, {w.dora, false}, {w.nina, false}} {
			if ok, err := w.svc.CanSeeEvidence(ctx, c.who, it.FileID); ok != c.want || err != nil {
				t.Errorf("%s sees the evidence: %v, %v; want %v", c.who.Name, ok, err, c.want)
			}
		}
		// Reviews: Hank cannot review his own; Otto and Nina do not see it.
		for _, c := range []struct {
			who  sdk.Viewer
			code fail.Code
		}{{w.hank, fail.Forbidden}, {w.hugo, fail.Forbidden}, {w.sue, fail.NotFound}, {w.otto, fail.NotFound}, {w.nina, fail.NotFound}} {
			if _, err := w.svc.Review(ctx, c.who, sc.Review{ItemID: it.ID, Decision: sc.Accept}); code(err) != c.code {
				t.Errorf("%s reviews: %v, want %s", c.who.Name, err, c.code)
			}
		}
		if _, err := w.svc.Review(ctx, w.dana, sc.Review{ItemID: it.ID, Decision: sc.Reject}); field(err, "reason") == "" {
			t.Errorf("rejecting without a reason: %v", err)
		}
		it, err = w.svc.Review(ctx, w.dana, sc.Review{ItemID: it.ID, Decision: sc.Reject, Reason: "The second page is not signed."})
		if err != nil || it.Status != sc.Rejected || it.Reason != "The second page is not signed." || it.ReviewedBy.Name != "Dana Okafor" {
			t.Fatalf("rejected %+v, %v", it, err)
		}
		if got := w.notes(t, w.hank); len(got) != 1 || got[0] != "compliance.reviewed: Rejected: Signed reseller agreement" {
			t.Errorf("Hank's notifications = %v", got)
		}
		if _, err := w.svc.Review(ctx, w.dana, sc.Review{ItemID: it.ID, Decision: sc.Accept}); code(err) != fail.Conflict {
			t.Errorf("reviewing twice: %v", err)
		}
		it, err = w.svc.Submit(ctx, w.hank, sc.Submission{RequirementID: agreement.ID, Upload: w.stage(t, w.hank, "Agreement signed.pdf")})
		if err != nil || it.Status != sc.Submitted || it.Version != 2 || it.Reason != "" || it.FileName != "Agreement signed.pdf" {
			t.Fatalf("second version %+v, %v", it, err)
		}
		it, err = w.svc.Review(ctx, w.dana, sc.Review{ItemID: it.ID, Decision: sc.Accept})
		if err != nil || it.Status != sc.Accepted || it.Expires != "" {
			t.Fatalf("accepted %+v, %v", it, err)
		}
		// Mike accepts the insurance certificate: valid 12 months from today.
		ins, err := w.svc.Submit(ctx, w.hank, sc.Submission{RequirementID: insurance.ID, Upload: w.stage(t, w.hank, "Insurance.pdf")})
		if err != nil {
			t.Fatal(err)
		}
		if ins, err = w.svc.Review(ctx, w.mike, sc.Review{ItemID: ins.ID, Decision: sc.Accept}); err != nil || ins.Expires != "2027-12-07" {
			t.Fatalf("insurance accepted %+v, %v", ins, err)
		}
		// Hugo passes the exam: the certification holds for 24 months.
		done := map[string]any{"partner_id": w.harbor.ID, "user_id": w.hugo.UserID, "block_key": "training/certification", "task_id": "exam",
			"completed_by": w.hugo.UserID, "completed_at": time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
		if _, err := db.NewInsert().Model(&done).TableExpr("task_completions").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		page, err = w.svc.List(ctx, w.dana, sc.ItemQuery{PartnerID: w.harbor.ID})
		if err != nil || page.Total != 3 {
			t.Fatalf("Dana's view of Harbor IT = %+v, %v", page, err)
		}
		if c := itemOf(t, page, w.harbor.ID, cert.ID); c.Status != sc.Accepted || c.Expires != "2028-06-01" || c.CanSubmit {
			t.Errorf("certification = %+v", c)
		}
		// Dana sees her whole network; Sue only Summit Systems; Otto
		// nothing of XYZ's; Nina nothing of Mike's partners.
		for _, c := range []struct {
			who   sdk.Viewer
			total int
		}{{w.dana, 9}, {w.sue, 3}, {w.hank, 3}, {w.otto, 3}, {w.mike, 9}, {w.nina, 3}, {w.admin, 12}} {
			page, err := w.svc.List(ctx, c.who, sc.ItemQuery{})
			if err != nil || page.Total != c.total {
				t.Errorf("%s sees %d items (%v), want %d", c.who.Name, page.Total, err, c.total)
			}
		}
		if page, err := w.svc.List(ctx, w.sue, sc.ItemQuery{PartnerID: w.harbor.ID}); err != nil || page.Total != 0 {
			t.Errorf("Sue asks for Harbor IT: %+v, %v", page, err)
		}
	})
}

// TestStatusAndReminders: Status summarises each partner; reminders go out
// 30 and 7 days ahead and when overdue, each once, however often the sweep
// runs.
func TestStatusAndReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		agreement, insurance, _ := w.requirements(t)
		// Harbor IT: insurance accepted, stating it expires 2027-01-02
		// (26 days ahead). Summit Systems: agreement handed in, waiting.
		ins, err := w.svc.Submit(ctx, w.hank, sc.Submission{RequirementID: insurance.ID, Upload: w.stage(t, w.hank, "Insurance.pdf"), Expires: "2027-01-02"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Review(ctx, w.dana, sc.Review{ItemID: ins.ID, Decision: sc.Accept}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Submit(ctx, w.sue, sc.Submission{RequirementID: agreement.ID, Upload: w.stage(t, w.sue, "Agreement.pdf")}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Submit(ctx, w.sue, sc.Submission{RequirementID: insurance.ID, Upload: w.stage(t, w.sue, "Old.pdf"), Expires: "2026-01-01"}); field(err, "expires") == "" {
			t.Errorf("an expired document: %v", err)
		}
		sum, err := w.svc.Status(ctx, []int64{w.harbor.ID, w.summit.ID, w.xyz.ID, 999999})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]sc.Summary{
			w.harbor.ID: {Total: 3, Accepted: 1, Expiring: 1, NextExpiry: "2027-01-02"},
			w.summit.ID: {Total: 3, Submitted: 1},
			w.xyz.ID:    {},
		}
		if len(sum) != len(want) {
			t.Errorf("status of %d partners, want %d: %+v", len(sum), len(want), sum)
		}
		for id, s := range want {
			if sum[id] != s {
				t.Errorf("status of %d = %+v, want %+v", id, sum[id], s)
			}
		}
		run := func() int {
			n, err := w.svc.Remind(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Today (2026-12-07): Harbor's insurance expires in 26 days and the
		// agreement of Harbor, Lakeside and Dune is due in 24 (Summit's
		// waits for review): three 30-day reminders, once (Lakeside has
		// nobody to tell yet).
		if n := run(); n != 3 {
			t.Errorf("first sweep sent %d, want 3", n)
		}
		if n := run(); n != 0 {
			t.Errorf("second sweep sent %d, want 0", n)
		}
		if got := w.notes(t, w.hank); !slices.Contains(got, "compliance.expiring: Expires on 2 Jan 2027: Insurance certificate") ||
			!slices.Contains(got, "compliance.expiring: Due on 31 Dec 2026: Signed reseller agreement") {
			t.Errorf("Hank's notifications = %v", got)
		}
		// A week before the agreement's date: 7-day reminders.
		*w.clock = time.Date(2026, 12, 26, 9, 0, 0, 0, time.UTC)
		if n := run(); n != 3 {
			t.Errorf("the 7-day sweep sent %d, want 3", n)
		}
		// Past the date: overdue, and the distributor hears of it too
		// (Lakeside's goes to Dana).
		*w.clock = time.Date(2027, 1, 3, 9, 0, 0, 0, time.UTC)
		if n := run(); n != 4 {
			t.Errorf("the overdue sweep sent %d, want 3", n)
		}
		if n := run(); n != 0 {
			t.Errorf("sweeping again sent %d", n)
		}
		got := w.notes(t, w.dana)
		if !slices.Contains(got, "compliance.overdue: Expired: Insurance certificate") || !slices.Contains(got, "compliance.overdue: Overdue: Signed reseller agreement") {
			t.Errorf("Dana's notifications = %v", got)
		}
		// Delta's network hears of Dune's agreement alone: Otto once, when
		// overdue; Dora at 30 days, 7 days and overdue.
		if got := w.notes(t, w.otto); len(got) != 1 || len(w.notes(t, w.dora)) != 3 {
			t.Errorf("Otto's %v, Dora's %v", got, w.notes(t, w.dora))
		}
		sum, err = w.svc.Status(ctx, []int64{w.harbor.ID})
		if err != nil || sum[w.harbor.ID].Overdue != 2 {
			t.Errorf("Harbor IT after the dates: %+v, %v", sum, err)
		}
	})
}

// TestShares plays Dana sharing a deck with two of her three
// sub-partners; Hank downloads it and Dana sees who did.
func TestShares(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		deck := func(v sdk.Viewer) string { return w.stage(t, v, "Training deck.pdf") }
		for _, c := range []struct {
			name  string
			who   sdk.Viewer
			in    sc.NewShare
			code  fail.Code
			field string
		}{
			{"a sub-partner", w.hank, sc.NewShare{Upload: deck(w.hank), Everyone: true}, fail.Forbidden, ""},
			{"a manager", w.mike, sc.NewShare{Upload: deck(w.mike), Everyone: true}, fail.Forbidden, ""},
			{"another network's partner", w.dana, sc.NewShare{Upload: deck(w.dana), PartnerIDs: []int64{w.dune.ID}}, fail.Invalid, "partnerIds"},
			{"nobody", w.dana, sc.NewShare{Upload: deck(w.dana)}, fail.Invalid, "partnerIds"},
			{"nothing", w.dana, sc.NewShare{Everyone: true}, fail.Invalid, "resourceId"},
			{"no resources", w.dana, sc.NewShare{ResourceID: 1, Everyone: true}, fail.NotFound, ""},
		} {
			if _, err := w.svc.CreateShare(ctx, c.who, c.in); code(err) != c.code || (c.field != "" && field(err, c.field) == "") {
				t.Errorf("%s: %v, want %s on %q", c.name, err, c.code, c.field)
			}
		}
		sh, err := w.svc.CreateShare(ctx, w.dana, sc.NewShare{Upload: deck(w.dana), Title: "New training deck", PartnerIDs: []int64{w.harbor.ID, w.summit.ID}})
		if err != nil || sh.Title != "New training deck" || len(sh.Recipients) != 2 || sh.Recipients[0].Name != "Harbor IT" || sh.Downloads != 0 {
			t.Fatalf("shared %+v, %v", sh, err)
		}
		if got := w.notes(t, w.hugo); len(got) != 1 || got[0] != "compliance.shared: XYZ Distribution shared New training deck" {
			t.Errorf("Hugo's notifications = %v", got)
		}
		if len(w.notes(t, w.dora)) != 0 {
			t.Errorf("Dora heard of it: %v", w.notes(t, w.dora))
		}
		// Who sees it: Harbor IT and Summit Systems, from XYZ; not
		// Lakeside Tech, not Delta's network.
		for _, c := range []struct {
			who  sdk.Viewer
			want bool
		}{{w.hank, true}, {w.hugo, true}, {w.sue, true}, {w.dora, false}, {w.otto, false}, {w.mike, false}} {
			got, err := w.svc.Shared(ctx, c.who)
			if err != nil || (len(got) == 1) != c.want || (c.want && got[0].From != "XYZ Distribution") {
				t.Errorf("%s's shared = %+v, %v; want %v", c.who.Name, got, err, c.want)
			}
			ok, err := w.svc.CanSeeShared(ctx, c.who, sh.FileID)
			if ok != c.want || err != nil {
				t.Errorf("%s may download: %v, %v", c.who.Name, ok, err)
			}
		}
		// Hugo downloads through the file store, which checks the share.
		res := reach.New(db)
		fv := func(v sdk.Viewer) files.Viewer {
			u, err := w.dir.User(ctx, v.UserID)
			if err != nil {
				t.Fatal(err)
			}
			p := &principal.Principal{User: u}
			if u.PartnerID != nil {
				pt, err := w.dir.Partner(ctx, *u.PartnerID)
				if err != nil {
					t.Fatal(err)
				}
				p.Partner = &pt
			}
			return files.Viewer{P: p, Program: program.Default(), Reach: res,
				Shared: func(ctx context.Context, p *principal.Principal, id int64) (bool, error) {
					return w.svc.CanSeeShared(ctx, p.Viewer(), id)
				}}
		}
		rec := httptest.NewRecorder()
		if err := w.files.Serve(rec, httptest.NewRequest("GET", "/files/x/download", nil), fv(w.hugo), sh.FileID, 0, false); err != nil || rec.Code != 200 {
			t.Fatalf("Hugo downloads: %d, %v", rec.Code, err)
		}
		if err := w.files.Serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/files/x/download", nil), fv(w.dora), sh.FileID, 0, false); code(err) != fail.NotFound {
			t.Errorf("Dora downloads: %v", err)
		}
		board, err := w.svc.Shares(ctx, w.dana)
		if err != nil || !board.CanShare || len(board.SubPartners) != 3 || len(board.Shares) != 1 {
			t.Fatalf("Dana's board = %+v, %v", board, err)
		}
		got := board.Shares[0]
		if got.Downloads != 1 || got.Recipients[0].Downloads != 1 || got.Recipients[0].LastAt == nil || got.Recipients[1].Downloads != 0 {
			t.Errorf("downloads = %+v", got)
		}
		// Whose boards show it: XYZ's people and Mike; not Hank, Otto, Nina.
		for _, c := range []struct {
			who   sdk.Viewer
			want  int
			share bool
		}{{w.mike, 1, false}, {w.admin, 1, false}, {w.hank, 0, false}, {w.otto, 0, true}, {w.nina, 0, false}} {
			b, err := w.svc.Shares(ctx, c.who)
			if err != nil || len(b.Shares) != c.want || b.CanShare != c.share {
				t.Errorf("%s's board = %+v, %v", c.who.Name, b, err)
			}
		}
		if _, err := w.svc.Share(ctx, w.otto, sh.ID); code(err) != fail.NotFound {
			t.Errorf("Otto reads the share: %v", err)
		}
		// Sharing with all reaches Lakeside Tech too, and sub-partners who
		// join later.
		all, err := w.svc.CreateShare(ctx, w.dana, sc.NewShare{Upload: deck(w.dana), Everyone: true, Note: "For everyone."})
		if err != nil || len(all.Recipients) != 3 || all.Title != "Training deck.pdf" {
			t.Fatalf("shared with all: %+v, %v", all, err)
		}
		if got, _ := w.svc.Shared(ctx, w.dora); len(got) != 0 {
			t.Errorf("Dora sees %+v", got)
		}
		for _, c := range []struct {
			who  sdk.Viewer
			code fail.Code
		}{{w.hank, fail.NotFound}, {w.otto, fail.NotFound}, {w.nina, fail.NotFound}} {
			if err := w.svc.DeleteShare(ctx, c.who, all.ID); code(err) != c.code {
				t.Errorf("%s stops the share: %v", c.who.Name, err)
			}
		}
		if err := w.svc.DeleteShare(ctx, w.dana, all.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.files.Get(ctx, all.FileID); code(err) != fail.NotFound {
			t.Errorf("the stopped share's upload stays: %v", err)
		}
		if got, _ := w.svc.Shared(ctx, w.hank); len(got) != 1 || !strings.Contains(got[0].Title, "New training deck") {
			t.Errorf("after stopping one: %+v", got)
		}
	})
}
