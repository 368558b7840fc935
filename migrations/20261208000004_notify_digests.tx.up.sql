-- Digests: a person who chose "digest" for some kinds gets one email a day
-- or a week listing what happened. How often is kept per person; no row
-- means daily.
CREATE TABLE notification_digest_settings (
	user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	frequency TEXT NOT NULL
);
--bun:split
-- One row per digest claimed, keyed by the person and the start of the
-- period it covers: the primary key is what lets several portal processes
-- run the digest job while each digest goes out once. A claim whose mail
-- failed is deleted again, so a later run retries it; items is how many
-- notifications it listed (0: there was nothing to say and no mail was sent).
CREATE TABLE notification_digests (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	period_start {{.Time}} NOT NULL,
	claimed_at {{.Time}} NOT NULL,
	items INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, period_start)
);
--bun:split
-- The digest job starts from the people with at least one kind set to digest.
CREATE INDEX notification_prefs_digest ON notification_prefs (user_id) WHERE email = 'digest';
