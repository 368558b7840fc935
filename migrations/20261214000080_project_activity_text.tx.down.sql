ALTER TABLE project_activity DROP COLUMN what_text;
