package nps_test

import (
	"strings"
	"testing"

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
