UPDATE files SET kind = 'media' WHERE id IN (SELECT file_id FROM resources WHERE collection = 'media' AND file_id IS NOT NULL);
