package reach_test

import (
	"context"
	"testing"

	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
)

// BenchmarkFor measures what building a reach costs a request, per kind of
// viewer, against a `SELECT 1` on the same database in the same run:
//
//	go test -run '^$' -bench For ./core/reach
//
// (with ATRIUM_TEST_DATABASE_URL set, on PostgreSQL too). A request builds
// its viewer's reach once (reach.Memo); the pipeline read the directory on
// every call before, without the viewer's standing.
func BenchmarkFor(b *testing.B) {
	for _, e := range storetest.Engines() {
		db := storetest.OpenEngine(b, e)
		w := reachtest.NewWorld(b, db)
		res := reach.New(db)
		ctx := context.Background()
		b.Run(string(e)+"/select-1", func(b *testing.B) {
			for b.Loop() {
				var one int
				if err := db.NewRaw("SELECT 1").Scan(ctx, &one); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, c := range []struct {
			name string
			v    sdk.Viewer
		}{
			{"admin", w.Admin},
			{"manager", w.ManagerOfSub},
			{"partner", w.Users[w.Sub.Slug+"-user"]},
			{"distributor", w.Users[w.Distributor.Slug+"-user"]},
		} {
			b.Run(string(e)+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := res.For(ctx, c.v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(string(e)+"/memo-hit", func(b *testing.B) {
			mctx := reach.Memo(ctx)
			v := w.Users[w.Sub.Slug+"-user"]
			for b.Loop() {
				if _, err := res.For(mctx, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
