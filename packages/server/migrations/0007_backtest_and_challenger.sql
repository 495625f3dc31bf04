-- Backtests and challengers (issue 5): trying a model on the organisation's own history, and
-- beside the active model on live traffic, before it is allowed to change a score.
--
--   ready | retired → challenger   scored on every activity beside the active model, stored
--                                  apart (challenger_scores); never changes a lead's score
--   challenger → ready             stopped, or replaced by another challenger
--   challenger → active            activated as any other version

ALTER TABLE scoring_models DROP CONSTRAINT scoring_models_status_check;
ALTER TABLE scoring_models
  ADD CONSTRAINT scoring_models_status_check
    CHECK (status IN ('training', 'ready', 'failed', 'active', 'retired', 'challenger')),
  -- When the version last became the challenger: its comparison covers the scores since. Kept
  -- when it stops, so the report of its last run still reads.
  ADD COLUMN challenger_since TIMESTAMPTZ,
  -- The last backtest asked for (its parameters, status and report), apart from
  -- performance_metrics: those are the training's (a null there means no deployment gate),
  -- and a backtest may be run on any version, again and again.
  ADD COLUMN backtest JSONB;

-- At most one challenger per organisation; the scorer reads it with the active model.
CREATE UNIQUE INDEX scoring_models_one_challenger_key
  ON scoring_models (organization_id) WHERE status = 'challenger';

-- The challenger's score of a lead after each scored batch, beside the active model's score at
-- that moment (active_model_id null: the built-in default rules). leads.current_score and
-- lead_scores are never written for a challenger.
CREATE TABLE challenger_scores (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  lead_id          UUID NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  model_id         UUID NOT NULL REFERENCES scoring_models(id) ON DELETE CASCADE,
  score            INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
  score_breakdown  JSONB NOT NULL,
  confidence       NUMERIC(3,2),
  active_model_id  UUID REFERENCES scoring_models(id) ON DELETE SET NULL,
  active_score     INTEGER NOT NULL CHECK (active_score BETWEEN 0 AND 100),
  calculated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The comparison reads a challenger's newest score of each lead (before a time).
CREATE INDEX challenger_scores_model_lead_idx
  ON challenger_scores (organization_id, model_id, lead_id, calculated_at DESC);
