import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AlertTriggered, EventBus } from '../../events/event-bus.js';
import { AppError, type FieldError, HttpErrors } from '../../http/errors.js';
import { decodeNewestFirstCursor, toPage } from '../../http/pagination.js';
import { type AuditEntry, recordAudit } from '../audit/index.js';
import { type AlertRule, firedMessage, ruleTarget, type ScoreChange } from './alert-rules.js';
import * as repository from './alerts.repository.js';
import type {
  Alert,
  AlertRuleView,
  CreateAlertRuleInput,
  PatchAlertRuleInput,
} from './alerts.schemas.js';

export interface AlertsDeps {
  readonly db: Kysely<DB>;
}

export interface AlertRecordingDeps {
  /** The transaction that writes the scores. */
  readonly db: Kysely<DB>;
  readonly now?: () => Date;
}

/** An alert just stored, and the `alert_triggered` payload that announces it. */
export interface TriggeredAlert {
  readonly organizationId: string;
  readonly payload: AlertTriggered;
}

/** Who did it, from where: the audit fields of the request that changes a rule. */
export type AlertAuditContext = Omit<AuditEntry, 'action' | 'targetType' | 'targetId' | 'details'>;

type Page = { cursor?: string | undefined; limit: number };
type RuleRow = Awaited<ReturnType<typeof repository.insertRule>>;

export async function createAlertRule(
  deps: AlertsDeps,
  input: CreateAlertRuleInput,
  audit: AlertAuditContext,
): Promise<AlertRuleView> {
  const fields: repository.RuleFields = {
    name: input.name,
    kind: input.kind,
    threshold: input.threshold ?? null,
    grade: input.grade ?? null,
    isActive: input.isActive ?? true,
  };
  checkRuleShape(fields);
  return deps.db.transaction().execute(async (trx) => {
    const row = await repository.insertRule(trx, audit.organizationId, {
      ...fields,
      createdBy: audit.actorType === 'user' ? audit.actorId : null,
      createdAt: new Date(),
    });
    await recordAudit(trx, {
      ...audit,
      action: 'alert_rule.created',
      targetType: 'alert_rule',
      targetId: row.id,
      details: { ...fields },
    });
    return toRule(row);
  });
}

export async function listAlertRules(
  deps: AlertsDeps,
  organizationId: string,
  page: Page,
): Promise<{ data: AlertRuleView[]; nextCursor: string | null }> {
  const rows = await repository.listRules(deps.db, organizationId, {
    limit: page.limit,
    after: page.cursor === undefined ? undefined : decodeNewestFirstCursor(page.cursor),
  });
  return toPage(rows.map(toRule), page.limit, (rule) => [rule.createdAt, rule.id]);
}

/** Changes the fields sent; a rule of another organisation is not found. */
export async function updateAlertRule(
  deps: AlertsDeps,
  id: string,
  patch: PatchAlertRuleInput,
  audit: AlertAuditContext,
): Promise<AlertRuleView> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await repository.findRuleForUpdate(trx, audit.organizationId, id);
    if (!row) throw notFound(id);
    const kind = patch.kind ?? row.kind;
    // A new kind drops the target it does not use, unless the request sets it (then refused).
    const drops = (target: 'threshold' | 'grade') =>
      kind !== row.kind && ruleTarget(kind) !== target;
    const fields: repository.RuleFields = {
      name: patch.name ?? row.name,
      kind,
      threshold:
        patch.threshold !== undefined ? patch.threshold : drops('threshold') ? null : row.threshold,
      grade: patch.grade !== undefined ? patch.grade : drops('grade') ? null : row.grade,
      isActive: patch.isActive ?? row.is_active,
    };
    checkRuleShape(fields);
    const updated = await repository.updateRule(trx, audit.organizationId, id, {
      ...fields,
      updatedAt: new Date(),
    });
    const before = toRule(row);
    const after = toRule(updated);
    const changed = (['name', 'kind', 'threshold', 'grade', 'isActive'] as const).filter(
      (field) => before[field] !== after[field],
    );
    if (changed.length > 0) {
      await recordAudit(trx, {
        ...audit,
        action: 'alert_rule.updated',
        targetType: 'alert_rule',
        targetId: id,
        details: Object.fromEntries(
          changed.map((field) => [field, { from: before[field], to: after[field] }]),
        ),
      });
    }
    return after;
  });
}

/** Deletes the rule; the alerts it fired stay in the list, without their rule. */
export async function deleteAlertRule(
  deps: AlertsDeps,
  id: string,
  audit: AlertAuditContext,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const deleted = await repository.deleteRule(trx, audit.organizationId, id);
    if (!deleted) throw notFound(id);
    await recordAudit(trx, {
      ...audit,
      action: 'alert_rule.deleted',
      targetType: 'alert_rule',
      targetId: id,
      details: { name: deleted.name, kind: deleted.kind },
    });
  });
}

