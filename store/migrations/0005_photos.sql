-- Photos taken at inspections and rectifications, named by the hex SHA-256
-- of their bytes (app/photo). They are not in the change feed: a desk
-- fetches a photo when it first shows or prints it, and keeps it.
-- state: 'stored' (the server has it), 'pending' (taken at this desk, not
-- yet uploaded), 'refused' (the server refused it; reason says why).
CREATE TABLE photos (
    id          TEXT PRIMARY KEY,
    mime        TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    data        BLOB NOT NULL,
    uploaded_by TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'stored' CHECK (state IN ('stored','pending','refused')),
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX photos_state ON photos(state) WHERE state <> 'stored';

-- The photos of an inspection, and of a hazard's rectification: JSON lists of photo IDs.
ALTER TABLE inspections ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';
ALTER TABLE findings ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';
