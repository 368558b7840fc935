package directory_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

func ptr[T any](v T) *T { return &v }

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Carlos & Co":          "carlos-co",
		"Northwind Referrals":  "northwind-referrals",
		"  Zürich Partners AG": "zurich-partners-ag",
		"ABC Corp.":            "abc-corp",
		"---":                  "",
	} {
		if got := directory.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPartnerLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := directory.New(db)
		mike, err := d.CreateUser(ctx, directory.UserInput{Email: " Mike@Acme.example ", Name: "Mike", Role: sdk.RoleManager})
		if err != nil {
			t.Fatal(err)
		}
		if mike.Email != "mike@acme.example" {
			t.Errorf("email not normalised: %q", mike.Email)
		}
		xyz, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "XYZ Distribution", Type: "distributor", Tier: "gold", Stage: "active", ManagerID: &mike.ID})
		if err != nil {
			t.Fatal(err)
		}
		if xyz.Slug != "xyz-distribution" || xyz.ID == 0 {
			t.Errorf("got %+v", xyz)
		}
		// A second partner with the same name gets a free slug.
		dup, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "XYZ Distribution", Type: "reseller", Tier: "bronze", Stage: "training"})
		if err != nil || dup.Slug != "xyz-distribution-2" {
			t.Fatalf("second partner: %+v, %v", dup, err)
		}
		sub, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "Sub One", Type: "reseller", Tier: "silver", Stage: "active", ParentID: &xyz.ID})
		if err != nil {
			t.Fatal(err)
		}
		// Sub-partners cannot nest, and a parent cannot become a sub-partner.
		if _, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "Sub Sub", Type: "reseller", Tier: "silver", Stage: "active", ParentID: &sub.ID}); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("nested sub-partner: err = %v, want invalid", err)
		}
		if _, err := d.UpdatePartner(ctx, xyz.ID, directory.PartnerInput{Name: xyz.Name, Type: "distributor", Tier: "gold", Stage: "active", ParentID: &dup.ID}); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("parent made sub-partner: err = %v, want invalid", err)
		}
		// Only the program's parent types may have sub-partners.
		if _, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "Under a reseller", Type: "referral", Tier: "silver", Stage: "active",
			ParentID: &dup.ID}); fail.CodeOf(err) != fail.Invalid || !strings.Contains(fail.As(err).Fields["parentId"], "cannot have sub-partners") {
			t.Errorf("sub-partner of a reseller: err = %v, want the network rule's refusal", err)
		}
		// Within narrows to a reach: nil is everyone, empty is no one.
		for _, tc := range []struct {
			within []int64
			want   int
		}{{nil, 3}, {[]int64{}, 0}, {[]int64{sub.ID, dup.ID}, 2}} {
			if page, err := d.ListPartners(ctx, directory.PartnerFilter{Within: tc.within}); err != nil || page.Total != tc.want {
				t.Errorf("within %v: %d partners, %v; want %d", tc.within, page.Total, err, tc.want)
			}
		}
		// Filters and search.
		page, err := d.ListPartners(ctx, directory.PartnerFilter{Query: "xyz", Type: "distributor"})
		if err != nil || page.Total != 1 || page.Items[0].ID != xyz.ID {
			t.Errorf("search: %+v, %v", page, err)
		}
		page, _ = d.ListPartners(ctx, directory.PartnerFilter{ParentID: xyz.ID})
		if page.Total != 1 || page.Items[0].ID != sub.ID {
			t.Errorf("sub-partners of xyz: %+v", page)
		}
		page, _ = d.ListPartners(ctx, directory.PartnerFilter{Query: "%"})
		if page.Total != 0 {
			t.Errorf("a %% search matched %d partners; wildcards must be literal", page.Total)
		}
		page, _ = d.ListPartners(ctx, directory.PartnerFilter{PerPage: 2, Page: 2})
		if page.Total != 3 || len(page.Items) != 1 || page.Pages() != 2 {
			t.Errorf("paging: total %d, items %d, pages %d", page.Total, len(page.Items), page.Pages())
		}
	})
}

