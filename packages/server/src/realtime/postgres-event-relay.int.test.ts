import { afterAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase } from '../db/connection.js';
import type { DomainEventName } from '../events/event-bus.js';
import { createPostgresEventRelay, type PostgresEventRelay } from './postgres-event-relay.js';

const postgresUrl = inject('postgresUrl');
const silent = { warn: () => undefined };

describe.skipIf(!postgresUrl)(
  `PostgreSQL event relay${postgresUrl ? '' : ` (skipped: ${inject('postgresSkipReason')})`}`,
  () => {
    const opened: { database: Database; relay: PostgresEventRelay }[] = [];
    afterAll(async () => {
      for (const { database, relay } of opened) {
        await relay.close();
        await database.close();
      }
    });

    async function processWithRelay() {
      const url = postgresUrl ?? '';
      const database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 2 });
      const relay = createPostgresEventRelay({ db: database.db, databaseUrl: url, logger: silent });
      const heard: [string, DomainEventName, unknown][] = [];
      await relay.listen((organizationId, event, payload) =>
        heard.push([organizationId, event, payload]),
      );
      opened.push({ database, relay });
      return { relay, heard };
    }

    it("carries events of any size to the other processes, once and in order, not to the sender's", async () => {
      const sender = await processWithRelay();
      const receiver = await processWithRelay();
      // Far over NOTIFY's 8000 bytes, in characters of 1 to 4 bytes of UTF-8.
      const large = {
        leadId: 'lead-1',
        score: 50,
        previousScore: null,
        modelId: null,
        breakdown: { reasons: 'é😀a€'.repeat(5000) },
        calculatedAt: new Date().toISOString(),
      };
      const small = { modelId: 'model-1', status: 'succeeded' as const };
      sender.relay.send('org-a', 'lead_score_updated', large);
      sender.relay.send('org-b', 'model_training_complete', small);
      await new Promise((resolve) => setImmediate(resolve));
      sender.relay.send('org-a', 'model_training_complete', small);

      await expect.poll(() => receiver.heard.length).toBe(3);
      expect(receiver.heard).toEqual([
        ['org-a', 'lead_score_updated', large],
        ['org-b', 'model_training_complete', small],
        ['org-a', 'model_training_complete', small],
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.heard).toHaveLength(3);
      expect(sender.heard).toEqual([]);
    });
  },
);
