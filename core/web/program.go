package web

import (
	"cmp"
	"context"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/pipeline"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// ProgramSettings keeps the program's commission rules, deal stages and
// lead fields.
type ProgramSettings interface {
	Rules(ctx context.Context) ([]pipeline.Rule, error)
	SaveRule(ctx context.Context, r pipeline.Rule, vocab pipeline.Vocabulary) (pipeline.Rule, error)
	DeleteRule(ctx context.Context, id int64) error
	Config(ctx context.Context) (sp.Config, error)
	SaveConfig(ctx context.Context, cfg sp.Config) (sp.Config, error)
}

// ProgramPage is the data of the program settings page. Only admins change
// the settings; managers read them, since they explain to partners what a
// win pays.
type ProgramPage struct {
	CanEdit bool
	Rules   []RuleRow
	Types   []string
	Tiers   []string
	// Rule is the rule form: what was typed and what is wrong, by input name.
	Rule   InputSet
	Stages []StageRow
	Fields []LeadFieldRow
	// StagesError and FieldsError are about a list as a whole.
	StagesError, FieldsError string
	Currency                 string
}

// InputSet is a form's values and errors by input name.
type InputSet struct {
	Values map[string]string
	Errors map[string]string
}

// RuleRow is a commission rule as the page lists it.
type RuleRow struct {
	ID                      int64
	PartnerType, Tier, Pays string
}

// StageRow is one deal stage in the stages form.
type StageRow struct {
	Index                            int
	Key, Label, Order                string
	Closing, New, Remove             bool
	KeyError, LabelError, OrderError string
}

// LeadFieldRow is one of the program's lead fields in the fields form.
type LeadFieldRow struct {
	Index                               int
	Name, Label, Options                string
	Required, Remove, New               bool
	NameError, LabelError, OptionsError string
}

func (s *Server) programPage(w http.ResponseWriter, r *http.Request) {
	s.showProgram(w, r, http.StatusOK, nil)
}

// showProgram draws the settings page; with a submitted form's data it
// keeps what was typed and says what is wrong next to each input.
func (s *Server) showProgram(w http.ResponseWriter, r *http.Request, status int, edit func(*ProgramPage)) {
	if s.Program == nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	rules, err := s.Program.Rules(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cfg, err := s.Program.Config(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prog := s.catalog.Current().Program
	data := ProgramPage{CanEdit: principal(r).IsAdmin(), Types: prog.PartnerTypes, Tiers: prog.Tiers, Currency: cfg.Currency,
		Rule: InputSet{Values: map[string]string{"kind": "percent", "currency": cfg.Currency}, Errors: map[string]string{}}}
	for _, ru := range rules {
		data.Rules = append(data.Rules, RuleRow{ID: ru.ID, PartnerType: ru.PartnerType, Tier: ru.Tier, Pays: rulePays(loc(r), ru)})
	}
	data.Stages = stageRows(cfg)
	data.Fields = fieldRows(cfg)
	if edit != nil {
		edit(&data)
	}
	s.page(w, r, status, "admin-program", tr(r, "admin.program.title"), data)
}

// rulePays says what a rule pays, in the reader's language and numbers.
func rulePays(l *sdki18n.Locale, r pipeline.Rule) string {
	if r.BasisPoints > 0 {
		return l.T("admin.program.pays-percent", "Percent", l.Number(float64(r.BasisPoints)/100, 2))
	}
	return l.T("admin.program.pays-fixed", "Amount", l.Money(r.FixedAmount, r.Currency))
}

func stageRows(cfg sp.Config) []StageRow {
	var rows []StageRow
	for i, st := range cfg.DealStages {
		closing := st.Key == sp.StageWon || st.Key == sp.StageLost
		rows = append(rows, StageRow{Index: i, Key: st.Key, Label: st.Label, Order: strconv.Itoa((i + 1) * 10), Closing: closing})
	}
	return append(rows, StageRow{Index: len(rows), New: true})
}

func fieldRows(cfg sp.Config) []LeadFieldRow {
	var rows []LeadFieldRow
	for i, f := range cfg.LeadFields {
		rows = append(rows, LeadFieldRow{Index: i, Name: f.Name, Label: f.Label, Required: f.Required, Options: strings.Join(f.Options, ", ")})
	}
	return append(rows, LeadFieldRow{Index: len(rows), New: true})
}

// readForm parses a settings form, answering 400 itself when it cannot.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return nil, false
	}
	return r.PostForm, true
}

// saveRule adds or replaces the commission rule for a partner type and tier.
func (s *Server) saveRule(w http.ResponseWriter, r *http.Request) {
	if s.Program == nil {
		s.notFound(w, r)
		return
	}
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := InputSet{Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"partnerType", "tier", "kind", "percent", "amount", "currency"} {
		in.Values[k] = strings.TrimSpace(f.Get(k))
	}
	rule, errs := ParseRuleForm(loc(r), in.Values)
	if len(errs) == 0 {
		prog := s.catalog.Current().Program
		_, err := s.Program.SaveRule(r.Context(), rule, pipeline.Vocabulary{PartnerTypes: prog.PartnerTypes, Tiers: prog.Tiers})
		if e := failure(r, err); err != nil && e.Code == fail.Invalid {
			errs = ruleFormErrors(e.Fields)
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		in.Errors = errs
		s.showProgram(w, r, http.StatusUnprocessableEntity, func(p *ProgramPage) { p.Rule = in })
		return
	}
	s.setFlash(w, r, "success", tr(r, "admin.program.rule-saved"))
	http.Redirect(w, r, "/admin/program#rules", http.StatusSeeOther)
}

// ParseRuleForm reads the rule form (partnerType, tier, kind percent or
// fixed, percent, amount, currency) into a rule, exactly: a percentage
// becomes basis points and an amount minor units, with no floating point.
func ParseRuleForm(l *sdki18n.Locale, v map[string]string) (pipeline.Rule, map[string]string) {
	rule := pipeline.Rule{PartnerType: v["partnerType"], Tier: v["tier"], Currency: strings.ToUpper(v["currency"])}
	errs := map[string]string{}
	switch v["kind"] {
	case "percent":
		bp, err := pipeline.ParseBasisPoints(v["percent"])
		if err != nil {
			errs["percent"] = fail.As(err).In(l).Message
		}
		rule.BasisPoints = bp
	case "fixed":
		amount, err := sp.ParseMoney(v["amount"])
		if err == nil && amount <= 0 {
			err = l.Errorf("admin.program.amount-above-zero")
		}
		if err != nil {
			errs["amount"] = err.Error()
		}
		rule.FixedAmount = amount
	default:
		errs["kind"] = l.T("admin.program.choose-kind")
	}
	if rule.PartnerType == "" {
		errs["partnerType"] = l.T("admin.program.choose-type")
	}
	return rule, errs
}

// ruleFormErrors names the service's field errors after the form's inputs.
func ruleFormErrors(fields map[string]string) map[string]string {
	rename := map[string]string{"basisPoints": "percent", "fixedAmount": "amount"}
	out := map[string]string{}
	for k, m := range fields {
		if n, ok := rename[k]; ok {
			k = n
		}
		out[k] = m
	}
	return out
}

// deleteRule removes a commission rule.
func (s *Server) deleteRule(w http.ResponseWriter, r *http.Request) {
	if s.Program == nil {
		s.notFound(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if err := s.Program.DeleteRule(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, r, "success", tr(r, "admin.program.rule-removed"))
	http.Redirect(w, r, "/admin/program#rules", http.StatusSeeOther)
}

var slugRe = regexp.MustCompile(`[^a-z0-9]+`)

// keyFrom makes a stage key or field name from a label: "Legal review" is
// legal_review.
func keyFrom(label string) string {
	k := strings.Trim(slugRe.ReplaceAllString(strings.ToLower(label), "_"), "_")
	if len(k) > 40 {
		k = strings.TrimRight(k[:40], "_")
	}
	return k
}

// saveStages renames, adds and reorders the deal stages. The closing two
// keep their place at the end; only their labels change.
func (s *Server) saveStages(w http.ResponseWriter, r *http.Request) {
	saveConfigForm(s, w, r, configForm[StageRow]{
		parse: func(f url.Values, cur sp.Config) ([]StageRow, sp.Config, bool) {
			return ParseStagesForm(loc(r), f, cur)
		},
		rowErrors: stageErrors,
		saved:     tr(r, "admin.program.stages-saved"), anchor: "stages",
		show: func(p *ProgramPage, rows []StageRow, msg string) {
			p.Stages, p.StagesError = rows, cmp.Or(msg, tr(r, "admin.program.correct-stages"))
		},
	})
}

// configForm is one of the program page's forms that edit the pipeline
// vocabulary: how to read it, where the service's errors go, and how the
// page shows it again.
type configForm[R any] struct {
	parse     func(url.Values, sp.Config) ([]R, sp.Config, bool)
	rowErrors func([]R, sp.Config, map[string]string) string
	saved     string // the notice after saving
	anchor    string // the form's section of the page
	show      func(p *ProgramPage, rows []R, msg string)
}

// saveConfigForm reads a configForm, saves the vocabulary it yields and
// goes back to its section, or draws the page again (422) with the rows as
// typed and each error on its row.
func saveConfigForm[R any](s *Server, w http.ResponseWriter, r *http.Request, cf configForm[R]) {
	if s.Program == nil {
		s.notFound(w, r)
		return
	}
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	cfg, err := s.Program.Config(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, next, bad := cf.parse(f, cfg)
	listErr := ""
	if !bad {
		_, err := s.Program.SaveConfig(r.Context(), next)
		if e := failure(r, err); err != nil && e.Code == fail.Invalid {
			listErr = cf.rowErrors(rows, next, e.Fields)
		} else if err != nil {
			s.fail(w, r, err)
			return
		} else {
			s.setFlash(w, r, "success", cf.saved)
			http.Redirect(w, r, "/admin/program#"+cf.anchor, http.StatusSeeOther)
			return
		}
	}
	s.showProgram(w, r, http.StatusUnprocessableEntity, func(p *ProgramPage) { cf.show(p, rows, listErr) })
}

// ParseStagesForm reads the stages form: for each row i, stage.i.key
// (existing stages carry theirs), stage.i.label, stage.i.order and
// stage.i.remove (open stages only). A new
// row with a label becomes a stage whose key comes from its label, placed
// by its order or, without one, after the other open stages. Open stages
// are sorted by their order; closed won and closed lost stay last.
// It returns the rows as typed (with the errors it found) and the
// vocabulary to save; bad reports an error in a row.
func ParseStagesForm(l *sdki18n.Locale, f url.Values, cur sp.Config) (rows []StageRow, next sp.Config, bad bool) {
	next = cur
	next.DealStages = nil
	type open struct {
		order int
		row   int
	}
	var opens []open
	var closing []int
	for i := 0; i < len(cur.DealStages)+1; i++ {
		p := "stage." + strconv.Itoa(i) + "."
		row := StageRow{Index: i, Label: strings.TrimSpace(f.Get(p + "label")), Order: strings.TrimSpace(f.Get(p + "order"))}
		if i < len(cur.DealStages) {
			row.Key = cur.DealStages[i].Key // the key of an existing stage does not change
			row.Closing = row.Key == sp.StageWon || row.Key == sp.StageLost
			// An open stage may be removed; the service refuses while deals
			// are in it, and the row comes back still ticked.
			if row.Remove = !row.Closing && f.Get(p+"remove") != ""; row.Remove {
				rows = append(rows, row)
				continue
			}
		} else {
			row.New = true
			row.Key = strings.TrimSpace(f.Get(p + "key"))
			if row.Label == "" && row.Key == "" {
				rows = append(rows, row)
				continue // the blank row for a new stage
			}
			if row.Key == "" {
				row.Key = keyFrom(row.Label)
			}
		}
		if row.Label == "" {
			row.LabelError, bad = l.T("admin.program.stage-name"), true
		}
		if row.Closing {
			closing = append(closing, i)
		} else {
			n, err := strconv.Atoi(row.Order)
			if row.New && row.Order == "" {
				n, err = math.MaxInt, nil // a new stage without a place goes last of the open ones
			}
			if err != nil {
				row.OrderError, bad = l.T("admin.program.stage-order"), true
			}
			opens = append(opens, open{order: n, row: i})
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(opens, func(a, b open) int { return cmp.Compare(a.order, b.order) })
	for _, o := range opens {
		next.DealStages = append(next.DealStages, sp.Stage{Key: rows[o.row].Key, Label: rows[o.row].Label})
	}
	for _, i := range closing {
		next.DealStages = append(next.DealStages, sp.Stage{Key: rows[i].Key, Label: rows[i].Label})
	}
	return rows, next, bad
}

// stageErrors puts the service's errors (dealStages.N.label) on the rows
// that produced them and returns the list's own error, if any.
func stageErrors(rows []StageRow, next sp.Config, fields map[string]string) string {
	for k, m := range fields {
		rest, ok := strings.CutPrefix(k, "dealStages.")
		if !ok {
			continue
		}
		n, attr, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(n)
		if err != nil || i >= len(next.DealStages) {
			continue
		}
		for j := range rows {
			if rows[j].Key == next.DealStages[i].Key {
				if attr == "key" {
					rows[j].KeyError = m
				} else {
					rows[j].LabelError = m
				}
			}
		}
	}
	return fields["dealStages"]
}

// saveFields adds, changes and removes the program's lead fields.
func (s *Server) saveFields(w http.ResponseWriter, r *http.Request) {
	saveConfigForm(s, w, r, configForm[LeadFieldRow]{
		parse: ParseFieldsForm, rowErrors: fieldErrors,
		saved: tr(r, "admin.program.fields-saved"), anchor: "fields",
		show: func(p *ProgramPage, rows []LeadFieldRow, msg string) {
			p.Fields, p.FieldsError = rows, cmp.Or(msg, tr(r, "admin.common.correct-fields"))
		},
	})
}

// ParseFieldsForm reads the lead fields form: for each row i, field.i.name,
// field.i.label, field.i.required, field.i.options (comma-separated choices,
// empty for free text) and field.i.remove. A new row's name comes from its
// label when left empty.
func ParseFieldsForm(f url.Values, cur sp.Config) (rows []LeadFieldRow, next sp.Config, bad bool) {
	next = cur
	next.LeadFields = nil
	for i := 0; i < len(cur.LeadFields)+1; i++ {
		p := "field." + strconv.Itoa(i) + "."
		row := LeadFieldRow{Index: i, Name: strings.TrimSpace(f.Get(p + "name")), Label: strings.TrimSpace(f.Get(p + "label")),
			Options: strings.TrimSpace(f.Get(p + "options")), Required: f.Get(p+"required") != "", Remove: f.Get(p+"remove") != "",
			New: i == len(cur.LeadFields)}
		if row.New && row.Name == "" && row.Label == "" {
			rows = append(rows, row)
			continue
		}
		if row.Name == "" {
			row.Name = keyFrom(row.Label)
		}
		rows = append(rows, row)
		if row.Remove {
			continue
		}
		lf := sp.LeadField{Name: row.Name, Label: row.Label, Required: row.Required}
		if row.Options != "" {
			for _, o := range strings.Split(row.Options, ",") {
				if o = strings.TrimSpace(o); o != "" {
					lf.Options = append(lf.Options, o)
				}
			}
		}
		next.LeadFields = append(next.LeadFields, lf)
	}
	return rows, next, bad
}

// fieldErrors puts the service's errors (leadFields.N.name) on the rows.
func fieldErrors(rows []LeadFieldRow, next sp.Config, fields map[string]string) string {
	kept := []int{}
	for j, row := range rows {
		if !row.Remove && (row.Name != "" || row.Label != "") {
			kept = append(kept, j)
		}
	}
	for k, m := range fields {
		rest, ok := strings.CutPrefix(k, "leadFields.")
		if !ok {
			continue
		}
		n, attr, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(n)
		if err != nil || i >= len(kept) {
			continue
		}
		row := &rows[kept[i]]
		switch attr {
		case "name":
			row.NameError = m
		case "label":
			row.LabelError = m
		default:
			row.OptionsError = m
		}
	}
	return fields["leadFields"]
}
