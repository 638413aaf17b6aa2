-- The caller's verdict on a closed case (case.evaluate): satisfied,
-- basically or dissatisfied; '' until evaluated.
ALTER TABLE cases ADD COLUMN satisfaction TEXT NOT NULL DEFAULT '';
