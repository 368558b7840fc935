package main

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/blob/blobtest"
	"github.com/atriumhq/atrium/core/demo"
)

// upload posts a multipart form (fields first, then files) as c.
func upload(t testing.TB, c *http.Client, u string, fields map[string]string, files map[string][]byte) (int, string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, body := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(body)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", u, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(body)
}

var hrefRE = regexp.MustCompile(`href="(/files/\d+/download)"`)

// TestContentStory walks the story over HTTP: Jennifer filters the
// library by Healthcare and case studies and downloads the PDF; Lisa
// downloads the co-branded slide template; Carlos uploads a signed
// agreement, Mike uploads the countersigned version, and both see the final
// contract and who accessed it.
func TestContentStory(t *testing.T) {
	t.Parallel()
	contentStory(t)
}

// contentStory is TestContentStory's body, which TestContentOnS3 runs again with the files in S3.
func contentStory(t *testing.T) {
	p := startDemo(t)
	jennifer := p.client(t, "jennifer@abccorp.example")
	code, page := fetch(t, jennifer, p.URL+"/rooms/resources/items/search?tag=industry:healthcare&tag=type:case-study")
	if code != 200 || !strings.Contains(page, "Riverside Health") || strings.Contains(page, "Northgate") {
		t.Fatalf("filtered library: %d\n%s", code, page)
	}
	m := hrefRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no download link in the filtered library")
	}
	res, err := jennifer.Get(p.URL + m[1])
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
	// Jennifer's partner is an implementation partner: no price list, no brand room.
	if _, page := fetch(t, jennifer, p.URL+"/rooms/resources/items/search?q=price"); strings.Contains(page, "Reseller price list") {
		t.Fatal("implementation partner sees the reseller price list")
	}

	lisa := p.client(t, "lisa@carlosco.example")
	code, page = fetch(t, lisa, p.URL+"/rooms/brand")
	if code != 200 || !strings.Contains(page, "Co-branded slide template") || !strings.Contains(page, "#2563EB") {
		t.Fatalf("brand room: %d", code)
	}

	carlos := p.client(t, "carlos@carlosco.example")
	mike := p.client(t, "mike@acme.example")
	ctx := context.Background()
	pt, _ := p.services(t).dir.PartnerBySlug(ctx, "carlos-co")
	code, loc, body := upload(t, carlos, fmt.Sprintf("%s/spaces/%d/files", p.URL, pt.ID), map[string]string{"folder": "Contracts"},
		map[string][]byte{"MSA signed.pdf": demo.PDF("Master services agreement", "Signed by Carlos & Co")})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/rooms/files/items/") {
		t.Fatalf("partner upload: %d %s %s", code, loc, body)
	}
	id := strings.TrimPrefix(loc, "/rooms/files/items/")
	if code, _ := fetch(t, carlos, p.URL+loc); code != 200 {
		t.Fatalf("file page: %d", code)
	}
	if code, _ := fetch(t, carlos, p.URL+"/files/"+id+"/download"); code != 200 {
		t.Fatalf("partner download: %d", code)
	}
	code, loc, body = upload(t, mike, p.URL+"/files/"+id+"/versions", nil,
		map[string][]byte{"MSA countersigned.pdf": demo.PDF("Master services agreement", "Signed by both")})
	if code != http.StatusSeeOther || loc != "/admin/files/"+id {
		t.Fatalf("manager version: %d %s %s", code, loc, body)
	}
	for who, c := range map[string]*http.Client{"carlos": carlos, "mike": mike} {
		u := p.URL + "/rooms/files/items/" + id
		if who == "mike" {
			u = p.URL + "/admin/files/" + id
		}
		code, page := fetch(t, c, u)
		if code != 200 || !strings.Contains(page, "MSA countersigned.pdf") || !strings.Contains(page, "Carlos Rivera") || !strings.Contains(page, "Version 2") {
			t.Fatalf("%s sees the final contract and its log: %d\n%s", who, code, page)
		}
	}
	// Sarah (Northwind) gets nothing: not the page, the download, the version, the upload.
	sarah := p.client(t, "sarah@northwind.example")
	for _, u := range []string{"/rooms/files/items/" + id, "/files/" + id + "/download", "/files/" + id + "/versions/1/download", "/files/" + id + "/comments"} {
		if code, _ := fetch(t, sarah, p.URL+u); code != 404 {
			t.Errorf("other partner %s: %d", u, code)
		}
	}
	if code, _, _ := upload(t, sarah, fmt.Sprintf("%s/spaces/%d/files", p.URL, pt.ID), nil, map[string][]byte{"x.pdf": demo.PDF("x")}); code != 404 {
		t.Errorf("other partner uploads into the space: %d", code)
	}
}

