-- Projects: customer projects a partner runs with the vendor's team.
--
-- Dates without a time of day (start, target, due) are stored as
-- 'YYYY-MM-DD' text: they compare in order as text on both engines, and a
-- milestone due on the 14th stays due on the 14th in every time zone.
-- "Late" compares them with the program's today, passed by the service.
--
-- tasks and tasks_done on projects and milestones are recounted by the
-- service on every change of a task, so lists read progress without
-- counting tasks; late counts depend on today and are counted with the
-- partial index project_tasks_open.
CREATE TABLE projects (
	id {{.ID}},
	partner_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	customer TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	start_on TEXT NOT NULL,
	target_on TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'planned',
	partner_owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	vendor_owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	tasks BIGINT NOT NULL DEFAULT 0,
	tasks_done BIGINT NOT NULL DEFAULT 0,
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX projects_partner ON projects (partner_id, target_on);
--bun:split
CREATE INDEX projects_target ON projects (target_on, id);
--bun:split
CREATE TABLE project_members (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	added_at {{.Time}} NOT NULL,
	PRIMARY KEY (project_id, user_id)
);
--bun:split
CREATE INDEX project_members_user ON project_members (user_id);
--bun:split
CREATE TABLE project_milestones (
	id {{.ID}},
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	start_on TEXT NOT NULL,
	due_on TEXT NOT NULL,
	done BOOLEAN NOT NULL DEFAULT FALSE,
	position INTEGER NOT NULL DEFAULT 0,
	tasks BIGINT NOT NULL DEFAULT 0,
	tasks_done BIGINT NOT NULL DEFAULT 0
);
--bun:split
CREATE INDEX project_milestones_project ON project_milestones (project_id, due_on);
--bun:split
-- partner_id is repeated so that reach narrows tasks (workload, reminders)
-- without a join. checklist is a JSON array of {text, done}.
CREATE TABLE project_tasks (
	id {{.ID}},
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	partner_id BIGINT NOT NULL,
	milestone_id BIGINT REFERENCES project_milestones (id) ON DELETE SET NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	assignee_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	due_on TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'todo',
	position INTEGER NOT NULL DEFAULT 0,
	checklist TEXT NOT NULL DEFAULT '[]',
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
-- The board: a project's tasks by status, then position.
CREATE INDEX project_tasks_board ON project_tasks (project_id, status, position, id);
--bun:split
-- Late work: open tasks with a due date, by project and by date.
CREATE INDEX project_tasks_open ON project_tasks (project_id, due_on) WHERE status <> 'done' AND due_on <> '';
--bun:split
CREATE INDEX project_tasks_due ON project_tasks (due_on) WHERE status <> 'done' AND due_on <> '';
--bun:split
CREATE INDEX project_tasks_milestone ON project_tasks (milestone_id);
--bun:split
CREATE INDEX project_tasks_assignee ON project_tasks (assignee_id, status);
--bun:split
CREATE TABLE project_comments (
	id {{.ID}},
	task_id BIGINT NOT NULL REFERENCES project_tasks (id) ON DELETE CASCADE,
	project_id BIGINT NOT NULL,
	author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	body TEXT NOT NULL,
	created_at {{.Time}} NOT NULL,
	edited_at {{.Time}}
);
--bun:split
CREATE INDEX project_comments_task ON project_comments (task_id, id);
--bun:split
-- The board counts a project's comments per task in one grouped read.
CREATE INDEX project_comments_project ON project_comments (project_id, task_id);
--bun:split
-- One line of a task's history each: who (as named then) did what.
CREATE TABLE project_activity (
	id {{.ID}},
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	task_id BIGINT REFERENCES project_tasks (id) ON DELETE CASCADE,
	user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	who TEXT NOT NULL,
	what TEXT NOT NULL,
	at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX project_activity_task ON project_activity (task_id, id);
--bun:split
CREATE INDEX project_activity_project ON project_activity (project_id, id);
--bun:split
-- A deliverable is a file of the file store (kind 'deliverable'), so
-- uploads get the store's checks and versions; the review is of its latest
-- version, and a new version goes back to 'submitted'.
CREATE TABLE project_deliverables (
	file_id BIGINT PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	task_id BIGINT REFERENCES project_tasks (id) ON DELETE CASCADE,
	milestone_id BIGINT REFERENCES project_milestones (id) ON DELETE SET NULL,
	status TEXT NOT NULL DEFAULT 'submitted',
	version INTEGER NOT NULL DEFAULT 1,
	submitted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	submitted_at {{.Time}} NOT NULL,
	reviewed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	reviewed_at {{.Time}},
	review TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX project_deliverables_project ON project_deliverables (project_id, status);
--bun:split
CREATE INDEX project_deliverables_task ON project_deliverables (task_id);
--bun:split
-- Templates: milestones and tasks with days counted from a project's start.
-- slug names the built-in ones, so an install keeps exactly one of each.
CREATE TABLE project_templates (
	id {{.ID}},
	slug TEXT,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX project_templates_slug ON project_templates (slug);
--bun:split
CREATE TABLE project_template_milestones (
	id {{.ID}},
	template_id BIGINT NOT NULL REFERENCES project_templates (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	start_day INTEGER NOT NULL,
	due_day INTEGER NOT NULL,
	position INTEGER NOT NULL
);
--bun:split
CREATE INDEX project_template_milestones_template ON project_template_milestones (template_id, position);
--bun:split
CREATE TABLE project_template_tasks (
	id {{.ID}},
	template_id BIGINT NOT NULL REFERENCES project_templates (id) ON DELETE CASCADE,
	milestone_position INTEGER,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	checklist TEXT NOT NULL DEFAULT '[]',
	due_day INTEGER,
	position INTEGER NOT NULL
);
--bun:split
CREATE INDEX project_template_tasks_template ON project_template_tasks (template_id, position);
--bun:split
-- Reminders already sent ("due tomorrow", "overdue"), one per task, kind
-- and due date: the primary key lets several portal processes sweep at
-- once while each person hears once, and a new due date is reminded anew.
CREATE TABLE project_reminders (
	task_id BIGINT NOT NULL REFERENCES project_tasks (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	due_on TEXT NOT NULL,
	sent_at {{.Time}} NOT NULL,
	PRIMARY KEY (task_id, kind, due_on)
);
