package main

import (
	"context"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// stateOf decodes a signed action token's claims, to tell forms apart.
func stateOf(t *testing.T, token string) string {
	t.Helper()
	payload, _, _ := strings.Cut(token, ".")
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// postFrom posts a form as if from page (its Referer), without following
// the answer.
func postFrom(t *testing.T, c *http.Client, base, page, action string, form url.Values) (int, string) {
	t.Helper()
	r, _ := http.NewRequest(http.MethodPost, base+action, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Referer", base+page)
	res, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestItemFormErrors: a refused form of an item page comes back on that
// page (422) with each error beside its field, in that form only, and what
// was typed; the deal registration form reports a bad value together with
// the other fields' problems.
func TestItemFormErrors(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	var deal int64
	if err := p.services(t).db.NewRaw(`SELECT min(d.id) FROM pipeline_deals d JOIN partners pt ON pt.id = d.partner_id
		WHERE pt.slug = 'carlos-co' AND d.stage = 'proposal' AND d.registration <> 'pending'`).Scan(context.Background(), &deal); err != nil || deal == 0 {
		t.Fatalf("no open deal of Carlos & Co: %v", err)
	}
	mike := p.client(t, "mike@acme.example")
	page := "/admin/work/deals/items/" + strconv.FormatInt(deal, 10)
	_, body := fetch(t, mike, p.URL+page)
	action := "/admin/work/deals/blocks/item/actions/stage"
	code, body := postFrom(t, mike, p.URL, page, action, url.Values{"_state": {formState(t, body, action)}, "stage": {"closed_lost"}, "reason": {""}})
	if code != http.StatusUnprocessableEntity || !regexp.MustCompile(`<p class="field-error" id="b-item-\d+-reason-error">`).MatchString(body) ||
		!regexp.MustCompile(`<option value="closed_lost" selected>`).MatchString(body) {
		t.Fatalf("closing without a reason: %d, no error beside the reason or the stage not kept", code)
	}
	if strings.Count(body, `class="field-error"`) != 1 {
		t.Errorf("the error shows %d times, want once (beside the submitted form's field)", strings.Count(body, `class="field-error"`))
	}

	// A staff block form: the ledger has a "pay" form on each approved
	// row; paying without a reference comes back on that row only.
	ctx := context.Background()
	s := p.services(t)
	var rows []struct {
		ID     int64  `bun:"id"`
		Status string `bun:"status"`
	}
	if err := s.db.NewRaw(`SELECT c.id, c.status FROM pipeline_commissions c JOIN partners pt ON pt.id = c.partner_id
		JOIN users u ON u.id = pt.manager_id WHERE u.email = 'mike@acme.example' ORDER BY c.id DESC LIMIT 20`).Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	pay := int64(0)
	for _, r := range rows {
		if r.Status == sp.CommissionApproved {
			pay = r.ID
			break
		}
	}
	if pay == 0 {
		for _, r := range rows {
			if r.Status == sp.CommissionPending {
				u, err := s.dir.UserByEmail(ctx, "admin@acme.example")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.pipe.SetCommissionStatus(ctx, u.Viewer(nil), sp.CommissionChange{ID: r.ID, Status: sp.CommissionApproved}); err != nil {
					t.Fatal(err)
				}
				pay = r.ID
				break
			}
		}
	}
	if pay == 0 {
		t.Fatal("no pending or approved commission among Mike's latest")
	}
	_, body = fetch(t, mike, p.URL+"/admin/work/overview")
	action = "/admin/work/overview/blocks/commissions/actions/pay"
	re := regexp.MustCompile(`action="` + regexp.QuoteMeta(action) + `"[^>]*>\s*<input type="hidden" name="_state" value="([^"]+)"`)
	var state string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		if st := html.UnescapeString(m[1]); strings.Contains(stateOf(t, st), `"s":"`+strconv.FormatInt(pay, 10)+`"`) {
			state = st
		}
	}
	if state == "" {
		t.Fatalf("no pay form for commission %d on the staff Overview", pay)
	}
	code, body = postFrom(t, mike, p.URL, "/admin/work/overview", action, url.Values{"_state": {state}, "reference": {""}, "payoutDate": {"31/12/2026"}})
	if code != http.StatusUnprocessableEntity || strings.Count(body, `class="field-error"`) != 2 || !strings.Contains(body, `value="31/12/2026"`) {
		t.Fatalf("paying without a reference: %d, %d field errors; want 422 with the row's two errors and the date as typed", code, strings.Count(body, `class="field-error"`))
	}

	// The partner's side: an empty note on Lisa's deal page comes back
	// beside the note field.
	lisa := p.client(t, "lisa@carlosco.example")
	mine := "/rooms/deals/items/" + strconv.FormatInt(deal, 10)
	_, body = fetch(t, lisa, p.URL+mine)
	action = "/rooms/deals/blocks/item/actions/note"
	code, body = postFrom(t, lisa, p.URL, mine, action, url.Values{"_state": {formState(t, body, action)}, "body": {"   "}})
	if code != http.StatusUnprocessableEntity || !regexp.MustCompile(`id="b-item-\d+-body-error"`).MatchString(body) {
		t.Fatalf("an empty note: %d, want the page again with the error beside the note", code)
	}

	_, body = fetch(t, lisa, p.URL+"/rooms/deals")
	action = "/rooms/deals/blocks/register/actions/register"
	code, _, body = post(t, lisa, p.URL+action, url.Values{"_state": {formState(t, body, action)}, "company": {"Typed Co"}, "value": {"lots"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Typed Co"`) || !strings.Contains(body, `value="lots"`) ||
		!regexp.MustCompile(`id="b-register-\d+-value-error"`).MatchString(body) || !regexp.MustCompile(`id="b-register-\d+-name-error"`).MatchString(body) {
		t.Fatalf("bad registration: %d, want the value's and the name's errors with what was typed", code)
	}
}
