-- The built-in "Implementation" template, present on every install: the
-- usual steps of rolling the product out at a customer, with days counted
-- from the project's start.
INSERT INTO project_templates (slug, name, description, created_at) VALUES ('implementation', 'Implementation',
	'The usual steps of an implementation, from kickoff to hypercare.', CURRENT_TIMESTAMP);
--bun:split
INSERT INTO project_template_milestones (template_id, title, start_day, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 'Kickoff', 0, 7, 1);
--bun:split
INSERT INTO project_template_milestones (template_id, title, start_day, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 'Discovery', 7, 21, 2);
--bun:split
INSERT INTO project_template_milestones (template_id, title, start_day, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 'Configuration', 21, 49, 3);
--bun:split
INSERT INTO project_template_milestones (template_id, title, start_day, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 'Data migration', 42, 63, 4);
--bun:split
INSERT INTO project_template_milestones (template_id, title, start_day, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 'Training', 56, 70, 5);
--bun:split
INSERT INTO project_template_milestones (template_id, title, start_day, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 'Go-live', 70, 77, 6);
--bun:split
INSERT INTO project_template_milestones (template_id, title, start_day, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 'Hypercare', 77, 105, 7);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 1, 'Hold the kickoff meeting', 'Introduce both teams, confirm goals and how you will work together.', '[{"text":"Invite the customer''s sponsor"},{"text":"Share the agenda"},{"text":"Send the notes"}]', 3, 1);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 1, 'Agree on scope, team and schedule', 'Write down what is in and out of scope, who does what, and the key dates.', '[]', 7, 2);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 2, 'Map the customer''s current processes', '', '[]', 14, 3);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 2, 'Write the solution design', '', '[]', 21, 4);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 3, 'Set up the environment', '', '[]', 28, 5);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 3, 'Configure workflows and roles', '', '[]', 42, 6);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 3, 'Review the configuration with the customer', '', '[]', 49, 7);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 4, 'Export the customer''s data', '', '[]', 49, 8);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 4, 'Import and check a test load', '', '[{"text":"Counts match"},{"text":"Spot-check ten records"}]', 56, 9);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 4, 'Run the final migration', '', '[]', 63, 10);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 5, 'Train the administrators', '', '[]', 63, 11);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 5, 'Train the end users', '', '[]', 70, 12);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 6, 'Confirm go-live readiness', '', '[{"text":"Data signed off"},{"text":"Users trained"},{"text":"Support contacts shared"}]', 74, 13);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 6, 'Go live', '', '[]', 77, 14);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 7, 'Check in daily during the first weeks', '', '[]', 91, 15);
--bun:split
INSERT INTO project_template_tasks (template_id, milestone_position, title, description, checklist, due_day, position) VALUES ((SELECT id FROM project_templates WHERE slug = 'implementation'), 7, 'Hand over to support', '', '[]', 105, 16);
