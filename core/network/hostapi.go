package network

import (
	"context"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
)

// RegisterHost publishes the host API of the Distributor room
// (sdk/network) on f. Each call runs as the caller's viewer.
func (s *Service) RegisterHost(f *host.Factory) {
	host.Handle(f, sn.ListSubPartners, host.AsViewer(s.List))
	host.Handle(f, sn.GetSubPartner, host.AsViewer(func(ctx context.Context, v sdk.Viewer, r sn.ByID) (sn.SubPartnerDetail, error) {
		return s.Get(ctx, v, r.ID)
	}))
	host.Handle(f, sn.GetDashboard, host.AsViewer(s.Dashboard))
	host.Handle(f, sn.ListInvitations, host.AsViewer(s.Invitations))
	host.Handle(f, sn.RecruitPartner, host.AsViewer(s.Recruit))
	host.Handle(f, sn.Decide, host.AsViewer(s.Decide))
	host.Handle(f, sn.NewLink, host.AsViewer(func(ctx context.Context, v sdk.Viewer, r sn.ByID) (sn.Sent, error) {
		return s.NewLink(ctx, v, r.ID)
	}))
}
