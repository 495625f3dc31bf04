/**
 * The floor the pipeline is compared with: the same activity rows inserted straight into
 * PostgreSQL, with the statement the API uses, 1,000 per statement, from as many connections
 * as the load used — no HTTP, no validation, no scoring.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../src/db/connection.js';
import { insertActivities } from '../../src/modules/activities/activities.repository.js';
import { withCleanup } from '../cleanup.js';
import type { LoadPlan } from './load.js';

export interface BareInsertResult {
  rows: number;
  seconds: number;
}

export async function measureBareInsert(
  databaseUrl: string,
  organizationId: string,
  bodies: LoadPlan['bodies'],
  connections: number,
  seconds: number,
): Promise<BareInsertResult> {
  const database = await openDatabase({ databaseUrl, dataDir: '', poolMax: connections });
  return withCleanup(database.close, async () => {
    const batches = bodies.map(
      (body) =>
        (
          JSON.parse(body.json) as {
            activities: {
              leadId: string;
              type: string;
              data: Record<string, unknown>;
            }[];
          }
        ).activities,
    );
    let rows = 0;
    let next = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const lane = async () => {
      while (performance.now() < deadline) {
        const items = batches[next++ % batches.length] ?? [];
        // As the client does: each activity happens when it is sent.
        const timestamp = new Date();
        const inserted = await insertActivities(
          database.db,
          organizationId,
          items.map((item) => ({
            id: randomUUID(),
            leadId: item.leadId,
            type: item.type,
            data: item.data,
            timestamp,
            idempotencyKey: null,
          })),
        );
        rows += inserted.size;
      }
    };
    await Promise.all(Array.from({ length: connections }, lane));
    return { rows, seconds: (performance.now() - started) / 1000 };
  });
}
