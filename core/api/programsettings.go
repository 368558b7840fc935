package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/pipeline"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// The program's pipeline settings: commission rules per partner type and
// tier, deal stages and lead fields. Staff read them (managers explain to
// partners what a win pays); only admins change them. The checks are the
// settings page's: the same service, the same field errors.

func (a *API) registerProgramSettings() {
	if a.Pipeline == nil {
		return
	}
	for _, r := range []route{
		bind(op("list-commission-rules", http.MethodGet, "/api/v1/program/rules", "The commission rules", Staff, "Program"), a.listCommissionRules),
		bind(op("put-commission-rule", http.MethodPut, "/api/v1/program/rules", "Create or replace the rule for a partner type and tier", Admin, "Program"), a.putCommissionRule),
		bind(noContent(op("delete-commission-rule", http.MethodDelete, "/api/v1/program/rules/{id}", "Remove a commission rule (the ledger keeps its entries)", Admin, "Program")), a.deleteCommissionRule),
		bind(op("get-pipeline-settings", http.MethodGet, "/api/v1/program/pipeline", "Deal stages, lead fields, currency and protection period", Staff, "Program"), a.getPipelineSettings),
		bind(op("put-pipeline-settings", http.MethodPut, "/api/v1/program/pipeline", "Replace the deal stages and lead fields (closed won and closed lost stay last)", Admin, "Program"), a.putPipelineSettings),
	} {
		r(a.huma)
	}
}

type ruleList struct {
	Body struct {
		Items []pipeline.Rule `json:"items"`
	}
}

type ruleInput struct {
	Body struct {
		PartnerType string `json:"partnerType" doc:"One of the program's partner types."`
		Tier        string `json:"tier,omitempty" doc:"One of the program's tiers; empty for any tier of the type."`
		BasisPoints int64  `json:"basisPoints,omitempty" doc:"A percentage of a won deal's value in basis points (1250 = 12.5%). Give this or fixedAmount."`
		FixedAmount int64  `json:"fixedAmount,omitempty" doc:"Minor units (cents) paid per lead closed won. Give this or basisPoints."`
		Currency    string `json:"currency,omitempty" doc:"ISO 4217; the program's currency when empty."`
	}
}

// pipelineSettings is what an admin may change of the pipeline's
// vocabulary; the lead statuses are the portal's own.
type pipelineSettings struct {
	Body struct {
		DealStages     []sp.Stage     `json:"dealStages" doc:"In order, ending with closed_won and closed_lost."`
		LeadFields     []sp.LeadField `json:"leadFields,omitempty" doc:"Fields the lead form adds; all of them, in order."`
		Currency       string         `json:"currency,omitempty"`
		ProtectionDays int            `json:"protectionDays,omitempty" doc:"How long an approved registration protects the partner's claim."`
	}
}

type ruleID struct {
	ID int64 `path:"id" minimum:"1"`
}

func (a *API) listCommissionRules(ctx context.Context, _ *struct{}) (*ruleList, error) {
	rules, err := a.Pipeline.Rules(ctx)
	if err != nil {
		return nil, a.problem(err)
	}
	out := &ruleList{}
	out.Body.Items = append(make([]pipeline.Rule, 0, len(rules)), rules...)
	return out, nil
}

func (a *API) putCommissionRule(ctx context.Context, in *ruleInput) (*body[pipeline.Rule], error) {
	prog := a.Catalog.Current().Program
	r := pipeline.Rule{PartnerType: in.Body.PartnerType, Tier: in.Body.Tier, BasisPoints: in.Body.BasisPoints,
		FixedAmount: in.Body.FixedAmount, Currency: in.Body.Currency}
	saved, err := a.Pipeline.SaveRule(ctx, r, pipeline.Vocabulary{PartnerTypes: prog.PartnerTypes, Tiers: prog.Tiers})
	return wrapBody(saved, err, a)
}

func (a *API) deleteCommissionRule(ctx context.Context, in *ruleID) (*struct{}, error) {
	if err := a.Pipeline.DeleteRule(ctx, in.ID); err != nil {
		return nil, a.problem(err)
	}
	return nil, nil
}

func (a *API) getPipelineSettings(ctx context.Context, _ *struct{}) (*body[sp.Config], error) {
	cfg, err := a.Pipeline.Config(ctx)
	return wrapBody(cfg, err, a)
}

func (a *API) putPipelineSettings(ctx context.Context, in *pipelineSettings) (*body[sp.Config], error) {
	b := in.Body
	cfg, err := a.Pipeline.SaveConfig(ctx, sp.Config{DealStages: b.DealStages, LeadFields: b.LeadFields, Currency: b.Currency, ProtectionDays: b.ProtectionDays})
	return wrapBody(cfg, err, a)
}
