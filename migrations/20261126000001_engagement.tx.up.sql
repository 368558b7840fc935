-- Engagement analytics: the append-only event log, the sessions built from
-- it, and the rollups the dashboards read so they never scan raw events.
-- Times are unix milliseconds (BIGINT): cheap to compare, index and copy.
-- A "period" is a day, a month or a year in the portal's reporting zone,
-- encoded in one INTEGER (see core/engagement/period.go): days since
-- 1970-01-01, 1000000 + year*12 + month-1, or 2000000 + year.

-- Raw events. No foreign keys: analytics outlive deleted rooms and users, and
-- every constraint costs on the write path. One index, for the rollup job's
-- time-ordered scan and for retention.
CREATE TABLE engagement_events (
	id {{.ID}},
	at_ms BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	partner_id BIGINT,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	room_id BIGINT,
	room_slug TEXT NOT NULL DEFAULT '',
	block_id TEXT NOT NULL DEFAULT '',
	resource_id BIGINT,
	path TEXT NOT NULL DEFAULT '',
	meta TEXT
);
--bun:split
CREATE INDEX engagement_events_at ON engagement_events (at_ms{{if .Postgres}}, id{{end}});
--bun:split
-- Sessions, keyed by user and first event. partner_id is 0 for staff.
CREATE TABLE engagement_sessions (
	user_id BIGINT NOT NULL,
	start_ms BIGINT NOT NULL,
	end_ms BIGINT NOT NULL,
	partner_id BIGINT NOT NULL,
	page_views INTEGER NOT NULL,
	actions INTEGER NOT NULL,
	PRIMARY KEY (user_id, start_ms)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
CREATE INDEX engagement_sessions_end ON engagement_sessions (end_ms);
--bun:split
-- A member is one (partner, user) pair with a small dense id, so the sets of
-- active users can be kept as compressed bitmaps. Ids are assigned by the
-- rollup job, the only writer.
CREATE TABLE engagement_members (
	id {{if .Postgres}}BIGINT{{else}}INTEGER{{end}} PRIMARY KEY,
	partner_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL
);
--bun:split
CREATE UNIQUE INDEX engagement_members_pair ON engagement_members (partner_id, user_id);
--bun:split
-- The rollup tables read by ranges are clustered by their key: WITHOUT
-- ROWID on SQLite, a covering key (INCLUDE) on PostgreSQL so reads are
-- index-only scans instead of a heap fetch per row.

-- Per period and partner (partner 0: staff).
CREATE TABLE engagement_partner_stats (
	period INTEGER NOT NULL,
	partner_id BIGINT NOT NULL,
	sessions BIGINT NOT NULL,
	duration_ms BIGINT NOT NULL,
	page_views BIGINT NOT NULL,
	actions BIGINT NOT NULL,
	PRIMARY KEY (period, partner_id){{if .Postgres}} INCLUDE (sessions, duration_ms, page_views, actions){{end}}
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
CREATE INDEX engagement_partner_stats_partner ON engagement_partner_stats (partner_id, period);
--bun:split
-- Per period and group of partners: '*' is every partner (staff left out),
-- any other value a partner type. A filter on partner types alone reads a
-- few rows per period here instead of one per partner.
CREATE TABLE engagement_group_stats (
	grp TEXT NOT NULL,
	period INTEGER NOT NULL,
	sessions BIGINT NOT NULL,
	duration_ms BIGINT NOT NULL,
	page_views BIGINT NOT NULL,
	actions BIGINT NOT NULL,
	PRIMARY KEY (grp, period){{if .Postgres}} INCLUDE (sessions, duration_ms, page_views, actions){{end}}
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- The partner type each partner's rollups are grouped under; the rollup job
-- moves a partner's history when its type changes.
CREATE TABLE engagement_partner_types (
	partner_id BIGINT PRIMARY KEY,
	type TEXT NOT NULL
);
--bun:split
-- Per user and day.
CREATE TABLE engagement_user_stats (
	user_id BIGINT NOT NULL,
	day INTEGER NOT NULL,
	partner_id BIGINT NOT NULL,
	sessions BIGINT NOT NULL,
	duration_ms BIGINT NOT NULL,
	page_views BIGINT NOT NULL,
	actions BIGINT NOT NULL,
	PRIMARY KEY (user_id, day, partner_id)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- Per partner, room or resource, and day. Days only: a partner touches each
-- resource on few days, so months and years would barely be smaller.
CREATE TABLE engagement_content_stats (
	partner_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	day INTEGER NOT NULL,
	content_id BIGINT NOT NULL,
	page_views BIGINT NOT NULL,
	actions BIGINT NOT NULL,
	PRIMARY KEY (partner_id, kind, day, content_id){{if .Postgres}} INCLUDE (page_views, actions){{end}}
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- Per group of partners (as above), room or resource, and period.
CREATE TABLE engagement_content_group_stats (
	kind TEXT NOT NULL,
	grp TEXT NOT NULL,
	period INTEGER NOT NULL,
	content_id BIGINT NOT NULL,
	page_views BIGINT NOT NULL,
	actions BIGINT NOT NULL,
	PRIMARY KEY (kind, grp, period, content_id){{if .Postgres}} INCLUDE (page_views, actions){{end}}
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- The members active in a period: kind 'all' (key 0), 'room' or 'resource'
-- (key = its id). Roaring bitmaps, so exact unique users over any range is a
-- union of a few dozen small sets.
CREATE TABLE engagement_bitmaps (
	kind TEXT NOT NULL,
	key BIGINT NOT NULL,
	period INTEGER NOT NULL,
	members {{.Bytes}} NOT NULL,
	PRIMARY KEY (kind, key, period)
){{if not .Postgres}} WITHOUT ROWID{{end}};
--bun:split
-- Display names seen in events (a room's slug), for rooms deleted since.
CREATE TABLE engagement_labels (
	kind TEXT NOT NULL,
	id BIGINT NOT NULL,
	label TEXT NOT NULL,
	PRIMARY KEY (kind, id)
);
--bun:split
-- The rollup job's lease and progress. One portal process at a time holds
-- the lease; the cursor (time, id) is the last event folded into sessions
-- and rollups; generation changes when the rollups are rebuilt; zone is the
-- reporting time zone the rollups' days are in.
CREATE TABLE engagement_jobs (
	name TEXT PRIMARY KEY,
	holder TEXT NOT NULL DEFAULT '',
	lease_until_ms BIGINT NOT NULL DEFAULT 0,
	cursor_ms BIGINT NOT NULL DEFAULT 0,
	cursor_id BIGINT NOT NULL DEFAULT 0,
	generation BIGINT NOT NULL DEFAULT 1,
	zone TEXT NOT NULL DEFAULT '',
	pruned_before_ms BIGINT NOT NULL DEFAULT 0
);
--bun:split
INSERT INTO engagement_jobs (name) VALUES ('rollup');
