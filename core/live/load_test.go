package live_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/live"
	"github.com/atriumhq/atrium/core/store/storetest"
)

// The load tests run small by default, so that breakage shows in every
// run, and at full size with ATRIUM_LIVE_LOAD=1:
//
//	ATRIUM_LIVE_LOAD=1 go test -run 'Latency|IdleMemory' -v ./core/live
//
// Full size is the goal: 1,000 pages on one process hear a publish within
// 100 ms (p99), pages on a second process within 500 ms, and an idle
// stream costs the server under 20 KB, measured over 5,000 of them.
func full() bool { return os.Getenv("ATRIUM_LIVE_LOAD") != "" }

// TestDeliveryLatency connects pages over real HTTP, publishes one event to
// all of their users at once, and measures from the start of Publish to
// each page's receipt of the event.
func TestDeliveryLatency(t *testing.T) {
	pages, rounds, goal, goalOther := 100, 5, 500*time.Millisecond, time.Second
	if full() {
		pages, rounds, goal, goalOther = 1000, 20, 100*time.Millisecond, 500*time.Millisecond
	}
	t.Run("same process", func(t *testing.T) {
		db := storetest.Open(t)
		h, srv := start(t, db)
		p99 := measureLatency(t, h, srv, pages, rounds)
		t.Logf("%s: %d pages, %d publishes: p99 %v (goal %v)", storetest.Default(), pages, rounds, p99, goal)
		if p99 > goal {
			t.Errorf("p99 %v, goal %v", p99, goal)
		}
	})
	t.Run("other process", func(t *testing.T) {
		dbs, url := postgres(t, 2)
		a, _ := start(t, dbs[0], live.WithDatabaseURL(url))
		_, srvB := start(t, dbs[1], live.WithDatabaseURL(url))
		p99 := measureLatency(t, a, srvB, pages, rounds)
		t.Logf("postgres, published on one process, %d pages on another, %d publishes: p99 %v (goal %v)", pages, rounds, p99, goalOther)
		if p99 > goalOther {
			t.Errorf("p99 %v, goal %v", p99, goalOther)
		}
	})
}

func measureLatency(t *testing.T, h *live.Hub, srv *httptest.Server, pages, rounds int) time.Duration {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: -1, DisableCompression: true}
	defer tr.CloseIdleConnections()
	var (
		sent     atomic.Int64 // when the current publish began, in ns
		mu       sync.Mutex
		lat      []time.Duration
		received = make(chan struct{}, pages*rounds)
		wg       sync.WaitGroup
		opened   = make(chan error, pages)
	)
	users := make([]int64, pages)
	for i := range pages {
		users[i] = int64(i + 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/events?user=%d", srv.URL, users[i]), nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				opened <- err
				return
			}
			defer resp.Body.Close()
			r := bufio.NewReader(resp.Body)
			first := true
			for {
				line, err := r.ReadSlice('\n')
				if err != nil {
					return
				}
				if first && bytes.HasPrefix(line, []byte(":")) {
					first = false
					opened <- nil
				}
				if bytes.HasPrefix(line, []byte("data:")) {
					d := time.Duration(time.Now().UnixNano() - sent.Load())
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
					received <- struct{}{}
				}
			}
		}()
	}
	for range pages {
		if err := <-opened; err != nil {
			t.Fatal(err)
		}
	}
	for round := range rounds {
		sent.Store(time.Now().UnixNano())
		if err := h.Publish(ctx, live.Event{Type: "message.new", Topic: "thread:" + strconv.Itoa(round), Payload: map[string]any{"badges": map[string]int{"messages": round}}}, users...); err != nil {
			t.Fatal(err)
		}
		for range pages {
			select {
			case <-received:
			case <-time.After(10 * time.Second):
				t.Fatalf("round %d: not every page heard the event", round)
			}
		}
	}
	cancel()
	wg.Wait()
	slices.Sort(lat)
	return lat[len(lat)*99/100]
}

// TestIdleMemory measures what an idle stream costs the server: heap and
// goroutine stacks, after a collection, with N streams open minus without.
// The pages are a child process (this test binary again), so that none of
// the client side's memory is counted. With few streams the stack figure
// is rough (new goroutines reuse stack space freed before), hence the
// 5,000 of the full run.
func TestIdleMemory(t *testing.T) {
	if os.Getenv("ATRIUM_LIVE_CLIENTS") != "" {
		t.Skip("the child process")
	}
	n := 200
	if full() {
		n = 5000
	}
	if os.Getenv("ATRIUM_LIVE_HEAPPROFILE") != "" {
		runtime.MemProfileRate = 1
	}
	db := storetest.Open(t)
	h, srv := start(t, db, live.WithHeartbeat(time.Hour))
	connect(t, srv, 1, "") // warm up: the first stream's one-time allocations

	before := settled()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIdleClients$")
	cmd.Env = append(os.Environ(), "ATRIUM_LIVE_CLIENTS="+srv.URL, "ATRIUM_LIVE_CLIENTS_N="+strconv.Itoa(n))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "ready" {
				ready <- "ok"
			}
		}
		close(ready)
	}()
	select {
	case s, ok := <-ready:
		if !ok || s != "ok" {
			t.Fatal("the clients failed")
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the clients did not connect")
	}
	waitFor(t, func() bool { return h.Streams() == n+1 })
	after := settled()
	if f := os.Getenv("ATRIUM_LIVE_HEAPPROFILE"); f != "" {
		w, _ := os.Create(f)
		pprof.Lookup("heap").WriteTo(w, 0)
		w.Close()
	}

	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	stack := int64(after.StackInuse) - int64(before.StackInuse)
	per := (heap + stack) / int64(n)
	t.Logf("%d idle streams: heap %d B + stacks %d B = %d B per stream (heap in use %+d B, goroutines %d)",
		n, heap/int64(n), stack/int64(n), per, (int64(after.HeapInuse)-int64(before.HeapInuse))/int64(n), runtime.NumGoroutine())
	if per > 20<<10 {
		t.Errorf("%d B per idle stream, goal under 20 KB", per)
	}
}

// settled collects garbage until the heap holds still, and reads it.
func settled() runtime.MemStats {
	var m runtime.MemStats
	for range 3 {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	runtime.ReadMemStats(&m)
	return m
}

// TestIdleClients is the child process of TestIdleMemory: it opens the
// streams over plain TCP, says "ready" once every one has its greeting,
// and holds them until its input closes.
func TestIdleClients(t *testing.T) {
	base := os.Getenv("ATRIUM_LIVE_CLIENTS")
	if base == "" {
		t.Skip("run by TestIdleMemory")
	}
	n, _ := strconv.Atoi(os.Getenv("ATRIUM_LIVE_CLIENTS_N"))
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conns := make([]net.Conn, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 1024)
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				c, err := net.Dial("tcp", u.Host)
				if err == nil {
					_, err = fmt.Fprintf(c, "GET /events?user=%d HTTP/1.1\r\nHost: %s\r\n\r\n", i+1, u.Host)
				}
				for got := []byte{}; err == nil && !bytes.Contains(got, []byte(": live")); {
					var k int
					k, err = c.Read(buf)
					got = append(got, buf[:k]...)
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	for _, c := range conns {
		c.Close()
	}
}
