-- The program's two-tier rule: which partner types may have sub-partners and
-- whether their partner managers also reach those sub-partners. A JSON
-- document like the program's other lists; empty means the default rule
-- (distributors have networks, managers reach only the partners they
-- manage), which is what the portal did before the rule existed.
ALTER TABLE program ADD COLUMN network TEXT NOT NULL DEFAULT '';
