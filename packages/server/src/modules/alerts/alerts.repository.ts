import { type Kysely, sql } from 'kysely';
import { type NewestFirstPage, newestFirst } from '../../db/newest-first.js';
import type { AlertRuleKind, DB } from '../../db/schema.js';

const RULE_COLUMNS = [
  'id',
  'name',
  'kind',
  'threshold',
  'grade',
  'is_active',
  'created_by',
  'created_at',
  'updated_at',
] as const;

const ALERT_COLUMNS = [
  'id',
  'alert_rule_id',
  'lead_id',
  'kind',
  'message',
  'score',
  'previous_score',
  'created_at',
] as const;

export interface RuleFields {
  name: string;
  kind: AlertRuleKind;
  threshold: number | null;
  grade: string | null;
  isActive: boolean;
}

export async function insertRule(
  db: Kysely<DB>,
  organizationId: string,
  rule: RuleFields & { createdBy: string | null; createdAt: Date },
) {
  return db
    .insertInto('alert_rules')
    .values({
      organization_id: organizationId,
      name: rule.name,
      kind: rule.kind,
      threshold: rule.threshold,
      grade: rule.grade,
      is_active: rule.isActive,
      created_by: rule.createdBy,
      created_at: rule.createdAt,
      updated_at: rule.createdAt,
    })
    .returning(RULE_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Newest first; `after` is the (created_at, id) of the last row of the previous page. */
export async function listRules(db: Kysely<DB>, organizationId: string, page: NewestFirstPage) {
  const query = db
    .selectFrom('alert_rules')
    .select(RULE_COLUMNS)
    .where('organization_id', '=', organizationId);
  return newestFirst(query, page).execute();
}

/** Locks the rule so an update and its audit entry describe the same before and after. */
export async function findRuleForUpdate(db: Kysely<DB>, organizationId: string, id: string) {
  return db
    .selectFrom('alert_rules')
    .select(RULE_COLUMNS)
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateRule(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  rule: RuleFields & { updatedAt: Date },
) {
  return db
    .updateTable('alert_rules')
    .set({
      name: rule.name,
      kind: rule.kind,
      threshold: rule.threshold,
      grade: rule.grade,
      is_active: rule.isActive,
      updated_at: rule.updatedAt,
    })
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .returning(RULE_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function deleteRule(db: Kysely<DB>, organizationId: string, id: string) {
  return db
    .deleteFrom('alert_rules')
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .returning(['id', 'name', 'kind'])
    .executeTakeFirst();
}

/** The active rules of these organisations: what the evaluator checks each score change against. */
export async function findActiveRules(db: Kysely<DB>, organizationIds: readonly string[]) {
  if (organizationIds.length === 0) return [];
  return db
    .selectFrom('alert_rules')
    .select(['id', 'organization_id', 'name', 'kind', 'threshold', 'grade'])
    .where('organization_id', 'in', organizationIds)
    .where('is_active', '=', true)
    .execute();
}

/**
 * Each lead's grade before a score: the grade of its newest `lead_scores` row calculated
 * before `before` (null when there is none), whatever the scorer committed since.
 */
export async function findPreviousGrades(
  db: Kysely<DB>,
  leads: readonly { organizationId: string; leadId: string; before: Date }[],
): Promise<Map<string, string | null>> {
  if (leads.length === 0) return new Map();
  const keys = JSON.stringify(
    leads.map((l) => ({
      organization_id: l.organizationId,
      id: l.leadId,
      before: l.before.toISOString(),
    })),
  );
  const { rows } = await sql<{ lead_id: string; grade: string | null }>`
    select k.id as lead_id, previous.grade
    from jsonb_to_recordset(${keys}::jsonb) as k(id uuid, organization_id uuid, before timestamptz)
    left join lateral (
      select s.score_breakdown ->> 'grade' as grade
      from lead_scores s
      where s.lead_id = k.id and s.organization_id = k.organization_id
        and s.calculated_at < k.before
      order by s.calculated_at desc
      limit 1
    ) previous on true`.execute(db);
  return new Map(rows.map((row) => [row.lead_id, row.grade]));
}

export interface NewAlertRow {
  organizationId: string;
  alertRuleId: string;
  leadId: string;
  kind: AlertRuleKind;
  message: string;
  score: number;
  previousScore: number | null;
  /** Set by us, in milliseconds, so a list cursor (an ISO timestamp) matches it exactly. */
  createdAt: Date;
}

/** Stores fired alerts; returns those stored (a repeated MQL alert is skipped by its unique index). */
export async function insertAlerts(db: Kysely<DB>, alerts: readonly NewAlertRow[]) {
  if (alerts.length === 0) return [];
  return db
    .insertInto('alerts')
    .values(
      alerts.map((a) => ({
        organization_id: a.organizationId,
        alert_rule_id: a.alertRuleId,
        lead_id: a.leadId,
        kind: a.kind,
        message: a.message,
        score: a.score,
        previous_score: a.previousScore,
        created_at: a.createdAt,
      })),
    )
    .onConflict((conflict) =>
      conflict.columns(['alert_rule_id', 'lead_id']).where('kind', '=', 'becomes_mql').doNothing(),
    )
    .returning(['organization_id', ...ALERT_COLUMNS])
    .execute();
}

/** Newest first, like listRules. */
export async function listAlerts(db: Kysely<DB>, organizationId: string, page: NewestFirstPage) {
  const query = db
    .selectFrom('alerts')
    .select(ALERT_COLUMNS)
    .where('organization_id', '=', organizationId);
  return newestFirst(query, page).execute();
}
