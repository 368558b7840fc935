package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	sc "github.com/atriumhq/atrium/sdk/compliance"
)

// TestComplianceAPI reads the demo's network through the REST API as its
// people: Dana (XYZ Distribution) gets her sub-partners' standing and her
// shares with their downloads, but not Carlos & Co's standing; Hank
// (Harbor IT) gets what XYZ shared with him and nothing of Summit
// Systems', his sibling; Priya, who does not manage XYZ, gets none of it.
func TestComplianceAPI(t *testing.T) {
	p := startDemo(t)
	ids := map[string]int64{}
	s := p.services(t)
	for _, slug := range []string{"harbor-it", "summit-systems", "lakeside-tech", "carlos-co"} {
		pt, err := s.dir.PartnerBySlug(t.Context(), slug)
		if err != nil {
			t.Fatal(err)
		}
		ids[slug] = pt.ID
	}
	get := func(email, path string, out any) {
		t.Helper()
		code, body := fetch(t, p.client(t, email), p.URL+path)
		if code != http.StatusOK {
			t.Fatalf("%s GET %s: %d %s", email, path, code, body)
		}
		if err := json.Unmarshal([]byte(body), out); err != nil {
			t.Fatalf("%s GET %s: %v in %s", email, path, err, body)
		}
	}
	q := "/api/v1/compliance/status?partner=" + strconv.FormatInt(ids["harbor-it"], 10) + "&partner=" + strconv.FormatInt(ids["lakeside-tech"], 10) +
		"&partner=" + strconv.FormatInt(ids["carlos-co"], 10)
	var st struct {
		Partners map[string]sc.Summary `json:"partners"`
	}
	get("dana@xyzdist.example", q, &st)
	harbor, lakeside := st.Partners[strconv.FormatInt(ids["harbor-it"], 10)], st.Partners[strconv.FormatInt(ids["lakeside-tech"], 10)]
	if len(st.Partners) != 2 || harbor.Expiring != 1 || harbor.NextExpiry == "" || lakeside.Overdue != 1 {
		t.Errorf("Dana's status = %+v", st.Partners)
	}
	st.Partners = nil
	get("priya@acme.example", q, &st)
	if len(st.Partners) != 0 {
		t.Errorf("Priya's status = %+v", st.Partners)
	}
	var board sc.ShareBoard
	get("dana@xyzdist.example", "/api/v1/shares", &board)
	if len(board.Shares) != 1 || board.Shares[0].Title != "New training deck" || board.Shares[0].Downloads != 2 || len(board.Shares[0].Recipients) != 4 || !board.CanShare {
		t.Errorf("Dana's shares = %+v", board)
	}
	var got []sc.Shared
	get("hank@harborit.example", "/api/v1/shares/received", &got)
	if len(got) != 1 || got[0].From != "XYZ Distribution" {
		t.Errorf("Hank's received = %+v", got)
	}
	var page sc.ItemPage
	get("hank@harborit.example", "/api/v1/compliance/items?partner="+strconv.FormatInt(ids["summit-systems"], 10), &page)
	if page.Total != 0 {
		t.Errorf("Hank reads Summit Systems' items: %+v", page.Items)
	}
	get("dana@xyzdist.example", "/api/v1/compliance/items?status=submitted", &page)
	if page.Total != 1 || page.Items[0].PartnerName != "Summit Systems" || !page.Items[0].CanReview {
		t.Errorf("Dana's items to review = %+v", page.Items)
	}
	if code, _ := fetch(t, p.client(t, "hank@harborit.example"), p.URL+"/api/v1/shares/"+strconv.FormatInt(board.Shares[0].ID, 10)); code != http.StatusNotFound {
		t.Errorf("Hank reads XYZ's share with its downloads: %d", code)
	}
}
