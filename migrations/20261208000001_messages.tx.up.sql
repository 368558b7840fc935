-- Messages: conversations between a partner's people and the vendor's staff.
--
-- A thread belongs to one partner. partner_id is repeated on every message
-- so that reach (which partners a viewer may read) narrows threads, messages
-- and search hits in SQL alone. last_message_id and last_from_partner make
-- the staff inbox ("unanswered first") and unread counts single-index reads.
CREATE TABLE message_threads (
	id {{.ID}},
	partner_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
	subject TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open',
	assignee_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at {{.Time}} NOT NULL,
	last_message_id BIGINT NOT NULL DEFAULT 0,
	last_message_at {{.Time}} NOT NULL,
	last_from_partner BOOLEAN NOT NULL DEFAULT FALSE,
	message_count BIGINT NOT NULL DEFAULT 0
);
--bun:split
CREATE INDEX message_threads_partner ON message_threads (partner_id, last_message_at);
--bun:split
CREATE INDEX message_threads_inbox ON message_threads (status, last_from_partner, last_message_at);
--bun:split
-- Everyone who has a thread in view: participants (in the thread; notified;
-- counted in their unread badge) and staff who only read it (participant
-- false), so read state is kept per person either way. last_read_id is the
-- id of the last message the person has seen.
CREATE TABLE message_members (
	thread_id BIGINT NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	participant BOOLEAN NOT NULL DEFAULT TRUE,
	last_read_id BIGINT NOT NULL DEFAULT 0,
	added_at {{.Time}} NOT NULL,
	PRIMARY KEY (thread_id, user_id)
);
--bun:split
CREATE INDEX message_members_user ON message_members (user_id, participant);
--bun:split
-- names holds the message's attachment names, so one search covers both.
CREATE TABLE messages (
	id {{.ID}},
	thread_id BIGINT NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
	partner_id BIGINT NOT NULL,
	author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	body TEXT NOT NULL,
	names TEXT NOT NULL DEFAULT '',
	via TEXT NOT NULL DEFAULT 'portal',
	created_at {{.Time}} NOT NULL,
	edited_at {{.Time}},
	-- subject is the thread's subject on its first message (empty on the
	-- others), so a search finds a thread by its subject too.
	subject TEXT NOT NULL DEFAULT ''{{if .Postgres}},
	-- PostgreSQL's parser keeps "quote.pdf", "a@b.com" and "www.x.com"
	-- whole, and its "simple" configuration keeps accents: splitting at
	-- those joints and dropping the accents of Latin letters first makes
	-- it find what SQLite's tokeniser finds.
	search tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('simple', translate(subject || ' ' || body, './@:_\ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', '      aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy')), 'A') ||
		setweight(to_tsvector('simple', translate(names, './@:_\ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', '      aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy')), 'B')) STORED{{end}}
);
--bun:split
CREATE INDEX messages_thread ON messages (thread_id, id);
--bun:split
-- A partner's messages newest first: a search by someone who reaches a
-- few partners reads these instead of every match.
CREATE INDEX messages_partner ON messages (partner_id, id);
--bun:split
-- The flood limit counts a person's recent messages.
CREATE INDEX messages_author ON messages (author_id, created_at);
--bun:split
{{if .Postgres -}}
CREATE INDEX messages_search ON messages USING GIN (search);
{{- else -}}
-- Full-text search over bodies and attachment names, kept by triggers as an
-- external-content FTS5 index of messages (no second copy of the text).
-- partner_id is indexed too, so a search narrows to the partners a viewer
-- reaches inside the index; prefix='3' keeps three-letter prefix searches
-- from merging every term that starts with them.
CREATE VIRTUAL TABLE messages_fts USING fts5(body, names, subject, partner_id, content='messages', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2', prefix='3');
--bun:split
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts (rowid, body, names, subject, partner_id) VALUES (new.id, new.body, new.names, new.subject, new.partner_id);
END;
--bun:split
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, body, names, subject, partner_id) VALUES ('delete', old.id, old.body, old.names, old.subject, old.partner_id);
END;
--bun:split
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, names, subject, partner_id ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, body, names, subject, partner_id) VALUES ('delete', old.id, old.body, old.names, old.subject, old.partner_id);
	INSERT INTO messages_fts (rowid, body, names, subject, partner_id) VALUES (new.id, new.body, new.names, new.subject, new.partner_id);
END;
{{- end}}
--bun:split
-- An attachment is a file of the file store (kind 'message'), so uploads get
-- the store's checks and size limit and downloads its headers.
CREATE TABLE message_attachments (
	message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	file_id BIGINT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
	thread_id BIGINT NOT NULL,
	PRIMARY KEY (message_id, file_id)
);
--bun:split
CREATE UNIQUE INDEX message_attachments_file ON message_attachments (file_id);
--bun:split
-- A notification about a message can be answered by email: the email's
-- reply address is made from this scope and the recipient.
ALTER TABLE notifications ADD COLUMN reply_scope TEXT NOT NULL DEFAULT '';
