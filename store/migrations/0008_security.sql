-- Security (issue 14).
-- The teams a user may act for besides their own unit (team leaders).
ALTER TABLE users ADD COLUMN teams TEXT NOT NULL DEFAULT '[]';
-- A command's content digest: a reused id with other content or another
-- sender is refused, never answered as a duplicate.
ALTER TABLE commands ADD COLUMN digest TEXT NOT NULL DEFAULT '';
-- Sign-in attempts by address and by account, shared by every server node:
-- failures in the current window and the end of the account's back-off.
CREATE TABLE login_attempts (
    key           TEXT PRIMARY KEY,   -- ip:<address> or user:<name>
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,   -- unix ms
    blocked_until INTEGER NOT NULL    -- unix ms; 0 = not blocked
);
-- Devices a user signed in from: a sign-in with a device's token is
-- limited by that device's own failures, so guessing at an account from
-- elsewhere does not lock its owner's desk out.
CREATE TABLE devices (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    used_at    INTEGER NOT NULL
);
CREATE INDEX devices_user ON devices(user_id);
