ALTER TABLE program DROP COLUMN network;
