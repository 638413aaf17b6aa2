-- The change feed's counter (store/change.go): every write transaction
-- numbers its journal rows from it when it commits, so the feed's sequence
-- is the order of the commits, with no hole a reader could step over.
-- (Until now SQLite's AUTOINCREMENT numbered them; PostgreSQL has no
-- equivalent that commits in order.)
CREATE TABLE feed (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO feed (id, seq) VALUES (1, MAX(
    COALESCE((SELECT MAX(seq) FROM changes), 0),
    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)));

-- Counters that writers on several server nodes take in turn: the human
-- case numbers of each year ('case_no:2026' → 113 for 2026-0113).
CREATE TABLE counters (
    key TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
);
INSERT INTO counters (key, n)
    SELECT 'case_no:' || substr(no, 1, 4), MAX(CAST(substr(no, 6) AS INTEGER))
    FROM cases WHERE no LIKE '____-%' GROUP BY substr(no, 1, 4);

-- A journal row's kind with its sequence, for the server's look-ups of the
-- newest change of one kind (the grid index follows grid changes).
CREATE INDEX changes_kind_seq ON changes(kind, seq);
