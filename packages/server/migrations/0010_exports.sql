-- Exports (issue 6): background exports of leads, activities or scores to a file, and the
-- indexes that let an export read an organisation's activities and scores in time order.

-- One row per background export (`POST /exports`). The job writes the whole file under a
-- temporary name (or as an unfinished multipart upload) and the row says `succeeded` only once
-- the file is complete, so a download never sees half a file. A retry writes it again from
-- the start, resetting `row_count` and `bytes`.
--   queued → running → succeeded | failed
CREATE TABLE exports (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind             VARCHAR(20) NOT NULL CHECK (kind IN ('leads', 'activities', 'scores')),
  format           VARCHAR(10) NOT NULL CHECK (format IN ('csv', 'ndjson')),
  -- The filters as the request gave them (the API's names), read again by the job.
  filters          JSONB NOT NULL DEFAULT '{}',
  status           VARCHAR(20) NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  -- Rows written so far (committed with each page), then in the finished file.
  row_count        BIGINT NOT NULL DEFAULT 0,
  bytes            BIGINT,
  -- Where the finished file is: the data dir or S3-compatible storage, under this key. Kept
  -- per row, so a file stays findable (or is known to be elsewhere) when the setting changes.
  storage          VARCHAR(10) CHECK (storage IN ('file', 's3')),
  object_key       TEXT,
  error            TEXT,
  requested_by     UUID REFERENCES users(id) ON DELETE SET NULL,
  job_id           UUID,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at       TIMESTAMPTZ,
  finished_at      TIMESTAMPTZ,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- GET /exports lists newest first, a keyset page at a time.
CREATE INDEX exports_organization_created_idx ON exports (organization_id, created_at DESC, id DESC);

-- Exports read an organisation's activities and scores oldest first, in keyset pages of
-- (time, id); each needs an index in that order, or every page would sort all the rows again.
CREATE INDEX lead_activities_organization_timestamp_idx
  ON lead_activities (organization_id, "timestamp", id);
-- The scores' index gains the id and replaces the one on (organization_id, calculated_at DESC),
-- which it serves as well (read backwards): scorers write no more index entries than before.
CREATE INDEX lead_scores_organization_calculated_id_idx
  ON lead_scores (organization_id, calculated_at, id);
DROP INDEX lead_scores_organization_calculated_idx;
