package compliance

import (
	"context"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
)

// RegisterHost publishes the host API of compliance and shares
// (sdk/compliance) on f. Each call runs as the caller's viewer.
func (s *Service) RegisterHost(f *host.Factory) {
	host.Handle(f, sc.ListRequirements, host.AsViewer(func(ctx context.Context, _ sdk.Viewer, _ struct{}) ([]sc.Requirement, error) {
		return s.Requirements(ctx)
	}))
	host.Handle(f, sc.SaveRequirement, host.AsViewer(func(ctx context.Context, v sdk.Viewer, in sc.RequirementChange) (sc.Requirement, error) {
		return s.SaveRequirement(ctx, v, in.ID, RequirementInput{Name: in.Name, Description: in.Description, Kind: in.Kind,
			PartnerTypes: in.PartnerTypes, ValidityMonths: in.ValidityMonths, Due: in.Due, CertBlockKey: in.CertBlockKey,
			CertTaskID: in.CertTaskID, Archived: in.Archived})
	}))
	host.Handle(f, sc.ListItems, host.AsViewer(s.List))
	host.Handle(f, sc.SubmitItem, host.AsViewer(s.Submit))
	host.Handle(f, sc.ReviewItem, host.AsViewer(s.Review))
	host.Handle(f, sc.ListShared, host.AsViewer(func(ctx context.Context, v sdk.Viewer, _ struct{}) ([]sc.Shared, error) {
		return s.Shared(ctx, v)
	}))
	host.Handle(f, sc.GetShares, host.AsViewer(func(ctx context.Context, v sdk.Viewer, _ struct{}) (sc.ShareBoard, error) {
		return s.Shares(ctx, v)
	}))
	host.Handle(f, sc.CreateShare, host.AsViewer(s.CreateShare))
	host.Handle(f, sc.DeleteShare, host.AsViewer(func(ctx context.Context, v sdk.Viewer, r sc.ByID) (struct{}, error) {
		return struct{}{}, s.DeleteShare(ctx, v, r.ID)
	}))
}
