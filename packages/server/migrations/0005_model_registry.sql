-- The model registry (issue 5): every scoring model an organisation trains or writes is a
-- numbered version with a lifecycle, so it can be compared, activated and rolled back.
--
--   training → ready | failed      a training job builds the model (or fails, saying why)
--   ready | retired → active       activation (the deployment gate, or an admin's override)
--   active → retired               another version is activated, or a rollback
--
-- is_active stays (the scorer and the one-active-model index read it) and always equals
-- status = 'active'. The algorithm lives in config ({algorithm: 'rules' | 'gbdt' | 'logistic'}).

ALTER TABLE scoring_models
  ADD COLUMN version INTEGER,
  ADD COLUMN status VARCHAR(20)
    CHECK (status IN ('training', 'ready', 'failed', 'active', 'retired')),
  -- The pg-boss job that trains it; null for models written by hand (rules).
  ADD COLUMN training_job_id UUID,
  -- Why training failed, in words a user can act on.
  ADD COLUMN error TEXT,
  ADD COLUMN trained_at TIMESTAMPTZ,
  ADD COLUMN activated_at TIMESTAMPTZ,
  ADD COLUMN activated_by UUID REFERENCES users(id) ON DELETE SET NULL,
  ADD COLUMN retired_at TIMESTAMPTZ,
  -- The version this one was derived from (the rules it edits).
  ADD COLUMN parent_id UUID REFERENCES scoring_models(id) ON DELETE SET NULL,
  -- The version that was active when this one was activated: what a rollback restores
  -- (null: the organisation was on the built-in default rules).
  ADD COLUMN previous_model_id UUID REFERENCES scoring_models(id) ON DELETE SET NULL;

UPDATE scoring_models SET status = CASE WHEN is_active THEN 'active' ELSE 'ready' END;
UPDATE scoring_models m SET version = numbered.version
FROM (
  SELECT id, row_number() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS version
  FROM scoring_models
) AS numbered
WHERE m.id = numbered.id;

ALTER TABLE scoring_models
  ALTER COLUMN version SET NOT NULL,
  ALTER COLUMN status SET NOT NULL,
  ADD CONSTRAINT scoring_models_active_status CHECK (is_active = (status = 'active'));

-- Versions count up per organisation; the list pages by them, newest first.
CREATE UNIQUE INDEX scoring_models_organization_version_key
  ON scoring_models (organization_id, version DESC);
DROP INDEX scoring_models_organization_idx;

-- Numbers each new version (the next one in its organisation) and, when an insert gives no
-- status, derives it from is_active, so every writer gets the same numbering. Writers that
-- may race in one organisation lock its organizations row first; the unique index above
-- refuses the rest.
CREATE FUNCTION scoring_models_number_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.version IS NULL THEN
    SELECT coalesce(max(version), 0) + 1 INTO NEW.version
    FROM scoring_models WHERE organization_id = NEW.organization_id;
  END IF;
  IF NEW.status IS NULL THEN
    NEW.status := CASE WHEN NEW.is_active THEN 'active' ELSE 'ready' END;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER scoring_models_number_version
  BEFORE INSERT ON scoring_models
  FOR EACH ROW EXECUTE FUNCTION scoring_models_number_version();
