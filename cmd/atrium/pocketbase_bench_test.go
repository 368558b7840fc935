package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/store/storetest"
)

// pocketBaseVersion is the PocketBase the write benchmark compares with:
// the v0.36 line builds with the Go this project uses.
const pocketBaseVersion = "v0.36.8"

// BenchmarkLeadCreateVsPocketBase measures the portal's write path against
// a peer: 16 concurrent clients submit leads through the REST API (a
// partner's API token, a new company each time, every check and record a
// submission makes) for a few seconds, and in the same run 16 clients
// create plain records of a three-field collection in PocketBase, each
// side twice, alternated. It reports both rates, their p50 and p99 and the
// portal's rate as a share of PocketBase's; the goal is at least half.
//
//	go test -run '^$' -bench LeadCreateVsPocketBase -benchtime 1x ./cmd/atrium
//
// PocketBase is built once from the Go module proxy into the user's cache
// folder (a few minutes the first time); ATRIUM_BENCH_POCKETBASE names a
// binary to use instead, ATRIUM_BENCH_WRITE_SECONDS the length of a turn
// (default 5).
func BenchmarkLeadCreateVsPocketBase(b *testing.B) {
	pb := pocketBaseBinary(b)
	length := 5 * time.Second
	if s, err := strconv.Atoi(os.Getenv("ATRIUM_BENCH_WRITE_SECONDS")); err == nil && s > 0 {
		length = time.Duration(s) * time.Second
	}
	const clients = 16
	p := startDemo(b)
	s := p.services(b)
	token, err := s.auth.CreateToken(context.Background(), userID(b, s.db, "sarah@northwind.example"), "write benchmark")
	if err != nil {
		b.Fatal(err)
	}
	pbURL, pbToken := startPocketBase(b, pb)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}

	// Each lead is a company of its own, with its own domain, as prospects
	// are: the duplicate check looks for the domain among other partners'
	// open leads.
	var turn atomic.Int64
	atrium := func(worker, i int) *http.Request {
		n := fmt.Sprintf("%d-%d-%d", turn.Load(), worker, i)
		body, _ := json.Marshal(map[string]string{"company": "Prospect " + n, "contactName": "Ada Lovelace", "email": "ada@prospect-" + n + ".example"})
		req, _ := http.NewRequest(http.MethodPost, p.URL+"/api/v1/leads", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	pocket := func(worker, i int) *http.Request {
		body, _ := json.Marshal(map[string]string{"company": fmt.Sprintf("Prospect %d-%d", worker, i),
			"contact_name": "Ada Lovelace", "email": fmt.Sprintf("ada.%d.%d@prospect.example", worker, i)})
		req, _ := http.NewRequest(http.MethodPost, pbURL+"/api/collections/leads/records", bytes.NewReader(body))
		req.Header.Set("Authorization", pbToken)
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	var portalRuns, pbRuns []writeLoad
	for b.Loop() {
		for range 2 {
			turn.Add(1)
			portalRuns = append(portalRuns, loadWrites(b, client, clients, length, atrium))
			pbRuns = append(pbRuns, loadWrites(b, client, clients, length, pocket))
		}
	}
	portal, peer := mergeLoads(portalRuns), mergeLoads(pbRuns)
	ratio := portal.rate() / peer.rate()
	b.ReportMetric(portal.rate(), "atrium-creates/s")
	b.ReportMetric(peer.rate(), "pocketbase-creates/s")
	b.ReportMetric(ratio, "atrium/pocketbase")
	for _, l := range []struct {
		name string
		w    writeLoad
	}{{"atrium (" + string(storetest.Default()) + ")", portal}, {"pocketbase " + pocketBaseVersion, peer}} {
		b.Logf("%s: %.0f creates/s, p50 %.1f ms, p99 %.1f ms, %d errors", l.name, l.w.rate(), l.w.lat.quantile(0.5), l.w.lat.quantile(0.99), l.w.errors)
	}
	b.Logf("atrium creates leads at %.2f× PocketBase's plain record rate (goal 0.5×)", ratio)
	if portal.errors > 0 || peer.errors > 0 {
		b.Errorf("writes failed: %d on the portal, %d on PocketBase", portal.errors, peer.errors)
	}
	if ratio < 0.5 {
		b.Errorf("the portal creates leads at %.2f× PocketBase's rate, under the 0.5× goal", ratio)
	}
}

// writeLoad is one turn of concurrent writes.
type writeLoad struct {
	ok, errors int
	took       time.Duration
	lat        latencies
}

func (w writeLoad) rate() float64 { return float64(w.ok) / w.took.Seconds() }

func mergeLoads(ls []writeLoad) writeLoad {
	var out writeLoad
	for _, l := range ls {
		out.ok += l.ok
		out.errors += l.errors
		out.took += l.took
		out.lat = append(out.lat, l.lat...)
	}
	return out
}

// loadWrites sends requests from n clients for d and counts the 2xx answers.
func loadWrites(b *testing.B, c *http.Client, n int, d time.Duration, req func(worker, i int) *http.Request) writeLoad {
	var (
		mu    sync.Mutex
		out   writeLoad
		wg    sync.WaitGroup
		fails atomic.Int64
	)
	start := time.Now()
	end := start.Add(d)
	for w := range n {
		wg.Go(func() {
			var lat latencies
			ok := 0
			for i := 0; time.Now().Before(end); i++ {
				t0 := time.Now()
				res, err := c.Do(req(w, i))
				if err != nil {
					fails.Add(1)
					continue
				}
				msg, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode/100 != 2 {
					if fails.Add(1) == 1 {
						b.Logf("a write answered %d: %.300s", res.StatusCode, msg)
					}
					continue
				}
				lat = append(lat, time.Since(t0))
				ok++
			}
			mu.Lock()
			out.ok += ok
			out.lat = append(out.lat, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	out.took = time.Since(start)
	out.errors = int(fails.Load())
	if len(out.lat) == 0 {
		b.Fatal("no write succeeded")
	}
	return out
}

// pocketBaseBinary builds PocketBase from the module proxy once per
// machine, or takes ATRIUM_BENCH_POCKETBASE.
func pocketBaseBinary(b *testing.B) string {
	if p := os.Getenv("ATRIUM_BENCH_POCKETBASE"); p != "" {
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		b.Skipf("no cache folder to build PocketBase into: %v", err)
	}
	dir := filepath.Join(cache, "atrium-bench", "pocketbase-"+pocketBaseVersion)
	bin := filepath.Join(dir, "base")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	b.Logf("building PocketBase %s from the Go module proxy into %s (the first run only; a few minutes)", pocketBaseVersion, dir)
	cmd := exec.Command("go", "install", "github.com/pocketbase/pocketbase/examples/base@"+pocketBaseVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Skipf("cannot build PocketBase %s (set ATRIUM_BENCH_POCKETBASE to a binary): %v\n%s", pocketBaseVersion, err, out)
	}
	return bin
}

// startPocketBase serves a fresh PocketBase with a "leads" collection
// anyone may create records in, and returns its URL and a superuser's
// token.
func startPocketBase(b *testing.B, bin string) (string, string) {
	dir := b.TempDir()
	const email, password = "bench@atrium.example", "bench-password-1234"
	if out, err := exec.Command(bin, "superuser", "upsert", email, password, "--dir", dir).CombinedOutput(); err != nil {
		b.Fatalf("pocketbase superuser: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", dir)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	url := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); ; {
		res, err := http.Get(url + "/api/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("pocketbase did not start: %v\n%s", err, log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	post := func(path, token string, in, out any) {
		body, _ := json.Marshal(in)
		req, _ := http.NewRequest(http.MethodPost, url+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		msg, _ := io.ReadAll(res.Body)
		if res.StatusCode/100 != 2 {
			b.Fatalf("pocketbase %s: %d %s", path, res.StatusCode, msg)
		}
		if out != nil {
			if err := json.Unmarshal(msg, out); err != nil {
				b.Fatal(err)
			}
		}
	}
	var auth struct {
		Token string `json:"token"`
	}
	post("/api/collections/_superusers/auth-with-password", "", map[string]string{"identity": email, "password": password}, &auth)
	post("/api/collections", auth.Token, map[string]any{"name": "leads", "type": "base", "createRule": "",
		"fields": []map[string]any{{"name": "company", "type": "text", "required": true}, {"name": "contact_name", "type": "text"}, {"name": "email", "type": "email"}}}, nil)
	return url, auth.Token
}
