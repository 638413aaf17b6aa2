-- The change feed's counter (store/change.go): a write transaction locks it
-- first (writers take turns, as on SQLite) and numbers its journal rows
-- from it when it commits, so the sequence follows the commit order with no
-- hole a reader could step over. A PostgreSQL sequence would not: a
-- transaction that drew 10 can commit after one that drew 11, and a reader
-- that saw 11 would never look at 10 again.
CREATE TABLE feed (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO feed (id, seq) VALUES (1, 0);

-- Counters that writers on several server nodes take in turn: the human
-- case numbers of each year ('case_no:2026' → 113 for 2026-0113).
CREATE TABLE counters (
    key TEXT COLLATE "C" PRIMARY KEY,
    n   BIGINT NOT NULL
);

CREATE INDEX changes_kind_seq ON changes(kind, seq);
