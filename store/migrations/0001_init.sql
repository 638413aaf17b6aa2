-- GridDesk schema, version 1. The same schema serves the server (the truth,
-- with a change journal) and the desk (a cache fed by the journal).
--
-- Synced tables carry no foreign keys between each other: the change feed is
-- compacted (a parent re-upserted later gets a newer seq than its children), so
-- a desk applying it page by page briefly holds children before parents. The
-- server keeps references whole in its command handlers instead.

CREATE TABLE grids (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    level     TEXT NOT NULL CHECK (level IN ('base','micro','inspection','enforcement')),
    parent_id TEXT NOT NULL DEFAULT '',
    village   TEXT NOT NULL DEFAULT '',
    geom      BLOB NOT NULL,            -- MultiPolygon, WKB, WGS-84 lon/lat
    min_lon   REAL NOT NULL, min_lat REAL NOT NULL,
    max_lon   REAL NOT NULL, max_lat REAL NOT NULL,
    updated_at INTEGER NOT NULL         -- unix ms
);
CREATE INDEX grids_level ON grids(level);
CREATE INDEX grids_parent ON grids(parent_id);

CREATE TABLE entities (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('shop','enterprise','rental','venue')),
    name      TEXT NOT NULL,
    address   TEXT NOT NULL DEFAULT '',
    lon       REAL NOT NULL,
    lat       REAL NOT NULL,
    grid_id   TEXT NOT NULL DEFAULT '',
    tags      TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    code      TEXT NOT NULL CHECK (code IN ('green','yellow','red')),
    qr_token  TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);
CREATE INDEX entities_grid ON entities(grid_id);
CREATE INDEX entities_code ON entities(code);

CREATE TABLE units (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('department','team','squad','station')),
    department TEXT NOT NULL DEFAULT '',
    parent_id  TEXT NOT NULL DEFAULT '',
    grid_ids   TEXT NOT NULL DEFAULT '[]',  -- JSON array: grids the unit answers for
    updated_at INTEGER NOT NULL
);

CREATE TABLE users (
    id        TEXT PRIMARY KEY,
    username  TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    role      TEXT NOT NULL CHECK (role IN ('admin','duty_officer','team_leader','unit_member','auditor','reporter')),
    unit_id   TEXT NOT NULL DEFAULT '',
    disabled  INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);

CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    no          TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL,
    source      TEXT NOT NULL,
    lon         REAL NOT NULL,
    lat         REAL NOT NULL,
    grid_id     TEXT NOT NULL DEFAULT '',
    entity_id   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    priority    TEXT NOT NULL DEFAULT 'normal',
    policy      TEXT NOT NULL DEFAULT '',
    unit_id     TEXT NOT NULL DEFAULT '',
    reporter    TEXT NOT NULL DEFAULT '',
    reported_at INTEGER NOT NULL,
    closed_at   INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX cases_status ON cases(status);
CREATE INDEX cases_grid ON cases(grid_id);

CREATE TABLE tasks (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL,
    unit_id    TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    due_at     INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
CREATE INDEX tasks_case ON tasks(case_id);

CREATE TABLE case_actions (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    photos      TEXT NOT NULL DEFAULT '[]',
    updated_at  INTEGER NOT NULL
);
CREATE INDEX case_actions_case ON case_actions(case_id, at);

CREATE TABLE check_items (
    id             TEXT PRIMARY KEY,
    department     TEXT NOT NULL,
    domain         TEXT NOT NULL,
    name           TEXT NOT NULL,
    kinds          TEXT NOT NULL DEFAULT '[]',
    tags           TEXT NOT NULL DEFAULT '[]',
    method         TEXT NOT NULL,
    minutes        REAL NOT NULL,
    frequency_days INTEGER NOT NULL,
    key_domain     INTEGER NOT NULL DEFAULT 0,
    legal_basis    TEXT NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL
);

CREATE TABLE inspections (
    id          TEXT PRIMARY KEY,
    entity_id   TEXT NOT NULL,
    team_id     TEXT NOT NULL DEFAULT '',
    inspector   TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    status      TEXT NOT NULL,
    results     TEXT NOT NULL DEFAULT '[]',  -- JSON [{item, result, note}]
    code_before TEXT NOT NULL DEFAULT '',
    code_after  TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX inspections_entity ON inspections(entity_id, at);

CREATE TABLE findings (
    id            TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    severity      TEXT NOT NULL CHECK (severity IN ('general','major')),
    description   TEXT NOT NULL DEFAULT '',
    deadline      INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    rectified_at  INTEGER NOT NULL DEFAULT 0,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX findings_entity ON findings(entity_id);
CREATE INDEX findings_inspection ON findings(inspection_id);

-- The change journal (server side): one row per (kind, id), the newest state.
-- seq only grows (AUTOINCREMENT never reuses a value).
CREATE TABLE changes (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id   TEXT NOT NULL,
    op   TEXT NOT NULL CHECK (op IN ('upsert','delete')),
    data TEXT NOT NULL DEFAULT 'null',
    UNIQUE (kind, id)
);

-- Server-side secrets; never part of the change feed.
CREATE TABLE credentials (
    user_id       TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Key/value state: sync cursor, server identity, view settings.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
