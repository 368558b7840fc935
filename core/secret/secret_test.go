package secret

import (
	"bytes"
	"context"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func TestKeyIsCreatedOnceAndKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a, err := Key(ctx, db, "actions")
		if err != nil {
			t.Fatal(err)
		}
		b, err := Key(ctx, db, "actions")
		if err != nil {
			t.Fatal(err)
		}
		c, _ := Key(ctx, db, "other")
		if len(a) != 32 || !bytes.Equal(a, b) || bytes.Equal(a, c) {
			t.Errorf("keys: %x %x %x", a, b, c)
		}
	})
}
