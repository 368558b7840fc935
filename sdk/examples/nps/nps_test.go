package nps_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/examples/nps"
	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The survey asks, takes an answer, thanks the partner and counts the score
// for staff — with the host faked in memory.
func TestSurvey(t *testing.T) {
	h := plugintest.NewHost()
	plugintest.MemoryStorage(h)
	partner, staff := plugintest.Partner(), plugintest.Staff()
	if _, ok := plugintest.Render(t, nps.Survey{}, partner, `{}`, h).(ui.Card).Body[0].(ui.Form); !ok {
		t.Fatal("a partner who has not answered does not see the form")
	}
	if res := plugintest.Act(t, nps.Survey{}, partner, "answer", map[string][]string{"score": {"11"}}, h); res.FieldErrors["score"] == "" {
		t.Errorf("score 11 accepted: %+v", res)
	}
	if res := plugintest.Act(t, nps.Survey{}, partner, "answer", map[string][]string{"score": {"10"}}, h); res.Message == "" {
		t.Errorf("answer refused: %+v", res)
	}
	if c := plugintest.Render(t, nps.Survey{}, partner, `{}`, h).(ui.Card); c.Title != "Thank you" {
		t.Errorf("after answering: %+v", c)
	}
	m := plugintest.Render(t, nps.Survey{}, staff, `{}`, h).(ui.Card).Body[0].(ui.Metric)
	if m.Value != "100" || !strings.Contains(m.Hint, "1 answers") {
		t.Errorf("staff see %+v, want NPS 100 of 1 answer", m)
	}
}

// The built executable passes the conformance check through real gRPC.
func TestConformance(t *testing.T) {
	h := plugintest.NewHost()
	plugintest.MemoryStorage(h)
	plugintest.Conformance(t, plugintest.Build(t, "./cmd/nps"), "acme/nps", h)
}

