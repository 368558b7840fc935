package deals

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// TestCatalogue: every language has every message English has and can draw
// it, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."), "stage.", "history.")
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestStageLabels: a stage the program left as shipped speaks the reader's
// language; one the program named itself stays as the program wrote it.
func TestStageLabels(t *testing.T) {
	cfg := sp.Config{DealStages: []sp.Stage{{Key: "proposal", Label: "Proposal"}, {Key: "discovery", Label: "Discovery call"},
		{Key: "negotiation", Label: "Haggling"}, {Key: sp.StageWon, Label: "Closed won"}}}
	for _, tc := range []struct{ lang, key, want string }{
		{"en", "proposal", "Proposal"},
		{"de", "proposal", "Angebot"},
		{"es", sp.StageWon, "Ganada"},
		{"de-AT", sp.StageWon, "Gewonnen"},
		{"de", "discovery", "Discovery call"},
		{"de", "negotiation", "Haggling"},
		{"de", "contract_review", "Vertragsprüfung"}, // not in the program's list: its key's words
		{"es", "stage_x", "Stage x"},
	} {
		if got := stageLabel(catalog.For(tc.lang), cfg, tc.key); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
}

// TestCountsAndMoney: the board's counts take the language's plural and its
// amounts the language's separators and currency place.
func TestCountsAndMoney(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		count int
		want  string
	}{
		{"en", 1, "1 deal"}, {"en", 1200, "1,200 deals"},
		{"de", 1, "1 Deal"}, {"de", 2, "2 Deals"},
		{"es", 1, "1 oportunidad"}, {"es", 3, "3 oportunidades"}, {"es", 1000000, "1.000.000 de oportunidades"},
	} {
		if got := catalog.For(tc.lang).N("board.deals", tc.count); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.count, got, tc.want)
		}
	}
	b, _ := json.Marshal(money(catalog.For("de"), sp.Money{Amount: 8_000_000, Currency: "USD"}))
	if got := strings.ReplaceAll(string(b), "\u00a0", " "); got != `"80.000 $"` {
		t.Errorf("German money: %s", got)
	}
}

// TestHistoryLabels: the registration's steps in a deal's history are
// worded for the reader, like its stages.
func TestHistoryLabels(t *testing.T) {
	cfg := sp.Config{DealStages: []sp.Stage{{Key: "proposal", Label: "Proposal"}}}
	for _, tc := range []struct{ lang, key, want string }{
		{"en", "registration pending", "Registration pending"},
		{"de", "registered", "Registriert"},
		{"es", "registration approved", "Registro aprobado"},
		{"de", "proposal", "Angebot"},
	} {
		if got := historyLabel(catalog.For(tc.lang), cfg, tc.key); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
}
