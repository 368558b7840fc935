package contacts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/atriumhq/atrium/core/contacts"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sdkdir "github.com/atriumhq/atrium/sdk/directory"
	"github.com/uptrace/bun"
)

func TestContactsAsEachViewer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := directory.New(db)
		user := func(in directory.UserInput) directory.User {
			t.Helper()
			u, err := d.CreateUser(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		mike := user(directory.UserInput{Email: "mike@acme.example", Name: "Mike Chen", Role: sdk.RoleManager, Title: "Partner Manager"})
		priya := user(directory.UserInput{Email: "priya@acme.example", Name: "Priya", Role: sdk.RoleManager})
		admin := user(directory.UserInput{Email: "admin@acme.example", Name: "Alex", Role: sdk.RoleAdmin})
		sam := user(directory.UserInput{Email: "sam@acme.example", Name: "Sam Support", Role: sdk.RoleManager, Title: "Solutions Engineer"})
		mia := user(directory.UserInput{Email: "mia@acme.example", Name: "Mia Marketing", Role: sdk.RoleManager})
		carlos, _ := d.CreatePartner(ctx, directory.PartnerInput{Name: "Carlos & Co", Type: "reseller", Tier: "gold", Stage: "active", ManagerID: &mike.ID})
		north, _ := d.CreatePartner(ctx, directory.PartnerInput{Name: "Northwind", Type: "referral", Tier: "silver", Stage: "active", ManagerID: &priya.ID})
		lisa := user(directory.UserInput{Email: "lisa@carlosco.example", Name: "Lisa Park", Role: sdk.RolePartnerUser, PartnerID: &carlos.ID, ContactRole: "marketing"})
		user(directory.UserInput{Email: "carlos@carlosco.example", Name: "Carlos Rivera", Role: sdk.RolePartnerAdmin, PartnerID: &carlos.ID})
		sarah := user(directory.UserInput{Email: "sarah@northwind.example", Name: "Sarah", Role: sdk.RolePartnerAdmin, PartnerID: &north.ID})

		svc := contacts.New(db, d)
		// Marketing for Carlos only, support for everyone (added second but
		// shown first).
		if _, err := svc.Assign(ctx, contacts.Assignment{UserID: mia.ID, PartnerID: &carlos.ID, Role: sdkdir.RoleMarketing},
			contacts.Profile{Responsibilities: "Co-marketing\nMDF", Preferred: "Slack"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Assign(ctx, contacts.Assignment{UserID: sam.ID, Role: sdkdir.RoleSupport},
			contacts.Profile{Responsibilities: "Technical questions\n\nIntegrations", Preferred: "Email"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetProfile(ctx, contacts.Profile{UserID: mike.ID, Responsibilities: "Deal registration", Preferred: "Email first"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			in   contacts.Assignment
			want string
		}{
			{"partner user as vendor", contacts.Assignment{UserID: lisa.ID, Role: sdkdir.RoleSupport}, "userId"},
			{"unknown role", contacts.Assignment{UserID: sam.ID, Role: "chef"}, "role"},
			{"duplicate", contacts.Assignment{UserID: sam.ID, Role: sdkdir.RoleSupport}, "userId"},
		} {
			_, err := svc.Assign(ctx, tc.in, contacts.Profile{})
			if e := fail.As(err); e.Code != fail.Invalid || e.Fields[tc.want] == "" {
				t.Errorf("%s: err = %v, want a problem with %s", tc.name, err, tc.want)
			}
		}

		f := host.New(nil)
		svc.Register(f)
		viewer := func(u directory.User, p *directory.Partner) sdk.Viewer { return u.Viewer(p) }
		names := func(cs []sdkdir.Contact) []string {
			var out []string
			for _, c := range cs {
				out = append(out, c.Name+"/"+c.Role)
			}
			return out
		}
		for _, tc := range []struct {
			name         string
			v            sdk.Viewer
			q            sdkdir.ContactsQuery
			vendor, team []string
			denied       bool
		}{
			{"carlos's user", viewer(lisa, &carlos), sdkdir.ContactsQuery{},
				[]string{"Mike Chen/manager", "Sam Support/support", "Mia Marketing/marketing"}, []string{"Carlos Rivera/", "Lisa Park/marketing"}, false},
			{"northwind's admin", viewer(sarah, &north), sdkdir.ContactsQuery{},
				[]string{"Priya/manager", "Sam Support/support"}, []string{"Sarah/"}, false},
			{"a partner asking for another", viewer(sarah, &north), sdkdir.ContactsQuery{PartnerID: carlos.ID}, nil, nil, true},
			{"carlos's manager", viewer(mike, nil), sdkdir.ContactsQuery{PartnerID: carlos.ID},
				[]string{"Mike Chen/manager", "Sam Support/support", "Mia Marketing/marketing"}, []string{"Carlos Rivera/", "Lisa Park/marketing"}, false},
			{"another manager", viewer(priya, nil), sdkdir.ContactsQuery{PartnerID: carlos.ID}, nil, nil, true},
			{"an admin", viewer(admin, nil), sdkdir.ContactsQuery{PartnerID: north.ID}, []string{"Priya/manager", "Sam Support/support"}, []string{"Sarah/"}, false},
			{"staff without a partner", viewer(admin, nil), sdkdir.ContactsQuery{}, []string{"Sam Support/support"}, nil, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := sdkdir.ListContacts.Call(ctx, f.For(tc.v), tc.q)
				if tc.denied {
					if !errors.Is(err, sdk.ErrNotFound) {
						t.Fatalf("err = %v, want not found", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if g, w := names(got.Vendor), tc.vendor; !equal(g, w) {
					t.Errorf("vendor = %v, want %v", g, w)
				}
				if g, w := names(got.Team), tc.team; !equal(g, w) {
					t.Errorf("team = %v, want %v", g, w)
				}
			})
		}
		got, _ := sdkdir.ListContacts.Call(ctx, f.For(viewer(lisa, &carlos)), sdkdir.ContactsQuery{})
		if s := got.Vendor[1]; len(s.Responsibilities) != 2 || s.Preferred != "Email" || s.Title != "Solutions Engineer" {
			t.Errorf("support contact = %+v", s)
		}
		if m := got.Vendor[0]; m.Preferred != "Email first" || m.Responsibilities[0] != "Deal registration" {
			t.Errorf("manager = %+v", m)
		}
		as, _ := svc.Assignments(ctx)
		if err := svc.Remove(ctx, as[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.Remove(ctx, as[0].ID); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("removing twice: %v", err)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
