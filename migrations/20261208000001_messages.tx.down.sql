ALTER TABLE notifications DROP COLUMN reply_scope;
--bun:split
DROP TABLE message_attachments;
--bun:split
{{if not .Postgres -}}
DROP TABLE messages_fts;
--bun:split
{{end -}}
DROP TABLE messages;
--bun:split
DROP TABLE message_members;
--bun:split
DROP TABLE message_threads;
