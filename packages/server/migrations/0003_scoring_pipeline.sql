-- The scoring pipeline (issue 5): each lead's incremental feature state, the outbox's
-- bookkeeping, and a wake-up for scorer workers.

-- One row per lead that the scorer has seen: @leadscore/engine's LeadFeatureState as JSON.
-- Its size is bounded by the tracked activity types, never by the number of activities.
CREATE TABLE lead_feature_state (
  lead_id          UUID PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  state            JSONB NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX lead_feature_state_organization_idx ON lead_feature_state (organization_id);

-- When the scorer counted the activity; failure_reason is set when it could not (a poison
-- activity, a model that does not load): such a row is still marked processed so that it
-- never blocks the queue, and stays findable for a later rebuild.
ALTER TABLE lead_activities
  ADD COLUMN processed_at TIMESTAMPTZ,
  ADD COLUMN failure_reason TEXT;
CREATE INDEX lead_activities_failed_idx ON lead_activities (organization_id, processed_at DESC)
  WHERE failure_reason IS NOT NULL;

-- Wakes listening scorer workers as soon as activities are inserted. Statement level: one
-- notification per INSERT, however many rows (a batch of 1,000 is one wake-up), and
-- PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION notify_lead_activities() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('lead_activities', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER lead_activities_notify
  AFTER INSERT ON lead_activities
  FOR EACH STATEMENT EXECUTE FUNCTION notify_lead_activities();
