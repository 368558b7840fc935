package blob_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/blob/blobtest"
)

func TestRoundTrip(t *testing.T) {
	blobtest.Each(t, func(t *testing.T, s *blob.Store) {
		ctx := context.Background()
		data := make([]byte, 9<<20+123) // more than one S3 part
		rand.Read(data)
		n, err := s.Put(ctx, "v1/ab/cdef", "application/pdf", bytes.NewReader(data))
		if err != nil || n != int64(len(data)) {
			t.Fatalf("put: %d %v", n, err)
		}
		size, err := s.Size(ctx, "v1/ab/cdef")
		if err != nil || size != int64(len(data)) {
			t.Fatalf("size: %d %v", size, err)
		}
		r, err := s.Open(ctx, "v1/ab/cdef")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes, err %v", len(got), err)
		}
		keys, err := s.List(ctx, "v1/")
		if err != nil || len(keys) != 1 || keys[0] != "v1/ab/cdef" {
			t.Fatalf("list: %v %v", keys, err)
		}
		if err := s.Delete(ctx, "v1/ab/cdef"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "v1/ab/cdef"); err != nil {
			t.Fatalf("second delete: %v", err)
		}
		if _, err := s.Open(ctx, "v1/ab/cdef"); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("open deleted: %v", err)
		}
		if _, err := s.Size(ctx, "nothing"); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("size missing: %v", err)
		}
	})
}

// A Range request served by http.ServeContent straight from the store: what a
// video player seeking or a PDF viewer opening page 40 does.
func TestRangeThroughServeContent(t *testing.T) {
	blobtest.Each(t, func(t *testing.T, s *blob.Store) {
		ctx := context.Background()
		data := make([]byte, 1<<20)
		rand.Read(data)
		if _, err := s.Put(ctx, "video", "video/mp4", bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rd, err := s.Open(r.Context(), "video")
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			defer rd.Close()
			http.ServeContent(w, r, "", time.Time{}, rd)
		}))
		defer srv.Close()
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.Header.Set("Range", "bytes=500000-500099")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data[500000:500100]) {
			t.Fatalf("range: status %d, %d bytes", resp.StatusCode, len(body))
		}
		if cr := resp.Header.Get("Content-Range"); cr != "bytes 500000-500099/1048576" {
			t.Fatalf("content-range %q", cr)
		}
	})
}

// A write that is aborted half-way, like an upload whose client went away,
// leaves nothing under its key.
func TestAbortLeavesNothing(t *testing.T) {
	blobtest.Each(t, func(t *testing.T, s *blob.Store) {
		ctx := context.Background()
		w, err := s.NewWriter(ctx, "half", "application/octet-stream")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(make([]byte, 1<<20)); err != nil {
			t.Fatal(err)
		}
		w.Abort()
		if _, err := s.Open(ctx, "half"); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("aborted object visible: %v", err)
		}
		keys, err := s.List(ctx, "")
		if err != nil || len(keys) != 0 {
			t.Fatalf("leftovers: %v %v", keys, err)
		}
	})
}

func TestKeysAreChecked(t *testing.T) {
	s := blobtest.Dir(t)
	for _, key := range []string{"", "../etc/passwd", "a/../b", "/abs", "a//b", "UPPER", "dir/"} {
		if _, err := s.Put(context.Background(), key, "", bytes.NewReader(nil)); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
}

func TestOpenURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"file://" + t.TempDir(), true},
		{"", true},
		{"ftp://x", false},
		{"gs://bucket", false},
	} {
		s, err := blob.Open(context.Background(), tc.url, t.TempDir())
		if (err == nil) != tc.ok {
			t.Errorf("%q: err %v", tc.url, err)
		}
		if s != nil {
			s.Close()
		}
	}
}
