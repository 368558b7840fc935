package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// benchFileSize is the file the throughput benchmark moves.
const benchFileSize = 100 << 20

// pdfSource streams a benchFileSize file that sniffs as a PDF, without
// holding it in memory.
func pdfSource() io.Reader {
	block := make([]byte, 1<<20)
	rand.Read(block)
	copy(block, "%PDF-1.4\n")
	rs := make([]io.Reader, benchFileSize>>20)
	for i := range rs {
		rs[i] = bytes.NewReader(block)
	}
	return io.MultiReader(rs...)
}

// BenchmarkFileThroughput moves one 100 MB file four ways in one run:
// written and read straight on this machine's disk, and uploaded and
// downloaded through the portal over HTTP (multipart streamed to the object
// store, SHA-256 on the way; download with access check and logging). It
// reports each rate, the portal's share of the direct rate, and the heap
// the process held at most during the portal's transfers (flat means no
// whole-file buffering).
func BenchmarkFileThroughput(b *testing.B) {
	p := startDemo(b)
	ctx := context.Background()
	pt, err := p.services(b).dir.PartnerBySlug(ctx, "carlos-co")
	if err != nil {
		b.Fatal(err)
	}
	c := p.client(b, "carlos@carlosco.example")
	dir := b.TempDir()
	var direct, up, down, directRead time.Duration
	var peak uint64
	watch := func() func() {
		done := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}()
		return func() { close(done) }
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	b.ResetTimer()
	for i := range b.N {
		// Direct write and read.
		path := filepath.Join(dir, fmt.Sprintf("direct-%d.pdf", i))
		src := pdfSource()
		start := time.Now()
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(f, src); err != nil {
			b.Fatal(err)
		}
		// No fsync: the object store's folder does not sync either, so both
		// sides measure writing into the page cache.
		f.Close()
		direct += time.Since(start)
		start = time.Now()
		f, _ = os.Open(path)
		io.Copy(io.Discard, f)
		f.Close()
		directRead += time.Since(start)
		os.Remove(path)

		// Through the portal.
		stop := watch()
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			w, _ := mw.CreateFormFile("file", fmt.Sprintf("big-%d.pdf", i))
			io.Copy(w, pdfSource())
			mw.Close()
			pw.Close()
		}()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/spaces/%d/files", p.URL, pt.ID), pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		start = time.Now()
		res, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		up += time.Since(start)
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther {
			b.Fatalf("upload: %d", res.StatusCode)
		}
		start = time.Now()
		res, err = c.Get(p.URL + "/files/" + strings.TrimPrefix(loc, "/rooms/files/items/") + "/download")
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		down += time.Since(start)
		stop()
		if n != benchFileSize {
			b.Fatalf("downloaded %d bytes", n)
		}
	}
	b.StopTimer()
	mbps := func(d time.Duration) float64 { return float64(benchFileSize) * float64(b.N) / d.Seconds() / (1 << 20) }
	b.ReportMetric(mbps(direct), "direct-write-MB/s")
	b.ReportMetric(mbps(up), "portal-upload-MB/s")
	b.ReportMetric(mbps(directRead), "direct-read-MB/s")
	b.ReportMetric(mbps(down), "portal-download-MB/s")
	b.ReportMetric(mbps(up)/mbps(direct)*100, "upload-%-of-direct")
	b.ReportMetric(mbps(down)/mbps(directRead)*100, "download-%-of-direct")
	b.ReportMetric(float64(peak-min(peak, base.HeapInuse))/(1<<20), "peak-heap-growth-MB")
}
