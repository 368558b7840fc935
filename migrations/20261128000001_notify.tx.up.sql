-- In-app notifications, each kept per recipient so that reading one is one
-- row's update and the unread count one indexed count. Email and digests read
-- the same rows; delivered_at and the preferences below are for them.
CREATE TABLE notifications (
	id {{.ID}},
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	created_at {{.Time}} NOT NULL,
	read_at {{.Time}},
	emailed_at {{.Time}}
);
--bun:split
-- The bell counts a user's unread rows and the list pages newest first: one
-- partial index serves the count, the other the list.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
--bun:split
CREATE INDEX notifications_user ON notifications (user_id, id);
--bun:split
-- How each user wants to hear about each kind: in the portal always; by
-- email immediately, in a digest, or never. A missing row means the default.
CREATE TABLE notification_prefs (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	email TEXT NOT NULL,
	PRIMARY KEY (user_id, kind)
);
--bun:split
-- The vendor's people that partners see in their Contacts room, beyond the
-- partner manager named on the partner: technical support, marketing, or
-- anyone else. partner_id NULL serves every partner.
CREATE TABLE vendor_contacts (
	id {{.ID}},
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	partner_id BIGINT REFERENCES partners (id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0,
	created_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX vendor_contacts_unique ON vendor_contacts (user_id, role, COALESCE(partner_id, 0));
--bun:split
-- What a person is reached for and how they like to be reached, shown on
-- their contact card (staff and partner users alike).
CREATE TABLE contact_profiles (
	user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	responsibilities TEXT NOT NULL DEFAULT '',
	preferred TEXT NOT NULL DEFAULT '',
	updated_at {{.Time}} NOT NULL
);
--bun:split
-- A completed checklist task. user_id is 0 when completion is kept per
-- partner. Goals count these rows (partner, time), so completion is a row,
-- not a flag inside a block's config.
CREATE TABLE task_completions (
	partner_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	block_key TEXT NOT NULL,
	task_id TEXT NOT NULL,
	completed_by BIGINT NOT NULL,
	completed_at {{.Time}} NOT NULL,
	PRIMARY KEY (block_key, partner_id, user_id, task_id)
);
--bun:split
CREATE INDEX task_completions_partner ON task_completions (partner_id, completed_at);
