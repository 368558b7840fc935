package reach_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

func TestReach(t *testing.T) {
	ids := []int64{7, 3, 3, 0, -2}
	mgr := reach.Staff(ids)
	ids[0] = 99 // the reach keeps its own copy
	for _, tc := range []struct {
		name              string
		r                 reach.Reach
		read, write, both []int64 // read only, write only (never), read and write
		none              []int64
		everyone, nobody  bool
		staff             bool
	}{
		{name: "zero reaches nobody", r: reach.Reach{}, none: []int64{1, 3}, nobody: true},
		{name: "everyone", r: reach.Everyone(), both: []int64{1, 3, 1 << 40}, none: []int64{0, -1}, everyone: true, staff: true},
		{name: "manager", r: mgr, both: []int64{3, 7}, none: []int64{0, 1, 99, -2}, staff: true},
		{name: "manager of nobody", r: reach.Staff(nil), none: []int64{1}, nobody: true, staff: true},
		{name: "distributor", r: reach.Partner(5, []int64{8, 9}), read: []int64{8, 9}, both: []int64{5}, none: []int64{1, 0}},
		{name: "partner without an id", r: reach.Partner(0, []int64{8}), none: []int64{0, 8}, nobody: true},
		{name: "read only", r: reach.ReadOnly([]int64{4}), read: []int64{4}, none: []int64{5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.r.Everyone() != tc.everyone || tc.r.None() != tc.nobody || tc.r.IsStaff() != tc.staff {
				t.Fatalf("everyone %v none %v staff %v", tc.r.Everyone(), tc.r.None(), tc.r.IsStaff())
			}
			for _, id := range tc.read {
				if !tc.r.CanRead(id) || tc.r.CanWrite(id) {
					t.Errorf("%d: read %v write %v, want read only", id, tc.r.CanRead(id), tc.r.CanWrite(id))
				}
			}
			for _, id := range tc.both {
				if !tc.r.CanRead(id) || !tc.r.CanWrite(id) || tc.r.Manages(id) != tc.staff {
					t.Errorf("%d: read %v write %v manages %v", id, tc.r.CanRead(id), tc.r.CanWrite(id), tc.r.Manages(id))
				}
			}
			if ids := tc.r.IDs(); (ids == nil) != tc.everyone || (tc.r.WriteIDs() == nil) != tc.everyone {
				t.Errorf("IDs %v / WriteIDs %v: nil must mean everyone, and only that", ids, tc.r.WriteIDs())
			}
			for _, id := range tc.none {
				if tc.r.CanRead(id) || tc.r.CanWrite(id) {
					t.Errorf("%d: reached", id)
				}
			}
		})
	}
}

// TestWhere checks the SQL narrowing against the Go answer on real rows, for
// every shape of reach, on both engines.
func TestWhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := reachtest.NewWorld(t, db)
		all := []int64{w.Distributor.ID, w.Sub.ID, w.Sibling.ID, w.Dist2.ID, w.Sub2.ID}
		for _, r := range []reach.Reach{{}, reach.Everyone(), reach.Staff([]int64{w.Sub.ID}), reach.Staff(all[:3]),
			reach.Partner(w.Distributor.ID, []int64{w.Sub.ID, w.Sibling.ID}), reach.ReadOnly([]int64{w.Sub2.ID})} {
			for _, q := range []struct {
				name string
				sql  func(*bun.SelectQuery) *bun.SelectQuery
				go_  func(int64) bool
			}{
				{"read", func(q *bun.SelectQuery) *bun.SelectQuery { return r.Where(q, "p.id") }, r.CanRead},
				{"write", func(q *bun.SelectQuery) *bun.SelectQuery { return r.WhereWritable(q, "p.id") }, r.CanWrite},
				{"only sub", func(q *bun.SelectQuery) *bun.SelectQuery { return r.WhereOnly(q, "p.id", w.Sub.ID) },
					func(id int64) bool { return id == w.Sub.ID && r.CanRead(id) }},
			} {
				var got []int64
				if err := q.sql(db.NewSelect().TableExpr("partners AS p").Column("p.id")).Order("p.id").Scan(ctx, &got); err != nil {
					t.Fatal(err)
				}
				want := slices.DeleteFunc(slices.Clone(all), func(id int64) bool { return !q.go_(id) })
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Errorf("%+v %s: SQL gives %v, Go %v", r, q.name, got, want)
				}
			}
		}
	})
}

