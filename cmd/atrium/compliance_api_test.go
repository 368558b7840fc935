package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/atriumhq/atrium/sdk/content"
)

// TestComplianceAPI reads the demo's network through the REST API as its
// people: Dana (XYZ Distribution) gets her sub-partners' standing and her
// shares with their downloads, but not Carlos & Co's standing; Hank
// (Harbor IT) gets what XYZ shared with him and nothing of Summit
// Systems', his sibling; Priya, who does not manage XYZ, gets none of it.
func TestComplianceAPI(t *testing.T) {
	t.Parallel()
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

	// Dana hands on resources of the library she sees herself: a file,
	// not a link; to her own sub-partners only.
	var lib content.ResourcePage
	get("dana@xyzdist.example", "/api/v1/resources?perPage=100", &lib)
	res := map[string]int64{}
	for _, r := range lib.Items {
		res[r.Title] = r.ID
	}
	if res["Reseller price list 2026"] == 0 || res["Certification study guide"] == 0 {
		t.Fatalf("Dana's library lacks the price list or the study guide: %v", res)
	}
	dana := p.client(t, "dana@xyzdist.example")
	lakesideID, carlosID := strconv.FormatInt(ids["lakeside-tech"], 10), strconv.FormatInt(ids["carlos-co"], 10)
	for _, c := range []struct {
		name, body, want string
		code             int
	}{
		{"a link", `{"resourceId": ` + strconv.FormatInt(res["Certification study guide"], 10) + `, "partnerIds": [` + lakesideID + `]}`, "a link, not a file", 422},
		{"no such resource", `{"resourceId": 999999, "partnerIds": [` + lakesideID + `]}`, "", 404},
		{"another network's partner", `{"resourceId": ` + strconv.FormatInt(res["Reseller price list 2026"], 10) + `, "partnerIds": [` + carlosID + `]}`, "Choose among your sub-partners.", 422},
		{"the price list", `{"resourceId": ` + strconv.FormatInt(res["Reseller price list 2026"], 10) + `, "partnerIds": [` + lakesideID + `]}`, `"fromLibrary":true`, 201},
	} {
		code, body := sendJSON(t, dana, http.MethodPost, p.URL+"/api/v1/shares", c.body)
		if code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("Dana shares %s: %d %s", c.name, code, body)
		}
	}
	get("leo@lakesidetech.example", "/api/v1/shares/received", &got)
	if len(got) != 2 || got[0].Title != "Reseller price list 2026" || got[0].From != "XYZ Distribution" {
		t.Errorf("Leo's received = %+v", got)
	}
	if code, _ := sendJSON(t, p.client(t, "hank@harborit.example"), http.MethodPost, p.URL+"/api/v1/shares", `{"everyone": true, "upload": "1"}`); code != http.StatusForbidden {
		t.Errorf("Hank, a sub-partner, shares: %d", code)
	}
}