export async function listAlerts(
  deps: AlertsDeps,
  organizationId: string,
  page: Page,
): Promise<{ data: Alert[]; nextCursor: string | null }> {
  const rows = await repository.listAlerts(deps.db, organizationId, {
    limit: page.limit,
    after: page.cursor === undefined ? undefined : decodeNewestFirstCursor(page.cursor),
  });
  return toPage(rows.map(toAlert), page.limit, (alert) => [alert.createdAt, alert.id]);
}

/**
 * The organisation's MQL line: the threshold of its active `becomes_mql` rule, the lowest
 * when it has several (a lead past it is an MQL for one of them); null when it has none.
 */
export async function findMqlThreshold(
  deps: AlertsDeps,
  organizationId: string,
): Promise<number | null> {
  const thresholds = (await repository.findActiveRules(deps.db, [organizationId])).flatMap(
    (rule) => (rule.kind === 'becomes_mql' && rule.threshold !== null ? [rule.threshold] : []),
  );
  return thresholds.length > 0 ? Math.min(...thresholds) : null;
}

/**
 * Checks score changes against their organisations' active rules and stores the alerts that
 * fire; returns them, for {@link announceAlerts} once stored for good. Meant to run in the
 * transaction that writes the scores, so that an alert is kept exactly when its score is.
 * Crossings are read from each change's previous and new score, which the scorer decided under
 * the lead's lock, so a batch needs no state of its own and two processes never record one
 * crossing twice.
 */
export async function recordAlerts(
  deps: AlertRecordingDeps,
  changes: readonly ScoreChange[],
): Promise<TriggeredAlert[]> {
  if (changes.length === 0) return [];
  const rules = await repository.findActiveRules(deps.db, [
    ...new Set(changes.map((c) => c.organizationId)),
  ]);
  if (rules.length === 0) return [];
  const rulesByOrg = new Map<string, AlertRule[]>();
  for (const rule of rules) {
    const list = rulesByOrg.get(rule.organization_id) ?? [];
    list.push(rule);
    rulesByOrg.set(rule.organization_id, list);
  }

  // The previous grade costs a query: only for leads that now have a grade some rule names.
  const gradeCandidates = changes.filter((change) =>
    rulesByOrg
      .get(change.organizationId)
      ?.some((rule) => rule.kind === 'grade_is' && rule.grade === change.grade),
  );
  const previousGrades = await repository.findPreviousGrades(
    deps.db,
    gradeCandidates.map((c) => ({ ...c, before: c.calculatedAt })),
  );

  const createdAt = (deps.now ?? (() => new Date()))();
  const fired: repository.NewAlertRow[] = [];
  for (const change of changes) {
    const withGrade = { ...change, previousGrade: previousGrades.get(change.leadId) ?? null };
    for (const rule of rulesByOrg.get(change.organizationId) ?? []) {
      const message = firedMessage(rule, withGrade);
      if (message === null) continue;
      fired.push({
        organizationId: change.organizationId,
        alertRuleId: rule.id,
        leadId: change.leadId,
        kind: rule.kind,
        message,
        score: change.score,
        previousScore: change.previousScore,
        createdAt,
      });
    }
  }

  const stored = await repository.insertAlerts(deps.db, fired);
  return stored.map((row) => ({
    organizationId: row.organization_id,
    payload: {
      // Just inserted with its rule: the id is only null after the rule is deleted.
      alertRuleId: row.alert_rule_id as string,
      leadId: row.lead_id,
      message: row.message,
      score: row.score,
      previousScore: row.previous_score,
    },
  }));
}

/** `alert_triggered` for each alert {@link recordAlerts} stored, once it has committed. */
export function announceAlerts(events: EventBus, alerts: readonly TriggeredAlert[]): void {
  for (const alert of alerts) {
    events.publish(alert.organizationId, 'alert_triggered', alert.payload);
  }
}

/** A threshold for every kind but grade_is, a grade for grade_is: the other one is refused. */
function checkRuleShape(rule: repository.RuleFields): void {
  const needed = ruleTarget(rule.kind);
  const unused = needed === 'grade' ? 'threshold' : 'grade';
  const errors: FieldError[] = [];
  if (rule[needed] === null) {
    errors.push({ in: 'body', field: needed, message: `is required by ${rule.kind} rules` });
  }
  if (rule[unused] !== null) {
    errors.push({ in: 'body', field: unused, message: `is not used by ${rule.kind} rules` });
  }
  if (errors.length > 0) {
    throw new AppError(
      HttpErrors.VALIDATION_FAILED,
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      { errors },
    );
  }
}

function notFound(id: string): AppError {
  return new AppError(HttpErrors.NOT_FOUND, `Alert rule ${id} does not exist`);
}

/** Cursors are not signed: a forged one must be a 400, not a database error. */
function toRule(row: RuleRow): AlertRuleView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    threshold: row.threshold,
    grade: row.grade,
    isActive: row.is_active,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toAlert(row: Awaited<ReturnType<typeof repository.listAlerts>>[number]): Alert {
  return {
    id: row.id,
    alertRuleId: row.alert_rule_id,
    leadId: row.lead_id,
    kind: row.kind,
    message: row.message,
    score: row.score,
    previousScore: row.previous_score,
    createdAt: row.created_at.toISOString(),
  };
}
