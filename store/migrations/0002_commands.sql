-- Commands: every user action is a command with a client-made UUID.

-- Server: each command applied once (the UUID is the idempotency key) and
-- kept as the audit log: who, when, what, from where, and the answer.
CREATE TABLE commands (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    args        TEXT NOT NULL,
    issued_at   INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    remote      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('applied','rejected')),
    problem     TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL DEFAULT 'null'
);
CREATE INDEX commands_received ON commands(received_at);

-- Desk: the outbox, in issue order, written in the same transaction as the
-- command's optimistic local effect.
CREATE TABLE outbox (
    n         INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT NOT NULL UNIQUE,
    command   TEXT NOT NULL,            -- the command as sent (JSON)
    touches   TEXT NOT NULL DEFAULT '[]',
    state     TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','rejected')),
    problem   TEXT NOT NULL DEFAULT '',
    attempts  INTEGER NOT NULL DEFAULT 0
);

-- Desk: the server's state of every row a pending command changed locally,
-- so a rejected command can be undone and pulled changes rebased under the
-- pending ones. data 'null' = the row did not exist.
CREATE TABLE shadow (
    kind TEXT NOT NULL,
    id   TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
