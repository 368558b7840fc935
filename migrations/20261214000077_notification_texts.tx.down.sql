ALTER TABLE notifications DROP COLUMN body_text;
--bun:split
ALTER TABLE notifications DROP COLUMN title_text;
