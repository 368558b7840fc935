package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
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

// BenchmarkFileThroughput moves one 100 MB file six ways in one run:
// written and read straight on this machine's disk, and uploaded and
// downloaded through the portal over HTTP (multipart streamed to the object
// store, SHA-256 on the way, flushed to the disk before the answer; download
// with access check and logging). Both sides write durably (fsync) and read
// with the same 1 MiB buffer, the way a browser or curl drains a socket. It
// reports each rate, the portal's share of the direct rate, the heap the
// process held at most during the portal's transfers and the bytes allocated
// per run (flat means no whole-file buffering). Reads are measured twice:
// warm, from the page cache where the file was just written, and cold, from
// the disk after the file is dropped from the cache.
func BenchmarkFileThroughput(b *testing.B) {
	p := startDemo(b)
	ctx := context.Background()
	pt, err := p.services(b).dir.PartnerBySlug(ctx, "carlos-co")
	if err != nil {
		b.Fatal(err)
	}
	c := p.client(b, "carlos@carlosco.example")
	dir := b.TempDir()
	var direct, up, down, directRead, downCold, directCold time.Duration
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
	readBuf := make([]byte, 1<<20)
	bare := bareUploadServer(b, b.TempDir())
	var bareUp time.Duration
	b.ReportAllocs()
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
		// Durable, as the object store's folder is: the file and its folder
		// are flushed before the write counts.
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		f.Close()
		if d, err := os.Open(dir); err == nil {
			d.Sync()
			d.Close()
		}
		direct += time.Since(start)
		readDirect := func() time.Duration {
			start := time.Now()
			f, _ := os.Open(path)
			io.CopyBuffer(discard{}, f, readBuf)
			f.Close()
			return time.Since(start)
		}
		directRead += readDirect()
		evict(b, path)
		directCold += readDirect()
		os.Remove(path)

		// Through a bare handler doing the same work, then the portal.
		start = time.Now()
		res, err := c.Do(uploadRequest(b, bare.URL+"/upload", i))
		if err != nil {
			b.Fatal(err)
		}
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			b.Fatalf("bare upload: %d %s", res.StatusCode, msg)
		}
		bareUp += time.Since(start)

		stop := watch()
		start = time.Now()
		res, err = c.Do(uploadRequest(b, fmt.Sprintf("%s/spaces/%d/files", p.URL, pt.ID), i))
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		up += time.Since(start)
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther {
			b.Fatalf("upload: %d", res.StatusCode)
		}
		get := func() time.Duration {
			start := time.Now()
			res, err := c.Get(p.URL + "/files/" + strings.TrimPrefix(loc, "/rooms/files/items/") + "/download")
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.CopyBuffer(discard{}, res.Body, readBuf)
			res.Body.Close()
			if n != benchFileSize {
				b.Fatalf("downloaded %d bytes", n)
			}
			return time.Since(start)
		}
		down += get()
		filepath.WalkDir(filepath.Join(p.g.data, "files"), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				evict(b, path)
			}
			return nil
		})
		downCold += get()
		stop()
		// Delete the upload, as the direct file was deleted: each side then
		// writes into memory the other just gave back. On a virtual machine
		// that returns free memory to its host, pages not reused at once
		// cost a fault on the host when next written, which made the direct
		// write (always first into new memory) slower than the portal's
		// (into the direct file's just freed pages) by as much as a factor
		// of five.
		id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/rooms/files/items/"), 10, 64)
		if err != nil {
			b.Fatalf("upload went to %q", loc)
		}
		if err := p.services(b).content.Files.Delete(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	mbps := func(d time.Duration) float64 { return float64(benchFileSize) * float64(b.N) / d.Seconds() / (1 << 20) }
	b.ReportMetric(mbps(direct), "direct-write-MB/s")
	b.ReportMetric(mbps(up), "portal-upload-MB/s")
	b.ReportMetric(mbps(directRead), "direct-read-MB/s")
	b.ReportMetric(mbps(down), "portal-download-MB/s")
	b.ReportMetric(mbps(up)/mbps(direct)*100, "upload-%-of-direct")
	b.ReportMetric(mbps(bareUp), "bare-upload-MB/s")
	b.ReportMetric(mbps(up)/mbps(bareUp)*100, "upload-%-of-bare")
	b.ReportMetric(mbps(down)/mbps(directRead)*100, "download-%-of-direct")
	b.ReportMetric(mbps(directCold), "direct-read-cold-MB/s")
	b.ReportMetric(mbps(downCold), "portal-download-cold-MB/s")
	b.ReportMetric(mbps(downCold)/mbps(directCold)*100, "download-cold-%-of-direct")
	b.ReportMetric(float64(peak-min(peak, base.HeapInuse))/(1<<20), "peak-heap-growth-MB")
}

