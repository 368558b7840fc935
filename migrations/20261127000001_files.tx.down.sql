DELETE FROM revisions WHERE name = 'library';
--bun:split
DROP TABLE resources;
--bun:split
DROP TABLE file_comments;
--bun:split
DROP TABLE file_notices;
--bun:split
DROP TABLE file_accesses;
--bun:split
DROP TABLE file_versions;
--bun:split
DROP TABLE files;
