-- Compliance: what the program asks of partners (a signed agreement, an
-- insurance certificate, a certification someone holds) and, per partner,
-- the evidence handed in and its review. Resource shares: what a
-- distributor hands on to its sub-partners.
--
-- Dates without a time of day (due, expiry) are 'YYYY-MM-DD' text, as in
-- projects: they compare in order on both engines. "Expiring" and
-- "overdue" are derived from them and the program's today, never stored.
--
-- partner_types is a JSON list of partner types ('[]' for every type).
-- kind is 'document' (evidence uploaded and reviewed) or 'certification'
-- (met while one of the partner's users has ticked cert_task_id on the
-- per-user checklist cert_block_key, see task_completions).
CREATE TABLE compliance_requirements (
	id {{.ID}},
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL DEFAULT 'document',
	partner_types TEXT NOT NULL DEFAULT '[]',
	validity_months INTEGER NOT NULL DEFAULT 0,
	due_on TEXT NOT NULL DEFAULT '',
	cert_block_key TEXT NOT NULL DEFAULT '',
	cert_task_id TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL DEFAULT 0,
	archived BOOLEAN NOT NULL DEFAULT FALSE,
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
-- One row per partner and document requirement, made when evidence first
-- arrives; a requirement without a row is missing. The evidence is a file
-- of the file store (kind 'evidence'), so uploads get the store's checks
-- and a new upload becomes its next version.
CREATE TABLE compliance_items (
	id {{.ID}},
	requirement_id BIGINT NOT NULL REFERENCES compliance_requirements (id) ON DELETE CASCADE,
	partner_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
	status TEXT NOT NULL DEFAULT 'submitted',
	file_id BIGINT REFERENCES files (id) ON DELETE SET NULL,
	version INTEGER NOT NULL DEFAULT 0,
	expires_on TEXT NOT NULL DEFAULT '',
	submitted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	submitted_at {{.Time}},
	reviewed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	reviewed_at {{.Time}},
	reason TEXT NOT NULL DEFAULT '',
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX compliance_items_partner ON compliance_items (partner_id, requirement_id);
--bun:split
CREATE INDEX compliance_items_expiry ON compliance_items (expires_on) WHERE status = 'accepted' AND expires_on <> '';
--bun:split
CREATE UNIQUE INDEX compliance_items_file ON compliance_items (file_id);
--bun:split
-- A reminder claimed (sent) once per partner, requirement, threshold
-- ('30', '7', 'overdue') and date, across portal processes.
CREATE TABLE compliance_reminders (
	requirement_id BIGINT NOT NULL REFERENCES compliance_requirements (id) ON DELETE CASCADE,
	partner_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
	threshold TEXT NOT NULL,
	due_on TEXT NOT NULL,
	sent_at {{.Time}} NOT NULL,
	PRIMARY KEY (requirement_id, partner_id, threshold, due_on)
);
--bun:split
-- A distributor hands a file on to its sub-partners: a resource of the
-- vendor's library it may see itself, or its own upload (a file of kind
-- 'share' belonging to the distributor). everyone: all its sub-partners,
-- present and future; otherwise those in resource_share_partners.
CREATE TABLE resource_shares (
	id {{.ID}},
	distributor_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
	file_id BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	everyone BOOLEAN NOT NULL DEFAULT FALSE,
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX resource_shares_distributor ON resource_shares (distributor_id, id);
--bun:split
CREATE INDEX resource_shares_file ON resource_shares (file_id);
--bun:split
CREATE TABLE resource_share_partners (
	share_id BIGINT NOT NULL REFERENCES resource_shares (id) ON DELETE CASCADE,
	partner_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
	PRIMARY KEY (share_id, partner_id)
);
--bun:split
CREATE INDEX resource_share_partners_partner ON resource_share_partners (partner_id);
--bun:split
-- Downloads are counted from file_accesses (per partner, action 'download');
-- this index answers "who of these partners downloaded these files".
CREATE INDEX file_accesses_partner ON file_accesses (partner_id, file_id) WHERE action = 'download';
