package backup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/blob/blobtest"
	"github.com/atriumhq/atrium/core/store"
)

func TestPgDumpCommandLeavesThePasswordOut(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"postgres://atrium:s3cret@db:5432/atrium?sslmode=require", "pg_dump --format=custom --no-owner --file=a.dump 'postgres://atrium@db:5432/atrium?sslmode=require'"},
		{"postgres://atrium@db/atrium", "pg_dump --format=custom --no-owner --file=a.dump 'postgres://atrium@db/atrium'"},
		{"postgres://db/atrium", "pg_dump --format=custom --no-owner --file=a.dump 'postgres://db/atrium'"},
	} {
		if got := PgDumpCommand(tc.url, "a.dump"); got != tc.want {
			t.Errorf("PgDumpCommand(%q)\n got %s\nwant %s", tc.url, got, tc.want)
		}
	}
}

func TestCleanEntry(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"atrium.db", true}, {"files/ab/cd", true}, {"plugins/acme/nps/plugin.yaml", true},
		{"../etc/passwd", false}, {"/etc/passwd", false}, {"files/../../x", false}, {"files//x", false}, {"", false}, {"a\\b", false},
	} {
		if err := cleanEntry(tc.name); (err == nil) != tc.ok {
			t.Errorf("cleanEntry(%q) = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

// A folder store's files are archived and come back byte for byte; an S3
// store is checked to answer and left out, and the archive says so.
func TestCreateByStore(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	db, err := store.Open(ctx, store.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	blobtest.Each(t, func(t *testing.T, s *blob.Store) {
		if _, err := s.Put(ctx, "ab/cdef", "application/pdf", strings.NewReader("the bytes of a file")); err != nil {
			t.Fatal(err)
		}
		archive := filepath.Join(t.TempDir(), "b.tar.gz")
		f, err := os.Create(archive)
		if err != nil {
			t.Fatal(err)
		}
		var calls int
		res, err := Create(ctx, f, Options{Store: store.Config{DataDir: data}, Blobs: s, Version: "v1.2.3",
			Progress: func(Progress) { calls++ }})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.FilesCopied != (s.Dir() != "") || calls == 0 || res.Manifest.Schema == "" {
			t.Fatalf("files copied %v, progress calls %d, schema %q", res.FilesCopied, calls, res.Manifest.Schema)
		}
		target := filepath.Join(t.TempDir(), "data")
		m, err := Restore(ctx, archive, RestoreOptions{DataDir: target})
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(target, "files", "ab", "cdef"))
		switch {
		case s.Dir() != "" && (err != nil || string(got) != "the bytes of a file"):
			t.Fatalf("restored file: %q %v", got, err)
		case s.Dir() == "" && !os.IsNotExist(err):
			t.Fatalf("an S3 object was archived: %v", err)
		}
		if m.Version != "v1.2.3" || len(m.Migrations) == 0 {
			t.Fatalf("manifest %+v", m)
		}
	})
}
