/**
 * Bulk activity writes (imports): activities checked by `checkActivity`, as POST /activities
 * checks them, written in the caller's transaction to the leads they name (by id or email;
 * an import never creates leads). Unprocessed, so the scorer counts them as any others.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FieldError } from '../../http/errors.js';
import { resolveLeadsForActivities } from '../leads/index.js';
import { insertActivities, type NewActivityRow } from './activities.repository.js';
import type { ValidActivity } from './activities.validation.js';

export type ActivityWriteOutcome =
  | { readonly kind: 'inserted' }
  /** Its idempotency key was stored before, or earlier in the batch: nothing was stored. */
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly errors: Pick<FieldError, 'field' | 'message'>[] };

/** Stores the activities, in order; answers what became of each. */
export async function writeActivityBatch(
  trx: Kysely<DB>,
  organizationId: string,
  activities: readonly ValidActivity[],
): Promise<ActivityWriteOutcome[]> {
  const leads = await resolveLeadsForActivities(
    trx,
    organizationId,
    activities.map((activity) => activity.lead),
  );
  const keys = new Set<string>();
  const rows: NewActivityRow[] = [];
  const planned = activities.map((activity, index): ActivityWriteOutcome | NewActivityRow => {
    const lead = leads[index];
    if (!lead) {
      const field = activity.lead.leadId ? 'leadId' : 'leadEmail';
      return {
        kind: 'rejected',
        errors: [{ field, message: 'names no lead of your organisation' }],
      };
    }
    const key = activity.idempotencyKey;
    if (key !== null && keys.has(key)) return { kind: 'duplicate' };
    if (key !== null) keys.add(key);
    const row: NewActivityRow = {
      id: randomUUID(),
      leadId: lead.id,
      type: activity.type,
      data: activity.data,
      timestamp: activity.timestamp,
      idempotencyKey: key,
    };
    rows.push(row);
    return row;
  });
  // In key order, so that two writers sharing keys wait on each other in one order, never in
  // a cycle (as the ingestion service does).
  const inserted = await insertActivities(
    trx,
    organizationId,
    [...rows].sort((a, b) => ((a.idempotencyKey ?? '') < (b.idempotencyKey ?? '') ? -1 : 1)),
  );
  return planned.map((outcome) => {
    if ('kind' in outcome) return outcome;
    return { kind: inserted.has(outcome.id) ? 'inserted' : 'duplicate' };
  });
}
