-- Replies taken in by email, by the reply address's token ("t42.7") and the
-- mail's Message-ID, so that a delivery an MTA retries (after a timeout, or
-- after a temporary failure of another recipient) is not posted twice. Rows
-- older than 30 days are removed as new ones arrive: MTAs stop retrying long
-- before.
CREATE TABLE mail_replies_seen (
	token TEXT NOT NULL,
	message_id TEXT NOT NULL,
	seen_at {{.Time}} NOT NULL,
	PRIMARY KEY (token, message_id)
);
--bun:split
CREATE INDEX mail_replies_seen_at ON mail_replies_seen (seen_at);
