-- Analytics and score history (issue 6): what caused each score, the grade a lead has now, and
-- the score it had when its outcome was decided.

-- Why each score was written: `activity` by the scorer (activity_id: the newest activity the
-- score counted), `rescore` by a bulk rescore (an activation, a rollback, a rules change),
-- `decay` by the decay sweep. Rows written before this migration say nothing (null).
-- activity_id has no foreign key on purpose: the scorer writes a score per lead per batch on the
-- hot path, and an activity only ever goes with its lead, whose deletion takes the scores along.
ALTER TABLE lead_scores
  ADD COLUMN activity_id UUID,
  ADD COLUMN cause VARCHAR(20) CHECK (cause IN ('activity', 'rescore', 'decay'));

-- A lead's grade (A1–D4) as of its newest score, beside current_score, so that the score
-- distribution by grade reads one table. Null: not scored yet, or scored by a trained model
-- (only rules models grade).
ALTER TABLE leads ADD COLUMN current_grade VARCHAR(2);
UPDATE leads l SET current_grade = latest.grade
FROM (
  SELECT DISTINCT ON (lead_id) lead_id, score_breakdown ->> 'grade' AS grade
  FROM lead_scores
  ORDER BY lead_id, calculated_at DESC, id DESC
) AS latest
WHERE latest.lead_id = l.id AND latest.grade IS NOT NULL;

-- The score a lead had when it converted or was lost (its current_score at that moment), set by
-- every status change: conversion by score band is about the score that predicted the outcome,
-- not today's. Null while the lead is open, or when it had no score yet when decided.
ALTER TABLE leads ADD COLUMN outcome_score INTEGER
  CHECK (outcome_score IS NULL OR outcome_score BETWEEN 0 AND 100);
UPDATE leads l SET outcome_score = (
  SELECT s.score FROM lead_scores s
  WHERE s.lead_id = l.id AND s.calculated_at <= l.status_changed_at
  ORDER BY s.calculated_at DESC, s.id DESC
  LIMIT 1
)
WHERE l.status IN ('converted', 'lost');

-- Score history pages newest first within a lead (lead_scores_lead_calculated_idx serves it);
-- analytics of decided leads read (organization_id, status) and these columns.
CREATE INDEX leads_organization_decided_idx ON leads (organization_id, status_changed_at)
  INCLUDE (status, outcome_score, source, created_at)
  WHERE status IN ('converted', 'lost');

-- The score distribution by band and grade (a million leads in well under a second) reads the
-- lead list's score index alone, an index-only scan, once it carries the grade. Rebuilt rather
-- than joined by a second index: every score change already writes an entry into this one (the
-- scorer's updates of leads are never HOT), so the grade costs a few bytes, not another index.
DROP INDEX leads_organization_score_idx;
CREATE INDEX leads_organization_score_idx
  ON leads (organization_id, current_score DESC NULLS LAST, id) INCLUDE (current_grade);
