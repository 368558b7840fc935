-- Object-store keys whose bytes and database record may disagree for a
-- moment: a key is listed here before an upload writes its bytes and leaves
-- in the same transaction that records its version; a deleted file's keys
-- are listed in the transaction that removes its rows and leave once their
-- bytes are gone. A key still listed long after was cut off by a crash, and
-- its bytes belong to no file: the hourly sweep removes them.
CREATE TABLE blob_pending (
	blob_key TEXT PRIMARY KEY,
	created_ms BIGINT NOT NULL
);
--bun:split
CREATE INDEX blob_pending_created ON blob_pending (created_ms);
--bun:split
-- The sweep checks that no version names a key before it deletes the bytes.
CREATE INDEX file_versions_blob ON file_versions (blob_key);
