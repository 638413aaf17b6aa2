-- The door plate's pages (issue 18).
-- Entities are looked up by the QR token printed on their plate.
CREATE INDEX IF NOT EXISTS entities_qr_token ON entities(qr_token);
-- The phone number a citizen left with a complaint: personal data that only
-- duty officers and admins read (GET /api/v1/cases/{id}/contact). It is not
-- a synced kind: no change feed, no snapshot, no desk copy carries it.
CREATE TABLE case_contacts (
    case_id    TEXT PRIMARY KEY,    -- no foreign key: cases are written with INSERT OR REPLACE
    phone      TEXT NOT NULL,
    created_at INTEGER NOT NULL      -- unix ms
);
-- Counters of the public forms (complaints per address and per entity),
-- shared by every server node like the sign-in counters.
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,   -- e.g. complaint-ip:<address>, complaint-entity:<id>
    hits         INTEGER NOT NULL,
    window_start INTEGER NOT NULL    -- unix ms
);
