package pipeline

import (
	"context"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// RegisterHost publishes the pipeline's host API calls (sdk/pipeline) on f.
// Each call runs as c.Viewer, so a plugin reaches exactly what its viewer
// may; errors become the SDK's codes.
func RegisterHost(f *host.Factory, s *Service) {
	host.Handle(f, sp.GetConfig, func(ctx context.Context, _ host.Caller, _ struct{}) (sp.Config, error) {
		return s.Config(ctx)
	})
	host.Handle(f, sp.ListLeads, wrap(s.ListLeads))
	host.Handle(f, sp.GetLead, wrap(func(ctx context.Context, v sdk.Viewer, r sp.ByID) (sp.LeadDetail, error) {
		return s.GetLead(ctx, v, r.ID)
	}))
	host.Handle(f, sp.SubmitLead, wrap(s.SubmitLead))
	host.Handle(f, sp.SetLeadState, wrap(s.SetLeadStatus))
	host.Handle(f, sp.CommentLead, wrap(s.CommentLead))
	host.Handle(f, sp.ConvertLead, wrap(s.ConvertLead))
	host.Handle(f, sp.ResolveReview, wrap(func(ctx context.Context, v sdk.Viewer, c sp.Comment) (struct{}, error) {
		return struct{}{}, s.ResolveReview(ctx, v, c.ID, c.Comment)
	}))
	host.Handle(f, sp.ListDeals, wrap(s.ListDeals))
	host.Handle(f, sp.GetDeal, wrap(func(ctx context.Context, v sdk.Viewer, r sp.ByID) (sp.DealDetail, error) {
		return s.GetDeal(ctx, v, r.ID)
	}))
	host.Handle(f, sp.RegisterDeal, wrap(s.RegisterDeal))
	host.Handle(f, sp.SetDealStage, wrap(s.SetDealStage))
	host.Handle(f, sp.ReviewDeal, wrap(s.ReviewDeal))
	host.Handle(f, sp.AddDealNote, wrap(s.AddDealNote))
	host.Handle(f, sp.ListCommissions, wrap(s.ListCommissions))
	host.Handle(f, sp.SetCommission, wrap(s.SetCommissionStatus))
	host.Handle(f, sp.CorrectCommission, wrap(s.CorrectCommission))
	host.Handle(f, sp.GetOverview, wrap(s.Overview))
	host.Handle(f, sp.Measure, wrap(s.Measure))
	host.Handle(f, sp.VisitOverview, wrap(func(ctx context.Context, v sdk.Viewer, _ struct{}) (sp.Visit, error) {
		return s.VisitOverview(ctx, v)
	}))
	host.Handle(f, sp.ReachGoal, wrap(s.ReachGoal))
}

// wrap adapts a service method to a host handler acting as the caller's
// viewer.
func wrap[Req, Resp any](fn func(context.Context, sdk.Viewer, Req) (Resp, error)) func(context.Context, host.Caller, Req) (Resp, error) {
	return host.AsViewer(fn)
}
