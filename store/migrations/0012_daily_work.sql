-- The command centre's daily work (issue 17): 12345 work orders, callers,
-- repeat reports merged into an open case, a leader's oversight 督办, and
-- the structured part of urges, merges and callbacks in the timeline.
ALTER TABLE cases ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN work_order TEXT NOT NULL DEFAULT '';   -- JSON WorkOrder; '' none
ALTER TABLE cases ADD COLUMN callers TEXT NOT NULL DEFAULT '[]';    -- JSON []Caller
ALTER TABLE cases ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN supervision TEXT NOT NULL DEFAULT '';  -- JSON Supervision; '' none
CREATE INDEX cases_merged_into ON cases(merged_into) WHERE merged_into <> '';
CREATE INDEX IF NOT EXISTS cases_reported ON cases(reported_at); -- also in 0010_scope (whichever a database got first)
ALTER TABLE case_actions ADD COLUMN detail TEXT NOT NULL DEFAULT ''; -- JSON ActionDetail; '' none
CREATE INDEX case_actions_action ON case_actions(action, at);
