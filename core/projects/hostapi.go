package projects

import (
	"context"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
)

// RegisterHost publishes the host API of the Projects room (sdk/projects)
// on f. Each call runs as the caller's viewer.
func (s *Service) RegisterHost(f *host.Factory) {
	host.Handle(f, sp.ListProjects, host.AsViewer(s.List))
	host.Handle(f, sp.GetProject, host.AsViewer(func(ctx context.Context, v sdk.Viewer, r sp.ByID) (sp.ProjectDetail, error) {
		return s.Get(ctx, v, r.ID)
	}))
	host.Handle(f, sp.CreateProject, host.AsViewer(s.Create))
	host.Handle(f, sp.UpdateProject, host.AsViewer(s.Update))
	host.Handle(f, sp.ChangeMilestone, host.AsViewer(s.ChangeMilestone))
	host.Handle(f, sp.ListTasks, host.AsViewer(s.ListTasks))
	host.Handle(f, sp.GetTask, host.AsViewer(func(ctx context.Context, v sdk.Viewer, r sp.ByID) (sp.TaskDetail, error) {
		return s.GetTask(ctx, v, r.ID)
	}))
	host.Handle(f, sp.ChangeTask, host.AsViewer(s.ChangeTask))
	host.Handle(f, sp.AddComment, host.AsViewer(s.AddComment))
	host.Handle(f, sp.SubmitFile, host.AsViewer(s.Submit))
	host.Handle(f, sp.ReviewFile, host.AsViewer(s.Review))
	host.Handle(f, sp.ListTemplates, host.AsViewer(func(ctx context.Context, v sdk.Viewer, _ struct{}) ([]sp.TemplateRef, error) {
		return s.Templates(ctx, v)
	}))
	host.Handle(f, sp.SaveAsTemplate, host.AsViewer(s.SaveTemplate))
	host.Handle(f, sp.GetWorkload, host.AsViewer(s.Workload))
}
