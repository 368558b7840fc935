-- Indexes for the Revenue & Leads dashboard. Each panel ranges over one
-- time column, so each index starts with it and carries the columns the
-- panel groups and sums: a panel reads only its range's index entries and
-- never the rows (SQLite and PostgreSQL index-only scans alike).

-- Revenue won, its timeline and top partners: deals closed won, by the
-- moment they closed. The stage is a column too, so SQLite can answer from
-- the index alone.
CREATE INDEX pipeline_deals_won ON pipeline_deals (closed_at, partner_id, currency, value, stage) WHERE stage = 'closed_won';
--bun:split
-- Pipeline by stage: deals in stage and currency order, so the grouping
-- reads the index in order instead of sorting (a program has a few hundred
-- thousand deals; its leads are the many).
CREATE INDEX pipeline_deals_created ON pipeline_deals (stage, currency, created_at, registration, partner_id, value);
--bun:split
-- The lead funnel for every partner or a partner type: per status, leads by
-- the moment they were submitted.
CREATE INDEX pipeline_leads_created_status ON pipeline_leads (status, created_at, partner_id);
--bun:split
-- The lead funnel for a manager's or picked partners.
CREATE INDEX pipeline_leads_partner_created_status ON pipeline_leads (partner_id, created_at, status);
--bun:split
-- Commissions earned in the period by status and currency.
CREATE INDEX pipeline_commissions_created ON pipeline_commissions (created_at, partner_id, status, currency, amount);
