-- Security (issue 14): the PostgreSQL twin of migrations/0008_security.sql,
-- written from that file as it stood on the lead's branch; keep the two
-- alike when merging.
-- The teams a user may act for besides their own unit (team leaders).
ALTER TABLE users ADD COLUMN teams TEXT COLLATE "C" NOT NULL DEFAULT '[]';
-- A command's content digest: a reused id with other content or another
-- sender is refused, never answered as a duplicate.
ALTER TABLE commands ADD COLUMN digest TEXT COLLATE "C" NOT NULL DEFAULT '';
-- Sign-in attempts by address and by account, shared by every server node:
-- failures in the current window and the end of the account's back-off.
CREATE TABLE login_attempts (
    key           TEXT COLLATE "C" PRIMARY KEY,   -- ip:<address> or user:<name>
    failures      INTEGER NOT NULL,
    window_start  BIGINT NOT NULL,   -- unix ms
    blocked_until BIGINT NOT NULL    -- unix ms; 0 = not blocked
);
-- Devices a user signed in from: a sign-in with a device's token is
-- limited by that device's own failures, so guessing at an account from
-- elsewhere does not lock its owner's desk out.
CREATE TABLE devices (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    used_at    BIGINT NOT NULL
);
CREATE INDEX devices_user ON devices(user_id);
