DROP INDEX file_accesses_partner;
--bun:split
DROP TABLE resource_share_partners;
--bun:split
DROP TABLE resource_shares;
--bun:split
DROP TABLE compliance_reminders;
--bun:split
DROP TABLE compliance_items;
--bun:split
DROP TABLE compliance_requirements;
