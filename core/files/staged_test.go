package files_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/uptrace/bun"
)

// TestStagedFiles: a person may have MaxStaged uploads waiting and no more;
// dropping an unclaimed one frees a place, and dropping one claimed
// meanwhile leaves it be.
func TestStagedFiles(t *testing.T) {
	each(t, func(t *testing.T, db *bun.DB, blobs *blob.Store) {
		ctx := context.Background()
		fx := newFixture(t, db, blobs, files.Options{})
		by := fx.userA.User.ID
		up := func() files.Upload { return files.Upload{Name: "note.txt", Body: bytes.NewReader([]byte("hello\n"))} }
		var tokens []string
		for range files.MaxStaged {
			tok, _, err := fx.svc.Stage(ctx, by, up())
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, tok)
		}
		if _, _, err := fx.svc.Stage(ctx, by, up()); fail.CodeOf(err) != fail.TooMany {
			t.Fatalf("upload %d waiting: %v", files.MaxStaged+1, err)
		}
		// Another person is not held back by Lisa's uploads.
		if _, _, err := fx.svc.Stage(ctx, fx.userB.User.ID, up()); err != nil {
			t.Errorf("another person's upload: %v", err)
		}
		var claimed []files.File
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var err error
			claimed, err = files.Claim(ctx, tx, by, tokens[:1], files.KindShared, &fx.a.ID, "attachments")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := fx.svc.DropStaged(ctx, claimed[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.Get(ctx, claimed[0].ID); err != nil {
			t.Errorf("dropping a claimed file removed it: %v", err)
		}
		id := mustID(t, tokens[1])
		if err := fx.svc.DropStaged(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.Get(ctx, id); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("an unclaimed upload was not dropped: %v", err)
		}
		if _, _, err := fx.svc.Stage(ctx, by, up()); err != nil {
			t.Errorf("after freeing places: %v", err)
		}
	})
}

func mustID(t *testing.T, tok string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(tok, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
