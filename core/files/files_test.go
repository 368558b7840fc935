package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"github.com/atriumhq/atrium/core/reach"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/blob/blobtest"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// fixture is a small program: two partners, their users, a manager of the
// first, another manager, an admin.
type fixture struct {
	svc                          *files.Service
	blobs                        *blob.Store
	dir                          *directory.Directory
	reach                        *reach.Resolver
	a, b                         directory.Partner
	userA, userB, mgr, other, ad *principal.Principal
	events                       *events
}

type events struct{ got []engagement.Event }

func (e *events) Record(ev engagement.Event) { e.got = append(e.got, ev) }

func newFixture(t *testing.T, db *bun.DB, blobs *blob.Store, opts files.Options) *fixture {
	t.Helper()
	ctx := context.Background()
	d := directory.New(db)
	mk := func(in directory.UserInput) directory.User {
		u, err := d.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	mgr := mk(directory.UserInput{Email: "mgr@v.example", Name: "Mike", Role: sdk.RoleManager})
	other := mk(directory.UserInput{Email: "other@v.example", Name: "Priya", Role: sdk.RoleManager})
	admin := mk(directory.UserInput{Email: "admin@v.example", Name: "Ada", Role: sdk.RoleAdmin})
	pa, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "Carlos", Type: "reseller", Tier: "gold", Stage: "active", ManagerID: &mgr.ID})
	if err != nil {
		t.Fatal(err)
	}
	pb, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "Northwind", Type: "referral", Tier: "bronze", Stage: "active"})
	if err != nil {
		t.Fatal(err)
	}
	ua := mk(directory.UserInput{Email: "lisa@a.example", Name: "Lisa", Role: sdk.RolePartnerUser, ContactRole: "sales", PartnerID: &pa.ID})
	ub := mk(directory.UserInput{Email: "sarah@b.example", Name: "Sarah", Role: sdk.RolePartnerAdmin, ContactRole: "sales", PartnerID: &pb.ID})
	ev := &events{}
	if opts.Recorder == nil {
		opts.Recorder = ev
	}
	return &fixture{
		svc: files.New(db, blobs, opts), blobs: blobs, dir: d, reach: reach.New(db), a: pa, b: pb, events: ev,
		userA: &principal.Principal{User: ua, Partner: &pa}, userB: &principal.Principal{User: ub, Partner: &pb},
		mgr: &principal.Principal{User: mgr}, other: &principal.Principal{User: other}, ad: &principal.Principal{User: admin},
	}
}

func (fx *fixture) viewer(p *principal.Principal) files.Viewer {
	return files.Viewer{P: p, Program: program.Default(), Reach: fx.reach}
}

// each runs fn on every database engine and every object store.
func each(t *testing.T, fn func(t *testing.T, db *bun.DB, blobs *blob.Store)) {
	blobtest.Each(t, func(t *testing.T, blobs *blob.Store) {
		storetest.Each(t, func(t *testing.T, db *bun.DB) { fn(t, db, blobs) })
	})
}

var pngHead = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
var pdfHead = []byte("%PDF-1.4\n")

func pdf(size int) []byte {
	b := bytes.Repeat([]byte("x"), size)
	copy(b, pdfHead)
	return b
}

