-- GridDesk schema on PostgreSQL 15 + PostGIS 3, version 1: the SQLite
-- history's versions 1 to 7 in one (migrations/0001_init.sql …
-- 0007_satisfaction.sql say what each table is for). Times are unix
-- milliseconds and lists JSON text, as on SQLite, so the store reads both
-- engines with the same code. Text is compared and sorted bytewise
-- (COLLATE "C"), as SQLite does, whatever the database's locale.
-- PostGIS geometry columns follow the stored coordinates (generated
-- columns) and carry GiST indexes for point-in-grid and box queries.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE grids (
    id        TEXT COLLATE "C" PRIMARY KEY,
    name      TEXT COLLATE "C" NOT NULL,
    level     TEXT COLLATE "C" NOT NULL CHECK (level IN ('base','micro','inspection','enforcement')),
    parent_id TEXT COLLATE "C" NOT NULL DEFAULT '',
    village   TEXT COLLATE "C" NOT NULL DEFAULT '',
    geom      BYTEA NOT NULL,           -- MultiPolygon, WKB, WGS-84 lon/lat
    min_lon   DOUBLE PRECISION NOT NULL, min_lat DOUBLE PRECISION NOT NULL,
    max_lon   DOUBLE PRECISION NOT NULL, max_lat DOUBLE PRECISION NOT NULL,
    updated_at BIGINT NOT NULL,
    shape     geometry(MultiPolygon, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromWKB(geom), 4326)) STORED
);
CREATE INDEX grids_level ON grids(level);
CREATE INDEX grids_parent ON grids(parent_id);
CREATE INDEX grids_shape ON grids USING GIST (shape);

CREATE TABLE entities (
    id        TEXT COLLATE "C" PRIMARY KEY,
    kind      TEXT COLLATE "C" NOT NULL CHECK (kind IN ('shop','enterprise','rental','venue')),
    name      TEXT COLLATE "C" NOT NULL,
    address   TEXT COLLATE "C" NOT NULL DEFAULT '',
    lon       DOUBLE PRECISION NOT NULL,
    lat       DOUBLE PRECISION NOT NULL,
    grid_id   TEXT COLLATE "C" NOT NULL DEFAULT '',
    tags      TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    code      TEXT COLLATE "C" NOT NULL CHECK (code IN ('green','yellow','red')),
    qr_token  TEXT COLLATE "C" NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    pt        geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED
);
CREATE INDEX entities_grid ON entities(grid_id);
CREATE INDEX entities_code ON entities(code);
CREATE INDEX entities_pt ON entities USING GIST (pt);

CREATE TABLE units (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('department','team','squad','station')),
    department TEXT COLLATE "C" NOT NULL DEFAULT '',
    parent_id  TEXT COLLATE "C" NOT NULL DEFAULT '',
    grid_ids   TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    updated_at BIGINT NOT NULL
);