// TestBadUploadsOverHTTP sends what must be refused and checks nothing was kept.
func TestBadUploadsOverHTTP(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	ctx := context.Background()
	s := p.services(t)
	pt, _ := s.dir.PartnerBySlug(ctx, "carlos-co")
	before, _ := s.content.Files.SpaceFiles(ctx, pt.ID)
	carlos := p.client(t, "carlos@carlosco.example")
	u := fmt.Sprintf("%s/spaces/%d/files", p.URL, pt.ID)
	for _, tc := range []struct {
		name string
		file string
		body []byte
		want string
	}{
		{"mismatched bytes", "contract.pdf", demo.Logo(color.RGBA{1, 2, 3, 255}), "do not match"},
		{"svg with script", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "SVG files with scripts"},
		{"html", "page.html", []byte("<html></html>"), "not accepted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := upload(t, carlos, u, nil, map[string][]byte{tc.file: tc.body})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Fatalf("%d, want 422 saying %q", code, tc.want)
			}
		})
	}
	// A ../ name is cleaned, not refused.
	code, loc, _ := upload(t, carlos, u, nil, map[string][]byte{"../../etc/agreement.pdf": demo.PDF("x")})
	if code != http.StatusSeeOther {
		t.Fatalf("../ name: %d", code)
	}
	res, err := carlos.Get(p.URL + "/files/" + strings.TrimPrefix(loc, "/rooms/files/items/") + "/download")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if d := res.Header.Get("Content-Disposition"); d != `attachment; filename=agreement.pdf` {
		t.Fatalf("cleaned name: %q", d)
	}
	// An interrupted upload: the body ends in the middle of the file part.
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", "cut.pdf")
	w.Write(demo.PDF("cut"))
	req, _ := http.NewRequest("POST", u, bytes.NewReader(b.Bytes())) // no closing boundary
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err = carlos.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "interrupted") {
		t.Fatalf("interrupted: %d", res.StatusCode)
	}
	after, _ := s.content.Files.SpaceFiles(ctx, pt.ID)
	if len(after) != len(before)+1 { // only the cleaned ../ upload
		t.Fatalf("%d files before, %d after", len(before), len(after))
	}
}

// TestContentAPI uploads into a space and reads the file back through the
// REST API, with a Range request, and is refused another partner's space.
func TestContentAPI(t *testing.T) {
	t.Parallel()
	contentAPI(t)
}

// contentAPI is TestContentAPI's body, which TestContentOnS3 runs again with the files in S3.
func contentAPI(t *testing.T) {
	p := startDemo(t)
	pt, _ := p.services(t).dir.PartnerBySlug(context.Background(), "carlos-co")
	lisa := p.client(t, "lisa@carlosco.example")
	data := demo.PDF("API upload", strings.Repeat("x", 5000))
	code, _, body := upload(t, lisa, fmt.Sprintf("%s/api/v1/spaces/%d/files", p.URL, pt.ID), map[string]string{"folder": "API"}, map[string][]byte{"api.pdf": data})
	if code != 200 || !strings.Contains(body, `"fileId"`) {
		t.Fatalf("api upload: %d %s", code, body)
	}
	id := regexp.MustCompile(`"fileId":(\d+)`).FindStringSubmatch(body)[1]
	req, _ := http.NewRequest("GET", p.URL+"/api/v1/files/"+id+"/download", nil)
	req.Header.Set("Range", "bytes=0-7")
	res, err := lisa.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusPartialContent || string(got) != "%PDF-1.4" {
		t.Fatalf("api range download: %d %q", res.StatusCode, got)
	}
	code, _, _ = upload(t, lisa, p.URL+"/api/v1/spaces/1/files", nil, map[string][]byte{"x.pdf": data})
	if pt.ID != 1 && code != 404 {
		t.Fatalf("upload into another space: %d", code)
	}
	code, _, body = upload(t, lisa, fmt.Sprintf("%s/api/v1/spaces/%d/files", p.URL, pt.ID), nil, map[string][]byte{"x.pdf": demo.Logo(color.RGBA{1, 1, 1, 255})})
	if code != 422 || !strings.Contains(body, "do not match") {
		t.Fatalf("mismatched api upload: %d %s", code, body)
	}
}

