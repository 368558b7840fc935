package compliance

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/ui"
)

// dana is a distributor's administrator, as the portal hands her over.
var dana = sdk.Viewer{UserID: 201, Name: "Dana Okafor", Role: sdk.RolePartnerAdmin, ContactRole: "executive",
	Partner: &sdk.Partner{ID: 20, Slug: "xyz", Name: "XYZ Distribution", Type: "distributor", Tier: "gold", Stage: "active"}}

// network answers the compliance calls the way the portal does for Dana:
// a sub-partner's evidence waiting for her, one share, three sub-partners.
// It keeps the last request of each write; refuse, when set, is what the
// writes answer instead.
type network struct {
	submitted *sc.Submission
	reviewed  *sc.Review
	shared    *sc.NewShare
	refuse    error
}

func (n *network) host() *plugintest.Host {
	h := plugintest.NewHost()
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	plugintest.Handle(h, sc.ListItems, func(context.Context, sdk.Viewer, sc.ItemQuery) (sc.ItemPage, error) {
		return sc.ItemPage{Total: 2, Items: []sc.Item{
			{ID: 5, RequirementID: 1, Name: "Insurance certificate", Kind: sc.Document, PartnerID: 21, PartnerName: "Summit Systems",
				Status: sc.Submitted, FileID: 9, FileName: "Insurance.pdf", Version: 1, URL: "/files/9/download", CanReview: true},
			{RequirementID: 2, Name: "Signed reseller agreement", Kind: sc.Document, PartnerID: 22, PartnerName: "Lakeside Tech",
				Status: sc.Overdue, Due: "2026-11-27"},
		}}, nil
	})
	plugintest.Handle(h, sc.GetShares, func(context.Context, sdk.Viewer, struct{}) (sc.ShareBoard, error) {
		return sc.ShareBoard{CanShare: true, SubPartners: []sc.SubPartner{{ID: 21, Name: "Summit Systems"}, {ID: 22, Name: "Lakeside Tech"}, {ID: 23, Name: "Harbor IT"}},
			Shares: []sc.Share{{ID: 3, Title: "New training deck", URL: "/files/8/download", CreatedAt: at, Downloads: 1,
				Recipients: []sc.Recipient{{PartnerID: 21, Name: "Summit Systems", Downloads: 1}, {PartnerID: 22, Name: "Lakeside Tech"}}}}}, nil
	})
	plugintest.Handle(h, sc.SubmitItem, func(_ context.Context, _ sdk.Viewer, in sc.Submission) (sc.Item, error) {
		n.submitted = &in
		return sc.Item{Name: "Signed reseller agreement"}, n.refuse
	})
	plugintest.Handle(h, sc.ReviewItem, func(_ context.Context, _ sdk.Viewer, in sc.Review) (sc.Item, error) {
		n.reviewed = &in
		return sc.Item{Name: "Insurance certificate", PartnerName: "Summit Systems"}, n.refuse
	})
	plugintest.Handle(h, sc.CreateShare, func(_ context.Context, _ sdk.Viewer, in sc.NewShare) (sc.Share, error) {
		n.shared = &in
		return sc.Share{Title: in.Title, Recipients: make([]sc.Recipient, len(in.PartnerIDs))}, n.refuse
	})
	return h
}

// TestDistributorPage: Dana's page shows her network's items, the evidence
// waiting for her with a review form, and her shares with who downloaded
// them, and a form to share; the tree passes the portal's checks.
func TestDistributorPage(t *testing.T) {
	n := &network{}
	tree := plugintest.Render(t, block{}, dana, "{}", n.host())
	if err := plugintest.CheckTree(tree); err != nil {
		t.Fatal(err)
	}
	b, err := ui.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"Your sub-partners", "Waiting for your review", "Insurance certificate of Summit Systems", "Overdue",
		"New training deck", "downloaded 1×", "not yet", "Share a resource", `"name":"partners"`, "Harbor IT"} {
		if !strings.Contains(page, want) {
			t.Errorf("Dana's page lacks %q", want)
		}
	}
	if strings.Contains(page, "Your company") {
		t.Error("Dana, asked nothing herself, is shown an empty company section before her network")
	}
}

