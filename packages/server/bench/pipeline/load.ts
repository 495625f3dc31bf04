/** Runs the client side (load-worker.ts) on a worker thread and returns what it measured. */
import { runTsWorker } from '../ts-worker.js';
import { type LoadPlan, type LoadResult, SENT_AT } from './load-worker.js';

export { type LoadPlan, type LoadResult, SENT_AT } from './load-worker.js';

export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return runTsWorker(new URL('./load-worker.ts', import.meta.url), plan);
}

/**
 * Batch bodies of `size` items over the lead pool, each lead once per body (and once per
 * cycle through the bodies). Types and data as the vocabulary wants them; no idempotency
 * keys, so a body sent again stores new rows; every activity happens when it is sent, so it
 * is its lead's newest, as in live traffic.
 */
export function batchBodies(leadIds: readonly string[], size: number): LoadPlan['bodies'] {
  const bodies: LoadPlan['bodies'] = [];
  for (let start = 0; start + size <= leadIds.length; start += size) {
    const ids = leadIds.slice(start, start + size);
    const activities = ids.map((leadId, index) => ({
      leadId,
      timestamp: SENT_AT,
      ...ITEMS[index % ITEMS.length],
    }));
    bodies.push({ json: JSON.stringify({ activities }), leadIds: ids });
  }
  return bodies;
}

const ITEMS = [
  { type: 'page_view', data: { url: 'https://www.example.com/pricing', duration_seconds: 42 } },
  { type: 'email_open', data: { campaign_id: 'spring-launch' } },
  { type: 'page_view', data: { url: 'https://www.example.com/blog/lead-scoring' } },
  {
    type: 'email_click',
    data: { url: 'https://www.example.com/demo', campaign_id: 'spring-launch' },
  },
  { type: 'pricing_view', data: { plan: 'team' } },
];
