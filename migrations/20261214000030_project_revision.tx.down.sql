{{- if not .Postgres}}
DROP TRIGGER projects_revision;
--bun:split
DROP TRIGGER project_members_revision_insert;
--bun:split
DROP TRIGGER project_members_revision_update;
--bun:split
DROP TRIGGER project_members_revision_delete;
--bun:split
DROP TRIGGER project_milestones_revision_insert;
--bun:split
DROP TRIGGER project_milestones_revision_update;
--bun:split
DROP TRIGGER project_milestones_revision_delete;
--bun:split
DROP TRIGGER project_tasks_revision_insert;
--bun:split
DROP TRIGGER project_tasks_revision_update;
--bun:split
DROP TRIGGER project_tasks_revision_delete;
--bun:split
DROP TRIGGER project_comments_revision_insert;
--bun:split
DROP TRIGGER project_comments_revision_update;
--bun:split
DROP TRIGGER project_comments_revision_delete;
--bun:split
DROP TRIGGER project_deliverables_revision_insert;
--bun:split
DROP TRIGGER project_deliverables_revision_update;
--bun:split
DROP TRIGGER project_deliverables_revision_delete;
--bun:split
DROP TRIGGER users_project_revision;
--bun:split
DROP TRIGGER partners_project_revision;
--bun:split
DROP TRIGGER files_project_revision;
{{- else}}
DROP TRIGGER projects_revision ON projects;
--bun:split
DROP FUNCTION projects_revision();
--bun:split
DROP TRIGGER project_members_revision ON project_members;
--bun:split
DROP TRIGGER project_milestones_revision ON project_milestones;
--bun:split
DROP TRIGGER project_tasks_revision ON project_tasks;
--bun:split
DROP TRIGGER project_comments_revision ON project_comments;
--bun:split
DROP TRIGGER project_deliverables_revision ON project_deliverables;
--bun:split
DROP FUNCTION project_part_revision();
--bun:split
DROP TRIGGER users_project_revision ON users;
--bun:split
DROP FUNCTION users_project_revision();
--bun:split
DROP TRIGGER partners_project_revision ON partners;
--bun:split
DROP FUNCTION partners_project_revision();
--bun:split
DROP TRIGGER files_project_revision ON files;
--bun:split
DROP FUNCTION files_project_revision();
{{- end}}
--bun:split
ALTER TABLE projects DROP COLUMN revision;
