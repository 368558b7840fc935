-- The room builder: drafts of rooms, the history of what was published, and
-- named permissions of staff users (the first: rooms.publish).

-- At most one draft per room name. A draft is the whole room document (the
-- JSON of a room file), so a room may exist only as a draft until it is first
-- published. version counts the saves of the draft, for optimistic
-- concurrency; base_revision is the published revision it started from (0:
-- none), so publishing can tell when the published room moved on meanwhile.
CREATE TABLE room_drafts (
	name TEXT PRIMARY KEY,
	document TEXT NOT NULL,
	version BIGINT NOT NULL,
	base_revision BIGINT NOT NULL DEFAULT 0,
	updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	updated_by_name TEXT NOT NULL,
	updated_at {{.Time}} NOT NULL,
	review_requested_at {{.Time}}
);
--bun:split
-- Every published state of a room, numbered per room name from 1. Kept by
-- name rather than room id so the history outlives a deleted room and a
-- rollback can bring it back.
CREATE TABLE room_revisions (
	id {{.ID}},
	room_name TEXT NOT NULL,
	number BIGINT NOT NULL,
	document TEXT NOT NULL,
	message TEXT NOT NULL DEFAULT '',
	author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	author_name TEXT NOT NULL,
	created_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX room_revisions_number ON room_revisions (room_name, number);
--bun:split
-- Named capabilities beyond the role, as a JSON list of names.
ALTER TABLE users ADD COLUMN permissions TEXT NOT NULL DEFAULT '[]';
