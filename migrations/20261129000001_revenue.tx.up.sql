-- Indexes for the Revenue & Leads dashboard. Each panel ranges over one
-- time column, so each index starts with it and carries the columns the
-- panel groups and sums: a panel reads only its range's index entries and
-- never the rows (SQLite and PostgreSQL index-only scans alike).

-- Revenue won, its timeline and top partners: deals closed won, by the
-- moment they closed.
CREATE INDEX pipeline_deals_won ON pipeline_deals (closed_at, partner_id, currency, value) WHERE stage = 'closed_won';
--bun:split
-- Pipeline by stage: deals by the day they entered the pipeline.
CREATE INDEX pipeline_deals_created ON pipeline_deals (created_at, partner_id, stage, registration, currency, value);
--bun:split
-- The lead funnel for every partner or a partner type: leads by day
-- submitted, with their status.
CREATE INDEX pipeline_leads_created_status ON pipeline_leads (created_at, status, partner_id);
--bun:split
-- The lead funnel for a manager's or picked partners.
CREATE INDEX pipeline_leads_partner_created_status ON pipeline_leads (partner_id, created_at, status);
--bun:split
-- Commissions earned in the period by status and currency.
CREATE INDEX pipeline_commissions_created ON pipeline_commissions (created_at, partner_id, status, currency, amount);
