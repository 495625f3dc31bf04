-- The seed's schema (organizations, users, leads, scoring_models, lead_scores,
-- lead_activities, integrations) made valid PostgreSQL, plus what identity and
-- ingestion need. Changes from the seed, on purpose:
--   * timestamps are TIMESTAMPTZ: a scoring system compares instants across time zones;
--   * every tenant-owned row carries organization_id, so every query can be scoped by it;
--   * the seed's inline INDEX(...) lines are CREATE INDEX statements;
--   * emails are unique per organisation for leads and globally for users (login is by
--     email alone), stored normalised (lower-case) by the application.

CREATE TABLE organizations (
  id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name        VARCHAR(255) NOT NULL,
  slug        VARCHAR(100) NOT NULL UNIQUE,
  domain      VARCHAR(255),
  settings    JSONB NOT NULL DEFAULT '{}',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email            VARCHAR(255) NOT NULL,
  password_hash    VARCHAR(255),
  first_name       VARCHAR(100),
  last_name        VARCHAR(100),
  role             VARCHAR(20) NOT NULL DEFAULT 'viewer'
                   CHECK (role IN ('owner', 'admin', 'manager', 'analyst', 'sales_rep', 'viewer')),
  is_active        BOOLEAN NOT NULL DEFAULT TRUE,
  last_login_at    TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_organization_idx ON users (organization_id);

CREATE TABLE leads (
  id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id    UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email              VARCHAR(255) NOT NULL,
  first_name         VARCHAR(100),
  last_name          VARCHAR(100),
  company            VARCHAR(255),
  job_title          VARCHAR(255),
  phone              VARCHAR(50),
  website            VARCHAR(255),
  country            VARCHAR(2),
  industry           VARCHAR(100),
  company_size       INTEGER CHECK (company_size IS NULL OR company_size >= 0),
  source             VARCHAR(100),
  status             VARCHAR(20) NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'contacted', 'qualified', 'converted', 'lost')),
  owner_id           UUID REFERENCES users(id) ON DELETE SET NULL,
  custom_attributes  JSONB NOT NULL DEFAULT '{}',
  current_score      INTEGER CHECK (current_score IS NULL OR current_score BETWEEN 0 AND 100),
  max_score          INTEGER CHECK (max_score IS NULL OR max_score BETWEEN 0 AND 100),
  last_activity_at   TIMESTAMPTZ,
  status_changed_at  TIMESTAMPTZ,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX leads_organization_email_key ON leads (organization_id, email);
CREATE INDEX leads_organization_score_idx ON leads (organization_id, current_score DESC NULLS LAST, id);
CREATE INDEX leads_organization_created_idx ON leads (organization_id, created_at DESC, id);
CREATE INDEX leads_organization_updated_idx ON leads (organization_id, updated_at DESC, id);
CREATE INDEX leads_organization_last_activity_idx ON leads (organization_id, last_activity_at DESC NULLS LAST, id);
CREATE INDEX leads_organization_status_idx ON leads (organization_id, status);
CREATE INDEX leads_owner_idx ON leads (owner_id) WHERE owner_id IS NOT NULL;

CREATE TABLE scoring_models (
  id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id      UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name                 VARCHAR(255) NOT NULL,
  model_type           VARCHAR(20) NOT NULL CHECK (model_type IN ('behavioral', 'demographic', 'composite')),
  config               JSONB NOT NULL,
  is_active            BOOLEAN NOT NULL DEFAULT FALSE,
  performance_metrics  JSONB,
  created_by           UUID REFERENCES users(id) ON DELETE SET NULL,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX scoring_models_organization_idx ON scoring_models (organization_id, created_at DESC);
-- At most one active model per organisation.
CREATE UNIQUE INDEX scoring_models_one_active_key ON scoring_models (organization_id) WHERE is_active;

CREATE TABLE lead_scores (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  lead_id          UUID NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  model_id         UUID REFERENCES scoring_models(id) ON DELETE SET NULL,
  score            INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
  score_breakdown  JSONB NOT NULL DEFAULT '{}',
  confidence       NUMERIC(3, 2) CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 1),
  calculated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX lead_scores_lead_calculated_idx ON lead_scores (lead_id, calculated_at DESC);
CREATE INDEX lead_scores_organization_calculated_idx ON lead_scores (organization_id, calculated_at DESC);

CREATE TABLE lead_activities (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  lead_id          UUID NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  activity_type    VARCHAR(100) NOT NULL,
  activity_data    JSONB NOT NULL DEFAULT '{}',
  "timestamp"      TIMESTAMPTZ NOT NULL,
  processed        BOOLEAN NOT NULL DEFAULT FALSE,
  idempotency_key  VARCHAR(255),
  received_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX lead_activities_lead_timestamp_idx ON lead_activities (lead_id, "timestamp" DESC);
-- The scorer's outbox: only unprocessed rows are indexed, so the index stays small.
CREATE INDEX lead_activities_unprocessed_idx ON lead_activities ("timestamp") WHERE NOT processed;
CREATE UNIQUE INDEX lead_activities_idempotency_key ON lead_activities (organization_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE TABLE integrations (
  id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id        UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  integration_type       VARCHAR(50) NOT NULL,
  config                 JSONB NOT NULL DEFAULT '{}',
  credentials_encrypted  TEXT,
  is_active              BOOLEAN NOT NULL DEFAULT TRUE,
  last_sync_at           TIMESTAMPTZ,
  created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX integrations_organization_idx ON integrations (organization_id);

-- Identity: rotating refresh tokens (a family is one login; reuse of a rotated token
-- revokes the family), scoped API keys, and an append-only audit trail.
CREATE TABLE refresh_tokens (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id          UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id        UUID NOT NULL,
  token_hash       BYTEA NOT NULL UNIQUE,
  expires_at       TIMESTAMPTZ NOT NULL,
  rotated_at       TIMESTAMPTZ,
  revoked_at       TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Failed logins by account (email hash) and client address, for throttling. Apart from
-- audit_log because an unknown email has no organisation, and must be throttled all the
-- same, or the throttle would reveal which emails exist.
CREATE TABLE login_failures (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email_hash  BYTEA NOT NULL,
  ip          INET,
  failed_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email_hash, failed_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, failed_at);

CREATE TABLE api_keys (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name             VARCHAR(255) NOT NULL,
  prefix           VARCHAR(32) NOT NULL UNIQUE,
  key_hash         BYTEA NOT NULL,
  scopes           TEXT[] NOT NULL,
  created_by       UUID REFERENCES users(id) ON DELETE SET NULL,
  last_used_at     TIMESTAMPTZ,
  expires_at       TIMESTAMPTZ,
  revoked_at       TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_organization_idx ON api_keys (organization_id, created_at DESC);

CREATE TABLE audit_log (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  actor_type       VARCHAR(20) NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id         UUID,
  action           VARCHAR(100) NOT NULL,
  target_type      VARCHAR(50),
  target_id        VARCHAR(100),
  details          JSONB NOT NULL DEFAULT '{}',
  ip               INET,
  user_agent       TEXT,
  request_id       VARCHAR(100),
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The audit log reads newest first by id (its append order), a keyset exact to the row.
CREATE INDEX audit_log_organization_id_idx ON audit_log (organization_id, id DESC);
