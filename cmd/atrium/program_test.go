package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/pipeline"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// scratchRule is the commission rule the matrix deletes, put back before
// each actor's turn under the same id.
const scratchRule = 900001

func init() {
	authzSetups["scratch-rule"] = func(t testing.TB, p *testPortal, _ map[string]string) {
		_, err := p.services(t).db.NewRaw(`INSERT INTO pipeline_commission_rules (id, partner_type, tier, basis_points, fixed_amount, currency)
			VALUES (?, 'implementation', 'gold', 900, 0, 'USD') ON CONFLICT DO NOTHING`, scratchRule).Exec(context.Background())
		if err != nil {
			t.Fatal(err)
		}
	}
}

func rulesOf(t *testing.T, p *testPortal) map[string]pipeline.Rule {
	t.Helper()
	rules, err := p.services(t).pipe.Rules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]pipeline.Rule{}
	for _, r := range rules {
		out[r.PartnerType+"/"+r.Tier] = r
	}
	return out
}

func configOf(t *testing.T, p *testPortal) sp.Config {
	t.Helper()
	cfg, err := pipeline.New(p.services(t).db, p.services(t).dir).Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func stageKeys(cfg sp.Config) string {
	var keys []string
	for _, s := range cfg.DealStages {
		keys = append(keys, s.Key+"="+s.Label)
	}
	return strings.Join(keys, ",")
}

// TestProgramSettingsPage walks the admin's settings page: a bad rule comes
// back with the error beside its input and what was typed; a good one is
// stored exactly (12.5% is 1250 basis points); stages are renamed, added and
// reordered with the closing two kept last; a required lead field appears on
// partners' lead form. A manager reads the page without forms and may not
// post.
func TestProgramSettingsPage(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	admin := p.client(t, "admin@acme.example")
	code, body := fetch(t, admin, p.URL+"/admin/program")
	if code != http.StatusOK || !strings.Contains(body, `href="/admin/program"`) || !strings.Contains(body, "15% of a won deal") ||
		!strings.Contains(body, "$500 per lead closed won") {
		t.Fatalf("settings page: %d, nav link or rules missing", code)
	}

	code, _, body = post(t, admin, p.URL+"/admin/program/rules", url.Values{"partnerType": {"reseller"}, "tier": {"silver"}, "kind": {"percent"}, "percent": {"12.345"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rule-percent-err"`) || !strings.Contains(body, "at most two decimals") ||
		!strings.Contains(body, `value="12.345"`) || !strings.Contains(body, `<option value="silver" selected>`) {
		t.Fatalf("bad percentage: %d", code)
	}
	code, _, body = post(t, admin, p.URL+"/admin/program/rules", url.Values{"partnerType": {"astronaut"}, "kind": {"fixed"}, "amount": {"250"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rule-type-err"`) || !strings.Contains(body, `value="250"`) {
		t.Fatalf("unknown partner type: %d", code)
	}
	code, loc, _ := post(t, admin, p.URL+"/admin/program/rules", url.Values{"partnerType": {"reseller"}, "tier": {"silver"}, "kind": {"percent"}, "percent": {"12.5"}})
	if code != http.StatusSeeOther || loc != "/admin/program#rules" {
		t.Fatalf("save rule: %d %s", code, loc)
	}
	if r := rulesOf(t, p)["reseller/silver"]; r.BasisPoints != 1250 || r.FixedAmount != 0 || r.Currency != "USD" {
		t.Fatalf("stored rule %+v, want 1250 basis points in USD", r)
	}
	code, _, _ = post(t, admin, p.URL+"/admin/program/rules", url.Values{"partnerType": {"reseller"}, "tier": {"silver"}, "kind": {"fixed"}, "amount": {"1,234.56"}})
	if r := rulesOf(t, p)["reseller/silver"]; code != http.StatusSeeOther || r.BasisPoints != 0 || r.FixedAmount != 123456 {
		t.Fatalf("replace rule: %d %+v", code, r)
	}

	// Stages: rename Proposal, add Legal review between Negotiation and
	// Contract review, move Contract review first; an empty name is refused
	// beside its input.
	code, _, body = post(t, admin, p.URL+"/admin/program/stages", url.Values{"stage.0.label": {""}, "stage.0.order": {"10"},
		"stage.1.label": {"Negotiation"}, "stage.1.order": {"20"}, "stage.2.label": {"Contract review"}, "stage.2.order": {"30"},
		"stage.3.label": {"Closed won"}, "stage.4.label": {"Closed lost"}, "stage.5.label": {"Legal review"}, "stage.5.order": {"25"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="stage-0-label-err"`) || !strings.Contains(body, `value="Legal review"`) {
		t.Fatalf("stage without a name: %d", code)
	}
	code, loc, _ = post(t, admin, p.URL+"/admin/program/stages", url.Values{"stage.0.label": {"Proposal sent"}, "stage.0.order": {"10"},
		"stage.1.label": {"Negotiation"}, "stage.1.order": {"20"}, "stage.2.label": {"Contract review"}, "stage.2.order": {"5"},
		"stage.3.label": {"Won"}, "stage.4.label": {"Lost"}, "stage.5.label": {"Legal review"}, "stage.5.order": {"25"}})
	if code != http.StatusSeeOther || loc != "/admin/program#stages" {
		t.Fatalf("save stages: %d %s", code, loc)
	}
	want := "contract_review=Contract review,proposal=Proposal sent,negotiation=Negotiation,legal_review=Legal review,closed_won=Won,closed_lost=Lost"
	if got := stageKeys(configOf(t, p)); got != want {
		t.Fatalf("stages %s, want %s", got, want)
	}
	// Removing a stage deals are in is refused, the box still ticked;
	// removing an empty one works.
	stages := func(remove string) url.Values {
		v := url.Values{"stage.0.label": {"Contract review"}, "stage.0.order": {"5"}, "stage.1.label": {"Proposal sent"}, "stage.1.order": {"10"},
			"stage.2.label": {"Negotiation"}, "stage.2.order": {"20"}, "stage.3.label": {"Legal review"}, "stage.3.order": {"25"},
			"stage.4.label": {"Won"}, "stage.5.label": {"Lost"}}
		v.Set("stage."+remove+".remove", "true")
		return v
	}
	code, _, body = post(t, admin, p.URL+"/admin/program/stages", stages("2"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "move them before removing the stage") ||
		!strings.Contains(body, `id="stage-2-remove" name="stage.2.remove" value="true" checked`) {
		t.Fatalf("removing a stage with deals: %d", code)
	}
	if got := stageKeys(configOf(t, p)); got != want {
		t.Fatalf("a refused removal changed the stages: %s", got)
	}
	if code, _, _ = post(t, admin, p.URL+"/admin/program/stages", stages("3")); code != http.StatusSeeOther {
		t.Fatalf("removing an empty stage: %d", code)
	}
	if got, want := stageKeys(configOf(t, p)), "contract_review=Contract review,proposal=Proposal sent,negotiation=Negotiation,closed_won=Won,closed_lost=Lost"; got != want {
		t.Fatalf("after removing legal review: %s, want %s", got, want)
	}

	// Lead fields: a bad name is refused beside it; a required pick list
	// reaches the partners' lead form.
	code, _, body = post(t, admin, p.URL+"/admin/program/fields", url.Values{"field.0.label": {"Budget"}, "field.0.name": {"company"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="field-0-name-err"`) || !strings.Contains(body, "already has company") {
		t.Fatalf("field named like a standard one: %d", code)
	}
	code, _, _ = post(t, admin, p.URL+"/admin/program/fields", url.Values{"field.0.label": {"Budget band"}, "field.0.required": {"true"}, "field.0.options": {"Small, Large"}})
	if cfg := configOf(t, p); code != http.StatusSeeOther || len(cfg.LeadFields) != 1 || cfg.LeadFields[0].Name != "budget_band" || !cfg.LeadFields[0].Required ||
		strings.Join(cfg.LeadFields[0].Options, "|") != "Small|Large" {
		t.Fatalf("save fields: %d %+v", code, cfg.LeadFields)
	}
	sarah := p.client(t, "sarah@northwind.example")
	_, leads := fetch(t, sarah, p.URL+"/rooms/leads")
	if !strings.Contains(leads, `name="x-budget_band"`) || !strings.Contains(leads, "Budget band") {
		t.Fatal("the lead form lacks the program's new field")
	}
	submit := "/rooms/leads/blocks/submit/actions/submit"
	code, _, body = post(t, sarah, p.URL+submit, url.Values{"_state": {formState(t, leads, submit)}, "company": {"Budgetless Inc"},
		"contactName": {"Bo"}, "email": {"bo@budgetless.example"}})
	if code != http.StatusUnprocessableEntity || !regexp.MustCompile(`id="b-submit-\d+-x-budget_band-error"`).MatchString(body) {
		t.Fatalf("a lead without the required field: %d", code)
	}

	mike := p.client(t, "mike@acme.example")
	code, body = fetch(t, mike, p.URL+"/admin/program")
	if code != http.StatusOK || strings.Contains(body, "Save rule") || !strings.Contains(body, "Only admins change these settings") {
		t.Fatalf("manager's read-only page: %d", code)
	}
	if code, _, _ := post(t, mike, p.URL+"/admin/program/rules", url.Values{"partnerType": {"reseller"}, "kind": {"percent"}, "percent": {"50"}}); code != http.StatusNotFound {
		t.Fatalf("manager saved a rule: %d", code)
	}
}

// TestProgramSettingsAPI sets, lists and removes a rule and changes the
// stages over the REST API, with the page's checks.
func TestProgramSettingsAPI(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	admin := p.client(t, "admin@acme.example")
	code, body := apiCall(t, admin, http.MethodPut, p.URL+"/api/v1/program/rules", map[string]any{"partnerType": "distributor", "tier": "gold", "basisPoints": 950}, nil)
	var saved pipeline.Rule
	if code != http.StatusOK || json.Unmarshal([]byte(body), &saved) != nil || saved.BasisPoints != 950 || saved.ID == 0 {
		t.Fatalf("put rule: %d %s", code, body)
	}
	code, body = apiCall(t, admin, http.MethodPut, p.URL+"/api/v1/program/rules", map[string]any{"partnerType": "distributor", "basisPoints": 100, "fixedAmount": 100}, nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "body.fixedAmount") {
		t.Fatalf("both kinds: %d %s", code, body)
	}
	if code, body = fetch(t, admin, p.URL+"/api/v1/program/rules"); code != http.StatusOK || !strings.Contains(body, `"basisPoints":950`) {
		t.Fatalf("list rules: %d %s", code, body)
	}
	if code, _ = apiCall(t, admin, http.MethodDelete, p.URL+"/api/v1/program/rules/"+itoa(saved.ID), nil, nil); code != http.StatusNoContent {
		t.Fatalf("delete rule: %d", code)
	}
	if _, ok := rulesOf(t, p)["distributor/gold"]; ok {
		t.Fatal("the rule is still there")
	}

	stages := []sp.Stage{{Key: "discovery", Label: "Discovery"}, {Key: "closed_won", Label: "Closed won"}, {Key: "closed_lost", Label: "Closed lost"}}
	code, body = apiCall(t, admin, http.MethodPut, p.URL+"/api/v1/program/pipeline", map[string]any{"dealStages": stages[:2]}, nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "closed won and closed lost stay") {
		t.Fatalf("stages without closed lost: %d %s", code, body)
	}
	// The demo has deals in proposal: the stage cannot go while they are.
	code, body = apiCall(t, admin, http.MethodPut, p.URL+"/api/v1/program/pipeline", map[string]any{"dealStages": stages}, nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "move them before removing the stage") {
		t.Fatalf("removing a stage in use: %d %s", code, body)
	}
	all := append([]sp.Stage{{Key: "discovery", Label: "Discovery"}}, configOf(t, p).DealStages...)
	code, body = apiCall(t, admin, http.MethodPut, p.URL+"/api/v1/program/pipeline", map[string]any{"dealStages": all}, nil)
	if code != http.StatusOK || !strings.HasPrefix(stageKeys(configOf(t, p)), "discovery=Discovery,proposal=") {
		t.Fatalf("add a first stage: %d %s", code, body)
	}
	mike := p.client(t, "mike@acme.example")
	if code, _ := apiCall(t, mike, http.MethodPut, p.URL+"/api/v1/program/pipeline", map[string]any{"dealStages": all}, nil); code != http.StatusNotFound {
		t.Fatalf("manager changed the stages: %d", code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestProgramSettingsCLI applies a pipeline file twice (the second time
// changes nothing), refuses a bad one whole, and sets, lists and deletes a
// rule.
func TestProgramSettingsCLI(t *testing.T) {
	t.Parallel()
	db := dbFlags(t)
	if code, _, errOut := cli(t, db, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "pipeline.yaml")
	good := `apiVersion: atrium/v1
kind: Pipeline
dealStages:
  - { key: discovery, label: Discovery }
  - { key: proposal, label: Proposal }
  - { key: closed_won, label: Closed won }
  - { key: closed_lost, label: Closed lost }
leadFields:
  - { name: budget, label: Budget, required: true, options: [Small, Large] }
commissionRules:
  - { partnerType: reseller, tier: gold, percent: "12.5" }
  - { partnerType: referral, amount: "500.00" }
`
	if err := os.WriteFile(file, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, db, "", "program", "pipeline", "apply", "-f", file)
	if code != 0 || !strings.Contains(out, "stages and lead fields: changed") || !strings.Contains(out, "rule reseller/gold: created") {
		t.Fatalf("apply: %d %s %s", code, out, errOut)
	}
	code, out, _ = cli(t, db, "", "program", "pipeline", "apply", "-f", file)
	if code != 0 || strings.Contains(out, "changed\n") && !strings.Contains(out, "lead fields: unchanged") || strings.Contains(out, "created") {
		t.Fatalf("second apply changed something: %s", out)
	}
	code, out, _ = cli(t, db, "", "program", "pipeline", "show")
	if code != 0 || !strings.Contains(out, "percent: \"12.5\"") || !strings.Contains(out, "amount: \"500.00\"") || !strings.Contains(out, "key: discovery") {
		t.Fatalf("show: %s", out)
	}

	bad := strings.Replace(good, `percent: "12.5"`, `percent: "150"`, 1)
	bad = strings.Replace(bad, "{ key: discovery, label: Discovery }", "{ key: Discovery, label: Discovery }", 1)
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = cli(t, db, "", "program", "pipeline", "apply", "-f", file)
	if code == 0 || !strings.Contains(errOut, "commissionRules.0.percent") || !strings.Contains(errOut, "dealStages.0.key") {
		t.Fatalf("bad file: %d %s", code, errOut)
	}

	code, out, errOut = cli(t, db, "", "program", "rules", "set", "--type", "distributor", "--percent", "7.25")
	if code != 0 || !strings.Contains(out, "saved") {
		t.Fatalf("rules set: %d %s %s", code, out, errOut)
	}
	code, _, errOut = cli(t, db, "", "program", "rules", "set", "--type", "distributor", "--percent", "7", "--amount", "5")
	if code == 0 || !strings.Contains(errOut, "not both") {
		t.Fatalf("rules set with both: %d %s", code, errOut)
	}
	code, out, _ = cli(t, db, "", "program", "rules", "list")
	if code != 0 || !strings.Contains(out, "7.25% of deal value") || !strings.Contains(out, "12.5% of deal value") || !strings.Contains(out, "$500 per lead won") {
		t.Fatalf("rules list: %s", out)
	}
}
