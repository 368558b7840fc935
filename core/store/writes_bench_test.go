package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// BenchmarkConcurrentWrites has 16 writers insert a row each per
// transaction, through db.RunInTx (each its own commit, the writers
// waiting for SQLite's lock) and through store.RunInTx (grouped).
//
//	go test -run '^$' -bench ConcurrentWrites ./core/store
func BenchmarkConcurrentWrites(b *testing.B) {
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context, db *bun.DB, fn func(ctx context.Context, tx bun.Tx) error) error
	}{
		{"each-its-own", func(ctx context.Context, db *bun.DB, fn func(ctx context.Context, tx bun.Tx) error) error {
			return db.RunInTx(ctx, nil, fn)
		}},
		{"grouped", func(ctx context.Context, db *bun.DB, fn func(ctx context.Context, tx bun.Tx) error) error {
			return store.RunInTx(ctx, db, fn)
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			db := storetest.Open(b)
			createWrites(b, db)
			var n atomic.Int64
			b.SetParallelism(8) // 16 writers on two cores
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					i := n.Add(1)
					if err := tc.run(ctx, db, func(ctx context.Context, tx bun.Tx) error {
						_, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n, writer) VALUES (?, 0)", i)
						return err
					}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
