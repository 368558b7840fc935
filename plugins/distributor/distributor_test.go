package distributor

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/ui"
)

func dana() sdk.Viewer {
	v := plugintest.Partner()
	v.Role = sdk.RolePartnerAdmin
	v.Partner.Type, v.Partner.ParentID = "distributor", 0
	return v
}

func network(compliance *sn.Compliance) sn.DirectoryPage {
	return sn.DirectoryPage{Distributor: sn.PartnerRef{ID: 7, Name: "XYZ Distribution"}, Total: 1, Page: 1, PerPage: 25, CanRecruit: true,
		ByStage: []sn.Count{{Key: "getting-started", Label: "Getting started", N: 1}},
		SubPartners: []sn.SubPartner{{ID: 9, Name: "Contoso Resale", Type: "reseller", Tier: "bronze", Stage: "getting-started",
			Joined: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Onboarding: sn.Onboarding{Done: 1, Total: 4, Percent: 25},
			Admin: &sn.Contact{Name: "Carla Diaz", Email: "carla@contoso.example"}, Compliance: compliance}}}
}

func encoded(t *testing.T, c ui.Component) string {
	t.Helper()
	b, err := ui.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDirectoryColumns: the compliance column shows only when the portal
// reports compliance; the directory reads as cards on a phone.
func TestDirectoryColumns(t *testing.T) {
	for _, c := range []struct {
		name       string
		compliance *sn.Compliance
		want       bool
	}{
		{"without a compliance source", nil, false},
		{"with one", &sn.Compliance{Status: "expiring", Label: "Insurance expires 3 Jan"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := plugintest.NewHost()
			plugintest.Handle(h, sn.ListSubPartners, func(context.Context, sdk.Viewer, sn.DirectoryQuery) (sn.DirectoryPage, error) {
				return network(c.compliance), nil
			})
			plugintest.Handle(h, sn.ListInvitations, func(context.Context, sdk.Viewer, sn.InvitationQuery) (sn.InvitationPage, error) {
				return sn.InvitationPage{Total: 2}, nil
			})
			out := encoded(t, plugintest.Render(t, networkBlock{}, dana(), "{}", h))
			if got := strings.Contains(out, `"label":"Compliance"`); got != c.want {
				t.Errorf("compliance column shown: %v, want %v", got, c.want)
			}
			for _, want := range []string{`"cards":true`, "Contoso Resale", "1 of 4 tasks", "Invite a sub-partner"} {
				if !strings.Contains(out, want) {
					t.Errorf("the room's page lacks %s: %s", want, out)
				}
			}
		})
	}
}

// TestRecruitRefusal: a refused recruit comes back with each problem
// beside its field, on the recruit page.
func TestRecruitRefusal(t *testing.T) {
	h := plugintest.NewHost()
	var got sn.Recruit
	plugintest.Handle(h, sn.RecruitPartner, func(_ context.Context, _ sdk.Viewer, r sn.Recruit) (sn.Sent, error) {
		got = r
		return sn.Sent{}, sdk.InvalidInput("Please correct the highlighted fields.", map[string]string{"adminEmail": "This person already has an account in the portal."})
	})
	res := plugintest.Submit(t, Room{}, plugintest.Submission{Viewer: dana(), Name: "recruit", Host: h,
		Values: map[string][]string{"company": {"Contoso Resale"}, "type": {"reseller"}, "adminName": {"Carla"}, "adminEmail": {"olga@other.test"}}})
	if got.Company != "Contoso Resale" || got.AdminEmail != "olga@other.test" {
		t.Errorf("sent %+v", got)
	}
	if res.FieldErrors["adminEmail"] == "" || !strings.HasSuffix(res.Navigate, "/items/recruit") {
		t.Errorf("result %+v", res)
	}
}

// TestStaffQueue: a manager sees the recruits waiting with approve and
// decline, and approving says the link to send.
func TestStaffQueue(t *testing.T) {
	h := plugintest.NewHost()
	inv := sn.Invitation{ID: 3, Distributor: "XYZ Distribution", Company: "Contoso Resale", Type: "reseller", AdminName: "Carla Diaz",
		AdminEmail: "carla@contoso.example", Status: sn.Pending, CreatedAt: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)}
	plugintest.Handle(h, sn.ListInvitations, func(context.Context, sdk.Viewer, sn.InvitationQuery) (sn.InvitationPage, error) {
		return sn.InvitationPage{Invitations: []sn.Invitation{inv}, Total: 1}, nil
	})
	plugintest.Handle(h, sn.ListSubPartners, func(context.Context, sdk.Viewer, sn.DirectoryQuery) (sn.DirectoryPage, error) {
		return sn.DirectoryPage{Networks: []sn.PartnerRef{{ID: 7, Name: "XYZ Distribution"}}}, nil
	})
	var decided sn.Decision
	plugintest.Handle(h, sn.Decide, func(_ context.Context, _ sdk.Viewer, d sn.Decision) (sn.Sent, error) {
		decided = d
		exp := time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC)
		inv.Status = sn.Invited
		return sn.Sent{Invitation: inv, Link: "/invite/abc", Expires: &exp}, nil
	})
	out := encoded(t, plugintest.Render(t, networkBlock{}, plugintest.Staff(), "{}", h))
	for _, want := range []string{"Contoso Resale", `"name":"approve"`, `"name":"decline"`, "XYZ Distribution"} {
		if !strings.Contains(out, want) {
			t.Errorf("the staff page lacks %s", want)
		}
	}
	res := plugintest.Submit(t, Room{}, plugintest.Submission{Viewer: plugintest.Staff(), Name: "approve", State: "3", Host: h})
	if !decided.Approve || decided.ID != 3 || !strings.Contains(res.Message, "/invite/abc") {
		t.Errorf("approve: %+v, %+v", decided, res)
	}
}

