package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/atriumhq/atrium/core/backup"
)

// A backup taken while the portal serves and takes leads restores into a
// fresh data folder, and a portal started on it serves the same rooms,
// leads and file bytes. A damaged archive, one from a newer schema and a
// non-empty target are refused before anything is written. SQLite only:
// on PostgreSQL the database is pg_dump's.
func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := startDemoPrepared(t, func(g *globals) { g.databaseURL, g.blobURL = "", "" }, nil)
	pt, err := p.services(t).dir.PartnerBySlug(ctx, "carlos-co")
	if err != nil {
		t.Fatal(err)
	}
	carlos := p.client(t, "carlos@carlosco.example")
	body := make([]byte, 300<<10)
	rand.Read(body)
	copy(body, "%PDF-1.4\n")
	code, loc, page := upload(t, carlos, fmt.Sprintf("%s/spaces/%d/files", p.URL, pt.ID), nil, map[string][]byte{"plan.pdf": body})
	if code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", code, page)
	}
	fileID := strings.TrimPrefix(loc, "/rooms/files/items/")
	sarah := p.client(t, "sarah@northwind.example")
	action := "/rooms/leads/blocks/submit/actions/submit"
	_, leads := fetch(t, sarah, p.URL+"/rooms/leads")
	state := formState(t, leads, action)
	submit := func(company string) string {
		code, loc, _ := post(t, sarah, p.URL+action, url.Values{"_state": {state}, "company": {company}, "contactName": {"Dee Lee"},
			"email": {"dee@" + strings.ToLower(strings.ReplaceAll(company, " ", "")) + ".example"}})
		if code != http.StatusSeeOther {
			t.Errorf("submit %s: %d", company, code)
		}
		return loc
	}
	leadPage := submit("Backup Co")

	// Partners keep writing while the backup runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			submit(fmt.Sprintf("During Backup %d", i))
			written.Add(1)
		}
	}()
	archive := filepath.Join(t.TempDir(), "portal.tar.gz")
	code, out, errOut := cli(t, []string{"--data", p.g.data, "--log-level", "error"}, "", "backup", "--output", archive)
	close(stop)
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("backup: %s (%d leads written while it ran)", strings.TrimSpace(out), written.Load())

	restored := filepath.Join(t.TempDir(), "restored")
	if code, out, errOut := cli(t, []string{"--data", restored, "--log-level", "error"}, "", "restore", archive); code != 0 {
		t.Fatalf("restore: exit %d\n%s\n%s", code, out, errOut)
	}
	q := startDemoPrepared(t, func(g *globals) { g.data, g.databaseURL, g.blobURL = restored, "", "" },
		func(o *serveOptions) { o.demo = false })
	sarah2, carlos2 := q.client(t, "sarah@northwind.example"), q.client(t, "carlos@carlosco.example")
	if code, page := fetch(t, sarah2, q.URL+leadPage); code != http.StatusOK || !strings.Contains(page, "Backup Co") {
		t.Errorf("the restored portal does not show the lead: %d", code)
	}
	if code, page := fetch(t, sarah2, q.URL+"/rooms/leads"); code != http.StatusOK || !strings.Contains(page, "Leads") {
		t.Errorf("the restored portal does not serve the Leads room: %d", code)
	}
	res, err := carlos2.Get(q.URL + "/files/" + fileID + "/download")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Equal(got, body) {
		t.Errorf("the restored file: status %d, %d bytes, identical %v", res.StatusCode, len(got), bytes.Equal(got, body))
	}

	man, err := backup.Verify(archive)
	if err != nil {
		t.Fatal(err)
	}
	var fileEntry string
	for _, f := range man.Files {
		if strings.HasPrefix(f.Path, "files/") {
			fileEntry = f.Path
		}
	}
	for _, tc := range []struct {
		name   string
		change func(name string, b []byte) []byte
		want   string
	}{
		{"a damaged file", func(name string, b []byte) []byte {
			if name == fileEntry {
				b[len(b)/2] ^= 0xff
			}
			return b
		}, fileEntry + " is damaged"},
		{"a newer schema", func(name string, b []byte) []byte {
			if name != backup.ManifestName {
				return b
			}
			var m backup.Manifest
			json.Unmarshal(b, &m)
			m.Migrations = append(m.Migrations, "29991231000000_from_the_future")
			m.Schema = "29991231000000_from_the_future"
			b, _ = json.Marshal(m)
			return b
		}, "made by a newer Atrium"},
		{"a missing entry", func(name string, b []byte) []byte {
			if name == "atrium.db" {
				return nil
			}
			return b
		}, "atrium.db is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := rewriteArchive(t, archive, tc.change)
			target := filepath.Join(t.TempDir(), "target")
			code, _, errOut := cli(t, []string{"--data", target}, "", "restore", bad)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("restore: exit %d, want a refusal naming %q:\n%s", code, tc.want, errOut)
			}
			if _, err := os.Stat(target); !os.IsNotExist(err) {
				t.Errorf("a refused restore wrote into the target: %v", err)
			}
		})
	}
	t.Run("a folder in use", func(t *testing.T) {
		code, _, errOut := cli(t, []string{"--data", restored}, "", "restore", archive)
		if code == 0 || !strings.Contains(errOut, "not empty") {
			t.Fatalf("restore over data: exit %d\n%s", code, errOut)
		}
	})
}

// rewriteArchive copies the archive src with each entry passed through
// change (nil drops it), keeping the original manifest unless changed.
func rewriteArchive(t *testing.T, src string, change func(name string, b []byte) []byte) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		b = change(h.Name, b)
		if b == nil {
			continue
		}
		h.Size = int64(len(b))
		tw.WriteHeader(h)
		tw.Write(b)
	}
	tw.Close()
	zw.Close()
	dst := filepath.Join(t.TempDir(), "changed.tar.gz")
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// On PostgreSQL the command names the pg_dump command, without the
// password, and archives the files and plugins only.
func TestBackupOnPostgreSQLNamesPgDump(t *testing.T) {
	t.Parallel()
	db := dbFlags(t)
	if !strings.Contains(strings.Join(db, " "), "--database-url") {
		t.Skip("PostgreSQL only: set ATRIUM_TEST_DATABASE_URL")
	}
	if code, out, errOut := cli(t, db, "", "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s %s", out, errOut)
	}
	archive := filepath.Join(t.TempDir(), "files.tar.gz")
	code, out, errOut := cli(t, db, "", "backup", "-o", archive)
	if code != 0 || !strings.Contains(out, "pg_dump --format=custom") || !strings.Contains(out, "pg_restore") {
		t.Fatalf("backup: exit %d\n%s\n%s", code, out, errOut)
	}
	m, err := backup.Verify(archive)
	if err != nil || m.Engine != "postgres" {
		t.Fatalf("archive: %+v %v", m, err)
	}
}
