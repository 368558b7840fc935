// Package audience decides who sees a room, a block or a piece of content.
// Audiences are declared with [sdk.Audience]; this package evaluates them
// against a viewer and checks them against the program's vocabulary.
package audience

import (
	"errors"
	"fmt"
	"slices"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/sdk"
)

// Admits reports whether a admits the viewer. Every given condition must hold;
// each list admits any of its values. Staff who are not previewing see
// everything: they manage the content. A partner-side viewer without a
// partner is admitted only by an empty audience.
func Admits(a sdk.Audience, v sdk.Viewer, p program.Program) bool {
	if v.Staff() && !v.Preview {
		return true
	}
	if a.IsZero() {
		return true
	}
	pt := v.Partner
	if pt == nil {
		return false
	}
	if len(a.PartnerTypes) > 0 && !slices.Contains(a.PartnerTypes, pt.Type) {
		return false
	}
	if len(a.Tiers) > 0 && !slices.Contains(a.Tiers, pt.Tier) {
		return false
	}
	if a.MinTier != "" && !atLeast(p.Tiers, pt.Tier, a.MinTier) {
		return false
	}
	if len(a.Stages) > 0 && !slices.Contains(a.Stages, pt.Stage) {
		return false
	}
	if a.MinStage != "" && !atLeast(p.Stages, pt.Stage, a.MinStage) {
		return false
	}
	if len(a.Roles) > 0 && !slices.Contains(a.Roles, v.ContactRole) {
		return false
	}
	if len(a.Partners) > 0 && !slices.Contains(a.Partners, pt.Slug) {
		return false
	}
	if slices.Contains(a.ExcludePartners, pt.Slug) && pt.Slug != "" {
		return false
	}
	return true
}

// atLeast reports whether have is at or above min in the ordered list. An
// unknown value never qualifies.
func atLeast(order []string, have, min string) bool {
	h, m := slices.Index(order, have), slices.Index(order, min)
	return h >= 0 && m >= 0 && h >= m
}

// Validate checks every value the audience names against the program and,
// when partnerExists is given, every named partner. Each error names its
// field ("minTier: unknown tier \"gould\"").
func Validate(a sdk.Audience, p program.Program, partnerExists func(slug string) bool) error {
	var errs []error
	check := func(field string, vals []string, ok func(string) bool, what string) {
		for i, v := range vals {
			if !ok(v) {
				errs = append(errs, fmt.Errorf("%s[%d]: unknown %s %q", field, i, what, v))
			}
		}
	}
	check("partnerTypes", a.PartnerTypes, p.HasType, "partner type")
	check("tiers", a.Tiers, p.HasTier, "tier")
	check("stages", a.Stages, p.HasStage, "stage")
	check("roles", a.Roles, p.HasRole, "contact role")
	if a.MinTier != "" && !p.HasTier(a.MinTier) {
		errs = append(errs, fmt.Errorf("minTier: unknown tier %q (tiers are %v)", a.MinTier, p.Tiers))
	}
	if a.MinStage != "" && !p.HasStage(a.MinStage) {
		errs = append(errs, fmt.Errorf("minStage: unknown stage %q (stages are %v)", a.MinStage, p.Stages))
	}
	if len(a.Tiers) > 0 && a.MinTier != "" {
		errs = append(errs, errors.New("tiers: give either tiers or minTier, not both"))
	}
	if len(a.Stages) > 0 && a.MinStage != "" {
		errs = append(errs, errors.New("stages: give either stages or minStage, not both"))
	}
	if partnerExists != nil {
		check("partners", a.Partners, partnerExists, "partner")
		check("excludePartners", a.ExcludePartners, partnerExists, "partner")
	}
	return errors.Join(errs...)
}
