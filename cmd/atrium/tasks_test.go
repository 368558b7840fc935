package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/contacts"
	sdkdir "github.com/atriumhq/atrium/sdk/directory"
)

var (
	taskForm  = regexp.MustCompile(`<form method="post" action="(/rooms/onboarding/blocks/first-steps/actions/complete)" class="button-form">\s*<input type="hidden" name="_state" value="([^"]+)">\s*<button type="submit" class="btn btn-[a-z]+">(?:<svg.*?</svg>)?<span>Mark as done</span>`)
	taskCount = regexp.MustCompile(`(\d+) of 4 tasks done by your team`)
)

func TestTasksChecklist(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	tom := p.client(t, "tom@bluebird.example") // Bluebird is getting started: it sees onboarding
	progress := func() (string, [][]string) {
		t.Helper()
		code, body := fetch(t, tom, p.URL+"/rooms/onboarding")
		if code != http.StatusOK {
			t.Fatalf("onboarding: %d", code)
		}
		m := taskCount.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no progress on the page")
		}
		return m[1], taskForm.FindAllStringSubmatch(body, -1)
	}
	n, forms := progress()
	if n != "0" || len(forms) != 4 {
		t.Fatalf("start: %s done, %d buttons", n, len(forms))
	}
	for _, want := range []string{"Sign the partner agreement", "Due 15 Dec 2026", "Read the agreement", `href="/rooms/contacts"`} {
		_, body := fetch(t, tom, p.URL+"/rooms/onboarding")
		if !strings.Contains(body, want) {
			t.Errorf("checklist lacks %q", want)
		}
	}
	// Tick the first task.
	res, err := tom.PostForm(p.URL+forms[0][1], url.Values{"_state": {html.UnescapeString(forms[0][2])}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("complete: %d", res.StatusCode)
	}
	n, forms = progress()
	if n != "1" || len(forms) != 3 {
		t.Errorf("after one: %s done, %d buttons", n, len(forms))
	}
	// A tampered state is refused and changes nothing.
	res, _ = tom.PostForm(p.URL+forms[0][1], url.Values{"_state": {html.UnescapeString(forms[0][2]) + "x"}})
	res.Body.Close()
	if n, _ = progress(); n != "1" {
		t.Errorf("a tampered state changed progress to %s", n)
	}

	// Staff see completion across partners; Priya manages Bluebird, Mike
	// does not.
	for _, tc := range []struct {
		email string
		sees  bool
	}{{"admin@acme.example", true}, {"priya@acme.example", true}, {"mike@acme.example", false}} {
		code, body := fetch(t, p.client(t, tc.email), p.URL+"/admin/tasks")
		if code != http.StatusOK {
			t.Fatalf("%s: %d", tc.email, code)
		}
		row := strings.Contains(body, "onboarding/first-steps") && strings.Contains(body, "Bluebird Marketing")
		if row != tc.sees {
			t.Errorf("%s sees Bluebird's progress: %v, want %v", tc.email, row, tc.sees)
		}
	}
	if code, _ := fetch(t, tom, p.URL+"/admin/tasks"); code != http.StatusNotFound {
		t.Errorf("a partner reaches the staff report: %d", code)
	}
}

func TestVendorContactsAdmin(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	admin := p.client(t, "admin@acme.example")
	code, body := fetch(t, admin, p.URL+"/admin/contacts")
	if code != http.StatusOK || !strings.Contains(body, "Nina Patel") || !strings.Contains(body, "All partners") {
		t.Fatalf("contacts page: %d", code)
	}
	ctx := context.Background()
	s := p.services(t)
	priya, _ := s.dir.UserByEmail(ctx, "priya@acme.example")
	carlos, _ := s.dir.PartnerBySlug(ctx, "carlos-co")
	add := func(v url.Values) int {
		res, err := admin.PostForm(p.URL+"/admin/contacts", v)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// Priya becomes Carlos & Co's marketing contact.
	if code := add(url.Values{"user": {strconv.FormatInt(priya.ID, 10)}, "role": {"marketing"}, "partner": {strconv.FormatInt(carlos.ID, 10)},
		"responsibilities": {"Agency campaigns"}, "preferred": {"Video call"}}); code != http.StatusSeeOther {
		t.Fatalf("add: %d", code)
	}
	if code := add(url.Values{"user": {"0"}, "role": {"chef"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("invalid add: %d", code)
	}
	_, body = fetch(t, p.client(t, "lisa@carlosco.example"), p.URL+"/rooms/contacts")
	if !strings.Contains(body, "Priya Nair") || !strings.Contains(body, "Agency campaigns") {
		t.Error("carlos's contacts lack priya")
	}
	_, body = fetch(t, p.client(t, "sarah@northwind.example"), p.URL+"/rooms/contacts")
	if strings.Contains(body, "Agency campaigns") {
		t.Error("northwind sees carlos's marketing contact")
	}
	if code, _ := fetch(t, p.client(t, "mike@acme.example"), p.URL+"/admin/contacts"); code != http.StatusNotFound {
		t.Errorf("a manager reaches vendor contacts: %d", code)
	}
}

func init() {
	authzResolvers = append(authzResolvers, func(t testing.TB, p *testPortal, vars map[string]string) {
		ctx := context.Background()
		s := p.services(t)
		priya, err := s.dir.UserByEmail(ctx, "priya@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		svc := contacts.New(s.db, s.dir)
		a, err := svc.Assign(ctx, contacts.Assignment{UserID: priya.ID, Role: sdkdir.RoleOther}, contacts.Profile{})
		if err != nil {
			t.Fatal(err)
		}
		vars["vendorContact"] = strconv.FormatInt(a.ID, 10)
	})
}
