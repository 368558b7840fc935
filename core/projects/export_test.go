package projects

import "context"

// FirstTask is the id of a project's first task, read without a viewer,
// for tests that need a task to act on whoever they play.
func FirstTask(ctx context.Context, s *Service, projectID int64) (int64, error) {
	var id int64
	err := s.db.NewSelect().Model((*taskRow)(nil)).Column("id").Where("project_id = ?", projectID).OrderExpr("id").Limit(1).Scan(ctx, &id)
	return id, err
}
