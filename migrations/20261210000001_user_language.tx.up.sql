-- The language a person reads the portal in (a BCP 47 tag such as "de");
-- empty means their browser's, else the program's.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
