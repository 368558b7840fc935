package main

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// demoPartners are the demo's partner people, one of each kind of partner.
var demoPartners = []string{"sarah@northwind.example", "carlos@carlosco.example", "lisa@carlosco.example",
	"jennifer@abccorp.example", "dana@xyzdist.example", "tom@bluebird.example"}

var (
	navLinkRe = regexp.MustCompile(`class="nav-link" href="(/rooms/[^"]+)"`)
	blockRe   = regexp.MustCompile(`(?s)<section class="block[^"]*" id="block-([^"]+)"[^>]*>(.*?)</section>`)
	tagRe     = regexp.MustCompile(`(?s)<[^>]*>`)
	mediaRe   = regexp.MustCompile(`<(img|video|iframe|form|input|progress|svg|a) `)
)

// TestNoEmptyBlocks walks every room of every demo partner and fails on a
// block that draws a box with nothing in it (no text, no media, no form):
// an empty white card reads as something broken.
func TestNoEmptyBlocks(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	for _, email := range demoPartners {
		t.Run(email, func(t *testing.T) {
			c := p.client(t, email)
			code, body := fetch(t, c, p.URL+"/rooms/overview")
			if code != http.StatusOK {
				t.Fatalf("overview: %d", code)
			}
			var rooms []string
			for _, m := range navLinkRe.FindAllStringSubmatch(body, -1) {
				if !slices.Contains(rooms, m[1]) {
					rooms = append(rooms, m[1])
				}
			}
			if len(rooms) == 0 {
				t.Fatal("no rooms in the navigation")
			}
			for _, path := range rooms {
				code, body := fetch(t, c, p.URL+path)
				if code != http.StatusOK {
					t.Errorf("%s: %d", path, code)
					continue
				}
				for _, b := range blockRe.FindAllStringSubmatch(body, -1) {
					text := strings.TrimSpace(tagRe.ReplaceAllString(b[2], ""))
					if text == "" && !mediaRe.MatchString(b[2]) {
						t.Errorf("%s: block %q draws an empty box: %s", path, b[1], b[0])
					}
				}
			}
		})
	}
}

// TestCloseDealReasonWithoutReferer: the form of a deal's page comes back
// with the reason's error beside its field even when the browser sends no
// Referer (a privacy setting or extension strips it): the room type says
// which page the form is on, and that page is drawn again.
func TestCloseDealReasonWithoutReferer(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	admin := p.client(t, "admin@acme.example")
	_, page := fetch(t, admin, p.URL+"/admin/work/deals/items/1")
	m := regexp.MustCompile(`action="(/admin/work/deals/blocks/item/actions/stage)" class="form">\s*<input type="hidden" name="_state" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no stage form on the deal's page")
	}
	for _, stage := range []string{"closed_won", "closed_lost"} {
		req, _ := http.NewRequest(http.MethodPost, p.URL+m[1], strings.NewReader(url.Values{"_state": {m[2]}, "stage": {stage}, "reason": {""}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", p.URL)
		res, err := admin.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		field := regexp.MustCompile(`(?s)<div class="field has-error">\s*<label for="[^"]*-reason">.*?<p class="field-error" id="[^"]+">.*?won or lost.*?</p>`)
		if res.StatusCode != http.StatusUnprocessableEntity || !field.MatchString(body) {
			t.Errorf("close as %s without a reason and without a Referer: status %d, the reason's error beside its field: %v", stage, res.StatusCode, field.MatchString(body))
		}
	}
}

// TestCompression: pages, styles and scripts travel compressed when the
// browser accepts gzip; the event streams are never compressed and still
// deliver their first event at once; a download (an archive, already
// compressed) passes as it is, with its byte ranges.
func TestCompression(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	sarah := p.client(t, "sarah@northwind.example")
	get := func(c *http.Client, path string, header map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, p.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return res
	}
	res := get(sarah, "/rooms/resources", nil)
	zr, err := gzip.NewReader(res.Body)
	if err != nil || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("the room page is not gzipped (%q): %v", res.Header.Get("Content-Encoding"), err)
	}
	page, _ := io.ReadAll(zr)
	res.Body.Close()
	if !strings.Contains(string(page), `data-room="resources"`) {
		t.Fatal("the gzipped page does not unpack to the room")
	}
	assets := regexp.MustCompile(`/assets/app\.[0-9a-f]+\.(css|js)`).FindAllString(string(page), -1)
	download := regexp.MustCompile(`/files/\d+/download`).FindString(string(page))
	if len(assets) < 2 || download == "" {
		t.Fatalf("assets %v, download %q: the page changed shape", assets, download)
	}
	for _, a := range assets {
		res := get(sarah, a, nil)
		res.Body.Close()
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s is not compressed", a)
		}
	}
	res = get(sarah, download, map[string]string{"Range": "bytes=0-3"})
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "" || res.StatusCode != http.StatusPartialContent || len(body) != 4 {
		t.Errorf("the download: %d, encoding %q, first bytes %q; want it as it is, with its range", res.StatusCode, res.Header.Get("Content-Encoding"), body)
	}

	// Both event streams answer at once, uncompressed, and keep streaming.
	s := p.services(t)
	token, err := s.auth.CreateToken(context.Background(), userID(t, s.db, "admin@acme.example"), "compression test")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path   string
		c      *http.Client
		header map[string]string
	}{
		{"/events", sarah, nil},
		{"/api/v1/events", &http.Client{}, map[string]string{"Authorization": "Bearer " + token}},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+tc.path, nil)
		req.Header.Set("Accept-Encoding", "gzip, br, zstd")
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		res, err := tc.c.Do(req)
		if err != nil {
			cancel()
			t.Fatalf("%s: %v", tc.path, err)
		}
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
			t.Errorf("%s: %d, encoding %q, type %q; want an uncompressed event stream", tc.path, res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
		}
		// The stream's first bytes arrive long before the deadline: a
		// compressor holding them back would leave this read waiting.
		buf := make([]byte, 1)
		if _, err := res.Body.Read(buf); err != nil {
			t.Errorf("%s: nothing streamed: %v", tc.path, err)
		}
		res.Body.Close()
		cancel()
	}
}
