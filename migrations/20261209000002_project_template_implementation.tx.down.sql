DELETE FROM project_templates WHERE slug = 'implementation';
