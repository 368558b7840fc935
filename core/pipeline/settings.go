package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/fail"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// Vocabulary is what the program's settings are checked against: the
// partner types and tiers a commission rule may name. Empty lists skip the
// check (the core's own callers that set rules before a program exists).
type Vocabulary struct {
	PartnerTypes []string
	Tiers        []string
}

// RuleProblems returns what is wrong with a commission rule, per field
// (partnerType, tier, basisPoints, fixedAmount, currency): exactly one of a
// percentage (1–10000 basis points) or a fixed amount, for a partner type
// and tier the program knows. The messages are English; SaveRule's refusal
// carries them as catalogue messages for the reader's language.
func RuleProblems(r Rule, vocab Vocabulary) map[string]string {
	return ruleProblems(r, vocab).English()
}

func ruleProblems(r Rule, vocab Vocabulary) fail.Problems {
	errs := fail.Problems{}
	switch {
	case r.PartnerType == "":
		errs.Add("partnerType", "invalid.staff.rule.choose-type")
	case len(vocab.PartnerTypes) > 0 && !slices.Contains(vocab.PartnerTypes, r.PartnerType):
		errs.Add("partnerType", "invalid.staff.rule.unknown-type", "Types", strings.Join(vocab.PartnerTypes, ", "))
	}
	if r.Tier != "" && len(vocab.Tiers) > 0 && !slices.Contains(vocab.Tiers, r.Tier) {
		errs.Add("tier", "invalid.staff.rule.unknown-tier", "Tiers", strings.Join(vocab.Tiers, ", "))
	}
	switch {
	case r.BasisPoints < 0 || r.BasisPoints > 10000:
		errs.Add("basisPoints", "invalid.staff.rule.percent-range")
	case r.FixedAmount < 0:
		errs.Add("fixedAmount", "invalid.staff.rule.amount-positive")
	case r.BasisPoints > 0 && r.FixedAmount > 0:
		errs.Add("fixedAmount", "invalid.staff.rule.not-both")
	case r.BasisPoints == 0 && r.FixedAmount == 0:
		errs.Add("basisPoints", "invalid.staff.rule.neither")
	}
	if r.Currency != "" && !currencyRe.MatchString(r.Currency) {
		errs.Add("currency", "invalid.staff.currency")
	}
	return errs
}

var currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

// SaveRule creates or replaces the rule for a partner type and tier after
// checking it against the program, and returns it as stored.
func (s *Service) SaveRule(ctx context.Context, r Rule, vocab Vocabulary) (Rule, error) {
	r.PartnerType, r.Tier, r.Currency = strings.TrimSpace(r.PartnerType), strings.TrimSpace(r.Tier), strings.ToUpper(strings.TrimSpace(r.Currency))
	if err := ruleProblems(r, vocab).Err(); err != nil {
		return Rule{}, err
	}
	if r.Currency == "" {
		cfg, err := s.Config(ctx)
		if err != nil {
			return Rule{}, err
		}
		r.Currency = cfg.Currency
	}
	r.ID = 0
	if _, err := s.db.NewInsert().Model(&r).On("CONFLICT (partner_type, tier) DO UPDATE").
		Set("basis_points = EXCLUDED.basis_points, fixed_amount = EXCLUDED.fixed_amount, currency = EXCLUDED.currency").Exec(ctx); err != nil {
		return Rule{}, fmt.Errorf("save commission rule: %w", err)
	}
	var out Rule
	if err := s.db.NewSelect().Model(&out).Where("partner_type = ? AND tier = ?", r.PartnerType, r.Tier).Scan(ctx); err != nil {
		return Rule{}, fmt.Errorf("save commission rule: %w", err)
	}
	return out, nil
}

// DeleteRule removes a commission rule. Entries already in the ledger stay
// as they are; later wins of that partner type earn nothing (or the
// type's catch-all rule).
func (s *Service) DeleteRule(ctx context.Context, id int64) error {
	res, err := s.db.NewDelete().Model((*Rule)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete commission rule: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fail.NotFoundf("no such commission rule")
	}
	return nil
}

// ParseBasisPoints reads a percentage as people type it ("15", "12.5",
// "0.25%") as basis points, exactly: 12.5 is 1250.
func ParseBasisPoints(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, fail.Msg(fail.Invalid, "invalid.staff.percent.format")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fail.Msg(fail.Invalid, "invalid.staff.percent.decimals")
	}
	w, err := strconv.ParseInt(or(whole, "0"), 10, 64)
	if err != nil || w < 0 || w > 100 {
		return 0, fail.Msg(fail.Invalid, "invalid.staff.percent.range")
	}
	f := int64(0)
	if frac != "" {
		f, err = strconv.ParseInt((frac + "0")[:2], 10, 64)
		if err != nil || f < 0 {
			return 0, fail.Msg(fail.Invalid, "invalid.staff.percent.format")
		}
	}
	bp := w*100 + f
	if bp <= 0 || bp > 10000 {
		return 0, fail.Msg(fail.Invalid, "invalid.staff.percent.range")
	}
	return bp, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// FormatBasisPoints shows basis points as a percentage: 1250 is "12.5%".
