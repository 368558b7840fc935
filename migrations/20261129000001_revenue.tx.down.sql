DROP INDEX pipeline_commissions_created;
--bun:split
DROP INDEX pipeline_leads_partner_created_status;
--bun:split
DROP INDEX pipeline_leads_created_status;
--bun:split
DROP INDEX pipeline_deals_created;
--bun:split
DROP INDEX pipeline_deals_won;
