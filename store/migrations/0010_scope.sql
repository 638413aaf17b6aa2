-- A city's desks copy their scope, not the city (store/scope.go).

-- Towns 镇街: a grid lies in one, a unit works in one (or in none: a
-- department of the whole database), a city officer is given some.
ALTER TABLE grids ADD COLUMN town TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN town TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN towns TEXT NOT NULL DEFAULT '[]';
CREATE INDEX grids_town ON grids(town);
CREATE INDEX tasks_unit ON tasks(unit_id);
CREATE INDEX cases_closed ON cases(closed_at) WHERE closed_at > 0;
CREATE INDEX IF NOT EXISTS cases_reported ON cases(reported_at);

-- The scopes each journal row is in: '*' (every desk), 'town:<id>',
-- 'map:<id>' (the town's grids, for a unit's map), 'unit:<id>',
-- 'user:<id>'. gone = 1: the row was in that scope and left it; readers
-- there get it as a removal. A desk reads the rows of its scopes in seq
-- order through the (scope, seq) key.
CREATE TABLE change_scopes (
    scope TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    gone  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, seq)
) WITHOUT ROWID;
CREATE INDEX change_scopes_seq ON change_scopes(seq);

-- hidden = 1: a closed case older than the retention window (with its
-- tasks and actions), kept on the server only; no desk's feed has it.
ALTER TABLE changes ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
CREATE INDEX changes_live ON changes(seq) WHERE hidden = 0;

-- Which rows name which photo: a photo is read by whoever may read one of
-- them (or whoever uploaded it).
CREATE TABLE photo_refs (
    photo_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    PRIMARY KEY (photo_id, kind, id)
) WITHOUT ROWID;
CREATE INDEX photo_refs_row ON photo_refs(kind, id);
INSERT OR IGNORE INTO photo_refs (photo_id, kind, id)
    SELECT j.value, 'inspection', i.id FROM inspections i, json_each(i.photos) j;
INSERT OR IGNORE INTO photo_refs (photo_id, kind, id)
    SELECT j.value, 'finding', f.id FROM findings f, json_each(f.photos) j;
INSERT OR IGNORE INTO photo_refs (photo_id, kind, id)
    SELECT j.value, 'case_action', a.id FROM case_actions a, json_each(a.photos) j;