CREATE TABLE users (
    id        TEXT COLLATE "C" PRIMARY KEY,
    username  TEXT COLLATE "C" NOT NULL UNIQUE,
    name      TEXT COLLATE "C" NOT NULL,
    role      TEXT COLLATE "C" NOT NULL CHECK (role IN ('admin','duty_officer','team_leader','unit_member','auditor','reporter')),
    unit_id   TEXT COLLATE "C" NOT NULL DEFAULT '',
    disabled  INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE TABLE cases (
    id          TEXT COLLATE "C" PRIMARY KEY,
    no          TEXT COLLATE "C" NOT NULL DEFAULT '',
    title       TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL DEFAULT '',
    category    TEXT COLLATE "C" NOT NULL,
    source      TEXT COLLATE "C" NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    grid_id     TEXT COLLATE "C" NOT NULL DEFAULT '',
    entity_id   TEXT COLLATE "C" NOT NULL DEFAULT '',
    status      TEXT COLLATE "C" NOT NULL,
    priority    TEXT COLLATE "C" NOT NULL DEFAULT 'normal',
    policy      TEXT COLLATE "C" NOT NULL DEFAULT '',
    unit_id     TEXT COLLATE "C" NOT NULL DEFAULT '',
    reporter    TEXT COLLATE "C" NOT NULL DEFAULT '',
    reported_at BIGINT NOT NULL,
    closed_at   BIGINT NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  BIGINT NOT NULL,
    satisfaction TEXT COLLATE "C" NOT NULL DEFAULT '',
    pt          geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED
);
CREATE INDEX cases_status ON cases(status);
CREATE INDEX cases_grid ON cases(grid_id);
CREATE INDEX cases_entity ON cases(entity_id);
CREATE INDEX cases_pt ON cases USING GIST (pt);

CREATE TABLE tasks (
    id         TEXT COLLATE "C" PRIMARY KEY,
    case_id    TEXT COLLATE "C" NOT NULL,
    unit_id    TEXT COLLATE "C" NOT NULL,
    status     TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    due_at     BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_case ON tasks(case_id);

CREATE TABLE case_actions (
    id          TEXT COLLATE "C" PRIMARY KEY,
    case_id     TEXT COLLATE "C" NOT NULL,
    action      TEXT COLLATE "C" NOT NULL,
    from_status TEXT COLLATE "C" NOT NULL DEFAULT '',
    to_status   TEXT COLLATE "C" NOT NULL,
    actor       TEXT COLLATE "C" NOT NULL DEFAULT '',
    at          BIGINT NOT NULL,
    note        TEXT COLLATE "C" NOT NULL DEFAULT '',
    photos      TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    updated_at  BIGINT NOT NULL
);
CREATE INDEX case_actions_case ON case_actions(case_id, at);

CREATE TABLE check_items (
    id             TEXT COLLATE "C" PRIMARY KEY,
    department     TEXT COLLATE "C" NOT NULL,
    domain         TEXT COLLATE "C" NOT NULL,
    name           TEXT COLLATE "C" NOT NULL,
    kinds          TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    tags           TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    method         TEXT COLLATE "C" NOT NULL,
    minutes        DOUBLE PRECISION NOT NULL,
    frequency_days INTEGER NOT NULL,
    key_domain     INTEGER NOT NULL DEFAULT 0,
    legal_basis    TEXT COLLATE "C" NOT NULL DEFAULT '',
    updated_at     BIGINT NOT NULL
);

CREATE TABLE inspections (
    id          TEXT COLLATE "C" PRIMARY KEY,
    entity_id   TEXT COLLATE "C" NOT NULL,
    team_id     TEXT COLLATE "C" NOT NULL DEFAULT '',
    inspector   TEXT COLLATE "C" NOT NULL DEFAULT '',
    at          BIGINT NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    results     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    code_before TEXT COLLATE "C" NOT NULL DEFAULT '',
    code_after  TEXT COLLATE "C" NOT NULL DEFAULT '',
    reviewed_by TEXT COLLATE "C" NOT NULL DEFAULT '',
    reviewed_at BIGINT NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL,
    photos      TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE INDEX inspections_entity ON inspections(entity_id, at);

CREATE TABLE findings (
    id            TEXT COLLATE "C" PRIMARY KEY,
    inspection_id TEXT COLLATE "C" NOT NULL,
    entity_id     TEXT COLLATE "C" NOT NULL,
    item_id       TEXT COLLATE "C" NOT NULL,
    severity      TEXT COLLATE "C" NOT NULL CHECK (severity IN ('general','major')),
    description   TEXT COLLATE "C" NOT NULL DEFAULT '',
    deadline      BIGINT NOT NULL DEFAULT 0,
    status        TEXT COLLATE "C" NOT NULL,
    rectified_at  BIGINT NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL,
    photos        TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE INDEX findings_entity ON findings(entity_id);
CREATE INDEX findings_inspection ON findings(inspection_id);

-- The change journal: one row per (kind, id), the newest state. seq is
-- given from the feed's counter at commit (0009_feed.sql).
CREATE TABLE changes (
    seq  BIGINT PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL,
    id   TEXT COLLATE "C" NOT NULL,
    op   TEXT COLLATE "C" NOT NULL CHECK (op IN ('upsert','delete')),
    data TEXT COLLATE "C" NOT NULL DEFAULT 'null',
    UNIQUE (kind, id)
);

CREATE TABLE credentials (
    user_id       TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    password_hash TEXT COLLATE "C" NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE commands (
    id          TEXT COLLATE "C" PRIMARY KEY,
    type        TEXT COLLATE "C" NOT NULL,
    actor       TEXT COLLATE "C" NOT NULL,
    args        TEXT COLLATE "C" NOT NULL,
    issued_at   BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    remote      TEXT COLLATE "C" NOT NULL DEFAULT '',
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('applied','rejected')),
    problem     TEXT COLLATE "C" NOT NULL DEFAULT '',
    result      TEXT COLLATE "C" NOT NULL DEFAULT 'null'
);
CREATE INDEX commands_received ON commands(received_at);

-- A desk's tables, here so that both engines hold one schema (a desk's
-- copy is always SQLite).
CREATE TABLE outbox (
    n         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id        TEXT COLLATE "C" NOT NULL UNIQUE,
    command   TEXT COLLATE "C" NOT NULL,
    touches   TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    state     TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','rejected')),
    problem   TEXT COLLATE "C" NOT NULL DEFAULT '',
    attempts  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE shadow (
    kind TEXT COLLATE "C" NOT NULL,
    id   TEXT COLLATE "C" NOT NULL,
    data TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE plans (
    id           TEXT COLLATE "C" PRIMARY KEY,
    title        TEXT COLLATE "C" NOT NULL,
    team_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
    start        BIGINT NOT NULL,
    "end"        BIGINT NOT NULL,
    summary      TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    published_by TEXT COLLATE "C" NOT NULL DEFAULT '',
    published_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE visits (
    id          TEXT COLLATE "C" PRIMARY KEY,
    plan_id     TEXT COLLATE "C" NOT NULL,
    team_id     TEXT COLLATE "C" NOT NULL,
    entity_id   TEXT COLLATE "C" NOT NULL,
    day         BIGINT NOT NULL,
    seq         INTEGER NOT NULL,
    items       TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    departments TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    minutes     DOUBLE PRECISION NOT NULL DEFAULT 0,
    joint       INTEGER NOT NULL DEFAULT 0,
    status      TEXT COLLATE "C" NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','done','cancelled')),
    updated_at  BIGINT NOT NULL
);
CREATE INDEX visits_team_day ON visits(team_id, day, seq);
CREATE INDEX visits_plan ON visits(plan_id);

CREATE TABLE settings (
    id         TEXT COLLATE "C" PRIMARY KEY,
    value      TEXT COLLATE "C" NOT NULL,
    updated_by TEXT COLLATE "C" NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

CREATE TABLE photos (
    id          TEXT COLLATE "C" PRIMARY KEY,
    mime        TEXT COLLATE "C" NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    size        BIGINT NOT NULL,
    data        BYTEA NOT NULL,
    uploaded_by TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    state       TEXT COLLATE "C" NOT NULL DEFAULT 'stored' CHECK (state IN ('stored','pending','refused')),
    reason      TEXT COLLATE "C" NOT NULL DEFAULT '',
    rendition   BYTEA
);
CREATE INDEX photos_state ON photos(state) WHERE state <> 'stored';
