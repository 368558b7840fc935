-- Network invitations: a distributor's admin recruits a new sub-partner
-- organisation. It waits for the vendor's manager of the distributor
-- (status 'pending') unless the program lets distributors recruit without
-- approval; approved, it becomes a partner with the distributor as parent
-- and its first admin user, invited through the ordinary invitation link
-- ('invited'); declined, it keeps the reason ('declined').
CREATE TABLE network_invitations (
	id {{.ID}},
	distributor_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
	company TEXT NOT NULL,
	partner_type TEXT NOT NULL,
	admin_name TEXT NOT NULL,
	admin_email TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending',
	reason TEXT NOT NULL DEFAULT '',
	invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	decided_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	partner_id BIGINT REFERENCES partners (id) ON DELETE SET NULL,
	user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at {{.Time}} NOT NULL,
	decided_at {{.Time}}
);
--bun:split
CREATE INDEX network_invitations_distributor ON network_invitations (distributor_id, created_at);
--bun:split
-- The managers' queue of recruits waiting for them.
CREATE INDEX network_invitations_pending ON network_invitations (status, created_at) WHERE status = 'pending';
--bun:split
-- One open invitation per address in a network: a second click of
-- "Invite" does not queue the same recruit twice.
CREATE UNIQUE INDEX network_invitations_open ON network_invitations (distributor_id, admin_email) WHERE status = 'pending';
