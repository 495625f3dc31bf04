/**
 * The three requests measured, the same against the real server and the bare one, and a
 * sample of each real answer, whose bytes the bare server then sends back.
 */
import { randomBytes } from 'node:crypto';
import { BATCH_ITEMS, type BatchPlan, batchBody, storedWholeBatch } from './batch-body.js';

export interface Scenario {
  /** Shown in the table, e.g. "GET /leads?sort=-score&limit=50". */
  name: string;
  method: 'GET' | 'POST';
  /** Fastify's pattern, for the bare server. */
  route: string;
  /** What is requested. */
  path: string;
  status: number;
  /** Only for the batch: each request sends new items. */
  batch?: BatchPlan;
}

export function apiScenarios(leadId: string, batchLeadIds: readonly string[]): Scenario[] {
  const list = '/leads?sort=-score&limit=50';
  return [
    { name: `GET ${list}`, method: 'GET', route: '/leads', path: list, status: 200 },
    {
      name: 'GET /leads/{id}',
      method: 'GET',
      route: '/leads/:id',
      path: `/leads/${leadId}`,
      status: 200,
    },
    {
      name: `POST /activities/batch (${BATCH_ITEMS} items)`,
      method: 'POST',
      route: '/activities/batch',
      path: '/activities/batch',
      status: 202,
      batch: newBatchPlan(batchLeadIds),
    },
  ];
}

/** The same scenario with keys no earlier run has used. */
export function withFreshKeys(scenario: Scenario): Scenario {
  return scenario.batch ? { ...scenario, batch: newBatchPlan(scenario.batch.leadIds) } : scenario;
}

function newBatchPlan(leadIds: readonly string[]): BatchPlan {
  return {
    leadIds,
    keyPrefix: `bench-${randomBytes(6).toString('hex')}`,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
  };
}

/** One real answer, checked, as the bare server will send it; a batch gets keys of its own. */
export async function sampleResponse(
  origin: string,
  scenario: Scenario,
  headers: Record<string, string>,
): Promise<string> {
  const { batch } = withFreshKeys(scenario);
  const body = batch ? batchBody(batch, 0) : undefined;
  const response = await fetch(new URL(scenario.path, origin), {
    method: scenario.method,
    headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
    body,
  });
  const text = await response.text();
  const ok = batch ? storedWholeBatch(response.status, text) : response.status === scenario.status;
  if (!ok) {
    throw new Error(`${scenario.name} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return text;
}
