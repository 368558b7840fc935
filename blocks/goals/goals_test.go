package goals

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/plugintest"
)

func TestPeriod(t *testing.T) {
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		period, from, to, label string
	}{
		{"month", "2026-11-01", "2026-12-01", "November 2026"},
		{"quarter", "2026-10-01", "2027-01-01", "Q4 2026"},
		{"", "2026-10-01", "2027-01-01", "Q4 2026"},
		{"year", "2026-01-01", "2027-01-01", "2026"},
	} {
		from, to, label := Period(at, c.period)
		if from.Format(time.DateOnly) != c.from || to.Format(time.DateOnly) != c.to || label != c.label {
			t.Errorf("%q: %s..%s %q", c.period, from, to, label)
		}
	}
}

// TestCatalogue: every language has every message English has and can draw
// it, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."))
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestPeriodLabel: the period a goal counts, as the reader's language
// names it.
func TestPeriodLabel(t *testing.T) {
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ lang, period, want string }{
		{"en", "month", "October 2026"}, {"de", "month", "Oktober 2026"}, {"es", "month", "octubre de 2026"},
		{"en", "quarter", "Q4 2026"}, {"es", "quarter", "T4 2026"}, {"de", "year", "2026"},
	} {
		if got := PeriodLabel(catalog.For(c.lang), from, c.period); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.period, got, c.want)
		}
	}
}

// TestRenderInGerman: a measured goal's progress in German words and
// numbers, through the host as the viewer.
func TestRenderInGerman(t *testing.T) {
	h := plugintest.NewHost()
	plugintest.Handle(h, sp.Measure, func(_ context.Context, _ sdk.Viewer, q sp.MetricQuery) (sp.MetricValue, error) {
		if q.Metric == sp.MetricDealsWonValue {
			return sp.MetricValue{Value: 3_000_000_00, Currency: "EUR"}, nil
		}
		return sp.MetricValue{Value: 1200}, nil
	})
	v := plugintest.Partner()
	v.Locale = "de"
	b := block{now: func() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }}
	tree := plugintest.Render(t, b, v, `{"goals":[{"title":"Leads","metric":"leads_submitted","target":2000,"period":"month"},
		{"title":"Umsatz","metric":"deals_won_value","target":250000,"period":"quarter"}]}`, h)
	got, _ := json.Marshal(tree)
	s := strings.ReplaceAll(string(got), "\u00a0", " ")
	for _, want := range []string{"Leads (November 2026)", "1.200 von 2.000", "Umsatz (Q4 2026)", "3.000.000 € von 250.000 € · erreicht"} {
		if !strings.Contains(s, want) {
			t.Errorf("want %q in %s", want, s)
		}
	}
}
