DROP TABLE task_completions;
--bun:split
DROP TABLE contact_profiles;
--bun:split
DROP TABLE vendor_contacts;
--bun:split
DROP TABLE notification_prefs;
--bun:split
DROP TABLE notifications;
