-- The program, the directory (partners, users), sign-in (sessions,
-- invitations, API tokens, failed sign-in counters), rooms and their blocks,
-- and the revision counters that tell every portal process when cached data
-- changed.

-- One row: the program's vocabulary and branding, as JSON lists so a program
-- file can rename or reorder them.
CREATE TABLE program (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	name TEXT NOT NULL,
	logo_url TEXT NOT NULL DEFAULT '',
	primary_color TEXT NOT NULL DEFAULT '',
	partner_types TEXT NOT NULL,
	tiers TEXT NOT NULL,
	stages TEXT NOT NULL,
	contact_roles TEXT NOT NULL,
	embed_hosts TEXT NOT NULL DEFAULT '[]',
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE TABLE users (
	id {{.ID}},
	email TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	contact_role TEXT NOT NULL DEFAULT '',
	-- SQLite accepts a forward reference; PostgreSQL gets it below.
	partner_id BIGINT{{if not .Postgres}} REFERENCES partners (id){{end}},
	title TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	photo_url TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	last_login_at {{.Time}},
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX users_email ON users (email);
--bun:split
CREATE INDEX users_partner ON users (partner_id);
--bun:split
CREATE TABLE partners (
	id {{.ID}},
	slug TEXT NOT NULL,
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	tier TEXT NOT NULL,
	stage TEXT NOT NULL,
	manager_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	parent_id BIGINT REFERENCES partners (id) ON DELETE SET NULL,
	logo_url TEXT NOT NULL DEFAULT '',
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX partners_slug ON partners (slug);
--bun:split
CREATE INDEX partners_type ON partners (type, tier);
--bun:split
CREATE INDEX partners_manager ON partners (manager_id);
--bun:split
CREATE INDEX partners_parent ON partners (parent_id);
--bun:split
CREATE INDEX partners_name ON partners (lower(name));
{{if .Postgres}}
--bun:split
ALTER TABLE users ADD CONSTRAINT users_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id);
{{end}}
--bun:split
-- Sessions keep only a hash of the token the browser holds.
CREATE TABLE sessions (
	id {{.ID}},
	token_hash TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at {{.Time}} NOT NULL,
	last_seen_at {{.Time}} NOT NULL,
	expires_at {{.Time}} NOT NULL,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
--bun:split
CREATE INDEX sessions_user ON sessions (user_id);
--bun:split
CREATE INDEX sessions_expires ON sessions (expires_at);
--bun:split
CREATE TABLE invitations (
	id {{.ID}},
	token_hash TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at {{.Time}} NOT NULL,
	expires_at {{.Time}} NOT NULL,
	used_at {{.Time}}
);
--bun:split
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
--bun:split
CREATE INDEX invitations_user ON invitations (user_id);
--bun:split
CREATE TABLE api_tokens (
	id {{.ID}},
	token_hash TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name TEXT NOT NULL DEFAULT '',
	created_at {{.Time}} NOT NULL,
	last_used_at {{.Time}},
	expires_at {{.Time}},
	revoked_at {{.Time}}
);
--bun:split
CREATE UNIQUE INDEX api_tokens_token ON api_tokens (token_hash);
--bun:split
-- Failed sign-ins per account and per address, in fixed windows.
CREATE TABLE login_failures (
	key TEXT PRIMARY KEY,
	count INTEGER NOT NULL,
	window_start {{.Time}} NOT NULL
);
--bun:split
CREATE TABLE rooms (
	id {{.ID}},
	name TEXT NOT NULL,
	slug TEXT NOT NULL,
	title TEXT NOT NULL,
	icon TEXT NOT NULL DEFAULT '',
	type TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL DEFAULT 0,
	audience TEXT NOT NULL DEFAULT '{}',
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX rooms_name ON rooms (name);
--bun:split
-- One row per partner type a room serves. The unique indexes keep the rules
-- "one room per slug per partner type" and "a predefined room at most once
-- per partner type" in the database itself.
CREATE TABLE room_partner_types (
	room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	partner_type TEXT NOT NULL,
	slug TEXT NOT NULL,
	room_type TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (room_id, partner_type)
);
--bun:split
CREATE UNIQUE INDEX room_partner_types_slug ON room_partner_types (partner_type, slug);
--bun:split
CREATE UNIQUE INDEX room_partner_types_type ON room_partner_types (partner_type, room_type) WHERE room_type <> '';
--bun:split
CREATE TABLE blocks (
	id {{.ID}},
	room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	key TEXT NOT NULL,
	position INTEGER NOT NULL,
	type TEXT NOT NULL,
	config TEXT NOT NULL DEFAULT '{}',
	schema_version INTEGER NOT NULL DEFAULT 1,
	audience TEXT NOT NULL DEFAULT '{}'
);
--bun:split
CREATE UNIQUE INDEX blocks_room_key ON blocks (room_id, key);
--bun:split
-- Portal-wide settings and secrets (the key that signs action state), shared
-- by every portal process.
CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
--bun:split
-- Revision counters: a writer bumps one in the same transaction as its
-- change; every process polls them to drop stale caches.
CREATE TABLE revisions (
	name TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
--bun:split
INSERT INTO revisions (name, value) VALUES ('rooms', 1), ('program', 1), ('directory', 1);
