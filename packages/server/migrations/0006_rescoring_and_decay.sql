-- Bulk rescoring and time decay (issue 5).

-- One row per bulk rescore: activating (or rolling back) a model rescores every lead of the
-- organisation, a batch per transaction. The progress is written in the same transaction as
-- each batch, so a job that dies resumes after `after_lead_id` and never rescores a batch
-- twice.
--   queued → running → succeeded | failed
--   queued | running → superseded   a newer activation of the organisation took over
CREATE TABLE lead_rescores (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  -- The model the leads are rescored with; null: the built-in default rules.
  model_id         UUID REFERENCES scoring_models(id) ON DELETE SET NULL,
  reason           VARCHAR(20) NOT NULL CHECK (reason IN ('activation', 'rollback')),
  status           VARCHAR(20) NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'superseded')),
  -- The organisation's leads when the rescore started (null until then).
  total            INTEGER,
  -- Leads rescored, and leads whose stored state could not be scored.
  done             INTEGER NOT NULL DEFAULT 0,
  failed           INTEGER NOT NULL DEFAULT 0,
  -- The keyset cursor: the last lead (by id) of the last committed batch.
  after_lead_id    UUID,
  -- The pg-boss job that runs it.
  job_id           UUID,
  error            TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at       TIMESTAMPTZ,
  finished_at      TIMESTAMPTZ,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX lead_rescores_organization_created_idx
  ON lead_rescores (organization_id, created_at DESC, id DESC);
-- At most one rescore in flight per organisation: a newer one supersedes it.
CREATE UNIQUE INDEX lead_rescores_one_in_flight_key
  ON lead_rescores (organization_id) WHERE status IN ('queued', 'running');

-- The rescorer's keyset pages: an organisation's leads by id, and its feature states by lead.
CREATE INDEX leads_organization_id_idx ON leads (organization_id, id);
CREATE INDEX lead_feature_state_organization_lead_idx ON lead_feature_state (organization_id, lead_id);
DROP INDEX lead_feature_state_organization_idx;

-- Where the decay sweep stands: it walks organisations and their leads by id, a bounded number
-- per run, and goes on from here on the next run. One row; null: start from the first.
-- No foreign keys: an organisation or lead deleted meanwhile only moves the sweep on.
CREATE TABLE score_decay_sweep (
  id               BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
  organization_id  UUID,
  after_lead_id    UUID,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO score_decay_sweep DEFAULT VALUES;
