// Package reachtest is the conformance test every capability that holds
// partner data passes. A capability's own tests give it a small [Adapter]
// (create a record for a partner; list, load and change it as a viewer),
// and [Run] plays every kind of viewer against every operation on records
// of two partners: a sub-partner of a distributor, and a distributor with a
// sub-partner of its own. What each viewer may do is decided here, once,
// from the rule in core/reach; a capability that answers otherwise fails.
//
//	func TestReach(t *testing.T) {
//		storetest.Each(t, func(t *testing.T, db *bun.DB) {
//			reachtest.Run(t, db, leadsAdapter{svc: pipeline.New(db, ...)})
//		})
//	}
package reachtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Adapter connects a capability to the conformance test. Record ids are
// strings so any key fits.
type Adapter interface {
	// Create makes a record belonging to partner p. w holds the people who
	// may be needed to make it (p's own user, its manager, the admin).
	Create(ctx context.Context, w *World, p directory.Partner) (string, error)
	// List returns the ids of the records the viewer is shown.
	List(ctx context.Context, v sdk.Viewer) ([]string, error)
	// Load loads one record for the viewer.
	Load(ctx context.Context, v sdk.Viewer, id string) error
	// Change changes one record as the viewer.
	Change(ctx context.Context, v sdk.Viewer, id string) error
}

// Writers says who a capability lets change a record it may reach: some
// changes are staff-only (moving a lead), some the partner's own (a note on
// its deal). The zero value means both may.
type Writers struct {
	StaffOnly   bool // partners are refused even on their own records
	PartnerOnly bool // staff are refused even on their partners' records
	// Private records stay with their partner: a distributor's people do
	// not read its sub-partners' (conversations, shared files), though
	// they read their leads and deals.
	Private bool
}

// World is the program the test plays in: partners, and a user of each kind.
type World struct {
	DB  *bun.DB
	Dir *directory.Directory

	Distributor, Sub, Sibling, Dist2, Sub2 directory.Partner

	Admin, ManagerOfSub, ManagerOfOthers, ManagerOfNobody, ManagerOfDist2 sdk.Viewer
	// Users, by partner slug: "<slug>-admin" and "<slug>-user".
	Users map[string]sdk.Viewer
}

// viewerCase is one viewer against a record of one owner, with what the
// rule lets them do.
type viewerCase struct {
	name        string
	v           sdk.Viewer
	read, write bool
	staff       bool
	// gone plays the viewer with their account deactivated.
	gone bool
}

// Run plays the conformance test for a capability on db, a fresh migrated
// database.
func Run(t *testing.T, db *bun.DB, a Adapter, who Writers) {
	t.Helper()
	ctx := context.Background()
	w := NewWorld(t, db)
	owners := []directory.Partner{w.Sub, w.Dist2}
	ids := map[int64]string{}
	for _, p := range owners {
		id, err := a.Create(ctx, w, p)
		if err != nil {
			t.Fatalf("create a record for %s: %v", p.Slug, err)
		}
		ids[p.ID] = id
	}
	for _, owner := range owners {
		id := ids[owner.ID]
		for _, c := range w.cases(owner, who.Private) {
			t.Run(owner.Slug+"/"+c.name, func(t *testing.T) {
				if c.gone {
					if err := w.Dir.SetActive(ctx, c.v.UserID, false); err != nil {
						t.Fatal(err)
					}
					defer func() {
						if err := w.Dir.SetActive(ctx, c.v.UserID, true); err != nil {
							t.Fatal(err)
						}
					}()
				}
				listed, err := a.List(ctx, c.v)
				if err != nil && !refused(err) {
					t.Fatalf("list: %v", err)
				}
				if got := slices.Contains(listed, id); got != c.read {
					t.Errorf("list shows the record: %v, want %v", got, c.read)
				}
				err = a.Load(ctx, c.v, id)
				switch {
				case c.read && err != nil:
					t.Errorf("load: %v, want it read", err)
				case !c.read && !notFound(err):
					t.Errorf("load: %v, want not found", err)
				}
				mayWrite := c.write && !(who.StaffOnly && !c.staff) && !(who.PartnerOnly && c.staff)
				err = a.Change(ctx, c.v, id)
				switch {
				case mayWrite && err != nil:
					t.Errorf("change: %v, want it changed", err)
				case !mayWrite && !c.read && !notFound(err):
					t.Errorf("change: %v, want not found (the record is not theirs to know of)", err)
				case !mayWrite && c.read && !refused(err):
					t.Errorf("change: %v, want refused", err)
				}
			})
		}
	}
}

