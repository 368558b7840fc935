-- The program's own room templates: any room saved by an admin as a
-- starting point for new rooms, beside the built-in ones and those plugins
-- offer. document is the room's JSON (its title, icon and blocks; a room
-- made from the template gets its own slug, partner types and audience).
CREATE TABLE room_templates (
	name TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	icon TEXT NOT NULL DEFAULT '',
	document TEXT NOT NULL,
	created_by_name TEXT NOT NULL,
	created_at {{.Time}} NOT NULL
);
