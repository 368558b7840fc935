package main

import (
	"encoding/json"
	"net/http"
	"testing"

	sc "github.com/atriumhq/atrium/sdk/compliance"
	sn "github.com/atriumhq/atrium/sdk/network"
)

// TestDirectoryShowsCompliance: Dana's directory of the demo's network
// carries each sub-partner's compliance in words, from the compliance
// service: Harbor IT's insurance expires next month, Lakeside Tech's
// agreement is overdue, Summit Systems' certificate waits for review; a
// sub-partner without requirements shows nothing.
func TestDirectoryShowsCompliance(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	code, body := fetch(t, p.client(t, "dana@xyzdist.example"), p.URL+"/api/v1/network/sub-partners?perPage=100")
	if code != http.StatusOK {
		t.Fatalf("directory: %d %s", code, body)
	}
	var page sn.DirectoryPage
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range page.SubPartners {
		if s.Compliance != nil {
			got[s.Name] = s.Compliance.Status
		}
	}
	for name, want := range map[string]string{"Harbor IT": sn.ComplianceExpiring, "Lakeside Tech": sn.ComplianceOverdue, "Summit Systems": sn.ComplianceReview} {
		if got[name] != want {
			t.Errorf("%s: compliance %q, want %q", name, got[name], want)
		}
	}
}

func TestComplianceSummary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in     sc.Summary
		status string
		label  string
	}{
		{sc.Summary{Total: 3, Accepted: 1, Overdue: 2, Expiring: 1}, sn.ComplianceOverdue, "2 items overdue"},
		{sc.Summary{Total: 3, Accepted: 3, Expiring: 1, NextExpiry: "2027-01-01"}, sn.ComplianceExpiring, "1 item expiring (2027-01-01)"},
		{sc.Summary{Total: 3, Accepted: 2, Submitted: 1}, sn.ComplianceReview, "1 item to review"},
		{sc.Summary{Total: 3, Accepted: 1}, sn.ComplianceIncomplete, "1 of 3 accepted"},
		{sc.Summary{Total: 2, Accepted: 2}, sn.ComplianceInOrder, "In order"},
	} {
		got := complianceSummary(tc.in)
		if got.Status != tc.status || got.Label != tc.label {
			t.Errorf("%+v: got %+v, want %s %q", tc.in, got, tc.status, tc.label)
		}
	}
}
