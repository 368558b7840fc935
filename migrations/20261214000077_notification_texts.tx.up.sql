-- A notification made by the portal's own services keeps its title and
-- body as messages of the catalogue with what fills them in (JSON: key,
-- args, words, days), so each reader reads it in their own language. NULL
-- for text stored as written: older rows, and what plugins send.
ALTER TABLE notifications ADD COLUMN title_text TEXT;
--bun:split
ALTER TABLE notifications ADD COLUMN body_text TEXT;
