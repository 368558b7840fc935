-- Plugin storage: what out-of-process and built-in plugins keep through the
-- host API. Every row belongs to one plugin; partner_id is 0 for data shared
-- across the plugin and a partner's id for data scoped to that partner.
CREATE TABLE plugin_kv (
	plugin TEXT NOT NULL,
	partner_id BIGINT NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	updated_at {{.Time}} NOT NULL,
	PRIMARY KEY (plugin, partner_id, key)
);
--bun:split
CREATE TABLE plugin_records (
	id {{.ID}},
	plugin TEXT NOT NULL,
	collection TEXT NOT NULL,
	partner_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	data TEXT NOT NULL,
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX plugin_records_scope ON plugin_records (plugin, collection, partner_id, id);