// uploadRequest is the 100 MB test file as a form posts it, with its
// length, as a browser sends it.
func uploadRequest(b *testing.B, url string, i int) *http.Request {
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if _, err := mw.CreateFormFile("file", fmt.Sprintf("big-%d.pdf", i)); err != nil {
		b.Fatal(err)
	}
	prefix := bytes.Clone(head.Bytes())
	head.Reset()
	mw.Close()
	body := io.MultiReader(bytes.NewReader(prefix), pdfSource(), bytes.NewReader(head.Bytes()))
	req, err := http.NewRequest("POST", url, body)
	if err != nil {
		b.Fatal(err)
	}
	req.ContentLength = int64(len(prefix)+head.Len()) + benchFileSize
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// bareUploadServer is the baseline of the portal's upload: a plain Go
// handler doing the same work on the file (read the multipart form as it
// streams, SHA-256, write to a folder and flush file and folder before
// answering), in one goroutine, without the portal's sign-in, checks,
// records or its pipeline of hashing beside writing.
// Each file is removed once stored, as the portal's is deleted.
func bareUploadServer(b *testing.B, dir string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The form is read through a 256 KB buffer, as the portal reads it:
		// mime/multipart's own is 4 KB, a read call per 4 KB of the file.
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || params["boundary"] == "" {
			http.Error(w, "not a form", http.StatusBadRequest)
			return
		}
		part, err := multipart.NewReader(bufio.NewReaderSize(r.Body, 256<<10), params["boundary"]).NextPart()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		path := filepath.Join(dir, "upload")
		f, err := os.Create(path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer os.Remove(path)
		defer f.Close()
		h := sha256.New()
		if _, err := io.CopyBuffer(io.MultiWriter(f, h), part, make([]byte, 512<<10)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if err := f.Sync(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if d, err := os.Open(dir); err == nil {
			d.Sync()
			d.Close()
		}
		w.Header().Set("Location", "/files/"+hex.EncodeToString(h.Sum(nil)))
		w.WriteHeader(http.StatusCreated)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// discard is io.Discard without its ReadFrom, so io.CopyBuffer reads with
// the buffer it is given rather than io.Discard's 8 KiB one.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkLoopbackCeiling measures what a server on this machine can reach
// for FileThroughput's cold download, without the portal: the same 100 MB
// file, dropped from the cache each time, read directly; sent over loopback
// TCP with sendfile (as the portal sends it); sent by a server that reads
// and writes the file itself, reading ahead on a goroutine of its own; and
// served by a bare net/http server with http.ServeContent (sendfile too) to
// http.Get. The clients drain the socket with the same 1 MiB buffer.
func BenchmarkLoopbackCeiling(b *testing.B) {
	path := filepath.Join(b.TempDir(), "cold.pdf")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(f, pdfSource()); err != nil {
		b.Fatal(err)
	}
	f.Sync()
	f.Close()
	readBuf := make([]byte, 1<<20)
	send := func(serve func(c net.Conn, f *os.File)) time.Duration {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		defer ln.Close()
		go func() {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			f, err := os.Open(path)
			if err != nil {
				return
			}
			defer f.Close()
			serve(c, f)
		}()
		start := time.Now()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		if n, _ := io.CopyBuffer(discard{}, c, readBuf); n != benchFileSize {
			b.Fatalf("received %d bytes", n)
		}
		return time.Since(start)
	}
	sendfile := func(c net.Conn, f *os.File) { io.Copy(c, f) }
	readWrite := func(c net.Conn, f *os.File) {
		full, free := make(chan []byte, 4), make(chan []byte, 4)
		for range 4 {
			free <- make([]byte, 1<<20)
		}
		go func() {
			defer close(full)
			for buf := range free {
				n, err := io.ReadFull(f, buf)
				if n > 0 {
					full <- buf[:n]
				}
				if err != nil {
					return
				}
			}
		}()
		for buf := range full {
			if _, err := c.Write(buf); err != nil {
				return
			}
			free <- buf[:cap(buf)]
		}
	}
	hln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, "", time.Time{}, f)
	})}
	go srv.Serve(hln)
	defer srv.Close()
	get := func() time.Duration {
		start := time.Now()
		res, err := http.Get("http://" + hln.Addr().String() + "/cold.pdf")
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		if n, _ := io.CopyBuffer(discard{}, res.Body, readBuf); n != benchFileSize {
			b.Fatalf("received %d bytes", n)
		}
		return time.Since(start)
	}
	var direct, sf, rw, hs time.Duration
	for b.Loop() {
		evict(b, path)
		start := time.Now()
		src, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		io.CopyBuffer(discard{}, src, readBuf)
		src.Close()
		direct += time.Since(start)
		evict(b, path)
		sf += send(sendfile)
		evict(b, path)
		rw += send(readWrite)
		evict(b, path)
		hs += get()
	}
	b.ReportMetric(float64(direct)/float64(sf)*100, "sendfile-%-of-direct")
	b.ReportMetric(float64(direct)/float64(rw)*100, "read-write-%-of-direct")
	b.ReportMetric(float64(direct)/float64(hs)*100, "net-http-%-of-direct")
	mbps := func(d time.Duration) float64 { return float64(benchFileSize) * float64(b.N) / d.Seconds() / (1 << 20) }
	b.ReportMetric(mbps(direct), "direct-read-cold-MB/s")
	b.ReportMetric(mbps(sf), "sendfile-cold-MB/s")
	b.ReportMetric(mbps(rw), "read-write-cold-MB/s")
	b.ReportMetric(mbps(hs), "net-http-cold-MB/s")
}
