package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/atriumhq/atrium/core/api"
	"github.com/atriumhq/atrium/core/demo"
	"github.com/danielgtaylor/huma/v2"
	"github.com/spf13/cobra"
)

func apiDocument() *huma.OpenAPI { return api.New(api.Deps{Version: version}).OpenAPI() }

// benchOptions are the flags of "atrium bench".
type benchOptions struct {
	url         string
	duration    time.Duration
	concurrency int
	room        string
	users       []string
	cpuprofile  string
}

func benchCmd(g *globals) *cobra.Command {
	o := &benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure a room page against /healthz on the same server",
		Long: `bench signs in as demo partners and requests a room page and /healthz from the same
server, one after the other, printing requests per second, p50 and p99 for each and
their ratio. Without --url it starts a demo portal of its own on SQLite in a
temporary folder, so the run is self-contained.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBench(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.url, "url", "", "portal to measure (default: start a demo portal)")
	f.DurationVar(&o.duration, "duration", 5*time.Second, "how long to load each target")
	f.IntVar(&o.concurrency, "concurrency", 8, "concurrent clients")
	f.StringVar(&o.room, "room", "training", "slug of the room page to request")
	f.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the run (server and clients) to this file")
	f.StringSliceVar(&o.users, "users", []string{"sarah@northwind.example", "carlos@carlosco.example"}, "demo accounts to sign in as")
	return cmd
}

// benchResult is one target's measurement.
type benchResult struct {
	name     string
	requests int
	errors   int
	// busy counts 503 answers: the portal at its admission bound said so
	// plainly. broken counts pages served 200 with a block that failed
	// (timed out, most likely) — the quiet kind of overload.
	busy, broken int
	elapsed      time.Duration
	p50, p99     time.Duration
}

func (r benchResult) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func runBench(ctx context.Context, g *globals, o *benchOptions) error {
	base := strings.TrimRight(o.url, "/")
	if base == "" {
		dir, err := os.MkdirTemp("", "atrium-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bg := *g
		bg.data, bg.databaseURL, bg.logLevel = dir, "", "error"
		addrc := make(chan string, 1)
		errc := make(chan error, 1)
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			o := defaultServeOptions()
			o.addr, o.demo = "127.0.0.1:0", true
			errc <- serve(sctx, &bg, o, func(addr string) { addrc <- addr })
		}()
		select {
		case addr := <-addrc:
			base = "http://" + addr
		case err := <-errc:
			return fmt.Errorf("start demo portal: %w", err)
		}
		g.say(g.stderr, "cli.bench.started", "URL", base, "Folder", dir)
	}
	var clients []*http.Client
	for _, u := range o.users {
		c, err := signIn(ctx, base, u, demo.Password, o.concurrency)
		if err != nil {
			return err
		}
		clients = append(clients, c)
	}
	roomURL := base + "/rooms/" + o.room
	// Warm up: fill caches and connection pools.
	for _, c := range clients {
		if err := get(ctx, c, roomURL); err != nil {
			return fmt.Errorf("warm-up %s: %w", roomURL, err)
		}
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	anon := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency}}
	health := load(ctx, "/healthz", []*http.Client{anon}, base+"/healthz", o)
	room := load(ctx, "/rooms/"+o.room, clients, roomURL, o)
	w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "target\trequests\terrors\tbusy (503)\tbroken pages\treq/s\tp50\tp99\t\n")
	for _, r := range []benchResult{health, room} {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%.0f\t%s\t%s\t\n", r.name, r.requests, r.errors, r.busy, r.broken, r.rps(), r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond))
	}
	w.Flush()
	g.say(g.stdout, "cli.bench.summary", "Share", g.loc.Percent(room.rps()/health.rps()), "Concurrency", g.num(o.concurrency),
		"Duration", o.duration)
	if health.errors+room.errors > 0 {
		return g.loc.Errorf("cli.bench.failed")
	}
	if room.broken > 0 {
		return errors.New(g.loc.N("cli.bench.broken", room.broken))
	}
	return nil
}

// signIn returns a client with a session for a demo account.
func signIn(ctx context.Context, base, email, password string, conns int) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: conns},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {email}, "password": {password}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", email, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in as %s: status %d", email, res.StatusCode)
	}
	return c, nil
}

func get(ctx context.Context, c *http.Client, u string) error {
	_, err := fetchPage(ctx, c, u)
	return err
}

// errBusy is a 503: the portal refused the request at its bound.
var errBusy = errors.New("busy")

// fetchPage requests u and reports whether the page came with a failed block.
func fetchPage(ctx context.Context, c *http.Client, u string) (broken bool, err error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	res, err := c.Do(req)
	if err != nil {
		return false, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	switch {
	case err != nil:
		return false, err
	case res.StatusCode == http.StatusServiceUnavailable:
		return false, errBusy
	case res.StatusCode != http.StatusOK:
		return false, fmt.Errorf("status %d", res.StatusCode)
	}
	return bytes.Contains(body, []byte(`class="block block-failed`)), nil
}

// load requests u from concurrent workers for the duration, spreading the
// workers over the clients (one session each), and records every latency.
func load(ctx context.Context, name string, clients []*http.Client, u string, o *benchOptions) benchResult {
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	var errs, busy, broken atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for i := range o.concurrency {
		c := clients[i%len(clients)]
		wg.Go(func() {
			lat := make([]time.Duration, 0, 4096)
			for ctx.Err() == nil {
				t := time.Now()
				bad, err := fetchPage(ctx, c, u)
				if ctx.Err() != nil {
					break
				}
				if errors.Is(err, errBusy) {
					// Come back when told to, as a person (or the busy
					// page's refresh) would; retrying at once only adds to
					// the load.
					busy.Add(1)
					select {
					case <-ctx.Done():
					case <-time.After(time.Second):
					}
					continue
				}
				if err != nil {
					errs.Add(1)
					continue
				}
				if bad {
					broken.Add(1)
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(all)
	r := benchResult{name: name, requests: len(all), errors: int(errs.Load()), busy: int(busy.Load()), broken: int(broken.Load()), elapsed: elapsed}
	if len(all) > 0 {
		r.p50 = all[len(all)*50/100]
		r.p99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return r
}
