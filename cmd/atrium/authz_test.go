package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	"go.yaml.in/yaml/v3"
)

// The authorisation matrix lives in testdata/authz/*.yaml, one file per
// capability: every page route and API operation, the request that
// exercises it, and what each actor must get. TestAuthorizationMatrix runs
// it against a demo portal and fails when a route exists that the matrix
// does not list, so a new route cannot ship without a decision about who may
// use it.

// authzActors are the relations the matrix names, in the order requests run.
// The subject partner is Carlos & Co; Mike manages it, Priya manages only
// Bluebird Marketing.
var authzActors = []struct{ name, email string }{
	{"anonymous", ""},
	{"same-partner", "lisa@carlosco.example"},
	{"other-partner", "sarah@northwind.example"},
	{"partner-admin", "carlos@carlosco.example"},
	{"manager", "mike@acme.example"},
	{"other-manager", "priya@acme.example"},
	{"admin", "admin@acme.example"},
}

// authzEntry is one row of the matrix.
type authzEntry struct {
	Route  string            `yaml:"route"`
	Path   string            `yaml:"path"`
	Form   map[string]string `yaml:"form"`
	JSON   any               `yaml:"json"`
	Fresh  bool              `yaml:"fresh"` // sign in afresh: the request ends the session
	Setup  string            `yaml:"setup"` // a name in authzSetups, run before each actor's request
	Expect map[string]string `yaml:"expect"`

	at string // file:line, for messages
}

// authzResolvers fill in the placeholders of request paths ({partner},
// {lead}, ...). Capabilities append their own from their test files, making
// fixtures through the core packages when the demo lacks them.
var authzResolvers = []func(t testing.TB, p *testPortal, vars map[string]string){resolveFoundation}

// authzSetups prepare the object a destructive request consumes, before each
// actor's turn: deleting a room needs a room to delete every time.
var authzSetups = map[string]func(t testing.TB, p *testPortal, vars map[string]string){
	"scratch-room": func(t testing.TB, p *testPortal, _ map[string]string) {
		r := room.Room{Slug: "scratch", Title: "Scratch", PartnerTypes: []string{"reseller"}, Position: 99}
		if _, err := p.services(t).rooms.Apply(context.Background(), []room.Room{r}, room.ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
	},
}

func resolveFoundation(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	s := p.services(t)
	partner := func(slug string) directory.Partner {
		pt, err := s.dir.PartnerBySlug(ctx, slug)
		if err != nil {
			t.Fatalf("demo partner %s: %v", slug, err)
		}
		return pt
	}
	user := func(email string) directory.User {
		u, err := s.dir.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("demo user %s: %v", email, err)
		}
		return u
	}
	carlos, northwind := partner("carlos-co"), partner("northwind-referrals")
	vars["partner"] = strconv.FormatInt(carlos.ID, 10)
	vars["otherPartner"] = strconv.FormatInt(northwind.ID, 10)
	vars["user"] = strconv.FormatInt(user("lisa@carlosco.example").ID, 10)
	vars["manager"] = strconv.FormatInt(user("mike@acme.example").ID, 10)
	vars["otherUser"] = strconv.FormatInt(user("sarah@northwind.example").ID, 10)
	// A user no actor is, for the requests that change a user.
	spare, err := s.dir.CreateUser(ctx, directory.UserInput{Email: "sam@carlosco.example", Name: "Sam Spare",
		Role: sdk.RolePartnerUser, ContactRole: "sales", PartnerID: &carlos.ID})
	if err != nil {
		t.Fatal(err)
	}
	vars["spareUser"] = strconv.FormatInt(spare.ID, 10)
	admin := user("admin@acme.example")
	token, _, err := s.auth.Invite(ctx, spare.ID, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	vars["invite"] = token
}

func loadAuthz(t *testing.T) []authzEntry {
	files, err := filepath.Glob(filepath.Join("testdata", "authz", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no authorisation matrix in testdata/authz (%v)", err)
	}
	sort.Strings(files)
	var all []authzEntry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		for _, n := range doc.Content[0].Content {
			var e authzEntry
			if err := n.Decode(&e); err != nil {
				t.Fatalf("%s:%d: %v", f, n.Line, err)
			}
			e.at = fmt.Sprintf("%s:%d", f, n.Line)
			for _, a := range authzActors {
				if !slices.Contains([]string{"allow", "deny", "login"}, e.Expect[a.name]) {
					t.Fatalf("%s: expect.%s is %q, want allow, deny or login", e.at, a.name, e.Expect[a.name])
				}
			}
			if len(e.Expect) != len(authzActors) {
				t.Fatalf("%s: expect names %d actors, want exactly %d", e.at, len(e.Expect), len(authzActors))
			}
			all = append(all, e)
		}
	}
	return all
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	entries := loadAuthz(t)
	p := startDemo(t)
	s := p.services(t)

	// Every route must be listed, and every listed route must exist.
	exists := map[string]bool{}
	for _, r := range s.web.Routes() {
		exists[r.Method+" "+r.Pattern] = true
	}
	for _, op := range s.api.Operations() {
		exists[op.Method+" "+op.Path] = true
	}
	listed := map[string]bool{}
	for _, e := range entries {
		listed[e.Route] = true
		if !exists[e.Route] {
			t.Errorf("%s: %s is in the matrix but no such route exists", e.at, e.Route)
		}
	}
	var missing []string
	for r := range exists {
		if !listed[r] {
			missing = append(missing, r)
		}
	}
	sort.Strings(missing)
	for _, r := range missing {
		t.Errorf("route %s is not in the authorisation matrix (testdata/authz/*.yaml): decide who may use it", r)
	}

	vars := map[string]string{}
	for _, resolve := range authzResolvers {
		resolve(t, p, vars)
	}
	placeholder := regexp.MustCompile(`\{(\w+)\}`)
	clients := map[string]*http.Client{}
	for _, a := range authzActors {
		clients[a.name] = p.client(t, a.email)
	}
	for _, e := range entries {
		value := func(m string) string {
			v, ok := vars[m[1:len(m)-1]]
			if !ok {
				t.Fatalf("%s: no value for placeholder %s (add a resolver)", e.at, m)
			}
			return v
		}
		path := placeholder.ReplaceAllStringFunc(e.Path, func(m string) string { return url.PathEscape(value(m)) })
		for k, v := range e.Form {
			e.Form[k] = placeholder.ReplaceAllStringFunc(v, value)
		}
		if e.JSON != nil {
			e.JSON = substituteJSON(e.JSON, placeholder, value)
		}
		method, _, _ := strings.Cut(e.Route, " ")
		for _, a := range authzActors {
			c := clients[a.name]
			if e.Setup != "" {
				setup, ok := authzSetups[e.Setup]
				if !ok {
					t.Fatalf("%s: no setup named %q", e.at, e.Setup)
				}
				setup(t, p, vars)
			}
			if e.Fresh {
				c = p.client(t, a.email)
			}
			got, status, loc := authzOutcome(t, c, method, p.URL+path, e)
			if got != e.Expect[a.name] {
				t.Errorf("%s: %s %s as %s: got %s (status %d %s), want %s", e.at, method, path, a.name, got, status, loc, e.Expect[a.name])
			}
		}
	}
}

// substituteJSON fills placeholders in a JSON body's strings; a string that
// is only a placeholder with a numeric value becomes a number ("{manager}"
// for an id field).
func substituteJSON(v any, re *regexp.Regexp, value func(string) string) any {
	switch x := v.(type) {
	case string:
		out := re.ReplaceAllStringFunc(x, value)
		if re.FindString(x) == x {
			if n, err := strconv.ParseInt(out, 10, 64); err == nil {
				return n
			}
		}
		return out
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = substituteJSON(e, re, value)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = substituteJSON(e, re, value)
		}
		return l
	}
	return v
}

