package files_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/files"
	"github.com/uptrace/bun"
)

// A crash between the object store and the database leaves bytes no file
// names: after an upload's commit, before its version row; after a file's
// rows are deleted, before its bytes are. The sweep finds exactly those,
// once they are older than any upload in progress can be, and never bytes a
// version names.
func TestSweepRemovesWhatACrashCutOff(t *testing.T) {
	each(t, func(t *testing.T, db *bun.DB, blobs *blob.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		fx := newFixture(t, db, blobs, files.Options{Now: func() time.Time { return now }})
		up := func(name string) files.Upload { return files.Upload{Name: name, Body: bytes.NewReader(pdf(300_000))} }
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		// The store may hold another engine's run of this test.
		before, err := blobs.List(ctx, "files/")
		must(err)
		stored := func() []string {
			t.Helper()
			keys, err := blobs.List(ctx, "files/")
			must(err)
			keys = slices.DeleteFunc(keys, func(k string) bool { return slices.Contains(before, k) })
			slices.Sort(keys)
			return keys
		}
		listed := func() int64 {
			t.Helper()
			n, err := db.NewSelect().Table("blob_pending").Count(ctx)
			must(err)
			return n
		}
		sorted := func(keys ...string) []string { slices.Sort(keys); return keys }

		kept, v1, err := fx.svc.Create(ctx, files.NewFile{Kind: files.KindResource}, up("kept.pdf"))
		must(err)
		v2, err := fx.svc.AddVersion(ctx, kept, 0, up("kept.pdf"))
		must(err)
		deleted, _, err := fx.svc.Create(ctx, files.NewFile{Kind: files.KindResource}, up("deleted.pdf"))
		must(err)
		must(fx.svc.Delete(ctx, deleted.ID))
		// Refused and interrupted uploads store nothing and list nothing.
		_, _, err = fx.svc.Create(ctx, files.NewFile{Kind: files.KindResource}, files.Upload{Name: "fake.pdf", Body: strings.NewReader("not a PDF at all")})
		if err == nil {
			t.Fatal("a fake PDF was accepted")
		}
		_, _, err = fx.svc.Create(ctx, files.NewFile{Kind: files.KindResource},
			files.Upload{Name: "cut.pdf", Body: io.MultiReader(bytes.NewReader(pdf(700_000)), iotestErr{io.ErrUnexpectedEOF})})
		if err == nil {
			t.Fatal("an interrupted upload was accepted")
		}
		if got, want := stored(), sorted(v1.BlobKey, v2.BlobKey); !slices.Equal(got, want) || listed() != 0 {
			t.Fatalf("before any crash: stored %v (want %v), %d listed", got, want, listed())
		}

		// The two crashes.
		orphan, err := fx.svc.StoreOnly(ctx, up("orphan.pdf"))
		must(err)
		unrecorded, uv, err := fx.svc.Create(ctx, files.NewFile{Kind: files.KindShared, PartnerID: &fx.a.ID}, up("contract.pdf"))
		must(err)
		must(fx.svc.UnrecordOnly(ctx, unrecorded.ID))
		// A stale listing of bytes a version names must never cost them.
		_, err = db.NewRaw("INSERT INTO blob_pending (blob_key, created_ms) VALUES (?, ?)", v1.BlobKey, now.UnixMilli()).Exec(ctx)
		must(err)

		// Within the grace they could be uploads in progress: kept.
		now = now.Add(files.PendingGrace - time.Minute)
		n, err := fx.svc.Sweep(ctx)
		must(err)
		all := sorted(v1.BlobKey, v2.BlobKey, orphan.BlobKey, uv.BlobKey)
		if got := stored(); n != 0 || !slices.Equal(got, all) {
			t.Fatalf("swept %d within the grace; stored %v, want %v", n, got, all)
		}
		// An upload that starts now is in progress when the others expire.
		fresh, err := fx.svc.StoreOnly(ctx, up("fresh.pdf"))
		must(err)

		now = now.Add(2 * time.Minute)
		n, err = fx.svc.Sweep(ctx)
		must(err)
		if got, want := stored(), sorted(v1.BlobKey, v2.BlobKey, fresh.BlobKey); n != 2 || !slices.Equal(got, want) {
			t.Fatalf("swept %d (want 2); stored %v, want %v", n, got, want)
		}
		if listed() != 1 {
			t.Fatalf("%d keys still listed, want only the upload in progress", listed())
		}
		// The recorded file still downloads, both versions.
		for _, ver := range []int{1, 2} {
			if code, body, _ := download(t, fx, fx.ad, kept.ID, ver, ""); code != 200 || len(body) != 300_000 {
				t.Fatalf("version %d after the sweep: %d, %d bytes", ver, code, len(body))
			}
		}
		if n, err := fx.svc.Sweep(ctx); err != nil || n != 0 {
			t.Fatalf("second sweep: %d, %v", n, err)
		}
	})
}
