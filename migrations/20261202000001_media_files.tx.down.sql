UPDATE files SET kind = 'resource' WHERE kind = 'media';
