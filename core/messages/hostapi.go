package messages

import (
	"context"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
)

// RegisterHost publishes the host API of the Messages room (sdk/messages)
// on f. Each call runs as the caller's viewer.
func (s *Service) RegisterHost(f *host.Factory) {
	host.Handle(f, sm.ListThreads, host.AsViewer(s.List))
	host.Handle(f, sm.GetThread, host.AsViewer(func(ctx context.Context, v sdk.Viewer, r sm.ByID) (sm.ThreadDetail, error) {
		return s.Get(ctx, v, r.ID)
	}))
	host.Handle(f, sm.StartThread, host.AsViewer(s.Start))
	host.Handle(f, sm.PostMessage, host.AsViewer(s.Post))
	host.Handle(f, sm.EditMessage, host.AsViewer(s.Edit))
	host.Handle(f, sm.AddToThread, host.AsViewer(s.AddPeople))
	host.Handle(f, sm.AssignThread, host.AsViewer(s.Assign))
	host.Handle(f, sm.SetThreadStatus, host.AsViewer(s.SetStatus))
	host.Handle(f, sm.SendBroadcast, host.AsViewer(s.Broadcast))
	host.Handle(f, sm.Search, host.AsViewer(s.Search))
	host.Handle(f, sm.Unread, host.AsViewer(func(ctx context.Context, v sdk.Viewer, _ struct{}) (sm.Count, error) {
		n, err := s.Unread(ctx, v)
		return sm.Count{Count: n}, err
	}))
}
