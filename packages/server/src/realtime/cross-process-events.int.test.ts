import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningWorker, startWorker } from '../cli/worker-command.js';
import { loadConfig } from '../config.js';
import { type Database, openDatabase } from '../db/connection.js';
import { createTokenSigner } from '../modules/auth/index.js';
import { type RunningServer, startServer } from '../server.js';
import { createEmptyPostgresDatabase } from '../test/databases.js';
import { createTestOrganization, createTestUser } from '../test/factories.js';
import { connectClient, type Payload, type TestClient } from './test-client.js';

const postgresUrl = inject('postgresUrl');
const redisUrl = inject('redisUrl');
const SIGNING_KEY = 'cross-process-signing-key-long-enough-for-hs256';

const transports: [string, Record<string, string>, string][] = [
  [
    'PostgreSQL NOTIFY, no Redis',
    {},
    postgresUrl ? '' : ` (skipped: ${inject('postgresSkipReason')})`,
  ],
  [
    'Redis',
    redisUrl ? { REDIS_URL: redisUrl } : {},
    !postgresUrl
      ? ` (skipped: ${inject('postgresSkipReason')})`
      : redisUrl
        ? ''
        : ` (skipped: ${inject('redisSkipReason')})`,
  ],
];

describe.each(transports)(
  'events of a worker process and of API processes reach every API process once [%s]%s',
  (_name, env, skipped) => {
    const skip = skipped !== '';
    let drop: (() => Promise<void>) | undefined;
    let database: Database | undefined;
    const db = () => {
      if (!database) throw new Error('not started');
      return database.db;
    };
    const servers: RunningServer[] = [];
    let worker: RunningWorker | undefined;
    const clients: TestClient[] = [];
    let call: (url: string, route: string, token: string, body: unknown) => Promise<Response>;
    let signer: ReturnType<typeof createTokenSigner>;

    beforeAll(async () => {
      if (skip) return;
      const empty = await createEmptyPostgresDatabase();
      drop = empty.drop;
      const config = loadConfig({
        LOG_LEVEL: 'silent',
        PORT: '0',
        DATABASE_URL: empty.url,
        DATA_DIR: await mkdtemp(path.join(tmpdir(), 'leadscore-cross-process-')),
        ADMIN_PASSWORD: 'a long enough admin password',
        TOKEN_SIGNING_KEY: SIGNING_KEY,
        ...env,
      });
      // One after the other: the first migrates and sets up, the others find it done.
      servers.push(await startServer(config, { demo: false, role: 'api' }));
      servers.push(await startServer(config, { demo: false, role: 'api' }));
      worker = await startWorker(config);
      database = await openDatabase({ databaseUrl: empty.url, dataDir: '', poolMax: 2 });
      signer = createTokenSigner({ key: SIGNING_KEY, issuer: config.publicUrl });
      call = (url, route, token, body) =>
        fetch(`${url}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
    }, 120_000);
    afterAll(async () => {
      for (const client of clients) client.socket.close();
      for (const server of servers) await server.close();
      await worker?.close();
      await database?.close();
      await drop?.();
    }, 60_000);

    async function tokenOf(organizationId: string) {
      const user = await createTestUser(db(), organizationId, 'manager');
      return signer.issue({ userId: user.id, organizationId });
    }

    async function listen(server: RunningServer, token: string) {
      const client = await connectClient(server.url, token, ['websocket']);
      clients.push(client);
      return client;
    }

    it.skipIf(skip)(
      'delivers each event once to each client of its organisation, on either API process',
      async () => {
        const [one, two] = servers as [RunningServer, RunningServer];
        const { organizationId: a } = await createTestOrganization(db());
        const { organizationId: b } = await createTestOrganization(db());
        const tokenA = await tokenOf(a);
        const tokenB = await tokenOf(b);
        const listeners = [await listen(one, tokenA), await listen(two, tokenA)];
        const outsiders = [await listen(one, tokenB), await listen(two, tokenB)];

        // alert_triggered: evaluated by the worker after its batch.
        const rule = await call(one.url, '/alert-rules', tokenA, {
          name: 'Any engagement',
          kind: 'score_above',
          threshold: 1,
        });
        expect(rule.status).toBe(201);
        const leadOf = async (server: RunningServer) => {
          const created = await call(server.url, '/leads', tokenA, {
            email: `lead-${randomBytes(5).toString('hex')}@acme.example`,
            jobTitle: 'VP Marketing',
          });
          expect(created.status).toBe(201);
          return ((await created.json()) as { id: string }).id;
        };
        const post = async (server: RunningServer, leadId: string) => {
          const posted = await call(server.url, '/activities', tokenA, {
            leadId,
            type: 'demo_request',
            timestamp: new Date(Date.now() - 60_000).toISOString(),
          });
          expect(posted.status).toBe(202);
        };

        // new_lead_activity is published by the API process that took the activity (two);
        // lead_score_updated and alert_triggered by the worker that scored it.
        const leadId = await leadOf(one);
        await post(two, leadId);
        const about = (p: Payload) => p.leadId === leadId;
        for (const client of listeners) {
          await client.next('new_lead_activity', about);
          await client.next('lead_score_updated', about);
          await client.next('alert_triggered', about);
        }

        // A later lead through the other process, heard by both: anything of the first lead
        // delivered twice would have come by now (events of one process keep their order).
        const sentinel = await leadOf(two);
        await post(one, sentinel);
        for (const client of listeners) {
          await client.next('alert_triggered', (p) => p.leadId === sentinel);
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        for (const client of listeners) {
          const ofLead = client.received.filter((r) => r.payload.leadId === leadId);
          expect(ofLead.map((r) => r.event).sort()).toEqual([
            'alert_triggered',
            'lead_score_updated',
            'new_lead_activity',
          ]);
        }
        for (const outsider of outsiders) expect(outsider.received).toEqual([]);
      },
      60_000,
    );
  },
);