// download fetches a file through Serve as p.
func download(t *testing.T, fx *fixture, p *principal.Principal, id int64, version int, rng string) (int, []byte, http.Header) {
	t.Helper()
	req := httptest.NewRequest("GET", "/files/x/download", nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	rec := httptest.NewRecorder()
	if err := fx.svc.Serve(rec, req, fx.viewer(p), id, version, false); err != nil {
		if fail.CodeOf(err) == fail.NotFound {
			return 404, nil, nil
		}
		t.Fatal(err)
	}
	return rec.Code, rec.Body.Bytes(), rec.Header()
}

func TestUploadDownloadVersions(t *testing.T) {
	each(t, func(t *testing.T, db *bun.DB, blobs *blob.Store) {
		ctx := context.Background()
		fx := newFixture(t, db, blobs, files.Options{})
		v1 := pdf(300_000)
		f, ver, err := fx.svc.Create(ctx, files.NewFile{Kind: files.KindResource, Folder: "Case studies/Healthcare", By: fx.mgr.User.ID},
			files.Upload{Name: "Healthcare case study.pdf", Body: bytes.NewReader(v1)})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(v1)
		if ver.SHA256 != hex.EncodeToString(sum[:]) || ver.Size != int64(len(v1)) || ver.ContentType != "application/pdf" {
			t.Fatalf("version %+v", ver)
		}
		code, body, h := download(t, fx, fx.userA, f.ID, 0, "")
		if code != 200 || !bytes.Equal(body, v1) {
			t.Fatalf("download: %d, %d bytes", code, len(body))
		}
		for k, want := range map[string]string{
			"Content-Disposition":    `attachment; filename="Healthcare case study.pdf"`,
			"X-Content-Type-Options": "nosniff",
			"Content-Type":           "application/pdf",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("CSP %q has no sandbox", h.Get("Content-Security-Policy"))
		}
		// A ranged read, as a PDF viewer does.
		code, body, _ = download(t, fx, fx.userA, f.ID, 0, "bytes=100-199")
		if code != 206 || !bytes.Equal(body, v1[100:200]) {
			t.Fatalf("range: %d %d", code, len(body))
		}

		v2 := pdf(1000)
		ver2, err := fx.svc.AddVersion(ctx, f, fx.mgr.User.ID, files.Upload{Name: "Healthcare case study v2.pdf", Body: bytes.NewReader(v2)})
		if err != nil || ver2.Number != 2 {
			t.Fatalf("version 2: %+v %v", ver2, err)
		}
		if _, body, _ := download(t, fx, fx.userA, f.ID, 0, ""); !bytes.Equal(body, v2) {
			t.Fatal("latest is not version 2")
		}
		// Lisa downloaded version 1, so she hears of version 2.
		ns, err := fx.svc.Notices(ctx, fx.userA.User.ID)
		if err != nil || len(ns) != 1 || ns[0].Version != 2 || ns[0].FileID != f.ID {
			t.Fatalf("notices %+v %v", ns, err)
		}
		// Version 1 stays for staff, not for partners.
		if code, body, _ := download(t, fx, fx.mgr, f.ID, 1, ""); code != 200 || !bytes.Equal(body, v1) {
			t.Fatalf("staff old version: %d", code)
		}
		if code, _, _ := download(t, fx, fx.userA, f.ID, 1, ""); code != 404 {
			t.Fatalf("partner old version: %d", code)
		}
		acc, err := fx.svc.Accesses(ctx, f.ID, 100)
		if err != nil || len(acc) != 3 { // the ranged read is not counted
			t.Fatalf("accesses %d %v", len(acc), err)
		}
		got, _ := fx.svc.Get(ctx, f.ID)
		if got.Downloads != 3 || got.Latest != 2 {
			t.Fatalf("file %+v", got)
		}
		if len(fx.events.got) != 3 || fx.events.got[0].Name != engagement.ActionDownload || fx.events.got[0].ResourceID != f.ID {
			t.Fatalf("events %+v", fx.events.got)
		}
		if err := engagement.Validate(fx.events.got[0]); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		fx := newFixture(t, db, blobtest.Dir(t), files.Options{})
		up := func() files.Upload { return files.Upload{Name: "a.pdf", Body: bytes.NewReader(pdf(100))} }
		shared, _, err := fx.svc.Create(ctx, files.NewFile{Kind: files.KindShared, PartnerID: &fx.a.ID}, up())
		if err != nil {
			t.Fatal(err)
		}
		resellers, _, _ := fx.svc.Create(ctx, files.NewFile{Kind: files.KindResource, Audience: sdk.Audience{PartnerTypes: []string{"reseller"}}}, up())
		everyone, _, _ := fx.svc.Create(ctx, files.NewFile{Kind: files.KindResource}, up())
		archived, _, _ := fx.svc.Create(ctx, files.NewFile{Kind: files.KindResource}, up())
		if err := fx.svc.Archive(ctx, archived.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			p    *principal.Principal
			f    files.File
			want int
		}{
			{"own space", fx.userA, shared, 200},
			{"other partner's space", fx.userB, shared, 404},
			{"its manager", fx.mgr, shared, 200},
			{"another manager", fx.other, shared, 404},
			{"admin", fx.ad, shared, 200},
			{"audience admits", fx.userA, resellers, 200},
			{"audience refuses", fx.userB, resellers, 404},
			{"open to all", fx.userB, everyone, 200},
			{"archived, partner", fx.userA, archived, 404},
			{"archived, staff", fx.other, archived, 200},
			{"anonymous", nil, everyone, 404},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if code, _, _ := download(t, fx, tc.p, tc.f.ID, 0, ""); code != tc.want {
					t.Fatalf("got %d, want %d", code, tc.want)
				}
				if code, _, _ := download(t, fx, tc.p, tc.f.ID, 1, ""); code != tc.want {
					t.Fatalf("version URL: got %d, want %d", code, tc.want)
				}
			})
		}
	})
}