// partners is the reach itself as a capability: a partner's record is the
// partner. It proves the resolver passes the conformance test every
// capability runs.
type partners struct {
	res *reach.Resolver
	db  *bun.DB
}

func (partners) Create(_ context.Context, _ *reachtest.World, p directory.Partner) (string, error) {
	return strconv.FormatInt(p.ID, 10), nil
}

func (a partners) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	rc, err := a.res.For(ctx, v)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := rc.Where(a.db.NewSelect().TableExpr("partners AS p").Column("p.id"), "p.id").Scan(ctx, &ids); err != nil {
		return nil, err
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out, nil
}

func (a partners) Load(ctx context.Context, v sdk.Viewer, id string) error {
	rc, err := a.res.For(ctx, v)
	n, _ := strconv.ParseInt(id, 10, 64)
	if err == nil && !rc.CanRead(n) {
		err = fail.NotFoundf("partner not found")
	}
	return err
}

func (a partners) Change(ctx context.Context, v sdk.Viewer, id string) error {
	if err := a.Load(ctx, v, id); err != nil {
		return err
	}
	rc, _ := a.res.For(ctx, v)
	if n, _ := strconv.ParseInt(id, 10, 64); !rc.CanWrite(n) {
		return fail.New(fail.Forbidden, "read only")
	}
	return nil
}

func TestConformance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		reachtest.Run(t, db, partners{res: reach.New(db), db: db}, reachtest.Writers{})
	})
}

// TestNetworkRule follows the program's two-tier rule: another parent type,
// and managers who reach their distributors' sub-partners.
func TestNetworkRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := reachtest.NewWorld(t, db)
		res := reach.New(db)
		dist := w.Users[w.Distributor.Slug+"-user"]
		if rc, err := res.For(ctx, dist); err != nil || !rc.CanRead(w.Sub.ID) || rc.CanWrite(w.Sub.ID) {
			t.Fatalf("default rule: distributor reads %v writes %v (%v)", rc.CanRead(w.Sub.ID), rc.CanWrite(w.Sub.ID), err)
		}
		if rc, _ := res.For(ctx, w.ManagerOfDist2); rc.CanRead(w.Sub2.ID) {
			t.Fatal("default rule: a distributor's manager reaches its sub-partners")
		}
		p := program.Default()
		p.Network = &program.Network{ParentTypes: []string{"reseller"}, ManagersReachSubPartners: true}
		if err := program.Save(ctx, db, p); err != nil {
			t.Fatal(err)
		}
		res = reach.New(db) // past the rule's cache
		if rc, _ := res.For(ctx, dist); rc.CanRead(w.Sub.ID) || !rc.CanRead(w.Distributor.ID) {
			t.Error("a distributor still reads its network when its type may not have one")
		}
		if rc, _ := res.For(ctx, w.ManagerOfDist2); rc.CanRead(w.Sub2.ID) {
			t.Error("a manager reaches the network of a type that may not have one")
		}
		p.Network.ParentTypes = []string{"distributor"}
		if err := program.Save(ctx, db, p); err != nil {
			t.Fatal(err)
		}
		res = reach.New(db)
		if rc, _ := res.For(ctx, w.ManagerOfDist2); !rc.CanRead(w.Sub2.ID) || !rc.Manages(w.Sub2.ID) || rc.CanRead(w.Sub.ID) {
			t.Errorf("manager of a distributor: reads sub %v manages %v, reads another network %v",
				rc.CanRead(w.Sub2.ID), rc.Manages(w.Sub2.ID), rc.CanRead(w.Sub.ID))
		}
	})
}

