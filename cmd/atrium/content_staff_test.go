package main

import (
	"strings"
	"testing"
)

// Staff open the content rooms on their side and see each as one of their
// partners does: the partner's space, the library as the partner's audience
// admits it, and a note when the partner has no such room. The view is
// read-only, and a manager reaches only the partners they manage.
func TestStaffSeeContentRoomsAsPartners(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	mike := p.client(t, "mike@acme.example")
	priya := p.client(t, "priya@acme.example")

	for _, tc := range []struct {
		name, path  string
		want, avoid []string
	}{
		{"staff side lists partners to look through", "/admin/work/files",
			[]string{"See it as a partner", `href="/admin/work/files/as/carlos-co"`, `href="/admin/work/files/items/space/`}, nil},
		{"the partner's shared space", "/admin/work/files/as/carlos-co",
			[]string{"Previewing as <strong>Carlos &amp; Co", "reseller-agreement-countersigned.pdf", `href="/admin/work/files/as/carlos-co/items/`},
			[]string{`action="/admin/work/files/as/`}},
		{"the library as a reseller sees it", "/admin/work/resources/as/carlos-co/items/search?q=price",
			[]string{"Reseller price list", `href="/admin/work/resources/as/carlos-co/items/search?`}, nil},
		{"the library as an implementation partner sees it", "/admin/work/resources/as/abc-corp/items/search?q=price",
			[]string{"Previewing as <strong>ABC Corp"}, []string{"Reseller price list"}},
		{"a room the partner does not have", "/admin/work/brand/as/abc-corp",
			[]string{"would not see this room"}, nil},
		{"the brand room as a reseller sees it", "/admin/work/brand/as/carlos-co",
			[]string{"Co-branded slide template"}, []string{"would not see this room"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, page := fetch(t, mike, p.URL+tc.path)
			if code != 200 {
				t.Fatalf("%s: %d", tc.path, code)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("%s lacks %q", tc.path, w)
				}
			}
			for _, a := range tc.avoid {
				if strings.Contains(page, a) {
					t.Errorf("%s shows %q", tc.path, a)
				}
			}
		})
	}
	// Priya manages Bluebird Marketing only.
	_, page := fetch(t, priya, p.URL+"/admin/work/files")
	if strings.Contains(page, "/as/carlos-co") || !strings.Contains(page, "/as/bluebird-marketing") {
		t.Error("Priya is offered partners she does not manage, or not hers")
	}
	if code, _ := fetch(t, priya, p.URL+"/admin/work/files/as/carlos-co"); code != 404 {
		t.Errorf("Priya opens Carlos & Co's space as them: %d", code)
	}
}
