-- A room's title in other languages, as JSON ({"de": "Schulungen"}); empty
-- when the room has only its one title.
ALTER TABLE rooms ADD COLUMN titles TEXT NOT NULL DEFAULT '';
