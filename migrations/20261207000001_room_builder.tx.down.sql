ALTER TABLE users DROP COLUMN permissions;
--bun:split
DROP TABLE room_revisions;
--bun:split
DROP TABLE room_drafts;
