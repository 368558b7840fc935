DROP TABLE revisions;
--bun:split
DROP TABLE settings;
--bun:split
DROP TABLE blocks;
--bun:split
DROP TABLE room_partner_types;
--bun:split
DROP TABLE rooms;
--bun:split
DROP TABLE login_failures;
--bun:split
DROP TABLE api_tokens;
--bun:split
DROP TABLE invitations;
--bun:split
DROP TABLE sessions;
{{if .Postgres}}
--bun:split
ALTER TABLE users DROP CONSTRAINT users_partner_fk;
{{end}}
--bun:split
DROP TABLE partners;
--bun:split
DROP TABLE users;
--bun:split
DROP TABLE program;
