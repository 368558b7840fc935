DROP TABLE project_reminders;
--bun:split
DROP TABLE project_template_tasks;
--bun:split
DROP TABLE project_template_milestones;
--bun:split
DROP TABLE project_templates;
--bun:split
DROP TABLE project_deliverables;
--bun:split
DROP TABLE project_activity;
--bun:split
DROP TABLE project_comments;
--bun:split
DROP TABLE project_tasks;
--bun:split
DROP TABLE project_milestones;
--bun:split
DROP TABLE project_members;
--bun:split
DROP TABLE projects;
