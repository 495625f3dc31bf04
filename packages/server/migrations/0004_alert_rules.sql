-- Alert rules (issue 5): what an organisation wants to hear about when a lead's score
-- changes, and the alerts they fired. The kinds (see src/modules/alerts/alert-rules.ts):
--   score_above  threshold: the score rose from below the threshold to or above it
--   score_below  threshold: the score fell from the threshold or above to below it
--   grade_is     grade (A1…D4): the lead's grade became this one
--   becomes_mql  threshold: the score reached the MQL line for the first time in the lead's life
-- A rule fires once per crossing, never again while the lead stays on the same side.
CREATE TABLE alert_rules (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name             VARCHAR(255) NOT NULL,
  kind             VARCHAR(20) NOT NULL
                   CHECK (kind IN ('score_above', 'score_below', 'grade_is', 'becomes_mql')),
  threshold        INTEGER CHECK (threshold BETWEEN 1 AND 100),
  grade            VARCHAR(2) CHECK (grade ~ '^[A-D][1-4]$'),
  is_active        BOOLEAN NOT NULL DEFAULT TRUE,
  created_by       UUID REFERENCES users(id) ON DELETE SET NULL,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- A grade rule has a grade and no threshold; every other kind the other way round.
  CONSTRAINT alert_rules_grade_kind CHECK ((kind = 'grade_is') = (grade IS NOT NULL)),
  CONSTRAINT alert_rules_threshold_kind CHECK ((kind = 'grade_is') = (threshold IS NULL))
);
CREATE INDEX alert_rules_organization_created_idx
  ON alert_rules (organization_id, created_at DESC, id DESC);
-- What the evaluator reads after every scorer batch.
CREATE INDEX alert_rules_active_idx ON alert_rules (organization_id) WHERE is_active;

-- Fired alerts. `kind` and `message` are copied from the rule when it fired, so the list
-- still reads right after the rule is edited or deleted (alert_rule_id then becomes NULL).
CREATE TABLE alerts (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  alert_rule_id    UUID REFERENCES alert_rules(id) ON DELETE SET NULL,
  lead_id          UUID NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  kind             VARCHAR(20) NOT NULL,
  message          TEXT NOT NULL,
  score            INTEGER NOT NULL,
  previous_score   INTEGER,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX alerts_organization_created_idx ON alerts (organization_id, created_at DESC, id DESC);
-- A lead becomes an MQL once per rule: inserts of a second such alert do nothing, whichever
-- process evaluates.
CREATE UNIQUE INDEX alerts_mql_once_idx ON alerts (alert_rule_id, lead_id)
  WHERE kind = 'becomes_mql';
