// Package secret keeps the portal's own secret keys in the database, so every
// portal process sharing it signs and verifies with the same key, and a
// restart does not invalidate what was signed.
package secret

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/uptrace/bun"
)

// Key returns the 32-byte key stored under name, creating it on first use.
// Concurrent first uses agree on one key.
func Key(ctx context.Context, db bun.IDB, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	key := "secret:" + name
	if _, err := db.NewRaw("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
		key, base64.StdEncoding.EncodeToString(fresh)).Exec(ctx); err != nil {
		return nil, fmt.Errorf("store secret %s: %w", name, err)
	}
	var enc string
	if err := db.NewRaw("SELECT value FROM settings WHERE key = ?", key).Scan(ctx, &enc); err != nil {
		return nil, fmt.Errorf("load secret %s: %w", name, err)
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(b) < 32 {
		return nil, fmt.Errorf("secret %s is corrupt", name)
	}
	return b, nil
}
