-- The revenue pipeline: leads with their status history, deals (converted
-- or registered) with notes, commission rules and the commission ledger.
-- Money is an integer number of minor units (cents) with its ISO currency:
-- never a float. Times are timestamps; the list queries sort by id, which
-- grows with creation time, so one composite index serves each list.

CREATE TABLE pipeline_leads (
	id {{.ID}},
	partner_id BIGINT NOT NULL REFERENCES partners (id),
	submitted_by BIGINT NOT NULL,
	company TEXT NOT NULL,
	contact_name TEXT NOT NULL,
	email TEXT NOT NULL,
	phone TEXT NOT NULL DEFAULT '',
	website TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	-- Program-defined fields, as a JSON object of strings.
	extra TEXT NOT NULL DEFAULT '{}',
	-- Normalised keys for duplicate detection: lower case, no "www.", no
	-- plus-addressing.
	domain_key TEXT NOT NULL DEFAULT '',
	email_key TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	-- Set when the lead matches another partner's open lead or deal: the
	-- manager sees both; the partner only that it is under review.
	conflict_lead_id BIGINT,
	conflict_deal_id BIGINT,
	review TEXT NOT NULL DEFAULT '',
	expected_commission BIGINT NOT NULL DEFAULT 0,
	currency TEXT NOT NULL DEFAULT 'USD',
	deal_id BIGINT,
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX pipeline_leads_partner ON pipeline_leads (partner_id, id);
--bun:split
CREATE INDEX pipeline_leads_partner_status ON pipeline_leads (partner_id, status, id);
--bun:split
-- Overview's "submitted this month" is a range on this index.
CREATE INDEX pipeline_leads_partner_created ON pipeline_leads (partner_id, created_at);
--bun:split
CREATE INDEX pipeline_leads_domain ON pipeline_leads (domain_key) WHERE domain_key <> '';
--bun:split
CREATE INDEX pipeline_leads_email ON pipeline_leads (email_key);
--bun:split
CREATE INDEX pipeline_leads_review ON pipeline_leads (review) WHERE review <> '';
--bun:split
CREATE TABLE pipeline_deals (
	id {{.ID}},
	partner_id BIGINT NOT NULL REFERENCES partners (id),
	lead_id BIGINT,
	created_by BIGINT NOT NULL,
	name TEXT NOT NULL,
	company TEXT NOT NULL,
	website TEXT NOT NULL DEFAULT '',
	domain_key TEXT NOT NULL DEFAULT '',
	email_key TEXT NOT NULL DEFAULT '',
	value BIGINT NOT NULL,
	currency TEXT NOT NULL,
	stage TEXT NOT NULL,
	-- Deal registration: '' (converted by staff), pending, approved, rejected.
	registration TEXT NOT NULL DEFAULT '',
	registration_reason TEXT NOT NULL DEFAULT '',
	protected_until {{.Time}},
	expected_close {{.Time}},
	close_reason TEXT NOT NULL DEFAULT '',
	closed_at {{.Time}},
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX pipeline_deals_partner ON pipeline_deals (partner_id, id);
--bun:split
-- Covers Overview's open and won sums without reading the deals.
CREATE INDEX pipeline_deals_partner_value ON pipeline_deals (partner_id, stage, registration, value);
--bun:split
CREATE INDEX pipeline_deals_domain ON pipeline_deals (domain_key) WHERE domain_key <> '';
--bun:split
CREATE INDEX pipeline_deals_registration ON pipeline_deals (registration) WHERE registration = 'pending';
--bun:split
-- Every change of a lead's status or a deal's stage: who, when, from, to, why.
CREATE TABLE pipeline_history (
	id {{.ID}},
	kind TEXT NOT NULL, -- lead, deal
	object_id BIGINT NOT NULL,
	partner_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	user_name TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status TEXT NOT NULL,
	comment TEXT NOT NULL DEFAULT '',
	at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX pipeline_history_object ON pipeline_history (kind, object_id, id);
--bun:split
CREATE INDEX pipeline_history_partner ON pipeline_history (partner_id, id);
--bun:split
CREATE TABLE pipeline_notes (
	id {{.ID}},
	deal_id BIGINT NOT NULL REFERENCES pipeline_deals (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL,
	user_name TEXT NOT NULL,
	staff BOOLEAN NOT NULL,
	body TEXT NOT NULL,
	created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX pipeline_notes_deal ON pipeline_notes (deal_id, id);
--bun:split
-- Commission rules per partner type and tier ('' = any tier): basis points
-- of a won deal's value, or a fixed amount per lead closed won.
CREATE TABLE pipeline_commission_rules (
	id {{.ID}},
	partner_type TEXT NOT NULL,
	tier TEXT NOT NULL DEFAULT '',
	basis_points INTEGER NOT NULL DEFAULT 0,
	fixed_amount BIGINT NOT NULL DEFAULT 0,
	currency TEXT NOT NULL DEFAULT 'USD'
);
--bun:split
CREATE UNIQUE INDEX pipeline_commission_rules_key ON pipeline_commission_rules (partner_type, tier);
--bun:split
-- The commission ledger. Amounts are never edited: a correction is a new
-- entry (positive or negative) naming the entry it corrects and why. Only
-- the status moves: pending, approved, paid.
CREATE TABLE pipeline_commissions (
	id {{.ID}},
	partner_id BIGINT NOT NULL REFERENCES partners (id),
	deal_id BIGINT,
	lead_id BIGINT,
	amount BIGINT NOT NULL,
	currency TEXT NOT NULL,
	status TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	corrects_id BIGINT,
	payout_date {{.Time}},
	reference TEXT NOT NULL DEFAULT '',
	created_at {{.Time}} NOT NULL,
	updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX pipeline_commissions_partner ON pipeline_commissions (partner_id, status, id);
