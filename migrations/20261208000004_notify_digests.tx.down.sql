DROP INDEX notification_prefs_digest;
--bun:split
DROP TABLE notification_digests;
--bun:split
DROP TABLE notification_digest_settings;
