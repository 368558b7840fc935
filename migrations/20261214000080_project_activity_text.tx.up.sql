-- A line of a project's history as a message of the portal's catalogue
-- with its arguments (JSON), worded in each reader's language when shown;
-- "what" keeps its English wording, and is all that lines stored before
-- have.
ALTER TABLE project_activity ADD COLUMN what_text TEXT NOT NULL DEFAULT '';