// MDF requests: the cap comes from the plugin's settings, and staff decide
// only on requests of partners they act for.
func TestMDFDecisions(t *testing.T) {
	h := plugintest.NewHost()
	plugintest.MemoryStorage(h)
	h.Settings = []byte(`{"mdfCap":5000}`)
	partner := plugintest.Partner()
	req := map[string][]string{"amount": {"6000"}, "purpose": {"Trade show booth"}}
	if res := plugintest.Act(t, nps.Requests{}, partner, "request", req, h); !strings.Contains(res.FieldErrors["amount"], "5000") {
		t.Fatalf("6000 over a cap of 5000 accepted: %+v", res)
	}
	req["amount"] = []string{"4000"}
	if res := plugintest.Act(t, nps.Requests{}, partner, "request", req, h); res.Message == "" {
		t.Fatalf("request refused: %+v", res)
	}
	stranger, mine := plugintest.Staff(), plugintest.Staff()
	stranger.ActsFor = []int64{99}
	mine.ActsFor = []int64{partner.Partner.ID}
	if forms := decideForms(plugintest.Render(t, nps.Requests{}, stranger, `{}`, h)); len(forms) != 0 {
		t.Errorf("a manager of other partners is offered %d decisions", len(forms))
	}
	forms := decideForms(plugintest.Render(t, nps.Requests{}, mine, `{}`, h))
	if len(forms) != 1 {
		t.Fatalf("the partner's manager is offered %d decisions, want 1", len(forms))
	}
	decide := func(v sdk.Viewer, values map[string][]string) sdk.ActionResult {
		res, err := nps.Requests{}.HandleAction(context.Background(), sdk.ActionRequest{Viewer: v, Name: "decide",
			State: forms[0].Action.State, Values: values, Host: h.As(v)})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	yes := map[string][]string{"decision": {"approved"}, "reason": {"Good plan"}}
	if res := decide(stranger, yes); res.Message != "" {
		t.Errorf("a manager of other partners decided: %+v", res)
	}
	if res := decide(mine, map[string][]string{"decision": {"approved"}}); res.FieldErrors["reason"] == "" {
		t.Errorf("a decision without a reason accepted: %+v", res)
	}
	if res := decide(mine, yes); res.Message == "" {
		t.Fatalf("decision refused: %+v", res)
	}
	card := plugintest.Render(t, nps.Requests{}, partner, `{}`, h).(ui.Card)
	row := card.Body[0].(ui.Table).Rows[0].Cells
	if row[2].(ui.Badge).Text != "approved" || row[3].(ui.Text).Text != "Good plan" {
		t.Errorf("the partner sees %+v", row)
	}
}

func decideForms(c ui.Component) []ui.Form {
	var out []ui.Form
	for _, child := range c.(ui.Card).Body {
		if f, ok := child.(ui.Form); ok && f.Action.Name == "decide" {
			out = append(out, f)
		}
	}
	return out
}

// A request older than the newest 500 is on the next page, which the list
// links to, and can still be decided there.
func TestMDFBeyondTheFirstPage(t *testing.T) {
	h := plugintest.NewHost()
	plugintest.MemoryStorage(h)
	partner := plugintest.Partner()
	for i := range 501 {
		req := map[string][]string{"amount": {"100"}, "purpose": {fmt.Sprintf("Campaign %d", i)}}
		if res := plugintest.Act(t, nps.Requests{}, partner, "request", req, h); res.Message == "" {
			t.Fatalf("request %d refused: %+v", i, res)
		}
	}
	card := plugintest.Render(t, nps.Requests{}, partner, `{}`, h).(ui.Card)
	older := ui.Link{Text: "Older requests", Href: plugintest.Room.Path + "/items/older?before=2"}
	if len(card.Body) < 2 || card.Body[0].(ui.Table).Rows == nil || len(card.Body[0].(ui.Table).Rows) != 500 ||
		!reflect.DeepEqual(card.Body[1], ui.Stack{Children: ui.Children{older}}) {
		t.Fatalf("the first page does not link to the older requests: %+v", card.Body[1:2])
	}

	mine := plugintest.Staff()
	mine.ActsFor = []int64{partner.Partner.ID}
	for _, v := range []sdk.Viewer{partner, mine} {
		pg, err := nps.MDFRoom{}.RenderItem(context.Background(), sdk.ItemRequest{Viewer: v, Room: plugintest.Room, Path: "older",
			Query: map[string][]string{"before": {"2"}}, Host: h.As(v)})
		if err != nil {
			t.Fatal(err)
		}
		if err := plugintest.CheckTree(pg.Body); err != nil {
			t.Fatal(err)
		}
		body := pg.Body.(ui.Card).Body
		rows := body[0].(ui.Table).Rows
		if len(rows) != 1 || !reflect.DeepEqual(body[1], ui.Stack{Children: ui.Children{ui.Link{Text: "Newest requests", Href: plugintest.Room.Path}}}) {
			t.Errorf("%s: the older page: %+v", v.Name, body)
		}
		hasForm := slices.ContainsFunc(body, func(c ui.Component) bool { f, ok := c.(ui.Form); return ok && f.Action.Name == "decide" })
		if hasForm != v.Staff() {
			t.Errorf("%s: decide form shown: %v", v.Name, hasForm)
		}
	}
	res, err := nps.MDFRoom{}.HandleAction(context.Background(), sdk.ActionRequest{Viewer: mine, Name: "decide", State: "1",
		Values: map[string][]string{"decision": {"approved"}, "reason": {"Still good"}}, Host: h.As(mine)})
	if err != nil || res.Message == "" {
		t.Fatalf("deciding the oldest request on its page: %+v, %v", res, err)
	}
	for _, q := range []map[string][]string{{"before": {"x"}}, {}, {"before": {"-3"}}} {
		if _, err := (nps.MDFRoom{}).RenderItem(context.Background(), sdk.ItemRequest{Viewer: mine, Room: plugintest.Room, Path: "older",
			Query: q, Host: h.As(mine)}); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("older page with %v: %v, want not found", q, err)
		}
	}
	if _, err := (nps.MDFRoom{}).RenderItem(context.Background(), sdk.ItemRequest{Viewer: mine, Room: plugintest.Room, Path: "elsewhere",
		Host: h.As(mine)}); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("unknown item page: %v, want not found", err)
	}
}
