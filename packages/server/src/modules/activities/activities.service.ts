import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { DB } from '../../db/schema.js';
import type { EventBus } from '../../events/event-bus.js';
import { AppError, type FieldError } from '../../http/errors.js';
import { type AuditEntry, recordAudit } from '../audit/index.js';
import { resolveLeadsForActivities } from '../leads/index.js';
import { ActivityErrors } from './activities.errors.js';
import {
  findActivitiesByIdempotencyKeys,
  insertActivities,
  type NewActivityRow,
} from './activities.repository.js';
import type {
  ActivityBatchResult,
  ActivityItem,
  IngestedActivitySchema,
} from './activities.schemas.js';
import {
  type ActivityRejection,
  checkActivity,
  type ValidActivity,
} from './activities.validation.js';

export interface ActivitiesDeps {
  readonly db: Kysely<DB>;
  /** The clock future timestamps are judged by. */
  readonly now?: () => Date;
  /** Hears `new_lead_activity` for each activity stored, once the request has committed. */
  readonly events?: EventBus | undefined;
}

/** Who sends the activities, for the audit entry. */
export type IngestContext = Omit<AuditEntry, 'action' | 'targetType' | 'targetId' | 'details'>;

type Accepted = ActivityBatchResult['accepted'][number];
type Rejected = { index: number; rejection: ActivityRejection };

/** Stores the good items of a batch in one transaction and reports the bad ones by index. */
export async function ingestActivities(
  deps: ActivitiesDeps,
  context: IngestContext,
  items: readonly unknown[],
): Promise<ActivityBatchResult> {
  const { accepted, rejected } = await ingest(deps, context, items);
  return {
    accepted,
    rejected: rejected.map(({ index, rejection: { error, errors } }) => ({
      index,
      status: error.status,
      code: error.code,
      title: error.title,
      detail: describe(errors),
      errors,
    })),
  };
}

/** One activity; a refused one throws its problem (404 for an unknown lead). */
export async function ingestActivity(
  deps: ActivitiesDeps,
  context: IngestContext,
  item: ActivityItem,
): Promise<Static<typeof IngestedActivitySchema>> {
  const { accepted, rejected } = await ingest(deps, context, [item]);
  const [stored] = accepted;
  const [refused] = rejected;
  if (stored) return { id: stored.id, leadId: stored.leadId, duplicate: stored.duplicate };
  if (!refused) throw new Error('an activity was neither stored nor refused');
  const { error, errors } = refused.rejection;
  throw new AppError(error, describe(errors), { errors });
}

async function ingest(
  deps: ActivitiesDeps,
  context: IngestContext,
  items: readonly unknown[],
): Promise<{ accepted: Accepted[]; rejected: Rejected[] }> {
  const now = deps.now?.() ?? new Date();
  const rejected: Rejected[] = [];
  const valid: { index: number; activity: ValidActivity }[] = [];
  items.forEach((item, index) => {
    const checked = checkActivity(item, now);
    if (checked.ok) valid.push({ index, activity: checked.activity });
    else rejected.push({ index, rejection: checked.rejection });
  });
  if (valid.length === 0) return { accepted: [], rejected };

  const accepted = await deps.db.transaction().execute(async (trx) => {
    const { organizationId } = context;
    const leads = await resolveLeadsForActivities(
      trx,
      organizationId,
      valid.map(({ activity }) => activity.lead),
    );
    const found: Located[] = [];
    valid.forEach(({ index, activity }, position) => {
      const lead = leads[position];
      if (lead) found.push({ index, activity, leadId: lead.id });
      else rejected.push({ index, rejection: leadNotFound(activity) });
    });
    const stored = await storeActivities(trx, organizationId, found);
    if (stored.length > 0) {
      await recordAudit(trx, {
        ...context,
        action: 'activities.ingested',
        targetType: 'lead_activity',
        details: {
          accepted: stored.length,
          duplicates: stored.filter((activity) => activity.duplicate).length,
          rejected: rejected.length,
          leadsCreated: new Set(leads.flatMap((lead) => (lead?.created ? [lead.id] : []))).size,
        },
      });
    }
    return stored;
  });
  publishStored(deps, context.organizationId, accepted, valid);
  return { accepted, rejected: rejected.sort((a, b) => a.index - b.index) };
}

interface Located {
  index: number;
  activity: ValidActivity;
  leadId: string;
}

/**
 * Inserts the items; an idempotency key seen before (stored earlier, by a concurrent
 * request, or earlier in this batch) answers with the original activity instead.
 */
async function storeActivities(
  trx: Kysely<DB>,
  organizationId: string,
  items: readonly Located[],
): Promise<Accepted[]> {
  const firstByKey = new Map<string, NewActivityRow>();
  const rows: NewActivityRow[] = [];
  const planned = items.map(({ index, activity, leadId }) => {
    const key = activity.idempotencyKey;
    const earlier = key === null ? undefined : firstByKey.get(key);
    if (earlier) return { index, row: earlier, repeat: true };
    const row: NewActivityRow = {
      id: randomUUID(),
      leadId,
      type: activity.type,
      data: activity.data,
      timestamp: activity.timestamp,
      idempotencyKey: key,
    };
    if (key !== null) firstByKey.set(key, row);
    rows.push(row);
    return { index, row, repeat: false };
  });
  // In key order, so two batches sharing keys wait on each other's rows in one order, never in a cycle.
  rows.sort((a, b) => compareKeys(a.idempotencyKey, b.idempotencyKey));

  const inserted = await insertActivities(trx, organizationId, rows);
  const skippedKeys = rows.flatMap((row) =>
    !inserted.has(row.id) && row.idempotencyKey !== null ? [row.idempotencyKey] : [],
  );
  const originals = await findActivitiesByIdempotencyKeys(trx, organizationId, skippedKeys);
  return planned.map(({ index, row, repeat }) => {
    if (inserted.has(row.id)) return { index, id: row.id, leadId: row.leadId, duplicate: repeat };
    const original = originals.get(row.idempotencyKey ?? '');
    if (!original) throw new Error(`activity ${row.id} was neither inserted nor found by its key`);
    return { index, ...original, duplicate: true };
  });
}

/** After the commit, so no listener hears of an activity that was rolled back; repeats are not news. */
function publishStored(
  deps: ActivitiesDeps,
  organizationId: string,
  accepted: readonly Accepted[],
  valid: readonly { index: number; activity: ValidActivity }[],
): void {
  if (!deps.events) return;
  const byIndex = new Map(valid.map(({ index, activity }) => [index, activity]));
  for (const stored of accepted) {
    const activity = byIndex.get(stored.index);
    if (stored.duplicate || !activity) continue;
    deps.events.publish(organizationId, 'new_lead_activity', {
      leadId: stored.leadId,
      activityId: stored.id,
      type: activity.type,
      timestamp: activity.timestamp.toISOString(),
    });
  }
}

function leadNotFound(activity: ValidActivity): ActivityRejection {
  const field = activity.lead.leadId ? 'leadId' : 'leadEmail';
  return {
    error: ActivityErrors.LEAD_NOT_FOUND,
    errors: [{ in: 'body', field, message: 'names no lead of your organisation' }],
  };
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function describe(errors: readonly FieldError[]): string {
  return errors.map((error) => `${error.field}: ${error.message}`).join('; ');
}
