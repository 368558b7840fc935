DROP TABLE pipeline_commissions;
--bun:split
DROP TABLE pipeline_commission_rules;
--bun:split
DROP TABLE pipeline_notes;
--bun:split
DROP TABLE pipeline_history;
--bun:split
DROP TABLE pipeline_deals;
--bun:split
DROP TABLE pipeline_leads;
