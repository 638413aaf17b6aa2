-- A city's desks copy their scope, not the city (store/scope.go); see
-- migrations/0010_scope.sql.
ALTER TABLE grids ADD COLUMN town TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN town TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN towns TEXT COLLATE "C" NOT NULL DEFAULT '[]';
CREATE INDEX grids_town ON grids(town);
CREATE INDEX tasks_unit ON tasks(unit_id);
CREATE INDEX cases_closed ON cases(closed_at) WHERE closed_at > 0;
CREATE INDEX IF NOT EXISTS cases_reported ON cases(reported_at);

CREATE TABLE change_scopes (
    scope TEXT COLLATE "C" NOT NULL,
    seq   BIGINT NOT NULL,
    gone  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, seq)
);
CREATE INDEX change_scopes_seq ON change_scopes(seq);

ALTER TABLE changes ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
CREATE INDEX changes_live ON changes(seq) WHERE hidden = 0;

CREATE TABLE photo_refs (
    photo_id TEXT COLLATE "C" NOT NULL,
    kind     TEXT COLLATE "C" NOT NULL,
    id       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (photo_id, kind, id)
);
CREATE INDEX photo_refs_row ON photo_refs(kind, id);
