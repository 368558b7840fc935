-- Files: every uploaded file (a resource's document, a brand asset, a file in
-- a partner's shared space, an image or video of a block) with its versions,
-- who downloaded which version, and who should hear that a newer one exists.
-- The bytes live in the object store under blob_key; the database holds
-- everything else. Times are unix milliseconds.

-- partner_id set: the file belongs to that partner's shared space and only
-- that partner, its manager and admins see it. partner_id NULL: a program
-- file, seen by staff and by partners its audience admits.
CREATE TABLE files (
	id {{.ID}},
	kind TEXT NOT NULL,
	partner_id BIGINT REFERENCES partners (id) ON DELETE CASCADE,
	folder TEXT NOT NULL DEFAULT '',
	name TEXT NOT NULL,
	audience TEXT NOT NULL DEFAULT '{}',
	latest INTEGER NOT NULL,
	downloads BIGINT NOT NULL DEFAULT 0,
	created_by BIGINT,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	archived_ms BIGINT
);
--bun:split
CREATE INDEX files_partner ON files (partner_id, folder);
--bun:split
CREATE TABLE file_versions (
	file_id BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
	number INTEGER NOT NULL,
	blob_key TEXT NOT NULL,
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	uploaded_by BIGINT,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (file_id, number)
);
--bun:split
CREATE TABLE file_accesses (
	id {{.ID}},
	file_id BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	user_id BIGINT NOT NULL,
	partner_id BIGINT,
	action TEXT NOT NULL,
	at_ms BIGINT NOT NULL
);
--bun:split
CREATE INDEX file_accesses_file ON file_accesses (file_id, at_ms);
--bun:split
-- One row per person who downloaded a version older than the latest: the
-- notification centre reads and marks these.
CREATE TABLE file_notices (
	user_id BIGINT NOT NULL,
	file_id BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	created_ms BIGINT NOT NULL,
	seen_ms BIGINT,
	PRIMARY KEY (user_id, file_id)
);
--bun:split
CREATE TABLE file_comments (
	id {{.ID}},
	file_id BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL,
	body TEXT NOT NULL,
	created_ms BIGINT NOT NULL
);
--bun:split
CREATE INDEX file_comments_file ON file_comments (file_id, id);
--bun:split
-- The Resources library and the brand kit: what partners browse. A resource
-- is a file (file_id) or a link; collection separates the library from the
-- brand kit, whose categories are its sections.
CREATE TABLE resources (
	id {{.ID}},
	collection TEXT NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	folder TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL DEFAULT '',
	tags TEXT NOT NULL DEFAULT '[]',
	file_id BIGINT REFERENCES files (id) ON DELETE SET NULL,
	thumbnail_id BIGINT REFERENCES files (id) ON DELETE SET NULL,
	link_url TEXT NOT NULL DEFAULT '',
	swatch TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL DEFAULT '',
	audience TEXT NOT NULL DEFAULT '{}',
	owner_id BIGINT,
	review_ms BIGINT,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	archived_ms BIGINT
);
--bun:split
CREATE INDEX resources_updated ON resources (updated_ms);
--bun:split
-- Bumped with every change to the library, so every portal process knows
-- when to merge changes into its in-memory copy.
INSERT INTO revisions (name, value) VALUES ('library', 1);
