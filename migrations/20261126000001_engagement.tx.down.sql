DROP TABLE engagement_jobs;
--bun:split
DROP TABLE engagement_labels;
--bun:split
DROP TABLE engagement_bitmaps;
--bun:split
DROP TABLE engagement_content_group_stats;
--bun:split
DROP TABLE engagement_content_stats;
--bun:split
DROP TABLE engagement_user_stats;
--bun:split
DROP TABLE engagement_partner_types;
--bun:split
DROP TABLE engagement_group_stats;
--bun:split
DROP TABLE engagement_partner_stats;
--bun:split
DROP TABLE engagement_members;
--bun:split
DROP TABLE engagement_sessions;
--bun:split
DROP TABLE engagement_events;
