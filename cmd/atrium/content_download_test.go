package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// kernelWriter is a response writer that, like net/http's, takes the body
// through ReadFrom when the handler offers one, and notes what it was given:
// net/http hands an *os.File (bounded by an *io.LimitedReader) to sendfile,
// anything else is copied through user space.
type kernelWriter struct {
	*httptest.ResponseRecorder
	readers []string
	n       int64
}

func (w *kernelWriter) ReadFrom(r io.Reader) (int64, error) {
	kind := fmt.Sprintf("%T", r)
	if lr, ok := r.(*io.LimitedReader); ok {
		kind = fmt.Sprintf("limited %T", lr.R)
	}
	w.readers = append(w.readers, kind)
	n, err := io.Copy(io.Discard, r)
	w.n += n
	return n, err
}

// Downloads from the folder store must reach the connection as the open
// file, through every layer of the portal's handler (metrics, security
// headers, cross-origin check, session), so the kernel sends the bytes:
// no middleware may buffer, compress or copy them.
func TestDownloadIsSentByTheKernel(t *testing.T) {
	p := startDemo(t)
	ctx := context.Background()
	pt, err := p.services(t).dir.PartnerBySlug(ctx, "carlos-co")
	if err != nil {
		t.Fatal(err)
	}
	carlos := p.client(t, "carlos@carlosco.example")
	body := make([]byte, 3<<20)
	rand.Read(body)
	copy(body, "%PDF-1.4\n")
	code, loc, page := upload(t, carlos, fmt.Sprintf("%s/spaces/%d/files", p.URL, pt.ID), nil, map[string][]byte{"big.pdf": body})
	if code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", code, page)
	}
	id := strings.TrimPrefix(loc, "/rooms/files/items/")
	req0, _ := http.NewRequest("GET", p.URL, nil)
	cookies := carlos.Jar.Cookies(req0.URL)

	for _, tc := range []struct {
		name, rng string
		want      int64
		status    int
	}{
		{"whole", "", int64(len(body)), 200},
		{"range", "bytes=1048576-2097151", 1 << 20, 206},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/files/"+id+"/download", nil)
			req.Header.Set("Accept-Encoding", "gzip, br")
			if tc.rng != "" {
				req.Header.Set("Range", tc.rng)
			}
			for _, c := range cookies {
				req.AddCookie(c)
			}
			w := &kernelWriter{ResponseRecorder: httptest.NewRecorder()}
			p.services(t).handler.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("status %d\n%s", w.Code, w.Body.String())
			}
			if len(w.readers) != 1 || w.readers[0] != "limited *os.File" {
				t.Fatalf("body reached the connection as %v, want the open file", w.readers)
			}
			if w.n+int64(w.Body.Len()) != tc.want {
				t.Fatalf("sent %d+%d bytes, want %d", w.n, w.Body.Len(), tc.want)
			}
			h := w.Header()
			if h.Get("Content-Encoding") != "" || h.Get("Content-Length") != strconv.FormatInt(tc.want, 10) {
				t.Fatalf("headers %v", h)
			}
		})
	}
}