func TestPartnerValidation(t *testing.T) {
	db := storetest.Open(t)
	d := directory.New(db)
	ctx := context.Background()
	partnerUser, _ := d.CreatePartner(ctx, directory.PartnerInput{Name: "P", Type: "referral", Tier: "bronze", Stage: "active"})
	u, _ := d.CreateUser(ctx, directory.UserInput{Email: "u@p.example", Name: "U", Role: sdk.RolePartnerUser, PartnerID: &partnerUser.ID})
	tests := []struct {
		name  string
		in    directory.PartnerInput
		field string
	}{
		{"no name", directory.PartnerInput{Type: "referral", Tier: "bronze", Stage: "active"}, "name"},
		{"unknown tier", directory.PartnerInput{Name: "A", Type: "referral", Tier: "gould", Stage: "active"}, "tier"},
		{"unknown stage", directory.PartnerInput{Name: "A", Type: "referral", Tier: "gold", Stage: "asleep"}, "stage"},
		{"unknown type", directory.PartnerInput{Name: "A", Type: "vendor", Tier: "gold", Stage: "active"}, "type"},
		{"bad slug", directory.PartnerInput{Name: "A", Slug: "Not OK", Type: "referral", Tier: "gold", Stage: "active"}, "slug"},
		{"taken slug", directory.PartnerInput{Name: "A", Slug: "p", Type: "referral", Tier: "gold", Stage: "active"}, "slug"},
		{"manager not staff", directory.PartnerInput{Name: "A", Type: "referral", Tier: "gold", Stage: "active", ManagerID: &u.ID}, "managerId"},
		{"missing parent", directory.PartnerInput{Name: "A", Type: "referral", Tier: "gold", Stage: "active", ParentID: ptr(int64(999))}, "parentId"},
		{"script logo", directory.PartnerInput{Name: "A", Type: "referral", Tier: "gold", Stage: "active", LogoURL: "javascript:x"}, "logoUrl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.CreatePartner(ctx, tt.in)
			e := fail.As(err)
			if e.Code != fail.Invalid || e.Fields[tt.field] == "" {
				t.Errorf("err = %v, want a message for field %q", err, tt.field)
			}
		})
	}
}

func TestUserValidationAndDeactivation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := directory.New(db)
		p, _ := d.CreatePartner(ctx, directory.PartnerInput{Name: "Northwind", Type: "referral", Tier: "silver", Stage: "active"})
		sarah, err := d.CreateUser(ctx, directory.UserInput{Email: "sarah@northwind.example", Name: "Sarah", Role: sdk.RolePartnerUser, ContactRole: "sales", PartnerID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		for name, tc := range map[string]struct {
			in    directory.UserInput
			field string
		}{
			"duplicate email":       {directory.UserInput{Email: "SARAH@northwind.example", Name: "S", Role: sdk.RolePartnerUser, PartnerID: &p.ID}, "email"},
			"bad email":             {directory.UserInput{Email: "sarah", Name: "S", Role: sdk.RoleAdmin}, "email"},
			"partner user, no org":  {directory.UserInput{Email: "a@b.example", Name: "S", Role: sdk.RolePartnerUser}, "partnerId"},
			"staff with partner":    {directory.UserInput{Email: "a@b.example", Name: "S", Role: sdk.RoleManager, PartnerID: &p.ID}, "partnerId"},
			"unknown role":          {directory.UserInput{Email: "a@b.example", Name: "S", Role: "root"}, "role"},
			"unknown contact role":  {directory.UserInput{Email: "a@b.example", Name: "S", Role: sdk.RoleAdmin, ContactRole: "ceo"}, "contactRole"},
			"display name required": {directory.UserInput{Email: "a@b.example", Role: sdk.RoleAdmin}, "name"},
		} {
			_, err := d.CreateUser(ctx, tc.in)
			if e := fail.As(err); e.Code != fail.Invalid || e.Fields[tc.field] == "" {
				t.Errorf("%s: err = %v, want a message for %q", name, err, tc.field)
			}
		}
		got, err := d.UserByEmail(ctx, "Sarah@Northwind.example")
		if err != nil || got.ID != sarah.ID || got.HasPassword() {
			t.Fatalf("UserByEmail: %+v, %v", got, err)
		}
		if err := d.SetActive(ctx, sarah.ID, false); err != nil {
			t.Fatal(err)
		}
		got, _ = d.User(ctx, sarah.ID)
		if got.Active {
			t.Error("user still active")
		}
		active := true
		page, _ := d.ListUsers(ctx, directory.UserFilter{Active: &active})
		if page.Total != 0 {
			t.Errorf("active users = %d, want 0", page.Total)
		}
		if err := d.SetActive(ctx, 999, false); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("deactivating a missing user: %v", err)
		}
		if !strings.Contains(got.Viewer(&p).Partner.Slug, "northwind") {
			t.Error("viewer lost its partner")
		}
	})
}

func TestPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		d := directory.New(db)
		mk := func(email string, role sdk.Role) directory.User {
			u, err := d.CreateUser(ctx, directory.UserInput{Email: email, Name: email, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		admin, mike, priya := mk("admin@x.example", sdk.RoleAdmin), mk("mike@x.example", sdk.RoleManager), mk("priya@x.example", sdk.RoleManager)
		if got, _ := d.User(ctx, mike.ID); len(got.Permissions) != 0 {
			t.Fatalf("a new user holds %v", got.Permissions)
		}
		if _, err := d.SetPermissions(ctx, mike.ID, []string{"rooms.publish", "rooms.publish"}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SetPermissions(ctx, priya.ID, []string{"rooms.fly"}); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("unknown permission: %v", err)
		}
		got, _ := d.User(ctx, mike.ID)
		if !got.Permissions.Has(directory.PermPublishRooms) || len(got.Permissions) != 1 {
			t.Errorf("mike holds %v", got.Permissions)
		}
		holders, err := d.HoldersOf(ctx, directory.PermPublishRooms)
		if err != nil || len(holders) != 2 || holders[0].ID != admin.ID || holders[1].ID != mike.ID {
			t.Errorf("holders: %+v, %v", holders, err)
		}
	})
}
