DROP TABLE room_templates;