// TestActions turns each form into its host call, and each refusal into
// errors beside the form's own fields.
func TestActions(t *testing.T) {
	refusal := sdk.InvalidInput("Check the fields.", map[string]string{"partnerIds": "Choose among your sub-partners.", "upload": "Too large."})
	cases := []struct {
		name    string
		state   string
		values  map[string][]string
		refuse  error
		check   func(n *network) bool
		message string
		fields  []string
		err     string
	}{
		{name: "submit", state: "1", values: map[string][]string{"file": {"", "44"}, "expires": {"2027-12-31"}},
			check: func(n *network) bool {
				return *n.submitted == sc.Submission{RequirementID: 1, Upload: "44", Expires: "2027-12-31"}
			},
			message: "Handed in Signed reseller agreement. It waits for review."},
		{name: "submit", state: "1", values: map[string][]string{}, fields: []string{"file"}},
		{name: "submit", state: "x", values: map[string][]string{"file": {"44"}}, err: "out of date"},
		{name: "review", state: "5", values: map[string][]string{"decision": {"reject"}, "reason": {"Unsigned."}},
			check: func(n *network) bool {
				return *n.reviewed == sc.Review{ItemID: 5, Decision: sc.Reject, Reason: "Unsigned."}
			},
			message: "Rejected Insurance certificate of Summit Systems; they are told why."},
		{name: "share", values: map[string][]string{"everyone": {"true"}, "file": {"45"}, "title": {"Deck"}},
			check:   func(n *network) bool { return n.shared.Everyone && n.shared.Upload == "45" && n.shared.ResourceID == 0 },
			message: "Shared Deck with 0 sub-partners."},
		{name: "share", values: map[string][]string{"resource": {"12"}, "partners": {"21", "22"}, "title": {"Prices"}},
			check: func(n *network) bool {
				return n.shared.ResourceID == 12 && len(n.shared.PartnerIDs) == 2 && !n.shared.Everyone
			},
			message: "Shared Prices with 2 sub-partners."},
		{name: "share", values: map[string][]string{"partners": {"21"}, "file": {"45"}}, refuse: refusal, fields: []string{"partners", "file"}},
		{name: "share", values: map[string][]string{"partners": {"Harbor"}}, fields: []string{"partners"}},
		{name: "requirement", values: map[string][]string{"name": {"NDA"}, "validity": {"a year"}}, fields: []string{"validity"}},
		{name: "unknown", err: "out of date"},
	}
	for _, c := range cases {
		n := &network{refuse: c.refuse}
		res := plugintest.Submit(t, block{}, plugintest.Submission{Viewer: dana, Name: c.name, State: c.state, Values: c.values, Host: n.host()})
		what, _ := json.Marshal(c.values)
		if c.check != nil && !c.check(n) {
			t.Errorf("%s %s: the host call was not made as asked: %+v %+v %+v", c.name, what, n.submitted, n.reviewed, n.shared)
		}
		if res.Message != c.message {
			t.Errorf("%s %s: message %q, want %q", c.name, what, res.Message, c.message)
		}
		for _, f := range c.fields {
			if res.FieldErrors[f] == "" {
				t.Errorf("%s %s: no error beside %s in %+v", c.name, what, f, res)
			}
		}
		if c.err != "" && !strings.Contains(res.Error, c.err) {
			t.Errorf("%s %s: error %q, want %q", c.name, what, res.Error, c.err)
		}
	}
}

// TestCatalogue: every language has every message English has and can draw
// it, with the plural forms it needs, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."))
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestDistributorPageInGerman: Dana reading German sees her network, the
// review and the shares in German, with German dates and counts; the
// names of requirements, partners and files stay as written.
func TestDistributorPageInGerman(t *testing.T) {
	v := dana
	v.Locale = "de"
	b, err := ui.Marshal(plugintest.Render(t, block{}, v, "{}", (&network{}).host()))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"Ihre Unterpartner", "Wartet auf Ihre Prüfung", "Insurance certificate von Summit Systems", "Überfällig",
		"Fällig am 27. Nov. 2026", "Insurance.pdf (Version 1)", "1× heruntergeladen", "noch nicht", "4. Dez. 2026", "Eine Ressource teilen"} {
		if !strings.Contains(page, want) {
			t.Errorf("Dana's German page lacks %q", want)
		}
	}
	for _, english := range []string{"Your sub-partners", "Overdue", "Due ", "not yet", "Share a resource", "Nov 2026"} {
		if strings.Contains(page, english) {
			t.Errorf("Dana's German page shows %q", english)
		}
	}
	res := plugintest.Submit(t, block{}, plugintest.Submission{Viewer: v, Name: "share", Host: (&network{}).host(),
		Values: map[string][]string{"partners": {"21"}, "file": {"45"}, "title": {"Preise"}}})
	if res.Message != "Preise mit 1 Unterpartner geteilt." {
		t.Errorf("German message %q", res.Message)
	}
}