// TestEditResource edits a resource's facts on its staff page, which also
// lists who downloaded it.
func TestEditResource(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	mike := p.client(t, "mike@acme.example")
	code, page := fetch(t, mike, p.URL+"/admin/library/1")
	if code != 200 || !strings.Contains(page, "Downloads") {
		t.Fatalf("resource page: %d", code)
	}
	res, err := mike.PostForm(p.URL+"/admin/library/1", map[string][]string{"title": {"Riverside Health story"}, "description": {"Updated"},
		"folder": {"Case studies"}, "category": {"sales"}, "tags": {"industry:healthcare, type:case-study"}, "partnerTypes": {"reseller"}, "review": {"2030-01-01"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	// Now only resellers see it: Jennifer (implementation) no longer does, Lisa does.
	jennifer, lisa := p.client(t, "jennifer@abccorp.example"), p.client(t, "lisa@carlosco.example")
	if _, page := fetch(t, jennifer, p.URL+"/rooms/resources/items/search?q=riverside"); strings.Contains(page, "Riverside Health story") {
		t.Fatal("audience change not applied")
	}
	if _, page := fetch(t, lisa, p.URL+"/rooms/resources/items/search?q=riverside"); !strings.Contains(page, "Riverside Health story") {
		t.Fatal("reseller does not see the edited resource")
	}
	res, _ = mike.PostForm(p.URL+"/admin/library/1", map[string][]string{"title": {"x"}, "description": {""}, "tags": {"Not A Tag"}})
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad tags: %d", res.StatusCode)
	}
}

// TestContentRooms renders the three rooms for partners of each kind that
// has them, with no failed block, and 404 where a type has no such room.
func TestContentRooms(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	for _, tc := range []struct {
		email string
		rooms map[string]int
	}{
		{"lisa@carlosco.example", map[string]int{"resources": 200, "brand": 200, "files": 200}},
		{"jennifer@abccorp.example", map[string]int{"resources": 200, "brand": 404, "files": 200}},
		{"sarah@northwind.example", map[string]int{"resources": 200, "brand": 200, "files": 404}},
		{"dana@xyzdist.example", map[string]int{"resources": 200, "brand": 200, "files": 200}},
	} {
		c := p.client(t, tc.email)
		for slug, want := range tc.rooms {
			code, page := fetch(t, c, p.URL+"/rooms/"+slug)
			if code != want {
				t.Errorf("%s /rooms/%s: %d, want %d", tc.email, slug, code, want)
			}
			if code == 200 && strings.Contains(page, "block-failed") {
				t.Errorf("%s /rooms/%s has a failed block", tc.email, slug)
			}
		}
	}
	// Carlos & Co's space lists its demo files; ABC Corp's lists its own.
	if _, page := fetch(t, p.client(t, "carlos@carlosco.example"), p.URL+"/rooms/files"); !strings.Contains(page, "reseller-agreement-countersigned.pdf") {
		t.Error("Carlos & Co's space lacks the countersigned agreement")
	}
}

// TestContentOnS3 runs the content story with files in an S3-compatible
// store (versitygw), as several portal nodes would share them: the demo
// seeds into it, and uploads, versions, downloads and Range reads go
// through it.
func TestContentOnS3(t *testing.T) {
	u := blobtest.S3URL(t)
	t.Setenv("AWS_ACCESS_KEY_ID", blobtest.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", blobtest.SecretKey)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("ATRIUM_BLOB_URL", u)
	contentStory(t)
	contentAPI(t)
}
