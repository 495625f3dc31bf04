import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it, one interface per table of migrations/*.sql.
 * Column names stay snake_case here; modules map rows to camelCase domain types.
 */
export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  leads: LeadsTable;
  scoring_models: ScoringModelsTable;
  lead_scores: LeadScoresTable;
  lead_activities: LeadActivitiesTable;
  integrations: IntegrationsTable;
  refresh_tokens: RefreshTokensTable;
  api_keys: ApiKeysTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  lead_feature_state: LeadFeatureStateTable;
  alert_rules: AlertRulesTable;
  alerts: AlertsTable;
  schema_migrations: SchemaMigrationsTable;
  imports: ImportsTable;
  import_chunks: ImportChunksTable;
  import_errors: ImportErrorsTable;
  exports: ExportsTable;
}

/** JSON columns are written as JSON text, the same on both drivers. */
type Json = ColumnType<unknown, string, string>;
/** A JSON column with a database default, so inserts may leave it out. */
type JsonWithDefault = ColumnType<unknown, string | undefined, string>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export type UserRole = 'owner' | 'admin' | 'manager' | 'analyst' | 'sales_rep' | 'viewer';
/** A lead's place in the funnel; the API's enum and the table's CHECK list the same values. */
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export type ModelType = 'behavioral' | 'demographic' | 'composite';

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  slug: string;
  domain: string | null;
  settings: JsonWithDefault;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  role: UserRole;
  is_active: Generated<boolean>;
  last_login_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LeadsTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  job_title: string | null;
  phone: string | null;
  website: string | null;
  country: string | null;
  industry: string | null;
  company_size: number | null;
  source: string | null;
  status: Generated<LeadStatus>;
  owner_id: string | null;
  custom_attributes: JsonWithDefault;
  current_score: number | null;
  max_score: number | null;
  last_activity_at: Date | null;
  status_changed_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** A1–D4 from the newest score, when a rules model wrote it (set by the score writers). */
  current_grade: ColumnType<string | null, string | null | undefined, string | null>;
  /** The score the lead had when it became converted or lost (set with each status change). */
  outcome_score: ColumnType<number | null, number | null | undefined, number | null>;
  /** The first day of the month (UTC) of created_at, computed by PostgreSQL (never written). */
  created_month: ColumnType<Date, never, never>;
}

/** A model version's lifecycle (migrations 0005, 0007); `active` ⇔ `is_active`. */
export type ModelStatus = 'training' | 'ready' | 'failed' | 'active' | 'retired' | 'challenger';

export interface ScoringModelsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  model_type: ModelType;
  config: Json;
  is_active: Generated<boolean>;
  performance_metrics: Json | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Numbered per organisation by a trigger on insert. */
  version: Generated<number>;
  /** Derived from is_active by a trigger when an insert gives none. */
  status: Generated<ModelStatus>;
  training_job_id: ColumnType<string | null, string | null | undefined, string | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  trained_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  activated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  activated_by: ColumnType<string | null, string | null | undefined, string | null>;
  retired_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The version this one was derived from (the rules it edits). */
  parent_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The version active when this one was activated: what a rollback restores. */
  previous_model_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the version last became its organisation's challenger (kept once it stops). */
  challenger_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The last backtest asked for: parameters, status, report (scoring module). */
  backtest: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface LeadScoresTable {
  id: Generated<string>;
  organization_id: string;
  lead_id: string;
  model_id: string | null;
  score: number;
  score_breakdown: JsonWithDefault;
  /** NUMERIC(3,2): both drivers return it as a string to keep it exact. */
  confidence: ColumnType<string | null, number | null, number | null>;
  calculated_at: CreatedAt;
  /** The newest activity the score counted (the scorer's scores only). */
  activity_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who wrote it; null on rows older than migration 0009. */
  cause: ColumnType<ScoreCause | null, ScoreCause | null | undefined, ScoreCause | null>;
}

/** What wrote a `lead_scores` row: the scorer, a bulk rescore or the decay sweep. */
export type ScoreCause = 'activity' | 'rescore' | 'decay';

