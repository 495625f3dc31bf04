-- CSV imports of leads and activities (issue 6).

-- One row per import. The upload is kept in import_chunks until the import ends, so that the
-- API process that received it and the worker that runs it need no shared disk. The job writes
-- the rows in batches, each batch in one transaction with its row errors and the progress
-- below, so a job that dies resumes after rows_committed and never writes a row twice.
--   uploading → queued → running → succeeded | failed
CREATE TABLE imports (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind             VARCHAR(20) NOT NULL CHECK (kind IN ('leads', 'activities')),
  status           VARCHAR(20) NOT NULL DEFAULT 'uploading'
                   CHECK (status IN ('uploading', 'queued', 'running', 'succeeded', 'failed')),
  file_name        TEXT,
  file_bytes       BIGINT NOT NULL DEFAULT 0,
  -- CSV header → field; null: each header names its own field (the export's format).
  mapping          JSONB,
  -- What a row whose email an existing lead has does (lead imports only).
  on_duplicate     VARCHAR(10) CHECK (on_duplicate IN ('update', 'skip')),
  delimiter        VARCHAR(1) NOT NULL DEFAULT ',',
  -- The cursor: data rows (1 = the first after the header) up to here have been committed,
  -- and the bytes of the file they took.
  rows_committed   INTEGER NOT NULL DEFAULT 0,
  bytes_committed  BIGINT NOT NULL DEFAULT 0,
  -- What the committed rows did: every committed row is counted in exactly one of these.
  inserted         INTEGER NOT NULL DEFAULT 0,
  updated          INTEGER NOT NULL DEFAULT 0,
  unchanged        INTEGER NOT NULL DEFAULT 0,
  skipped          INTEGER NOT NULL DEFAULT 0,
  failed           INTEGER NOT NULL DEFAULT 0,
  -- Why the import as a whole failed (a row's own errors are in import_errors).
  error            TEXT,
  created_by_type  VARCHAR(20) NOT NULL CHECK (created_by_type IN ('user', 'api_key', 'system')),
  created_by       UUID,
  -- The pg-boss job that runs it; null when the CLI runs it itself.
  job_id           UUID,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at       TIMESTAMPTZ,
  finished_at      TIMESTAMPTZ,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX imports_organization_created_idx
  ON imports (organization_id, created_at DESC, id DESC);

-- The uploaded file in pieces of at most 1 MB (bytea), read back in seq order.
CREATE TABLE import_chunks (
  import_id        UUID NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  seq              INTEGER NOT NULL,
  data             BYTEA NOT NULL,
  PRIMARY KEY (import_id, seq)
);

-- The validation report: what is wrong with each rejected row, one line per cause.
-- row_number counts data rows (1 = the first after the header); column_name is the CSV
-- header at fault (null when no column is, e.g. a lead named by no column).
CREATE TABLE import_errors (
  import_id        UUID NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  row_number       INTEGER NOT NULL,
  position         SMALLINT NOT NULL,
  column_name      TEXT,
  field            TEXT NOT NULL,
  reason           TEXT NOT NULL,
  PRIMARY KEY (import_id, row_number, position)
);
