-- Live events on their way to open pages (core/live). A row per recipient,
-- so that a page that reconnects asks for its user's rows after the last id
-- it saw (the (user_id, id) index), and every portal process reads the rows
-- that are new since its last look (the primary key). Rows are kept only for
-- a day or so: they are a delivery log, not a record; the message or the
-- notification itself lives in its own table. No foreign key to users: the
-- rows die by age anyway, and a stream for a deleted user is never served.
CREATE TABLE live_events (
	id {{.ID}},
	user_id BIGINT NOT NULL,
	type TEXT NOT NULL,
	topic TEXT NOT NULL DEFAULT '',
	data TEXT NOT NULL DEFAULT 'null',
	created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX live_events_user ON live_events (user_id, id);
--bun:split
CREATE INDEX live_events_created ON live_events (created_at);
