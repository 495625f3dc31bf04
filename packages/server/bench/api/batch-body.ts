/**
 * Bodies of POST /activities/batch. Built in the load worker for every request, and once in
 * the main thread for the sample; every request carries new idempotency keys, so each one
 * stores new rows rather than answering with the originals.
 */

/** Items per request. */
export const BATCH_ITEMS = 500;

export interface BatchPlan {
  /** Item i of request r names lead (r × BATCH_ITEMS + i) mod the pool's length. */
  leadIds: readonly string[];
  /** Unique per run, so no two runs share a key. */
  keyPrefix: string;
  /** ISO time of every item: a minute before the run starts. */
  timestamp: string;
}

export function batchBody(plan: BatchPlan, requestNumber: number): string {
  const activities = [];
  for (let index = 0; index < BATCH_ITEMS; index++) {
    const lead = (requestNumber * BATCH_ITEMS + index) % plan.leadIds.length;
    activities.push({
      leadId: plan.leadIds[lead],
      type: 'page_view',
      timestamp: plan.timestamp,
      idempotencyKey: `${plan.keyPrefix}-${requestNumber}-${index}`,
      data: { url: 'https://www.example.com/pricing' },
    });
  }
  return JSON.stringify({ activities });
}

/** True for a 202 answer that stored every item: all accepted, none rejected, none repeats. */
export function storedWholeBatch(status: number, body: string): boolean {
  if (status !== 202) return false;
  const parsed = JSON.parse(body) as { accepted?: { duplicate?: boolean }[]; rejected?: unknown[] };
  return (
    parsed.accepted?.length === BATCH_ITEMS &&
    parsed.accepted.every((item) => !item.duplicate) &&
    parsed.rejected?.length === 0
  );
}