export interface LeadActivitiesTable {
  id: Generated<string>;
  organization_id: string;
  lead_id: string;
  activity_type: string;
  activity_data: JsonWithDefault;
  timestamp: Date;
  processed: Generated<boolean>;
  idempotency_key: string | null;
  received_at: CreatedAt;
  /** When the scorer counted it (or gave up on it: see failure_reason). */
  processed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Why the scorer could not count it; the row is processed all the same. */
  failure_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface IntegrationsTable {
  id: Generated<string>;
  organization_id: string;
  integration_type: string;
  config: JsonWithDefault;
  credentials_encrypted: string | null;
  is_active: Generated<boolean>;
  last_sync_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  family_id: string;
  token_hash: Uint8Array;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  created_at: CreatedAt;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  email_hash: Uint8Array;
  ip: string | null;
  failed_at: CreatedAt;
}

export interface ApiKeysTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  prefix: string;
  key_hash: Uint8Array;
  scopes: string[];
  created_by: string | null;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  organization_id: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: JsonWithDefault;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: CreatedAt;
}

/** A lead's incremental feature state (@leadscore/engine LeadFeatureState), kept by the scorer. */
export interface LeadFeatureStateTable {
  lead_id: string;
  organization_id: string;
  state: Json;
  updated_at: UpdatedAt;
}

export type AlertRuleKind = 'score_above' | 'score_below' | 'grade_is' | 'becomes_mql';

export interface AlertRulesTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  kind: AlertRuleKind;
  /** Set for every kind but grade_is. */
  threshold: number | null;
  /** Set for grade_is only: A1…D4. */
  grade: string | null;
  is_active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AlertsTable {
  id: Generated<string>;
  organization_id: string;
  /** Null once the rule is deleted; the alert stays in the list. */
  alert_rule_id: string | null;
  lead_id: string;
  kind: AlertRuleKind;
  message: string;
  score: number;
  previous_score: number | null;
  created_at: CreatedAt;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

export type ImportKind = 'leads' | 'activities';
export type ImportStatus = 'uploading' | 'queued' | 'running' | 'succeeded' | 'failed';
export type ImportOnDuplicate = 'update' | 'skip';

/** A CSV import and its progress (migration 0011, imports module). */
export interface ImportsTable {
  id: Generated<string>;
  organization_id: string;
  kind: ImportKind;
  status: Generated<ImportStatus>;
  file_name: string | null;
  /** BIGINT: both drivers return it as a string. */
  file_bytes: ColumnType<string, number | undefined, number>;
  mapping: ColumnType<unknown, string | null | undefined, string | null>;
  on_duplicate: ImportOnDuplicate | null;
  delimiter: Generated<string>;
  rows_committed: Generated<number>;
  bytes_committed: ColumnType<string, number | undefined, number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  skipped: Generated<number>;
  failed: Generated<number>;
  error: string | null;
  created_by_type: 'user' | 'api_key' | 'system';
  created_by: string | null;
  job_id: string | null;
  created_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: UpdatedAt;
}

/** An import's uploaded file, in pieces of at most 1 MB. */
export interface ImportChunksTable {
  import_id: string;
  organization_id: string;
  seq: number;
  data: Uint8Array;
}

/** One cause of one rejected row of an import. */
export interface ImportErrorsTable {
  import_id: string;
  organization_id: string;
  row_number: number;
  position: number;
  column_name: string | null;
  field: string;
  reason: string;
}

export type ExportKind = 'leads' | 'activities' | 'scores';
export type ExportFormat = 'csv' | 'ndjson';
export type ExportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A background export and where its file went (migration 0010, exports module). */
export interface ExportsTable {
  id: Generated<string>;
  organization_id: string;
  kind: ExportKind;
  format: ExportFormat;
  filters: JsonWithDefault;
  status: Generated<ExportStatus>;
  row_count: Generated<number>;
  bytes: number | null;
  storage: 'file' | 's3' | null;
  object_key: string | null;
  error: string | null;
  requested_by: string | null;
  job_id: string | null;
  created_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: UpdatedAt;
}