// authzOutcome makes the request and classifies the answer: login (401, or
// sent to sign in first with ?next=), deny (403 or 404) or allow (anything
// else below 500: validation errors mean the request got past
// authorisation; signing out lands on /login, which is allow).
func authzOutcome(t *testing.T, c *http.Client, method, u string, e authzEntry) (outcome string, status int, location string) {
	t.Helper()
	var body io.Reader
	var ctype string
	switch {
	case e.JSON != nil:
		b, err := json.Marshal(e.JSON)
		if err != nil {
			t.Fatalf("%s: %v", e.at, err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case e.Form != nil || method == http.MethodPost:
		f := url.Values{}
		for k, v := range e.Form {
			f.Set(k, v)
		}
		body, ctype = strings.NewReader(f.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b []byte
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		b, _ = io.ReadAll(res.Body) // a live stream never ends: its head is the answer
	}
	if os.Getenv("AUTHZ_DEBUG") != "" {
		t.Logf("%s %s: %d %s", method, u, res.StatusCode, b)
	}
	loc := res.Header.Get("Location")
	switch {
	case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests:
		t.Errorf("%s: %s %s: status %d", e.at, method, u, res.StatusCode)
		return "error", res.StatusCode, loc
	case res.StatusCode == http.StatusUnauthorized,
		res.StatusCode >= 300 && res.StatusCode < 400 && strings.HasPrefix(loc, "/login?next="):
		return "login", res.StatusCode, loc
	case res.StatusCode == http.StatusForbidden, res.StatusCode == http.StatusNotFound:
		return "deny", res.StatusCode, loc
	}
	return "allow", res.StatusCode, loc
}

// services returns the portal's wiring over the test portal's database, for
// tests that need to reach core packages directly. It is built once.
func (p *testPortal) services(t testing.TB) *portal {
	t.Helper()
	p.once.Do(func() {
		o := testServeOptions()
		p.svc, p.svcErr = buildPortal(context.Background(), p.g, o)
	})
	if p.svcErr != nil {
		t.Fatalf("wire the portal: %v", p.svcErr)
	}
	return p.svc
}