func FormatBasisPoints(bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if f := bp % 100; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", f), "0")
	}
	return s + "%"
}

var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// standardLeadFields are the lead form's own fields; a program's field may
// not take their names.
var standardLeadFields = []string{"company", "contactName", "contactname", "email", "phone", "website", "notes", "status"}

// ConfigProblems returns what is wrong with a pipeline vocabulary, per field
// path (dealStages.2.label, leadFields.0.name, protectionDays): stage keys
// and field names are lowercase words, unique; every stage and field has a
// label; the closing stages stay, last. The messages are English;
// SaveConfig's refusal carries them as catalogue messages.
func ConfigProblems(cfg sp.Config) map[string]string {
	return configProblems(cfg).English()
}

func configProblems(cfg sp.Config) fail.Problems {
	errs := fail.Problems{}
	n := len(cfg.DealStages)
	switch {
	case n < 2 || cfg.DealStages[n-2].Key != sp.StageWon || cfg.DealStages[n-1].Key != sp.StageLost:
		errs.Add("dealStages", "invalid.staff.stages.closing-last")
	case n < 3:
		errs.Add("dealStages", "invalid.staff.stages.one-open")
	}
	seen := map[string]bool{}
	for i, st := range cfg.DealStages {
		p := "dealStages." + strconv.Itoa(i) + "."
		switch {
		case !keyRe.MatchString(st.Key):
			errs.Add(p+"key", "invalid.staff.key-format")
		case seen[st.Key]:
			errs.Add(p+"key", "invalid.staff.stages.key-taken", "Key", st.Key)
		case (st.Key == sp.StageWon || st.Key == sp.StageLost) && i < n-2:
			errs.Add(p+"key", "invalid.staff.stages.closing-end")
		}
		seen[st.Key] = true
		if l := strings.TrimSpace(st.Label); l == "" || utf8.RuneCountInString(l) > 60 {
			errs.Add(p+"label", "invalid.staff.stages.label")
		}
	}
	names := map[string]bool{}
	for i, f := range cfg.LeadFields {
		p := "leadFields." + strconv.Itoa(i) + "."
		switch {
		case !keyRe.MatchString(f.Name):
			errs.Add(p+"name", "invalid.staff.key-format")
		case slices.Contains(standardLeadFields, f.Name):
			errs.Add(p+"name", "invalid.staff.fields.standard", "Name", f.Name)
		case names[f.Name]:
			errs.Add(p+"name", "invalid.staff.fields.name-taken", "Name", f.Name)
		}
		names[f.Name] = true
		if l := strings.TrimSpace(f.Label); l == "" || utf8.RuneCountInString(l) > 100 {
			errs.Add(p+"label", "invalid.staff.fields.label")
		}
		if len(f.Options) > 50 {
			errs.Add(p+"options", "invalid.staff.fields.options-50")
		}
		for _, o := range f.Options {
			if strings.TrimSpace(o) == "" || utf8.RuneCountInString(o) > 100 {
				errs.Add(p+"options", "invalid.staff.fields.option-length")
			}
		}
	}
	if len(cfg.LeadFields) > 20 {
		errs.Add("leadFields", "invalid.staff.fields.at-most-20")
	}
	if cfg.ProtectionDays < 0 || cfg.ProtectionDays > 3650 {
		errs.Add("protectionDays", "invalid.staff.protection-days")
	}
	if cfg.Currency != "" && !currencyRe.MatchString(cfg.Currency) {
		errs.Add("currency", "invalid.staff.currency")
	}
	return errs
}

// SaveConfig checks and stores the program's vocabulary. A stage that open
// deals are still in may not be removed: they would be stranded.
func (s *Service) SaveConfig(ctx context.Context, cfg sp.Config) (sp.Config, error) {
	cur, err := s.readConfig(ctx)
	if err != nil {
		return sp.Config{}, err
	}
	if cfg.Currency == "" {
		cfg.Currency = cur.Currency
	}
	if cfg.ProtectionDays == 0 {
		cfg.ProtectionDays = cur.ProtectionDays
	}
	for i := range cfg.DealStages {
		cfg.DealStages[i].Label = strings.TrimSpace(cfg.DealStages[i].Label)
	}
	for i := range cfg.LeadFields {
		cfg.LeadFields[i].Label = strings.TrimSpace(cfg.LeadFields[i].Label)
	}
	errs := configProblems(cfg)
	if len(errs) == 0 {
		for _, st := range cur.DealStages {
			if slices.ContainsFunc(cfg.DealStages, func(n sp.Stage) bool { return n.Key == st.Key }) {
				continue
			}
			var n int
			if err := s.db.NewRaw("SELECT count(*) FROM pipeline_deals WHERE stage = ?", st.Key).Scan(ctx, &n); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return sp.Config{}, fmt.Errorf("save pipeline config: %w", err)
			}
			if n > 0 {
				errs.Add("dealStages", "invalid.staff.stages.in-use", "Count", n, "Label", st.Label, "Key", st.Key)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return sp.Config{}, err
	}
	if err := s.SetConfig(ctx, cfg); err != nil {
		return sp.Config{}, err
	}
	return s.readConfig(ctx)
}