// TestMemo builds a viewer's reach once per request, and previews never.
func TestMemo(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	w := reachtest.NewWorld(t, db)
	res := reach.New(db)
	v := w.ManagerOfSub
	mctx := reach.Memo(ctx)
	if rc, _ := res.For(mctx, v); !rc.CanRead(w.Sub.ID) {
		t.Fatal("manager does not reach their partner")
	}
	if err := w.Dir.SetActive(ctx, v.UserID, false); err != nil {
		t.Fatal(err)
	}
	if rc, _ := res.For(mctx, v); !rc.CanRead(w.Sub.ID) {
		t.Error("the same request built the reach twice")
	}
	if rc, _ := res.For(reach.Memo(ctx), v); rc.CanRead(w.Sub.ID) {
		t.Error("a new request kept a deactivated manager's reach")
	}
}

// TestStaleViewer: a viewer whose role or partner no longer matches the
// directory reaches nobody.
func TestStaleViewer(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	w := reachtest.NewWorld(t, db)
	res := reach.New(db)
	posing := w.ManagerOfNobody
	posing.Role = sdk.RoleAdmin
	moved := w.Users[w.Sub.Slug+"-user"]
	moved.Partner = &sdk.Partner{ID: w.Sibling.ID, Type: "reseller"}
	for name, v := range map[string]sdk.Viewer{"another role": posing, "another partner": moved} {
		if rc, err := res.For(ctx, v); err != nil || !rc.None() || rc.IsStaff() {
			t.Errorf("%s: reaches %v (staff %v), %v", name, rc.IDs(), rc.IsStaff(), err)
		}
	}
}

// TestPermissions: named permissions come with the reach, fresh per
// request: admins hold every one, managers what they are granted, partners
// and previews none.
func TestPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := reachtest.NewWorld(t, db)
		res := reach.New(db)
		can := func(v sdk.Viewer) bool {
			rc, err := res.For(ctx, v)
			if err != nil {
				t.Fatal(err)
			}
			return rc.Can(directory.PermPublishRooms)
		}
		preview := w.Users[w.Sub.Slug+"-admin"]
		preview.Preview = true
		if !can(w.Admin) || can(w.ManagerOfSub) || can(w.Users[w.Sub.Slug+"-admin"]) || can(preview) {
			t.Fatal("before any grant: only the admin may publish")
		}
		if _, err := w.Dir.SetPermissions(ctx, w.ManagerOfSub.UserID, []string{directory.PermPublishRooms}); err != nil {
			t.Fatal(err)
		}
		if !can(w.ManagerOfSub) || can(w.ManagerOfOthers) {
			t.Error("the grant did not count at once, or counted for another manager")
		}
		if _, err := w.Dir.SetPermissions(ctx, w.ManagerOfSub.UserID, nil); err != nil {
			t.Fatal(err)
		}
		if can(w.ManagerOfSub) {
			t.Error("the revocation did not count at once")
		}
	})
}

// TestStaffOf: the staff a partner's records may go to are exactly the
// staff whose reach changes them, under either network rule, and a
// deactivated one is not among them.
func TestStaffOf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := reachtest.NewWorld(t, db)
		staff := []sdk.Viewer{w.Admin, w.ManagerOfSub, w.ManagerOfOthers, w.ManagerOfNobody, w.ManagerOfDist2}
		partners := []directory.Partner{w.Distributor, w.Sub, w.Sibling, w.Dist2, w.Sub2}
		check := func(rule string) {
			t.Helper()
			res := reach.New(db)
			for _, p := range partners {
				got, err := res.StaffOf(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range staff {
					rc, err := res.For(ctx, v)
					if err != nil {
						t.Fatal(err)
					}
					if slices.Contains(got, v.UserID) != rc.CanWrite(p.ID) {
						t.Errorf("%s: %s in StaffOf(%s) = %v, reach writes %v", rule, v.Email, p.Slug, slices.Contains(got, v.UserID), rc.CanWrite(p.ID))
					}
				}
			}
		}
		check("default rule")
		p := program.Default()
		p.Network = &program.Network{ParentTypes: []string{"distributor"}, ManagersReachSubPartners: true}
		if err := program.Save(ctx, db, p); err != nil {
			t.Fatal(err)
		}
		check("managers reach sub-partners")
		if err := w.Dir.SetActive(ctx, w.ManagerOfSub.UserID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := reach.New(db).StaffOf(ctx, w.Sub.ID); slices.Contains(got, w.ManagerOfSub.UserID) {
			t.Error("a deactivated manager is among a partner's staff")
		}
	})
}
