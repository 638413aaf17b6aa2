-- Settings an admin changes at the desk and every desk follows: the
-- category dictionary (keywords, clock policies) and newer holiday
-- calendars. Keys: "category:<key>", "calendar:<year>".
CREATE TABLE settings (
    id         TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);
