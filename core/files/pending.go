package files

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// The object store and the database cannot share a transaction, so a crash
// can separate an object from its record: after an upload's bytes are
// committed but before its version row is, or after a file's rows are
// deleted but before its bytes are. The blob_pending table closes that gap.
// A key is listed before its bytes are written (or, on deletion, in the
// transaction that drops its rows) and leaves the list in the transaction
// that records it (or once its bytes are gone). Whatever stays listed past
// [PendingGrace] was cut off, and [Service.Sweep] removes its bytes, after
// checking once more that no version names the key.

// PendingGrace is how long a listed key may wait for its record before the
// sweep counts it as cut off: far longer than any upload can take (the web
// server reads a request for at most five minutes), so an upload in
// progress, on this node or another sharing the store, is never swept.
const PendingGrace = 24 * time.Hour

type pendingKey struct {
	bun.BaseModel `bun:"table:blob_pending"`
	BlobKey       string `bun:"blob_key,pk"`
	CreatedMS     int64  `bun:"created_ms"`
}

// listPending records keys whose bytes and records are about to disagree.
func (s *Service) listPending(ctx context.Context, db bun.IDB, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	now := s.opts.Now().UnixMilli()
	rows := make([]pendingKey, len(keys))
	for i, k := range keys {
		rows[i] = pendingKey{BlobKey: k, CreatedMS: now}
	}
	if _, err := db.NewInsert().Model(&rows).On("CONFLICT (blob_key) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("list pending objects: %w", err)
	}
	return nil
}

// settle takes key off the list: its record and its bytes agree again.
func settle(ctx context.Context, db bun.IDB, key string) error {
	if _, err := db.NewDelete().Table("blob_pending").Where("blob_key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("settle object %s: %w", key, err)
	}
	return nil
}

// discard removes bytes that no record names (an upload refused or not
// recorded, a deleted file) and then takes their key off the list. If the
// store fails, the key stays listed and the sweep tries again later.
func (s *Service) discard(key string) {
	ctx := context.WithoutCancel(context.Background())
	if err := s.blobs.Delete(ctx, key); err != nil {
		return
	}
	_ = settle(ctx, s.db, key)
}

// Sweep removes the bytes of keys listed for longer than [PendingGrace]
// and no version names, and reports how many it removed. The portal runs
// it every hour.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	cutoff := s.opts.Now().Add(-PendingGrace).UnixMilli()
	var keys []string
	err := s.db.NewSelect().Table("blob_pending").Column("blob_key").
		Where("created_ms < ?", cutoff).
		Where("NOT EXISTS (SELECT 1 FROM file_versions v WHERE v.blob_key = blob_pending.blob_key)").
		Order("created_ms").Limit(1000).Scan(ctx, &keys)
	if err != nil {
		return 0, fmt.Errorf("sweep objects: %w", err)
	}
	removed := 0
	for _, k := range keys {
		if err := s.blobs.Delete(ctx, k); err != nil {
			return removed, fmt.Errorf("sweep objects: %w", err)
		}
		if err := settle(ctx, s.db, k); err != nil {
			return removed, fmt.Errorf("sweep objects: %w", err)
		}
		removed++
	}
	// A key a version names was recorded after all; only its listing is
	// stale. Never its bytes.
	_, err = s.db.NewDelete().Table("blob_pending").
		Where("created_ms < ?", cutoff).
		Where("EXISTS (SELECT 1 FROM file_versions v WHERE v.blob_key = blob_pending.blob_key)").Exec(ctx)
	if err != nil {
		return removed, fmt.Errorf("sweep objects: %w", err)
	}
	return removed, nil
}