// cases lists every kind of viewer against a record of owner.
func (w *World) cases(owner directory.Partner, private bool) []viewerCase {
	isSub, isDist := owner.ID == w.Sub.ID, owner.ID == w.Dist2.ID
	networkReads := isSub && !private
	preview := w.Users[owner.Slug+"-user"]
	preview.Preview = true
	return []viewerCase{
		{"admin", w.Admin, true, true, true, false},
		{"manager of the partner", w.ManagerOfSub, isSub, isSub, true, false},
		{"manager of the distributor", w.ManagerOfDist2, isDist, isDist, true, false},
		{"manager of other partners", w.ManagerOfOthers, false, false, true, false},
		{"manager of nobody", w.ManagerOfNobody, false, false, true, false},
		{"partner admin of the partner", w.Users[owner.Slug+"-admin"], true, true, false, false},
		{"partner user of the partner", w.Users[owner.Slug+"-user"], true, true, false, false},
		{"user of a sibling", w.Users[w.Sibling.Slug+"-user"], false, false, false, false},
		{"user of the partner's distributor", w.Users[w.Distributor.Slug+"-user"], networkReads, false, false, false},
		{"admin of the partner's distributor", w.Users[w.Distributor.Slug+"-admin"], networkReads, false, false, false},
		{"user of a sub-partner of the partner", w.Users[w.Sub2.Slug+"-user"], false, false, false, false},
		{"preview of the partner", preview, false, false, false, false},
		{"manager of the partner, deactivated", w.ManagerOfSub, false, false, true, true},
		{"manager of the distributor, deactivated", w.ManagerOfDist2, false, false, true, true},
		{"partner user of the partner, deactivated", w.Users[owner.Slug+"-user"], false, false, false, true},
	}
}

func notFound(err error) bool {
	return err != nil && (fail.CodeOf(err) == fail.NotFound || errors.Is(err, sdk.ErrNotFound))
}

func refused(err error) bool {
	return notFound(err) || fail.CodeOf(err) == fail.Forbidden || errors.Is(err, sdk.ErrPermission)
}

// NewWorld makes the program on db: a distributor with a sub-partner (Sub,
// managed by ManagerOfSub) and a sibling sub-partner, a second distributor
// (Dist2, managed by ManagerOfDist2) with a sub-partner of its own, and an
// admin and a partner admin and user for every partner.
func NewWorld(t testing.TB, db *bun.DB) *World {
	t.Helper()
	ctx := context.Background()
	dir := directory.New(db)
	w := &World{DB: db, Dir: dir, Users: map[string]sdk.Viewer{}}
	staff := func(email string, role sdk.Role) directory.User {
		u, err := dir.CreateUser(ctx, directory.UserInput{Email: email, Name: email, Role: role})
		if err != nil {
			t.Fatalf("create %s: %v", email, err)
		}
		return u
	}
	admin := staff("admin@vendor.test", sdk.RoleAdmin)
	mSub := staff("m-sub@vendor.test", sdk.RoleManager)
	mOthers := staff("m-others@vendor.test", sdk.RoleManager)
	mNobody := staff("m-nobody@vendor.test", sdk.RoleManager)
	mDist2 := staff("m-dist2@vendor.test", sdk.RoleManager)
	partner := func(name, typ string, manager int64, parent *int64) directory.Partner {
		p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: name, Type: typ, Tier: "gold", Stage: "active",
			ManagerID: &manager, ParentID: parent})
		if err != nil {
			t.Fatalf("create partner %s: %v", name, err)
		}
		return p
	}
	w.Distributor = partner("North Distribution", "distributor", mOthers.ID, nil)
	w.Sub = partner("Sub Reseller", "reseller", mSub.ID, &w.Distributor.ID)
	w.Sibling = partner("Sibling Reseller", "reseller", mOthers.ID, &w.Distributor.ID)
	w.Dist2 = partner("South Distribution", "distributor", mDist2.ID, nil)
	w.Sub2 = partner("South Sub", "referral", mOthers.ID, &w.Dist2.ID)
	for _, p := range []directory.Partner{w.Distributor, w.Sub, w.Sibling, w.Dist2, w.Sub2} {
		for _, role := range []sdk.Role{sdk.RolePartnerAdmin, sdk.RolePartnerUser} {
			suffix := map[sdk.Role]string{sdk.RolePartnerAdmin: "admin", sdk.RolePartnerUser: "user"}[role]
			u, err := dir.CreateUser(ctx, directory.UserInput{Email: fmt.Sprintf("%s-%s@partner.test", p.Slug, suffix),
				Name: p.Name + " " + suffix, Role: role, ContactRole: "sales", PartnerID: &p.ID})
			if err != nil {
				t.Fatalf("create user of %s: %v", p.Slug, err)
			}
			w.Users[p.Slug+"-"+suffix] = u.Viewer(&p)
		}
	}
	w.Admin, w.ManagerOfSub, w.ManagerOfOthers = admin.Viewer(nil), mSub.Viewer(nil), mOthers.Viewer(nil)
	w.ManagerOfNobody, w.ManagerOfDist2 = mNobody.Viewer(nil), mDist2.Viewer(nil)
	return w
}
