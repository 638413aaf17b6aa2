-- The door plate's pages (issue 18); the SQLite file of the same number
-- explains each table. Picked up once the PostgreSQL engine is merged.
CREATE INDEX IF NOT EXISTS entities_qr_token ON entities(qr_token);
CREATE TABLE case_contacts (
    case_id    TEXT PRIMARY KEY,
    phone      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    hits         INTEGER NOT NULL,
    window_start BIGINT NOT NULL
);
