-- A project's revision: a number that every change to what its pages show
-- raises, in the same transaction as the change. The projects service keeps
-- a project's task board and detail in memory under the revision it read
-- them at, and asks the database for the revision on every request (one
-- row by its key), so a change made on any node, by any path, is seen at
-- once: the next request reads a new revision and misses the cache.
--
-- What the pages show comes from the project's own rows (raised by the
-- triggers on those tables) and from a few rows elsewhere: the names and
-- roles of its people, its partner's name, and its deliverables' files.
ALTER TABLE projects ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
{{- if not .Postgres}}
--bun:split
CREATE TRIGGER projects_revision AFTER UPDATE ON projects WHEN NEW.revision = OLD.revision BEGIN
	UPDATE projects SET revision = OLD.revision + 1 WHERE id = NEW.id;
END;

--bun:split
CREATE TRIGGER project_members_revision_insert AFTER INSERT ON project_members BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
--bun:split
CREATE TRIGGER project_members_revision_update AFTER UPDATE ON project_members BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
--bun:split
CREATE TRIGGER project_members_revision_delete AFTER DELETE ON project_members BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

--bun:split
CREATE TRIGGER project_milestones_revision_insert AFTER INSERT ON project_milestones BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
--bun:split
CREATE TRIGGER project_milestones_revision_update AFTER UPDATE ON project_milestones BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
--bun:split
CREATE TRIGGER project_milestones_revision_delete AFTER DELETE ON project_milestones BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

--bun:split
CREATE TRIGGER project_tasks_revision_insert AFTER INSERT ON project_tasks BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
--bun:split
CREATE TRIGGER project_tasks_revision_update AFTER UPDATE ON project_tasks BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
--bun:split
CREATE TRIGGER project_tasks_revision_delete AFTER DELETE ON project_tasks BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

--bun:split
CREATE TRIGGER project_comments_revision_insert AFTER INSERT ON project_comments BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
--bun:split
CREATE TRIGGER project_comments_revision_update AFTER UPDATE ON project_comments BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
--bun:split
CREATE TRIGGER project_comments_revision_delete AFTER DELETE ON project_comments BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

--bun:split
CREATE TRIGGER project_deliverables_revision_insert AFTER INSERT ON project_deliverables BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
END;
--bun:split
CREATE TRIGGER project_deliverables_revision_update AFTER UPDATE ON project_deliverables BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id IN (OLD.project_id, NEW.project_id);
END;
--bun:split
CREATE TRIGGER project_deliverables_revision_delete AFTER DELETE ON project_deliverables BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
END;

--bun:split
CREATE TRIGGER users_project_revision AFTER UPDATE OF name, role ON users
WHEN OLD.name IS NOT NEW.name OR OLD.role IS NOT NEW.role BEGIN
	UPDATE projects SET revision = revision + 1
	WHERE id IN (SELECT project_id FROM project_members WHERE user_id = NEW.id)
		OR id IN (SELECT project_id FROM project_deliverables WHERE submitted_by = NEW.id OR reviewed_by = NEW.id)
		OR partner_owner_id = NEW.id OR vendor_owner_id = NEW.id;
END;
--bun:split
CREATE TRIGGER partners_project_revision AFTER UPDATE OF name ON partners WHEN OLD.name IS NOT NEW.name BEGIN
	UPDATE projects SET revision = revision + 1 WHERE partner_id = NEW.id;
END;
--bun:split
CREATE TRIGGER files_project_revision AFTER UPDATE OF name, latest ON files
WHEN OLD.name IS NOT NEW.name OR OLD.latest IS NOT NEW.latest BEGIN
	UPDATE projects SET revision = revision + 1 WHERE id IN (SELECT project_id FROM project_deliverables WHERE file_id = NEW.id);
END;
{{- else}}
--bun:split
CREATE FUNCTION projects_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.revision := OLD.revision + 1;
	RETURN NEW;
END
$$;
--bun:split
CREATE TRIGGER projects_revision BEFORE UPDATE ON projects FOR EACH ROW
WHEN (NEW.revision = OLD.revision) EXECUTE FUNCTION projects_revision();
--bun:split
CREATE FUNCTION project_part_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		UPDATE projects SET revision = revision + 1 WHERE id = OLD.project_id;
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.project_id IS DISTINCT FROM OLD.project_id) THEN
		UPDATE projects SET revision = revision + 1 WHERE id = NEW.project_id;
	END IF;
	RETURN NULL;
END
$$;

--bun:split
CREATE TRIGGER project_members_revision AFTER INSERT OR UPDATE OR DELETE ON project_members
FOR EACH ROW EXECUTE FUNCTION project_part_revision();

--bun:split
CREATE TRIGGER project_milestones_revision AFTER INSERT OR UPDATE OR DELETE ON project_milestones
FOR EACH ROW EXECUTE FUNCTION project_part_revision();

--bun:split
CREATE TRIGGER project_tasks_revision AFTER INSERT OR UPDATE OR DELETE ON project_tasks
FOR EACH ROW EXECUTE FUNCTION project_part_revision();

--bun:split
CREATE TRIGGER project_comments_revision AFTER INSERT OR UPDATE OR DELETE ON project_comments
FOR EACH ROW EXECUTE FUNCTION project_part_revision();

--bun:split
CREATE TRIGGER project_deliverables_revision AFTER INSERT OR UPDATE OR DELETE ON project_deliverables
FOR EACH ROW EXECUTE FUNCTION project_part_revision();

--bun:split
CREATE FUNCTION users_project_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE projects SET revision = revision + 1
	WHERE id IN (SELECT project_id FROM project_members WHERE user_id = NEW.id)
		OR id IN (SELECT project_id FROM project_deliverables WHERE submitted_by = NEW.id OR reviewed_by = NEW.id)
		OR partner_owner_id = NEW.id OR vendor_owner_id = NEW.id;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER users_project_revision AFTER UPDATE OF name, role ON users FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.role IS DISTINCT FROM NEW.role)
EXECUTE FUNCTION users_project_revision();
--bun:split
CREATE FUNCTION partners_project_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE projects SET revision = revision + 1 WHERE partner_id = NEW.id;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER partners_project_revision AFTER UPDATE OF name ON partners FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION partners_project_revision();
--bun:split
CREATE FUNCTION files_project_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE projects SET revision = revision + 1
	WHERE id IN (SELECT project_id FROM project_deliverables WHERE file_id = NEW.id);
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER files_project_revision AFTER UPDATE OF name, latest ON files FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.latest IS DISTINCT FROM NEW.latest)
EXECUTE FUNCTION files_project_revision();
{{- end}}