// failingReader delivers some bytes, then fails like a dropped connection.
type failingReader struct {
	r io.Reader
	n int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset by peer")
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

func TestBadUploads(t *testing.T) {
	each(t, func(t *testing.T, db *bun.DB, blobs *blob.Store) {
		ctx := context.Background()
		fx := newFixture(t, db, blobs, files.Options{MaxSize: func(context.Context) int64 { return 1 << 20 }})
		for _, tc := range []struct {
			name, file string
			body       io.Reader
			want       string
		}{
			{"oversized", "big.pdf", bytes.NewReader(pdf(1<<20 + 1)), "larger than the 1 MB limit"},
			{"bytes are not a PDF", "report.pdf", bytes.NewReader(pngHead), "do not match its .pdf extension"},
			{"HTML named PNG", "logo.png", strings.NewReader("<html><script>alert(1)</script></html>"), "do not match its .png extension"},
			{"SVG with script", "logo.svg", strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "SVG files with scripts"},
			{"SVG with handler", "logo.svg", strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`), "SVG files with scripts"},
			{"HTML", "page.html", strings.NewReader("<html></html>"), `".html" are not accepted`},
			{"executable", "setup.exe", strings.NewReader("MZ"), `".exe" are not accepted`},
			{"no name", "../..", strings.NewReader("x"), "needs a name"},
			{"empty", "empty.pdf", strings.NewReader(""), "empty"},
			{"interrupted", "cut.pdf", &failingReader{r: bytes.NewReader(pdf(600_000)), n: 300_000}, "interrupted"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := fx.svc.Create(ctx, files.NewFile{Kind: files.KindShared, PartnerID: &fx.a.ID}, files.Upload{Name: tc.file, Body: tc.body})
				if err == nil || fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an invalid-input error saying %q", err, tc.want)
				}
			})
		}
		keys, err := blobs.List(ctx, "")
		if err != nil || len(keys) != 0 {
			t.Fatalf("half-stored objects: %v %v", keys, err)
		}
		var n int64
		if n, err = db.NewSelect().Table("files").Count(ctx); err != nil || n != 0 {
			t.Fatalf("%d file rows, %v", n, err)
		}
	})
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":                "passwd",
		`..\..\windows\evil.pdf`:          "evil.pdf",
		"report\x00.pdf":                  "report.pdf",
		"re\u202eport.pdf":                "report.pdf",
		".hidden.pdf":                     "hidden.pdf",
		"  spaced name .pdf ":             "spaced name .pdf",
		"a:b*c?.pdf":                      "a_b_c_.pdf",
		"Case study – Médica.pdf":         "Case study – Médica.pdf",
		"..":                              "",
		strings.Repeat("x", 300) + ".pdf": strings.Repeat("x", 196) + ".pdf",
	} {
		if got := files.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanSVGAccepted(t *testing.T) {
	fx := newFixture(t, storetest.Open(t), blobtest.Dir(t), files.Options{})
	svg := `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#2563eb"/></svg>`
	f, v, err := fx.svc.Create(context.Background(), files.NewFile{Kind: files.KindBrand}, files.Upload{Name: "../logo.svg", Body: strings.NewReader(svg)})
	if err != nil || f.Name != "logo.svg" || v.ContentType != "image/svg+xml" {
		t.Fatalf("%+v %+v %v", f, v, err)
	}
	// Even asked inline, an SVG is an attachment.
	req := httptest.NewRequest("GET", "/", nil)
	rec := httptest.NewRecorder()
	if err := fx.svc.Serve(rec, req, fx.viewer(fx.userA), f.ID, 0, true); err != nil {
		t.Fatal(err)
	}
	if d := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") {
		t.Fatalf("disposition %q", d)
	}
}

// A reader that ends with io.ErrUnexpectedEOF (a multipart body cut short)
// is an interrupted upload, not a short file.
func TestCutShortIsInterrupted(t *testing.T) {
	fx := newFixture(t, storetest.Open(t), blobtest.Dir(t), files.Options{})
	body := io.MultiReader(bytes.NewReader(pdf(400_000)), iotestErr{io.ErrUnexpectedEOF})
	_, _, err := fx.svc.Create(context.Background(), files.NewFile{Kind: files.KindShared, PartnerID: &fx.a.ID}, files.Upload{Name: "cut.pdf", Body: body})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("got %v", err)
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }
