-- Published inspection plans and their visits (plan.publish): the visits
-- are the teams' inspection tasks, synced to every desk.
CREATE TABLE plans (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    team_id      TEXT NOT NULL DEFAULT '',
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    summary      TEXT NOT NULL DEFAULT '{}',  -- totals and reductions (JSON)
    published_by TEXT NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE visits (
    id          TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL,
    team_id     TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    day         INTEGER NOT NULL,            -- unix ms of the visit's date
    seq         INTEGER NOT NULL,            -- order in the day's round
    items       TEXT NOT NULL DEFAULT '[]',
    departments TEXT NOT NULL DEFAULT '[]',
    minutes     REAL NOT NULL DEFAULT 0,
    joint       INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','done','cancelled')),
    updated_at  INTEGER NOT NULL
);
CREATE INDEX visits_team_day ON visits(team_id, day, seq);
CREATE INDEX visits_plan ON visits(plan_id);