// TestCatalogue: every language has every message English has and can draw
// it, with the plural forms it needs, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."), "invitation.", "role.", "lead.", "stage.", "commission.", "compliance.")
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestNetworkInGerman: Dana reading German sees her network in German:
// counts, the onboarding bar and the compliance status in German words
// (the host's English detail is for English readers), the join date the
// German way; the program's stage names stay as written.
func TestNetworkInGerman(t *testing.T) {
	h := plugintest.NewHost()
	plugintest.Handle(h, sn.ListSubPartners, func(context.Context, sdk.Viewer, sn.DirectoryQuery) (sn.DirectoryPage, error) {
		return network(&sn.Compliance{Status: sn.ComplianceExpiring, Label: "Insurance expires 3 Jan"}), nil
	})
	plugintest.Handle(h, sn.ListInvitations, func(context.Context, sdk.Viewer, sn.InvitationQuery) (sn.InvitationPage, error) {
		return sn.InvitationPage{Total: 2}, nil
	})
	v := dana()
	v.Locale = "de"
	out := encoded(t, plugintest.Render(t, networkBlock{}, v, "{}", h))
	for _, want := range []string{"Ihr Netzwerk", "Unterpartner einladen", "Wartende Einladungen", "1 Unterpartner", "25 % erledigt", "1 von 4 Aufgaben",
		"Läuft bald ab", "Dezember 2026", "Getting started", "Neueste Unterpartner", "Alle Unterpartner ansehen"} {
		if !strings.Contains(out, want) {
			t.Errorf("Dana's German page lacks %q: %s", want, out)
		}
	}
	for _, english := range []string{"Your network", "Invite a sub-partner", "Insurance expires", "of 4 tasks", "Newest sub-partners"} {
		if strings.Contains(out, english) {
			t.Errorf("Dana's German page shows %q", english)
		}
	}
	v.Locale = "en"
	if out := encoded(t, plugintest.Render(t, networkBlock{}, v, "{}", h)); !strings.Contains(out, "Insurance expires 3 Jan") {
		t.Errorf("an English reader loses the host's compliance detail: %s", out)
	}
}

// TestHostLabels: lead statuses and deal stages the host names in the
// room's own words are translated; a stage the program renamed stays as
// the program wrote it.
func TestHostLabels(t *testing.T) {
	de := catalog.For("de")
	for _, c := range []struct{ prefix, key, label, want string }{
		{"lead.", "closed_won", "Won", "Gewonnen"},
		{"stage.", "negotiation", "Negotiation", "Verhandlung"},
		{"stage.", "negotiation", "Haggling", "Haggling"},
		{"stage.", "discovery", "Discovery call", "Discovery call"},
		{"commission.", "paid", "", "Ausgezahlt"},
		{"commission.", "clawed_back", "", "Clawed back"},
	} {
		if got := hostLabel(de, c.prefix, c.key, c.label); got != c.want {
			t.Errorf("%s%s %q: %q, want %q", c.prefix, c.key, c.label, got, c.want)
		}
	}
}
