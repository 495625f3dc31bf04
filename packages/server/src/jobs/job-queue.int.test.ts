import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { describeEachEngine } from '../test/databases.js';
import { createJobQueue, type JobPayloads, type JobQueue } from './index.js';

type Payload = JobPayloads['scoring.train-model'];

describeEachEngine('job queue', (engine) => {
  let database: Database;
  let queue: JobQueue;
  const received: { payload: Payload; retryCount: number }[] = [];
  let arrived: (() => void) | undefined;

  beforeAll(async () => {
    database = await engine.open();
    queue = createJobQueue({
      database,
      logger: pino({ level: 'silent' }),
      // Test files share one PostgreSQL database; their queues must not take each other's jobs.
      schema: `pgboss_${randomBytes(4).toString('hex')}`,
      pollingIntervalSeconds: 0.5,
      schedules: false,
    });
    const unexpected = async () => {
      throw new Error('this test sends training jobs only');
    };
    await queue.work({
      'scoring.train-model': async (payload, context) => {
        received.push({ payload, retryCount: context.retryCount });
        arrived?.();
      },
      'scoring.backtest-model': unexpected,
      'scoring.rescore': unexpected,
      'scoring.decay-scores': unexpected,
    });
  });
  afterAll(async () => {
    await queue.stop();
    await database.close();
  });

  function nextJob(): Promise<void> {
    return new Promise((resolve) => {
      arrived = resolve;
    });
  }

  it('runs a job sent in a transaction once it commits, and never one whose transaction rolled back', async () => {
    const rolledBack = { organizationId: randomUUID(), modelId: randomUUID() };
    await expect(
      database.db.transaction().execute(async (trx) => {
        await queue.send('scoring.train-model', rolledBack, { db: trx });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');

    const committed = { organizationId: randomUUID(), modelId: randomUUID() };
    const done = nextJob();
    const id = await database.db
      .transaction()
      .execute((trx) => queue.send('scoring.train-model', committed, { db: trx }));
    await done;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(received).toEqual([{ payload: committed, retryCount: 0 }]);
  });

  it('runs jobs sent outside a transaction too', async () => {
    const payload = { organizationId: randomUUID(), modelId: randomUUID() };
    const done = nextJob();
    await queue.send('scoring.train-model', payload);
    await done;
    expect(received.at(-1)).toEqual({ payload, retryCount: 0 });
  });
});
