DROP INDEX pipeline_commissions_partner_created;
--bun:split
DROP INDEX pipeline_deals_partner_won;
--bun:split
DROP INDEX pipeline_deals_partner_created;
