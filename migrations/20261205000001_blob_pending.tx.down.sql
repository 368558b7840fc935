DROP INDEX file_versions_blob;
--bun:split
DROP TABLE blob_pending;
