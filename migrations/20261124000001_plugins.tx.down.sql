DROP TABLE plugin_records;
--bun:split
DROP TABLE plugin_kv;
